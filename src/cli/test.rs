//! `b24flow test`: run the workflows' test files on a fresh local portal; see
//! [`b24flow::behave`]. With `--init ID`, write a starter test file instead.

use std::fmt::Write as _;

use b24flow::behave::{self, CaseOutcome, Report, report::FileStatus};

use super::{Printer, Status, runtime};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A cargo-test-like report.
    Text,
    /// The typed report (schema/test-report.schema.json).
    Json,
    /// JUnit XML, for CI test reports.
    Junit,
}

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only these workflows' test files (every workflow is still loaded into the portal).
    #[arg(value_name = "ID")]
    ids: Vec<String>,
    /// How to print the report on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write a starter test file for this workflow (one case that fires, one that must
    /// not) instead of running tests.
    #[arg(long, value_name = "ID", conflicts_with_all = ["ids", "format"])]
    init: Option<String>,
    #[command(flatten)]
    env: super::EnvArg,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project_in(&args.env)?;
    if let Some(id) = &args.init {
        return init(&project, id, printer);
    }
    let (report, problems) = runtime()?.block_on(behave::test(&project, &args.ids))?;
    for p in &problems {
        printer.error(p);
    }
    match args.format {
        Format::Text => printer.out(&text(&report)),
        Format::Json => printer.json(&report),
        Format::Junit => printer.out(&report.junit(&|c| c.seconds)),
    }
    Ok(if report.ok() && problems.is_empty() {
        Status::Success
    } else {
        Status::Failure
    })
}

/// The report for people, as `cargo test` prints its own.
fn text(report: &Report) -> String {
    let mut out = String::new();
    let cases: usize = report.files.iter().map(|f| f.cases.len()).sum();
    let files = report
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Missing)
        .count();
    let _ = writeln!(out, "running {cases} cases from {files} test files\n");
    let mut failures = Vec::new();
    for f in &report.files {
        match f.status {
            FileStatus::Missing => {
                let _ = writeln!(
                    out,
                    "{}: no test file (write one with `b24flow test --init {}`)",
                    f.workflow, f.workflow
                );
            }
            FileStatus::Invalid => {
                let _ = writeln!(out, "{}: {} does not load ... FAILED", f.workflow, f.file);
            }
            FileStatus::Ran => {}
        }
        for c in &f.cases {
            let verdict = match c.outcome {
                CaseOutcome::Passed => "ok".to_owned(),
                CaseOutcome::Failed | CaseOutcome::Error => {
                    failures.push((f, c));
                    "FAILED".to_owned()
                }
                CaseOutcome::Skipped => {
                    format!("skipped ({})", c.message.as_deref().unwrap_or_default())
                }
            };
            let _ = writeln!(out, "test {} :: {} ... {verdict}", f.workflow, c.name);
        }
    }
    if !failures.is_empty() {
        out.push_str("\nfailures:\n");
        for (f, c) in &failures {
            let _ = writeln!(out, "\n---- {} :: {} ----", f.workflow, c.name);
            let _ = writeln!(out, "{}", c.message.as_deref().unwrap_or_default());
            if c.outcome == CaseOutcome::Failed {
                out.push_str(&c.side_by_side());
            }
        }
    }
    let _ = writeln!(
        out,
        "\ntest result: {}. {} passed, {} failed{}",
        if report.ok() { "ok" } else { "FAILED" },
        report.passed,
        report.failed,
        if report.skipped > 0 {
            format!(", {} skipped", report.skipped)
        } else {
            String::new()
        }
    );
    out
}

fn init(
    project: &b24flow::project::Project,
    id: &str,
    printer: &Printer,
) -> miette::Result<Status> {
    let w = project.select(&[id.to_owned()])?.remove(0);
    let path = behave::test_path(&w);
    let shown = project.relative(&path);
    if path.exists() {
        return Err(miette::miette!(
            code = "b24flow::test::exists",
            help = "edit it, or delete it first",
            "{shown} already exists"
        ));
    }
    let lock = b24flow::lockfile::Lockfile::read(&w.lock_path)?;
    let bp = &lock.lockfile.blueprint;
    let kind = behave::file::kind_of(&bp.entity).ok_or_else(|| {
        miette::miette!(
            code = "b24flow::test::entity",
            "the local portal keeps no {} records, so `{id}` cannot be tested",
            bp.entity
        )
    })?;
    let schema = project
        .schema_ref(&w.lock_path)
        .replace("lockfile.schema.json", "test-file.schema.json");
    let text = format!(
        "# yaml-language-server: $schema={schema}\n# Behaviour tests for {}: run them with `b24flow test {id}`.\n{}",
        w.spec_rel,
        behave::file::starter(bp, kind)
    );
    b24flow::lockfile::write_atomic(&path, text.as_bytes())
        .map_err(|e| miette::miette!(code = "b24flow::io", "cannot write {shown}: {e}"))?;
    printer.status("Wrote", &shown);
    Ok(Status::Success)
}
