//! The REST methods of the emulated portal, independent of HTTP.
//!
//! Each handler follows the platform's `bizproc/lib/restservice.php` in the order of its
//! checks, so a caller sees the same error for the same mistake: application context
//! first (`AccessException` "Application context required", HTTP 403), then admin rights,
//! then field validation (`ERROR_TEMPLATE_VALIDATION_FAILURE`, HTTP 400), then existence
//! and ownership (`SYSTEM_CODE` must be `rest_app_<caller's app id>`).

use std::cmp::Ordering;

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::params::{array_values, php_array, php_empty, php_int, php_string, upper_keys};
use super::store::{State, StoredTemplate};

/// Rows per `list` page (`IRestService::LIST_LIMIT`).
pub(crate) const PAGE_SIZE: usize = 50;
/// `CBPDocumentEventType::Automation` (8; the flags are None 0, Create 1, Edit 2,
/// Delete 4, Automation 8 in the bizproc module's constants): robot templates
/// carry it and `list` never shows them.
pub(crate) const AUTOMATION: u8 = 8;
/// Commands per batch (`CRestUtil::BATCH_MAX_LENGTH`).
pub(crate) const BATCH_MAX: usize = 50;

/// Who is calling.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// The user the webhook or token acts as.
    pub user_id: u64,
    /// Whether that user is a portal administrator.
    pub admin: bool,
    /// The numeric application id, for OAuth callers.
    pub app_id: Option<u64>,
    /// A key for per-caller accounting (`hook:<user>` or `app:<client id>`).
    pub key: String,
}

/// A method-level error: HTTP status, code, description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RestError {
    pub status: u16,
    pub code: String,
    pub description: String,
}

impl RestError {
    pub(crate) fn new(status: u16, code: &str, description: &str) -> RestError {
        RestError {
            status,
            code: code.into(),
            description: description.into(),
        }
    }

    fn validation(description: &str) -> RestError {
        RestError::new(400, "ERROR_TEMPLATE_VALIDATION_FAILURE", description)
    }

    /// The JSON error envelope.
    pub(crate) fn body(&self) -> Value {
        json!({ "error": self.code, "error_description": self.description })
    }
}

/// A method's successful result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub result: Value,
    pub total: Option<u64>,
    pub next: Option<u64>,
    /// Whether the state changed (and must be saved).
    pub wrote: bool,
}

impl Outcome {
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
}

/// The methods this portal knows (lower case), `batch` included.
///
/// Written out here rather than taken from `bitrix::Method` on purpose: this module
/// stands for the platform, and sharing the client's names would hide a misspelling.
pub(crate) const METHODS: [&str; 6] = [
    "batch",
    "profile",
    "bizproc.workflow.template.add",
    "bizproc.workflow.template.update",
    "bizproc.workflow.template.delete",
    "bizproc.workflow.template.list",
];

/// Workflow methods (lower case).
const WORKFLOW_METHODS: [&str; 2] = ["bizproc.workflow.instances", "bizproc.workflow.terminate"];

/// Emulator-only controls; never present on a real portal, hence the `b24flow.` prefix.
const EMULATOR_METHODS: [&str; 6] = [
    "b24flow.clock.advance",
    "b24flow.outbox.list",
    "b24flow.outbox.clear",
    "b24flow.workflow.log",
    "b24flow.options.get",
    "b24flow.options.set",
];

/// Whether the portal knows a method (lower case), `batch` included.
pub(crate) fn is_method(method: &str) -> bool {
    METHODS.contains(&method)
        || WORKFLOW_METHODS.contains(&method)
        || EMULATOR_METHODS.contains(&method)
        || super::crm::rest::METHODS.contains(&method)
        || super::crm::directory::METHODS.contains(&method)
        || super::crm::userfields::METHODS.contains(&method)
        || super::events::METHODS.contains(&method)
        || super::objects::METHODS.contains(&method)
}

/// Runs one non-batch method. `now_unix` is the real clock; the CRM and the engine run
/// on the virtual one. Instances whose wait is over resume first.
pub(crate) fn call(
    state: &mut State,
    caller: &Caller,
    method: &str,
    params: &Map<String, Value>,
    start: i64,
    now_unix: i64,
) -> Result<Outcome, RestError> {
    let now = state.engine.now(now_unix);
    let resumed = if state.engine.instances.is_empty() {
        0
    } else {
        super::engine::resume_due(state, now)
    };
    let mut outcome = dispatch(state, caller, method, params, start, now_unix, now)?;
    outcome.wrote |= resumed > 0;
    Ok(outcome)
}

