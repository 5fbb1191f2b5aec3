//! `b24flow run`: pulls the portal's offline events, runs the runner workflows they
//! start, and clears them; scans for overdue tasks.
//!
//! The protocol (bitrix24/b24restdocs `api-reference/events/offline-events.md`): the
//! runner chooses its process id and stores it before its first `event.offline.get`
//! (`clear=0`, so records are held, not deleted); it handles each event, then
//! `event.offline.clear`s the batch by id. A run that dies comes back with the same
//! process id and gets the records it held plus new ones.
//!
//! Effectively once: each (workflow, object) start has a key, each action of it a key,
//! in the SQLite [`Store`]. An action already `done` is skipped. An action `started` but
//! not confirmed (the run died with the request in flight) is re-sent only when
//! re-sending is harmless (`tasks.task.update` sets values); a message or a new task is
//! not, and is reported as possibly lost rather than sent twice. A request known not to
//! have taken effect (refused connection, throttled past every retry) frees its key so
//! the next run sends it; one the portal rejected (HTTP 400) is reported and not
//! retried, so it cannot hold later events back. Keys are claimed atomically
//! ([`Store::claim`]), so `serve` (online events) and `run` (offline) sharing one state
//! file never both send. Events about objects that no longer exist are cleared without
//! effect.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::store::{Mark, Store};
use super::{Object, RunnerSpec};
use crate::bitrix::{Client, Idempotency, Method};

/// Events pulled per request.
pub const BATCH: u32 = 50;

/// Why a run stopped.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Store(#[from] super::store::Error),
    #[error("{method} failed")]
    #[diagnostic(
        code(b24flow::runner::rest),
        help("the events stay held by this runner and are handled on the next run")
    )]
    Rest {
        method: &'static str,
        #[source]
        #[diagnostic_source]
        source: crate::bitrix::Error,
    },
    #[error("{method} answered something unexpected: {what}")]
    #[diagnostic(code(b24flow::runner::reply))]
    Reply { method: &'static str, what: String },
    /// A webhook action failed. Only the host is named: a URL's path or query may hold a
    /// secret.
    #[error("the webhook to {host} failed: {what}")]
    #[diagnostic(
        code(b24flow::runner::webhook),
        help(
            "a request that never left is sent on the next run; one that may have arrived is reported as uncertain and not sent again"
        )
    )]
    Webhook {
        host: String,
        what: String,
        /// Whether the receiver may have got it.
        maybe_delivered: bool,
        /// Refused by policy before sending (an internal address).
        refused: bool,
    },
}

/// One runner workflow.
#[derive(Debug, Clone)]
pub struct Workflow {
    /// The workflow id (spec path without `.txt`).
    pub id: String,
    pub spec: RunnerSpec,
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Report {
    /// Offline events read.
    pub events: usize,
    /// Workflow starts (a workflow whose conditions held for an object).
    pub started: usize,
    /// REST calls performed as actions.
    pub actions: usize,
    /// Actions skipped because they were already done.
    pub skipped: usize,
    /// Actions whose request was in flight when an earlier run died (or whose reply was
    /// lost), not re-sent because re-sending could repeat them: `workflow|object#index`.
    /// Each is reported by exactly one completed pass.
    pub uncertain: Vec<String>,
    /// Actions not carried out and not to be retried: a webhook refused before sending
    /// (its host resolved to an internal address not in `[policy]
    /// webhook_allowed_hosts`), or a request the portal rejected with an error reply:
    /// `key: reason`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<String>,
}

async fn call(
    client: &Client,
    method: Method,
    params: Value,
    idempotency: Idempotency,
) -> Result<Value, Error> {
    client
        .call_with(method, params, idempotency)
        .await
        .map(|r| r.result)
        .map_err(|source| Error::Rest {
            method: method.name(),
            source,
        })
}

/// Reads the object; `None` when it no longer exists.
async fn read(
    client: &Client,
    object: Object,
    id: u64,
) -> Result<Option<Map<String, Value>>, Error> {
    let (method, params) = match object {
        Object::Task => (Method::TaskGet, json!({"taskId": id})),
        Object::Activity => (Method::ActivityGet, json!({"id": id})),
        Object::Calendar => (Method::CalendarEventGetById, json!({"id": id})),
    };
    match client.call(method, params).await {
        Ok(reply) => Ok(match (object, reply.result) {
            (Object::Task, Value::Object(mut m)) => match m.remove("task") {
                Some(Value::Object(t)) => Some(t),
                _ => None,
            },
            (_, Value::Object(m)) => Some(m),
            _ => None,
        }),
        // A deleted object: tasks answer "Task not found", activities "Not found".
        Err(crate::bitrix::Error::Api { description, .. })
            if description.to_ascii_lowercase().contains("not found") =>
        {
            Ok(None)
        }
        Err(source) => Err(Error::Rest {
            method: method.name(),
            source,
        }),
    }
}

fn field_text(obj: &Map<String, Value>, field: &str) -> String {
    match obj.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "Y" } else { "N" }.to_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(","),
        _ => String::new(),
    }
}

