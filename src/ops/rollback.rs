//! Rolling back (`b24flow rollback --to GIT_REF [ID…]`): the portal as the lockfiles
//! were at an earlier commit.
//!
//! The specs and lockfiles are read from git (`git ls-tree`, `git show`); the working
//! tree is never touched, so after a rollback the portal differs from the working tree
//! until it is reverted there too (the next `plan` says so). The templates are built
//! with today's b24flow and `b24flow.toml`, and planned like any plan: the same
//! protection and deletion guard, the same confirmation, and every write journalled,
//! each line carrying `rollback to <ref> (<commit>)`.
//!
//! Invariants: a ref that does not name a commit, or a commit without lockfiles (or
//! without any for the given targets), is an error before the portal is read; a
//! lockfile at the ref that does not build refuses the whole rollback. Git is run with
//! fixed arguments and the ref after a check, never through a shell.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::plan::Wanted;
use super::target::matches_any;
use crate::apply::{self, Journal, Lock};
use crate::build::build_loaded;
use crate::lockfile::{self, Loaded, Lockfile};
use crate::plan::{self, Plan};
use crate::portal::Portal;
use crate::project::{LOCK_EXT, Project, SPEC_EXT, WORKFLOWS_DIR, Workflow};
use crate::state::StateDir;

/// Why a rollback cannot be planned. Nothing was written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("`{git_ref}` is not a commit in this repository: {message}")]
    #[diagnostic(
        code(b24flow::rollback::bad_ref),
        help(
            "give a commit, tag or branch, e.g. `--to HEAD~1` or `--to v1.2`; `git log -- workflows/` lists the candidates"
        )
    )]
    BadRef { git_ref: String, message: String },
    #[error("commit {commit} (`{git_ref}`) has no lockfiles{}", if *targeted { " for these targets" } else { "" })]
    #[diagnostic(
        code(b24flow::rollback::no_lockfiles),
        help(
            "roll back to a commit where the workflows were compiled: `git log -- 'workflows/*.lock.yaml'`"
        )
    )]
    NoLockfiles {
        git_ref: String,
        commit: String,
        targeted: bool,
    },
    #[error("cannot run git: {0}")]
    #[diagnostic(
        code(b24flow::rollback::git),
        help(
            "rollback reads the lockfiles from git; install git and run it inside the repository"
        )
    )]
    Git(String),
}

/// The desired templates at a commit.
#[derive(Debug)]
pub struct AtRef {
    /// The ref as given.
    pub git_ref: String,
    /// The commit it names (full hash).
    pub commit: String,
    pub wanted: Wanted,
}

impl AtRef {
    /// `rollback to <ref> (<short commit>)`: what the journal and the plan say.
    pub fn context(&self) -> String {
        format!(
            "rollback to {} ({})",
            self.git_ref,
            &self.commit[..12.min(self.commit.len())]
        )
    }
}

fn git(root: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, Error> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| Error::Git(e.to_string()))?;
    Ok(if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    })
}

