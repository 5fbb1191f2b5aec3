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
            None => Change {
                id: d.id.clone(),
                action: Action::Create,
                template_id: None,
                name: d.name.clone(),
                reason: if d.auto_execute == 0 {
                    "new workflow, paused (enabled: false)".into()
                } else {
                    "new workflow".into()
                },
                fields: Vec::new(),
                tree_diff: None,
                moved_from: None,
                retiring: false,
                running: None,
                live_description: None,
            },
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
        id: id.to_owned(),
        action: Action::Delete,
        template_id: Some(l.id),
        name: l.name.clone(),
        reason: reason.to_owned(),
        fields: Vec::new(),
        tree_diff: None,
        moved_from: None,
        retiring: retire::settled(l),
        running: None,
        live_description: Some(l.description.clone()),
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
        id: d.id.clone(),
        action,
        template_id: Some(l.id),
        name: d.name.clone(),
        reason: reason.to_owned(),
        fields,
        tree_diff,
        moved_from: None,
        retiring: action == Action::Replace && retire::settled(l),
        running: None,
        live_description: (action == Action::Replace).then(|| l.description.clone()),
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
mod tests {
    use super::*;
    use crate::render::{MARKDOWN_LIMIT, Style, render_markdown, render_text, summary_line};
    use serde_json::json;

    fn desired(id: &str, tree: Value) -> Desired {
        let sha = sha256_hex(tree.to_string().as_bytes());
        Desired {
            id: id.into(),
            name: format!("{id} name"),
            description: description("workflows/x.txt", "When x", id, &sha),
            document_type: ["crm".into(), "CCrmDocumentDeal".into(), "DEAL".into()],
            auto_execute: 2,
            tree,
            bpt_base64: String::new(),
            template_sha256: sha,
            lockfile_sha256: format!("lock-{id}"),
            previous_ids: Vec::new(),
            supersedes: Vec::new(),
        }
    }

    fn live_of(d: &Desired, id: u64) -> Live {
        Live {
            id,
            name: d.name.clone(),
            description: d.description.clone(),
            document_type: d.document_type[2].clone(),
            auto_execute: d.auto_execute,
            tree: d.tree.clone(),
            system_code: Some("rest_app_1".into()),
        }
    }

    fn unmanaged(id: u64) -> Live {
        Live {
            id,
            name: "hand made".into(),
            description: "made in the designer".into(),
            document_type: "DEAL".into(),
            auto_execute: 0,
            tree: json!([]),
            system_code: None,
        }
    }

    #[test]
    fn empty_portal_plans_creates() {
        let d = vec![desired("a", json!([1])), desired("b", json!([2]))];
        let plan = build("local", &d, &[unmanaged(9)]);
        assert_eq!(
            plan.summary,
            Summary {
                create: 2,
                unmanaged: 1,
                ..Summary::default()
            }
        );
        assert_eq!(plan.desired.len(), 2);
        assert!(
            render_text(&plan, Style::default())
                .contains("Plan: 2 to add, 0 to change, 0 to destroy.")
        );
    }

    #[test]
    fn matching_portal_plans_nothing() {
        let d = vec![desired("a", json!([1]))];
        let live = vec![live_of(&d[0], 5), unmanaged(6)];
        let plan = build("local", &d, &live);
        assert!(!plan.has_changes());
        assert_eq!(plan.summary.unchanged, 1);
        assert!(plan.desired.is_empty());
    }

    #[test]
    fn a_changed_workflow_updates_and_a_deleted_one_is_destroyed() {
        let old = desired("a", json!([{"Type": "X", "Title": "old"}]));
        let gone = desired("gone", json!([3]));
        let live = vec![live_of(&old, 5), live_of(&gone, 6)];
        let new = desired("a", json!([{"Type": "X", "Title": "new"}]));
        let plan = build("local", &[new], &live);
        let actions: Vec<_> = plan
            .changes
            .iter()
            .map(|c| (c.id.as_str(), c.action))
            .collect();
        assert_eq!(actions, [("a", Action::Update), ("gone", Action::Delete)]);
        assert_eq!(plan.changes[0].reason, "the workflow changed");
        assert!(
            plan.changes[0]
                .tree_diff
                .as_deref()
                .unwrap()
                .contains("+    \"Title\": \"new\"")
        );
        let text = render_text(&plan, Style::default());
        assert!(text.contains("Templates to destroy:"), "{text}");
    }

