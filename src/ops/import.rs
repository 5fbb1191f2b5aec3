//! Importing (`b24flow import [TEMPLATE_ID…|--all]`): adopting templates that are
//! already in the portal, so their life goes on in git.
//!
//! For each template: its tree is decompiled ([`crate::bizproc::decompile`]). Within
//! what b24flow compiles, the spec is the workflow in plain English
//! ([`crate::explain`]) and the lockfile holds the recovered blueprint, exactly as
//! `compile` would have written it; otherwise the spec says the workflow is opaque and
//! why, and the lockfile keeps the template verbatim ([`crate::opaque`]).
//!
//! Ownership decides what the plan then does. Bitrix24 lets an application update and
//! delete only the templates it created: `CBPRestService::updateWorkflowTemplate` and
//! `deleteWorkflowTemplate` compare the template's `SYSTEM_CODE` with the caller's
//! `rest_app_<id>` and refuse with "You can update ONLY templates created by current
//! application" (bizproc/classes/general/restservice.php; `ERROR_TEMPLATE_NOT_OWNER` in
//! the REST docs). A template that carries b24flow's marker and this application's
//! `SYSTEM_CODE` (the code of the templates this project already manages) is adopted in
//! place: same workflow id, so the plan shows no change. Any other template (made in
//! the designer, or by another application) becomes a managed copy: the plan creates it,
//! the original is left alone (the lockfile's `supersedes`), and the user is told to
//! switch the original off so the two do not both run.
//!
//! Invariants: nothing is written unless every selected template imports: an unknown
//! id, a template already managed here, a tree that does not decode or a name taken by
//! an existing spec is an error before any file is touched; the files are then written
//! all or none. `dry_run` computes the same report and writes nothing. The portal is
//! only read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

use crate::bitrix::{ListQuery, LiveTemplate};
use crate::bizproc::decompile::{self, Decompiled, Reason};
use crate::bizproc::php::Value;
use crate::bizproc::{Activity, Template, bpt};
use crate::lockfile::{self, Options, ParserStamp, Source};
use crate::nl::ParserIdentity;
use crate::opaque::{self, ImportedFrom, Listed, Opaque, OpaqueLockfile};
use crate::plan::managed_id;
use crate::portal::Portal;
use crate::project::Project;

/// The version of the [`ImportReport`] document.
pub const FORMAT_VERSION: u32 = 1;

/// The parser stamp of an imported lockfile: no parser read the spec; the blueprint
/// was decompiled from the template.
pub const IMPORT_PARSER: &str = "import";

/// What to import.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Template ids; empty with `all`.
    pub template_ids: Vec<u64>,
    /// Every template this project does not manage.
    pub all: bool,
    /// The workflow id to use (one template only).
    pub id: Option<String>,
    /// Compute the report, write nothing.
    pub dry_run: bool,
}

/// What `import --json` prints: `schema/import.schema.json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ImportReport {
    pub format_version: u32,
    /// Whether the files were left unwritten (`--dry-run`).
    pub dry_run: bool,
    /// Each imported template, in template id order.
    pub imported: Vec<Imported>,
}

/// One imported template.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Imported {
    /// The portal template.
    pub template_id: u64,
    pub name: String,
    /// The workflow id it now has.
    pub workflow: String,
    /// `blueprint` (b24flow compiles it) or `opaque` (kept verbatim).
    pub kind: Kind,
    /// `in_place` (this application's template, adopted as it is) or `copy` (the plan
    /// creates a managed copy; switch the original off).
    pub ownership: Ownership,
    /// For a blueprint: whether it rebuilds to the same tree byte for byte (activity
    /// names included); a copy always gets new names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<bool>,
    /// For an opaque workflow: why b24flow cannot compile it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
    /// Whether auto-start is off in the portal (imported paused).
    pub paused: bool,
    /// The files written (or, with `--dry-run`, that would be), relative to the root.
    pub files: Vec<String>,
}

/// See [`Imported::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Blueprint,
    Opaque,
}

