//! The template store's methods: `bizproc.workflow.template.add`, `.update`, `.delete`
//! and `.list`. A template belongs to the application that added it (`SYSTEM_CODE`
//! `rest_app_<id>`); `list` filters, sorts and pages the stored rows as the platform does
//! and never shows robot (automation) templates.

use super::checks::{auto_execute, document_type, name, template_data};
use super::{AUTOMATION, Caller, Outcome, RestError, require_admin, require_app};
use crate::emulator::dates::iso8601;
use crate::emulator::params::{array_values, php_int, php_string};
use crate::emulator::store::{State, StoredTemplate};
use serde_json::{Map, Value, json};
use std::cmp::Ordering;

pub(super) fn system_code(app_id: u64) -> String {
    format!("rest_app_{app_id}")
}

pub(super) fn add(
    state: &mut State,
    caller: &Caller,
    p: &Map<String, Value>,
    now: i64,
) -> Result<Outcome, RestError> {
    let app = require_app(caller)?;
    let [module_id, entity, document_type] = document_type(p.get("DOCUMENT_TYPE"))?;
    let name = name(p.get("NAME"))?;
    let auto = match p.get("AUTO_EXECUTE") {
        None | Some(Value::Null) => 0,
        Some(v) => auto_execute(v)?,
    };
    let doc = template_data(p.get("TEMPLATE_DATA"))?;
    let id = state.allocate_id();
    let part = |k: &str| doc.get(k).cloned().unwrap_or_else(|| json!([]));
    state.templates.insert(
        id,
        StoredTemplate {
            id,
            module_id,
            entity,
            document_type,
            auto_execute: auto,
            name,
            description: p
                .get("DESCRIPTION")
                .and_then(php_string)
                .unwrap_or_default(),
            template: part("TEMPLATE"),
            parameters: part("PARAMETERS"),
            variables: part("VARIABLES"),
            constants: part("CONSTANTS"),
            modified: iso8601(now),
            is_modified: false,
            user_id: caller.user_id,
            system_code: Some(system_code(app)),
        },
    );
    Ok(Outcome::write(json!(id)))
}

pub(super) fn owned<'a>(
    state: &'a mut State,
    app: u64,
    id: &Value,
    verb: &str,
) -> Result<&'a mut StoredTemplate, RestError> {
    let id = u64::try_from(php_int(Some(id))).unwrap_or(0);
    let tpl = state.templates.get_mut(&id).ok_or_else(|| {
        RestError::new(
            400,
            "ERROR_TEMPLATE_NOT_FOUND",
            "Workflow template not found.",
        )
    })?;
    if tpl.system_code.as_deref() != Some(system_code(app).as_str()) {
        // update throws with ERROR_TEMPLATE_NOT_OWNER; delete throws the same text with
        // no code, which RestException turns into its default ERROR_CORE.
        let code = if verb == "update" {
            "ERROR_TEMPLATE_NOT_OWNER"
        } else {
            "ERROR_CORE"
        };
        return Err(RestError::new(
            400,
            code,
            &format!("You can {verb} ONLY templates created by current application"),
        ));
    }
    Ok(tpl)
}

pub(super) fn update(
    state: &mut State,
    caller: &Caller,
    p: &Map<String, Value>,
    now: i64,
) -> Result<Outcome, RestError> {
    let app = require_app(caller)?;
    let fields = match p.get("FIELDS") {
        Some(Value::Object(f)) if !f.is_empty() => f.clone(),
        Some(Value::Array(a)) if !a.is_empty() => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        _ => return Err(RestError::validation("No fields to update.")),
    };
    let id = p.get("ID").cloned().unwrap_or(Value::Null);
    owned(state, app, &id, "update")?;
    // FIELDS keys are matched exactly (the platform upper-cases only the top level).
    let set = |k: &str| fields.get(k).filter(|v| !v.is_null());
    let name = set("NAME").map(|v| name(Some(v))).transpose()?;
    let auto = set("AUTO_EXECUTE").map(auto_execute).transpose()?;
    let doc = set("TEMPLATE_DATA")
        .map(|v| template_data(Some(v)))
        .transpose()?;
    let tpl = owned(state, app, &id, "update")?;
    if let Some(name) = name {
        tpl.name = name;
    }
    if let Some(d) = set("DESCRIPTION") {
        tpl.description = php_string(d).unwrap_or_default();
    }
    if let Some(auto) = auto {
        tpl.auto_execute = auto;
    }
    if let Some(doc) = doc {
        let part = |k: &str| doc.get(k).cloned().unwrap_or_else(|| json!([]));
        tpl.template = part("TEMPLATE");
        tpl.parameters = part("PARAMETERS");
        tpl.variables = part("VARIABLES");
        tpl.constants = part("CONSTANTS");
    }
    tpl.modified = iso8601(now);
    tpl.user_id = caller.user_id;
    Ok(Outcome::write(json!(tpl.id)))
}

pub(super) fn delete(
    state: &mut State,
    caller: &Caller,
    p: &Map<String, Value>,
) -> Result<Outcome, RestError> {
    let app = require_app(caller)?;
    let id = p.get("ID").cloned().unwrap_or(Value::Null);
    let id = owned(state, app, &id, "delete")?.id;
    if crate::emulator::engine::has_instances(state, id) {
        // CBPWorkflowTemplateLoader::delete throws CBPInvalidOperationException with no
        // code while a WorkflowInstanceTable row exists; REST reports it as ERROR_CORE.
        return Err(RestError::new(
            400,
            "ERROR_CORE",
            "Cannot delete the business process template because one or more active business process(es) exist using this template.",
        ));
    }
    state.templates.remove(&id);
    Ok(Outcome::write(Value::Null))
}