    #[test]
    fn a_portal_edit_is_drift() {
        let d = desired("a", json!([{"Title": "git"}]));
        let mut l = live_of(&d, 5);
        l.tree = json!([{"Title": "edited in the designer"}]);
        let plan = build("local", &[d], &[l]);
        assert_eq!(plan.changes[0].action, Action::Update);
        assert!(plan.changes[0].reason.contains("drift"));
    }

    #[test]
    fn the_commit_in_a_live_marker_is_no_change() {
        let d = desired("a", json!([1]));
        let mut l = live_of(&d, 5);
        l.description = with_commit(&l.description, "abcdef1234567");
        let plan = build("local", std::slice::from_ref(&d), &[l]);
        assert_eq!(plan.changes[0].action, Action::NoOp);
        let mut changed = desired("a", json!([2]));
        changed.lockfile_sha256 = "other".into();
        let mut plan = build("local", &[changed], &[live_of(&d, 5)]);
        plan.stamp_commit("abcdef1234567");
        assert_eq!(
            managed_commit(&plan.desired["a"].description),
            Some("abcdef1234567")
        );
    }

    #[test]
    fn document_type_change_is_a_replace() {
        let d = desired("a", json!([1]));
        let mut l = live_of(&d, 5);
        l.document_type = "LEAD".into();
        let plan = build("local", &[d], &[l]);
        assert_eq!(plan.changes[0].action, Action::Replace);
        assert_eq!(
            summary_line(&plan.summary),
            "Plan: 1 to add, 0 to change, 1 to destroy. 0 unchanged, 0 unmanaged left alone."
        );
    }

    #[test]
    fn a_moved_workflow_takes_over_its_previous_template() {
        let old = desired("deal-won", json!([1]));
        let mut moved = desired("sales/deal-won", json!([1]));
        moved.previous_ids = vec!["deal-won".into()];
        let plan = build("local", std::slice::from_ref(&moved), &[live_of(&old, 7)]);
        assert_eq!(plan.changes.len(), 1);
        let c = &plan.changes[0];
        assert_eq!(
            (c.action, c.template_id, c.moved_from.as_deref()),
            (Action::Update, Some(7), Some("deal-won"))
        );
        assert_eq!(plan.summary.delete, 0);
        // When the previous id is still a workflow, it is a copy: create, keep the old.
        let plan = build("local", &[old.clone(), moved], &[live_of(&old, 7)]);
        let actions: Vec<_> = plan.changes.iter().map(|c| c.action).collect();
        assert_eq!(actions, [Action::NoOp, Action::Create]);
    }

    #[test]
    fn duplicates_keep_the_oldest() {
        let d = desired("a", json!([1]));
        let plan = build(
            "local",
            std::slice::from_ref(&d),
            &[live_of(&d, 9), live_of(&d, 4)],
        );
        assert_eq!(plan.changes[0].action, Action::NoOp);
        assert_eq!(plan.changes[0].template_id, Some(4));
        assert_eq!(
            (plan.changes[1].action, plan.changes[1].template_id),
            (Action::Delete, Some(9))
        );
    }

    #[test]
    fn fingerprint_moves_with_managed_templates_only() {
        let d = desired("a", json!([1]));
        let base = live_fingerprint(&[live_of(&d, 1)]);
        assert_eq!(base, live_fingerprint(&[live_of(&d, 1), unmanaged(2)]));
        let mut edited = live_of(&d, 1);
        edited.name = "x".into();
        assert_ne!(base, live_fingerprint(&[edited]));
        assert_ne!(base, live_fingerprint(&[]));
    }

    #[test]
    fn markdown_stays_under_the_limit() {
        let desired: Vec<Desired> = (0..2000)
            .map(|i| desired(&format!("w{i:04}"), json!([i, "x".repeat(50)])))
            .collect();
        let plan = build("https://example.bitrix24.com", &desired, &[]);
        let md = render_markdown(&plan);
        assert!(md.len() <= MARKDOWN_LIMIT, "{}", md.len());
        assert!(md.starts_with(
            "### b24flow plan for `https://example.bitrix24.com`: 2000 to add, 0 to change, 0 to destroy"
        ));
        assert!(md.contains("workflow section(s) left out"), "{md}");
    }