/// Whether every condition holds on the object.
pub fn holds(spec: &RunnerSpec, obj: &Map<String, Value>) -> bool {
    spec.conditions.iter().all(|c| {
        let a = field_text(obj, &c.field);
        let num = |s: &str| s.trim().parse::<f64>().ok();
        let cmp = match (num(&a), num(&c.value)) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => Some(a.as_str().cmp(c.value.as_str())),
        };
        match c.operator.as_str() {
            "=" => cmp == Some(std::cmp::Ordering::Equal),
            "!=" => cmp != Some(std::cmp::Ordering::Equal),
            ">" => cmp == Some(std::cmp::Ordering::Greater),
            ">=" => matches!(cmp, Some(o) if o.is_ge()),
            "<" => cmp == Some(std::cmp::Ordering::Less),
            "<=" => matches!(cmp, Some(o) if o.is_le()),
            "contain" => a.contains(&c.value),
            "!contain" => !a.contains(&c.value),
            "empty" => a.is_empty() || a == "0",
            "!empty" => !(a.is_empty() || a == "0"),
            _ => false,
        }
    })
}

fn object_name(o: Object) -> &'static str {
    match o {
        Object::Task => "task",
        Object::Activity => "activity",
        Object::Calendar => "calendar",
    }
}

/// Fills `{{task.field}}`-style placeholders and `{{now}}`.
fn fill(s: &str, object: Object, obj: &Map<String, Value>, now: i64) -> String {
    let prefix = format!("{{{{{}.", object_name(object));
    let mut out = String::new();
    let mut rest = s;
    loop {
        let next_obj = rest.find(&prefix);
        let next_now = rest.find("{{now}}");
        match (next_obj, next_now) {
            (Some(i), n) if n.is_none_or(|n| i < n) => {
                out.push_str(&rest[..i]);
                let after = &rest[i + prefix.len()..];
                let Some(end) = after.find("}}") else {
                    out.push_str(&rest[i..]);
                    return out;
                };
                let field = &after[..end];
                if field == "OWNER_TYPE" {
                    // CCrmOwnerType ids, as crm.timeline.comment.add's ENTITY_TYPE names them.
                    out.push_str(match field_text(obj, "OWNER_TYPE_ID").as_str() {
                        "1" => "lead",
                        "2" => "deal",
                        "3" => "contact",
                        "4" => "company",
                        _ => "",
                    });
                } else {
                    out.push_str(&field_text(obj, field));
                }
                rest = &after[end + 2..];
            }
            (_, Some(n)) => {
                out.push_str(&rest[..n]);
                out.push_str(&super::iso_utc(now));
                rest = &rest[n + "{{now}}".len()..];
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

fn fill_value(v: &Value, object: Object, obj: &Map<String, Value>, now: i64) -> Value {
    match v {
        Value::String(s) => Value::String(fill(s, object, obj, now)),
        Value::Array(a) => {
            Value::Array(a.iter().map(|x| fill_value(x, object, obj, now)).collect())
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), fill_value(x, object, obj, now)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The request for one action, filled in; tags are computed from the task as read.
fn request(
    call: &super::RunnerCall,
    object: Object,
    obj: &Map<String, Value>,
    now: i64,
) -> Option<(Method, Value, Idempotency)> {
    let method = Method::from_name(&call.method)?;
    let mut params: Map<String, Value> = call
        .params
        .iter()
        .map(|(k, v)| (k.clone(), fill_value(v, object, obj, now)))
        .collect();
    let tags = |obj: &Map<String, Value>| -> Vec<String> {
        match obj.get("tags") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|t| {
                    t.as_str()
                        .map(str::to_owned)
                        .or_else(|| t["title"].as_str().map(str::to_owned))
                })
                .collect(),
            Some(Value::Object(m)) => m
                .values()
                .filter_map(|t| t["title"].as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    for (key, add) in [("tags_add", true), ("tags_remove", false)] {
        if let Some(tag) = params.remove(key) {
            let tag = tag.as_str().unwrap_or_default().to_owned();
            let mut list = tags(obj);
            if add {
                if !list.contains(&tag) {
                    list.push(tag);
                }
            } else {
                list.retain(|t| *t != tag);
            }
            params.insert("fields".into(), json!({ "TAGS": list }));
        }
    }
    // The runner's own changes carry its connector, so they record no event for it.
    params.insert(
        "auth_connector".into(),
        json!(crate::ops::runner::CONNECTOR),
    );
    let idempotency = if method == Method::TaskUpdate {
        Idempotency::Safe
    } else {
        Idempotency::Unsafe
    };
    Some((method, Value::Object(params), idempotency))
}

/// Runs one workflow on one object, once per `start_key`.
async fn start(
    client: &Client,
    store: &Store,
    wf: &Workflow,
    obj: &Map<String, Value>,
    start_key: &str,
    now: i64,
    report: &mut Report,
) -> Result<(), Error> {
    if store.mark(start_key)? == Mark::Done {
        return Ok(());
    }
    if !holds(&wf.spec, obj) {
        return Ok(());
    }
    report.started += 1;
    for (i, action) in wf.spec.actions.iter().enumerate() {
        let key = format!("{start_key}#{i}");
        let prepared = if action.method == super::WEBHOOK {
            None
        } else {
            let Some(prepared) = request(action, wf.spec.object, obj, now) else {
                return Err(Error::Reply {
                    method: "lockfile",
                    what: format!("{} names unknown method {}", wf.id, action.method),
                });
            };
            Some(prepared)
        };
        // A webhook's receiver may act on every delivery: never re-sent blindly.
        let idempotency = prepared.as_ref().map_or(Idempotency::Unsafe, |p| p.2);
        // Claimed atomically: another runner (`serve` online, `run` offline) handling the
        // same event at the same time sees `Started` and does not send it too.
        match store.claim(&key)? {
            Mark::Done => {
                report.skipped += 1;
                continue;
            }
            Mark::Started if idempotency == Idempotency::Unsafe => {
                // Not sent again; kept as `uncertain` until a pass completes and
                // reports it, so a pass that fails later cannot swallow the report.
                store.uncertain(&key)?;
                continue;
            }
            _ => {}
        }
        let sent = match prepared {
            Some((method, params, idempotency)) => {
                call(client, method, params, idempotency).await.map(|_| ())
            }
            None => match webhook(wf, action, obj, &key, now).await {
                Err(Error::Webhook {
                    host,
                    what,
                    maybe_delivered: false,
                    refused: true,
                }) => {
                    // Refused by policy before any request: done, and said, rather than
                    // holding every later event back.
                    report.refused.push(format!("{key}: {host}: {what}"));
                    store.done(&key)?;
                    continue;
                }
                other => other,
            },
        };
        if let Err(e) = sent {
            // The portal rejected the request itself (a 400 error reply): retrying would
            // only be rejected again and hold every later event back, so it is reported
            // and done.
            if let Some(why) = rejected(&e) {
                report.refused.push(format!("{key}: {why}"));
                store.done(&key)?;
                continue;
            }
            // A failure that says the request was not carried out (refused connection,
            // throttled past every retry) frees the key, so the next run sends it; only
            // an unknown outcome stays `started` and is reported, never re-sent.
            if !maybe_done(&e) {
                store.forget(&key)?;
            }
            return Err(e);
        }
        store.done(&key)?;
        report.actions += 1;
    }
    store.done(start_key)?;
    Ok(())
}

/// Sends a webhook action: POST (JSON body) or GET (query) to the URL the lockfile
/// holds, with an `Idempotency-Key` header (the action's key) so a receiver can drop a
/// repeat. The host's addresses are resolved and checked before connecting (an
/// internal one is refused unless the compile allowed the host) and the connection is
/// pinned to the checked address, so a name cannot be re-pointed in between; redirects
/// are not followed.
async fn webhook(
    wf: &Workflow,
    call: &super::RunnerCall,
    obj: &Map<String, Value>,
    key: &str,
    now: i64,
) -> Result<(), Error> {
    let param = |k: &str| {
        call.params
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let fail = |host: &str, what: String, maybe_delivered: bool, refused: bool| Error::Webhook {
        host: host.to_owned(),
        what,
        maybe_delivered,
        refused,
    };
    let url = url::Url::parse(param("url")).map_err(|e| {
        fail(
            "?",
            format!("the lockfile's URL is not a URL: {e}"),
            false,
            false,
        )
    })?;
    let host = url.host_str().unwrap_or_default().to_owned();
    if url.scheme() != "https" || host.is_empty() {
        return Err(fail(
            &host,
            "only https URLs with a host are called".into(),
            false,
            true,
        ));
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| fail(&host, format!("cannot resolve the host: {e}"), false, false))?
        .collect();
    let allow_internal = call.params.get("allow_internal") == Some(&Value::Bool(true));
    if !allow_internal
        && let Some((addr, why)) = addrs.iter().find_map(|a| {
            crate::resolve::rules::urls::internal_host(&a.ip().to_string()).map(|why| (a, why))
        })
    {
        return Err(fail(
            &host,
            format!(
                "it resolves to {why} address {}; allow it with [policy] webhook_allowed_hosts",
                addr.ip()
            ),
            false,
            true,
        ));
    }
    let Some(addr) = addrs.first().copied() else {
        return Err(fail(&host, "the host has no address".into(), false, false));
    };
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .resolve(&host, addr)
        .build()
        .map_err(|e| {
            fail(
                &host,
                format!("cannot build the HTTP client: {e}"),
                false,
                false,
            )
        })?;
    let id = field_text(
        obj,
        if wf.spec.object == Object::Task {
            "id"
        } else {
            "ID"
        },
    );
    let message = fill(param("message"), wf.spec.object, obj, now);
    let request = if param("method") == "GET" {
        client.get(url).query(&[
            ("workflow", wf.id.as_str()),
            ("object", object_name(wf.spec.object)),
            ("id", id.as_str()),
            ("message", message.as_str()),
        ])
    } else {
        client.post(url).json(&json!({
            "workflow": wf.id,
            "object": object_name(wf.spec.object),
            "id": id,
            "fields": obj,
            "message": message,
        }))
    };
    match request.header("Idempotency-Key", key).send().await {
        Ok(reply) if reply.status().is_success() => Ok(()),
        // It arrived: the receiver may have acted before failing.
        Ok(reply) => Err(fail(
            &host,
            format!("it answered HTTP {}", reply.status().as_u16()),
            true,
            false,
        )),
        // Without the URL: reqwest's text names it.
        Err(e) => Err(fail(
            &host,
            if e.is_connect() {
                "cannot connect"
            } else if e.is_timeout() {
                "no answer in time"
            } else {
                "the request failed"
            }
            .into(),
            !e.is_connect(),
            false,
        )),
    }
}

/// The portal's reason when it rejected an action outright (HTTP 400: bad or stale
/// input, e.g. a recipient who no longer exists).
fn rejected(e: &Error) -> Option<String> {
    match e {
        Error::Rest {
            source:
                crate::bitrix::Error::Api {
                    code,
                    description,
                    status: 400,
                    ..
                },
            method,
        } => Some(format!("{method} was rejected: {code} {description}")),
        _ => None,
    }
}

/// Whether a failed action may have taken effect in the portal.
fn maybe_done(e: &Error) -> bool {
    match e {
        Error::Rest { source, .. } => matches!(
            source,
            crate::bitrix::Error::Indeterminate { .. }
                | crate::bitrix::Error::Transport {
                    maybe_delivered: true,
                    ..
                }
        ),
        Error::Webhook {
            maybe_delivered, ..
        } => *maybe_delivered,
        Error::Store(_) | Error::Reply { .. } => true,
    }
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The workflows listening to each event name (upper case).
fn by_event(workflows: &[Workflow]) -> BTreeMap<&str, Vec<&Workflow>> {
    workflows.iter().fold(BTreeMap::new(), |mut m, w| {
        for e in &w.spec.events {
            m.entry(e.as_str()).or_insert_with(Vec::new).push(w);
        }
        m
    })
}

/// Handles one event, however it arrived: an offline record (`EVENT_NAME`,
/// `EVENT_DATA`) or an online delivery (`event`, `data`). The keys are the same either
/// way, so an event delivered both online and offline acts once.
#[allow(clippy::too_many_arguments)]
async fn handle(
    client: &Client,
    store: &Store,
    by_event: &BTreeMap<&str, Vec<&Workflow>>,
    name: &str,
    data: &Value,
    now: i64,
    report: &mut Report,
) -> Result<(), Error> {
    report.events += 1;
    let name = name.to_ascii_uppercase();
    if let (Some(wfs), Some(oid)) = (by_event.get(name.as_str()), object_id(data)) {
        for wf in wfs {
            let Some(obj) = read(client, wf.spec.object, oid).await? else {
                continue;
            };
            let key = format!("{}|{}:{oid}", wf.id, object_name(wf.spec.object));
            start(client, store, wf, &obj, &key, now, report).await?;
        }
    }
    Ok(())
}

/// Handles one event delivered online (`serve`'s `POST /events`): `name` is the
/// posted `event`, `data` its `data`.
pub async fn online(
    client: &Client,
    store: &Store,
    workflows: &[Workflow],
    name: &str,
    data: &Value,
) -> Result<Report, Error> {
    let mut report = Report::default();
    let by_event = by_event(workflows);
    handle(
        client,
        store,
        &by_event,
        name,
        data,
        now_unix(),
        &mut report,
    )
    .await?;
    report.uncertain = store.take_uncertain()?;
    Ok(report)
}

/// The id of the object an event's data names (`FIELDS_AFTER.ID` for tasks,
/// `FIELDS.ID` for activities, `id` for calendar entries).
pub fn object_id(data: &Value) -> Option<u64> {
    [
        &data["FIELDS_AFTER"]["ID"],
        &data["FIELDS"]["ID"],
        &data["id"],
    ]
    .into_iter()
    .find_map(|v| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

/// Drains the offline queue once and scans for overdue tasks.
pub async fn once(client: &Client, store: &Store, workflows: &[Workflow]) -> Result<Report, Error> {
    let mut report = Report::default();
    let now = now_unix();
    let by_event = by_event(workflows);
    if !by_event.is_empty() {
        let process = if let Some(p) = store.get("process_id")? {
            p
        } else {
            let p = crate::digest::sha256_hex(
                format!("b24flow-runner|{now}|{}", std::process::id()).as_bytes(),
            )[..32]
                .to_owned();
            store.put("process_id", &p)?;
            p
        };
        loop {
            let got = call(
                client,
                Method::EventOfflineGet,
                json!({"process_id": process, "clear": 0, "limit": BATCH}),
                Idempotency::Safe,
            )
            .await?;
            let events = got["events"].as_array().cloned().unwrap_or_default();
            if events.is_empty() {
                break;
            }
            let mut ids = Vec::new();
            for ev in &events {
                let name = ev["EVENT_NAME"].as_str().unwrap_or_default();
                handle(
                    client,
                    store,
                    &by_event,
                    name,
                    &ev["EVENT_DATA"],
                    now,
                    &mut report,
                )
                .await?;
                ids.push(ev["ID"].clone());
            }
            call(
                client,
                Method::EventOfflineClear,
                json!({"process_id": process, "id": ids}),
                Idempotency::Safe,
            )
            .await?;
        }
    }
    for wf in workflows
        .iter()
        .filter(|w| w.spec.scan.as_deref() == Some("overdue"))
    {
        let mut start_at = 0u64;
        loop {
            let reply = client
                .call(
                    Method::TaskList,
                    json!({
                        "filter": {"<DEADLINE": super::iso_utc(now), "!STATUS": 5},
                        "select": ["ID", "TITLE", "DEADLINE", "STATUS", "RESPONSIBLE_ID", "CREATED_BY", "TAGS"],
                        "start": start_at,
                    }),
                )
                .await
                .map_err(|source| Error::Rest { method: Method::TaskList.name(), source })?;
            let tasks = reply.result["tasks"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for t in tasks {
                let Value::Object(obj) = t else { continue };
                if field_text(&obj, "deadline").is_empty() {
                    continue;
                }
                let key = format!(
                    "{}|task:{}:overdue:{}",
                    wf.id,
                    field_text(&obj, "id"),
                    field_text(&obj, "deadline")
                );
                start(client, store, wf, &obj, &key, now, &mut report).await?;
            }
            match reply.next {
                Some(n) if n > start_at => start_at = n,
                _ => break,
            }
        }
    }
    report.uncertain = store.take_uncertain()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rest(source: crate::bitrix::Error) -> Error {
        Error::Rest {
            method: "im.notify.system.add",
            source,
        }
    }

    #[test]
    fn only_an_unknown_outcome_keeps_an_action_started() {
        let transport = |maybe_delivered| crate::bitrix::Error::Transport {
            method: "im.notify.system.add".into(),
            portal: "p".into(),
            detail: "reset".into(),
            maybe_delivered,
        };
        let indeterminate = crate::bitrix::Error::Indeterminate {
            method: "im.notify.system.add".into(),
            cause: Box::new(transport(true)),
        };
        assert!(maybe_done(&rest(indeterminate)));
        assert!(maybe_done(&rest(transport(true))));
        // Throttled past every retry, refused, or answered with an error: not done, so
        // the key is freed and the next run sends it.
        let exhausted = crate::bitrix::Error::RetriesExhausted {
            method: "im.notify.system.add".into(),
            attempts: 6,
            last: Box::new(transport(false)),
        };
        assert!(!maybe_done(&rest(exhausted)));
        assert!(!maybe_done(&rest(transport(false))));
        let api = crate::bitrix::Error::Api {
            method: "im.notify.system.add".into(),
            code: "USER_ID_EMPTY".into(),
            description: "Recipient user id can't be empty".into(),
            status: 400,
            help: None,
        };
        let api = rest(api);
        assert!(rejected(&api).is_some_and(|w| w.contains("USER_ID_EMPTY")));
        assert!(rejected(&rest(transport(false))).is_none());
        let webhook = |maybe_delivered| Error::Webhook {
            host: "h".into(),
            what: "x".into(),
            maybe_delivered,
            refused: false,
        };
        assert!(maybe_done(&webhook(true)));
        assert!(!maybe_done(&webhook(false)));
    }
}
