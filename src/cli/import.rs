//! `b24flow import [TEMPLATE_ID…|--all]`: adopt templates already in the portal.

use b24flow::ops::{
    self,
    import::{Kind, Ownership, Request},
};

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The portal's template ids (see `b24flow list`).
    #[arg(value_name = "TEMPLATE_ID", required_unless_present = "all")]
    template_ids: Vec<u64>,
    /// Every template this project does not manage yet.
    #[arg(long, conflicts_with = "template_ids")]
    all: bool,
    /// The workflow id to give the one template imported (default: from its name, or
    /// the id its b24flow marker names).
    #[arg(long = "as", value_name = "ID")]
    id: Option<String>,
    /// Show what would be imported; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON (`schema/import.schema.json`).
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    let request = Request {
        template_ids: args.template_ids.clone(),
        all: args.all,
        id: args.id.clone(),
        dry_run: args.dry_run,
    };
    runtime()?.block_on(async {
        let portal = super::connect(&project, printer).await?;
        let report = ops::import::import(&portal, &project, &request)
            .await
            .map_err(|e| super::fail(printer, e))?;
        if args.json {
            printer.json(&report);
            return Ok(Status::Success);
        }
        let verb = if report.dry_run { "Would import" } else { "Imported" };
        for i in &report.imported {
            let what = match i.kind {
                Kind::Blueprint => "as a workflow b24flow compiles".to_owned(),
                Kind::Opaque => format!(
                    "as an opaque workflow (kept verbatim: {})",
                    i.reasons
                        .iter()
                        .map(|r| r.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            };
            printer.status(
                verb,
                &format!(
                    "template {} \"{}\" -> {} {what}{}",
                    i.template_id,
                    i.name,
                    i.files.join(" + "),
                    if i.paused { ", paused" } else { "" }
                ),
            );
            match i.ownership {
                Ownership::InPlace => printer.note(&format!(
                    "  {}: made by this application, adopted in place; `b24flow plan` shows no change for it.",
                    i.workflow
                )),
                Ownership::Copy => printer.note(&format!(
                    "  {}: Bitrix24 lets an application change only the templates it created, so `b24flow apply` creates a managed copy. Switch the original (template {}) off in the designer (auto-start: none) so the two do not both run; b24flow leaves it alone.",
                    i.workflow, i.template_id
                )),
            }
        }
        if report.imported.is_empty() {
            printer.note("Nothing to import: the project manages every template in the portal.");
        } else if !report.dry_run {
            printer.note("Review the files, run `b24flow plan`, and commit them.");
        }
        Ok(Status::Success)
    })
}
