//! `b24flow show ID`: the template a lockfile compiles to, as a tree or as JSON, or the
//! workflow as a Mermaid flowchart.

use std::collections::BTreeSet;

use b24flow::explain::{explain_lockfile, mermaid};
use b24flow::lockfile::Lockfile;
use b24flow::ops;
use b24flow::plan::auto_start_words;
use b24flow::render;

use super::{Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The workflow id (its path under workflows/ without .txt).
    #[arg(value_name = "ID")]
    id: String,
    /// Print JSON on stdout (schema/show.schema.json): the template's fields and its
    /// tree as the portal lists it.
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
    let project = super::project()?;
    let shown = ops::show::show(&project, &args.id)?;
    for p in &shown.problems {
        printer.error(p);
    }
    let (Some(b), Some(document)) = (&shown.built, shown.document()) else {
        return Ok(Status::Failure);
    };
    for w in &b.warnings {
        printer.error(w);
    }
    if args.json || args.format == Some(Format::Json) {
        printer.json(&document);
    } else if b.template.is_none() {
        // An opaque workflow: its stored template, as imported.
        let d = &b.desired;
        let tree = b24flow::bizproc::Activity::from_tree_json(&d.tree).map_or_else(
            |_| serde_json::to_string_pretty(&d.tree).unwrap_or_default(),
            |root| render::tree::full(&root),
        );
        printer.out(&template_text(
            &b24flow::opaque::SPEC_HEADER,
            &b.workflow.id,
            Fields {
                name: &d.name,
                document_type: &d.document_type,
                auto_execute: d.auto_execute,
                sha256: &d.template_sha256,
            },
            &tree,
        ));
    } else {
        let lockfile = Lockfile::read(&b.workflow.lock_path)?.lockfile;
        if args.format == Some(Format::Mermaid) {
            printer.out(&mermaid(
                &lockfile.blueprint,
                &project.config,
                &BTreeSet::new(),
            ));
        } else {
            let t = b
                .template
                .as_ref()
                .expect("a compiled workflow has a template");
            printer.out(&template_text(
                &explain_lockfile(&lockfile, &project.config),
                &b.workflow.id,
                Fields {
                    name: &t.name,
                    document_type: &t.document_type,
                    auto_execute: t.auto_execute,
                    sha256: &b.desired.template_sha256,
                },
                &render::tree::full(&t.root),
            ));
        }
    }
    Ok(if shown.problems.is_empty() {
        Status::Success
    } else {
        Status::Failure
    })
}

/// The template fields `show` prints under the explanation.
#[derive(Clone, Copy)]
struct Fields<'a> {
    name: &'a str,
    document_type: &'a [String; 3],
    auto_execute: u8,
    sha256: &'a str,
}

/// `show`'s text for a compiled and an opaque workflow alike: `lead` (the explanation,
/// or the opaque header), the template's fields, then its tree.
fn template_text(lead: &dyn std::fmt::Display, id: &str, f: Fields<'_>, tree: &str) -> String {
    let [module, class, kind] = f.document_type;
    format!(
        "{lead}\n\n{} ({id})\n  document type: {module} / {class} / {kind}\n  auto-start:    {} (AUTO_EXECUTE {})\n  sha256:        {}\n\n{tree}",
        f.name,
        auto_start_words(f.auto_execute),
        f.auto_execute,
        f.sha256,
    )
}
