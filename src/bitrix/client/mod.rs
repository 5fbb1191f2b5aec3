//! The REST [`Client`]: one call = rate limit, send, classify the reply, retry or refresh.
//!
//! Invariants:
//! - a request is sent only after the client-side leaky bucket grants a slot;
//! - retries are bounded ([`RetryPolicy::max_attempts`]) and spaced with exponential
//!   backoff plus jitter;
//! - a write that may have reached the portal is never blindly re-sent: if its reply was
//!   lost, the caller gets [`Error::Indeterminate`] and decides (plan re-reads the portal);
//! - an `expired_token` reply triggers one refresh per call, serialised across tasks;
//! - every text a portal or OAuth server sent that ends up in an [`Error`] (error codes,
//!   descriptions, batch command errors) is scrubbed of the client's secrets first,
//!   because a portal may echo the token or webhook path it was called with;
//! - a 2xx reply whose body is not JSON (a proxy's error page, a cut-off body) is a
//!   transient fault: reads retry it within the budget, writes report it as
//!   indeterminate.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use url::Url;

use super::auth::{self, AuthConfig, StoredCredentials, Tokens};
use super::error::help_for;
use super::rate::LeakyBucket;
use super::redact::Scrubber;
use super::{Error, Method};

mod setup;
use crate::config::RatePlan;

/// The largest reply body accepted (the biggest real replies are template lists with
/// decoded activity trees, far below this).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// How persistent the client is.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Requests sent per call at most (the first try included).
    pub max_attempts: u32,
    /// The first backoff delay; it doubles per retry.
    pub base_delay: Duration,
    /// The longest backoff delay.
    pub max_delay: Duration,
    /// The longest wait for an `OPERATION_TIME_LIMIT` block to lift.
    pub max_operating_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            // Operating time is summed over ten one-minute buckets (limits.md), so no
            // block lasts longer than ten minutes.
            max_operating_wait: Duration::from_secs(600),
        }
    }
}

/// Everything [`Client::new`] needs.
#[derive(Debug)]
pub struct ClientOptions {
    /// Credentials.
    pub auth: AuthConfig,
    /// The portal's rate plan, mirrored client-side.
    pub rate: RatePlan,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retry behaviour.
    pub retry: RetryPolicy,
}

/// Counters for benchmarks and summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// REST requests sent (each retry counts; token refreshes do not).
    pub requests: u64,
    /// Of those, how many were retries.
    pub retries: u64,
    /// OAuth token refreshes performed.
    pub refreshes: u64,
}

/// A successful reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// `result`.
    pub result: Value,
    /// `total`, for list methods.
    pub total: Option<u64>,
    /// `next`, for list methods with more rows.
    pub next: Option<u64>,
    /// The `time` block, as sent.
    pub time: Option<Value>,
}

/// Whether a call may be re-sent after its reply was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads, updates with the same data: re-sending is harmless.
    Safe,
    /// Creates: re-sending could create a second template.
    Unsafe,
}

// One client holds one of these for its lifetime, so the size difference is irrelevant.
#[allow(clippy::large_enum_variant)]
enum Auth {
    Webhook {
        base: SecretString,
    },
    OAuth {
        rest: Url,
        portal: String,
        token_url: Url,
        client_id: Option<String>,
        client_secret: Option<SecretString>,
        tokens: tokio::sync::Mutex<Tokens>,
        file: Option<PathBuf>,
    },
}

