//! `b24flow delete`: remove one managed template from the portal.

use std::io::IsTerminal;

use b24flow::plan::managed_id;

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A workflow id (e.g. deal-won) or a template id (e.g. 12).
    id: String,
    /// Delete without asking (required when not on a terminal).
    #[arg(long)]
    auto_approve: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    runtime()?.block_on(async {
        let portal = super::connect(&project, printer).await?;
        let live = portal.live().await?;
        let by_template: Option<u64> = args.id.parse().ok();
        let target = live.iter().find(|t| Some(t.id) == by_template || managed_id(&t.description) == Some(args.id.as_str()));
        let Some(target) = target else {
            return Err(miette::miette!(
                code = "b24flow::delete::not_found",
                help = "`b24flow list` shows the portal's templates",
                "no template `{}` in the portal",
                args.id
            ));
        };
        let Some(workflow) = managed_id(&target.description) else {
            return Err(miette::miette!(
                code = "b24flow::delete::unmanaged",
                help = "b24flow only deletes templates it created; remove this one in the portal's designer",
                "template {} ({}) is not managed by b24flow",
                target.id,
                target.name
            ));
        };
        if !args.auto_approve {
            if !std::io::stdin().is_terminal() {
                return Err(miette::miette!(
                    code = "b24flow::delete::needs_approval",
                    help = "pass --auto-approve",
                    "delete needs confirmation, and standard input is not a terminal"
                ));
            }
            eprint!("Delete template {} ({}, workflow {workflow})? Only 'yes' is accepted: ", target.id, target.name);
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer).map_err(|e| miette::miette!("cannot read the answer: {e}"))?;
            if answer.trim() != "yes" {
                printer.note("Nothing was deleted.");
                return Ok(Status::Failure);
            }
        }
        portal.client.template_delete(target.id).await?;
        printer.note(&format!("Deleted template {} (workflow {workflow}).", target.id));
        let spec = project.workflows_dir().join(format!("{workflow}.txt"));
        if spec.is_file() {
            printer.note(&format!(
                "note: workflows/{workflow}.txt still exists, so the next apply creates the template again; delete the spec and its lockfile to remove the workflow for good."
            ));
        }
        Ok(Status::Success)
    })
}
