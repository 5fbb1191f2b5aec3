//! Apply: carry a plan out against the portal, safely.
//!
//! Writes are sent in `batch` calls of up to 50 commands (or one request per change
//! when batching is off), through the client's rate limiter. One failing template does
//! not stop the others. A write whose reply was lost may or may not have happened, so
//! after each round the portal is listed again and the failed workflows are planned
//! afresh: a create that did commit is found by its ownership marker and not sent
//! twice, and a duplicate left by a re-sent create is deleted. Rounds repeat, with a
//! pause, until nothing fails or [`MAX_ROUNDS`] is reached. The same reasoning makes a
//! run that was killed midway safe to repeat.
//!
//! Invariant: a write whose outcome is unknown is never sent again until the portal has
//! been listed successfully. When the re-check listing fails (the client has already
//! spent its retries on it), apply stops at once and the report says the portal's state
//! is unknown ([`Report::state_unknown`]); the next apply starts from a fresh listing.
//!
//! Every write is recorded in an append-only [`Journal`] as soon as its outcome is known,
//! and a [`Lock`] keeps two applies of one project from interleaving; both live under
//! `.b24flow/` ([`crate::state::StateDir`]). The apply session that holds them around
//! this engine is [`crate::ops::apply`].

mod instances;
mod journal;
mod lock;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use crate::bitrix::{self, Batch, Client, MAX_COMMANDS, Method, NewTemplate, TemplateUpdate};
use crate::plan::{self, Action, Change, Desired, Disposal, Live, Plan};
use instances::Note;

pub use journal::{Journal, JournalEntry};
pub use lock::{Holder, Lock, LockError};

/// Rounds of writes and re-checks before apply gives up on a workflow.
pub const MAX_ROUNDS: u32 = 6;

/// How to apply.
#[derive(Debug, Clone, Copy)]
pub struct ApplyOptions {
    /// Send writes in `batch` calls.
    pub batch: bool,
    /// The pause before the first re-check; it doubles each round.
    pub pause: Duration,
    /// Terminate the running instances of the templates the plan deletes or replaces
    /// (`bizproc.workflow.terminate`), then delete them now, instead of retiring them.
    pub terminate_running: bool,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            batch: true,
            pause: Duration::from_millis(500),
            terminate_running: false,
        }
    }
}

/// What happened to one change.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The workflow id.
    pub id: String,
    pub action: Action,
    /// The template written (the new one for creates and replaces).
    pub template_id: Option<u64>,
    /// Why it failed, if it did.
    pub error: Option<Failure>,
    /// For a delete or replace: the old template was not deleted but retired (its
    /// instances still run; auto-start is off, and a later apply deletes it).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub retiring: bool,
    /// Running instances terminated first (`--terminate-running`).
    #[serde(skip_serializing_if = "is_zero")]
    pub terminated: usize,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Why one planned change was not carried out. Shown (and journalled, and serialized)
/// as one sentence.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Failure {
    #[error("the plan has no template for `{id}`")]
    NoTemplate { id: String },
    #[error("the plan has no template id for `{id}`")]
    NoTemplateId { id: String },
    #[error("the plan's template for `{id}` is not valid base64: {reason}")]
    BadBase64 { id: String, reason: String },
    /// One command of a batch was refused.
    #[error("{method}: {description} ({code})")]
    Refused {
        method: &'static str,
        description: String,
        code: String,
    },
    /// A running instance could not be terminated, so its template was not deleted.
    #[error("bizproc.workflow.terminate of instance {instance}: {description} ({code})")]
    Terminate {
        instance: String,
        description: String,
        code: String,
    },
    #[error("{method}: the portal answered without a template id")]
    NoTemplateIdInReply { method: &'static str },
    /// The whole batch call failed; its commands may or may not have run.
    #[error("the batch failed: {0}")]
    Batch(Arc<bitrix::Error>),
    /// A single request failed.
    #[error("{0}")]
    Request(Arc<bitrix::Error>),
    #[error("not sent")]
    NotSent,
    #[error("not applied")]
    NotApplied,
    /// A saved plan names a REST method b24flow does not call.
    #[error("the plan names an unknown method `{method}`")]
    UnknownMethod { method: String },
    /// The user field the workflow's template needs could not be created, so the
    /// template was not written (it would run its actions on every edit).
    #[error("the user field {field} could not be created: {reason}")]
    FieldMissing { field: String, reason: String },
    /// The last write failed, and listing the portal to re-check it failed as well.
    #[error("{before} (re-checking the portal failed too: {error})")]
    Recheck {
        before: Box<Failure>,
        error: Arc<bitrix::Error>,
    },
}