/// A Bitrix24 REST client. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct Client {
    http: reqwest::Client,
    auth: Auth,
    shown: String,
    bucket: Option<LeakyBucket>,
    retry: RetryPolicy,
    /// Per-request timeout, as given.
    timeout: std::time::Duration,
    requests: AtomicU64,
    retries: AtomicU64,
    refreshes: AtomicU64,
    operating_reset: Mutex<HashMap<String, u64>>,
    rng: Mutex<u64>,
    /// Every secret this client has held (rotated tokens are added, never removed).
    scrubber: Mutex<Scrubber>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("portal", &self.shown)
            .field(
                "auth",
                &if self.is_webhook() {
                    "webhook"
                } else {
                    "oauth"
                },
            )
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// How one failed attempt should be handled.
enum Next {
    Fail(Error),
    /// Not processed by the portal; safe to re-send.
    Retry(Error),
    /// Maybe processed; re-send only if idempotent.
    Ambiguous(Error),
    Refresh(Error),
    OperatingLimit(Error),
}

impl Client {
    /// Drains the client-side bucket `factor` times faster: benches pair this with an
    /// emulator started with the same `time_scale`, so both clocks agree.
    #[must_use]
    pub fn with_rate_scale(mut self, factor: f64) -> Client {
        self.bucket = self.bucket.map(|b| b.scaled(factor.max(f64::MIN_POSITIVE)));
        self
    }

    /// `profile`: who the credentials act as (`ID`, `ADMIN`, …). A cheap health check.
    pub async fn profile(&self) -> Result<Value, Error> {
        self.call(Method::Profile, Value::Null)
            .await
            .map(|r| r.result)
    }

    /// How long one request may take before the client gives up on its reply.
    pub fn timeout(&self) -> std::time::Duration {
        self.timeout
    }

    /// The portal, safe to display.
    pub fn portal(&self) -> &str {
        &self.shown
    }

    /// Whether the client authenticates with an incoming webhook (which Bitrix24 does not
    /// allow to write templates).
    pub fn is_webhook(&self) -> bool {
        matches!(self.auth, Auth::Webhook { .. })
    }

    /// The secrets this client holds (webhook code, access and refresh tokens, old and
    /// rotated, client secret), for scrubbing text written elsewhere (the journal).
    pub fn scrubber(&self) -> Scrubber {
        self.scrubber
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// `text` with every secret this client holds replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        self.scrubber
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .scrub(text)
    }

    /// Request counters so far.
    pub fn stats(&self) -> Stats {
        Stats {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            refreshes: self.refreshes.load(Ordering::Relaxed),
        }
    }

    /// Calls a read-like method (safe to re-send).
    pub async fn call(&self, method: Method, params: Value) -> Result<Reply, Error> {
        self.call_with(method, params, Idempotency::Safe).await
    }

    /// Calls a method, retrying as its idempotency allows.
    pub async fn call_with(
        &self,
        method: Method,
        params: Value,
        idempotency: Idempotency,
    ) -> Result<Reply, Error> {
        self.call_tracked(method, params, idempotency).await.0
    }

