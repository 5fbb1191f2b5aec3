//! The user fields a workflow's template needs on the portal: what each is called, and
//! the REST call that creates it. Pure data: `apply` (or [`crate::userfields`]) makes
//! the calls, `plan` shows them.
//!
//! Today the only one is the transition marker: a `string` user field on the record,
//! one per workflow, that the template sets when the record enters the trigger's state
//! and clears when it leaves (see [`super::Transition`]).
//!
//! Invariants: the name depends only on the workflow id and the entity, so it is stable
//! across builds; it fits the platform's limits (below); it uses only `A-Z0-9_`.

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::bitrix::Method;
use crate::catalog::Entity;

/// What a workflow's own fields start with after the entity's prefix.
const OWN_PREFIX: &str = "B24F_";

/// One user field a workflow needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequiredField {
    /// The record type it is added to.
    pub entity: Entity,
    /// The full field name as templates use it, e.g. `UF_CRM_B24F_K3ZP0QXA`.
    pub field_name: String,
    /// What the portal's forms show.
    pub label: String,
    /// The user field type (`USER_TYPE_ID`).
    pub user_type_id: &'static str,
    /// The REST method that creates it, e.g. `crm.deal.userfield.add`.
    pub add_method: Method,
    /// Its parameters, in the documented shape.
    pub add_params: Value,
    /// The REST method that finds it by name (`plan` checks it exists).
    pub list_method: Method,
    /// Its parameters: a filter on the field name.
    pub list_params: Value,
}

impl RequiredField {
    /// The transition marker of workflow `workflow_id` (named `name`) on `entity`.
    ///
    /// Name limits: `crm.<entity>.userfield.add` takes `FIELD_NAME` without the
    /// `UF_CRM_` prefix and documents a 20-character limit for the whole name, i.e. 13
    /// after the prefix (REST docs `crm-deal-userfield-add.md`); `B24F_` + 8 characters
    /// is exactly 13. Smart invoices take `userfieldconfig.add` with entity
    /// `CRM_SMART_INVOICE` and the full name (`UF_CRM_SMART_INVOICE_...`, at most 50
    /// characters: main `CUserTypeEntity::CheckFields`; REST docs
    /// `userfieldconfig-add.md`, `entity-id.md`). That the crm module insists on that
    /// exact prefix for smart invoices is unconfirmed; real portals' fields use it.
    pub fn marker(entity: Entity, workflow_id: &str, name: &str) -> RequiredField {
        let suffix = format!("{OWN_PREFIX}{}", short_hash(workflow_id));
        let label = format!("b24flow: {name} (do not edit)");
        let xml_id = format!("b24flow:{workflow_id}");
        if entity == Entity::Invoice {
            let field_name = format!("UF_CRM_SMART_INVOICE_{suffix}");
            RequiredField {
                entity,
                add_method: Method::UserFieldConfigAdd,
                add_params: json!({
                    "moduleId": "crm",
                    "field": {
                        "entityId": "CRM_SMART_INVOICE",
                        "fieldName": field_name,
                        "userTypeId": "string",
                        "xmlId": xml_id,
                        "multiple": "N",
                        "mandatory": "N",
                        "showFilter": "N",
                        "showInList": "N",
                        "editInList": "N",
                        "editFormLabel": {"en": label},
                        "listColumnLabel": {"en": label},
                    }
                }),
                list_method: Method::UserFieldConfigList,
                list_params: json!({
                    "moduleId": "crm",
                    "filter": {"entityId": "CRM_SMART_INVOICE", "fieldName": field_name},
                }),
                field_name,
                label,
                user_type_id: "string",
            }
        } else {
            let field_name = format!("UF_CRM_{suffix}");
            let (add_method, list_method) = crm_methods(entity);
            RequiredField {
                entity,
                add_method,
                add_params: json!({
                    "fields": {
                        "FIELD_NAME": suffix,
                        "USER_TYPE_ID": "string",
                        "XML_ID": xml_id,
                        "EDIT_FORM_LABEL": label,
                        "LIST_COLUMN_LABEL": label,
                        "MULTIPLE": "N",
                        "MANDATORY": "N",
                        "SHOW_FILTER": "N",
                    }
                }),
                list_method,
                list_params: json!({"filter": {"FIELD_NAME": field_name}}),
                field_name,
                label,
                user_type_id: "string",
            }
        }
    }
}

