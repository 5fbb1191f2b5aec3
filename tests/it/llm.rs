//! The LLM parsers against local mock servers that speak each provider's real wire
//! format (reference/llm.md): the mock checks what the client sends (path, headers,
//! body shape, schema, sampling parameters) and answers with real response shapes,
//! including every failure mode the client must handle.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use b24flow::config::{Config, Env, Provider};
use b24flow::nl::llm::{RetryPolicy, provider_info};
use b24flow::nl::{Error, Outcome, Parser, ParserSettings};
use serde_json::{Value, json};

const KEY: &str = "test-key-5ecr3t-do-not-print";
const SPEC: &str = "When a deal is won, send a WhatsApp message to the client";

// --- The mock -------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Gemini,
    Anthropic,
    OpenAi,
    /// Ollama's `/v1`: no key needed, its own error `type`s, `fp_ollama`.
    Ollama,
}

/// One canned answer.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Value,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body,
    }
}

impl Reply {
    fn header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, value.to_owned()));
        self
    }
}

/// What the client sent.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Value,
}

struct MockState {
    flavour: Flavour,
    /// The server rejects the preferred structured-output field (older model or server).
    legacy_only: bool,
    replies: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<Seen>>,
}

struct Mock {
    base: String,
    state: Arc<MockState>,
}

impl Mock {
    async fn start(flavour: Flavour, replies: Vec<Reply>) -> Mock {
        Mock::start_with(flavour, false, replies).await
    }

    async fn start_with(flavour: Flavour, legacy_only: bool, replies: Vec<Reply>) -> Mock {
        let state = Arc::new(MockState {
            flavour,
            legacy_only,
            replies: Mutex::new(replies.into()),
            seen: Mutex::new(Vec::new()),
        });
        let app = Router::new().fallback(handle).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let base = match flavour {
            Flavour::Gemini | Flavour::Anthropic => format!("http://{addr}"),
            Flavour::OpenAi | Flavour::Ollama => format!("http://{addr}/v1"),
        };
        Mock { base, state }
    }

    fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    fn bodies(&self) -> Vec<Value> {
        self.seen().into_iter().map(|s| s.body).collect()
    }
}

async fn handle(
    State(state): State<Arc<MockState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    state.seen.lock().unwrap().push(Seen {
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: headers.clone(),
        body: body.clone(),
    });
    let checked = match state.flavour {
        Flavour::Gemini => check_gemini(&state, &method, &uri, &headers, &body),
        Flavour::Anthropic => check_anthropic(&state, &method, &uri, &headers, &body),
        Flavour::OpenAi | Flavour::Ollama => check_openai(&state, &method, &uri, &headers, &body),
    };
    let reply = match checked {
        Err(rejection) => rejection,
        Ok(()) => state
            .replies
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| reply(500, json!({"error": {"message": "mock: no reply queued"}}))),
    };
    let mut response = (
        StatusCode::from_u16(reply.status).unwrap(),
        axum::Json(reply.body),
    )
        .into_response();
    if state.flavour == Flavour::Anthropic {
        response
            .headers_mut()
            .insert("request-id", "req_011CMockRequest".parse().unwrap());
    }
    for (name, value) in reply.headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

fn gemini_error(code: u16, status: &str, message: &str, details: Value) -> Reply {
    let mut body = json!({"error": {"code": code, "message": message, "status": status}});
    body["error"]["details"] = details;
    reply(code, body)
}

fn anthropic_error(status: u16, kind: &str, message: &str) -> Reply {
    reply(
        status,
        json!({"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_011CMockRequest"}),
    )
}

fn openai_error(status: u16, kind: &str, code: Option<&str>, message: &str) -> Reply {
    reply(
        status,
        json!({"error": {"message": message, "type": kind, "param": null, "code": code}}),
    )
}

