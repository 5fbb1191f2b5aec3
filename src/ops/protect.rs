//! Protected workflows: `[policy] protect = ["deal-won", "billing/*"]`.
//!
//! A protected workflow's template is never destroyed or replaced by a plan, whatever
//! `--allow-deletes` says ([`check`]); a delete is not undoable in Bitrix24 (the
//! template's running instances go with it). Patterns are the globs of
//! [`super::target::glob_match`].
//!
//! Invariants: [`check`] runs on every plan before it is shown as appliable and again
//! before apply, saved or not. In `compile --check` ([`check_files`]), a protected id
//! written out in full (no `*` or `?`) whose spec is gone, or a protected lockfile left
//! without its spec, is an error: that is how a protected workflow's deletion reaches
//! review. A glob that matches no workflow is only a warning (it may be for workflows
//! still to come).

use crate::config::Config;
use crate::plan::{Action, Plan};
use crate::project::{LOCK_EXT, Project, WORKFLOWS_DIR};

use super::target::{glob_match, matches_any};

/// A plan that would destroy or replace a protected workflow.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the plan would destroy or replace protected workflow(s): {}; nothing was applied", ids.join(", "))]
#[diagnostic(
    code(b24flow::policy::protected),
    help(
        "[policy] protect in b24flow.toml forbids it and --allow-deletes does not override it; restore the spec, or take the workflow out of `protect` in a reviewed change first"
    )
)]
pub struct Protected {
    /// The protected workflow ids the plan would destroy or replace, sorted.
    pub ids: Vec<String>,
}

/// Refuses `plan` when it destroys or replaces a protected workflow.
pub fn check(plan: &Plan, config: &Config) -> Result<(), Protected> {
    let mut ids: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| matches!(c.action, Action::Delete | Action::Replace))
        .filter(|c| matches_any(&config.policy.protect, &c.id))
        .map(|c| c.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        Ok(())
    } else {
        Err(Protected { ids })
    }
}

/// Warnings for the protect patterns that match none of `ids` (the project's workflows).
pub fn unmatched<'a>(config: &'a Config, ids: &[String]) -> Vec<&'a str> {
    config
        .policy
        .protect
        .iter()
        .filter(|p| !ids.iter().any(|id| glob_match(p, id)))
        .map(String::as_str)
        .collect()
}

/// A protect pattern that matches no workflow, as a warning.
pub fn unmatched_warning(pattern: &str) -> miette::Report {
    miette::miette!(
        severity = miette::Severity::Warning,
        code = "b24flow::policy::protect_unmatched",
        help = "check the pattern in [policy] protect: ids are spec paths under workflows/ without .txt",
        "[policy] protect `{pattern}` matches no workflow"
    )
}

/// What `compile --check` finds about protected workflows.
#[derive(Debug, Default)]
pub struct FileFindings {
    /// A protected workflow's spec was deleted.
    pub errors: Vec<miette::Report>,
    /// A glob that matches nothing.
    pub warnings: Vec<miette::Report>,
}

/// Checks the protect list against the files: a protected workflow must keep its spec.
pub fn check_files(project: &Project) -> Result<FileFindings, crate::project::Error> {
    let ids: Vec<String> = project.workflows()?.into_iter().map(|w| w.id).collect();
    let mut out = FileFindings::default();
    for pattern in unmatched(&project.config, &ids) {
        if pattern.contains(['*', '?']) {
            out.warnings.push(unmatched_warning(pattern));
        } else {
            out.errors.push(spec_deleted(pattern));
        }
    }
    for orphan in project.orphaned_lockfiles()? {
        let rel = project.relative(&orphan);
        let id = rel
            .strip_prefix(&format!("{WORKFLOWS_DIR}/"))
            .and_then(|r| r.strip_suffix(LOCK_EXT))
            .unwrap_or(&rel);
        // A literal pattern for it was already reported above.
        let literal = project.config.policy.protect.iter().any(|p| p == id);
        if !literal && matches_any(&project.config.policy.protect, id) {
            out.errors.push(spec_deleted(id));
        }
    }
    Ok(out)
}

fn spec_deleted(id: &str) -> miette::Report {
    miette::miette!(
        code = "b24flow::policy::protected_spec_deleted",
        help = "restore workflows/{id}.txt, or take `{id}` out of [policy] protect in the same reviewed change",
        "workflow `{id}` is protected ([policy] protect) but its spec is gone"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{self, Change};

    fn plan_of(changes: &[(&str, Action)]) -> Plan {
        let mut plan = plan::build("local", &[], &[]);
        plan.changes = changes
            .iter()
            .map(|(id, action)| Change::new(*id, *action, Some(1), *id, ""))
            .collect();
        plan
    }

    #[test]
    fn destroying_or_replacing_a_protected_workflow_is_refused() {
        let mut config = Config::default();
        config.policy.protect = vec!["deal-won".into(), "billing/*".into()];
        let ok = plan_of(&[("deal-won", Action::Update), ("lead", Action::Delete)]);
        assert!(check(&ok, &config).is_ok());
        let bad = plan_of(&[
            ("billing/overdue", Action::Replace),
            ("deal-won", Action::Delete),
        ]);
        assert_eq!(
            check(&bad, &config).unwrap_err().ids,
            ["billing/overdue", "deal-won"]
        );
        assert_eq!(unmatched(&config, &["deal-won".to_owned()]), ["billing/*"]);
    }
}
