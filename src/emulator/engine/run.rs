//! Running one workflow instance: the activity tree walked in order, each activity
//! mirroring its platform class (cited per activity below).
//!
//! A run ends in one of four ways: completed, suspended by a `DelayActivity` (the path
//! to the delay is kept so the run resumes right after it), terminated (by
//! `CrmChangeStatusActivity`, as the platform does), or failed (an expression that does
//! not resolve, an unsupported activity); a failure stops the instance and is written to
//! its log, never to the emulator. Invariant: nothing here panics on any template.

use serde_json::{Map, Value, json};

use super::expr::{Ctx, ExprError};
use super::{Core, Instance};
use crate::emulator::crm::{self, FieldType, Kind, rest as crm_rest};
use crate::emulator::dates;
use crate::emulator::params::array_values;
use crate::emulator::store::State;

/// Activity classes the engine runs (compared case-insensitively, as the platform finds
/// activities by lower-cased folder name).
pub(crate) const SUPPORTED: [&str; 23] = [
    "SequentialWorkflowActivity",
    "SequenceActivity",
    "IfElseActivity",
    "IfElseBranchActivity",
    "WhileActivity",
    "DelayActivity",
    "SetFieldActivity",
    "CrmChangeStatusActivity",
    "CrmChangeResponsibleActivity",
    "CreateCrmDealDocumentActivity",
    "CreateCrmContactDocumentActivity",
    "CreateCrmCompanyDocumentActivity",
    "CrmCreateDynamicActivity",
    "Task2Activity",
    "CrmCreateToDoActivity",
    "CrmCreateCallActivity",
    "CrmTimelineCommentAdd",
    "ImOpenLinesMessageActivity",
    "CrmSendEmailActivity",
    "CrmSendSmsActivity",
    "IMNotifyActivity",
    "ImMessageActivity",
    "WebHookActivity",
];

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Flow {
    /// Went on to the next activity / finished.
    Continue,
    /// Waiting until `until` (virtual unix seconds); `path` leads to the delay.
    Suspend { path: Vec<usize>, until: i64 },
    /// Ended by an activity (`CBPActivityExecutionStatus` closed + workflow terminated).
    Terminate,
    /// Stopped by an error.
    Fail(String),
}

/// The activity types in a tree that the engine does not run, sorted and deduplicated.
pub(crate) fn unsupported(node: &Value, out: &mut Vec<String>) {
    if let Some(t) = node.get("Type").and_then(Value::as_str)
        && !SUPPORTED.iter().any(|s| s.eq_ignore_ascii_case(t))
        && !out.iter().any(|o| o == t)
    {
        out.push(t.to_owned());
    }
    for child in children(node) {
        unsupported(child, out);
    }
}

fn children(node: &Value) -> Vec<&Value> {
    node.get("Children")
        .and_then(array_values)
        .unwrap_or_default()
}

fn prop<'v>(node: &'v Value, key: &str) -> Option<&'v Value> {
    node.get("Properties").and_then(|p| p.get(key))
}

fn title(node: &Value) -> String {
    prop(node, "Title")
        .and_then(Value::as_str)
        .or_else(|| node.get("Type").and_then(Value::as_str))
        .unwrap_or("activity")
        .to_owned()
}

/// Runs or resumes one instance against the state.
pub(crate) struct Runner<'a> {
    pub state: &'a mut State,
    pub inst: &'a mut Instance,
    pub now: i64,
}

