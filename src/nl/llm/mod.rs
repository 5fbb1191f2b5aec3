//! The LLM parsers: Gemini, Anthropic and any OpenAI-compatible server (OpenAI, Ollama,
//! llama.cpp, vLLM), behind the same [`Parser`](crate::nl::Parser) as the offline one.
//!
//! One thin client of our own on reqwest; each provider module only builds its request
//! and reads its response. What this module owns, and its invariants:
//!
//! - **What leaves the machine**: the spec text, the catalog-derived system prompt
//!   ([`prompt`]) and the answer schema ([`schema`]); in a repair turn, also the model's
//!   own previous answer and the problems found in it. Never another file, a config value
//!   or CRM data. The API key travels only in a header, never over plain HTTP to a
//!   non-loopback host, and never appears in an error.
//! - **Every answer is checked locally**, whatever the provider promised: JSON, then the
//!   canonical schema, then the semantic rules. An invalid answer is sent back with the
//!   problems at most [`MAX_REPAIRS`] times; then the parse fails with those problems.
//! - **Transport retries are separate and bounded**: 429 and 5xx (and Anthropic's 529)
//!   are retried up to [`RetryPolicy::max_attempts`] times, waiting what the provider
//!   asks (Gemini `RetryInfo.retryDelay`, `retry-after`, `retry-after-ms`) or an
//!   exponential backoff with jitter, never longer than [`RetryPolicy::max_wait`]. A
//!   daily quota, a spend limit, a bad key, an unknown model, a refusal or a blocked
//!   prompt fail at once. A truncated answer is retried once with twice the budget. A
//!   rejected request shape (structured-output field, schema, sampling parameter) is
//!   adjusted once per kind, and the parser remembers it for the next spec.
//! - **Concurrency**: a [`LlmParser`] is cheap to clone, and clones share one
//!   [`RateLimit`], so `compile --jobs N` stays under the provider's requests per minute.

pub(crate) mod anthropic;
pub(crate) mod gemini;
pub(crate) mod openai;
pub mod prompt;
mod reply;
pub(crate) mod schema;

pub(crate) use reply::{
    ErrorReply, Failure, duration_from_secs, json_body, rejected, retry_after, short,
};

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use backon::BackoffBuilder;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use url::Url;

use super::{Error, Outcome, ParserSettings};
use crate::config::{Config, Env, Provider};

/// Bumped when the request shapes or the answer handling change in a way that can
/// change a parse; recorded in lockfiles with the model and the prompt hash.
pub const VERSION: u32 = 1;

/// How many times an invalid answer is sent back with its problems before giving up.
pub const MAX_REPAIRS: u32 = 2;

/// The output token budget of the first request; a truncated answer gets one retry
/// with twice as much.
const MAX_OUTPUT_TOKENS: u32 = 8192;

/// The most bytes read from one response; a blueprint answer is a few kilobytes.
const MAX_BODY_BYTES: usize = 4 << 20;

/// What b24flow knows about one provider. The default models live here and nowhere
/// else: when a model is retired, this table is the one place to change.
#[derive(Debug)]
pub struct ProviderInfo {
    /// `gemini`, `anthropic` or `openai`.
    pub name: &'static str,
    /// The model used when none is configured.
    pub default_model: &'static str,
    /// The API base URL used when none is configured.
    pub default_base_url: &'static str,
    /// The environment variable holding the API key.
    pub key_variable: &'static str,
    /// Where the provider lists its current models.
    pub models_page: &'static str,
    /// The client-side requests-per-minute limit when none is configured.
    pub default_requests_per_minute: Option<u32>,
}

