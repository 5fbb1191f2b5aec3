//! The CRM's REST methods and the two writes every path shares ([`create_record`],
//! [`update_record`]), which fire the business-process events.
//!
//! Reply shapes follow the REST docs: the legacy `crm.deal.*`-style methods return
//! upper-case fields with every scalar as a string, `add` the new id, `update` and
//! `delete` `true`; `crm.item.*` wraps records as `{"item": …}` / `{"items": […]}` with
//! camelCase names and typed values. Errors: a missing or non-positive id is
//! `ID is not defined or invalid.`, an unknown one `Not found` (legacy) or
//! `NOT_FOUND` (items), both HTTP 400. Unknown fields are dropped, as the platform does.

use serde_json::{Map, Value, json};

use super::{
    Crm, FieldType, Kind, Record, as_u64, categories, field, fields, multi_values, stage_category,
    stages,
};
use crate::emulator::dates;
use crate::emulator::engine::{self, Event};
use crate::emulator::params::{array_values, php_int, php_string, upper_keys};
use crate::emulator::portal::{Outcome, PAGE_SIZE, RestError, iso8601};
use crate::emulator::store::State;

pub(crate) use crate::emulator::engine::Origin;

/// The CRM methods this module answers (lower case).
pub(crate) const METHODS: [&str; 41] = [
    "crm.deal.add",
    "crm.deal.update",
    "crm.deal.get",
    "crm.deal.list",
    "crm.deal.delete",
    "crm.deal.fields",
    "crm.lead.add",
    "crm.lead.update",
    "crm.lead.get",
    "crm.lead.list",
    "crm.lead.delete",
    "crm.lead.fields",
    "crm.contact.add",
    "crm.contact.update",
    "crm.contact.get",
    "crm.contact.list",
    "crm.contact.delete",
    "crm.contact.fields",
    "crm.company.add",
    "crm.company.update",
    "crm.company.get",
    "crm.company.list",
    "crm.company.delete",
    "crm.company.fields",
    "crm.item.add",
    "crm.item.update",
    "crm.item.get",
    "crm.item.list",
    "crm.item.delete",
    "crm.item.fields",
    "crm.status.list",
    "crm.category.list",
    "user.get",
    "department.get",
    "tasks.task.list",
    "tasks.task.get",
    "crm.timeline.comment.list",
    "crm.activity.list",
    "crm.deal.contact.items.get",
    "tasks.task.complete",
    // Emulator-only: the lead converter's own start path (see `convert_lead`).
    "b24flow.lead.convert",
];

fn bad_id() -> RestError {
    RestError::new(400, "", "ID is not defined or invalid.")
}

fn not_found() -> RestError {
    RestError::new(400, "", "Not found")
}

fn item_not_found() -> RestError {
    RestError::new(400, "NOT_FOUND", "Element not found")
}

fn invalid(name: &str) -> RestError {
    // The wording of CCrm*::CheckFields differs per entity; this one is unconfirmed.
    RestError::new(
        400,
        "",
        &format!("The value of field \"{name}\" is incorrect."),
    )
}

fn read(result: Value) -> Outcome {
    Outcome {
        result,
        total: None,
        next: None,
        wrote: false,
    }
}

fn write(result: Value) -> Outcome {
    Outcome {
        result,
        total: None,
        next: None,
        wrote: true,
    }
}

