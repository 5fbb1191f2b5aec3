//! The compile operation: specs in, lockfiles out; and the checks on lockfiles that
//! `compile --check`, `validate` and `build` run. Every rule comes from
//! [`crate::resolve`].
//!
//! A parser is called only for a spec whose text hash differs from its lockfile (or
//! with `force`). Every spec is handled even when others fail, and every outcome is
//! returned as data: the CLI decides how to show it. A spec that fails writes nothing;
//! a lockfile is written whole or not at all.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::Serialize;
use tokio::sync::Semaphore;

use crate::blueprint::Blueprint;
use crate::lockfile::{self, Loaded, Lockfile, Options, ParserStamp, Source};
use crate::nl::{Outcome, Parser};
use crate::project::{Project, Workflow};
use crate::resolve::{self, Code, Diagnostic, Diagnostics, Placed, Resolved};

/// What `compile` does.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// Recompile every spec, fresh or not.
    pub force: bool,
    /// Only these workflow ids (all when empty).
    pub only: Vec<String>,
    /// Specs parsed at once by an LLM parser (default: `[parser] jobs`).
    pub jobs: Option<usize>,
}

/// What happened to one workflow.
#[derive(Debug)]
pub enum Status {
    /// The lockfile was written.
    Compiled,
    /// The lockfile is up to date; no parser was called.
    Fresh,
    /// The blueprint is up to date but compiles to a different template now (the
    /// config or b24flow changed): only `template_sha256` was rewritten.
    Retemplated,
    /// The spec is too vague; nothing was written.
    NeedsClarification(Vec<String>),
    /// The spec or its result is invalid; nothing was written.
    Failed(Vec<miette::Report>),
}

/// One workflow's result.
#[derive(Debug)]
pub struct Entry {
    pub id: String,
    pub spec: String,
    pub status: Status,
}

/// Everything `compile` did, in workflow order.
#[derive(Debug, Default)]
pub struct Report {
    pub entries: Vec<Entry>,
}

impl Report {
    /// Whether any workflow failed or needs clarification.
    pub fn has_failures(&self) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e.status, Status::Failed(_) | Status::NeedsClarification(_)))
    }

    /// How many workflows ended in `status`'s variant.
    pub fn count(&self, f: impl Fn(&Status) -> bool) -> usize {
        self.entries.iter().filter(|e| f(&e.status)).count()
    }
}

/// The version of the JSON documents below; bumped when a field changes meaning.
pub const FORMAT_VERSION: u32 = 1;

/// What `compile --json` prints: `schema/compile.schema.json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CompileDocument {
    pub format_version: u32,
    pub summary: CompileSummary,
    /// Every workflow, in id order.
    pub workflows: Vec<WorkflowResult>,
}

/// The counts of a compile run.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct CompileSummary {
    /// Lockfiles written (whole, or only their template hash).
    pub compiled: usize,
    /// Lockfiles already up to date.
    pub fresh: usize,
    /// Specs that failed or need clarification.
    pub failed: usize,
}

/// One workflow of a compile run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WorkflowResult {
    pub id: String,
    /// The spec, relative to the project root.
    pub spec: String,
    pub status: ResultStatus,
    /// The questions (`needs_clarification`) or the problems (`failed`); else null.
    pub detail: Option<Vec<String>>,
}

/// What happened to one workflow, as a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultStatus {
    Compiled,
    Fresh,
    Retemplated,
    NeedsClarification,
    Failed,
}

impl Report {
    /// The run as a typed document.
    pub fn document(&self) -> CompileDocument {
        let workflows = self
            .entries
            .iter()
            .map(|e| {
                let (status, detail) = match &e.status {
                    Status::Compiled => (ResultStatus::Compiled, None),
                    Status::Fresh => (ResultStatus::Fresh, None),
                    Status::Retemplated => (ResultStatus::Retemplated, None),
                    Status::NeedsClarification(q) => {
                        (ResultStatus::NeedsClarification, Some(q.clone()))
                    }
                    Status::Failed(r) => (
                        ResultStatus::Failed,
                        Some(r.iter().map(ToString::to_string).collect()),
                    ),
                };
                WorkflowResult {
                    id: e.id.clone(),
                    spec: e.spec.clone(),
                    status,
                    detail,
                }
            })
            .collect();
        CompileDocument {
            format_version: FORMAT_VERSION,
            summary: CompileSummary {
                compiled: self.count(|s| matches!(s, Status::Compiled | Status::Retemplated)),
                fresh: self.count(|s| matches!(s, Status::Fresh)),
                failed: self
                    .count(|s| matches!(s, Status::Failed(_) | Status::NeedsClarification(_))),
            },
            workflows,
        }
    }
}

