//! The drift check: which workflows differ from the portal. Read-only: a plan computed
//! and not applied.

use super::Error;
use super::plan::{Wanted, compute};
use crate::plan::{Action, Plan};
use crate::portal::Portal;

/// A plan and the workflows it would change.
#[derive(Debug)]
pub struct Drift {
    pub plan: Plan,
    /// The ids of workflows whose template differs, in plan order.
    pub drifted: Vec<String>,
}

/// Compares the portal with `wanted`.
pub async fn check(portal: &Portal, wanted: &Wanted) -> Result<Drift, Error> {
    Ok(Drift::of(compute(portal, wanted).await?))
}

impl Drift {
    /// The drift a computed plan shows.
    pub fn of(plan: Plan) -> Drift {
        let drifted = plan
            .changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| c.id.clone())
            .collect();
        Drift { plan, drifted }
    }
}
