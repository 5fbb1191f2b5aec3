//! Runner workflows: what business-process templates cannot express, run by b24flow
//! itself from the portal's REST events.
//!
//! Tasks, timeline activities and calendar meetings are not business-process
//! documents a REST-made template can start on, but Bitrix24 records REST events for
//! them, and keeps them for an application that is not always online (offline events,
//! `event.bind` with `event_type=offline`). A workflow whose trigger is one of those
//! compiles to a [`RunnerSpec`]: the events it listens to, the conditions on the object
//! the event names, and the actions as REST calls with `{{object.field}}` placeholders.
//! `b24flow run` ([`run`]) pulls the events, reads the object, checks the conditions and
//! performs the calls.
//!
//! Invariants: [`is_runner`] depends only on the trigger, so every workflow that
//! compiles to a template today still does, byte for byte; compiling is deterministic;
//! anything a runner cannot do is a diagnostic with the reason, never a silent drop.

mod act;
mod email;
mod matching;
mod overdue;
mod request;
pub mod run;
mod settle;
pub mod store;
mod webhook;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::blueprint::Blueprint;
use crate::catalog::{ActionKind, Entity};
use crate::resolve::{Code, Diagnostic, Diagnostics};

/// A unix time as the portal writes dates (`date('c')` in UTC), for filters.
///
/// The local portal writes its dates with the same routine: a real portal and the local
/// one answer in one form, so there is one calendar conversion, not one per side.
pub fn iso_utc(unix: i64) -> String {
    crate::emulator::dates::iso8601(unix)
}

/// Unix seconds from a date the portal returns (`2026-12-01T10:00:00+03:00`).
pub fn parse_iso(s: &str) -> Option<i64> {
    crate::emulator::dates::parse_iso(s)
}

/// The object an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Object {
    /// A task (`tasks.task.get`, camelCase fields).
    Task,
    /// A CRM activity (`crm.activity.get`, upper-case fields).
    Activity,
    /// A calendar entry (`calendar.event.getbyid`, upper-case fields).
    Calendar,
}

/// A compiled runner workflow, recorded in the lockfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunnerSpec {
    /// The offline events it listens to, upper case (`ONTASKUPDATE`). Empty for a
    /// trigger found by scanning (`task_overdue`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    /// `overdue`: tasks past their deadline and not completed, found by listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan: Option<String>,
    /// What the events are about.
    pub object: Object,
    /// Conditions on the object's fields; all must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<RunnerCondition>,
    /// The REST calls, in order.
    pub actions: Vec<RunnerCall>,
}

/// One condition: `field operator value` on the object as the portal returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunnerCondition {
    pub field: String,
    pub operator: String,
    #[serde(default)]
    pub value: String,
}

/// One REST call. String values may hold `{{object.field}}` placeholders; `tags_add` /
/// `tags_remove` change the task's tag list read at run time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunnerCall {
    /// The REST method, e.g. `im.notify.system.add`, or `webhook` (an HTTP request
    /// b24flow sends itself, [`WEBHOOK`]).
    pub method: String,
    /// Its parameters.
    pub params: BTreeMap<String, serde_json::Value>,
}

/// The [`RunnerCall::method`] of a webhook: an HTTP request b24flow sends itself
/// (params `url`, `method`, `message`, `allow_internal`), not a REST method.
pub const WEBHOOK: &str = "webhook";

/// A trigger's runner mapping: events, scan, object, and the conditions it implies.
type Mapping = (
    &'static [&'static str],
    Option<&'static str>,
    Object,
    Vec<RunnerCondition>,
);

/// The trigger's runner mapping.
fn trigger_mapping(id: &str) -> Option<Mapping> {
    let cond = |f: &str, op: &str, v: &str| RunnerCondition {
        field: f.into(),
        operator: op.into(),
        value: v.into(),
    };
    Some(match id {
        // api-reference/tasks/events-tasks/on-task-add.md
        "task_created" => (&["ONTASKADD"][..], None, Object::Task, vec![]),
        // A completed task has status 5 (`Bitrix\Tasks\Internals\Task\Status::COMPLETED`);
        // ONTASKUPDATE fires on every change, so the status is checked and each task is
        // handled once.
        "task_completed" => (
            &["ONTASKUPDATE"][..],
            None,
            Object::Task,
            vec![cond("status", "=", "5")],
        ),
        "task_overdue" => (&[][..], Some("overdue"), Object::Task, vec![]),
        // calendar/calendar-event/events/on-calendar-entry-add.md
        "meeting_scheduled" => (&["ONCALENDARENTRYADD"][..], None, Object::Calendar, vec![]),
        // crm/timeline/activities/events/on-crm-activity-add.md
        "activity_added" => (&["ONCRMACTIVITYADD"][..], None, Object::Activity, vec![]),
        _ => return None,
    })
}

