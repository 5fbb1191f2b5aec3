//! The endpoints: request and reply types (their JSON Schemas make `/openapi.json`) and
//! the handlers, each a thin call into the library.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::history::{Event, Kind};
use super::{ApiError, AppState};
use crate::apply::{self, ApplyOptions, Journal, Lock};
use crate::blueprint::Blueprint;
use crate::build::{self, Built};
use crate::config::Provider;
use crate::lockfile::{self, Loaded, ParserStamp};
use crate::nl::{Outcome, Parser, ParserSettings};
use crate::plan::{self, Live, managed_id};
use crate::portal::Portal;
use crate::project::{Workflow, check_spec_bytes};

type Shared = State<Arc<AppState>>;

// --- Types ------------------------------------------------------------------------------

/// `POST /parse-workflow`, `POST /preview`, `POST /workflow`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DescriptionRequest {
    /// The automation in plain English, e.g. "When a deal is won, send a WhatsApp
    /// message to the client".
    #[schemars(length(min = 1, max = 16384))]
    pub description: String,
    /// The workflow id (the spec's file name without `.txt`); derived from the
    /// blueprint's name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// `POST /create-workflow`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    pub blueprint: Blueprint,
    /// The workflow id; derived from the blueprint's name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The spec text to write; a note naming the blueprint when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `GET /health`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Health {
    /// The b24flow version.
    pub version: String,
    pub parser: ParserStatus,
    pub portal: PortalStatus,
}

/// Which parser the project uses and which providers have a key (never the keys).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ParserStatus {
    /// `[parser] provider` from b24flow.toml: `offline`, `gemini`, `anthropic` or
    /// `openai`.
    pub provider: String,
    pub model: Option<String>,
    /// Providers whose API key is set in the environment, plus `offline`.
    pub available: Vec<String>,
}

/// Whether the portal answers.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PortalStatus {
    /// A URL without credentials, or `local` for the built-in portal.
    pub label: Option<String>,
    pub reachable: bool,
    /// How many templates it holds, when reachable.
    pub templates: Option<usize>,
    pub error: Option<String>,
}

/// A file's path (relative to the project) and its text.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FileText {
    pub path: String,
    pub text: String,
}

/// The compiled template, for people.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TemplateView {
    pub name: String,
    /// `[module, class, type]`.
    pub document_type: [String; 3],
    /// 0 (off), 1 (on create), 2 (on change).
    pub auto_execute: u8,
    /// `auto_execute` in words.
    pub auto_start: String,
    /// The activity tree as `bizproc.workflow.template.list` returns it.
    pub tree: Value,
    /// The tree as indented `Type "Title"` lines.
    pub outline: Vec<String>,
}

/// `POST /preview`: everything creating the workflow would do, without doing it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Preview {
    /// The parser's answer (`ok` or `needs_clarification`), as `POST /parse-workflow`.
    pub outcome: Outcome,
    /// The workflow id the files would get.
    pub id: Option<String>,
    /// Whether a spec with this id already exists (creating it would be refused).
    pub exists: bool,
    /// The spec and lockfile that would be written.
    pub files: Vec<FileText>,
    pub template: Option<TemplateView>,
    /// The plan for this one workflow (the same document as `GET /plan`).
    pub plan: Option<Value>,
    /// The plan as text, as `b24flow plan` prints it.
    pub plan_text: Option<String>,
    /// Why it could not be created as is.
    pub problems: Vec<String>,
}

/// `POST /create-workflow`, `POST /workflow`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Created {
    pub id: String,
    pub name: String,
    /// Files written, relative to the project root: commit them.
    pub files_written: Vec<String>,
    /// Where it was applied: a portal URL or `local`.
    pub portal: String,
    /// `create`, `update` or `no_op`.
    pub action: String,
    /// The portal's template id.
    pub template_id: Option<u64>,
    pub blueprint: Blueprint,
}

/// `GET /workflows` parameters.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// At most this many events (default 100, at most 1000).
    pub limit: Option<u32>,
}

/// `GET /workflows`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HistoryList {
    /// Newest first.
    pub events: Vec<Event>,
}