    /// 300 changed workflows, each with a long explanation, diagram and activity diff,
    /// and two destroys: the comment fits, the destroys come first, and it says what
    /// it trimmed.
    #[test]
    fn three_hundred_changed_workflows_fit_with_destroys_first() {
        let old: Vec<Desired> = (0..300)
            .map(|i| {
                desired(
                    &format!("w{i:03}"),
                    json!([{"Title": "old", "Text": "a".repeat(400)}]),
                )
            })
            .collect();
        let gone = [desired("gone-1", json!([1])), desired("gone-2", json!([2]))];
        let live: Vec<Live> = old
            .iter()
            .chain(&gone)
            .enumerate()
            .map(|(i, d)| live_of(d, i as u64 + 1))
            .collect();
        let new: Vec<Desired> = (0..300)
            .map(|i| {
                desired(
                    &format!("w{i:03}"),
                    json!([{"Title": "new", "Text": "b".repeat(400)}]),
                )
            })
            .collect();
        let mut plan = build("local", &new, &live);
        assert_eq!((plan.summary.update, plan.summary.delete), (300, 2));
        for c in &plan.changes {
            plan.reviews.insert(
                c.id.clone(),
                Review {
                    explanation: format!("When a deal is won, send {}.", "words ".repeat(40)),
                    changes: vec!["The WhatsApp message now says 'b'.".into()],
                    note: None,
                    diagram: format!("flowchart TD\n    trigger([\"{}\"])", "t".repeat(300)),
                },
            );
        }
        let md = render_markdown(&plan);
        assert!(md.len() <= MARKDOWN_LIMIT, "{}", md.len());
        let first_lines: Vec<&str> = md.lines().take(8).collect();
        assert_eq!(
            first_lines[0],
            "### b24flow plan for `local`: 0 to add, 300 to change, 2 to destroy"
        );
        assert!(
            first_lines[4].starts_with("#### Destroyed first"),
            "{first_lines:?}"
        );
        assert!(
            first_lines[6].contains("**destroy** `gone-1`"),
            "{first_lines:?}"
        );
        assert!(
            first_lines[6].contains("its spec was deleted"),
            "{first_lines:?}"
        );
        let trim = md
            .lines()
            .find(|l| l.starts_with("> **Trimmed to fit"))
            .expect("a trim line");
        assert!(
            trim.contains("300 activity-level diff(s) left out"),
            "{trim}"
        );
        assert!(md.find("> **Trimmed").unwrap() < md.find("#### ✏️ update").unwrap());
        assert!(md.contains("#### ✏️ update `w000`"));
    }

    #[test]
    fn a_missing_user_field_alone_is_a_change() {
        let d = vec![desired("a", json!([1]))];
        let mut plan = build("local", &d, &[live_of(&d[0], 5)]);
        assert!(!plan.has_changes());
        plan.set_fields(vec![FieldToCreate {
            field_name: "UF_CRM_B24F_00000000".into(),
            entity: "CRM_DEAL".into(),
            label: "b24flow: a (do not edit)".into(),
            workflows: vec!["a".into()],
            method: "crm.deal.userfield.add".into(),
            params: json!({"fields": {"FIELD_NAME": "B24F_00000000"}}),
            list_method: "crm.deal.userfield.list".into(),
            list_params: json!({"filter": {"FIELD_NAME": "UF_CRM_B24F_00000000"}}),
        }]);
        assert!(plan.has_changes());
        assert_eq!(plan.summary.fields, 1);
        let text = render_text(&plan, Style::default());
        assert!(!text.contains("No changes"), "{text}");
        assert!(text.contains("User fields to create"), "{text}");
        assert!(text.contains("UF_CRM_B24F_00000000 on CRM_DEAL"), "{text}");
        assert!(text.contains("1 user field(s) to create first."), "{text}");
        let md = render_markdown(&plan);
        assert!(md.contains("UF\\_CRM") || md.contains("UF_CRM"), "{md}");
        let doc = to_json(&plan);
        assert_eq!(doc["fields"][0]["workflows"], json!(["a"]));
        assert_eq!(doc["summary"]["fields"], 1);
        let drift = crate::ops::drift::Drift::of(plan);
        assert_eq!(drift.drifted, ["a"]);
        assert_eq!(drift.missing_fields, ["UF_CRM_B24F_00000000"]);
    }

