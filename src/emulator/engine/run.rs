//! Running one workflow instance: the activity tree walked in order, each activity
//! mirroring its platform class (cited per activity below).
//!
//! A run ends in one of four ways: completed, suspended by a `DelayActivity` (the path
//! to the delay is kept so the run resumes right after it), terminated (by
//! `CrmChangeStatusActivity`, as the platform does), or failed (an expression that does
//! not resolve, an unsupported activity); a failure stops the instance and is written to
//! its log, never to the emulator. Invariant: nothing here panics on any template.

use serde_json::Value;

mod messages;
mod records;
mod timeline;

use super::Instance;
use super::expr::{Ctx, ExprError};
use crate::emulator::crm::Kind;
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
            stages: crate::emulator::crm::StageBook(self.state.directory.as_ref()),
            kind: self.inst.kind,
            id: self.inst.record_id,
            now: self.now,
            date_format: &self.state.engine.options.date_format,
            workflow_id: &self.inst.id,
            started_by: self.inst.started_by,
        }
    }

    /// The text of the activity property `key`, its expressions resolved (an absent
    /// property is empty, as `ParseValue` gives for a missing key).
    fn text_prop(&self, node: &Value, key: &str) -> Result<String, ExprError> {
        self.ctx()
            .value_text(prop(node, key).unwrap_or(&Value::Null))
    }

    /// The users the activity property `key` names, resolved (`ExtractUsers`).
    fn users_prop(&self, node: &Value, key: &str) -> Result<Vec<u64>, ExprError> {
        self.ctx().users(prop(node, key).unwrap_or(&Value::Null))
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