/// `GET /bitrix-workflows`: the same document as `b24flow list --json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TemplateList {
    pub format_version: u32,
    pub portal: String,
    pub templates: Vec<TemplateRow>,
}

/// One template in the portal.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TemplateRow {
    pub id: u64,
    /// E.g. `DEAL`.
    pub document_type: String,
    pub auto_execute: u8,
    pub name: String,
    /// The workflow id, for templates b24flow manages.
    pub workflow: Option<String>,
}

/// `DELETE /bitrix-workflows/{id}`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Deleted {
    pub template_id: u64,
    pub workflow: String,
    /// Set when the spec still exists (the next apply creates the template again).
    pub note: Option<String>,
}

// --- Handlers ---------------------------------------------------------------------------

pub(super) async fn health(State(state): Shared) -> Json<Health> {
    let config = &state.project.config.parser;
    let env = &state.env;
    let mut available = vec![provider_name(Provider::Offline)];
    for (provider, key) in [
        (Provider::Gemini, &env.gemini_api_key),
        (Provider::Anthropic, &env.anthropic_api_key),
        (Provider::Openai, &env.openai_api_key),
    ] {
        if key.is_some() {
            available.push(provider_name(provider));
        }
    }
    let portal = {
        let _busy = state.writing.lock().await;
        match Portal::connect(&state.project, &state.env).await {
            Err(e) => PortalStatus {
                label: None,
                reachable: false,
                templates: None,
                error: Some(e.to_string()),
            },
            Ok(portal) => match portal.live().await {
                Ok(live) => PortalStatus {
                    label: Some(portal.label.clone()),
                    reachable: true,
                    templates: Some(live.len()),
                    error: None,
                },
                Err(e) => PortalStatus {
                    label: Some(portal.label.clone()),
                    reachable: false,
                    templates: None,
                    error: Some(e.to_string()),
                },
            },
        }
    };
    Json(Health {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        parser: ParserStatus {
            provider: provider_name(config.provider),
            model: config.model.clone(),
            available,
        },
        portal,
    })
}

pub(super) async fn capabilities() -> Json<Value> {
    Json(serde_json::to_value(crate::catalog::Capabilities::get()).expect("the catalog serializes"))
}

pub(super) async fn parse_workflow(
    State(state): Shared,
    body: Result<Json<DescriptionRequest>, JsonRejection>,
) -> Result<Json<Outcome>, ApiError> {
    let request = json_body(body)?;
    let (_, outcome) = parse(&state, &request.description).await?;
    Ok(Json(outcome))
}

pub(super) async fn preview(
    State(state): Shared,
    body: Result<Json<DescriptionRequest>, JsonRejection>,
) -> Result<Json<Preview>, ApiError> {
    let request = json_body(body)?;
    let (parser, outcome) = parse(&state, &request.description).await?;
    let mut preview = Preview {
        outcome: outcome.clone(),
        id: None,
        exists: false,
        files: Vec::new(),
        template: None,
        plan: None,
        plan_text: None,
        problems: Vec::new(),
    };
    let Outcome::Ok {
        workflow: blueprint,
    } = outcome
    else {
        return Ok(Json(preview));
    };
    let id = match &request.id {
        Some(id) => check_id(id)?,
        None => free_id(&state, &blueprint.name)?,
    };
    let workflow = workflow_files(&state, &id)?;
    preview.id = Some(id.clone());
    preview.exists = workflow.spec_path.exists();
    let stamp = ParserStamp::new(&parser.identity());
    let prepared = match prepare(&state, &workflow, &request.description, blueprint, &stamp) {
        Ok(p) => p,
        Err(problems) => {
            preview.problems = problems;
            return Ok(Json(preview));
        }
    };
    preview.files = vec![
        FileText {
            path: workflow.spec_rel.clone(),
            text: request.description.clone(),
        },
        FileText {
            path: state.project.relative(&workflow.lock_path),
            text: prepared.loaded.text.clone(),
        },
    ];
    let d = &prepared.built.desired;
    preview.template = Some(TemplateView {
        name: d.name.clone(),
        document_type: d.document_type.clone(),
        auto_execute: d.auto_execute,
        auto_start: plan::auto_start_words(d.auto_execute),
        outline: crate::render::tree::outline_json(&d.tree),
        tree: d.tree.clone(),
    });
    let _busy = state.writing.lock().await;
    match connect(&state).await {
        Ok((portal, live)) => {
            let one = plan_one(&portal.label, &prepared.built, &live);
            preview.plan = Some(plan::to_json(&one));
            preview.plan_text = Some(crate::render::render_text(
                &one,
                crate::render::Style { color: false },
            ));
        }
        Err(e) => preview.problems.push(e.body.error),
    }
    Ok(Json(preview))
}

