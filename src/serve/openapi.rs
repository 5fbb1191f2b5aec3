//! `GET /openapi.json`: an OpenAPI 3.1 document whose schemas are generated from the
//! request and reply types with schemars (OpenAPI 3.1 uses JSON Schema 2020-12, which
//! is what schemars writes), so the document cannot drift from the handlers' types.

use std::sync::LazyLock;

use axum::Json;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value, json};

use super::ErrorBody;
use super::types::{
    CreateRequest, Created, Deleted, DescriptionRequest, Health, HistoryList, Preview,
    SimulateRequest, TemplateList, Trace,
};
use crate::nl::Outcome;

static DOCUMENT: LazyLock<Value> = LazyLock::new(document);

pub(super) async fn serve() -> Json<Value> {
    Json(DOCUMENT.clone())
}

/// One operation, described.
struct Op {
    method: &'static str,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    request: Option<Schema>,
    /// The success status and its body.
    ok: (&'static str, Schema),
    parameters: Value,
}

/// The whole document.
pub(super) fn document() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    let mut g: SchemaGenerator = settings.into_generator();
    let object = || schemars::json_schema!({"type": "object"});
    let ops = vec![
        Op {
            method: "get",
            path: "/health",
            id: "health",
            summary: "Version, parser status (which providers have a key, never the keys) and portal reachability.",
            request: None,
            ok: ("200", sub::<Health>(&mut g)),
            parameters: json!([]),
        },
        Op {
            method: "get",
            path: "/capabilities",
            id: "capabilities",
            summary: "The catalog: triggers, actions, entities, smart variables (as `b24flow capabilities --json`).",
            request: None,
            ok: ("200", object()),
            parameters: json!([]),
        },
        Op {
            method: "post",
            path: "/parse-workflow",
            id: "parseWorkflow",
            summary: "Parse a description into a blueprint, or the questions it raises (as `b24flow parse --json`). Calls no portal.",
            request: Some(sub::<DescriptionRequest>(&mut g)),
            ok: ("200", sub::<Outcome>(&mut g)),
            parameters: json!([]),
        },
        Op {
            method: "post",
            path: "/preview",
            id: "preview",
            summary: "Parse a description and show what creating it would do: the files, the template tree and the plan. Writes nothing.",
            request: Some(sub::<DescriptionRequest>(&mut g)),
            ok: ("200", sub::<Preview>(&mut g)),
            parameters: json!([]),
        },
        Op {
            method: "post",
            path: "/simulate",
            id: "simulate",
            summary: "Play a workflow (a description or a blueprint, not yet created) on a sample record in a fresh local portal beside the project's workflows, and answer with the trace: which templates started, which conditions held or failed, each effect with its resolved recipients and text (as `b24flow simulate --json`). Writes nothing.",
            request: Some(sub::<SimulateRequest>(&mut g)),
            ok: ("200", sub::<Trace>(&mut g)),
            parameters: json!([]),
        },
        Op {
            method: "post",
            path: "/create-workflow",
            id: "createWorkflow",
            summary: "Write a blueprint's spec and lockfile under workflows/ and create its template in the portal.",
            request: Some(sub::<CreateRequest>(&mut g)),
            ok: ("201", sub::<Created>(&mut g)),
            parameters: json!([]),
        },
        Op {
            method: "post",
            path: "/workflow",
            id: "workflow",
            summary: "Parse a description, write its spec and lockfile, and create its template: /parse-workflow and /create-workflow in one call.",
            request: Some(sub::<DescriptionRequest>(&mut g)),
            ok: ("201", sub::<Created>(&mut g)),
            parameters: json!([]),
        },
        Op {
            method: "get",
            path: "/workflows",
            id: "history",
            summary: "What was parsed, created, applied and deleted through the API, newest first.",
            request: None,
            ok: ("200", sub::<HistoryList>(&mut g)),
            parameters: json!([{
                "name": "limit",
                "in": "query",
                "required": false,
                "description": "At most this many events (default 100).",
                "schema": {"type": "integer", "minimum": 0, "maximum": super::history::MAX_LIMIT}
            }]),
        },
        Op {
            method: "get",
            path: "/bitrix-workflows",
            id: "listTemplates",
            summary: "Every template in the portal, managed by b24flow or not (as `b24flow list --json`).",
            request: None,
            ok: ("200", sub::<TemplateList>(&mut g)),
            parameters: json!([]),
        },
        Op {
            method: "delete",
            path: "/bitrix-workflows/{id}",
            id: "deleteTemplate",
            summary: "Delete one template b24flow manages, by workflow id or template id (as `b24flow delete`).",
            request: None,
            ok: ("200", sub::<Deleted>(&mut g)),
            parameters: json!([{
                "name": "id",
                "in": "path",
                "required": true,
                "description": "A workflow id (e.g. deal-won) or a template id (e.g. 12).",
                "schema": {"type": "string"}
            }]),
        },
        Op {
            method: "get",
            path: "/plan",
            id: "plan",
            summary: "What apply would change in the portal (as `b24flow plan --format json`).",
            request: None,
            ok: ("200", sub::<crate::plan::PlanDocument<'static>>(&mut g)),
            parameters: json!([]),
        },
        Op {
            method: "get",
            path: "/openapi.json",
            id: "openapi",
            summary: "This document.",
            request: None,
            ok: ("200", object()),
            parameters: json!([]),
        },
    ];
    let error = g.subschema_for::<ErrorBody>();
    let mut paths = Map::new();
    for op in ops {
        let mut operation = json!({
            "operationId": op.id,
            "summary": op.summary,
            "parameters": op.parameters,
            "responses": {
                op.ok.0: {
                    "description": "Success.",
                    "content": {"application/json": {"schema": op.ok.1}}
                },
                "default": {
                    "description": "An error: 4xx for bad input, 502 when the portal or the parser's provider fails.",
                    "content": {"application/json": {"schema": error}}
                }
            }
        });
        if let Some(request) = op.request {
            operation["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": request}}
            });
        }
        let entry = paths
            .entry(op.path)
            .or_insert_with(|| Value::Object(Map::new()));
        entry[op.method] = operation;
    }
    paths.insert("/events".into(), events(&mut g, &error));
    let schemas = Value::Object(g.take_definitions(true));
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "b24flow",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Build Bitrix24 automation from plain-English descriptions. Created workflows are written to workflows/ as a spec and a lockfile (commit them) and applied to the portal. When the server has B24FLOW_API_TOKEN (required off loopback), every request needs `Authorization: Bearer <token>`."
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{}, {"bearer": []}]
    })
}

