//! A plan in Markdown for the people who approve it (a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`), in the order they need it:
//!
//! 1. the headline ("2 to add, 1 to change, 1 to destroy") on the first line;
//! 2. every destroy and replace, each with its reason, before anything else;
//! 3. extra sections the caller adds ([`Appendix`], e.g. behaviour test results);
//! 4. one section per created, updated or replaced workflow: its explanation in plain
//!    English, what changed in words, its Mermaid diagram (changed nodes marked), and
//!    the activity-level diff collapsed in `<details>`.
//!
//! Invariant: the result is at most [`MARKDOWN_LIMIT`] bytes (so at most that many
//! characters). When the full text would not fit, the largest parts go first: activity
//! diffs, then diagrams, then whole sections down to one line, then the last one-line
//! entries; a line under the destroys says what was trimmed. The headline, the destroys
//! and the appendices are never trimmed while anything else is left to trim.

use std::fmt::Write;

use crate::plan::{Action, Change, Plan, Review};

/// GitHub caps a comment at 65,536 characters; stay under it with room to spare.
pub const MARKDOWN_LIMIT: usize = 65_000;

/// Room kept for the line that says what was trimmed.
const TRIM_NOTE_ROOM: usize = 400;

/// A section the caller adds between the destroys and the workflows, e.g. the results of
/// `b24flow test` once a pull request's workflows have been exercised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appendix {
    /// The section's heading, plain text.
    pub title: String,
    /// The section's body, Markdown, already escaped by whoever wrote it.
    pub body: String,
}

/// The plan for a pull-request comment or `$GITHUB_STEP_SUMMARY`, at most
/// [`MARKDOWN_LIMIT`] characters.
pub fn render_markdown(plan: &Plan) -> String {
    render_markdown_with(plan, &[])
}

/// [`render_markdown`] with extra sections placed after the destroys.
pub fn render_markdown_with(plan: &Plan, appendices: &[Appendix]) -> String {
    let title = format!("b24flow plan for `{}`", code(&plan.portal));
    document(&title, plan, appendices)
}

/// The drift report for the scheduled job's GitHub issue: the same sections as a plan,
/// under a heading that says how many workflows differ from git.
pub fn render_drift_markdown(plan: &Plan, drifted: &[String]) -> String {
    let title = if drifted.is_empty() {
        format!(
            "b24flow drift on `{}`: none, the portal matches git",
            code(&plan.portal)
        )
    } else {
        format!(
            "b24flow drift on `{}`: {} workflow(s) differ from git",
            code(&plan.portal),
            drifted.len()
        )
    };
    document(&title, plan, &[])
}

fn document(title: &str, plan: &Plan, appendices: &[Appendix]) -> String {
    let s = &plan.summary;
    let mut head = String::new();
    let [add, change, destroy] = s.add_change_destroy();
    let _ = writeln!(
        head,
        "### {title}: {add} to add, {change} to change, {destroy} to destroy\n"
    );
    let _ = writeln!(
        head,
        "{} unchanged, {} unmanaged left alone.\n",
        s.unchanged, s.unmanaged
    );
    if !plan.fields.is_empty() {
        let _ = writeln!(head, "User fields to create (before the templates):\n");
        for f in &plan.fields {
            let _ = writeln!(
                head,
                "- `{}` on {}, for {}",
                code(&f.field_name),
                escape(&f.entity),
                escape(&f.workflows.join(", "))
            );
        }
        head.push('\n');
    }

    let mut first: Vec<String> = plan
        .actionable()
        .filter(|c| matches!(c.action, Action::Delete | Action::Replace))
        .map(destroy_line)
        .collect();
    let mut sections: Vec<Section> = plan
        .actionable()
        .filter(|c| c.action != Action::Delete)
        .map(|c| Section::of(c, plan.reviews.get(&c.id)))
        .collect();

    let mut extra = String::new();
    for a in appendices {
        let _ = writeln!(
            extra,
            "#### {}\n\n{}\n",
            escape(&a.title),
            a.body.trim_end()
        );
    }

    let fixed = head.len() + extra.len() + DESTROY_HEADING.len();
    let budget = MARKDOWN_LIMIT - TRIM_NOTE_ROOM;
    let mut trimmed = Trimmed::default();
    trim(&mut sections, &mut first, fixed, budget, &mut trimmed);

    let mut out = head;
    if !first.is_empty() || trimmed.destroys > 0 {
        out.push_str(DESTROY_HEADING);
        for line in &first {
            out.push_str(line);
        }
        if trimmed.destroys > 0 {
            let _ = writeln!(
                out,
                "- …and {} more; run `b24flow plan` to see them all.",
                trimmed.destroys
            );
        }
        out.push('\n');
    }
    if let Some(note) = trimmed.note() {
        out.push_str(&note);
    }
    out.push_str(&extra);
    for section in &sections {
        out.push_str(&section.text());
    }
    if trimmed.omitted > 0 {
        let _ = writeln!(
            out,
            "_…and {} more workflow(s), left out to fit the comment._",
            trimmed.omitted
        );
    }
    debug_assert!(out.len() <= MARKDOWN_LIMIT, "{}", out.len());
    out
}

