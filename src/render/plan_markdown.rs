//! A plan in Markdown, for a pull-request comment or `$GITHUB_STEP_SUMMARY`: a summary
//! table, then each change in a `<details>` block.
//!
//! Invariant: the result is at most [`MARKDOWN_LIMIT`] characters; changes that do not
//! fit are counted in a closing note instead.

use std::fmt::Write;

use super::plan_text::summary_line;
use crate::plan::{Action, Change, Plan};

/// GitHub caps a comment at 65,536 characters; stay under it with room to spare.
pub const MARKDOWN_LIMIT: usize = 65_000;

/// The plan for a pull-request comment or `$GITHUB_STEP_SUMMARY`: a summary table,
/// then each change in a `<details>` block, cut to [`MARKDOWN_LIMIT`] characters.
pub fn render_markdown(plan: &Plan) -> String {
    let s = &plan.summary;
    let mut head = String::new();
    let _ = writeln!(
        head,
        "### b24flow plan for `{}`\n",
        super::escape::line(&plan.portal)
    );
    let _ = writeln!(
        head,
        "| create | update | replace | destroy | unchanged | unmanaged |"
    );
    let _ = writeln!(head, "|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        head,
        "| {} | {} | {} | {} | {} | {} |\n",
        s.create, s.update, s.replace, s.delete, s.unchanged, s.unmanaged
    );
    let _ = writeln!(head, "**{}**\n", summary_line(s));
    if !plan.fields.is_empty() {
        let _ = writeln!(head, "User fields to create (before the templates):\n");
        for line in super::plan_text::field_lines(&plan.fields) {
            let _ = writeln!(head, "- {}", escape(&line));
        }
        head.push('\n');
    }
    let blocks: Vec<String> = plan.actionable().map(markdown_block).collect();
    let mut out = head;
    let total = blocks.len();
    for (shown, block) in blocks.into_iter().enumerate() {
        let note = format!(
            "\n_{} more changes are not shown: the comment would exceed {MARKDOWN_LIMIT} characters. Run `b24flow plan` to see them all._\n",
            total - shown
        );
        if out.len() + block.len() + note.len() > MARKDOWN_LIMIT {
            out.push_str(&note);
            return out;
        }
        out.push_str(&block);
    }
    out
}

fn markdown_block(c: &Change) -> String {
    let verb = match c.action {
        Action::Create => "➕ create",
        Action::Update => "✏️ update",
        Action::Replace => "♻️ replace",
        Action::Delete => "🗑️ destroy",
        Action::NoOp => "keep",
    };
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<details><summary>{verb} <code>{}</code>: {}</summary>\n",
        code(&c.id),
        escape(&c.reason)
    );
    let _ = writeln!(b, "Template name: {}\n", escape(&c.name));
    let mut diff = String::new();
    for f in &c.fields {
        let _ = writeln!(diff, "-{}: {}", f.field, f.before.replace('\n', "\n-"));
        let _ = writeln!(diff, "+{}: {}", f.field, f.after.replace('\n', "\n+"));
    }
    if let Some(tree) = &c.tree_diff {
        diff.push_str(tree);
    }
    if !diff.is_empty() {
        let fence = if diff.contains("```") { "````" } else { "```" };
        let _ = writeln!(
            b,
            "{fence}diff\n{}{fence}\n",
            super::escape::text(diff.trim_end()).into_owned() + "\n"
        );
    }
    b.push_str("</details>\n\n");
    b
}

fn escape(text: &str) -> String {
    super::escape::markdown(text)
}

/// Text inside `<code>`, where Markdown is not interpreted: control characters and HTML.
fn code(text: &str) -> String {
    super::escape::line(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
