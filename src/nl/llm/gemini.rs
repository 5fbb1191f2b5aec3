//! Google Gemini: `POST {base}/v1beta/models/{model}:generateContent`.
//!
//! The key goes in the `x-goog-api-key` header (never the `?key=` query, which would put
//! it in URLs and logs). The answer is constrained with `responseMimeType:
//! application/json` plus `responseJsonSchema`; models or servers that do not know that
//! field get the OpenAPI-subset `responseSchema` instead (never both in one request:
//! Gemini rejects that). Error bodies are google.rpc status envelopes; a 429 carries its
//! wait in `details[].retryDelay` (a `RetryInfo`, e.g. `"26.6s"`), not in a header.
//! See `reference/llm.md` §1.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use url::Url;

use super::{Call, ErrorReply, Failure, ProviderInfo, Role, join, prompt, rejected, schema, short};
use crate::nl::Error;

const NAME: &str = "gemini";

#[derive(Debug)]
pub(crate) struct Gemini {
    url: String,
    model: String,
    info: &'static ProviderInfo,
}

impl Gemini {
    pub(crate) fn new(info: &'static ProviderInfo, base: &Url, model: &str) -> Gemini {
        // Google lists models as `models/<id>`; accept either spelling.
        let model = model.strip_prefix("models/").unwrap_or(model).to_owned();
        Gemini {
            url: join(base, &format!("v1beta/models/{model}:generateContent")),
            model,
            info,
        }
    }

    /// Gemini 1.x and 2.0 predate `responseJsonSchema`.
    pub(crate) fn prefers_legacy(&self) -> bool {
        matches!(generation(&self.model), Some((1, _) | (2, 0)))
    }

    pub(crate) fn request(
        &self,
        http: &reqwest::Client,
        call: &Call<'_>,
        key: Option<&SecretString>,
    ) -> reqwest::RequestBuilder {
        let contents: Vec<Value> = call
            .turns
            .iter()
            .map(|t| {
                let role = match t.role {
                    Role::User => "user",
                    Role::Assistant => "model",
                };
                json!({"role": role, "parts": [{"text": t.text}]})
            })
            .collect();
        let schemas = schema::schemas();
        let mut config = json!({
            "responseMimeType": "application/json",
            "maxOutputTokens": call.max_tokens,
            "candidateCount": 1,
        });
        if call.legacy {
            config["responseSchema"] = schemas.gemini_legacy.clone();
        } else {
            config["responseJsonSchema"] = schemas.portable.clone();
        }
        // Google advises keeping Gemini 3 at its default temperature of 1.0 (lower values
        // can loop); earlier models get 0 and a seed for repeatable answers.
        if matches!(generation(&self.model), Some((major, _)) if major < 3) {
            config["temperature"] = json!(0);
            config["seed"] = json!(42);
        }
        let body = json!({
            "systemInstruction": {"parts": [{"text": prompt::system_prompt()}]},
            "contents": contents,
            "generationConfig": config,
        });
        let mut request = http.post(&self.url).json(&body);
        if let Some(key) = key {
            request = request.header("x-goog-api-key", key.expose_secret());
        }
        request
    }