struct Pending {
    workflow: Workflow,
    text: String,
    /// The text without its front matter: what the parser reads.
    body: String,
    options: Options,
}

/// Compiles the project's specs into lockfiles. `on_parsed` is called after each
/// parser answer (for progress bars).
pub async fn compile(
    project: &Project,
    parser: &Parser,
    opts: &CompileOptions,
    on_parsed: &(dyn Fn() + Sync),
) -> Result<Report, crate::project::Error> {
    // Reading, hashing and writing are independent per spec: spread them over the
    // cores (each of thousands of specs is a few small file operations).
    // An unknown id is an error, not an empty run.
    let selected = project.select(&opts.only)?;
    adopt_moved_lockfiles(project, &selected)?;
    let scanned: Vec<(Workflow, Result<Status, Pending>)> = selected
        .into_par_iter()
        .map(|workflow| {
            let outcome = scan(project, &workflow, opts.force);
            (workflow, outcome)
        })
        .collect();
    let mut report = Report::default();
    let mut pending = Vec::new();
    for (workflow, outcome) in scanned {
        match outcome {
            Ok(status) => report.push(&workflow, status),
            Err(item) => pending.push(item),
        }
    }

    let jobs = opts.jobs.unwrap_or(project.config.parser.jobs);
    let outcomes = parse_all(parser, &pending, jobs, on_parsed).await;
    let stamp = ParserStamp::new(&parser.identity());
    for (item, outcome) in pending.into_iter().zip(outcomes) {
        let status = match outcome {
            Err(e) => Status::Failed(vec![e]),
            Ok(Outcome::NeedsClarification { questions }) => Status::NeedsClarification(questions),
            Ok(Outcome::Ok {
                workflow: blueprint,
            }) => write_lockfile(project, &item, blueprint.normalized(), &stamp),
        };
        report.push(&item.workflow, status);
    }
    report.entries.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(report)
}

/// Reads one spec and its lockfile: either the workflow is settled (fresh, or failed),
/// or it needs the parser.
fn scan(project: &Project, workflow: &Workflow, force: bool) -> Result<Status, Pending> {
    let text = match workflow.read_spec() {
        Ok(text) => text,
        Err(e) => return Ok(Status::Failed(vec![e.into()])),
    };
    // An opaque workflow's spec is for people: no parser reads it, and the lockfile
    // is never rewritten (`--force` included).
    if crate::opaque::is_opaque(&workflow.lock_path) {
        return Ok(match opaque_freshness(workflow, &text) {
            None => Status::Fresh,
            Some(problem) => Status::Failed(vec![opaque_problem(workflow, &problem)]),
        });
    }
    let existing = Lockfile::read(&workflow.lock_path).ok();
    let fresh = existing
        .as_ref()
        .is_some_and(|l| l.lockfile.source.sha256 == lockfile::spec_sha256(&text));
    if let Some(loaded) = existing.as_ref().filter(|_| fresh && !force) {
        return Ok(refresh_template_hash(
            project,
            workflow,
            &loaded.lockfile,
            &text,
        ));
    }
    // The front matter decides `enabled` when it says; otherwise the lockfile's
    // setting is kept across recompiles.
    let split = match crate::front_matter::split(&text, &workflow.spec_rel) {
        Ok(split) => split,
        Err(e) => return Ok(Status::Failed(vec![e.into()])),
    };
    let mut options = existing.map(|l| l.lockfile.options).unwrap_or_default();
    if let Some(enabled) = split.front.enabled {
        options.enabled = enabled;
    }
    let body = split.body.to_owned();
    Err(Pending {
        workflow: workflow.clone(),
        text,
        body,
        options,
    })
}

