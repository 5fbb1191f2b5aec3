//! Reading a portal's names and ids into a [`Snapshot`], every read in one `batch`
//! (and one more per further page, which only portals with more than 50 users or
//! departments need).
//!
//! Reply shapes (REST docs, bitrix24/b24restdocs): `crm.status.list` a plain array of
//! upper-case rows with `ENTITY_ID`, `STATUS_ID`, `NAME`, `SORT`, `SEMANTICS`
//! (`api-reference/crm/status/crm-status-list.md`); `crm.category.list`
//! `{categories: [{id, name, sort, entityTypeId, isDefault}]}`
//! (`api-reference/crm/universal/category/crm-category-list.md`); `user.get` an array
//! with `ID`, `NAME`, `LAST_NAME`, `EMAIL`, `ACTIVE` (`api-reference/user/user-get.md`);
//! `department.get` an array with `ID`, `NAME` (`api-reference/departments/
//! department-get.md`); `crm.deal.userfield.list` rows with `FIELD_NAME` and
//! `EDIT_FORM_LABEL` (a string, or one per language); `crm.type.list`
//! `{types: [{id, title, entityTypeId}]}` (`.../user-defined-object-types/crm-type-list.md`).
//! Deal stages live in the directory `DEAL_STAGE` (pipeline 0) or `DEAL_STAGE_<id>`;
//! smart-invoice stages are recognised by their `DT31_<category>:` prefix.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Department, Field, Pipeline, SmartProcess, Snapshot, Stage, User, VERSION};
use crate::bitrix::{Batch, Client, Method};

/// Why a portal could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("cannot read the portal of the environment `{environment}`")]
    #[diagnostic(code(b24flow::snapshot::portal))]
    Portal {
        environment: String,
        #[source]
        #[diagnostic_source]
        source: crate::bitrix::Error,
    },
    #[error("the portal of `{environment}` refused {method}: {code} {description}")]
    #[diagnostic(
        code(b24flow::snapshot::refused),
        help("the credentials need the crm, user and department scopes")
    )]
    Refused {
        environment: String,
        method: String,
        code: String,
        description: String,
    },
    #[error("the portal of `{environment}` sent {method} a reply of an unknown shape")]
    #[diagnostic(code(b24flow::snapshot::malformed))]
    Malformed { environment: String, method: String },
}

/// The reads, by batch key.
fn reads() -> Vec<(&'static str, Method, Value)> {
    vec![
        (
            "statuses",
            Method::StatusList,
            json!({"order": {"SORT": "ASC"}}),
        ),
        (
            "deal_pipelines",
            Method::CategoryList,
            json!({"entityTypeId": 2}),
        ),
        (
            "invoice_pipelines",
            Method::CategoryList,
            json!({"entityTypeId": 31}),
        ),
        ("users", Method::UserGet, json!({})),
        ("departments", Method::DepartmentGet, json!({})),
        ("deal_fields", Method::DealUserFieldList, json!({})),
        ("types", Method::TypeList, json!({})),
    ]
}

/// The most pages read per list (50 rows each): 10,000 users is past any portal.
const MAX_PAGES: usize = 200;

