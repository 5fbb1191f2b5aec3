//! `b24flow simulate`: play one made-up record through the workflows on a fresh local
//! portal and print the trace; see [`b24flow::behave::simulate`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use b24flow::behave::file::{Event, Scalar};
use b24flow::behave::run::{Trace, show_effect};
use b24flow::behave::{self, Simulation};
use b24flow::nl::Outcome;
use b24flow::ops;
use clap::CommandFactory as _;

use super::parser_args::ParserArgs;
use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The workflow whose entity the record is of (all workflows are loaded).
    #[arg(value_name = "ID", required_unless_present = "spec")]
    id: Option<String>,
    /// A spec that is not compiled yet: it is parsed and loaded beside the others.
    #[arg(long, value_name = "FILE", conflicts_with = "id")]
    spec: Option<PathBuf>,
    /// The record's fields, as a JSON object, e.g. '{"STAGE_ID":"NEW"}'.
    #[arg(long, value_name = "JSON", default_value = "{}")]
    record: String,
    /// Change a field over REST, as a person would (repeatable, in order with --wait).
    #[arg(long, value_name = "FIELD=VALUE")]
    change: Vec<String>,
    /// Move the portal's clock forward: 30m, 2h, 2d, 1w (repeatable).
    #[arg(long, value_name = "DURATION")]
    wait: Vec<String>,
    /// Print the trace as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    parser: ParserArgs,
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = super::project()?;
    let record: BTreeMap<String, Scalar> = serde_json::from_str(&args.record).map_err(|e| {
        miette::miette!(
            code = "b24flow::simulate::record",
            help = "write a JSON object of field names and text or number values, e.g. '{\"STAGE_ID\":\"NEW\"}'",
            "--record is not a JSON object of fields: {e}"
        )
    })?;
    let events = events_in_order(args)?;
    let sim = Simulation { record, events };
    let rt = runtime()?;
    let (entity, wanted) = if let Some(spec) = &args.spec {
        rt.block_on(from_spec(&project, spec, &args.parser))?
    } else {
        let id = args.id.clone().unwrap_or_default();
        let w = project.select(std::slice::from_ref(&id))?.remove(0);
        let lock = b24flow::lockfile::Lockfile::read(&w.lock_path)?;
        let wanted = ops::plan::wanted(&project).map_err(|e| super::fail(printer, e))?;
        (lock.lockfile.blueprint.entity, wanted)
    };
    let trace = rt.block_on(behave::simulate(&project, &entity, &wanted, &sim))?;
    if args.json {
        printer.json(&trace);
    } else {
        printer.out(&render(&trace));
    }
    Ok(Status::Success)
}

/// `--change` and `--wait` in the order they were given.
fn events_in_order(args: &Args) -> miette::Result<Vec<Event>> {
    let matches = super::Cli::command().get_matches_from(std::env::args_os());
    let sub = matches
        .subcommand_matches("simulate")
        .ok_or_else(|| miette::miette!("simulate was not on the command line"))?;
    let index = |name: &str| -> Vec<usize> {
        sub.indices_of(name)
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let mut events: Vec<(usize, Event)> = Vec::new();
    for (i, c) in index("change").into_iter().zip(&args.change) {
        let (field, value) = c.split_once('=').ok_or_else(|| {
            miette::miette!(
                code = "b24flow::simulate::change",
                help = "write FIELD=VALUE, e.g. --change STAGE_ID=WON",
                "--change `{c}` has no `=`"
            )
        })?;
        let mut m = BTreeMap::new();
        m.insert(field.trim().to_owned(), Scalar::Text(value.to_owned()));
        events.push((i, Event::Change(m)));
    }
    for (i, w) in index("wait").into_iter().zip(&args.wait) {
        if behave::file::wait_seconds(w).is_none() {
            return Err(miette::miette!(
                code = "b24flow::simulate::wait",
                help = "write a number and a unit: 30m, 2h, 2d, 1w",
                "--wait `{w}` is not a duration"
            ));
        }
        events.push((i, Event::Wait(w.clone())));
    }
    events.sort_by_key(|(i, _)| *i);
    Ok(events.into_iter().map(|(_, e)| e).collect())
}

/// Parses a spec that is not compiled yet and builds its template beside the project's.
async fn from_spec(
    project: &b24flow::project::Project,
    spec: &std::path::Path,
    parser_args: &ParserArgs,
) -> miette::Result<(String, ops::plan::Wanted)> {
    let text = b24flow::project::read_spec(spec, &spec.display().to_string())?;
    let parser = parser_args.build(project)?;
    let stamp = b24flow::lockfile::ParserStamp::new(&parser.identity());
    let blueprint = match parser.parse(&text).await? {
        Outcome::Ok { workflow } => workflow.normalized(),
        Outcome::NeedsClarification { questions } => {
            return Err(miette::miette!(
                code = "b24flow::simulate::unclear",
                help = "rephrase the spec; `b24flow parse` shows what the parser reads",
                "the spec needs clarification: {}",
                questions.join("; ")
            ));
        }
    };
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("simulated");
    let id = ops::create::check_id(&ops::create::slug(stem)).unwrap_or_else(|_| "simulated".into());
    let workflow = project.workflow(&id)?;
    let entity = blueprint.entity.clone();
    let prepared =
        ops::create::prepare(project, &workflow, &text, blueprint, &stamp).map_err(|problems| {
            let n = problems.len();
            let first = problems
                .into_iter()
                .next()
                .map(|p| p.to_string())
                .unwrap_or_default();
            miette::miette!(
                code = "b24flow::simulate::invalid",
                "the spec does not become a template ({n} problem(s)): {first}"
            )
        })?;
    let wanted = behave::beside_project(project, prepared.built);
    Ok((entity, wanted))
}

/// The trace for people.
fn render(trace: &Trace) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "record {}", trace.document);
    for step in &trace.steps {
        let _ = writeln!(out, "\n{}", step.event);
        if step.instances.is_empty() {
            out.push_str("  no workflow started\n");
        }
        for i in &step.instances {
            let _ = writeln!(out, "  {} on {}: {}", i.template, i.document, i.status);
            if let Some(m) = &i.modified_fields {
                let _ = writeln!(out, "    changed fields passed: {}", m.join(", "));
            }
            for c in &i.conditions {
                let _ = writeln!(
                    out,
                    "    {} {}: {} (the record has {:?})",
                    if c.held { "held  " } else { "failed" },
                    c.guard,
                    c.row,
                    c.actual
                );
            }
            for l in &i.log {
                let _ = writeln!(out, "    log: {l}");
            }
        }
        for r in &step.refused {
            let _ = writeln!(out, "  refused start: {r}");
        }
        for e in &step.effects {
            let _ = writeln!(out, "  effect: {}", show_effect(e));
            if let Some(t) = &e.text
                && t.chars().count() > 60
            {
                for line in t.lines() {
                    let _ = writeln!(out, "    | {line}");
                }
            }
        }
    }
    out
}