impl Serialize for Failure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What happened to one user field the plan creates.
#[derive(Debug, Clone, Serialize)]
pub struct FieldOutcome {
    pub field_name: String,
    /// Whether apply created it (false: the portal already had it).
    pub created: bool,
    /// Why it could not be created, if so.
    pub error: Option<Failure>,
}

/// Everything apply did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// One entry per user field the plan creates, before any template.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldOutcome>,
    /// One entry per planned change, in plan order.
    pub outcomes: Vec<Outcome>,
    /// Rounds of writes.
    pub rounds: u32,
    /// A write's outcome was unknown and the portal could not be listed to find out, so
    /// apply stopped without re-sending anything: run apply again.
    pub state_unknown: bool,
}

impl Report {
    /// Whether every change was carried out and the portal's state is known.
    pub fn complete(&self) -> bool {
        !self.state_unknown && self.failed() == 0
    }

    /// How many changes and fields failed.
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.error.is_some()).count()
            + self.fields.iter().filter(|f| f.error.is_some()).count()
    }
}

/// Creates the plan's user fields (each checked first, then added once: an add is not
/// idempotent), journalling each. Returns the outcomes and, for each workflow whose
/// field failed, the failure its template changes get instead of being written.
async fn ensure_fields(
    client: &Client,
    plan: &Plan,
    journal: &Journal,
) -> (Vec<FieldOutcome>, BTreeMap<String, Failure>) {
    let mut outcomes = Vec::new();
    let mut blocked = BTreeMap::new();
    for field in &plan.fields {
        let methods = (
            Method::from_name(&field.method),
            Method::from_name(&field.list_method),
        );
        let result = match methods {
            (Some(add_method), Some(list_method)) => crate::userfields::ensure_by(
                client,
                crate::userfields::Spec {
                    name: &field.field_name,
                    add_method,
                    add_params: &field.params,
                    list_method,
                    list_params: &field.list_params,
                },
            )
            .await
            .map_err(|e| Failure::Request(Arc::new(e))),
            (None, _) => Err(Failure::UnknownMethod {
                method: field.method.clone(),
            }),
            (_, None) => Err(Failure::UnknownMethod {
                method: field.list_method.clone(),
            }),
        };
        let outcome = match result {
            Ok(ensured) => {
                let created = matches!(ensured, crate::userfields::Ensured::Created(_));
                journal.record_field(field, if created { "done" } else { "present" }, None);
                FieldOutcome {
                    field_name: field.field_name.clone(),
                    created,
                    error: None,
                }
            }
            Err(error) => {
                journal.record_field(field, "failed", Some(&error));
                for w in &field.workflows {
                    blocked.insert(
                        w.clone(),
                        Failure::FieldMissing {
                            field: field.field_name.clone(),
                            reason: error.to_string(),
                        },
                    );
                }
                FieldOutcome {
                    field_name: field.field_name.clone(),
                    created: false,
                    error: Some(error),
                }
            }
        };
        outcomes.push(outcome);
    }
    (outcomes, blocked)
}

/// Lists the portal's templates; apply calls it to re-check after failures.
pub trait LiveSource {
    /// Every template in the portal.
    fn live(&self) -> impl std::future::Future<Output = Result<Vec<Live>, bitrix::Error>> + Send;
}

