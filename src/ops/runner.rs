//! Runner workflows as operations: which lockfiles hold one, the event bindings they
//! need compared with the portal's, reconciling them, and one runner pass.
//!
//! Only b24flow's own bindings are touched: `event.get` lists the calling
//! application's bindings only, and of those only offline bindings of the events runner
//! workflows use ([`RUNNER_EVENTS`]), and online bindings of those events to the
//! configured `[runner] handler_url`, are ever unbound. Bindings are made with the
//! `auth_connector` [`CONNECTOR`], and the runner's own writes carry it, so a change
//! the runner makes records no event for it (offline-events.md, "How to avoid cycles").
//!
//! With `handler_url` set, each event is bound twice: online, posting to `serve`'s
//! `POST /events` as it happens, and offline, queued for `b24flow run`; both reach the
//! same handler and state, so an event delivered both ways acts once, and one the
//! online delivery missed (serve down) is still in the queue.

use crate::bitrix::{Idempotency, Method};
use crate::lockfile::Lockfile;
use crate::portal::Portal;
use crate::project::Project;
use crate::runner::run::Workflow;

/// The `auth_connector` b24flow binds with and writes with.
pub const CONNECTOR: &str = "b24flow";

/// Every event a runner workflow can listen to.
pub const RUNNER_EVENTS: [&str; 4] = [
    "ONTASKADD",
    "ONTASKUPDATE",
    "ONCALENDARENTRYADD",
    "ONCRMACTIVITYADD",
];

/// Why a runner operation did not happen.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    /// Reading the project or calling the portal failed, as every operation says it.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Ops(#[from] super::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lockfile(#[from] crate::lockfile::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Run(#[from] crate::runner::run::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Store(#[from] crate::runner::store::Error),
}

impl From<crate::project::Error> for Error {
    fn from(e: crate::project::Error) -> Error {
        Error::Ops(e.into())
    }
}

impl From<crate::bitrix::Error> for Error {
    fn from(e: crate::bitrix::Error) -> Error {
        Error::Ops(e.into())
    }
}

/// The runner workflows of the project, by id.
pub fn workflows(project: &Project) -> Result<Vec<Workflow>, Error> {
    let mut out = Vec::new();
    for w in project.workflows()? {
        // An opaque workflow is a template, never a runner.
        if !w.lock_path.exists() || crate::opaque::is_opaque(&w.lock_path) {
            continue;
        }
        let loaded = Lockfile::read(&w.lock_path)?;
        if let Some(spec) = loaded.lockfile.runner {
            out.push(Workflow { id: w.id, spec });
        }
    }
    Ok(out)
}

/// The bindings to add and to remove.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Bindings {
    /// Events a workflow needs that are not bound offline.
    pub missing: Vec<String>,
    /// b24flow's offline bindings no workflow needs any more.
    pub extra: Vec<String>,
    /// The online handler (`[runner] handler_url`), when one is configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    /// Events a workflow needs that are not bound online to the handler.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_online: Vec<String>,
    /// Online bindings to the handler that no workflow needs any more.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra_online: Vec<String>,
}

impl Bindings {
    /// Whether nothing needs changing.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty()
            && self.extra.is_empty()
            && self.missing_online.is_empty()
            && self.extra_online.is_empty()
    }
}

/// Compares the events `workflows` need with the application's bindings: offline ones
/// always, online ones to `handler` when it is given.
pub async fn bindings(
    portal: &Portal,
    workflows: &[Workflow],
    handler: Option<&str>,
) -> Result<Bindings, Error> {
    let mut wanted: Vec<String> = workflows
        .iter()
        .flat_map(|w| w.spec.events.iter().cloned())
        .collect();
    wanted.sort();
    wanted.dedup();
    // No runner workflow: nothing to ask. `event.get` needs application context, so a
    // webhook-only setup (plan, drift) keeps working when no workflow needs events.
    if wanted.is_empty() {
        return Ok(Bindings::default());
    }
    let reply = portal
        .client
        .call(Method::EventGet, serde_json::json!({}))
        .await?;
    let rows: Vec<&serde_json::Value> = reply.result.as_array().into_iter().flatten().collect();
    let offline = |b: &serde_json::Value| b["offline"].as_u64() == Some(1) || b["offline"] == "1";
    let events = |keep: &dyn Fn(&serde_json::Value) -> bool| {
        let mut out: Vec<String> = rows
            .iter()
            .filter(|b| keep(b))
            .filter_map(|b| b["event"].as_str().map(str::to_ascii_uppercase))
            .collect();
        out.sort();
        out.dedup();
        out
    };
    let bound = events(&|b| offline(b));
    let (missing_online, extra_online) = match handler {
        Some(h) => {
            let online = events(&|b| !offline(b) && b["handler"].as_str() == Some(h));
            (
                wanted
                    .iter()
                    .filter(|e| !online.contains(e))
                    .cloned()
                    .collect(),
                online
                    .into_iter()
                    .filter(|e| RUNNER_EVENTS.contains(&e.as_str()) && !wanted.contains(e))
                    .collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    Ok(Bindings {
        missing: wanted
            .iter()
            .filter(|e| !bound.contains(e))
            .cloned()
            .collect(),
        extra: bound
            .into_iter()
            .filter(|e| RUNNER_EVENTS.contains(&e.as_str()) && !wanted.contains(e))
            .collect(),
        handler: handler.map(str::to_owned),
        missing_online,
        extra_online,
    })
}

/// Binds what is missing and unbinds what is extra.
pub async fn reconcile(portal: &Portal, diff: &Bindings) -> Result<(), Error> {
    let call = |params: serde_json::Value, method: Method| async move {
        portal
            .client
            .call_with(method, params, Idempotency::Safe)
            .await
            .map(|_| ())
    };
    for event in &diff.missing {
        call(
            serde_json::json!({"event": event, "event_type": "offline", "auth_connector": CONNECTOR}),
            Method::EventBind,
        )
        .await?;
    }
    for event in &diff.extra {
        call(
            serde_json::json!({"event": event, "event_type": "offline"}),
            Method::EventUnbind,
        )
        .await?;
    }
    if let Some(handler) = &diff.handler {
        // Without `event_type` a binding is online: the platform posts the event to
        // `handler` (api-reference/events/event-bind.md).
        for event in &diff.missing_online {
            call(
                serde_json::json!({"event": event, "handler": handler, "auth_connector": CONNECTOR}),
                Method::EventBind,
            )
            .await?;
        }
        for event in &diff.extra_online {
            call(
                serde_json::json!({"event": event, "handler": handler}),
                Method::EventUnbind,
            )
            .await?;
        }
    }
    Ok(())
}

/// One runner pass against `portal`, with the state in the project's `.b24flow/`
/// (or `state`).
pub async fn run_once(
    portal: &Portal,
    workflows: &[Workflow],
    state: &std::path::Path,
) -> Result<crate::runner::run::Report, Error> {
    let store = crate::runner::store::Store::open(state)?;
    Ok(crate::runner::run::once(&portal.client, &store, workflows).await?)
}
