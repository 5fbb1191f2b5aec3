//! The phases of apply that deal with running instances, before any template is
//! deleted or created: `--terminate-running` ends them, and otherwise a template that
//! still has them is retired (auto-start off, marked, see [`crate::plan::retire`])
//! instead of deleted.
//!
//! Invariants: a replace never creates its new template unless the old one was deleted
//! or retired first, so the portal never holds two auto-starting copies of a
//! workflow; a template is deleted only when every instance the plan read under the
//! lock was terminated (a new one started since makes the platform refuse the delete,
//! and the next apply retires it); each phase is one `batch` per 50 commands, and a
//! failed command fails its change alone.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Failure, Journal};
use crate::bitrix::{Batch, Client, MAX_COMMANDS, Method, TemplateUpdate, terminate_params};
use crate::plan::{Action, Change, Disposal, Running, retiring};

/// What the phases did to one planned change.
#[derive(Debug, Clone, Default)]
pub(super) struct Note {
    /// Instances terminated.
    pub terminated: usize,
    /// The template was retired now or stays retiring (not deleted).
    pub retiring: bool,
    /// The change is finished (a delete retired, or left retiring): no write is left.
    pub done: bool,
    /// The change failed in a phase; nothing more is sent for it.
    pub failure: Option<Failure>,
}

/// The status text `bizproc.workflow.terminate` records on each instance.
const TERMINATE_STATUS: &str =
    "Terminated by b24flow apply --terminate-running: the template is being deleted";

fn removes(c: &Change) -> bool {
    matches!(c.action, Action::Delete | Action::Replace)
}

/// Terminates every running instance of the templates `planned` deletes or replaces
/// (those not already failed), then plans their delete as if nothing ran.
pub(super) async fn terminate(
    client: &Client,
    planned: &mut [Change],
    notes: &mut [Note],
    journal: &Journal,
) {
    let mut commands: Vec<(usize, String)> = Vec::new();
    for (i, c) in planned.iter().enumerate() {
        if !removes(c) || notes[i].failure.is_some() {
            continue;
        }
        if let Some(r) = &c.running {
            commands.extend(r.instances.iter().map(|inst| (i, inst.id.clone())));
        }
    }
    if commands.is_empty() {
        return;
    }
    let mut failed: BTreeMap<usize, Failure> = BTreeMap::new();
    let mut ended: BTreeMap<usize, usize> = BTreeMap::new();
    for chunk in commands.chunks(MAX_COMMANDS) {
        let mut batch = Batch::new().halt(false);
        for (k, (i, id)) in chunk.iter().enumerate() {
            if k == 0 || chunk[k - 1].0 != *i {
                journal.record(
                    &planned[*i],
                    "terminate-sent",
                    planned[*i].template_id,
                    None,
                );
            }
            batch.push(
                format!("t{k}"),
                Method::WorkflowTerminate,
                &terminate_params(id, TERMINATE_STATUS),
            );
        }
        match client.batch(&batch).await {
            Err(e) => {
                let e = Arc::new(e);
                for (i, _) in chunk {
                    failed
                        .entry(*i)
                        .or_insert_with(|| Failure::Batch(Arc::clone(&e)));
                }
            }
            Ok(reply) => {
                for (k, (i, id)) in chunk.iter().enumerate() {
                    match reply.error(&format!("t{k}")) {
                        Some(e) => {
                            failed.entry(*i).or_insert_with(|| Failure::Terminate {
                                instance: id.clone(),
                                description: e.description.clone(),
                                code: e.code.clone(),
                            });
                        }
                        None => *ended.entry(*i).or_default() += 1,
                    }
                }
            }
        }
    }
    for (i, c) in planned.iter_mut().enumerate() {
        let Some(done) = ended
            .get(&i)
            .copied()
            .or(failed.contains_key(&i).then_some(0))
        else {
            continue;
        };
        notes[i].terminated = done;
        if let Some(f) = failed.remove(&i) {
            journal.record(c, "failed", c.template_id, Some(&f));
            notes[i].failure = Some(f);
        } else {
            journal.record(c, "terminated", c.template_id, None);
            c.running = Some(Running::new(&[], false));
        }
    }
}

/// Retires every template that `planned` deletes or replaces while instances of it
/// run: auto-start off and the retiring line in its description, one `batch` per 50.
/// A delete is then done; a replace goes on to create its new template only.
pub(super) async fn retire(
    client: &Client,
    planned: &mut [Change],
    notes: &mut [Note],
    journal: &Journal,
) {
    let then = |c: &Change| c.running.as_ref().map_or(Disposal::DeleteNow, |r| r.then);
    let mut to_retire: Vec<usize> = Vec::new();
    for (i, c) in planned.iter().enumerate() {
        if !removes(c) || notes[i].failure.is_some() {
            continue;
        }
        match then(c) {
            Disposal::DeleteNow => {}
            Disposal::StillRetiring => {
                notes[i].retiring = true;
                notes[i].done = c.action == Action::Delete;
            }
            Disposal::Retire => match (c.template_id, &c.live_description) {
                (Some(_), Some(_)) => to_retire.push(i),
                _ => {
                    notes[i].failure = Some(Failure::NoTemplateId { id: c.id.clone() });
                }
            },
        }
    }
    for chunk in to_retire.chunks(MAX_COMMANDS) {
        let mut batch = Batch::new().halt(false);
        for &i in chunk {
            let c = &planned[i];
            let update = TemplateUpdate {
                description: c.live_description.as_deref().map(retiring),
                auto_execute: Some(0),
                ..TemplateUpdate::default()
            };
            journal.record(c, "retire-sent", c.template_id, None);
            let id = c.template_id.expect("checked above");
            batch.push(format!("r{i}"), Method::TemplateUpdate, &update.params(id));
        }
        let reply = client.batch(&batch).await.map_err(Arc::new);
        for &i in chunk {
            let failure = match &reply {
                Err(e) => Some(Failure::Batch(Arc::clone(e))),
                Ok(reply) => reply.error(&format!("r{i}")).map(|e| Failure::Refused {
                    method: Method::TemplateUpdate.name(),
                    description: e.description.clone(),
                    code: e.code.clone(),
                }),
            };
            let c = &mut planned[i];
            if let Some(f) = failure {
                journal.record(c, "failed", c.template_id, Some(&f));
                notes[i].failure = Some(f);
            } else {
                journal.record(c, "retired", c.template_id, None);
                notes[i].retiring = true;
                notes[i].done = c.action == Action::Delete;
                if let Some(r) = &mut c.running {
                    r.then = Disposal::StillRetiring;
                }
            }
        }
    }
}
