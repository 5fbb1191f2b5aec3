//! `b24flow delete`: remove one managed template from the portal.

use b24flow::ops::delete;

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A workflow id (e.g. deal-won) or a template id (e.g. 12).
    id: String,
    /// Delete without asking (required when not on a terminal).
    #[arg(long)]
    auto_approve: bool,
    #[command(flatten)]
    env: super::EnvArg,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project_in(&args.env)?;
    runtime()?.block_on(async {
        let portal = super::connect(&project, printer).await?;
        let target = delete::find(&portal, &args.id).await?;
        let question = format!(
            "Delete template {} ({}, workflow {})?",
            target.template_id, target.name, target.workflow
        );
        let refusal = || {
            miette::miette!(
                code = "b24flow::delete::needs_approval",
                help = "pass --auto-approve",
                "delete needs confirmation, and standard input is not a terminal"
            )
        };
        if !printer.approve(
            args.auto_approve,
            &question,
            refusal,
            "Nothing was deleted.",
        )? {
            return Ok(Status::Failure);
        }
        let deleted = delete::delete(&portal, &project, &target).await?;
        printer.note(&format!(
            "Deleted template {} (workflow {}).",
            deleted.template_id, deleted.workflow
        ));
        if let Some(note) = &deleted.note {
            printer.note(&format!("note: {note}."));
        }
        Ok(Status::Success)
    })
}
