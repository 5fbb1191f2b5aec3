//! Natural language to Blueprint: the parsers.
//!
//! Every parser answers with an [`Outcome`]: a blueprint, or the questions a person must
//! answer first. The offline parser is deterministic and needs no network; the LLM
//! parsers send only the spec text and the catalog-derived prompt.

pub mod llm;
pub mod offline;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::blueprint::Blueprint;
use crate::config::{Config, Env, ParserConfig, Provider};

/// What a parser makes of a spec. Serialized, this is what `b24flow parse --json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// The spec was understood.
    Ok {
        /// The blueprint.
        workflow: Blueprint,
    },
    /// The spec is too vague; each question names what is missing.
    NeedsClarification {
        /// Questions for the author of the spec.
        questions: Vec<String>,
    },
}

/// Which parser produced a blueprint, recorded in the lockfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParserIdentity {
    /// `offline`, `gemini`, `anthropic` or `openai`.
    pub name: &'static str,
    /// The parser's own version, so a rule change shows in review.
    pub version: u32,
    /// The model, for LLM parsers.
    pub model: Option<String>,
    /// The SHA-256 of the prompt, for LLM parsers.
    pub prompt_sha256: Option<String>,
}

/// Errors a parser can return. A vague spec is not an error: it is an [`Outcome`].
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("the {provider:?} parser is not available in this build")]
    #[diagnostic(code(b24flow::nl::unavailable), help("use --provider offline"))]
    Unavailable { provider: Provider },

    #[error("{variable} is not set; the {provider} parser needs an API key")]
    #[diagnostic(
        code(b24flow::nl::missing_key),
        help("export {variable}=<your key>, or use --provider offline")
    )]
    MissingKey {
        provider: &'static str,
        variable: &'static str,
    },

    #[error("cannot use {url} as the {provider} base URL: {reason}")]
    #[diagnostic(
        code(b24flow::nl::base_url),
        help(
            "pass an https URL (or http on localhost) with --base-url, e.g. http://localhost:11434/v1"
        )
    )]
    BaseUrl {
        provider: &'static str,
        url: String,
        reason: String,
    },

    #[error("{model:?} is not a valid model name")]
    #[diagnostic(
        code(b24flow::nl::model_name),
        help("model names use letters, digits and . - _ : / @ only")
    )]
    ModelName { model: String },

    #[error("cannot reach {provider} at {endpoint} (attempts: {attempts})")]
    #[diagnostic(
        code(b24flow::nl::network),
        help("check the network connection and --base-url")
    )]
    Network {
        provider: &'static str,
        endpoint: String,
        attempts: u32,
        #[source]
        source: reqwest::Error,
    },

    #[error("{provider} rejected the API key (HTTP {status}): {message}")]
    #[diagnostic(
        code(b24flow::nl::auth),
        help("check that {variable} holds a valid key for this provider")
    )]
    Auth {
        provider: &'static str,
        status: u16,
        message: String,
        variable: &'static str,
    },

    #[error("{provider} does not know the model {model:?}: {message}")]
    #[diagnostic(
        code(b24flow::nl::unknown_model),
        help(
            "the model may be retired or misspelt; pass --model with a current one (default: {default}); see {models_page}"
        )
    )]
    UnknownModel {
        provider: &'static str,
        model: String,
        message: String,
        default: &'static str,
        models_page: &'static str,
    },

    #[error("{provider} quota is used up: {message}")]
    #[diagnostic(code(b24flow::nl::quota), help("{help}"))]
    QuotaExhausted {
        provider: &'static str,
        message: String,
        help: &'static str,
    },

    #[error("{provider} kept refusing for its rate limit (attempts: {attempts}): {message}")]
    #[diagnostic(
        code(b24flow::nl::rate_limited),
        help("lower [parser] requests_per_minute or --jobs, or try again in a minute")
    )]
    RateLimited {
        provider: &'static str,
        attempts: u32,
        message: String,
    },

    #[error("{provider} failed with HTTP {status} (attempts: {attempts}): {message}")]
    #[diagnostic(
        code(b24flow::nl::server_error),
        help("the provider is having trouble or is overloaded; try again later")
    )]
    ServerError {
        provider: &'static str,
        status: u16,
        attempts: u32,
        message: String,
    },

    #[error("{provider} rejected the request (HTTP {status}): {message}")]
    #[diagnostic(
        code(b24flow::nl::rejected),
        help("check --model and --base-url; if they are right, this is a bug in b24flow")
    )]
    Rejected {
        provider: &'static str,
        status: u16,
        message: String,
    },

    #[error("{provider} would not answer: {reason}")]
    #[diagnostic(
        code(b24flow::nl::blocked),
        help("rephrase the spec as a plain automation: \"When [event], [action] to/for [who]\"")
    )]
    Blocked {
        provider: &'static str,
        reason: String,
    },

    #[error("{provider}'s answer was cut off at {max_tokens} output tokens")]
    #[diagnostic(
        code(b24flow::nl::truncated),
        help("shorten the spec, or split it into several workflows")
    )]
    Truncated {
        provider: &'static str,
        max_tokens: u32,
    },

    #[error("{provider} sent a response b24flow cannot read: {message}")]
    #[diagnostic(
        code(b24flow::nl::bad_response),
        help("check that --base-url points at a server that speaks the {provider} API")
    )]
    BadResponse {
        provider: &'static str,
        message: String,
    },

    #[error("{provider} gave no valid answer (attempts: {attempts}): {}", problems.join("; "))]
    #[diagnostic(
        code(b24flow::nl::invalid_answer),
        help(
            "rephrase the spec (\"When [event], [action] to/for [who]\"), try another model, or use --provider offline"
        )
    )]
    InvalidAnswer {
        provider: &'static str,
        attempts: u32,
        problems: Vec<String>,
    },
}

