//! The field checks of `bizproc.workflow.template.add` and `.update`, in the order
//! `restservice.php` makes them: document type, name, `AUTO_EXECUTE`, and the template
//! file itself (base64 of a serialized or JSON template, its depth, and activities the
//! platform knows). Each failure is `ERROR_TEMPLATE_VALIDATION_FAILURE` with the
//! platform's wording.

use super::RestError;
use crate::emulator::params::{array_values, php_empty, php_int, php_string};
use base64::Engine as _;
use serde_json::{Map, Value};

/// The document types the platform's document service knows (docs' table).
pub(super) fn document_type(v: Option<&Value>) -> Result<[String; 3], RestError> {
    let bad = || RestError::validation("Incorrect field DOCUMENT_TYPE!");
    let items = v.and_then(array_values).ok_or_else(bad)?;
    let [m, e, t] = items.as_slice() else {
        return Err(bad());
    };
    let (Some(m), Some(e), Some(t)) = (m.as_str(), e.as_str(), t.as_str()) else {
        return Err(bad());
    };
    let numbered = |prefix: &str| {
        t.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let ok = match (m, e) {
        ("crm", "CCrmDocumentLead") => t == "LEAD",
        ("crm", "CCrmDocumentContact") => t == "CONTACT",
        ("crm", "CCrmDocumentCompany") => t == "COMPANY",
        ("crm", "CCrmDocumentDeal") => t == "DEAL",
        ("crm", "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote") => t == "QUOTE",
        ("crm", "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice") => {
            t == "SMART_INVOICE"
        }
        ("crm", "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic") => numbered("DYNAMIC_"),
        ("lists", "BizprocDocument" | "Bitrix\\Lists\\BizprocDocumentLists") => numbered("iblock_"),
        ("disk", "Bitrix\\Disk\\BizProcDocument") => numbered("STORAGE_"),
        _ => false,
    };
    if ok {
        Ok([m.to_owned(), e.to_owned(), t.to_owned()])
    } else {
        Err(bad())
    }
}

pub(super) fn name(v: Option<&Value>) -> Result<String, RestError> {
    // The docs' message; an older source copy says "Empty activity code!" here.
    if php_empty(v) {
        return Err(RestError::validation("Empty template name!"));
    }
    php_string(v.unwrap_or(&Value::Null))
        .ok_or_else(|| RestError::validation("Empty template name!"))
}

/// `validateTemplateAutoExecution`: `$flag === (string)(int)$flag` and 0–3. A JSON
/// integer is not a string, so the platform refuses it; form values always pass the type
/// check because PHP receives them as strings.
pub(super) fn auto_execute(v: &Value) -> Result<u8, RestError> {
    let bad = || RestError::validation("Incorrect field AUTO_EXECUTE!");
    let Value::String(s) = v else {
        return Err(bad());
    };
    let n = php_int(Some(v));
    if n.to_string() != *s {
        return Err(bad());
    }
    u8::try_from(n).ok().filter(|n| *n <= 3).ok_or_else(bad)
}

/// The decoded parts of `TEMPLATE_DATA`: `["name.bpt", base64]` (JSON or form) or a bare
/// base64 string, as `CRestUtil::saveFile` accepts.
pub(super) fn template_data(v: Option<&Value>) -> Result<Map<String, Value>, RestError> {
    let bad = || RestError::validation("Incorrect field TEMPLATE_DATA!");
    if php_empty(v) {
        return Err(bad());
    }
    let v = v.ok_or_else(bad)?;
    let content = if let Value::String(s) = v {
        s.clone()
    } else {
        let items = array_values(v).ok_or_else(bad)?;
        // saveFile takes array_values: [name, content].
        items
            .get(1)
            .and_then(|c| c.as_str())
            .ok_or_else(bad)?
            .to_owned()
    };
    // PHP's base64_decode skips characters outside the alphabet; whitespace is the
    // only such noise real clients send.
    let cleaned: String = content
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(cleaned.trim_end_matches('='))
        })
        .map_err(|_| bad())?;
    if bytes.is_empty() {
        return Err(bad());
    }
    let doc = crate::bizproc::bpt::decode_to_json(&bytes).map_err(|_| bad())?;
    let map = match doc {
        Value::Object(map)
            if map
                .get("TEMPLATE")
                .is_some_and(|t| t.is_array() || t.is_object()) =>
        {
            map
        }
        _ => return Err(bad()),
    };
    // What is stored must be readable back: by this portal's own state file and by
    // JSON clients (serde_json stops at 128 levels; list and batch replies wrap a
    // template in up to 5 more, the state file in 6).
    if map.values().any(|v| json_depth(v, 0) > MAX_TEMPLATE_DEPTH) {
        return Err(bad());
    }
    validate_activities(&map)?;
    Ok(map)
}

/// The deepest JSON nesting a stored template part may have.
pub(crate) const MAX_TEMPLATE_DEPTH: usize = 100;

pub(super) fn json_depth(v: &Value, depth: usize) -> usize {
    if depth > MAX_TEMPLATE_DEPTH {
        return depth;
    }
    match v {
        Value::Array(items) => items
            .iter()
            .map(|i| json_depth(i, depth + 1))
            .max()
            .unwrap_or(depth + 1),
        Value::Object(map) => map
            .values()
            .map(|i| json_depth(i, depth + 1))
            .max()
            .unwrap_or(depth + 1),
        _ => depth,
    }
}

/// `ImportTemplateChecker` runs each activity's `ValidateProperties` on import: the
/// one b24flow can trip is `CBPCrmSendSmsActivity` with an empty `ProviderId`.
pub(super) fn validate_activities(doc: &Map<String, Value>) -> Result<(), RestError> {
    fn walk(node: &Value) -> Result<(), RestError> {
        let ty = node.get("Type").and_then(Value::as_str).unwrap_or("");
        if ty.eq_ignore_ascii_case("CrmSendSmsActivity") {
            let provider = node.get("Properties").and_then(|p| p.get("ProviderId"));
            if php_empty(provider) {
                let title = node
                    .get("Properties")
                    .and_then(|p| p.get("Title"))
                    .and_then(Value::as_str)
                    .unwrap_or(ty);
                // BPWTL_ERROR_MESSAGE_PREFIX "Action '#TITLE#':" + the activity's error
                // (the activity's own wording is unconfirmed).
                return Err(RestError::validation(&format!(
                    "Action '{title}': Provider is not specified"
                )));
            }
        }
        for child in node
            .get("Children")
            .and_then(array_values)
            .unwrap_or_default()
        {
            walk(child)?;
        }
        Ok(())
    }
    for root in doc
        .get("TEMPLATE")
        .and_then(array_values)
        .unwrap_or_default()
    {
        walk(root)?;
    }
    Ok(())
}
