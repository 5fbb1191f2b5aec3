//! OpenAI Chat Completions, and every server that speaks it (Ollama `/v1`, llama.cpp,
//! vLLM): `POST {base}/chat/completions`, where the base includes `/v1`.
//!
//! The answer is constrained with `response_format: {type: json_schema, json_schema:
//! {name, schema, strict: true}}`; a server that rejects the strict schema gets the same
//! schema with `strict: false`. `temperature: 0` and a `seed` are always sent, except to
//! OpenAI reasoning models (o-series, gpt-5), which accept only the default temperature:
//! Ollama and llama.cpp otherwise sample at 1.0 and 0.8 with a random seed. The key is a
//! bearer token, optional for local servers. Errors are `{"error":{"message","type",
//! "code"}}`; a 429 of type `insufficient_quota` is final, other 429s wait for
//! `retry-after-ms` or `retry-after`. See `reference/llm.md` §3.

use std::sync::atomic::{AtomicBool, Ordering};

use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use url::Url;

use super::{
    Call, ErrorReply, Failure, ProviderInfo, Role, join, prompt, rejected, retry_after, schema,
    short,
};
use crate::nl::Error;

const NAME: &str = "openai";

#[derive(Debug)]
pub(crate) struct OpenAi {
    url: String,
    model: String,
    info: &'static ProviderInfo,
    /// Cleared when the model rejects `temperature` or `seed` (a model b24flow does not
    /// know as a reasoning model).
    sampling: AtomicBool,
}

impl OpenAi {
    pub(crate) fn new(info: &'static ProviderInfo, base: &Url, model: &str) -> OpenAi {
        OpenAi {
            url: join(base, "chat/completions"),
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
        let mut messages = vec![json!({"role": "system", "content": prompt::system_prompt()})];
        messages.extend(call.turns.iter().map(|t| {
            let role = match t.role {
                Role::User => "user",
                Role::Assistant => "assistant",
            };
            json!({"role": role, "content": t.text})
        }));
        let mut body = json!({
            "model": self.model,
            "messages": messages,
            "response_format": {"type": "json_schema", "json_schema": {
                "name": "workflow_outcome",
                "schema": schema::schemas().portable,
                "strict": !call.legacy,
            }},
        });
        if is_reasoning_model(&self.model) {
            body["max_completion_tokens"] = json!(call.max_tokens);
        } else {
            body["max_tokens"] = json!(call.max_tokens);
            if self.sampling.load(Ordering::Relaxed) {
                body["temperature"] = json!(0);
                body["seed"] = json!(42);
            }
        }
        let mut request = http.post(&self.url).json(&body);
        if let Some(key) = key {
            request = request.bearer_auth(key.expose_secret());
        }
        request
    }

    /// The answer in a successful (HTTP 200) reply.
    pub(crate) fn answer(v: &Value) -> Result<String, Failure> {
        let Some(choice) = v["choices"].get(0) else {
            return Err(Failure::Fatal(Error::BadResponse {
                provider: NAME,
                message: "the response has no choices".into(),
            }));
        };
        let message = &choice["message"];
        if let Some(refusal) = message["refusal"].as_str() {
            return Err(Failure::Fatal(Error::Blocked {
                provider: NAME,
                reason: format!("the model refused: {}", short(refusal)),
            }));
        }
        match choice["finish_reason"].as_str().unwrap_or("stop") {
            "length" => return Err(Failure::Truncated),
            "content_filter" => {
                return Err(Failure::Fatal(Error::Blocked {
                    provider: NAME,
                    reason: "the content filter stopped the answer".into(),
                }));
            }
            _ => {}
        }
        match message["content"].as_str() {
            Some(text) if !text.trim().is_empty() => Ok(text.to_owned()),
            _ => Err(Failure::Fatal(Error::BadResponse {
                provider: NAME,
                message: "the answer has no content".into(),
            })),
        }
    }

    pub(crate) fn error(&self, reply: &ErrorReply<'_>) -> Failure {
        let (status, e) = (reply.status, reply.error());
        // OpenAI and Ollama send an object; Ollama's native API a bare string.
        let message = reply.message(
            e["message"]
                .as_str()
                .or_else(|| e.as_str())
                .unwrap_or("no message"),
            "x-request-id",
        );
        let kind = e["type"].as_str().unwrap_or("");
        let code = e["code"].as_str().unwrap_or("");
        let quota = kind == "insufficient_quota"
            || matches!(
                code,
                "insufficient_quota" | "credit_balance_exhausted" | "project_spend_limit_exceeded"
            );
        match status {
            // "Unsupported value: 'temperature' does not support 0 with this model."
            400 if matches!(e["param"].as_str(), Some("temperature" | "seed"))
                || message.contains("'temperature'") =>
            {
                self.sampling.store(false, Ordering::Relaxed);
                Failure::Adjusted(rejected(NAME, status, message))
            }
            429 if quota => Failure::Fatal(Error::QuotaExhausted {
                provider: NAME,
                message,
                help: "add credits or raise the project's spend limit in the OpenAI dashboard",
            }),
            // A schema strict mode will not take ("Invalid schema for response_format
            // ...", "Objects provided via 'anyOf' ..."), or a server without strict mode:
            // the same schema without `strict` is only guidance, and the local check stays.
            400 if !reply.legacy
                && (e["param"] == "response_format"
                    || ["response_format", "json_schema", "schema", "strict"]
                        .iter()
                        .any(|w| message.to_ascii_lowercase().contains(w))) =>
            {
                Failure::Fallback(rejected(NAME, status, message))
            }
            401 | 403 => Failure::auth(self.info, status, message),
            404 => Failure::unknown_model(self.info, &self.model, message),
            408 | 409 | 429 | 500.. => Failure::Retry {
                status,
                hint: retry_after_ms(reply.headers).or_else(|| retry_after(reply.headers)),
                message,
            },
            _ => Failure::Fatal(rejected(NAME, status, message)),
        }
    }
}

fn retry_after_ms(headers: &HeaderMap) -> Option<std::time::Duration> {
    let ms: f64 = headers
        .get("retry-after-ms")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    super::duration_from_secs(ms / 1000.0)
}

/// OpenAI reasoning models take only the default temperature and count their budget in
/// `max_completion_tokens`.
fn is_reasoning_model(model: &str) -> bool {
    let m = model.rsplit('/').next().unwrap_or(model);
    ["o1", "o3", "o4", "gpt-5"].iter().any(|p| {
        m.strip_prefix(p)
            .is_some_and(|r| r.is_empty() || r.starts_with(['-', '.']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasoning_models() {
        assert!(is_reasoning_model("gpt-5.4-mini"));
        assert!(is_reasoning_model("o3"));
        assert!(is_reasoning_model("o4-mini"));
        assert!(!is_reasoning_model("gpt-4.1-mini"));
        assert!(!is_reasoning_model("gpt-oss:20b"));
        assert!(!is_reasoning_model("qwen2.5:7b"));
        assert!(!is_reasoning_model("o1x"));
    }
}
