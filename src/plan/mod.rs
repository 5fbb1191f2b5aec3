//! Plans: what must change in the portal for it to match the lockfiles.
//!
//! A [`Plan`] is data: a list of [`Change`]s (create, update, replace, delete, no-op),
//! computed from the desired templates (compiled from lockfiles) and the live ones (the
//! portal's list). Views live apart: text and Markdown in [`crate::render`], and the
//! versioned JSON document ([`PlanDocument`]) here, because it is data with a schema.
//!
//! Ownership: a template is managed when its description ends with the marker line
//! `[b24flow:<workflow id>@<template hash>]` ([`marker`]). Only managed templates are ever updated or
//! deleted; the others are counted and left alone. When one workflow has several
//! managed templates (a create whose response was lost and was sent again), the oldest
//! is kept and the rest are planned for deletion, so reconciling always converges.
//!
//! A plan records a fingerprint of the lockfiles and of the managed live templates it
//! was computed from; a saved plan is refused once either has moved.

mod marker;
mod retire;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::digest::sha256_hex;

use marker::managed_hash;
pub use marker::{
    description, managed_commit, managed_id, marker, valid_commit, with_commit, without_commit,
    without_marker,
};
pub use retire::{
    Disposal, Instance, RETIRING_LINE, Running, RunningInstance, is_retiring, retiring,
};

/// The plan document's format version (JSON output and saved plans).
pub const FORMAT_VERSION: u32 = 1;

/// A template as the lockfiles want it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desired {
    /// The workflow id.
    pub id: String,
    pub name: String,
    /// The full description, marker line included.
    pub description: String,
    /// `[module, class, type]`, e.g. `["crm", "CCrmDocumentDeal", "DEAL"]`.
    pub document_type: [String; 3],
    /// `AUTO_EXECUTE`: 0 (off), 1 (on create), 2 (on change).
    pub auto_execute: u8,
    /// The activity tree, as `bizproc.workflow.template.list` returns `TEMPLATE`.
    pub tree: Value,
    /// The `.bpt` bytes to upload, base64.
    pub bpt_base64: String,
    /// The SHA-256 of the compiled template.
    pub template_sha256: String,
    /// The SHA-256 of the lockfile text this was compiled from.
    pub lockfile_sha256: String,
    /// The workflow's earlier ids (its spec was moved), newest first: when no template
    /// carries this id, the plan takes over the one that carries a previous id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_ids: Vec<String>,
    /// Portal templates this workflow's managed copy replaces (imported from a template
    /// this application may not change, see `b24flow import`): left alone by the plan
    /// even when they carry a marker, counted as unmanaged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<u64>,
}

/// A template as the portal has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Live {
    pub id: u64,
    pub name: String,
    pub description: String,
    /// The document type's third element, e.g. `DEAL` (what `list` returns).
    pub document_type: String,
    pub auto_execute: u8,
    pub tree: Value,
    #[serde(default)]
    pub system_code: Option<String>,
}

/// What happens to one template.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    NoOp,
    Create,
    Update,
    /// Delete, then create: Bitrix24 cannot change a template's document type.
    Replace,
    Delete,
}

/// One property that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One template's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// The workflow id.
    pub id: String,
    pub action: Action,
    /// The live template's id, for update, replace and delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<u64>,
    /// The template name (desired, or live for deletes).
    pub name: String,
    /// Why, in words: "new workflow", "spec deleted", "edited in the portal", ...
    pub reason: String,
    /// Properties that change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// A unified diff of the activity tree, when it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree_diff: Option<String>,
    /// For a moved workflow: the id its template was managed under, which the update
    /// replaces (the template, its id and its running instances stay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<String>,
    /// For a delete or replace: the live template is already retiring (an earlier apply
    /// turned its auto-start off and marked it; see [`retire`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retiring: bool,
    /// For a delete or replace: the live template's running instances, and what apply
    /// does about them. Absent until the plan has read them ([`Plan::set_running`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<Running>,
    /// For a delete or replace: the live template's description, which retiring keeps
    /// (adding its line). Apply always runs a plan it computed itself, so this is not
    /// part of the document.
    #[serde(skip)]
    pub live_description: Option<String>,
}

