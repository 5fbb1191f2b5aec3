//! The builder's create: a blueprint becomes a spec and a lockfile under `workflows/`,
//! and its one template is applied to the portal.
//!
//! [`draft`] decides the id and builds the template with nothing written; [`create`]
//! then lists the portal, writes the two files, and applies the plan for that one
//! workflow in an apply session ([`super::apply`]). The other managed templates are
//! left out of that plan, so they are neither compared nor deleted.
//!
//! Invariants: an id never names a path outside `workflows/` (lowercase words joined by
//! `-`); an existing spec or lockfile is never overwritten; the portal must answer
//! before anything is written, so a refused request leaves no files behind; once the
//! files are written they stay (git is the source of truth) and errors say so.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Problem, apply};
use crate::apply::{Failure, LockError, Outcome};
use crate::blueprint::Blueprint;
use crate::build::{self, Built};
use crate::lockfile::{self, Loaded, ParserStamp};
use crate::plan::{self, Action, Live, Plan, managed_id};
use crate::portal::Portal;
use crate::project::{Project, Workflow};

/// `POST /create-workflow`, `POST /workflow`: what was created.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Created {
    pub id: String,
    pub name: String,
    /// Files written, relative to the project root: commit them.
    pub files_written: Vec<String>,
    /// Where it was applied: a portal URL or `local`.
    pub portal: String,
    /// `create`, `update` or `no_op`.
    pub action: String,
    /// The portal's template id.
    pub template_id: Option<u64>,
    pub blueprint: Blueprint,
}

/// Why a workflow was not created.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error(
        "`{id}` is not a workflow id: use lowercase letters, digits and single dashes, at most 64 characters"
    )]
    #[diagnostic(code(b24flow::create::bad_id))]
    BadId { id: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Path(crate::project::Error),
    #[error("{spec_rel} already exists; edit it and run `b24flow compile`, or choose another id")]
    #[diagnostic(code(b24flow::create::exists))]
    Exists { spec_rel: String },
    #[error("every id from `{base}` to `{base}-999` is taken; pass an id")]
    #[diagnostic(code(b24flow::create::ids_taken))]
    IdsTaken { base: String },
    #[error("the workflow cannot become a Bitrix24 template; nothing was written")]
    #[diagnostic(code(b24flow::create::invalid))]
    Invalid { problems: Vec<Problem> },
    #[error("cannot write {path}: {error}")]
    #[diagnostic(code(b24flow::create::io))]
    Write { path: String, error: std::io::Error },
    #[error("{lock}")]
    #[diagnostic(code(b24flow::create::locked))]
    Locked {
        lock: LockError,
        /// Written before the lock was refused; they stay.
        files_written: Vec<String>,
    },
    #[error("the portal refused the template: {error}")]
    #[diagnostic(code(b24flow::create::apply_failed))]
    ApplyFailed {
        error: Failure,
        /// Written before the portal refused; they stay.
        files_written: Vec<String>,
    },
}

impl Error {
    /// The files already written, when the error came after writing them.
    pub fn files_written(&self) -> &[String] {
        match self {
            Error::Locked { files_written, .. } | Error::ApplyFailed { files_written, .. } => {
                files_written
            }
            _ => &[],
        }
    }
}

/// The lockfile and template a workflow would get, nothing written.
#[derive(Debug)]
pub struct Prepared {
    pub loaded: Loaded,
    pub built: Built,
}

/// A workflow ready to be created: its id and files decided, its template built.
#[derive(Debug)]
pub struct Draft {
    pub workflow: Workflow,
    /// The spec text.
    pub text: String,
    /// Normalized.
    pub blueprint: Blueprint,
    pub prepared: Prepared,
}

/// Builds the lockfile and template `blueprint` would get as workflow `workflow`.
/// Returns every problem when it cannot become a template.
pub fn prepare(
    project: &Project,
    workflow: &Workflow,
    text: &str,
    blueprint: Blueprint,
    stamp: &ParserStamp,
) -> Result<Prepared, Vec<Problem>> {
    let lock = crate::compile::lockfile_for(
        project,
        workflow,
        text,
        blueprint,
        stamp,
        lockfile::Options::default(),
    )?;
    let loaded = Loaded {
        path: workflow.lock_path.clone(),
        text: lock.to_yaml(&project.schema_ref(&workflow.lock_path)),
        lockfile: lock,
    };
    let built = build::build_loaded(project, workflow, text, &loaded)?;
    Ok(Prepared { loaded, built })
}

/// The id to create: `requested` if it is a valid id, else a free one from `name`.
pub fn choose_id(project: &Project, requested: Option<&str>, name: &str) -> Result<String, Error> {
    match requested {
        Some(id) => check_id(id),
        None => free_id(project, name),
    }
}

/// The files of workflow `id`.
pub fn workflow_files(project: &Project, id: &str) -> Result<Workflow, Error> {
    project.workflow(id).map_err(Error::Path)
}

