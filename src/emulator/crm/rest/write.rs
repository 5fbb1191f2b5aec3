//! The writes every path shares: `create_record`, `update_record`, the lead converter and
//! delete. They check and normalise the incoming fields the way the crm's `CCrm*` classes
//! do and fire the business-process events; REST, workflows and the converter all come
//! through here, each with its `Origin`.

use super::{invalid, not_found};
use crate::emulator::crm::{Crm, FieldType, Kind, Record, StageBook, as_u64, field};
use crate::emulator::dates;
use crate::emulator::engine::Origin;
use crate::emulator::engine::{self, Event};
use crate::emulator::params::{array_values, php_string};
use crate::emulator::portal::{RestError, iso8601};
use crate::emulator::store::State;
use serde_json::{Map, Value, json};

/// Checks and normalises incoming fields (compatible names): strings for scalars,
/// ISO dates, multifield lists. Unknown and read-only fields are dropped, and so are
/// user fields the portal does not have: crm `CCrmDocumentDeal::UpdateDocument` drops
/// keys missing from `GetDocumentFields` (performTypeCast, "Fix for issue #40374"),
/// `Item::UpdateDocument` skips them, and the user-field manager stores only declared
/// fields; so a workflow's write to a missing marker field is a silent no-op.
pub(super) fn normalise(
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
pub(super) fn settle_stage(
    book: StageBook<'_>,
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
            (None, Some(s)) => book.category_of(kind, s).ok_or_else(|| invalid(sf))?,
            (None, None) => kind.default_category(),
        }
    } else {
        // The category of an existing record does not change through update.
        current_cat.unwrap_or(kind.default_category())
    };
    let list = book.list(kind, category);
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
    settle_stage(
        StageBook(state.directory.as_ref()),
        kind,
        &mut rec,
        &clean,
        true,
    )?;
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
        .document(kind, id, &format, StageBook(state.directory.as_ref()))
        .ok_or_else(not_found)?;
    let mut rec = state.crm.record(kind, id).cloned().ok_or_else(not_found)?;
    let mut merged = clean.clone();
    merged.remove("CATEGORY_ID");
    for (k, v) in merged {
        rec.insert(k, v);
    }
    settle_stage(
        StageBook(state.directory.as_ref()),
        kind,
        &mut rec,
        &clean,
        false,
    )?;
    rec.insert("MODIFY_BY_ID".into(), json!(user.to_string()));
    rec.insert("DATE_MODIFY".into(), json!(iso8601(now)));
    state.crm.records.entry(kind).or_default().insert(id, rec);
    let after = state
        .crm
        .document(kind, id, &format, StageBook(state.directory.as_ref()))
        .unwrap_or_default();
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
pub(super) fn convert_lead(
    state: &mut State,
    id: u64,
    user: u64,
    now: i64,
) -> Result<(u64, u64), RestError> {
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

pub(super) fn delete_record(state: &mut State, kind: Kind, id: u64, now: i64) -> Option<()> {
    state.crm.records.get_mut(&kind)?.remove(&id)?;
    engine::record_deleted(state, kind, id, now);
    Some(())
}
