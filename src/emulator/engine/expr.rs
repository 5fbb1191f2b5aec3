//! Expressions in activity properties: `{=Document:FIELD}` (with `.` to follow a link
//! and `> printable`), `{=System:Now}`, `{=Template:TargetUser}`, `{=Workflow:ID}`,
//! calc expressions starting with `=` (`=dateadd(…, "1d")`), and user lists.
//!
//! Mirrors `CBPActivity::ParseValue` / `CBPCalc`: a string that starts with `=` is a
//! calc expression, anything else has its `{=…}` references substituted. Dates print in
//! the portal's site format, as `Bitrix\Bizproc\BaseType\Value\DateTime::__toString`
//! does. Invariant: an expression the emulator cannot resolve is an [`ExprError`], never
//! a panic and never a silent blank (except user fields that are simply unset).

use serde_json::Value;

use crate::emulator::crm::{self, Crm, FieldType, Kind};
use crate::emulator::dates;

/// Why an expression could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ExprError {
    /// `{=Object:Field}` the emulator does not know.
    #[error("cannot resolve `{0}`")]
    Unknown(String),
    /// A calc expression the emulator does not evaluate.
    #[error("unsupported calc expression `{0}`")]
    Calc(String),
    /// A recipient that is not a user, group or expression.
    #[error("`{0}` is not a user")]
    User(String),
}

/// What an expression is evaluated against.
pub(crate) struct Ctx<'a> {
    pub crm: &'a Crm,
    /// The portal's stage tables.
    pub stages: crm::StageBook<'a>,
    pub kind: Kind,
    pub id: u64,
    /// The virtual clock.
    pub now: i64,
    pub date_format: &'a str,
    pub workflow_id: &'a str,
    pub started_by: u64,
}

