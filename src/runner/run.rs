//! `b24flow run`: pulls the portal's offline events, runs the runner workflows they
//! start, and clears them; scans for overdue tasks.
//!
//! The protocol (bitrix24/b24restdocs `api-reference/events/offline-events.md`): the
//! runner chooses its process id and stores it before its first `event.offline.get`
//! (`clear=0`, so records are held, not deleted); it handles each event, then
//! `event.offline.clear`s the batch by id. A run that dies comes back with the same
//! process id and gets the records it held plus new ones.
//!
//! Exactly once: each (workflow, object) start has a key, each action of it a key, in
//! the SQLite [`Store`]. An action already `done` is skipped. An action `started` but
//! not confirmed (the run died with the request in flight, or the reply was lost) is
//! settled by what its effect carries ([`Recovery`]): a notification carries the
//! action's [`marker`] as its `TAG` (a repeat replaces the first), a task update sets
//! values, a webhook carries the key as `Idempotency-Key`, so these are sent again; a
//! new task carries the marker as `XML_ID`, an e-mail activity as `ORIGIN_ID`, so the
//! portal is asked (`tasks.task.list`, `crm.activity.list`) and they are sent only if
//! it has none; a probe waits until the claim is one request timeout old, so a request
//! the portal is still working on is not missed, and a probe that fails leaves the
//! action `started` for the next run. Chat messages and timeline comments carry nothing
//! the portal can be asked about reliably (only their text): they are not sent again
//! and are reported as uncertain. A request known not to have taken effect (refused
//! connection, throttled past every retry) frees its key so the next run sends it; one
//! the portal rejected (HTTP 400) is reported and not retried, so it cannot hold later
//! events back. Keys are claimed atomically ([`Store::claim`]), so `serve` (online
//! events) and `run` (offline) sharing one state file never both send. Events about
//! objects that no longer exist are cleared without effect.
//!
//! This file pulls and clears the events and hands each to the workflows listening to
//! it; the rest lives beside it: `matching` (conditions and placeholders), `request`
//! (an action's REST request and marker), `act` (performing the actions), `settle`
//! (actions left in flight), `email` and `webhook` (those two kinds of action), and
//! `overdue` (the scan for tasks past their deadline).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::act::start;
use super::matching::object_name;
use super::store::Store;
use super::{Object, RunnerSpec};
use crate::bitrix::{Client, Idempotency, Method};

pub use super::matching::holds;
pub use super::request::{ORIGINATOR, marker};
pub use super::settle::{Recovery, recovery};

/// Events pulled per request.
pub const BATCH: u32 = 50;

/// Runs that may send one webhook whose outcome stayed unknown before it is given up.
pub const WEBHOOK_ATTEMPTS: u32 = 5;

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
            "the next run sends it again with the same Idempotency-Key, so a receiver that honours the header drops a repeat"
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
    /// lost), of a kind the portal cannot be asked about (a chat message, a timeline
    /// comment), so not re-sent: `workflow|object#index`. Each is reported by exactly
    /// one completed pass.
    pub uncertain: Vec<String>,
    /// Actions not carried out and not to be retried: a webhook refused before sending
    /// (its host resolved to an internal address not in `[policy]
    /// webhook_allowed_hosts`), or a request the portal rejected with an error reply:
    /// `key: reason`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<String>,
    /// Actions an earlier run left in flight, settled now by sending them again where a
    /// repeat replaces the first, or by asking the portal: `key: what was done`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settled: Vec<String>,
}
pub(super) async fn call(
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

/// A read's outcome, with "not found" as `None`: the object was deleted. Tasks answer
/// "Task not found", CRM records and activities "Not found"; any other failure is an
/// error.
pub(super) fn gone<T>(
    reply: Result<T, crate::bitrix::Error>,
    method: Method,
) -> Result<Option<T>, Error> {
    match reply {
        Ok(reply) => Ok(Some(reply)),
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
    let Some(reply) = gone(client.call(method, params).await, method)? else {
        return Ok(None);
    };
    Ok(match (object, reply.result) {
        (Object::Task, Value::Object(mut m)) => match m.remove("task") {
            Some(Value::Object(t)) => Some(t),
            _ => None,
        },
        (_, Value::Object(m)) => Some(m),
        _ => None,
    })
}

pub(super) fn now_unix() -> i64 {
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
    super::overdue::scan(client, store, workflows, now, &mut report).await?;
    report.uncertain = store.take_uncertain()?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value, json};

    use super::super::request::request;
    use super::super::settle::{maybe_done, rejected};
    use super::*;

    fn rest(source: crate::bitrix::Error) -> Error {
        Error::Rest {
            method: "im.notify.system.add",
            source,
        }
    }

    #[test]
    fn every_action_kind_has_a_way_to_be_settled() {
        assert_eq!(recovery("im.notify.system.add"), Recovery::Resend);
        assert_eq!(recovery("tasks.task.update"), Recovery::Resend);
        assert_eq!(recovery(super::super::WEBHOOK), Recovery::Resend);
        assert_eq!(recovery("tasks.task.add"), Recovery::Probe);
        assert_eq!(recovery("crm.activity.add"), Recovery::Probe);
        assert_eq!(recovery("im.message.add"), Recovery::Report);
        assert_eq!(recovery("crm.timeline.comment.add"), Recovery::Report);
        // The marker is the same on every run and differs per action.
        assert_eq!(marker("w|task:1#0"), marker("w|task:1#0"));
        assert_ne!(marker("w|task:1#0"), marker("w|task:1#1"));
        assert_eq!(marker("w|task:1#0").len(), 40);
    }

    #[test]
    fn each_effect_carries_the_marker() {
        let obj: Map<String, Value> =
            serde_json::from_value(json!({"id": "7", "title": "T", "createdBy": "3"})).unwrap();
        let call = |method: &str, params: Value| super::super::RunnerCall {
            method: method.into(),
            params: serde_json::from_value(params).unwrap(),
        };
        let key = "w|task:7#0";
        let (_, p, idem) = request(
            &call(
                "im.notify.system.add",
                json!({"USER_ID": "{{task.createdBy}}", "MESSAGE": "x"}),
            ),
            Object::Task,
            &obj,
            0,
            key,
        )
        .unwrap();
        assert_eq!(
            (p["TAG"].as_str(), p["USER_ID"].as_str(), idem),
            (Some(marker(key).as_str()), Some("3"), Idempotency::Safe)
        );
        let (_, p, idem) = request(
            &call(
                "tasks.task.add",
                json!({"fields": {"TITLE": "F {{task.title}}"}}),
            ),
            Object::Task,
            &obj,
            0,
            key,
        )
        .unwrap();
        assert_eq!(
            (p["fields"]["XML_ID"].as_str(), idem),
            (Some(marker(key).as_str()), Idempotency::Unsafe)
        );
        let (_, p, _) = request(
            &call("crm.activity.add", json!({"fields": {"TYPE_ID": 4}})),
            Object::Task,
            &obj,
            0,
            key,
        )
        .unwrap();
        assert_eq!(
            (
                p["fields"]["ORIGINATOR_ID"].as_str(),
                p["fields"]["ORIGIN_ID"].as_str()
            ),
            (Some(ORIGINATOR), Some(marker(key).as_str()))
        );
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
