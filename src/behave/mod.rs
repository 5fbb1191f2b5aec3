//! Behaviour tests for workflows: `workflows/<id>.test.yaml` files, run against a fresh
//! executing local portal (`b24flow test`), and single explorations (`b24flow simulate`).
//!
//! | module | owns |
//! |---|---|
//! | [`file`] | the test-file model, reading it, and its checks at file and line |
//! | [`sandbox`] | a fresh in-process local portal with every workflow applied through the apply session |
//! | [`run`] | playing a case's events and reading back effects and the trace |
//! | [`report`] | the typed report (`--format json`) and JUnit XML |
//!
//! Invariants: every workflow of the project is loaded into the same portal, so a
//! workflow started by another's change shows in the effects; a test file that does
//! not load is reported and the others still run; library code never prints.

pub mod file;
pub mod report;
pub mod run;
pub mod sandbox;

use std::path::PathBuf;

use serde_json::Value;

pub use report::{CaseOutcome, CaseReport, FileReport, Report};

use crate::emulator::EngineOptions;
use crate::ops;
use crate::project::{Project, Workflow};

/// The test file beside a workflow's spec.
pub fn test_path(w: &Workflow) -> PathBuf {
    let name = w
        .spec_path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let stem = name.strip_suffix(".txt").unwrap_or(name);
    w.spec_path
        .with_file_name(format!("{stem}{}", file::TEST_EXT))
}

/// Test files under `workflows/` whose workflow has no spec, as relative paths.
pub fn orphaned(project: &Project) -> Result<Vec<String>, crate::project::Error> {
    let mut out = Vec::new();
    let dir = project.workflows_dir();
    // Hidden folders are skipped, as spec discovery skips them.
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
    {
        let name = entry.file_name().to_string_lossy();
        let Some(stem) = name.strip_suffix(file::TEST_EXT) else {
            continue;
        };
        if !entry.path().with_file_name(format!("{stem}.txt")).is_file() {
            out.push(project.relative(entry.path()));
        }
    }
    Ok(out)
}

/// Why `test` could not run at all (problems with single files are in the report).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Ops(#[from] ops::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Project(#[from] crate::project::Error),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Sandbox(#[from] sandbox::Error),
}

/// The workflows' templates by name, for tracing their conditions.
fn trees(wanted: &ops::plan::Wanted) -> Vec<(String, Value)> {
    wanted
        .templates
        .iter()
        .map(|d| (d.name.clone(), d.tree.clone()))
        .collect()
}

/// Runs the test files of `ids` (every workflow when empty): builds every lockfile,
/// loads all of them into one fresh portal, and plays each case. File problems are
/// returned beside the report, one diagnostic each.
pub async fn test(
    project: &Project,
    ids: &[String],
) -> Result<(Report, Vec<miette::Report>), Error> {
    let wanted = ops::plan::wanted(project)?;
    let workflows = project.select(ids)?;
    let mut problems: Vec<miette::Report> = Vec::new();
    if ids.is_empty() {
        for shown in orphaned(project)? {
            let id = shown
                .strip_prefix("workflows/")
                .unwrap_or(&shown)
                .strip_suffix(file::TEST_EXT)
                .unwrap_or(&shown)
                .to_owned();
            problems.push(file::Error::Orphaned { shown, id }.into());
        }
    }
    let sb = sandbox::Sandbox::start(&wanted, EngineOptions::default()).await?;
    let templates = trees(&wanted);
    let mut files = Vec::new();
    for w in &workflows {
        let path = test_path(w);
        let shown = project.relative(&path);
        if !path.is_file() {
            files.push(FileReport::missing(&w.id, &shown));
            continue;
        }
        let loaded = load(project, w, &path, &shown);
        let (cases, kind) = match loaded {
            Ok(x) => x,
            Err(errs) => {
                let n = errs.len();
                problems.extend(errs);
                files.push(FileReport::invalid(&w.id, &shown, n));
                continue;
            }
        };
        let mut reports = Vec::new();
        for case in &cases.0 {
            if let Some(reason) = &case.skip {
                reports.push(CaseReport::skipped(case, reason));
                continue;
            }
            let started = std::time::Instant::now();
            let outcome = run::play(&sb, kind, case, &templates).await;
            let seconds = started.elapsed().as_secs_f64();
            reports.push(match outcome {
                Ok(trace) => CaseReport::judge(case, &trace.effects(), &project.config, seconds),
                Err(e) => CaseReport::error(case, &e.to_string(), seconds),
            });
        }
        files.push(FileReport::ran(&w.id, &shown, reports));
    }
    sb.shutdown().await;
    Ok((Report::new(files), problems))
}

