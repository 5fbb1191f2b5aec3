//! The endpoints' handlers: each reads its request, calls one operation in
//! [`crate::ops`] (or the parser), and answers with the operation's typed report or an
//! [`ApiError`] whose status and code say what went wrong.
//!
//! Invariants: bad input is a 4xx, never a 5xx; a problem is described in one line with
//! its causes and help, and never with an HTTP client error's text (it carries the
//! request URL, and some providers take the API key in the URL).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde_json::Value;

use super::history::Kind;
use super::types::{
    CreateRequest, Created, Deleted, DescriptionRequest, FileText, Health, HistoryList,
    HistoryQuery, ParserStatus, PortalStatus, Preview, SimulateRequest, TemplateList, TemplateView,
    Trace,
};
use super::{ApiError, AppState};
use crate::behave::{self, SimulateError, Simulation, sandbox};
use crate::blueprint::Blueprint;
use crate::config::Provider;
use crate::lockfile::ParserStamp;
use crate::nl::{Outcome, Parser, ParserSettings};
use crate::ops::{self, create, delete};
use crate::plan;
use crate::portal::Portal;
use crate::project::check_spec_bytes;
use crate::render;

type Shared = State<Arc<AppState>>;

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
        match portal(&state).await {
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
        explanation: None,
        mermaid: None,
        diagram_svg: None,
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
    let project = &state.project;
    let id = create::choose_id(project, request.id.as_deref(), &blueprint.name)
        .map_err(|e| api_error(e.into()))?;
    let workflow = create::workflow_files(project, &id).map_err(|e| api_error(e.into()))?;
    preview.id = Some(id.clone());
    preview.exists = workflow.spec_path.exists();
    {
        // Said and drawn from the blueprint, before the compiler: a refused workflow
        // still reads right.
        let config = &state.project.config;
        let none = std::collections::BTreeSet::new();
        preview.explanation = Some(crate::explain::explain(&blueprint, config));
        preview.mermaid = Some(crate::explain::mermaid(&blueprint, config, &none));
        preview.diagram_svg = Some(crate::explain::svg(&crate::explain::chart(
            &blueprint, config, &none,
        )));
    }
    let stamp = ParserStamp::new(&parser.identity());
    let prepared =
        match create::prepare(project, &workflow, &request.description, blueprint, &stamp) {
            Ok(p) => p,
            Err(problems) => {
                preview.problems = problems.iter().map(describe).collect();
                return Ok(Json(preview));
            }
        };
    preview.files = vec![
        FileText {
            path: workflow.spec_rel.clone(),
            text: request.description.clone(),
        },
        FileText {
            path: project.relative(&workflow.lock_path),
            text: prepared.loaded.text.clone(),
        },
    ];
    let d = &prepared.built.desired;
    preview.template = Some(TemplateView {
        name: d.name.clone(),
        document_type: d.document_type.clone(),
        auto_execute: d.auto_execute,
        auto_start: plan::auto_start_words(d.auto_execute),
        outline: render::tree::outline_json(&d.tree),
        tree: d.tree.clone(),
    });
    let live = match connect(&state).await {
        Ok(portal) => portal
            .live()
            .await
            .map(|live| (portal, live))
            .map_err(|e| api_error(e.into())),
        Err(e) => Err(e),
    };
    match live {
        Ok((portal, live)) => {
            let mut one = create::plan_one(&portal.label, &prepared.built, &live);
            match ops::plan::missing_fields(&portal, &create::needed_fields(&prepared.built)).await
            {
                Ok(fields) => one.set_fields(fields),
                Err(e) => preview.problems.push(api_error(e).body.error),
            }
            preview.plan = Some(plan::to_json(&one));
            preview.plan_text = Some(render::render_text(&one, render::Style { color: false }));
        }
        Err(e) => preview.problems.push(e.body.error),
    }
    Ok(Json(preview))
}

