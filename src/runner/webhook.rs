//! Webhook actions: an HTTP request b24flow sends itself ([`super::WEBHOOK`]), checked
//! against internal addresses before connecting and carrying the action's key as
//! `Idempotency-Key`.

use serde_json::{Map, Value, json};

use super::Object;
use super::matching::{field_text, fill, object_name};
use super::run::{Error, Workflow};

/// Sends a webhook action: POST (JSON body) or GET (query) to the URL the lockfile
/// holds, with an `Idempotency-Key` header (the action's key) so a receiver can drop a
/// repeat. The host's addresses are resolved and checked before connecting (an
/// internal one is refused unless the compile allowed the host) and the connection is
/// pinned to the checked address, so a name cannot be re-pointed in between; redirects
/// are not followed.
pub(super) async fn webhook(
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
        // The receiver refused the request itself (RFC 9110 4xx), except "timeout",
        // "too early" and "too many requests", which ask for a later try: sending it
        // again would be refused again and hold every later event back.
        Ok(reply)
            if reply.status().is_client_error()
                && ![408, 425, 429].contains(&reply.status().as_u16()) =>
        {
            Err(fail(
                &host,
                format!(
                    "it refused the request with HTTP {}",
                    reply.status().as_u16()
                ),
                true,
                true,
            ))
        }
        // It arrived: the receiver may have acted before failing; the next run sends it
        // again with the same Idempotency-Key.
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
