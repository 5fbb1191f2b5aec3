//! The activities that send messages: Open Channels, e-mail, SMS, notifications, chat
//! and webhooks. None of them leaves the machine: each writes one entry to the portal's
//! outbox (`b24flow.outbox.list`) with the recipients the platform class would reach.

use serde_json::{Map, Value, json};

use super::{Flow, Runner, Step, StepResult, prop};
use crate::emulator::crm::{self, Kind};
use crate::emulator::portal::iso8601;

impl Runner<'_> {
    pub(super) fn outbox(
        &mut self,
        node: &Value,
        channel: &str,
        to: Vec<Value>,
        extra: Map<String, Value>,
    ) {
        let e = &mut self.state.engine;
        e.last_outbox += 1;
        let mut entry = Map::new();
        entry.insert("id".into(), json!(e.last_outbox));
        entry.insert("time".into(), json!(iso8601(self.now)));
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

    pub(super) fn client(&self) -> Option<(Kind, u64)> {
        self.state.crm.client(self.inst.kind, self.inst.record_id)
    }

    pub(super) fn client_entry(&self, kind: Kind, id: u64, address: &str) -> Value {
        json!({
            "type": kind.name(),
            "id": id,
            "name": self.state.crm.printable(kind, id).unwrap_or_default(),
            "address": address,
        })
    }

    pub(super) fn user_entry(id: u64, address: Option<&str>) -> Value {
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
    pub(super) fn open_lines(&mut self, node: &Value) -> StepResult {
        let text = self.text_prop(node, "MessageText")?;
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
    pub(super) fn email(&mut self, node: &Value) -> StepResult {
        let subject = self.text_prop(node, "Subject")?;
        let text = self.text_prop(node, "MessageText")?;
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
        let from = self.text_prop(node, "MessageFrom")?;
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
    pub(super) fn sms(&mut self, node: &Value) -> StepResult {
        let provider = self.text_prop(node, "ProviderId")?;
        if provider.is_empty() {
            return Err(Step::Logged("ProviderId is empty".into()));
        }
        let text = self.text_prop(node, "MessageText")?;
        let to = if prop(node, "RecipientType").and_then(Value::as_str) == Some("user") {
            let users = self.users_prop(node, "RecipientUser")?;
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
    pub(super) fn notify(&mut self, node: &Value) -> StepResult {
        let from = self.users_prop(node, "MessageUserFrom")?;
        let to = self.users_prop(node, "MessageUserTo")?;
        let text = self.text_prop(node, "MessageSite")?;
        self.user_message(node, "notification", &from, &to, &text)
    }

    /// Records a message from the first of `from` to each of `to` on `channel`; a
    /// message with no recipient stops the activity with the platform's log line.
    pub(super) fn user_message(
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
    pub(super) fn im_message(&mut self, node: &Value) -> StepResult {
        let from = self.users_prop(node, "MessageUserFrom")?;
        let to = self.users_prop(node, "MessageUserTo")?;
        let fields = prop(node, "MessageFields").cloned().unwrap_or(Value::Null);
        let text = self
            .ctx()
            .value_text(fields.get("MessageText").unwrap_or(&Value::Null))?;
        self.user_message(node, "im", &from, &to, &text)
    }

    /// `CBPWebHookActivity`: queues a POST of `document_id` to `Handler` (http or https,
    /// a host with a dot).
    pub(super) fn webhook(&mut self, node: &Value) -> StepResult {
        let handler = self.text_prop(node, "Handler")?;
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