/// Carries `plan` out. `journal` records each write; `on_outcome` is told of each
/// settled change (for progress output).
pub async fn apply(
    client: &Client,
    source: &impl LiveSource,
    plan: &Plan,
    journal: &Journal,
    options: ApplyOptions,
    on_outcome: &(dyn Fn(&Outcome) + Sync),
) -> Report {
    let mut planned: Vec<Change> = plan.actionable().cloned().collect();
    // Fields first: a template whose marker field is missing imports fine but fires
    // on every edit (its SetFieldActivity write is dropped).
    let (fields, blocked) = ensure_fields(client, plan, journal).await;
    let mut notes = vec![Note::default(); planned.len()];
    for (i, change) in planned.iter().enumerate() {
        if let Some(failure) = blocked.get(&change.id)
            && change.action != Action::Delete
        {
            notes[i].failure = Some(failure.clone());
        }
    }
    // Then the running instances: ended (`--terminate-running`), or their templates
    // retired before anything is deleted or created.
    if options.terminate_running {
        instances::terminate(client, &mut planned, &mut notes, journal).await;
    }
    instances::retire(client, &mut planned, &mut notes, journal).await;
    let mut book = Book {
        planned: &planned,
        outcomes: vec![None; planned.len()],
        notes: &notes,
        on_outcome,
    };
    let mut pending = Vec::new();
    for (i, change) in planned.iter().enumerate() {
        if let Some(failure) = &notes[i].failure {
            book.finish(i, None, Some(failure.clone()));
        } else if notes[i].done {
            book.finish(i, change.template_id, None);
        } else {
            pending.push(change.clone());
        }
    }
    let mut rounds = 0;
    let mut pause = options.pause;
    let mut last_errors: BTreeMap<String, Failure> = BTreeMap::new();
    let mut state_unknown = false;

    while !pending.is_empty() && rounds < MAX_ROUNDS {
        rounds += 1;
        let results = if options.batch {
            run_batched(client, &pending, &plan.desired, journal).await
        } else {
            run_single(client, &pending, &plan.desired, journal).await
        };
        let mut failed = BTreeSet::new();
        for (change, result) in pending.iter().zip(results) {
            match result {
                Ok(template_id) => {
                    book.settle(change, template_id);
                }
                Err(error) => {
                    last_errors.insert(change.id.clone(), error);
                    failed.insert(change.id.clone());
                }
            }
        }
        if failed.is_empty() {
            break;
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(30));
        // Re-check the failed workflows against what the portal now holds.
        let live = match source.live().await {
            Ok(live) => live,
            Err(e) => {
                let e = Arc::new(e);
                for id in &failed {
                    let before = last_errors.remove(id).unwrap_or(Failure::NotApplied);
                    last_errors.insert(
                        id.clone(),
                        Failure::Recheck {
                            before: Box::new(before),
                            error: Arc::clone(&e),
                        },
                    );
                }
                // Never re-send a write whose outcome is unknown without having seen
                // the portal: that is how a lost create reply became a duplicate.
                state_unknown = true;
                break;
            }
        };
        let desired: Vec<Desired> = plan
            .desired
            .values()
            .filter(|d| failed.contains(&d.id))
            .cloned()
            .collect();
        let fresh = plan::build(&plan.portal, &desired, &live);
        pending = Vec::new();
        for c in fresh.changes.into_iter().filter(|c| failed.contains(&c.id)) {
            if c.action == Action::NoOp {
                // The write did happen; only its reply was lost.
                book.settle(&c, c.template_id);
            } else {
                pending.push(c);
            }
        }
        // A delete whose template is already gone is done.
        for id in &failed {
            if !pending.iter().any(|c| &c.id == id) {
                while book.settle_any(id) {}
            }
        }
    }
    for (i, change) in planned.iter().enumerate() {
        if book.outcomes[i].is_none() {
            let error = last_errors
                .get(&change.id)
                .cloned()
                .unwrap_or(Failure::NotApplied);
            book.finish(i, None, Some(error));
        }
    }
    Report {
        fields,
        outcomes: book.outcomes.into_iter().flatten().collect(),
        rounds,
        state_unknown,
    }
}

/// The outcome of each planned change, filled in as changes settle.
struct Book<'a> {
    planned: &'a [Change],
    outcomes: Vec<Option<Outcome>>,
    /// What the instance phases did, by planned change.
    notes: &'a [Note],
    on_outcome: &'a (dyn Fn(&Outcome) + Sync),
}

impl Book<'_> {
    /// Marks the planned change that `done` carries out as done: the same workflow, a
    /// delete for a delete (matched by template) and otherwise the write.
    fn settle(&mut self, done: &Change, template_id: Option<u64>) {
        let open = |i: &usize| self.outcomes[*i].is_none() && self.planned[*i].id == done.id;
        let is_delete = done.action == Action::Delete;
        let i = (0..self.planned.len())
            .filter(open)
            .find(|&i| {
                let p = &self.planned[i];
                (p.action == Action::Delete) == is_delete
                    && (!is_delete || p.template_id == done.template_id)
            })
            .or_else(|| (0..self.planned.len()).find(open));
        if let Some(i) = i {
            self.finish(i, template_id.or(self.planned[i].template_id), None);
        }
    }

    /// Marks the first unsettled planned change of workflow `id` as done. Returns
    /// whether there was one.
    fn settle_any(&mut self, id: &str) -> bool {
        let Some(i) = (0..self.planned.len())
            .find(|&i| self.outcomes[i].is_none() && self.planned[i].id == id)
        else {
            return false;
        };
        self.finish(i, self.planned[i].template_id, None);
        true
    }

    fn finish(&mut self, i: usize, template_id: Option<u64>, error: Option<Failure>) {
        let change = &self.planned[i];
        let outcome = Outcome {
            id: change.id.clone(),
            action: change.action,
            template_id,
            error,
            retiring: self.notes[i].retiring,
            terminated: self.notes[i].terminated,
        };
        (self.on_outcome)(&outcome);
        self.outcomes[i] = Some(outcome);
    }
}

