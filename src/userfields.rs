//! Making sure a portal has the user fields the templates need
//! ([`crate::resolve::RequiredField`], e.g. a transition's marker), over the REST
//! client. A template whose marker field is missing still imports, but its
//! `SetFieldActivity` is a silent no-op (crm `CCrmDocumentDeal::UpdateDocument` drops
//! unknown keys), so `apply` must create the fields before the templates and `plan`
//! must show the ones missing.
//!
//! Invariants: a field is looked up by its exact name before it is added, and the add is
//! sent as non-idempotent (never re-sent blindly); reply shapes are the documented ones:
//! `crm.<entity>.userfield.list` returns a list of rows with `FIELD_NAME`,
//! `userfieldconfig.list` returns `{fields: [{fieldName, ...}]}`; `crm.<entity>.userfield
//! .add` returns the new id, `userfieldconfig.add` returns `{field: {id, ...}}`.

use serde_json::Value;

use crate::bitrix::{Client, Error, Idempotency, Method};
use crate::resolve::RequiredField;

/// What [`ensure`] did for one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ensured {
    /// The portal already had it.
    Present,
    /// It was created; the portal's id for it, when the reply carried one.
    Created(Option<u64>),
}

/// Whether the portal has `field`.
pub async fn exists(client: &Client, field: &RequiredField) -> Result<bool, Error> {
    exists_by(
        client,
        field.list_method,
        &field.list_params,
        &field.field_name,
    )
    .await
}

/// Whether the portal has the field `name`, found with `list_method(list_params)`.
pub async fn exists_by(
    client: &Client,
    list_method: Method,
    list_params: &Value,
    name: &str,
) -> Result<bool, Error> {
    let reply = client.call(list_method, list_params.clone()).await?;
    Ok(listed(&reply.result, name))
}

/// Creates `field` unless the portal has it.
pub async fn ensure(client: &Client, field: &RequiredField) -> Result<Ensured, Error> {
    ensure_by(
        client,
        Spec {
            name: &field.field_name,
            add_method: field.add_method,
            add_params: &field.add_params,
            list_method: field.list_method,
            list_params: &field.list_params,
        },
    )
    .await
}

/// A field to ensure, by its REST calls (what a saved plan keeps).
#[derive(Debug, Clone, Copy)]
pub struct Spec<'a> {
    pub name: &'a str,
    pub add_method: Method,
    pub add_params: &'a Value,
    pub list_method: Method,
    pub list_params: &'a Value,
}

/// Creates the field `spec` describes unless the portal has it.
pub async fn ensure_by(client: &Client, spec: Spec<'_>) -> Result<Ensured, Error> {
    if exists_by(client, spec.list_method, spec.list_params, spec.name).await? {
        return Ok(Ensured::Present);
    }
    let reply = client
        .call_with(
            spec.add_method,
            spec.add_params.clone(),
            Idempotency::Unsafe,
        )
        .await?;
    Ok(Ensured::Created(created_id(&reply.result)))
}

/// Whether a list reply names `field_name` (either shape; the filter may be ignored by
/// older portals, so the name is checked here too).
pub fn listed(result: &Value, field_name: &str) -> bool {
    let rows = match result {
        Value::Array(rows) => rows.as_slice(),
        Value::Object(map) => map
            .get("fields")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice),
        _ => &[],
    };
    rows.iter().any(|row| name_of(row) == Some(field_name))
}

/// The field name of one listed row, in either shape (`FIELD_NAME` or `fieldName`).
pub fn name_of(row: &Value) -> Option<&str> {
    ["FIELD_NAME", "fieldName"]
        .iter()
        .find_map(|k| row.get(k).and_then(Value::as_str))
}

/// The id in an add reply: a number or numeric string, or `{field: {id}}`.
pub fn created_id(result: &Value) -> Option<u64> {
    let id = match result {
        Value::Object(map) => map.get("field").and_then(|f| f.get("id"))?,
        other => other,
    };
    match id {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn list_replies_of_both_shapes() {
        let crm = json!([{"ID": "41", "FIELD_NAME": "UF_CRM_B24F_ABCDEFGH"}]);
        assert!(listed(&crm, "UF_CRM_B24F_ABCDEFGH"));
        assert!(!listed(&crm, "UF_CRM_B24F_OTHER000"));
        let config = json!({"fields": [{"id": "7", "fieldName": "UF_CRM_SMART_INVOICE_B24F_X"}]});
        assert!(listed(&config, "UF_CRM_SMART_INVOICE_B24F_X"));
        assert!(!listed(&json!([]), "UF_CRM_B24F_ABCDEFGH"));
        assert!(!listed(&json!(null), "UF_CRM_B24F_ABCDEFGH"));
    }

    #[test]
    fn add_replies_of_both_shapes() {
        assert_eq!(created_id(&json!(41)), Some(41));
        assert_eq!(created_id(&json!("41")), Some(41));
        assert_eq!(created_id(&json!({"field": {"id": "7"}})), Some(7));
        assert_eq!(created_id(&json!(true)), None);
    }
}
