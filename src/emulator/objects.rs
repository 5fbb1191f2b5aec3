//! The REST writes a runner uses that the CRM module does not answer: `tasks.task.add`
//! and `update` (tags included), `tasks.task.complete` with its event, `crm.activity.add`
//! and `get`, `calendar.event.add` and `getbyid`, `crm.timeline.comment.add`, and the
//! messages `im.notify.system.add`, `im.notify.personal.add`, `im.message.add` (they go to
//! the outbox, as everything the portal would send does).
//!
//! Every add or change fires its REST event ([`super::events::fire`]) with the payload
//! shape the docs give: tasks `{"FIELDS_AFTER": {"ID": n}, …}`
//! (`api-reference/tasks/events-tasks/on-task-update.md`), activities
//! `{"FIELDS": {"ID": n}}` (`crm/timeline/activities/events/on-crm-activity-add.md`),
//! calendar entries `{"id": "n"}` (`calendar/calendar-event/events/on-calendar-entry-add.md`).
//! A write that carries `auth_connector` passes it on, so a binding made with the same
//! connector records nothing.
//!
//! Task fields are stored camelCase as `tasks.task.get` returns them; status codes are
//! the platform's (`Bitrix\Tasks\Internals\Task\Status`: 2 pending, 3 in progress,
//! 5 completed). Tags are kept as a list of names, `XML_ID` as `xmlId`.
//!
//! Notifications with a `TAG` replace the recipient's earlier notification with the
//! same tag, as `CIMMessenger::Add` does ([`notify_tag`]); the outbox entry keeps the
//! tag and the ids it replaced. An activity with `TYPE_ID` 4, `DIRECTION` 2 and
//! `COMPLETED` Y is an outgoing e-mail and is sent (an `email` outbox entry) to its
//! `COMMUNICATIONS`; `ORIGINATOR_ID` and `ORIGIN_ID` are kept for `crm.activity.list`.

use serde_json::{Map, Value, json};

use super::crm;
use super::params::{array_values, php_int, php_string, upper_keys};
use super::portal::{Caller, Outcome, Request, RestError, iso8601};
use super::store::State;

/// The methods this module answers (lower case).
pub(crate) const METHODS: [&str; 11] = [
    "tasks.task.add",
    "tasks.task.update",
    "tasks.task.complete",
    "crm.activity.add",
    "crm.activity.get",
    "calendar.event.add",
    "calendar.event.getbyid",
    "crm.timeline.comment.add",
    "im.notify.system.add",
    "im.notify.personal.add",
    "im.message.add",
];

/// `Bitrix\Tasks\Internals\Task\Status::COMPLETED`.
const COMPLETED: &str = "5";

fn task_not_found() -> RestError {
    RestError::new(400, "ERROR_CORE", "Task not found")
}

fn text(p: &Map<String, Value>, key: &str) -> String {
    p.get(key).and_then(php_string).unwrap_or_default()
}

fn fields(p: &Map<String, Value>) -> Result<Map<String, Value>, RestError> {
    match p.get("FIELDS") {
        Some(Value::Object(f)) => Ok(upper_keys(f)),
        Some(Value::Array(a)) if a.is_empty() => Ok(Map::new()),
        _ => Err(RestError::new(400, "ERROR_CORE", "Fields are not set")),
    }
}

fn id_of(p: &Map<String, Value>, keys: &[&str]) -> u64 {
    keys.iter()
        .map(|k| php_int(p.get(*k)))
        .find(|n| *n > 0)
        .and_then(|n| u64::try_from(n).ok())
        .unwrap_or(0)
}