/// One REST write of a change, typed until it is sent.
enum Command {
    Add(NewTemplate),
    Update { id: u64, update: TemplateUpdate },
    Delete { id: u64 },
}

impl Command {
    fn method(&self) -> Method {
        match self {
            Command::Add(_) => Method::TemplateAdd,
            Command::Update { .. } => Method::TemplateUpdate,
            Command::Delete { .. } => Method::TemplateDelete,
        }
    }

    fn params(&self) -> Value {
        match self {
            Command::Add(t) => t.params(),
            Command::Update { id, update } => update.params(*id),
            Command::Delete { id } => json!({ "ID": id }),
        }
    }
}

fn commands(change: &Change, desired: &BTreeMap<String, Desired>) -> Result<Vec<Command>, Failure> {
    let upload = || {
        desired.get(&change.id).ok_or_else(|| Failure::NoTemplate {
            id: change.id.clone(),
        })
    };
    let add = |d: &Desired| -> Result<Command, Failure> { Ok(Command::Add(new_template(d)?)) };
    let template_id = || {
        change.template_id.ok_or_else(|| Failure::NoTemplateId {
            id: change.id.clone(),
        })
    };
    Ok(match change.action {
        Action::NoOp => Vec::new(),
        Action::Create => vec![add(upload()?)?],
        Action::Update => {
            let d = upload()?;
            let update = TemplateUpdate {
                name: Some(d.name.clone()),
                description: Some(d.description.clone()),
                auto_execute: Some(d.auto_execute),
                bpt: Some((file_name(&d.id), bpt_bytes(d)?)),
            };
            vec![Command::Update {
                id: template_id()?,
                update,
            }]
        }
        // The instance phases ran before: what is left of a template that had running
        // instances is retiring (nothing more to do with it here), the rest is deleted.
        Action::Replace if disposal(change) != Disposal::DeleteNow => vec![add(upload()?)?],
        Action::Replace => vec![Command::Delete { id: template_id()? }, add(upload()?)?],
        Action::Delete if disposal(change) != Disposal::DeleteNow => Vec::new(),
        Action::Delete => vec![Command::Delete { id: template_id()? }],
    })
}

/// What happens to the template a delete or replace removes, as the plan read it. A
/// re-check round re-plans without reading instances: a template already retiring is
/// then left alone (only an apply that reads its instances deletes it).
fn disposal(change: &Change) -> Disposal {
    match &change.running {
        Some(r) => r.then,
        None if change.retiring => Disposal::StillRetiring,
        None => Disposal::DeleteNow,
    }
}

fn new_template(d: &Desired) -> Result<NewTemplate, Failure> {
    Ok(NewTemplate {
        document_type: d.document_type.clone(),
        name: d.name.clone(),
        description: d.description.clone(),
        auto_execute: d.auto_execute,
        file_name: file_name(&d.id),
        bpt: bpt_bytes(d)?,
    })
}

fn bpt_bytes(d: &Desired) -> Result<Vec<u8>, Failure> {
    base64::engine::general_purpose::STANDARD
        .decode(&d.bpt_base64)
        .map_err(|e| Failure::BadBase64 {
            id: d.id.clone(),
            reason: e.to_string(),
        })
}

fn file_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.bpt")
}

/// A command's outcome: for an add, the new id.
type CommandResult = Result<Option<u64>, Failure>;

