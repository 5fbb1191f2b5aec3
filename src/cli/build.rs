//! `b24flow build`: lockfiles to `.bpt` files, the same bytes `apply` uploads.

use std::path::PathBuf;

use b24flow::build;
use b24flow::lockfile::write_atomic;
use b24flow::project::Project;
use owo_colors::OwoColorize;

use super::{Printer, Status};

/// Where `.bpt` files go by default, under the project root (git-ignored local state).
const DEFAULT_OUT: &str = ".b24flow/build";

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The folder to write <id>.bpt files into [default: .b24flow/build in the project].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Only these workflow ids (paths under workflows/ without .txt).
    #[arg(value_name = "ID")]
    ids: Vec<String>,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let cwd = std::env::current_dir().map_err(|e| miette::miette!("{e}"))?;
    let project = Project::discover(&cwd)?;
    let out_dir = args
        .out
        .as_ref()
        .map_or_else(|| project.root.join(DEFAULT_OUT), |d| cwd.join(d));
    let report = build::build(&project, &args.ids)?;

    let total = report.entries.len();
    let (mut built, mut failed) = (0, 0);
    for entry in report.entries {
        for w in entry.warnings {
            printer.error(&miette::Report::new(w));
        }
        match entry.outcome {
            Ok(template) => {
                let path = out_dir.join(format!("{}.bpt", entry.id));
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| miette::miette!("cannot create {}: {e}", parent.display()))?;
                }
                write_atomic(&path, &template.to_bpt())
                    .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
                built += 1;
                printer.note(&format!(
                    "{:>12} {} -> {}",
                    "Built".green().bold(),
                    entry.id,
                    shown(&path, &cwd)
                ));
            }
            Err(diagnostics) => {
                failed += 1;
                for d in diagnostics {
                    printer.error(&miette::Report::new(d));
                }
            }
        }
    }
    printer.note(&format!(
        "{built} built, {failed} failed ({total} workflows)"
    ));
    Ok(if failed > 0 {
        Status::Failure
    } else {
        Status::Success
    })
}

fn shown(path: &std::path::Path, cwd: &std::path::Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}
