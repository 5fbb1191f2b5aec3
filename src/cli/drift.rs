//! `b24flow drift`: does the portal still match the lockfiles? Read-only.

use b24flow::plan::{self, Action};
use b24flow::render::Style;

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print the plan document as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    runtime()?.block_on(async {
        let (_portal, plan) = super::plan::compute(&project, printer).await?;
        if args.json {
            let doc =
                serde_json::to_string_pretty(&plan::to_json(&plan)).expect("a plan serializes");
            printer.out(&format!("{doc}\n"));
        } else if plan.has_changes() {
            printer.out(&b24flow::render::render_text(
                &plan,
                Style {
                    color: printer.colors_stdout(),
                },
            ));
        }
        let drifted: Vec<&str> = plan
            .changes
            .iter()
            .filter(|c| c.action != Action::NoOp)
            .map(|c| c.id.as_str())
            .collect();
        if drifted.is_empty() {
            printer.note(&format!(
                "No drift: the portal matches all {} lockfiles.",
                plan.summary.unchanged
            ));
            Ok(Status::Success)
        } else {
            printer.note(&format!(
                "Drift: {} workflow(s) differ from the portal: {}",
                drifted.len(),
                drifted.join(", ")
            ));
            Ok(Status::Changes)
        }
    })
}
