//! The build operation: committed lockfiles to templates (the `bizproc` compiler run
//! over a project).
//!
//! `b24flow build` writes each template as a `.bpt` file, `b24flow show` prints one, and
//! plan compiles the same way to get its desired state. Compile problems come back as
//! diagnostics placed in the lockfile (`blueprint.actions[1].to` underlined), and every
//! workflow is attempted, so one run reports every problem.
//!
//! A lockfile whose `options.enabled` is false keeps its template in the portal with
//! auto-start off (`AUTO_EXECUTE` 0).

use miette::{Diagnostic, Severity};

use crate::bizproc::compile::{CompileError, compile_with_warnings};
use crate::bizproc::template::Template;
use crate::lockfile::Lockfile;
use crate::project::{self, Project, Workflow};
use crate::validate::FileDiagnostic;
use crate::yaml_path::Locations;

/// One workflow's outcome.
#[derive(Debug)]
pub struct Entry {
    /// The workflow id.
    pub id: String,
    /// The lockfile's path relative to the project root.
    pub lockfile: String,
    /// The template, or why there is none.
    pub outcome: Result<Template, Vec<FileDiagnostic>>,
    /// Warnings (also when the template was built).
    pub warnings: Vec<FileDiagnostic>,
}

/// What happened to every workflow asked for, in id order.
#[derive(Debug, Default)]
pub struct Report {
    pub entries: Vec<Entry>,
}

impl Report {
    /// Whether any workflow failed to build.
    pub fn has_failures(&self) -> bool {
        self.entries.iter().any(|e| e.outcome.is_err())
    }
}

/// Builds the templates of `ids` (all workflows when empty). An id that is not a
/// workflow of the project gets an entry with a diagnostic.
pub fn build(project: &Project, ids: &[String]) -> Result<Report, project::Error> {
    let workflows = project.workflows()?;
    let mut report = Report::default();
    for id in ids {
        if !workflows.iter().any(|w| &w.id == id) {
            report.entries.push(Entry {
                id: id.clone(),
                lockfile: String::new(),
                outcome: Err(vec![FileDiagnostic::whole_file(
                    id,
                    "",
                    "b24flow::build::unknown_workflow",
                    &format!("no workflow `{id}` (looked for workflows/{id}.txt)"),
                    Some("`b24flow compile` lists the workflows it finds".into()),
                    None,
                )]),
                warnings: Vec::new(),
            });
        }
    }
    for w in workflows
        .iter()
        .filter(|w| ids.is_empty() || ids.contains(&w.id))
    {
        report.entries.push(build_one(project, w));
    }
    report.entries.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(report)
}

fn build_one(project: &Project, w: &Workflow) -> Entry {
    let file = project.relative(&w.lock_path);
    let mut entry = Entry {
        id: w.id.clone(),
        lockfile: file.clone(),
        outcome: Err(Vec::new()),
        warnings: Vec::new(),
    };
    if !w.lock_path.exists() {
        entry.outcome = Err(vec![FileDiagnostic::whole_file(
            &file,
            "",
            "b24flow::build::no_lockfile",
            "there is no lockfile to build from",
            Some(format!(
                "run `b24flow compile {}` and commit the lockfile",
                w.id
            )),
            None,
        )]);
        return entry;
    }
    let loaded = match Lockfile::read(&w.lock_path) {
        Ok(loaded) => loaded,
        Err(e) => {
            entry.outcome = Err(vec![FileDiagnostic::whole_file(
                &file,
                "",
                "b24flow::lockfile::invalid",
                &e.to_string(),
                e.help().map(|h| h.to_string()),
                None,
            )]);
            return entry;
        }
    };
    let locations = Locations::scan(&loaded.text);
    let place = |e: &CompileError| diagnostic(e, &file, &loaded.text, &locations);
    match compile_with_warnings(&w.id, &loaded.lockfile.blueprint, &project.config) {
        Ok(compiled) => {
            let mut template = compiled.template;
            if !loaded.lockfile.options.enabled {
                template.auto_execute = 0;
            }
            entry.warnings = compiled.warnings.iter().map(place).collect();
            entry.outcome = Ok(template);
        }
        Err(problems) => {
            let (warnings, errors): (Vec<_>, Vec<_>) =
                problems.iter().partition(|e| e.is_warning());
            entry.warnings = warnings.into_iter().map(place).collect();
            entry.outcome = Err(errors.into_iter().map(place).collect());
        }
    }
    entry
}

/// A compile error placed in the lockfile: its path is under `blueprint.`.
pub fn diagnostic(
    e: &CompileError,
    file: &str,
    text: &str,
    locations: &Locations,
) -> FileDiagnostic {
    let path = format!("blueprint.{}", e.path());
    FileDiagnostic {
        message: format!("{file}: {e}"),
        code: e
            .code()
            .map_or_else(|| "b24flow::compile".into(), |c| c.to_string()),
        help: e.help().map(|h| h.to_string()),
        severity: if e.is_warning() {
            Severity::Warning
        } else {
            Severity::Error
        },
        src: miette::NamedSource::new(file, text.to_owned()).with_language("yaml"),
        span: locations.find(&path),
        label: "here".to_owned(),
    }
}
