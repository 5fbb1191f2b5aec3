//! REST events of the emulated portal: handler bindings (`event.bind`, `event.get`,
//! `event.unbind`) and the offline event queue (`event.offline.get`, `.clear`,
//! `.error`, `.list`), filled when tasks, CRM activities and calendar entries are added
//! or changed over REST ([`fire`]).
//!
//! What follows the REST docs (bitrix24/b24restdocs `api-reference/events/*.md`):
//! - `event.bind` takes `event`, `handler` (not needed when `event_type=offline`),
//!   `auth_type`, `event_type` (`online`/`offline`), `auth_connector`; it answers `true`,
//!   and an unknown event is `ERROR_EVENT_NOT_FOUND` "Event not found". Offline events
//!   need an administrator. A second identical binding is refused with `ERROR_CORE`
//!   "Handler already binded" (the platform's `EventTable` check).
//! - `event.get` lists the application's bindings as `{event, handler, auth_type,
//!   offline}`; `event.unbind` answers `{"count": n}` and removes every binding that
//!   matches the parameters given.
//! - `event.offline.get` returns `{"process_id", "events": [{ID, TIMESTAMP_X,
//!   EVENT_NAME, EVENT_DATA, EVENT_ADDITIONAL, MESSAGE_ID}]}`, 50 by default (`limit`),
//!   oldest `TIMESTAMP_X` first; with the default `clear=1` the records are deleted at
//!   once and `process_id` is null; with `clear=0` they are marked with a process id and
//!   hidden from other callers until `event.offline.clear` deletes them (by `id`, by
//!   `message_id`, or all of the process). Passing `process_id` again returns what that
//!   process already holds plus new records. `event.offline.error` marks records of a
//!   process as failed: they are released, and only `error=1` returns them again.
//! - One object changed many times is one record: a new change of an object whose
//!   record nobody holds yet refreshes that record (`TIMESTAMP_X`, `EVENT_DATA`).
//! - A change made with the same `auth_connector` a binding was made with records
//!   nothing for that binding ("How to avoid cycles").
//!
//! Not confirmed in the platform source, chosen here: `MESSAGE_ID` is a digest of the
//! event name and the object id; a change of an object whose record a process already
//! holds adds a second record (so the change is not lost when the process clears);
//! `EVENT_DATA` holds the `data` an online handler would get (the docs' sample shows
//! `false` for a lead); `EVENT_ADDITIONAL` is `{"user_id": …}`. Online handlers are
//! stored and listed but never called: the emulator makes no outgoing requests.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::params::{array_values, php_int, php_string, upper_keys};
use super::portal::{Caller, Outcome, PAGE_SIZE, Request, RestError, iso8601};
use super::store::State;

/// The events this portal records (upper case, as `event.get` prints them).
pub const KNOWN_EVENTS: [&str; 9] = [
    "ONTASKADD",
    "ONTASKUPDATE",
    "ONTASKDELETE",
    "ONCRMACTIVITYADD",
    "ONCRMACTIVITYUPDATE",
    "ONCRMACTIVITYDELETE",
    "ONCALENDARENTRYADD",
    "ONCALENDARENTRYUPDATE",
    "ONCALENDARENTRYDELETE",
];

/// The event methods (lower case).
pub(crate) const METHODS: [&str; 7] = [
    "event.bind",
    "event.get",
    "event.unbind",
    "event.offline.get",
    "event.offline.clear",
    "event.offline.error",
    "event.offline.list",
];

/// One registered handler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// The application that bound it.
    pub app_id: u64,
    /// The event, upper case.
    pub event: String,
    /// The handler URL (empty for offline bindings).
    pub handler: String,
    /// The user the handler is authorized as (0: whoever caused the event).
    pub auth_type: u64,
    /// An offline binding: events are queued, not sent.
    pub offline: bool,
    /// Changes made with this connector are not recorded for this binding.
    pub auth_connector: String,
}