/// Runs one method. `now` is the virtual clock.
pub(crate) fn call(state: &mut State, req: Request<'_>, now: i64) -> Result<Outcome, RestError> {
    let (caller, method) = (req.caller, req.method);
    let p = upper_keys(req.params);
    let connector = text(&p, "AUTH_CONNECTOR");
    let user = caller.user_id;
    match method {
        "tasks.task.add" => {
            let f = fields(&p)?;
            let title = text(&f, "TITLE");
            if title.trim().is_empty() {
                return Err(RestError::new(400, "ERROR_CORE", "Task title is empty"));
            }
            let id = state.crm.allocate("task");
            let mut task = Map::new();
            task.insert("id".into(), json!(id.to_string()));
            task.insert("title".into(), json!(title));
            task.insert("description".into(), json!(text(&f, "DESCRIPTION")));
            let responsible = id_of(&f, &["RESPONSIBLE_ID"]).max(1);
            let created_by = match id_of(&f, &["CREATED_BY"]) {
                0 => user,
                n => n,
            };
            task.insert("responsibleId".into(), json!(responsible.to_string()));
            task.insert("createdBy".into(), json!(created_by.to_string()));
            task.insert("deadline".into(), Value::Null);
            task.insert("priority".into(), json!("1"));
            task.insert("status".into(), json!("2"));
            task.insert("createdDate".into(), json!(iso8601(now)));
            task.insert("ufCrmTask".into(), json!([]));
            task.insert("tags".into(), json!([]));
            // XML_ID, the external identifier (api-reference/tasks/fields.md `xmlId`).
            task.insert("xmlId".into(), json!(text(&f, "XML_ID")));
            apply_task_fields(&mut task, &f, now)?;
            state.crm.tasks.insert(id, task.clone());
            let data = json!({
                "FIELDS_BEFORE": "undefined",
                "FIELDS_AFTER": {"ID": id},
                "IS_ACCESSIBLE_BEFORE": "N",
                "IS_ACCESSIBLE_AFTER": "undefined",
            });
            super::events::fire(state, "ONTASKADD", id, &data, user, &connector, now);
            Ok(Outcome::write(json!({ "task": task })))
        }
        "tasks.task.update" | "tasks.task.complete" => {
            let id = id_of(&p, &["TASKID", "ID"]);
            let f = if method == "tasks.task.update" {
                fields(&p)?
            } else {
                let mut f = Map::new();
                f.insert("STATUS".into(), json!(COMPLETED));
                f
            };
            let task = state.crm.tasks.get_mut(&id).ok_or_else(task_not_found)?;
            let before = task.clone();
            apply_task_fields(task, &f, now)?;
            let task = task.clone();
            let changed = task != before;
            state.crm.tasks.insert(id, task.clone());
            if changed {
                let data = json!({
                    "FIELDS_BEFORE": {"ID": id},
                    "FIELDS_AFTER": {"ID": id},
                    "IS_ACCESSIBLE_BEFORE": "undefined",
                    "IS_ACCESSIBLE_AFTER": "undefined",
                });
                super::events::fire(state, "ONTASKUPDATE", id, &data, user, &connector, now);
            }
            Ok(Outcome::write(json!({ "task": task })))
        }
        "crm.activity.add" => {
            let f = fields(&p)?;
            let owner_type = php_int(f.get("OWNER_TYPE_ID"));
            let owner_id = u64::try_from(php_int(f.get("OWNER_ID"))).unwrap_or(0);
            let kind = crm::Kind::from_entity_type_id(owner_type).ok_or_else(|| {
                RestError::new(
                    400,
                    "ERROR_CORE",
                    "OWNER_TYPE_ID is not defined or invalid.",
                )
            })?;
            if state.crm.record(kind, owner_id).is_none() {
                return Err(RestError::new(400, "ERROR_CORE", "Owner not found."));
            }
            let id = state.crm.allocate("activity");
            let start_time = text(&f, "START_TIME");
            let end_time = match text(&f, "END_TIME") {
                e if e.is_empty() => start_time.clone(),
                e => e,
            };
            let row = json!({
                "ID": id.to_string(),
                "OWNER_TYPE_ID": owner_type.to_string(),
                "OWNER_ID": owner_id.to_string(),
                "TYPE_ID": match text(&f, "TYPE_ID") { t if t.is_empty() => "6".to_owned(), t => t },
                "PROVIDER_ID": text(&f, "PROVIDER_ID"),
                "SUBJECT": text(&f, "SUBJECT"),
                "DESCRIPTION": text(&f, "DESCRIPTION"),
                "START_TIME": start_time,
                "END_TIME": end_time,
                // crm activity fields: DEADLINE is taken from START_TIME for calls and
                // meetings (fields.md).
                "DEADLINE": text(&f, "START_TIME"),
                "RESPONSIBLE_ID": match id_of(&f, &["RESPONSIBLE_ID"]) { 0 => user, n => n }.to_string(),
                "AUTHOR_ID": user.to_string(),
                "COMPLETED": if text(&f, "COMPLETED") == "Y" { "Y" } else { "N" },
                "CREATED": iso8601(now),
            });
            let Value::Object(mut row) = row else {
                unreachable!("a JSON object literal")
            };
            for key in ["DIRECTION", "ORIGINATOR_ID", "ORIGIN_ID"] {
                row.insert(key.into(), json!(text(&f, key)));
            }
            let communications = communications(&f);
            // tutorials/crm/how-to-add-crm-objects/how-to-send-email.md: the e-mail is
            // sent as a side effect of the add when TYPE_ID is 4 (e-mail), DIRECTION 2
            // (outgoing) and COMPLETED Y, to the addresses in COMMUNICATIONS; with none
            // the method fails with `Email send error. "To" is not found`.
            let sends = row["TYPE_ID"] == "4" && row["DIRECTION"] == "2" && row["COMPLETED"] == "Y";
            if sends && communications.is_empty() {
                return Err(RestError::new(
                    400,
                    "",
                    "Email send error. \"To\" is not found",
                ));
            }
            row.insert(
                "COMMUNICATIONS".into(),
                Value::Array(communications.clone()),
            );
            state.crm.activities.insert(id, row.clone());
            if sends {
                outbox_email(state, &row, &communications, user, now);
            }
            let data = json!({"FIELDS": {"ID": id}});
            super::events::fire(state, "ONCRMACTIVITYADD", id, &data, user, &connector, now);
            Ok(Outcome::write(json!(id)))
        }
        "crm.activity.get" => {
            let id = id_of(&p, &["ID"]);
            if id == 0 {
                return Err(RestError::new(400, "", "ID is not defined or invalid."));
            }
            let row = state
                .crm
                .activities
                .get(&id)
                .ok_or_else(|| RestError::new(400, "", "Not found"))?;
            Ok(Outcome::read(Value::Object(row.clone())))
        }
        "calendar.event.add" => {
            let name = text(&p, "NAME");
            let from = text(&p, "FROM");
            let to = text(&p, "TO");
            for (key, v) in [
                ("type", text(&p, "TYPE")),
                ("name", name.clone()),
                ("from", from.clone()),
                ("to", to.clone()),
            ] {
                if v.is_empty() {
                    return Err(RestError::new(
                        400,
                        "",
                        &format!("The required parameter \"{key}\" is missing"),
                    ));
                }
            }
            state.events.last_calendar += 1;
            let id = state.events.last_calendar;
            let owner = match id_of(&p, &["OWNERID"]) {
                0 => user,
                n => n,
            };
            let attendees: Vec<String> = p
                .get("ATTENDEES")
                .and_then(array_values)
                .unwrap_or_default()
                .into_iter()
                .filter_map(php_string)
                .collect();
            let entry = json!({
                "ID": id.to_string(),
                "NAME": name,
                "DESCRIPTION": text(&p, "DESCRIPTION"),
                "DATE_FROM": from,
                "DATE_TO": to,
                "CAL_TYPE": text(&p, "TYPE"),
                "OWNER_ID": owner.to_string(),
                "CREATED_BY": user.to_string(),
                "IS_MEETING": !attendees.is_empty() || text(&p, "IS_MEETING") == "Y",
                "ATTENDEES_CODES": attendees.iter().map(|a| format!("U{a}")).collect::<Vec<_>>(),
                "DATE_CREATE": iso8601(now),
            });
            if let Value::Object(m) = entry {
                state.events.calendar.insert(id, m);
            }
            let data = json!({"id": id.to_string()});
            super::events::fire(
                state,
                "ONCALENDARENTRYADD",
                id,
                &data,
                user,
                &connector,
                now,
            );
            Ok(Outcome::write(json!(id)))
        }
        "calendar.event.getbyid" => {
            let id = id_of(&p, &["ID"]);
            // calendar.event.getbyid answers null for an unknown id.
            Ok(Outcome::read(
                state
                    .events
                    .calendar
                    .get(&id)
                    .map_or(Value::Null, |e| Value::Object(e.clone())),
            ))
        }
        "crm.timeline.comment.add" => {
            let f = fields(&p)?;
            let entity_type = text(&f, "ENTITY_TYPE").to_ascii_uppercase();
            let entity_id = u64::try_from(php_int(f.get("ENTITY_ID"))).unwrap_or(0);
            let comment = text(&f, "COMMENT");
            if comment.is_empty() {
                return Err(RestError::new(400, "", "Empty comment message."));
            }
            let id = state.crm.allocate("comment");
            let row = json!({
                "ID": id.to_string(),
                "CREATED": iso8601(now),
                "ENTITY_ID": entity_id,
                "ENTITY_TYPE": entity_type,
                "AUTHOR_ID": match id_of(&f, &["AUTHOR_ID"]) { 0 => user, n => n }.to_string(),
                "COMMENT": comment,
            });
            if let Value::Object(m) = row {
                state.crm.comments.insert(id, m);
            }
            Ok(Outcome::write(json!(id)))
        }
        "im.notify.system.add" | "im.notify.personal.add" | "im.message.add" => {
            message(state, caller, method, &p, now)
        }
        _ => Err(super::portal::not_found()),
    }
}

