//! `b24flow show ID`: the template a lockfile compiles to, as a tree or as JSON.

use b24flow::build::build_all;
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
    if args.json {
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
            "{} ({})\n  document type: {module} / {class} / {kind}\n  auto-start:    {} (AUTO_EXECUTE {})\n  sha256:        {}\n\n{}",
            t.name,
            b.workflow.id,
            auto_start_words(t.auto_execute),
            t.auto_execute,
            b.desired.template_sha256,
            b24flow::render::tree::full(&t.root)
        ));
    }
    Ok(if problems.is_empty() {
        Status::Success
    } else {
        Status::Failure
    })
}