/// Runs the parser over every pending spec, at most `jobs` at a time, and returns
/// the answers in input order.
async fn parse_all(
    parser: &Parser,
    pending: &[Pending],
    jobs: usize,
    on_parsed: &(dyn Fn() + Sync),
) -> Vec<Result<Outcome, miette::Report>> {
    if matches!(parser, Parser::Offline) {
        // The offline parser is pure and instant: no tasks, just the cores.
        return pending
            .par_iter()
            .map(|p| {
                let outcome = crate::nl::offline::parse(&p.body);
                on_parsed();
                Ok(outcome)
            })
            .collect();
    }
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, p) in pending.iter().enumerate() {
        let parser = parser.clone();
        let text = p.body.clone();
        let permits = Arc::clone(&permits);
        tasks.spawn(async move {
            let _permit = permits
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            (i, parser.parse(&text).await.map_err(miette::Report::from))
        });
    }
    let mut results: BTreeMap<usize, Result<Outcome, miette::Report>> = BTreeMap::new();
    while let Some(joined) = tasks.join_next().await {
        if let Ok((i, result)) = joined {
            results.insert(i, result);
            on_parsed();
        }
    }
    (0..pending.len())
        .map(|i| {
            results.remove(&i).unwrap_or_else(|| {
                Err(miette::miette!(
                    "the parser task for this spec stopped unexpectedly"
                ))
            })
        })
        .collect()
}

fn write_lockfile(
    project: &Project,
    item: &Pending,
    blueprint: Blueprint,
    stamp: &ParserStamp,
) -> Status {
    let mut lockfile = match lockfile_for(
        project,
        &item.workflow,
        &item.text,
        blueprint,
        stamp,
        item.options.clone(),
    ) {
        Ok(lockfile) => lockfile,
        Err(reports) => return Status::Failed(reports),
    };
    // An imported copy still replaces the template it was imported from.
    if let Ok(old) = Lockfile::read(&item.workflow.lock_path) {
        lockfile.supersedes = old.lockfile.supersedes;
    }
    let schema = project.schema_ref(&item.workflow.lock_path);
    match lockfile.write(&item.workflow.lock_path, &schema) {
        Ok(()) => Status::Compiled,
        Err(e) => Status::Failed(vec![e.into()]),
    }
}

/// The lockfile `compile` writes for `workflow` when its spec `text` parsed to
/// `blueprint`, or why it cannot be written (invalid blueprint, no template). Writes
/// nothing.
pub fn lockfile_for(
    project: &Project,
    workflow: &Workflow,
    text: &str,
    blueprint: Blueprint,
    stamp: &ParserStamp,
    options: Options,
) -> Result<Lockfile, Vec<miette::Report>> {
    // A runner workflow has no template: the lockfile records its runner spec instead.
    let (template_sha256, runner) = if crate::runner::is_runner(&blueprint) {
        (
            None,
            Some(runner_spec(workflow, &blueprint, &project.config, text)?),
        )
    } else {
        (
            Some(template_hash(workflow, &blueprint, &project.config, text)?),
            None,
        )
    };
    Ok(Lockfile {
        version: lockfile::FORMAT_VERSION,
        source: Source {
            path: workflow.spec_rel.clone(),
            sha256: lockfile::spec_sha256(text),
        },
        parser: stamp.clone(),
        options,
        previous_ids: Vec::new(),
        blueprint_sha256: lockfile::blueprint_sha256(&blueprint),
        blueprint,
        template_sha256,
        runner,
        supersedes: None,
    })
}

/// Compiles a runner workflow, or every reason it cannot run, placed in the spec.
fn runner_spec(
    workflow: &Workflow,
    blueprint: &Blueprint,
    config: &crate::config::Config,
    text: &str,
) -> Result<crate::runner::RunnerSpec, Vec<miette::Report>> {
    crate::runner::compile(blueprint, config).map_err(|d| {
        d.placed_in_spec(&workflow.spec_rel, text)
            .into_iter()
            .map(miette::Report::new)
            .collect()
    })
}

/// Resolves the blueprint, lowers it to a template and returns the template's hash, or
/// every reason it cannot become one, placed in the spec.
fn template_hash(
    workflow: &Workflow,
    blueprint: &Blueprint,
    config: &crate::config::Config,
    text: &str,
) -> Result<String, Vec<miette::Report>> {
    resolve::resolve(blueprint, config)
        .map(|resolved| crate::bizproc::lower(&workflow.id, &resolved).sha256())
        .map_err(|d| {
            d.placed_in_spec(&workflow.spec_rel, text)
                .into_iter()
                .map(miette::Report::new)
                .collect()
        })
}

