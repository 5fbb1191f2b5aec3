//! The HTTP API's request and reply types; their JSON Schemas make `/openapi.json`.
//!
//! Replies that a command also prints are the operations' own types, re-exported here:
//! [`TemplateList`] (`list --json`), [`Deleted`], [`Created`], the plan document and
//! the simulation [`Trace`] (`simulate --json`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use std::collections::BTreeMap;

use super::history::Event as HistoryEvent;
use crate::behave::file::{Event, Scalar};
use crate::blueprint::Blueprint;
use crate::nl::Outcome;

pub use crate::behave::run::Trace;
pub use crate::ops::create::Created;
pub use crate::ops::delete::Deleted;
pub use crate::ops::list::{TemplateList, TemplateRow};

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

/// `POST /simulate`: a workflow that need not exist yet, played on a sample record in
/// a fresh local portal beside the project's workflows.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulateRequest {
    /// The automation in plain English, parsed as `POST /preview` parses it. Give this
    /// or `blueprint`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 16384))]
    pub description: Option<String>,
    /// A blueprint, as `POST /create-workflow` takes it. Give this or `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blueprint: Option<Blueprint>,
    /// The workflow id it plays as (a project workflow of this id is replaced); derived
    /// from the blueprint's name when absent, as on create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The record's fields, upper-case as in the blueprint, e.g. `{"STAGE_ID": "NEW"}`.
    /// When neither `record` nor `events` is given, the trigger's sample is played:
    /// e.g. a deal made at NEW and moved to WON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<BTreeMap<String, Scalar>>,
    /// What happens after the record is made, in order, as in a test file:
    /// `{"change": {"STAGE_ID": "WON"}}`, `{"wait": "2d"}`, or `{"create": {...}}` first
    /// to make the record then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<Event>>,
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
    /// The workflow in plain English, as `b24flow explain` says it.
    pub explanation: Option<crate::explain::Explanation>,
    /// The workflow's flowchart as Mermaid text, as `show --format mermaid` prints it.
    pub mermaid: Option<String>,
    /// The same flowchart drawn as a standalone SVG element (no script, text escaped),
    /// for the builder page to show offline.
    pub diagram_svg: Option<String>,
    /// The plan for this one workflow (the same document as `GET /plan`).
    pub plan: Option<Value>,
    /// The plan as text, as `b24flow plan` prints it.
    pub plan_text: Option<String>,
    /// Why it could not be created as is.
    pub problems: Vec<String>,
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
    pub events: Vec<HistoryEvent>,
}
