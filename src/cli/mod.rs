//! The command line: argument parsing, settings resolution and rendering.
//!
//! Each subcommand lives in its own file and does three things: resolve settings from
//! flags, `b24flow.toml` and the environment; call library operations (`b24flow::ops`
//! for plan, apply, drift, list, delete and show; compile, build and parse for the
//! others); render the result through the [`Printer`] (data on stdout, everything else
//! on stderr). Asking for confirmation is the only thing a command does between two
//! operations. The environment is captured once per run ([`env`]).

mod apply;
mod build;
mod capabilities;
mod compile;
mod completions;
mod delete;
mod drift;
mod emulator;
mod eval;
mod explain;
mod forget;
mod import;
mod init;
mod list;
mod parse;
mod parser_args;
mod pause;
mod plan;
mod printer;
mod rollback;
mod run;
mod serve;
mod show;
mod simulate;
mod snapshot;
mod test;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub(crate) use printer::Printer;

/// GitOps for Bitrix24 CRM automation.
///
/// Write each automation in plain English in workflows/*.txt, compile the specs into
/// committed lockfiles, then plan and apply them to a Bitrix24 portal.
#[derive(Debug, Parser)]
#[command(
    name = "b24flow",
    version,
    about,
    long_about,
    after_help = "Typical flow: edit workflows/*.txt, `b24flow compile`, commit the lockfiles, \
                  `b24flow plan` in review, `b24flow apply` on merge.\n\
                  Exit codes: 0 success (or no changes), 1 error, 2 changes present \
                  (plan --detailed-exitcode, drift)."
)]
pub(crate) struct Cli {
    /// Run as if started in this directory.
    #[arg(short = 'C', long = "dir", global = true, value_name = "DIR")]
    pub(crate) dir: Option<std::path::PathBuf>,
    /// Colour: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, global = true, value_enum, default_value_t = printer::ColorChoice::Auto)]
    pub(crate) color: printer::ColorChoice,
    /// Print only errors.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create b24flow.toml, an example spec, the GitHub workflow and a .gitignore entry here.
    Init(init::Args),
    /// Parse one description and print the blueprint (nothing is written).
    ///
    /// Exits 0 when the description was understood, 1 when it needs clarification.
    Parse(parse::Args),
    /// Compile workflows/**/*.txt into lockfiles beside them.
    ///
    /// Only specs whose text changed since their lockfile are parsed. With --check,
    /// nothing is parsed or written, and the command fails if any lockfile is
    /// missing, stale or orphaned: use it in CI.
    Compile(compile::Args),
    /// Check every lockfile against the schema and the semantic rules.
    Validate(validate::Args),
    /// Score a parser on a labelled corpus: right answers, questions, silent errors.
    ///
    /// Exits 1 when any answer is silently wrong (a wrong blueprint that is not a
    /// question), when the parser failed on a case, or under --min-right.
    Eval(eval::Args),
    /// Compile lockfiles into Bitrix24 templates and write them as <id>.bpt files.
    Build(build::Args),
    /// Say in plain English what a workflow does, and what the portal limits.
    Explain(explain::Args),
    /// Print the template a lockfile compiles to, as an indented tree (or --json).
    Show(show::Args),
    /// Show what apply would change in the portal.
    ///
    /// Compiles every lockfile into a template, lists the portal's templates, and
    /// diffs them. Templates b24flow did not create are counted and never touched.
    /// Without a configured portal, the built-in local portal is used.
    Plan(plan::Args),
    /// Make the portal match the lockfiles: create, update and delete templates.
    ///
    /// Without a plan file it plans first and asks for confirmation (or needs
    /// --auto-approve). With a plan file saved by `plan --out`, it applies exactly
    /// that plan, or refuses if the lockfiles or the portal moved since.
    Apply(apply::Args),
    /// Check whether the portal still matches the lockfiles (read-only).
    ///
    /// Exits 0 when it does, 2 when it differs (someone edited a template in the
    /// portal, or the lockfiles changed), 1 on error.
    Drift(drift::Args),
    /// List every template in the portal, managed by b24flow or not.
    List(list::Args),
    /// Delete one template that b24flow manages (by workflow id or template id).
    Delete(delete::Args),
    /// Pause a workflow: its template stays, with auto-start off (writes
    /// `enabled: false` in the spec's front matter and updates its lockfile).
    Disable(pause::Args),
    /// Resume a paused workflow: auto-start back on.
    Enable(pause::Args),
    /// Stop managing a workflow without deleting it: its template stays in the
    /// portal (unmarked, so unmanaged); its spec and lockfile are deleted.
    Forget(forget::Args),
    /// Adopt templates already in the portal: write a spec and a lockfile for each.
    ///
    /// A template within what b24flow compiles gets its blueprint back; any other is
    /// kept verbatim as an opaque workflow. A template this application created is
    /// adopted in place; any other becomes a managed copy (switch the original off).
    Import(import::Args),
    /// Put the portal back to the lockfiles at an earlier commit (read from git; the
    /// working tree is not touched), after the usual plan and confirmation.
    Rollback(rollback::Args),
    /// Carry out the runner workflows: pull the portal's offline events and act on them.
    Run(run::Args),
    /// List the triggers, actions, entities and smart variables b24flow understands.
    Capabilities(capabilities::Args),
    /// Serve the HTTP API and the web builder page until Ctrl-C.
    ///
    /// Listens on loopback by default; any other address needs B24FLOW_API_TOKEN.
    Serve(serve::Args),
    /// Run a local Bitrix24 portal (REST emulator) until Ctrl-C.
    Emulator(emulator::Args),
    /// Run the workflows' test files (workflows/<id>.test.yaml) on a fresh local portal.
    ///
    /// Every lockfile is built and loaded into one in-process portal; each case makes
    /// its record, plays its events and compares the effects with its `expect` list.
    /// Exits 0 only when every case passes.
    Test(test::Args),
    /// Play one record through the workflows on a fresh local portal and print the trace.
    ///
    /// Shows which templates started, which conditions held or failed, and each effect
    /// with its resolved text.
    Simulate(simulate::Args),
    /// Read an environment's names and ids (pipelines, stages, users, departments,
    /// custom fields, smart processes) into environments/<NAME>.yaml.
    ///
    /// The file is committed: build and plan with --env resolve the names specs use
    /// against it. Its `aliases:` map is edited by hand and kept. Exits 2 with --check
    /// when the portal no longer matches the file.
    Snapshot(snapshot::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
}

/// What a command reports to `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Done; nothing to report.
    Success,
    /// Done, and there are changes (`--detailed-exitcode`, `drift`).
    Changes,
    /// Something was wrong; the details were already printed.
    Failure,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        match status {
            Status::Success => ExitCode::SUCCESS,
            Status::Failure => ExitCode::from(1),
            Status::Changes => ExitCode::from(2),
        }
    }
}