/// For a fresh lockfile: rewrites `template_sha256` if the blueprint now compiles to a
/// different template. Calls no parser.
fn refresh_template_hash(
    project: &Project,
    workflow: &Workflow,
    lock: &Lockfile,
    text: &str,
) -> Status {
    if crate::runner::is_runner(&lock.blueprint) {
        let spec = match runner_spec(workflow, &lock.blueprint, &project.config, text) {
            Ok(spec) => spec,
            Err(reports) => return Status::Failed(reports),
        };
        if lock.runner.as_ref() == Some(&spec) && lock.template_sha256.is_none() {
            return Status::Fresh;
        }
        let mut updated = lock.clone();
        updated.runner = Some(spec);
        updated.template_sha256 = None;
        let schema = project.schema_ref(&workflow.lock_path);
        return match updated.write(&workflow.lock_path, &schema) {
            Ok(()) => Status::Retemplated,
            Err(e) => Status::Failed(vec![e.into()]),
        };
    }
    let sha = match template_hash(workflow, &lock.blueprint, &project.config, text) {
        Ok(sha) => sha,
        Err(reports) => return Status::Failed(reports),
    };
    let moved = lock.source.path != workflow.spec_rel;
    if !moved && lock.template_sha256.as_deref() == Some(sha.as_str()) {
        return Status::Fresh;
    }
    let mut updated = lock.clone();
    updated.template_sha256 = Some(sha);
    if moved {
        record_move(&mut updated, workflow);
    }
    let schema = project.schema_ref(&workflow.lock_path);
    match updated.write(&workflow.lock_path, &schema) {
        Ok(()) if moved => Status::Compiled,
        Ok(()) => Status::Retemplated,
        Err(e) => Status::Failed(vec![e.into()]),
    }
}

/// A lockfile that names another spec path was moved with its spec (`git mv`): it
/// now belongs to `workflow`, and its old id goes first in `previous_ids`, so a plan
/// updates the template in place instead of destroying it.
fn record_move(lock: &mut Lockfile, workflow: &Workflow) {
    if let Some(old) = crate::build::id_of_spec(&lock.source.path)
        && old != workflow.id
    {
        lock.previous_ids
            .retain(|id| *id != old && *id != workflow.id);
        lock.previous_ids.insert(0, old);
    }
    lock.source.path.clone_from(&workflow.spec_rel);
}

/// A spec moved without its lockfile (`git mv` of the spec only) leaves a lockfile
/// without a spec, and a spec without a lockfile, with the same text: the lockfile is
/// moved beside the spec (no parser call), and [`refresh_template_hash`] then records
/// the move. Each orphaned lockfile goes to at most one spec, in workflow order.
fn adopt_moved_lockfiles(
    project: &Project,
    selected: &[Workflow],
) -> Result<(), crate::project::Error> {
    let mut orphans: Vec<(std::path::PathBuf, String)> = project
        .orphaned_lockfiles()?
        .into_iter()
        .filter_map(|path| {
            let sha = match Lockfile::read(&path) {
                Ok(loaded) => loaded.lockfile.source.sha256,
                // An opaque workflow moves the same way; build then finds its template
                // by the id its lockfile still names.
                Err(_) => {
                    crate::opaque::OpaqueLockfile::read(&path)
                        .ok()?
                        .lockfile
                        .source
                        .sha256
                }
            };
            Some((path, sha))
        })
        .collect();
    if orphans.is_empty() {
        return Ok(());
    }
    for w in selected {
        if w.lock_path.exists() {
            continue;
        }
        let Ok(text) = w.read_spec() else { continue };
        let sha = lockfile::spec_sha256(&text);
        if let Some(i) = orphans.iter().position(|(_, s)| *s == sha) {
            let (from, _) = orphans.remove(i);
            // A failed rename leaves both files as they were; compile then parses the
            // spec as a new one, which is still correct, only not a move.
            let _ = std::fs::rename(&from, &w.lock_path);
        }
    }
    Ok(())
}

