//! The apply session: the project's lock and journal held around the apply engine
//! ([`crate::apply::apply`]), for the whole plan (`b24flow apply`) or for one workflow
//! (the builder's create).
//!
//! Invariants: nothing is written to the portal without the lock; the lock is released
//! when the session ends, whether the writes succeeded or not; every write goes to the
//! journal under `.b24flow/`.

use serde::Serialize;

use super::Error;
use crate::apply::{self, ApplyOptions, Journal, Lock, Outcome, Report};
use crate::plan::Plan;
use crate::portal::Portal;
use crate::state::StateDir;

/// How to run the session.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Batching and pauses, for the engine.
    pub engine: ApplyOptions,
    /// Remove a lock left behind by an apply that no longer runs.
    pub break_lock: bool,
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
    /// Whether every change was carried out.
    pub fn complete(&self) -> bool {
        self.report.failed() == 0
    }
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
    let _lock = Lock::acquire(&state.apply_lock(), &portal.label, options.break_lock)?;
    let journal = Journal::open(state.journal(), &portal.label);
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
    Ok(Applied {
        report,
        calls: portal.client.stats().requests - before,
    })
}