/// Sends every change's commands in `batch` calls of at most 50, keeping a change's
/// commands together and in order. Returns one result per change.
async fn run_batched(
    client: &Client,
    changes: &[Change],
    desired: &BTreeMap<String, Desired>,
    journal: &Journal,
) -> Vec<CommandResult> {
    let mut results: Vec<Option<CommandResult>> = vec![None; changes.len()];
    let mut chunk: Vec<(usize, Vec<Command>)> = Vec::new();
    let mut size = 0;
    for (i, change) in changes.iter().enumerate() {
        match commands(change, desired) {
            Err(e) => results[i] = Some(Err(e)),
            Ok(cmds) => {
                if size + cmds.len() > MAX_COMMANDS {
                    run_chunk(
                        client,
                        changes,
                        std::mem::take(&mut chunk),
                        &mut results,
                        journal,
                    )
                    .await;
                    size = 0;
                }
                size += cmds.len();
                chunk.push((i, cmds));
            }
        }
    }
    run_chunk(client, changes, chunk, &mut results, journal).await;
    results
        .into_iter()
        .map(|r| r.unwrap_or(Err(Failure::NotSent)))
        .collect()
}

async fn run_chunk(
    client: &Client,
    changes: &[Change],
    chunk: Vec<(usize, Vec<Command>)>,
    results: &mut [Option<CommandResult>],
    journal: &Journal,
) {
    if chunk.is_empty() {
        return;
    }
    let mut batch = Batch::new().halt(false);
    for (i, cmds) in &chunk {
        journal.record(&changes[*i], "sent", None, None);
        for (j, cmd) in cmds.iter().enumerate() {
            batch.push(format!("c{i}_{j}"), cmd.method(), &cmd.params());
        }
    }
    match client.batch(&batch).await {
        Err(e) => {
            let e = Arc::new(e);
            for (i, _) in &chunk {
                let error = Failure::Batch(Arc::clone(&e));
                journal.record(&changes[*i], "unknown", None, Some(&error));
                results[*i] = Some(Err(error));
            }
        }
        Ok(reply) => {
            for (i, cmds) in &chunk {
                let mut outcome: CommandResult = Ok(None);
                for (j, cmd) in cmds.iter().enumerate() {
                    let k = format!("c{i}_{j}");
                    if let Some(err) = reply.error(&k) {
                        // A delete of a template that is already gone has done its job.
                        if matches!(cmd, Command::Delete { .. })
                            && err.code == "ERROR_TEMPLATE_NOT_FOUND"
                        {
                            continue;
                        }
                        outcome = Err(Failure::Refused {
                            method: cmd.method().name(),
                            description: err.description.clone(),
                            code: err.code.clone(),
                        });
                        break;
                    }
                    if let Command::Add(_) = cmd {
                        outcome = reply.results.get(&k).and_then(as_id).map(Some).ok_or(
                            Failure::NoTemplateIdInReply {
                                method: cmd.method().name(),
                            },
                        );
                    }
                }
                let (event, error) = match &outcome {
                    Ok(_) => ("done", None),
                    Err(e) => ("failed", Some(e)),
                };
                journal.record(
                    &changes[*i],
                    event,
                    outcome.as_ref().ok().copied().flatten(),
                    error,
                );
                results[*i] = Some(outcome);
            }
        }
    }
}

/// Sends each change's commands as single requests.
async fn run_single(
    client: &Client,
    changes: &[Change],
    desired: &BTreeMap<String, Desired>,
    journal: &Journal,
) -> Vec<CommandResult> {
    let mut out = Vec::with_capacity(changes.len());
    for change in changes {
        journal.record(change, "sent", None, None);
        let outcome = single(client, change, desired).await;
        let (event, error) = match &outcome {
            Ok(_) => ("done", None),
            Err(e) => ("failed", Some(e)),
        };
        journal.record(
            change,
            event,
            outcome.as_ref().ok().copied().flatten(),
            error,
        );
        out.push(outcome);
    }
    out
}

async fn single(
    client: &Client,
    change: &Change,
    desired: &BTreeMap<String, Desired>,
) -> CommandResult {
    let mut created = None;
    for cmd in commands(change, desired)? {
        let result = match &cmd {
            Command::Add(template) => client
                .template_add(template)
                .await
                .map(|id| created = Some(id)),
            Command::Delete { id } => match client.template_delete(*id).await {
                Err(e) if e.code() == Some("ERROR_TEMPLATE_NOT_FOUND") => Ok(()),
                other => other,
            },
            Command::Update { .. } => client.call(cmd.method(), cmd.params()).await.map(|_| ()),
        };
        result.map_err(|e| Failure::Request(Arc::new(e)))?;
    }
    Ok(created.or(change.template_id))
}

fn as_id(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(file_name("sales/deal won ✓"), "sales_deal_won__.bpt");
    }
}