// The same list as the client's `bitrix::ALL_FIELDS`, kept separately on purpose: the
// emulator stands for the platform, and must not inherit the client's assumptions.
pub(super) const FIELDS: [&str; 15] = [
    "ID",
    "MODULE_ID",
    "ENTITY",
    "DOCUMENT_TYPE",
    "AUTO_EXECUTE",
    "NAME",
    "DESCRIPTION",
    "TEMPLATE",
    "PARAMETERS",
    "VARIABLES",
    "CONSTANTS",
    "MODIFIED",
    "IS_MODIFIED",
    "USER_ID",
    "SYSTEM_CODE",
];
pub(super) const NUMERIC: [&str; 3] = ["ID", "AUTO_EXECUTE", "USER_ID"];

pub(super) fn field(t: &StoredTemplate, name: &str) -> Value {
    match name {
        "ID" => json!(t.id.to_string()),
        "MODULE_ID" => json!(t.module_id),
        "ENTITY" => json!(t.entity),
        "DOCUMENT_TYPE" => json!(t.document_type),
        "AUTO_EXECUTE" => json!(t.auto_execute.to_string()),
        "NAME" => json!(t.name),
        "DESCRIPTION" => json!(t.description),
        "TEMPLATE" => t.template.clone(),
        "PARAMETERS" => t.parameters.clone(),
        "VARIABLES" => t.variables.clone(),
        "CONSTANTS" => t.constants.clone(),
        "MODIFIED" => json!(t.modified),
        "IS_MODIFIED" => json!(if t.is_modified { "Y" } else { "N" }),
        "USER_ID" => json!(t.user_id.to_string()),
        "SYSTEM_CODE" => t.system_code.as_ref().map_or(Value::Null, |s| json!(s)),
        _ => Value::Null,
    }
}

pub(super) fn compare(field_name: &str, a: &Value, b: &Value) -> Ordering {
    let sa = php_string(a).unwrap_or_else(|| a.to_string());
    let sb = php_string(b).unwrap_or_else(|| b.to_string());
    if let (true, Ok(x), Ok(y)) = (
        NUMERIC.contains(&field_name),
        sa.trim().parse::<i64>(),
        sb.trim().parse::<i64>(),
    ) {
        return x.cmp(&y);
    }
    sa.cmp(&sb)
}

pub(super) fn matches(t: &StoredTemplate, op: &str, field_name: &str, wanted: &Value) -> bool {
    let have = field(t, field_name);
    let eq = |w: &Value| compare(field_name, &have, w) == Ordering::Equal;
    let any_eq = match wanted {
        Value::Array(items) => items.iter().any(eq),
        Value::Object(map) => map.values().any(eq),
        w => eq(w),
    };
    let ord = compare(field_name, &have, wanted);
    match op {
        "" | "=" => any_eq,
        "!" | "!=" => !any_eq,
        "<" => ord == Ordering::Less,
        "<=" => ord != Ordering::Greater,
        ">" => ord == Ordering::Greater,
        ">=" => ord != Ordering::Less,
        _ => true,
    }
}

pub(super) fn list(
    state: &State,
    caller: &Caller,
    p: &Map<String, Value>,
    start: i64,
) -> Result<Outcome, RestError> {
    require_admin(caller)?;
    let mut select: Vec<&str> = Vec::new();
    if let Some(items) = p.get("SELECT").and_then(array_values) {
        for item in items {
            if item.is_array() || item.is_object() {
                return Err(RestError::new(
                    400,
                    "ERROR_SELECT_VALIDATION_FAILURE",
                    "Invalid data in SELECT parameter",
                ));
            }
            let wanted = php_string(item).unwrap_or_default().to_uppercase();
            if let Some(f) = FIELDS.iter().find(|f| **f == wanted)
                && !select.contains(f)
            {
                select.push(f);
            }
        }
    }
    if select.is_empty() {
        select.push("ID");
    }
    let mut filter: Vec<(String, &'static str, Value)> = Vec::new();
    if let Some(Value::Object(rules)) = p.get("FILTER") {
        for (key, value) in rules {
            let split = key
                .find(|c: char| c.is_ascii_alphabetic())
                .unwrap_or(key.len());
            let (op, name) = key.split_at(split);
            let name = name.to_uppercase();
            let allowed = ["", "=", "!", "!=", "<", "<=", ">", ">="].contains(&op);
            if let (true, Some(f)) = (allowed, FIELDS.iter().find(|f| **f == name)) {
                filter.push((op.to_owned(), f, value.clone()));
            }
        }
    }
    let mut order: Vec<(&'static str, bool)> = Vec::new();
    if let Some(Value::Object(rules)) = p.get("ORDER") {
        for (key, dir) in rules {
            let name = key.to_uppercase();
            if let Some(f) = FIELDS.iter().find(|f| **f == name) {
                let desc = php_string(dir)
                    .unwrap_or_default()
                    .eq_ignore_ascii_case("DESC");
                order.push((f, desc));
            }
        }
    }
    if order.is_empty() {
        order.push(("ID", false));
    }
    let mut rows: Vec<&StoredTemplate> = state
        .templates
        .values()
        // The hidden filter `<AUTO_EXECUTE => Automation` keeps robots out.
        .filter(|t| t.auto_execute < AUTOMATION)
        .filter(|t| filter.iter().all(|(op, f, v)| matches(t, op, f, v)))
        .collect();
    rows.sort_by(|a, b| {
        for (f, desc) in &order {
            let o = compare(f, &field(a, f), &field(b, f));
            let o = if *desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.id.cmp(&b.id)
    });
    Ok(Outcome::selected_page(&rows, start, &select, field))
}
