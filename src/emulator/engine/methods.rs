//! The engine's REST methods: `bizproc.workflow.instances` and `.terminate` as the
//! platform answers them, and the emulator-only controls (`b24flow.clock.advance`, the
//! outbox, the workflow log, the engine options). Each returns the reply `portal`
//! sends; none starts a workflow by itself.

use super::{Core, Instance, LogEntry, Status};
use crate::emulator::params::{php_int, php_string, upper_keys};
use crate::emulator::portal::{Outcome, RestError, iso8601};
use crate::emulator::store::State;
use serde_json::{Map, Value, json};

use super::{finish, resume_due};

pub(super) const INSTANCE_FIELDS: [&str; 9] = [
    "ID",
    "MODIFIED",
    "OWNED_UNTIL",
    "MODULE_ID",
    "ENTITY",
    "DOCUMENT_ID",
    "STARTED",
    "STARTED_BY",
    "TEMPLATE_ID",
];

pub(super) fn instance_field(i: &Instance, name: &str) -> Value {
    let [module, entity, _] = i.kind.document_type();
    match name {
        "ID" => json!(i.id),
        "MODIFIED" => json!(iso8601(i.modified)),
        "MODULE_ID" => json!(module),
        "ENTITY" => json!(entity),
        "DOCUMENT_ID" => json!(i.document_id),
        "STARTED" => json!(iso8601(i.started)),
        "STARTED_BY" => json!(i.started_by.to_string()),
        "TEMPLATE_ID" => json!(i.template_id.to_string()),
        _ => Value::Null,
    }
}

/// `bizproc.workflow.instances`: running instances; `SELECT` (default `ID`, `MODIFIED`,
/// `OWNED_UNTIL`), `FILTER` by equality (an optional `=` prefix), `ORDER`, 50 a page.
pub(crate) fn instances(state: &State, params: &Map<String, Value>, start: i64) -> Outcome {
    let p = upper_keys(params);
    let mut select: Vec<&str> = Vec::new();
    if let Some(items) = p
        .get("SELECT")
        .and_then(crate::emulator::params::array_values)
    {
        for item in items {
            let name = php_string(item).unwrap_or_default().to_uppercase();
            if let Some(f) = INSTANCE_FIELDS.iter().find(|f| **f == name)
                && !select.contains(f)
            {
                select.push(f);
            }
        }
    }
    if select.is_empty() {
        select = vec!["ID", "MODIFIED", "OWNED_UNTIL"];
    }
    let mut filter: Vec<(&str, String)> = Vec::new();
    if let Some(Value::Object(map)) = p.get("FILTER") {
        for (k, v) in map {
            let name = k.trim_start_matches('=').to_uppercase();
            if let Some(f) = INSTANCE_FIELDS.iter().find(|f| **f == name) {
                filter.push((f, php_string(v).unwrap_or_default()));
            }
        }
    }
    let mut rows: Vec<&Instance> = state
        .engine
        .instances
        .values()
        .filter(|i| {
            filter.iter().all(|(f, want)| {
                php_string(&instance_field(i, f)).as_deref() == Some(want.as_str())
            })
        })
        .collect();
    let desc = matches!(p.get("ORDER"), Some(Value::Object(m)) if m.values().any(|v| php_string(v).is_some_and(|s| s.eq_ignore_ascii_case("desc"))));
    rows.sort_by(|a, b| a.started.cmp(&b.started).then(a.id.cmp(&b.id)));
    if desc {
        rows.reverse();
    }
    Outcome::selected_page(&rows, start, &select, instance_field)
}

/// `bizproc.workflow.terminate`: ends a running instance with `STATUS` as the reason.
pub(crate) fn terminate(
    state: &mut State,
    params: &Map<String, Value>,
    now: i64,
) -> Result<Outcome, RestError> {
    let p = upper_keys(params);
    let id = p.get("ID").and_then(php_string).unwrap_or_default();
    if id.is_empty() {
        return Err(RestError::new(
            400,
            "ERROR_WRONG_WORKFLOW_ID",
            "Empty workflow instance ID",
        ));
    }
    let Some(mut inst) = state.engine.instances.remove(&id) else {
        return Err(RestError::new(
            400,
            "ERROR_WRONG_WORKFLOW_ID",
            "Workflow instance not found",
        ));
    };
    let reason = p.get("STATUS").and_then(php_string).unwrap_or_default();
    inst.status = Status::Terminated;
    inst.modified = now;
    inst.wait_until = None;
    inst.log.push(LogEntry {
        time: iso8601(now),
        activity: "Template".into(),
        message: if reason.is_empty() {
            "terminated".into()
        } else {
            format!("terminated: {reason}")
        },
        error: false,
    });
    finish(state, inst);
    Ok(Outcome::write(json!(true)))
}

