//! The emulated portal's business-process engine: auto-start on record events, running
//! instances, the virtual clock and the outbox.
//!
//! Platform rules mirrored here (each cited where it is coded):
//! - a record created or changed over REST starts the templates of its document type
//!   whose `AUTO_EXECUTE` has the Create (1) or Edit (2) bit, in template-ID order
//!   (`CBPDocument::AutoStartWorkflows`, helpdesk article 22381584);
//! - a record created or changed *by a workflow* starts nothing unless the crm option
//!   `start_bp_within_bp` is on (`CrmStarter::runOnInnerDocument`, default `N`);
//! - the changed-field list reaches `modified` only on the newest start path
//!   ([`Core::Starter`], REST edits); create events and older cores pass none;
//! - at most `limit_simultaneous_processes` (2 on Bitrix24 cloud) running workflows per
//!   document (`CBPRuntime::createWorkflow` throws `BPCGDOC_LIMIT_SIMULTANEOUS_PROCESSES`,
//!   which `AutoStartWorkflows` swallows);
//! - an instance keeps the template it started with; a template with instances cannot
//!   be deleted (`CBPWorkflowTemplateLoader::delete`, `BPCGWTL_CANT_DELETE`).
//!
//! Invariants: running a template never panics and never fails the REST call that
//! started it (errors go to the instance's log); time only moves forward.

mod methods;

pub(crate) use methods::{
    clock_advance, has_instances, instances, options, outbox_clear, outbox_list, terminate,
    workflow_log,
};

pub(crate) mod condition;
pub(crate) mod expr;
pub(crate) mod run;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::crm::{self, Kind};
use super::portal::iso8601;
use super::store::State;

/// Which core generation's condition and start-path rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Core {
    /// `fieldcondition.php` before ConditionGroup: `modified` without a list is true, a
    /// field missing from the document fails its row.
    OldFc,
    /// ConditionGroup cores whose starters pass no changed-field list: `modified` is
    /// always false.
    Cg,
    /// The newest `CrmStarter`: REST edits pass the changed-field list.
    #[default]
    Starter,
}

impl Core {
    /// Parses `old-fc`, `cg`, `starter`.
    pub fn parse(s: &str) -> Option<Core> {
        match s {
            "old-fc" => Some(Core::OldFc),
            "cg" => Some(Core::Cg),
            "starter" => Some(Core::Starter),
            _ => None,
        }
    }
}

/// The portal settings that decide whether a workflow runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineOptions {
    /// crm option `start_bp_within_bp`: changes made by workflows start templates.
    pub start_bp_within_bp: bool,
    /// The core generation.
    pub core: Core,
    /// The site's `FORMAT_DATETIME`, in the platform's tokens.
    pub date_format: String,
    /// bizproc option `limit_simultaneous_processes` (0 = none).
    pub simultaneous_limit: u32,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            start_bp_within_bp: false,
            core: Core::Starter,
            date_format: "DD.MM.YYYY HH:MI:SS".into(),
            simultaneous_limit: 2,
        }
    }
}

/// How an instance ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Waiting in a delay.
    Running,
    /// Ran to the end.
    Completed,
    /// Ended by an activity or `bizproc.workflow.terminate`.
    Terminated,
    /// Stopped by an error.
    Failed,
}

/// One line of an instance's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// When (virtual clock).
    pub time: String,
    /// The activity's title.
    pub activity: String,
    /// What happened.
    pub message: String,
    /// Whether it is an error.
    pub error: bool,
}

/// A workflow instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// `uniqid`-style id.
    pub id: String,
    /// The template it started from.
    pub template_id: u64,
    /// The template's name then.
    pub template_name: String,
    /// The template version it runs: a key of [`Engine::versions`].
    pub version: String,
    /// The record.
    pub kind: Kind,
    /// The record's id.
    pub record_id: u64,
    /// `DEAL_5`.
    pub document_id: String,
    /// Virtual unix time of the start.
    pub started: i64,
    /// Last change (virtual).
    pub modified: i64,
    /// Who started it.
    pub started_by: u64,
    /// The changed-field list the start path passed.
    pub modified_fields: Option<Vec<String>>,
    /// The state.
    pub status: Status,
    /// When a waiting instance resumes.
    pub wait_until: Option<i64>,
    /// Where it resumes (path of child indices to the delay).
    pub resume: Vec<usize>,
    /// The log.
    pub log: Vec<LogEntry>,
}

