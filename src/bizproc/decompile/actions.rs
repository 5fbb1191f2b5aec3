//! One action activity back to the blueprint action it was lowered from: the inverse
//! of `lower`'s `messaging`, `tasks`, `crm` and `http` builders, and of the value rules in
//! `resolve` (smart variables, recipients, dates, priorities).
//!
//! Each inverse reads only the properties that carry the blueprint's values; the other
//! properties (titles, flags, the channels) are checked afterwards, when the recovered
//! blueprint is lowered again and compared with the tree (see [`super::decompile`]).

use crate::bizproc::php::Value;
use crate::bizproc::template::Activity;
use crate::blueprint::Action;
use crate::catalog::{self, Entity};

/// Why an activity does not read back as an action.
pub(super) type Miss = String;

/// The action `a` was lowered from on `entity`, or why it was not lowered from one.
pub(super) fn action(a: &Activity, entity: Entity) -> Result<Action, Miss> {
    let text = |key: &str| -> Result<String, Miss> {
        a.property(key)
            .and_then(Value::as_str)
            .map(|s| variables(s, entity))
            .ok_or_else(|| format!("{} `{}` has no text {key}", a.type_, a.name))
    };
    let users = |key: &str| -> Result<String, Miss> {
        recipients(a.property(key), entity)
            .ok_or_else(|| format!("{} `{}` has no user list {key}", a.type_, a.name))
    };
    let raw = |key: &str| -> Result<&str, Miss> {
        a.property(key)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{} `{}` has no text {key}", a.type_, a.name))
    };
    let make = |kind: &str, fields: Vec<(&str, String)>| Action::new(kind, fields);
    let action = match a.type_.as_str() {
        "ImOpenLinesMessageActivity" => make(
            "send_whatsapp",
            vec![
                ("to", "{{CONTACT_PHONE}}".into()),
                ("message", text("MessageText")?),
            ],
        ),
        "CrmSendEmailActivity" => make(
            "send_email",
            vec![
                ("to", "{{CONTACT_EMAIL}}".into()),
                ("subject", text("Subject")?),
                ("body", text("MessageText")?),
            ],
        ),
        "CrmSendSmsActivity" => {
            let to = match a.property("RecipientType").and_then(Value::as_str) {
                Some("entity") => "{{CONTACT_PHONE}}".to_owned(),
                Some("user") => users("RecipientUser")?,
                _ => return Err(format!("SMS `{}` has an unknown RecipientType", a.name)),
            };
            make(
                "send_sms",
                vec![("to", to), ("message", text("MessageText")?)],
            )
        }
        "IMNotifyActivity" => make(
            "send_notification",
            vec![
                ("to", users("MessageUserTo")?),
                ("message", text("MessageSite")?),
            ],
        ),
        "ImMessageActivity" => {
            let message = a
                .property("MessageFields")
                .and_then(|f| f.get("MessageText"))
                .and_then(Value::as_str)
                .map(|s| variables(s, entity))
                .ok_or_else(|| format!("chat message `{}` has no MessageText", a.name))?;
            make(
                "send_bitrix_message",
                vec![("to", users("MessageUserTo")?), ("message", message)],
            )
        }
        "Task2Activity" => task(a, entity)?,
        "CrmCreateToDoActivity" => {
            let mut fields = vec![
                ("title", text("Description")?),
                ("assignee", users("Responsible")?),
            ];
            if let Some(when) = datetime(raw("Deadline")?, entity) {
                fields.push(("datetime", when));
            }
            make("set_reminder", fields)
        }
        "CrmCreateCallActivity" => {
            let mut fields = vec![
                ("to", "{{CONTACT_PHONE}}".to_owned()),
                ("assignee", users("Responsible")?),
            ];
            if let Some(when) = datetime(raw("StartTime")?, entity) {
                fields.push(("datetime", when));
            }
            make("schedule_call", fields)
        }
        "CreateCrmDealDocumentActivity" => {
            let f = a.property("Fields");
            let get = |k: &str| field_text(f, k, entity);
            let mut fields = vec![(
                "title",
                get("TITLE").ok_or_else(|| format!("new deal `{}` has no TITLE", a.name))?,
            )];
            if let Some(who) = get("ASSIGNED_BY_ID") {
                fields.push(("assignee", who));
            }
            if let Some(stage) = get("STAGE_ID") {
                fields.push(("stage", stage));
            }
            make("create_deal", fields)
        }
        "CreateCrmContactDocumentActivity" => {
            let f = a.property("Fields");
            let first = field_text(f, "NAME", entity);
            let last = field_text(f, "LAST_NAME", entity);
            let (Some(first), Some(last)) = (first, last) else {
                return Err(format!("new contact `{}` lacks NAME or LAST_NAME", a.name));
            };
            make("create_contact", vec![("title", format!("{first} {last}"))])
        }
        "CreateCrmCompanyDocumentActivity" => {
            let title = field_text(a.property("Fields"), "TITLE", entity)
                .ok_or_else(|| format!("new company `{}` has no TITLE", a.name))?;
            make("create_company", vec![("title", title)])
        }
        "CrmCreateDynamicActivity" => dynamic(a, entity)?,
        "SetFieldActivity" => {
            let Some(Value::Array(entries)) = a.property("FieldValue") else {
                return Err(format!("SetFieldActivity `{}` has no FieldValue", a.name));
            };
            let [(key, Value::Str(value))] = entries.as_slice() else {
                return Err(format!(
                    "SetFieldActivity `{}` does not set exactly one text field",
                    a.name
                ));
            };
            make(
                "update_field",
                vec![
                    ("field", key.to_json_key()),
                    ("value", variables(value, entity)),
                ],
            )
        }
        "CrmChangeResponsibleActivity" => make(
            "assign_responsible",
            vec![("assignee", users("Responsible")?)],
        ),
        "CrmChangeStatusActivity" => make("move_stage", vec![("stage", text("TargetStatus")?)]),
        "CrmTimelineCommentAdd" => make("add_comment", vec![("message", text("CommentText")?)]),
        "WebHookActivity" => make("webhook", vec![("url", text("Handler")?)]),
        other => return Err(format!("activity `{other}` is not one b24flow writes")),
    };
    Ok(action)
}

