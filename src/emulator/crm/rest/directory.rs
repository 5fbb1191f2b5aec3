//! Reference lists a portal answers without records: `crm.status.list`, `user.get`,
//! `department.get`, and the plain lists of comments and activities.

use super::legacy::{filter_pairs, matches_value, paginate};
use crate::emulator::crm::{Kind, categories, stages};
use crate::emulator::params::php_string;
use crate::emulator::portal::Outcome;
use serde_json::{Map, Value, json};

pub(super) fn status_list(p: &Map<String, Value>) -> Value {
    let filter = filter_pairs(p.get("FILTER"));
    let mut rows = Vec::new();
    let mut n = 0;
    for kind in Kind::ALL {
        for (cat, _) in categories(kind) {
            let Some(entity) = kind.status_entity(cat) else {
                continue;
            };
            for s in stages(kind, cat) {
                n += 1;
                let semantics = match s.semantics {
                    'S' => json!("S"),
                    'F' => json!("F"),
                    _ => Value::Null,
                };
                let row = json!({
                    "ID": n.to_string(),
                    "ENTITY_ID": entity,
                    "STATUS_ID": s.id,
                    "NAME": s.name,
                    "NAME_INIT": s.name,
                    "SORT": s.sort.to_string(),
                    "SYSTEM": "Y",
                    "CATEGORY_ID": if kind == Kind::Lead || kind == Kind::Quote { Value::Null } else { json!(cat.to_string()) },
                    "COLOR": "#39A8EF",
                    "SEMANTICS": semantics,
                    "EXTRA": {"SEMANTICS": match s.semantics { 'S' => "success", 'F' => "failure", _ => "process" }, "COLOR": "#39A8EF"},
                });
                if filter
                    .iter()
                    .all(|(op, k, v)| matches_value(row.get(k), op, v))
                {
                    rows.push(row);
                }
            }
        }
    }
    Value::Array(rows)
}

pub(super) fn user_list(p: &Map<String, Value>) -> Value {
    let mut filter = filter_pairs(p.get("FILTER"));
    if let Some(id) = p.get("ID") {
        filter.push(("=".into(), "ID".into(), id.clone()));
    }
    let rows: Vec<Value> = crate::emulator::crm::USERS
        .iter()
        .map(|u| {
            json!({
                "ID": u.id.to_string(),
                "ACTIVE": true,
                "NAME": u.name,
                "LAST_NAME": u.last_name,
                "EMAIL": u.email,
                "PERSONAL_MOBILE": u.phone,
                "UF_DEPARTMENT": u.departments,
            })
        })
        .filter(|row| {
            filter
                .iter()
                .all(|(op, k, v)| matches_value(row.get(k), op, v))
        })
        .collect();
    Value::Array(rows)
}

pub(super) fn department_list(p: &Map<String, Value>) -> Value {
    let want = p.get("ID").and_then(php_string);
    let rows: Vec<Value> = crate::emulator::crm::DEPARTMENTS
        .iter()
        .filter(|d| want.as_ref().is_none_or(|w| *w == d.0.to_string()))
        .map(|(id, name, parent, head)| {
            let mut row = json!({"ID": id.to_string(), "NAME": name, "SORT": 500, "UF_HEAD": head.to_string()});
            if let (Some(parent), Value::Object(m)) = (parent, &mut row) {
                m.insert("PARENT".into(), json!(parent.to_string()));
            }
            row
        })
        .collect();
    Value::Array(rows)
}

pub(super) fn simple_list<'a>(
    rows: impl Iterator<Item = &'a Map<String, Value>>,
    p: &Map<String, Value>,
    start: i64,
) -> Outcome {
    let filter = filter_pairs(p.get("FILTER"));
    let rows: Vec<Value> = rows
        .filter(|row| {
            filter
                .iter()
                .all(|(op, k, v)| matches_value(row.get(k), op, v))
        })
        .map(|r| Value::Object(r.clone()))
        .collect();
    let (page, total, next) = paginate(rows, start);
    Outcome::list(Value::Array(page), total, next)
}