pub(super) async fn create_workflow(
    State(state): Shared,
    body: Result<Json<CreateRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let request = json_body(body)?;
    let text = match &request.description {
        Some(d) => checked_text(d)?,
        None => format!(
            "{}\n\nCreated through the b24flow HTTP API from a blueprint; the lockfile beside this file holds it.\nReplace this text with a description and run `b24flow compile` to parse it instead.\n",
            request.blueprint.name.trim()
        ),
    };
    // Not parsed from the text: the lockfile says the blueprint came through the API.
    let stamp = ParserStamp {
        name: "api".into(),
        version: 1,
        model: None,
        prompt_sha256: None,
        catalog_sha256: crate::catalog::fingerprint(),
    };
    create(
        &state,
        request.id.as_deref(),
        &text,
        request.blueprint,
        &stamp,
    )
    .await
}

pub(super) async fn workflow(
    State(state): Shared,
    body: Result<Json<DescriptionRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let request = json_body(body)?;
    let (parser, outcome) = parse(&state, &request.description).await?;
    match outcome {
        Outcome::NeedsClarification { questions } => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "needs_clarification",
            "the description needs clarification; nothing was written",
        )
        .with_details(questions)),
        Outcome::Ok { workflow } => {
            let stamp = ParserStamp::new(&parser.identity());
            create(
                &state,
                request.id.as_deref(),
                &request.description,
                workflow,
                &stamp,
            )
            .await
        }
    }
}

pub(super) async fn workflows(
    State(state): Shared,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> Result<Json<HistoryList>, ApiError> {
    let Query(query) =
        query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_query", e.body_text()))?;
    let limit = query.limit.unwrap_or(100);
    if limit > super::history::MAX_LIMIT {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_query",
            format!("limit is at most {}", super::history::MAX_LIMIT),
        ));
    }
    let events = state
        .history
        .recent(limit)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "history", e.to_string()))?;
    Ok(Json(HistoryList { events }))
}

pub(super) async fn bitrix_workflows(State(state): Shared) -> Result<Json<TemplateList>, ApiError> {
    let _busy = state.writing.lock().await;
    let (portal, live) = connect(&state).await?;
    let templates = live
        .iter()
        .map(|t| TemplateRow {
            id: t.id,
            document_type: t.document_type.clone(),
            auto_execute: t.auto_execute,
            name: t.name.clone(),
            workflow: managed_id(&t.description).map(str::to_owned),
        })
        .collect();
    Ok(Json(TemplateList {
        format_version: 1,
        portal: portal.label.clone(),
        templates,
    }))
}

pub(super) async fn delete_bitrix_workflow(
    State(state): Shared,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Deleted>, ApiError> {
    let Path(id) =
        id.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_path", e.body_text()))?;
    let _busy = state.writing.lock().await;
    let (portal, live) = connect(&state).await?;
    let by_template: Option<u64> = id.parse().ok();
    let Some(target) = live
        .iter()
        .find(|t| Some(t.id) == by_template || managed_id(&t.description) == Some(id.as_str()))
    else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no template `{id}` in the portal"),
        ));
    };
    let Some(workflow) = managed_id(&target.description) else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "unmanaged",
            format!(
                "template {} ({}) is not managed by b24flow; remove it in the portal's designer",
                target.id, target.name
            ),
        ));
    };
    portal
        .client
        .template_delete(target.id)
        .await
        .map_err(|e| portal_error(&e))?;
    state.history.record(
        Kind::Deleted,
        Some(workflow),
        &format!("template {}", target.id),
    );
    let spec = state
        .project
        .workflows_dir()
        .join(format!("{workflow}{}", crate::project::SPEC_EXT));
    Ok(Json(Deleted {
        template_id: target.id,
        workflow: workflow.to_owned(),
        note: spec.is_file().then(|| {
            format!(
                "workflows/{workflow}.txt still exists, so the next apply creates the template again; delete the spec and its lockfile to remove the workflow for good"
            )
        }),
    }))
}

