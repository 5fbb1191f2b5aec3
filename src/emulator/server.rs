//! The HTTP side of the emulator: routing, authentication, limits, faults, envelopes and
//! the OAuth token endpoint.
//!
//! The order of checks follows `CRestServer::processExecution`: the method must exist
//! (404) before authentication is looked at (401), and the operating-time limit (429) is
//! checked before the handler runs. The leaky bucket (503) comes first of all, as it is
//! enforced in front of the REST server on cloud portals.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Map, Value, json};

use super::faults::{Dice, FaultKind, Faults};
use super::params::{parse_str, php_int};
use super::portal::{self, Caller, Outcome, RestError};
use super::store::{FileLock, Stamp, State, StoredTemplate};
use super::{App, Error, OperatingLimit, Options, RateLimit, Webhook};

struct Token {
    client_id: String,
    expires: Option<Instant>,
}

struct Shared {
    webhooks: Vec<Webhook>,
    apps: Vec<App>,
    rate: Option<RateLimit>,
    time_scale: f64,
    operating: Option<OperatingLimit>,
    latency: Duration,
    token_lifetime: Duration,
    state_file: Option<PathBuf>,
    state: Mutex<State>,
    /// The state file as this process last read or wrote it.
    seen: Mutex<Option<Stamp>>,
    tokens: Mutex<HashMap<String, Token>>,
    faults: Mutex<(Faults, Dice)>,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
    usage: Mutex<HashMap<String, VecDeque<(Instant, Duration)>>>,
    rng: Mutex<Dice>,
    requests: AtomicU64,
    addr: SocketAddr,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A running emulator.
pub struct Handle {
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("addr", &self.shared.addr)
            .finish_non_exhaustive()
    }
}

impl Handle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// `http://<addr>`: the portal URL for OAuth clients.
    pub fn portal_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// `http://<addr>/oauth/token/`.
    pub fn token_url(&self) -> String {
        format!("http://{}/oauth/token/", self.shared.addr)
    }

    /// The full URL of a webhook.
    pub fn webhook_url(&self, hook: &Webhook) -> String {
        format!(
            "http://{}/rest/{}/{}/",
            self.shared.addr, hook.user_id, hook.code
        )
    }

    /// Expires every access token issued so far, so the next call needs a refresh.
    pub fn expire_tokens(&self) {
        let now = Instant::now();
        for token in lock(&self.shared.tokens).values_mut() {
            token.expires = Some(now);
        }
    }

    /// Replaces the injected faults (the dice restart from the new seed).
    pub fn set_faults(&self, faults: Faults) {
        let dice = faults.dice();
        *lock(&self.shared.faults) = (faults, dice);
    }

    /// A copy of the stored templates.
    pub fn templates(&self) -> Vec<StoredTemplate> {
        lock(&self.shared.state)
            .templates
            .values()
            .cloned()
            .collect()
    }

    /// Stores a template directly, as if made by hand or by another application.
    pub fn insert_template(&self, mut template: StoredTemplate) -> u64 {
        let mut state = lock(&self.shared.state);
        if template.id == 0 {
            template.id = state.allocate_id();
        } else {
            state.next_id = state.next_id.max(template.id + 1);
        }
        let id = template.id;
        state.templates.insert(id, template);
        id
    }

    /// REST requests received so far (the OAuth endpoint not included).
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub(crate) async fn start(options: Options) -> Result<Handle, Error> {
    let mut state = match &options.state_file {
        Some(path) => State::load(path).map_err(|source| Error::State {
            path: path.clone(),
            source,
        })?,
        None => State::default(),
    };
    if let Some(engine) = &options.engine {
        state.engine.options = engine.clone();
    }
    if let Some(seed) = options.seed
        && state.directory.is_none()
    {
        super::crm::directory::seed(&mut state, seed);
    }
    let mut tokens = HashMap::new();
    for app in &options.apps {
        if let Some(t) = &app.access_token {
            tokens.insert(
                t.clone(),
                Token {
                    client_id: app.client_id.clone(),
                    expires: None,
                },
            );
        }
        if let Some(r) = &app.refresh_token {
            state
                .refresh_tokens
                .entry(app.client_id.clone())
                .or_insert_with(|| r.clone());
        }
    }
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|source| Error::Bind {
            addr: options.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| Error::Bind {
        addr: options.listen,
        source,
    })?;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(7, |d| d.as_secs() ^ u64::from(d.subsec_nanos()));
    let dice = options.faults.dice();
    let shared = Arc::new(Shared {
        webhooks: options.webhooks,
        apps: options.apps,
        rate: options.rate,
        time_scale: if options.time_scale > 0.0 {
            options.time_scale
        } else {
            1.0
        },
        operating: options.operating,
        latency: options.latency,
        token_lifetime: options.token_lifetime,
        seen: Mutex::new(options.state_file.as_deref().and_then(Stamp::of)),
        state_file: options.state_file,
        state: Mutex::new(state),
        tokens: Mutex::new(tokens),
        faults: Mutex::new((options.faults, dice)),
        buckets: Mutex::new(HashMap::new()),
        usage: Mutex::new(HashMap::new()),
        rng: Mutex::new(Dice::seeded(seed)),
        requests: AtomicU64::new(0),
        addr,
    });
    let app = Router::new()
        .route("/rest/{*path}", any(rest))
        .route("/oauth/token", any(oauth_token))
        .route("/oauth/token/", any(oauth_token))
        .with_state(shared.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        let _ = axum::serve(listener, service)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(Handle {
        shared,
        stop: Some(stop),
        task,
    })
}

fn json_response(status: u16, body: &Value, client_id: Option<&str>) -> Response {
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        body.to_string(),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Some(id) = client_id.and_then(|c| HeaderValue::from_str(c).ok()) {
        headers.insert("X-Bitrix-Rest-Application", id);
    }
    response
}

fn error_response(e: &RestError) -> Response {
    json_response(e.status, &e.body(), None)
}

/// A reply that claims a body and then breaks the connection.
fn dropped() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault injected",
        ))
    });
    let mut response = Response::new(Body::from_stream(stream));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Query string and body merged as `CRestUtil::getRequestData` does: body keys replace
