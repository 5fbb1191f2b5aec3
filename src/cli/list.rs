//! `b24flow list`: every template in the portal.

use std::fmt::Write;

use b24flow::ops;
use b24flow::plan::auto_start_words;

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print JSON (schema/list.schema.json).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    env: super::EnvArg,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project_in(&args.env)?;
    runtime()?.block_on(async {
        let portal = super::connect(&project, printer).await?;
        let list = ops::list::list(&portal).await?;
        if args.json {
            printer.json(&list);
            return Ok(Status::Success);
        }
        let mut out = format!(
            "{:>6}  {:<14} {:<22} {:<28} {}\n",
            "ID", "ENTITY", "AUTO-START", "WORKFLOW", "NAME"
        );
        for t in &list.templates {
            let _ = writeln!(
                out,
                "{:>6}  {:<14} {:<22} {:<28} {}",
                t.id,
                t.document_type,
                auto_start_words(t.auto_execute),
                t.workflow.as_deref().unwrap_or("(unmanaged)"),
                t.name
            );
        }
        printer.out(&out);
        let managed = list.managed();
        printer.note(&format!(
            "{} templates: {managed} managed by b24flow, {} unmanaged.",
            list.templates.len(),
            list.templates.len() - managed
        ));
        Ok(Status::Success)
    })
}