/// Runs one CRM method. `now` is the virtual clock.
pub(crate) fn call(
    state: &mut State,
    user: u64,
    method: &str,
    params: &Map<String, Value>,
    start: i64,
    now: i64,
) -> Result<Outcome, RestError> {
    let p = upper_keys(params);
    let (entity, verb) = method.rsplit_once('.').unwrap_or((method, ""));
    let legacy = match entity {
        "crm.deal" => Some(Kind::Deal),
        "crm.lead" => Some(Kind::Lead),
        "crm.contact" => Some(Kind::Contact),
        "crm.company" => Some(Kind::Company),
        _ => None,
    };
    if let Some(kind) = legacy {
        return match verb {
            "add" => {
                let fields = fields_param(&p)?;
                let id = create_record(state, kind, &fields, Origin::Rest, user, now)?;
                Ok(write(json!(id)))
            }
            "update" => {
                let id = id_param(&p)?;
                let fields = fields_param(&p)?;
                if state.crm.record(kind, id).is_none() {
                    return Err(not_found());
                }
                update_record(state, kind, id, &fields, Origin::Rest, user, now)?;
                Ok(write(json!(true)))
            }
            "get" => {
                let id = id_param(&p)?;
                let rec = state.crm.record(kind, id).ok_or_else(not_found)?;
                Ok(read(legacy_view(&state.crm, kind, id, rec)))
            }
            "list" => Ok(legacy_list(&state.crm, kind, &p, start)),
            "delete" => {
                let id = id_param(&p)?;
                delete_record(state, kind, id, now).ok_or_else(not_found)?;
                Ok(write(json!(true)))
            }
            "fields" => Ok(read(fields_view(kind, false))),
            _ => Err(crate::emulator::portal::not_found()),
        };
    }
    match method {
        "crm.item.add" | "crm.item.update" | "crm.item.get" | "crm.item.list"
        | "crm.item.delete" | "crm.item.fields" => {
            let type_id = php_int(p.get("ENTITYTYPEID"));
            let kind = Kind::from_entity_type_id(type_id)
                .ok_or_else(|| RestError::new(400, "NOT_FOUND", "Smart process not found"))?;
            item_call(state, user, kind, verb, &p, start, now)
        }
        "crm.status.list" => Ok(read(status_list(&p))),
        "crm.category.list" => {
            let type_id = php_int(p.get("ENTITYTYPEID"));
            let kind = Kind::from_entity_type_id(type_id)
                .filter(|k| !matches!(k, Kind::Contact | Kind::Company | Kind::Lead))
                .ok_or_else(|| RestError::new(400, "NOT_FOUND", "Smart process not found"))?;
            let cats: Vec<Value> = categories(kind)
                .iter()
                .zip(0..)
                .map(|((id, name), i)| {
                    json!({"id": id, "name": name, "sort": (i + 1) * 100, "entityTypeId": kind.entity_type_id(), "isDefault": if i == 0 { "Y" } else { "N" }})
                })
                .collect();
            let total = cats.len() as u64;
            Ok(Outcome {
                result: json!({"categories": cats}),
                total: Some(total),
                next: None,
                wrote: false,
            })
        }
        "user.get" => Ok(read(user_list(&p))),
        "department.get" => Ok(read(department_list(&p))),
        "tasks.task.list" => {
            let filter = filter_pairs(p.get("FILTER"));
            let rows: Vec<Value> = state
                .crm
                .tasks
                .values()
                .filter(|t| {
                    filter
                        .iter()
                        .all(|(op, k, v)| matches_value(t.get(&camel_key(k)), op, v))
                })
                .map(|t| Value::Object(t.clone()))
                .collect();
            let (page, total, next) = paginate(rows, start);
            Ok(Outcome {
                result: json!({"tasks": page}),
                total: Some(total),
                next,
                wrote: false,
            })
        }
        "tasks.task.complete" => {
            let id = u64::try_from(php_int(p.get("TASKID").or(p.get("ID")))).unwrap_or(0);
            let task = state
                .crm
                .tasks
                .get_mut(&id)
                .ok_or_else(|| RestError::new(400, "ERROR_CORE", "Task not found"))?;
            // Bitrix\Tasks\Internals\Task\Status::COMPLETED
            task.insert("status".into(), json!("5"));
            task.insert("closedDate".into(), json!(iso8601(now)));
            let task = task.clone();
            Ok(write(json!({"task": task})))
        }
        "b24flow.lead.convert" => {
            let id = id_param(&p)?;
            let (contact, deal) = convert_lead(state, id, user, now)?;
            Ok(write(json!({"CONTACT_ID": contact, "DEAL_ID": deal})))
        }
        "tasks.task.get" => {
            let id = u64::try_from(php_int(p.get("TASKID").or(p.get("ID")))).unwrap_or(0);
            let task = state
                .crm
                .tasks
                .get(&id)
                .ok_or_else(|| RestError::new(400, "ERROR_CORE", "Task not found"))?;
            Ok(read(json!({"task": task})))
        }
        "crm.timeline.comment.list" => Ok(simple_list(state.crm.comments.values(), &p, start)),
        "crm.activity.list" => Ok(simple_list(state.crm.activities.values(), &p, start)),
        "crm.deal.contact.items.get" => {
            let id = id_param(&p)?;
            let rec = state.crm.record(Kind::Deal, id).ok_or_else(not_found)?;
            let items: Vec<Value> = rec
                .get("CONTACT_ID")
                .and_then(as_u64)
                .filter(|c| *c > 0)
                .map(|c| json!({"CONTACT_ID": c, "SORT": 10, "ROLE_ID": 0, "IS_PRIMARY": "Y"}))
                .into_iter()
                .collect();
            Ok(read(Value::Array(items)))
        }
        _ => Err(crate::emulator::portal::not_found()),
    }
}