/// The provider table (see [`ProviderInfo`]); `None` for the offline parser.
pub fn provider_info(provider: Provider) -> Option<&'static ProviderInfo> {
    match provider {
        Provider::Offline => None,
        // Gemini 2.0 shut down on 2026-06-01 and 2.5 Flash is deprecated; 3.5 Flash is
        // the current stable Flash (ai.google.dev/gemini-api/docs/models).
        Provider::Gemini => Some(&ProviderInfo {
            name: "gemini",
            default_model: "gemini-3.5-flash",
            default_base_url: "https://generativelanguage.googleapis.com",
            key_variable: "GEMINI_API_KEY",
            models_page: "https://ai.google.dev/gemini-api/docs/models",
            // The free tier allows only a handful of requests per minute.
            default_requests_per_minute: Some(10),
        }),
        // Sonnet 4.6 supports structured outputs and still accepts `temperature`.
        Provider::Anthropic => Some(&ProviderInfo {
            name: "anthropic",
            default_model: "claude-sonnet-4-6",
            default_base_url: "https://api.anthropic.com",
            key_variable: "ANTHROPIC_API_KEY",
            models_page: "https://platform.claude.com/docs/en/about-claude/models/overview",
            default_requests_per_minute: None,
        }),
        Provider::Openai => Some(&ProviderInfo {
            name: "openai",
            default_model: "gpt-5.4-mini",
            default_base_url: "https://api.openai.com/v1",
            key_variable: "OPENAI_API_KEY",
            models_page: "https://platform.openai.com/docs/models (for a local server: `ollama list`, or its own model list)",
            default_requests_per_minute: None,
        }),
    }
}

/// Bounds on transport retries (429, 5xx, network errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests per call, the first included.
    pub max_attempts: u32,
    /// The first backoff when the provider gives no hint; it doubles, with jitter.
    pub initial_backoff: Duration,
    /// The longest wait honoured. A provider asking for longer fails the call at once.
    pub max_wait: Duration,
    /// The timeout of one request.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_secs(1),
            // Other clients cap Gemini's retryDelay at 45 to 60 seconds.
            max_wait: Duration::from_secs(60),
            timeout: Duration::from_secs(120),
        }
    }
}

/// A requests-per-minute limit shared by every clone of a parser, so that specs parsed
/// at once stay under the provider's limit together. Requests are spread evenly over
/// the minute (no burst).
#[derive(Clone, Default)]
pub struct RateLimit {
    limiter: Option<Arc<DefaultDirectRateLimiter>>,
    per_minute: Option<NonZeroU32>,
}

impl RateLimit {
    /// A limit of `n` requests per minute; `None` or 0 means no limit.
    pub fn per_minute(n: Option<u32>) -> RateLimit {
        let per_minute = n.and_then(NonZeroU32::new);
        RateLimit {
            limiter: per_minute.map(|n| {
                Arc::new(RateLimiter::direct(
                    Quota::per_minute(n).allow_burst(NonZeroU32::MIN),
                ))
            }),
            per_minute,
        }
    }

    /// The configured limit, if any.
    pub fn requests_per_minute(&self) -> Option<u32> {
        self.per_minute.map(NonZeroU32::get)
    }

    /// Waits until one more request may be sent.
    pub async fn acquire(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
    }
}

impl fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimit")
            .field("requests_per_minute", &self.requests_per_minute())
            .finish()
    }
}

/// A configured LLM parser. Clones share the HTTP client and the rate limit.
#[derive(Debug, Clone)]
pub struct LlmParser {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    info: &'static ProviderInfo,
    model: String,
    wire: Wire,
    http: reqwest::Client,
    rate: RateLimit,
    retry: RetryPolicy,
    /// Set once the provider rejected the preferred request shape; see [`Wire`].
    legacy: AtomicBool,
    /// Scheme, host and path of the API, for messages (never credentials).
    endpoint: String,
    key: Option<SecretString>,
    /// For the semantic rules.
    config: Config,
}

/// The provider-specific half: how to build a request and read a response. Each has a
/// preferred request shape and a fallback ("legacy") one that more servers accept:
/// Gemini `responseJsonSchema` → `responseSchema`; Anthropic `output_config.format` →
/// a forced tool; OpenAI strict `json_schema` → non-strict.
#[derive(Debug)]
enum Wire {
    Gemini(gemini::Gemini),
    Anthropic(anthropic::Anthropic),
    OpenAi(openai::OpenAi),
}

