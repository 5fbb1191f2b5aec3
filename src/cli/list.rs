//! `b24flow list`: every template in the portal.

use std::fmt::Write;

use b24flow::plan::{auto_start_words, managed_id};
use serde_json::json;

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    runtime()?.block_on(async {
        let portal = super::connect(&project, printer).await?;
        let live = portal.live().await?;
        if args.json {
            let rows: Vec<_> = live
                .iter()
                .map(|t| {
                    json!({
                        "id": t.id,
                        "document_type": t.document_type,
                        "auto_execute": t.auto_execute,
                        "name": t.name,
                        "workflow": managed_id(&t.description),
                    })
                })
                .collect();
            let doc = json!({"format_version": 1, "portal": portal.label, "templates": rows});
            printer.out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&doc).expect("json")
            ));
            return Ok(Status::Success);
        }
        let mut out = format!(
            "{:>6}  {:<14} {:<22} {:<28} {}\n",
            "ID", "ENTITY", "AUTO-START", "WORKFLOW", "NAME"
        );
        for t in &live {
            let workflow = managed_id(&t.description).unwrap_or("(unmanaged)");
            let _ = writeln!(
                out,
                "{:>6}  {:<14} {:<22} {:<28} {}",
                t.id,
                t.document_type,
                auto_start_words(t.auto_execute),
                workflow,
                t.name
            );
        }
        printer.out(&out);
        let managed = live
            .iter()
            .filter(|t| managed_id(&t.description).is_some())
            .count();
        printer.note(&format!(
            "{} templates: {managed} managed by b24flow, {} unmanaged.",
            live.len(),
            live.len() - managed
        ));
        Ok(Status::Success)
    })
}
