//! `b24flow drift`: does the portal still match the lockfiles? Read-only.

use b24flow::ops;
use b24flow::plan;
use b24flow::render::{self, Style};

use super::{Printer, Status, runtime};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// The plan's coloured diff, when anything differs.
    Text,
    /// The plan document as JSON (same as `--json`).
    Json,
    /// A report for a GitHub issue (at most 65,000 characters), printed even when
    /// nothing differs.
    Markdown,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print the plan document as JSON.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// How to print what differs.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    env: super::EnvArg,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project_in(&args.env)?;
    runtime()?.block_on(async {
        let (portal, mut plan) = super::plan::compute(&project, &[], printer).await?;
        let format = if args.json { Format::Json } else { args.format };
        if format == Format::Markdown {
            ops::plan::review(&mut plan, &project, None)?;
        }
        let runners = ops::runner::workflows(&project)?;
        let handler = project.config.runner.handler_url.as_deref();
        let bindings = ops::runner::bindings(&portal, &runners, handler).await?;
        let drift = ops::drift::Drift::of(plan);
        if !bindings.missing.is_empty() {
            printer.note(&format!(
                "Drift: runner workflows need offline events that are not bound: {}",
                bindings.missing.join(", ")
            ));
        }
        if !bindings.missing_online.is_empty() {
            printer.note(&format!(
                "Drift: runner workflows need online events that are not bound to {}: {}",
                handler.unwrap_or_default(),
                bindings.missing_online.join(", ")
            ));
        }
        let missing_binding = !bindings.missing.is_empty() || !bindings.missing_online.is_empty();
        let plan = &drift.plan;
        if format == Format::Json {
            printer.json(&plan::document(plan));
        } else if format == Format::Markdown {
            printer.out(&render::render_drift_markdown(plan, &drift.drifted));
        } else if plan.has_changes() {
            printer.out(&render::render_text(
                plan,
                Style {
                    color: printer.colors_stdout(),
                },
            ));
        }
        if drift.drifted.is_empty() && missing_binding {
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
            if !drift.missing_fields.is_empty() {
                printer.note(&format!(
                    "Missing user field(s): {}; apply creates them.",
                    drift.missing_fields.join(", ")
                ));
            }
            Ok(Status::Changes)
        }
    })
}
