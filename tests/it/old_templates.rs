//! Templates as b24flow built them before the platform-fidelity fixes (issue 12), for
//! tests that show a defect on the executing local portal and then its fix.
//!
//! The transition triggers (deal_won and the others) used to guard their actions with
//! the `modified` operator: a branch `STAGE_SEMANTIC_ID = S` and `STAGE_ID modified`,
//! then an empty "Otherwise" branch. `modified_guard` rebuilds that shape around any
//! action so each test names only what the old template did.

use b24flow::bizproc::php::Value as Php;
use b24flow::bizproc::{Activity, Template};

/// One `fieldcondition` row: field, operator, value, joiner `0` (and).
pub(crate) fn row(field: &str, op: &str, value: &str) -> Php {
    Php::list([Php::str(field), Php::str(op), Php::str(value), Php::Int(0)])
}

/// Appends the old deal_won guard to `t`: `action` runs when the deal is won and its
/// stage is in the changed-field list.
pub(crate) fn modified_guard(t: &mut Template, action: Activity) {
    let then = Activity::new("IfElseBranchActivity", "B1")
        .with("Title", Php::str("Conditions met"))
        .with(
            "fieldcondition",
            Php::list([
                row("STAGE_SEMANTIC_ID", "=", "S"),
                row("STAGE_ID", "modified", ""),
            ]),
        )
        .child(action);
    let otherwise = Activity::new("IfElseBranchActivity", "B2")
        .with("Title", Php::str("Otherwise"))
        .with("truecondition", Php::Bool(true));
    t.root.children.push(
        Activity::new("IfElseActivity", "C1")
            .with("Title", Php::str("Check conditions"))
            .child(then)
            .child(otherwise),
    );
}
