//! `b24flow plan`: what apply would change in the portal, without changing it.

use std::path::PathBuf;

use b24flow::build::build_all;
use b24flow::plan::{self, Plan};
use b24flow::portal::Portal;
use b24flow::project::Project;
use b24flow::render::Style;

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
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    runtime()?.block_on(async {
        let (portal, plan) = compute(&project, printer).await?;
        drop(portal);
        match args.format {
            Format::Text => printer.out(&b24flow::render::render_text(
                &plan,
                Style {
                    color: printer.colors_stdout(),
                },
            )),
            Format::Json => {
                let doc =
                    serde_json::to_string_pretty(&plan::to_json(&plan)).expect("a plan serializes");
                printer.out(&format!("{doc}\n"));
            }
            Format::Markdown => printer.out(&b24flow::render::render_markdown(&plan)),
        }
        check_deletes(&plan, &project, args.allow_deletes)?;
        if let Some(path) = &args.out {
            save(&plan, path)?;
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

/// Builds the desired templates, lists the portal and computes the plan. Refuses
/// stale or invalid lockfiles, printing every problem.
pub(crate) async fn compute(
    project: &Project,
    printer: &Printer,
) -> miette::Result<(Portal, Plan)> {
    let (built, problems) = build_all(project, &[])?;
    if !problems.is_empty() {
        let count = problems.len();
        for p in problems {
            printer.error(&p);
        }
        return Err(miette::miette!(
            code = "b24flow::plan::invalid_lockfiles",
            help = "fix the specs, run `b24flow compile`, and commit the lockfiles; plan and apply never call a parser",
            "{count} problem(s) in the workflows; nothing was planned"
        ));
    }
    for b in &built {
        for w in &b.warnings {
            printer.error(w);
        }
    }
    let portal = super::connect(project, printer).await?;
    let live = portal.live().await?;
    let desired: Vec<_> = built.into_iter().map(|b| b.desired).collect();
    let plan = plan::build(&portal.label, &desired, &live);
    Ok((portal, plan))
}

/// The deletion guard: refuses a plan that deletes more templates than allowed.
pub(crate) fn check_deletes(
    plan: &Plan,
    project: &Project,
    allow: Option<u32>,
) -> miette::Result<()> {
    let limit = allow.unwrap_or(project.config.policy.max_deletes);
    let deletes = plan.summary.delete;
    if deletes > limit as usize {
        return Err(miette::miette!(
            code = "b24flow::plan::too_many_deletes",
            help = format!(
                "if that is intended, pass --allow-deletes {deletes} (the limit is [policy] max_deletes in b24flow.toml)"
            ),
            "the plan deletes {deletes} templates; at most {limit} may be deleted at once"
        ));
    }
    Ok(())
}

fn save(plan: &Plan, path: &std::path::Path) -> miette::Result<()> {
    let text = serde_json::to_string_pretty(plan).expect("a plan serializes");
    b24flow::lockfile::write_atomic(path, text.as_bytes())
        .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))
}