/// What a real Gemini endpoint insists on, as far as the client can get it wrong.
fn check_gemini(
    state: &MockState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Value,
) -> Result<(), Reply> {
    let path = uri.path();
    let Some(model) = path
        .strip_prefix("/v1beta/models/")
        .and_then(|p| p.strip_suffix(":generateContent"))
    else {
        return Err(gemini_error(
            404,
            "NOT_FOUND",
            "mock: unknown path",
            json!([]),
        ));
    };
    let key = headers
        .get("x-goog-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            uri.query()
                .and_then(|q| q.strip_prefix("key="))
                .map(str::to_owned)
        });
    if key.as_deref() != Some(KEY) {
        return Err(gemini_error(
            400,
            "INVALID_ARGUMENT",
            "API key not valid. Please pass a valid API key.",
            json!([{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                    "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}}]),
        ));
    }
    let bad = |m: &str| Err(gemini_error(400, "INVALID_ARGUMENT", m, json!([])));
    if method != Method::POST {
        return bad("mock: POST expected");
    }
    let config = body
        .get("generationConfig")
        .or_else(|| body.get("generation_config"));
    let Some(config) = config else {
        return bad("mock: no generationConfig");
    };
    let system = body
        .get("systemInstruction")
        .or_else(|| body.get("system_instruction"));
    if system
        .and_then(|s| s["parts"][0]["text"].as_str())
        .is_none()
    {
        return bad("mock: no systemInstruction text");
    }
    if config["responseMimeType"] != "application/json" {
        return bad("mock: responseMimeType must be application/json");
    }
    let json_schema = config.get("responseJsonSchema").is_some();
    let legacy_schema = config.get("responseSchema").is_some();
    if json_schema && legacy_schema {
        return bad("responseSchema and responseJsonSchema cannot both be set");
    }
    if !json_schema && !legacy_schema {
        return bad("mock: no response schema");
    }
    if json_schema && state.legacy_only {
        return bad(
            "Invalid JSON payload received. Unknown name \"responseJsonSchema\" at 'generation_config': Cannot find field.",
        );
    }
    // Google advises against lowering the temperature on Gemini 3.
    if model.starts_with("gemini-3")
        && (config.get("temperature").is_some() || config.get("topP").is_some())
    {
        return bad("mock: no sampling parameters for Gemini 3");
    }
    let contents = body["contents"].as_array().cloned().unwrap_or_default();
    if contents.is_empty()
        || contents.iter().any(|c| {
            !matches!(c["role"].as_str(), Some("user" | "model"))
                || c["parts"][0]["text"].as_str().is_none()
        })
    {
        return bad("mock: contents must be user/model turns with text parts");
    }
    Ok(())
}

fn check_anthropic(
    state: &MockState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Value,
) -> Result<(), Reply> {
    if uri.path() != "/v1/messages" || method != Method::POST {
        return Err(anthropic_error(404, "not_found_error", "Not found"));
    }
    if headers.get("x-api-key").and_then(|v| v.to_str().ok()) != Some(KEY) {
        return Err(anthropic_error(
            401,
            "authentication_error",
            "invalid x-api-key",
        ));
    }
    let bad = |m: &str| Err(anthropic_error(400, "invalid_request_error", m));
    if headers
        .get("anthropic-version")
        .and_then(|v| v.to_str().ok())
        != Some("2023-06-01")
    {
        return bad("anthropic-version: header is required");
    }
    let model = body["model"].as_str().unwrap_or("");
    if body["max_tokens"].as_u64().is_none() {
        return bad("max_tokens: Field required");
    }
    if body["system"].as_str().is_none() {
        return bad("mock: system prompt expected");
    }
    let new_model =
        model.contains("opus-4-7") || model.contains("sonnet-5") || model.contains("haiku-5");
    if new_model
        && (body.get("temperature").is_some()
            || body.get("top_p").is_some()
            || body.get("top_k").is_some())
    {
        return bad("`temperature` is deprecated for this model.");
    }
    if body.get("temperature").is_some() && body.get("top_p").is_some() {
        return bad("`temperature` and `top_p` cannot both be specified for this model.");
    }
    let native = body.get("output_config").is_some();
    let tool = body.get("tool_choice").is_some();
    if native && state.legacy_only {
        return bad("output_config: Extra inputs are not permitted");
    }
    if native && body["output_config"]["format"]["type"] != "json_schema" {
        return bad("mock: output_config.format must be json_schema");
    }
    if tool && body["tools"][0]["name"] != body["tool_choice"]["name"] {
        return bad("mock: tool_choice names no tool");
    }
    if !native && !tool {
        return bad("mock: no structured output requested");
    }
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    if messages.first().map(|m| m["role"].clone()) != Some(json!("user")) {
        return bad("messages: first message must use the \"user\" role");
    }
    Ok(())
}

fn check_openai(
    state: &MockState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Value,
) -> Result<(), Reply> {
    if uri.path() != "/v1/chat/completions" || method != Method::POST {
        return Err(openai_error(
            404,
            "invalid_request_error",
            None,
            "Unknown request URL",
        ));
    }
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
    if state.flavour == Flavour::OpenAi && auth != Some(&format!("Bearer {KEY}")) {
        return Err(openai_error(
            401,
            "invalid_request_error",
            Some("invalid_api_key"),
            "Incorrect API key provided.",
        ));
    }
    let bad = |m: &str| Err(openai_error(400, "invalid_request_error", None, m));
    let format = &body["response_format"];
    if format["type"] != "json_schema" || !format["json_schema"]["schema"].is_object() {
        return bad("mock: response_format json_schema expected");
    }
    if state.legacy_only && format["json_schema"]["strict"] == true {
        return bad(
            "Invalid schema for response_format 'workflow_outcome': strict mode is not supported",
        );
    }
    let model = body["model"].as_str().unwrap_or("");
    let reasoning = model.starts_with("gpt-5") || model.starts_with('o');
    if reasoning && body.get("temperature").is_some() {
        return bad(
            "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
        );
    }
    if state.flavour == Flavour::Ollama
        && (body.get("temperature").is_none() || body.get("seed").is_none())
    {
        // Ollama and llama.cpp sample at 1.0 / 0.8 with a random seed when these are
        // missing; the mock insists, as the reference demands.
        return bad("mock: temperature and seed must be sent");
    }
    if body["messages"][0]["role"] != "system" {
        return bad("mock: the system prompt comes first");
    }
    Ok(())
}

// --- Canned answers -------------------------------------------------------------------

fn deal_won() -> Value {
    json!({"status": "ok", "workflow": {
        "name": "Deal won: WhatsApp the client", "entity": "CRM_DEAL",
        "trigger": {"type": "deal_won"},
        "actions": [{"type": "send_whatsapp", "to": "{{CONTACT_PHONE}}",
                     "message": "Congratulations! Your deal has been confirmed."}]}})
}

/// The same answer as a strict-mode model writes it: every field present, unused ones null.
fn deal_won_strict() -> Value {
    json!({"status": "ok", "questions": null, "workflow": {
        "name": "Deal won: WhatsApp the client", "entity": "CRM_DEAL",
        "trigger": {"type": "deal_won"}, "conditions": null,
        "actions": [{"type": "send_whatsapp", "to": "{{CONTACT_PHONE}}",
                     "message": "Congratulations! Your deal has been confirmed."}]}})
}

fn clarification() -> Value {
    json!({"status": "needs_clarification", "workflow": null,
           "questions": ["Who should receive the message?", "When should it be sent?"]})
}

fn gemini_answer(text: &str, finish: &str) -> Reply {
    reply(
        200,
        json!({"candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                               "finishReason": finish, "index": 0, "safetyRatings": []}],
               "usageMetadata": {"promptTokenCount": 3120, "candidatesTokenCount": 60, "totalTokenCount": 3180},
               "modelVersion": "gemini-3.5-flash", "responseId": "mock-1"}),
    )
}

fn gemini_ok(answer: &Value) -> Reply {
    gemini_answer(&answer.to_string(), "STOP")
}

fn anthropic_answer(content: Value, stop: &str) -> Reply {
    let mut body = json!({"id": "msg_01Mock", "type": "message", "role": "assistant",
        "model": "claude-sonnet-4-6", "stop_reason": stop, "stop_sequence": null,
        "usage": {"input_tokens": 3120, "output_tokens": 60}});
    body["content"] = content;
    reply(200, body)
}

fn anthropic_ok(answer: &Value) -> Reply {
    anthropic_answer(
        json!([{"type": "text", "text": answer.to_string()}]),
        "end_turn",
    )
}

fn openai_answer(message: Value, finish: &str) -> Reply {
    let mut body = json!({"id": "chatcmpl-mock", "object": "chat.completion", "created": 1_764_000_000,
        "model": "mock", "system_fingerprint": "fp_mock",
        "choices": [{"index": 0, "finish_reason": finish}],
        "usage": {"prompt_tokens": 3120, "completion_tokens": 60, "total_tokens": 3180}});
    body["choices"][0]["message"] = message;
    reply(200, body)
}

fn openai_ok(answer: &Value) -> Reply {
    openai_answer(
        json!({"role": "assistant", "content": answer.to_string(), "refusal": null}),
        "stop",
    )
}

// --- Building parsers -----------------------------------------------------------------

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_wait: Duration::from_secs(2),
        timeout: Duration::from_secs(10),
    }
}

fn settings(provider: Provider, mock: &Mock, model: Option<&str>) -> ParserSettings {
    ParserSettings {
        provider,
        model: model.map(str::to_owned),
        base_url: Some(mock.base.clone()),
        jobs: 1,
        // 0: no client-side limit, so the tests run at full speed.
        requests_per_minute: Some(0),
        retry: fast_retry(),
    }
}

fn env_with_key() -> Env {
    Env::from_lookup(|name| name.ends_with("_API_KEY").then(|| KEY.to_owned()))
}

fn parser(provider: Provider, mock: &Mock, model: Option<&str>) -> Parser {
    Parser::from_settings(
        &settings(provider, mock, model),
        &Config::default(),
        &env_with_key(),
    )
    .unwrap()
}

fn expected_deal_won() -> Outcome {
    serde_json::from_value(deal_won()).unwrap()
}

/// An error as a user sees it: the message, the help, and the debug form.
fn shown(err: &Error) -> String {
    use miette::Diagnostic;
    format!(
        "{err} | {} | {} | {err:?}",
        err.help().map(|h| h.to_string()).unwrap_or_default(),
        err.code().map(|c| c.to_string()).unwrap_or_default()
    )
}

// --- Gemini ---------------------------------------------------------------------------