/// One queued offline event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfflineEvent {
    /// `ID`.
    pub id: u64,
    /// The application whose queue holds it.
    pub app_id: u64,
    /// When the object last changed (virtual clock, unix seconds).
    pub timestamp: i64,
    /// `EVENT_NAME`, upper case.
    pub event: String,
    /// `EVENT_DATA`.
    pub data: Value,
    /// The user whose change it was.
    pub user_id: u64,
    /// `MESSAGE_ID`.
    pub message_id: String,
    /// The process holding it; empty when free.
    pub process_id: String,
    /// Marked failed by `event.offline.error`.
    pub error: bool,
}

/// A calendar entry (`calendar.event.*`).
pub type CalendarEntry = Map<String, Value>;

/// Bindings, the offline queue and the calendar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Events {
    /// Registered handlers, in bind order.
    pub bindings: Vec<Binding>,
    /// The offline queue, by id order.
    pub offline: Vec<OfflineEvent>,
    /// The last offline record id.
    pub last_id: u64,
    /// The last process id handed out.
    pub last_process: u64,
    /// Calendar entries by id.
    pub calendar: std::collections::BTreeMap<u64, CalendarEntry>,
    /// The last calendar entry id.
    pub last_calendar: u64,
}

/// Records `event` about the object `object_id` for every application bound to it
/// offline, except bindings made with the connector the change came with.
pub(crate) fn fire(
    state: &mut State,
    event: &str,
    object_id: u64,
    data: &Value,
    user_id: u64,
    connector: &str,
    now: i64,
) {
    let ev = &mut state.events;
    let apps: Vec<u64> = ev
        .bindings
        .iter()
        .filter(|b| b.offline && b.event == event)
        .filter(|b| b.auth_connector.is_empty() || b.auth_connector != connector)
        .map(|b| b.app_id)
        .collect();
    let message_id = message_id(event, object_id);
    for app_id in dedup(apps) {
        if let Some(free) = ev
            .offline
            .iter_mut()
            .find(|r| r.app_id == app_id && r.message_id == message_id && r.process_id.is_empty())
        {
            free.timestamp = now;
            free.data = data.clone();
            free.user_id = user_id;
            free.error = false;
            continue;
        }
        ev.last_id += 1;
        ev.offline.push(OfflineEvent {
            id: ev.last_id,
            app_id,
            timestamp: now,
            event: event.to_owned(),
            data: data.clone(),
            user_id,
            message_id: message_id.clone(),
            process_id: String::new(),
            error: false,
        });
    }
}

fn dedup(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v.dedup();
    v
}

/// A stable id for "this event about this object".
fn message_id(event: &str, object_id: u64) -> String {
    crate::digest::sha256_hex(format!("{event}|{object_id}").as_bytes())[..32].to_owned()
}

fn app_context(caller: &Caller) -> Result<u64, RestError> {
    // The event methods work only with application authorization (docs: "works only in
    // the context of application authorization"); a webhook is refused like the
    // template writes are.
    caller.app_id.ok_or_else(|| {
        RestError::new(
            403,
            "ACCESS_DENIED",
            "Access denied! Application context required",
        )
    })
}

fn text(p: &Map<String, Value>, key: &str) -> String {
    p.get(key).and_then(php_string).unwrap_or_default()
}

/// Runs one event method.
pub(crate) fn call(state: &mut State, req: Request<'_>) -> Result<Outcome, RestError> {
    let (caller, method, start) = (req.caller, req.method, req.start);
    let app = app_context(caller)?;
    let p = upper_keys(req.params);
    match method {
        "event.bind" => bind(state, caller, app, &p),
        "event.get" => Ok(Outcome::read(Value::Array(
            state
                .events
                .bindings
                .iter()
                .filter(|b| b.app_id == app)
                .map(|b| {
                    json!({
                        "event": b.event,
                        "handler": b.handler,
                        "auth_type": b.auth_type.to_string(),
                        "offline": u8::from(b.offline),
                    })
                })
                .collect(),
        ))),
        "event.unbind" => unbind(state, caller, app, &p),
        "event.offline.get" => Ok(offline_get(state, app, &p)),
        "event.offline.clear" => offline_clear(state, app, &p),
        "event.offline.error" => offline_error(state, app, &p),
        "event.offline.list" => Ok(offline_list(state, app, &p, start)),
        _ => Err(super::portal::not_found()),
    }
}

