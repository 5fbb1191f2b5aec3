//! Runner workflows as operations: which lockfiles hold one, the event bindings they
//! need compared with the portal's, reconciling them, and one runner pass.
//!
//! Only b24flow's own bindings are touched: `event.get` lists the calling
//! application's bindings only, and of those only offline bindings of the events runner
//! workflows use ([`RUNNER_EVENTS`]) are ever unbound. Bindings are made with the
//! `auth_connector` [`CONNECTOR`], and the runner's own writes carry it, so a change
//! the runner makes records no event for it (offline-events.md, "How to avoid cycles").

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
    #[error(transparent)]
    #[diagnostic(transparent)]
    Project(#[from] crate::project::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lockfile(#[from] crate::lockfile::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rest(#[from] super::Rest),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Run(#[from] crate::runner::run::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Store(#[from] crate::runner::store::Error),
}

impl From<crate::bitrix::Error> for Error {
    fn from(e: crate::bitrix::Error) -> Error {
        Error::Rest(super::Rest(e))
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

/// The offline bindings to add and to remove.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Bindings {
    /// Events a workflow needs that are not bound.
    pub missing: Vec<String>,
    /// b24flow's offline bindings no workflow needs any more.
    pub extra: Vec<String>,
}

impl Bindings {
    /// Whether nothing needs changing.
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Compares the events `workflows` need with the application's offline bindings.
pub async fn bindings(portal: &Portal, workflows: &[Workflow]) -> Result<Bindings, Error> {
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
    let mut bound: Vec<String> = reply
        .result
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["offline"].as_u64() == Some(1) || b["offline"] == "1")
        .filter_map(|b| b["event"].as_str().map(str::to_ascii_uppercase))
        .collect();
    bound.sort();
    bound.dedup();
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
    })
}

/// Binds what is missing and unbinds what is extra.
pub async fn reconcile(portal: &Portal, diff: &Bindings) -> Result<(), Error> {
    for event in &diff.missing {
        portal
            .client
            .call_with(
                Method::EventBind,
                serde_json::json!({"event": event, "event_type": "offline", "auth_connector": CONNECTOR}),
                Idempotency::Safe,
            )
            .await?;
    }
    for event in &diff.extra {
        portal
            .client
            .call_with(
                Method::EventUnbind,
                serde_json::json!({"event": event, "event_type": "offline"}),
                Idempotency::Safe,
            )
            .await?;
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
