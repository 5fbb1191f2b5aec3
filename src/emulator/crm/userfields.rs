//! User fields on CRM records: the REST methods that create and list them, and the
//! registry the records consult (a record carries a `UF_*` value only for a field that
//! exists, as the platform's `USER_FIELD_MANAGER` stores only declared fields).
//!
//! Two families, with their documented shapes (REST docs `api-reference/crm/universal/
//! user-defined-fields/`, `api-reference/crm/universal/userfieldconfig/`):
//! - `crm.<deal|lead|contact|company|quote>.userfield.add` takes `fields.FIELD_NAME`
//!   *without* the `UF_CRM_` prefix (the prefix is added; a name already carrying it is
//!   kept) and returns the new id; `.list` returns a plain array of upper-case rows
//!   (`ID`, `ENTITY_ID`, `FIELD_NAME`, `USER_TYPE_ID`, ...), filtered by `filter`.
//! - `userfieldconfig.add` (smart invoices: `entityId` `CRM_SMART_INVOICE`) takes the
//!   full `field.fieldName` and returns `{field: {id, entityId, fieldName, ...}}`;
//!   `userfieldconfig.list` returns `{fields: [...]}` in camelCase.
//!
//! Invariants: names are `A-Z0-9_` and unique per entity (main `CUserTypeEntity::
//! CheckFields` refuses a duplicate); ids are shared by every entity and never reused.

use serde_json::{Map, Value, json};

use super::{Crm, Kind};
use crate::emulator::params::{php_string, upper_keys};
use crate::emulator::portal::{Outcome, RestError};

/// The methods this module answers.
pub(crate) const METHODS: [&str; 12] = [
    "crm.deal.userfield.add",
    "crm.deal.userfield.list",
    "crm.lead.userfield.add",
    "crm.lead.userfield.list",
    "crm.contact.userfield.add",
    "crm.contact.userfield.list",
    "crm.company.userfield.add",
    "crm.company.userfield.list",
    "crm.quote.userfield.add",
    "crm.quote.userfield.list",
    "userfieldconfig.add",
    "userfieldconfig.list",
];

/// The user-field entity id of a kind (`CCrmOwnerType::ResolveUserFieldEntityID`;
/// smart invoices: `Factory\SmartInvoice::USER_FIELD_ENTITY_ID`).
pub(crate) fn entity_id(kind: Kind) -> &'static str {
    match kind {
        Kind::Lead => "CRM_LEAD",
        Kind::Deal => "CRM_DEAL",
        Kind::Contact => "CRM_CONTACT",
        Kind::Company => "CRM_COMPANY",
        Kind::Quote => "CRM_QUOTE",
        Kind::SmartInvoice => "CRM_SMART_INVOICE",
    }
}

fn kind_of_entity_id(wanted: &str) -> Option<Kind> {
    Kind::ALL.into_iter().find(|k| entity_id(*k) == wanted)
}

impl Crm {
    /// Whether `kind` has a user field named `name`.
    pub fn has_user_field(&self, kind: Kind, name: &str) -> bool {
        self.user_fields.get(&kind).is_some_and(|rows| {
            rows.iter()
                .any(|r| r.get("FIELD_NAME").and_then(Value::as_str) == Some(name))
        })
    }

    /// Declares a user field; refuses a duplicate name. Returns its id.
    fn add_user_field(
        &mut self,
        kind: Kind,
        name: &str,
        type_id: &str,
        extra: &Map<String, Value>,
    ) -> Result<u64, RestError> {
        let valid = name.len() <= 50
            && name.starts_with("UF_")
            && name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            // main CUserTypeEntity::CheckFields: USER_TYPE_ENTITY_FIELD_NAME_INVALID.
            return Err(RestError::new(400, "ERROR_CORE", "Invalid field code."));
        }
        if self.has_user_field(kind, name) {
            return Err(RestError::new(
                400,
                "ERROR_CORE",
                &format!("A field with the code {name} already exists."),
            ));
        }
        if type_id.is_empty() {
            return Err(RestError::new(
                400,
                "ERROR_CORE",
                "The user field type is not specified.",
            ));
        }
        let id = self.allocate("user_field");
        let mut row = Map::new();
        row.insert("ID".into(), json!(id.to_string()));
        row.insert("ENTITY_ID".into(), json!(entity_id(kind)));
        row.insert("FIELD_NAME".into(), json!(name));
        row.insert("USER_TYPE_ID".into(), json!(type_id));
        for (key, default) in [
            ("XML_ID", ""),
            ("SORT", "100"),
            ("MULTIPLE", "N"),
            ("MANDATORY", "N"),
            ("SHOW_FILTER", "N"),
            ("SHOW_IN_LIST", "Y"),
            ("EDIT_IN_LIST", "Y"),
            ("IS_SEARCHABLE", "N"),
        ] {
            let v = extra
                .get(key)
                .and_then(php_string)
                .unwrap_or_else(|| default.to_owned());
            row.insert(key.into(), json!(v));
        }
        for key in ["EDIT_FORM_LABEL", "LIST_COLUMN_LABEL"] {
            if let Some(v) = extra.get(key) {
                row.insert(key.into(), v.clone());
            }
        }
        self.user_fields.entry(kind).or_default().push(row);
        Ok(id)
    }
}

