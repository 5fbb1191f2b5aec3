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
    /// The ids of workflows whose template differs, in plan order, then those whose
    /// user field is missing.
    pub drifted: Vec<String>,
    /// The user fields the templates need that the portal lacks.
    pub missing_fields: Vec<String>,
}

/// Compares the portal with `wanted`.
pub async fn check(portal: &Portal, wanted: &Wanted) -> Result<Drift, Error> {
    Ok(Drift::of(compute(portal, wanted).await?))
}

impl Drift {
    /// The drift a computed plan shows.
    pub fn of(plan: Plan) -> Drift {
        let mut drifted: Vec<String> = plan
            .changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| c.id.clone())
            .collect();
        for f in &plan.fields {
            for w in &f.workflows {
                if !drifted.contains(w) {
                    drifted.push(w.clone());
                }
            }
        }
        let missing_fields = plan.fields.iter().map(|f| f.field_name.clone()).collect();
        Drift {
            plan,
            drifted,
            missing_fields,
        }
    }
}
