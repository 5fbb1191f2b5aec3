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
    /// Plan only these workflows (ids or glob patterns: `billing/*`, `**`).
    #[arg(value_name = "ID")]
    targets: Vec<String>,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
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
        let (portal, mut plan) = compute(&project, &args.targets, printer).await?;
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
    let plan = ops::plan::compute_targeted(&portal, &wanted, targets).await?;
    Ok((portal, plan))
}