impl Change {
    /// A change with nothing but what every change states: the fields, tree diff,
    /// move, retiring mark and running instances are empty until set.
    pub fn new(
        id: impl Into<String>,
        action: Action,
        template_id: Option<u64>,
        name: impl Into<String>,
        reason: impl Into<String>,
    ) -> Change {
        Change {
            id: id.into(),
            action,
            template_id,
            name: name.into(),
            reason: reason.into(),
            fields: Vec::new(),
            tree_diff: None,
            moved_from: None,
            retiring: false,
            running: None,
            live_description: None,
        }
    }
}

/// A user field the templates need that the portal does not have yet (see
/// [`crate::resolve::Resolved::required_fields`]): apply creates it before any template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FieldToCreate {
    /// The full field name the templates use, e.g. `UF_CRM_B24F_K3ZP0QXA`.
    pub field_name: String,
    /// The record type, e.g. `CRM_DEAL`.
    pub entity: String,
    /// What the portal's forms show.
    pub label: String,
    /// The workflows whose templates need it.
    pub workflows: Vec<String>,
    /// The REST method that creates it, e.g. `crm.deal.userfield.add`.
    pub method: String,
    /// Its parameters, as sent.
    pub params: Value,
    /// The REST method that finds it (apply checks again before it creates).
    pub list_method: String,
    /// Its parameters: a filter on the name.
    pub list_params: Value,
}

/// Counts by action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub replace: usize,
    pub delete: usize,
    pub unchanged: usize,
    pub unmanaged: usize,
    /// User fields to create.
    #[serde(default)]
    pub fields: usize,
    /// Templates to delete or replace that still have running instances: apply turns
    /// their auto-start off and retires them instead of deleting them now.
    #[serde(default)]
    pub retiring: usize,
}

impl Summary {
    /// The "to add, to change, to destroy" counts every view shows, Terraform's way: a
    /// replace adds one template and destroys one.
    pub fn add_change_destroy(&self) -> [usize; 3] {
        [
            self.create + self.replace,
            self.update,
            self.delete + self.replace,
        ]
    }
}

/// A plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub format_version: u32,
    /// Where the plan applies: a portal URL (without credentials) or `local`.
    pub portal: String,
    pub summary: Summary,
    /// Every managed workflow's change, no-ops included, creates and updates first,
    /// deletions last.
    pub changes: Vec<Change>,
    /// The SHA-256 of each lockfile the plan was computed from, by workflow id.
    pub lockfiles: BTreeMap<String, String>,
    /// A fingerprint of the managed live templates the plan saw.
    pub live_fingerprint: String,
    /// The templates to upload, by workflow id (only those created or changed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub desired: BTreeMap<String, Desired>,
    /// User fields to create before any template, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldToCreate>,
    /// Each created, updated or replaced workflow in words and as a diagram, by workflow
    /// id, for reviewers (the Markdown plan's sections). Filled in by
    /// `ops::plan::review`; empty when nobody asked.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reviews: BTreeMap<String, Review>,
    /// The targets (`plan ID…`) the plan was restricted to; empty for the whole project.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
}

/// One workflow's change as a reviewer reads it: the new version in plain English, what
/// changed in words, and a Mermaid flowchart with the changed nodes marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The new version in plain English: the summary, then each caveat as a note.
    pub explanation: String,
    /// What changed, one sentence each, in the order a reader meets it. Empty for a
    /// create, and when there was no earlier version to compare with (see `note`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    /// Why the change list is empty or the diagram unmarked, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The new version as a Mermaid flowchart; changed nodes are styled when known.
    pub diagram: String,
}

impl Plan {
    /// Records `commit` in the marker of every template this plan writes (see
    /// [`with_commit`]); templates it does not write keep theirs. Only descriptions
    /// change: the template bytes and the plan's fingerprints stay as they are.
    pub fn stamp_commit(&mut self, commit: &str) {
        for d in self.desired.values_mut() {
            d.description = with_commit(&d.description, commit);
        }
    }

    /// Whether applying the plan would write anything: a template or a user field.
    pub fn has_changes(&self) -> bool {
        !self.fields.is_empty() || self.changes.iter().any(|c| c.action != Action::NoOp)
    }

