//! Flags shared by the commands that call a parser (`parse`, `compile`).

use b24flow::config::Provider;
use b24flow::nl::{Parser, ParserSettings};
use b24flow::project::Project;

/// `--provider`, `--model`, `--base-url`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ParserArgs {
    /// Which parser turns specs into blueprints [default: [parser] provider in
    /// b24flow.toml, else offline].
    #[arg(long, value_enum)]
    provider: Option<Provider>,
    /// The model to ask (LLM providers only) [default: a current model of the provider].
    #[arg(long)]
    model: Option<String>,
    /// The provider's API base URL, e.g. http://localhost:11434/v1 for a local Ollama.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

impl ParserArgs {
    /// Resolves the flags over `[parser]` and builds the parser.
    pub(crate) fn build(&self, project: &Project) -> miette::Result<Parser> {
        let settings = ParserSettings::resolve(
            &project.config.parser,
            self.provider,
            self.model.clone(),
            self.base_url.clone(),
        );
        Ok(Parser::from_settings(
            &settings,
            &project.config,
            super::env(),
        )?)
    }
}
