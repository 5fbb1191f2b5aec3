//! A workflow as a Mermaid flowchart, the diagram GitHub draws in pull-request comments
//! and that `show --format mermaid` prints.
//!
//! The chart follows the template's shape: the trigger, the wait (invoice_overdue), the
//! trigger's own check and the spec's conditions as yes/no decisions (a "no" ends the
//! run), then the steps in the order they run. Node ids are fixed words plus the
//! action's index in the blueprint (`action1` is the first action as written), so a
//! change list can point at the nodes it changed and an update's diagram can mark them.
//!
//! Invariants: every label is quoted and escaped with Mermaid's entity codes, so no text
//! from a spec can end a label or start a directive; the output is deterministic; a test
//! parses it with Mermaid's own parser (tests/it/explain.rs).

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};

use schemars::JsonSchema;
use serde::Serialize;

use super::{Words, capitalize, run_order};

use crate::blueprint::Blueprint;
use crate::catalog::{self, TriggerMapping};
use crate::config::Config;

/// A node of the diagram, as a change list refers to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Node {
    /// What starts the workflow.
    Trigger,
    /// The wait before the checks (invoice_overdue).
    Wait,
    /// The check the trigger's template makes.
    Guard,
    /// The spec's own conditions.
    Conditions,
    /// An action, by its index in the blueprint's `actions` (from 0).
    Action(usize),
}

impl fmt::Display for Node {
    /// The Mermaid node id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Trigger => f.write_str("trigger"),
            Node::Wait => f.write_str("wait"),
            Node::Guard => f.write_str("guard"),
            Node::Conditions => f.write_str("conditions"),
            Node::Action(i) => write!(f, "action{}", i + 1),
        }
    }
}

/// Actions the template compiler refuses; the diagram says so on their node.
const REFUSED_ACTIONS: &[&str] = &["update_task", "add_tag", "remove_tag"];

/// The shape a node is drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Rounded ends: the start and the stop.
    Terminal,
    /// A box: a wait or a step.
    Step,
    /// A yes/no question.
    Decision,
}

/// One box of the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartNode {
    /// The Mermaid node id (`trigger`, `action1`, `skip`, ...).
    pub id: String,
    pub shape: Shape,
    /// The text, plain (not yet escaped for any format).
    pub text: String,
    /// Styled as changed.
    pub changed: bool,
}

/// One arrow of the chart, by node id, with its label (`yes`, `no`) if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartEdge {
    pub from: String,
    pub to: String,
    pub label: Option<&'static str>,
}

/// The workflow's flowchart as data: what [`mermaid`] prints and the builder page's
/// SVG ([`super::svg`]) draws, so both show the same boxes and arrows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// In drawing order: trigger, wait, checks, steps in run order, then the stop.
    pub nodes: Vec<ChartNode>,
    pub edges: Vec<ChartEdge>,
}

/// The workflow as a Mermaid flowchart; nodes in `marks` are styled as changed.
pub fn mermaid(blueprint: &Blueprint, config: &Config, marks: &BTreeSet<Node>) -> String {
    let c = chart(blueprint, config, marks);
    let mut out = String::from("flowchart TD\n");
    for n in &c.nodes {
        let text = label(&n.text);
        let _ = match n.shape {
            Shape::Terminal => writeln!(out, "    {}([{text}])", n.id),
            Shape::Step => writeln!(out, "    {}[{text}]", n.id),
            Shape::Decision => writeln!(out, "    {}{{{text}}}", n.id),
        };
    }
    for e in &c.edges {
        let _ = match e.label {
            Some(l) => writeln!(out, "    {} -->|{l}| {}", e.from, e.to),
            None => writeln!(out, "    {} --> {}", e.from, e.to),
        };
    }
    // In the marks' order (trigger, wait, checks, actions by index), drawn nodes only.
    let marked: Vec<String> = marks
        .iter()
        .map(ToString::to_string)
        .filter(|id| c.nodes.iter().any(|n| n.changed && n.id == *id))
        .collect();
    if !marked.is_empty() {
        out.push_str("    classDef changed fill:#fff4c2,stroke:#b7791f,stroke-width:3px\n");
        let _ = writeln!(out, "    class {} changed", marked.join(","));
    }
    out
}