pub(super) async fn plan(State(state): Shared) -> Result<Json<Value>, ApiError> {
    let (built, problems) = build::build_all(&state.project, &[]).map_err(|e| {
        ApiError::new(
            StatusCode::CONFLICT,
            "project",
            describe(&miette::Report::new(e)),
        )
    })?;
    if !problems.is_empty() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "invalid_lockfiles",
            format!(
                "{} problem(s) in the workflows; nothing was planned",
                problems.len()
            ),
        )
        .with_details(problems.iter().map(describe).collect()));
    }
    let _busy = state.writing.lock().await;
    let (portal, live) = connect(&state).await?;
    let desired: Vec<_> = built.into_iter().map(|b| b.desired).collect();
    Ok(Json(plan::to_json(&plan::build(
        &portal.label,
        &desired,
        &live,
    ))))
}

fn provider_name(provider: Provider) -> String {
    serde_json::to_value(provider)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

// --- The operations behind them ---------------------------------------------------------

/// A request body, or the 4xx that says why it is not one.
fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(t)| t).map_err(|rejection| {
        let status = rejection.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "not_json",
            StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
            _ => "bad_json",
        };
        // A rejection is always the client's fault; keep it a 4xx whatever axum says.
        let status = if status.is_client_error() {
            status
        } else {
            StatusCode::BAD_REQUEST
        };
        ApiError::new(status, code, rejection.body_text())
    })
}

/// The longest description accepted, in characters: a description is a paragraph.
pub const MAX_DESCRIPTION_CHARS: usize = 16 * 1024;

fn checked_text(description: &str) -> Result<String, ApiError> {
    let chars = description.chars().count();
    if chars > MAX_DESCRIPTION_CHARS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_description",
            format!(
                "the description has {chars} characters; at most {MAX_DESCRIPTION_CHARS} are accepted"
            ),
        ));
    }
    check_spec_bytes(description.as_bytes().to_vec(), "the description").map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_description",
            describe(&miette::Report::new(e)),
        )
    })
}

/// Parses with the project's parser; records the outcome.
async fn parse(state: &AppState, description: &str) -> Result<(Parser, Outcome), ApiError> {
    let text = checked_text(description)?;
    let settings = ParserSettings::resolve(&state.project.config.parser, None, None, None);
    let parser =
        Parser::from_settings(&settings, &state.project.config, &state.env).map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "parser_unavailable",
                describe(&miette::Report::new(e)),
            )
        })?;
    let outcome = parser.parse(&text).await.map_err(|e| {
        ApiError::new(
            StatusCode::BAD_GATEWAY,
            "parser_failed",
            describe(&miette::Report::new(e)),
        )
    })?;
    let outcome = match outcome {
        Outcome::Ok { workflow } => {
            state
                .history
                .record(Kind::Parsed, None, workflow.name.as_str());
            Outcome::Ok {
                workflow: workflow.normalized(),
            }
        }
        Outcome::NeedsClarification { questions } => {
            state
                .history
                .record(Kind::NeedsClarification, None, &questions.join(" "));
            Outcome::NeedsClarification { questions }
        }
    };
    Ok((parser, outcome))
}

/// The lockfile and template a workflow would get, nothing written.
struct Prepared {
    loaded: Loaded,
    built: Built,
}

fn prepare(
    state: &AppState,
    workflow: &Workflow,
    text: &str,
    blueprint: Blueprint,
    stamp: &ParserStamp,
) -> Result<Prepared, Vec<String>> {
    let project = &state.project;
    let lock = crate::compile::lockfile_for(
        project,
        workflow,
        text,
        blueprint,
        stamp,
        lockfile::Options::default(),
    )
    .map_err(|reports| reports.iter().map(describe).collect::<Vec<_>>())?;
    let loaded = Loaded {
        path: workflow.lock_path.clone(),
        text: lock.to_yaml(&project.schema_ref(&workflow.lock_path)),
        lockfile: lock,
    };
    let built = build::build_loaded(project, workflow, text, &loaded)
        .map_err(|reports| reports.iter().map(describe).collect::<Vec<_>>())?;
    Ok(Prepared { loaded, built })
}

