//! `b24flow serve`: the HTTP API and the web builder page, on top of the library.
//!
//! Every endpoint calls the same operations as the commands ([`crate::ops`]) and
//! answers with their typed reports: the parser for `/parse-workflow`, `ops::create`
//! (compile, build, and an apply session restricted to one workflow) for
//! `/create-workflow`, `ops::list` for `/bitrix-workflows` (the `list --json`
//! document), `ops::delete`, `ops::plan` for `/plan`, and [`crate::behave::simulate`]
//! for `/simulate` (the `simulate --json` trace). Created workflows are written
//! to `workflows/` as a spec and a lockfile, so git stays the source of truth.
//! `POST /events` receives Bitrix24's online events for runner workflows (`events.rs`).
//! Request and reply types are in `types.rs`, handlers in `handlers.rs`.
//!
//! Invariants: the server listens on loopback unless a bearer token is configured;
//! when a token is configured every API request must carry it (the two static pages
//! `/` and `/docs` hold no data and load without it, and then ask for the token); bad
//! input is answered with a 4xx and a JSON [`ErrorBody`], never a 5xx; no secret is
//! ever part of a reply.
//!
//! Against DNS rebinding and cross-site requests ([`guard_origin`]): the `Host` header
//! must name `localhost`, an IP address or a name in `[serve] hosts` (a rebound name
//! is none of these); a write (any method but GET and HEAD) with an `Origin` must come
//! from the origin it is sent to; a request a browser marks `Sec-Fetch-Site:
//! cross-site` is refused; and a write from a peer off loopback needs the token even
//! when none is configured (then it is simply refused).

mod events;
mod handlers;
mod openapi;
mod types;

pub mod history;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use schemars::JsonSchema;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::config::Env;
use crate::project::Project;

pub use events::form_to_json;
pub use handlers::MAX_DESCRIPTION_CHARS;
pub use types::*;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Why the server cannot start.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("refusing to listen on {addr} without B24FLOW_API_TOKEN")]
    #[diagnostic(
        code(b24flow::serve::token_required),
        help(
            "off loopback every request must carry a bearer token: export B24FLOW_API_TOKEN=<a long random string>, or listen on 127.0.0.1"
        )
    )]
    TokenRequired { addr: SocketAddr },
    #[error("cannot listen on {addr}")]
    #[diagnostic(
        code(b24flow::serve::bind),
        help("is another server using the port? pick another with --listen")
    )]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped")]
    #[diagnostic(code(b24flow::serve::io))]
    Serve {
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    History(#[from] history::Error),
}

/// A JSON error reply: what went wrong, a stable code, and any details (validation
/// problems, clarification questions, files already written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorBody {
    /// One sentence.
    pub error: String,
    /// A stable code, e.g. `bad_json`, `needs_clarification`, `not_found`.
    pub code: String,
    /// Further lines: problems, questions, what was already done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

/// An error reply with its status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    /// An error with no details.
    pub fn new(status: StatusCode, code: &str, error: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                error: error.into(),
                code: code.to_owned(),
                details: Vec::new(),
            },
        }
    }

    /// The same error with details.
    #[must_use]
    pub fn with_details(mut self, details: Vec<String>) -> ApiError {
        self.body.details = details;
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

/// What the handlers share.
pub struct AppState {
    pub project: Project,
    pub env: Env,
    pub history: history::History,
    /// Held while a request writes files or the portal, so two creates of one id
    /// cannot interleave. Read-only requests do not take it.
    pub writing: tokio::sync::Mutex<()>,
    /// The configured portal, connected on first use and shared by every request
    /// (never the built-in local portal, which is started per request).
    pub remote: std::sync::OnceLock<Arc<crate::portal::Portal>>,
}

impl AppState {
    /// The state of a server for `project`.
    pub fn new(project: Project, env: Env, history: history::History) -> AppState {
        AppState {
            project,
            env,
            history,
            writing: tokio::sync::Mutex::new(()),
            remote: std::sync::OnceLock::new(),
        }
    }
}

/// Whether the server may listen on `addr` with this token: anything but loopback
/// needs one.
pub fn check_listen(addr: SocketAddr, token: Option<&SecretString>) -> Result<(), Error> {
    if addr.ip().is_loopback() || token.is_some_and(|t| !t.expose_secret().is_empty()) {
        Ok(())
    } else {
        Err(Error::TokenRequired { addr })
    }
}

/// The application: every route, the body limit and the token check.
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/health", get(handlers::health))
        .route("/capabilities", get(handlers::capabilities))
        .route("/parse-workflow", post(handlers::parse_workflow))
        .route("/preview", post(handlers::preview))
        .route("/simulate", post(handlers::simulate))
        .route("/create-workflow", post(handlers::create_workflow))
        .route("/workflow", post(handlers::workflow))
        .route("/workflows", get(handlers::workflows))
        .route("/bitrix-workflows", get(handlers::bitrix_workflows))
        .route(
            "/bitrix-workflows/{id}",
            delete(handlers::delete_bitrix_workflow),
        )
        .route("/plan", get(handlers::plan))
        .route("/openapi.json", get(openapi::serve))
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            require_token,
        ));
    Router::new()
        .route("/", get(page_builder))
        .route("/docs", get(page_docs))
        // Bitrix24 cannot send the bearer token; the event carries its own
        // (`auth[application_token]`, checked by the handler).
        .route("/events", post(events::receive))
        .merge(api)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            guard_origin,
        ))
        .with_state(state)
}