fn apply_task_fields(
    task: &mut Map<String, Value>,
    f: &Map<String, Value>,
    now: i64,
) -> Result<(), RestError> {
    for (key, camel) in [
        ("TITLE", "title"),
        ("DESCRIPTION", "description"),
        ("RESPONSIBLE_ID", "responsibleId"),
        ("CREATED_BY", "createdBy"),
        ("PRIORITY", "priority"),
    ] {
        if let Some(v) = f.get(key).and_then(php_string) {
            task.insert(camel.into(), json!(v));
        }
    }
    if let Some(v) = f.get("DEADLINE") {
        let text = php_string(v).unwrap_or_default();
        if text.is_empty() {
            task.insert("deadline".into(), Value::Null);
        } else {
            let t = super::dates::parse_iso(&text).ok_or_else(|| {
                RestError::new(400, "ERROR_CORE", "Incorrect value of field DEADLINE")
            })?;
            task.insert("deadline".into(), json!(iso8601(t)));
        }
    }
    if let Some(v) = f.get("STATUS").and_then(php_string) {
        if !["1", "2", "3", "4", "5", "6", "7"].contains(&v.as_str()) {
            return Err(RestError::new(
                400,
                "ERROR_CORE",
                "Incorrect value of field STATUS",
            ));
        }
        let was = task.get("status").and_then(php_string).unwrap_or_default();
        if v == COMPLETED && was != COMPLETED {
            task.insert("closedDate".into(), json!(iso8601(now)));
        }
        task.insert("status".into(), json!(v));
    }
    if let Some(v) = f.get("TAGS") {
        let tags: Vec<String> = match v {
            Value::String(s) => s.split(',').map(|t| t.trim().to_owned()).collect(),
            other => array_values(other)
                .unwrap_or_default()
                .into_iter()
                .filter_map(php_string)
                .map(|t| t.trim().to_owned())
                .collect(),
        };
        let mut unique: Vec<String> = Vec::new();
        for t in tags.into_iter().filter(|t| !t.is_empty()) {
            if !unique.contains(&t) {
                unique.push(t);
            }
        }
        task.insert("tags".into(), json!(unique));
    }
    if let Some(v) = f.get("UF_CRM_TASK") {
        let links: Vec<String> = array_values(v)
            .unwrap_or_default()
            .into_iter()
            .filter_map(php_string)
            .collect();
        task.insert("ufCrmTask".into(), json!(links));
    }
    Ok(())
}