/// Whether a template has running instances (the delete guard).
pub(crate) fn has_instances(state: &State, template_id: u64) -> bool {
    state
        .engine
        .instances
        .values()
        .any(|i| i.template_id == template_id)
}

/// `b24flow.clock.advance {"seconds": N}`: moves the virtual clock forward and resumes
/// the instances that are due.
pub(crate) fn clock_advance(
    state: &mut State,
    params: &Map<String, Value>,
    real_now: i64,
) -> Result<Outcome, RestError> {
    let p = upper_keys(params);
    let seconds = php_int(p.get("SECONDS"));
    if !(0..=100 * 365 * 86_400).contains(&seconds) {
        return Err(RestError::new(
            400,
            "INVALID_ARG_VALUE",
            "seconds must be between 0 and 100 years",
        ));
    }
    state.engine.clock_offset += seconds;
    let now = state.engine.now(real_now);
    let resumed = resume_due(state, now);
    Ok(Outcome::write(
        json!({"now": iso8601(now), "resumed": resumed}),
    ))
}

/// `b24flow.outbox.list`: the recorded effects, oldest first.
pub(crate) fn outbox_list(state: &State) -> Outcome {
    Outcome::list(
        Value::Array(state.engine.outbox.clone()),
        state.engine.outbox.len() as u64,
        None,
    )
}

/// `b24flow.outbox.clear`.
pub(crate) fn outbox_clear(state: &mut State) -> Outcome {
    state.engine.outbox.clear();
    Outcome::write(json!(true))
}

/// `b24flow.workflow.log`: every instance the engine remembers (running and finished),
/// with its log, and the starts it refused.
pub(crate) fn workflow_log(state: &State) -> Outcome {
    let mut all: Vec<&Instance> = state.engine.finished.iter().collect();
    all.extend(state.engine.instances.values());
    all.sort_by(|a, b| a.started.cmp(&b.started).then(a.id.cmp(&b.id)));
    let rows: Vec<Value> = all
        .into_iter()
        .map(|i| {
            json!({
                "id": i.id,
                "template_id": i.template_id,
                "template_name": i.template_name,
                "document_id": i.document_id,
                "status": i.status,
                "started": iso8601(i.started),
                "wait_until": i.wait_until.map(iso8601),
                "modified_fields": i.modified_fields,
                "log": i.log,
            })
        })
        .collect();
    Outcome::read(json!({"instances": rows, "refused": state.engine.refused}))
}

/// `b24flow.options.get` / `b24flow.options.set`: the engine settings
/// (`start_bp_within_bp` Y/N, `core` old-fc/cg/starter, `date_format`,
/// `simultaneous_limit`).
pub(crate) fn options(
    state: &mut State,
    params: Option<&Map<String, Value>>,
) -> Result<Outcome, RestError> {
    let wrote = params.is_some();
    if let Some(params) = params {
        let p = upper_keys(params);
        let bad = |what: &str| {
            RestError::new(
                400,
                "INVALID_ARG_VALUE",
                &format!("Invalid value for {what}"),
            )
        };
        let mut o = state.engine.options.clone();
        if let Some(v) = p.get("START_BP_WITHIN_BP") {
            o.start_bp_within_bp = match php_string(v).as_deref() {
                Some("Y" | "1" | "true") => true,
                Some("N" | "0" | "false" | "") => false,
                _ => return Err(bad("start_bp_within_bp")),
            };
        }
        if let Some(v) = p.get("CORE") {
            o.core = php_string(v)
                .as_deref()
                .and_then(Core::parse)
                .ok_or_else(|| bad("core"))?;
        }
        if let Some(v) = p.get("DATE_FORMAT") {
            let f = php_string(v).unwrap_or_default();
            if !(f.contains("YYYY") && f.contains("MM") && f.contains("DD")) || f.len() > 40 {
                return Err(bad("date_format"));
            }
            o.date_format = f;
        }
        if let Some(v) = p.get("SIMULTANEOUS_LIMIT") {
            o.simultaneous_limit =
                u32::try_from(php_int(Some(v))).map_err(|_| bad("simultaneous_limit"))?;
        }
        state.engine.options = o;
    }
    let o = &state.engine.options;
    Ok(Outcome {
        result: json!({
            "start_bp_within_bp": if o.start_bp_within_bp { "Y" } else { "N" },
            "core": o.core,
            "date_format": o.date_format,
            "simultaneous_limit": o.simultaneous_limit,
        }),
        total: None,
        next: None,
        wrote,
    })
}