#[tokio::test]
async fn gemini_sends_the_documented_request_and_reads_the_answer() {
    let mock = Mock::start(Flavour::Gemini, vec![gemini_ok(&deal_won_strict())]).await;
    let parser = parser(Provider::Gemini, &mock, None);
    let outcome = parser.parse(SPEC).await.unwrap();
    assert_eq!(outcome, expected_deal_won());

    let seen = mock.seen();
    assert_eq!(seen.len(), 1);
    let default = provider_info(Provider::Gemini).unwrap().default_model;
    assert_eq!(
        seen[0].path,
        format!("/v1beta/models/{default}:generateContent")
    );
    assert_eq!(seen[0].query, None, "the key must not travel in the URL");
    assert_eq!(seen[0].headers["x-goog-api-key"], KEY);
    let body = &seen[0].body;
    let config = &body["generationConfig"];
    assert_eq!(config["responseMimeType"], "application/json");
    assert_eq!(
        config["responseJsonSchema"]["properties"]["status"]["enum"],
        json!(["ok", "needs_clarification"])
    );
    assert!(config.get("responseSchema").is_none());
    assert!(
        config.get("temperature").is_none(),
        "Gemini 3 keeps its default temperature"
    );
    assert_eq!(
        body["contents"],
        json!([{"role": "user", "parts": [{"text": SPEC}]}])
    );

    assert!(
        !format!("{parser:?}").contains(KEY),
        "the key is in Debug output"
    );
    let id = parser.identity();
    assert_eq!(id.name, "gemini");
    assert_eq!(id.model.as_deref(), Some(default));
    assert_eq!(id.prompt_sha256.as_deref().map(str::len), Some(64));
}

#[tokio::test]
async fn gemini_2_5_gets_temperature_zero_and_a_seed() {
    let mock = Mock::start(Flavour::Gemini, vec![gemini_ok(&deal_won())]).await;
    parser(Provider::Gemini, &mock, Some("gemini-2.5-flash"))
        .parse(SPEC)
        .await
        .unwrap();
    let config = &mock.bodies()[0]["generationConfig"];
    assert_eq!(config["temperature"], 0);
    assert!(config["seed"].is_number());
}

#[tokio::test]
async fn gemini_clarification_is_an_outcome_not_an_error() {
    let mock = Mock::start(Flavour::Gemini, vec![gemini_ok(&clarification())]).await;
    let outcome = parser(Provider::Gemini, &mock, None)
        .parse("Send a message to someone")
        .await
        .unwrap();
    let Outcome::NeedsClarification { questions } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(questions.len(), 2);
}

#[tokio::test]
async fn gemini_without_response_json_schema_falls_back_to_response_schema() {
    let mock = Mock::start_with(
        Flavour::Gemini,
        true,
        vec![gemini_ok(&deal_won_strict()), gemini_ok(&deal_won())],
    )
    .await;
    let parser = parser(Provider::Gemini, &mock, None);
    assert_eq!(parser.parse(SPEC).await.unwrap(), expected_deal_won());
    let bodies = mock.bodies();
    assert_eq!(bodies.len(), 2);
    let legacy = &bodies[1]["generationConfig"];
    assert!(legacy.get("responseJsonSchema").is_none());
    assert_eq!(legacy["responseSchema"]["type"], "OBJECT");
    // The parser remembers: the next spec goes straight to the legacy shape.
    parser.parse(SPEC).await.unwrap();
    assert_eq!(mock.bodies().len(), 3);
}

fn gemini_429(retry_delay: &str, quota_id: &str) -> Reply {
    gemini_error(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details.",
        json!([
            {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
             "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                             "quotaId": quota_id,
                             "quotaDimensions": {"location": "global", "model": "gemini-3.5-flash"},
                             "quotaValue": "10"}]},
            {"@type": "type.googleapis.com/google.rpc.Help",
             "links": [{"description": "Learn more", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay}
        ]),
    )
}

// --- Anthropic ------------------------------------------------------------------------

#[tokio::test]
async fn anthropic_sends_output_config_and_reads_the_text_block() {
    let mock = Mock::start(Flavour::Anthropic, vec![anthropic_ok(&deal_won_strict())]).await;
    let parser = parser(Provider::Anthropic, &mock, None);
    assert_eq!(parser.parse(SPEC).await.unwrap(), expected_deal_won());
    let seen = &mock.seen()[0];
    assert_eq!(seen.path, "/v1/messages");
    assert_eq!(seen.headers["x-api-key"], KEY);
    assert_eq!(seen.headers["anthropic-version"], "2023-06-01");
    let body = &seen.body;
    assert_eq!(
        body["model"],
        provider_info(Provider::Anthropic).unwrap().default_model
    );
    assert_eq!(body["output_config"]["format"]["type"], "json_schema");
    assert_eq!(
        body["output_config"]["format"]["schema"]["additionalProperties"],
        false
    );
    assert_eq!(body["messages"], json!([{"role": "user", "content": SPEC}]));
    // Sonnet 4.6 takes temperature 0; top_p and top_k are never sent.
    assert_eq!(body["temperature"], 0);
    assert!(body.get("top_p").is_none() && body.get("top_k").is_none());
}

#[tokio::test]
async fn anthropic_newer_models_get_no_sampling_parameters() {
    for model in ["claude-sonnet-5", "claude-opus-4-7"] {
        let mock = Mock::start(Flavour::Anthropic, vec![anthropic_ok(&deal_won())]).await;
        parser(Provider::Anthropic, &mock, Some(model))
            .parse(SPEC)
            .await
            .unwrap();
        assert!(mock.bodies()[0].get("temperature").is_none(), "{model}");
    }
}

#[tokio::test]
async fn anthropic_falls_back_to_a_forced_tool() {
    let tool_answer = anthropic_answer(
        json!([{"type": "tool_use", "id": "toolu_01Mock", "name": "emit_outcome", "input": deal_won_strict()}]),
        "tool_use",
    );
    let mock = Mock::start_with(Flavour::Anthropic, true, vec![tool_answer]).await;
    assert_eq!(
        parser(Provider::Anthropic, &mock, None)
            .parse(SPEC)
            .await
            .unwrap(),
        expected_deal_won()
    );
    let bodies = mock.bodies();
    assert_eq!(bodies.len(), 2);
    assert!(bodies[1].get("output_config").is_none());
    assert_eq!(
        bodies[1]["tool_choice"],
        json!({"type": "tool", "name": "emit_outcome"})
    );
    assert_eq!(bodies[1]["tools"][0]["input_schema"]["type"], "object");
}

// --- OpenAI and compatible servers ----------------------------------------------------

#[tokio::test]
async fn openai_sends_strict_json_schema_with_temperature_and_seed() {
    let mock = Mock::start(Flavour::OpenAi, vec![openai_ok(&deal_won_strict())]).await;
    let parser = parser(Provider::Openai, &mock, Some("gpt-4.1-mini"));
    assert_eq!(parser.parse(SPEC).await.unwrap(), expected_deal_won());
    let seen = &mock.seen()[0];
    assert_eq!(seen.path, "/v1/chat/completions");
    assert_eq!(seen.headers["authorization"], format!("Bearer {KEY}"));
    let body = &seen.body;
    let format = &body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    assert_eq!(format["json_schema"]["name"], "workflow_outcome");
    assert_eq!(body["temperature"], 0);
    assert!(body["seed"].is_number());
    assert_eq!(
        body["messages"][1],
        json!({"role": "user", "content": SPEC})
    );
}