/// See [`Imported::ownership`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    InPlace,
    Copy,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("name no templates to import, or pass --all")]
    #[diagnostic(
        code(b24flow::import::nothing),
        help("`b24flow list` shows the portal's templates and their ids")
    )]
    Nothing,
    #[error("the portal has no template {id}")]
    #[diagnostic(
        code(b24flow::import::unknown_template),
        help("`b24flow list` shows the portal's templates and their ids")
    )]
    UnknownTemplate { id: u64 },
    #[error("template {id} is already managed by this project as `{workflow}`")]
    #[diagnostic(
        code(b24flow::import::already_managed),
        help("edit workflows/{workflow}.txt instead")
    )]
    AlreadyManaged { id: u64, workflow: String },
    #[error("template {id} cannot be read: its activity tree does not decode")]
    #[diagnostic(
        code(b24flow::import::undecodable),
        help(
            "the portal returned a tree that is not a business process template; open it in the designer and save it again"
        )
    )]
    Undecodable {
        id: u64,
        #[source]
        #[diagnostic_source]
        source: crate::bizproc::template::Error,
    },
    #[error("template {id} has no full document type (MODULE_ID, ENTITY, DOCUMENT_TYPE)")]
    #[diagnostic(code(b24flow::import::document_type))]
    NoDocumentType { id: u64 },
    #[error("template {template} would be workflow `{id}`, but {why}")]
    #[diagnostic(
        code(b24flow::import::name_taken),
        help("import it under another id: `b24flow import {template} --as {suggestion}`")
    )]
    NameTaken {
        template: u64,
        id: String,
        why: &'static str,
        suggestion: String,
    },
    #[error("--as names one workflow; {count} templates were selected")]
    #[diagnostic(code(b24flow::import::as_one), help("import them one at a time"))]
    AsNeedsOne { count: usize },
    #[error(transparent)]
    #[diagnostic(transparent)]
    BadId(#[from] super::create::Error),
    #[error("the blueprint read from template {id} does not compile with this project's settings")]
    #[diagnostic(
        code(b24flow::import::compile),
        help(
            "the problems follow; b24flow.toml ([channels], [recipients], [policy]) may differ from the settings the template was made with"
        )
    )]
    Compile {
        id: u64,
        /// Every problem, shown by the front-end (see [`super::Error::take_problems`]).
        problems: Vec<miette::Report>,
    },
    #[error("cannot write {}", path.display())]
    #[diagnostic(
        code(b24flow::io),
        help("nothing was imported: the files already written were removed")
    )]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// One file to write.
struct File {
    path: PathBuf,
    text: String,
}

/// Imports the templates `request` names.
pub async fn import(
    portal: &Portal,
    project: &Project,
    request: &Request,
) -> Result<ImportReport, super::Error> {
    let rows = portal
        .client
        .template_list_all(&ListQuery::default())
        .await?;
    let (imported, files) = prepare(project, &rows, request)?;
    if !request.dry_run {
        write_all(&files)?;
    }
    Ok(ImportReport {
        format_version: FORMAT_VERSION,
        dry_run: request.dry_run,
        imported,
    })
}

