//! The REST methods of the emulated portal, independent of HTTP.
//!
//! Each handler follows the platform's `bizproc/lib/restservice.php` in the order of its
//! checks, so a caller sees the same error for the same mistake: application context
//! first (`AccessException` "Application context required", HTTP 403), then admin rights,
//! then field validation (`ERROR_TEMPLATE_VALIDATION_FAILURE`, HTTP 400), then existence
//! and ownership (`SYSTEM_CODE` must be `rest_app_<caller's app id>`).

mod batch;
mod checks;
mod clock;
mod templates;

pub(crate) use crate::emulator::dates::iso8601;
pub(crate) use batch::run_batch;
pub(crate) use clock::{now_f64, time_block};
use templates::{add, delete, list, update};

use serde_json::{Map, Value, json};

use super::params::upper_keys;
use super::store::State;

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

/// One REST call as a handler receives it: who calls, the method, its parameters, and
/// `start`, the list offset the request asked for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    pub caller: &'a Caller,
    pub method: &'a str,
    pub params: &'a Map<String, Value>,
    pub start: i64,
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
    /// A reply that only read: `{"result": …}`.
    pub(crate) fn read(result: Value) -> Outcome {
        Outcome {
            result,
            total: None,
            next: None,
            wrote: false,
        }
    }

    /// A reply after a change the store must save.
    pub(crate) fn write(result: Value) -> Outcome {
        Outcome {
            wrote: true,
            ..Outcome::read(result)
        }
    }

    /// One page of a list: `total` rows in all, `next` the offset of the following page
    /// (absent on the last), as `IRestService` adds them beside `result`.
    pub(crate) fn list(result: Value, total: u64, next: Option<u64>) -> Outcome {
        Outcome {
            total: Some(total),
            next,
            ..Outcome::read(result)
        }
    }

    /// The page of `rows` that starts at the offset `start` ([`PAGE_SIZE`] rows at most),
    /// each row the `select`ed fields as `field` reads them: what the `*.list` methods of
    /// the bizproc module answer.
    pub(crate) fn selected_page<T>(
        rows: &[&T],
        start: i64,
        select: &[&str],
        field: impl Fn(&T, &str) -> Value,
    ) -> Outcome {
        let total = rows.len();
        let offset = usize::try_from(start.max(0)).unwrap_or(usize::MAX);
        let page: Vec<Value> = rows
            .iter()
            .skip(offset)
            .take(PAGE_SIZE)
            .map(|row| {
                Value::Object(
                    select
                        .iter()
                        .map(|f| ((*f).to_owned(), field(row, f)))
                        .collect(),
                )
            })
            .collect();
        let shown = page.len();
        let next = (offset.saturating_add(shown) < total).then(|| (offset + shown) as u64);
        Outcome::list(Value::Array(page), total as u64, next)
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
    req: Request<'_>,
    now_unix: i64,
) -> Result<Outcome, RestError> {
    let now = state.engine.now(now_unix);
    let resumed = if state.engine.instances.is_empty() {
        0
    } else {
        super::engine::resume_due(state, now)
    };
    let mut outcome = dispatch(state, req, now_unix, now)?;
    outcome.wrote |= resumed > 0;
    Ok(outcome)
}

fn dispatch(
    state: &mut State,
    req: Request<'_>,
    now_unix: i64,
    now: i64,
) -> Result<Outcome, RestError> {
    use super::engine;
    let Request {
        caller,
        method,
        params,
        start,
    } = req;
    if super::objects::METHODS.contains(&method) {
        return super::objects::call(state, req, now);
    }
    if super::events::METHODS.contains(&method) {
        return super::events::call(state, req);
    }
    if super::crm::directory::handles(state, method) {
        return super::crm::directory::call(state, caller, method, params);
    }
    if super::crm::rest::METHODS.contains(&method) {
        return super::crm::rest::call(state, req, now);
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

#[cfg(test)]
mod tests {
    use super::checks::{auto_execute, document_type};
    use super::*;

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
                        let mut exec = |m: &str, p: &Map<String, Value>, start: i64| call(&mut state, Request { caller: &caller, method: m, params: p, start }, 0);
                        let _ = run_batch(&params, &mut exec);
                    } else {
                        let _ = call(&mut state, Request { caller: &caller, method, params: &params, start: 0 }, 0);
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