/// query keys. A JSON body that does not parse counts as empty, as in PHP.
fn request_params(uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Map<String, Value> {
    let mut params = parse_str(uri.query().unwrap_or(""));
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let body_params = if content_type == "application/json" {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    } else {
        parse_str(&String::from_utf8_lossy(body))
    };
    for (k, v) in body_params {
        params.insert(k, v);
    }
    params
}

impl Shared {
    fn save(&self, state: &State) -> Result<(), RestError> {
        if let Some(path) = &self.state_file {
            state.save(path).map_err(|_| internal())?;
            *lock(&self.seen) = Stamp::of(path);
        }
        Ok(())
    }

    /// Takes the state file's lock and, when another process rewrote the file since this
    /// one last saw it, reloads `state` from it (keeping this process's engine settings).
    /// `None` when there is no state file.
    fn sync(&self, state: &mut State) -> Result<Option<FileLock>, RestError> {
        let Some(path) = &self.state_file else {
            return Ok(None);
        };
        let guard = FileLock::take(path).map_err(|_| internal())?;
        let now = Stamp::of(path);
        let mut seen = lock(&self.seen);
        if now.is_some() && now != *seen {
            let mut fresh = State::load(path).map_err(|_| internal())?;
            fresh.engine.options = state.engine.options.clone();
            *state = fresh;
            *seen = now;
        }
        Ok(Some(guard))
    }

    /// Adds one request to the caller IP's bucket; refuses when it is full.
    fn admit(&self, ip: IpAddr) -> Result<(), RestError> {
        let Some(rate) = self.rate else { return Ok(()) };
        let mut buckets = lock(&self.buckets);
        let now = Instant::now();
        let (level, last) = buckets.entry(ip).or_insert((0.0, now));
        let drained =
            now.saturating_duration_since(*last).as_secs_f64() * rate.per_sec * self.time_scale;
        let current = (*level - drained).max(0.0);
        *last = now;
        if current + 1.0 > rate.burst {
            *level = current;
            return Err(RestError::new(
                503,
                "QUERY_LIMIT_EXCEEDED",
                "Too many requests",
            ));
        }
        *level = current + 1.0;
        Ok(())
    }

    fn authenticate(
        &self,
        hook: Option<(&str, &str)>,
        params: &mut Map<String, Value>,
    ) -> Result<(Caller, Option<String>), RestError> {
        let auth = params.remove("auth");
        let no_auth = || RestError::new(401, "NO_AUTH_FOUND", "Wrong authorization data");
        if let Some((user, code)) = hook {
            let hook = self
                .webhooks
                .iter()
                .find(|h| h.user_id.to_string() == user && h.code == code)
                .ok_or_else(no_auth)?;
            return Ok((
                Caller {
                    user_id: hook.user_id,
                    admin: hook.admin,
                    app_id: None,
                    key: format!("hook:{}", hook.user_id),
                },
                None,
            ));
        }
        let token = auth
            .as_ref()
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(no_auth)?;
        let tokens = lock(&self.tokens);
        let entry = tokens.get(token).ok_or_else(|| {
            RestError::new(
                401,
                "invalid_token",
                "The access token provided is invalid.",
            )
        })?;
        if entry.expires.is_some_and(|e| Instant::now() >= e) {
            return Err(RestError::new(
                401,
                "expired_token",
                "The access token provided has expired.",
            ));
        }
        let app = self
            .apps
            .iter()
            .find(|a| a.client_id == entry.client_id)
            .ok_or_else(no_auth)?;
        Ok((
            Caller {
                user_id: app.user_id,
                admin: app.admin,
                app_id: Some(app.app_id),
                key: format!("app:{}", app.client_id),
            },
            Some(app.client_id.clone()),
        ))
    }

    /// Checks the operating-time budget of `caller` for `method`; returns the time used
    /// in the window and when the oldest use expires (unix seconds).
    fn operating_check(&self, caller: &Caller, method: &str) -> Result<(f64, i64), RestError> {
        let now_unix = portal::now_f64();
        let Some(limit) = self.operating else {
            return Ok((0.0, unix_ceil(now_unix + 600.0)));
        };
        let mut usage = lock(&self.usage);
        let entries = usage.entry(format!("{}|{method}", caller.key)).or_default();
        let now = Instant::now();
        while entries
            .front()
            .is_some_and(|(t, _)| now.saturating_duration_since(*t) >= limit.window)
        {
            entries.pop_front();
        }
        let used: Duration = entries.iter().map(|(_, d)| *d).sum();
        let reset = entries
            .front()
            .map_or(now_unix + limit.window.as_secs_f64(), |(t, _)| {
                now_unix
                    + (limit
                        .window
                        .saturating_sub(now.saturating_duration_since(*t)))
                    .as_secs_f64()
            });
        if used >= limit.budget {
            return Err(RestError::new(
                429,
                "OPERATION_TIME_LIMIT",
                "Method is blocked due to operation time limit.",
            ));
        }
        Ok((used.as_secs_f64(), unix_ceil(reset)))
    }

    fn operating_charge(&self, caller: &Caller, method: &str) {
        if let Some(limit) = self.operating {
            lock(&self.usage)
                .entry(format!("{}|{method}", caller.key))
                .or_default()
                .push_back((Instant::now(), limit.cost));
        }
    }

    fn execute(
        &self,
        caller: &Caller,
        method: &str,
        params: &Map<String, Value>,
        start: i64,
    ) -> Result<(Outcome, (f64, i64)), RestError> {
        let operating = self.operating_check(caller, method)?;
        let now = unix_ceil(portal::now_f64());
        let mut state = lock(&self.state);
        let _file = self.sync(&mut state)?;
        let req = portal::Request {
            caller,
            method,
            params,
            start,
        };
        let outcome = portal::call(&mut state, req, now);
        self.operating_charge(caller, method);
        let outcome = outcome?;
        if outcome.wrote {
            self.save(&state)?;
        }
        Ok((outcome, operating))
    }

    fn batch(&self, caller: &Caller, params: &Map<String, Value>) -> Result<Outcome, RestError> {
        let mut exec =
            |method: &str, p: &Map<String, Value>, start: i64| -> Result<Outcome, RestError> {
                if !portal::is_method(method) {
                    return Err(portal::not_found());
                }
                self.execute(caller, method, p, start).map(|(o, _)| o)
            };
        portal::run_batch(params, &mut exec)
    }

    fn new_token(&self) -> String {
        // Unpredictable enough for a local test portal; not a security boundary.
        let mut rng = lock(&self.rng);
        format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64())
    }
}

