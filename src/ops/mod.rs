//! The operations: what `b24flow` does, once, for every front-end.
//!
//! `cli/*` and `serve/*` are thin over this module: they resolve settings, call one
//! operation, and render what it returns. Each operation returns a typed report
//! (`Serialize` + `JsonSchema` where a front-end prints it as JSON) or an [`Error`].
//!
//! | operation | does |
//! |---|---|
//! | [`plan`] | builds the desired templates, lists the portal, computes the plan; the deletion guard; reading a saved plan and refusing it once it is stale |
//! | [`apply`] | the apply session: the lock and the journal around [`crate::apply::apply`] |
//! | [`delete`] | finds one managed template and deletes it |
//! | [`list`] | every template in the portal, managed or not |
//! | [`drift`] | which workflows differ from the portal |
//! | [`show`] | the template one lockfile builds to |
//! | [`create`] | the builder's create: write a spec and lockfile, apply that one workflow |
//! | [`import`] | adopts templates already in the portal: a spec and a lockfile for each |
//! | [`validate`] | every lockfile read, hash-checked and resolved against the rules |
//! | [`runner`] | runner workflows: their event bindings, and one `b24flow run` pass |
//!
//! Invariants: operations never print and never ask; a confirmation is the front-end's
//! business, between two calls (find, then delete). Operations take a connected
//! [`Portal`](crate::portal::Portal) rather than connecting themselves, so a front-end
//! decides how long a connection lives.

pub mod apply;
pub mod create;
pub mod delete;
pub mod drift;
pub mod forget;
pub mod import;
pub mod list;
pub mod pause;
pub mod plan;
pub mod protect;
pub mod rollback;
pub mod runner;
pub mod show;
pub mod target;
pub mod validate;

use std::path::PathBuf;

/// A problem `build` reports about one workflow; operations that refuse to go on
/// because of them hand them back in full.
pub type Problem = miette::Report;

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Project(#[from] crate::project::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Portal(#[from] crate::portal::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rest(Rest),
    #[error("{count} problem(s) in the workflows; nothing was planned")]
    #[diagnostic(
        code(b24flow::plan::invalid_lockfiles),
        help(
            "fix the specs, run `b24flow compile`, and commit the lockfiles; plan and apply never call a parser"
        )
    )]
    InvalidLockfiles {
        count: usize,
        /// Every problem, each a diagnostic of its own.
        problems: Vec<Problem>,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    TooManyDeletes(#[from] TooManyDeletes),
    #[error("cannot read the plan {}: {error}", path.display())]
    #[diagnostic(code(b24flow::apply::read_plan))]
    ReadPlan {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{} is not a b24flow plan: {error}", path.display())]
    #[diagnostic(
        code(b24flow::apply::bad_plan),
        help("make a new one with `b24flow plan --out FILE`")
    )]
    BadPlan {
        path: PathBuf,
        error: serde_json::Error,
    },
    #[error("{} has plan format {found}; this b24flow reads {expected}", path.display())]
    #[diagnostic(code(b24flow::apply::plan_version))]
    PlanVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("the saved plan is stale: {what} changed since it was made; nothing was applied")]
    #[diagnostic(
        code(b24flow::apply::stale_plan),
        help("make a new plan with `b24flow plan --out FILE`, review it, and apply that")
    )]
    StalePlan {
        /// `the lockfiles` or `the portal`.
        what: &'static str,
        /// The lockfiles' problems, when they are why.
        problems: Vec<Problem>,
    },
    #[error("the saved plan was made for {planned}, but the configured portal is {configured}")]
    #[diagnostic(code(b24flow::apply::other_portal))]
    OtherPortal { planned: String, configured: String },
    #[error("cannot write {}: {error}", path.display())]
    #[diagnostic(code(b24flow::io))]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Locked(#[from] crate::apply::LockError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Delete(#[from] delete::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Create(#[from] create::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Pause(#[from] pause::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Protected(#[from] protect::Protected),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Target(#[from] target::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Forget(#[from] forget::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Rollback(#[from] rollback::Error),
    #[error(
        "cannot read the running instances of the {count} template(s) the plan deletes or replaces; nothing was planned or applied"
    )]
    #[diagnostic(
        code(b24flow::plan::instances),
        help(
            "b24flow reads them (bizproc.workflow.instances, an administrator's method) so it never deletes a template whose workflows still run; check the portal and the credentials, then run the command again"
        )
    )]
    Instances {
        count: usize,
        #[source]
        source: Rest,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Import(Box<import::Error>),
}

/// A REST call failed: the client's error, shown as the client shows it.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Rest(pub crate::bitrix::Error);

// By hand, because `bitrix::Error` has an inherent `code()` (the portal's error code)
// that the derive's forwarding would call instead of the diagnostic code.
impl miette::Diagnostic for Rest {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::code(&self.0)
    }
    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(&self.0)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::help(&self.0)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        miette::Diagnostic::url(&self.0)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        miette::Diagnostic::source_code(&self.0)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        miette::Diagnostic::labels(&self.0)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        miette::Diagnostic::related(&self.0)
    }
    fn diagnostic_source(&self) -> Option<&dyn miette::Diagnostic> {
        miette::Diagnostic::diagnostic_source(&self.0)
    }
}

impl From<crate::bitrix::Error> for Error {
    fn from(e: crate::bitrix::Error) -> Error {
        Error::Rest(Rest(e))
    }
}

/// The deletion guard's refusal.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("the plan deletes {deletes} templates; at most {limit} may be deleted at once")]
#[diagnostic(
    code(b24flow::plan::too_many_deletes),
    help(
        "if that is intended, pass --allow-deletes {deletes} (the limit is [policy] max_deletes in b24flow.toml)"
    )
)]
pub struct TooManyDeletes {
    pub deletes: usize,
    pub limit: u32,
}

impl Error {
    /// Takes out the problems the error carries (each its own diagnostic, to be shown
    /// before the error itself), leaving the error without them.
    pub fn take_problems(&mut self) -> Vec<Problem> {
        match self {
            Error::InvalidLockfiles { problems, .. } | Error::StalePlan { problems, .. } => {
                std::mem::take(problems)
            }
            Error::Import(e) => match e.as_mut() {
                import::Error::Compile { problems, .. } => std::mem::take(problems),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }
}
