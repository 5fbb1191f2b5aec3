//! `b24flow apply`: make the portal match the lockfiles.

use std::path::PathBuf;

use b24flow::apply::ApplyOptions;
use b24flow::ops;
use b24flow::plan::Action;
use b24flow::render::{self, Style};

use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A plan saved by `b24flow plan --out FILE` (apply exactly it, or refuse if the
    /// lockfiles or the portal changed since); or workflow ids or glob patterns to
    /// plan and apply only those workflows.
    #[arg(value_name = "PLAN|ID")]
    plan_or_ids: Vec<String>,
    #[command(flatten)]
    guards: super::ApplyGuards,
    /// Send one request per change instead of batches of up to 50.
    #[arg(long)]
    no_batch: bool,
    /// Terminate the running workflow instances of templates the plan deletes or
    /// replaces, then delete them now (by default such a template is retired: its
    /// auto-start is turned off, and a later apply deletes it once they finish).
    #[arg(long)]
    terminate_running: bool,
    #[command(flatten)]
    env: super::EnvArg,
}

impl Args {
    /// The saved plan: one argument that names an existing file or ends in `.json`
    /// (workflow ids name specs without their `.txt`, so they are never files).
    fn saved_plan(&self) -> Option<PathBuf> {
        match self.plan_or_ids.as_slice() {
            [one]
                if std::path::Path::new(one).is_file()
                    || std::path::Path::new(one)
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("json")) =>
            {
                Some(PathBuf::from(one))
            }
            _ => None,
        }
    }
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project_in(&args.env)?;
    let saved = args.saved_plan();
    runtime()?.block_on(async {
        let (portal, plan) = match &saved {
            None => {
                let (portal, plan) = super::plan::compute(&project, &args.plan_or_ids, printer).await?;
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
        ops::plan::check_policy(&plan, &project.config, args.guards.allow_deletes)?;
        // Runner workflows need the portal's offline event bindings, not templates.
        let runners = ops::runner::workflows(&project)?;
        let handler = project.config.runner.handler_url.as_deref();
        let bindings = ops::runner::bindings(&portal, &runners, handler).await?;
        for e in &bindings.missing {
            printer.note(&format!("  + bind offline event {e}"));
        }
        for e in &bindings.extra {
            printer.note(&format!("  - unbind offline event {e}"));
        }
        for e in &bindings.missing_online {
            printer.note(&format!("  + bind online event {e} to {}", handler.unwrap_or_default()));
        }
        for e in &bindings.extra_online {
            printer.note(&format!("  - unbind online event {e} from {}", handler.unwrap_or_default()));
        }
        if !plan.has_changes() && bindings.is_empty() {
            printer.note("Nothing to apply.");
            return Ok(Status::Success);
        }
        let refusal = || {
            miette::miette!(
                code = "b24flow::apply::needs_approval",
                help = "review the plan and pass --auto-approve, or apply a saved plan: `b24flow plan --out plan.json`, then `b24flow apply plan.json`",
                "apply needs confirmation, and standard input is not a terminal"
            )
        };
        // A saved plan was reviewed when it was saved.
        let approved = saved.is_some() || args.guards.auto_approve;
        let question = "\nApply these changes to the portal?";
        if !printer.approve(approved, question, refusal, "Apply cancelled; nothing was changed.")? {
            return Ok(Status::Failure);
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
                terminate_running: args.terminate_running,
                ..ApplyOptions::default()
            },
            break_lock: args.guards.break_lock,
            commit: commit(&project.root, printer),
        };
        let on_outcome = |o: &b24flow::apply::Outcome| {
            bar.inc();
            let verb = match o.action {
                Action::Create => "created",
                Action::Update => "updated",
                Action::Replace if o.retiring => "replaced (old template retiring)",
                Action::Replace => "replaced",
                Action::Delete if o.retiring => "retiring",
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
        };
        // Under the lock, apply re-plans and refuses if the plan is not the one shown
        // (or saved): another apply may have run while this one waited at the prompt.
        let applied = ops::apply::run_checked(
            &project,
            &portal,
            &plan,
            args.guards.allow_deletes,
            options,
            &on_outcome,
        )
        .await;
        bar.finish();
        let applied = applied.map_err(|e| super::fail(printer, e))?;
        let report = &applied.report;
        let failed = report.failed();
        let ok = report.outcomes.iter().filter(|o| o.error.is_none()).count();
        for f in &report.fields {
            match &f.error {
                Some(e) => printer.note(&format!("user field {}: failed: {e}", f.field_name)),
                None if f.created => printer.note(&format!("user field {}: created", f.field_name)),
                None => {}
            }
        }
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
        let retiring = report
            .outcomes
            .iter()
            .filter(|o| o.retiring && o.error.is_none())
            .count();
        if retiring > 0 {
            printer.note(&format!(
                "{retiring} template(s) retiring: their workflows still run, so auto-start is off and a later apply deletes them once they finish (`apply --terminate-running` ends them now)."
            ));
        }
        let terminated: usize = report.outcomes.iter().map(|o| o.terminated).sum();
        if terminated > 0 {
            printer.note(&format!("{terminated} running instance(s) terminated."));
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
        if report.state_unknown {
            return Err(miette::miette!(
                code = "b24flow::apply::state_unknown",
                help = "nothing was sent twice; the next apply lists the portal first and finishes the job",
                "a write's outcome is unknown and the portal could not be listed to find out: state unknown, run apply again"
            ));
        }
        Ok(if applied.complete() {
            Status::Success
        } else {
            Status::Failure
        })
    })
}

/// The commit being applied, for the marker of each template written: `GITHUB_SHA` in
/// GitHub Actions, else `git rev-parse HEAD` in the project, else none (a project that is
/// not a git checkout gets markers without a commit).
fn commit(root: &std::path::Path, printer: &Printer) -> Option<String> {
    let found = super::env().commit.clone().or_else(|| {
        let out = std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(root)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        out.status.success().then(|| {
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .to_ascii_lowercase()
        })
    })?;
    if b24flow::plan::valid_commit(&found) {
        Some(found)
    } else {
        printer.note(&format!(
            "Not recording the commit {found:?} in the templates' markers: it is not a git commit id."
        ));
        None
    }
}
