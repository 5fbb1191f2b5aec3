//! `b24flow disable ID` and `b24flow enable ID`: pause or resume a workflow by editing
//! its spec's front matter (and its lockfile); the next apply sets auto-start.

use b24flow::ops;

use super::{Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The workflow id (the spec's path under workflows/ without .txt).
    #[arg(value_name = "ID")]
    id: String,
}

pub(crate) fn run(args: &Args, enabled: bool, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    let done = ops::pause::set_enabled(&project, &args.id, enabled)
        .map_err(|e| super::fail(printer, e))?;
    let state = if enabled { "enabled" } else { "paused" };
    printer.note(&if done.changed {
        format!(
            "{} is now {state}; review and commit the spec and lockfile, then `b24flow apply`.",
            done.id
        )
    } else {
        format!("{} is already {state}; nothing was changed.", done.id)
    });
    Ok(Status::Success)
}
