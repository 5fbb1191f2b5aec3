//! Pausing and resuming a workflow (`b24flow disable ID` / `enable ID`).
//!
//! A paused workflow keeps its template in the portal with auto-start off
//! (`AUTO_EXECUTE` 0); nothing else about it changes. The setting lives in the spec's
//! front matter (`enabled: false`, see [`crate::front_matter`]), so it is reviewed like
//! any other edit, and in the lockfile's `options.enabled`, which `build` reads.
//!
//! Invariants: the body of the spec (what the parser reads) is kept byte for byte, so
//! the blueprint stays valid and no parser is called: the lockfile is rewritten with
//! the new spec hash and option. A workflow whose lockfile is missing or stale is
//! refused and nothing is written: its blueprint may no longer be what the spec says.

use crate::front_matter;
use crate::lockfile::{self, Lockfile};
use crate::project::Project;

/// What `disable` or `enable` did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Toggled {
    /// The workflow id.
    pub id: String,
    /// Whether the workflow now starts on its own.
    pub enabled: bool,
    /// False when it already was so; nothing was written then.
    pub changed: bool,
}

/// Why a workflow could not be paused or resumed. Nothing was written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("{spec} has no up-to-date lockfile; nothing was changed")]
    #[diagnostic(
        code(b24flow::pause::not_compiled),
        help("run `b24flow compile` first, then pause or resume the workflow")
    )]
    NotCompiled { spec: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Spec(#[from] crate::project::SpecError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    FrontMatter(#[from] front_matter::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lockfile(#[from] lockfile::Error),
    #[error("cannot write {spec}")]
    #[diagnostic(code(b24flow::io))]
    Write {
        spec: String,
        #[source]
        source: std::io::Error,
    },
}

/// Pauses (`enabled` false) or resumes (true) the workflow `id`: edits its spec's
/// front matter and its lockfile.
pub fn set_enabled(project: &Project, id: &str, enabled: bool) -> Result<Toggled, super::Error> {
    let w = project
        .select(&[id.to_owned()])?
        .into_iter()
        .next()
        .expect("select returns the workflow it was asked for");
    let text = w.read_spec().map_err(Error::from)?;
    let not_compiled = || Error::NotCompiled {
        spec: w.spec_rel.clone(),
    };
    if crate::opaque::is_opaque(&w.lock_path) {
        return set_opaque(project, &w, &text, enabled);
    }
    let loaded = Lockfile::read(&w.lock_path).map_err(|_| not_compiled())?;
    if loaded.lockfile.source.sha256 != lockfile::spec_sha256(&text) {
        return Err(not_compiled().into());
    }
    // Resuming removes the setting rather than writing `enabled: true`: a running
    // workflow's spec stays as it was before it was paused.
    let setting = (!enabled).then_some(false);
    let new_text = front_matter::with_enabled(&text, &w.spec_rel, setting).map_err(Error::from)?;
    if new_text == text && loaded.lockfile.options.enabled == enabled {
        return Ok(Toggled {
            id: w.id,
            enabled,
            changed: false,
        });
    }
    let mut lock = loaded.lockfile;
    lock.source.sha256 = lockfile::spec_sha256(&new_text);
    lock.options.enabled = enabled;
    lockfile::write_atomic(&w.spec_path, new_text.as_bytes()).map_err(|source| Error::Write {
        spec: w.spec_rel.clone(),
        source,
    })?;
    lock.write(&w.lock_path, &project.schema_ref(&w.lock_path))
        .map_err(Error::from)?;
    Ok(Toggled {
        id: w.id,
        enabled,
        changed: true,
    })
}

/// [`set_enabled`] for an opaque workflow: the same front matter, and `options` in its
/// lockfile; the stored template is not touched (build turns auto-start off).
fn set_opaque(
    project: &Project,
    w: &crate::project::Workflow,
    text: &str,
    enabled: bool,
) -> Result<Toggled, super::Error> {
    let not_compiled = || Error::NotCompiled {
        spec: w.spec_rel.clone(),
    };
    let loaded = crate::opaque::OpaqueLockfile::read(&w.lock_path).map_err(|_| not_compiled())?;
    if loaded.lockfile.source.sha256 != lockfile::spec_sha256(text) {
        return Err(not_compiled().into());
    }
    let setting = (!enabled).then_some(false);
    let new_text = front_matter::with_enabled(text, &w.spec_rel, setting).map_err(Error::from)?;
    if new_text == text && loaded.lockfile.options.enabled == enabled {
        return Ok(Toggled {
            id: w.id.clone(),
            enabled,
            changed: false,
        });
    }
    let mut lock = loaded.lockfile;
    lock.source.sha256 = lockfile::spec_sha256(&new_text);
    lock.options.enabled = enabled;
    lockfile::write_atomic(&w.spec_path, new_text.as_bytes()).map_err(|source| Error::Write {
        spec: w.spec_rel.clone(),
        source,
    })?;
    lockfile::write_atomic(
        &w.lock_path,
        lock.to_yaml(&project.schema_ref(&w.lock_path)).as_bytes(),
    )
    .map_err(|source| Error::Write {
        spec: project.relative(&w.lock_path),
        source,
    })?;
    Ok(Toggled {
        id: w.id.clone(),
        enabled,
        changed: true,
    })
}