const DESTROY_HEADING: &str = "#### Destroyed first\n\n";

fn destroy_line(c: &Change) -> String {
    let verb = if c.action == Action::Replace {
        "♻️ **replace**"
    } else {
        "🗑️ **destroy**"
    };
    let template = c
        .template_id
        .map(|id| format!(" (template {id}, {})", escape(&c.name)))
        .unwrap_or_default();
    let running = c
        .running
        .as_ref()
        .map(|r| format!(" — **{}**", escape(&super::plan_text::running_words(r))))
        .unwrap_or_default();
    format!(
        "- {verb} `{}`{template}: {}{running}\n",
        code(&c.id),
        escape(&c.reason)
    )
}

/// One workflow's section, in parts that can be dropped one at a time.
struct Section {
    /// Heading, explanation, change list.
    head: String,
    /// The fenced Mermaid diagram; empty once trimmed.
    diagram: String,
    /// The collapsed activity-level diff; empty once trimmed.
    diff: String,
    /// What is left when the section is reduced to one line.
    one_line: String,
    /// Reduced to `one_line`.
    collapsed: bool,
}

impl Section {
    fn of(c: &Change, review: Option<&Review>) -> Section {
        let (icon, verb) = match c.action {
            Action::Create => ("➕", "create"),
            Action::Replace => ("♻️", "replace"),
            _ => ("✏️", "update"),
        };
        let mut head = format!(
            "#### {icon} {verb} `{}`: {}\n\n",
            code(&c.id),
            escape(&c.reason)
        );
        let _ = writeln!(head, "Template name: {}\n", escape(&c.name));
        let mut diagram = String::new();
        if let Some(r) = review {
            for line in r.explanation.lines() {
                let _ = writeln!(head, "{}\n", escape(line));
            }
            if !r.changes.is_empty() {
                head.push_str("**What changes**\n\n");
                for change in &r.changes {
                    let _ = writeln!(head, "- {}", escape(change));
                }
                head.push('\n');
            }
            if let Some(note) = &r.note {
                let _ = writeln!(head, "_{}_\n", escape(note));
            }
            let fence = fence_for(&r.diagram);
            let _ = writeln!(
                diagram,
                "{fence}mermaid\n{}\n{fence}\n",
                r.diagram.trim_end()
            );
        }
        Section {
            head,
            diagram,
            diff: diff_block(c),
            one_line: format!("- {icon} {verb} `{}`: {}\n", code(&c.id), escape(&c.reason)),
            collapsed: false,
        }
    }

    fn len(&self) -> usize {
        if self.collapsed {
            self.one_line.len()
        } else {
            self.head.len() + self.diagram.len() + self.diff.len()
        }
    }

    fn text(&self) -> String {
        if self.collapsed {
            self.one_line.clone()
        } else {
            format!("{}{}{}", self.head, self.diagram, self.diff)
        }
    }
}

