//! Anthropic: `POST {base}/v1/messages` with `x-api-key` and `anthropic-version:
//! 2023-06-01`.
//!
//! The answer is constrained with the GA structured-output field `output_config.format`
//! (`json_schema`); a server or model that rejects it gets a forced tool
//! (`tool_choice: {type: tool}`) whose input is the answer. Newer models (Opus 4.7+,
//! Sonnet 5, Haiku 5.x) reject any `temperature`, and `top_p`/`top_k` are never sent, so
//! `temperature: 0` goes only to models known to take it. Errors are `{"type":"error",
//! "error":{"type","message"}}`; 529 means overloaded (retried), a 429 without
//! `retry-after` that names the spend limit is final. See `reference/llm.md` §2.

use std::sync::atomic::{AtomicBool, Ordering};

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use url::Url;

use super::{
    Call, ErrorReply, Failure, ProviderInfo, Role, join, prompt, rejected, retry_after, schema,
    short,
};
use crate::nl::Error;

const NAME: &str = "anthropic";
const API_VERSION: &str = "2023-06-01";
const TOOL: &str = "emit_outcome";

#[derive(Debug)]
pub(crate) struct Anthropic {
    url: String,
    model: String,
    info: &'static ProviderInfo,
    /// Cleared when the model rejects `temperature` (a model newer than b24flow knows).
    sampling: AtomicBool,
}

impl Anthropic {
    pub(crate) fn new(info: &'static ProviderInfo, base: &Url, model: &str) -> Anthropic {
        Anthropic {
            url: join(base, "v1/messages"),
            model: model.to_owned(),
            info,
            sampling: AtomicBool::new(true),
        }
    }

    pub(crate) fn request(
        &self,
        http: &reqwest::Client,
        call: &Call<'_>,
        key: Option<&SecretString>,
    ) -> reqwest::RequestBuilder {
        let messages: Vec<Value> = call
            .turns
            .iter()
            .map(|t| {
                let role = match t.role {
                    Role::User => "user",
                    Role::Assistant => "assistant",
                };
                json!({"role": role, "content": t.text})
            })
            .collect();
        let schema = schema::schemas().portable.clone();
        let mut body = json!({
            "model": self.model,
            "max_tokens": call.max_tokens,
            "system": prompt::system_prompt(),
            "messages": messages,
        });
        if call.legacy {
            body["tools"] = json!([{
                "name": TOOL,
                "description": "Return the compiled workflow, or the clarification questions.",
                "input_schema": schema,
            }]);
            body["tool_choice"] = json!({"type": "tool", "name": TOOL});
        } else {
            body["output_config"] = json!({"format": {"type": "json_schema", "schema": schema}});
        }
        if accepts_temperature(&self.model) && self.sampling.load(Ordering::Relaxed) {
            body["temperature"] = json!(0);
        }
        let mut request = http
            .post(&self.url)
            .header("anthropic-version", API_VERSION)
            .json(&body);
        if let Some(key) = key {
            request = request.header("x-api-key", key.expose_secret());
        }
        request
    }

    /// The answer in a successful (HTTP 200) reply.
    pub(crate) fn answer(v: &Value) -> Result<String, Failure> {
        let blocks: &[Value] = v["content"].as_array().map_or(&[], Vec::as_slice);
        let stop = v["stop_reason"].as_str().unwrap_or("");
        match stop {
            "max_tokens" | "model_context_window_exceeded" => return Err(Failure::Truncated),
            "refusal" => {
                let why = v["stop_details"]["explanation"]
                    .as_str()
                    .or_else(|| v["stop_details"]["type"].as_str())
                    .map_or_else(|| "the model refused".to_owned(), short);
                return Err(Failure::Fatal(Error::Blocked {
                    provider: NAME,
                    reason: why,
                }));
            }
            "end_turn" | "tool_use" | "stop_sequence" => {}
            other => {
                return Err(Failure::Fatal(Error::BadResponse {
                    provider: NAME,
                    message: format!("the model stopped without an answer (stop_reason {other:?})"),
                }));
            }
        }
        if let Some(input) = blocks
            .iter()
            .find(|b| b["type"] == "tool_use" && b["name"] == TOOL)
            .map(|b| &b["input"])
        {
            return Ok(input.to_string());
        }
        let text: String = blocks
            .iter()
            .filter(|b| b["type"] == "text")
            .filter_map(|b| b["text"].as_str())
            .collect();
        if text.trim().is_empty() {
            return Err(Failure::Fatal(Error::BadResponse {
                provider: NAME,
                message: "the answer has no text".into(),
            }));
        }
        Ok(text)
    }

