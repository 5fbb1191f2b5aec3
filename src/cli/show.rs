//! `b24flow show ID`: the template a lockfile compiles to, as a tree or as JSON.

use b24flow::bizproc::render_tree;
use b24flow::build;
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
    let report = build::build(&project, std::slice::from_ref(&args.id))?;
    let Some(entry) = report.entries.into_iter().next() else {
        return Ok(Status::Failure);
    };
    for w in entry.warnings {
        printer.error(&miette::Report::new(w));
    }
    let template = match entry.outcome {
        Ok(t) => t,
        Err(diagnostics) => {
            for d in diagnostics {
                printer.error(&miette::Report::new(d));
            }
            return Ok(Status::Failure);
        }
    };
    if args.json {
        let doc = json!({
            "format_version": 1,
            "id": entry.id,
            "name": template.name,
            "description": template.description,
            "document_type": template.document_type,
            "auto_execute": template.auto_execute,
            "template_sha256": template.sha256(),
            "template": template.tree_json(),
        });
        printer.out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).expect("json")
        ));
    } else {
        let [module, class, kind] = &template.document_type;
        printer.out(&format!(
            "{} ({})\n  document type: {module} / {class} / {kind}\n  auto-start:    {} (AUTO_EXECUTE {})\n  sha256:        {}\n\n{}",
            template.name,
            entry.id,
            auto_start_words(template.auto_execute),
            template.auto_execute,
            template.sha256(),
            render_tree(&template)
        ));
    }
    Ok(Status::Success)
}
