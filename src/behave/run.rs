//! Running cases against the [`Sandbox`]: each case's record is made, its events
//! happen over REST, and what the workflows did is read back as [`Effect`]s.
//!
//! Effects come from what the local portal recorded, never from the blueprint: the
//! outbox (messages, e-mails, SMS, notifications, webhook calls, each with its resolved
//! recipients and text), each instance's log (tasks, to-dos, calls and records created,
//! stage moves), and the record itself before and after each step (responsible person
//! and other fields a workflow set). Within a step, effects are listed per instance in
//! start order: its outbox entries first, then what its log reports, then the record's
//! field changes.
//!
//! Invariants: a case leaves no running instance behind (its waits are terminated), so
//! cases never see each other's effects; the outbox is emptied before each case.
//!
//! Layout: this file plays a case; `effects` reads back what the workflows did and
//! `compare` matches it against what the case expects.

mod compare;
mod effects;
pub use compare::{mismatch, show_effect, show_expect};

use effects::{as_started, conditions_of, field_effects, log_effect, outbox_effect, text_of};

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::file::{self, Case, Event};
use super::sandbox::{Error, Sandbox};
use crate::emulator::crm::Kind;
use crate::emulator::dates;

/// One thing a workflow did, as the local portal recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Effect {
    /// The catalog's action id.
    pub action: String,
    /// Who received it, as `client`, `responsible` or `user_<id>`, with names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Recipient2>,
    /// The final text (message, e-mail body, task description).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The task's title or the e-mail's subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The stage moved to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The field set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value it was set to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The template that did it.
    pub workflow: String,
}

/// A resolved recipient of an effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Recipient2 {
    /// `contact`, `company`, `lead` or `user`.
    pub kind: String,
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// `client`, `responsible`, or `user_<id>`.
    pub role: String,
}

/// How an instance went, for the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct InstanceTrace {
    /// The template's name.
    pub template: String,
    /// `DEAL_5`.
    pub document: String,
    /// `running` (waiting), `completed`, `terminated`, `failed`.
    pub status: String,
    /// The changed-field list the start passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_fields: Option<Vec<String>>,
    /// The condition rows the template checks, evaluated on the record after the step
    /// with the fields the template sets itself as they were before it (as it saw the
    /// record when it started).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionTrace>,
    /// Its new log lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log: Vec<String>,
}

/// One condition row and whether it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ConditionTrace {
    /// The branch or loop it guards.
    pub guard: String,
    /// `FIELD operator value`.
    pub row: String,
    /// The record's value of the field.
    pub actual: String,
    /// Whether the row held.
    pub held: bool,
}

/// What one step (create, change, wait) did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Step {
    /// The event, in the test file's words.
    pub event: String,
    /// The record was made before the case's events: its effects are shown, not
    /// compared.
    pub setup: bool,
    /// Instances that started or moved on in this step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub instances: Vec<InstanceTrace>,
    /// Starts the portal refused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<String>,
    /// The effects of this step.
    pub effects: Vec<Effect>,
}

/// Everything a case (or a simulation) did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Trace {
    /// The record's document id.
    pub document: String,
    /// One entry per step.
    pub steps: Vec<Step>,
}

impl Trace {
    /// Every effect, in order.
    pub fn effects(&self) -> Vec<Effect> {
        self.steps
            .iter()
            .filter(|s| !s.setup)
            .flat_map(|s| s.effects.clone())
            .collect()
    }
}

/// The client contact a case gets unless it says otherwise.
fn client_fields() -> Value {
    json!({
        "NAME": "Ivy", "LAST_NAME": "Client",
        "PHONE": [{"VALUE": "+15550001", "VALUE_TYPE": "WORK"}],
        "EMAIL": [{"VALUE": "ivy@client.test", "VALUE_TYPE": "WORK"}],
        "IM": [{"VALUE": "imol|whatsappbyedna|1|ivy|7", "VALUE_TYPE": "IMOL"}],
    })
}