fn dispatch(
    state: &mut State,
    caller: &Caller,
    method: &str,
    params: &Map<String, Value>,
    start: i64,
    now_unix: i64,
    now: i64,
) -> Result<Outcome, RestError> {
    use super::engine;
    if super::objects::METHODS.contains(&method) {
        return super::objects::call(state, caller, method, params, start, now);
    }
    if super::events::METHODS.contains(&method) {
        return super::events::call(state, caller, method, params, start);
    }
    if super::crm::directory::handles(state, method) {
        return super::crm::directory::call(state, method, params);
    }
    if super::crm::rest::METHODS.contains(&method) {
        return super::crm::rest::call(state, caller.user_id, method, params, start, now);
    }
    if super::crm::userfields::METHODS.contains(&method) {
        // Declaring fields needs CRM administrator rights (REST docs
        // crm-deal-userfield-add.md, userfieldconfig-add.md).
        if method
            .rsplit_once('.')
            .is_some_and(|(_, verb)| verb == "add")
        {
            require_admin(caller)?;
        }
        return super::crm::userfields::call(&mut state.crm, method, params);
    }
    match method {
        "bizproc.workflow.instances" => {
            require_admin(caller)?;
            return Ok(engine::instances(state, params, start));
        }
        "bizproc.workflow.terminate" => {
            require_admin(caller)?;
            return engine::terminate(state, params, now);
        }
        "b24flow.clock.advance" => return engine::clock_advance(state, params, now_unix),
        "b24flow.outbox.list" => return Ok(engine::outbox_list(state)),
        "b24flow.outbox.clear" => return Ok(engine::outbox_clear(state)),
        "b24flow.workflow.log" => return Ok(engine::workflow_log(state)),
        "b24flow.options.get" => return engine::options(state, None),
        "b24flow.options.set" => return engine::options(state, Some(params)),
        _ => {}
    }
    match method {
        "profile" => Ok(Outcome::read(json!({
            "ID": caller.user_id.to_string(),
            "ADMIN": caller.admin,
            "NAME": "Local",
            "LAST_NAME": "Admin",
            "PERSONAL_GENDER": "",
            "TIME_ZONE": "",
            "TIME_ZONE_OFFSET": 0,
        }))),
        "bizproc.workflow.template.add" => add(state, caller, &upper_keys(params), now_unix),
        "bizproc.workflow.template.update" => update(state, caller, &upper_keys(params), now_unix),
        "bizproc.workflow.template.delete" => delete(state, caller, &upper_keys(params)),
        "bizproc.workflow.template.list" => list(state, caller, &upper_keys(params), start),
        _ => Err(not_found()),
    }
}

