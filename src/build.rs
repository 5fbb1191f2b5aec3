//! The build stage: lockfiles to Bitrix24 templates, i.e. the desired state that `build`,
//! `plan` and `apply` work from.
//!
//! Each workflow's lockfile must be fresh (its spec unchanged since compile); then its
//! blueprint is resolved with the project's config and lowered to a template, the lockfile's options are applied
//! (a disabled workflow keeps its template with auto-start off), and the description
//! gets the ownership marker. Every workflow is built even when others fail, so one run
//! reports every problem.

use base64::Engine as _;

use crate::bizproc::{self, Template};
use crate::digest::sha256_hex;
use crate::lockfile::{self, Lockfile};
use crate::plan::{self, Desired};
use crate::project::{Project, Workflow};

/// One workflow, built.
#[derive(Debug)]
pub struct Built {
    pub workflow: Workflow,
    pub template: Template,
    pub desired: Desired,
    /// Warnings from the rules (the template was still produced).
    pub warnings: Vec<miette::Report>,
}

/// Builds every workflow, or the ones in `only`. Returns what was built and every
/// problem found; callers refuse to go on when the second list is not empty.
pub fn build_all(
    project: &Project,
    only: &[String],
) -> Result<(Vec<Built>, Vec<miette::Report>), crate::project::Error> {
    let mut built = Vec::new();
    let mut problems = Vec::new();
    let workflows = project.workflows()?;
    for id in only {
        if !workflows.iter().any(|w| &w.id == id) {
            problems.push(miette::miette!(
                code = "b24flow::build::unknown_workflow",
                help =
                    "workflow ids are spec paths under workflows/ without .txt; see `b24flow list`",
                "no workflow `{id}`"
            ));
        }
    }
    for w in workflows {
        if !only.is_empty() && !only.contains(&w.id) {
            continue;
        }
        match build_one(project, &w) {
            Ok(Some(b)) => built.push(b),
            // A runner workflow has no template to plan; `b24flow run` carries it out.
            Ok(None) => {}
            Err(mut errors) => problems.append(&mut errors),
        }
    }
    if only.is_empty() {
        for orphan in project.orphaned_lockfiles()? {
            problems.push(miette::miette!(
                code = "b24flow::build::orphaned",
                help = "delete the lockfile, or restore its spec",
                "{} has no spec",
                project.relative(&orphan)
            ));
        }
    }
    Ok((built, problems))
}

fn build_one(project: &Project, w: &Workflow) -> Result<Option<Built>, Vec<miette::Report>> {
    let text = w.read_spec().map_err(|e| vec![miette::Report::new(e)])?;
    let loaded = Lockfile::read(&w.lock_path).map_err(|e| match e {
        lockfile::Error::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            vec![miette::miette!(
                code = "b24flow::build::missing_lockfile",
                help = "run `b24flow compile`",
                "{} has no lockfile",
                w.spec_rel
            )]
        }
        other => vec![miette::Report::new(other)],
    })?;
    if loaded.lockfile.runner.is_some() {
        if loaded.lockfile.source.sha256 != lockfile::spec_sha256(&text) {
            return Err(vec![miette::miette!(
                code = "b24flow::build::stale_lockfile",
                help = "run `b24flow compile` and commit the lockfile; plan and apply never call a parser",
                "{} changed since its lockfile was compiled",
                w.spec_rel
            )]);
        }
        return Ok(None);
    }
    build_loaded(project, w, &text, &loaded).map(Some)
}

/// Builds one workflow from its spec text and lockfile, already in memory (the HTTP
/// API previews a workflow before writing its files). Same checks as [`build_all`].
pub fn build_loaded(
    project: &Project,
    w: &Workflow,
    text: &str,
    loaded: &lockfile::Loaded,
) -> Result<Built, Vec<miette::Report>> {
    if loaded.lockfile.source.sha256 != lockfile::spec_sha256(text) {
        return Err(vec![miette::miette!(
            code = "b24flow::build::stale_lockfile",
            help =
                "run `b24flow compile` and commit the lockfile; plan and apply never call a parser",
            "{} changed since its lockfile was compiled",
            w.spec_rel
        )]);
    }
    // One resolve, one lowering; the text is scanned only to place a problem.
    let resolved = crate::compile::lint_lockfile(project, loaded).map_err(|placed| {
        placed
            .into_iter()
            .map(miette::Report::new)
            .collect::<Vec<_>>()
    })?;
    let mut template = bizproc::lower(&w.id, &resolved);
    if !loaded.lockfile.options.enabled {
        template.auto_execute = 0;
    }
    let desired = desired(
        &w.id,
        &w.spec_rel,
        text,
        &mut template,
        sha256_hex(loaded.text.as_bytes()),
    );
    let warnings = crate::resolve::Diagnostics(resolved.warnings)
        .placed_in_yaml(&project.relative(&w.lock_path), &loaded.text, "blueprint")
        .into_iter()
        .map(miette::Report::new)
        .collect();
    Ok(Built {
        workflow: w.clone(),
        template,
        desired,
        warnings,
    })
}

/// The desired state of one workflow's template: gives `template` its description
/// (with the ownership marker) and packs it for upload. `lockfile_sha256` binds a saved
/// plan to the lockfile it came from.
pub fn desired(
    id: &str,
    spec_rel: &str,
    spec_text: &str,
    template: &mut Template,
    lockfile_sha256: String,
) -> Desired {
    let sha = template.sha256();
    template.description = plan::description(spec_rel, spec_text, id, &sha);
    Desired {
        id: id.to_owned(),
        name: template.name.clone(),
        description: template.description.clone(),
        document_type: template.document_type.clone(),
        auto_execute: template.auto_execute,
        tree: template.tree_json(),
        bpt_base64: base64::engine::general_purpose::STANDARD.encode(template.to_bpt()),
        template_sha256: sha,
        lockfile_sha256,
    }
}