fn offline_flag(p: &Map<String, Value>) -> Result<bool, RestError> {
    match text(p, "EVENT_TYPE").to_ascii_lowercase().as_str() {
        "" | "online" => Ok(false),
        "offline" => Ok(true),
        _ => Err(RestError::new(
            400,
            "ERROR_CORE",
            "Unknown event_type; use online or offline",
        )),
    }
}

fn bind(
    state: &mut State,
    caller: &Caller,
    app: u64,
    p: &Map<String, Value>,
) -> Result<Outcome, RestError> {
    let event = text(p, "EVENT").to_ascii_uppercase();
    if !KNOWN_EVENTS.contains(&event.as_str()) {
        return Err(RestError::new(
            400,
            "ERROR_EVENT_NOT_FOUND",
            "Event not found",
        ));
    }
    let offline = offline_flag(p)?;
    if offline && !caller.admin {
        // event-bind.md: offline events are not available to a user without
        // administrator rights.
        return Err(RestError::new(403, "ACCESS_DENIED", "Access denied!"));
    }
    let handler = text(p, "HANDLER");
    if !offline && handler.is_empty() {
        return Err(RestError::new(400, "ERROR_CORE", "Handler required"));
    }
    if !offline {
        check_handler(&handler)?;
    }
    let auth_type = u64::try_from(php_int(p.get("AUTH_TYPE"))).unwrap_or(0);
    if !caller.admin && auth_type != 0 && auth_type != caller.user_id {
        return Err(RestError::new(403, "ACCESS_DENIED", "Access denied!"));
    }
    let binding = Binding {
        app_id: app,
        event,
        handler: if offline { String::new() } else { handler },
        auth_type,
        offline,
        auth_connector: text(p, "AUTH_CONNECTOR"),
    };
    let b = &mut state.events.bindings;
    if b.iter().any(|x| {
        x.app_id == binding.app_id
            && x.event == binding.event
            && x.handler == binding.handler
            && x.auth_type == binding.auth_type
            && x.offline == binding.offline
    }) {
        return Err(RestError::new(400, "ERROR_CORE", "Handler already binded"));
    }
    b.push(binding);
    Ok(Outcome::write(json!(true)))
}

/// `Bitrix\Rest\HandlerHelper::checkCallback` (rest/lib/handlerhelper.php): a handler
/// needs a host with a dot in it (not first) and the http or https scheme. (For an
/// application with a URL the platform also wants the handler on that URL's host; the
/// local portal's applications have none.)
fn check_handler(handler: &str) -> Result<(), RestError> {
    let parsed = url::Url::parse(handler).ok();
    let dotted = parsed
        .as_ref()
        .and_then(url::Url::host_str)
        .is_some_and(|h| h.find('.').is_some_and(|i| i > 0));
    if !dotted {
        return Err(RestError::new(
            400,
            "ERROR_WRONG_HANDLER_URL",
            "Wrong handler URL",
        ));
    }
    if !parsed.is_some_and(|u| ["http", "https"].contains(&u.scheme())) {
        return Err(RestError::new(
            400,
            "ERROR_UNSUPPORTED_PROTOCOL",
            "Unsupported handler protocol",
        ));
    }
    Ok(())
}

fn unbind(
    state: &mut State,
    caller: &Caller,
    app: u64,
    p: &Map<String, Value>,
) -> Result<Outcome, RestError> {
    // event-unbind.md: "Who can execute the method: administrator".
    if !caller.admin {
        return Err(RestError::new(403, "ACCESS_DENIED", "Access denied!"));
    }
    let event = text(p, "EVENT").to_ascii_uppercase();
    let handler = text(p, "HANDLER");
    let auth_type = p
        .get("AUTH_TYPE")
        .map(|v| u64::try_from(php_int(Some(v))).unwrap_or(0));
    let offline = offline_flag(p)?;
    let before = state.events.bindings.len();
    state.events.bindings.retain(|b| {
        let hit = b.app_id == app
            && b.offline == offline
            && (event.is_empty() || b.event == event)
            && (offline || handler.is_empty() || b.handler == handler)
            && auth_type.is_none_or(|a| b.auth_type == a);
        !hit
    });
    let count = before - state.events.bindings.len();
    let mut out = Outcome::write(json!({ "count": count }));
    out.wrote = count > 0;
    Ok(out)
}

