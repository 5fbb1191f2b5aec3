//! `b24flow explain ID`: a workflow in plain English, from its lockfile.

use b24flow::explain::{ExplainDocument, explain_lockfile};
use b24flow::lockfile::Lockfile;

use super::{Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The workflow id (its path under workflows/ without .txt).
    #[arg(value_name = "ID")]
    id: String,
    /// Print JSON on stdout (schema/explain.schema.json): the summary, trigger,
    /// conditions, steps and caveats.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    let workflow = project.workflow(&args.id)?;
    if !workflow.lock_path.is_file() {
        return Err(miette::miette!(
            code = "b24flow::explain::no_lockfile",
            help = "workflow ids are spec paths under workflows/ without .txt; run `b24flow compile` to write a spec's lockfile",
            "no lockfile for workflow `{}` ({})",
            args.id,
            project.relative(&workflow.lock_path)
        ));
    }
    let loaded = Lockfile::read(&workflow.lock_path)?;
    let blueprint = &loaded.lockfile.blueprint;
    let explanation = explain_lockfile(&loaded.lockfile, &project.config);
    if args.json {
        printer.json(&ExplainDocument {
            format_version: 1,
            id: workflow.id,
            name: blueprint.name.clone(),
            explanation,
        });
    } else {
        printer.out(&format!("{explanation}\n"));
    }
    Ok(Status::Success)
}
