//! `b24flow rollback --to GIT_REF [ID…]`: the portal back to the lockfiles at a commit,
//! after the usual plan and confirmation; the working tree is not touched.

use b24flow::apply::ApplyOptions;
use b24flow::ops;
use b24flow::render::{self, Style};

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The commit, tag or branch whose lockfiles the portal goes back to.
    #[arg(long = "to", value_name = "GIT_REF")]
    to: String,
    /// Roll back only these workflows (ids or glob patterns).
    #[arg(value_name = "ID")]
    targets: Vec<String>,
    #[command(flatten)]
    guards: super::ApplyGuards,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    let at = ops::rollback::wanted_at(&project, &args.to, &args.targets)
        .map_err(|e| super::fail(printer, e))?;
    for w in &at.wanted.warnings {
        printer.error(w);
    }
    runtime()?.block_on(async {
        let portal = super::connect(&project, printer).await?;
        let plan = ops::rollback::plan(&portal, &at, &args.targets).await?;
        printer.out(&render::render_text(
            &plan,
            Style {
                color: printer.colors_stdout(),
            },
        ));
        ops::plan::check_policy(&plan, &project.config, args.guards.allow_deletes)?;
        if !plan.has_changes() {
            printer.note(&format!(
                "Nothing to roll back: the portal already matches {}.",
                args.to
            ));
            return Ok(Status::Success);
        }
        let refusal = || {
            miette::miette!(
                code = "b24flow::rollback::needs_approval",
                help = "review the plan and pass --auto-approve",
                "rollback needs confirmation, and standard input is not a terminal"
            )
        };
        let question = format!("\nApply this {}?", at.context());
        let cancelled = "Rollback cancelled; nothing was changed.";
        if !printer.approve(args.guards.auto_approve, &question, refusal, cancelled)? {
            return Ok(Status::Failure);
        }
        let bar = printer.progress(plan.actionable().count() as u64, "Rolling back");
        let options = ops::apply::Options {
            engine: ApplyOptions::default(),
            break_lock: args.guards.break_lock,
            // The templates come back as they were at that commit, so it is the one
            // their markers name.
            commit: Some(at.commit.clone()),
        };
        let applied =
            ops::rollback::apply(&project.state(), &portal, &plan, &at, options, &|o| {
                bar.inc();
                match &o.error {
                    None => bar.status(true, "done", &o.id),
                    Some(e) => bar.status(false, "failed", &format!("{}: {e}", o.id)),
                }
            })
            .await;
        bar.finish();
        let applied = applied?;
        let failed = applied.report.failed();
        let ok = applied.report.outcomes.len() - failed;
        printer.note(&format!(
            "The {} is {}: {ok} succeeded, {failed} failed. The working tree still has the newer lockfiles; revert them in git too, or the next apply undoes the rollback.",
            at.context(),
            if applied.complete() { "complete" } else { "incomplete" },
        ));
        Ok(if applied.complete() {
            Status::Success
        } else {
            Status::Failure
        })
    })
}
