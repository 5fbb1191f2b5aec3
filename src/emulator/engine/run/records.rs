//! The activities that write CRM records: `SetFieldActivity`, the stage and
//! responsible changes, and the create-document activities. Every write goes through
//! the CRM's own update and create paths with the workflow as its origin, so the events
//! and the chaining rules apply exactly as for a REST write.

use serde_json::{Map, Value, json};

use super::{Flow, Runner, Step, StepResult, prop};
use crate::emulator::crm::rest::{self as crm_rest, Origin};
use crate::emulator::crm::{self, FieldType, Kind};
use crate::emulator::dates;
use crate::emulator::engine::Core;
use crate::emulator::portal::{RestError, iso8601};

impl Runner<'_> {
    /// Resolves a `Fields`-style map for a record of `kind`: user fields take the first
    /// user, dates are read in the site format, everything else is text.
    pub(super) fn resolve_fields(
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
                        Some(t) => json!(iso8601(t)),
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
    pub(super) fn set_field(&mut self, node: &Value) -> StepResult {
        let raw = prop(node, "FieldValue").cloned().unwrap_or(Value::Null);
        let (kind, id) = (self.inst.kind, self.inst.record_id);
        let fields = self.resolve_fields(node, kind, &raw, None)?;
        if fields.is_empty() {
            return Ok(Flow::Continue);
        }
        self.write_record(kind, id, &fields)
            .map_err(|e| Step::Logged(e.description))?;
        Ok(Flow::Continue)
    }

    /// `CBPCrmChangeStatusActivity`: moves the record to `TargetStatus` and terminates
    /// the workflow. The older crm handled only deals and leads (quotes and smart
    /// invoices: nothing happens, the workflow still ends); newer ones refuse a stage of
    /// another pipeline.
    pub(super) fn change_status(&mut self, node: &Value) -> StepResult {
        let target = self.text_prop(node, "TargetStatus")?;
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
        if crm::StageBook(self.state.directory.as_ref()).category_of(kind, &target)
            != Some(current_cat)
        {
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
            if let Err(e) = self.write_record(kind, id, &fields) {
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
    pub(super) fn change_responsible(&mut self, node: &Value) -> StepResult {
        let users = self.users_prop(node, "Responsible")?;
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
            self.write_record(kind, id, &fields)
                .map_err(|e| Step::Logged(e.description))?;
        }
        Ok(Flow::Continue)
    }

    /// `CBPCreateCrm{Deal,Contact,Company}DocumentActivity`.
    pub(super) fn create_document(&mut self, node: &Value, kind: Kind) -> StepResult {
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
        self.create_record(node, kind, &fields)
    }

    /// `CBPCrmCreateDynamicActivity`: `DynamicEntitiesFields` keys are `<typeId>_<FIELD>`;
    /// only non-empty values are sent.
    pub(super) fn create_dynamic(&mut self, node: &Value) -> StepResult {
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
        self.create_record(node, kind, &fields)
    }

    /// Writes `fields` to the record through the CRM's update path, as a change made
    /// inside a workflow (`Origin::Workflow`: no chaining unless the portal allows it).
    fn write_record(
        &mut self,
        kind: Kind,
        id: u64,
        fields: &Map<String, Value>,
    ) -> Result<(), RestError> {
        crm_rest::update_record(
            self.state,
            kind,
            id,
            fields,
            Origin::Workflow,
            self.inst.started_by,
            self.now,
        )
    }

    /// Creates a record through the CRM's add path, as a workflow does, and logs its id;
    /// a refusal is logged and the workflow goes on.
    fn create_record(
        &mut self,
        node: &Value,
        kind: Kind,
        fields: &Map<String, Value>,
    ) -> StepResult {
        let id = crm_rest::create_record(
            self.state,
            kind,
            fields,
            Origin::Workflow,
            self.inst.started_by,
            self.now,
        )
        .map_err(|e| Step::Logged(e.description))?;
        self.log(node, format!("created {} {id}", kind.name()), false);
        Ok(Flow::Continue)
    }
}