/// The workflow's flowchart as data; nodes in `marks` are flagged as changed.
pub fn chart(blueprint: &Blueprint, config: &Config, marks: &BTreeSet<Node>) -> Chart {
    let words = Words::new(blueprint, config);
    let mut c = Chart {
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    let mut add = |node: Node, shape: Shape, text: String| {
        c.nodes.push(ChartNode {
            id: node.to_string(),
            shape,
            text,
            changed: marks.contains(&node),
        });
    };

    let mut trigger = format!("When {}", words.when(&blueprint.trigger));
    let mapping = catalog::trigger(&blueprint.trigger.kind).map(|t| t.mapping);
    if !matches!(mapping, Some(TriggerMapping::Template { .. })) {
        trigger.push_str(" (b24flow cannot build this trigger)");
    }
    add(Node::Trigger, Shape::Terminal, trigger);
    let mut chain = vec![Node::Trigger];

    if let Some(wait) = super::trigger_words(&blueprint.trigger.kind).and_then(|w| w.wait) {
        add(Node::Wait, Shape::Step, wait.to_owned());
        chain.push(Node::Wait);
    }
    let mut decisions = Vec::new();
    if let Some(check) = words.check(&blueprint.trigger) {
        add(Node::Guard, Shape::Decision, check);
        decisions.push(Node::Guard);
    }
    if !blueprint.conditions.is_empty() {
        let question = format!("Only for {}?", words.conditions(&blueprint.conditions));
        add(Node::Conditions, Shape::Decision, question);
        decisions.push(Node::Conditions);
    }
    let mut steps = Vec::new();
    for i in run_order(&blueprint.actions) {
        let action = &blueprint.actions[i];
        let mut text = capitalize(&words.action(action).imperative());
        // The event runner carries out what a template cannot (a task's tags, its fields).
        if REFUSED_ACTIONS.contains(&action.kind.as_str()) && !crate::runner::is_runner(blueprint) {
            text.push_str(" (b24flow cannot build this step)");
        }
        add(Node::Action(i), Shape::Step, text);
        steps.push(Node::Action(i));
    }
    if !decisions.is_empty() {
        c.nodes.push(ChartNode {
            id: "skip".into(),
            shape: Shape::Terminal,
            text: "Stop: nothing is done".into(),
            changed: false,
        });
    }

    // Edges: the straight chain to the first decision, each decision's yes to the next
    // step and no to the stop, then the steps one after another.
    let mut edge = |from: Node, to: String, label: Option<&'static str>| {
        c.edges.push(ChartEdge {
            from: from.to_string(),
            to,
            label,
        });
    };
    for pair in chain.windows(2) {
        edge(pair[0], pair[1].to_string(), None);
    }
    let mut last = *chain.last().expect("the chain starts with the trigger");
    let mut from_decision = false;
    for d in &decisions {
        edge(last, d.to_string(), from_decision.then_some("yes"));
        edge(*d, "skip".into(), Some("no"));
        last = *d;
        from_decision = true;
    }
    for node in &steps {
        edge(last, node.to_string(), from_decision.then_some("yes"));
        last = *node;
        from_decision = false;
    }
    c
}

/// A node label: in double quotes, with every character that could end the label or
/// be read as markup (quotes, brackets, braces, pipes, `#`, `&`, `<`, `>`, backticks,
/// `%`) written as a Mermaid entity code (`#35;` is `#`). Parentheses and `;` stay: the
/// grammar reads them as text inside quotes. Line breaks and runs of spaces become one
/// space.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && out.len() > 1 {
            out.push(' ');
        }
        space = false;
        match c {
            '"' | '#' | '&' | '<' | '>' | '[' | ']' | '{' | '}' | '|' | '`' | '%' | '\\' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::{Action, Condition, Trigger};

    fn won() -> Blueprint {
        Blueprint {
            name: "Won".into(),
            entity: "CRM_DEAL".into(),
            trigger: Trigger::new("deal_won"),
            conditions: vec![Condition {
                field: "OPPORTUNITY".into(),
                operator: ">".into(),
                value: "20000".into(),
            }],
            actions: vec![
                Action::new("move_stage", [("stage", "C2:NEW".to_owned())]),
                Action::new(
                    "send_whatsapp",
                    [
                        ("to", "{{CONTACT_PHONE}}".to_owned()),
                        ("message", "Thanks! \"Deal\" #1 [ok]".to_owned()),
                    ],
                ),
            ],
        }
    }

    #[test]
    fn labels_escape_everything_that_could_end_them() {
        assert_eq!(
            label("a \"b\" #1 [c]\n{d} <e> (f) |g| `h` 50% ;"),
            "\"a #34;b#34; #35;1 #91;c#93; #123;d#125; #60;e#62; (f) #124;g#124; #96;h#96; 50#37; ;\""
        );
    }

    #[test]
    fn the_chart_follows_the_template_shape_and_marks_changes() {
        let marks = BTreeSet::from([Node::Action(1), Node::Conditions, Node::Action(9)]);
        let chart = mermaid(&won(), &Config::default(), &marks);
        let lines: Vec<&str> = chart.lines().collect();
        assert_eq!(lines[0], "flowchart TD");
        assert!(chart.contains("    trigger([\"When a deal becomes won\"])\n"));
        assert!(chart.contains("    conditions{\"Only for deals over 20,000?\"}\n"));
        // move_stage (action1) runs after the message (action2).
        let edges: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| l.contains("-->"))
            .collect();
        assert_eq!(
            edges,
            [
                "    trigger --> guard",
                "    guard -->|no| skip",
                "    guard -->|yes| conditions",
                "    conditions -->|no| skip",
                "    conditions -->|yes| action2",
                "    action2 --> action1",
            ]
        );
        // Only nodes that exist are marked.
        assert!(
            chart.ends_with("    class conditions,action2 changed\n"),
            "{chart}"
        );
        assert!(!chart.contains("\"Thanks"));
        assert!(chart.contains("#34;Deal#34; #35;1 #91;ok#93;"));
    }
}
