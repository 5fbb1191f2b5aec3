//! The results of `b24flow test` as a plan [`Appendix`]: a headline that says how many
//! cases passed and failed, then, for each failure, its message and the expected and
//! actual effects side by side in a table.
//!
//! Invariants: every text from a test file or a portal goes through
//! [`super::escape::markdown`]; the body is at most [`APPENDIX_LIMIT`] bytes (failures
//! past it are counted, not shown), so the plan it joins stays under its own limit.

use std::fmt::Write as _;

use super::escape;
use super::plan_markdown::Appendix;
use crate::behave::report::{CaseOutcome, CaseReport, FileReport, FileStatus, Report};

/// The most the appendix takes of the comment; the plan keeps the rest.
pub const APPENDIX_LIMIT: usize = 20_000;

/// Rows shown per failed case; longer effect lists end with a count.
const MAX_ROWS: usize = 12;

/// The report as a section of the plan comment.
pub fn tests_appendix(report: &Report) -> Appendix {
    let title = if report.ok() {
        format!("Behaviour tests: ✅ {} passed", report.passed)
    } else {
        format!(
            "Behaviour tests: ❌ {} failed, {} passed",
            report.failed, report.passed
        )
    };
    let mut body = String::new();
    let files = report
        .files
        .iter()
        .filter(|f| f.status != FileStatus::Missing)
        .count();
    let _ = write!(
        body,
        "`b24flow test` ran {} case(s) from {files} test file(s) on a fresh local portal: **{} passed, {} failed**",
        report.files.iter().map(|f| f.cases.len()).sum::<usize>(),
        report.passed,
        report.failed
    );
    if report.skipped > 0 {
        let _ = write!(body, ", {} skipped", report.skipped);
    }
    body.push_str(".\n\n");
    if !report.ok() {
        body.push_str("The check fails until every case passes.\n\n");
    }
    let missing: Vec<String> = report
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Missing)
        .map(|f| escape::markdown(&f.workflow))
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            body,
            "No test file for: {} (`b24flow test --init ID` writes a starter).\n",
            missing.join(", ")
        );
    }

    let mut entries: Vec<String> = Vec::new();
    for f in &report.files {
        if f.status == FileStatus::Invalid {
            entries.push(format!(
                "- ❌ {}: {} does not load ({} problem(s); `b24flow test {}` shows them)\n\n",
                escape::markdown(&f.workflow),
                escape::markdown(&f.file),
                f.problems,
                escape::markdown(&f.workflow)
            ));
        }
        for c in &f.cases {
            match c.outcome {
                CaseOutcome::Failed | CaseOutcome::Error => entries.push(failure(f, c)),
                CaseOutcome::Skipped => entries.push(format!(
                    "- ⏭️ {} :: {}: skipped ({})\n\n",
                    escape::markdown(&f.workflow),
                    escape::markdown(&c.name),
                    escape::markdown(c.message.as_deref().unwrap_or_default())
                )),
                CaseOutcome::Passed => {}
            }
        }
    }
    let total = entries.len();
    for (shown, entry) in entries.into_iter().enumerate() {
        // Room for the closing line below.
        if body.len() + entry.len() + 120 > APPENDIX_LIMIT {
            let _ = writeln!(
                body,
                "_…and {} more, left out to fit the comment; run `b24flow test` to see them all._",
                total - shown
            );
            break;
        }
        body.push_str(&entry);
    }
    Appendix { title, body }
}

/// One failed case: its name and message, then the effects side by side.
fn failure(f: &FileReport, c: &CaseReport) -> String {
    let mut out = format!(
        "- ❌ **{} :: {}**: {}\n",
        escape::markdown(&f.workflow),
        escape::markdown(&c.name),
        escape::markdown(c.message.as_deref().unwrap_or("failed"))
    );
    if c.outcome == CaseOutcome::Error {
        out.push('\n');
        return out;
    }
    out.push_str("\n  | | expected | actual |\n  |---|---|---|\n");
    let rows = c.rows();
    if rows.is_empty() {
        out.push_str("  | | (nothing) | (nothing) |\n");
    }
    for r in rows.iter().take(MAX_ROWS) {
        let _ = writeln!(
            out,
            "  | {} | {} | {} |",
            if r.differs { "✗" } else { "" },
            r.expected
                .as_deref()
                .map_or_else(|| "—".to_owned(), escape::markdown),
            r.actual
                .as_deref()
                .map_or_else(|| "—".to_owned(), escape::markdown),
        );
    }
    if rows.len() > MAX_ROWS {
        let _ = writeln!(out, "  | | …{} more | |", rows.len() - MAX_ROWS);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behave::file::Expect;
    use crate::behave::run::Effect;

    fn failed(name: &str, text: &str) -> CaseReport {
        CaseReport {
            name: name.to_owned(),
            outcome: CaseOutcome::Failed,
            message: Some("effect 1: text does not contain `x`".into()),
            expected: vec![Expect {
                action: "send_sms".into(),
                to: Some("client".into()),
                text_contains: Some(text.to_owned()),
                title: None,
                stage: None,
                field: None,
                value: None,
            }],
            actual: (0..40)
                .map(|_| Effect {
                    action: "send_sms".into(),
                    to: Vec::new(),
                    text: Some(text.to_owned()),
                    title: None,
                    stage: None,
                    field: None,
                    value: None,
                    workflow: "w".into(),
                })
                .collect(),
            seconds: 0.0,
        }
    }

    #[test]
    fn many_long_failures_stay_within_the_limit_and_are_counted() {
        let long = "<img src=x onerror=alert(1)> ".repeat(200);
        let cases = (0..300)
            .map(|i| failed(&format!("case {i}"), &long))
            .collect();
        let report = Report::new(vec![FileReport::ran("w", "workflows/w.test.yaml", cases)]);
        let a = tests_appendix(&report);
        assert_eq!(a.title, "Behaviour tests: ❌ 300 failed, 0 passed");
        assert!(a.body.len() <= APPENDIX_LIMIT, "{}", a.body.len());
        assert!(
            a.body.contains("more, left out to fit the comment"),
            "{}",
            a.body
        );
        assert!(a.body.contains("| | …28 more | |"), "{}", a.body);
        assert!(!a.body.contains("<img"), "{}", a.body);
    }

    #[test]
    fn a_passing_run_is_one_headline() {
        let report = Report::new(vec![
            FileReport::ran("w", "workflows/w.test.yaml", Vec::new()),
            FileReport::missing("v", "workflows/v.test.yaml"),
        ]);
        let a = tests_appendix(&report);
        assert_eq!(a.title, "Behaviour tests: ✅ 0 passed");
        assert_eq!(
            a.body,
            "`b24flow test` ran 0 case(s) from 1 test file(s) on a fresh local portal: **0 passed, 0 failed**.\n\nNo test file for: v (`b24flow test --init ID` writes a starter).\n\n"
        );
    }
}
