//! Retiring templates: what happens to a template the plan deletes or replaces while
//! instances of it still run.
//!
//! Bitrix24 refuses to delete a template while any instance of it runs
//! (`CBPWorkflowTemplateLoader::delete` throws `BPCGWTL_CANT_DELETE` when a
//! `WorkflowInstanceTable` row names it), and `invoice_overdue`'s instances wait for
//! days. So apply, by default, turns such a template's auto-start off (no new instance
//! starts; the running ones go on, each with the template it started with) and marks
//! it *retiring*; a later apply deletes it once nothing runs.
//!
//! The retiring state is kept in the portal, not in local files, so an apply from
//! another machine (or CI) sees it: the description carries the line [`RETIRING_LINE`]
//! just above the ownership marker. A retiring template is managed like any other (the
//! marker is unchanged), but it is never the one a workflow keeps while another copy
//! exists, and the portal never holds two auto-starting copies of a workflow: a
//! replace retires the old template before it creates the new one, in one apply.
//!
//! Invariant: a template is retiring exactly when its description has the line; it is
//! *settled* when, besides, its auto-start is off, so apply has nothing to write.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Live;
pub use crate::bitrix::RunningInstance;

/// The line a retiring template's description carries above its marker.
pub const RETIRING_LINE: &str = "Retiring: b24flow turned auto-start off and deletes this template once its running instances finish.";

/// Whether a live description marks its template as retiring.
pub fn is_retiring(description: &str) -> bool {
    description.lines().any(|l| l == RETIRING_LINE)
}

/// `description` with the retiring line just above its last line (the marker).
pub fn retiring(description: &str) -> String {
    if is_retiring(description) {
        return description.to_owned();
    }
    match description.rfind('\n') {
        Some(i) => format!(
            "{}\n{RETIRING_LINE}\n{}",
            &description[..i],
            &description[i + 1..]
        ),
        None => format!("{RETIRING_LINE}\n{description}"),
    }
}

/// Whether a live template is retiring with its auto-start already off: nothing to
/// write until its instances are gone.
pub(super) fn settled(l: &Live) -> bool {
    is_retiring(&l.description) && l.auto_execute == 0
}

/// What apply does with a template it deletes or replaces.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Disposal {
    /// Nothing runs: delete it now (for a replace, then create the new one).
    DeleteNow,
    /// Instances run: turn auto-start off and mark it retiring (for a replace, then
    /// create the new one); a later apply deletes it.
    Retire,
    /// Already retiring and instances still run: nothing to write yet (for a replace,
    /// only the new one is created).
    StillRetiring,
}

impl Disposal {
    /// The disposal of a template with `count` running instances that is (or is not)
    /// already [settled](settled) as retiring.
    pub fn of(count: usize, settled: bool) -> Disposal {
        match (count, settled) {
            (0, _) => Disposal::DeleteNow,
            (_, false) => Disposal::Retire,
            (_, true) => Disposal::StillRetiring,
        }
    }

    /// In words, for plan output.
    pub fn words(self) -> &'static str {
        match self {
            Disposal::DeleteNow => "no instance running: deleted now",
            Disposal::Retire => {
                "auto-start turned off and retired; deleted by a later apply once they finish (or `apply --terminate-running` ends them and deletes it now)"
            }
            Disposal::StillRetiring => {
                "already retiring (auto-start off); deleted by a later apply once they finish (or `apply --terminate-running`)"
            }
        }
    }
}

/// One running instance, as the plan shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Instance {
    /// The instance id (`bizproc.workflow.instances` `ID`).
    pub id: String,
    /// The document it runs on, e.g. `DEAL_12`.
    pub document_id: String,
}

/// A template's running instances and what apply does about them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Running {
    /// How many instances run.
    pub count: usize,
    /// Each of them, oldest first.
    pub instances: Vec<Instance>,
    /// What apply does with the template.
    pub then: Disposal,
}

impl Running {
    /// The running record of a template with `instances`, `settled` as retiring or not.
    pub fn new(instances: &[RunningInstance], settled: bool) -> Running {
        Running {
            count: instances.len(),
            instances: instances
                .iter()
                .map(|i| Instance {
                    id: i.id.clone(),
                    document_id: i.document_id.clone(),
                })
                .collect(),
            then: Disposal::of(instances.len(), settled),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{description, managed_id};

    #[test]
    fn the_retiring_line_sits_above_the_marker() {
        let d = description("workflows/a.txt", "When x", "sales/a", &"ab".repeat(32));
        assert!(!is_retiring(&d));
        let r = retiring(&d);
        assert!(is_retiring(&r));
        assert_eq!(managed_id(&r), Some("sales/a"));
        assert!(r.ends_with("[b24flow:sales/a@abababababab]"));
        assert_eq!(retiring(&r), r, "marking twice changes nothing");
        assert!(is_retiring(&retiring("[b24flow:x@abababababab]")));
    }

    #[test]
    fn disposal_follows_the_count_and_the_state() {
        assert_eq!(Disposal::of(0, true), Disposal::DeleteNow);
        assert_eq!(Disposal::of(2, false), Disposal::Retire);
        assert_eq!(Disposal::of(1, true), Disposal::StillRetiring);
    }
}
