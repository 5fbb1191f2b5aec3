//! `b24flow compile`: specs to lockfiles; with `--check`, a CI gate that calls no parser.

use b24flow::compile::{self, CompileOptions, Freshness, Status as EntryStatus};
use b24flow::project::Project;

use super::parse::FORMULA;
use super::parser_args::ParserArgs;
use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Write nothing and call no parser: fail if any lockfile is missing, stale or
    /// orphaned (for CI).
    #[arg(long)]
    check: bool,
    /// Recompile every spec, even those whose lockfile is up to date.
    #[arg(long, conflicts_with = "check")]
    force: bool,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    json: bool,
    /// How many specs an LLM parser works on at once [default: [parser] jobs, 4].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    jobs: Option<u16>,
    /// Only these workflow ids (paths under workflows/ without .txt).
    #[arg(value_name = "ID")]
    ids: Vec<String>,
    #[command(flatten)]
    parser: ParserArgs,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = Project::discover(&std::env::current_dir().map_err(|e| miette::miette!("{e}"))?)?;
    if args.check {
        return check(&project, args.json, printer);
    }
    let parser = args.parser.build(&project)?;
    let identity = parser.identity();
    let total = project.workflows()?.len() as u64;
    let bar = printer.progress(total, "Parsing");
    let opts = CompileOptions {
        force: args.force,
        only: args.ids.clone(),
        jobs: args.jobs.map(usize::from),
    };
    let report = runtime()?.block_on(compile::compile(&project, &parser, &opts, &|| bar.inc()))?;
    bar.finish();

    let mut failed = 0;
    for entry in &report.entries {
        match &entry.status {
            EntryStatus::Compiled => {
                printer.status("Compiled", &format!("{} ({})", entry.id, identity.name));
            }
            EntryStatus::Fresh => {}
            EntryStatus::Retemplated => printer.status(
                "Updated",
                &format!("{} (template only; the spec is unchanged)", entry.id),
            ),
            EntryStatus::NeedsClarification(questions) => {
                failed += 1;
                let mut text = format!(
                    "{} needs clarification; no lockfile was written",
                    entry.spec
                );
                for q in questions {
                    text.push_str("\n  - ");
                    text.push_str(q);
                }
                if !questions.iter().any(|q| q.contains(FORMULA)) {
                    text.push_str("\n  help: rewrite it as \"");
                    text.push_str(FORMULA);
                    text.push('"');
                }
                printer.problem(&text);
            }
            EntryStatus::Failed(reports) => {
                failed += 1;
                for r in reports {
                    printer.error(r);
                }
            }
        }
    }
    let compiled = report.count(|s| matches!(s, EntryStatus::Compiled | EntryStatus::Retemplated));
    let fresh = report.count(|s| matches!(s, EntryStatus::Fresh));
    if args.json {
        printer.json(&report.document());
    }
    printer.note(&format!(
        "{compiled} compiled, {fresh} up to date, {failed} failed ({} workflows)",
        report.entries.len()
    ));
    Ok(if report.has_failures() {
        Status::Failure
    } else {
        Status::Success
    })
}

fn check(project: &Project, json: bool, printer: &Printer) -> miette::Result<Status> {
    let (checked, findings) = compile::check(project)?;
    for f in &findings {
        let what = match &f.freshness {
            Freshness::Missing => "has no lockfile; run `b24flow compile`".to_owned(),
            Freshness::Stale => {
                "changed since its lockfile was written; run `b24flow compile`".to_owned()
            }
            Freshness::Unreadable(why) => format!("cannot be checked: {why}"),
            Freshness::Orphaned => {
                "is a lockfile without a spec; delete it or restore the spec".to_owned()
            }
            Freshness::OrphanedTest => {
                "tests a workflow that does not exist; rename it to <id>.test.yaml beside the spec, or delete it".to_owned()
            }
            Freshness::TemplateChanged => "compiles to a different template than its lockfile records (b24flow.toml or b24flow changed); run `b24flow compile`".to_owned(),
        };
        printer.problem(&format!("{} {what}", f.path));
    }
    if json {
        printer.json(&compile::CheckDocument::new(checked, &findings));
    }
    let protected = b24flow::ops::protect::check_files(project)?;
    for report in protected.warnings.iter().chain(&protected.errors) {
        printer.error(report);
    }
    if !protected.errors.is_empty() {
        printer.note(&format!(
            "{} protected workflow(s) lost their spec",
            protected.errors.len()
        ));
        return Ok(Status::Failure);
    }
    if findings.is_empty() {
        printer.note(&format!("{checked} lockfiles are up to date"));
        Ok(Status::Success)
    } else {
        // A file without its spec is not fixed by compiling: say so apart.
        let orphans = findings
            .iter()
            .filter(|f| matches!(f.freshness, Freshness::Orphaned | Freshness::OrphanedTest))
            .count();
        let mut parts = Vec::new();
        if findings.len() > orphans {
            parts.push(format!(
                "{} of {checked} workflows need `b24flow compile`",
                findings.len() - orphans
            ));
        }
        if orphans > 0 {
            parts.push(format!(
                "{orphans} file(s) without a spec to rename or delete"
            ));
        }
        printer.note(&parts.join("; "));
        Ok(Status::Failure)
    }
}