#[tokio::test]
async fn openai_reasoning_default_model_gets_no_temperature() {
    let mock = Mock::start(Flavour::OpenAi, vec![openai_ok(&deal_won())]).await;
    parser(Provider::Openai, &mock, None)
        .parse(SPEC)
        .await
        .unwrap();
    let body = &mock.bodies()[0];
    assert_eq!(
        body["model"],
        provider_info(Provider::Openai).unwrap().default_model
    );
    assert!(body.get("temperature").is_none());
    assert!(body["max_completion_tokens"].is_number());
}

#[tokio::test]
async fn ollama_needs_no_key_and_gets_temperature_and_seed() {
    let mut answer = openai_ok(&deal_won());
    answer.body["system_fingerprint"] = json!("fp_ollama");
    let mock = Mock::start(Flavour::Ollama, vec![answer]).await;
    let parser = Parser::from_settings(
        &settings(Provider::Openai, &mock, Some("qwen2.5:7b")),
        &Config::default(),
        &Env::default(),
    )
    .unwrap();
    assert_eq!(parser.parse(SPEC).await.unwrap(), expected_deal_won());
    let seen = &mock.seen()[0];
    assert!(seen.headers.get("authorization").is_none());
    assert_eq!(seen.body["temperature"], 0);
    assert_eq!(seen.body["model"], "qwen2.5:7b");
}

#[tokio::test]
async fn openai_non_strict_fallback() {
    let mock = Mock::start_with(Flavour::Ollama, true, vec![openai_ok(&deal_won())]).await;
    let parser = Parser::from_settings(
        &settings(Provider::Openai, &mock, Some("qwen2.5:7b")),
        &Config::default(),
        &Env::default(),
    )
    .unwrap();
    parser.parse(SPEC).await.unwrap();
    let bodies = mock.bodies();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[1]["response_format"]["json_schema"]["strict"], false);
}

// --- Failure modes, per provider, as one table ------------------------------------------

/// Which API key the parser gets.
#[derive(Clone, Copy)]
enum Key {
    /// The test key for every provider.
    Test,
    /// A key the provider refuses, in this provider's variable (it must never be shown).
    Wrong(&'static str),
    /// No key at all (a local OpenAI-compatible server needs none).
    None,
}

/// What a case must end in.
enum Expect {
    /// The parse succeeds with the deal-won answer.
    Parsed,
    /// The parse fails with an error this matcher accepts.
    Fails(fn(&Error) -> bool),
}

/// One failure mode of one provider: the mock's replies and what the client must do.
struct Case {
    name: &'static str,
    flavour: Flavour,
    model: Option<&'static str>,
    key: Key,
    replies: Vec<Reply>,
    expect: Expect,
    /// Substrings of the error's message (`Display`).
    message: &'static [&'static str],
    /// Substrings of the error as a user sees it (message, help, code, debug).
    shown: &'static [&'static str],
    /// How many requests reached the mock, when that is part of the contract.
    requests: Option<usize>,
    /// The least and the most time the parse may take (waits the client must honour,
    /// and hints it must refuse to wait for).
    took: (Duration, Duration),
    /// Checks on the request bodies the mock received.
    bodies: Option<fn(&[Value])>,
}

impl Case {
    fn new(name: &'static str, flavour: Flavour, replies: Vec<Reply>, expect: Expect) -> Case {
        Case {
            name,
            flavour,
            model: None,
            key: Key::Test,
            replies,
            expect,
            message: &[],
            shown: &[],
            requests: None,
            took: (Duration::ZERO, Duration::from_secs(30)),
            bodies: None,
        }
    }
    fn model(mut self, model: &'static str) -> Case {
        self.model = Some(model);
        self
    }
    fn key(mut self, key: Key) -> Case {
        self.key = key;
        self
    }
    fn message(mut self, parts: &'static [&'static str]) -> Case {
        self.message = parts;
        self
    }
    fn shown(mut self, parts: &'static [&'static str]) -> Case {
        self.shown = parts;
        self
    }
    fn requests(mut self, n: usize) -> Case {
        self.requests = Some(n);
        self
    }
    fn took(mut self, at_least: Duration, at_most: Duration) -> Case {
        self.took = (at_least, at_most);
        self
    }
    fn bodies(mut self, check: fn(&[Value])) -> Case {
        self.bodies = Some(check);
        self
    }

    fn provider(&self) -> Provider {
        match self.flavour {
            Flavour::Gemini => Provider::Gemini,
            Flavour::Anthropic => Provider::Anthropic,
            Flavour::OpenAi | Flavour::Ollama => Provider::Openai,
        }
    }

    fn env(&self) -> Env {
        match self.key {
            Key::Test => env_with_key(),
            Key::None => Env::default(),
            Key::Wrong(wrong) => {
                let mut env = env_with_key();
                let slot = match self.provider() {
                    Provider::Gemini => &mut env.gemini_api_key,
                    Provider::Anthropic => &mut env.anthropic_api_key,
                    _ => &mut env.openai_api_key,
                };
                *slot = Some(wrong.to_owned().into());
                env
            }
        }
    }

    /// Runs the case; every broken expectation is returned, not panicked, so one run
    /// reports them all.
    async fn run(mut self) -> Vec<String> {
        let name = self.name;
        let mut broken = Vec::new();
        let mock = Mock::start(self.flavour, std::mem::take(&mut self.replies)).await;
        let parser = Parser::from_settings(
            &settings(self.provider(), &mock, self.model),
            &Config::default(),
            &self.env(),
        )
        .unwrap();
        let start = Instant::now();
        let result = parser.parse(SPEC).await;
        let took = start.elapsed();
        match (&self.expect, &result) {
            (Expect::Parsed, Ok(outcome)) => {
                if *outcome != expected_deal_won() {
                    broken.push(format!("{name}: parsed {outcome:?}"));
                }
            }
            (Expect::Parsed, Err(e)) => broken.push(format!("{name}: failed: {}", shown(e))),
            (Expect::Fails(_), Ok(o)) => broken.push(format!("{name}: parsed {o:?}")),
            (Expect::Fails(matches), Err(e)) => {
                let text = shown(e);
                if !matches(e) {
                    broken.push(format!("{name}: wrong error: {text}"));
                }
                for part in self.message {
                    if !e.to_string().contains(part) {
                        broken.push(format!("{name}: message lacks {part:?}: {e}"));
                    }
                }
                for part in self.shown {
                    if !text.contains(part) {
                        broken.push(format!("{name}: lacks {part:?}: {text}"));
                    }
                }
                let mut hidden = vec![KEY];
                if let Key::Wrong(wrong) = self.key {
                    hidden.push(wrong);
                }
                for secret in hidden {
                    if text.contains(secret) {
                        broken.push(format!("{name}: the key leaked: {text}"));
                    }
                }
            }
        }
        let seen = mock.seen().len();
        if let Some(n) = self.requests
            && seen != n
        {
            broken.push(format!("{name}: {seen} requests, expected {n}"));
        }
        if took < self.took.0 || took >= self.took.1 {
            broken.push(format!("{name}: took {took:?}, expected {:?}", self.took));
        }
        if let Some(check) = self.bodies {
            let bodies = mock.bodies();
            if let Err(panic) = std::panic::catch_unwind(|| check(&bodies)) {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                broken.push(format!("{name}: request bodies: {why}"));
            }
        }
        broken
    }
}

