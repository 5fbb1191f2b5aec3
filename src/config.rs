//! Settings: `b24flow.toml` plus the environment, resolved once.
//!
//! This is the only module that reads environment variables. Everything else receives a
//! [`Config`] (what the project declares; no secrets allowed in it) and an [`Env`]
//! (what the machine supplies, secrets included, each behind a redacting type).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// The config file's name, at the project root.
pub const FILE_NAME: &str = "b24flow.toml";

/// What `b24flow.toml` declares. Every section is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The Bitrix24 portal. Without a URL, the built-in local portal is used.
    pub portal: PortalConfig,
    /// Which parser turns specs into blueprints.
    pub parser: ParserConfig,
    /// Safety rules checked by `validate`, `plan` and `apply`.
    pub policy: Policy,
    /// Names people write in specs ("sales team") mapped to Bitrix24 user or group
    /// codes (`user_1`, `group_d12`, ...).
    pub recipients: BTreeMap<String, String>,
    /// What the portal provides for messaging actions.
    pub channels: Channels,
    /// `b24flow serve`.
    pub serve: ServeConfig,
    /// `b24flow run` and the event bindings `apply` makes for it.
    pub runner: RunnerConfig,
    /// `[environments.<name>]`: named portals (staging, production), each a complete
    /// `[portal]` section of its own, chosen with `--env NAME` or `B24FLOW_ENV`. Empty:
    /// the one portal of `[portal]`.
    pub environments: BTreeMap<String, PortalConfig>,
    /// The environment chosen for this run and its portal snapshot; never read from the
    /// file (see [`crate::project::Project::select_environment`]).
    #[serde(skip)]
    pub selected: Option<Selected>,
}

/// The environment a run acts on: its name and, when `environments/<name>.yaml`
/// exists, the portal snapshot that names in blueprints resolve against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    /// The environment's name as written in `b24flow.toml`.
    pub name: String,
    /// The portal's names and ids; `None` when no snapshot was taken yet.
    pub snapshot: Option<std::sync::Arc<crate::snapshot::Snapshot>>,
}

/// `[serve]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServeConfig {
    /// Host names (besides `localhost` and IP addresses) the server answers to in the
    /// `Host` header, e.g. the name a reverse proxy forwards. Any other name is refused,
    /// which is what stops DNS rebinding.
    pub hosts: Vec<String>,
}

/// `[runner]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunnerConfig {
    /// The public URL of `b24flow serve`'s `POST /events`
    /// (`https://flows.example.com/events`). When set, `apply` also binds the events
    /// runner workflows need as online events posting there, so they are handled as they
    /// happen; the offline queue stays bound as the fallback.
    pub handler_url: Option<String>,
}

/// `[portal]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PortalConfig {
    /// `https://<portal>`; absent means the built-in local portal.
    pub url: Option<String>,
    /// `standard` (2 requests/s, burst 50), `enterprise` (5/s, burst 250) or `off`.
    pub rate: RatePlan,
    /// Where OAuth tokens are kept (mode 0600). Default: `.b24flow/credentials.json`.
    pub credentials_file: Option<PathBuf>,
    /// Seconds before a request times out.
    pub timeout_secs: u64,
    /// The smart invoice stages that mean "paid": every success stage of every invoice
    /// pipeline, full ids as the portal stores them (`DT31_3:P`; `crm.status.list`,
    /// ENTITY_ID `SMART_INVOICE_STAGE_<category>`, rows with SEMANTICS `S`). Empty: any
    /// stage whose id contains `:P`, which is the success stage of the standard pipeline
    /// whatever its category id (`CCrmStatus::GetDefaultInvoiceStatuses`).
    pub invoice_paid_stages: Vec<String>,
    /// The smart invoice stages that mean "refused" (SEMANTICS `F`), as above. Empty: any
    /// stage whose id contains `:D`, the standard pipeline's failure stage.
    pub invoice_refused_stages: Vec<String>,
}

