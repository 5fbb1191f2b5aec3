//! The test report: typed for `--format json` (schema/test-report.schema.json), and as
//! JUnit XML for CI test panes.
//!
//! Invariants: the JSON is deterministic (no timings; cases in file order, files in
//! workflow order) and reads back ([`read`], for `plan --tests`); the XML escapes every
//! text it carries.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::file::{Case, Expect};
use super::run::{Effect, mismatch};
use crate::config::Config;

/// The format version of the JSON report.
pub const REPORT_VERSION: u32 = 1;

/// What `b24flow test` found.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "b24flow test report")]
pub struct Report {
    /// The report format.
    pub version: u32,
    /// One entry per workflow tested, in workflow order.
    pub files: Vec<FileReport>,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed (or could not run), and files that did not load.
    pub failed: usize,
    /// Cases marked `skip`.
    pub skipped: usize,
}

impl Report {
    /// Sums the files up.
    pub fn new(files: Vec<FileReport>) -> Report {
        let count = |o: CaseOutcome| {
            files
                .iter()
                .flat_map(|f| &f.cases)
                .filter(|c| c.outcome == o)
                .count()
        };
        let passed = count(CaseOutcome::Passed);
        let failed = count(CaseOutcome::Failed)
            + count(CaseOutcome::Error)
            + files
                .iter()
                .filter(|f| f.status == FileStatus::Invalid)
                .count();
        let skipped = count(CaseOutcome::Skipped);
        Report {
            version: REPORT_VERSION,
            files,
            passed,
            failed,
            skipped,
        }
    }

    /// Whether every case ran and passed.
    pub fn ok(&self) -> bool {
        self.failed == 0
    }

    /// The report as JUnit XML: one `testsuite` per test file, one `testcase` per case.
    pub fn junit(&self, seconds: &dyn Fn(&CaseReport) -> f64) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        // The root carries only the attributes the strictest common schema (Jenkins'
        // junit-10.xsd) allows there: skips are counted per suite.
        let errors = self
            .files
            .iter()
            .flat_map(|f| &f.cases)
            .filter(|c| c.outcome == CaseOutcome::Error)
            .count();
        let _ = writeln!(
            out,
            "<testsuites name=\"b24flow test\" tests=\"{}\" failures=\"{}\" errors=\"{errors}\">",
            self.passed + self.failed + self.skipped,
            self.failed - errors,
        );
        for f in &self.files {
            if f.status == FileStatus::Missing {
                continue;
            }
            let failures = f
                .cases
                .iter()
                .filter(|c| matches!(c.outcome, CaseOutcome::Failed))
                .count()
                + usize::from(f.status == FileStatus::Invalid);
            let errors = f
                .cases
                .iter()
                .filter(|c| c.outcome == CaseOutcome::Error)
                .count();
            let skipped = f
                .cases
                .iter()
                .filter(|c| c.outcome == CaseOutcome::Skipped)
                .count();
            let tests = f.cases.len() + usize::from(f.status == FileStatus::Invalid);
            let _ = writeln!(
                out,
                "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">",
                xml(&f.file)
            );
            if f.status == FileStatus::Invalid {
                let _ = writeln!(
                    out,
                    "    <testcase classname=\"{}\" name=\"load {}\">\n      <failure message=\"the test file does not load\" type=\"invalid\">{}</failure>\n    </testcase>",
                    xml(&f.workflow),
                    xml(&f.file),
                    xml(&format!(
                        "{} problem(s); run `b24flow test {}` to see them",
                        f.problems, f.workflow
                    ))
                );
            }
            for c in &f.cases {
                let _ = write!(
                    out,
                    "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                    xml(&f.workflow),
                    xml(&c.name),
                    seconds(c)
                );
                match c.outcome {
                    CaseOutcome::Passed => out.push_str("/>\n"),
                    CaseOutcome::Skipped => {
                        let _ = writeln!(
                            out,
                            ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                            xml(c.message.as_deref().unwrap_or_default())
                        );
                    }
                    CaseOutcome::Failed | CaseOutcome::Error => {
                        let tag = if c.outcome == CaseOutcome::Failed {
                            "failure"
                        } else {
                            "error"
                        };
                        let _ = writeln!(
                            out,
                            ">\n      <{tag} message=\"{}\">{}</{tag}>\n    </testcase>",
                            xml(c.message.as_deref().unwrap_or_default()),
                            xml(&c.side_by_side())
                        );
                    }
                }
            }
            out.push_str("  </testsuite>\n");
        }
        out.push_str("</testsuites>\n");
        out
    }
}