/// Every failure mode each provider has, and the retries that recover from some.
fn failure_cases() -> Vec<Case> {
    let ms = Duration::from_millis;
    let secs = Duration::from_secs;
    let gemini_cut = || {
        gemini_answer(
            r#"{"status":"ok","workflow":{"name":"Deal won"#,
            "MAX_TOKENS",
        )
    };
    let anthropic_cut = || {
        anthropic_answer(
            json!([{"type": "text", "text": "{\"status\":\"ok\",\"workf"}]),
            "max_tokens",
        )
    };
    let openai_cut = || {
        openai_answer(
            json!({"role": "assistant", "content": "{\"status\":\"o", "refusal": null}),
            "length",
        )
    };
    let gemini_500 = || {
        gemini_error(
            500,
            "INTERNAL",
            "An internal error has occurred.",
            json!([]),
        )
    };
    let mut spend = anthropic_error(
        429,
        "rate_limit_error",
        "You have reached your specified workspace API usage limits.",
    );
    spend.body["error"]["details"] = json!({"error_code": "enforced_spend_limit_reached"});
    let per_minute = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier";
    vec![
        // --- cut off by the output budget: one retry with twice the budget, then an error
        Case::new(
            "gemini: MAX_TOKENS once is retried with twice the budget",
            Flavour::Gemini,
            vec![gemini_cut(), gemini_ok(&deal_won())],
            Expect::Parsed,
        )
        .requests(2)
        .bodies(|b| {
            let budget = |i: usize| b[i]["generationConfig"]["maxOutputTokens"].as_u64().unwrap();
            assert_eq!(budget(1), budget(0) * 2);
        }),
        Case::new(
            "gemini: MAX_TOKENS twice",
            Flavour::Gemini,
            vec![gemini_cut(), gemini_cut()],
            Expect::Fails(|e| matches!(e, Error::Truncated { .. })),
        )
        .message(&["cut off"]),
        Case::new(
            "anthropic: max_tokens twice",
            Flavour::Anthropic,
            vec![anthropic_cut(), anthropic_cut()],
            Expect::Fails(|e| matches!(e, Error::Truncated { max_tokens: 16384, .. })),
        )
        .bodies(|b| {
            let budgets: Vec<&Value> = b.iter().map(|b| &b["max_tokens"]).collect();
            assert_eq!(budgets, [&json!(8192), &json!(16384)]);
        }),
        Case::new(
            "openai: length twice",
            Flavour::OpenAi,
            vec![openai_cut(), openai_cut()],
            Expect::Fails(|e| matches!(e, Error::Truncated { .. })),
        )
        .model("gpt-4.1-mini"),
        // --- blocked or refused: fails at once
        Case::new(
            "gemini: prompt blocked",
            Flavour::Gemini,
            vec![reply(
                200,
                json!({"promptFeedback": {"blockReason": "PROHIBITED_CONTENT", "safetyRatings": []},
                       "usageMetadata": {"promptTokenCount": 10}}),
            )],
            Expect::Fails(|e| matches!(e, Error::Blocked { .. })),
        )
        .message(&["PROHIBITED_CONTENT"])
        .requests(1),
        Case::new(
            "gemini: SAFETY finish",
            Flavour::Gemini,
            vec![gemini_answer("", "SAFETY")],
            Expect::Fails(|_| true),
        )
        .message(&["SAFETY"]),
        Case::new(
            "anthropic: refusal",
            Flavour::Anthropic,
            vec![anthropic_answer(json!([]), "refusal")],
            Expect::Fails(|e| matches!(e, Error::Blocked { .. })),
        )
        .message(&["refused"]),
        Case::new(
            "openai: refusal",
            Flavour::OpenAi,
            vec![openai_answer(
                json!({"role": "assistant", "content": null, "refusal": "I'm sorry, I cannot help with that."}),
                "stop",
            )],
            Expect::Fails(|e| matches!(e, Error::Blocked { .. })),
        )
        .model("gpt-4.1-mini")
        .message(&["cannot help"]),
        Case::new(
            "openai: content_filter",
            Flavour::OpenAi,
            vec![openai_answer(
                json!({"role": "assistant", "content": null, "refusal": null}),
                "content_filter",
            )],
            Expect::Fails(|e| matches!(e, Error::Blocked { .. })),
        )
        .model("gpt-4.1-mini"),
        // --- rate limits: wait as told, within a cap
        Case::new(
            "gemini: 429 with RetryInfo is waited for",
            Flavour::Gemini,
            vec![gemini_429("0.35s", per_minute), gemini_ok(&deal_won())],
            Expect::Parsed,
        )
        .requests(2)
        .took(ms(350), secs(30)),
        Case::new(
            "gemini: a retry hint beyond the cap fails at once",
            Flavour::Gemini,
            vec![gemini_429("3600s", per_minute), gemini_ok(&deal_won())],
            Expect::Fails(|e| matches!(e, Error::RateLimited { .. })),
        )
        .message(&["3600s"])
        .requests(1)
        .took(Duration::ZERO, secs(2)),
        Case::new(
            "anthropic: 429 honours retry-after, then 529 is retried",
            Flavour::Anthropic,
            vec![
                anthropic_error(
                    429,
                    "rate_limit_error",
                    "Number of request tokens has exceeded your per-minute rate limit",
                )
                .header("retry-after", "1"),
                anthropic_error(529, "overloaded_error", "Overloaded"),
                anthropic_ok(&deal_won()),
            ],
            Expect::Parsed,
        )
        .requests(3)
        .took(secs(1), secs(30)),
        Case::new(
            "openai: 429 retry-after-ms wins over retry-after",
            Flavour::OpenAi,
            vec![
                openai_error(
                    429,
                    "requests",
                    Some("rate_limit_exceeded"),
                    "Rate limit reached for gpt-4.1-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.",
                )
                .header("retry-after-ms", "250")
                .header("retry-after", "1")
                .header("x-ratelimit-limit-requests", "3")
                .header("x-ratelimit-remaining-requests", "0")
                .header("x-ratelimit-reset-requests", "20s"),
                openai_ok(&deal_won()),
            ],
            Expect::Parsed,
        )
        .model("gpt-4.1-mini")
        .requests(2)
        .took(ms(250), secs(1)),
        // --- quota spent: fails at once, no retry
        Case::new(
            "gemini: daily quota",
            Flavour::Gemini,
            vec![
                gemini_429("20s", "GenerateRequestsPerDayPerProjectPerModel-FreeTier"),
                gemini_ok(&deal_won()),
            ],
            Expect::Fails(|e| matches!(e, Error::QuotaExhausted { .. })),
        )
        .shown(&["PerDay"])
        .requests(1),
        Case::new(
            "anthropic: spend limit",
            Flavour::Anthropic,
            vec![spend, anthropic_ok(&deal_won())],
            Expect::Fails(|e| matches!(e, Error::QuotaExhausted { .. })),
        )
        .requests(1),
        Case::new(
            "openai: insufficient_quota",
            Flavour::OpenAi,
            vec![
                openai_error(
                    429,
                    "insufficient_quota",
                    Some("insufficient_quota"),
                    "You exceeded your current quota, please check your plan and billing details.",
                ),
                openai_ok(&deal_won()),
            ],
            Expect::Fails(|e| matches!(e, Error::QuotaExhausted { .. })),
        )
        .model("gpt-4.1-mini")
        .requests(1),
        // --- a wrong key: names the variable, never shows the key
        Case::new(
            "gemini: bad key",
            Flavour::Gemini,
            vec![],
            Expect::Fails(|e| matches!(e, Error::Auth { status: 400, .. })),
        )
        .key(Key::Wrong("AIza-wrong"))
        .shown(&["GEMINI_API_KEY"])
        .requests(1),
        Case::new(
            "anthropic: bad key",
            Flavour::Anthropic,
            vec![],
            Expect::Fails(|e| matches!(e, Error::Auth { status: 401, .. })),
        )
        .key(Key::Wrong("sk-ant-wrong"))
        .shown(&["ANTHROPIC_API_KEY"])
        // The request id, which Anthropic support asks for, is part of the message.
        .message(&["req_011CMockRequest"]),
        Case::new(
            "openai: bad key",
            Flavour::OpenAi,
            vec![],
            Expect::Fails(|e| matches!(e, Error::Auth { status: 401, .. })),
        )
        .key(Key::Wrong("sk-proj-wrong"))
        .shown(&["OPENAI_API_KEY"]),
        // --- an unknown model: hints at --model
        Case::new(
            "gemini: unknown model",
            Flavour::Gemini,
            vec![gemini_error(
                404,
                "NOT_FOUND",
                "models/gemini-2.0-flash is not found for API version v1beta, or is not supported for generateContent.",
                json!([]),
            )],
            Expect::Fails(|e| matches!(e, Error::UnknownModel { .. })),
        )
        .model("gemini-2.0-flash")
        .shown(&["--model", "gemini-2.0-flash"])
        // 2.0 predates responseJsonSchema, so it was asked with responseSchema.
        .bodies(|b| assert!(b[0]["generationConfig"].get("responseSchema").is_some())),
        Case::new(
            "anthropic: unknown model",
            Flavour::Anthropic,
            vec![anthropic_error(
                404,
                "not_found_error",
                "model: claude-3-5-sonnet-20240620",
            )],
            Expect::Fails(|e| matches!(e, Error::UnknownModel { .. })),
        )
        .model("claude-3-5-sonnet-20240620")
        .shown(&["--model"]),
        Case::new(
            "ollama: unknown model",
            Flavour::Ollama,
            vec![openai_error(
                404,
                "not_found_error",
                None,
                "model \"llama9\" not found, try pulling it first",
            )],
            Expect::Fails(|e| matches!(e, Error::UnknownModel { .. })),
        )
        .model("llama9")
        .key(Key::None)
        .shown(&["--model", "ollama list"]),
        // --- server errors: retried, then reported
        Case::new(
            "gemini: 503 overloaded is retried",
            Flavour::Gemini,
            vec![
                gemini_error(
                    503,
                    "UNAVAILABLE",
                    "The model is overloaded. Please try again later.",
                    json!([]),
                ),
                gemini_ok(&deal_won()),
            ],
            Expect::Parsed,
        )
        .requests(2),
        Case::new(
            "gemini: 500 until the attempts run out",
            Flavour::Gemini,
            vec![gemini_500(), gemini_500(), gemini_500(), gemini_ok(&deal_won())],
            Expect::Fails(|e| {
                matches!(
                    e,
                    Error::ServerError {
                        status: 500,
                        attempts: 3,
                        ..
                    }
                )
            }),
        )
        .requests(3),
        Case::new(
            "llama.cpp: 503 while loading is retried",
            Flavour::Ollama,
            vec![
                reply(
                    503,
                    json!({"error": {"code": 503, "message": "Loading model", "type": "unavailable_error"}}),
                ),
                openai_ok(&deal_won()),
            ],
            Expect::Parsed,
        )
        .model("local")
        .key(Key::None)
        .requests(2),
    ]
}