/// Reads and checks one workflow's test file.
fn load(
    project: &Project,
    w: &Workflow,
    path: &std::path::Path,
    shown: &str,
) -> Result<(file::TestFile, crate::emulator::crm::Kind), Vec<miette::Report>> {
    let (tf, text) = file::read(path, shown).map_err(|e| vec![e.into()])?;
    let lock = crate::lockfile::Lockfile::read(&w.lock_path).map_err(|e| vec![e.into()])?;
    let entity = &lock.lockfile.blueprint.entity;
    let kind = file::kind_of(entity).ok_or_else(|| {
        vec![miette::miette!(
            code = "b24flow::test::entity",
            "{shown}: the local portal keeps no {entity} records, so `{}` cannot be tested",
            w.id
        )]
    })?;
    let errs = file::check(
        &tf,
        &text,
        shown,
        file::Context {
            kind,
            config: &project.config,
        },
    );
    if !errs.is_empty() {
        return Err(errs.into_iter().map(Into::into).collect());
    }
    Ok((tf, kind))
}

/// The project's workflows with one that is not compiled yet beside them (replacing a
/// workflow of the same id): what `simulate --spec` and the builder's simulation play
/// on. A project whose lockfiles do not all build still lets a new workflow be tried,
/// alone.
pub fn beside_project(project: &Project, built: crate::build::Built) -> ops::plan::Wanted {
    let id = built.workflow.id.clone();
    let mut wanted = ops::plan::wanted(project).unwrap_or(ops::plan::Wanted {
        templates: Vec::new(),
        warnings: Vec::new(),
        fields: Vec::new(),
    });
    wanted.templates.retain(|d| d.id != id);
    wanted.fields.retain(|(w, _)| *w != id);
    wanted.fields.extend(
        built
            .required_fields
            .iter()
            .map(|f| (id.clone(), f.clone())),
    );
    wanted.templates.push(built.desired);
    wanted.templates.sort_by(|a, b| a.id.cmp(&b.id));
    wanted
}

/// What `simulate` was asked.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The record's fields.
    pub record: std::collections::BTreeMap<String, file::Scalar>,
    /// The events after the record is created.
    pub events: Vec<file::Event>,
}

/// Plays one made-up case on the workflow `id` (among all the project's workflows, or
/// just `only` when given: a spec that is not compiled yet) and returns its trace.
pub async fn simulate(
    project: &Project,
    entity: &str,
    wanted: &ops::plan::Wanted,
    sim: &Simulation,
) -> Result<run::Trace, SimulateError> {
    let kind = file::kind_of(entity).ok_or_else(|| SimulateError::Entity {
        entity: entity.to_owned(),
    })?;
    let case = file::Case {
        name: "simulation".into(),
        record: sim.record.clone(),
        client: true,
        events: sim.events.clone(),
        expect: Vec::new(),
        skip: None,
    };
    let text = serde_json::to_string(&file::TestFile(vec![case.clone()])).unwrap_or_default();
    let errs = file::check(
        &file::TestFile(vec![case.clone()]),
        &text,
        "simulation",
        file::Context {
            kind,
            config: &project.config,
        },
    );
    if let Some(e) = errs.into_iter().next() {
        return Err(SimulateError::Input(Box::new(e)));
    }
    let sb = sandbox::Sandbox::start(wanted, EngineOptions::default()).await?;
    let trace = run::play(&sb, kind, &case, &trees(wanted)).await;
    sb.shutdown().await;
    Ok(trace?)
}

/// Why a simulation did not run.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum SimulateError {
    #[error("the local portal keeps no {entity} records")]
    #[diagnostic(code(b24flow::simulate::entity))]
    Entity { entity: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(Box<file::Error>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Sandbox(#[from] sandbox::Error),
}