#[allow(clippy::cast_possible_truncation)] // unix seconds fit an i64
fn unix_ceil(f: f64) -> i64 {
    f.ceil() as i64
}

async fn rest(
    AxumState(shared): AxumState<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // The whole request has arrived: it runs to the end even if the caller goes away
    // meanwhile (during the simulated latency, say), as a real portal's PHP finishes a
    // REST call whose client disconnected (it would notice only when writing the reply).
    match tokio::spawn(handle_rest(shared, peer, uri, headers, body)).await {
        Ok(response) => response,
        Err(_) => error_response(&RestError::new(
            500,
            "INTERNAL_SERVER_ERROR",
            "Internal server error",
        )),
    }
}

async fn handle_rest(
    shared: Arc<Shared>,
    peer: SocketAddr,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let started = portal::now_f64();
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    if let Err(e) = shared.admit(peer.ip()) {
        return error_response(&e);
    }
    let fault = {
        let mut guard = lock(&shared.faults);
        let (faults, dice) = &mut *guard;
        faults.pick(dice)
    };
    match fault {
        Some(FaultKind::Status500) => {
            return error_response(&RestError::new(
                500,
                "INTERNAL_SERVER_ERROR",
                "Internal server error",
            ));
        }
        Some(FaultKind::Status503) => {
            return error_response(&RestError::new(
                503,
                "QUERY_LIMIT_EXCEEDED",
                "Too many requests",
            ));
        }
        Some(FaultKind::Drop) => return dropped(),
        Some(FaultKind::Garbage) => {
            return (StatusCode::OK, "<html><body>502 Bad Gateway</body></html>").into_response();
        }
        Some(FaultKind::Truncate) => {
            return json_response(200, &json!("placeholder"), None)
                .map(|_| Body::from("{\"result\":[{\"ID\":\"1\""));
        }
        _ => {}
    }
    let path = uri.path().trim_start_matches("/rest/");
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (hook, method) = match segments.as_slice() {
        [method] => (None, *method),
        [user, code, method] => (Some((*user, *code)), *method),
        _ => return error_response(&portal::not_found()),
    };
    let method = method
        .strip_suffix(".json")
        .unwrap_or(method)
        .to_ascii_lowercase();
    if !portal::is_method(&method) {
        return error_response(&portal::not_found());
    }
    let mut params = request_params(&uri, &headers, &body);
    let (caller, client_id) = match shared.authenticate(hook, &mut params) {
        Ok(c) => c,
        Err(e) => return error_response(&e),
    };
    // `start` is taken out before the handler sees the parameters (CRestServer::processCall).
    let start = php_int(params.remove("start").as_ref());
    let result = if method == "batch" {
        // The outer batch call is not charged operating time (its commands are), and
        // its `time` block has no operating fields (batch.md's example replies).
        shared.batch(&caller, &params).map(|o| (o, None))
    } else {
        shared
            .execute(&caller, &method, &params, start)
            .map(|(o, operating)| (o, Some(operating)))
    };
    let (outcome, operating) = match result {
        Ok(r) => r,
        Err(e) => return error_response(&e),
    };
    match fault {
        Some(FaultKind::DropAfterCommit) => return dropped(),
        Some(FaultKind::Status500AfterCommit) => {
            return error_response(&RestError::new(
                500,
                "INTERNAL_SERVER_ERROR",
                "Internal server error",
            ));
        }
        _ => {}
    }
    let mut envelope = Map::new();
    envelope.insert("result".into(), outcome.result);
    if let Some(next) = outcome.next {
        envelope.insert("next".into(), json!(next));
    }
    if let Some(total) = outcome.total {
        envelope.insert("total".into(), json!(total));
    }
    let finished = portal::now_f64();
    envelope.insert(
        "time".into(),
        portal::time_block(started, finished, operating),
    );
    let mut response = json_response(200, &Value::Object(envelope), client_id.as_deref());
    if let Ok(v) = HeaderValue::from_str(&format!("{:.10}", finished - started)) {
        response.headers_mut().insert("X-Bitrix-Rest-Time", v);
    }
    response
}

