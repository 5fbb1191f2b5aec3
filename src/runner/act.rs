//! Performing a runner workflow's actions on one object, exactly once per key: each
//! action is claimed in the [`Store`], sent, and marked done; one an earlier run left in
//! flight is settled first (`super::settle`), and one the portal or a webhook's
//! receiver refused is reported and done, so it cannot hold later events back.

use serde_json::{Map, Value};

use super::email::email_to;
use super::matching::holds;
use super::request::request;
use super::run::{Error, Report, WEBHOOK_ATTEMPTS, Workflow, call};
use super::settle::{Recovery, maybe_done, probe, recovery, rejected, settle};
use super::store::{Mark, Store};
use super::webhook::webhook;
use crate::bitrix::{Client, Method};

/// Runs one workflow on one object, once per `start_key`.
pub(super) async fn start(
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
        if store.mark(&key)? == Mark::Done {
            report.skipped += 1;
            continue;
        }
        let mut prepared = if action.method == super::WEBHOOK {
            None
        } else {
            let Some(prepared) = request(action, wf.spec.object, obj, now, &key) else {
                return Err(Error::Reply {
                    method: "lockfile",
                    what: format!("{} names unknown method {}", wf.id, action.method),
                });
            };
            Some(prepared)
        };
        if let Some((Method::ActivityAdd, Value::Object(params), _)) = prepared.as_mut() {
            match email_to(client, wf.spec.object, obj).await? {
                Ok(to) => to.fill(params),
                Err(why) => {
                    // Nothing to send to: said, and done, so it does not hold later
                    // events back.
                    report.refused.push(format!("{key}: {why}; no e-mail sent"));
                    store.done(&key)?;
                    continue;
                }
            }
        }
        let how = recovery(&action.method);
        // Claimed atomically: another runner (`serve` online, `run` offline) handling the
        // same event at the same time sees `Started` and does not send it too.
        match store.claim(&key)? {
            Mark::Done => {
                report.skipped += 1;
                continue;
            }
            Mark::Started => match how {
                Recovery::Report => {
                    // Not sent again; kept as `uncertain` until a pass completes and
                    // reports it, so a pass that fails later cannot swallow the report.
                    store.uncertain(&key)?;
                    continue;
                }
                Recovery::Resend if action.method == super::WEBHOOK => {
                    // A receiver that keeps failing would hold every later event back:
                    // after a few runs it is given up, and said.
                    let name = format!("attempts|{key}");
                    let tries = store
                        .get(&name)?
                        .and_then(|n| n.parse::<u32>().ok())
                        .unwrap_or(1)
                        + 1;
                    if tries > WEBHOOK_ATTEMPTS {
                        report.refused.push(format!(
                            "{key}: gave up after {WEBHOOK_ATTEMPTS} attempts whose outcome is unknown; the receiver may have it"
                        ));
                        store.done(&key)?;
                        continue;
                    }
                    store.put(&name, &tries.to_string())?;
                    store.start(&key)?;
                    report.settled.push(format!(
                        "{key}: sent again (attempt {tries}, same Idempotency-Key)"
                    ));
                }
                Recovery::Resend => {
                    store.start(&key)?;
                    report
                        .settled
                        .push(format!("{key}: sent again (a repeat replaces it)"));
                }
                Recovery::Probe => {
                    let method = prepared.as_ref().map_or(Method::TaskAdd, |p| p.0);
                    if settle(client, store, &key).await? {
                        report.skipped += 1;
                        continue;
                    }
                    if probe(client, method, &key).await? {
                        store.done(&key)?;
                        report
                            .settled
                            .push(format!("{key}: found in the portal, not sent again"));
                        continue;
                    }
                    store.start(&key)?;
                    report
                        .settled
                        .push(format!("{key}: not in the portal, sent now"));
                }
            },
            Mark::New => {}
        }
        let sent = match prepared {
            Some((method, params, idempotency)) => {
                call(client, method, params, idempotency).await.map(|_| ())
            }
            None => match webhook(wf, action, obj, &key, now).await {
                Err(Error::Webhook {
                    host,
                    what,
                    refused: true,
                    ..
                }) => {
                    // Refused by policy before any request, or refused by the receiver
                    // (a 4xx that is not "try later"): done, and said, rather than
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
            // throttled past every retry) frees the key, so the next run sends it; an
            // unknown outcome stays `started` and is settled by the next run.
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