/// Decides the id, refuses an existing one, and builds the template; nothing written.
pub fn draft(
    project: &Project,
    requested: Option<&str>,
    text: &str,
    blueprint: Blueprint,
    stamp: &ParserStamp,
) -> Result<Draft, Error> {
    let id = choose_id(project, requested, &blueprint.name)?;
    let workflow = workflow_files(project, &id)?;
    if workflow.spec_path.exists() || workflow.lock_path.exists() {
        return Err(Error::Exists {
            spec_rel: workflow.spec_rel,
        });
    }
    let blueprint = blueprint.normalized();
    let prepared = prepare(project, &workflow, text, blueprint.clone(), stamp)
        .map_err(|problems| Error::Invalid { problems })?;
    Ok(Draft {
        workflow,
        text: text.to_owned(),
        blueprint,
        prepared,
    })
}

/// Lists the portal, writes the draft's spec and lockfile, and applies its one
/// template. `written` hears of the files as soon as they are on disk.
pub async fn create(
    project: &Project,
    portal: &Portal,
    draft: Draft,
    written: &mut (dyn FnMut(&[String]) + Send),
) -> Result<Created, super::Error> {
    // The lock before the listing: the plan for this workflow is made from a portal no
    // other apply, delete or create of this project is writing to.
    let state = project.state();
    let lock = match apply::lock(&state, portal, false) {
        Ok(lock) => lock,
        Err(super::Error::Locked(lock)) => {
            return Err(Error::Locked {
                lock,
                files_written: Vec::new(),
            }
            .into());
        }
        Err(other) => return Err(other),
    };
    let live = portal.live().await?;
    let workflow = &draft.workflow;
    let lock_rel = project.relative(&workflow.lock_path);
    let write = |path: &std::path::Path, bytes: &[u8]| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        lockfile::write_atomic(path, bytes)
    };
    write(&workflow.spec_path, draft.text.as_bytes()).map_err(|error| Error::Write {
        path: workflow.spec_rel.clone(),
        error,
    })?;
    if let Err(error) = write(&workflow.lock_path, draft.prepared.loaded.text.as_bytes()) {
        let _ = std::fs::remove_file(&workflow.spec_path);
        return Err(Error::Write {
            path: lock_rel,
            error,
        }
        .into());
    }
    let files_written = vec![workflow.spec_rel.clone(), lock_rel];
    written(&files_written);

    let id = &workflow.id;
    let mut one = plan_one(&portal.label, &draft.prepared.built, &live);
    one.set_fields(
        super::plan::missing_fields(portal, &needed_fields(&draft.prepared.built)).await?,
    );
    let applied = apply::run_locked(
        &lock,
        &state,
        portal,
        &one,
        apply::Options::default(),
        &|_: &Outcome| {},
    )
    .await;
    drop(lock);
    let change = one.changes.iter().find(|c| &c.id == id);
    let action = change.map_or(Action::NoOp, |c| c.action);
    let outcome = applied.report.outcomes.iter().find(|o| &o.id == id);
    if let Some(error) = outcome.and_then(|o| o.error.clone()) {
        return Err(Error::ApplyFailed {
            error,
            files_written,
        }
        .into());
    }
    let template_id = outcome
        .and_then(|o| o.template_id)
        .or_else(|| change.and_then(|c| c.template_id));
    Ok(Created {
        id: id.clone(),
        name: draft.prepared.built.desired.name.clone(),
        files_written,
        portal: portal.label.clone(),
        action: serde_json::to_value(action)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        template_id,
        blueprint: draft.blueprint,
    })
}

/// The plan for one workflow: the other managed templates are left out, so they are
/// neither compared nor deleted.
pub fn plan_one(label: &str, built: &Built, live: &[Live]) -> Plan {
    let id = built.desired.id.as_str();
    let mine: Vec<Live> = live
        .iter()
        .filter(|l| managed_id(&l.description) == Some(id))
        .cloned()
        .collect();
    plan::build(label, std::slice::from_ref(&built.desired), &mine)
}

/// The user fields one built workflow needs, with its id (for
/// [`super::plan::missing_fields`]).
pub fn needed_fields(built: &Built) -> Vec<(String, crate::resolve::RequiredField)> {
    built
        .required_fields
        .iter()
        .map(|f| (built.desired.id.clone(), f.clone()))
        .collect()
}

/// A workflow id the API may create: lowercase words joined by `-`, at most 64
/// characters (no folders, so a request can never name a path outside `workflows/`).
pub fn check_id(id: &str) -> Result<String, Error> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if ok {
        Ok(id.to_owned())
    } else {
        Err(Error::BadId { id: id.to_owned() })
    }
}

/// An id from the blueprint's name that no spec uses yet.
fn free_id(project: &Project, name: &str) -> Result<String, Error> {
    let base = slug(name);
    for n in 1..1000 {
        let id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if !workflow_files(project, &id)?.spec_path.exists() {
            return Ok(id);
        }
    }
    Err(Error::IdsTaken { base })
}

/// `Deal won: WhatsApp the client` -> `deal-won-whatsapp-the-client`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(56).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "workflow".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Deal won: WhatsApp the client"),
            "deal-won-whatsapp-the-client"
        );
        assert_eq!(slug("  ***  "), "workflow");
        assert_eq!(slug("Ünïcode — only"), "n-code-only");
        assert!(slug(&"x".repeat(300)).len() <= 56);
        assert!(check_id(&slug("A -- b")).is_ok());
    }

    #[test]
    fn ids() {
        assert!(check_id("deal-won").is_ok());
        for bad in ["", "../x", "a/b", "A", "a--b", "-a", "a-", &"a".repeat(65)] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }
}
