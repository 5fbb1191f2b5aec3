//! `b24flow apply`: make the portal match the lockfiles.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use b24flow::apply::{self, ApplyOptions, Journal, Lock};
use b24flow::build::build_all;
use b24flow::plan::{self, Action, Plan};
use b24flow::project::Project;
use b24flow::render::Style;
use indicatif::{ProgressBar, ProgressStyle};
use owo_colors::OwoColorize;

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
                printer.out(&b24flow::render::render_text(
                    &plan,
                    Style {
                        color: printer.colors_stdout(),
                    },
                ));
                (portal, plan)
            }
            Some(path) => saved(&project, path, printer).await?,
        };
        super::plan::check_deletes(&plan, &project, args.allow_deletes)?;
        if !plan.has_changes() {
            printer.note("Nothing to apply.");
            return Ok(Status::Success);
        }
        if args.plan.is_none() && !args.auto_approve && !confirm()? {
            printer.note("Apply cancelled; nothing was changed.");
            return Ok(Status::Failure);
        }
        let state = project.root.join(".b24flow");
        let _lock = Lock::acquire(&state.join("apply.lock"), &portal.label, args.break_lock)?;
        let journal = Journal::open(state.join("journal.jsonl"), &portal.label);
        let total = plan.actionable().count() as u64;
        let bar = progress(printer, total);
        let before = portal.client.stats().requests;
        let options = ApplyOptions {
            batch: !args.no_batch,
            ..ApplyOptions::default()
        };
        let report = apply::apply(&portal.client, &portal, &plan, &journal, options, &|o| {
            bar.inc(1);
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
            let line = match &o.error {
                None => format!("{:>12} {}{id}", verb.green().bold(), o.id),
                Some(e) => format!("{:>12} {}{id}: {e}", "failed".red().bold(), o.id),
            };
            if bar.is_hidden() {
                printer.note(&line);
            } else {
                bar.println(line);
            }
        })
        .await;
        bar.finish_and_clear();
        let calls = portal.client.stats().requests - before;
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
                    o.error.as_deref().unwrap_or("")
                ));
            }
        }
        printer.note(&format!(
            "Apply {}: {ok} succeeded, {failed} failed ({calls} REST calls, {} round(s)).",
            if failed == 0 {
                "complete"
            } else {
                "incomplete"
            },
            report.rounds
        ));
        Ok(if failed == 0 {
            Status::Success
        } else {
            Status::Failure
        })
    })
}

/// Loads a saved plan and checks that it still describes the lockfiles and the portal.
async fn saved(
    project: &Project,
    path: &std::path::Path,
    printer: &Printer,
) -> miette::Result<(b24flow::portal::Portal, Plan)> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| miette::miette!("cannot read the plan {}: {e}", path.display()))?;
    let plan: Plan = serde_json::from_str(&text).map_err(|e| {
        miette::miette!(
            code = "b24flow::apply::bad_plan",
            help = "make a new one with `b24flow plan --out FILE`",
            "{} is not a b24flow plan: {e}",
            path.display()
        )
    })?;
    if plan.format_version != plan::FORMAT_VERSION {
        return Err(miette::miette!(
            "{} has plan format {}; this b24flow reads {}",
            path.display(),
            plan.format_version,
            plan::FORMAT_VERSION
        ));
    }
    let stale = |what: &str| {
        miette::miette!(
            code = "b24flow::apply::stale_plan",
            help = "make a new plan with `b24flow plan --out FILE`, review it, and apply that",
            "the saved plan is stale: {what} changed since it was made; nothing was applied"
        )
    };
    let (built, problems) = build_all(project, &[])?;
    if !problems.is_empty() {
        for p in problems {
            printer.error(&p);
        }
        return Err(stale("the lockfiles"));
    }
    let now: std::collections::BTreeMap<String, String> = built
        .into_iter()
        .map(|b| (b.desired.id.clone(), b.desired.lockfile_sha256))
        .collect();
    if now != plan.lockfiles {
        return Err(stale("the lockfiles"));
    }
    let portal = super::connect(project, printer).await?;
    if portal.label != plan.portal {
        return Err(miette::miette!(
            code = "b24flow::apply::other_portal",
            "the saved plan was made for {}, but the configured portal is {}",
            plan.portal,
            portal.label
        ));
    }
    let live = portal.live().await?;
    if plan::live_fingerprint(&live) != plan.live_fingerprint {
        return Err(stale("the portal"));
    }
    printer.note(&b24flow::render::summary_line(&plan.summary));
    Ok((portal, plan))
}

fn confirm() -> miette::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(miette::miette!(
            code = "b24flow::apply::needs_approval",
            help = "review the plan and pass --auto-approve, or apply a saved plan: `b24flow plan --out plan.json`, then `b24flow apply plan.json`",
            "apply needs confirmation, and standard input is not a terminal"
        ));
    }
    eprint!("\nApply these changes to the portal? Only 'yes' is accepted: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| miette::miette!("cannot read the answer: {e}"))?;
    Ok(answer.trim() == "yes")
}

fn progress(printer: &Printer, total: u64) -> ProgressBar {
    if printer.is_quiet() || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} Applying {pos}/{len} {wide_bar}")
            .expect("a valid template"),
    );
    bar
}
