//! The offline parser against its corpus (`tests/corpus/offline.yaml`): every entry is
//! checked, every mismatch is reported in one failure, and the corpus must exercise
//! every trigger and action in the catalog.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use b24flow::blueprint::{Blueprint, Condition};
use b24flow::catalog::{ACTIONS, TRIGGERS};
use b24flow::nl::Outcome;
use b24flow::nl::offline;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    text: String,
    status: Status,
    #[serde(default)]
    trigger: Option<String>,
    #[serde(default)]
    params: BTreeMap<String, String>,
    #[serde(default)]
    entity: Option<String>,
    #[serde(default)]
    conditions: Vec<Condition>,
    /// Each action: `type` plus the fields to compare.
    #[serde(default)]
    actions: Vec<BTreeMap<String, String>>,
    /// Substrings that must each appear in some question.
    #[serde(default)]
    asks: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Status {
    Ok,
    NeedsClarification,
}

fn load() -> Vec<Entry> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/offline.yaml");
    let text = std::fs::read_to_string(path).expect("the corpus is readable");
    serde_saphyr::from_str(&text).expect("the corpus is valid YAML of entries")
}

/// What is wrong with one entry's parse, if anything.
fn check(entry: &Entry) -> Vec<String> {
    let mut wrong = Vec::new();
    match (entry.status, offline::parse(&entry.text)) {
        (Status::Ok, Outcome::Ok { workflow }) => check_blueprint(entry, &workflow, &mut wrong),
        (Status::Ok, Outcome::NeedsClarification { questions }) => {
            wrong.push(format!("expected a blueprint, got questions {questions:?}"));
        }
        (Status::NeedsClarification, Outcome::Ok { workflow }) => {
            let json = serde_json::to_string(&workflow).unwrap_or_default();
            wrong.push(format!("expected questions, got {json}"));
        }
        (Status::NeedsClarification, Outcome::NeedsClarification { questions }) => {
            if entry.asks.is_empty() {
                wrong.push("a needs_clarification entry must list what it asks".into());
            }
            for want in &entry.asks {
                if !questions.iter().any(|q| q.contains(want.as_str())) {
                    wrong.push(format!("no question contains {want:?}; got {questions:?}"));
                }
            }
        }
    }
    wrong
}

fn check_blueprint(entry: &Entry, b: &Blueprint, wrong: &mut Vec<String>) {
    if entry.trigger.as_deref() != Some(b.trigger.kind.as_str()) {
        wrong.push(format!(
            "trigger: want {:?}, got {:?}",
            entry.trigger, b.trigger.kind
        ));
    }
    if entry.params != b.trigger.params {
        wrong.push(format!(
            "trigger params: want {:?}, got {:?}",
            entry.params, b.trigger.params
        ));
    }
    if entry.entity.as_deref() != Some(b.entity.as_str()) {
        wrong.push(format!(
            "entity: want {:?}, got {:?}",
            entry.entity, b.entity
        ));
    }
    if entry.conditions != b.conditions {
        wrong.push(format!(
            "conditions: want {:?}, got {:?}",
            entry.conditions, b.conditions
        ));
    }
    let want_kinds: Vec<&str> = entry
        .actions
        .iter()
        .map(|a| a.get("type").map_or("?", String::as_str))
        .collect();
    let got_kinds: Vec<&str> = b.actions.iter().map(|a| a.kind.as_str()).collect();
    if want_kinds != got_kinds {
        wrong.push(format!("actions: want {want_kinds:?}, got {got_kinds:?}"));
        return;
    }
    for (i, (want, got)) in entry.actions.iter().zip(&b.actions).enumerate() {
        for (field, value) in want.iter().filter(|(k, _)| *k != "type") {
            if got.field(field) != Some(value.as_str()) {
                wrong.push(format!(
                    "actions[{i}].{field}: want {value:?}, got {:?}",
                    got.field(field)
                ));
            }
        }
    }
    if b.clone().normalized() != *b {
        wrong.push("the blueprint is not normalized".into());
    }
}

#[test]
fn every_corpus_entry_parses_as_expected() {
    let entries = load();
    assert!(
        entries.len() >= 100,
        "the corpus has {} entries",
        entries.len()
    );
    let mut report = String::new();
    let mut failed = 0;
    for entry in &entries {
        let wrong = check(entry);
        if !wrong.is_empty() {
            failed += 1;
            let _ = writeln!(report, "\n{:?}", entry.text);
            for w in wrong {
                let _ = writeln!(report, "  - {w}");
            }
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} corpus entries are wrong:{report}",
        entries.len()
    );
}

#[test]
fn the_corpus_covers_every_trigger_and_action() {
    let entries = load();
    let ok: Vec<&Entry> = entries.iter().filter(|e| e.status == Status::Ok).collect();
    let triggers: BTreeSet<&str> = ok.iter().filter_map(|e| e.trigger.as_deref()).collect();
    let actions: BTreeSet<&str> = ok
        .iter()
        .flat_map(|e| {
            e.actions
                .iter()
                .filter_map(|a| a.get("type").map(String::as_str))
        })
        .collect();
    let missing_triggers: Vec<&str> = TRIGGERS
        .iter()
        .map(|t| t.id)
        .filter(|id| !triggers.contains(id))
        .collect();
    let missing_actions: Vec<&str> = ACTIONS
        .iter()
        .map(|a| a.id)
        .filter(|id| !actions.contains(id))
        .collect();
    assert!(
        missing_triggers.is_empty() && missing_actions.is_empty(),
        "not covered: triggers {missing_triggers:?}, actions {missing_actions:?}"
    );
    let vague = entries
        .iter()
        .filter(|e| e.status == Status::NeedsClarification)
        .count();
    assert!(vague >= 10, "only {vague} entries need clarification");
}

#[test]
fn the_seeds_vague_examples_all_ask() {
    for text in [
        "Do something when things change",
        "Send a message to someone",
        "Automate my CRM",
        "Handle new clients",
    ] {
        assert!(
            matches!(offline::parse(text), Outcome::NeedsClarification { .. }),
            "{text}"
        );
    }
}