    fn instances(template_id: u64, docs: &[&str]) -> BTreeMap<u64, Vec<RunningInstance>> {
        let list = docs
            .iter()
            .enumerate()
            .map(|(i, d)| RunningInstance {
                id: format!("66e412fdc9bd44.{i:08}"),
                template_id,
                document_id: (*d).to_owned(),
            })
            .collect();
        [(template_id, list)].into_iter().collect()
    }

    #[test]
    fn running_instances_turn_a_delete_into_a_retire_and_stay_out_of_the_digest() {
        let gone = desired("gone", json!([3]));
        let mut plan = build("local", &[], &[live_of(&gone, 6)]);
        assert_eq!(plan.templates_to_remove(), [6]);
        let digest = plan.digest();
        plan.set_running(&instances(6, &["DEAL_1", "DEAL_2"]));
        assert_eq!(
            plan.digest(),
            digest,
            "instances come and go; apply re-reads them"
        );
        let running = plan.changes[0].running.as_ref().unwrap();
        assert_eq!((running.count, running.then), (2, Disposal::Retire));
        assert_eq!(plan.summary.retiring, 1);
        let text = render_text(&plan, Style::default());
        assert!(
            text.contains("retire, then destroy gone (template 6)"),
            "{text}"
        );
        assert!(
            text.contains("running: 2 running (DEAL_1, DEAL_2): auto-start turned off"),
            "{text}"
        );
        assert!(text.contains("1 of the destroyed retire first"), "{text}");
        let md = render_markdown(&plan);
        assert!(
            md.contains("2 running (DEAL\\_1, DEAL\\_2)")
                || md.contains("2 running (DEAL_1, DEAL_2)"),
            "{md}"
        );
        let doc = to_json(&plan);
        assert_eq!(doc["changes"][0]["running"]["then"], "retire");
        assert_eq!(
            doc["changes"][0]["running"]["instances"][1]["document_id"],
            "DEAL_2"
        );
        // Nothing running: deleted now.
        let mut plan = build("local", &[], &[live_of(&gone, 6)]);
        plan.set_running(&instances(6, &[]));
        assert_eq!(
            plan.changes[0].running.as_ref().unwrap().then,
            Disposal::DeleteNow
        );
        assert_eq!(plan.summary.retiring, 0);
    }

    #[test]
    fn a_retiring_template_is_never_the_one_kept() {
        let old = desired("a", json!([1]));
        let mut retired = live_of(&old, 4);
        retired.description = retiring(&retired.description);
        retired.auto_execute = 0;
        let mut new = desired("a", json!([1]));
        new.document_type[2] = "LEAD".into();
        let mut fresh = live_of(&new, 9);
        fresh.document_type = "LEAD".into();
        let plan = build(
            "local",
            std::slice::from_ref(&new),
            &[retired.clone(), fresh],
        );
        let actions: Vec<_> = plan
            .changes
            .iter()
            .map(|c| (c.action, c.template_id, c.retiring))
            .collect();
        assert_eq!(
            actions,
            [
                (Action::NoOp, Some(9), false),
                (Action::Delete, Some(4), true)
            ]
        );
        assert!(plan.changes[1].reason.starts_with("retiring"));
        assert!(plan.is_duplicate(&plan.changes[1]));
        // Its spec back and no other copy: it is taken back, auto-start on again.
        let plan = build("local", std::slice::from_ref(&old), &[retired]);
        assert_eq!(plan.changes[0].action, Action::Update);
        assert!(plan.changes[0].reason.contains("was retiring"));
    }

    #[test]
    fn json_view_is_versioned() {
        let plan = build("local", &[desired("a", json!([1]))], &[]);
        let doc = to_json(&plan);
        assert_eq!(doc["format_version"], 1);
        assert_eq!(doc["summary"]["create"], 1);
        assert_eq!(doc["changes"][0]["action"], "create");
        assert_eq!(doc["changes"][0]["id"], "a");
    }
}