    /// The live templates whose running instances the plan must read: those it deletes
    /// or replaces, sorted, each once.
    pub fn templates_to_remove(&self) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .changes
            .iter()
            .filter(|c| matches!(c.action, Action::Delete | Action::Replace))
            .filter_map(|c| c.template_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Records the running instances of the templates it deletes or replaces (read for
    /// [`Plan::templates_to_remove`]) and what apply does about each
    /// ([`Disposal::of`]); counts the templates that will be retired.
    pub fn set_running(&mut self, running: &BTreeMap<u64, Vec<RunningInstance>>) {
        for c in &mut self.changes {
            if !matches!(c.action, Action::Delete | Action::Replace) {
                continue;
            }
            let Some(list) = c.template_id.and_then(|id| running.get(&id)) else {
                continue;
            };
            c.running = Some(Running::new(list, c.retiring));
        }
        self.summary.retiring = self
            .changes
            .iter()
            .filter(|c| {
                c.running
                    .as_ref()
                    .is_some_and(|r| r.then != Disposal::DeleteNow)
            })
            .count();
    }

    /// Records the user fields to create (sorted by name, each once).
    pub fn set_fields(&mut self, mut fields: Vec<FieldToCreate>) {
        fields.sort_by(|a, b| a.field_name.cmp(&b.field_name));
        fields.dedup_by(|a, b| a.field_name == b.field_name);
        self.summary.fields = fields.len();
        self.fields = fields;
    }

    /// The changes that write, in the order apply runs them.
    pub fn actionable(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.action != Action::NoOp)
    }

    /// Whether `change` deletes a second template of a workflow that still exists:
    /// b24flow's own debris (a create re-sent after its reply was lost, or a run
    /// killed midway), which the deletion guard does not count.
    pub fn is_duplicate(&self, change: &Change) -> bool {
        change.action == Action::Delete && self.lockfiles.contains_key(&change.id)
    }

    /// Deletions the deletion guard counts: every delete but duplicates', counted from
    /// the changes themselves (a summary can say anything).
    pub fn guarded_deletes(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.action == Action::Delete && !self.is_duplicate(c))
            .count()
    }

    /// A digest over what applying the plan would do: every change and every template
    /// it uploads. Two plans with one digest make the same writes, so a saved or shown
    /// plan is checked against a fresh one by this before anything is written.
    pub fn digest(&self) -> String {
        let uploads: Vec<(&String, &Desired)> = self
            .actionable()
            .filter_map(|c| self.desired.get_key_value(&c.id))
            .collect();
        // Running instances come and go between a plan and its apply, and apply reads
        // them again under its lock and decides by what it finds (deleting only what
        // has none, retiring the rest): they are not part of the digest.
        let changes: Vec<Change> = self
            .changes
            .iter()
            .map(|c| Change {
                running: None,
                ..c.clone()
            })
            .collect();
        // The user fields to create are part of what apply writes, so part of the digest.
        let body = serde_json::to_vec(&(&self.portal, &changes, uploads, &self.fields))
            .expect("a plan serializes");
        sha256_hex(&body)
    }
}

/// A fingerprint of the managed live templates (sorted by id): any edit, creation or
/// deletion of a managed template changes it.
pub fn live_fingerprint(live: &[Live]) -> String {
    let mut managed: Vec<&Live> = live
        .iter()
        .filter(|l| managed_id(&l.description).is_some())
        .collect();
    managed.sort_by_key(|l| l.id);
    sha256_hex(&serde_json::to_vec(&managed).expect("live templates serialize"))
}