pub(super) async fn simulate(
    State(state): Shared,
    body: Result<Json<SimulateRequest>, JsonRejection>,
) -> Result<Json<Trace>, ApiError> {
    let request = json_body(body)?;
    let (text, blueprint, stamp) = match (request.description, request.blueprint) {
        (Some(description), None) => {
            let (parser, outcome) = parse(&state, &description).await?;
            match outcome {
                Outcome::NeedsClarification { questions } => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "needs_clarification",
                        "the description needs clarification; nothing was simulated",
                    )
                    .with_details(questions));
                }
                Outcome::Ok { workflow } => {
                    (description, workflow, ParserStamp::new(&parser.identity()))
                }
            }
        }
        (None, Some(blueprint)) => {
            let text = format!("{}\n", blueprint.name.trim());
            (text, blueprint.normalized(), api_stamp())
        }
        (description, blueprint) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_source",
                if description.is_some() && blueprint.is_some() {
                    "give `description` or `blueprint`, not both"
                } else {
                    "give the workflow to simulate as `description` or `blueprint`"
                },
            ));
        }
    };
    let project = &state.project;
    let id = create::choose_id(project, request.id.as_deref(), &blueprint.name)
        .map_err(|e| api_error(e.into()))?;
    let workflow = create::workflow_files(project, &id).map_err(|e| api_error(e.into()))?;
    let entity = blueprint.entity.clone();
    let trigger = blueprint.trigger.kind.clone();
    let prepared =
        create::prepare(project, &workflow, &text, blueprint, &stamp).map_err(|problems| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_workflow",
                "the workflow does not become a template, so it cannot be simulated",
            )
            .with_details(problems.iter().map(describe).collect())
        })?;
    let sim = match (request.record, request.events) {
        // Nothing said: fire the trigger on its sample record.
        (None, None) => match behave::file::kind_of(&entity) {
            Some(kind) => {
                let sample = behave::file::sample(&trigger, kind);
                Simulation {
                    record: sample.record,
                    events: sample.fire,
                }
            }
            None => Simulation {
                record: std::collections::BTreeMap::new(),
                events: Vec::new(),
            },
        },
        (record, events) => Simulation {
            record: record.unwrap_or_default(),
            events: events.unwrap_or_default(),
        },
    };
    let wanted = behave::beside_project(project, prepared.built);
    let trace = behave::simulate(project, &entity, &wanted, &sim)
        .await
        .map_err(|e| {
            let (status, code) = match &e {
                SimulateError::Entity { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "entity"),
                SimulateError::Input(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_simulation"),
                // The local portal could not be started: the server's trouble.
                SimulateError::Sandbox(sandbox::Error::Start { .. } | sandbox::Error::Temp(_)) => {
                    (StatusCode::INTERNAL_SERVER_ERROR, "sandbox")
                }
                // It refused the workflow, the record or a change: the request's values.
                SimulateError::Sandbox(_) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "simulation_refused")
                }
            };
            ApiError::new(status, code, describe(&miette::Report::new(e)))
        })?;
    Ok(Json(trace))
}

/// The stamp of a blueprint that came through the API rather than from a parser.
fn api_stamp() -> ParserStamp {
    ParserStamp {
        name: "api".into(),
        version: 1,
        model: None,
        prompt_sha256: None,
        catalog_sha256: crate::catalog::fingerprint(),
    }
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
    let stamp = api_stamp();
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
    let portal = connect(&state).await?;
    let list = ops::list::list(&portal).await.map_err(api_error)?;
    Ok(Json(list))
}

pub(super) async fn delete_bitrix_workflow(
    State(state): Shared,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Deleted>, ApiError> {
    let Path(id) =
        id.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "bad_path", e.body_text()))?;
    let _busy = state.writing.lock().await;
    let portal = connect(&state).await?;
    let target = delete::find(&portal, &id).await.map_err(api_error)?;
    let deleted = delete::delete(&portal, &state.project, &target)
        .await
        .map_err(api_error)?;
    state.history.record(
        Kind::Deleted,
        Some(&deleted.workflow),
        &format!("template {}", deleted.template_id),
    );
    Ok(Json(deleted))
}

pub(super) async fn plan(State(state): Shared) -> Result<Json<Value>, ApiError> {
    let wanted = ops::plan::wanted(&state.project).map_err(api_error)?;
    let portal = connect(&state).await?;
    let plan = ops::plan::compute(&portal, &wanted)
        .await
        .map_err(api_error)?;
    Ok(Json(plan::to_json(&plan)))
}