/// Whether a row matches a filter given as `{KEY: value}` (exact, case-sensitive
/// values; keys compared upper-case). Unknown keys match nothing.
fn row_matches(row: &Map<String, Value>, filter: &Map<String, Value>, camel: bool) -> bool {
    filter.iter().all(|(k, wanted)| {
        let key = if camel { upper_of(k) } else { k.to_uppercase() };
        let wanted = php_string(wanted).unwrap_or_default();
        row.get(&key)
            .and_then(php_string)
            .is_some_and(|v| v == wanted)
    })
}

/// `fieldName` -> `FIELD_NAME`.
fn upper_of(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// `FIELD_NAME` -> `fieldName`.
fn camel_of(upper: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in upper.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn camel_row(row: &Map<String, Value>) -> Value {
    Value::Object(row.iter().map(|(k, v)| (camel_of(k), v.clone())).collect())
}

/// Runs one user-field method.
pub(crate) fn call(
    crm: &mut Crm,
    method: &str,
    params: &Map<String, Value>,
) -> Result<Outcome, RestError> {
    let p = upper_keys(params);
    if let Some(entity) = method
        .strip_prefix("crm.")
        .and_then(|m| m.split_once('.'))
        .map(|(e, _)| e)
    {
        let kind = match entity {
            "deal" => Kind::Deal,
            "lead" => Kind::Lead,
            "contact" => Kind::Contact,
            "company" => Kind::Company,
            "quote" => Kind::Quote,
            _ => return Err(crate::emulator::portal::not_found()),
        };
        if method
            .rsplit_once('.')
            .is_some_and(|(_, verb)| verb == "add")
        {
            let fields = match p.get("FIELDS") {
                Some(Value::Object(m)) => upper_keys(m),
                _ => {
                    return Err(RestError::new(
                        400,
                        "",
                        "The parameter 'fields' must be array.",
                    ));
                }
            };
            let given = fields
                .get("FIELD_NAME")
                .and_then(php_string)
                .unwrap_or_default();
            if given.is_empty() {
                return Err(RestError::new(
                    400,
                    "ERROR_CORE",
                    "The field code is not specified.",
                ));
            }
            // CCrmUserFieldRestProxy: the UF_CRM_ prefix is added to a bare name.
            let name = if given.starts_with("UF_CRM_") {
                given
            } else {
                format!("UF_CRM_{given}")
            };
            let type_id = fields
                .get("USER_TYPE_ID")
                .and_then(php_string)
                .unwrap_or_default();
            let id = crm.add_user_field(kind, &name, &type_id, &fields)?;
            return Ok(Outcome::write(json!(id)));
        }
        let filter = match p.get("FILTER") {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let rows: Vec<Value> = crm
            .user_fields
            .get(&kind)
            .into_iter()
            .flatten()
            .filter(|r| row_matches(r, &filter, false))
            .map(|r| Value::Object(r.clone()))
            .collect();
        let total = rows.len() as u64;
        return Ok(Outcome::list(Value::Array(rows), total, None));
    }
    let module = p.get("MODULEID").and_then(php_string).unwrap_or_default();
    if module != "crm" {
        return Err(RestError::new(
            400,
            "ERROR_MODULE_ID",
            "Module is not specified or not supported",
        ));
    }
    match method {
        "userfieldconfig.add" => {
            let field = match p.get("FIELD") {
                Some(Value::Object(m)) => m.clone(),
                _ => {
                    return Err(RestError::new(
                        400,
                        "ERROR_CORE",
                        "The parameter 'field' must be array.",
                    ));
                }
            };
            let text = |k: &str| field.get(k).and_then(php_string).unwrap_or_default();
            let kind = kind_of_entity_id(&text("entityId"))
                .ok_or_else(|| RestError::new(400, "ACCESS_DENIED", "Access denied"))?;
            let extra: Map<String, Value> = field
                .iter()
                .map(|(k, v)| (upper_of(k), v.clone()))
                .collect();
            let id = crm.add_user_field(kind, &text("fieldName"), &text("userTypeId"), &extra)?;
            let row = crm.user_fields[&kind]
                .iter()
                .find(|r| r.get("ID") == Some(&json!(id.to_string())))
                .cloned()
                .unwrap_or_default();
            Ok(Outcome::write(json!({"field": camel_row(&row)})))
        }
        "userfieldconfig.list" => {
            let filter = match p.get("FILTER") {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            };
            let rows: Vec<Value> = crm
                .user_fields
                .values()
                .flatten()
                .filter(|r| row_matches(r, &filter, true))
                .map(camel_row)
                .collect();
            let total = rows.len() as u64;
            Ok(Outcome::list(json!({"fields": rows}), total, None))
        }
        _ => Err(crate::emulator::portal::not_found()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn params(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            other => panic!("parameters are an object: {other}"),
        }
    }

    #[test]
    fn crm_fields_take_the_name_without_prefix_and_list_as_rows() {
        let mut crm = Crm::default();
        let added = call(
            &mut crm,
            "crm.deal.userfield.add",
            &params(json!({"fields": {"FIELD_NAME": "B24F_ABC", "USER_TYPE_ID": "string"}})),
        )
        .unwrap();
        assert_eq!(added.result, json!(1));
        assert!(crm.has_user_field(Kind::Deal, "UF_CRM_B24F_ABC"));
        assert!(!crm.has_user_field(Kind::Lead, "UF_CRM_B24F_ABC"));
        let again = call(
            &mut crm,
            "crm.deal.userfield.add",
            &params(json!({"fields": {"FIELD_NAME": "UF_CRM_B24F_ABC", "USER_TYPE_ID": "string"}})),
        );
        assert!(again.is_err(), "a duplicate is refused");
        let bad = call(
            &mut crm,
            "crm.deal.userfield.add",
            &params(json!({"fields": {"FIELD_NAME": "bad name", "USER_TYPE_ID": "string"}})),
        );
        assert!(bad.is_err());
        let listed = call(
            &mut crm,
            "crm.deal.userfield.list",
            &params(json!({"filter": {"FIELD_NAME": "UF_CRM_B24F_ABC"}})),
        )
        .unwrap();
        assert_eq!(listed.result[0]["ENTITY_ID"], "CRM_DEAL");
        assert_eq!(listed.result[0]["USER_TYPE_ID"], "string");
        let none = call(
            &mut crm,
            "crm.deal.userfield.list",
            &params(json!({"filter": {"FIELD_NAME": "UF_CRM_OTHER"}})),
        )
        .unwrap();
        assert_eq!(none.result, json!([]));
    }

    #[test]
    fn smart_invoice_fields_go_through_userfieldconfig() {
        let mut crm = Crm::default();
        let added = call(
            &mut crm,
            "userfieldconfig.add",
            &params(json!({"moduleId": "crm", "field": {"entityId": "CRM_SMART_INVOICE", "fieldName": "UF_CRM_SMART_INVOICE_B24F_X", "userTypeId": "string"}})),
        )
        .unwrap();
        assert_eq!(added.result["field"]["id"], "1");
        assert_eq!(
            added.result["field"]["fieldName"],
            "UF_CRM_SMART_INVOICE_B24F_X"
        );
        assert!(crm.has_user_field(Kind::SmartInvoice, "UF_CRM_SMART_INVOICE_B24F_X"));
        let listed = call(
            &mut crm,
            "userfieldconfig.list",
            &params(json!({"moduleId": "crm", "filter": {"entityId": "CRM_SMART_INVOICE", "fieldName": "UF_CRM_SMART_INVOICE_B24F_X"}})),
        )
        .unwrap();
        assert_eq!(listed.result["fields"][0]["entityId"], "CRM_SMART_INVOICE");
        assert!(crate::userfields::listed(
            &listed.result,
            "UF_CRM_SMART_INVOICE_B24F_X"
        ));
        assert!(
            call(
                &mut crm,
                "userfieldconfig.list",
                &params(json!({"moduleId": "tasks"}))
            )
            .is_err()
        );
    }
}
