//! `b24flow show ID`: the template a lockfile compiles to, as a tree or as JSON, or the
//! workflow as a Mermaid flowchart.

use std::collections::BTreeSet;

use b24flow::bizproc::render_tree;
use b24flow::build::build_all;
use b24flow::explain::{explain_lockfile, mermaid};
use b24flow::lockfile::Lockfile;
use b24flow::plan::auto_start_words;
use b24flow::project::Project;
use serde_json::json;

use super::{Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The workflow id (its path under workflows/ without .txt).
    #[arg(value_name = "ID")]
    id: String,
    /// Print JSON on stdout: the template's fields and its tree as the portal lists it.
    #[arg(long)]
    json: bool,
    /// `mermaid`: print the workflow as a Mermaid flowchart (trigger, checks, steps).
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    format: Option<Format>,
}

/// What `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// The template as an indented tree, after the explanation (the default).
    Text,
    /// The same as --json.
    Json,
    /// A Mermaid flowchart of the workflow.
    Mermaid,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = Project::discover(&std::env::current_dir().map_err(|e| miette::miette!("{e}"))?)?;
    let (built, problems) = build_all(&project, std::slice::from_ref(&args.id))?;
    for p in &problems {
        printer.error(p);
    }
    let Some(b) = built.first() else {
        return Ok(Status::Failure);
    };
    for w in &b.warnings {
        printer.error(w);
    }
    let t = &b.template;
    let lockfile = Lockfile::read(&b.workflow.lock_path)?.lockfile;
    let blueprint = &lockfile.blueprint;
    if args.format == Some(Format::Mermaid) {
        printer.out(&mermaid(blueprint, &project.config, &BTreeSet::new()));
    } else if args.json || args.format == Some(Format::Json) {
        let doc = json!({
            "format_version": 1,
            "id": b.workflow.id,
            "name": t.name,
            "description": t.description,
            "document_type": t.document_type,
            "auto_execute": t.auto_execute,
            "template_sha256": b.desired.template_sha256,
            "template": t.tree_json(),
        });
        printer.out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).expect("json")
        ));
    } else {
        let [module, class, kind] = &t.document_type;
        printer.out(&format!(
            "{}\n\n{} ({})\n  document type: {module} / {class} / {kind}\n  auto-start:    {} (AUTO_EXECUTE {})\n  sha256:        {}\n\n{}",
            explain_lockfile(&lockfile, &project.config),
            t.name,
            b.workflow.id,
            auto_start_words(t.auto_execute),
            t.auto_execute,
            b.desired.template_sha256,
            render_tree(t)
        ));
    }
    Ok(if problems.is_empty() {
        Status::Success
    } else {
        Status::Failure
    })
}