impl Wire {
    /// Reads a reply: its body must be JSON; a status other than 200 is the provider's
    /// error, read its way; a 200 holds the answer.
    fn read(
        &self,
        provider: &'static str,
        status: u16,
        headers: &HeaderMap,
        body: &str,
        legacy: bool,
    ) -> Result<String, Failure> {
        let v = json_body(provider, status, body)?;
        if status != 200 {
            let reply = ErrorReply {
                status,
                headers,
                body: &v,
                legacy,
            };
            return Err(match self {
                Wire::Gemini(w) => w.error(&reply),
                Wire::Anthropic(w) => w.error(&reply),
                Wire::OpenAi(w) => w.error(&reply),
            });
        }
        match self {
            Wire::Gemini(_) => gemini::Gemini::answer(&v),
            Wire::Anthropic(_) => anthropic::Anthropic::answer(&v),
            Wire::OpenAi(_) => openai::OpenAi::answer(&v),
        }
    }
}

/// Who says a turn of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    User,
    Assistant,
}

/// One turn: the spec, or in a repair, the model's answer and the problems found.
#[derive(Debug, Clone)]
pub(crate) struct Turn {
    pub(crate) role: Role,
    pub(crate) text: String,
}

/// One request to build.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    pub(crate) turns: &'a [Turn],
    pub(crate) max_tokens: u32,
    pub(crate) legacy: bool,
}

impl LlmParser {
    /// Builds a parser for an LLM provider. Fails when the key is missing, or the model
    /// or base URL is malformed. Nothing is sent yet.
    pub fn new(settings: &ParserSettings, config: &Config, env: &Env) -> Result<LlmParser, Error> {
        let info = provider_info(settings.provider).ok_or(Error::Unavailable {
            provider: settings.provider,
        })?;
        let model = settings
            .model
            .clone()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| info.default_model.to_owned());
        check_model_name(&model)?;
        let base = parse_base_url(info, settings.base_url.as_deref())?;
        let endpoint = endpoint_of(&base);
        let plain_remote = base.scheme() == "http" && !is_loopback(&base);

        let key = match settings.provider {
            Provider::Gemini => env.gemini_api_key.clone(),
            Provider::Anthropic => env.anthropic_api_key.clone(),
            Provider::Openai => env.openai_api_key.clone(),
            Provider::Offline => None,
        };
        // An OpenAI-compatible server elsewhere than OpenAI (Ollama, llama.cpp, vLLM)
        // usually needs no key; OpenAI itself, Gemini and Anthropic always do.
        let key_required = settings.provider != Provider::Openai
            || base.host_str()
                == Url::parse(info.default_base_url)
                    .ok()
                    .as_ref()
                    .and_then(Url::host_str);
        if key.is_none() && key_required {
            return Err(Error::MissingKey {
                provider: info.name,
                variable: info.key_variable,
            });
        }
        if plain_remote && key_required {
            return Err(Error::BaseUrl {
                provider: info.name,
                url: endpoint,
                reason: "an API key is never sent over plain http to another machine".into(),
            });
        }
        // An optional key is only sent where it cannot be read on the way.
        let key = if plain_remote { None } else { key };