/// XML text and attribute escaping; characters XML 1.0 forbids are dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// How one workflow's test file went.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FileReport {
    /// The workflow id.
    pub workflow: String,
    /// The test file, relative to the project.
    pub file: String,
    /// Whether it ran.
    pub status: FileStatus,
    /// Problems found when it did not load (shown as diagnostics).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub problems: usize,
    /// Its cases, in file order.
    pub cases: Vec<CaseReport>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Whether a test file ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Loaded and run.
    Ran,
    /// The workflow has no test file.
    Missing,
    /// The file has problems; none of its cases ran.
    Invalid,
}

impl FileReport {
    pub(crate) fn ran(workflow: &str, file: &str, cases: Vec<CaseReport>) -> FileReport {
        FileReport {
            workflow: workflow.to_owned(),
            file: file.to_owned(),
            status: FileStatus::Ran,
            problems: 0,
            cases,
        }
    }
    pub(crate) fn missing(workflow: &str, file: &str) -> FileReport {
        FileReport {
            status: FileStatus::Missing,
            ..FileReport::ran(workflow, file, Vec::new())
        }
    }
    pub(crate) fn invalid(workflow: &str, file: &str, problems: usize) -> FileReport {
        FileReport {
            status: FileStatus::Invalid,
            problems,
            ..FileReport::ran(workflow, file, Vec::new())
        }
    }
}

/// How one case went.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CaseReport {
    /// The case's name.
    pub name: String,
    /// The verdict.
    pub outcome: CaseOutcome,
    /// Why it failed, could not run, or was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The effects expected, in order.
    pub expected: Vec<Expect>,
    /// The effects the workflows had, in order.
    pub actual: Vec<Effect>,
    /// Seconds it took (not serialized: the JSON report is deterministic).
    #[serde(skip)]
    pub seconds: f64,
}

/// A case's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CaseOutcome {
    /// Every expected effect happened, in order, and nothing else.
    Passed,
    /// The effects differ.
    Failed,
    /// Marked `skip` in the file.
    Skipped,
    /// The case could not be played (the local portal refused a record or a change).
    Error,
}

impl CaseReport {
    pub(crate) fn skipped(case: &Case, reason: &str) -> CaseReport {
        CaseReport {
            name: case.name.clone(),
            outcome: CaseOutcome::Skipped,
            message: Some(reason.to_owned()),
            expected: case.expect.clone(),
            actual: Vec::new(),
            seconds: 0.0,
        }
    }

    pub(crate) fn error(case: &Case, message: &str, seconds: f64) -> CaseReport {
        CaseReport {
            name: case.name.clone(),
            outcome: CaseOutcome::Error,
            message: Some(message.to_owned()),
            expected: case.expect.clone(),
            actual: Vec::new(),
            seconds,
        }
    }

    /// Compares the effects with the expectations, position by position.
    pub(crate) fn judge(
        case: &Case,
        actual: &[Effect],
        config: &Config,
        seconds: f64,
    ) -> CaseReport {
        let mut message = None;
        for i in 0..case.expect.len().max(actual.len()) {
            let why = match (case.expect.get(i), actual.get(i)) {
                (Some(e), Some(a)) => {
                    mismatch(e, a, config).map(|m| format!("effect {}: {m}", i + 1))
                }
                (Some(_), None) | (None, Some(_)) => Some(format!(
                    "expected {} effect(s), the workflows had {}",
                    case.expect.len(),
                    actual.len()
                )),
                (None, None) => None,
            };
            if why.is_some() {
                message = why;
                break;
            }
        }
        CaseReport {
            name: case.name.clone(),
            outcome: if message.is_some() {
                CaseOutcome::Failed
            } else {
                CaseOutcome::Passed
            },
            message,
            expected: case.expect.clone(),
            actual: actual.to_vec(),
            seconds,
        }
    }

