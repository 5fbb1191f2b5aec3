//! `b24flow parse`: one description to a blueprint, printed; nothing is written.

use std::fmt::Write;
use std::io::Read;

use b24flow::nl::Outcome;
use b24flow::project::{Project, check_spec_bytes};

use super::parser_args::ParserArgs;
use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The description, in quotes; `-` reads it from standard input.
    text: String,
    /// Print `{"status": "ok", "workflow": ...}` or `{"status": "needs_clarification",
    /// "questions": [...]}`.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    parser: ParserArgs,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = Project::discover(&std::env::current_dir().map_err(|e| miette::miette!("{e}"))?)?;
    let text = if args.text == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(b24flow::project::MAX_SPEC_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| miette::miette!("cannot read standard input: {e}"))?;
        check_spec_bytes(bytes, "standard input")?
    } else {
        check_spec_bytes(args.text.clone().into_bytes(), "the description")?
    };
    let parser = args.parser.build(&project)?;
    let outcome = runtime()?.block_on(parser.parse(&text))?;
    let outcome = match outcome {
        Outcome::Ok { workflow } => Outcome::Ok {
            workflow: workflow.normalized(),
        },
        Outcome::NeedsClarification { questions } => Outcome::NeedsClarification { questions },
    };
    if args.json {
        printer.json(&outcome);
    } else {
        printer.out(&render(&outcome));
    }
    match &outcome {
        Outcome::Ok { workflow } => {
            for problem in b24flow::resolve::diagnose(workflow, &project.config) {
                printer.note(&format!("warning: {problem}"));
            }
            Ok(Status::Success)
        }
        Outcome::NeedsClarification { .. } => Ok(Status::Failure),
    }
}

/// The pattern of a description that parses.
pub(crate) const FORMULA: &str = "When [trigger event], [do this action] to/for [who]";

/// The outcome for people.
pub(crate) fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    match outcome {
        Outcome::Ok { workflow } => {
            let _ = writeln!(out, "Name      {}", workflow.name);
            let mut trigger = workflow.trigger.kind.clone();
            for (k, v) in &workflow.trigger.params {
                let _ = write!(trigger, " {k}={v}");
            }
            let event = b24flow::catalog::trigger(&workflow.trigger.kind).map_or("", |t| t.event);
            let _ = writeln!(out, "Trigger   {trigger} ({event})");
            let _ = writeln!(out, "Entity    {}", workflow.entity);
            for (i, c) in workflow.conditions.iter().enumerate() {
                let label = if i == 0 { "Only if" } else { "and" };
                let _ = writeln!(out, "{label:<9} {} {} {}", c.field, c.operator, c.value);
            }
            for (i, a) in workflow.actions.iter().enumerate() {
                let label = if i == 0 { "Actions" } else { "" };
                let _ = writeln!(out, "{label:<9} {}. {}", i + 1, a.kind);
                let order = b24flow::catalog::action(&a.kind)
                    .map(|info| info.fields)
                    .unwrap_or_default();
                for f in order {
                    if let Some(v) = a.field(f.name) {
                        let _ = writeln!(out, "{:<12} {:<12} {v}", "", f.name);
                    }
                }
            }
        }
        Outcome::NeedsClarification { questions } => {
            let _ = writeln!(out, "The description needs clarification:");
            for q in questions {
                let _ = writeln!(out, "  - {q}");
            }
            if !questions.iter().any(|q| q.contains(FORMULA)) {
                let _ = writeln!(out, "Tip: write \"{FORMULA}\".");
            }
        }
    }
    out
}