impl Default for PortalConfig {
    fn default() -> Self {
        PortalConfig {
            url: None,
            rate: RatePlan::Standard,
            credentials_file: None,
            timeout_secs: 60,
            invoice_paid_stages: Vec::new(),
            invoice_refused_stages: Vec::new(),
        }
    }
}

/// The portal's REST rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RatePlan {
    /// 2 requests per second, burst 50.
    #[default]
    Standard,
    /// 5 requests per second, burst 250.
    Enterprise,
    /// No client-side limit.
    Off,
}

/// `[parser]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParserConfig {
    /// `offline`, `gemini`, `anthropic` or `openai`.
    pub provider: Provider,
    /// The model; each provider has a current default.
    pub model: Option<String>,
    /// Overrides the provider's API base URL (e.g. a local Ollama).
    pub base_url: Option<String>,
    /// How many specs are parsed at once.
    pub jobs: usize,
    /// Requests per minute sent to the provider.
    pub requests_per_minute: Option<u32>,
}

impl Default for ParserConfig {
    fn default() -> Self {
        ParserConfig {
            provider: Provider::Offline,
            model: None,
            base_url: None,
            jobs: 4,
            requests_per_minute: None,
        }
    }
}

/// A parser provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// The built-in deterministic parser: no network, no key.
    #[default]
    Offline,
    /// Google Gemini.
    Gemini,
    /// Anthropic Claude.
    Anthropic,
    /// OpenAI or any OpenAI-compatible server (Ollama, llama.cpp, vLLM).
    Openai,
}

/// `[policy]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Hosts a `webhook` action may call even though they are private or loopback.
    pub webhook_allowed_hosts: Vec<String>,
    /// The most templates one plan may delete without `--allow-deletes`.
    pub max_deletes: u32,
    /// Workflow ids or glob patterns (`billing/*`) whose templates no plan may destroy
    /// or replace, whatever `--allow-deletes` says.
    pub protect: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            webhook_allowed_hosts: Vec::new(),
            max_deletes: 3,
            protect: Vec::new(),
        }
    }
}

/// `[channels]`: what the portal provides for messaging actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Channels {
    /// The SMS provider id for `send_sms` (`:default:` uses the portal's default). Never
    /// empty: crm `CrmSendSmsActivity::ValidateProperties` refuses an empty ProviderId,
    /// and the portal then rejects the whole template on import.
    pub sms_provider: String,
    /// The sender address for `send_email`; empty uses the responsible person's mailbox.
    pub email_from: String,
    /// The employee notifications, chat messages and timeline comments are sent as: a
    /// user code `user_<id>` (`CBPHelper::ExtractUsers` finds no one for anything else).
    pub notify_from: String,
}

impl Default for Channels {
    fn default() -> Self {
        Channels {
            sms_provider: ":default:".into(),
            email_from: String::new(),
            notify_from: "user_1".into(),
        }
    }
}

/// A config file that could not be read.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error("cannot read {}", path.display())]
    #[diagnostic(code(b24flow::config::io))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a valid b24flow config: {message}", path.display())]
    #[diagnostic(
        code(b24flow::config::invalid),
        help("see the commented defaults that `b24flow init` writes")
    )]
    Invalid {
        path: PathBuf,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: Option<SourceSpan>,
    },
}

impl Error {
    /// An [`Error::Invalid`] about the config text `text` read from `path`.
    fn invalid(path: &Path, text: &str, message: String, span: Option<SourceSpan>) -> Error {
        Error::Invalid {
            path: path.to_owned(),
            message,
            src: NamedSource::new(path.display().to_string(), text.to_owned()),
            span,
        }
    }
}