fn id_param(p: &Map<String, Value>) -> Result<u64, RestError> {
    let id = php_int(p.get("ID"));
    u64::try_from(id).ok().filter(|n| *n > 0).ok_or_else(bad_id)
}

fn fields_param(p: &Map<String, Value>) -> Result<Map<String, Value>, RestError> {
    match p.get("FIELDS") {
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(Value::Array(a)) if a.is_empty() => Ok(Map::new()),
        None => Ok(Map::new()),
        // Unconfirmed wording; the platform refuses non-array `fields`.
        _ => Err(RestError::new(
            400,
            "",
            "The parameter 'fields' must be array.",
        )),
    }
}

/// Checks and normalises incoming fields (compatible names): strings for scalars,
/// ISO dates, multifield lists. Unknown and read-only fields are dropped, and so are
/// user fields the portal does not have: crm `CCrmDocumentDeal::UpdateDocument` drops
/// keys missing from `GetDocumentFields` (performTypeCast, "Fix for issue #40374"),
/// `Item::UpdateDocument` skips them, and the user-field manager stores only declared
/// fields; so a workflow's write to a missing marker field is a silent no-op.
fn normalise(
    crm: &Crm,
    kind: Kind,
    incoming: &Map<String, Value>,
) -> Result<Map<String, Value>, RestError> {
    let mut out = Map::new();
    for (key, value) in incoming {
        if key.starts_with("UF_") {
            if crm.has_user_field(kind, key) {
                out.insert(key.clone(), value.clone());
            }
            continue;
        }
        let Some(f) = field(kind, key) else { continue };
        if f.read_only {
            continue;
        }
        let scalar = match value {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            Value::Null => Some(String::new()),
            Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
        };
        let normalised = match f.ty {
            FieldType::Multifield => {
                let items = match value {
                    Value::Array(_) | Value::Object(_) => array_values(value).unwrap_or_default(),
                    _ => return Err(invalid(key)),
                };
                let mut list = Vec::new();
                for item in items {
                    let v = item
                        .get("VALUE")
                        .and_then(php_string)
                        .ok_or_else(|| invalid(key))?;
                    let vt = item
                        .get("VALUE_TYPE")
                        .and_then(php_string)
                        .unwrap_or_else(|| "WORK".into());
                    list.push(json!({"VALUE": v, "VALUE_TYPE": vt}));
                }
                Value::Array(list)
            }
            FieldType::Integer
            | FieldType::User
            | FieldType::Contact
            | FieldType::Company
            | FieldType::Category => {
                let s = scalar.ok_or_else(|| invalid(key))?;
                if s.is_empty() {
                    json!("0")
                } else if s.bytes().all(|b| b.is_ascii_digit()) && s.len() < 12 {
                    let t = s.trim_start_matches('0');
                    json!(if t.is_empty() { "0" } else { t })
                } else {
                    return Err(invalid(key));
                }
            }
            FieldType::Double => {
                let s = scalar.ok_or_else(|| invalid(key))?;
                let n: f64 = if s.is_empty() {
                    0.0
                } else {
                    s.parse().map_err(|_| invalid(key))?
                };
                if !n.is_finite() {
                    return Err(invalid(key));
                }
                json!(format!("{n:.2}"))
            }
            FieldType::Date | FieldType::DateTime => {
                let s = scalar.ok_or_else(|| invalid(key))?;
                if s.is_empty() {
                    Value::Null
                } else {
                    json!(iso8601(dates::parse_iso(&s).ok_or_else(|| invalid(key))?))
                }
            }
            FieldType::Char => {
                let s = scalar.ok_or_else(|| invalid(key))?;
                json!(if s == "Y" { "Y" } else { "N" })
            }
            FieldType::String | FieldType::Status => json!(scalar.ok_or_else(|| invalid(key))?),
        };
        out.insert(key.clone(), normalised);
    }
    Ok(out)
}