/// The responsible person a record gets unless the case sets one: user 2, Sam Seller.
const DEFAULT_RESPONSIBLE: &str = "2";

/// Plays `case` on a record of `kind`; `templates` names the conditions to trace
/// (template name and tree).
pub async fn play(
    sb: &Sandbox,
    kind: Kind,
    case: &Case,
    templates: &[(String, Value)],
) -> Result<Trace, Error> {
    sb.call("b24flow.outbox.clear", &json!({})).await?;
    let mut watch = Watch::new(sb).await?;
    let today = sb.today().await?;
    let mut record = dated(kind, file::fields_json(&case.record), &today);
    record
        .entry("ASSIGNED_BY_ID")
        .or_insert_with(|| json!(DEFAULT_RESPONSIBLE));
    if case.client
        && matches!(kind, Kind::Deal | Kind::Quote | Kind::SmartInvoice)
        && !record.contains_key("CONTACT_ID")
    {
        let id = sb
            .call("crm.contact.add", &json!({ "fields": client_fields() }))
            .await?;
        record.insert(
            "CONTACT_ID".into(),
            json!(id.as_u64().unwrap_or(0).to_string()),
        );
        // Making the contact may start contact workflows: they are part of the setup.
        watch.skip(sb).await?;
    }
    let mut events: &[Event] = &case.events;
    // The fields as the case wrote them, so a trace says what record it played.
    let mut written = case.record.clone();
    let mut setup = true;
    if let Some(Event::Create(extra)) = events.first() {
        setup = false;
        record.extend(dated(kind, file::fields_json(extra), &today));
        written.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        events = &events[1..];
    }
    let mut create_event = "create".to_owned();
    if !written.is_empty() {
        create_event.push(' ');
        create_event.push_str(&show_map(&written));
    }
    if setup {
        create_event.push_str(" (before the events)");
    }
    let id = create(sb, kind, &record).await?;
    let document = kind.document_id(id);
    let mut steps = Vec::new();
    let mut before = get(sb, kind, id).await?;
    let mut first = watch
        .step(sb, create_event, kind, id, &before, &Map::new(), templates)
        .await?;
    first.setup = setup;
    steps.push(first);
    for event in events {
        before = get(sb, kind, id).await?;
        let (text, changed) = match event {
            Event::Create(_) => unreachable!("refused by the file check"),
            Event::Change(m) => {
                let fields = dated(kind, file::fields_json(m), &sb.today().await?);
                update(sb, kind, id, &fields).await?;
                (format!("change {}", show_map(m)), fields)
            }
            Event::Wait(w) => {
                sb.advance(file::wait_seconds(w).unwrap_or(0)).await?;
                (format!("wait {w}"), Map::new())
            }
        };
        steps.push(
            watch
                .step(sb, text, kind, id, &before, &changed, templates)
                .await?,
        );
    }
    watch.finish(sb).await?;
    Ok(Trace { document, steps })
}

/// Date fields written `today`, `today+3d` or `today-1d` become that date on the
/// portal's clock (`YYYY-MM-DD`), so a test file does not go stale with the calendar.
fn dated(kind: Kind, fields: Map<String, Value>, today: &str) -> Map<String, Value> {
    use crate::emulator::crm::FieldType;
    fields
        .into_iter()
        .map(|(k, v)| {
            let is_date = crate::emulator::crm::field(kind, &k)
                .is_some_and(|f| matches!(f.ty, FieldType::Date | FieldType::DateTime));
            let v = match (is_date, v.as_str().and_then(relative_days)) {
                (true, Some(days)) => json!(shift_date(today, days)),
                _ => v,
            };
            (k, v)
        })
        .collect()
}