/// Whether the blueprint's trigger makes it a runner workflow.
pub fn is_runner(bp: &Blueprint) -> bool {
    trigger_mapping(&bp.trigger.kind).is_some()
}

/// Whether `b24flow run` can carry out this trigger.
pub fn runs_trigger(id: &str) -> bool {
    trigger_mapping(id).is_some()
}

/// Whether a runner workflow started by `trigger` has a value for `{{name}}`; true for a
/// trigger the runner does not run (the catalog decides there).
pub fn supplies(trigger: &str, name: &str) -> bool {
    match trigger_mapping(trigger) {
        Some((_, _, object, _)) => {
            matches!(name, "CURRENT_DATE" | "CURRENT_DATETIME")
                || object_field(object, name).is_some()
        }
        None => true,
    }
}

/// Whether a runner workflow can perform this action (on some object).
pub fn runs_action(kind: ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::SendNotification
            | ActionKind::SendBitrixMessage
            | ActionKind::CreateTask
            | ActionKind::UpdateTask
            | ActionKind::AddTag
            | ActionKind::RemoveTag
            | ActionKind::AddComment
            | ActionKind::SendEmail
            | ActionKind::Webhook
    )
}

/// The event names a runner workflow needs bound (empty for a scan).
pub fn events_of(spec: &RunnerSpec) -> &[String] {
    &spec.events
}

/// A field of the object, in the name the portal returns it under.
fn object_field(object: Object, field: &str) -> Option<&'static str> {
    let f = field.to_ascii_uppercase();
    Some(match (object, f.as_str()) {
        (Object::Task, "ID" | "TASK_ID") => "id",
        (Object::Task, "TITLE" | "TASK_TITLE") => "title",
        (Object::Task, "DESCRIPTION") => "description",
        (Object::Task, "RESPONSIBLE_ID" | "ASSIGNED_BY_ID") => "responsibleId",
        (Object::Task, "CREATED_BY") => "createdBy",
        (Object::Task, "PRIORITY") => "priority",
        (Object::Task, "STATUS") => "status",
        (Object::Task, "DEADLINE") => "deadline",
        (Object::Activity | Object::Calendar, "ID") => "ID",
        (Object::Activity, "SUBJECT" | "TITLE") => "SUBJECT",
        (Object::Activity, "DESCRIPTION") => "DESCRIPTION",
        (Object::Activity, "RESPONSIBLE_ID" | "ASSIGNED_BY_ID") => "RESPONSIBLE_ID",
        (Object::Activity, "TYPE_ID") => "TYPE_ID",
        (Object::Activity, "CREATED_BY" | "AUTHOR_ID") => "AUTHOR_ID",
        (Object::Activity, "OWNER_ID") | (Object::Calendar, "OWNER_ID" | "ASSIGNED_BY_ID") => {
            "OWNER_ID"
        }
        (Object::Activity, "OWNER_TYPE_ID") => "OWNER_TYPE_ID",
        (Object::Calendar, "NAME" | "TITLE") => "NAME",
        (Object::Calendar, "CREATED_BY") => "CREATED_BY",
        (Object::Calendar, "DATE_FROM") => "DATE_FROM",
        _ => return None,
    })
}

fn placeholder(object: Object, field: &str) -> String {
    format!("{{{{object.{field}}}}}").replace(
        "object",
        match object {
            Object::Task => "task",
            Object::Activity => "activity",
            Object::Calendar => "calendar",
        },
    )
}

/// A new task deadline as the runner fills it in: `+2d` (hours `h`, minutes `m`, weeks
/// `w`) counted from when the action runs (`{{now+<seconds>}}`), `deadline+2d` counted
/// from the task's own deadline (`{{task.deadline+<seconds>}}`; a task with none counts
/// from then too), a date, or a variable. Any other text would reach `tasks.task.update`
/// as a deadline no portal can read.
fn deadline(object: Object, path: &str, value: &str, errors: &mut Vec<Diagnostic>) -> String {
    let v = value.trim();
    if let Some(secs) = offset_seconds(v) {
        return format!("{{{{now+{secs}}}}}");
    }
    if let Some(secs) = v
        .strip_prefix("deadline")
        .and_then(|o| offset_seconds(o.trim()))
    {
        return format!("{{{{{}.deadline+{secs}}}}}", matching::object_name(object));
    }
    if v.starts_with("{{") || parse_iso(v).is_some() {
        return text(object, path, v, errors);
    }
    errors.push(
        Diagnostic::new(path, Code::BadDatetime, format!("`{v}` is not a deadline"))
            .help("write +3d (from when the workflow runs), deadline+2d (from the task's deadline), or a date such as 2026-12-01 10:00"),
    );
    String::new()
}

