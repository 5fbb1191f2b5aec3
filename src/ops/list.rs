//! The list operation: every template in the portal, managed by b24flow or not.
//!
//! [`TemplateList`] is the document `b24flow list --json` prints and
//! `GET /bitrix-workflows` serves; its schema is `schema/list.schema.json`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::plan::managed_id;
use crate::portal::Portal;

/// The list document's format version.
pub const FORMAT_VERSION: u32 = 1;

/// Every template in the portal.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "b24flow list")]
pub struct TemplateList {
    /// Bumped when the document changes incompatibly.
    pub format_version: u32,
    /// A portal URL (without credentials) or `local`.
    pub portal: String,
    pub templates: Vec<TemplateRow>,
}

/// One template in the portal.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TemplateRow {
    pub id: u64,
    /// E.g. `DEAL`.
    pub document_type: String,
    pub auto_execute: u8,
    pub name: String,
    /// The workflow id, for templates b24flow manages.
    pub workflow: Option<String>,
}

impl TemplateList {
    /// How many templates b24flow manages.
    pub fn managed(&self) -> usize {
        self.templates
            .iter()
            .filter(|t| t.workflow.is_some())
            .count()
    }
}

/// Lists the portal's templates.
pub async fn list(portal: &Portal) -> Result<TemplateList, super::Error> {
    let live = portal.live().await?;
    Ok(TemplateList {
        format_version: FORMAT_VERSION,
        portal: portal.label.clone(),
        templates: live
            .iter()
            .map(|t| TemplateRow {
                id: t.id,
                document_type: t.document_type.clone(),
                auto_execute: t.auto_execute,
                name: t.name.clone(),
                workflow: managed_id(&t.description).map(str::to_owned),
            })
            .collect(),
    })
}
