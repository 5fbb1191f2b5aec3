//! The delete operation: one template b24flow manages, by workflow id or template id.
//!
//! Invariants: a template without b24flow's ownership marker is never deleted; it was
//! made in the portal's designer, and only a person there may remove it. A delete
//! holds the project's apply lock, and re-finds its target under it, like every other
//! writer to the portal.

use schemars::JsonSchema;
use serde::Serialize;

use crate::plan::managed_id;
use crate::portal::Portal;
use crate::project::{Project, SPEC_EXT};

/// The template a delete will remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub template_id: u64,
    pub name: String,
    /// The workflow id its marker names.
    pub workflow: String,
}

/// `b24flow delete`, `DELETE /bitrix-workflows/{id}`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Deleted {
    pub template_id: u64,
    pub workflow: String,
    /// Set when the spec still exists (the next apply creates the template again).
    pub note: Option<String>,
}

/// Why a template cannot be deleted.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("no template `{id}` in the portal")]
    #[diagnostic(
        code(b24flow::delete::not_found),
        help("`b24flow list` shows the portal's templates")
    )]
    NotFound { id: String },
    #[error("template {template_id} ({name}) is not managed by b24flow")]
    #[diagnostic(
        code(b24flow::delete::unmanaged),
        help(
            "b24flow only deletes templates it created; remove this one in the portal's designer"
        )
    )]
    Unmanaged { template_id: u64, name: String },
}

/// Finds the template `id` names: a template id, or the workflow id in a marker.
pub async fn find(portal: &Portal, id: &str) -> Result<Target, super::Error> {
    let live = portal.live().await?;
    let by_template: Option<u64> = id.parse().ok();
    let Some(target) = live
        .iter()
        .find(|t| Some(t.id) == by_template || managed_id(&t.description) == Some(id))
    else {
        return Err(Error::NotFound { id: id.to_owned() }.into());
    };
    let Some(workflow) = managed_id(&target.description) else {
        return Err(Error::Unmanaged {
            template_id: target.id,
            name: target.name.clone(),
        }
        .into());
    };
    Ok(Target {
        template_id: target.id,
        name: target.name.clone(),
        workflow: workflow.to_owned(),
    })
}

/// Deletes `target`, found by [`find`]. The note says when its spec is still there.
pub async fn delete(
    portal: &Portal,
    project: &Project,
    target: &Target,
) -> Result<Deleted, super::Error> {
    let _lock = super::apply::lock(&project.state(), portal, false)?;
    // Under the lock, the target must still be the managed template that was found
    // (and confirmed): an apply may have replaced it since.
    let now = find(portal, &target.template_id.to_string()).await?;
    if now != *target {
        return Err(Error::NotFound {
            id: target.template_id.to_string(),
        }
        .into());
    }
    portal.client.template_delete(target.template_id).await?;
    let workflow = &target.workflow;
    let spec = project
        .workflows_dir()
        .join(format!("{workflow}{SPEC_EXT}"));
    Ok(Deleted {
        template_id: target.template_id,
        workflow: workflow.clone(),
        note: spec.is_file().then(|| {
            format!(
                "workflows/{workflow}{SPEC_EXT} still exists, so the next apply creates the template again; delete the spec and its lockfile to remove the workflow for good"
            )
        }),
    })
}