/// COMMUNICATIONS of `crm.activity.add`: entries with a `VALUE`, kept as
/// `{VALUE, ENTITY_ID, ENTITY_TYPE_ID}` (crm-activity-communication-fields.md).
fn communications(f: &Map<String, Value>) -> Vec<Value> {
    f.get("COMMUNICATIONS")
        .and_then(array_values)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| {
            let c = match c {
                Value::Object(m) => upper_keys(m),
                _ => return None,
            };
            let value = text(&c, "VALUE");
            (!value.trim().is_empty()).then(|| {
                json!({
                    "VALUE": value.trim(),
                    "ENTITY_ID": php_int(c.get("ENTITY_ID")).to_string(),
                    "ENTITY_TYPE_ID": php_int(c.get("ENTITY_TYPE_ID")).to_string(),
                })
            })
        })
        .collect()
}

/// The e-mail an outgoing completed e-mail activity sends: one outbox entry, from the
/// responsible person's address, to every COMMUNICATIONS address.
fn outbox_email(
    state: &mut State,
    row: &Map<String, Value>,
    communications: &[Value],
    user: u64,
    now: i64,
) {
    let to: Vec<Value> = communications
        .iter()
        .map(|c| {
            let entity_type = php_int(c.get("ENTITY_TYPE_ID"));
            let entity_id = u64::try_from(php_int(c.get("ENTITY_ID"))).unwrap_or(0);
            let kind = crm::Kind::from_entity_type_id(entity_type);
            json!({
                "type": kind.map_or("", crm::Kind::name),
                "id": entity_id,
                "name": kind
                    .and_then(|k| state.crm.printable(k, entity_id))
                    .unwrap_or_default(),
                "address": c["VALUE"],
            })
        })
        .collect();
    let responsible = row
        .get("RESPONSIBLE_ID")
        .and_then(php_string)
        .and_then(|r| r.parse::<u64>().ok())
        .unwrap_or(user);
    let from = crm::user(responsible)
        .map(|u| u.email.to_owned())
        .unwrap_or_default();
    let e = &mut state.engine;
    e.last_outbox += 1;
    e.outbox.push(json!({
        "id": e.last_outbox,
        "time": iso8601(now),
        "channel": "email",
        "method": "crm.activity.add",
        "activity_id": row["ID"],
        "from": from,
        "to": to,
        "subject": row["SUBJECT"],
        "text": row["DESCRIPTION"],
    }));
}