    /// The answer in a successful (HTTP 200) reply.
    pub(crate) fn answer(v: &Value) -> Result<String, Failure> {
        if let Some(reason) = v["promptFeedback"]["blockReason"].as_str() {
            return Err(Failure::Fatal(Error::Blocked {
                provider: NAME,
                reason: format!("the prompt was blocked ({reason})"),
            }));
        }
        let Some(candidate) = v["candidates"].get(0) else {
            return Err(Failure::Fatal(Error::BadResponse {
                provider: NAME,
                message: "the response has no candidates".into(),
            }));
        };
        let text: String = candidate["content"]["parts"]
            .as_array()
            .map(|parts| {
                parts
                    .iter()
                    .filter(|p| p["thought"] != true)
                    .filter_map(|p| p["text"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        let reason = candidate["finishReason"].as_str().unwrap_or("STOP");
        match reason {
            "STOP" | "FINISH_REASON_UNSPECIFIED" if !text.trim().is_empty() => Ok(text),
            "MAX_TOKENS" => Err(Failure::Truncated),
            "SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII"
            | "IMAGE_SAFETY" => Err(Failure::Fatal(Error::Blocked {
                provider: NAME,
                reason: format!("the answer was blocked ({reason})"),
            })),
            _ => Err(Failure::Fatal(Error::BadResponse {
                provider: NAME,
                message: format!("the model stopped without an answer (finishReason {reason})"),
            })),
        }
    }

    pub(crate) fn error(&self, reply: &ErrorReply<'_>) -> Failure {
        let (status, e) = (reply.status, reply.error());
        let message = short(e["message"].as_str().unwrap_or("no message"));
        let details: &[Value] = e["details"].as_array().map_or(&[], Vec::as_slice);
        let reasons: Vec<&str> = details
            .iter()
            .filter_map(|d| d["reason"].as_str())
            .collect();
        match status {
            // A bad key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID, not a 401.
            400 if reasons.contains(&"API_KEY_INVALID") => {
                Failure::auth(self.info, status, message)
            }
            // An older model or server that does not know `responseJsonSchema` ("Unknown
            // name ... Cannot find field"), or a schema too complex for the JSON Schema
            // path ("produces a constraint that has too many states"): the OpenAPI
            // subset, with its unions merged, is simpler.
            400 if !reply.legacy && message.to_ascii_lowercase().contains("schema") => {
                Failure::Fallback(rejected(NAME, status, message))
            }
            // The free tier is not offered in the region and billing is not set up.
            400 if e["status"] == "FAILED_PRECONDITION" => Failure::Fatal(Error::QuotaExhausted {
                provider: NAME,
                message,
                help: "enable billing for the Google Cloud project, or use another provider",
            }),
            401 | 403 => Failure::auth(self.info, status, message),
            404 => Failure::unknown_model(self.info, &self.model, message),
            429 => {
                if let Some(quota) = daily_quota(details) {
                    return Failure::Fatal(Error::QuotaExhausted {
                        provider: NAME,
                        message: format!("{message} (quota {quota})"),
                        help: "the daily quota resets at midnight Pacific time; wait, raise the quota, or use another provider",
                    });
                }
                Failure::Retry {
                    status,
                    hint: retry_delay(details),
                    message,
                }
            }
            500.. => Failure::Retry {
                status,
                hint: None,
                message,
            },
            _ => Failure::Fatal(rejected(NAME, status, message)),
        }
    }
}

/// `gemini-3.5-flash` is (3, 5); `gemini-2.0-flash-001` is (2, 0).
fn generation(model: &str) -> Option<(u32, u32)> {
    let rest = model.strip_prefix("gemini-")?;
    let version = rest.split('-').next()?;
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

/// `RetryInfo.retryDelay`: a protobuf Duration such as `"26s"` or `"45.837906927s"`.
fn retry_delay(details: &[Value]) -> Option<Duration> {
    details
        .iter()
        .filter(|d| {
            d["@type"]
                .as_str()
                .is_some_and(|t| t.ends_with("google.rpc.RetryInfo"))
        })
        .find_map(|d| d["retryDelay"].as_str())
        .and_then(|s| s.trim().strip_suffix('s'))
        .and_then(|s| s.parse::<f64>().ok())
        .and_then(super::duration_from_secs)
}

/// A violated quota that waiting a minute cannot fix: a per-day one, or a limit of 0
/// (the model is not offered on this tier).
fn daily_quota(details: &[Value]) -> Option<String> {
    details
        .iter()
        .filter(|d| {
            d["@type"]
                .as_str()
                .is_some_and(|t| t.ends_with("google.rpc.QuotaFailure"))
        })
        .filter_map(|d| d["violations"].as_array())
        .flatten()
        .find(|v| {
            let id = v["quotaId"].as_str().unwrap_or("");
            id.contains("PerDay") || v["quotaValue"] == "0"
        })
        .map(|v| v["quotaId"].as_str().unwrap_or("unknown").to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generations() {
        assert_eq!(generation("gemini-3.5-flash"), Some((3, 5)));
        assert_eq!(generation("gemini-2.0-flash-001"), Some((2, 0)));
        assert_eq!(generation("gemini-2.5-flash-lite"), Some((2, 5)));
        assert_eq!(generation("learnlm-x"), None);
    }

    #[test]
    fn retry_delays_are_fractional_seconds() {
        let details = vec![
            json!({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "45.837906927s"}),
        ];
        let d = retry_delay(&details).unwrap();
        assert!((d.as_secs_f64() - 45.837_906_927).abs() < 1e-6);
        assert_eq!(retry_delay(&[json!({"retryDelay": "x"})]), None);
    }
}