/// Reads the portal behind `client` as the snapshot of `environment`, with no aliases.
pub async fn read(client: &Client, environment: &str) -> Result<Snapshot, Error> {
    let portal = |source| Error::Portal {
        environment: environment.to_owned(),
        source,
    };
    let mut rows: BTreeMap<&str, Value> = BTreeMap::new();
    let mut pending: Vec<(&str, Method, Value)> = reads();
    for _ in 0..MAX_PAGES {
        if pending.is_empty() {
            break;
        }
        let mut batch = Batch::new();
        for (key, method, params) in &pending {
            batch.push(*key, *method, params);
        }
        let reply = client.batch(&batch).await.map_err(portal)?;
        let mut next = Vec::new();
        for (key, method, params) in pending {
            if let Some(e) = reply.error(key) {
                return Err(Error::Refused {
                    environment: environment.to_owned(),
                    method: method.name().to_owned(),
                    code: e.code.clone(),
                    description: e.description.clone(),
                });
            }
            let result = reply.results.get(key).cloned().unwrap_or(Value::Null);
            merge(rows.entry(key).or_insert(Value::Null), result);
            if let Some(start) = reply.nexts.get(key).and_then(Value::as_u64) {
                let mut params = params;
                params["start"] = json!(start);
                next.push((key, method, params));
            }
        }
        pending = next;
    }
    let malformed = |method: Method| Error::Malformed {
        environment: environment.to_owned(),
        method: method.name().to_owned(),
    };
    let list = |key: &str, inner: Option<&str>, method: Method| -> Result<Vec<Value>, Error> {
        let v = rows.get(key).cloned().unwrap_or(Value::Null);
        let v = match inner {
            Some(k) => v.get(k).cloned().unwrap_or(Value::Null),
            None => v,
        };
        match v {
            Value::Array(a) => Ok(a),
            Value::Null => Ok(Vec::new()),
            _ => Err(malformed(method)),
        }
    };
    let statuses = list("statuses", None, Method::StatusList)?;
    let mut snapshot = Snapshot {
        version: VERSION,
        environment: environment.to_owned(),
        ..Snapshot::default()
    };
    for (entity, key) in [
        ("deal", "deal_pipelines"),
        ("smart_invoice", "invoice_pipelines"),
    ] {
        let mut pipelines = Vec::new();
        for c in list(key, Some("categories"), Method::CategoryList)? {
            let id = u32::try_from(int(&c["id"]).ok_or_else(|| malformed(Method::CategoryList))?)
                .map_err(|_| malformed(Method::CategoryList))?;
            let belongs = |s: &Value| {
                let entity_id = text(&s["ENTITY_ID"]);
                let status = text(&s["STATUS_ID"]);
                match entity {
                    "deal" if id == 0 => entity_id == "DEAL_STAGE",
                    "deal" => entity_id == format!("DEAL_STAGE_{id}"),
                    _ => status.starts_with(&format!("DT31_{id}:")),
                }
            };
            let mut stages: Vec<(i64, Stage)> = statuses
                .iter()
                .filter(|s| belongs(s))
                .map(|s| {
                    let semantics = match text(&s["SEMANTICS"]).as_str() {
                        "S" => "S",
                        "F" => "F",
                        _ => "P",
                    };
                    (
                        int(&s["SORT"]).unwrap_or(0),
                        Stage {
                            id: text(&s["STATUS_ID"]),
                            name: text(&s["NAME"]),
                            semantics: semantics.to_owned(),
                        },
                    )
                })
                .collect();
            stages.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
            pipelines.push(Pipeline {
                id,
                name: text(&c["name"]),
                stages: stages.into_iter().map(|(_, s)| s).collect(),
            });
        }
        if !pipelines.is_empty() {
            snapshot.pipelines.insert(entity.to_owned(), pipelines);
        }
    }
    for u in list("users", None, Method::UserGet)? {
        if u.get("ACTIVE") == Some(&Value::Bool(false)) {
            continue;
        }
        let id = int(&u["ID"])
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| malformed(Method::UserGet))?;
        let name = format!("{} {}", text(&u["NAME"]), text(&u["LAST_NAME"]))
            .trim()
            .to_owned();
        snapshot.users.push(User {
            id,
            name: if name.is_empty() {
                format!("user {id}")
            } else {
                name
            },
            email: text(&u["EMAIL"]),
        });
    }
    for d in list("departments", None, Method::DepartmentGet)? {
        let id = int(&d["ID"])
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| malformed(Method::DepartmentGet))?;
        snapshot.departments.push(Department {
            id,
            name: text(&d["NAME"]),
        });
    }
    let mut fields = Vec::new();
    for f in list("deal_fields", None, Method::DealUserFieldList)? {
        let id = text(&f["FIELD_NAME"]);
        let label = match &f["EDIT_FORM_LABEL"] {
            Value::Object(by_lang) => by_lang
                .get("en")
                .or_else(|| by_lang.values().next())
                .map(text)
                .unwrap_or_default(),
            other => text(other),
        };
        fields.push(Field {
            name: if label.is_empty() { id.clone() } else { label },
            id,
        });
    }
    if !fields.is_empty() {
        snapshot.fields.insert("deal".into(), fields);
    }
    for t in list("types", Some("types"), Method::TypeList)? {
        let entity_type_id = int(&t["entityTypeId"])
            .and_then(|i| u32::try_from(i).ok())
            .ok_or_else(|| malformed(Method::TypeList))?;
        snapshot.smart_processes.push(SmartProcess {
            entity_type_id,
            name: text(&t["title"]),
        });
    }
    snapshot.sort();
    Ok(snapshot)
}

/// Appends a further page to what was read: lists concatenate, and so do the lists
/// inside a one-key object (`{categories: [...]}`).
fn merge(into: &mut Value, page: Value) {
    match (into, page) {
        (Value::Array(a), Value::Array(b)) => a.extend(b),
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match (a.get_mut(&k), v) {
                    (Some(Value::Array(x)), Value::Array(y)) => x.extend(y),
                    (_, v) => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (slot, page) => *slot = page,
    }
}

/// A scalar as text (the platform sends ids and sorts as strings or numbers).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