/// `im.notify.system.add` / `im.notify.personal.add` (`USER_ID`, `MESSAGE`) and
/// `im.message.add` (`DIALOG_ID`, `MESSAGE`): one outbox entry each; the result is the
/// new message id.
fn message(
    state: &mut State,
    caller: &Caller,
    method: &str,
    p: &Map<String, Value>,
    now: i64,
) -> Result<Outcome, RestError> {
    let text_ = text(p, "MESSAGE");
    if text_.trim().is_empty() {
        return Err(RestError::new(
            400,
            "MESSAGE_EMPTY",
            "Message can't be empty",
        ));
    }
    let (channel, to) = if method == "im.message.add" {
        let dialog = text(p, "DIALOG_ID");
        let user = dialog.parse::<u64>().ok();
        let Some(user) = user.filter(|u| crm::user(*u).is_some()) else {
            return Err(RestError::new(
                400,
                "DIALOG_ID_EMPTY",
                "Dialog ID can't be empty",
            ));
        };
        ("im", user)
    } else {
        let user = id_of(p, &["USER_ID"]);
        if crm::user(user).is_none() {
            return Err(RestError::new(
                400,
                "USER_ID_EMPTY",
                "Recipient user id can't be empty",
            ));
        }
        ("notification", user)
    };
    let person = crm::user(to).expect("checked above");
    let tag = if channel == "notification" {
        notify_tag(caller, p)
    } else {
        None
    };
    let e = &mut state.engine;
    // CIMMessenger::Add (im/classes/general/im_messenger.php): a notification whose
    // NOTIFY_TAG is already in the recipient's notification chat deletes those first
    // (CIMNotify::Delete), so a tag names at most one notification per recipient.
    let mut replaced = Vec::new();
    if let Some(tag) = &tag {
        e.outbox.retain(|m| {
            let same = m["channel"] == "notification"
                && m["tag"].as_str() == Some(tag.as_str())
                && m["to"][0]["id"] == json!(to);
            if same {
                replaced.push(m["id"].clone());
            }
            !same
        });
    }
    e.last_outbox += 1;
    let mut entry = json!({
        "id": e.last_outbox,
        "time": iso8601(now),
        "channel": channel,
        "method": method,
        "to": [{
            "type": "user",
            "id": to,
            "name": format!("{} {}", person.name, person.last_name),
            "address": Value::Null,
        }],
        "text": text_,
    });
    if let Some(tag) = tag {
        entry["tag"] = json!(tag);
    }
    if !replaced.is_empty() {
        entry["replaced"] = Value::Array(replaced);
    }
    e.outbox.push(entry);
    Ok(Outcome::write(json!(e.last_outbox)))
}

/// The NOTIFY_TAG a notification is stored under, as CIMRestService::notifyAdd
/// (im/classes/general/im_rest.php) builds it: `MP|<app key>|TAG`, the app key being the
/// first five hex digits of a digest of the caller's client id; a webhook has none and
/// names one with `CLIENT_ID` (kept as `custom<CLIENT_ID>`, as the im REST methods do;
/// api-reference/chats/notifications/im-notify-system-add.md). Without a client id the
/// TAG is not used. The platform digests with md5; this portal has no md5 and uses
/// sha-256: the tag only has to be the same for the same application, which it is.
fn notify_tag(caller: &Caller, p: &Map<String, Value>) -> Option<String> {
    let tag = text(p, "TAG");
    if tag.is_empty() {
        return None;
    }
    let client = match caller.key.strip_prefix("app:") {
        Some(id) if caller.app_id.is_some() => id.to_owned(),
        _ => match text(p, "CLIENT_ID") {
            c if c.is_empty() => return None,
            c => format!("custom{c}"),
        },
    };
    let app_key = &crate::digest::sha256_hex(client.as_bytes())[..5];
    Some(format!("MP|{app_key}|{tag}"))
}
