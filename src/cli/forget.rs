//! `b24flow forget ID`: stop managing a workflow; its template stays in the portal.

use b24flow::ops;

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The workflow id (the spec's path under workflows/ without .txt).
    #[arg(value_name = "ID")]
    id: String,
    /// Forget without asking (required when not on a terminal).
    #[arg(long)]
    auto_approve: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    runtime()?.block_on(async {
        let portal = super::connect(&project, printer).await?;
        let question = format!(
            "Stop managing {}? Its template stays in the portal, unmanaged; its spec and lockfile are deleted.",
            args.id
        );
        let refusal = || {
            miette::miette!(
                code = "b24flow::forget::needs_approval",
                help = "pass --auto-approve",
                "forget needs confirmation, and standard input is not a terminal"
            )
        };
        if !printer.approve(args.auto_approve, &question, refusal, "Nothing was changed.")? {
            return Ok(Status::Failure);
        }
        let done = ops::forget::forget(&portal, &project, &project.state(), &args.id).await?;
        let templates = if done.template_ids.is_empty() {
            "no template in the portal carried its marker".to_owned()
        } else {
            let ids: Vec<String> = done.template_ids.iter().map(u64::to_string).collect();
            format!("template {} stays in the portal, unmanaged", ids.join(", "))
        };
        printer.note(&format!(
            "Forgot {}: {templates}; deleted {}.",
            done.workflow,
            if done.files_deleted.is_empty() {
                "no files".to_owned()
            } else {
                done.files_deleted.join(" and ")
            }
        ));
        Ok(Status::Success)
    })
}