/// Writes the spec and lockfile, then applies the one workflow.
async fn create(
    state: &AppState,
    id: Option<&str>,
    text: &str,
    blueprint: Blueprint,
    stamp: &ParserStamp,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let _busy = state.writing.lock().await;
    let id = match id {
        Some(id) => check_id(id)?,
        None => free_id(state, &blueprint.name)?,
    };
    let workflow = workflow_files(state, &id)?;
    if workflow.spec_path.exists() || workflow.lock_path.exists() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "exists",
            format!(
                "{} already exists; edit it and run `b24flow compile`, or choose another id",
                workflow.spec_rel
            ),
        ));
    }
    let blueprint = blueprint.normalized();
    let prepared =
        prepare(state, &workflow, text, blueprint.clone(), stamp).map_err(|problems| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_workflow",
                "the workflow cannot become a Bitrix24 template; nothing was written",
            )
            .with_details(problems)
        })?;
    // The portal must answer before anything is written, so a refused request leaves
    // no files behind.
    let (portal, live) = connect(state).await?;

    let lock_rel = state.project.relative(&workflow.lock_path);
    let write = |path: &std::path::Path, bytes: &[u8]| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        lockfile::write_atomic(path, bytes)
    };
    write(&workflow.spec_path, text.as_bytes()).map_err(|e| io_error(&workflow.spec_rel, &e))?;
    if let Err(e) = write(&workflow.lock_path, prepared.loaded.text.as_bytes()) {
        let _ = std::fs::remove_file(&workflow.spec_path);
        return Err(io_error(&lock_rel, &e));
    }
    let files_written = vec![workflow.spec_rel.clone(), lock_rel];
    state
        .history
        .record(Kind::Created, Some(&id), &files_written.join(", "));
    let written_note = format!(
        "{} were written; `b24flow apply` retries the portal",
        files_written.join(" and ")
    );

    let one = plan_one(&portal.label, &prepared.built, &live);
    let state_dir = state.project.root.join(".b24flow");
    let _lock =
        Lock::acquire(&state_dir.join("apply.lock"), &portal.label, false).map_err(|e| {
            ApiError::new(
                StatusCode::CONFLICT,
                "apply_locked",
                describe(&miette::Report::new(e)),
            )
            .with_details(vec![written_note.clone()])
        })?;
    let journal = Journal::open(state_dir.join("journal.jsonl"), &portal.label);
    let report = apply::apply(
        &portal.client,
        &portal,
        &one,
        &journal,
        ApplyOptions::default(),
        &|_| {},
    )
    .await;
    let change = one.changes.iter().find(|c| c.id == id);
    let action = change.map_or(plan::Action::NoOp, |c| c.action);
    let outcome = report.outcomes.iter().find(|o| o.id == id);
    if let Some(error) = outcome.and_then(|o| o.error.clone()) {
        state.history.record(Kind::ApplyFailed, Some(&id), &error);
        return Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "apply_failed",
            format!("the portal refused the template: {error}"),
        )
        .with_details(vec![written_note]));
    }
    let template_id = outcome
        .and_then(|o| o.template_id)
        .or_else(|| change.and_then(|c| c.template_id));
    state.history.record(
        Kind::Applied,
        Some(&id),
        &template_id.map_or_else(|| "unchanged".to_owned(), |t| format!("template {t}")),
    );
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id,
            name: prepared.built.desired.name.clone(),
            files_written,
            portal: portal.label.clone(),
            action: serde_json::to_value(action)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            template_id,
            blueprint,
        }),
    ))
}