/// Reads and builds the lockfiles (of the workflows matching `targets`, or all) at
/// `git_ref`.
pub fn wanted_at(
    project: &Project,
    git_ref: &str,
    targets: &[String],
) -> Result<AtRef, super::Error> {
    let bad_ref = |message: String| Error::BadRef {
        git_ref: git_ref.to_owned(),
        message,
    };
    // A ref is never an option, whatever it looks like.
    if git_ref.is_empty() || git_ref.starts_with('-') {
        return Err(bad_ref("not a ref".into()).into());
    }
    let spec = format!("{git_ref}^{{commit}}");
    let commit =
        git(&project.root, &["rev-parse", "--verify", "--quiet", &spec])?.map_err(|e| {
            bad_ref(if e.is_empty() {
                "unknown revision".into()
            } else {
                e
            })
        })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_owned();
    if commit.is_empty() {
        return Err(bad_ref("unknown revision".into()).into());
    }
    // Paths are listed relative to the project root (the current folder of git).
    let listed = git(
        &project.root,
        &[
            "ls-tree",
            "-r",
            "-z",
            "--name-only",
            &commit,
            "--",
            WORKFLOWS_DIR,
        ],
    )?
    .map_err(Error::Git)?;
    let mut locks: Vec<String> = listed
        .split(|b| *b == 0)
        .filter_map(|p| std::str::from_utf8(p).ok())
        .filter(|p| p.ends_with(LOCK_EXT))
        .map(str::to_owned)
        .collect();
    locks.sort();
    let mut templates = Vec::new();
    let mut warnings = Vec::new();
    let mut fields = Vec::new();
    let mut problems = Vec::new();
    for lock_rel in locks {
        let Some(id) = lock_rel
            .strip_prefix(&format!("{WORKFLOWS_DIR}/"))
            .and_then(|r| r.strip_suffix(LOCK_EXT))
            .map(str::to_owned)
        else {
            continue;
        };
        if !targets.is_empty() && !matches_any(targets, &id) {
            continue;
        }
        let spec_rel = format!("{WORKFLOWS_DIR}/{id}{SPEC_EXT}");
        let w = Workflow {
            id: id.clone(),
            spec_path: project.root.join(&spec_rel),
            lock_path: project.root.join(&lock_rel),
            spec_rel,
        };
        match read_at(project, &commit, &w, &lock_rel) {
            Ok((text, loaded)) => match build_loaded(project, &w, &text, &loaded) {
                Ok(built) => {
                    warnings.extend(built.warnings);
                    fields.extend(
                        built
                            .required_fields
                            .into_iter()
                            .map(|f| (built.desired.id.clone(), f)),
                    );
                    templates.push(built.desired);
                }
                Err(mut errors) => problems.append(&mut errors),
            },
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(super::Error::InvalidLockfiles {
            count: problems.len(),
            problems,
        });
    }
    if templates.is_empty() {
        return Err(Error::NoLockfiles {
            git_ref: git_ref.to_owned(),
            commit,
            targeted: !targets.is_empty(),
        }
        .into());
    }
    templates.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(AtRef {
        git_ref: git_ref.to_owned(),
        commit,
        wanted: Wanted {
            templates,
            warnings,
            fields,
        },
    })
}

/// One workflow's spec text and lockfile at `commit`.
fn read_at(
    project: &Project,
    commit: &str,
    w: &Workflow,
    lock_rel: &str,
) -> Result<(String, Loaded), miette::Report> {
    let show = |rel: &str| -> Result<String, miette::Report> {
        let object = format!("{commit}:./{rel}");
        let bytes = git(&project.root, &["show", &object])
            .map_err(miette::Report::new)?
            .map_err(|e| {
                miette::miette!(
                    code = "b24flow::rollback::missing_file",
                    "{rel} is not in commit {}: {e}",
                    &commit[..12.min(commit.len())]
                )
            })?;
        if bytes.len() as u64 > lockfile::MAX_BYTES {
            return Err(miette::miette!(
                code = "b24flow::rollback::too_large",
                "{rel} at {commit} is too large"
            ));
        }
        String::from_utf8(bytes).map_err(|_| {
            miette::miette!(
                code = "b24flow::rollback::not_text",
                "{rel} at {commit} is not UTF-8 text"
            )
        })
    };
    let text = show(&w.spec_rel)?;
    let lock_text = show(lock_rel)?;
    let lockfile = Lockfile::parse(&lock_text, Path::new(lock_rel)).map_err(miette::Report::new)?;
    Ok((
        text,
        Loaded {
            path: PathBuf::from(&w.lock_path),
            text: lock_text,
            lockfile,
        },
    ))
}

/// The rollback plan: the portal (or the targeted workflows in it) back to `at`.
/// Every change's reason says it is a rollback.
pub async fn plan(portal: &Portal, at: &AtRef, targets: &[String]) -> Result<Plan, super::Error> {
    let mut plan = super::plan::compute_targeted(portal, &at.wanted, targets).await?;
    let context = at.context();
    for c in &mut plan.changes {
        if c.action != plan::Action::NoOp {
            c.reason = format!("{context}: {}", c.reason);
        }
    }
    Ok(plan)
}

/// Applies a rollback plan as `ops::apply::run` applies any plan (lock, journal),
/// each journal line recording the rollback.
pub async fn apply(
    state: &StateDir,
    portal: &Portal,
    plan: &Plan,
    at: &AtRef,
    options: super::apply::Options,
    on_outcome: &(dyn Fn(&apply::Outcome) + Sync),
) -> Result<super::apply::Applied, super::Error> {
    let _lock = Lock::acquire(&state.apply_lock(), &portal.label, options.break_lock)?;
    let mut scrubber = portal.client.scrubber();
    scrubber.extend(&portal.secrets);
    let journal =
        Journal::open(state.journal(), &portal.label, scrubber).with_context(at.context());
    let before = portal.client.stats().requests;
    let mut plan = plan.clone();
    if let Some(commit) = &options.commit {
        plan.stamp_commit(commit);
    }
    let report = apply::apply(
        &portal.client,
        portal,
        &plan,
        &journal,
        options.engine,
        on_outcome,
    )
    .await;
    Ok(super::apply::Applied {
        report,
        calls: portal.client.stats().requests - before,
    })
}