/// The engine's persisted state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Engine {
    /// Settings.
    pub options: EngineOptions,
    /// Seconds the virtual clock is ahead of the real one.
    pub clock_offset: i64,
    /// The last instance number.
    pub last_instance: u64,
    /// Running (waiting) instances by id.
    pub instances: BTreeMap<String, Instance>,
    /// The template versions running instances use (root activity by content hash), so
    /// an edited template does not change them and each version is stored once.
    pub versions: BTreeMap<String, Value>,
    /// Finished instances, oldest first (the last [`KEEP_FINISHED`]).
    pub finished: Vec<Instance>,
    /// Recorded effects, in order.
    pub outbox: Vec<Value>,
    /// The last outbox id.
    pub last_outbox: u64,
    /// Starts the platform refused (limit, recursion), newest last.
    pub refused: Vec<Value>,
    /// Templates running right now, innermost last: (template, kind, record).
    #[serde(skip)]
    pub(crate) active: Vec<(u64, Kind, u64)>,
}

/// How many finished instances (and refused starts) are kept for `b24flow.workflow.log`.
pub const KEEP_FINISHED: usize = 200;
/// How deep workflow-made changes may chain when `start_bp_within_bp` is on.
const MAX_CHAIN: usize = 8;

impl Engine {
    /// The virtual clock for a real unix time.
    pub fn now(&self, real: i64) -> i64 {
        real + self.clock_offset
    }
}

/// The record event that starts templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// Created (`CBPDocumentEventType::Create`, 1).
    Create,
    /// Changed (`CBPDocumentEventType::Edit`, 2).
    Edit,
}

/// Who made the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A REST call from outside.
    Rest,
    /// An activity of a running workflow.
    Workflow,
}

/// Starts the auto-start templates for a record event. `changed` is the list of changed
/// compatible field names (edits only); `now` is the virtual clock.
#[allow(clippy::too_many_arguments)] // the event's facts, each from a different source
pub(crate) fn record_event(
    state: &mut State,
    kind: Kind,
    id: u64,
    event: Event,
    changed: Option<Vec<String>>,
    origin: Origin,
    user: u64,
    now: i64,
) {
    if origin == Origin::Workflow && !state.engine.options.start_bp_within_bp {
        return;
    }
    let bit = match event {
        Event::Create => 1,
        Event::Edit => 2,
    };
    let [module, entity, doc_type] = kind.document_type();
    let templates: Vec<(u64, String, Value)> = state
        .templates
        .values()
        .filter(|t| t.module_id == module && t.entity == entity && t.document_type == doc_type)
        .filter(|t| t.auto_execute < super::portal::AUTOMATION && t.auto_execute & bit != 0)
        .map(|t| (t.id, t.name.clone(), root_of(&t.template)))
        .collect();
    // Only the newest starter passes the list, and only for edits.
    let modified = match (state.engine.options.core, event) {
        (Core::Starter, Event::Edit) => changed,
        _ => None,
    };
    let document_id = kind.document_id(id);
    for (template_id, name, root) in templates {
        let refuse = |state: &mut State, why: &str| {
            state.engine.refused.push(json!({
                "time": iso8601(now),
                "template_id": template_id,
                "document_id": document_id,
                "message": why,
            }));
            let len = state.engine.refused.len();
            if len > KEEP_FINISHED {
                state.engine.refused.drain(..len - KEEP_FINISHED);
            }
        };
        // A workflow's own change does not start that workflow again on the same record
        // (unconfirmed in the platform source; it keeps chains finite).
        if state.engine.active.contains(&(template_id, kind, id)) {
            refuse(
                state,
                "the template is already running on this document (its own change)",
            );
            continue;
        }
        if state.engine.active.len() >= MAX_CHAIN {
            refuse(state, "workflow-made changes chain too deep");
            continue;
        }
        let limit = state.engine.options.simultaneous_limit;
        let running = state
            .engine
            .instances
            .values()
            .filter(|i| i.kind == kind && i.record_id == id)
            .count();
        if limit > 0 && running >= limit as usize {
            refuse(
                state,
                &format!(
                    "Too many simultaneous business processes for this document (limit {limit})"
                ),
            );
            continue;
        }
        state.engine.last_instance += 1;
        let n = state.engine.last_instance;
        let version = version_key(&root);
        state.engine.versions.entry(version.clone()).or_insert(root);
        let inst = Instance {
            id: format!("{:08x}{:05x}.{:08}", now.max(0), n & 0xfffff, n),
            template_id,
            template_name: name,
            version,
            kind,
            record_id: id,
            document_id: document_id.clone(),
            started: now,
            modified: now,
            started_by: user,
            modified_fields: modified.clone(),
            status: Status::Running,
            wait_until: None,
            resume: Vec::new(),
            log: Vec::new(),
        };
        execute(state, inst, now);
    }
}

