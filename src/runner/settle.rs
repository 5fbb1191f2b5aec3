//! Settling an action an earlier run left `started` (its outcome unknown): how each
//! kind is settled ([`Recovery`]), asking the portal whether its effect exists, waiting
//! out a request that may still be in flight, and telling from a failure whether the
//! action may have taken effect.

use serde_json::{Value, json};

use super::request::{ORIGINATOR, marker};
use super::run::{Error, now_unix};
use super::store::{Mark, Store};
use crate::bitrix::{Client, Method};

/// How an action that an earlier run left `started` (its outcome unknown) is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Sent again: a second request cannot make a second effect (`tasks.task.update`
    /// sets values; a notification with the same TAG replaces the first; a webhook
    /// carries the same `Idempotency-Key`, which the receiver must honour).
    Resend,
    /// The portal is asked whether the effect exists (a task by `XML_ID`, an e-mail
    /// activity by `ORIGIN_ID`); it is sent only if not.
    Probe,
    /// Nothing reliable to ask (a chat message, a timeline comment): not sent again,
    /// reported as uncertain.
    Report,
}

/// How an action of this method (or [`super::WEBHOOK`]) is settled after a crash.
pub fn recovery(method: &str) -> Recovery {
    if method == super::WEBHOOK {
        return Recovery::Resend;
    }
    match Method::from_name(method) {
        Some(Method::TaskUpdate | Method::NotifySystemAdd) => Recovery::Resend,
        Some(Method::TaskAdd | Method::ActivityAdd) => Recovery::Probe,
        _ => Recovery::Report,
    }
}

/// Whether the effect of an action sent under `key` exists in the portal. A read that
/// fails is an error: the action stays `started` for the next run, never guessed.
pub(super) async fn probe(client: &Client, method: Method, key: &str) -> Result<bool, Error> {
    let marker = marker(key);
    let (list, params) = match method {
        Method::TaskAdd => (
            Method::TaskList,
            json!({"filter": {"XML_ID": marker}, "select": ["ID", "XML_ID"]}),
        ),
        Method::ActivityAdd => (
            Method::ActivityList,
            json!({
                "filter": {"ORIGINATOR_ID": ORIGINATOR, "ORIGIN_ID": marker},
                "select": ["ID", "ORIGINATOR_ID", "ORIGIN_ID"],
            }),
        ),
        _ => {
            return Err(Error::Reply {
                method: method.name(),
                what: "no probe for this method".into(),
            });
        }
    };
    let reply = client
        .call(list, params)
        .await
        .map_err(|source| Error::Rest {
            method: list.name(),
            source,
        })?;
    let rows = match &reply.result {
        Value::Array(rows) => rows.clone(),
        other => other["tasks"].as_array().cloned().unwrap_or_default(),
    };
    // A row counts only if it carries the marker: a portal that ignored the filter
    // (listing everything) must not make the runner believe the effect exists and skip
    // it. tasks.task.list answers camelCase (`xmlId`), crm.activity.list upper case.
    Ok(rows.iter().any(|r| {
        [&r["xmlId"], &r["XML_ID"], &r["ORIGIN_ID"]]
            .iter()
            .any(|v| v.as_str() == Some(marker.as_str()))
    }))
}

/// Waits until a `started` action is at least one request timeout old before probing
/// for it: a request the portal is still working on would not show yet, and sending
/// again beside it would make two. Returns whether the action turned out done
/// meanwhile (another process sharing the state finished it).
pub(super) async fn settle(client: &Client, store: &Store, key: &str) -> Result<bool, Error> {
    if let Some(at) = store.started_at(key)? {
        let limit = i64::try_from(client.timeout().as_secs()).unwrap_or(i64::MAX);
        let wait = at.saturating_add(limit).saturating_sub(now_unix());
        if wait > 0 {
            tokio::time::sleep(std::time::Duration::from_secs(wait.unsigned_abs())).await;
        }
    }
    Ok(store.mark(key)? == Mark::Done)
}

/// The portal's reason when it rejected an action outright (HTTP 400: bad or stale
/// input, e.g. a recipient who no longer exists).
pub(super) fn rejected(e: &Error) -> Option<String> {
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
pub(super) fn maybe_done(e: &Error) -> bool {
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