#[tokio::test]
async fn every_provider_failure_mode_is_handled() {
    let cases = failure_cases();
    assert_eq!(cases.len(), 25);
    let mut broken = Vec::new();
    for case in cases {
        broken.extend(case.run().await);
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

// --- The repair loop ------------------------------------------------------------------

#[tokio::test]
async fn invalid_json_is_sent_back_and_repaired() {
    let mock = Mock::start(
        Flavour::Gemini,
        vec![
            gemini_answer("{\"status\": \"ok\", \"workflow\": ", "STOP"),
            gemini_ok(&deal_won()),
        ],
    )
    .await;
    assert_eq!(
        parser(Provider::Gemini, &mock, None)
            .parse(SPEC)
            .await
            .unwrap(),
        expected_deal_won()
    );
    let second = &mock.bodies()[1]["contents"];
    assert_eq!(second.as_array().unwrap().len(), 3);
    assert_eq!(second[1]["role"], "model");
    assert_eq!(
        second[1]["parts"][0]["text"],
        "{\"status\": \"ok\", \"workflow\": "
    );
    let feedback = second[2]["parts"][0]["text"].as_str().unwrap();
    assert!(feedback.contains("not a JSON object"), "{feedback}");
}

#[tokio::test]
async fn a_schema_violation_is_repaired_with_the_problems_fed_back() {
    let mut missing_to = deal_won();
    missing_to["workflow"]["actions"][0]
        .as_object_mut()
        .unwrap()
        .remove("to");
    let mock = Mock::start(
        Flavour::Anthropic,
        vec![anthropic_ok(&missing_to), anthropic_ok(&deal_won())],
    )
    .await;
    assert_eq!(
        parser(Provider::Anthropic, &mock, None)
            .parse(SPEC)
            .await
            .unwrap(),
        expected_deal_won()
    );
    let messages = mock.bodies()[1]["messages"].clone();
    assert_eq!(messages[1]["role"], "assistant");
    let feedback = messages[2]["content"].as_str().unwrap();
    assert!(
        feedback.contains("workflow.actions[0]") && feedback.contains("\"to\""),
        "{feedback}"
    );
}

#[tokio::test]
async fn a_semantic_problem_is_fed_back_too() {
    // The schema allows any entity; the validator knows deal_won runs on deals.
    let mut wrong_entity = deal_won();
    wrong_entity["workflow"]["entity"] = json!("CRM_LEAD");
    let mock = Mock::start(
        Flavour::OpenAi,
        vec![openai_ok(&wrong_entity), openai_ok(&deal_won())],
    )
    .await;
    assert_eq!(
        parser(Provider::Openai, &mock, Some("gpt-4.1-mini"))
            .parse(SPEC)
            .await
            .unwrap(),
        expected_deal_won()
    );
    let messages = mock.bodies()[1]["messages"].clone();
    let feedback = messages[3]["content"].as_str().unwrap();
    assert!(feedback.contains("workflow.entity"), "{feedback}");
}

#[tokio::test]
async fn repairs_are_bounded_and_the_problems_reported() {
    let bad = json!({"status": "ok", "workflow": {"name": "x", "entity": "CRM_DEAL",
        "trigger": {"type": "deal_wonn"}, "actions": [{"type": "add_tag", "tag": "vip"}]}});
    let mock = Mock::start(
        Flavour::Gemini,
        vec![
            gemini_ok(&bad),
            gemini_ok(&bad),
            gemini_ok(&bad),
            gemini_ok(&deal_won()),
        ],
    )
    .await;
    let err = parser(Provider::Gemini, &mock, None)
        .parse(SPEC)
        .await
        .unwrap_err();
    let Error::InvalidAnswer {
        attempts, problems, ..
    } = &err
    else {
        panic!("{}", shown(&err))
    };
    assert_eq!(*attempts, 3);
    assert!(
        problems.iter().any(|p| p.contains("workflow.trigger.type")),
        "{problems:?}"
    );
    assert!(err.to_string().contains("deal_wonn"), "{err}");
    assert_eq!(mock.seen().len(), 3);
}

#[tokio::test]
async fn project_problems_are_not_sent_back_to_the_model() {
    // "sales team" is not under [recipients]: compile reports that to the author; the
    // model must not be pushed into changing whom the message goes to.
    let answer = json!({"status": "ok", "workflow": {"name": "Deal lost", "entity": "CRM_DEAL",
        "trigger": {"type": "deal_lost"},
        "actions": [{"type": "send_notification", "to": "sales team", "message": "Deal lost."}]}});
    let mock = Mock::start(Flavour::Gemini, vec![gemini_ok(&answer)]).await;
    let outcome = parser(Provider::Gemini, &mock, None)
        .parse("Notify the sales team when a deal is lost")
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Ok { .. }));
    assert_eq!(mock.seen().len(), 1);
}

