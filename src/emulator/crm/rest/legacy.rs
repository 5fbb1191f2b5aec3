//! The legacy `crm.deal.*`-style views (upper-case fields, every scalar a string) and the
//! list rules every list method shares: filter operators, `select`, and pages of
//! `PAGE_SIZE` with `next`.

use super::item::to_camel;
use crate::emulator::crm::{Crm, FieldType, Kind, Record, StageBook, fields, multi_values};
use crate::emulator::params::{array_values, php_string};
use crate::emulator::portal::{Outcome, PAGE_SIZE};
use serde_json::{Map, Value, json};

pub(super) fn text_of(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::String(_) => v.clone(),
        Value::Number(n) => json!(n.to_string()),
        Value::Bool(b) => json!(if *b { "Y" } else { "N" }),
        other => other.clone(),
    }
}

pub(super) fn legacy_view(
    crm: &Crm,
    book: StageBook<'_>,
    kind: Kind,
    id: u64,
    rec: &Record,
) -> Value {
    let mut out = Map::new();
    for f in fields(kind) {
        let v = rec.get(f.name).cloned().unwrap_or(Value::Null);
        match f.ty {
            FieldType::Multifield => {
                let list = multi_values(&v);
                if !list.is_empty() {
                    let rows: Vec<Value> = array_values(&v)
                        .unwrap_or_default()
                        .into_iter()
                        .zip(1..)
                        .map(|(item, i)| {
                            json!({"ID": (id * 100 + i).to_string(), "VALUE_TYPE": item.get("VALUE_TYPE").cloned().unwrap_or(json!("WORK")), "VALUE": item.get("VALUE").cloned().unwrap_or(Value::Null), "TYPE_ID": f.name})
                        })
                        .collect();
                    out.insert(f.name.into(), Value::Array(rows));
                }
            }
            _ => {
                out.insert(f.name.into(), text_of(&v));
            }
        }
    }
    for (k, v) in rec {
        if k.starts_with("UF_") {
            out.insert(k.clone(), v.clone());
        }
    }
    if let Some(doc) = crm.document(kind, id, "DD.MM.YYYY HH:MI:SS", book) {
        for k in ["STAGE_SEMANTIC_ID", "STATUS_SEMANTIC_ID"] {
            if let Some(v) = doc.get(k) {
                out.insert(k.into(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// `FILTER` as (operator, field, value): prefixes `=`, `!`, `!=`, `>`, `>=`, `<`, `<=`.
pub(super) fn filter_pairs(v: Option<&Value>) -> Vec<(String, String, Value)> {
    let Some(Value::Object(map)) = v else {
        return Vec::new();
    };
    map.iter()
        .map(|(k, v)| {
            let op_len = k.find(|c: char| !"=!<>".contains(c)).unwrap_or(k.len());
            (k[..op_len].to_owned(), k[op_len..].to_owned(), v.clone())
        })
        .collect()
}

pub(super) fn matches_value(actual: Option<&Value>, op: &str, wanted: &Value) -> bool {
    let actual_text = actual.map(|v| match v {
        Value::Array(items) => items
            .iter()
            .filter_map(php_string)
            .collect::<Vec<_>>()
            .join(","),
        other => php_string(other).unwrap_or_default(),
    });
    let wanted_list: Vec<String> = match wanted {
        Value::Array(items) => items.iter().filter_map(php_string).collect(),
        other => vec![php_string(other).unwrap_or_default()],
    };
    let a = actual_text.unwrap_or_default();
    let in_list = |a: &str| {
        wanted_list
            .iter()
            .any(|w| w == a || a.split(',').any(|part| part == w))
    };
    let num = |s: &str| s.parse::<f64>().ok();
    let cmp = |w: &str| match (num(&a), num(w)) {
        (Some(x), Some(y)) => x.partial_cmp(&y),
        _ => Some(a.as_str().cmp(w)),
    };
    let w0 = wanted_list.first().map_or("", String::as_str);
    match op {
        "" | "=" => in_list(&a),
        "!" | "!=" => !in_list(&a),
        ">" => cmp(w0) == Some(std::cmp::Ordering::Greater),
        ">=" => cmp(w0).is_some_and(|o| o != std::cmp::Ordering::Less),
        "<" => cmp(w0) == Some(std::cmp::Ordering::Less),
        "<=" => cmp(w0).is_some_and(|o| o != std::cmp::Ordering::Greater),
        _ => true,
    }
}

pub(super) fn paginate(rows: Vec<Value>, start: i64) -> (Vec<Value>, u64, Option<u64>) {
    let total = rows.len();
    let offset = usize::try_from(start.max(0)).unwrap_or(usize::MAX);
    let page: Vec<Value> = rows.into_iter().skip(offset).take(PAGE_SIZE).collect();
    let shown = page.len();
    let next = (offset.saturating_add(shown) < total).then(|| (offset + shown) as u64);
    (page, total as u64, next)
}

pub(super) fn select_of(p: &Map<String, Value>) -> Vec<String> {
    p.get("SELECT")
        .and_then(array_values)
        .unwrap_or_default()
        .into_iter()
        .filter_map(php_string)
        .collect()
}

pub(super) fn project(row: Value, select: &[String]) -> Value {
    if select.is_empty() || select.iter().any(|s| s == "*") {
        return row;
    }
    match row {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, _)| {
                    select
                        .iter()
                        .any(|s| s == k || (s == "UF_*" && k.starts_with("UF_")))
                })
                .collect(),
        ),
        other => other,
    }
}

pub(super) fn legacy_list(
    crm: &Crm,
    book: StageBook<'_>,
    kind: Kind,
    p: &Map<String, Value>,
    start: i64,
) -> Outcome {
    let filter = filter_pairs(p.get("FILTER"));
    let select = select_of(p);
    let desc = matches!(p.get("ORDER"), Some(Value::Object(m)) if m.get("ID").and_then(php_string).is_some_and(|d| d.eq_ignore_ascii_case("desc")));
    let mut rows: Vec<Value> = crm
        .records
        .get(&kind)
        .into_iter()
        .flat_map(|m| m.iter())
        .map(|(id, rec)| legacy_view(crm, book, kind, *id, rec))
        .filter(|row| {
            filter
                .iter()
                .all(|(op, k, v)| matches_value(row.get(k), op, v))
        })
        .map(|row| project(row, &select))
        .collect();
    if desc {
        rows.reverse();
    }
    let (page, total, next) = paginate(rows, start);
    Outcome::list(Value::Array(page), total, next)
}

pub(super) fn fields_view(kind: Kind, camel: bool) -> Value {
    let mut out = Map::new();
    for f in fields(kind) {
        let name = if camel {
            to_camel(f.name)
        } else {
            f.name.to_owned()
        };
        out.insert(
            name,
            json!({
                "type": f.ty.name(),
                "isRequired": f.required,
                "isReadOnly": f.read_only,
                "isImmutable": false,
                "isMultiple": f.ty == FieldType::Multifield,
                "isDynamic": false,
                "title": f.name,
            }),
        );
    }
    Value::Object(out)
}