impl Runner<'_> {
    /// Runs from the start, or right after the delay at `inst.resume`.
    pub(crate) fn run(&mut self) -> Flow {
        let root = self
            .state
            .engine
            .versions
            .get(&self.inst.version)
            .cloned()
            .unwrap_or(Value::Null);
        let resume = std::mem::take(&mut self.inst.resume);
        let resume = if resume.is_empty() {
            None
        } else {
            Some(resume)
        };
        self.run_list(&children(&root), &mut Vec::new(), resume.as_deref())
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            crm: &self.state.crm,
            kind: self.inst.kind,
            id: self.inst.record_id,
            now: self.now,
            date_format: &self.state.engine.options.date_format,
            workflow_id: &self.inst.id,
            started_by: self.inst.started_by,
        }
    }

    fn log(&mut self, node: &Value, message: impl Into<String>, error: bool) {
        let entry = super::LogEntry {
            time: crate::emulator::portal::iso8601(self.now),
            activity: title(node),
            message: message.into(),
            error,
        };
        self.inst.log.push(entry);
    }

    fn run_list(
        &mut self,
        nodes: &[&Value],
        path: &mut Vec<usize>,
        resume: Option<&[usize]>,
    ) -> Flow {
        let mut start = 0;
        if let Some([i, rest @ ..]) = resume {
            let Some(node) = nodes.get(*i) else {
                return Flow::Fail("the resume point is not in the template".into());
            };
            path.push(*i);
            let flow = if rest.is_empty() {
                Flow::Continue
            } else {
                self.resume_into(node, path, rest)
            };
            path.pop();
            if flow != Flow::Continue {
                return flow;
            }
            start = i + 1;
        }
        for (i, node) in nodes.iter().enumerate().skip(start) {
            path.push(i);
            let flow = self.exec(node, path);
            path.pop();
            if flow != Flow::Continue {
                return flow;
            }
        }
        Flow::Continue
    }

    fn resume_into(&mut self, node: &Value, path: &mut Vec<usize>, rest: &[usize]) -> Flow {
        let kids = children(node);
        if is(node, "IfElseActivity") {
            let [branch, inner @ ..] = rest else {
                return Flow::Continue;
            };
            let Some(b) = kids.get(*branch) else {
                return Flow::Fail("the resume point is not in the template".into());
            };
            path.push(*branch);
            let flow = self.run_list(&children(b), path, Some(inner));
            path.pop();
            return flow;
        }
        if is(node, "WhileActivity") {
            return self.while_loop(node, path, Some(rest));
        }
        self.run_list(&kids, path, Some(rest))
    }

    fn exec(&mut self, node: &Value, path: &mut Vec<usize>) -> Flow {
        if prop_activated(node) == Some(false) {
            return Flow::Continue;
        }
        let ty = node
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let result = match ty.to_ascii_lowercase().as_str() {
            "sequenceactivity" | "sequentialworkflowactivity" => {
                return self.run_list(&children(node), path, None);
            }
            "ifelseactivity" => return self.if_else(node, path),
            "whileactivity" => return self.while_loop(node, path, None),
            "delayactivity" => self.delay(node, path),
            "setfieldactivity" => self.set_field(node),
            "crmchangestatusactivity" => self.change_status(node),
            "crmchangeresponsibleactivity" => self.change_responsible(node),
            "createcrmdealdocumentactivity" => self.create_document(node, Kind::Deal),
            "createcrmcontactdocumentactivity" => self.create_document(node, Kind::Contact),
            "createcrmcompanydocumentactivity" => self.create_document(node, Kind::Company),
            "crmcreatedynamicactivity" => self.create_dynamic(node),
            "task2activity" => self.task(node),
            "crmcreatetodoactivity" => self.todo(node),
            "crmcreatecallactivity" => self.call(node),
            "crmtimelinecommentadd" => self.comment(node),
            "imopenlinesmessageactivity" => self.open_lines(node),
            "crmsendemailactivity" => self.email(node),
            "crmsendsmsactivity" => self.sms(node),
            "imnotifyactivity" => self.notify(node),
            "immessageactivity" => self.im_message(node),
            "webhookactivity" => self.webhook(node),
            _ => Err(Step::Fail(format!("the local portal does not run {ty}"))),
        };
        match result {
            Ok(flow) => flow,
            Err(Step::Fail(message)) => {
                self.log(node, message.clone(), true);
                Flow::Fail(message)
            }
            Err(Step::Expr(e)) => {
                let message = e.to_string();
                self.log(node, message.clone(), true);
                Flow::Fail(message)
            }
            Err(Step::Logged(message)) => {
                // The activity failed and said so in the log; the workflow goes on, as
                // the platform's activities that catch their own errors do.
                self.log(node, message, true);
                Flow::Continue
            }
        }
    }

    /// `CBPIfElseActivity`: the first branch whose condition holds runs.
    fn if_else(&mut self, node: &Value, path: &mut Vec<usize>) -> Flow {
        let branches = children(node);
        for (i, branch) in branches.iter().enumerate() {
            match self.condition_holds(branch) {
                Err(flow) => return flow,
                Ok(false) => {}
                Ok(true) => {
                    path.push(i);
                    let flow = self.run_list(&children(branch), path, None);
                    path.pop();
                    return flow;
                }
            }
        }
        Flow::Continue
    }

    /// `CBPWhileActivity` (bizproc activities/bitrix/whileactivity): before each round
    /// the condition is evaluated afresh against the document as it is now
    /// (`TryNextIteration`), and a round runs the first child only. `resume` continues a
    /// round that a delay inside it suspended; the condition is checked again after it.
    /// The platform stops a loop after `CYCLE_LIMIT` (1000) rounds; so does this.
    fn while_loop(
        &mut self,
        node: &Value,
        path: &mut Vec<usize>,
        resume: Option<&[usize]>,
    ) -> Flow {
        const CYCLE_LIMIT: usize = 1000;
        let kids = children(node);
        let Some(first) = kids.first() else {
            return Flow::Continue;
        };
        let body = [*first];
        let mut resume = resume;
        for _ in 0..CYCLE_LIMIT {
            if resume.is_none() {
                match self.condition_holds(node) {
                    Err(flow) => return flow,
                    Ok(false) => return Flow::Continue,
                    Ok(true) => {}
                }
            }
            let flow = self.run_list(&body, path, resume.take());
            if flow != Flow::Continue {
                return flow;
            }
        }
        let message = format!("the loop ran {CYCLE_LIMIT} rounds; stopped");
        self.log(node, message.clone(), true);
        Flow::Fail(message)
    }

    /// Whether the condition of an `IfElseBranchActivity` or `WhileActivity` holds.
    /// `fieldcondition` rows are evaluated against the document read now, each row's
    /// value first resolved as an expression (`CBPFieldCondition::evaluate` passes it
    /// through `$rootActivity->parseValue`); `truecondition` always holds. Any other
    /// condition stops the instance (`Err` carries the flow).
    fn condition_holds(&mut self, node: &Value) -> Result<bool, Flow> {
        if let Some(rows) = prop(node, "fieldcondition") {
            let rows = self.parse_row_values(rows);
            let facts = super::DocFacts::new(self.state, self.inst);
            return match facts {
                Some(f) => Ok(super::condition::evaluate(&rows, &f)),
                None => Err(Flow::Fail("the document no longer exists".into())),
            };
        }
        if prop(node, "truecondition").is_some() {
            return Ok(true);
        }
        let keys: Vec<String> = node
            .get("Properties")
            .and_then(Value::as_object)
            .map(|m| {
                m.keys()
                    .filter(|k| k.as_str() != "Title")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let message = format!(
            "the local portal does not evaluate the condition {}",
            if keys.is_empty() {
                "(none)".to_owned()
            } else {
                keys.join(", ")
            }
        );
        self.log(node, message.clone(), true);
        Err(Flow::Fail(message))
    }

    /// The rows with each text value that holds an expression (`{=...}` or a leading
    /// `=`) resolved. An expression that does not resolve becomes null, as `parseValue`
    /// gives null for a field the document does not have.
    fn parse_row_values(&self, rows: &Value) -> Value {
        // Rows and cells come as lists, or as maps when the template was read from PHP
        // arrays with explicit keys; the third cell is the value either way.
        fn cells(row: &Value) -> Vec<Value> {
            match row {
                Value::Array(items) => items.clone(),
                Value::Object(map) => map.values().cloned().collect(),
                _ => Vec::new(),
            }
        }
        let list: Vec<&Value> = match rows {
            Value::Array(items) => items.iter().collect(),
            Value::Object(map) => map.values().collect(),
            _ => return rows.clone(),
        };
        let ctx = self.ctx();
        Value::Array(
            list.into_iter()
                .map(|row| {
                    if !matches!(row, Value::Array(_) | Value::Object(_)) {
                        return row.clone();
                    }
                    let mut cells = cells(row);
                    if let Some(text) = cells.get(2).and_then(Value::as_str)
                        && (text.contains("{=") || text.starts_with('='))
                    {
                        cells[2] = ctx.text(text).map_or(Value::Null, Value::String);
                    }
                    Value::Array(cells)
                })
                .collect(),
        )
    }

    /// `CBPDelayActivity`: `TimeoutDuration` (+ type s/m/h/d) or `TimeoutTime`; a wait of
    /// one second or less, or an empty time, does not wait.
    fn delay(&mut self, node: &Value, path: &[usize]) -> StepResult {
        let duration = prop(node, "TimeoutDuration")
            .map(|v| self.ctx().value_text(v))
            .transpose()?;
        let until = if let Some(d) = duration.filter(|d| !d.trim().is_empty()) {
            let n: i64 = d.trim().parse().unwrap_or(0);
            let unit = prop(node, "TimeoutDurationType")
                .and_then(Value::as_str)
                .unwrap_or("s");
            let secs = match unit {
                "m" => n.saturating_mul(60),
                "h" => n.saturating_mul(3600),
                "d" => n.saturating_mul(86_400),
                _ => n,
            };
            // DelayActivity caps a duration at five years.
            Some(self.now.saturating_add(secs.clamp(0, 5 * 365 * 86_400)))
        } else {
            let text = prop(node, "TimeoutTime")
                .map(|v| self.ctx().value_text(v))
                .transpose()?;
            match text.filter(|t| !t.trim().is_empty()) {
                Some(t) => {
                    if let Ok(ts) = t.trim().parse::<i64>() {
                        Some(ts)
                    } else {
                        let parsed = dates::parse_site(&t, &self.state.engine.options.date_format);
                        if parsed.is_none() {
                            self.log(
                                node,
                                format!("`{t}` is not a date in the portal's format; not waiting"),
                                true,
                            );
                        }
                        parsed
                    }
                }
                None => None,
            }
        };
        // A wait past a century is no wait a test can observe; keep the clock arithmetic
        // far from overflow.
        let until = until.map(|u| u.min(self.now.saturating_add(100 * 365 * 86_400)));
        match until {
            Some(u) if u.saturating_sub(self.now) > 1 => {
                self.log(
                    node,
                    format!("waiting until {}", crate::emulator::portal::iso8601(u)),
                    false,
                );
                Ok(Flow::Suspend {
                    path: path.to_vec(),
                    until: u,
                })
            }
            _ => Ok(Flow::Continue),
        }
    }

    /// Resolves a `Fields`-style map for a record of `kind`: user fields take the first
    /// user, dates are read in the site format, everything else is text.
    fn resolve_fields(
        &mut self,
        node: &Value,
        kind: Kind,
        raw: &Value,
        strip: Option<&str>,
    ) -> Result<Map<String, Value>, Step> {
        let mut out = Map::new();
        let entries: Vec<(String, Value)> = match raw {
            Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            _ => Vec::new(),
        };
        for (key, v) in entries {
            let key = match strip {
                Some(prefix) => match key.strip_prefix(prefix) {
                    Some(k) => k.to_owned(),
                    None => continue,
                },
                None => key,
            };
            let ty = crm::field(kind, &key).map(|f| f.ty);
            let value = match ty {
                Some(FieldType::User) => match self.ctx().users(&v)?.first() {
                    Some(u) => json!(u),
                    None => continue,
                },
                Some(FieldType::Date | FieldType::DateTime) => {
                    let text = self.ctx().value_text(&v)?;
                    match dates::parse_site(&text, &self.state.engine.options.date_format) {
                        Some(t) => json!(crate::emulator::portal::iso8601(t)),
                        None if text.is_empty() => continue,
                        None => {
                            self.log(
                                node,
                                format!(
                                    "{key}: `{text}` is not a date in the portal's format; dropped"
                                ),
                                true,
                            );
                            continue;
                        }
                    }
                }
                _ => json!(self.ctx().value_text(&v)?),
            };
            out.insert(key, value);
        }
        Ok(out)
    }

    /// `CBPSetFieldActivity`: writes the fields through the document, which fires the
    /// update event as a change made inside a workflow.
    fn set_field(&mut self, node: &Value) -> StepResult {
        let raw = prop(node, "FieldValue").cloned().unwrap_or(Value::Null);
        let (kind, id) = (self.inst.kind, self.inst.record_id);
        let fields = self.resolve_fields(node, kind, &raw, None)?;
        if fields.is_empty() {
            return Ok(Flow::Continue);
        }
        crm_rest::update_record(
            self.state,
            kind,
            id,
            &fields,
            crm_rest::Origin::Workflow,
            self.inst.started_by,
            self.now,
        )
        .map_err(|e| Step::Logged(e.description))?;
        Ok(Flow::Continue)
    }

    /// `CBPCrmChangeStatusActivity`: moves the record to `TargetStatus` and terminates
    /// the workflow. The older crm handled only deals and leads (quotes and smart
    /// invoices: nothing happens, the workflow still ends); newer ones refuse a stage of
    /// another pipeline.
    fn change_status(&mut self, node: &Value) -> StepResult {
        let target = self
            .ctx()
            .value_text(prop(node, "TargetStatus").unwrap_or(&Value::Null))?;
        let (kind, id) = (self.inst.kind, self.inst.record_id);
        let handled = matches!(kind, Kind::Deal | Kind::Lead)
            || (self.state.engine.options.core != Core::OldFc
                && matches!(kind, Kind::Quote | Kind::SmartInvoice));
        let Some(field) = kind.stage_field().filter(|_| handled) else {
            self.log(
                node,
                format!(
                    "the {} document is not handled by this activity on this core",
                    kind.name()
                ),
                true,
            );
            return Ok(Flow::Terminate);
        };
        let current_cat = self
            .state
            .crm
            .record(kind, id)
            .and_then(|r| r.get("CATEGORY_ID"))
            .and_then(crm::as_u64)
            .map_or(kind.default_category(), |c| i64::try_from(c).unwrap_or(0));
        if crm::stage_category(kind, &target) != Some(current_cat) {
            self.log(
                node,
                format!("stage `{target}` is not in the record's pipeline"),
                true,
            );
            return Ok(Flow::Terminate);
        }
        let current = self
            .state
            .crm
            .record(kind, id)
            .and_then(|r| r.get(field))
            .and_then(Value::as_str);
        if current != Some(target.as_str()) {
            let mut fields = Map::new();
            fields.insert(field.to_owned(), json!(target));
            if let Err(e) = crm_rest::update_record(
                self.state,
                kind,
                id,
                &fields,
                crm_rest::Origin::Workflow,
                self.inst.started_by,
                self.now,
            ) {
                self.log(node, e.description, true);
            }
        }
        self.log(
            node,
            format!("stage set to {target}; the workflow ends here"),
            false,
        );
        Ok(Flow::Terminate)
    }

    /// `CBPCrmChangeResponsibleActivity`: the first listed user (`GetterType` f; r and s
    /// also take the first here), skipped when already responsible.
    fn change_responsible(&mut self, node: &Value) -> StepResult {
        let users = self
            .ctx()
            .users(prop(node, "Responsible").unwrap_or(&Value::Null))?;
        let Some(user) = users.first().copied() else {
            return Err(Step::Logged("no responsible user resolved".into()));
        };
        let (kind, id) = (self.inst.kind, self.inst.record_id);
        let current = self
            .state
            .crm
            .record(kind, id)
            .and_then(|r| r.get("ASSIGNED_BY_ID"))
            .and_then(crm::as_u64);
        if current != Some(user) {
            let mut fields = Map::new();
            fields.insert("ASSIGNED_BY_ID".into(), json!(user));
            crm_rest::update_record(
                self.state,
                kind,
                id,
                &fields,
                crm_rest::Origin::Workflow,
                self.inst.started_by,
                self.now,
            )
            .map_err(|e| Step::Logged(e.description))?;
        }
        Ok(Flow::Continue)
    }

    /// `CBPCreateCrm{Deal,Contact,Company}DocumentActivity`.
    fn create_document(&mut self, node: &Value, kind: Kind) -> StepResult {
        let raw = prop(node, "Fields").cloned().unwrap_or(Value::Null);
        let fields = self.resolve_fields(node, kind, &raw, None)?;
        let missing: Vec<&str> = if kind == Kind::Contact {
            vec!["NAME", "LAST_NAME"]
        } else {
            vec!["TITLE"]
        }
        .into_iter()
        .filter(|k| {
            fields
                .get(*k)
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
        })
        .collect();
        if !missing.is_empty() {
            return Err(Step::Logged(format!(
                "required field(s) empty: {}",
                missing.join(", ")
            )));
        }
        let id = crm_rest::create_record(
            self.state,
            kind,
            &fields,
            crm_rest::Origin::Workflow,
            self.inst.started_by,
            self.now,
        )
        .map_err(|e| Step::Logged(e.description))?;
        self.log(node, format!("created {} {id}", kind.name()), false);
        Ok(Flow::Continue)
    }

    /// `CBPCrmCreateDynamicActivity`: `DynamicEntitiesFields` keys are `<typeId>_<FIELD>`;
    /// only non-empty values are sent.
    fn create_dynamic(&mut self, node: &Value) -> StepResult {
        let type_id =
            prop(node, "DynamicTypeId").map_or(0, |v| crate::emulator::params::php_int(Some(v)));
        let Some(kind) = Kind::from_entity_type_id(type_id)
            .filter(|k| matches!(k, Kind::Quote | Kind::SmartInvoice))
        else {
            return Err(Step::Logged(format!(
                "entity type {type_id} is not available on this portal"
            )));
        };
        let raw = prop(node, "DynamicEntitiesFields")
            .cloned()
            .unwrap_or(Value::Null);
        let mut fields = self.resolve_fields(node, kind, &raw, Some(&format!("{type_id}_")))?;
        fields.retain(|_, v| !v.as_str().is_some_and(str::is_empty));
        let id = crm_rest::create_record(
            self.state,
            kind,
            &fields,
            crm_rest::Origin::Workflow,
            self.inst.started_by,
            self.now,
        )
        .map_err(|e| Step::Logged(e.description))?;
        self.log(node, format!("created {} {id}", kind.name()), false);
        Ok(Flow::Continue)
    }

    /// `CBPTask2Activity`: TITLE, CREATED_BY and RESPONSIBLE_ID required; a DEADLINE that
    /// `CheckDateTime` (site format) refuses is dropped and logged.
    fn task(&mut self, node: &Value) -> StepResult {
        let f = prop(node, "Fields").cloned().unwrap_or(Value::Null);
        let get = |k: &str| f.get(k).cloned().unwrap_or(Value::Null);
        let title = self.ctx().value_text(&get("TITLE"))?;
        let created_by = self.ctx().users(&get("CREATED_BY"))?.first().copied();
        let responsible = self.ctx().users(&get("RESPONSIBLE_ID"))?.first().copied();
        let (Some(created_by), Some(responsible)) = (created_by, responsible) else {
            return Err(Step::Logged(
                "the task has no creator or no responsible person".into(),
            ));
        };
        if title.is_empty() {
            return Err(Step::Logged("the task has no title".into()));
        }
        let description = self.ctx().value_text(&get("DESCRIPTION"))?;
        let deadline_text = self.ctx().value_text(&get("DEADLINE"))?;
        let deadline = if deadline_text.is_empty() {
            None
        } else {
            let parsed = dates::parse_site(&deadline_text, &self.state.engine.options.date_format);
            if parsed.is_none() {
                self.log(node, format!("DEADLINE `{deadline_text}` is not a date in the portal's format; the task has no deadline"), true);
            }
            parsed
        };
        let priority = self.ctx().value_text(&get("PRIORITY"))?;
        let link = prop(node, "AUTO_LINK_TO_CRM_ENTITY")
            .is_none_or(|v| !matches!(v, Value::Bool(false)) && v.as_str() != Some("N"));
        let (kind, record) = (self.inst.kind, self.inst.record_id);
        let id = self.state.crm.allocate("task");
        let mut task = Map::new();
        task.insert("id".into(), json!(id.to_string()));
        task.insert("title".into(), json!(title));
        task.insert("description".into(), json!(description));
        task.insert("responsibleId".into(), json!(responsible.to_string()));
        task.insert("createdBy".into(), json!(created_by.to_string()));
        task.insert(
            "deadline".into(),
            deadline.map_or(Value::Null, |d| json!(crate::emulator::portal::iso8601(d))),
        );
        task.insert(
            "priority".into(),
            json!(if priority.is_empty() {
                "1".to_owned()
            } else {
                priority
            }),
        );
        task.insert("status".into(), json!("2"));
        task.insert(
            "createdDate".into(),
            json!(crate::emulator::portal::iso8601(self.now)),
        );
        task.insert(
            "ufCrmTask".into(),
            if link {
                json!([format!("{}_{record}", owner_abbr(kind))])
            } else {
                json!([])
            },
        );
        self.state.crm.tasks.insert(id, task);
        self.log(node, format!("created task {id}"), false);
        Ok(Flow::Continue)
    }

    fn add_activity(
        &mut self,
        type_id: &str,
        provider: &str,
        subject: &str,
        description: &str,
        time: i64,
        responsible: u64,
    ) -> u64 {
        let (kind, record) = (self.inst.kind, self.inst.record_id);
        let id = self.state.crm.allocate("activity");
        let iso = crate::emulator::portal::iso8601(time);
        let row = json!({
            "ID": id.to_string(),
            "OWNER_TYPE_ID": kind.entity_type_id().to_string(),
            "OWNER_ID": record.to_string(),
            "TYPE_ID": type_id,
            "PROVIDER_ID": provider,
            "SUBJECT": subject,
            "DESCRIPTION": description,
            "START_TIME": iso,
            "END_TIME": iso,
            "DEADLINE": iso,
            "RESPONSIBLE_ID": responsible.to_string(),
            "COMPLETED": "N",
            "CREATED": crate::emulator::portal::iso8601(self.now),
        });
        if let Value::Object(m) = row {
            self.state.crm.activities.insert(id, m);
        }
        id
    }

    fn responsible_or_assigned(&self, v: Option<&Value>) -> Result<u64, ExprError> {
        let users = self.ctx().users(v.unwrap_or(&Value::Null))?;
        Ok(match users.first() {
            Some(u) => *u,
            None => self
                .ctx()
                .users(&json!("author"))?
                .first()
                .copied()
                .unwrap_or(1),
        })
    }

    /// `CBPCrmCreateToDoActivity`: `Deadline` goes through `MakeTimeStamp` in the site
    /// format and falls back to now, so an ISO date becomes "now".
    fn todo(&mut self, node: &Value) -> StepResult {
        let description = self
            .ctx()
            .value_text(prop(node, "Description").unwrap_or(&Value::Null))?;
        if description.is_empty() {
            return Err(Step::Logged("Description is required".into()));
        }
        let deadline = self
            .ctx()
            .date(prop(node, "Deadline").unwrap_or(&Value::Null))?
            .unwrap_or(self.now);
        let responsible = self.responsible_or_assigned(prop(node, "Responsible"))?;
        let id = self.add_activity("6", "CRM_TODO", "", &description, deadline, responsible);
        self.log(node, format!("created to-do {id}"), false);
        Ok(Flow::Continue)
    }

    /// `CBPCrmCreateCallActivity`: `getBindings()` splits the document id on `_`, so a
    /// smart invoice (`SMART_INVOICE_<id>`) gets no valid owner and the call fails.
    fn call(&mut self, node: &Value) -> StepResult {
        let doc_id = self.inst.document_id.clone();
        let owner = doc_id.split('_').next().unwrap_or("");
        if !matches!(owner, "DEAL" | "LEAD" | "CONTACT" | "COMPANY" | "QUOTE") {
            return Err(Step::Logged(format!(
                "cannot bind the call to `{doc_id}`: owner type `{owner}` is unknown"
            )));
        }
        let start_text = self
            .ctx()
            .value_text(prop(node, "StartTime").unwrap_or(&Value::Null))?;
        let start = if start_text.is_empty() {
            self.now
        } else {
            dates::parse_site(&start_text, &self.state.engine.options.date_format).ok_or_else(
                || {
                    Step::Logged(format!(
                        "StartTime `{start_text}` is not a date in the portal's format"
                    ))
                },
            )?
        };
        let responsible = self.responsible_or_assigned(prop(node, "Responsible"))?;
        let subject = self
            .ctx()
            .value_text(prop(node, "Subject").unwrap_or(&Value::Null))?;
        let subject = if subject.is_empty() {
            "Call".to_owned()
        } else {
            subject
        };
        let description = self
            .ctx()
            .value_text(prop(node, "Description").unwrap_or(&Value::Null))?;
        let id = self.add_activity(
            "2",
            "VOXIMPLANT_CALL",
            &subject,
            &description,
            start,
            responsible,
        );
        self.log(node, format!("created call {id}"), false);
        Ok(Flow::Continue)
    }

    /// `CBPCrmTimelineCommentAdd`: empty text is an error.
    fn comment(&mut self, node: &Value) -> StepResult {
        let text = self
            .ctx()
            .value_text(prop(node, "CommentText").unwrap_or(&Value::Null))?;
        if text.is_empty() {
            return Err(Step::Logged("the comment text is empty".into()));
        }
        let author = self
            .ctx()
            .users(prop(node, "CommentUser").unwrap_or(&Value::Null))?
            .first()
            .copied()
            .unwrap_or(0);
        let (kind, record) = (self.inst.kind, self.inst.record_id);
        let id = self.state.crm.allocate("comment");
        let row = json!({
            "ID": id.to_string(),
            "CREATED": crate::emulator::portal::iso8601(self.now),
            "ENTITY_ID": record,
            "ENTITY_TYPE": kind.name(),
            "AUTHOR_ID": author.to_string(),
            "COMMENT": text,
        });
        if let Value::Object(m) = row {
            self.state.crm.comments.insert(id, m);
        }
        Ok(Flow::Continue)
    }

    fn outbox(&mut self, node: &Value, channel: &str, to: Vec<Value>, extra: Map<String, Value>) {
        let e = &mut self.state.engine;
        e.last_outbox += 1;
        let mut entry = Map::new();
        entry.insert("id".into(), json!(e.last_outbox));
        entry.insert(
            "time".into(),
            json!(crate::emulator::portal::iso8601(self.now)),
        );
        entry.insert("channel".into(), json!(channel));
        entry.insert(
            "activity".into(),
            json!(node.get("Type").and_then(Value::as_str).unwrap_or("")),
        );
        entry.insert("workflow_id".into(), json!(self.inst.id));
        entry.insert("template_id".into(), json!(self.inst.template_id));
        entry.insert("document_id".into(), json!(self.inst.document_id));
        entry.insert("to".into(), Value::Array(to));
        entry.extend(extra);
        e.outbox.push(Value::Object(entry));
    }

    fn client(&self) -> Option<(Kind, u64)> {
        self.state.crm.client(self.inst.kind, self.inst.record_id)
    }

    fn client_entry(&self, kind: Kind, id: u64, address: &str) -> Value {
        json!({
            "type": kind.name(),
            "id": id,
            "name": self.state.crm.printable(kind, id).unwrap_or_default(),
            "address": address,
        })
    }

    fn user_entry(id: u64, address: Option<&str>) -> Value {
        let user = crm::user(id);
        json!({
            "type": "user",
            "id": id,
            "name": user.map(|u| format!("{} {}", u.name, u.last_name)).unwrap_or_default(),
            "address": address,
        })
    }

    /// `CBPImOpenLinesMessageActivity`: writes into the client's existing Open Channel
    /// chat (an `IM` entry starting with `imol|`); with none it logs an error.
    fn open_lines(&mut self, node: &Value) -> StepResult {
        let text = self
            .ctx()
            .value_text(prop(node, "MessageText").unwrap_or(&Value::Null))?;
        let system = prop(node, "IsSystem").and_then(Value::as_str) == Some("Y");
        let (kind, record) = (self.inst.kind, self.inst.record_id);
        let mut candidates = vec![];
        if let Some(c) = self.client() {
            candidates.push(c);
        }
        if matches!(kind, Kind::Deal | Kind::Quote | Kind::SmartInvoice)
            && let Some(cid) = self
                .state
                .crm
                .record(kind, record)
                .and_then(|r| r.get("COMPANY_ID"))
                .and_then(crm::as_u64)
        {
            candidates.push((Kind::Company, cid));
        }
        let chat = candidates.into_iter().find_map(|(k, id)| {
            let rec = self.state.crm.record(k, id)?;
            let code = crm::multi_values(rec.get("IM")?)
                .into_iter()
                .find(|v| v.starts_with("imol|"))?;
            Some((k, id, code))
        });
        let Some((k, id, code)) = chat else {
            return Err(Step::Logged(
                "the client has no Open Channel chat; message not sent".into(),
            ));
        };
        let connector = code.split('|').nth(1).unwrap_or("").to_owned();
        let mut extra = Map::new();
        extra.insert("connector".into(), json!(connector));
        extra.insert("text".into(), json!(text));
        extra.insert("system".into(), json!(system));
        let to = vec![self.client_entry(k, id, &code)];
        self.outbox(node, "openlines", to, extra);
        Ok(Flow::Continue)
    }

    /// `CBPCrmSendEmailActivity`: to the client's first (or last) e-mail; from
    /// `MessageFrom` or the responsible person's mailbox.
    fn email(&mut self, node: &Value) -> StepResult {
        let subject = self
            .ctx()
            .value_text(prop(node, "Subject").unwrap_or(&Value::Null))?;
        let text = self
            .ctx()
            .value_text(prop(node, "MessageText").unwrap_or(&Value::Null))?;
        let last = prop(node, "EmailSelectRule").and_then(Value::as_str) == Some("last");
        let Some((k, id)) = self.client() else {
            return Err(Step::Logged("the record has no client to e-mail".into()));
        };
        let emails = self
            .state
            .crm
            .record(k, id)
            .and_then(|r| r.get("EMAIL"))
            .map(crm::multi_values)
            .unwrap_or_default();
        let address = if last { emails.last() } else { emails.first() }.cloned();
        let Some(address) = address else {
            return Err(Step::Logged("the client has no e-mail address".into()));
        };
        let from = self
            .ctx()
            .value_text(prop(node, "MessageFrom").unwrap_or(&Value::Null))?;
        let from = if from.is_empty() {
            let assigned = self.ctx().users(&json!("author"))?.first().copied();
            assigned
                .and_then(crm::user)
                .map(|u| u.email.to_owned())
                .unwrap_or_default()
        } else {
            from
        };
        let mut extra = Map::new();
        extra.insert("from".into(), json!(from));
        extra.insert("subject".into(), json!(subject));
        extra.insert("text".into(), json!(text));
        let to = vec![self.client_entry(k, id, &address)];
        self.outbox(node, "email", to, extra);
        Ok(Flow::Continue)
    }

    /// `CBPCrmSendSmsActivity`: the client's phone, or for `RecipientType` user only the
    /// first user (`ExtractUsers(..., true)`).
    fn sms(&mut self, node: &Value) -> StepResult {
        let provider = self
            .ctx()
            .value_text(prop(node, "ProviderId").unwrap_or(&Value::Null))?;
        if provider.is_empty() {
            return Err(Step::Logged("ProviderId is empty".into()));
        }
        let text = self
            .ctx()
            .value_text(prop(node, "MessageText").unwrap_or(&Value::Null))?;
        let to = if prop(node, "RecipientType").and_then(Value::as_str) == Some("user") {
            let users = self
                .ctx()
                .users(prop(node, "RecipientUser").unwrap_or(&Value::Null))?;
            let Some(first) = users.first().copied() else {
                return Err(Step::Logged("no recipient user".into()));
            };
            Self::user_entry(first, crm::user(first).map(|u| u.phone))
        } else {
            let Some((k, id)) = self.client() else {
                return Err(Step::Logged("the record has no client to text".into()));
            };
            let Some(phone) = self.state.crm.first_multi(k, id, "PHONE") else {
                return Err(Step::Logged("the client has no phone number".into()));
            };
            self.client_entry(k, id, &phone)
        };
        let mut extra = Map::new();
        extra.insert("provider".into(), json!(provider));
        extra.insert("text".into(), json!(text));
        self.outbox(node, "sms", vec![to], extra);
        Ok(Flow::Continue)
    }

    /// `CBPIMNotifyActivity`: from the first `MessageUserFrom` user to every
    /// `MessageUserTo` user.
    fn notify(&mut self, node: &Value) -> StepResult {
        let from = self
            .ctx()
            .users(prop(node, "MessageUserFrom").unwrap_or(&Value::Null))?;
        let to = self
            .ctx()
            .users(prop(node, "MessageUserTo").unwrap_or(&Value::Null))?;
        let text = self
            .ctx()
            .value_text(prop(node, "MessageSite").unwrap_or(&Value::Null))?;
        self.user_message(node, "notification", &from, &to, &text)
    }

    /// Records a message from the first of `from` to each of `to` on `channel`; a
    /// message with no recipient stops the activity with the platform's log line.
    fn user_message(
        &mut self,
        node: &Value,
        channel: &str,
        from: &[u64],
        to: &[u64],
        text: &str,
    ) -> StepResult {
        if to.is_empty() {
            return Err(Step::Logged("no recipients".into()));
        }
        let mut extra = Map::new();
        extra.insert(
            "from".into(),
            from.first()
                .map_or(Value::Null, |u| Self::user_entry(*u, None)),
        );
        extra.insert("text".into(), json!(text));
        self.outbox(
            node,
            channel,
            to.iter().map(|u| Self::user_entry(*u, None)).collect(),
            extra,
        );
        Ok(Flow::Continue)
    }

    /// `CBPImMessageActivity`: a private chat message to each user.
    fn im_message(&mut self, node: &Value) -> StepResult {
        let from = self
            .ctx()
            .users(prop(node, "MessageUserFrom").unwrap_or(&Value::Null))?;
        let to = self
            .ctx()
            .users(prop(node, "MessageUserTo").unwrap_or(&Value::Null))?;
        let fields = prop(node, "MessageFields").cloned().unwrap_or(Value::Null);
        let text = self
            .ctx()
            .value_text(fields.get("MessageText").unwrap_or(&Value::Null))?;
        self.user_message(node, "im", &from, &to, &text)
    }

    /// `CBPWebHookActivity`: queues a POST of `document_id` to `Handler` (http or https,
    /// a host with a dot).
    fn webhook(&mut self, node: &Value) -> StepResult {
        let handler = self
            .ctx()
            .value_text(prop(node, "Handler").unwrap_or(&Value::Null))?;
        let ok = url::Url::parse(&handler)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .and_then(|u| u.host_str().map(|h| h.contains('.')))
            .unwrap_or(false);
        if !ok {
            return Err(Step::Logged(format!(
                "`{handler}` is not a valid handler URL"
            )));
        }
        let [m, e, _] = self.inst.kind.document_type();
        let body = format!(
            "document_id[0]={m}&document_id[1]={}&document_id[2]={}",
            e.replace('\\', "%5C"),
            self.inst.document_id
        );
        let mut extra = Map::new();
        extra.insert("method".into(), json!("POST"));
        extra.insert("text".into(), json!(body));
        self.outbox(
            node,
            "webhook",
            vec![json!({"type": "url", "id": null, "name": "", "address": handler})],
            extra,
        );
        Ok(Flow::Continue)
    }
}

fn is(node: &Value, ty: &str) -> bool {
    node.get("Type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case(ty))
}

fn prop_activated(node: &Value) -> Option<bool> {
    match node.get("Activated") {
        Some(Value::String(s)) => Some(!s.eq_ignore_ascii_case("N")),
        Some(Value::Bool(b)) => Some(*b),
        _ => None,
    }
}

/// `CCrmOwnerTypeAbbr`: the prefix of `UF_CRM_TASK` bindings.
fn owner_abbr(kind: Kind) -> &'static str {
    match kind {
        Kind::Lead => "L",
        Kind::Deal => "D",
        Kind::Contact => "C",
        Kind::Company => "CO",
        Kind::Quote => "Q",
        Kind::SmartInvoice => "SI",
    }
}

/// Why one activity did not complete.
pub(crate) enum Step {
    /// Stops the instance.
    Fail(String),
    /// An expression that did not resolve: stops the instance.
    Expr(ExprError),
    /// The activity failed and logged it; the workflow continues.
    Logged(String),
}

impl From<ExprError> for Step {
    fn from(e: ExprError) -> Step {
        Step::Expr(e)
    }
}

type StepResult = Result<Flow, Step>;
