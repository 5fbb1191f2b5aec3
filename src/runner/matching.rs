//! Matching an object against a runner workflow's conditions, and filling
//! `{{object.field}}` / `{{now}}` placeholders from it.
//!
//! The object is as the portal returns it (`tasks.task.get` camelCase, `crm.activity.get`
//! and `calendar.event.getbyid` upper case); a field's text is what conditions and
//! placeholders compare and insert, the same on every run.

use serde_json::{Map, Value};

use super::{Object, RunnerSpec};

pub(super) fn field_text(obj: &Map<String, Value>, field: &str) -> String {
    match obj.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "Y" } else { "N" }.to_owned(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(","),
        _ => String::new(),
    }
}

/// Whether every condition holds on the object.
pub fn holds(spec: &RunnerSpec, obj: &Map<String, Value>) -> bool {
    spec.conditions.iter().all(|c| {
        let a = field_text(obj, &c.field);
        let num = |s: &str| s.trim().parse::<f64>().ok();
        let cmp = match (num(&a), num(&c.value)) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => Some(a.as_str().cmp(c.value.as_str())),
        };
        match c.operator.as_str() {
            "=" => cmp == Some(std::cmp::Ordering::Equal),
            "!=" => cmp != Some(std::cmp::Ordering::Equal),
            ">" => cmp == Some(std::cmp::Ordering::Greater),
            ">=" => matches!(cmp, Some(o) if o.is_ge()),
            "<" => cmp == Some(std::cmp::Ordering::Less),
            "<=" => matches!(cmp, Some(o) if o.is_le()),
            "contain" => a.contains(&c.value),
            "!contain" => !a.contains(&c.value),
            "empty" => a.is_empty() || a == "0",
            "!empty" => !(a.is_empty() || a == "0"),
            _ => false,
        }
    })
}

pub(super) fn object_name(o: Object) -> &'static str {
    match o {
        Object::Task => "task",
        Object::Activity => "activity",
        Object::Calendar => "calendar",
    }
}

/// Fills `{{task.field}}`-style placeholders and `{{now}}`. A date placeholder may add
/// seconds: `{{now+172800}}`, `{{task.deadline+172800}}` (a field with no date in it
/// counts from now).
pub(super) fn fill(s: &str, object: Object, obj: &Map<String, Value>, now: i64) -> String {
    let prefix = format!("{{{{{}.", object_name(object));
    let mut out = String::new();
    let mut rest = s;
    loop {
        let next_obj = rest.find(&prefix);
        let next_now = rest.find("{{now");
        match (next_obj, next_now) {
            (Some(i), n) if n.is_none_or(|n| i < n) => {
                out.push_str(&rest[..i]);
                let after = &rest[i + prefix.len()..];
                let Some(end) = after.find("}}") else {
                    out.push_str(&rest[i..]);
                    return out;
                };
                let field = &after[..end];
                if let Some((name, secs)) = field.split_once('+')
                    && let Ok(secs) = secs.parse::<i64>()
                {
                    let base = super::parse_iso(&field_text(obj, name)).unwrap_or(now);
                    out.push_str(&super::iso_utc(base.saturating_add(secs)));
                } else if field == "OWNER_TYPE" {
                    // CCrmOwnerType ids, as crm.timeline.comment.add's ENTITY_TYPE names them.
                    out.push_str(match field_text(obj, "OWNER_TYPE_ID").as_str() {
                        "1" => "lead",
                        "2" => "deal",
                        "3" => "contact",
                        "4" => "company",
                        _ => "",
                    });
                } else {
                    out.push_str(&field_text(obj, field));
                }
                rest = &after[end + 2..];
            }
            (_, Some(n)) => {
                out.push_str(&rest[..n]);
                let after = &rest[n + "{{now".len()..];
                let Some(end) = after.find("}}") else {
                    out.push_str(&rest[n..]);
                    return out;
                };
                let secs = after[..end]
                    .strip_prefix('+')
                    .and_then(|s| s.parse::<i64>().ok())
                    .unwrap_or(0);
                out.push_str(&super::iso_utc(now.saturating_add(secs)));
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

pub(super) fn fill_value(v: &Value, object: Object, obj: &Map<String, Value>, now: i64) -> Value {
    match v {
        Value::String(s) => Value::String(fill(s, object, obj, now)),
        Value::Array(a) => {
            Value::Array(a.iter().map(|x| fill_value(x, object, obj, now)).collect())
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), fill_value(x, object, obj, now)))
                .collect(),
        ),
        other => other.clone(),
    }
}