/// Whether `host` (a `Host` header: a name or address and an optional port) is one
/// this server answers to: `localhost`, any IP address (DNS rebinding needs a name),
/// or a name configured in `[serve] hosts`.
pub fn host_allowed(host: &str, configured: &[String]) -> bool {
    let Ok(url) = url::Url::parse(&format!("http://{host}/")) else {
        return false;
    };
    if url.path() != "/" || url.query().is_some() || !url.username().is_empty() {
        return false;
    }
    match url.host() {
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => true,
        Some(url::Host::Domain(name)) => {
            name == "localhost" || configured.iter().any(|c| c.eq_ignore_ascii_case(name))
        }
        None => false,
    }
}

/// The DNS-rebinding and cross-site guard (see the module documentation).
async fn guard_origin(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| {
            request
                .uri()
                .authority()
                .map(axum::http::uri::Authority::as_str)
        });
    let Some(host) = host.filter(|h| host_allowed(h, &state.project.config.serve.hosts)) else {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "bad_host",
            "this server answers only to localhost, an IP address or a name in [serve] hosts",
        )
        .into_response();
    };
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"))
    {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_site",
            "cross-site requests are refused",
        )
        .into_response();
    }
    let write = !matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    if write {
        if let Some(origin) = headers.get(header::ORIGIN) {
            let same = origin
                .to_str()
                .ok()
                .and_then(|o| url::Url::parse(o).ok())
                .is_some_and(|o| {
                    matches!(o.scheme(), "http" | "https")
                        && o.path() == "/"
                        && o.host_str().is_some_and(|h| {
                            let authority = match o.port() {
                                Some(p) => format!("{h}:{p}"),
                                None => h.to_owned(),
                            };
                            authority.eq_ignore_ascii_case(host)
                        })
                });
            if !same {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    "foreign_origin",
                    "writes are accepted only from this server's own page",
                )
                .into_response();
            }
        }
        let peer_loopback = request
            .extensions()
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .is_none_or(|c| c.0.ip().is_loopback());
        if !peer_loopback && state.env.api_token.is_none() {
            return ApiError::new(
                StatusCode::FORBIDDEN,
                "token_required",
                "a write from another machine needs the bearer token B24FLOW_API_TOKEN",
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let service = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|source| Error::Serve { source })
}

/// Binds `addr` after the loopback/token check.
pub async fn bind(addr: SocketAddr, env: &Env) -> Result<tokio::net::TcpListener, Error> {
    check_listen(addr, env.api_token.as_ref())?;
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr, source })
}

async fn require_token(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(token) = state.env.api_token.as_ref() else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if constant_time_eq(given.as_bytes(), token.expose_secret().as_bytes()) {
        return next.run(request).await;
    }
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "this server needs `Authorization: Bearer <B24FLOW_API_TOKEN>`",
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// Compares without stopping at the first difference, so the reply time does not tell
/// how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; GET /openapi.json lists them",
    )
}

async fn page_builder() -> impl IntoResponse {
    html(include_str!("builder.html"))
}

async fn page_docs() -> impl IntoResponse {
    html(include_str!("docs.html"))
}

fn html(body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The pages load nothing from elsewhere; say so to the browser.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:",
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_needs_no_token_elsewhere_does() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let v6: SocketAddr = "[::1]:8080".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(check_listen(local, None).is_ok());
        assert!(check_listen(v6, None).is_ok());
        assert!(matches!(
            check_listen(any, None),
            Err(Error::TokenRequired { .. })
        ));
        assert!(check_listen(any, Some(&SecretString::from("t0ken"))).is_ok());
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