    /// Like [`Client::call_with`], and also says whether an earlier attempt of this call
    /// may have reached the portal (its reply was lost, then it was re-sent).
    pub(crate) async fn call_tracked(
        &self,
        method: Method,
        params: Value,
        idempotency: Idempotency,
    ) -> (Result<Reply, Error>, bool) {
        let method = method.name();
        let params = match params {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            _ => {
                let e = Error::InvalidRequest {
                    method: method.to_owned(),
                    message: "parameters must be a JSON object".into(),
                };
                return (Err(e), false);
            }
        };
        let mut attempts = 0u32;
        let mut refreshed = false;
        let mut ambiguous = false;
        loop {
            attempts += 1;
            if attempts > 1 {
                self.retries.fetch_add(1, Ordering::Relaxed);
            }
            if let Some(bucket) = &self.bucket {
                let wait = bucket.reserve();
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            let mut generation = 0;
            let (error, delay) = match self.attempt(method, &params, &mut generation).await {
                Ok(reply) => {
                    self.remember_operating(method, reply.time.as_ref());
                    return (Ok(reply), ambiguous);
                }
                Err(Next::Fail(e)) => return (Err(e), ambiguous),
                Err(Next::Refresh(e)) => {
                    if refreshed || !self.can_refresh().await {
                        return (Err(e), ambiguous);
                    }
                    if let Err(e) = self.refresh(generation).await {
                        return (Err(e), ambiguous);
                    }
                    refreshed = true;
                    // A refresh is not a failed attempt.
                    attempts -= 1;
                    continue;
                }
                Err(Next::Retry(e)) => (e, None),
                Err(Next::Ambiguous(e)) => {
                    if idempotency == Idempotency::Unsafe {
                        let e = Error::Indeterminate {
                            method: method.to_owned(),
                            cause: Box::new(e),
                        };
                        return (Err(e), ambiguous);
                    }
                    ambiguous = true;
                    (e, None)
                }
                Err(Next::OperatingLimit(e)) => {
                    let wait = self.operating_wait(method);
                    match wait {
                        Some(w) if w > self.retry.max_operating_wait => {
                            let e = Error::OperationTimeLimit {
                                method: method.to_owned(),
                                wait_secs: w.as_secs(),
                            };
                            return (Err(e), ambiguous);
                        }
                        w => (e, w),
                    }
                }
            };
            if attempts >= self.retry.max_attempts {
                let e = Error::RetriesExhausted {
                    method: method.to_owned(),
                    attempts,
                    last: Box::new(error),
                };
                return (Err(e), ambiguous);
            }
            let delay = delay.unwrap_or_else(|| self.backoff(attempts));
            tokio::time::sleep(delay).await;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .retry
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.retry.max_delay);
        // Full jitter over the upper half keeps retries from many processes apart.
        let mut x = self
            .rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        let frac = f64::from(u32::try_from(*x % 1000).unwrap_or(0)) / 1000.0;
        exp.mul_f64(0.5 + frac / 2.0)
    }

    fn remember_operating(&self, method: &str, time: Option<&Value>) {
        if let Some(reset) = time
            .and_then(|t| t.get("operating_reset_at"))
            .and_then(value_u64)
        {
            self.operating_reset
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(method.to_ascii_lowercase(), reset);
        }
    }

    /// How long until the method's operating-time block lifts, if the portal told us.
    fn operating_wait(&self, method: &str) -> Option<Duration> {
        let reset = *self
            .operating_reset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&method.to_ascii_lowercase())?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
        // `operating_reset_at` has whole-second resolution; wait into the next second.
        let reset = Duration::from_secs(reset) + Duration::from_millis(100);
        Some(reset.saturating_sub(now).max(Duration::from_millis(100)))
    }

    async fn can_refresh(&self) -> bool {
        match &self.auth {
            Auth::Webhook { .. } => false,
            Auth::OAuth {
                client_id,
                client_secret,
                tokens,
                ..
            } => {
                client_id.is_some()
                    && client_secret.is_some()
                    && tokens.lock().await.refresh.is_some()
            }
        }
    }

    /// One request and the classification of its reply.
    async fn attempt(
        &self,
        method: &str,
        params: &Map<String, Value>,
        used_generation: &mut u64,
    ) -> Result<Reply, Next> {
        let request = match &self.auth {
            Auth::Webhook { base } => {
                let url = format!("{}{}", base.expose_secret(), method);
                self.http.post(url).json(params)
            }
            Auth::OAuth { rest, tokens, .. } => {
                let (token, generation) = {
                    let t = tokens.lock().await;
                    (t.access.clone(), t.generation)
                };
                let Some(token) = token else {
                    return Err(Next::Refresh(self.api_error(
                        method,
                        401,
                        "expired_token",
                        "no access token yet",
                    )));
                };
                let mut body = params.clone();
                body.insert(
                    "auth".into(),
                    Value::String(token.expose_secret().to_owned()),
                );
                let url = rest.join(method).map_err(|_| {
                    Next::Fail(Error::InvalidRequest {
                        method: method.to_owned(),
                        message: "not a valid method name".into(),
                    })
                })?;
                *used_generation = generation;
                self.http.post(url).json(&body)
            }
        };
        self.requests.fetch_add(1, Ordering::Relaxed);
        let response = request.send().await.map_err(|e| {
            let delivered = !e.is_connect();
            let error = self.transport_error(method, &e, delivered);
            if delivered {
                Next::Ambiguous(error)
            } else {
                Next::Retry(error)
            }
        })?;
        let status = response.status().as_u16();
        let body = read_body(response)
            .await
            .map_err(|e| Next::Ambiguous(self.transport_error(method, &e, true)))?;
        self.classify(method, status, &body)
    }