/// Everything short of writing: the report and the files. Reads the project only.
fn prepare(
    project: &Project,
    rows: &[LiveTemplate],
    request: &Request,
) -> Result<(Vec<Imported>, Vec<File>), super::Error> {
    let workflows = project.workflows()?;
    let existing: BTreeSet<&str> = workflows.iter().map(|w| w.id.as_str()).collect();
    // This application's SYSTEM_CODE: the one on the templates this project manages.
    let own: BTreeSet<&str> = rows
        .iter()
        .filter(|r| managed_id(&r.description).is_some_and(|id| existing.contains(id)))
        .map(|r| r.system_code.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    let selected: Vec<&LiveTemplate> = if request.all {
        rows.iter()
            .filter(|r| !managed_id(&r.description).is_some_and(|id| existing.contains(id)))
            .collect()
    } else {
        if request.template_ids.is_empty() {
            return Err(Error::Nothing.into());
        }
        let mut out = Vec::new();
        for id in request.template_ids.iter().collect::<BTreeSet<_>>() {
            let row = rows
                .iter()
                .find(|r| r.id == *id)
                .ok_or(Error::UnknownTemplate { id: *id })?;
            if let Some(workflow) = managed_id(&row.description).filter(|w| existing.contains(w)) {
                return Err(Error::AlreadyManaged {
                    id: *id,
                    workflow: workflow.to_owned(),
                }
                .into());
            }
            out.push(row);
        }
        out
    };
    if request.id.is_some() && selected.len() != 1 {
        return Err(Error::AsNeedsOne {
            count: selected.len(),
        }
        .into());
    }
    // Ids already taken: the project's workflows, and the markers of templates a plan
    // would pair with a new workflow of that id (other than the ones imported here).
    let importing: BTreeSet<u64> = selected.iter().map(|r| r.id).collect();
    let mut taken: BTreeMap<String, &'static str> = existing
        .iter()
        .map(|id| ((*id).to_owned(), "a spec with that id exists"))
        .collect();
    for r in rows.iter().filter(|r| !importing.contains(&r.id)) {
        if let Some(id) = managed_id(&r.description) {
            taken
                .entry(id.to_owned())
                .or_insert("another template in the portal carries its marker");
        }
    }

    let mut imported = Vec::new();
    let mut files = Vec::new();
    for row in selected {
        let template = template_of(row)?;
        let marker = managed_id(&row.description).map(str::to_owned);
        let in_place = marker.is_some()
            && !row.system_code.is_empty()
            && own.contains(row.system_code.as_str());
        let id = choose_id(project, request, row, marker.as_deref(), in_place, &taken)?;
        taken.insert(id.clone(), "another imported template takes it");
        let w = project.workflow(&id)?;
        let origin = ImportedFrom {
            template_id: row.id,
            system_code: (!row.system_code.is_empty()).then(|| row.system_code.clone()),
        };
        let supersedes = (!in_place).then(|| origin.clone());
        // Lowered under the id the template was made for, b24flow's own templates read
        // back byte for byte.
        let verify_id = marker.as_deref().unwrap_or(&id);
        let (entry, spec, lock) = match decompile::decompile(&template, verify_id, &project.config)
        {
            Decompiled::Blueprint(recovered) => {
                let spec = spec_of_blueprint(project, row, &recovered, in_place);
                let mut lock = crate::compile::lockfile_for(
                    project,
                    &w,
                    &spec,
                    recovered.blueprint.clone(),
                    &import_stamp(),
                    Options {
                        enabled: recovered.enabled,
                    },
                )
                .map_err(|problems| Error::Compile {
                    id: row.id,
                    problems,
                })?;
                lock.supersedes = supersedes;
                let text = lock.to_yaml(&project.schema_ref(&w.lock_path));
                let entry = (
                    Kind::Blueprint,
                    Some(recovered.exact),
                    Vec::new(),
                    !recovered.enabled,
                );
                (entry, spec, text)
            }
            Decompiled::Opaque(reasons) => {
                let opaque = Opaque::from_listed(
                    reasons.clone(),
                    origin.clone(),
                    &row.name,
                    template.document_type.clone(),
                    template.auto_execute,
                    &Listed {
                        template: &row.template,
                        parameters: &row.parameters,
                        variables: &row.variables,
                        constants: &row.constants,
                    },
                );
                let spec = opaque::spec_text(&opaque);
                let template_sha256 =
                    opaque
                        .sha256()
                        .map_err(|source| crate::opaque::Error::Payload {
                            path: w.lock_path.clone(),
                            source,
                        });
                let template_sha256 = match template_sha256 {
                    Ok(sha) => sha,
                    Err(e) => {
                        return Err(Error::Compile {
                            id: row.id,
                            problems: vec![miette::Report::new(e)],
                        }
                        .into());
                    }
                };
                let lock = OpaqueLockfile {
                    version: lockfile::FORMAT_VERSION,
                    options: Options::default(),
                    source: Source {
                        path: w.spec_rel.clone(),
                        sha256: lockfile::spec_sha256(&spec),
                    },
                    previous_ids: Vec::new(),
                    supersedes,
                    opaque,
                    template_sha256,
                };
                let text = lock.to_yaml(&project.schema_ref(&w.lock_path));
                let paused = template.auto_execute == 0;
                ((Kind::Opaque, None, reasons, paused), spec, text)
            }
        };
        let (kind, exact, reasons, paused) = entry;
        imported.push(Imported {
            template_id: row.id,
            name: row.name.clone(),
            workflow: id,
            kind,
            ownership: if in_place {
                Ownership::InPlace
            } else {
                Ownership::Copy
            },
            exact,
            reasons,
            paused,
            files: vec![w.spec_rel.clone(), project.relative(&w.lock_path)],
        });
        files.push(File {
            path: w.spec_path.clone(),
            text: spec,
        });
        files.push(File {
            path: w.lock_path.clone(),
            text: lock,
        });
    }
    Ok((imported, files))
}

/// The template a listed row holds. The listed sections are JSON already
/// unserialized by the portal; they are read back the way a `.bpt` would be.
fn template_of(row: &LiveTemplate) -> Result<Template, Error> {
    let document_type = row
        .full_document_type()
        .ok_or(Error::NoDocumentType { id: row.id })?;
    let root = Activity::from_tree_json(&row.template)
        .map_err(|source| Error::Undecodable { id: row.id, source })?;
    let section = |v: &serde_json::Value| match v {
        serde_json::Value::Null => Value::empty_array(),
        v => bpt::from_json(v),
    };
    Ok(Template {
        name: row.name.clone(),
        description: row.description.clone(),
        document_type,
        auto_execute: row.auto_execute.unwrap_or(0),
        root,
        parameters: section(&row.parameters),
        variables: section(&row.variables),
        constants: section(&row.constants),
    })
}

/// The workflow id: `--as`, the marker's id for an adoption in place, or one made from
/// the template's name. A taken id is refused with a free one suggested.
fn choose_id(
    project: &Project,
    request: &Request,
    row: &LiveTemplate,
    marker: Option<&str>,
    in_place: bool,
    taken: &BTreeMap<String, &'static str>,
) -> Result<String, Error> {
    let id = match (&request.id, marker) {
        (Some(id), _) => super::create::check_id(id)?,
        (None, Some(marker)) if in_place => marker.to_owned(),
        _ => super::create::slug(&row.name),
    };
    // An adoption in place keeps the template's own id, so its own marker is no clash.
    let clash = taken
        .get(&id)
        .copied()
        .filter(|_| !(in_place && marker == Some(id.as_str()) && !project_has(project, &id)));
    if let Some(why) = clash {
        let base = super::create::slug(&row.name);
        let suggestion = (2..1000)
            .map(|n| format!("{base}-{n}"))
            .find(|s| !taken.contains_key(s))
            .unwrap_or_else(|| format!("template-{}", row.id));
        return Err(Error::NameTaken {
            template: row.id,
            id,
            why,
            suggestion,
        });
    }
    Ok(id)
}

fn project_has(project: &Project, id: &str) -> bool {
    project.workflow(id).is_ok_and(|w| w.spec_path.exists())
}

fn import_stamp() -> ParserStamp {
    ParserStamp::new(&ParserIdentity {
        name: IMPORT_PARSER,
        version: 1,
        model: None,
        prompt_sha256: None,
    })
}

/// The spec of a decompiled workflow. Adopted in place, it is the summary b24flow put
/// in the template's description when it was applied, when that summary is whole
/// (the spec's own words, so the plan shows no change); otherwise the workflow in plain
/// English. A paused template gets `enabled: false` front matter.
fn spec_of_blueprint(
    project: &Project,
    row: &LiveTemplate,
    recovered: &decompile::Recovered,
    in_place: bool,
) -> String {
    let summary = in_place
        .then(|| original_summary(&row.description))
        .flatten();
    let body = summary.unwrap_or_else(|| {
        let words = crate::explain::explain(&recovered.blueprint, &project.config);
        format!("{words}\n")
    });
    if recovered.enabled {
        body
    } else {
        format!("---\nenabled: false\n---\n{body}")
    }
}

/// The spec summary a managed description opens with ([`crate::plan::description`]),
/// when it is not cut short (the description keeps at most 400 characters of it).
fn original_summary(description: &str) -> Option<String> {
    let (summary, _) = description.split_once("\n\nManaged by b24flow from ")?;
    (summary.chars().count() < 400 && !summary.trim().is_empty()).then(|| format!("{summary}\n"))
}

/// Writes every file, or none: a failure removes the files already written.
fn write_all(files: &[File]) -> Result<(), Error> {
    let mut written: Vec<&PathBuf> = Vec::new();
    for f in files {
        let result = f
            .path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| lockfile::write_atomic(&f.path, f.text.as_bytes()));
        if let Err(source) = result {
            for path in written {
                let _ = std::fs::remove_file(path);
            }
            return Err(Error::Write {
                path: f.path.clone(),
                source,
            });
        }
        written.push(&f.path);
    }
    Ok(())
}

impl From<Error> for super::Error {
    fn from(e: Error) -> Self {
        super::Error::Import(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_summary_comes_back_only_when_whole() {
        let d = crate::plan::description(
            "workflows/a.txt",
            "When a deal is won,\n  send a WhatsApp",
            "a",
            &"0".repeat(64),
        );
        assert_eq!(
            original_summary(&d).as_deref(),
            Some("When a deal is won, send a WhatsApp\n")
        );
        let long = crate::plan::description("workflows/a.txt", &"word ".repeat(200), "a", "0");
        assert_eq!(original_summary(&long), None, "cut at 400 characters");
        assert_eq!(original_summary("made in the designer"), None);
    }
}
