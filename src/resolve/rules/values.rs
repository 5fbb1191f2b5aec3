//! The shapes of values, by [`FieldKind`]: stage ids, field ids, date-times,
//! priorities, HTTP methods, numbers, tags and texts; and their platform forms.

use std::sync::LazyLock;

use regex::Regex;

use crate::catalog::{self, FieldKind};

use super::super::{Code, Diagnostic};
use super::Resolver;
use super::variables::sole_variable;

static STAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_]+(:[A-Za-z0-9_]+)?$").expect("a valid pattern"));
/// A document field id. The designer stores plain ids only (`SetFieldActivity`'s
/// `FieldValue` keys, `fieldcondition` rows), so no dotted paths.
static FIELD_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Z0-9_]*$").expect("a valid pattern"));
static DATETIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\+\d{1,4}[mhdw]|\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?|\{\{[A-Z_]+\}\})$")
        .expect("a valid pattern")
});

/// Whether `value` is a stage id (`WON`, `C2:PREPARATION`).
pub(super) fn is_stage(value: &str) -> bool {
    STAGE.is_match(value)
}

pub(super) fn stage_problem(path: &str, value: &str) -> Diagnostic {
    Diagnostic::new(path, Code::BadStage, format!("`{value}` is not a stage id"))
        .help("stage ids look like WON, PREPARATION or C2:NEW (letters, digits, underscores)")
}

pub(super) fn field_problem(path: &str, value: &str) -> Diagnostic {
    let hint = catalog::field_alias(value).map_or_else(
        || "field ids are upper case, e.g. OPPORTUNITY, TITLE or UF_CRM_SOURCE".to_owned(),
        |id| format!("did you mean {id}?"),
    );
    Diagnostic::new(path, Code::BadField, format!("`{value}` is not a field id")).help(hint)
}

/// Whether `value` is a document field id.
pub(super) fn is_field_id(value: &str) -> bool {
    FIELD_ID.is_match(value)
}

/// The field id a checked value names: an upper-case friendly name ("AMOUNT") maps
/// through the catalog's aliases.
pub(super) fn field_id(value: &str) -> String {
    let v = value.trim();
    catalog::field_alias(v).map_or_else(|| v.to_owned(), str::to_owned)
}

impl Resolver<'_> {
    /// Checks the shape of a field value of `kind` (URLs and recipients have their own
    /// rules).
    pub(super) fn check_value(&mut self, path: &str, kind: FieldKind, value: &str) {
        let problem = match kind {
            FieldKind::Text => (value.chars().count() > 10_000).then(|| {
                Diagnostic::new(
                    path,
                    Code::LongText,
                    "the text is longer than 10,000 characters",
                )
            }),
            FieldKind::Tag => (value.contains('\n') || value.chars().count() > 100).then(|| {
                Diagnostic::new(
                    path,
                    Code::BadTag,
                    "a tag is one line of at most 100 characters",
                )
            }),
            FieldKind::Stage => (!is_stage(value)).then(|| stage_problem(path, value)),
            FieldKind::Field => (!is_field_id(value)).then(|| field_problem(path, value)),
            FieldKind::DateTime => {
                (!DATETIME.is_match(value) || is_zero_offset(value)).then(|| {
                    Diagnostic::new(
                        path,
                        Code::BadDatetime,
                        format!("`{value}` is not a date or time"),
                    )
                    .help("write +3d, +2h, +30m, 2026-12-01 10:00, or {{CURRENT_DATETIME}}")
                })
            }
            FieldKind::Priority => (!matches!(value, "low" | "normal" | "high")).then(|| {
                Diagnostic::new(
                    path,
                    Code::BadPriority,
                    format!("`{value}` is not a priority"),
                )
                .help("use low, normal or high")
            }),
            // bizproc WebHookActivity always sends a POST.
            FieldKind::HttpMethod => (value != "POST").then(|| {
                Diagnostic::new(path, Code::BadMethod, format!("`{value}` is not POST"))
                    .help("Bitrix24's webhook activity always sends a POST")
            }),
            FieldKind::Integer => (value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()))
                .then(|| {
                    Diagnostic::new(
                        path,
                        Code::BadInteger,
                        format!("`{value}` is not a whole number"),
                    )
                }),
            FieldKind::Url | FieldKind::Recipient => None,
        };
        if let Some(d) = problem {
            self.error(d);
        }
    }

    /// A checked date-time in the platform's form: an offset becomes a calculation
    /// (`=dateadd({=System:Now}, "3d")`, a whole value starting with `=` is evaluated by
    /// `CBPActivity::CalcPattern`), a variable its expression, a date `Y-m-d H:i:s`.
    pub(super) fn datetime(&mut self, path: &str, value: &str) -> Option<String> {
        let v = value.trim();
        if let Some(offset) = v.strip_prefix('+') {
            let (digits, unit) = offset.split_at(offset.len() - 1);
            let n: u32 = digits.parse().ok()?;
            // Units of the calc function dateadd: d, h, i (minutes); weeks become days.
            let interval = match unit {
                "d" => format!("{n}d"),
                "h" => format!("{n}h"),
                "m" => format!("{n}i"),
                _ => format!("{}d", n * 7),
            };
            return Some(format!("=dateadd({{=System:Now}}, \"{interval}\")"));
        }
        if let Some(name) = sole_variable(v) {
            return self.variable(path, name).map(str::to_owned);
        }
        Some(iso_datetime(v))
    }
}

/// `+0d` and the like: calc `dateadd` with nothing to add.
fn is_zero_offset(value: &str) -> bool {
    value
        .strip_prefix('+')
        .is_some_and(|o| o.bytes().filter(u8::is_ascii_digit).all(|b| b == b'0'))
}

/// A tasks priority code: LOW 0, AVERAGE 1, HIGH 2.
pub(super) fn priority(value: &str) -> &'static str {
    match value {
        "low" => "0",
        "high" => "2",
        _ => "1",
    }
}

/// `YYYY-MM-DD[ T]HH:MM[:SS]` (already checked) as a calculation that yields a date:
/// `=dateadd("YYYY-MM-DD HH:MM:SS", "0d")`.
///
/// A plain ISO string is read in the portal's own format by some activities: tasks
/// `Task2Activity` checks DEADLINE with `CheckDateTime` (site format only) and drops it
/// otherwise; crm `CrmCreateCallActivity` passes StartTime as is to `CCrmActivity::Add`.
/// The calc `dateadd` reads its first argument with the site formats and then falls back
/// to `YYYY-MM-DD HH:MI:SS` (bizproc calc `makeTimestamp`, and `FunctionDateAdd` in older
/// copies), and with a non-empty interval returns a `Value\DateTime`, which every
/// activity turns into the site format (an empty interval would return a bare timestamp,
/// which `CheckDateTime` refuses). Read in the source, not run on a portal. The wall-clock
/// time is the portal's time zone: a literal has no offset in calc.
fn iso_datetime(v: &str) -> String {
    let (date, time) = match v.split_once(['T', ' ']) {
        Some((d, t)) => (d, t),
        None => (v, "00:00"),
    };
    let mut parts: Vec<&str> = time.split(':').collect();
    if parts.len() == 2 {
        parts.push("00");
    }
    format!("=dateadd(\"{date} {}\", \"0d\")", parts.join(":"))
}