/// tasks `Task2Activity`: TITLE, RESPONSIBLE_ID, and DESCRIPTION, DEADLINE, PRIORITY
/// when the blueprint had them.
fn task(a: &Activity, entity: Entity) -> Result<Action, Miss> {
    let f = a.property("Fields");
    let title =
        field_text(f, "TITLE", entity).ok_or_else(|| format!("task `{}` has no TITLE", a.name))?;
    let assignee = recipients(f.and_then(|f| f.get("RESPONSIBLE_ID")), entity)
        .ok_or_else(|| format!("task `{}` has no RESPONSIBLE_ID", a.name))?;
    let mut fields = vec![("title", title), ("assignee", assignee)];
    if let Some(d) = f.and_then(|f| f.get("DEADLINE")).and_then(Value::as_str) {
        fields.push((
            "deadline",
            datetime(d, entity)
                .ok_or_else(|| format!("task `{}` has an empty DEADLINE", a.name))?,
        ));
    }
    if let Some(p) = f.and_then(|f| f.get("PRIORITY")).and_then(Value::as_str) {
        // tasks priority codes: 0 LOW, 1 AVERAGE, 2 HIGH.
        let word = match p {
            "0" => "low",
            "1" => "normal",
            "2" => "high",
            _ => return Err(format!("task `{}` has an unknown PRIORITY `{p}`", a.name)),
        };
        fields.push(("priority", word.to_owned()));
    }
    if let Some(d) = field_text(f, "DESCRIPTION", entity) {
        fields.push(("description", d));
    }
    Ok(Action::new("create_task", fields))
}

