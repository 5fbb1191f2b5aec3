//! `b24flow validate`: every lockfile parses and passes every rule; see
//! [`b24flow::ops::validate`].

use b24flow::ops::validate::{Finding, validate};

use super::{Printer, Status};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Print a JSON report on stdout.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    let validation = validate(&project)?;
    let report = validation.report();
    for finding in validation.findings {
        match finding {
            Finding::Rule(placed) => printer.error(&miette::Report::new(placed)),
            Finding::Unreadable { error, .. } => printer.error(&miette::Report::new(error)),
            Finding::Opaque { error, .. } => printer.error(&error),
        }
    }
    if args.json {
        printer.json(&report);
    }
    if report.ok {
        printer.note(&format!("{} lockfiles are valid", report.checked));
        Ok(Status::Success)
    } else {
        printer.note(&format!(
            "{} problems in {} lockfiles",
            report.problems.len(),
            report.checked
        ));
        Ok(Status::Failure)
    }
}
