//! Reading a provider's reply: the body must be JSON; an error reply is read by the
//! provider into a [`Failure`] (retry, fall back to the legacy request shape, adjust
//! the sampling parameters, or fail), with the provider's message cut short and the
//! request id its support asks for.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::{ProviderInfo, schema};
use crate::nl::Error;

/// An error reply (a status other than 200), as every provider reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorReply<'a> {
    pub(crate) status: u16,
    pub(crate) headers: &'a HeaderMap,
    /// The reply's JSON body.
    pub(crate) body: &'a Value,
    /// Whether the request had the fallback ("legacy") shape.
    pub(crate) legacy: bool,
}

impl ErrorReply<'_> {
    /// The body's `error` member, where every provider here puts what went wrong.
    pub(crate) fn error(&self) -> &Value {
        &self.body["error"]
    }

    /// The provider's `text`, cut to a readable length, with the request id it sent in
    /// the `request_id` header.
    pub(crate) fn message(&self, text: &str, request_id: &str) -> String {
        with_request_id(short(text), self.headers, request_id)
    }
}

/// What a provider makes of a response that carries no usable answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Transient: try again, after `hint` if the provider said how long.
    Retry {
        status: u16,
        hint: Option<Duration>,
        message: String,
    },
    /// The answer was cut off by the token budget.
    Truncated,
    /// The provider rejected the request shape; try the legacy shape, or fail with this.
    Fallback(Error),
    /// The model rejected a sampling parameter, and the provider will leave it out from
    /// now on: send again at once, or fail with this if that was already tried.
    Adjusted(Error),
    /// Fail now.
    Fatal(Error),
}

/// The provider refused the request for a reason no retry will change.
pub(crate) fn rejected(provider: &'static str, status: u16, message: String) -> Error {
    Error::Rejected {
        provider,
        status,
        message,
    }
}

impl Failure {
    /// The key was refused (401, 403): fatal, naming the variable to fix.
    pub(crate) fn auth(info: &'static ProviderInfo, status: u16, message: String) -> Failure {
        Failure::Fatal(Error::Auth {
            provider: info.name,
            status,
            message,
            variable: info.key_variable,
        })
    }

    /// The model does not exist (404): fatal, with the default and where to look.
    pub(crate) fn unknown_model(
        info: &'static ProviderInfo,
        model: &str,
        message: String,
    ) -> Failure {
        Failure::Fatal(Error::UnknownModel {
            provider: info.name,
            model: model.to_owned(),
            message,
            default: info.default_model,
            models_page: info.models_page,
        })
    }
}

/// A provider's error message, cut to a readable length.
pub(crate) fn short(message: &str) -> String {
    let mut m = message.trim().to_owned();
    schema::truncate(&mut m, 500);
    m
}

/// A provider's error message with the request id it sent, which its support asks for.
fn with_request_id(message: String, headers: &HeaderMap, header: &str) -> String {
    match headers.get(header).and_then(|v| v.to_str().ok()) {
        Some(id) if !id.is_empty() && id.len() <= 100 => format!("{message} ({header} {id})"),
        _ => message,
    }
}

/// Parses `retry-after` as seconds (it may also be an HTTP date, which no provider
/// here sends; that is treated as no hint).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds: f64 = headers
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    duration_from_secs(seconds)
}

pub(crate) fn duration_from_secs(seconds: f64) -> Option<Duration> {
    (0.0..1e9)
        .contains(&seconds)
        .then(|| Duration::from_secs_f64(seconds))
}

/// The body's JSON, or a [`Failure`] saying it is not JSON.
pub(crate) fn json_body(provider: &'static str, status: u16, body: &str) -> Result<Value, Failure> {
    serde_json::from_str(body).map_err(|_| {
        let message = if body.trim().is_empty() {
            format!("HTTP {status} with an empty body")
        } else {
            format!(
                "HTTP {status} with a body that is not JSON: {}",
                short(body)
            )
        };
        if status >= 500 {
            Failure::Retry {
                status,
                hint: None,
                message,
            }
        } else {
            Failure::Fatal(Error::BadResponse { provider, message })
        }
    })
}