/// Computes the plan that makes `live` match `desired`. `desired` must be sorted by id
/// and hold each id once.
pub fn build(portal: &str, desired: &[Desired], live: &[Live]) -> Plan {
    let mut by_id: BTreeMap<&str, Vec<&Live>> = BTreeMap::new();
    let mut unmanaged = 0;
    // `bizproc.workflow.template.update` and `delete` refuse a template another
    // application created (CBPRestService, bizproc/classes/general/restservice.php:
    // "You can update ONLY templates created by current application"); an imported
    // copy's original is never this plan's to change, marker or not.
    let superseded: std::collections::BTreeSet<u64> = desired
        .iter()
        .flat_map(|d| d.supersedes.iter().copied())
        .collect();
    for l in live {
        if superseded.contains(&l.id) {
            unmanaged += 1;
            continue;
        }
        match managed_id(&l.description) {
            Some(id) => by_id.entry(id).or_default().push(l),
            None => unmanaged += 1,
        }
    }
    // The template a workflow keeps is its oldest one that is not retiring: a retiring
    // template (replaced, or its spec deleted, while instances still ran) is only ever
    // deleted, never taken back over while a live copy exists.
    for list in by_id.values_mut() {
        list.sort_by_key(|l| (is_retiring(&l.description), l.id));
    }

    let mut changes = Vec::new();
    let mut uploads = BTreeMap::new();
    let mut deletes = Vec::new();
    // A moved workflow takes over the template of its previous id, unless that id is
    // still a workflow of its own (then it is a copy, not a move).
    let wanted: std::collections::BTreeSet<&str> = desired.iter().map(|d| d.id.as_str()).collect();
    for d in desired {
        let mut found = by_id.remove(d.id.as_str()).unwrap_or_default();
        let mut moved_from = None;
        if found.is_empty() {
            for previous in &d.previous_ids {
                if wanted.contains(previous.as_str()) {
                    continue;
                }
                if let Some(list) = by_id.remove(previous.as_str()) {
                    found = list;
                    moved_from = Some(previous.clone());
                    break;
                }
            }
        }
        let change = match found.first() {
            None => Change::new(
                d.id.clone(),
                Action::Create,
                None,
                d.name.clone(),
                if d.auto_execute == 0 {
                    "new workflow, paused (enabled: false)"
                } else {
                    "new workflow"
                },
            ),
            Some(l) => {
                let mut change = compare(d, l);
                if let Some(from) = moved_from {
                    change.action = Action::Update;
                    change.reason = format!(
                        "moved from {from}; the template is updated in place and keeps its id"
                    );
                    change.moved_from = Some(from);
                }
                change
            }
        };
        if change.action != Action::NoOp {
            uploads.insert(d.id.clone(), d.clone());
        }
        changes.push(change);
        for extra in found.iter().skip(1) {
            deletes.push(delete(
                extra,
                &d.id,
                if is_retiring(&extra.description) {
                    "retiring: replaced, waiting for its running instances to finish"
                } else {
                    "a duplicate of this workflow's template"
                },
            ));
        }
    }
    for (id, list) in by_id {
        for l in list {
            deletes.push(delete(
                l,
                id,
                if is_retiring(&l.description) {
                    "its spec was deleted; retiring until its running instances finish"
                } else {
                    "its spec was deleted"
                },
            ));
        }
    }
    changes.extend(deletes);

    let count = |a: Action| changes.iter().filter(|c| c.action == a).count();
    let summary = Summary {
        create: count(Action::Create),
        update: count(Action::Update),
        replace: count(Action::Replace),
        delete: count(Action::Delete),
        unchanged: count(Action::NoOp),
        unmanaged,
        fields: 0,
        retiring: 0,
    };
    Plan {
        format_version: FORMAT_VERSION,
        portal: portal.to_owned(),
        summary,
        changes,
        lockfiles: desired
            .iter()
            .map(|d| (d.id.clone(), d.lockfile_sha256.clone()))
            .collect(),
        live_fingerprint: live_fingerprint(live),
        desired: uploads,
        fields: Vec::new(),
        reviews: BTreeMap::new(),
        targets: Vec::new(),
    }
}

fn delete(l: &Live, id: &str, reason: &str) -> Change {
    Change {
        retiring: retire::settled(l),
        live_description: Some(l.description.clone()),
        ..Change::new(id, Action::Delete, Some(l.id), l.name.clone(), reason)
    }
}