/// Sets category and stage consistently: a stage implies its category (the `C<n>:`
/// prefix), a category alone gets its first stage, and a stage of another category
/// than the record's is refused.
fn settle_stage(
    kind: Kind,
    rec: &mut Record,
    incoming: &Map<String, Value>,
    creating: bool,
) -> Result<(), RestError> {
    let Some(sf) = kind.stage_field() else {
        return Ok(());
    };
    let cat_given = incoming
        .get("CATEGORY_ID")
        .and_then(as_u64)
        .map(|c| i64::try_from(c).unwrap_or(-1));
    let stage_given = incoming
        .get(sf)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let current_cat = rec
        .get("CATEGORY_ID")
        .and_then(as_u64)
        .map(|c| i64::try_from(c).unwrap_or(-1));
    let category = if creating {
        match (cat_given, &stage_given) {
            (Some(c), _) => c,
            (None, Some(s)) => stage_category(kind, s).ok_or_else(|| invalid(sf))?,
            (None, None) => kind.default_category(),
        }
    } else {
        // The category of an existing record does not change through update.
        current_cat.unwrap_or(kind.default_category())
    };
    let list = stages(kind, category);
    if list.is_empty() {
        return Err(invalid("CATEGORY_ID"));
    }
    let stage = match stage_given {
        Some(s) if list.iter().any(|st| st.id == s) => s,
        Some(_) => return Err(invalid(sf)),
        None if creating => list[0].id.clone(),
        None => rec
            .get(sf)
            .and_then(Value::as_str)
            .unwrap_or(&list[0].id)
            .to_owned(),
    };
    if matches!(kind, Kind::Deal | Kind::Quote | Kind::SmartInvoice) {
        rec.insert("CATEGORY_ID".into(), json!(category.to_string()));
    }
    if kind == Kind::Deal {
        let closed = list
            .iter()
            .find(|s| s.id == stage)
            .is_some_and(|s| s.semantics != 'P');
        rec.insert("CLOSED".into(), json!(if closed { "Y" } else { "N" }));
    }
    rec.insert(sf.to_owned(), json!(stage));
    Ok(())
}

/// Creates a record and starts its Create templates.
pub(crate) fn create_record(
    state: &mut State,
    kind: Kind,
    incoming: &Map<String, Value>,
    origin: Origin,
    user: u64,
    now: i64,
) -> Result<u64, RestError> {
    let clean = normalise(&state.crm, kind, incoming)?;
    let mut rec: Record = clean.clone();
    settle_stage(kind, &mut rec, &clean, true)?;
    if kind == Kind::Company
        && rec
            .get("TITLE")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    {
        return Err(RestError::new(400, "", "The field \"TITLE\" is required."));
    }
    let id = state.crm.allocate(kind.name());
    let label = match kind {
        Kind::Deal => "Deal",
        Kind::Lead => "Lead",
        Kind::Quote => "Quote",
        Kind::SmartInvoice => "Invoice",
        Kind::Contact | Kind::Company => "",
    };
    if !label.is_empty()
        && rec
            .get("TITLE")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    {
        rec.insert("TITLE".into(), json!(format!("{label} #{id}")));
    }
    rec.insert("ID".into(), json!(id.to_string()));
    rec.entry("ASSIGNED_BY_ID")
        .or_insert_with(|| json!(user.to_string()));
    if rec.get("ASSIGNED_BY_ID").and_then(as_u64) == Some(0) {
        rec.insert("ASSIGNED_BY_ID".into(), json!(user.to_string()));
    }
    rec.insert("CREATED_BY_ID".into(), json!(user.to_string()));
    rec.insert("MODIFY_BY_ID".into(), json!(user.to_string()));
    rec.insert("DATE_CREATE".into(), json!(iso8601(now)));
    rec.insert("DATE_MODIFY".into(), json!(iso8601(now)));
    if field(kind, "OPPORTUNITY").is_some() {
        rec.entry("OPPORTUNITY").or_insert_with(|| json!("0.00"));
        rec.entry("CURRENCY_ID").or_insert_with(|| json!("USD"));
    }
    if kind == Kind::SmartInvoice && rec.get("CLOSEDATE").is_none_or(Value::is_null) {
        // FieldRepository::getCloseDate: "pay before" defaults to a week ahead.
        rec.insert(
            "CLOSEDATE".into(),
            json!(iso8601((now.div_euclid(86_400) + 7) * 86_400)),
        );
    }
    state.crm.records.entry(kind).or_default().insert(id, rec);
    engine::record_event(state, kind, id, Event::Create, None, origin, user, now);
    Ok(id)
}