/// The plan for one workflow: the other managed templates are left out, so they are
/// neither compared nor deleted.
fn plan_one(label: &str, built: &Built, live: &[Live]) -> plan::Plan {
    let id = built.desired.id.as_str();
    let mine: Vec<Live> = live
        .iter()
        .filter(|l| managed_id(&l.description) == Some(id))
        .cloned()
        .collect();
    plan::build(label, std::slice::from_ref(&built.desired), &mine)
}

async fn connect(state: &AppState) -> Result<(Portal, Vec<Live>), ApiError> {
    let portal = Portal::connect(&state.project, &state.env)
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                "portal_unreachable",
                describe(&miette::Report::new(e)),
            )
        })?;
    let live = portal.live().await.map_err(|e| portal_error(&e))?;
    Ok((portal, live))
}

fn portal_error(e: &crate::bitrix::Error) -> ApiError {
    ApiError::new(
        StatusCode::BAD_GATEWAY,
        "portal_error",
        format!("the portal answered with an error: {e}"),
    )
}

fn io_error(path: &str, e: &std::io::Error) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "io",
        format!("cannot write {path}: {e}"),
    )
}

/// A workflow id the API may create: lowercase words joined by `-`, at most 64
/// characters (no folders, so a request can never name a path outside `workflows/`).
fn check_id(id: &str) -> Result<String, ApiError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    if ok {
        Ok(id.to_owned())
    } else {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_id",
            format!(
                "`{id}` is not a workflow id: use lowercase letters, digits and single dashes, at most 64 characters"
            ),
        ))
    }
}

/// An id from the blueprint's name that no spec uses yet.
fn free_id(state: &AppState, name: &str) -> Result<String, ApiError> {
    let base = slug(name);
    for n in 1..1000 {
        let id = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if !workflow_files(state, &id)?.spec_path.exists() {
            return Ok(id);
        }
    }
    Err(ApiError::new(
        StatusCode::CONFLICT,
        "exists",
        format!("every id from `{base}` to `{base}-999` is taken; pass an id"),
    ))
}

/// `Deal won: WhatsApp the client` -> `deal-won-whatsapp-the-client`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(56).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "workflow".into()
    } else {
        out
    }
}

fn workflow_files(state: &AppState, id: &str) -> Result<Workflow, ApiError> {
    state.project.workflow(id).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_id",
            describe(&miette::Report::new(e)),
        )
    })
}

/// One line per problem: the message, its causes, then its help. An HTTP client error
/// is left out with everything below it: its text carries the request URL, and some
/// providers take the API key in the URL.
fn describe(report: &miette::Report) -> String {
    let mut line = report.to_string();
    let mut source = report.source();
    while let Some(s) = source {
        if s.downcast_ref::<reqwest::Error>().is_some() {
            break;
        }
        line.push_str(": ");
        line.push_str(&s.to_string());
        source = s.source();
    }
    if let Some(help) = report.help() {
        line.push_str(" (help: ");
        line.push_str(&help.to_string());
        line.push(')');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Deal won: WhatsApp the client"),
            "deal-won-whatsapp-the-client"
        );
        assert_eq!(slug("  ***  "), "workflow");
        assert_eq!(slug("Ünïcode — only"), "n-code-only");
        assert!(slug(&"x".repeat(300)).len() <= 56);
        assert!(check_id(&slug("A -- b")).is_ok());
    }

    #[derive(Debug, thiserror::Error, miette::Diagnostic)]
    #[error("cannot reach the provider")]
    #[diagnostic(help("check the network"))]
    struct Wrapped(#[source] reqwest::Error);

    #[tokio::test]
    async fn descriptions_never_show_a_request_url() {
        // Port 9 (discard) on loopback: refused at once, and the error names the URL.
        let e = reqwest::Client::new()
            .get("http://127.0.0.1:9/v1/models?key=sk-secret-123")
            .send()
            .await
            .unwrap_err();
        assert!(format!("{e}").contains("sk-secret-123"));
        let line = describe(&miette::Report::new(Wrapped(e)));
        assert_eq!(line, "cannot reach the provider (help: check the network)");
    }

    #[test]
    fn ids() {
        assert!(check_id("deal-won").is_ok());
        for bad in ["", "../x", "a/b", "A", "a--b", "-a", "a-", &"a".repeat(65)] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }
}