/// The root activity of a stored `TEMPLATE` (a one-element list).
fn root_of(template: &Value) -> Value {
    match template {
        Value::Array(items) => items.first().cloned().unwrap_or(Value::Null),
        Value::Object(m) => m.values().next().cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// Runs an instance until it completes, waits or fails, and files it.
fn execute(state: &mut State, mut inst: Instance, now: i64) {
    let mut missing = Vec::new();
    let root = state
        .engine
        .versions
        .get(&inst.version)
        .cloned()
        .unwrap_or(Value::Null);
    run::unsupported(&root, &mut missing);
    let flow = if missing.is_empty() {
        state
            .engine
            .active
            .push((inst.template_id, inst.kind, inst.record_id));
        let flow = run::Runner {
            state,
            inst: &mut inst,
            now,
        }
        .run();
        state.engine.active.pop();
        flow
    } else {
        let message = format!("the local portal does not support: {}", missing.join(", "));
        inst.log.push(LogEntry {
            time: iso8601(now),
            activity: "Template".into(),
            message: message.clone(),
            error: true,
        });
        run::Flow::Fail(message)
    };
    inst.modified = now;
    match flow {
        run::Flow::Suspend { path, until } => {
            inst.status = Status::Running;
            inst.resume = path;
            inst.wait_until = Some(until);
            state.engine.instances.insert(inst.id.clone(), inst);
        }
        flow => {
            inst.status = match flow {
                run::Flow::Terminate => Status::Terminated,
                run::Flow::Fail(_) => Status::Failed,
                _ => Status::Completed,
            };
            inst.wait_until = None;
            finish(state, inst);
        }
    }
    if state.engine.active.is_empty() {
        // Only at the outermost run: a chained run's instance may still be running above.
        collect_versions(state);
    }
}

/// A template version's key: SHA-256 of its JSON, hex.
fn version_key(root: &Value) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(root.to_string().as_bytes());
    digest.iter().take(12).fold(String::new(), |mut out, b| {
        use std::fmt::Write as _;
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Drops the versions no running instance uses.
fn collect_versions(state: &mut State) {
    let used: std::collections::BTreeSet<&String> = state
        .engine
        .instances
        .values()
        .map(|i| &i.version)
        .collect();
    let keep: Vec<String> = state
        .engine
        .versions
        .keys()
        .filter(|k| used.contains(k))
        .cloned()
        .collect();
    state.engine.versions.retain(|k, _| keep.contains(k));
}

fn finish(state: &mut State, mut inst: Instance) {
    inst.resume.clear();
    state.engine.finished.push(inst);
    let len = state.engine.finished.len();
    if len > KEEP_FINISHED {
        state.engine.finished.drain(..len - KEEP_FINISHED);
    }
}

/// Resumes every instance whose wait is over, earliest first. Returns how many resumed.
pub(crate) fn resume_due(state: &mut State, now: i64) -> usize {
    let mut resumed = 0;
    // Each resume can start others (chaining); the cap keeps a hostile loop finite.
    for _ in 0..10_000 {
        let next = state
            .engine
            .instances
            .values()
            .filter(|i| i.wait_until.is_some_and(|w| w <= now))
            .min_by(|a, b| a.wait_until.cmp(&b.wait_until).then(a.id.cmp(&b.id)))
            .map(|i| i.id.clone());
        let Some(id) = next else { break };
        let Some(mut inst) = state.engine.instances.remove(&id) else {
            break;
        };
        if state.crm.record(inst.kind, inst.record_id).is_none() {
            inst.status = Status::Terminated;
            inst.log.push(LogEntry {
                time: iso8601(now),
                activity: "Template".into(),
                message: "the document was deleted".into(),
                error: true,
            });
            finish(state, inst);
            continue;
        }
        inst.wait_until = None;
        execute(state, inst, now);
        resumed += 1;
    }
    resumed
}

/// Ends a record's running instances when it is deleted (the platform terminates them).
pub(crate) fn record_deleted(state: &mut State, kind: Kind, id: u64, now: i64) {
    let ids: Vec<String> = state
        .engine
        .instances
        .values()
        .filter(|i| i.kind == kind && i.record_id == id)
        .map(|i| i.id.clone())
        .collect();
    for wid in ids {
        if let Some(mut inst) = state.engine.instances.remove(&wid) {
            inst.status = Status::Terminated;
            inst.modified = now;
            finish(state, inst);
        }
    }
}

/// The document as conditions see it.
pub(crate) struct DocFacts<'a> {
    doc: Map<String, Value>,
    kind: Kind,
    modified: Option<&'a [String]>,
    core: Core,
    date_format: String,
}

impl<'a> DocFacts<'a> {
    pub(crate) fn new(state: &State, inst: &'a Instance) -> Option<DocFacts<'a>> {
        let format = state.engine.options.date_format.clone();
        Some(DocFacts {
            doc: state.crm.document(
                inst.kind,
                inst.record_id,
                &format,
                crm::StageBook(state.directory.as_ref()),
            )?,
            kind: inst.kind,
            modified: inst.modified_fields.as_deref(),
            core: state.engine.options.core,
            date_format: format,
        })
    }
}

impl condition::Facts for DocFacts<'_> {
    fn value(&self, field: &str) -> Option<Value> {
        match self.doc.get(field) {
            Some(v) => Some(v.clone()),
            None if field.starts_with("UF_") => Some(Value::Null),
            None => None,
        }
    }
    fn base_type(&self, field: &str) -> condition::BaseType {
        use crm::FieldType as F;
        match crm::field(self.kind, field).map(|f| f.ty) {
            Some(F::Double | F::Integer) => condition::BaseType::Double,
            Some(F::User) => condition::BaseType::User,
            Some(F::Date | F::DateTime) => condition::BaseType::Date,
            _ => condition::BaseType::String,
        }
    }
    fn modified(&self) -> Option<&[String]> {
        self.modified
    }
    fn core(&self) -> Core {
        self.core
    }
    fn timestamp(&self, text: &str) -> Option<i64> {
        super::dates::parse_site(text, &self.date_format)
    }
}

/// A plain document for [`evaluate_fieldcondition`].
struct PlainFacts<'a> {
    document: &'a Map<String, Value>,
    modified: Option<&'a [String]>,
    core: Core,
}

impl condition::Facts for PlainFacts<'_> {
    fn value(&self, field: &str) -> Option<Value> {
        self.document.get(field).cloned()
    }
    fn base_type(&self, _field: &str) -> condition::BaseType {
        condition::BaseType::String
    }
    fn modified(&self) -> Option<&[String]> {
        self.modified
    }
    fn core(&self) -> Core {
        self.core
    }
    fn timestamp(&self, text: &str) -> Option<i64> {
        super::dates::parse_site(text, "DD.MM.YYYY HH:MI:SS")
    }
}

/// Evaluates a `fieldcondition` property (rows `[field, operator, value, joiner]`)
/// against a document whose fields are all text, as the engine does: for tests and the
/// fuzz target. Never panics.
pub fn evaluate_fieldcondition(
    rows: &Value,
    document: &Map<String, Value>,
    modified: Option<&[String]>,
    core: Core,
) -> bool {
    condition::evaluate(
        rows,
        &PlainFacts {
            document,
            modified,
            core,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator::store::StoredTemplate;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(json!("")),
            Just(json!("{=Document:TITLE}")),
            Just(json!("{=Document:NOPE}")),
            Just(json!("{=Document:CONTACT_ID.PHONE}")),
            Just(json!("{=Document:ASSIGNED_BY_ID > printable}")),
            Just(json!("=dateadd({=System:Now}, \"1d\")")),
            Just(json!("=dateadd({=Document:CLOSEDATE}, \"-3i\")")),
            Just(json!("2026-01-31 10:00:00")),
            Just(json!("01.02.2026")),
            Just(json!(["user_1", "group_dr1", "author"])),
            Just(json!(["{=Document:ASSIGNED_BY_ID}"])),
            Just(json!("WON")),
            Just(json!("C1:WON")),
            Just(json!(31)),
            Just(json!({"TITLE": "x", "31_TITLE": "y", "STAGE_ID": "LOSE", "OPPORTUNITY": "abc"})),
            Just(json!("99999999999999999")),
            Just(json!("https://x.example.com")),
            ".{0,8}".prop_map(Value::from),
        ]
    }

    fn activity() -> impl Strategy<Value = Value> {
        let types = prop::sample::select(run::SUPPORTED.to_vec());
        let keys = prop::sample::select(vec![
            "Title",
            "TimeoutDuration",
            "TimeoutDurationType",
            "TimeoutTime",
            "FieldValue",
            "TargetStatus",
            "Responsible",
            "Fields",
            "DynamicTypeId",
            "DynamicEntitiesFields",
            "Description",
            "Deadline",
            "StartTime",
            "CommentText",
            "CommentUser",
            "MessageText",
            "Subject",
            "ProviderId",
            "RecipientType",
            "RecipientUser",
            "MessageUserFrom",
            "MessageUserTo",
            "MessageSite",
            "MessageFields",
            "Handler",
            "fieldcondition",
            "truecondition",
        ]);
        let leaf = (types.clone(), prop::collection::btree_map(keys.clone(), text(), 0..5)).prop_map(
            |(t, props)| json!({"Type": t, "Name": "A", "Activated": "Y", "Properties": props, "Children": []}),
        );
        leaf.prop_recursive(3, 20, 4, move |inner| {
            (types.clone(), prop::collection::btree_map(keys.clone(), text(), 0..4), prop::collection::vec(inner, 0..4))
                .prop_map(|(t, props, kids)| json!({"Type": t, "Name": "B", "Properties": props, "Children": kids}))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn no_template_makes_the_engine_panic(trees in prop::collection::vec(activity(), 1..3), chain in any::<bool>(), core in prop::sample::select(vec![Core::OldFc, Core::Cg, Core::Starter])) {
            let mut state = State::default();
            state.engine.options.start_bp_within_bp = chain;
            state.engine.options.core = core;
            for (i, tree) in trees.into_iter().enumerate() {
                let id = i as u64 + 1;
                let [m, e, t] = Kind::Deal.document_type();
                state.templates.insert(id, StoredTemplate {
                    id, module_id: m.into(), entity: e.into(), document_type: t.into(), auto_execute: 3,
                    name: "fuzz".into(), description: String::new(),
                    template: json!([{"Type": "SequentialWorkflowActivity", "Name": "Template", "Children": [tree]}]),
                    parameters: json!([]), variables: json!([]), constants: json!([]),
                    modified: String::new(), is_modified: false, user_id: 1, system_code: None,
                });
            }
            let contact = json!({"NAME": "A", "PHONE": [{"VALUE": "1"}], "EMAIL": [{"VALUE": "a@b.c"}], "IM": [{"VALUE": "imol|x|1"}]});
            let c = crm::rest::create_record(&mut state, Kind::Contact, contact.as_object().unwrap(), Origin::Rest, 1, 0).unwrap();
            let deal = json!({"TITLE": "D", "CONTACT_ID": c.to_string(), "CLOSEDATE": "2026-01-01"});
            let d = crm::rest::create_record(&mut state, Kind::Deal, deal.as_object().unwrap(), Origin::Rest, 1, 0).unwrap();
            let _ = crm::rest::update_record(&mut state, Kind::Deal, d, json!({"STAGE_ID": "WON"}).as_object().unwrap(), Origin::Rest, 1, 10);
            let _ = resume_due(&mut state, 10 * 365 * 86_400);
            prop_assert!(state.engine.active.is_empty());
        }
    }
}