// --- What leaves the machine ----------------------------------------------------------

/// Every string in a request body, except inside the answer schema.
fn strings_outside_schema(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items
            .iter()
            .for_each(|v| strings_outside_schema(v, path, out)),
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{path}/{k}");
                let is_schema = matches!(
                    k.as_str(),
                    "responseJsonSchema" | "responseSchema" | "input_schema"
                ) || here.ends_with("/format/schema")
                    || here.ends_with("/json_schema/schema");
                if !is_schema {
                    strings_outside_schema(v, &here, out);
                }
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn requests_carry_only_the_spec_and_the_prompt() {
    let system_prompt = b24flow::nl::llm::prompt::system_prompt();
    let spec = "When a new lead arrives, create a task for the manager";
    let answer = json!({"status": "ok", "workflow": {"name": "New lead", "entity": "CRM_LEAD",
        "trigger": {"type": "lead_created"},
        "actions": [{"type": "create_task", "title": "Call the lead", "assignee": "{{ASSIGNED_BY_ID}}"}]}});

    // A project with files and config the request must never contain.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b24flow.toml"),
        "[recipients]\n\"sales team\" = \"group_d77\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("other.txt"), "confidential-neighbour-spec").unwrap();
    let config = Config::load(dir.path()).unwrap();

    let cases = [
        (Flavour::Gemini, Provider::Gemini, gemini_ok(&answer)),
        (
            Flavour::Anthropic,
            Provider::Anthropic,
            anthropic_ok(&answer),
        ),
        (Flavour::OpenAi, Provider::Openai, openai_ok(&answer)),
    ];
    for (flavour, provider, reply) in cases {
        let mock = Mock::start(flavour, vec![reply]).await;
        let parser =
            Parser::from_settings(&settings(provider, &mock, None), &config, &env_with_key())
                .unwrap();
        parser.parse(spec).await.unwrap();
        let seen = mock.seen();
        let body = &seen[0].body;
        let mut strings = Vec::new();
        strings_outside_schema(body, "", &mut strings);
        let model = parser.identity().model.unwrap();
        let allowed = [
            spec,
            system_prompt,
            model.as_str(),
            "user",
            "system",
            "application/json",
            "json_schema",
            "workflow_outcome",
        ];
        for s in &strings {
            assert!(
                allowed.contains(&s.as_str()),
                "{provider:?} sent an unexpected string: {s:?}"
            );
        }
        assert!(
            strings.iter().any(|s| s == spec),
            "{provider:?}: the spec is missing"
        );
        assert!(
            strings.iter().any(|s| s == system_prompt),
            "{provider:?}: the prompt is missing"
        );
        let raw = body.to_string();
        for secret in [KEY, "group_d77", "confidential-neighbour-spec"] {
            assert!(!raw.contains(secret), "{provider:?} sent {secret}");
        }
        // The key travels only in its own header.
        for (name, value) in &seen[0].headers {
            if value.to_str().unwrap_or("").contains(KEY) {
                assert!(
                    ["x-goog-api-key", "x-api-key", "authorization"].contains(&name.as_str()),
                    "{name}"
                );
            }
        }
        assert!(!system_prompt.contains("group_d77"));
    }
}

// --- Settings, keys, concurrency ------------------------------------------------------

#[tokio::test]
async fn a_missing_key_names_the_variable() {
    let mock = Mock::start(Flavour::OpenAi, vec![]).await;
    for (provider, variable) in [
        (Provider::Gemini, "GEMINI_API_KEY"),
        (Provider::Anthropic, "ANTHROPIC_API_KEY"),
    ] {
        let err = Parser::from_settings(
            &settings(provider, &mock, None),
            &Config::default(),
            &Env::default(),
        )
        .unwrap_err();
        assert!(matches!(err, Error::MissingKey { .. }), "{}", shown(&err));
        assert!(err.to_string().contains(variable), "{err}");
    }
    // OpenAI itself needs a key; a local OpenAI-compatible server does not.
    let mut openai = settings(Provider::Openai, &mock, None);
    openai.base_url = None;
    let err = Parser::from_settings(&openai, &Config::default(), &Env::default()).unwrap_err();
    assert!(err.to_string().contains("OPENAI_API_KEY"), "{err}");
    assert!(mock.seen().is_empty());
}

#[test]
fn a_key_is_never_sent_over_plain_http_to_another_machine() {
    let mut s = ParserSettings {
        provider: Provider::Anthropic,
        model: None,
        base_url: Some("http://proxy.example.com".into()),
        jobs: 1,
        requests_per_minute: None,
        retry: RetryPolicy::default(),
    };
    let err = Parser::from_settings(&s, &Config::default(), &env_with_key()).unwrap_err();
    assert!(matches!(err, Error::BaseUrl { .. }), "{}", shown(&err));
    s.base_url = Some("ftp://x".into());
    assert!(Parser::from_settings(&s, &Config::default(), &env_with_key()).is_err());
    s.model = Some("../../etc".into());
    s.base_url = None;
    assert!(matches!(
        Parser::from_settings(&s, &Config::default(), &env_with_key()),
        Err(Error::ModelName { .. })
    ));
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error() {
    // Bind and drop a listener so the port is closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut s = ParserSettings {
        provider: Provider::Openai,
        model: Some("local".into()),
        base_url: Some(format!("http://127.0.0.1:{port}/v1")),
        jobs: 1,
        requests_per_minute: Some(0),
        retry: fast_retry(),
    };
    s.retry.max_attempts = 2;
    let err = Parser::from_settings(&s, &Config::default(), &Env::default())
        .unwrap()
        .parse(SPEC)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Network { attempts: 2, .. }),
        "{}",
        shown(&err)
    );
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
}

