//! The activities that add to a record's timeline: tasks (`Task2Activity`), to-dos,
//! calls and comments. Each binds what it creates to the running document the way its
//! platform class does, so a binding the platform cannot make fails here too.

use serde_json::{Map, Value, json};

use super::{Flow, Runner, Step, StepResult, prop};
use crate::emulator::crm::Kind;
use crate::emulator::dates;
use crate::emulator::engine::expr::ExprError;
use crate::emulator::portal::iso8601;

impl Runner<'_> {
    /// `CBPTask2Activity`: TITLE, CREATED_BY and RESPONSIBLE_ID required; a DEADLINE that
    /// `CheckDateTime` (site format) refuses is dropped and logged.
    pub(super) fn task(&mut self, node: &Value) -> StepResult {
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
            deadline.map_or(Value::Null, |d| json!(iso8601(d))),
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
        task.insert("createdDate".into(), json!(iso8601(self.now)));
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

    pub(super) fn add_activity(
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
        let iso = iso8601(time);
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
            "CREATED": iso8601(self.now),
        });
        if let Value::Object(m) = row {
            self.state.crm.activities.insert(id, m);
        }
        id
    }

    pub(super) fn responsible_or_assigned(&self, v: Option<&Value>) -> Result<u64, ExprError> {
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
    pub(super) fn todo(&mut self, node: &Value) -> StepResult {
        let description = self.text_prop(node, "Description")?;
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
    pub(super) fn call(&mut self, node: &Value) -> StepResult {
        let doc_id = self.inst.document_id.clone();
        let owner = doc_id.split('_').next().unwrap_or("");
        if !matches!(owner, "DEAL" | "LEAD" | "CONTACT" | "COMPANY" | "QUOTE") {
            return Err(Step::Logged(format!(
                "cannot bind the call to `{doc_id}`: owner type `{owner}` is unknown"
            )));
        }
        let start_text = self.text_prop(node, "StartTime")?;
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
        let subject = self.text_prop(node, "Subject")?;
        let subject = if subject.is_empty() {
            "Call".to_owned()
        } else {
            subject
        };
        let description = self.text_prop(node, "Description")?;
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
    pub(super) fn comment(&mut self, node: &Value) -> StepResult {
        let text = self.text_prop(node, "CommentText")?;
        if text.is_empty() {
            return Err(Step::Logged("the comment text is empty".into()));
        }
        let author = self
            .users_prop(node, "CommentUser")?
            .first()
            .copied()
            .unwrap_or(0);
        let (kind, record) = (self.inst.kind, self.inst.record_id);
        let id = self.state.crm.allocate("comment");
        let row = json!({
            "ID": id.to_string(),
            "CREATED": iso8601(self.now),
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