impl Report {
    fn push(&mut self, workflow: &Workflow, status: Status) {
        self.entries.push(Entry {
            id: workflow.id.clone(),
            spec: workflow.spec_rel.clone(),
            status,
        });
    }
}

/// Why a lockfile fails `compile --check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// The spec has no lockfile.
    Missing,
    /// The spec changed since its lockfile was written.
    Stale,
    /// The lockfile cannot be read.
    Unreadable(String),
    /// The lockfile has no spec.
    Orphaned,
    /// A test file (`<id>.test.yaml`) names a workflow that has no spec.
    OrphanedTest,
    /// The blueprint now compiles to a different template (the config or b24flow
    /// changed), or no longer compiles.
    TemplateChanged,
}

/// One finding of `compile --check`.
#[derive(Debug, Clone)]
pub struct CheckFinding {
    /// The file to act on (the spec, or an orphaned lockfile), relative to the root.
    pub path: String,
    pub freshness: Freshness,
}

/// What `compile --check --json` prints: `schema/compile-check.schema.json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CheckDocument {
    pub format_version: u32,
    /// Workflows checked.
    pub checked: usize,
    /// Whether every lockfile is up to date.
    pub ok: bool,
    pub findings: Vec<CheckItem>,
}

/// One finding of `compile --check`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CheckItem {
    /// The file to act on, relative to the project root.
    pub path: String,
    pub problem: Problem,
}

/// Why a lockfile fails the check, as a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Missing,
    Stale,
    Unreadable,
    Orphaned,
    OrphanedTest,
    TemplateChanged,
}

impl CheckDocument {
    /// The document for what [`check`] returned.
    pub fn new(checked: usize, findings: &[CheckFinding]) -> Self {
        CheckDocument {
            format_version: FORMAT_VERSION,
            checked,
            ok: findings.is_empty(),
            findings: findings
                .iter()
                .map(|f| CheckItem {
                    path: f.path.clone(),
                    problem: match f.freshness {
                        Freshness::Missing => Problem::Missing,
                        Freshness::Stale => Problem::Stale,
                        Freshness::Unreadable(_) => Problem::Unreadable,
                        Freshness::Orphaned => Problem::Orphaned,
                        Freshness::OrphanedTest => Problem::OrphanedTest,
                        Freshness::TemplateChanged => Problem::TemplateChanged,
                    },
                })
                .collect(),
        }
    }
}

/// Checks that every spec has an up-to-date lockfile, and every lockfile and test file a
/// spec. Calls no parser and writes nothing. Returns the workflows checked and the findings.
pub fn check(project: &Project) -> Result<(usize, Vec<CheckFinding>), crate::project::Error> {
    let workflows = project.workflows()?;
    let mut findings: Vec<CheckFinding> = workflows
        .par_iter()
        .filter_map(|w| {
            freshness(project, w).map(|freshness| CheckFinding {
                path: w.spec_rel.clone(),
                freshness,
            })
        })
        .collect();
    for path in project.orphaned_lockfiles()? {
        findings.push(CheckFinding {
            path: project.relative(&path),
            freshness: Freshness::Orphaned,
        });
    }
    for path in crate::behave::orphaned(project)? {
        findings.push(CheckFinding {
            path,
            freshness: Freshness::OrphanedTest,
        });
    }
    Ok((workflows.len(), findings))
}

/// Why an opaque workflow's files do not agree: its spec changed, or its stored
/// template no longer hashes to `template_sha256` (or does not decode).
fn opaque_freshness(w: &Workflow, text: &str) -> Option<Freshness> {
    let loaded = match crate::opaque::OpaqueLockfile::read(&w.lock_path) {
        Ok(l) => l,
        Err(e) => return Some(Freshness::Unreadable(e.to_string())),
    };
    let lock = &loaded.lockfile;
    if lock.source.sha256 != lockfile::spec_sha256(text) {
        return Some(Freshness::Stale);
    }
    match lock.opaque.sha256() {
        Ok(sha) if sha == lock.template_sha256 => None,
        _ => Some(Freshness::TemplateChanged),
    }
}