/// A configured parser.
#[derive(Debug, Clone)]
pub enum Parser {
    /// The built-in deterministic parser.
    Offline,
    /// Gemini, Anthropic or an OpenAI-compatible server.
    Llm(llm::LlmParser),
}

/// How to choose a parser: `[parser]` in `b24flow.toml`, overridden by flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParserSettings {
    pub provider: Provider,
    pub model: Option<String>,
    pub base_url: Option<String>,
    /// Specs parsed at once.
    pub jobs: usize,
    /// Requests per minute sent to the provider (`None`: the provider's default).
    pub requests_per_minute: Option<u32>,
    /// Bounds on transport retries for the LLM parsers.
    pub retry: llm::RetryPolicy,
}

impl ParserSettings {
    /// `[parser]` from the config, with any flags given on top.
    pub fn resolve(
        config: &ParserConfig,
        provider: Option<Provider>,
        model: Option<String>,
        base_url: Option<String>,
    ) -> ParserSettings {
        ParserSettings {
            provider: provider.unwrap_or(config.provider),
            model: model.or_else(|| config.model.clone()),
            base_url: base_url.or_else(|| config.base_url.clone()),
            jobs: config.jobs.max(1),
            requests_per_minute: config.requests_per_minute,
            retry: llm::RetryPolicy::default(),
        }
    }
}

impl Parser {
    /// Builds the parser the settings ask for. Keys come from `env`; `config` supplies
    /// what the semantic rules need to check an LLM's answer. Nothing is sent yet.
    pub fn from_settings(
        settings: &ParserSettings,
        config: &Config,
        env: &Env,
    ) -> Result<Parser, Error> {
        match settings.provider {
            Provider::Offline => Ok(Parser::Offline),
            _ => Ok(Parser::Llm(llm::LlmParser::new(settings, config, env)?)),
        }
    }

    /// Parses one spec. Clones of an LLM parser share one rate limit, so several specs
    /// may be parsed at once.
    pub async fn parse(&self, text: &str) -> Result<Outcome, Error> {
        match self {
            Parser::Offline => Ok(offline::parse(text)),
            Parser::Llm(p) => p.parse(text).await,
        }
    }

    /// Who this parser is, for the lockfile.
    pub fn identity(&self) -> ParserIdentity {
        match self {
            Parser::Offline => ParserIdentity {
                name: "offline",
                version: offline::VERSION,
                model: None,
                prompt_sha256: None,
            },
            Parser::Llm(p) => ParserIdentity {
                name: p.name(),
                version: llm::VERSION,
                model: Some(p.model().to_owned()),
                prompt_sha256: Some(llm::prompt::prompt_sha256().to_owned()),
            },
        }
    }
}
