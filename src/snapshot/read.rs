//! Reading a portal's names and ids into a [`Snapshot`]: every list's first page in one
//! `batch`, and every further page in one more (only portals with more than 50 users or
//! departments need it).
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
//!
//! Two reads a portal may refuse go in a `batch` of their own (sent alongside the
//! first, `halt` off), and a refusal leaves their list out of the snapshot rather than
//! failing it: `messageservice.sender.list` answers an application only ("Application
//! context required" to a webhook; administrators only) with the codes of the SMS
//! providers *that application* registered, a plain array of strings
//! (`api-reference/messageservice/messageservice-sender-list.md`); a template names
//! such a provider `<client id>|<code>` (messageservice `Sender\Sms\Rest::getFromList`),
//! so the codes are read only when the application's client id is known.
//! `imopenlines.config.list.get` needs the `imopenlines` scope. Its REST docs page has no
//! sample reply; the platform source settles the shape: `Rest::configListGet`
//! (imopenlines lib/rest.php) returns `Config::getList` (imopenlines lib/config.php),
//! a plain list, not paged, of `ConfigTable` rows with every column when `PARAMS` has no
//! `select` (`ID`, `ACTIVE`, `LINE_NAME`, ...), which is what is read here.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{
    Department, Field, OpenLine, Pipeline, SmartProcess, SmsProvider, Snapshot, Stage, User,
    VERSION,
};
use crate::bitrix::{Batch, Client, ListRead, Method};

/// Why a portal could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("cannot read the portal of the environment `{environment}`")]
    #[diagnostic(
        code(b24flow::snapshot::portal),
        help(
            "check the environment's URL and credentials; a snapshot needs the crm, user and department scopes"
        )
    )]
    Portal {
        environment: String,
        #[source]
        #[diagnostic_source]
        source: crate::bitrix::Error,
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

/// Reads the portal behind `client` as the snapshot of `environment`, with no aliases.
/// `app` is the OAuth application's client id, when known: the SMS providers are read
/// only with it (see the module docs).
pub async fn read(
    client: &Client,
    environment: &str,
    app: Option<&str>,
) -> Result<Snapshot, Error> {
    let (snapshot, optional) = tokio::join!(
        read_required(client, environment),
        read_optional(client, app)
    );
    let mut snapshot = snapshot?;
    (snapshot.sms_providers, snapshot.open_lines) = optional;
    snapshot.sort();
    Ok(snapshot)
}

/// The SMS providers and the Open Channel lines, each `None` when the portal refused
/// it or answered in a shape not understood.
async fn read_optional(
    client: &Client,
    app: Option<&str>,
) -> (Option<Vec<SmsProvider>>, Option<Vec<OpenLine>>) {
    let app = app
        .map(str::trim)
        .filter(|a| !a.is_empty() && !client.is_webhook());
    let mut batch = Batch::new().halt(false);
    if app.is_some() {
        batch.push("senders", Method::SenderList, &json!({}));
    }
    batch.push("lines", Method::OpenLinesConfigList, &json!({}));
    let Ok(reply) = client.batch(&batch).await else {
        return (None, None);
    };
    let senders = app.and_then(|app| {
        let codes = reply.results.get("senders")?.as_array()?;
        codes
            .iter()
            .map(|c| {
                let code = c.as_str()?.trim();
                (!code.is_empty()).then(|| SmsProvider {
                    id: format!("{app}|{code}"),
                    name: code.to_owned(),
                })
            })
            .collect::<Option<Vec<_>>>()
    });
    let lines = reply.results.get("lines").and_then(|v| {
        v.as_array()?
            .iter()
            .map(|l| {
                let id = int(&l["ID"]).and_then(|i| u64::try_from(i).ok())?;
                let name = text(&l["LINE_NAME"]);
                Some(OpenLine {
                    id,
                    name: if name.is_empty() {
                        format!("line {id}")
                    } else {
                        name
                    },
                })
            })
            .collect::<Option<Vec<_>>>()
    });
    (senders, lines)
}

async fn read_required(client: &Client, environment: &str) -> Result<Snapshot, Error> {
    let portal = |source| Error::Portal {
        environment: environment.to_owned(),
        source,
    };
    // Every list's first page in one batch, then every further page in another
    // (`Client::read_batched`: the client's one paging routine, with its bounds).
    let reads = reads();
    let lists: Vec<ListRead> = reads
        .iter()
        .map(|(_, method, params)| ListRead {
            method: *method,
            params: params.clone(),
        })
        .collect();
    let (listed, _) = client.read_batched(&lists, &[]).await.map_err(portal)?;
    let rows: BTreeMap<&str, Value> = reads
        .iter()
        .zip(listed)
        .map(|((key, _, _), l)| (*key, Value::Array(l.rows)))
        .collect();
    let malformed = |method: Method| Error::Malformed {
        environment: environment.to_owned(),
        method: method.name().to_owned(),
    };
    let list = |key: &str, inner: Option<&str>, method: Method| -> Result<Vec<Value>, Error> {
        let v = rows.get(key).cloned().unwrap_or(Value::Null);
        // The client unwraps a one-key object (`{categories: [...]}`) into its rows.
        let v = match (inner, v) {
            (Some(k), v @ Value::Object(_)) => v.get(k).cloned().unwrap_or(Value::Null),
            (_, v) => v,
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
