//! A plan as text for people: one block per change, deletions apart, then the summary
//! line. What `b24flow plan` prints, `apply` shows before asking, and `POST /preview`
//! returns as `plan_text`.

use std::fmt::Write;

use super::escape;
use super::style::{self, Style};
use super::tree;
use crate::plan::{
    Action, Change, Desired, Disposal, FieldToCreate, Plan, Running, Summary, auto_start_words,
};

/// The summary line: `Plan: X to add, Y to change, Z to destroy.`
pub fn summary_line(s: &Summary) -> String {
    let [add, change, destroy] = s.add_change_destroy();
    let mut line = format!("Plan: {add} to add, {change} to change, {destroy} to destroy.");
    let _ = write!(
        line,
        " {} unchanged, {} unmanaged left alone.",
        s.unchanged, s.unmanaged
    );
    if s.fields > 0 {
        let _ = write!(line, " {} user field(s) to create first.", s.fields);
    }
    if s.retiring > 0 {
        let _ = write!(
            line,
            " {} of the destroyed retire first (workflows still running).",
            s.retiring
        );
    }
    line
}

/// What a delete or replace finds running and what apply does about it, in words:
/// `2 running (DEAL_4, DEAL_7): auto-start turned off and retired; …`.
pub(crate) fn running_words(r: &Running) -> String {
    const SHOWN: usize = 5;
    if r.count == 0 {
        return format!("0 running: {}", r.then.words());
    }
    let mut docs: Vec<&str> = r
        .instances
        .iter()
        .take(SHOWN)
        .map(|i| i.document_id.as_str())
        .collect();
    if r.count > SHOWN {
        docs.push("…");
    }
    format!(
        "{} running ({}): {}",
        r.count,
        docs.join(", "),
        r.then.words()
    )
}

/// One line per user field to create, or nothing.
pub(crate) fn field_lines(fields: &[FieldToCreate]) -> Vec<String> {
    fields
        .iter()
        .map(|f| {
            format!(
                "{} on {} (with {}), for {}: the marker the template sets, so it fires once per entry",
                f.field_name,
                f.entity,
                f.method,
                f.workflows.join(", ")
            )
        })
        .collect()
}

/// The plan for people: one block per change, deletions apart, then the summary.
pub fn render_text(plan: &Plan, paint: Style) -> String {
    let mut out = String::new();
    let (deletes, others): (Vec<&Change>, Vec<&Change>) =
        plan.actionable().partition(|c| c.action == Action::Delete);
    if others.is_empty() && deletes.is_empty() && plan.fields.is_empty() {
        out.push_str("No changes. The portal matches the lockfiles.\n\n");
    }
    if !plan.fields.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.paint(style::ADD, "User fields to create (before the templates):")
        );
        for line in field_lines(&plan.fields) {
            let _ = writeln!(out, "  {} {line}", paint.paint(style::ADD, "+"));
        }
        out.push('\n');
    }
    for c in others {
        let created = plan
            .desired
            .get(&c.id)
            .filter(|_| c.action == Action::Create);
        render_change(&mut out, c, created, paint);
    }
    // Duplicates of a workflow that still exists are b24flow's own debris (a create
    // re-sent after a lost reply): listed apart, as they are not counted by the guard.
    let (duplicates, deletes): (Vec<&Change>, Vec<&Change>) =
        deletes.into_iter().partition(|c| plan.is_duplicate(c));
    if !deletes.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.paint(style::DANGER, "Templates to destroy:")
        );
        for c in deletes {
            render_change(&mut out, c, None, paint);
        }
    }
    if !duplicates.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.paint(
                style::DANGER,
                "Duplicates b24flow left to remove (not counted against max_deletes):"
            )
        );
        for c in duplicates {
            render_change(&mut out, c, None, paint);
        }
    }
    let _ = writeln!(
        out,
        "{}",
        paint.paint(style::BOLD, &summary_line(&plan.summary))
    );
    out
}

fn render_change(out: &mut String, c: &Change, created: Option<&Desired>, paint: Style) {
    let (sign, verb, color) = match c.action {
        Action::Create => ("+", "create", style::ADD),
        Action::Update => ("~", "update", style::CHANGE),
        Action::Replace => ("-/+", "replace", style::REPLACE),
        Action::Delete
            if c.running
                .as_ref()
                .is_some_and(|r| r.then != Disposal::DeleteNow) =>
        {
            ("-", "retire, then destroy", style::CHANGE)
        }
        Action::Delete => ("-", "destroy", style::REMOVE),
        Action::NoOp => (" ", "keep", style::PLAIN),
    };
    let id = c
        .template_id
        .map(|i| format!(" (template {i})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {} {} {}{id}: {}",
        paint.paint(color, sign),
        paint.paint(style::BOLD, verb),
        escape::line(&c.id),
        escape::line(&c.reason)
    );
    if !c.fields.iter().any(|f| f.field == "name") {
        let _ = writeln!(out, "      name: {}", escape::line(&c.name));
    }
    if let Some(r) = &c.running {
        let _ = writeln!(out, "      running: {}", escape::line(&running_words(r)));
    }
    for f in &c.fields {
        if f.before.contains('\n') || f.after.contains('\n') {
            let _ = writeln!(out, "      {}:", f.field);
            let diff = similar::TextDiff::from_lines(&f.before, &f.after);
            for line in diff.iter_all_changes() {
                let (sign, code) = match line.tag() {
                    similar::ChangeTag::Delete => ("-", style::REMOVE),
                    similar::ChangeTag::Insert => ("+", style::ADD),
                    similar::ChangeTag::Equal => (" ", style::PLAIN),
                };
                let text = format!("        {sign} {}", escape::line(line.value().trim_end()));
                let _ = writeln!(out, "{}", paint.paint(code, &text));
            }
        } else {
            let _ = writeln!(
                out,
                "      {}: {:?} {} {:?}",
                f.field,
                f.before,
                paint.paint(style::CHANGE, "->"),
                f.after
            );
        }
    }
    if let Some(diff) = &c.tree_diff {
        let _ = writeln!(out, "      activity tree:");
        for line in diff.lines() {
            let code = match line.chars().next() {
                Some('+') if !line.starts_with("+++") => style::ADD,
                Some('-') if !line.starts_with("---") => style::REMOVE,
                Some('@') => style::HUNK,
                _ => style::PLAIN,
            };
            let line = escape::line(line);
            let _ = writeln!(out, "{}", paint.paint(code, &format!("        {line}")));
        }
    }
    if let Some(d) = created {
        let _ = writeln!(
            out,
            "      document type: {}",
            escape::line(&d.document_type.join(" / "))
        );
        let _ = writeln!(
            out,
            "      auto-start: {}",
            auto_start_words(d.auto_execute)
        );
        let _ = writeln!(out, "      activities:");
        for line in tree::outline_json(&d.tree) {
            let _ = writeln!(
                out,
                "{}",
                paint.paint(style::ADD, &format!("        + {}", escape::line(&line)))
            );
        }
    }
    out.push('\n');
}