/// `+2d`, `+3h`, `+30m`, `+1w` in seconds (read as a test file's `wait` is).
fn offset_seconds(v: &str) -> Option<i64> {
    crate::behave::file::wait_seconds(v.strip_prefix('+')?)
}

/// Rewrites `{{VARIABLE}}` in a text into runner placeholders.
fn text(object: Object, path: &str, s: &str, errors: &mut Vec<Diagnostic>) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        match name {
            "CURRENT_DATE" | "CURRENT_DATETIME" => out.push_str("{{now}}"),
            _ => match object_field(object, name) {
                Some(f) => out.push_str(&placeholder(object, f)),
                None => errors.push(
                    Diagnostic::new(
                        path,
                        Code::UnknownVariable,
                        format!("`{{{{{name}}}}}` has no value in a workflow run by b24flow"),
                    )
                    .help(
                        "use {{ASSIGNED_BY_ID}}, {{TASK_TITLE}}, {{TASK_ID}} or {{CURRENT_DATE}}",
                    ),
                ),
            },
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The users a recipient names: `{{ASSIGNED_BY_ID}}`, `author` (who created the task or
/// entry), `user_<id>`, or a `[recipients]` name whose codes are users.
fn users(
    object: Object,
    path: &str,
    to: &str,
    config: &crate::config::Config,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out = Vec::new();
    for part in to.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let codes: Vec<String> = match config.recipient(part) {
            Some(v)
                if !part.starts_with("{{") && !part.starts_with("user_") && part != "author" =>
            {
                v.split(',').map(|c| c.trim().to_owned()).collect()
            }
            _ => vec![part.to_owned()],
        };
        for code in codes {
            let field = match code.as_str() {
                "{{ASSIGNED_BY_ID}}" => object_field(object, "ASSIGNED_BY_ID"),
                "author" => object_field(object, "CREATED_BY"),
                _ => None,
            };
            if let Some(field) = field {
                out.push(placeholder(object, field));
            } else if let Some(id) = code
                .strip_prefix("user_")
                .filter(|n| n.parse::<u64>().is_ok())
            {
                out.push(id.to_owned());
            } else {
                errors.push(
                    Diagnostic::new(path, Code::BadRecipient, format!("`{code}` is not one person b24flow can message"))
                        .help("use {{ASSIGNED_BY_ID}}, author (who created it), user_<id>, or a [recipients] name listing those"),
                );
            }
        }
    }
    out
}

/// Compiles a runner workflow, or says why it cannot run.
pub fn compile(bp: &Blueprint, config: &crate::config::Config) -> Result<RunnerSpec, Diagnostics> {
    let Some((events, scan, object, mut conditions)) = trigger_mapping(&bp.trigger.kind) else {
        return Err(Diagnostics(vec![Diagnostic::new(
            "trigger.type",
            Code::UnsupportedTrigger,
            format!("`{}` is not a trigger b24flow runs itself", bp.trigger.kind),
        )]));
    };
    let mut errors = Vec::new();
    let trigger = crate::catalog::trigger(&bp.trigger.kind).expect("mapped triggers exist");
    if Entity::from_id(&bp.entity) != Some(trigger.entity) {
        errors.push(Diagnostic::new(
            "entity",
            Code::EntityMismatch,
            format!(
                "`{}` starts on {}, not on `{}`",
                trigger.id,
                trigger.entity.id(),
                bp.entity
            ),
        ));
    }
    if let Some(k) = bp.trigger.params.keys().next() {
        errors.push(Diagnostic::new(
            "trigger",
            Code::UnknownParam,
            format!("`{}` takes no parameter `{k}`", trigger.id),
        ));
    }
    for (i, c) in bp.conditions.iter().enumerate() {
        let path = format!("conditions[{i}]");
        let Some(field) = object_field(object, &c.field) else {
            errors.push(Diagnostic::new(
                format!("{path}.field"),
                Code::BadField,
                format!("`{}` is not a field b24flow can read here", c.field),
            ));
            continue;
        };
        if !crate::catalog::CONDITION_OPERATORS
            .iter()
            .any(|(op, _)| *op == c.operator)
        {
            errors.push(Diagnostic::new(
                format!("{path}.operator"),
                Code::UnknownOperator,
                format!("unknown operator `{}`", c.operator),
            ));
        }
        conditions.push(RunnerCondition {
            field: field.into(),
            operator: c.operator.clone(),
            value: c.value.clone(),
        });
    }
    if bp.actions.is_empty() {
        errors.push(Diagnostic::new(
            "actions",
            Code::NoActions,
            "the workflow has no actions",
        ));
    }
    let mut actions = Vec::new();
    for (i, a) in bp.actions.iter().enumerate() {
        let path = format!("actions[{i}]");
        let get = |name: &str| a.fields.get(name).map(String::as_str).unwrap_or_default();
        let Some(info) = crate::catalog::action(&a.kind) else {
            errors.push(Diagnostic::new(
                format!("{path}.type"),
                Code::UnknownAction,
                format!("unknown action `{}`", a.kind),
            ));
            continue;
        };
        let call = |method: &str, params: Vec<(&str, serde_json::Value)>| RunnerCall {
            method: method.into(),
            params: params.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        };
        let task_only = |errors: &mut Vec<Diagnostic>| {
            if object != Object::Task {
                errors.push(Diagnostic::new(format!("{path}.type"), Code::NotAvailable, format!("`{}` works on the task the workflow runs on; this workflow runs on no task", a.kind)));
            }
        };
        match info.kind {
            ActionKind::SendNotification | ActionKind::SendBitrixMessage => {
                let message = text(object, &format!("{path}.message"), get("message"), &mut errors);
                for user in users(object, &format!("{path}.to"), get("to"), config, &mut errors) {
                    actions.push(if info.kind == ActionKind::SendNotification {
                        // im.notify.system.add: USER_ID, MESSAGE (api-reference/im/notify).
                        call("im.notify.system.add", vec![("USER_ID", user.into()), ("MESSAGE", message.clone().into())])
                    } else {
                        call("im.message.add", vec![("DIALOG_ID", user.into()), ("MESSAGE", message.clone().into())])
                    });
                }
            }
            ActionKind::CreateTask => {
                let title = text(object, &format!("{path}.title"), get("title"), &mut errors);
                let who = users(object, &format!("{path}.assignee"), get("assignee"), config, &mut errors);
                let mut fields = serde_json::Map::new();
                fields.insert("TITLE".into(), title.into());
                fields.insert("RESPONSIBLE_ID".into(), who.first().cloned().unwrap_or_default().into());
                if !get("description").is_empty() {
                    fields.insert("DESCRIPTION".into(), text(object, &format!("{path}.description"), get("description"), &mut errors).into());
                }
                actions.push(call("tasks.task.add", vec![("fields", serde_json::Value::Object(fields))]));
            }
            ActionKind::UpdateTask => {
                task_only(&mut errors);
                let field = get("field").to_ascii_uppercase();
                if !["TITLE", "DESCRIPTION", "PRIORITY", "STATUS", "RESPONSIBLE_ID", "DEADLINE"].contains(&field.as_str()) {
                    errors.push(Diagnostic::new(format!("{path}.field"), Code::BadField, format!("`{}` is not a task field tasks.task.update sets", get("field")))
                        .help("use TITLE, DESCRIPTION, PRIORITY, STATUS, RESPONSIBLE_ID or DEADLINE"));
                }
                let value = if field == "DEADLINE" {
                    deadline(object, &format!("{path}.value"), get("value"), &mut errors)
                } else {
                    text(object, &format!("{path}.value"), get("value"), &mut errors)
                };
                actions.push(call("tasks.task.update", vec![("taskId", "{{task.id}}".into()), ("fields", serde_json::json!({ field: value }))]));
            }
            ActionKind::AddTag | ActionKind::RemoveTag => {
                task_only(&mut errors);
                let key = if info.kind == ActionKind::AddTag { "tags_add" } else { "tags_remove" };
                actions.push(call("tasks.task.update", vec![("taskId", "{{task.id}}".into()), (key, get("tag").trim().into())]));
            }
            ActionKind::Webhook => {
                // The same checks as a template's webhook (resolve/rules/urls.rs); here
                // b24flow itself sends the request, so `run` checks the resolved
                // addresses again before connecting.
                let allowed = &config.policy.webhook_allowed_hosts;
                let url = crate::resolve::rules::urls::check_url(&format!("{path}.url"), get("url"), allowed, &mut errors);
                let method = get("method").trim().to_ascii_uppercase();
                if !["", "POST", "GET"].contains(&method.as_str()) {
                    errors.push(Diagnostic::new(format!("{path}.method"), Code::BadMethod, format!("`{}` is not POST or GET", get("method"))));
                }
                let message = text(object, &format!("{path}.message"), get("message"), &mut errors);
                if let Some(url) = url {
                    let host = url::Url::parse(&url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_default();
                    let allow_internal = allowed.iter().any(|h| h.eq_ignore_ascii_case(&host));
                    actions.push(call(WEBHOOK, vec![
                        ("url", url.into()),
                        ("method", if method == "GET" { "GET" } else { "POST" }.into()),
                        ("message", message.into()),
                        ("allow_internal", allow_internal.into()),
                    ]));
                }
            }
            ActionKind::SendSms => errors.push(
                // bitrix24/b24restdocs api-reference/messageservice/index.md: the
                // messageservice methods register SMS providers and update delivery
                // statuses; none sends a message.
                Diagnostic::new(format!("{path}.type"), Code::UnsupportedAction, "Bitrix24's REST API has no method that sends an SMS (messageservice.* only registers providers), so b24flow cannot send one from task, meeting or activity events")
                    .help("send SMS from a workflow on a CRM record (a template with CrmSendSmsActivity), or use send_notification"),
            ),
            ActionKind::SendEmail => {
                // An outgoing e-mail is an activity: crm.activity.add with TYPE_ID 4
                // (e-mail), DIRECTION 2 (outgoing) and COMPLETED Y sends it, to the
                // addresses in COMMUNICATIONS (bitrix24/b24restdocs
                // tutorials/crm/how-to-add-crm-objects/how-to-send-email.md). The
                // address is the client's, read at run time from the CRM record the
                // activity (or the task, UF_CRM_TASK) is bound to; `{{EMAIL}}` below
                // stands for it.
                if get("to").trim() != "{{CONTACT_EMAIL}}" {
                    errors.push(
                        Diagnostic::new(format!("{path}.to"), Code::ClientRecipient, format!("`send_email` goes to the record's client, not `{}`", get("to")))
                            .help("write {{CONTACT_EMAIL}}: b24flow sends it to the e-mail address of the client of the CRM record"),
                    );
                }
                if object == Object::Calendar {
                    errors.push(Diagnostic::new(format!("{path}.type"), Code::NotAvailable, "`send_email` writes to the client of a CRM record; a calendar meeting is bound to none"));
                }
                if !get("template_id").trim().is_empty() {
                    // crm.activity.add takes the text itself; e-mail templates are a
                    // feature of the robot (CrmSendEmailActivity), not of the REST add.
                    errors.push(Diagnostic::new(format!("{path}.template_id"), Code::NotAvailable, "an e-mail b24flow sends itself cannot use a Bitrix24 e-mail template")
                        .help("write the subject and body in the spec"));
                }
                let subject = text(object, &format!("{path}.subject"), get("subject"), &mut errors);
                let body = text(object, &format!("{path}.body"), get("body"), &mut errors);
                if subject.trim().is_empty() {
                    errors.push(Diagnostic::new(format!("{path}.subject"), Code::MissingField, "an e-mail needs a subject (crm.activity.add refuses an empty one)"));
                }
                actions.push(call("crm.activity.add", vec![("fields", serde_json::json!({
                    "TYPE_ID": 4,
                    "DIRECTION": 2,
                    "COMPLETED": "Y",
                    "SUBJECT": subject,
                    "DESCRIPTION": body,
                    // crm_enum_contenttype: 1 plain text.
                    "DESCRIPTION_TYPE": 1,
                }))]));
            }
            ActionKind::AddComment if object == Object::Activity => {
                let message = text(object, &format!("{path}.message"), get("message"), &mut errors);
                actions.push(call("crm.timeline.comment.add", vec![("fields", serde_json::json!({
                    "ENTITY_ID": "{{activity.OWNER_ID}}",
                    "ENTITY_TYPE": "{{activity.OWNER_TYPE}}",
                    "COMMENT": message,
                }))]));
            }
            _ => errors.push(
                Diagnostic::new(format!("{path}.type"), Code::UnsupportedAction, format!("`{}` is not available in a workflow b24flow runs from {} events", a.kind, trigger.entity.info().label))
                    .help("runner workflows send notifications, chat messages and e-mails to the client, create and update tasks, tag tasks, call webhooks, and comment on the CRM record an activity belongs to"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(RunnerSpec {
            events: events.iter().map(|e| (*e).to_owned()).collect(),
            scan: scan.map(str::to_owned),
            object,
            conditions,
            actions,
        })
    } else {
        Err(Diagnostics(errors))
    }
}