impl Config {
    /// Reads `b24flow.toml` from `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Error> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => return Err(Error::Io { path, source }),
        };
        Config::parse(&text, &path)
    }

    /// Parses config text; `path` is only used in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let config: Config = toml::from_str(text).map_err(|e| {
            Error::invalid(
                path,
                text,
                e.message().to_owned(),
                e.span().map(SourceSpan::from),
            )
        })?;
        config
            .check_environments(text, path)?
            .check_handler(text, path)
    }

    /// Checks `[runner] handler_url`: the platform takes an http(s) URL whose host has a
    /// dot (`Bitrix\Rest\HandlerHelper::checkCallback`, rest/lib/handlerhelper.php), and
    /// b24flow asks for https, since every event posted there carries the application
    /// token.
    fn check_handler(self, text: &str, path: &Path) -> Result<Config, Error> {
        let Some(handler) = &self.runner.handler_url else {
            return Ok(self);
        };
        let ok = url::Url::parse(handler).is_ok_and(|u| {
            u.scheme() == "https"
                && u.host_str()
                    .is_some_and(|h| h.find('.').is_some_and(|i| i > 0))
        });
        if ok {
            return Ok(self);
        }
        let at = text.find("handler_url");
        Err(Error::invalid(
            path,
            text,
            format!(
                "[runner] handler_url `{handler}` is not an https URL with a domain name (the events posted there carry the application token)"
            ),
            at.map(|a| SourceSpan::from((a, "handler_url".len()))),
        ))
    }

    /// Checks environment names: each becomes part of variable names
    /// (`B24FLOW_<NAME>_WEBHOOK_URL`) and of a file name (`environments/<name>.yaml`),
    /// so only lower-case letters, digits, `-` and `_` are allowed.
    fn check_environments(self, text: &str, path: &Path) -> Result<Config, Error> {
        if let Some(bad) = self.environments.keys().find(|k| !is_environment_name(k)) {
            let at = text.find(&format!("environments.{bad}"));
            return Err(Error::invalid(
                path,
                text,
                format!(
                    "`{bad}` is not an environment name: use lower-case letters, digits, - and _, starting with a letter"
                ),
                at.map(|a| SourceSpan::from((a, "environments.".len() + bad.len()))),
            ));
        }
        Ok(self)
    }

    /// Looks a recipient name up in `[recipients]`, ignoring case and a leading "the".
    pub fn recipient(&self, name: &str) -> Option<&str> {
        let wanted = recipient_key(name);
        self.recipients
            .iter()
            .find(|(k, _)| recipient_key(k) == wanted)
            .map(|(_, v)| v.as_str())
    }
}

/// Whether `name` can name an environment: `[a-z][a-z0-9_-]*`, at most 40 characters.
pub fn is_environment_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= 40
}

/// The variable that carries `var` (one of [`var`]'s portal variables, `B24FLOW_…`) for
/// the environment `environment`: its name upper-cased, `-` as `_`, after `B24FLOW_`
/// (`B24FLOW_STAGING_WEBHOOK_URL`).
pub fn environment_var(environment: &str, var: &str) -> String {
    let tail = var.strip_prefix("B24FLOW_").unwrap_or(var);
    format!(
        "B24FLOW_{}_{tail}",
        environment.to_ascii_uppercase().replace('-', "_")
    )
}

/// The portal variables an environment has its own copy of (see [`environment_var`]):
/// every variable that says which portal and how to sign in.
pub const PORTAL_VARS: [&str; 7] = [
    var::WEBHOOK_URL,
    var::PORTAL_URL,
    var::ACCESS_TOKEN,
    var::CLIENT_ID,
    var::CLIENT_SECRET,
    var::REFRESH_TOKEN,
    var::OAUTH_URL,
];