#[tokio::test]
async fn concurrent_parses_share_one_rate_limit() {
    let mock = Mock::start(
        Flavour::OpenAi,
        (0..4).map(|_| openai_ok(&deal_won())).collect(),
    )
    .await;
    let mut s = settings(Provider::Openai, &mock, Some("gpt-4.1-mini"));
    s.requests_per_minute = Some(600); // one request per 100 ms
    let parser = Parser::from_settings(&s, &Config::default(), &env_with_key()).unwrap();
    let start = Instant::now();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let p = parser.clone();
            tokio::spawn(async move { p.parse(SPEC).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(mock.seen().len(), 4);
}

// --- Through the command line ---------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parse_command_uses_a_local_openai_compatible_server() {
    let mock = Mock::start(Flavour::Ollama, vec![openai_ok(&deal_won_strict())]).await;
    let base = mock.base.clone();
    let run = tokio::task::spawn_blocking(move || {
        let env = super::support::TestEnv::new();
        env.write("b24flow.toml", "[parser]\nprovider = \"offline\"\n");
        env.run(&[
            "parse",
            "--provider",
            "openai",
            "--base-url",
            &base,
            "--model",
            "qwen2.5:7b",
            "--json",
            SPEC,
        ])
    })
    .await
    .unwrap()
    .success();
    assert_eq!(run.json(), deal_won());
    let seen = mock.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].body["model"], "qwen2.5:7b");
}

#[test]
fn parse_command_without_a_key_names_the_variable() {
    let env = super::support::TestEnv::new();
    let run = env
        .run(&["parse", "--provider", "gemini", SPEC])
        .expect_code(1);
    assert!(run.stderr().contains("GEMINI_API_KEY"), "{}", run.stderr());
}

#[tokio::test]
async fn schemas_too_complex_for_a_provider_fall_back_to_the_simpler_shape() {
    let gemini = gemini_error(
        400,
        "INVALID_ARGUMENT",
        "The specified schema produces a constraint that has too many states for serving.",
        json!([]),
    );
    let mock = Mock::start(Flavour::Gemini, vec![gemini, gemini_ok(&deal_won())]).await;
    parser(Provider::Gemini, &mock, None)
        .parse(SPEC)
        .await
        .unwrap();
    assert!(
        mock.bodies()[1]["generationConfig"]
            .get("responseSchema")
            .is_some()
    );

    let anthropic = anthropic_error(
        400,
        "invalid_request_error",
        "output_config.format.schema: Invalid schema: The compiled grammar is too large, which would cause performance issues.",
    );
    let tool_answer = anthropic_answer(
        json!([{"type": "tool_use", "id": "toolu_01Mock", "name": "emit_outcome", "input": deal_won()}]),
        "tool_use",
    );
    let mock = Mock::start(Flavour::Anthropic, vec![anthropic, tool_answer]).await;
    parser(Provider::Anthropic, &mock, None)
        .parse(SPEC)
        .await
        .unwrap();
    assert!(mock.bodies()[1].get("tool_choice").is_some());

    let openai = openai_error(
        400,
        "invalid_request_error",
        None,
        "Invalid schema: Objects provided via 'anyOf' must not share identical first keys. Consider adding a discriminator key or rearranging the properties to ensure the first key is unique.",
    );
    let mock = Mock::start(Flavour::OpenAi, vec![openai, openai_ok(&deal_won())]).await;
    parser(Provider::Openai, &mock, Some("gpt-4.1-mini"))
        .parse(SPEC)
        .await
        .unwrap();
    assert_eq!(
        mock.bodies()[1]["response_format"]["json_schema"]["strict"],
        false
    );
}

#[tokio::test]
async fn a_rejected_legacy_request_is_not_retried_again() {
    let bad = || {
        gemini_error(
            400,
            "INVALID_ARGUMENT",
            "Invalid value at 'generation_config.response_schema'",
            json!([]),
        )
    };
    let mock = Mock::start(Flavour::Gemini, vec![bad(), bad(), gemini_ok(&deal_won())]).await;
    let err = parser(Provider::Gemini, &mock, None)
        .parse(SPEC)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Rejected { status: 400, .. }),
        "{}",
        shown(&err)
    );
    assert_eq!(mock.seen().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compile_command_writes_lockfiles_stamped_with_model_and_prompt() {
    let answers = (0..6).map(|_| openai_ok(&deal_won_strict())).collect();
    let mock = Mock::start(Flavour::Ollama, answers).await;
    let base = mock.base.clone();
    let (lock, run, fresh, forced) = tokio::task::spawn_blocking(move || {
        let env = super::support::TestEnv::with_specs(&[
            ("won-a", SPEC),
            ("won-b", "Once a deal is won, WhatsApp the customer a thank-you"),
            ("won-c", "Deal won -> WhatsApp to the client"),
        ]);
        env.write(
            "b24flow.toml",
            format!("[parser]\nprovider = \"openai\"\nbase_url = \"{base}\"\nmodel = \"qwen2.5:7b\"\njobs = 2\n"),
        );
        let run = env.run(&["compile"]);
        let lock = env.read("workflows/won-b.lock.yaml");
        // Unchanged specs: no request at all. Then --force --jobs 3 sends all three.
        let fresh = env.run(&["compile"]);
        let forced = env.run(&["compile", "--force", "--jobs", "3"]);
        (lock, run, fresh, forced)
    })
    .await
    .unwrap();
    let run = run.success();
    let fresh = fresh.success();
    assert!(
        fresh.stderr().contains("0 compiled, 3 up to date"),
        "{}",
        fresh.stderr()
    );
    forced.success();
    assert_eq!(mock.seen().len(), 6, "{}", run.stderr());
    let prompt_sha = b24flow::nl::llm::prompt::prompt_sha256();
    assert!(lock.contains("name: openai"), "{lock}");
    assert!(lock.contains("model: qwen2.5:7b"), "{lock}");
    assert!(
        lock.contains(&format!("prompt_sha256: {prompt_sha}")),
        "{lock}"
    );
    assert!(lock.contains("to: \"{{CONTACT_PHONE}}\""), "{lock}");
}

#[tokio::test]
async fn a_rejected_temperature_is_left_out_from_then_on() {
    let openai = openai_error(
        400,
        "invalid_request_error",
        Some("unsupported_value"),
        "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
    );
    let mock = Mock::start(
        Flavour::OpenAi,
        vec![openai, openai_ok(&deal_won()), openai_ok(&deal_won())],
    )
    .await;
    let fine_tune = parser(Provider::Openai, &mock, Some("my-fine-tune"));
    fine_tune.parse(SPEC).await.unwrap();
    fine_tune.parse(SPEC).await.unwrap();
    let bodies = mock.bodies();
    assert_eq!(bodies[0]["temperature"], 0);
    assert!(bodies[1].get("temperature").is_none() && bodies[1].get("seed").is_none());
    assert!(bodies[2].get("temperature").is_none());

    // A newer Claude than b24flow knows, reached through a proxy that names it the old way.
    let anthropic = anthropic_error(
        400,
        "invalid_request_error",
        "`temperature` is deprecated for this model.",
    );
    let mock = Mock::start(
        Flavour::Anthropic,
        vec![anthropic, anthropic_ok(&deal_won())],
    )
    .await;
    parser(Provider::Anthropic, &mock, Some("claude-sonnet-4-6"))
        .parse(SPEC)
        .await
        .unwrap();
    let bodies = mock.bodies();
    assert_eq!(bodies[0]["temperature"], 0);
    assert!(bodies[1].get("temperature").is_none());
}