        let wire = match settings.provider {
            Provider::Gemini => Wire::Gemini(gemini::Gemini::new(info, &base, &model)),
            Provider::Anthropic => Wire::Anthropic(anthropic::Anthropic::new(info, &base, &model)),
            _ => Wire::OpenAi(openai::OpenAi::new(info, &base, &model)),
        };
        let legacy = match &wire {
            Wire::Gemini(g) => g.prefers_legacy(),
            _ => false,
        };
        let http = reqwest::Client::builder()
            .user_agent(concat!("b24flow/", env!("CARGO_PKG_VERSION")))
            .timeout(settings.retry.timeout)
            .build()
            .map_err(|source| Error::Network {
                provider: info.name,
                endpoint: endpoint.clone(),
                attempts: 0,
                source,
            })?;
        let rate = RateLimit::per_minute(
            settings
                .requests_per_minute
                .or(info.default_requests_per_minute),
        );
        Ok(LlmParser {
            inner: Arc::new(Inner {
                info,
                model,
                wire,
                http,
                rate,
                retry: settings.retry,
                legacy: AtomicBool::new(legacy),
                endpoint,
                key,
                config: config.clone(),
            }),
        })
    }

    /// `gemini`, `anthropic` or `openai`.
    pub fn name(&self) -> &'static str {
        self.inner.info.name
    }

    /// The model asked for.
    pub fn model(&self) -> &str {
        &self.inner.model
    }

    /// The shared rate limit.
    pub fn rate_limit(&self) -> &RateLimit {
        &self.inner.rate
    }

    /// Parses one spec: asks the model, checks the answer, and sends it back with the
    /// problems found at most [`MAX_REPAIRS`] times.
    pub async fn parse(&self, text: &str) -> Result<Outcome, Error> {
        let mut turns = vec![Turn {
            role: Role::User,
            text: text.to_owned(),
        }];
        let mut problems = Vec::new();
        for _ in 0..=MAX_REPAIRS {
            let answer = self.ask(&turns).await?;
            match self.check(&answer) {
                Ok(outcome) => return Ok(outcome),
                Err(found) => problems = found,
            }
            turns.push(Turn {
                role: Role::Assistant,
                text: answer,
            });
            turns.push(Turn {
                role: Role::User,
                text: prompt::repair_request(&problems),
            });
        }
        Err(Error::InvalidAnswer {
            provider: self.name(),
            attempts: MAX_REPAIRS + 1,
            problems,
        })
    }

    /// Checks one answer: JSON, schema, semantic rules.
    fn check(&self, answer: &str) -> Result<Outcome, Vec<String>> {
        let mut value = extract_json(answer)?;
        schema::drop_nulls(&mut value);
        let problems = schema::schemas().problems(&value);
        if !problems.is_empty() {
            return Err(problems);
        }
        let outcome: Outcome = serde_json::from_value(value)
            .map_err(|e| vec![format!("the answer does not match the format: {e}")])?;
        let outcome = match outcome {
            Outcome::Ok { workflow } => Outcome::Ok {
                workflow: workflow.normalized(),
            },
            other @ Outcome::NeedsClarification { .. } => other,
        };
        let problems = semantic_problems(&outcome, &self.inner.config);
        if problems.is_empty() {
            Ok(outcome)
        } else {
            Err(problems)
        }
    }

    /// Sends one conversation and returns the answer text, retrying transient failures.
    async fn ask(&self, turns: &[Turn]) -> Result<String, Error> {
        let inner = &*self.inner;
        let mut max_tokens = MAX_OUTPUT_TOKENS;
        let mut truncated = false;
        let mut adjusted = false;
        let mut attempt = 0;
        let mut backoff = backon::ExponentialBuilder::default()
            .with_min_delay(inner.retry.initial_backoff)
            .with_max_delay(inner.retry.max_wait)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
            .build();
        loop {
            attempt += 1;
            let legacy = inner.legacy.load(Ordering::Relaxed);
            let call = Call {
                turns,
                max_tokens,
                legacy,
            };
            let request = match &inner.wire {
                Wire::Gemini(w) => w.request(&inner.http, &call, inner.key.as_ref()),
                Wire::Anthropic(w) => w.request(&inner.http, &call, inner.key.as_ref()),
                Wire::OpenAi(w) => w.request(&inner.http, &call, inner.key.as_ref()),
            };
            inner.rate.acquire().await;
            let failure = match self.send(request).await {
                Ok((status, headers, body)) => {
                    match inner
                        .wire
                        .read(inner.info.name, status, &headers, &body, legacy)
                    {
                        Ok(text) => return Ok(text),
                        Err(failure) => failure,
                    }
                }
                Err(source) => {
                    if attempt >= inner.retry.max_attempts || !is_transient(&source) {
                        return Err(Error::Network {
                            provider: inner.info.name,
                            endpoint: inner.endpoint.clone(),
                            attempts: attempt,
                            source: source.without_url(),
                        });
                    }
                    tokio::time::sleep(next_backoff(&mut backoff, inner.retry.max_wait)).await;
                    continue;
                }
            };
            match failure {
                Failure::Fatal(e) => return Err(e),
                Failure::Fallback(e) => {
                    if legacy {
                        return Err(e);
                    }
                    inner.legacy.store(true, Ordering::Relaxed);
                }
                Failure::Adjusted(e) => {
                    if adjusted {
                        return Err(e);
                    }
                    adjusted = true;
                }
                Failure::Truncated => {
                    if truncated {
                        return Err(Error::Truncated {
                            provider: inner.info.name,
                            max_tokens,
                        });
                    }
                    truncated = true;
                    max_tokens *= 2;
                }
                Failure::Retry {
                    status,
                    hint,
                    message,
                } => {
                    let give_up = |message: String| {
                        if status == 429 {
                            Error::RateLimited {
                                provider: inner.info.name,
                                attempts: attempt,
                                message,
                            }
                        } else {
                            Error::ServerError {
                                provider: inner.info.name,
                                status,
                                attempts: attempt,
                                message,
                            }
                        }
                    };
                    if attempt >= inner.retry.max_attempts {
                        return Err(give_up(message));
                    }
                    let wait = match hint {
                        Some(hint) if hint > inner.retry.max_wait => {
                            return Err(give_up(format!(
                                "{message} (the provider asks to wait {:.0}s, longer than the {}s b24flow waits)",
                                hint.as_secs_f64().ceil(),
                                inner.retry.max_wait.as_secs()
                            )));
                        }
                        Some(hint) => hint,
                        None => next_backoff(&mut backoff, inner.retry.max_wait),
                    };
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// Sends a request and reads the whole response, at most [`MAX_BODY_BYTES`]. The key,
    /// should a provider ever echo it, is blanked out of the body before anyone reads it.
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(u16, HeaderMap, String), reqwest::Error> {
        let mut response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                let keep = MAX_BODY_BYTES - body.len();
                body.extend_from_slice(&chunk[..keep]);
                break;
            }
            body.extend_from_slice(&chunk);
        }
        let mut text = String::from_utf8_lossy(&body).into_owned();
        if let Some(key) = &self.inner.key {
            let key = key.expose_secret();
            if !key.is_empty() && text.contains(key) {
                text = text.replace(key, "[redacted]");
            }
        }
        Ok((status, headers, text))
    }
}

/// The rules an answer must also pass: every diagnostic of [`crate::resolve`] goes back
/// to the model like a schema problem, except those decided by the project's config
/// ([`Code::is_project_specific`](crate::resolve::Code::is_project_specific): a
/// recipient missing from `[recipients]`, a webhook URL the policy refuses). The model
/// cannot fix those (and must not "fix" them by changing whom a message goes to); `compile`
/// reports them for the author.
fn semantic_problems(outcome: &Outcome, config: &Config) -> Vec<String> {
    match outcome {
        Outcome::NeedsClarification { questions } => {
            if questions.iter().all(|q| q.trim().is_empty()) {
                vec!["questions: a clarification needs at least one question".into()]
            } else {
                Vec::new()
            }
        }
        Outcome::Ok { workflow } => crate::resolve::diagnose(workflow, config)
            .into_iter()
            .filter(|d| !d.is_warning() && !d.code.is_project_specific())
            .map(|d| format!("workflow.{d}"))
            .collect(),
    }
}

/// The JSON object in an answer. Models without constrained decoding sometimes wrap it
/// in a Markdown fence or a sentence; the object itself is what counts.
fn extract_json(answer: &str) -> Result<Value, Vec<String>> {
    let trimmed = answer.trim();
    if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
        return Ok(value);
    }
    let start = trimmed.find('{');
    let end = trimmed.rfind('}');
    if let (Some(start), Some(end)) = (start, end)
        && start < end
        && let Ok(value) = serde_json::from_str::<Value>(&trimmed[start..=end])
    {
        return Ok(value);
    }
    let mut message = match serde_json::from_str::<Value>(trimmed) {
        Err(e) => format!("the answer is not a JSON object: {e}"),
        Ok(_) => "the answer is not a JSON object".into(),
    };
    schema::truncate(&mut message, 300);
    Err(vec![message])
}

