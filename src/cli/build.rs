//! `b24flow build`: lockfiles to `.bpt` files, the same bytes `apply` uploads.

use std::path::{Path, PathBuf};

use b24flow::build::build_all;
use b24flow::lockfile::write_atomic;
use b24flow::project::Project;

use super::{Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The folder to write <id>.bpt files into [default: .b24flow/build in the project].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Only these workflow ids (paths under workflows/ without .txt).
    #[arg(value_name = "ID")]
    ids: Vec<String>,
    #[command(flatten)]
    env: super::EnvArg,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let cwd = std::env::current_dir().map_err(|e| miette::miette!("{e}"))?;
    let project = Project::discover(&cwd)?.select_environment(
        args.env
            .env
            .clone()
            .or(b24flow::config::Env::capture().default_environment)
            .as_deref(),
    )?;
    let out_dir = args
        .out
        .as_ref()
        .map_or_else(|| project.state().build(), |d| cwd.join(d));
    let (built, problems) = build_all(&project, &args.ids)?;

    // Workflows that compile are written even when others fail, so one run shows
    // every problem and every good template.
    for b in &built {
        for w in &b.warnings {
            printer.error(w);
        }
        let path = out_dir.join(format!("{}.bpt", b.workflow.id));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| miette::miette!("cannot create {}: {e}", parent.display()))?;
        }
        write_atomic(&path, &b.bpt())
            .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
        printer.status(
            "Built",
            &format!("{} -> {}", b.workflow.id, shown(&path, &cwd)),
        );
    }
    for p in &problems {
        printer.error(p);
    }
    printer.note(&format!(
        "{} built, {} problems",
        built.len(),
        problems.len()
    ));
    Ok(if problems.is_empty() {
        Status::Success
    } else {
        Status::Failure
    })
}

fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