    pub(crate) fn error(&self, reply: &ErrorReply<'_>) -> Failure {
        let (status, e) = (reply.status, reply.error());
        let kind = e["type"].as_str().unwrap_or("");
        let raw = e["message"].as_str().unwrap_or("no message");
        let lower = raw.to_ascii_lowercase();
        let message = reply.message(raw, "request-id");
        let spend = e["details"]["error_code"] == "enforced_spend_limit_reached"
            || lower.contains("spend limit")
            || lower.contains("credit balance");
        match status {
            _ if spend || kind == "billing_error" => Failure::Fatal(Error::QuotaExhausted {
                provider: NAME,
                message,
                help: "raise the workspace spend limit or add credits in the Anthropic console",
            }),
            // "`temperature` is deprecated for this model."
            400 if lower.contains("temperature") => {
                self.sampling.store(false, Ordering::Relaxed);
                Failure::Adjusted(rejected(NAME, status, message))
            }
            // A server or model without structured outputs ("output_config: Extra inputs
            // are not permitted"), or a schema whose grammar is too large: a forced tool
            // without `strict` compiles no grammar.
            400 if !reply.legacy
                && (lower.contains("output_config")
                    || lower.contains("structured output")
                    || lower.contains("schema")) =>
            {
                Failure::Fallback(rejected(NAME, status, message))
            }
            401 | 403 => Failure::auth(self.info, status, message),
            404 => Failure::unknown_model(self.info, &self.model, message),
            409 | 429 | 500.. => Failure::Retry {
                status,
                hint: retry_after(reply.headers),
                message,
            },
            _ => Failure::Fatal(rejected(NAME, status, message)),
        }
    }
}

/// Whether a model takes `temperature`: Claude models before 4.7. Opus 4.7+, Sonnet 5,
/// Haiku 5.x and any unknown name get no sampling parameters (omitting them is always
/// accepted).
fn accepts_temperature(model: &str) -> bool {
    version(model).is_some_and(|v| v < (4, 7))
}

/// `claude-sonnet-4-5-20250929` is (4, 5), `claude-3-5-sonnet-20241022` is (3, 5),
/// `claude-sonnet-5` is (5, 0). Snapshot dates are not minor versions. Only the Opus,
/// Sonnet and Haiku families are known; any other name gives `None`.
fn version(model: &str) -> Option<(u32, u32)> {
    let parts: Vec<&str> = model.strip_prefix("claude-")?.split('-').collect();
    let is_family = |p: &str| matches!(p, "opus" | "sonnet" | "haiku");
    // New ids put the family first (`claude-sonnet-4-6`), old ones last
    // (`claude-3-5-sonnet-20241022`).
    let numbers: &[&str] = match parts.first() {
        Some(first) if is_family(first) => &parts[1..],
        _ if parts.iter().any(|p| is_family(p)) => &parts,
        _ => return None,
    };
    let mut numbers = numbers
        .iter()
        .map_while(|p| (p.len() <= 2).then(|| p.parse::<u32>().ok()).flatten());
    let major = numbers.next()?;
    Some((major, numbers.next().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temperature_only_where_accepted() {
        assert!(accepts_temperature("claude-sonnet-4-6"));
        assert!(accepts_temperature("claude-sonnet-4-5-20250929"));
        assert!(accepts_temperature("claude-3-5-sonnet-20241022"));
        assert!(!accepts_temperature("claude-opus-4-7"));
        assert!(!accepts_temperature("claude-sonnet-5"));
        assert!(!accepts_temperature("claude-haiku-5-5"));
        assert!(!accepts_temperature("my-proxy-model"));
        assert!(!accepts_temperature("claude-fable-1"));
        assert_eq!(version("claude-opus-4-1-20250805"), Some((4, 1)));
    }
}
