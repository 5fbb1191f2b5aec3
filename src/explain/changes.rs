//! What changed between two versions of a workflow, in words a reviewer reads: "also
//! creates the task 'Send the contract'", "no longer sends …", "the WhatsApp message now
//! says …", "now only for deals over 20,000", "now starts when … instead of when …".
//!
//! Actions are paired by the longest common subsequence of their ids, so an edit to one
//! step reads as a change to that step, and adding or removing a step leaves the others
//! alone. An action that moved without other edits reads as moved. Each change names the
//! diagram node it touches in the new version, so an update's diagram can mark it.
//!
//! Invariant: deterministic, and empty exactly when the blueprints are equal.

use std::collections::BTreeSet;
use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

use super::{Node, Words, field_words, finish_sentence};
use crate::blueprint::{Action, Blueprint};
use crate::config::Config;

/// One change, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Change {
    /// The change as a sentence, e.g. "Also creates the task 'Send the contract' for the
    /// deal's responsible person."
    pub text: String,
    /// The diagram node of the new version it touches; absent for removals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<Node>,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What changed from `old` to `new`, in the order a reader meets it: name, trigger,
/// conditions, then the steps in the new order (removed steps where they were).
pub fn changes(old: &Blueprint, new: &Blueprint, config: &Config) -> Vec<Change> {
    let before = Words::new(old, config);
    let after = Words::new(new, config);
    let mut out = Vec::new();
    let mut push = |text: String, node: Option<Node>| {
        out.push(Change {
            text: finish_sentence(&text),
            node,
        });
    };

    if old.name != new.name {
        push(
            format!(
                "is now named {} (was {})",
                after.quote(&new.name),
                before.quote(&old.name)
            ),
            None,
        );
    }
    if old.trigger != new.trigger || old.entity != new.entity {
        let (was, now) = (before.when(&old.trigger), after.when(&new.trigger));
        let text = if was == now {
            format!("now starts when {now} (on {})", new.entity)
        } else {
            format!("now starts when {now} instead of when {was}")
        };
        push(text, Some(Node::Trigger));
    }
    if old.conditions != new.conditions {
        let text = match (old.conditions.is_empty(), new.conditions.is_empty()) {
            (true, _) => format!("now only for {}", after.conditions(&new.conditions)),
            (false, true) => format!(
                "no longer limited to {}",
                before.conditions(&old.conditions)
            ),
            (false, false) => format!(
                "now only for {} instead of {}",
                after.conditions(&new.conditions),
                before.conditions(&old.conditions)
            ),
        };
        let node = (!new.conditions.is_empty()).then_some(Node::Conditions);
        push(text, node);
    }

    for step in align(&old.actions, &new.actions) {
        match step {
            Step::Same(o, n) => {
                for text in field_changes(&before, &after, &old.actions[o], &new.actions[n]) {
                    push(text, Some(Node::Action(n)));
                }
            }
            Step::Moved(o, n) => push(
                format!(
                    "now {} as step {} instead of step {}",
                    after.action(&new.actions[n]).third_person(),
                    n + 1,
                    o + 1
                ),
                Some(Node::Action(n)),
            ),
            Step::Added(n) => push(
                format!("also {}", after.action(&new.actions[n]).third_person()),
                Some(Node::Action(n)),
            ),
            Step::Removed(o) => push(
                format!(
                    "no longer {}",
                    before.action(&old.actions[o]).third_person()
                ),
                None,
            ),
        }
    }
    out
}

/// The diagram nodes a change list touches: the `marks` for the new version's diagram.
pub fn changed_nodes(changes: &[Change]) -> BTreeSet<Node> {
    changes.iter().filter_map(|c| c.node).collect()
}

/// How one action of either version fares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Paired: the same step, perhaps with edited fields (old index, new index).
    Same(usize, usize),
    /// The same step, unchanged, at another place.
    Moved(usize, usize),
    Added(usize),
    Removed(usize),
}

