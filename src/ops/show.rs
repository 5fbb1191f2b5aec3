//! The show operation: the template one lockfile builds to.
//!
//! [`TemplateDocument`] is what `b24flow show --json` prints; its schema is
//! `schema/show.schema.json`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Error, Problem};
use crate::build::{Built, build_all};
use crate::project::Project;

/// The show document's format version.
pub const FORMAT_VERSION: u32 = 1;

/// One workflow's template: its fields and its activity tree as the portal lists it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "b24flow show")]
pub struct TemplateDocument {
    /// Bumped when the document changes incompatibly.
    pub format_version: u32,
    /// The workflow id.
    pub id: String,
    pub name: String,
    /// The full description, ownership marker included.
    pub description: String,
    /// `[module, class, type]`, e.g. `["crm", "CCrmDocumentDeal", "DEAL"]`.
    pub document_type: [String; 3],
    /// 0 (off), 1 (on create), 2 (on change).
    pub auto_execute: u8,
    /// The SHA-256 of the compiled template (the lockfile's `template_sha256`).
    pub template_sha256: String,
    /// The activity tree as `bizproc.workflow.template.list` returns `TEMPLATE`.
    pub template: Value,
}

/// What building one workflow gave.
#[derive(Debug)]
pub struct Shown {
    /// The workflow, when it built.
    pub built: Option<Built>,
    /// Why it did not, or what else is wrong.
    pub problems: Vec<Problem>,
}

impl Shown {
    /// The JSON document, when the workflow built.
    pub fn document(&self) -> Option<TemplateDocument> {
        let b = self.built.as_ref()?;
        // The desired state, so an opaque workflow's stored template shows as well.
        let d = &b.desired;
        Some(TemplateDocument {
            format_version: FORMAT_VERSION,
            id: b.workflow.id.clone(),
            name: d.name.clone(),
            description: d.description.clone(),
            document_type: d.document_type.clone(),
            auto_execute: d.auto_execute,
            template_sha256: d.template_sha256.clone(),
            template: d.tree.clone(),
        })
    }
}

/// Builds the workflow `id`.
pub fn show(project: &Project, id: &str) -> Result<Shown, Error> {
    let (built, problems) = build_all(project, std::slice::from_ref(&id.to_owned()))?;
    Ok(Shown {
        built: built.into_iter().next(),
        problems,
    })
}
