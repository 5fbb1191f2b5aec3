//! The CRM's REST methods and the two writes every path shares ([`create_record`],
//! [`update_record`]), which fire the business-process events.
//!
//! Reply shapes follow the REST docs: the legacy `crm.deal.*`-style methods return
//! upper-case fields with every scalar as a string, `add` the new id, `update` and
//! `delete` `true`; `crm.item.*` wraps records as `{"item": …}` / `{"items": […]}` with
//! camelCase names and typed values. Errors: a missing or non-positive id is
//! `ID is not defined or invalid.`, an unknown one `Not found` (legacy) or
//! `NOT_FOUND` (items), both HTTP 400. Unknown fields are dropped, as the platform does.
//!
//! This file holds the method table and the dispatch; the writes live in `write`, the
//! legacy views and list rules in `legacy`, `crm.item.*` in `item`, and the reference
//! lists (statuses, users, departments) in `directory`.

mod directory;
mod item;
mod legacy;
mod write;

use directory::{department_list, simple_list, status_list, user_list};
use item::{camel_key, item_call};
pub(crate) use item::{to_camel, to_upper};
use legacy::{fields_view, filter_pairs, legacy_list, legacy_view, matches_value, paginate};
use write::{convert_lead, delete_record};
pub(crate) use write::{create_record, update_record};

use serde_json::{Map, Value, json};

use super::{Kind, StageBook, as_u64, categories};
use crate::emulator::params::{php_int, upper_keys};
use crate::emulator::portal::{Outcome, Request, RestError, iso8601};
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

/// Runs one CRM method. `now` is the virtual clock.
pub(crate) fn call(state: &mut State, req: Request<'_>, now: i64) -> Result<Outcome, RestError> {
    let (user, method, start) = (req.caller.user_id, req.method, req.start);
    let p = upper_keys(req.params);
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
                Ok(Outcome::write(json!(id)))
            }
            "update" => {
                let id = id_param(&p)?;
                let fields = fields_param(&p)?;
                if state.crm.record(kind, id).is_none() {
                    return Err(not_found());
                }
                update_record(state, kind, id, &fields, Origin::Rest, user, now)?;
                Ok(Outcome::write(json!(true)))
            }
            "get" => {
                let id = id_param(&p)?;
                let rec = state.crm.record(kind, id).ok_or_else(not_found)?;
                Ok(Outcome::read(legacy_view(
                    &state.crm,
                    StageBook(state.directory.as_ref()),
                    kind,
                    id,
                    rec,
                )))
            }
            "list" => Ok(legacy_list(
                &state.crm,
                StageBook(state.directory.as_ref()),
                kind,
                &p,
                start,
            )),
            "delete" => {
                let id = id_param(&p)?;
                delete_record(state, kind, id, now).ok_or_else(not_found)?;
                Ok(Outcome::write(json!(true)))
            }
            "fields" => Ok(Outcome::read(fields_view(kind, false))),
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
        "crm.status.list" => Ok(Outcome::read(status_list(&p))),
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
            Ok(Outcome::list(json!({"categories": cats}), total, None))
        }
        "user.get" => Ok(Outcome::read(user_list(&p))),
        "department.get" => Ok(Outcome::read(department_list(&p))),
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
            Ok(Outcome::list(json!({"tasks": page}), total, next))
        }
        "tasks.task.complete" => {
            let task = state
                .crm
                .tasks
                .get_mut(&task_id(&p))
                .ok_or_else(task_not_found)?;
            // Bitrix\Tasks\Internals\Task\Status::COMPLETED
            task.insert("status".into(), json!("5"));
            task.insert("closedDate".into(), json!(iso8601(now)));
            let task = task.clone();
            Ok(Outcome::write(json!({"task": task})))
        }
        "b24flow.lead.convert" => {
            let id = id_param(&p)?;
            let (contact, deal) = convert_lead(state, id, user, now)?;
            Ok(Outcome::write(
                json!({"CONTACT_ID": contact, "DEAL_ID": deal}),
            ))
        }
        "tasks.task.get" => {
            let task = state
                .crm
                .tasks
                .get(&task_id(&p))
                .ok_or_else(task_not_found)?;
            Ok(Outcome::read(json!({"task": task})))
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
            Ok(Outcome::read(Value::Array(items)))
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

/// The task a `tasks.task.*` call names: `taskId` (the documented key) or `id`; 0, which
/// no task has, when neither is a positive number.
fn task_id(p: &Map<String, Value>) -> u64 {
    u64::try_from(php_int(p.get("TASKID").or(p.get("ID")))).unwrap_or(0)
}

fn task_not_found() -> RestError {
    RestError::new(400, "ERROR_CORE", "Task not found")
}