/// Parses arguments, runs the command and maps the outcome to an exit code.
pub(crate) fn main() -> ExitCode {
    let cli = Cli::parse();
    let printer = Printer::new(cli.color, cli.quiet);
    let result = run(cli, &printer);
    match result {
        Ok(status) => status.into(),
        Err(report) => {
            printer.error(&report);
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli, printer: &Printer) -> miette::Result<Status> {
    if let Some(dir) = &cli.dir {
        std::env::set_current_dir(dir)
            .map_err(|e| miette::miette!("cannot enter {}: {e}", dir.display()))?;
    }
    match cli.command {
        Command::Init(args) => init::run(&args, printer),
        Command::Parse(args) => parse::run(&args, printer),
        Command::Compile(args) => compile::run(&args, printer),
        Command::Validate(args) => validate::run(&args, printer),
        Command::Eval(args) => eval::run(&args, printer),
        Command::Capabilities(args) => Ok(capabilities::run(&args, printer)),
        Command::Build(args) => build::run(&args, printer),
        Command::Explain(args) => explain::run(&args, printer),
        Command::Show(args) => show::run(&args, printer),
        Command::Completions(args) => Ok(completions::run(&args, printer)),
        Command::Emulator(args) => emulator::run(&args, printer),
        Command::Plan(args) => plan::run(&args, printer),
        Command::Apply(args) => apply::run(&args, printer),
        Command::Drift(args) => drift::run(&args, printer),
        Command::List(args) => list::run(&args, printer),
        Command::Delete(args) => delete::run(&args, printer),
        Command::Disable(args) => pause::run(&args, false, printer),
        Command::Enable(args) => pause::run(&args, true, printer),
        Command::Forget(args) => forget::run(&args, printer),
        Command::Import(args) => import::run(&args, printer),
        Command::Rollback(args) => rollback::run(&args, printer),
        Command::Run(args) => run::run(&args, printer),
        Command::Serve(args) => serve::run(&args, printer),
        Command::Test(args) => test::run(&args, printer),
        Command::Simulate(args) => simulate::run(&args, printer),
        Command::Snapshot(args) => snapshot::run(&args, printer),
    }
}

/// The project around the current folder.
pub(crate) fn project() -> miette::Result<b24flow::project::Project> {
    let here = std::env::current_dir()
        .map_err(|e| miette::miette!("cannot read the current folder: {e}"))?;
    Ok(b24flow::project::Project::discover(&here)?)
}

/// The switches of the commands that write a plan to the portal (`apply`, `rollback`).
#[derive(Debug, clap::Args)]
pub(crate) struct ApplyGuards {
    /// Apply without asking (required when not on a terminal).
    #[arg(long)]
    pub(crate) auto_approve: bool,
    /// Allow this many template deletions (default: [policy] max_deletes, 3).
    #[arg(long, value_name = "N")]
    pub(crate) allow_deletes: Option<u32>,
    /// Remove a lock left behind by an apply that no longer runs.
    #[arg(long)]
    pub(crate) break_lock: bool,
}

/// `--env NAME`, on every command that acts on a portal or resolves names against one.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct EnvArg {
    /// The environment ([environments.NAME] in b24flow.toml) to act on [default:
    /// B24FLOW_ENV; without either, [portal]].
    #[arg(long = "env", value_name = "NAME")]
    pub(crate) env: Option<String>,
}

/// The process environment, captured once per run: for the selected environment's
/// variables once [`project_in`] chose it, otherwise the unprefixed ones.
static ENV: std::sync::OnceLock<b24flow::config::Env> = std::sync::OnceLock::new();

/// The environment, captured on first use and kept for the rest of the run.
pub(crate) fn env() -> &'static b24flow::config::Env {
    ENV.get_or_init(b24flow::config::Env::capture)
}