/// `crm.<entity>.userfield.add` / `.list` (REST docs
/// `api-reference/crm/universal/user-defined-fields/index.md`).
fn crm_methods(entity: Entity) -> (Method, Method) {
    match entity {
        Entity::Lead => (Method::LeadUserFieldAdd, Method::LeadUserFieldList),
        Entity::Contact => (Method::ContactUserFieldAdd, Method::ContactUserFieldList),
        Entity::Company => (Method::CompanyUserFieldAdd, Method::CompanyUserFieldList),
        Entity::Quote => (Method::QuoteUserFieldAdd, Method::QuoteUserFieldList),
        // Tasks never resolve; invoices are handled by the caller.
        Entity::Deal | Entity::Invoice | Entity::Task => {
            (Method::DealUserFieldAdd, Method::DealUserFieldList)
        }
    }
}

/// Eight characters of `A-Z0-9` from SHA-256 of `id`: 40 bits, so two workflows of one
/// project collide with negligible probability.
fn short_hash(id: &str) -> String {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let digest = Sha256::digest(id.as_bytes());
    let mut n = digest[..5]
        .iter()
        .fold(0_u64, |acc, b| (acc << 8) | u64::from(*b));
    let mut out = [b'0'; 8];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[usize::try_from(n % 36).expect("below 36")];
        n /= 36;
    }
    String::from_utf8(out.to_vec()).expect("ASCII digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Platform rule: `crm.deal.userfield.add` documents "system limit on the field name:
    /// 20 characters; UF_CRM_ is always added, so the real length is 13" (REST docs
    /// `api-reference/crm/deals/user-defined-fields/crm-deal-userfield-add.md`), and
    /// field names are `A-Z0-9_`.
    #[test]
    fn crm_marker_names_fit_the_twenty_character_limit() {
        for id in ["deal-won", "a/very/long/path/to/some/workflow-name", "x"] {
            for entity in [
                Entity::Deal,
                Entity::Lead,
                Entity::Contact,
                Entity::Company,
                Entity::Quote,
            ] {
                let f = RequiredField::marker(entity, id, "W");
                assert_eq!(f.field_name.len(), 20, "{}", f.field_name);
                assert!(f.field_name.starts_with("UF_CRM_B24F_"));
                assert!(
                    f.field_name
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                );
                let short = f.add_params["fields"]["FIELD_NAME"].as_str().unwrap();
                assert_eq!(format!("UF_CRM_{short}"), f.field_name);
                assert_eq!(short.len(), 13);
                assert_eq!(f.add_params["fields"]["USER_TYPE_ID"], "string");
            }
        }
        let deal = RequiredField::marker(Entity::Deal, "deal-won", "W");
        assert_eq!(deal.add_method.name(), "crm.deal.userfield.add");
        assert_eq!(
            RequiredField::marker(Entity::Quote, "q", "W")
                .add_method
                .name(),
            "crm.quote.userfield.add"
        );
    }

    /// Platform rule: smart invoice fields are created with `userfieldconfig.add`,
    /// entity `CRM_SMART_INVOICE` (crm `Service/Factory/SmartInvoice.php`
    /// `USER_FIELD_ENTITY_ID`; REST docs `userfieldconfig/entity-id.md`), full name at
    /// most 50 characters (main `CUserTypeEntity::CheckFields`).
    #[test]
    fn smart_invoice_markers_use_userfieldconfig() {
        let f = RequiredField::marker(Entity::Invoice, "invoice-paid", "Paid");
        assert_eq!(f.add_method.name(), "userfieldconfig.add");
        assert_eq!(f.add_params["moduleId"], "crm");
        assert_eq!(f.add_params["field"]["entityId"], "CRM_SMART_INVOICE");
        assert_eq!(f.add_params["field"]["fieldName"], f.field_name.as_str());
        assert!(f.field_name.starts_with("UF_CRM_SMART_INVOICE_B24F_"));
        assert!(f.field_name.len() <= 50);
    }

    #[test]
    fn names_are_stable_and_differ_per_workflow() {
        let a = RequiredField::marker(Entity::Deal, "deal-won", "A");
        let b = RequiredField::marker(Entity::Deal, "deal-won", "B");
        let c = RequiredField::marker(Entity::Deal, "deal-lost", "A");
        assert_eq!(a.field_name, b.field_name);
        assert_ne!(a.field_name, c.field_name);
    }
}
