//! `b24flow plan`: what apply would change in the portal, without changing it.

use std::path::PathBuf;

use b24flow::behave;
use b24flow::ops;
use b24flow::plan::{self, Plan};
use b24flow::portal::Portal;
use b24flow::project::Project;
use b24flow::render::{self, Style};

use super::{Printer, Status, runtime};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A coloured diff per template, for people.
    Text,
    /// A versioned JSON document (schema/plan.schema.json).
    Json,
    /// For a pull-request comment or $GITHUB_STEP_SUMMARY (at most 65,000 characters).
    Markdown,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Save the plan to FILE; `b24flow apply FILE` then applies exactly it.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// How to print the plan.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 0 when there are no changes, 2 when there are, 1 on error.
    #[arg(long)]
    detailed_exitcode: bool,
    /// Allow this many template deletions (default: [policy] max_deletes, 3).
    #[arg(long, value_name = "N")]
    allow_deletes: Option<u32>,
    /// The project as of the pull request's base commit (e.g. a `git worktree` of it):
    /// each update is explained against its lockfile there, change by change.
    #[arg(long, value_name = "DIR")]
    base: Option<PathBuf>,
    /// Add the results of `b24flow test --format json` saved in FILE to the Markdown
    /// plan: a passed/failed headline and each failure's expected and actual effects.
    #[arg(long, value_name = "FILE")]
    tests: Option<PathBuf>,
    /// Re-read the environment's names and ids from its portal and plan against them
    /// instead of the committed `environments/<NAME>.yaml` (which is left as it is; the
    /// output names what changed, for `b24flow snapshot`).
    #[arg(long)]
    refresh: bool,
    /// Plan only these workflows (ids or glob patterns: `billing/*`, `**`).
    #[arg(value_name = "ID")]
    targets: Vec<String>,
    #[command(flatten)]
    env: super::EnvArg,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project_in(&args.env)?;
    if args.refresh && project.environment().is_none() {
        return Err(miette::miette!(
            code = "b24flow::plan::refresh_without_environment",
            help = "give --env NAME (or set B24FLOW_ENV); without an environment names are not resolved and there is nothing to refresh",
            "--refresh re-reads an environment's snapshot"
        ));
    }
    // Read before the portal is asked anything: a missing report is the caller's
    // mistake, and says so at once.
    let appendices = match &args.tests {
        None => Vec::new(),
        Some(_) if args.format != Format::Markdown => {
            return Err(miette::miette!(
                code = "b24flow::plan::tests_format",
                help = "add --format markdown",
                "--tests adds a section to the Markdown plan only"
            ));
        }
        Some(path) => vec![render::tests_appendix(&behave::report::read(path)?)],
    };
    runtime()?.block_on(async {
        let (portal, mut plan) = if args.refresh {
            compute_refreshed(&project, &args.targets, printer).await?
        } else {
            compute(&project, &args.targets, printer).await?
        };
        drop(portal);
        ops::plan::review(&mut plan, &project, args.base.as_deref())?;
        match args.format {
            Format::Text => printer.out(&render::render_text(
                &plan,
                Style {
                    color: printer.colors_stdout(),
                },
            )),
            Format::Json => printer.json(&plan::document(&plan)),
            Format::Markdown => printer.out(&render::render_markdown_with(&plan, &appendices)),
        }
        ops::plan::check_policy(&plan, &project.config, args.allow_deletes)?;
        if let Some(path) = &args.out {
            ops::plan::save(&plan, path)?;
            printer.note(&format!(
                "Saved the plan to {}; apply it with `b24flow apply {}`.",
                path.display(),
                path.display()
            ));
        }
        Ok(if args.detailed_exitcode && plan.has_changes() {
            Status::Changes
        } else {
            Status::Success
        })
    })
}