async fn oauth_token(
    AxumState(shared): AxumState<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = request_params(&uri, &headers, &body);
    let get = |k: &str| {
        params
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let fail = |status: u16, code: &str, description: &str| {
        json_response(
            status,
            &json!({"error": code, "error_description": description}),
            None,
        )
    };
    if get("grant_type") != "refresh_token" {
        return fail(
            400,
            "invalid_request",
            "Only grant_type=refresh_token is supported here",
        );
    }
    let Some(app) = shared
        .apps
        .iter()
        .find(|a| a.client_id == get("client_id") && a.client_secret == get("client_secret"))
    else {
        return fail(401, "invalid_client", "Invalid client credentials");
    };
    let access = shared.new_token();
    let refresh = shared.new_token();
    {
        let mut state = lock(&shared.state);
        let Ok(_file) = shared.sync(&mut state) else {
            return fail(500, "server_error", "Cannot load state");
        };
        let current = state.refresh_tokens.get(&app.client_id);
        if current.is_none_or(|c| *c != get("refresh_token")) {
            return fail(400, "invalid_grant", "Invalid refresh token");
        }
        // Rotation: the old refresh token stops working at once.
        state
            .refresh_tokens
            .insert(app.client_id.clone(), refresh.clone());
        if shared.save(&state).is_err() {
            return fail(500, "server_error", "Cannot save state");
        }
    }
    lock(&shared.tokens).insert(
        access.clone(),
        Token {
            client_id: app.client_id.clone(),
            expires: Some(Instant::now() + shared.token_lifetime),
        },
    );
    let lifetime = shared.token_lifetime.as_secs();
    let now = unix_ceil(portal::now_f64());
    json_response(
        200,
        &json!({
            "access_token": access,
            "expires": now + i64::try_from(lifetime).unwrap_or(i64::MAX / 2),
            "expires_in": lifetime,
            "scope": "bizproc",
            "domain": shared.addr.to_string(),
            "server_endpoint": format!("http://{}/oauth/rest/", shared.addr),
            "status": "L",
            "client_endpoint": format!("http://{}/rest/", shared.addr),
            "member_id": "local",
            "user_id": app.user_id,
            "refresh_token": refresh,
        }),
        None,
    )
}

fn internal() -> RestError {
    RestError::new(500, "INTERNAL_SERVER_ERROR", "Internal server error")
}
