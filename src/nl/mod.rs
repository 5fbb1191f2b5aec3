//! Natural language to Blueprint: the parsers.
//!
//! Every parser answers with an [`Outcome`]: a blueprint, or the questions a person must
//! answer first. The offline parser is deterministic and needs no network; the LLM
//! parsers send only the spec text and the catalog-derived prompt.

pub mod offline;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::blueprint::Blueprint;
use crate::config::{Env, ParserConfig, Provider};

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
}

/// A configured parser.
#[derive(Debug, Clone)]
pub enum Parser {
    /// The built-in deterministic parser.
    Offline,
}

/// How to choose a parser: `[parser]` in `b24flow.toml`, overridden by flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParserSettings {
    pub provider: Provider,
    pub model: Option<String>,
    pub base_url: Option<String>,
    /// Specs parsed at once.
    pub jobs: usize,
    /// Requests per minute sent to the provider.
    pub requests_per_minute: Option<u32>,
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
        }
    }
}

impl Parser {
    /// Builds the parser the settings ask for; keys come from `env`.
    pub fn from_settings(settings: &ParserSettings, _env: &Env) -> Result<Parser, Error> {
        match settings.provider {
            Provider::Offline => Ok(Parser::Offline),
            other => Err(Error::Unavailable { provider: other }),
        }
    }

    /// Parses one spec.
    #[allow(clippy::unused_async)] // the LLM parsers are async
    pub async fn parse(&self, text: &str) -> Result<Outcome, Error> {
        match self {
            Parser::Offline => Ok(offline::parse(text)),
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
        }
    }
}
