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
use crate::opaque::OpaqueLockfile;
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
/// front matter and its lockfile (for an opaque workflow, its `options`; the stored
/// template is not touched, and build turns auto-start off).
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
    let mut lock = if crate::opaque::is_opaque(&w.lock_path) {
        Loaded::Opaque(
            OpaqueLockfile::read(&w.lock_path)
                .map_err(|_| not_compiled())?
                .lockfile,
        )
    } else {
        Loaded::Compiled(
            Lockfile::read(&w.lock_path)
                .map_err(|_| not_compiled())?
                .lockfile,
        )
    };
    let (source, options) = lock.settings();
    if source.sha256 != lockfile::spec_sha256(&text) {
        return Err(not_compiled().into());
    }
    // Resuming removes the setting rather than writing `enabled: true`: a running
    // workflow's spec stays as it was before it was paused.
    let setting = (!enabled).then_some(false);
    let new_text = front_matter::with_enabled(&text, &w.spec_rel, setting).map_err(Error::from)?;
    let changed = new_text != text || options.enabled != enabled;
    if changed {
        source.sha256 = lockfile::spec_sha256(&new_text);
        options.enabled = enabled;
        lockfile::write_atomic(&w.spec_path, new_text.as_bytes()).map_err(|source| {
            Error::Write {
                spec: w.spec_rel.clone(),
                source,
            }
        })?;
        let yaml = lock.to_yaml(&project.schema_ref(&w.lock_path));
        lockfile::write_atomic(&w.lock_path, yaml.as_bytes()).map_err(|source| Error::Write {
            spec: project.relative(&w.lock_path),
            source,
        })?;
    }
    Ok(Toggled {
        id: w.id,
        enabled,
        changed,
    })
}

/// A lockfile of either kind, for the two things pausing edits in it.
enum Loaded {
    Compiled(Lockfile),
    Opaque(OpaqueLockfile),
}

impl Loaded {
    /// The spec hash and the options.
    fn settings(&mut self) -> (&mut lockfile::Source, &mut lockfile::Options) {
        match self {
            Loaded::Compiled(l) => (&mut l.source, &mut l.options),
            Loaded::Opaque(l) => (&mut l.source, &mut l.options),
        }
    }

    fn to_yaml(&self, schema_path: &str) -> String {
        match self {
            Loaded::Compiled(l) => l.to_yaml(schema_path),
            Loaded::Opaque(l) => l.to_yaml(schema_path),
        }
    }
}
