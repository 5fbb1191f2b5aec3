//! `POST /events`: Bitrix24's online events, run through the same runner pipeline as
//! `b24flow run` (the same SQLite state, so an event delivered online and offline acts
//! once).
//!
//! The request is what the platform's queue server posts to a handler
//! (bitrix24/b24restdocs `api-reference/events/index.md`, "What Bitrix24 Sends to the
//! Handler"): a form body with `event`, `event_handler_id`, `data[...]` (for tasks
//! `data[FIELDS_AFTER][ID]`), `ts` and `auth[...]`, PHP bracket keys. A JSON body of the
//! same shape is accepted too (the docs' own excerpts are JSON).
//!
//! Invariants: `auth[application_token]` must equal `B24FLOW_APPLICATION_TOKEN`,
//! compared in constant time (`safe-event-handlers.md`: handlers compare it with the
//! retained value and stop otherwise); a missing or wrong token is a 401 with nothing
//! done, and the token never appears in a reply; bad input is a 4xx, never a 5xx. The
//! route sits outside the bearer-token layer (the platform cannot send a bearer token)
//! but inside the Host/Origin guard.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use secrecy::ExposeSecret;
use serde_json::{Map, Value};

use super::{ApiError, AppState};
use crate::ops::runner::RUNNER_EVENTS;
use crate::runner::run::{Report, object_id, online};

/// Deeper bracket paths than this are dropped (PHP's `max_input_nesting_level` is 64;
/// an event's data is two levels deep).
const MAX_DEPTH: usize = 8;

/// Parses a form body with PHP bracket keys (`data[FIELDS_AFTER][ID]=5`) into nested
/// objects. Values stay strings, as PHP's `$_POST` has them.
pub fn form_to_json(body: &[u8]) -> Map<String, Value> {
    let mut root = Map::new();
    for (key, value) in url::form_urlencoded::parse(body) {
        let (base, mut rest) = match key.find('[') {
            Some(i) if i > 0 => (&key[..i], &key[i..]),
            _ => (&*key, ""),
        };
        let mut path = vec![base.to_owned()];
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(end) = inner.find(']') else { break };
            path.push(inner[..end].to_owned());
            rest = &inner[end + 1..];
        }
        if path.len() > MAX_DEPTH || path[0].is_empty() {
            continue;
        }
        let mut level = &mut root;
        let (last, parents) = path.split_last().expect("at least the base");
        for p in parents {
            let slot = level
                .entry(p.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            level = slot.as_object_mut().expect("made an object above");
        }
        level.insert(last.clone(), Value::String(value.into_owned()));
    }
    root
}

fn error(status: StatusCode, code: &str, text: &str) -> ApiError {
    ApiError::new(status, code, text)
}

/// The handler.
pub(super) async fn receive(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Report>, ApiError> {
    let Some(expected) = state.env.application_token.as_ref() else {
        return Err(error(
            StatusCode::FORBIDDEN,
            "events_off",
            "online events are off: set B24FLOW_APPLICATION_TOKEN to the application token Bitrix24 sends with them",
        ));
    };
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    let fields = if json {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(m)) => m,
            _ => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "bad_body",
                    "the body is not a JSON object",
                ));
            }
        }
    } else {
        form_to_json(&body)
    };
    let given = fields
        .get("auth")
        .and_then(|a| a.get("application_token"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if given.is_empty()
        || !super::constant_time_eq(given.as_bytes(), expected.expose_secret().as_bytes())
    {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "bad_application_token",
            "auth[application_token] is missing or is not this application's",
        ));
    }
    let Some(name) = fields.get("event").and_then(Value::as_str) else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "bad_event",
            "the body has no `event`",
        ));
    };
    let name = name.to_ascii_uppercase();
    if !RUNNER_EVENTS.contains(&name.as_str()) {
        return Err(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_event",
            "no runner workflow can listen to this event",
        )
        .with_details(vec![format!(
            "events handled: {}",
            RUNNER_EVENTS.join(", ")
        )]));
    }
    let data = fields.get("data").cloned().unwrap_or(Value::Null);
    if object_id(&data).is_none() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "bad_event",
            "the event's data names no object id (data[FIELDS_AFTER][ID], data[FIELDS][ID] or data[id])",
        ));
    }
    let workflows = crate::ops::runner::workflows(&state.project).map_err(|e| {
        error(
            StatusCode::CONFLICT,
            "project",
            &super::handlers::describe(&miette::Report::new(e)),
        )
    })?;
    // One event at a time in this process; the state file's claims cover other ones.
    let _guard = state.writing.lock().await;
    let portal = super::handlers::portal(&state).await.map_err(|e| {
        error(
            StatusCode::BAD_GATEWAY,
            "portal_unreachable",
            &super::handlers::describe(&miette::Report::new(e)),
        )
    })?;
    let path = state.project.state().dir().join("runner.sqlite");
    let store = crate::runner::store::Store::open(&path).map_err(|e| {
        error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "state",
            &super::handlers::describe(&miette::Report::new(e)),
        )
    })?;
    online(&portal.client, &store, &workflows, &name, &data)
        .await
        .map(Json)
        .map_err(|e| {
            error(
                StatusCode::BAD_GATEWAY,
                "portal_error",
                &super::handlers::describe(&miette::Report::new(e)),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_keys_nest() {
        let m = form_to_json(
            b"event=ONTASKUPDATE&data%5BFIELDS_AFTER%5D%5BID%5D=12&ts=1&auth[application_token]=x&auth[domain]=a.b",
        );
        assert_eq!(m["event"], "ONTASKUPDATE");
        assert_eq!(m["data"]["FIELDS_AFTER"]["ID"], "12");
        assert_eq!(m["auth"]["application_token"], "x");
        assert_eq!(m["auth"]["domain"], "a.b");
        // A scalar later used as a parent becomes an object; an empty name is dropped,
        // and a name that opens with a bracket is a plain name.
        let m = form_to_json(b"a=1&a[b]=2&[x]=3&&=4");
        assert_eq!(m["a"]["b"], "2");
        assert_eq!(m["[x]"], "3");
        assert_eq!(m.len(), 2);
    }
}
