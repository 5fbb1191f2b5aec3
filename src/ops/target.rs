//! Targets: `plan ID…` and `apply ID…` restrict a plan to some workflows.
//!
//! A target is a workflow id or a glob pattern over ids ([`glob_match`]). A targeted
//! plan builds only the targeted workflows and compares only their managed templates
//! (so a workflow outside the targets is neither updated nor deleted); unmanaged
//! templates are still counted. A target may name a workflow whose spec was deleted
//! and whose template is still in the portal: that template is planned for deletion.
//!
//! Invariants: every target matches at least one workflow or managed template, or the
//! plan is refused (a typo never plans nothing silently). A saved targeted plan records
//! its targets; `apply` then checks only the targeted lockfiles, and the fingerprint of
//! every managed template, so it applies exactly the workflows it was made for.

use super::plan::Wanted;
use crate::build::build_all;
use crate::plan::{self, Live, Plan, managed_id};
use crate::project::Project;

/// Targets that are not usable.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("`{pattern}` matches no workflow and no managed template; nothing was planned")]
    #[diagnostic(
        code(b24flow::plan::unknown_target),
        help(
            "targets are workflow ids (spec paths under workflows/ without .txt) or glob patterns: `*` stays within a folder, `**` crosses folders; see `b24flow list`"
        )
    )]
    NoMatch { pattern: String },
}

/// Whether the workflow `id` matches the glob `pattern`: `*` is any run of characters
/// within a folder, `**` any run across folders, `?` one character other than `/`;
/// everything else matches itself.
pub fn glob_match(pattern: &str, id: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p {
            [] => s.is_empty(),
            ['*', '*', rest @ ..] => (0..=s.len()).any(|i| go(rest, &s[i..])),
            ['*', rest @ ..] => (0..=s.len())
                .take_while(|&i| i == 0 || s[i - 1] != '/')
                .any(|i| go(rest, &s[i..])),
            ['?', rest @ ..] => s.first().is_some_and(|&c| c != '/') && go(rest, &s[1..]),
            [c, rest @ ..] => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = id.chars().collect();
    go(&p, &s)
}

/// Whether `id` matches any of `patterns`.
pub fn matches_any(patterns: &[String], id: &str) -> bool {
    patterns.iter().any(|p| glob_match(p, id))
}

/// The desired templates of the targeted workflows only (the others are not built, so
/// a problem in one of them does not block this plan).
pub fn wanted(project: &Project, targets: &[String]) -> Result<Wanted, super::Error> {
    let ids: Vec<String> = project
        .workflows()?
        .into_iter()
        .map(|w| w.id)
        .filter(|id| matches_any(targets, id))
        .collect();
    if ids.is_empty() {
        // `build_all` reads an empty list as "every workflow".
        return Ok(Wanted {
            templates: Vec::new(),
            warnings: Vec::new(),
            fields: Vec::new(),
        });
    }
    Wanted::from_build(build_all(project, &ids)?)
}

/// The plan of the targeted workflows against `live` (every template the portal has).
/// Refuses a target that matches nothing.
pub fn plan(
    label: &str,
    wanted: &Wanted,
    live: &[Live],
    targets: &[String],
) -> Result<Plan, Error> {
    let kept: Vec<Live> = live
        .iter()
        .filter(|l| managed_id(&l.description).is_none_or(|id| matches_any(targets, id)))
        .cloned()
        .collect();
    for pattern in targets {
        let hit = wanted.templates.iter().any(|d| glob_match(pattern, &d.id))
            || kept
                .iter()
                .filter_map(|l| managed_id(&l.description))
                .any(|id| glob_match(pattern, id));
        if !hit {
            return Err(Error::NoMatch {
                pattern: pattern.clone(),
            });
        }
    }
    let mut plan = plan::build(label, &wanted.templates, &kept);
    // The saved plan is checked against every managed template, not only the targeted
    // ones: any change in the portal makes it stale, as an untargeted plan would be.
    plan.live_fingerprint = plan::live_fingerprint(live);
    plan.targets = targets.to_vec();
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_stay_in_a_folder_unless_doubled() {
        assert!(glob_match("deal-won", "deal-won"));
        assert!(!glob_match("deal-won", "deal-won-2"));
        assert!(glob_match("deal-*", "deal-won"));
        assert!(glob_match("billing/*", "billing/overdue"));
        assert!(!glob_match("billing/*", "billing/eu/overdue"));
        assert!(glob_match("billing/**", "billing/eu/overdue"));
        assert!(!glob_match("*", "billing/overdue"));
        assert!(glob_match("**", "billing/overdue"));
        assert!(glob_match("lead-?", "lead-1"));
        assert!(!glob_match("lead-?", "lead-"));
        assert!(glob_match("*-won", "deal-won"));
        assert!(glob_match("sales/*-won", "sales/deal-won"));
    }
}