pub(crate) fn not_found() -> RestError {
    RestError::new(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
}

fn require_app(caller: &Caller) -> Result<u64, RestError> {
    // AccessException prefixes its message with "Access denied!" and uses 403
    // (rest/lib/accessexception.php), although the method docs list the bare text.
    let app = caller.app_id.ok_or_else(|| {
        RestError::new(
            403,
            "ACCESS_DENIED",
            "Access denied! Application context required",
        )
    })?;
    require_admin(caller)?;
    Ok(app)
}

fn require_admin(caller: &Caller) -> Result<(), RestError> {
    if caller.admin {
        Ok(())
    } else {
        Err(RestError::new(403, "ACCESS_DENIED", "Access denied!"))
    }
}

/// The document types the platform's document service knows (docs' table).
fn document_type(v: Option<&Value>) -> Result<[String; 3], RestError> {
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

fn name(v: Option<&Value>) -> Result<String, RestError> {
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
fn auto_execute(v: &Value) -> Result<u8, RestError> {
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
fn template_data(v: Option<&Value>) -> Result<Map<String, Value>, RestError> {
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

fn json_depth(v: &Value, depth: usize) -> usize {
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
fn validate_activities(doc: &Map<String, Value>) -> Result<(), RestError> {
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

fn system_code(app_id: u64) -> String {
    format!("rest_app_{app_id}")
}

fn add(
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

fn owned<'a>(
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

fn update(
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

fn delete(
    state: &mut State,
    caller: &Caller,
    p: &Map<String, Value>,
) -> Result<Outcome, RestError> {
    let app = require_app(caller)?;
    let id = p.get("ID").cloned().unwrap_or(Value::Null);
    let id = owned(state, app, &id, "delete")?.id;
    if super::engine::has_instances(state, id) {
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
const FIELDS: [&str; 15] = [
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
const NUMERIC: [&str; 3] = ["ID", "AUTO_EXECUTE", "USER_ID"];

fn field(t: &StoredTemplate, name: &str) -> Value {
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

fn compare(field_name: &str, a: &Value, b: &Value) -> Ordering {
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

fn matches(t: &StoredTemplate, op: &str, field_name: &str, wanted: &Value) -> bool {
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

fn list(
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
    let total = rows.len();
    let offset = usize::try_from(start.max(0)).unwrap_or(usize::MAX);
    let page: Vec<Value> = rows
        .iter()
        .skip(offset)
        .take(PAGE_SIZE)
        .map(|t| {
            Value::Object(
                select
                    .iter()
                    .map(|f| ((*f).to_owned(), field(t, f)))
                    .collect(),
            )
        })
        .collect();
    let shown = page.len();
    let next = (offset.saturating_add(shown) < total).then(|| (offset + shown) as u64);
    Ok(Outcome {
        result: Value::Array(page),
        total: Some(total as u64),
        next,
        wrote: false,
    })
}

/// One command of a batch, as the caller of [`run_batch`] executes it.
pub(crate) type Exec<'a> =
    dyn FnMut(&str, &Map<String, Value>, i64) -> Result<Outcome, RestError> + 'a;

/// `batch`: runs the commands in order through `exec`, resolving `$result[...]`
/// references, and builds the nested reply with PHP's empty-array `[]` sections.
pub(crate) fn run_batch(
    params: &Map<String, Value>,
    exec: &mut Exec<'_>,
) -> Result<Outcome, RestError> {
    let p = upper_keys(params);
    let halt = !php_empty(p.get("HALT"))
        && php_string(p.get("HALT").unwrap_or(&Value::Null)).as_deref() != Some("false");
    let commands: Vec<(String, String)> = match p.get("CMD") {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (k.clone(), php_string(v).unwrap_or_default()))
            .collect(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), php_string(v).unwrap_or_default()))
            .collect(),
        _ => Vec::new(),
    };
    if commands.len() > BATCH_MAX {
        return Err(RestError::new(
            400,
            "ERROR_BATCH_LENGTH_EXCEEDED",
            "Max batch length exceeded",
        ));
    }
    let mut results: Vec<(String, Value)> = Vec::new();
    let mut errors: Vec<(String, Value)> = Vec::new();
    let mut totals: Vec<(String, Value)> = Vec::new();
    let mut nexts: Vec<(String, Value)> = Vec::new();
    let mut times: Vec<(String, Value)> = Vec::new();
    let mut wrote = false;
    for (key, command) in commands {
        let (method, query) = command.split_once('?').unwrap_or((command.as_str(), ""));
        let method = method.trim().trim_end_matches(".json").to_ascii_lowercase();
        let mut cmd_params = super::params::parse_str(query);
        let context = References {
            results: &results,
            totals: &totals,
            nexts: &nexts,
        };
        for v in cmd_params.values_mut() {
            context.substitute(v);
        }
        let start = php_int(cmd_params.remove("start").as_ref());
        let began = now_f64();
        let outcome = if method == "batch" {
            Err(RestError::new(
                405,
                "ERROR_BATCH_METHOD_NOT_ALLOWED",
                "Method is not allowed for batch usage",
            ))
        } else {
            exec(&method, &cmd_params, start)
        };
        let finished = now_f64();
        match outcome {
            Ok(o) => {
                wrote |= o.wrote;
                results.push((key.clone(), o.result));
                if let Some(t) = o.total {
                    totals.push((key.clone(), json!(t)));
                }
                if let Some(n) = o.next {
                    nexts.push((key.clone(), json!(n)));
                }
                times.push((key, time_block(began, finished, None)));
            }
            Err(e) => {
                errors.push((key, e.body()));
                if halt {
                    break;
                }
            }
        }
    }
    Ok(Outcome {
        result: json!({
            "result": php_array(results),
            "result_error": php_array(errors),
            "result_total": php_array(totals),
            "result_next": php_array(nexts),
            "result_time": php_array(times),
        }),
        total: None,
        next: None,
        wrote,
    })
}

struct References<'a> {
    results: &'a [(String, Value)],
    totals: &'a [(String, Value)],
    nexts: &'a [(String, Value)],
}

impl References<'_> {
    /// Replaces `$result[key][path]…` in every string (`CRestUtil::processBatchElement`):
    /// a string that is exactly one reference takes the referenced value, otherwise
    /// scalar references are spliced in as text.
    fn substitute(&self, v: &mut Value) {
        match v {
            Value::String(s) if s.contains('$') => {
                if let Some(resolved) = self.resolve_whole(s) {
                    *v = resolved;
                    return;
                }
                *s = self.splice(s);
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.substitute(i)),
            Value::Object(map) => map.values_mut().for_each(|i| self.substitute(i)),
            _ => {}
        }
    }

    fn section(&self, name: &str) -> Option<&[(String, Value)]> {
        match name.to_ascii_lowercase().as_str() {
            "result" => Some(self.results),
            "result_total" => Some(self.totals),
            "result_next" => Some(self.nexts),
            _ => None,
        }
    }

    /// Parses a reference at the start of `s`: returns its length and value.
    fn parse(&self, s: &str) -> Option<(usize, Value)> {
        let body = s.strip_prefix('$')?;
        let name_len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let section = self.section(&body[..name_len])?;
        let mut rest = &body[name_len..];
        let mut consumed = 1 + name_len;
        let mut path = Vec::new();
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            path.push(&inner[..end]);
            consumed += end + 2;
            rest = &inner[end + 1..];
        }
        let (first, more) = path.split_first()?;
        let mut value = section
            .iter()
            .find(|(k, _)| k == first)
            .map(|(_, v)| v.clone())?;
        for key in more {
            let next = match &value {
                Value::Object(m) => m.get(*key).cloned(),
                Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i).cloned()),
                _ => None,
            };
            match next {
                Some(n) => value = n,
                None => break,
            }
        }
        Some((consumed, value))
    }

    fn resolve_whole(&self, s: &str) -> Option<Value> {
        let (len, value) = self.parse(s)?;
        (len == s.len()).then_some(value)
    }

    fn splice(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            if s[i..].starts_with('$')
                && let Some((len, value)) = self.parse(&s[i..])
                && let Some(text) =
                    php_string(&value).filter(|_| !value.is_array() && !value.is_object())
            {
                out.push_str(&text);
                i += len;
                continue;
            }
            let ch = s[i..].chars().next().unwrap_or('\0');
            out.push(ch);
            i += ch.len_utf8().max(1);
        }
        out
    }
}

/// Seconds since the epoch, as a float (PHP's `microtime(true)`).
pub(crate) fn now_f64() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The `time` block of a reply.
pub(crate) fn time_block(start: f64, finish: f64, operating: Option<(f64, i64)>) -> Value {
    let mut t = json!({
        "start": start,
        "finish": finish,
        "duration": finish - start,
        "processing": finish - start,
        "date_start": iso8601(unix_secs(start)),
        "date_finish": iso8601(unix_secs(finish)),
    });
    if let (Some((used, reset)), Value::Object(map)) = (operating, &mut t) {
        map.insert("operating_reset_at".into(), json!(reset));
        map.insert("operating".into(), json!(used));
    }
    t
}

#[allow(clippy::cast_possible_truncation)] // seconds since 1970 fit an i64 for ages
fn unix_secs(f: f64) -> i64 {
    f.floor() as i64
}

/// `date('c')` in UTC: `2025-01-22T10:09:00+00:00`.
pub(crate) fn iso8601(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    let (year, month, day) = super::dates::civil_from_days(unix.div_euclid(86_400));
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso8601(1_737_540_540), "2025-01-22T10:09:00+00:00");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00+00:00");
    }

    #[test]
    fn auto_execute_is_strict_like_php() {
        assert_eq!(auto_execute(&json!("3")), Ok(3));
        assert!(auto_execute(&json!(3)).is_err());
        assert!(auto_execute(&json!("4")).is_err());
        assert!(auto_execute(&json!("03")).is_err());
        assert!(auto_execute(&json!("x")).is_err());
    }

    #[test]
    fn document_types() {
        assert!(document_type(Some(&json!(["crm", "CCrmDocumentDeal", "DEAL"]))).is_ok());
        assert!(
            document_type(Some(&json!([
                "crm",
                "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic",
                "DYNAMIC_128"
            ])))
            .is_ok()
        );
        assert!(document_type(Some(&json!(["lists", "BizprocDocument", "iblock_164"]))).is_ok());
        assert!(document_type(Some(&json!(["crm", "CCrmDocumentDeal", "LEAD"]))).is_err());
        assert!(document_type(Some(&json!(["tasks", "x", "TASK"]))).is_err());
        assert!(document_type(Some(&json!("crm"))).is_err());
        assert!(document_type(None).is_err());
    }

    #[test]
    fn references_resolve() {
        let results = vec![
            ("a".to_owned(), json!([{"ID": "7"}])),
            ("b".to_owned(), json!(5)),
        ];
        let r = References {
            results: &results,
            totals: &[],
            nexts: &[],
        };
        let mut v = json!("$result[a][0][ID]");
        r.substitute(&mut v);
        assert_eq!(v, json!("7"));
        let mut v = json!("id-$result[b]-x");
        r.substitute(&mut v);
        assert_eq!(v, json!("id-5-x"));
        let mut v = json!("$result[a]");
        r.substitute(&mut v);
        assert_eq!(v, json!([{"ID": "7"}]));
        let mut v = json!("$5 and $nothing[x]");
        r.substitute(&mut v);
        assert_eq!(v, json!("$5 and $nothing[x]"));
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        fn arb_json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                ".{0,8}".prop_map(Value::from),
                Just(json!("3")),
                Just(json!("$result[a][0]")),
                Just(json!(["crm", "CCrmDocumentDeal", "DEAL"])),
            ];
            leaf.prop_recursive(3, 24, 4, |inner| {
                let key = prop_oneof![
                    Just("ID".to_owned()),
                    Just("NAME".to_owned()),
                    Just("FIELDS".to_owned()),
                    Just("SELECT".to_owned()),
                    Just("FILTER".to_owned()),
                    Just("ORDER".to_owned()),
                    Just("TEMPLATE_DATA".to_owned()),
                    Just("AUTO_EXECUTE".to_owned()),
                    Just("DOCUMENT_TYPE".to_owned()),
                    Just("cmd".to_owned()),
                    Just("halt".to_owned()),
                    Just("STAGE_ID".to_owned()),
                    Just("entityTypeId".to_owned()),
                    Just("seconds".to_owned()),
                    Just("OPPORTUNITY".to_owned()),
                    Just("CLOSEDATE".to_owned()),
                    Just("PHONE".to_owned()),
                    "[!<>=]{0,2}[A-Z_]{1,6}",
                ];
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::btree_map(key, inner, 0..5)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #[test]
            fn no_parameters_make_a_method_panic(params in prop::collection::btree_map("[A-Za-z_]{1,14}|ID|NAME|FIELDS|FILTER|SELECT|ORDER|TEMPLATE_DATA|cmd|entityTypeId|seconds|fields|id", arb_json(), 0..6)) {
                let params: Map<String, Value> = params.into_iter().collect();
                let caller = Caller { user_id: 1, admin: true, app_id: Some(1), key: "app:x".into() };
                let mut state = State::default();
                let all = METHODS
                    .iter()
                    .chain(WORKFLOW_METHODS.iter())
                    .chain(EMULATOR_METHODS.iter())
                    .chain(crate::emulator::crm::rest::METHODS.iter())
                    .chain(crate::emulator::crm::userfields::METHODS.iter());
                for &method in all {
                    if method == "batch" {
                        let mut exec = |m: &str, p: &Map<String, Value>, start: i64| call(&mut state, &caller, m, p, start, 0);
                        let _ = run_batch(&params, &mut exec);
                    } else {
                        let _ = call(&mut state, &caller, method, &params, 0, 0);
                    }
                }
            }

            #[test]
            fn parse_str_never_panics(query in ".{0,64}") {
                let _ = crate::emulator::params::parse_str(&query);
            }
        }
    }
}