fn next_backoff(backoff: &mut impl Iterator<Item = Duration>, cap: Duration) -> Duration {
    backoff.next().unwrap_or(cap).min(cap)
}

/// Network failures worth another try: timeouts, refused or reset connections.
fn is_transient(e: &reqwest::Error) -> bool {
    e.is_timeout() || e.is_connect() || e.is_request() || e.is_body()
}

/// Model names go into URLs (Gemini) and bodies; keep them to what providers use.
fn check_model_name(model: &str) -> Result<(), Error> {
    let ok = model.len() <= 200
        && !model.starts_with(['/', '.'])
        && !model.contains("..")
        && model
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '/' | '@'));
    if ok {
        Ok(())
    } else {
        Err(Error::ModelName {
            model: model.chars().take(200).collect(),
        })
    }
}

fn parse_base_url(info: &ProviderInfo, given: Option<&str>) -> Result<Url, Error> {
    let raw = given.map_or(info.default_base_url, str::trim);
    let bad = |reason: &str| Error::BaseUrl {
        provider: info.name,
        url: redact_url(raw),
        reason: reason.to_owned(),
    };
    let url = Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("only http and https are supported"));
    }
    if url.host_str().is_none() {
        return Err(bad("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or fragment"));
    }
    Ok(url)
}

/// Scheme, host, port and path, without user info: safe to print.
fn endpoint_of(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.as_str().trim_end_matches('/').to_owned()
}

