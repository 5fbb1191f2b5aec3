//! `b24flow eval`: scores a parser on a labelled corpus and prints a per-case table, or
//! the typed report with `--json`. Exits 1 when any answer is silently wrong, when the
//! parser failed on a case, or when the score is under `--min-right`.

use std::fmt::Write;
use std::path::PathBuf;

use b24flow::eval::{self, Report, Verdict};
use b24flow::project::Project;

use super::parser_args::ParserArgs;
use super::{Printer, Status, runtime};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The labelled corpus: a YAML list of entries as in tests/corpus/*.yaml.
    corpus: PathBuf,
    /// Print the report as JSON: the summary and every case with its verdict.
    #[arg(long)]
    json: bool,
    /// Fail when fewer than this percentage of cases are right.
    #[arg(long, value_name = "PCT", value_parser = parse_pct)]
    min_right: Option<f64>,
    #[command(flatten)]
    parser: ParserArgs,
}

fn parse_pct(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("{s:?} is not a percentage from 0 to 100")),
    }
}

pub(crate) fn run(args: &Args, printer: &Printer) -> miette::Result<Status> {
    let project = Project::discover(&std::env::current_dir().map_err(|e| miette::miette!("{e}"))?)?;
    let cases = eval::load(&args.corpus)?;
    let parser = args.parser.build(&project)?;
    let report = runtime()?.block_on(eval::run(&parser, &cases));
    if args.json {
        let mut json = serde_json::to_string_pretty(&report).expect("a report serializes");
        json.push('\n');
        printer.out(&json);
    } else {
        printer.out(&render(&report));
    }
    let s = &report.summary;
    let under = args.min_right.is_some_and(|min| s.right_pct < min);
    if under {
        printer.note(&format!(
            "error: {}% right is under --min-right {}",
            s.right_pct,
            args.min_right.unwrap_or_default()
        ));
    }
    if s.silently_wrong > 0 || s.errors > 0 || under {
        Ok(Status::Failure)
    } else {
        Ok(Status::Success)
    }
}

/// The report for people: one line per case, the details of every case not right, then
/// the totals.
fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Parser  {}", report.parser);
    let _ = writeln!(out, "{:>4}  {:<14}  Description", "#", "Verdict");
    for case in &report.cases {
        let mut text: String = case.text.chars().take(72).collect();
        if text.len() < case.text.len() {
            text.push('…');
        }
        let _ = writeln!(
            out,
            "{:>4}  {:<14}  {}",
            case.index,
            case.verdict.label(),
            text.replace('\n', " ")
        );
        if !matches!(case.verdict, Verdict::Exact) {
            for d in &case.details {
                let _ = writeln!(out, "{:>22}{}", "- ", d.replace('\n', " "));
            }
        }
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "\nRight           {}/{} ({}%)",
        s.right, s.cases, s.right_pct
    );
    let _ = writeln!(
        out,
        "Exact           {}/{} blueprints ({} asked instead)",
        s.exact, s.ok_cases, s.over_asked
    );
    let _ = writeln!(
        out,
        "Vague asked     {}/{} ({}%)",
        s.vague_asked, s.vague_cases, s.vague_asked_pct
    );
    let _ = writeln!(out, "Silently wrong  {}", s.silently_wrong);
    if s.unbuildable > 0 {
        let _ = writeln!(
            out,
            "Would not build {} of the exact blueprints (the rules refuse them whatever b24flow.toml says; --json lists why)",
            s.unbuildable
        );
    }
    if s.errors > 0 {
        let _ = writeln!(out, "Parser errors   {}", s.errors);
    }
    out
}