/// Pairs the actions by the longest common subsequence of their ids; an unpaired old
/// action equal to an unpaired new one is a move.
fn align(old: &[Action], new: &[Action]) -> Vec<Step> {
    let (olen, nlen) = (old.len(), new.len());
    // lcs[i][j]: the longest common subsequence of old[i..] and new[j..].
    let mut lcs = vec![vec![0usize; nlen + 1]; olen + 1];
    for oi in (0..olen).rev() {
        for ni in (0..nlen).rev() {
            lcs[oi][ni] = if old[oi].kind == new[ni].kind {
                lcs[oi + 1][ni + 1] + 1
            } else {
                lcs[oi + 1][ni].max(lcs[oi][ni + 1])
            };
        }
    }
    let mut steps = Vec::new();
    let (mut oi, mut ni) = (0, 0);
    while oi < olen || ni < nlen {
        if oi < olen && ni < nlen && old[oi].kind == new[ni].kind {
            steps.push(Step::Same(oi, ni));
            oi += 1;
            ni += 1;
        } else if ni < nlen && (oi == olen || lcs[oi][ni + 1] >= lcs[oi + 1][ni]) {
            steps.push(Step::Added(ni));
            ni += 1;
        } else {
            steps.push(Step::Removed(oi));
            oi += 1;
        }
    }
    // A removed step that reappears unchanged elsewhere moved.
    let mut moved_from = Vec::new();
    for k in 0..steps.len() {
        let Step::Added(a) = steps[k] else { continue };
        let found = steps.iter().position(
            |s| matches!(s, Step::Removed(r) if old[*r] == new[a] && !moved_from.contains(r)),
        );
        if let Some(pos) = found {
            let Step::Removed(r) = steps[pos] else {
                unreachable!("position matched a removal")
            };
            moved_from.push(r);
            steps[k] = Step::Moved(r, a);
        }
    }
    steps.retain(|s| !matches!(s, Step::Removed(r) if moved_from.contains(r)));
    steps
}

