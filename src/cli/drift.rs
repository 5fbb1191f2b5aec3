//! `b24flow drift`: does the portal still match the lockfiles? Read-only.

use b24flow::ops;
use b24flow::plan;
use b24flow::render::{self, Style};

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
        let (portal, plan) = super::plan::compute(&project, printer).await?;
        let runners = ops::runner::workflows(&project)?;
        let bindings = ops::runner::bindings(&portal, &runners).await?;
        let drift = ops::drift::Drift::of(plan);
        if !bindings.missing.is_empty() {
            printer.note(&format!(
                "Drift: runner workflows need offline events that are not bound: {}",
                bindings.missing.join(", ")
            ));
        }
        let plan = &drift.plan;
        if args.json {
            printer.json(&plan::document(plan));
        } else if plan.has_changes() {
            printer.out(&render::render_text(
                plan,
                Style {
                    color: printer.colors_stdout(),
                },
            ));
        }
        if drift.drifted.is_empty() && !bindings.missing.is_empty() {
            return Ok(Status::Changes);
        }
        if drift.drifted.is_empty() {
            printer.note(&format!(
                "No drift: the portal matches all {} lockfiles.",
                plan.summary.unchanged
            ));
            Ok(Status::Success)
        } else {
            printer.note(&format!(
                "Drift: {} workflow(s) differ from the portal: {}",
                drift.drifted.len(),
                drift.drifted.join(", ")
            ));
            Ok(Status::Changes)
        }
    })
}
