//! A local Bitrix24 portal: an axum server that answers the REST protocol the way a real
//! portal does, for tests, benches and the built-in local portal.
//!
//! What a client can observe is reproduced: webhook (`/rest/<user>/<code>/<method>`) and
//! OAuth (`/rest/<method>` + `auth`) URLs, JSON and PHP-style form bodies, the success and
//! error envelopes with their HTTP statuses, `bizproc.workflow.template.*` with the
//! platform's access, ownership and validation rules, `batch`, the per-IP leaky bucket,
//! the per-method operating-time limit, expiring OAuth tokens with refresh-token rotation
//! (`/oauth/token/`), and injected faults — including a write that commits and then loses
//! its reply.
//!
//! It also runs what it stores: CRM records over the real `crm.*` methods
//! ([`crm`]), and a business-process engine ([`engine`]) that starts the auto-start
//! templates on record events, runs their activities (messages go to an outbox, nothing
//! is sent), waits on a virtual clock, and keeps running instances. Emulator-only methods
//! are named `b24flow.*` so nobody mistakes them for the platform's.
//!
//! Invariants: the state file is rewritten atomically after every write; the server
//! never panics on a request, whatever its bytes.

pub mod crm;
pub(crate) mod dates;
pub mod engine;
pub mod events;
mod faults;
mod objects;
mod params;
mod portal;
mod server;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use engine::{Core, EngineOptions};
pub use faults::{FaultKind, Faults};
pub use server::Handle;
pub use store::{State, StoredTemplate};

/// An incoming webhook the portal accepts.
#[derive(Clone, PartialEq, Eq)]
pub struct Webhook {
    /// The user the webhook acts as.
    pub user_id: u64,
    /// The secret code in its URL.
    pub code: String,
    /// Whether that user is a portal administrator.
    pub admin: bool,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("user_id", &self.user_id)
            .field("code", &"<redacted>")
            .field("admin", &self.admin)
            .finish()
    }
}

/// An installed OAuth application.
#[derive(Clone, PartialEq, Eq)]
pub struct App {
    /// The numeric application id (templates it adds get `SYSTEM_CODE = rest_app_<id>`).
    pub app_id: u64,
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: String,
    /// An access token that never expires (until [`Handle::expire_tokens`]).
    pub access_token: Option<String>,
    /// The initial refresh token (a rotated one in the state file wins).
    pub refresh_token: Option<String>,
    /// The user the application acts for.
    pub user_id: u64,
    /// Whether that user is a portal administrator.
    pub admin: bool,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("app_id", &self.app_id)
            .field("client_id", &self.client_id)
            .field("user_id", &self.user_id)
            .field("admin", &self.admin)
            .finish_non_exhaustive()
    }
}

/// The per-IP leaky bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Requests drained per second.
    pub per_sec: f64,
    /// Requests the bucket holds before refusing.
    pub burst: f64,
}

impl RateLimit {
    /// Standard plans: 2/s, burst 50.
    pub const STANDARD: RateLimit = RateLimit {
        per_sec: 2.0,
        burst: 50.0,
    };
    /// Enterprise: 5/s, burst 250.
    pub const ENTERPRISE: RateLimit = RateLimit {
        per_sec: 5.0,
        burst: 250.0,
    };
}

/// The per-method operating-time limit: each call costs `cost` of processing time, summed
/// per caller and method over `window`; above `budget` the method answers 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatingLimit {
    /// The processing time allowed per window (cloud: 480 s per 10 minutes).
    pub budget: Duration,
    /// The window (cloud: 10 minutes).
    pub window: Duration,
    /// Processing time charged per call.
    pub cost: Duration,
}

/// How to run the emulator.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Where the state is kept; `None` keeps it in memory.
    pub state_file: Option<PathBuf>,
    /// Accepted incoming webhooks.
    pub webhooks: Vec<Webhook>,
    /// Installed applications.
    pub apps: Vec<App>,
    /// The per-IP rate limit; `None` turns it off.
    pub rate: Option<RateLimit>,
    /// Speeds up draining the rate-limit bucket (benches use e.g. 100).
    pub time_scale: f64,
    /// The operating-time limit; `None` turns it off.
    pub operating: Option<OperatingLimit>,
    /// Injected faults.
    pub faults: Faults,
    /// Added to every REST reply.
    pub latency: Duration,
    /// How long access tokens issued by `/oauth/token/` live.
    pub token_lifetime: Duration,
    /// Engine settings that replace the stored ones at start; `None` keeps them.
    pub engine: Option<EngineOptions>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            state_file: None,
            webhooks: Vec::new(),
            apps: Vec::new(),
            rate: Some(RateLimit::STANDARD),
            time_scale: 1.0,
            operating: None,
            faults: Faults::none(),
            latency: Duration::ZERO,
            token_lifetime: Duration::from_secs(3600),
            engine: None,
        }
    }
}

impl Options {
    /// The built-in local portal: loopback on a free port, state in `state_file`, one
    /// admin application (id 1, client id `local.b24flow`) whose never-expiring access
    /// token is `access_token`, and no rate limit (nothing else shares it).
    pub fn local(state_file: PathBuf, access_token: String) -> Options {
        Options {
            state_file: Some(state_file),
            apps: vec![App {
                app_id: 1,
                client_id: "local.b24flow".into(),
                client_secret: String::new(),
                access_token: Some(access_token),
                refresh_token: None,
                user_id: 1,
                admin: true,
            }],
            rate: None,
            ..Options::default()
        }
    }
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    /// The address is taken or not allowed.
    #[error("cannot listen on {addr}")]
    #[diagnostic(code(b24flow::emulator::bind), help("pick another port with --listen"))]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The state file is unreadable or corrupt.
    #[error("cannot load the emulator state from {}", path.display())]
    #[diagnostic(
        code(b24flow::emulator::state),
        help("the file is written by the emulator; move it away to start with an empty portal")
    )]
    State {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A `--faults` spec that does not parse.
    #[error("invalid fault spec `{spec}`: {message}")]
    #[diagnostic(
        code(b24flow::emulator::faults),
        help("write KIND:PROBABILITY pairs, e.g. 500:0.05,503:0.05,drop-after-commit:0.05,seed:7")
    )]
    Faults {
        /// The spec.
        spec: String,
        /// What is wrong.
        message: String,
    },
}

/// Starts the emulator in the current tokio runtime.
pub async fn start(options: Options) -> Result<Handle, Error> {
    server::start(options).await
}