/// `today` → 0, `today+3d` → 3, `today-1d` → -1.
pub(crate) fn relative_days(text: &str) -> Option<i64> {
    let rest = text.trim().strip_prefix("today")?;
    if rest.is_empty() {
        return Some(0);
    }
    let (sign, n) = match rest.split_at(1) {
        ("+", n) => (1, n),
        ("-", n) => (-1, n),
        _ => return None,
    };
    let n: i64 = n.strip_suffix('d')?.parse().ok()?;
    (n <= 36_500).then_some(sign * n)
}

/// `YYYY-MM-DD` moved by `days` (proleptic Gregorian calendar); text that is not such
/// a date is kept as it is.
fn shift_date(date: &str, days: i64) -> String {
    let part = |r: std::ops::Range<usize>| date.get(r).and_then(|p| p.parse::<i64>().ok());
    let (Some(y), Some(m), Some(d)) = (part(0..4), part(5..7), part(8..10)) else {
        return date.to_owned();
    };
    let (y, m, d) = dates::civil_from_days(dates::days_from_civil(y, m, d) + days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn show_map(m: &BTreeMap<String, file::Scalar>) -> String {
    let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}={}", v.text())).collect();
    parts.join(", ")
}

async fn create(sb: &Sandbox, kind: Kind, fields: &Map<String, Value>) -> Result<u64, Error> {
    let r = if item(kind) {
        let r = sb
            .call(
                "crm.item.add",
                &json!({"entityTypeId": kind.entity_type_id(), "fields": camel(fields)}),
            )
            .await?;
        r.pointer("/item/id").cloned().unwrap_or(Value::Null)
    } else {
        sb.call(
            &format!("crm.{}.add", kind.name()),
            &json!({ "fields": fields }),
        )
        .await?
    };
    Ok(crate::emulator::crm::as_u64(&r).unwrap_or(0))
}

async fn update(
    sb: &Sandbox,
    kind: Kind,
    id: u64,
    fields: &Map<String, Value>,
) -> Result<(), Error> {
    if item(kind) {
        sb.call(
            "crm.item.update",
            &json!({"entityTypeId": kind.entity_type_id(), "id": id, "fields": camel(fields)}),
        )
        .await?;
    } else {
        sb.call(
            &format!("crm.{}.update", kind.name()),
            &json!({"id": id, "fields": fields}),
        )
        .await?;
    }
    Ok(())
}

/// The record as upper-case fields, every value text.
async fn get(sb: &Sandbox, kind: Kind, id: u64) -> Result<Map<String, Value>, Error> {
    let raw = if item(kind) {
        let r = sb
            .call(
                "crm.item.get",
                &json!({"entityTypeId": kind.entity_type_id(), "id": id}),
            )
            .await?;
        let item = r
            .get("item")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        item.into_iter()
            .filter_map(|(k, v)| {
                crate::emulator::crm::rest::to_upper(&k).map(|u| (u.to_owned(), v))
            })
            .collect()
    } else {
        sb.call(&format!("crm.{}.get", kind.name()), &json!({ "id": id }))
            .await?
            .as_object()
            .cloned()
            .unwrap_or_default()
    };
    Ok(raw
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => Value::String(s),
                Value::Null => Value::String(String::new()),
                Value::Number(n) => Value::String(n.to_string()),
                other => other,
            };
            (k, text)
        })
        .collect())
}

