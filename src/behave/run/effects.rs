//! Reading back what the workflows did: outbox entries, instance-log lines and field
//! changes turned into [`Effect`]s (the action id from the activity class through the
//! catalog), and the conditions each instance's template evaluated, for the trace.

use super::{ConditionTrace, Effect, Recipient2};
use crate::behave::sandbox::{Error, Sandbox};
use crate::emulator::crm::Kind;
use serde_json::{Map, Value, json};

pub(super) fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The action id an activity class stands for, when one catalog action maps to it.
pub(super) fn action_of(activity: &str) -> String {
    let mut ids = crate::catalog::ACTIONS.iter().filter(|a| {
        matches!(a.mapping, crate::catalog::ActionMapping::Activity { activity: x, .. } if x.eq_ignore_ascii_case(activity))
    });
    match (ids.next(), ids.next()) {
        (Some(a), None) => a.id.to_owned(),
        _ => activity.to_owned(),
    }
}

pub(super) fn outbox_effect(e: &Value, workflow: &str, responsible: Option<u64>) -> Effect {
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
pub(super) async fn log_effect(
    sb: &Sandbox,
    line: &Value,
    workflow: &str,
) -> Result<Option<Effect>, Error> {
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
pub(super) fn field_effects(
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

/// Every `fieldcondition` row in a tree, evaluated one by one on `doc`.
pub(super) fn conditions_of(
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

pub(super) fn walk(node: &Value, f: &mut dyn FnMut(&Value)) {
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