impl Ctx<'_> {
    /// A property value as text.
    pub(crate) fn text(&self, raw: &str) -> Result<String, ExprError> {
        if let Some(calc) = raw.strip_prefix('=') {
            return self.calc(calc.trim());
        }
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(start) = rest.find("{=") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            out.push_str(&self.reference(&after[..end])?);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Any property value (string, list, number) as text; lists are joined by `, `.
    pub(crate) fn value_text(&self, v: &Value) -> Result<String, ExprError> {
        match v {
            Value::String(s) => self.text(s),
            Value::Array(items) => Ok(items
                .iter()
                .map(|i| self.value_text(i))
                .collect::<Result<Vec<_>, _>>()?
                .join(", ")),
            Value::Null | Value::Bool(false) => Ok(String::new()),
            Value::Bool(true) => Ok("1".into()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Object(m) => Ok(m
                .values()
                .map(|i| self.value_text(i))
                .collect::<Result<Vec<_>, _>>()?
                .join(", ")),
        }
    }

    /// A date-valued property as a timestamp, read as `MakeTimeStamp` reads it: in the
    /// site format. `Ok(None)` when it is empty or not a date in that format.
    pub(crate) fn date(&self, v: &Value) -> Result<Option<i64>, ExprError> {
        let text = self.value_text(v)?;
        Ok(dates::parse_site(&text, self.date_format))
    }

    fn calc(&self, expr: &str) -> Result<String, ExprError> {
        if let Some(args) = expr
            .strip_prefix("dateadd(")
            .and_then(|a| a.strip_suffix(')'))
        {
            let parts = split_args(args);
            let [base, interval] = parts.as_slice() else {
                return Err(ExprError::Calc(expr.to_owned()));
            };
            let base = self.operand(base)?;
            let interval = self.operand(interval)?;
            // The calc library reads the date as `CBPHelper::makeTimestamp` does (bizproc
            // classes/general/helper.php; calc has its own copy of the chain): the site's
            // date-time format, its date format, then `YYYY-MM-DD HH:MI:SS` and
            // `YYYY-MM-DD`. So an ISO literal inside `dateadd` is a date on every portal.
            let formats = [
                self.date_format,
                dates::date_part(self.date_format),
                "YYYY-MM-DD HH:MI:SS",
                "YYYY-MM-DD",
            ];
            let Some(start) = formats.iter().find_map(|f| dates::parse_site(&base, f)) else {
                // The calc library returns null for a value that is not a date.
                return Ok(String::new());
            };
            let t = dates::add_interval(start, &interval)
                .ok_or_else(|| ExprError::Calc(expr.to_owned()))?;
            return Ok(dates::format_site(t, self.date_format));
        }
        if expr.starts_with("{=") && expr.ends_with('}') && expr.matches("{=").count() == 1 {
            return self.text(expr);
        }
        Err(ExprError::Calc(expr.to_owned()))
    }

    fn operand(&self, arg: &str) -> Result<String, ExprError> {
        let arg = arg.trim();
        if let Some(lit) = arg
            .strip_prefix('"')
            .and_then(|a| a.strip_suffix('"'))
            .or_else(|| arg.strip_prefix('\'').and_then(|a| a.strip_suffix('\'')))
        {
            return Ok(lit.to_owned());
        }
        if arg.starts_with("{=") && arg.ends_with('}') {
            return self.text(arg);
        }
        Err(ExprError::Calc(arg.to_owned()))
    }

    /// One `{=Object:Field > modifier}` reference (without the braces).
    fn reference(&self, inner: &str) -> Result<String, ExprError> {
        let unknown = || ExprError::Unknown(format!("{{={inner}}}"));
        let (path, modifier) = match inner.split_once('>') {
            Some((p, m)) => (p.trim(), Some(m.trim())),
            None => (inner.trim(), None),
        };
        let (object, field) = path.split_once(':').ok_or_else(unknown)?;
        let printable = modifier.is_some_and(|m| m.eq_ignore_ascii_case("printable"));
        match object {
            "Document" => self
                .document_field(self.kind, self.id, field, printable)
                .ok_or_else(unknown),
            "System" => match field {
                "Now" | "NowLocal" => Ok(dates::format_site(self.now, self.date_format)),
                "Date" => Ok(dates::format_site(
                    self.now,
                    dates::date_part(self.date_format),
                )),
                _ => Err(unknown()),
            },
            "Template" if field == "TargetUser" => Ok(format!("user_{}", self.started_by)),
            "Workflow" if field == "ID" => Ok(self.workflow_id.to_owned()),
            _ => Err(unknown()),
        }
    }

    fn document_field(&self, kind: Kind, id: u64, path: &str, printable: bool) -> Option<String> {
        let doc = self.crm.document(kind, id, self.date_format, self.stages)?;
        if let Some((link, rest)) = path.split_once('.') {
            let target = match link {
                "CONTACT_ID" => Kind::Contact,
                "COMPANY_ID" => Kind::Company,
                "LEAD_ID" => Kind::Lead,
                _ => return None,
            };
            crm::field(kind, link)?;
            let linked = doc.get(link).and_then(crm::as_u64).filter(|n| *n > 0);
            return match linked {
                Some(lid) if self.crm.record(target, lid).is_some() => {
                    self.document_field(target, lid, rest, printable)
                }
                // An empty link gives an empty value.
                _ => crm::field(target, rest.split('.').next().unwrap_or(rest))
                    .map(|_| String::new()),
            };
        }
        let value = match doc.get(path) {
            Some(v) => v.clone(),
            None if path.starts_with("UF_") => Value::Null,
            None => return None,
        };
        let field = crm::field(kind, path);
        if printable && let Some(f) = field {
            let n = crm::as_u64(&value).or_else(|| {
                value
                    .as_str()
                    .and_then(|s| s.strip_prefix("user_"))
                    .and_then(|s| s.parse().ok())
            });
            match (f.ty, n) {
                (FieldType::User, Some(uid)) => {
                    return Some(
                        crm::user(uid)
                            .map_or_else(String::new, |u| format!("{} {}", u.name, u.last_name)),
                    );
                }
                (FieldType::Contact, Some(cid)) => {
                    return Some(self.crm.printable(Kind::Contact, cid).unwrap_or_default());
                }
                (FieldType::Company, Some(cid)) => {
                    return Some(self.crm.printable(Kind::Company, cid).unwrap_or_default());
                }
                (FieldType::Status, _) => {
                    let stage = value.as_str().unwrap_or("");
                    return Some(
                        self.stages
                            .find(kind, stage)
                            .map_or_else(|| stage.to_owned(), |s| s.name),
                    );
                }
                _ => {}
            }
        }
        Some(match &value {
            Value::Array(_) => crm::multi_values(&value).join(", "),
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    }

    /// A user list property (`CBPHelper::ExtractUsers`): `user_<id>`, `author` (the
    /// document's responsible), `group_d<n>`/`group_dr<n>` (a department, recursively),
    /// and expressions that yield any of these. Unknown entries are an error.
    pub(crate) fn users(&self, v: &Value) -> Result<Vec<u64>, ExprError> {
        let items: Vec<&Value> = match v {
            Value::Array(items) => items.iter().collect(),
            Value::Object(m) => m.values().collect(),
            other => vec![other],
        };
        let mut out: Vec<u64> = Vec::new();
        for item in items {
            let text = self.value_text(item)?;
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let ids = if part == "author" {
                    let doc = self
                        .crm
                        .document(self.kind, self.id, self.date_format, self.stages);
                    let assigned = doc
                        .and_then(|d| d.get("ASSIGNED_BY_ID").cloned())
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .and_then(|s| s.strip_prefix("user_").and_then(|n| n.parse().ok()));
                    assigned.into_iter().collect()
                } else if let Some(n) = part
                    .strip_prefix("user_")
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    vec![n]
                } else if let Some(n) = part.strip_prefix("group_dr").and_then(|n| n.parse().ok()) {
                    crm::department_users(n, true)
                } else if let Some(n) = part.strip_prefix("group_d").and_then(|n| n.parse().ok()) {
                    crm::department_users(n, false)
                } else if let Ok(n) = part.parse::<u64>() {
                    vec![n]
                } else {
                    return Err(ExprError::User(part.to_owned()));
                };
                for id in ids {
                    if crm::user(id).is_some() && !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Splits calc arguments at top-level commas (outside quotes and braces).
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut cur) = (0_i32, None::<char>, String::new());
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '(') => depth += 1,
            (None, '}' | ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn crm() -> Crm {
        let mut crm = Crm::default();
        let contact = json!({"NAME": "Ivy", "LAST_NAME": "Client", "PHONE": [{"VALUE": "+100", "VALUE_TYPE": "WORK"}]});
        crm.records
            .entry(Kind::Contact)
            .or_default()
            .insert(3, contact.as_object().unwrap().clone());
        let deal = json!({"TITLE": "Big", "STAGE_ID": "WON", "ASSIGNED_BY_ID": 2, "CONTACT_ID": 3, "CLOSEDATE": "2026-12-10T00:00:00+00:00"});
        crm.records
            .entry(Kind::Deal)
            .or_default()
            .insert(5, deal.as_object().unwrap().clone());
        crm
    }

    #[test]
    fn references_and_calc() {
        let crm = crm();
        let cx = Ctx {
            crm: &crm,
            stages: crm::StageBook(None),
            kind: Kind::Deal,
            id: 5,
            now: 0,
            date_format: "DD.MM.YYYY HH:MI:SS",
            workflow_id: "w",
            started_by: 1,
        };
        assert_eq!(cx.text("Deal {=Document:TITLE}!").unwrap(), "Deal Big!");
        assert_eq!(cx.text("{=Document:CONTACT_ID.PHONE}").unwrap(), "+100");
        assert_eq!(
            cx.text("{=Document:CONTACT_ID > printable}").unwrap(),
            "Ivy Client"
        );
        assert_eq!(
            cx.text("{=Document:ASSIGNED_BY_ID > printable}").unwrap(),
            "Sam Seller"
        );
        assert_eq!(
            cx.text("{=Document:STAGE_ID > printable}").unwrap(),
            "Deal won"
        );
        assert_eq!(
            cx.text("=dateadd({=Document:CLOSEDATE}, \"1d\")").unwrap(),
            "11.12.2026 00:00:00"
        );
        assert_eq!(
            cx.text("=dateadd({=System:Now}, \"30i\")").unwrap(),
            "01.01.1970 00:30:00"
        );
        // An ISO literal is a date to the calc whatever the site format (its
        // `makeTimestamp` falls back to `YYYY-MM-DD HH:MI:SS`, then `YYYY-MM-DD`).
        assert_eq!(
            cx.text("=dateadd(\"2026-01-31 10:00:00\", \"0d\")")
                .unwrap(),
            "31.01.2026 10:00:00"
        );
        assert_eq!(
            cx.text("=dateadd(\"2026-01-31\", \"1d\")").unwrap(),
            "01.02.2026 00:00:00"
        );
        assert_eq!(cx.text("=dateadd(\"soon\", \"1d\")").unwrap(), "");
        assert!(matches!(
            cx.text("{=Document:NOPE}"),
            Err(ExprError::Unknown(_))
        ));
        assert!(matches!(cx.text("=max(1, 2)"), Err(ExprError::Calc(_))));
        assert_eq!(cx.text("{=Document:UF_CRM_X}").unwrap(), "");
        assert_eq!(
            cx.users(&json!([
                "author",
                "group_dr12",
                "{=Document:ASSIGNED_BY_ID}"
            ]))
            .unwrap(),
            vec![2, 3]
        );
        assert!(cx.users(&json!(["bob"])).is_err());
    }
}
