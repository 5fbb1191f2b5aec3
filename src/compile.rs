//! The compile operation: specs in, lockfiles out; and the checks on lockfiles that
//! `compile --check` and `validate` run.
//!
//! A parser is called only for a spec whose text hash differs from its lockfile (or
//! with `force`). Every spec is handled even when others fail, and every outcome is
//! returned as data: the CLI decides how to show it. A spec that fails writes nothing;
//! a lockfile is written whole or not at all.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use tokio::sync::Semaphore;

use crate::blueprint::Blueprint;
use crate::lockfile::{self, Loaded, Lockfile, Options, ParserStamp, Source};
use crate::nl::{Outcome, Parser};
use crate::project::{Project, Workflow};
use crate::validate::{FileDiagnostic, check_blueprint};
use crate::yaml_path::Locations;

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

struct Pending {
    workflow: Workflow,
    text: String,
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
    let scanned: Vec<(Workflow, Result<Status, Pending>)> =
        // An unknown id is an error, not an empty run.
        project
            .select(&opts.only)?
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
    let options = existing.map(|l| l.lockfile.options).unwrap_or_default();
    Err(Pending {
        workflow: workflow.clone(),
        text,
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
                let outcome = crate::nl::offline::parse(&p.text);
                on_parsed();
                Ok(outcome)
            })
            .collect();
    }
    let permits = Arc::new(Semaphore::new(jobs.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, p) in pending.iter().enumerate() {
        let parser = parser.clone();
        let text = p.text.clone();
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
    let lockfile = match lockfile_for(
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
    let problems = check_blueprint(&blueprint, &project.config);
    if !problems.is_empty() {
        return Err(problems
            .iter()
            .map(|p| {
                miette::Report::new(FileDiagnostic::whole_file(
                    &workflow.spec_rel,
                    text,
                    &format!("b24flow::validate::{}", p.code),
                    &format!(
                        "the parsed blueprint is invalid at {}: {}",
                        p.path, p.message
                    ),
                    p.help.clone(),
                    None,
                ))
            })
            .collect());
    }
    let template_sha256 = template_hash(project, workflow, &blueprint, text)?;
    Ok(Lockfile {
        version: lockfile::FORMAT_VERSION,
        source: Source {
            path: workflow.spec_rel.clone(),
            sha256: lockfile::spec_sha256(text),
        },
        parser: stamp.clone(),
        options,
        blueprint_sha256: lockfile::blueprint_sha256(&blueprint),
        blueprint,
        template_sha256: Some(template_sha256),
    })
}

/// Compiles the blueprint to a template and returns its hash, or the reasons it cannot
/// become one (an unsupported trigger, an unresolved recipient, ...), placed in the spec.
fn template_hash(
    project: &Project,
    workflow: &Workflow,
    blueprint: &Blueprint,
    text: &str,
) -> Result<String, Vec<miette::Report>> {
    crate::bizproc::compile::compile(&workflow.id, blueprint, &project.config)
        .map(|t| t.sha256())
        .map_err(|errors| {
            errors
                .iter()
                .map(|e| {
                    use miette::Diagnostic;
                    let code = e
                        .code()
                        .map_or_else(|| "b24flow::template".to_owned(), |c| c.to_string());
                    miette::Report::new(FileDiagnostic::whole_file(
                        &workflow.spec_rel,
                        text,
                        &code,
                        &format!("cannot become a Bitrix24 template: {e}"),
                        e.help().map(|h| h.to_string()),
                        None,
                    ))
                })
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
    let sha = match template_hash(project, workflow, &lock.blueprint, text) {
        Ok(sha) => sha,
        Err(reports) => return Status::Failed(reports),
    };
    if lock.template_sha256.as_deref() == Some(sha.as_str()) {
        return Status::Fresh;
    }
    let mut updated = lock.clone();
    updated.template_sha256 = Some(sha);
    let schema = project.schema_ref(&workflow.lock_path);
    match updated.write(&workflow.lock_path, &schema) {
        Ok(()) => Status::Retemplated,
        Err(e) => Status::Failed(vec![e.into()]),
    }
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

/// Checks that every spec has an up-to-date lockfile and every lockfile a spec. Calls
/// no parser and writes nothing. Returns the workflows checked and the findings.
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
    Ok((workflows.len(), findings))
}

fn freshness(project: &Project, w: &Workflow) -> Option<Freshness> {
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
            let now = template_hash(project, w, &l.lockfile.blueprint, &text).ok();
            (now.is_none() || now != l.lockfile.template_sha256)
                .then_some(Freshness::TemplateChanged)
        }
    }
}

/// Checks one lockfile that was read: its blueprint hash and the semantic rules.
/// Returns every problem, placed in the file.
pub fn lint_lockfile(project: &Project, loaded: &Loaded) -> Vec<FileDiagnostic> {
    let file = project.relative(&loaded.path);
    let locations = Locations::scan(&loaded.text);
    let lock = &loaded.lockfile;
    let mut out: Vec<FileDiagnostic> = check_blueprint(&lock.blueprint, &project.config)
        .iter()
        .map(|p| FileDiagnostic::in_yaml(p, &file, &loaded.text, &locations, "blueprint"))
        .collect();
    if lockfile::blueprint_sha256(&lock.blueprint) != lock.blueprint_sha256 {
        let problem = crate::validate::Problem {
            path: "blueprint".into(),
            code: "hand-edited",
            message: "the blueprint was edited by hand (it no longer matches blueprint_sha256)"
                .into(),
            help: Some(format!(
                "edit {} instead and run `b24flow compile`; lockfiles are generated",
                lock.source.path
            )),
        };
        out.push(FileDiagnostic::in_yaml(
            &problem,
            &file,
            &loaded.text,
            &locations,
            "",
        ));
    }
    out
}
