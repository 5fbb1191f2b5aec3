//! The activity tree for people: one walk over [`Activity`], two layouts.
//!
//! - [`full`]: every activity with its type, name and title, its properties below it,
//!   drawn with box lines; what `b24flow show` prints.
//! - [`outline`]: the activities below the root as indented `Type "Title"` lines; what a
//!   plan shows for a new template and what `POST /preview` returns.
//!
//! A tree in its listed JSON form is read back with [`Activity::from_tree_json`] first,
//! so both layouts see the same activities whichever side of a plan they come from.

use std::fmt::Write as _;

use serde_json::Value;

use crate::bizproc::Activity;
use crate::bizproc::bpt;

/// One activity as the walk meets it.
struct Node<'a> {
    activity: &'a Activity,
    /// How many levels below the start of the walk.
    depth: usize,
    /// The box-drawing prefix of the activity's own line.
    lead: String,
    /// The box-drawing prefix of the lines below it.
    rest: String,
}

/// Visits `start` and every activity below it, parents first, children in order.
fn walk<'a>(start: &'a Activity, visit: &mut impl FnMut(&Node<'a>)) {
    fn go<'a>(node: &Node<'a>, visit: &mut impl FnMut(&Node<'a>)) {
        visit(node);
        let last = node.activity.children.len().saturating_sub(1);
        for (i, child) in node.activity.children.iter().enumerate() {
            let (branch, next) = if i == last {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            go(
                &Node {
                    activity: child,
                    depth: node.depth + 1,
                    lead: format!("{}{branch}", node.rest),
                    rest: format!("{}{next}", node.rest),
                },
                visit,
            );
        }
    }
    go(
        &Node {
            activity: start,
            depth: 0,
            lead: String::new(),
            rest: String::new(),
        },
        visit,
    );
}

/// The tree from `root` down, one activity per line with its properties below it
/// (`Title` is on the activity's own line).
pub fn full(root: &Activity) -> String {
    let mut out = String::new();
    walk(root, &mut |n| {
        let a = n.activity;
        let title = a.title().map(|t| format!(" \"{t}\"")).unwrap_or_default();
        let off = if a.activated { "" } else { " (deactivated)" };
        let _ = writeln!(out, "{}{} {}{title}{off}", n.lead, a.type_, a.name);
        let bar = if a.children.is_empty() { "  " } else { "│ " };
        for (k, v) in a.properties.iter().filter(|(k, _)| k != "Title") {
            let value = serde_json::to_string(&bpt::to_json(v)).unwrap_or_default();
            let _ = writeln!(out, "{}{bar}  {k}: {value}", n.rest);
        }
    });
    out
}

/// The activities below `root` as indented `Type "Title"` lines.
pub fn outline(root: &Activity) -> Vec<String> {
    let mut out = Vec::new();
    walk(root, &mut |n| {
        if n.depth > 0 {
            let a = n.activity;
            let title = a.title().unwrap_or("");
            out.push(format!(
                "{}{} \"{title}\"",
                "  ".repeat(n.depth - 1),
                a.type_
            ));
        }
    });
    out
}

/// [`outline`] of a tree in its listed JSON form. A tree that is not one (a saved plan
/// edited by hand) outlines as a single line saying so.
pub fn outline_json(tree: &Value) -> Vec<String> {
    match Activity::from_tree_json(tree) {
        Ok(root) => outline(&root),
        Err(e) => vec![format!("(the activity tree cannot be read: {e})")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bizproc::Template;
    use crate::bizproc::php::Value as Php;

    fn sample() -> Template {
        let mut t = Template::new("Won deal", ["crm", "CCrmDocumentDeal", "DEAL"], 2);
        t.root.children.push(
            Activity::new("IfElseActivity", "A1")
                .with("Title", Php::str("Check"))
                .child(
                    Activity::new("IfElseBranchActivity", "A2").child(
                        Activity::new("IMNotifyActivity", "A3")
                            .with("Title", Php::str("Notify"))
                            .with("MessageUserTo", Php::list([Php::str("user_1")])),
                    ),
                ),
        );
        t
    }

    #[test]
    fn full_draws_boxes_and_properties() {
        let mut t = Template::new("Won deal", ["crm", "CCrmDocumentDeal", "DEAL"], 2);
        t.root.children.push(
            Activity::new("IMNotifyActivity", "A00001_00002_00003_00004")
                .with("Title", Php::str("Notify"))
                .with("MessageUserTo", Php::list([Php::str("user_1")])),
        );
        assert_eq!(
            full(&t.root),
            "SequentialWorkflowActivity Template \"Won deal\"\n\
             └─ IMNotifyActivity A00001_00002_00003_00004 \"Notify\"\n\
             \x20      MessageUserTo: [\"user_1\"]\n"
        );
    }

    #[test]
    fn outline_indents_below_the_root_and_reads_the_listed_form() {
        let t = sample();
        let lines = [
            "IfElseActivity \"Check\"",
            "  IfElseBranchActivity \"\"",
            "    IMNotifyActivity \"Notify\"",
        ];
        assert_eq!(outline(&t.root), lines);
        assert_eq!(outline_json(&t.tree_json()), lines);
        assert!(outline_json(&serde_json::json!("x"))[0].contains("cannot be read"));
    }
}