/// The project around the current folder with the environment `--env` (else
/// `B24FLOW_ENV`) names selected; the portal credentials [`env`] gives are then that
/// environment's (`B24FLOW_<NAME>_…`).
pub(crate) fn project_in(arg: &EnvArg) -> miette::Result<b24flow::project::Project> {
    let base = b24flow::config::Env::capture();
    let name = arg.env.clone().or(base.default_environment);
    let project = project()?.select_environment(name.as_deref())?;
    if let Some(name) = project.environment() {
        select_env(name);
    }
    Ok(project)
}

/// Makes [`env`] the environment `name`'s variables (`B24FLOW_<NAME>_…`).
pub(crate) fn select_env(name: &str) {
    let _ = ENV.set(b24flow::config::Env::capture_for(Some(name)));
}

/// Connects to the project's portal and says which one, as plan and apply do first.
pub(crate) async fn connect(
    project: &b24flow::project::Project,
    printer: &Printer,
) -> miette::Result<b24flow::portal::Portal> {
    let portal = b24flow::portal::Portal::connect(project, env()).await?;
    printer.note(&portal.describe());
    Ok(portal)
}

/// An operation's error for `main` to print: the problems it carries are printed first,
/// each as its own diagnostic.
pub(crate) fn fail(printer: &Printer, mut error: b24flow::ops::Error) -> miette::Report {
    for problem in error.take_problems() {
        printer.error(&problem);
    }
    miette::Report::new(error)
}

/// A runtime for the commands that do network or parallel work.
pub(crate) fn runtime() -> miette::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| miette::miette!("cannot start the async runtime: {e}"))
}