/// The plan operation (restricted to `targets` when there are any) with its output: every problem and warning printed, then the
/// portal named, then the plan computed.
pub(crate) async fn compute(
    project: &Project,
    targets: &[String],
    printer: &Printer,
) -> miette::Result<(Portal, Plan)> {
    let wanted = if targets.is_empty() {
        ops::plan::wanted(project)
    } else {
        ops::target::wanted(project, targets)
    }
    .map_err(|e| super::fail(printer, e))?;
    for w in &wanted.warnings {
        printer.error(w);
    }
    let portal = super::connect(project, printer).await?;
    warn_stale_snapshot(project, &portal, printer).await;
    let plan = ops::plan::compute_targeted(&portal, &wanted, targets).await?;
    Ok((portal, plan))
}

/// [`compute`] with the environment's names and ids read from its portal now rather
/// than from the committed snapshot (kept on disk as it is; its aliases still apply),
/// and what changed since that snapshot said, so the user knows to run `snapshot`.
/// The portal is connected to first, since the names the lockfiles carry resolve
/// against what it says.
pub(crate) async fn compute_refreshed(
    project: &Project,
    targets: &[String],
    printer: &Printer,
) -> miette::Result<(Portal, Plan)> {
    let Some(b24flow::config::Selected { name, snapshot }) = &project.config.selected else {
        return compute(project, targets, printer).await;
    };
    let portal = super::connect(project, printer).await?;
    let app = super::env().client_id.as_deref();
    let mut fresh = b24flow::snapshot::read::read(&portal.client, name, app).await?;
    let file = format!("{}/{name}.yaml", b24flow::snapshot::DIR);
    match snapshot {
        None => printer.note(&format!(
            "Refreshed: {file} does not exist yet; planning against the portal's names and ids as read now. Run `b24flow snapshot --env {name}` and commit it."
        )),
        Some(committed) => {
            fresh.aliases.clone_from(&committed.aliases);
            // A list this portal would not give these credentials (SMS providers to a
            // webhook) stays as committed.
            if fresh.sms_providers.is_none() {
                fresh.sms_providers.clone_from(&committed.sms_providers);
            }
            if fresh.open_lines.is_none() {
                fresh.open_lines.clone_from(&committed.open_lines);
            }
            let changes = committed.changes(&fresh);
            if changes.is_empty() {
                printer.note(&format!("Refreshed: {file} matches the portal."));
            } else {
                let mut note = format!(
                    "Refreshed: the portal of `{name}` differs from {file} (this plan uses the portal as it is now); run `b24flow snapshot --env {name}` and commit the diff:"
                );
                for change in &changes {
                    note.push_str("\n  - ");
                    note.push_str(change);
                }
                printer.note(&note);
            }
        }
    }
    let mut refreshed = project.clone();
    if let Some(selected) = refreshed.config.selected.as_mut() {
        selected.snapshot = Some(std::sync::Arc::new(fresh));
    }
    let wanted = if targets.is_empty() {
        ops::plan::wanted(&refreshed)
    } else {
        ops::target::wanted(&refreshed, targets)
    }
    .map_err(|e| super::fail(printer, e))?;
    for w in &wanted.warnings {
        printer.error(w);
    }
    let plan = ops::plan::compute_targeted(&portal, &wanted, targets).await?;
    Ok((portal, plan))
}

/// With an environment whose snapshot names were resolved against, re-reads the portal's
/// names and ids (one batch) and warns when the committed snapshot no longer matches.
async fn warn_stale_snapshot(project: &Project, portal: &Portal, printer: &Printer) {
    let Some(b24flow::config::Selected {
        name,
        snapshot: Some(snapshot),
    }) = &project.config.selected
    else {
        return;
    };
    let app = super::env().client_id.as_deref();
    match b24flow::snapshot::read::read(&portal.client, name, app).await {
        Ok(fresh) if !fresh.same_portal(snapshot) => {
            let mut note = format!(
                "Warning: environments/{name}.yaml is older than the portal's names and ids; run `b24flow snapshot --env {name}` and review the diff (or plan with --refresh):"
            );
            for change in snapshot.changes(&fresh) {
                note.push_str("\n  - ");
                note.push_str(&change);
            }
            printer.note(&note);
        }
        Ok(_) => {}
        Err(e) => printer.note(&format!(
            "Warning: could not check environments/{name}.yaml against the portal: {e}"
        )),
    }
}