/// What changed inside one paired action, one sentence per changed field.
fn field_changes(before: &Words<'_>, after: &Words<'_>, old: &Action, new: &Action) -> Vec<String> {
    if old == new {
        return Vec::new();
    }
    let thing = noun(before, old);
    let mut names: Vec<&String> = old.fields.keys().chain(new.fields.keys()).collect();
    names.sort();
    names.dedup();
    // Fields in the catalog's order, then any others by name.
    if let Some(info) = crate::catalog::action(&new.kind) {
        names.sort_by_key(|n| {
            info.fields
                .iter()
                .position(|f| f.name == n.as_str())
                .unwrap_or(usize::MAX)
        });
    }
    let mut out = Vec::new();
    for name in names {
        let (was, now) = (old.field(name), new.field(name));
        if was == now {
            continue;
        }
        let text = match (name.as_str(), now) {
            (_, None) => format!("{thing} no longer has a {}", field_label(name)),
            ("message" | "body", Some(v)) => format!("{thing} now says {}", after.quote(v)),
            ("subject", Some(v)) => format!("{thing}'s subject is now {}", after.quote(v)),
            ("title", Some(v)) => format!("{thing} is now called {}", after.quote(v)),
            ("to" | "assignee", Some(v)) => format!(
                "{thing} now goes to {} instead of {}",
                after.who(v),
                before.who(was.unwrap_or_default())
            ),
            ("deadline" | "datetime", Some(v)) => {
                format!("{thing} is now due {}", after.when_at(v))
            }
            ("priority", Some(v)) => format!("{thing} now has {v} priority"),
            ("stage", Some(v)) => format!(
                "{thing} now goes to the stage {v}{}",
                was.map(|w| format!(" instead of {w}")).unwrap_or_default()
            ),
            ("url", Some(v)) => format!(
                "{thing} now calls {v}{}",
                was.map(|w| format!(" instead of {w}")).unwrap_or_default()
            ),
            ("field" | "value", Some(_)) => {
                format!("now {}", after.action(new).third_person())
            }
            (_, Some(v)) => format!("{thing}'s {} is now {}", field_label(name), after.quote(v)),
        };
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// A field name as a reader says it.
fn field_label(name: &str) -> String {
    match name {
        "template_id" => "e-mail template".to_owned(),
        "datetime" | "deadline" => "due date".to_owned(),
        "method" => "method".to_owned(),
        "message" => "note".to_owned(),
        other => field_words(&other.to_ascii_uppercase()).replace("field ", ""),
    }
}

/// How a reader names an existing step: "the WhatsApp message", "the task 'Review'".
fn noun(words: &Words<'_>, a: &Action) -> String {
    let title = a.field("title").map(|t| words.quote(t)).unwrap_or_default();
    let e = words.noun;
    match a.kind.as_str() {
        "send_whatsapp" => "the WhatsApp message".to_owned(),
        "send_email" => "the e-mail".to_owned(),
        "send_sms" => "the SMS".to_owned(),
        "send_notification" => "the notification".to_owned(),
        "send_bitrix_message" => "the chat message".to_owned(),
        "create_task" => format!("the task {title}"),
        "update_task" => "the task change".to_owned(),
        "set_reminder" => format!("the to-do {title}"),
        "schedule_call" => "the call".to_owned(),
        "create_deal" => format!("the new deal {title}"),
        "update_deal" | "update_field" => format!("the change to the {e}'s fields"),
        "create_contact" => format!("the new contact {title}"),
        "create_company" => format!("the new company {title}"),
        "create_invoice" => format!("the new invoice {title}"),
        "create_quote" => format!("the new quote {title}"),
        "assign_responsible" => format!("the {e}'s new responsible person"),
        "move_stage" => format!("the move of the {e}"),
        "add_comment" => "the timeline comment".to_owned(),
        "add_tag" => "the tag".to_owned(),
        "remove_tag" => "the tag removal".to_owned(),
        "webhook" => "the webhook call".to_owned(),
        other => format!("the `{other}` step"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::{Condition, Trigger};

    fn won(actions: Vec<Action>) -> Blueprint {
        Blueprint {
            name: "Won".into(),
            entity: "CRM_DEAL".into(),
            trigger: Trigger::new("deal_won"),
            conditions: vec![],
            actions,
        }
    }

    fn whatsapp(message: &str) -> Action {
        Action::new(
            "send_whatsapp",
            [
                ("to", "{{CONTACT_PHONE}}".to_owned()),
                ("message", message.to_owned()),
            ],
        )
    }

    fn task(title: &str) -> Action {
        Action::new(
            "create_task",
            [
                ("title", title.to_owned()),
                ("assignee", "{{ASSIGNED_BY_ID}}".to_owned()),
            ],
        )
    }

    fn texts(old: &Blueprint, new: &Blueprint) -> Vec<String> {
        changes(old, new, &Config::default())
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    #[test]
    fn equal_blueprints_have_no_changes() {
        let b = won(vec![whatsapp("Hi"), task("Send the contract")]);
        assert!(changes(&b, &b, &Config::default()).is_empty());
    }

    #[test]
    fn an_added_step_a_removed_step_and_an_edited_message() {
        let old = won(vec![whatsapp("Hi"), task("Call")]);
        let new = won(vec![
            whatsapp("Hello"),
            task("Call"),
            task("Send the contract"),
        ]);
        let found = changes(&old, &new, &Config::default());
        assert_eq!(
            found.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            [
                "The WhatsApp message now says 'Hello'.",
                "Also creates the task 'Send the contract' for the deal's responsible person.",
            ]
        );
        assert_eq!(
            changed_nodes(&found),
            BTreeSet::from([Node::Action(0), Node::Action(2)])
        );
        assert_eq!(
            texts(&new, &old),
            [
                "The WhatsApp message now says 'Hi'.",
                "No longer creates the task 'Send the contract' for the deal's responsible person.",
            ]
        );
    }

    #[test]
    fn conditions_and_triggers() {
        let old = won(vec![whatsapp("Hi")]);
        let mut new = old.clone();
        new.conditions.push(Condition {
            field: "OPPORTUNITY".into(),
            operator: ">".into(),
            value: "20000".into(),
        });
        assert_eq!(texts(&old, &new), ["Now only for deals over 20,000."]);
        assert_eq!(
            texts(&new, &old),
            ["No longer limited to deals over 20,000."]
        );
        let mut lost = old.clone();
        lost.trigger = Trigger::new("deal_lost");
        assert_eq!(
            texts(&old, &lost),
            ["Now starts when a deal becomes lost instead of when a deal becomes won."]
        );
    }

    #[test]
    fn a_moved_step_reads_as_moved() {
        let old = won(vec![whatsapp("Hi"), task("Call")]);
        let new = won(vec![task("Call"), whatsapp("Hi")]);
        let found = texts(&old, &new);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("Now "), "{found:?}");
        assert!(found[0].contains("as step"), "{found:?}");
    }
}