/// The form recipient names are compared in: lowercase, single spaces, no leading "the".
pub fn recipient_key(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let words = match words.first() {
        Some(&"the") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

/// The names of the environment variables b24flow reads, each written once here.
///
/// [`Env::from_lookup`] reads exactly these (a test checks it), and the integration
/// tests' helper clears every one of them, so no developer's shell leaks into a test.
/// (`NO_COLOR`, the cross-tool convention, is read by the terminal printer, not here.)
pub mod var {
    /// An incoming webhook: `https://<portal>/rest/<user>/<code>/`.
    pub const WEBHOOK_URL: &str = "B24FLOW_WEBHOOK_URL";
    /// The portal URL; overrides `[portal] url`.
    pub const PORTAL_URL: &str = "B24FLOW_PORTAL_URL";
    /// A static OAuth access token.
    pub const ACCESS_TOKEN: &str = "B24FLOW_ACCESS_TOKEN";
    /// The OAuth application's client id.
    pub const CLIENT_ID: &str = "B24FLOW_CLIENT_ID";
    /// The OAuth application's client secret.
    pub const CLIENT_SECRET: &str = "B24FLOW_CLIENT_SECRET";
    /// The OAuth refresh token.
    pub const REFRESH_TOKEN: &str = "B24FLOW_REFRESH_TOKEN";
    /// Overrides the OAuth token endpoint.
    pub const OAUTH_URL: &str = "B24FLOW_OAUTH_URL";
    /// Google Gemini's API key.
    pub const GEMINI_API_KEY: &str = "GEMINI_API_KEY";
    /// Anthropic's API key.
    pub const ANTHROPIC_API_KEY: &str = "ANTHROPIC_API_KEY";
    /// OpenAI's (or a compatible server's) API key.
    pub const OPENAI_API_KEY: &str = "OPENAI_API_KEY";
    /// The bearer token `b24flow serve` requires off loopback.
    pub const API_TOKEN: &str = "B24FLOW_API_TOKEN";
    /// The `application_token` Bitrix24 sends with online events (the application's, or
    /// an outbound webhook's); `serve`'s `POST /events` accepts only events carrying it.
    pub const APPLICATION_TOKEN: &str = "B24FLOW_APPLICATION_TOKEN";
    /// The commit a GitHub Actions run checked out; apply records it in the marker of
    /// each template it writes (set by the runner, not by users).
    pub const GITHUB_SHA: &str = "GITHUB_SHA";
    /// The environment (`[environments.<name>]`) a command acts on when `--env` is not
    /// given.
    pub const ENVIRONMENT: &str = "B24FLOW_ENV";
}

/// Every environment variable [`Env`] reads.
pub const ENV_VARS: [&str; 14] = with_portal_vars([
    var::GEMINI_API_KEY,
    var::ANTHROPIC_API_KEY,
    var::OPENAI_API_KEY,
    var::API_TOKEN,
    var::APPLICATION_TOKEN,
    var::GITHUB_SHA,
    var::ENVIRONMENT,
]);

/// [`PORTAL_VARS`] followed by `rest`: the portal variables are listed once, and
/// [`ENV_VARS`] cannot leave one out.
const fn with_portal_vars<const N: usize, const ALL: usize>(
    rest: [&'static str; N],
) -> [&'static str; ALL] {
    // Evaluated at compile time: a wrong total stops the build.
    assert!(
        ALL == PORTAL_VARS.len() + N,
        "ENV_VARS has the wrong length"
    );
    let mut all = [""; ALL];
    let mut i = 0;
    while i < ALL {
        all[i] = if i < PORTAL_VARS.len() {
            PORTAL_VARS[i]
        } else {
            rest[i - PORTAL_VARS.len()]
        };
        i += 1;
    }
    all
}

/// What the environment supplies; secrets stay redacted. The CLI captures it once per
/// run and `serve` once at start-up, and both pass it down; library code never reads
/// the process environment itself.
#[derive(Debug, Default)]
pub struct Env {
    /// [`var::WEBHOOK_URL`]: an incoming webhook (`https://<portal>/rest/<user>/<code>/`).
    pub webhook_url: Option<SecretString>,
    /// [`var::PORTAL_URL`].
    pub portal_url: Option<String>,
    /// [`var::ACCESS_TOKEN`]: a static OAuth access token.
    pub access_token: Option<SecretString>,
    /// [`var::CLIENT_ID`].
    pub client_id: Option<String>,
    /// [`var::CLIENT_SECRET`].
    pub client_secret: Option<SecretString>,
    /// [`var::REFRESH_TOKEN`].
    pub refresh_token: Option<SecretString>,
    /// [`var::OAUTH_URL`]: overrides the OAuth token endpoint.
    pub oauth_url: Option<String>,
    /// [`var::GEMINI_API_KEY`].
    pub gemini_api_key: Option<SecretString>,
    /// [`var::ANTHROPIC_API_KEY`].
    pub anthropic_api_key: Option<SecretString>,
    /// [`var::OPENAI_API_KEY`].
    pub openai_api_key: Option<SecretString>,
    /// [`var::API_TOKEN`]: the bearer token `b24flow serve` requires off loopback.
    pub api_token: Option<SecretString>,
    /// [`var::APPLICATION_TOKEN`]: what online events must carry as
    /// `auth[application_token]`.
    pub application_token: Option<SecretString>,
    /// [`var::GITHUB_SHA`]: the commit being applied, when run by GitHub Actions.
    pub commit: Option<String>,
    /// [`var::ENVIRONMENT`]: the environment to act on when `--env` is not given.
    pub default_environment: Option<String>,
    /// The environment whose portal variables filled the portal fields above
    /// (`B24FLOW_<NAME>_…`); `None` for the unprefixed ones.
    pub environment: Option<String>,
}

impl Env {
    /// Reads the variables b24flow understands ([`ENV_VARS`]). Empty values count as unset.
    pub fn capture() -> Env {
        Env::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds an `Env` from any lookup, which keeps tests free of process state.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Env {
        Env::from_lookup_for(lookup, None)
    }

    /// Reads the variables for the environment `environment`: its own portal variables
    /// ([`PORTAL_VARS`] as [`environment_var`] names them) instead of the unprefixed
    /// ones, which are not read at all, so a shell set up for one portal never reaches
    /// another. `None` is [`Env::capture`].
    pub fn capture_for(environment: Option<&str>) -> Env {
        Env::from_lookup_for(|name| std::env::var(name).ok(), environment)
    }

    /// [`Env::from_lookup`] for an environment (see [`Env::capture_for`]).
    pub fn from_lookup_for(
        lookup: impl Fn(&str) -> Option<String>,
        environment: Option<&str>,
    ) -> Env {
        let get = |name: &str| {
            debug_assert!(ENV_VARS.contains(&name), "{name} is missing from ENV_VARS");
            lookup(name).filter(|v| !v.trim().is_empty())
        };
        let portal = |name: &str| match environment {
            Some(env) => lookup(&environment_var(env, name)).filter(|v| !v.trim().is_empty()),
            None => get(name),
        };
        let secret = |name: &str| portal(name).map(SecretString::from);
        Env {
            webhook_url: secret(var::WEBHOOK_URL),
            portal_url: portal(var::PORTAL_URL),
            access_token: secret(var::ACCESS_TOKEN),
            client_id: portal(var::CLIENT_ID),
            client_secret: secret(var::CLIENT_SECRET),
            refresh_token: secret(var::REFRESH_TOKEN),
            oauth_url: portal(var::OAUTH_URL),
            gemini_api_key: get(var::GEMINI_API_KEY).map(SecretString::from),
            anthropic_api_key: get(var::ANTHROPIC_API_KEY).map(SecretString::from),
            openai_api_key: get(var::OPENAI_API_KEY).map(SecretString::from),
            api_token: get(var::API_TOKEN).map(SecretString::from),
            application_token: get(var::APPLICATION_TOKEN).map(SecretString::from),
            commit: get(var::GITHUB_SHA).map(|c| c.trim().to_ascii_lowercase()),
            default_environment: get(var::ENVIRONMENT).map(|e| e.trim().to_owned()),
            environment: environment.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::parse("", Path::new("b24flow.toml")).unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.policy.max_deletes, 3);
    }

    #[test]
    fn the_runner_handler_must_be_https_on_a_domain() {
        let c = Config::parse(
            "[runner]\nhandler_url = \"https://flows.example.com/events\"\n",
            Path::new("b24flow.toml"),
        )
        .unwrap();
        assert_eq!(
            c.runner.handler_url.as_deref(),
            Some("https://flows.example.com/events")
        );
        for bad in [
            "http://flows.example.com/events",
            "https://localhost/events",
            "events",
        ] {
            let err = Config::parse(
                &format!("[runner]\nhandler_url = \"{bad}\"\n"),
                Path::new("b24flow.toml"),
            )
            .unwrap_err();
            let Error::Invalid { message, span, .. } = err else {
                panic!()
            };
            assert!(message.contains("handler_url"), "{message}");
            assert!(span.is_some());
        }
    }

    #[test]
    fn unknown_keys_are_errors_with_a_span() {
        let err =
            Config::parse("[parser]\nprovder = 'x'\n", Path::new("b24flow.toml")).unwrap_err();
        let Error::Invalid { span, message, .. } = err else {
            panic!()
        };
        assert!(message.contains("provder"), "{message}");
        assert!(span.is_some());
    }

    #[test]
    fn invoice_stages_are_read_from_the_portal_section() {
        let c = Config::parse(
            "[portal]\ninvoice_paid_stages = [\"DT31_3:P\"]\ninvoice_refused_stages = [\"DT31_3:D\", \"DT31_3:UC_LOST\"]\n",
            Path::new("b24flow.toml"),
        )
        .unwrap();
        assert_eq!(c.portal.invoice_paid_stages, ["DT31_3:P"]);
        assert_eq!(c.portal.invoice_refused_stages.len(), 2);
        assert!(Config::default().portal.invoice_paid_stages.is_empty());
    }

    #[test]
    fn recipients_match_loosely() {
        let c = Config::parse(
            "[recipients]\n\"Sales Team\" = \"group_d3\"\n",
            Path::new("x"),
        )
        .unwrap();
        assert_eq!(c.recipient("the sales team"), Some("group_d3"));
        assert_eq!(c.recipient("support"), None);
    }

    #[test]
    fn env_reads_exactly_the_listed_variables() {
        let seen = std::cell::RefCell::new(Vec::new());
        let env = Env::from_lookup(|name| {
            seen.borrow_mut().push(name.to_owned());
            Some(format!("value-of-{name}"))
        });
        let mut seen = seen.into_inner();
        seen.sort();
        let mut listed: Vec<String> = ENV_VARS.iter().map(|s| (*s).to_owned()).collect();
        listed.sort();
        assert_eq!(seen, listed);
        assert_eq!(
            env.portal_url.as_deref(),
            Some("value-of-B24FLOW_PORTAL_URL")
        );
    }

    #[test]
    fn environments_are_portal_sections_with_checked_names() {
        let c = Config::parse(
            "[environments.staging]\nurl = \"https://t.example.com\"\n[environments.production]\nurl = \"https://p.example.com\"\nrate = \"enterprise\"\n",
            Path::new("b24flow.toml"),
        )
        .unwrap();
        assert_eq!(c.environments.len(), 2);
        assert_eq!(c.environments["production"].rate, RatePlan::Enterprise);
        assert_eq!(c.environments["staging"].timeout_secs, 60);
        let err = Config::parse("[environments.Prod]\n", Path::new("b24flow.toml")).unwrap_err();
        assert!(
            err.to_string()
                .contains("`Prod` is not an environment name"),
            "{err}"
        );
        let err =
            Config::parse("[environments.x]\nurll = 1\n", Path::new("b24flow.toml")).unwrap_err();
        assert!(err.to_string().contains("urll"), "{err}");
    }

    #[test]
    fn an_environment_reads_only_its_own_portal_variables() {
        assert_eq!(
            environment_var("pre-prod", var::WEBHOOK_URL),
            "B24FLOW_PRE_PROD_WEBHOOK_URL"
        );
        let env = Env::from_lookup_for(
            |name| match name {
                "B24FLOW_WEBHOOK_URL" => Some("https://single/rest/1/x/".into()),
                "B24FLOW_STAGING_ACCESS_TOKEN" => Some("tok".into()),
                "OPENAI_API_KEY" => Some("sk".into()),
                _ => None,
            },
            Some("staging"),
        );
        assert!(env.webhook_url.is_none());
        assert!(env.access_token.is_some());
        assert!(env.openai_api_key.is_some());
        assert_eq!(env.environment.as_deref(), Some("staging"));
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let env = Env::from_lookup(|n| (n == "OPENAI_API_KEY").then(|| "sk-very-secret".into()));
        assert!(!format!("{env:?}").contains("sk-very-secret"));
    }
}