/// Updates a record and starts its Edit templates with the changed-field list.
pub(crate) fn update_record(
    state: &mut State,
    kind: Kind,
    id: u64,
    incoming: &Map<String, Value>,
    origin: Origin,
    user: u64,
    now: i64,
) -> Result<(), RestError> {
    let clean = normalise(&state.crm, kind, incoming)?;
    let format = state.engine.options.date_format.clone();
    let before = state
        .crm
        .document(kind, id, &format)
        .ok_or_else(not_found)?;
    let mut rec = state.crm.record(kind, id).cloned().ok_or_else(not_found)?;
    let mut merged = clean.clone();
    merged.remove("CATEGORY_ID");
    for (k, v) in merged {
        rec.insert(k, v);
    }
    settle_stage(kind, &mut rec, &clean, false)?;
    rec.insert("MODIFY_BY_ID".into(), json!(user.to_string()));
    rec.insert("DATE_MODIFY".into(), json!(iso8601(now)));
    state.crm.records.entry(kind).or_default().insert(id, rec);
    let after = state.crm.document(kind, id, &format).unwrap_or_default();
    // DocumentFieldComparator: compatible names whose values differ.
    let mut changed: Vec<String> = after
        .iter()
        .filter(|(k, v)| {
            !matches!(k.as_str(), "DATE_MODIFY" | "MODIFY_BY_ID") && before.get(*k) != Some(*v)
        })
        .map(|(k, _)| k.clone())
        .collect();
    changed.extend(before.keys().filter(|k| !after.contains_key(*k)).cloned());
    engine::record_event(
        state,
        kind,
        id,
        Event::Edit,
        Some(changed),
        origin,
        user,
        now,
    );
    Ok(())
}

/// The lead converter (`crm/lib/conversion/leadconverter.php`): a contact and a deal
/// are created from the lead, which moves to `CONVERTED`; its finalisation calls
/// `CCrmBizProcHelper::AutoStartWorkflows(Lead, Edit)` with no changed-field list, so on
/// every ConditionGroup core a `modified` guard is false here. The new records start
/// their create templates as REST-made ones would (unconfirmed for the deal).
fn convert_lead(state: &mut State, id: u64, user: u64, now: i64) -> Result<(u64, u64), RestError> {
    let lead = state
        .crm
        .record(Kind::Lead, id)
        .cloned()
        .ok_or_else(not_found)?;
    let text = |k: &str| lead.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let mut contact = Map::new();
    contact.insert("NAME".into(), json!(text("NAME")));
    contact.insert("LAST_NAME".into(), json!(text("LAST_NAME")));
    for k in ["PHONE", "EMAIL", "IM", "ASSIGNED_BY_ID"] {
        if let Some(v) = lead.get(k) {
            contact.insert(k.into(), v.clone());
        }
    }
    let contact_id = create_record(state, Kind::Contact, &contact, Origin::Rest, user, now)?;
    let mut deal = Map::new();
    deal.insert("TITLE".into(), json!(text("TITLE")));
    deal.insert("LEAD_ID".into(), json!(id.to_string()));
    deal.insert("CONTACT_ID".into(), json!(contact_id.to_string()));
    if let Some(v) = lead.get("ASSIGNED_BY_ID") {
        deal.insert("ASSIGNED_BY_ID".into(), v.clone());
    }
    let deal_id = create_record(state, Kind::Deal, &deal, Origin::Rest, user, now)?;
    let mut rec = lead;
    rec.insert("STATUS_ID".into(), json!("CONVERTED"));
    rec.insert("MODIFY_BY_ID".into(), json!(user.to_string()));
    rec.insert("DATE_MODIFY".into(), json!(iso8601(now)));
    state
        .crm
        .records
        .entry(Kind::Lead)
        .or_default()
        .insert(id, rec);
    engine::record_event(
        state,
        Kind::Lead,
        id,
        Event::Edit,
        None,
        Origin::Rest,
        user,
        now,
    );
    Ok((contact_id, deal_id))
}