    fn transport_error(&self, method: &str, e: &reqwest::Error, maybe_delivered: bool) -> Error {
        let detail = if e.is_timeout() {
            "timed out".to_owned()
        } else if e.is_connect() {
            "could not connect".to_owned()
        } else if e.is_body() || e.is_decode() {
            "the connection dropped while reading the reply".to_owned()
        } else {
            "the connection dropped before a reply arrived".to_owned()
        };
        Error::Transport {
            method: method.to_owned(),
            portal: self.shown.clone(),
            detail,
            maybe_delivered,
        }
    }

    fn api_error(&self, method: &str, status: u16, code: &str, description: &str) -> Error {
        let (code, description) = (self.scrub(code), self.scrub(description));
        Error::Api {
            method: method.to_owned(),
            help: help_for(method, &code, &description, self.is_webhook()),
            code,
            description,
            status,
        }
    }

    fn classify(&self, method: &str, status: u16, body: &[u8]) -> Result<Reply, Next> {
        let malformed = |detail: &str| Error::Malformed {
            method: method.to_owned(),
            status,
            detail: detail.to_owned(),
        };
        let parsed: Result<Value, _> = serde_json::from_slice(body);
        let Ok(Value::Object(mut envelope)) = parsed else {
            let detail = if parsed.is_ok() {
                "the body is JSON but not an object"
            } else if body.is_empty() {
                "the body is empty"
            } else {
                "the body is not JSON"
            };
            let e = malformed(detail);
            // A 2xx whose body does not even parse was garbled on the way (a proxy's
            // error page, a cut-off body): transient, like a dropped connection, and
            // just as unknown for a write. A parsed body of the wrong shape is not
            // retried: the same request would get the same answer.
            let garbled = parsed.is_err() && (200..300).contains(&status);
            return Err(if status >= 500 || garbled {
                Next::Ambiguous(e)
            } else {
                Next::Fail(e)
            });
        };
        if let Some(code) = envelope.get("error") {
            let code = match code {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            let description = envelope
                .get("error_description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let error = self.api_error(method, status, &code, &description);
            return Err(match code.as_str() {
                "QUERY_LIMIT_EXCEEDED" => Next::Retry(error),
                "OPERATION_TIME_LIMIT" => Next::OperatingLimit(error),
                "expired_token" => Next::Refresh(error),
                "INTERNAL_SERVER_ERROR" | "ERROR_UNEXPECTED_ANSWER" => Next::Ambiguous(error),
                "OVERLOAD_LIMIT" | "PORTAL_DELETED" => Next::Fail(error),
                _ if status >= 500 => Next::Ambiguous(error),
                _ => Next::Fail(error),
            });
        }
        if !(200..300).contains(&status) {
            let e = malformed("an error status without an error code");
            return Err(if status >= 500 {
                Next::Ambiguous(e)
            } else {
                Next::Fail(e)
            });
        }
        let Some(result) = envelope.remove("result") else {
            return Err(Next::Fail(malformed("there is no `result`")));
        };
        let total = optional_u64(&envelope, "total").map_err(|d| Next::Fail(malformed(&d)))?;
        let next = optional_u64(&envelope, "next").map_err(|d| Next::Fail(malformed(&d)))?;
        Ok(Reply {
            result,
            total,
            next,
            time: envelope.remove("time"),
        })
    }

    /// Exchanges the refresh token for a new pair and persists it at once — unless
    /// another task already did since the token of generation `seen` was used.
    async fn refresh(&self, seen: u64) -> Result<(), Error> {
        let Auth::OAuth {
            portal,
            token_url,
            client_id,
            client_secret,
            tokens,
            file,
            ..
        } = &self.auth
        else {
            return Ok(());
        };
        let (Some(client_id), Some(client_secret)) = (client_id, client_secret) else {
            return Err(missing_refresh_credentials());
        };
        let mut guard = tokens.lock().await;
        if guard.generation != seen {
            // Rotated meanwhile; using the old refresh token now would fail.
            return Ok(());
        }
        let Some(refresh) = guard.refresh.clone() else {
            return Err(missing_refresh_credentials());
        };
        let refresh_error = |code: &str, description: String| Error::Refresh {
            code: self.scrub(code),
            description: self.scrub(&description),
            help: "the refresh token may have been used already or revoked; re-authorise the \
                   application and set B24FLOW_REFRESH_TOKEN (or remove the credentials file)"
                .into(),
        };
        let response = self
            .http
            .get(token_url.clone())
            .query(&[
                ("grant_type", "refresh_token"),
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.expose_secret()),
                ("refresh_token", refresh.expose_secret()),
            ])
            .send()
            .await
            .map_err(|e| refresh_error("transport", e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = read_body(response)
            .await
            .map_err(|e| refresh_error("transport", e.without_url().to_string()))?;
        let Ok(Value::Object(reply)) = serde_json::from_slice::<Value>(&body) else {
            return Err(refresh_error(
                "malformed",
                format!("HTTP {status}, the reply is not a JSON object"),
            ));
        };
        if let Some(code) = reply.get("error") {
            let description = reply
                .get("error_description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            return Err(refresh_error(code.as_str().unwrap_or("error"), description));
        }
        let (Some(access), Some(new_refresh)) = (
            reply.get("access_token").and_then(Value::as_str),
            reply.get("refresh_token").and_then(Value::as_str),
        ) else {
            return Err(refresh_error(
                "malformed",
                "the reply has no access_token/refresh_token".into(),
            ));
        };
        {
            let mut scrubber = self
                .scrubber
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            scrubber.add(access);
            scrubber.add(new_refresh);
        }
        guard.access = Some(SecretString::from(access.to_owned()));
        guard.refresh = Some(SecretString::from(new_refresh.to_owned()));
        guard.generation += 1;
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        if let Some(path) = file {
            auth::write_credentials(
                path,
                &StoredCredentials {
                    portal: portal.clone(),
                    access_token: Some(access.to_owned()),
                    refresh_token: Some(new_refresh.to_owned()),
                },
            )?;
        }
        Ok(())
    }
}

fn missing_refresh_credentials() -> Error {
    Error::Refresh {
        code: "missing_credentials".into(),
        description: "the access token expired and there is nothing to refresh it with".into(),
        help: "set B24FLOW_CLIENT_ID, B24FLOW_CLIENT_SECRET and B24FLOW_REFRESH_TOKEN".into(),
    }
}

async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_BODY {
            // Keep what fits; the JSON parse then fails and reports a malformed reply.
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A non-negative integer sent as a JSON number or a numeric string (PHP does both).
pub(crate) fn value_u64(v: &Value) -> Option<u64> {
    match v {
        // PHP may send a whole float (`5.0`); accept it through its decimal form.
        Value::Number(n) => n.as_u64().or_else(|| {
            let f = n.as_f64()?;
            (f.fract() == 0.0)
                .then(|| format!("{f:.0}").parse().ok())
                .flatten()
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn optional_u64(envelope: &Map<String, Value>, key: &str) -> Result<Option<u64>, String> {
    match envelope.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => value_u64(v)
            .map(Some)
            .ok_or_else(|| format!("`{key}` is not a non-negative integer")),
    }
}