fn redact_url(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(url) => endpoint_of(&url),
        Err(_) => raw.chars().take(100).collect(),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// `base` plus a path, with exactly one slash between them.
pub(crate) fn join(base: &Url, path: &str) -> String {
    format!(
        "{}/{}",
        base.as_str().trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_wrapped_in_fences_are_read() {
        let v = extract_json("```json\n{\"status\":\"ok\"}\n```").unwrap();
        assert_eq!(v["status"], "ok");
        let err = extract_json("{\"status\": ").unwrap_err();
        assert!(err[0].contains("not a JSON object"), "{err:?}");
    }

    #[test]
    fn model_names_are_checked() {
        assert!(check_model_name("gemini-3.5-flash").is_ok());
        assert!(check_model_name("hf.co/bartowski/Qwen2.5-7B-GGUF:Q4_K_M").is_ok());
        assert!(check_model_name("x/../../admin").is_err());
        assert!(check_model_name("a b").is_err());
        assert!(check_model_name("m?key=1").is_err());
    }

    #[test]
    fn endpoints_never_show_credentials() {
        let url = Url::parse("https://user:pw@example.com/v1/").unwrap();
        assert_eq!(endpoint_of(&url), "https://example.com/v1");
    }

    #[tokio::test]
    async fn rate_limit_spreads_requests() {
        let limit = RateLimit::per_minute(Some(1200)); // one per 50 ms
        let shared = limit.clone();
        let start = std::time::Instant::now();
        for _ in 0..3 {
            limit.acquire().await;
            shared.acquire().await;
        }
        assert!(
            start.elapsed() >= Duration::from_millis(250),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(limit.requests_per_minute(), Some(1200));
        assert_eq!(RateLimit::per_minute(Some(0)).requests_per_minute(), None);
    }
}
