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

use std::collections::BTreeMap;
use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::file::{self, Case, Event, Expect, Recipient};
use super::sandbox::{Error, Sandbox};
use crate::config::Config;
use crate::emulator::crm::Kind;

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

/// `YYYY-MM-DD` moved by `days` (proleptic Gregorian calendar).
fn shift_date(date: &str, days: i64) -> String {
    let part = |r: std::ops::Range<usize>| date.get(r).and_then(|p| p.parse::<i64>().ok());
    let (Some(y), Some(m), Some(d)) = (part(0..4), part(5..7), part(8..10)) else {
        return date.to_owned();
    };
    // Days from the civil date (H. Hinnant's algorithm) and back.
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let z = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy + days;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{m:02}-{d:02}", yoe + era * 400 + i64::from(m <= 2))
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
        for i in log
            .get("instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
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
        for i in log
            .get("instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
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
        for i in log
            .get("instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
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

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The action id an activity class stands for, when one catalog action maps to it.
fn action_of(activity: &str) -> String {
    let mut ids = crate::catalog::ACTIONS.iter().filter(|a| {
        matches!(a.mapping, crate::catalog::ActionMapping::Activity { activity: x, .. } if x.eq_ignore_ascii_case(activity))
    });
    match (ids.next(), ids.next()) {
        (Some(a), None) => a.id.to_owned(),
        _ => activity.to_owned(),
    }
}

fn outbox_effect(e: &Value, workflow: &str, responsible: Option<u64>) -> Effect {
    let to = e
        .get("to")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| {
            let kind = text_of(r.get("type"));
            let id = r.get("id").and_then(Value::as_u64).unwrap_or(0);
            let role = if kind == "user" {
                if Some(id) == responsible {
                    "responsible".to_owned()
                } else {
                    format!("user_{id}")
                }
            } else {
                "client".to_owned()
            };
            Recipient2 {
                kind,
                id,
                name: text_of(r.get("name")),
                role,
            }
        })
        .collect();
    let text = e.get("text").map(|v| text_of(Some(v)));
    let title = e.get("subject").map(|v| text_of(Some(v)));
    Effect {
        action: action_of(&text_of(e.get("activity"))),
        to,
        text,
        title,
        stage: None,
        field: None,
        value: None,
        workflow: workflow.to_owned(),
    }
}

/// What a log line says a workflow made: `created task 5`, `stage set to WON; …`.
async fn log_effect(sb: &Sandbox, line: &Value, workflow: &str) -> Result<Option<Effect>, Error> {
    if line.get("error").and_then(Value::as_bool) == Some(true) {
        return Ok(None);
    }
    let message = text_of(line.get("message"));
    let blank = |action: &str| Effect {
        action: action.to_owned(),
        to: Vec::new(),
        text: None,
        title: None,
        stage: None,
        field: None,
        value: None,
        workflow: workflow.to_owned(),
    };
    if let Some(stage) = message
        .strip_prefix("stage set to ")
        .and_then(|r| r.split(';').next())
    {
        let mut e = blank("move_stage");
        e.stage = Some(stage.to_owned());
        return Ok(Some(e));
    }
    let Some(rest) = message.strip_prefix("created ") else {
        return Ok(None);
    };
    let (what, id) = rest.rsplit_once(' ').unwrap_or((rest, ""));
    let id: u64 = id.parse().unwrap_or(0);
    let action = match what {
        "task" => "create_task",
        "to-do" => "set_reminder",
        "call" => "schedule_call",
        "deal" => "create_deal",
        "contact" => "create_contact",
        "company" => "create_company",
        "smart_invoice" => "create_invoice",
        "quote" => "create_quote",
        _ => return Ok(None),
    };
    let mut e = blank(action);
    if action == "create_task" {
        let task = sb.call("tasks.task.get", &json!({ "taskId": id })).await?;
        let task = task.get("task").cloned().unwrap_or(Value::Null);
        e.title = task.get("title").map(|v| text_of(Some(v)));
        e.text = task.get("description").map(|v| text_of(Some(v)));
        if let Some(r) = task
            .get("responsibleId")
            .and_then(crate::emulator::crm::as_u64)
        {
            let name = crate::emulator::crm::user(r)
                .map(|u| format!("{} {}", u.name, u.last_name))
                .unwrap_or_default();
            e.to.push(Recipient2 {
                kind: "user".into(),
                id: r,
                name,
                role: format!("user_{r}"),
            });
        }
    }
    Ok(Some(e))
}

/// Fields a workflow changed on the record during a step (not the event's own).
fn field_effects(
    kind: Kind,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    by_event: &Map<String, Value>,
) -> Vec<Effect> {
    let mut out = Vec::new();
    for (k, v) in after {
        let field = crate::emulator::crm::field(kind, k);
        if field.is_none_or(|f| f.read_only) || before.get(k) == Some(v) || by_event.contains_key(k)
        {
            continue;
        }
        if Some(k.as_str()) == kind.stage_field() || k == "CATEGORY_ID" {
            // A stage a workflow moved is in its log, with its name.
            continue;
        }
        let value = text_of(Some(v));
        let mut e = Effect {
            action: "update_field".into(),
            to: Vec::new(),
            text: None,
            title: None,
            stage: None,
            field: Some(k.clone()),
            value: Some(value.clone()),
            workflow: String::new(),
        };
        if k == "ASSIGNED_BY_ID" {
            e.action = "assign_responsible".into();
            e.field = None;
            e.value = None;
            let id: u64 = value.parse().unwrap_or(0);
            e.to.push(Recipient2 {
                kind: "user".into(),
                id,
                name: crate::emulator::crm::user(id)
                    .map(|u| format!("{} {}", u.name, u.last_name))
                    .unwrap_or_default(),
                role: format!("user_{id}"),
            });
        }
        out.push(e);
    }
    out
}

/// The record as a template saw it when the step started it: the record after the step,
/// with the fields the template itself sets (its `SetFieldActivity` targets, such as
/// the once-per-entry marker) back at their values before the step, unless the step's
/// event set them. Without this, the marker a template writes as it runs would show
/// the branch it took as failed.
fn as_started(
    tree: &Value,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    changed_by_event: &Map<String, Value>,
) -> Map<String, Value> {
    let mut written = Vec::new();
    walk(tree, &mut |node| {
        if node.get("Type").and_then(Value::as_str) == Some("SetFieldActivity")
            && let Some(fields) = node
                .pointer("/Properties/FieldValue")
                .and_then(Value::as_object)
        {
            written.extend(fields.keys().cloned());
        }
    });
    let mut doc = after.clone();
    for field in written {
        if changed_by_event.contains_key(&field) {
            continue;
        }
        match before.get(&field) {
            Some(v) => doc.insert(field, v.clone()),
            None => doc.remove(&field),
        };
    }
    doc
}

/// Every `fieldcondition` row in a tree, evaluated one by one on `doc`.
fn conditions_of(
    tree: &Value,
    doc: &Map<String, Value>,
    modified: Option<&[String]>,
) -> Vec<ConditionTrace> {
    let mut out = Vec::new();
    walk(tree, &mut |node| {
        let Some(rows) = node
            .pointer("/Properties/fieldcondition")
            .and_then(Value::as_array)
        else {
            return;
        };
        let guard = node
            .pointer("/Properties/Title")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        for row in rows {
            let Some(cells) = row.as_array() else {
                continue;
            };
            let cell = |i: usize| cells.get(i).map(|c| text_of(Some(c))).unwrap_or_default();
            let single = json!([[cells.first(), cells.get(1), cells.get(2), 0]]);
            let held = crate::emulator::engine::evaluate_fieldcondition(
                &single,
                doc,
                modified,
                crate::emulator::Core::Starter,
            );
            out.push(ConditionTrace {
                guard: guard.clone(),
                row: format!("{} {} {}", cell(0), cell(1), cell(2))
                    .trim_end()
                    .to_owned(),
                actual: doc
                    .get(&cell(0))
                    .map(|v| text_of(Some(v)))
                    .unwrap_or_default(),
                held,
            });
        }
    });
    out
}

fn walk(node: &Value, f: &mut dyn FnMut(&Value)) {
    if let Some(items) = node.as_array() {
        for item in items {
            walk(item, f);
        }
        return;
    }
    f(node);
    if let Some(kids) = node.get("Children").and_then(Value::as_array) {
        for k in kids {
            walk(k, f);
        }
    }
}

/// Whether one effect meets one expectation; `None` when it does, else why not.
pub fn mismatch(expect: &Expect, effect: &Effect, config: &Config) -> Option<String> {
    if expect.action != effect.action {
        return Some(format!(
            "action is {}, not {}",
            effect.action, expect.action
        ));
    }
    if let Some(to) = &expect.to {
        let ok = match Recipient::parse(to, config) {
            Ok(Recipient::Client) => {
                !effect.to.is_empty() && effect.to.iter().all(|r| r.role == "client")
            }
            Ok(Recipient::Responsible) => {
                !effect.to.is_empty() && effect.to.iter().all(|r| r.role == "responsible")
            }
            Ok(Recipient::Users(users)) => {
                let mut got: Vec<u64> = effect
                    .to
                    .iter()
                    .filter(|r| r.kind == "user")
                    .map(|r| r.id)
                    .collect();
                got.sort_unstable();
                got.dedup();
                got == users && effect.to.iter().all(|r| r.kind == "user")
            }
            Err(_) => false,
        };
        if !ok {
            return Some(format!("not sent to {to}"));
        }
    }
    if let Some(t) = &expect.text_contains
        && !effect
            .text
            .as_deref()
            .unwrap_or_default()
            .contains(t.as_str())
    {
        return Some(format!("text does not contain `{t}`"));
    }
    if let Some(t) = &expect.title
        && effect.title.as_deref() != Some(t.as_str())
    {
        return Some(format!("title is not `{t}`"));
    }
    if let Some(s) = &expect.stage
        && effect.stage.as_deref() != Some(s.as_str())
    {
        return Some(format!("stage is not {s}"));
    }
    if let Some(f) = &expect.field
        && effect.field.as_deref() != Some(f.as_str())
    {
        return Some(format!("field is not {f}"));
    }
    if let Some(v) = &expect.value
        && effect.value.as_deref() != Some(v.text().as_str())
    {
        return Some(format!("value is not `{}`", v.text()));
    }
    None
}

/// One line for an expected effect.
pub fn show_expect(e: &Expect) -> String {
    let mut s = e.action.clone();
    if let Some(to) = &e.to {
        let _ = write!(s, " to {to}");
    }
    if let Some(t) = &e.title {
        let _ = write!(s, " title {t:?}");
    }
    if let Some(t) = &e.text_contains {
        let _ = write!(s, " text contains {t:?}");
    }
    if let Some(t) = &e.stage {
        let _ = write!(s, " stage {t}");
    }
    if let Some(f) = &e.field {
        let _ = write!(s, " {f}");
    }
    if let Some(v) = &e.value {
        let _ = write!(s, " = {:?}", v.text());
    }
    s
}

/// One line for an actual effect.
pub fn show_effect(e: &Effect) -> String {
    let mut s = e.action.clone();
    if !e.to.is_empty() {
        let to: Vec<String> =
            e.to.iter()
                .map(|r| format!("{} ({})", r.role, r.name))
                .collect();
        let _ = write!(s, " to {}", to.join(", "));
    }
    if let Some(t) = &e.title {
        let _ = write!(s, " title {t:?}");
    }
    if let Some(t) = &e.text {
        let short: String = t.chars().take(60).collect();
        let more = if t.chars().count() > 60 { "…" } else { "" };
        let _ = write!(s, " text {:?}", format!("{short}{more}"));
    }
    if let Some(t) = &e.stage {
        let _ = write!(s, " stage {t}");
    }
    if let Some(f) = &e.field {
        let _ = write!(s, " {f}");
    }
    if let Some(v) = &e.value {
        let _ = write!(s, " = {v:?}");
    }
    s
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