fn opaque_problem(w: &Workflow, problem: &Freshness) -> miette::Report {
    let what = match problem {
        Freshness::Stale => "its spec was edited".to_owned(),
        Freshness::Unreadable(e) => e.clone(),
        _ => "its stored template was edited by hand".to_owned(),
    };
    miette::miette!(
        code = "b24flow::compile::opaque",
        help = "an opaque workflow is kept as imported: restore the files with git, import the template again, or replace the spec with a new description (delete the lockfile)",
        "{} is an opaque workflow and cannot be compiled: {what}",
        w.spec_rel
    )
}

fn freshness(project: &Project, w: &Workflow) -> Option<Freshness> {
    if crate::opaque::is_opaque(&w.lock_path) {
        return match w.read_spec() {
            Ok(text) => opaque_freshness(w, &text),
            Err(e) => Some(Freshness::Unreadable(e.to_string())),
        };
    }
    match (w.read_spec(), Lockfile::read(&w.lock_path)) {
        (_, Err(lockfile::Error::Read { source, .. }))
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            Some(Freshness::Missing)
        }
        (_, Err(e)) => Some(Freshness::Unreadable(e.to_string())),
        (Err(e), Ok(_)) => Some(Freshness::Unreadable(e.to_string())),
        (Ok(text), Ok(l)) => {
            if l.lockfile.source.sha256 != lockfile::spec_sha256(&text) {
                return Some(Freshness::Stale);
            }
            if crate::runner::is_runner(&l.lockfile.blueprint) {
                let now = runner_spec(w, &l.lockfile.blueprint, &project.config, &text).ok();
                return (now.is_none() || now != l.lockfile.runner)
                    .then_some(Freshness::TemplateChanged);
            }
            let now = template_hash(w, &l.lockfile.blueprint, &project.config, &text).ok();
            (now.is_none() || now != l.lockfile.template_sha256)
                .then_some(Freshness::TemplateChanged)
        }
    }
}

/// Checks one lockfile that was read: its blueprint hash and every rule. Returns the
/// resolved blueprint (its warnings inside), or every problem placed in the file; the
/// file's text is scanned only when there is a problem to place.
pub fn lint_lockfile(project: &Project, loaded: &Loaded) -> Result<Resolved, Vec<Placed>> {
    let lock = &loaded.lockfile;
    let resolved = resolve::resolve(&lock.blueprint, &project.config);
    let mut problems = match &resolved {
        Ok(_) => Diagnostics::default(),
        Err(d) => d.clone(),
    };
    if lockfile::blueprint_sha256(&lock.blueprint) != lock.blueprint_sha256 {
        problems.0.push(
            Diagnostic::new(
                "",
                Code::HandEdited,
                "the blueprint was edited by hand (it no longer matches blueprint_sha256)",
            )
            .help(format!(
                "edit {} instead and run `b24flow compile`; lockfiles are generated",
                lock.source.path
            )),
        );
    }
    match resolved {
        Ok(resolved) if problems.0.is_empty() => Ok(resolved),
        _ => {
            Err(problems.placed_in_yaml(&project.relative(&loaded.path), &loaded.text, "blueprint"))
        }
    }
}

/// The project-wide warnings ([`crate::resolve::project::check`], e.g. chaining) over
/// every lockfile that resolves, each placed in its lockfile: what `validate` and `plan`
/// show beside each workflow's own diagnostics. Lockfiles that do not read or resolve
/// are skipped (their own checks report them).
pub fn project_warnings(project: &Project) -> Result<Vec<Placed>, crate::project::Error> {
    let mut loaded = Vec::new();
    for w in project.workflows()? {
        if let Ok(l) = Lockfile::read(&w.lock_path)
            && let Ok(resolved) = resolve::resolve(&l.lockfile.blueprint, &project.config)
        {
            loaded.push((w, l, resolved));
        }
    }
    let members: Vec<resolve::project::Member<'_>> = loaded
        .iter()
        .map(|(w, _, r)| resolve::project::Member {
            id: &w.id,
            resolved: r,
        })
        .collect();
    let mut out = Vec::new();
    for finding in resolve::project::check(&members) {
        if let Some((w, l, _)) = loaded.iter().find(|(w, _, _)| w.id == finding.workflow) {
            out.extend(Diagnostics(vec![finding.diagnostic]).placed_in_yaml(
                &project.relative(&w.lock_path),
                &l.text,
                "blueprint",
            ));
        }
    }
    Ok(out)
}
