//! `b24flow apply`: make the portal match the lockfiles.

use std::path::PathBuf;

use b24flow::apply::ApplyOptions;
use b24flow::ops;
use b24flow::plan::Action;
use b24flow::render::{self, Style};

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A plan saved by `b24flow plan --out FILE`: apply exactly it, or refuse if the
    /// lockfiles or the portal changed since.
    #[arg(value_name = "PLAN")]
    plan: Option<PathBuf>,
    /// Apply without asking (required when not on a terminal).
    #[arg(long)]
    auto_approve: bool,
    /// Allow this many template deletions (default: [policy] max_deletes, 3).
    #[arg(long, value_name = "N")]
    allow_deletes: Option<u32>,
    /// Remove a lock left behind by an apply that no longer runs.
    #[arg(long)]
    break_lock: bool,
    /// Send one request per change instead of batches of up to 50.
    #[arg(long)]
    no_batch: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    runtime()?.block_on(async {
        let (portal, plan) = match &args.plan {
            None => {
                let (portal, plan) = super::plan::compute(&project, printer).await?;
                printer.out(&render::render_text(
                    &plan,
                    Style {
                        color: printer.colors_stdout(),
                    },
                ));
                (portal, plan)
            }
            Some(path) => {
                let plan = ops::plan::read_saved(&project, path)
                    .map_err(|e| super::fail(printer, e))?;
                let portal = super::connect(&project, printer).await?;
                ops::plan::check_saved(&portal, &plan).await?;
                printer.note(&render::summary_line(&plan.summary));
                (portal, plan)
            }
        };
        ops::plan::check_deletes(&plan, &project.config, args.allow_deletes)?;
        // Runner workflows need the portal's offline event bindings, not templates.
        let runners = ops::runner::workflows(&project)?;
        let bindings = ops::runner::bindings(&portal, &runners).await?;
        for e in &bindings.missing {
            printer.note(&format!("  + bind offline event {e}"));
        }
        for e in &bindings.extra {
            printer.note(&format!("  - unbind offline event {e}"));
        }
        if !plan.has_changes() && bindings.is_empty() {
            printer.note("Nothing to apply.");
            return Ok(Status::Success);
        }
        if args.plan.is_none() && !args.auto_approve {
            let refusal = miette::miette!(
                code = "b24flow::apply::needs_approval",
                help = "review the plan and pass --auto-approve, or apply a saved plan: `b24flow plan --out plan.json`, then `b24flow apply plan.json`",
                "apply needs confirmation, and standard input is not a terminal"
            );
            if !printer.confirm("\nApply these changes to the portal?", refusal)? {
                printer.note("Apply cancelled; nothing was changed.");
                return Ok(Status::Failure);
            }
        }
        if !bindings.is_empty() {
            ops::runner::reconcile(&portal, &bindings).await?;
            printer.note(&format!(
                "Event bindings: {} bound, {} unbound.",
                bindings.missing.len(),
                bindings.extra.len()
            ));
        }
        if !plan.has_changes() {
            return Ok(Status::Success);
        }
        let bar = printer.progress(plan.actionable().count() as u64, "Applying");
        let options = ops::apply::Options {
            engine: ApplyOptions {
                batch: !args.no_batch,
                ..ApplyOptions::default()
            },
            break_lock: args.break_lock,
        };
        let applied = ops::apply::run(&project.state(), &portal, &plan, options, &|o| {
            bar.inc();
            let verb = match o.action {
                Action::Create => "created",
                Action::Update => "updated",
                Action::Replace => "replaced",
                Action::Delete => "destroyed",
                Action::NoOp => "kept",
            };
            let id = o
                .template_id
                .map(|i| format!(" (template {i})"))
                .unwrap_or_default();
            match &o.error {
                None => bar.status(true, verb, &format!("{}{id}", o.id)),
                Some(e) => bar.status(false, "failed", &format!("{}{id}: {e}", o.id)),
            }
        })
        .await;
        bar.finish();
        let applied = applied?;
        let report = &applied.report;
        let failed = report.failed();
        let ok = report.outcomes.len() - failed;
        if failed > 0 {
            printer.note(&format!(
                "\n{:<10} {:<30} {}",
                "RESULT", "WORKFLOW", "DETAIL"
            ));
            for o in &report.outcomes {
                let result = if o.error.is_some() { "failed" } else { "ok" };
                printer.note(&format!(
                    "{result:<10} {:<30} {}",
                    o.id,
                    o.error.as_ref().map(ToString::to_string).unwrap_or_default()
                ));
            }
        }
        printer.note(&format!(
            "Apply {}: {ok} succeeded, {failed} failed ({} REST calls, {} round(s)).",
            if applied.complete() {
                "complete"
            } else {
                "incomplete"
            },
            applied.calls,
            report.rounds
        ));
        Ok(if applied.complete() {
            Status::Success
        } else {
            Status::Failure
        })
    })
}