fn compare(d: &Desired, l: &Live) -> Change {
    let replace = l.document_type != d.document_type[2];
    let fields: Vec<FieldChange> = [
        (
            "document_type",
            l.document_type.clone(),
            d.document_type[2].clone(),
        ),
        ("name", l.name.clone(), d.name.clone()),
        // The commit apply recorded in the live marker is an audit record, not a change.
        (
            "description",
            without_commit(&l.description).into_owned(),
            d.description.clone(),
        ),
        (
            "auto_start",
            auto_start_words(l.auto_execute),
            auto_start_words(d.auto_execute),
        ),
    ]
    .into_iter()
    .filter(|(_, before, after)| before != after)
    .map(|(field, before, after)| FieldChange {
        field: field.to_owned(),
        before,
        after,
    })
    .collect();
    let tree_diff = (l.tree != d.tree).then(|| tree_diff(&l.tree, &d.tree));
    let (action, reason) = if replace {
        (
            Action::Replace,
            "the document type changed; Bitrix24 cannot change it in place",
        )
    } else if is_retiring(&l.description) {
        (
            Action::Update,
            "was retiring; its spec is back, so it stays and auto-start is restored",
        )
    } else if fields.is_empty() && tree_diff.is_none() {
        if d.auto_execute == 0 {
            (Action::NoOp, "up to date, paused")
        } else {
            (Action::NoOp, "up to date")
        }
    } else if managed_hash(&l.description) == managed_hash(&d.description) {
        // The template in git did not change, yet the portal's differs: someone edited
        // it there. Planning the update restores what git declares.
        (
            Action::Update,
            "edited in the portal (drift); the update restores it",
        )
    } else if l.auto_execute != 0 && d.auto_execute == 0 {
        // Compiled templates always auto-start (1 or 2); 0 is `enabled: false`.
        (
            Action::Update,
            "paused (enabled: false): auto-start off, the template stays",
        )
    } else if l.auto_execute == 0 && d.auto_execute != 0 {
        (Action::Update, "resumed: auto-start back on")
    } else {
        (Action::Update, "the workflow changed")
    };
    Change {
        fields,
        tree_diff,
        retiring: action == Action::Replace && retire::settled(l),
        live_description: (action == Action::Replace).then(|| l.description.clone()),
        ..Change::new(d.id.clone(), action, Some(l.id), d.name.clone(), reason)
    }
}

/// "off", "on create", "on change", "on create and change".
pub fn auto_start_words(auto_execute: u8) -> String {
    match auto_execute {
        0 => "off",
        1 => "on create",
        2 => "on change",
        3 => "on create and change",
        _ => "unknown",
    }
    .to_owned()
}

/// A unified diff of two activity trees, as indented JSON.
fn tree_diff(before: &Value, after: &Value) -> String {
    let a = serde_json::to_string_pretty(before).expect("json") + "\n";
    let b = serde_json::to_string_pretty(after).expect("json") + "\n";
    similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(3)
        .header("portal", "lockfile")
        .to_string()
}

/// The versioned JSON document `plan --format json` prints and `GET /plan` serves; its
/// schema is `schema/plan.schema.json`. (Saved plans carry more: the templates to upload
/// and the fingerprints apply checks.)
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "b24flow plan")]
pub struct PlanDocument<'a> {
    /// Bumped when the document changes incompatibly.
    pub format_version: u32,
    /// Where the plan applies: a portal URL (without credentials) or `local`.
    pub portal: &'a str,
    /// Counts by action, plus unchanged and unmanaged templates.
    pub summary: &'a Summary,
    /// Every managed workflow's change, deletions last.
    pub changes: &'a [Change],
    /// User fields the templates need that apply creates first.
    #[serde(default, skip_serializing_if = "<[FieldToCreate]>::is_empty")]
    pub fields: &'a [FieldToCreate],
}

/// The plan's versioned document, as `plan --format json` prints it.
pub fn document(plan: &Plan) -> PlanDocument<'_> {
    PlanDocument {
        format_version: plan.format_version,
        portal: &plan.portal,
        summary: &plan.summary,
        changes: &plan.changes,
        fields: &plan.fields,
    }
}

/// The plan as its versioned JSON document, as a value (`GET /plan`, `POST /preview`).
pub fn to_json(plan: &Plan) -> Value {
    serde_json::to_value(document(plan)).expect("a plan serializes")
}

#[cfg(test)]
mod tests;