fn diff_block(c: &Change) -> String {
    let mut diff = String::new();
    for f in &c.fields {
        let _ = writeln!(diff, "-{}: {}", f.field, f.before.replace('\n', "\n-"));
        let _ = writeln!(diff, "+{}: {}", f.field, f.after.replace('\n', "\n+"));
    }
    if let Some(tree) = &c.tree_diff {
        diff.push_str(tree);
    }
    if diff.is_empty() {
        return String::new();
    }
    // Control characters from a portal's template are shown, not run.
    let diff = super::escape::text(diff.trim_end()).into_owned();
    let fence = fence_for(&diff);
    format!(
        "<details><summary>Activity-level diff</summary>\n\n{fence}diff\n{diff}\n{fence}\n\n</details>\n\n"
    )
}

/// What was trimmed to fit.
#[derive(Debug, Default)]
struct Trimmed {
    diffs: usize,
    diagrams: usize,
    collapsed: usize,
    omitted: usize,
    destroys: usize,
}

impl Trimmed {
    fn note(&self) -> Option<String> {
        let parts: Vec<String> = [
            (self.diffs, "activity-level diff(s) left out"),
            (self.diagrams, "diagram(s) left out"),
            (self.collapsed, "workflow section(s) cut to one line"),
            (self.omitted, "workflow section(s) left out"),
            (self.destroys, "destroy line(s) left out"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        (!parts.is_empty()).then(|| {
            format!(
                "> **Trimmed to fit GitHub's comment limit ({MARKDOWN_LIMIT} characters), largest parts first:** {}. Run `b24flow plan` to see everything.\n\n",
                parts.join(", ")
            )
        })
    }
}

/// Drops the largest parts first until everything fits in `budget`.
fn trim(
    sections: &mut [Section],
    first: &mut Vec<String>,
    fixed: usize,
    budget: usize,
    trimmed: &mut Trimmed,
) {
    let first_len = |first: &[String]| first.iter().map(String::len).sum::<usize>();
    let mut total = fixed + first_len(first) + sections.iter().map(Section::len).sum::<usize>();
    if total <= budget {
        return;
    }
    // Largest first; among equals the later ones go first, so the top stays whole.
    let by_size = |sections: &[Section], size: &dyn Fn(&Section) -> usize| {
        let mut order: Vec<usize> = (0..sections.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(size(&sections[i])), std::cmp::Reverse(i)));
        order
    };
    for i in by_size(sections, &|s| s.diff.len()) {
        if total <= budget || sections[i].diff.is_empty() {
            break;
        }
        total -= sections[i].diff.len();
        sections[i].diff.clear();
        trimmed.diffs += 1;
    }
    for i in by_size(sections, &|s| s.diagram.len()) {
        if total <= budget || sections[i].diagram.is_empty() {
            break;
        }
        total -= sections[i].diagram.len();
        sections[i].diagram.clear();
        trimmed.diagrams += 1;
    }
    for i in by_size(sections, &|s| s.head.len()) {
        if total <= budget {
            break;
        }
        let before = sections[i].len();
        sections[i].collapsed = true;
        total = total - before + sections[i].len();
        trimmed.collapsed += 1;
    }
    let mut keep = sections.len();
    while total > budget && keep > 0 {
        keep -= 1;
        total -= sections[keep].len();
        sections[keep].one_line.clear();
        trimmed.omitted += 1;
    }
    // Sections cut to nothing print nothing (`one_line` cleared above).
    while total > budget {
        let Some(line) = first.pop() else { break };
        total -= line.len();
        trimmed.destroys += 1;
    }
    // Collapsed sections that were later left out count once, as left out.
    trimmed.collapsed -= sections
        .iter()
        .filter(|s| s.collapsed && s.one_line.is_empty())
        .count()
        .min(trimmed.collapsed);
}

/// A code fence longer than any run of backticks in `text`.
fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat(longest.max(2) + 1)
}

/// Text inside an inline code span: backticks would end it, and control characters
/// are shown, not passed to whoever reads the comment.
fn code(text: &str) -> String {
    super::escape::line(text).replace('`', "'")
}

/// Free text: Markdown and HTML characters and control characters escaped
/// ([`super::escape::markdown`]).
fn escape(text: &str) -> String {
    super::escape::markdown(text)
}