/// The instances in a `b24flow.workflow.log` reply.
fn instances_of(log: &Value) -> impl Iterator<Item = &Value> {
    log.get("instances")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn item(kind: Kind) -> bool {
    matches!(kind, Kind::Quote | Kind::SmartInvoice)
}

fn camel(fields: &Map<String, Value>) -> Map<String, Value> {
    fields
        .iter()
        .map(|(k, v)| (crate::emulator::crm::rest::to_camel(k), v.clone()))
        .collect()
}

/// What has been seen of the portal's records of work: outbox ids and log lengths.
#[allow(clippy::struct_field_names)] // each says what was seen
struct Watch {
    outbox_seen: u64,
    log_seen: BTreeMap<String, usize>,
    status_seen: BTreeMap<String, String>,
    refused_seen: usize,
}

impl Watch {
    async fn new(sb: &Sandbox) -> Result<Watch, Error> {
        let mut w = Watch {
            outbox_seen: 0,
            log_seen: BTreeMap::new(),
            status_seen: BTreeMap::new(),
            refused_seen: 0,
        };
        w.skip(sb).await?;
        Ok(w)
    }

    /// Marks everything so far as seen.
    async fn skip(&mut self, sb: &Sandbox) -> Result<(), Error> {
        let outbox = sb.call("b24flow.outbox.list", &json!({})).await?;
        if let Some(last) = outbox.as_array().and_then(|a| a.last()) {
            self.outbox_seen = last.get("id").and_then(Value::as_u64).unwrap_or(0);
        }
        let log = sb.call("b24flow.workflow.log", &json!({})).await?;
        for i in instances_of(&log) {
            let id = i.get("id").and_then(Value::as_str).unwrap_or_default();
            let n = i.get("log").and_then(Value::as_array).map_or(0, Vec::len);
            self.log_seen.insert(id.to_owned(), n);
            self.status_seen
                .insert(id.to_owned(), text_of(i.get("status")));
        }
        self.refused_seen = log
            .get("refused")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        Ok(())
    }

    /// Ends the case: instances still waiting are terminated, so a later case's wait
    /// does not resume them.
    async fn finish(&mut self, sb: &Sandbox) -> Result<(), Error> {
        let log = sb.call("b24flow.workflow.log", &json!({})).await?;
        for i in instances_of(&log) {
            if i.get("status").and_then(Value::as_str) == Some("running")
                && let Some(id) = i.get("id").and_then(Value::as_str)
            {
                sb.call(
                    "bizproc.workflow.terminate",
                    &json!({"ID": id, "STATUS": "end of test case"}),
                )
                .await?;
            }
        }
        self.skip(sb).await
    }

    #[allow(clippy::too_many_arguments)] // one step's facts, each from a different read
    async fn step(
        &mut self,
        sb: &Sandbox,
        event: String,
        kind: Kind,
        id: u64,
        before: &Map<String, Value>,
        changed_by_event: &Map<String, Value>,
        templates: &[(String, Value)],
    ) -> Result<Step, Error> {
        let after = get(sb, kind, id).await?;
        let outbox = sb.call("b24flow.outbox.list", &json!({})).await?;
        let fresh: Vec<Value> = outbox
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e.get("id").and_then(Value::as_u64).unwrap_or(0) > self.outbox_seen)
            .cloned()
            .collect();
        let log = sb.call("b24flow.workflow.log", &json!({})).await?;
        let responsible = after
            .get("ASSIGNED_BY_ID")
            .and_then(crate::emulator::crm::as_u64);
        let mut effects = Vec::new();
        let mut instances = Vec::new();
        let mut names: BTreeMap<u64, String> = BTreeMap::new();
        for i in instances_of(&log) {
            let iid = i
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let lines = i
                .get("log")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let seen = self.log_seen.get(&iid).copied();
            let template = text_of(i.get("template_name"));
            if let Some(t) = i.get("template_id").and_then(Value::as_u64) {
                names.insert(t, template.clone());
            }
            let new_lines = &lines[seen.unwrap_or(0).min(lines.len())..];
            let status = text_of(i.get("status"));
            let mails = fresh.iter().any(|e| text_of(e.get("workflow_id")) == iid);
            let moved = self.status_seen.get(&iid) != Some(&status);
            if seen.is_some() && new_lines.is_empty() && !mails && !moved {
                continue;
            }
            self.status_seen.insert(iid.clone(), status.clone());
            for e in fresh
                .iter()
                .filter(|e| text_of(e.get("workflow_id")) == iid)
            {
                effects.push(outbox_effect(e, &template, responsible));
            }
            for line in new_lines {
                if let Some(e) = log_effect(sb, line, &template).await? {
                    effects.push(e);
                }
            }
            let doc = text_of(i.get("document_id"));
            let conditions = if doc == kind.document_id(id) {
                templates
                    .iter()
                    .find(|(n, _)| *n == template)
                    .map(|(_, tree)| {
                        let modified: Option<Vec<String>> =
                            i.get("modified_fields").and_then(Value::as_array).map(|a| {
                                a.iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_owned)
                                    .collect()
                            });
                        let seen = as_started(tree, before, &after, changed_by_event);
                        conditions_of(tree, &seen, modified.as_deref())
                    })
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            instances.push(InstanceTrace {
                template,
                document: doc,
                status,
                modified_fields: i.get("modified_fields").and_then(Value::as_array).map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                }),
                conditions,
                log: new_lines
                    .iter()
                    .map(|l| {
                        let mark = if l.get("error").and_then(Value::as_bool) == Some(true) {
                            "error: "
                        } else {
                            ""
                        };
                        format!(
                            "{}: {mark}{}",
                            text_of(l.get("activity")),
                            text_of(l.get("message"))
                        )
                    })
                    .collect(),
            });
            self.log_seen.insert(iid, lines.len());
        }
        // Outbox entries of instances not in the log (none expected) still count.
        for e in &fresh {
            let wid = text_of(e.get("workflow_id"));
            if !self.log_seen.contains_key(&wid) {
                let t = e.get("template_id").and_then(Value::as_u64).unwrap_or(0);
                let name = names.get(&t).cloned().unwrap_or_default();
                effects.push(outbox_effect(e, &name, responsible));
            }
        }
        effects.extend(field_effects(kind, before, &after, changed_by_event));
        for r in effects.iter_mut().flat_map(|e| e.to.iter_mut()) {
            if r.kind == "user" && Some(r.id) == responsible {
                r.role = "responsible".into();
            }
        }
        if let Some(last) = fresh.last() {
            self.outbox_seen = last
                .get("id")
                .and_then(Value::as_u64)
                .unwrap_or(self.outbox_seen);
        }
        let refused_all = log
            .get("refused")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let refused = refused_all
            .iter()
            .skip(self.refused_seen)
            .map(Value::to_string)
            .collect();
        self.refused_seen = refused_all.len();
        Ok(Step {
            event,
            setup: false,
            instances,
            refused,
            effects,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_see_the_record_as_the_template_started_on_it() {
        let tree = json!([{"Type": "SequentialWorkflowActivity", "Children": [
            {"Type": "SetFieldActivity", "Properties": {"FieldValue": {"UF_MARK": "Y"}}},
        ]}]);
        let before = json!({"STAGE_ID": "NEW", "TITLE": "a"});
        let after = json!({"STAGE_ID": "WON", "TITLE": "a", "UF_MARK": "Y"});
        let seen = as_started(
            &tree,
            before.as_object().unwrap(),
            after.as_object().unwrap(),
            &Map::new(),
        );
        assert_eq!(
            Value::Object(seen),
            json!({"STAGE_ID": "WON", "TITLE": "a"})
        );
        // A field the event itself set is kept as set.
        let event = json!({"UF_MARK": "Y"});
        let seen = as_started(
            &tree,
            before.as_object().unwrap(),
            after.as_object().unwrap(),
            event.as_object().unwrap(),
        );
        assert_eq!(seen.get("UF_MARK"), Some(&json!("Y")));
    }

    #[test]
    fn relative_dates_move_on_the_calendar() {
        assert_eq!(relative_days("today"), Some(0));
        assert_eq!(relative_days("today+3d"), Some(3));
        assert_eq!(relative_days("today-1d"), Some(-1));
        assert_eq!(relative_days("tomorrow"), None);
        assert_eq!(relative_days("today+3"), None);
        assert_eq!(shift_date("2026-12-31", 1), "2027-01-01");
        assert_eq!(shift_date("2028-02-28", 1), "2028-02-29");
        assert_eq!(shift_date("2026-03-01", -1), "2026-02-28");
    }
}
