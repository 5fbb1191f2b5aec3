//! The apply session: the project's lock and journal held around the apply engine
//! ([`crate::apply::apply`]), for the whole plan (`b24flow apply`) or for one workflow
//! (the builder's create).
//!
//! Invariants: nothing is written to the portal without the lock; the lock is released
//! when the session ends, whether the writes succeeded or not; every write goes to the
//! journal under `.b24flow/`, scrubbed of the client's and the environment's secrets.
//! [`run_checked`] never applies the plan it was given: under the lock it computes a
//! fresh plan from the lockfiles and the portal, refuses when the fresh plan's
//! [`digest`](crate::plan::Plan::digest) differs from the given one's (another apply ran
//! in between, or a saved plan file was edited), re-counts deletions against the guard,
//! and applies the fresh plan. A plan file therefore cannot make apply upload a template
//! no lockfile holds or delete a template b24flow does not manage.

use serde::Serialize;

use super::Error;
use crate::apply::{self, ApplyOptions, Journal, Lock, Outcome, Report};
use crate::plan::Plan;
use crate::portal::Portal;
use crate::project::Project;
use crate::state::StateDir;

/// How to run the session.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Batching and pauses, for the engine.
    pub engine: ApplyOptions,
    /// Remove a lock left behind by an apply that no longer runs.
    pub break_lock: bool,
    /// The commit to record in the marker of every template the session writes
    /// ([`Plan::stamp_commit`]). It is stamped on the fresh plan after the digest
    /// check, so a commit never makes a reviewed plan look stale.
    pub commit: Option<String>,
}

/// What the session did.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    /// One outcome per planned change, in plan order, and the rounds of writes.
    pub report: Report,
    /// REST requests the session sent (retries included).
    pub calls: u64,
}

impl Applied {
    /// Whether every change was carried out and the portal's state is known.
    pub fn complete(&self) -> bool {
        self.report.complete()
    }
}

/// Takes the project's apply lock for `portal`; every writer to a portal holds it.
pub fn lock(state: &StateDir, portal: &Portal, break_lock: bool) -> Result<Lock, Error> {
    Ok(Lock::acquire(
        &state.apply_lock(),
        &portal.label,
        break_lock,
    )?)
}

/// Takes the lock, carries `plan` out against `portal`, journalling every write, and
/// releases the lock. `on_outcome` hears of each change as it settles (for progress).
/// Fails only when the lock cannot be taken: a failed write is an outcome in the report.
pub async fn run(
    state: &StateDir,
    portal: &Portal,
    plan: &Plan,
    options: Options,
    on_outcome: &(dyn Fn(&Outcome) + Sync),
) -> Result<Applied, Error> {
    let lock = lock(state, portal, options.break_lock)?;
    Ok(run_locked(&lock, state, portal, plan, options, on_outcome).await)
}

/// Carries `plan` out while the caller holds `_lock` (taken with [`lock`]).
pub async fn run_locked(
    _lock: &Lock,
    state: &StateDir,
    portal: &Portal,
    plan: &Plan,
    options: Options,
    on_outcome: &(dyn Fn(&Outcome) + Sync),
) -> Applied {
    let mut scrubber = portal.client.scrubber();
    scrubber.extend(&portal.secrets);
    let journal = Journal::open(state.journal(), &portal.label, scrubber);
    let before = portal.client.stats().requests;
    let report = apply::apply(
        &portal.client,
        portal,
        plan,
        &journal,
        options.engine,
        on_outcome,
    )
    .await;
    Applied {
        report,
        calls: portal.client.stats().requests - before,
    }
}

/// `b24flow apply`: takes the lock, then re-plans from the lockfiles and the portal and
/// applies only if the fresh plan is the one shown or saved (`plan`), with deletions
/// re-counted against `allow_deletes` or `[policy] max_deletes`.
pub async fn run_checked(
    project: &Project,
    portal: &Portal,
    plan: &Plan,
    allow_deletes: Option<u32>,
    options: Options,
    on_outcome: &(dyn Fn(&Outcome) + Sync),
) -> Result<Applied, Error> {
    let state = project.state();
    let lock = lock(&state, portal, options.break_lock)?;
    // A targeted plan (`plan ID…`) is checked against a fresh plan of the same targets.
    let fresh = if plan.targets.is_empty() {
        let wanted = super::plan::wanted(project)?;
        super::plan::compute(portal, &wanted).await?
    } else {
        let wanted = super::target::wanted(project, &plan.targets)?;
        super::plan::compute_targeted(portal, &wanted, &plan.targets).await?
    };
    if fresh.digest() != plan.digest() {
        return Err(Error::StalePlan {
            what: "the portal or the lockfiles",
            problems: Vec::new(),
        });
    }
    super::plan::check_deletes(&fresh, &project.config, allow_deletes)?;
    let mut fresh = fresh;
    if let Some(commit) = &options.commit {
        fresh.stamp_commit(commit);
    }
    Ok(run_locked(&lock, &state, portal, &fresh, options, on_outcome).await)
}
