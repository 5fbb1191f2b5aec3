//! `b24flow validate`: every lockfile parses and passes the semantic rules.

use b24flow::compile::lint_lockfile;
use b24flow::lockfile::Lockfile;
use b24flow::project::Project;
use serde_json::json;

use super::{Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print a JSON report on stdout.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = Project::discover(&std::env::current_dir().map_err(|e| miette::miette!("{e}"))?)?;
    let workflows = project.workflows()?;
    let mut problems = Vec::new();
    for w in &workflows {
        let file = project.relative(&w.lock_path);
        match Lockfile::read(&w.lock_path) {
            Ok(loaded) => {
                for d in lint_lockfile(&project, &loaded) {
                    problems.push(
                        json!({"file": file, "code": d.code, "message": d.message, "help": d.help}),
                    );
                    printer.error(&miette::Report::new(d));
                }
            }
            Err(e) => {
                problems.push(json!({"file": file, "code": "b24flow::lockfile::invalid", "message": e.to_string()}));
                printer.error(&miette::Report::new(e));
            }
        }
    }
    if args.json {
        let doc = json!({"format_version": 1, "checked": workflows.len(), "ok": problems.is_empty(), "problems": problems});
        printer.json(&doc);
    }
    if problems.is_empty() {
        printer.note(&format!("{} lockfiles are valid", workflows.len()));
        Ok(Status::Success)
    } else {
        printer.note(&format!(
            "{} problems in {} lockfiles",
            problems.len(),
            workflows.len()
        ));
        Ok(Status::Failure)
    }
}
