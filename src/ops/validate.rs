//! The validate operation: every lockfile reads, matches its blueprint hash, and
//! passes every rule in [`crate::resolve`], the same check `build` (and so `plan`)
//! runs on it. A lockfile fails `validate` exactly when `build` refuses it for its
//! content, with the same codes; a spec changed since compile is `compile --check`'s
//! finding, not this one's.

use schemars::JsonSchema;
use serde::Serialize;

use crate::lockfile::{self, Lockfile};
use crate::project::Project;
use crate::resolve::{Placed, Severity};

/// The version of the [`Report`] document; bumped when a field changes meaning.
pub const FORMAT_VERSION: u32 = 1;

/// What `validate --json` prints: `schema/validate.schema.json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Report {
    pub format_version: u32,
    /// Lockfiles checked.
    pub checked: usize,
    /// Whether there were no errors.
    pub ok: bool,
    /// Every problem, in workflow order.
    pub problems: Vec<Problem>,
}

/// One problem in one lockfile.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Problem {
    /// The lockfile, relative to the project root.
    pub file: String,
    /// A stable code, e.g. `b24flow::rules::unknown_recipient` or
    /// `b24flow::lockfile::invalid`.
    pub code: String,
    /// Where in the blueprint, e.g. `actions[1].to`; absent when the file is unreadable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub severity: Severity,
    /// The file, then what is wrong.
    pub message: String,
    pub help: Option<String>,
}

/// One finding, with what a renderer needs to show it in its file.
#[derive(Debug)]
pub enum Finding {
    /// A rule failed; placed in the lockfile.
    Rule(Placed),
    /// The lockfile cannot be read.
    Unreadable {
        file: String,
        error: lockfile::Error,
    },
    /// An opaque workflow's lockfile that cannot be used: it does not read, its
    /// template does not decode, or it no longer matches its `template_sha256`.
    Opaque { file: String, error: miette::Report },
}

impl Finding {
    /// Whether this finding is only a warning (it fails nothing by itself).
    pub fn is_warning(&self) -> bool {
        matches!(self, Finding::Rule(placed) if placed.diagnostic.is_warning())
    }

    /// The finding as report data.
    pub fn problem(&self) -> Problem {
        match self {
            Finding::Rule(placed) => Problem {
                file: placed.file.clone(),
                code: placed.diagnostic.code.as_str().to_owned(),
                path: Some(placed.diagnostic.path.clone()),
                severity: placed.diagnostic.severity,
                message: placed.to_string(),
                help: placed.diagnostic.help.clone(),
            },
            Finding::Opaque { file, error } => Problem {
                file: file.clone(),
                code: error
                    .code()
                    .map_or_else(|| "b24flow::opaque::invalid".to_owned(), |c| c.to_string()),
                path: None,
                severity: Severity::Error,
                message: error.to_string(),
                help: error.help().map(|h| h.to_string()),
            },
            Finding::Unreadable { file, error } => Problem {
                file: file.clone(),
                code: "b24flow::lockfile::invalid".to_owned(),
                path: None,
                severity: Severity::Error,
                message: error.to_string(),
                help: None,
            },
        }
    }
}

/// Everything `validate` found.
#[derive(Debug)]
pub struct Validation {
    /// Lockfiles checked.
    pub checked: usize,
    /// The problems of every refused lockfile: its errors and, as `build` shows them,
    /// its warnings; then the project-wide warnings (chaining between workflows, see
    /// [`crate::compile::project_warnings`]), which fail nothing.
    pub findings: Vec<Finding>,
}

impl Validation {
    /// The typed report.
    pub fn report(&self) -> Report {
        Report {
            format_version: FORMAT_VERSION,
            checked: self.checked,
            ok: self.findings.iter().all(Finding::is_warning),
            problems: self.findings.iter().map(Finding::problem).collect(),
        }
    }
}

/// Validates every workflow's lockfile.
pub fn validate(project: &Project) -> Result<Validation, crate::project::Error> {
    let workflows = project.workflows()?;
    let mut findings = Vec::new();
    for w in &workflows {
        // An opaque workflow has no blueprint to check: its stored template must decode
        // and match its hash, which is what `build` checks.
        if crate::opaque::is_opaque(&w.lock_path) {
            if let Err(error) = check_opaque(w) {
                findings.push(Finding::Opaque {
                    file: project.relative(&w.lock_path),
                    error,
                });
            }
            continue;
        }
        match Lockfile::read(&w.lock_path) {
            Ok(loaded) => {
                if let Err(placed) = crate::compile::lint_lockfile(project, &loaded) {
                    findings.extend(
                        // The warnings of a refused lockfile too, as `build` reports them.
                        placed.into_iter().map(Finding::Rule),
                    );
                }
            }
            Err(error) => findings.push(Finding::Unreadable {
                file: project.relative(&w.lock_path),
                error,
            }),
        }
    }
    // The project-wide warnings (chaining between workflows): shown, never failing.
    findings.extend(
        crate::compile::project_warnings(project)?
            .into_iter()
            .map(Finding::Rule),
    );
    Ok(Validation {
        checked: workflows.len(),
        findings,
    })
}

fn check_opaque(w: &crate::project::Workflow) -> Result<(), miette::Report> {
    let loaded = crate::opaque::OpaqueLockfile::read(&w.lock_path)?;
    let sha = loaded.lockfile.opaque.sha256()?;
    if sha != loaded.lockfile.template_sha256 {
        return Err(miette::miette!(
            code = "b24flow::opaque::edited",
            help = "import the template again; b24flow does not edit opaque workflows",
            "the stored template does not match its template_sha256 (edited by hand)"
        ));
    }
    Ok(())
}