fn delete_record(state: &mut State, kind: Kind, id: u64, now: i64) -> Option<()> {
    state.crm.records.get_mut(&kind)?.remove(&id)?;
    engine::record_deleted(state, kind, id, now);
    Some(())
}

fn text_of(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::String(_) => v.clone(),
        Value::Number(n) => json!(n.to_string()),
        Value::Bool(b) => json!(if *b { "Y" } else { "N" }),
        other => other.clone(),
    }
}

fn legacy_view(crm: &Crm, kind: Kind, id: u64, rec: &Record) -> Value {
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
    if let Some(doc) = crm.document(kind, id, "DD.MM.YYYY HH:MI:SS") {
        for k in ["STAGE_SEMANTIC_ID", "STATUS_SEMANTIC_ID"] {
            if let Some(v) = doc.get(k) {
                out.insert(k.into(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// `FILTER` as (operator, field, value): prefixes `=`, `!`, `!=`, `>`, `>=`, `<`, `<=`.
fn filter_pairs(v: Option<&Value>) -> Vec<(String, String, Value)> {
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

fn matches_value(actual: Option<&Value>, op: &str, wanted: &Value) -> bool {
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

fn paginate(rows: Vec<Value>, start: i64) -> (Vec<Value>, u64, Option<u64>) {
    let total = rows.len();
    let offset = usize::try_from(start.max(0)).unwrap_or(usize::MAX);
    let page: Vec<Value> = rows.into_iter().skip(offset).take(PAGE_SIZE).collect();
    let shown = page.len();
    let next = (offset.saturating_add(shown) < total).then(|| (offset + shown) as u64);
    (page, total as u64, next)
}

fn select_of(p: &Map<String, Value>) -> Vec<String> {
    p.get("SELECT")
        .and_then(array_values)
        .unwrap_or_default()
        .into_iter()
        .filter_map(php_string)
        .collect()
}

fn project(row: Value, select: &[String]) -> Value {
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

fn legacy_list(crm: &Crm, kind: Kind, p: &Map<String, Value>, start: i64) -> Outcome {
    let filter = filter_pairs(p.get("FILTER"));
    let select = select_of(p);
    let desc = matches!(p.get("ORDER"), Some(Value::Object(m)) if m.get("ID").and_then(php_string).is_some_and(|d| d.eq_ignore_ascii_case("desc")));
    let mut rows: Vec<Value> = crm
        .records
        .get(&kind)
        .into_iter()
        .flat_map(|m| m.iter())
        .map(|(id, rec)| legacy_view(crm, kind, *id, rec))
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
    Outcome {
        result: Value::Array(page),
        total: Some(total),
        next,
        wrote: false,
    }
}

fn fields_view(kind: Kind, camel: bool) -> Value {
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

const ITEM_NAMES: [(&str, &str); 16] = [
    ("id", "ID"),
    ("title", "TITLE"),
    ("categoryId", "CATEGORY_ID"),
    ("stageId", "STAGE_ID"),
    ("opportunity", "OPPORTUNITY"),
    ("currencyId", "CURRENCY_ID"),
    ("contactId", "CONTACT_ID"),
    ("companyId", "COMPANY_ID"),
    ("begindate", "BEGINDATE"),
    ("closedate", "CLOSEDATE"),
    ("parentId2", "PARENT_ID_2"),
    ("assignedById", "ASSIGNED_BY_ID"),
    ("createdBy", "CREATED_BY_ID"),
    ("updatedBy", "MODIFY_BY_ID"),
    ("createdTime", "DATE_CREATE"),
    ("updatedTime", "DATE_MODIFY"),
];

pub(crate) fn to_camel(upper: &str) -> String {
    ITEM_NAMES
        .iter()
        .find(|(_, u)| *u == upper)
        .map_or_else(|| upper.to_owned(), |(c, _)| (*c).to_owned())
}

pub(crate) fn to_upper(camel: &str) -> Option<&'static str> {
    ITEM_NAMES
        .iter()
        .find(|(c, _)| *c == camel)
        .map(|(_, u)| *u)
}

fn camel_key(k: &str) -> String {
    // tasks.task.list filters use upper-case names for camelCase fields.
    match k {
        "RESPONSIBLE_ID" => "responsibleId".into(),
        "CREATED_BY" => "createdBy".into(),
        "UF_CRM_TASK" => "ufCrmTask".into(),
        "TITLE" => "title".into(),
        "ID" => "id".into(),
        "STATUS" => "status".into(),
        other => other.to_owned(),
    }
}

fn item_view(kind: Kind, rec: &Record) -> Value {
    let mut out = Map::new();
    out.insert("entityTypeId".into(), json!(kind.entity_type_id()));
    for (camel, upper) in ITEM_NAMES {
        let v = rec.get(upper).cloned().unwrap_or(Value::Null);
        let typed = match field(kind, upper).map(|f| f.ty) {
            Some(
                FieldType::Integer
                | FieldType::User
                | FieldType::Contact
                | FieldType::Company
                | FieldType::Category,
            ) => as_u64(&v).map_or(Value::Null, |n| json!(n)),
            Some(FieldType::Double) => v
                .as_str()
                .and_then(|s| s.parse::<f64>().ok())
                .map_or(Value::Null, |n| json!(n)),
            _ => v,
        };
        out.insert(camel.into(), typed);
    }
    Value::Object(out)
}

fn item_call(
    state: &mut State,
    user: u64,
    kind: Kind,
    verb: &str,
    p: &Map<String, Value>,
    start: i64,
    now: i64,
) -> Result<Outcome, RestError> {
    let item_id = || {
        u64::try_from(php_int(p.get("ID")))
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(bad_id)
    };
    let item_fields = || -> Result<Map<String, Value>, RestError> {
        let raw = fields_param(p)?;
        Ok(raw
            .into_iter()
            .filter_map(|(k, v)| to_upper(&k).map(|u| (u.to_owned(), v)))
            .collect())
    };
    match verb {
        "add" => {
            let fields = item_fields()?;
            let id = create_record(state, kind, &fields, Origin::Rest, user, now)?;
            let rec = state.crm.record(kind, id).cloned().unwrap_or_default();
            Ok(write(json!({"item": item_view(kind, &rec)})))
        }
        "update" => {
            let id = item_id()?;
            let fields = item_fields()?;
            if state.crm.record(kind, id).is_none() {
                return Err(item_not_found());
            }
            update_record(state, kind, id, &fields, Origin::Rest, user, now)?;
            let rec = state.crm.record(kind, id).cloned().unwrap_or_default();
            Ok(write(json!({"item": item_view(kind, &rec)})))
        }
        "get" => {
            let id = item_id()?;
            let rec = state.crm.record(kind, id).ok_or_else(item_not_found)?;
            Ok(read(json!({"item": item_view(kind, rec)})))
        }
        "list" => {
            let filter = filter_pairs(p.get("FILTER"));
            let rows: Vec<Value> = state
                .crm
                .records
                .get(&kind)
                .into_iter()
                .flat_map(|m| m.values())
                .map(|rec| item_view(kind, rec))
                .filter(|row| {
                    filter
                        .iter()
                        .all(|(op, k, v)| matches_value(row.get(k), op, v))
                })
                .collect();
            let (page, total, next) = paginate(rows, start);
            Ok(Outcome {
                result: json!({"items": page}),
                total: Some(total),
                next,
                wrote: false,
            })
        }
        "delete" => {
            let id = item_id()?;
            delete_record(state, kind, id, now).ok_or_else(item_not_found)?;
            Ok(write(json!([])))
        }
        "fields" => Ok(read(json!({"fields": fields_view(kind, true)}))),
        _ => Err(crate::emulator::portal::not_found()),
    }
}

fn status_list(p: &Map<String, Value>) -> Value {
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

fn user_list(p: &Map<String, Value>) -> Value {
    let mut filter = filter_pairs(p.get("FILTER"));
    if let Some(id) = p.get("ID") {
        filter.push(("=".into(), "ID".into(), id.clone()));
    }
    let rows: Vec<Value> = super::USERS
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

fn department_list(p: &Map<String, Value>) -> Value {
    let want = p.get("ID").and_then(php_string);
    let rows: Vec<Value> = super::DEPARTMENTS
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

fn simple_list<'a>(
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
    Outcome {
        result: Value::Array(page),
        total: Some(total),
        next,
        wrote: false,
    }
}