/// The `filter` rows: (operator, FIELD, value).
fn filters(p: &Map<String, Value>) -> Vec<(String, String, String)> {
    let Some(Value::Object(map)) = p.get("FILTER") else {
        return Vec::new();
    };
    map.iter()
        .map(|(k, v)| {
            let op_len = k.find(|c: char| !"=!<>".contains(c)).unwrap_or(k.len());
            (
                k[..op_len].to_owned(),
                k[op_len..].to_ascii_uppercase(),
                php_string(v).unwrap_or_default(),
            )
        })
        .collect()
}

fn field_of(r: &OfflineEvent, field: &str) -> Option<String> {
    Some(match field {
        "ID" => r.id.to_string(),
        "TIMESTAMP_X" => r.timestamp.to_string(),
        "EVENT_NAME" => r.event.clone(),
        "MESSAGE_ID" => r.message_id.clone(),
        "PROCESS_ID" => r.process_id.clone(),
        "ERROR" => if r.error { "1" } else { "0" }.to_owned(),
        _ => return None,
    })
}

fn passes(r: &OfflineEvent, rows: &[(String, String, String)]) -> bool {
    rows.iter().all(|(op, field, wanted)| {
        let Some(actual) = field_of(r, field) else {
            // Unknown filter fields are ignored, as the ORM filter drops them here.
            return true;
        };
        let wanted = if field == "TIMESTAMP_X" {
            super::dates::parse_iso(wanted).map_or_else(|| wanted.clone(), |t| t.to_string())
        } else {
            wanted.clone()
        };
        let ord = match (actual.parse::<i64>(), wanted.parse::<i64>()) {
            (Ok(a), Ok(b)) => a.cmp(&b),
            _ => actual.as_str().cmp(wanted.as_str()),
        };
        match op.as_str() {
            "" | "=" => ord.is_eq(),
            "!" | "!=" => !ord.is_eq(),
            "<" => ord.is_lt(),
            "<=" => ord.is_le(),
            ">" => ord.is_gt(),
            ">=" => ord.is_ge(),
            _ => true,
        }
    })
}

fn sort(rows: &mut [&OfflineEvent], p: &Map<String, Value>, default: &str) {
    let (field, desc) = match p.get("ORDER") {
        Some(Value::Object(m)) if !m.is_empty() => {
            let (k, v) = m.iter().next().expect("not empty");
            (
                k.to_ascii_uppercase(),
                php_string(v).is_some_and(|s| s.eq_ignore_ascii_case("desc")),
            )
        }
        _ => (default.to_owned(), false),
    };
    rows.sort_by(|a, b| {
        let ord = match field.as_str() {
            "TIMESTAMP_X" => a.timestamp.cmp(&b.timestamp),
            "EVENT_NAME" => a.event.cmp(&b.event),
            "MESSAGE_ID" => a.message_id.cmp(&b.message_id),
            _ => std::cmp::Ordering::Equal,
        }
        .then(a.id.cmp(&b.id));
        if desc { ord.reverse() } else { ord }
    });
}

fn view(r: &OfflineEvent, with_state: bool) -> Value {
    let mut v = json!({
        "ID": r.id.to_string(),
        "TIMESTAMP_X": iso8601(r.timestamp),
        "EVENT_NAME": r.event,
        "EVENT_DATA": r.data,
        "EVENT_ADDITIONAL": {"user_id": r.user_id.to_string()},
        "MESSAGE_ID": r.message_id,
    });
    if with_state {
        v["PROCESS_ID"] = json!(r.process_id);
        v["ERROR"] = json!(if r.error { "1" } else { "0" });
    }
    v
}