/// `POST /events`: a form body as Bitrix24 posts it (bracket keys), or the same as
/// JSON; authenticated by its `auth[application_token]`, not the bearer token.
fn events(g: &mut SchemaGenerator, error: &Schema) -> Value {
    let event = json!({
        "type": "object",
        "required": ["event", "auth"],
        "properties": {
            "event": {"type": "string", "description": "The event name, e.g. ONTASKUPDATE."},
            "event_handler_id": {"type": "string"},
            "data": {"type": "object", "description": "The event's data, e.g. {\"FIELDS_AFTER\": {\"ID\": \"12\"}} for tasks."},
            "ts": {"type": "string"},
            "auth": {
                "type": "object",
                "required": ["application_token"],
                "properties": {"application_token": {"type": "string"}}
            }
        }
    });
    json!({"post": {
        "operationId": "receiveEvent",
        "summary": "Receive a Bitrix24 online event (ONTASKADD, ONTASKUPDATE, ONCALENDARENTRYADD, ONCRMACTIVITYADD) and run the runner workflows it starts, once: the same state as `b24flow run`. Needs B24FLOW_APPLICATION_TOKEN on the server; the event must carry it as auth[application_token] (401 otherwise).",
        "security": [{}],
        "requestBody": {
            "required": true,
            "content": {
                "application/x-www-form-urlencoded": {"schema": event},
                "application/json": {"schema": event}
            }
        },
        "responses": {
            "200": {
                "description": "What the event started (as `b24flow run --json`).",
                "content": {"application/json": {"schema": sub::<crate::runner::run::Report>(g)}}
            },
            "default": {
                "description": "401 without the right application token, 403 when online events are off, 4xx for a malformed or unknown event, 502 when the portal fails.",
                "content": {"application/json": {"schema": error}}
            }
        }
    }})
}

fn sub<T: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    g.subschema_for::<T>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ref_resolves() {
        let doc = document();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = &part[..part.find('"').unwrap()];
            assert!(
                schemas.contains_key(name),
                "{name} is referenced but not defined"
            );
        }
        assert!(
            !text.contains("\"$defs\""),
            "nested $defs escape the components"
        );
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["paths"]["/bitrix-workflows/{id}"]["delete"].is_object());
        assert!(doc["paths"]["/simulate"]["post"]["requestBody"].is_object());
    }
}