    /// Expected and actual effects, one row per position: whether the row is where
    /// they differ, the expected effect and the actual one (`None` past either end).
    pub fn rows(&self) -> Vec<Row> {
        let n = self.expected.len().max(self.actual.len());
        (0..n)
            .map(|i| {
                let differs = match (self.expected.get(i), self.actual.get(i)) {
                    (Some(_), Some(_)) => {
                        self.outcome == CaseOutcome::Failed
                            && self
                                .message
                                .as_deref()
                                .is_some_and(|m| m.starts_with(&format!("effect {}:", i + 1)))
                    }
                    _ => true,
                };
                Row {
                    differs,
                    expected: self.expected.get(i).map(super::run::show_expect),
                    actual: self.actual.get(i).map(super::run::show_effect),
                }
            })
            .collect()
    }

    /// Expected and actual effects side by side, one row per position, `✗` where they
    /// differ.
    pub fn side_by_side(&self) -> String {
        let rows = self.rows();
        let width = rows
            .iter()
            .filter_map(|r| r.expected.as_ref())
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(0)
            .max("expected".len());
        let mut out = format!("    {:<width$} | actual\n", "expected");
        if rows.is_empty() {
            let _ = writeln!(out, "    {:<width$} | (nothing)", "(nothing)");
        }
        for r in &rows {
            let l = r.expected.as_deref().unwrap_or("-");
            let a = r.actual.as_deref().unwrap_or("-");
            let mark = if r.differs { "✗" } else { " " };
            let _ = writeln!(out, "  {mark} {l:<width$} | {a}");
        }
        out
    }
}

/// One position of a case's effects, for showing them side by side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The first position where they differ, or one only one side has.
    pub differs: bool,
    /// The expected effect in one line.
    pub expected: Option<String>,
    /// The actual effect in one line.
    pub actual: Option<String>,
}

/// Why a saved report (`test --format json`) cannot be read back.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    #[error("cannot read the test report {}", path.display())]
    #[diagnostic(
        code(b24flow::test::report_read),
        help("write it with `b24flow test --format json > FILE`")
    )]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a test report from `b24flow test --format json`", path.display())]
    #[diagnostic(
        code(b24flow::test::report_invalid),
        help("write it with `b24flow test --format json > FILE` (schema/test-report.schema.json)")
    )]
    Invalid {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{} is a version {found} test report; this b24flow reads version {REPORT_VERSION}", path.display())]
    #[diagnostic(
        code(b24flow::test::report_version),
        help("run `b24flow test --format json` again with this b24flow")
    )]
    Version { path: PathBuf, found: u32 },
}

/// The largest report read back: reports are a few kilobytes per workflow.
const MAX_REPORT_BYTES: u64 = 16 * 1024 * 1024;

/// Just a report's version.
#[derive(Deserialize)]
struct Versioned {
    version: u32,
}

/// Reads a report `test --format json` wrote, checking its version.
pub fn read(path: &Path) -> Result<Report, ReadError> {
    use std::io::Read as _;
    let mut text = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_REPORT_BYTES + 1).read_to_end(&mut text))
        .map_err(|source| ReadError::Read {
            path: path.to_owned(),
            source,
        })?;
    if text.len() as u64 > MAX_REPORT_BYTES {
        return Err(ReadError::Read {
            path: path.to_owned(),
            source: std::io::Error::other("larger than 16 MiB"),
        });
    }
    // The version first, so a report from another release says so rather than failing
    // on a field it does not know.
    let invalid = |source| ReadError::Invalid {
        path: path.to_owned(),
        source,
    };
    let Versioned { version } = serde_json::from_slice(&text).map_err(invalid)?;
    if version != REPORT_VERSION {
        return Err(ReadError::Version {
            path: path.to_owned(),
            found: version,
        });
    }
    serde_json::from_slice(&text).map_err(invalid)
}