/// crm `CrmCreateDynamicActivity` for a smart invoice (type 31) or a quote (7).
fn dynamic(a: &Activity, entity: Entity) -> Result<Action, Miss> {
    let (kind, prefix) = match a.property("DynamicTypeId") {
        Some(Value::Int(31)) => ("create_invoice", "31"),
        Some(Value::Int(7)) => ("create_quote", "7"),
        _ => {
            return Err(format!(
                "CrmCreateDynamicActivity `{}` creates a type b24flow does not",
                a.name
            ));
        }
    };
    let f = a.property("DynamicEntitiesFields");
    let title = field_text(f, &format!("{prefix}_TITLE"), entity)
        .ok_or_else(|| format!("new item `{}` has no title", a.name))?;
    let mut fields = vec![("title", title)];
    if let Some(who) = field_text(f, &format!("{prefix}_ASSIGNED_BY_ID"), entity) {
        fields.push(("assignee", who));
    }
    Ok(Action::new(kind, fields))
}

/// A text entry of a property array (`Fields`), smart variables restored.
fn field_text(fields: Option<&Value>, key: &str, entity: Entity) -> Option<String> {
    fields?
        .get(key)
        .and_then(Value::as_str)
        .map(|s| variables(s, entity))
}

/// `text` with each expression a smart variable resolves to on `entity` put back as
/// `{{NAME}}` (the inverse of `resolve`'s `text`). Longer expressions go first, so
/// `{=Document:CONTACT_ID.PHONE}` is not read as a shorter one.
pub(super) fn variables(text: &str, entity: Entity) -> String {
    let mut pairs: Vec<(&str, &str)> = catalog::VARIABLES
        .iter()
        .filter_map(|v| v.expression_for(entity).map(|e| (e, v.name)))
        .collect();
    // The first variable in catalog order wins for an expression several share.
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        if rest.starts_with('{') {
            for (expr, name) in &pairs {
                if let Some(after) = rest.strip_prefix(expr) {
                    out.push_str("{{");
                    out.push_str(name);
                    out.push_str("}}");
                    rest = after;
                    continue 'scan;
                }
            }
        }
        let ch = rest.chars().next().expect("not empty");
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out
}

/// A user list as the blueprint writes it: codes joined by `, `, the responsible
/// person's expression as `{{ASSIGNED_BY_ID}}`.
fn recipients(value: Option<&Value>, entity: Entity) -> Option<String> {
    let items = value?.as_list()?;
    let mut out = Vec::new();
    for item in items {
        out.push(variables(item.as_str()?, entity));
    }
    (!out.is_empty()).then(|| out.join(", "))
}

/// A date-time in the platform's form back to the blueprint's: `=dateadd({=System:Now},
/// "3d")` is `+3d`, `=dateadd("2026-12-01 10:00:00", "0d")` is `2026-12-01 10:00`, an
/// expression its variable. Empty (meaning "now") is `None`.
pub(super) fn datetime(value: &str, entity: Entity) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    if let Some(interval) = value
        .strip_prefix("=dateadd({=System:Now}, \"")
        .and_then(|r| r.strip_suffix("\")"))
    {
        let (digits, unit) = interval.split_at(interval.len().saturating_sub(1));
        let unit = match unit {
            "i" => "m",
            u => u,
        };
        return Some(format!("+{digits}{unit}"));
    }
    if let Some(stamp) = value
        .strip_prefix("=dateadd(\"")
        .and_then(|r| r.strip_suffix("\", \"0d\")"))
    {
        let short = stamp
            .strip_suffix(" 00:00:00")
            .or_else(|| stamp.strip_suffix(":00"))
            .unwrap_or(stamp);
        return Some(short.to_owned());
    }
    // An expression is its variable; anything else is put back as it stands, and the
    // check by lowering decides.
    Some(variables(value, entity))
}
