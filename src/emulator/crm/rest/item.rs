//! `crm.item.*`: records as `{"item": …}` / `{"items": […]}` with camelCase names and typed
//! values, and the name mapping between the two spellings.

use super::legacy::{fields_view, filter_pairs, matches_value, paginate};
use super::write::{create_record, delete_record, update_record};
use super::{bad_id, fields_param, item_not_found};
use crate::emulator::crm::{FieldType, Kind, Record, as_u64, field};
use crate::emulator::engine::Origin;
use crate::emulator::params::php_int;
use crate::emulator::portal::{Outcome, RestError};
use crate::emulator::store::State;
use serde_json::{Map, Value, json};

pub(super) const ITEM_NAMES: [(&str, &str); 16] = [
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

pub(super) fn camel_key(k: &str) -> String {
    // tasks.task.list filters use upper-case names for camelCase fields.
    match k {
        "RESPONSIBLE_ID" => "responsibleId".into(),
        "CREATED_BY" => "createdBy".into(),
        "UF_CRM_TASK" => "ufCrmTask".into(),
        "TITLE" => "title".into(),
        "ID" => "id".into(),
        "STATUS" => "status".into(),
        "XML_ID" => "xmlId".into(),
        other => other.to_owned(),
    }
}

pub(super) fn item_view(kind: Kind, rec: &Record) -> Value {
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

pub(super) fn item_call(
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
            Ok(Outcome::write(json!({"item": item_view(kind, &rec)})))
        }
        "update" => {
            let id = item_id()?;
            let fields = item_fields()?;
            if state.crm.record(kind, id).is_none() {
                return Err(item_not_found());
            }
            update_record(state, kind, id, &fields, Origin::Rest, user, now)?;
            let rec = state.crm.record(kind, id).cloned().unwrap_or_default();
            Ok(Outcome::write(json!({"item": item_view(kind, &rec)})))
        }
        "get" => {
            let id = item_id()?;
            let rec = state.crm.record(kind, id).ok_or_else(item_not_found)?;
            Ok(Outcome::read(json!({"item": item_view(kind, rec)})))
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
            Ok(Outcome::list(json!({"items": page}), total, next))
        }
        "delete" => {
            let id = item_id()?;
            delete_record(state, kind, id, now).ok_or_else(item_not_found)?;
            Ok(Outcome::write(json!([])))
        }
        "fields" => Ok(Outcome::read(json!({"fields": fields_view(kind, true)}))),
        _ => Err(crate::emulator::portal::not_found()),
    }
}