fn offline_get(state: &mut State, app: u64, p: &Map<String, Value>) -> Outcome {
    let limit = match php_int(p.get("LIMIT")) {
        n if n <= 0 => 50,
        n => usize::try_from(n).unwrap_or(50),
    };
    let clear = p.get("CLEAR").is_none_or(|v| php_int(Some(v)) != 0);
    let with_errors = php_int(p.get("ERROR")) != 0;
    let given = text(p, "PROCESS_ID");
    let rows = filters(p);
    let process = if given.is_empty() {
        state.events.last_process += 1;
        let n = state.events.last_process;
        crate::digest::sha256_hex(format!("process|{app}|{n}").as_bytes())[..32].to_owned()
    } else {
        given
    };
    let ev = &mut state.events;
    // Already held by this process first, then free records, up to `limit`.
    let mut held: Vec<&OfflineEvent> = ev
        .offline
        .iter()
        .filter(|r| r.app_id == app && r.process_id == process)
        .collect();
    let mut free: Vec<&OfflineEvent> = ev
        .offline
        .iter()
        .filter(|r| r.app_id == app && r.process_id.is_empty() && (with_errors || !r.error))
        .filter(|r| passes(r, &rows))
        .collect();
    sort(&mut held, p, "TIMESTAMP_X");
    sort(&mut free, p, "TIMESTAMP_X");
    let chosen: Vec<u64> = held
        .into_iter()
        .chain(free)
        .take(limit)
        .map(|r| r.id)
        .collect();
    let events: Vec<Value> = chosen
        .iter()
        .filter_map(|id| ev.offline.iter().find(|r| r.id == *id))
        .map(|r| view(r, false))
        .collect();
    if clear {
        ev.offline.retain(|r| !chosen.contains(&r.id));
    } else {
        for r in &mut ev.offline {
            if chosen.contains(&r.id) {
                r.process_id.clone_from(&process);
            }
        }
    }
    Outcome::write(json!({
        "process_id": if clear { Value::Null } else { json!(process) },
        "events": events,
    }))
}

fn id_list(v: Option<&Value>) -> Option<Vec<String>> {
    let v = v?;
    let items = array_values(v).unwrap_or_else(|| vec![v]);
    let out: Vec<String> = items.into_iter().filter_map(php_string).collect();
    (!out.is_empty()).then_some(out)
}

fn process_param(p: &Map<String, Value>) -> Result<String, RestError> {
    let process = text(p, "PROCESS_ID");
    if process.is_empty() {
        return Err(RestError::new(
            400,
            "ERROR_ARGUMENT",
            "Argument 'process_id' is null or empty",
        ));
    }
    Ok(process)
}

fn offline_clear(
    state: &mut State,
    app: u64,
    p: &Map<String, Value>,
) -> Result<Outcome, RestError> {
    let process = process_param(p)?;
    let ids = id_list(p.get("ID"));
    let messages = if ids.is_none() {
        id_list(p.get("MESSAGE_ID"))
    } else {
        None
    };
    state.events.offline.retain(|r| {
        let hit = r.app_id == app
            && r.process_id == process
            && ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&r.id.to_string()))
            && messages.as_ref().is_none_or(|m| m.contains(&r.message_id));
        !hit
    });
    Ok(Outcome::write(json!(true)))
}

fn offline_error(
    state: &mut State,
    app: u64,
    p: &Map<String, Value>,
) -> Result<Outcome, RestError> {
    let process = process_param(p)?;
    let messages = id_list(p.get("MESSAGE_ID"));
    for r in &mut state.events.offline {
        if r.app_id == app
            && r.process_id == process
            && messages.as_ref().is_none_or(|m| m.contains(&r.message_id))
        {
            r.error = true;
            r.process_id.clear();
        }
    }
    Ok(Outcome::write(json!(true)))
}

fn offline_list(state: &State, app: u64, p: &Map<String, Value>, start: i64) -> Outcome {
    let rows = filters(p);
    let mut all: Vec<&OfflineEvent> = state
        .events
        .offline
        .iter()
        .filter(|r| r.app_id == app && passes(r, &rows))
        .collect();
    sort(&mut all, p, "ID");
    let total = all.len();
    let start = usize::try_from(start.max(0)).unwrap_or(0);
    let page: Vec<Value> = all
        .iter()
        .skip(start)
        .take(PAGE_SIZE)
        .map(|r| view(r, true))
        .collect();
    let end = start + page.len();
    Outcome::list(
        Value::Array(page),
        total as u64,
        (end < total).then_some(end as u64),
    )
}
