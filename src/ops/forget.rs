//! Forgetting a workflow (`b24flow forget ID`): stop managing it without deleting it.
//!
//! The template stays in the portal, running as before; only its ownership marker is
//! removed from its description (ownership is the marker, see [`crate::plan`]), so no
//! later plan updates or destroys it: it is counted as unmanaged. Then the spec and
//! its lockfile are deleted.
//!
//! Invariants: the portal is changed first and the files only once every marked
//! template of the workflow was unmarked, so a failure leaves the files in place (the
//! next `forget` finishes the job). A workflow with neither a spec nor a managed
//! template is an error, and nothing is written. Runs under the apply lock, as any
//! write to the portal does.

use serde::Serialize;

use crate::apply::Lock;
use crate::bitrix::TemplateUpdate;
use crate::plan::{managed_id, without_marker};
use crate::portal::Portal;
use crate::project::{LOCK_EXT, Project, SPEC_EXT};
use crate::state::StateDir;

/// What `forget` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forgotten {
    pub workflow: String,
    /// The templates that were unmarked (normally one), now unmanaged.
    pub template_ids: Vec<u64>,
    /// The files deleted, relative to the project root.
    pub files_deleted: Vec<String>,
}

/// Why a workflow cannot be forgotten. Nothing was written.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("no workflow `{id}`: no spec, and no template in the portal carries its marker")]
    #[diagnostic(
        code(b24flow::forget::not_found),
        help("`b24flow list` shows the portal's templates and the workflows they belong to")
    )]
    NotFound { id: String },
    #[error("cannot delete {file}")]
    #[diagnostic(
        code(b24flow::io),
        help("the template is already unmanaged; delete the file by hand")
    )]
    Remove {
        file: String,
        #[source]
        source: std::io::Error,
    },
}

/// Unmarks the templates of workflow `id`, then deletes its spec and lockfile.
pub async fn forget(
    portal: &Portal,
    project: &Project,
    state: &StateDir,
    id: &str,
) -> Result<Forgotten, super::Error> {
    let spec = project.workflows_dir().join(format!("{id}{SPEC_EXT}"));
    let lock = project.workflows_dir().join(format!("{id}{LOCK_EXT}"));
    if spec.is_file() {
        // An id that is not a workflow of this project (a path outside workflows/,
        // a case clash) is refused before anything is written.
        project.select(&[id.to_owned()])?;
    }
    let _lock = Lock::acquire(&state.apply_lock(), &portal.label, false)?;
    let live = portal.live().await?;
    let mine: Vec<_> = live
        .iter()
        .filter(|l| managed_id(&l.description) == Some(id))
        .collect();
    if mine.is_empty() && !spec.is_file() && !lock.is_file() {
        return Err(Error::NotFound { id: id.to_owned() }.into());
    }
    let mut template_ids = Vec::new();
    for l in mine {
        // `bizproc.workflow.template.update` takes any subset of NAME, DESCRIPTION,
        // TEMPLATE_DATA and AUTO_EXECUTE (CBPRestService::updateWorkflowTemplate,
        // bizproc/classes/general/restservice.php): only the description is sent, so
        // the activity tree and the running instances are untouched.
        let update = TemplateUpdate {
            description: Some(without_marker(&l.description)),
            ..TemplateUpdate::default()
        };
        portal.client.template_update(l.id, &update).await?;
        template_ids.push(l.id);
    }
    let mut files_deleted = Vec::new();
    for path in [&spec, &lock] {
        match std::fs::remove_file(path) {
            Ok(()) => files_deleted.push(project.relative(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(Error::Remove {
                    file: project.relative(path),
                    source,
                }
                .into());
            }
        }
    }
    Ok(Forgotten {
        workflow: id.to_owned(),
        template_ids,
        files_deleted,
    })
}
