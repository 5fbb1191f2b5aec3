//! The build stage: lockfiles to Bitrix24 templates, i.e. the desired state that `build`,
//! `plan` and `apply` work from.
//!
//! Each workflow's lockfile must be fresh (its spec unchanged since compile); then its
//! blueprint is resolved with the project's config and lowered to a template, the lockfile's options are applied
//! (a disabled workflow keeps its template with auto-start off), and the description
//! gets the ownership marker. Every workflow is built even when others fail, so one run
//! reports every problem. When every workflow is built, the project-wide rules
//! ([`crate::resolve::project`], e.g. chaining) add their warnings to the workflows
//! they concern.

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
    /// The compiled template; `None` for an opaque workflow, whose stored template is
    /// passed through as it is (see [`crate::opaque`]).
    pub template: Option<Template>,
    pub desired: Desired,
    /// Warnings from the rules (the template was still produced).
    pub warnings: Vec<miette::Report>,
    /// The user fields the template needs on the portal (created before the template;
    /// see [`crate::resolve::Resolved::required_fields`]).
    pub required_fields: Vec<crate::resolve::RequiredField>,
    /// The resolved blueprint the template was lowered from (`None` for an opaque
    /// workflow).
    pub resolved: Option<crate::resolve::Resolved>,
}

impl Built {
    /// The `.bpt` bytes apply uploads.
    pub fn bpt(&self) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(&self.desired.bpt_base64)
            .expect("desired templates hold valid base64")
    }
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
    add_project_warnings(project, &mut built);
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
    if crate::opaque::is_opaque(&w.lock_path) {
        return build_opaque(w, &text).map(Some);
    }
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
    // The description summarizes what the spec says, not its settings block.
    let body = crate::front_matter::split(text, &w.spec_rel)
        .map_err(|e| vec![miette::Report::new(e)])?
        .body;
    let mut desired = desired(
        &w.id,
        &w.spec_rel,
        body,
        &mut template,
        sha256_hex(loaded.text.as_bytes()),
    );
    desired.previous_ids = previous_ids(w, &loaded.lockfile);
    desired.supersedes = loaded
        .lockfile
        .supersedes
        .iter()
        .map(|s| s.template_id)
        .collect();
    let warnings = crate::resolve::Diagnostics(resolved.warnings.clone())
        .placed_in_yaml(&project.relative(&w.lock_path), &loaded.text, "blueprint")
        .into_iter()
        .map(miette::Report::new)
        .collect();
    Ok(Built {
        workflow: w.clone(),
        template: Some(template),
        desired,
        warnings,
        required_fields: resolved.required_fields(&w.id),
        resolved: Some(resolved),
    })
}

/// Builds an opaque workflow: its stored template, unchanged, with the ownership
/// marker in the description.
fn build_opaque(w: &Workflow, text: &str) -> Result<Built, Vec<miette::Report>> {
    let loaded = crate::opaque::OpaqueLockfile::read(&w.lock_path)
        .map_err(|e| vec![miette::Report::new(e)])?;
    if loaded.lockfile.source.sha256 != lockfile::spec_sha256(text) {
        return Err(vec![miette::miette!(
            code = "b24flow::build::stale_lockfile",
            help = "an opaque workflow is kept as imported: restore its spec with git, or import the template again",
            "{} changed since it was imported",
            w.spec_rel
        )]);
    }
    let body = crate::front_matter::split(text, &w.spec_rel)
        .map_err(|e| vec![miette::Report::new(e)])?
        .body;
    let mut desired: Desired = loaded
        .lockfile
        .desired(w, body, &loaded.text)
        .map_err(|e| vec![miette::Report::new(e)])?;
    let stored = loaded
        .lockfile
        .opaque
        .sha256()
        .map_err(|e| vec![miette::Report::new(e)])?;
    if stored != loaded.lockfile.template_sha256 {
        return Err(vec![miette::miette!(
            code = "b24flow::build::opaque_edited",
            help = "import the template again; b24flow does not edit opaque workflows",
            "{}: the stored template does not match its template_sha256 (edited by hand)",
            project_rel(&loaded.path, w)
        )]);
    }
    // A lockfile moved with its spec and not recompiled yet names the path it had.
    if loaded.lockfile.source.path != w.spec_rel
        && let Some(id) = id_of_spec(&loaded.lockfile.source.path)
        && !desired.previous_ids.contains(&id)
    {
        desired.previous_ids.insert(0, id);
    }
    Ok(Built {
        workflow: w.clone(),
        template: None,
        desired,
        warnings: Vec::new(),
        required_fields: Vec::new(),
        resolved: None,
    })
}

fn project_rel(path: &std::path::Path, w: &Workflow) -> String {
    w.spec_rel
        .strip_suffix(crate::project::SPEC_EXT)
        .map_or_else(
            || path.display().to_string(),
            |stem| format!("{stem}.lock.yaml"),
        )
}

/// Runs the project-wide rules over the built workflows and adds each warning to the
/// workflow it concerns, placed in its lockfile.
fn add_project_warnings(project: &Project, built: &mut [Built]) {
    let members: Vec<crate::resolve::project::Member<'_>> = built
        .iter()
        .filter_map(|b| {
            Some(crate::resolve::project::Member {
                id: &b.workflow.id,
                resolved: b.resolved.as_ref()?,
            })
        })
        .collect();
    let findings = crate::resolve::project::check(&members);
    for finding in findings {
        let Some(b) = built.iter_mut().find(|b| b.workflow.id == finding.workflow) else {
            continue;
        };
        let file = project.relative(&b.workflow.lock_path);
        // The lockfile was read moments ago; if it is gone now, place the warning at
        // the file without a span.
        let text = std::fs::read_to_string(&b.workflow.lock_path).unwrap_or_default();
        b.warnings.extend(
            crate::resolve::Diagnostics(vec![finding.diagnostic])
                .placed_in_yaml(&file, &text, "blueprint")
                .into_iter()
                .map(miette::Report::new),
        );
    }
}

/// The ids a workflow had before: those its lockfile records and, when the lockfile
/// was moved with its spec (`git mv`) and not recompiled yet, the id of the path it
/// names.
fn previous_ids(w: &Workflow, lock: &Lockfile) -> Vec<String> {
    let mut ids = Vec::new();
    if lock.source.path != w.spec_rel
        && let Some(id) = id_of_spec(&lock.source.path)
    {
        ids.push(id);
    }
    for id in &lock.previous_ids {
        if !ids.contains(id) && *id != w.id {
            ids.push(id.clone());
        }
    }
    ids
}

/// The workflow id of a spec path relative to the root (`workflows/a/b.txt` -> `a/b`).
pub fn id_of_spec(rel: &str) -> Option<String> {
    rel.strip_prefix(crate::project::WORKFLOWS_DIR)?
        .strip_prefix('/')?
        .strip_suffix(crate::project::SPEC_EXT)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
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
        previous_ids: Vec::new(),
        supersedes: Vec::new(),
    }
}