fn provider_name(provider: Provider) -> String {
    serde_json::to_value(provider)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

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

/// Drafts, connects, and creates one workflow; records what happened.
async fn create(
    state: &AppState,
    id: Option<&str>,
    text: &str,
    blueprint: Blueprint,
    stamp: &ParserStamp,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let _busy = state.writing.lock().await;
    let draft = create::draft(&state.project, id, text, blueprint, stamp)
        .map_err(|e| api_error(e.into()))?;
    let id = draft.workflow.id.clone();
    let portal = connect(state).await?;
    let mut written = |files: &[String]| {
        state
            .history
            .record(Kind::Created, Some(&id), &files.join(", "));
    };
    match create::create(&state.project, &portal, draft, &mut written).await {
        Ok(created) => {
            state.history.record(
                Kind::Applied,
                Some(&id),
                &created
                    .template_id
                    .map_or_else(|| "unchanged".to_owned(), |t| format!("template {t}")),
            );
            Ok((StatusCode::CREATED, Json(created)))
        }
        Err(e) => {
            if let ops::Error::Create(create::Error::ApplyFailed { error, .. }) = &e {
                state
                    .history
                    .record(Kind::ApplyFailed, Some(&id), &error.to_string());
            }
            Err(api_error(e))
        }
    }
}

/// The project's portal. A configured portal is connected once and then shared, so
/// requests share one client: one rate limiter, and one token refresher (the portal
/// rotates the refresh token, so two refreshing clients would lock each other out).
/// The built-in local portal is started per request, because commands run beside the
/// server change its state file, and an emulator reads that file when it starts; it
/// only writes the file on writes, which hold [`AppState::writing`].
pub(super) async fn portal(state: &AppState) -> Result<Arc<Portal>, crate::portal::Error> {
    if let Some(shared) = state.remote.get() {
        return Ok(Arc::clone(shared));
    }
    let portal = Arc::new(Portal::connect(&state.project, &state.env).await?);
    if portal.local.is_some() {
        return Ok(portal);
    }
    // Two first requests may both connect; the first stored wins, the other is dropped.
    Ok(Arc::clone(state.remote.get_or_init(|| portal)))
}

/// [`portal`], or the reply saying it cannot be reached.
async fn connect(state: &AppState) -> Result<Arc<Portal>, ApiError> {
    portal(state).await.map_err(|e| api_error(e.into()))
}

/// The reply for an operation's error: its status, a stable code, one line, and the
/// problems or files written as details.
fn api_error(e: ops::Error) -> ApiError {
    use create::Error as C;
    let e = match e {
        ops::Error::Create(C::Locked {
            lock,
            files_written,
        }) => {
            return ApiError::new(
                StatusCode::CONFLICT,
                "apply_locked",
                describe(&miette::Report::new(lock)),
            )
            .with_details(vec![written_note(&files_written)]);
        }
        ops::Error::Create(C::Invalid { problems }) => {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_workflow",
                C::Invalid {
                    problems: Vec::new(),
                }
                .to_string(),
            )
            .with_details(problems.iter().map(describe).collect());
        }
        ops::Error::Rest(ops::Rest(e)) => {
            return ApiError::new(
                StatusCode::BAD_GATEWAY,
                "portal_error",
                format!("the portal answered with an error: {e}"),
            );
        }
        other => other,
    };
    let mut e = e;
    let problems: Vec<String> = e.take_problems().iter().map(describe).collect();
    let (status, code) = match &e {
        ops::Error::Delete(delete::Error::NotFound { .. }) => {
            return ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string());
        }
        ops::Error::Delete(delete::Error::Unmanaged { .. }) => {
            return ApiError::new(
                StatusCode::CONFLICT,
                "unmanaged",
                format!("{e}; remove it in the portal's designer"),
            );
        }
        ops::Error::Create(C::ApplyFailed { files_written, .. }) => {
            return ApiError::new(StatusCode::BAD_GATEWAY, "apply_failed", e.to_string())
                .with_details(vec![written_note(files_written)]);
        }
        ops::Error::Create(C::Write { .. }) | ops::Error::Write { .. } => {
            return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "io", e.to_string());
        }
        ops::Error::Project(_) => (StatusCode::CONFLICT, "project"),
        ops::Error::InvalidLockfiles { .. } => (StatusCode::CONFLICT, "invalid_lockfiles"),
        ops::Error::Portal(_) => (StatusCode::BAD_GATEWAY, "portal_unreachable"),
        ops::Error::Create(C::BadId { .. } | C::Path(_)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "bad_id")
        }
        ops::Error::Create(C::Exists { .. } | C::IdsTaken { .. }) => {
            (StatusCode::CONFLICT, "exists")
        }
        ops::Error::Locked(_) | ops::Error::Create(C::Locked { .. }) => {
            (StatusCode::CONFLICT, "apply_locked")
        }
        ops::Error::Create(C::Invalid { .. }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_workflow")
        }
        ops::Error::Rest(_) | ops::Error::Instances { .. } => {
            (StatusCode::BAD_GATEWAY, "portal_error")
        }
        ops::Error::TooManyDeletes(_)
        | ops::Error::ReadPlan { .. }
        | ops::Error::BadPlan { .. }
        | ops::Error::PlanVersion { .. }
        | ops::Error::StalePlan { .. }
        | ops::Error::OtherPortal { .. }
        | ops::Error::Protected(_)
        | ops::Error::Target(_)
        | ops::Error::Pause(_)
        | ops::Error::Forget(_)
        | ops::Error::Rollback(_)
        | ops::Error::Import(_) => (StatusCode::CONFLICT, "plan"),
    };
    ApiError::new(status, code, describe(&miette::Report::new(e))).with_details(problems)
}

/// What a reply says when files were written before the portal step failed.
fn written_note(files: &[String]) -> String {
    format!(
        "{} were written; `b24flow apply` retries the portal",
        files.join(" and ")
    )
}

/// One line per problem: the message, its causes, then its help. An HTTP client error
/// is left out with everything below it: its text carries the request URL, and some
/// providers take the API key in the URL.
pub(super) fn describe(report: &miette::Report) -> String {
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
}
