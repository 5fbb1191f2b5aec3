//! Plan tests: diffing desired workflows against the portal, and the plan's text,
//! Markdown and JSON renderings.

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
        render_text(&plan, Style::default()).contains("Plan: 2 to add, 0 to change, 0 to destroy.")
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
        md.contains("2 running (DEAL\\_1, DEAL\\_2)") || md.contains("2 running (DEAL_1, DEAL_2)"),
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
