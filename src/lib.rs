//! b24flow: GitOps for Bitrix24 CRM automation.
//!
//! Data moves one way through the pipeline, and each stage has one owner:
//!
//! ```text
//! workflows/x.txt --nl--> Blueprint --resolve--> workflows/x.lock.yaml         compile
//! x.lock.yaml --resolve--> Resolved --bizproc::lower--> Template --bpt--> .bpt   build
//! desired templates + live templates --plan--> Plan                             plan
//! Plan --apply--> REST writes (batched, rate-limited) --> portal                apply
//! ```
//!
//! | module | owns |
//! |---|---|
//! | [`catalog`] | the vocabulary: triggers, actions (and where each works), entities, smart variables, trigger mapping |
//! | [`resolve`] | every rule about blueprints: checks, resolution to a typed model, diagnostics |
//! | [`bizproc`] | resolved model to template (cannot fail), `.bpt` bytes (PHP serialize + zlib) and their JSON view |
//! | [`blueprint`] | the intermediate representation and its JSON Schema |
//! | [`nl`] | spec text to blueprint: the offline parser and the LLM parsers |
//! | [`eval`] | scoring a parser on a labelled corpus |
//! | [`lockfile`] | reading and writing `*.lock.yaml`, hashes, staleness |
//! | [`front_matter`] | a spec's settings block (`enabled: false`) and its body, which the parser reads |
//! | [`project`] | finding specs and lockfiles under `workflows/` |
//! | [`compile`] | the compile operation: specs to lockfiles |
//! | [`build`] | the build operation: lockfiles to templates |
//! | [`ops`] | the operations both front-ends call: plan, apply session, delete, list, drift, show, create, validate, pause, protect, targets |
//! | [`config`] | `b24flow.toml` and the environment |
//! | [`state`] | the paths under `.b24flow/` (local portal, journal, lock, history) |
//! | [`render`] | views for people: plan text and Markdown, the activity tree, the palette |
//! | [`explain`] | workflows and their changes in plain English, and as Mermaid diagrams |
//! | [`bitrix`] | the REST client: auth, rate limit, retries, batch, template methods |
//! | [`userfields`] | creating the user fields templates need (transition markers) on a portal |
//! | [`emulator`] | a local Bitrix24 portal speaking the real REST protocol |
//! | [`serve`] | the HTTP API and the web builder page |
//! | [`behave`] | behaviour tests: test files, cases run on a fresh local portal, simulations |
//!
//! Library code returns data and errors; it never prints and never exits. The `cli`
//! module of the binary renders results.

pub mod apply;
pub mod behave;
pub mod bitrix;
pub mod bizproc;
pub mod blueprint;
pub mod build;
pub mod catalog;
pub mod compile;
pub mod config;
pub mod digest;
pub mod emulator;
pub mod eval;
pub mod explain;
pub mod front_matter;
pub mod lockfile;
pub mod nl;
pub mod opaque;
pub mod ops;
pub mod plan;
pub mod portal;
pub mod project;
pub mod render;
pub mod resolve;
pub mod runner;
pub mod serve;
pub mod snapshot;
pub mod state;
pub mod userfields;

/// The JSON Schemas committed under `schema/`, generated from the types.
pub mod schema {
    /// `schema/blueprint.schema.json`.
    pub fn blueprint() -> String {
        pretty(&schemars::schema_for!(crate::blueprint::Blueprint))
    }

    /// `schema/lockfile.schema.json`: a compiled workflow's lockfile, or an opaque one's.
    pub fn lockfile() -> String {
        pretty(&schemars::schema_for!(crate::opaque::AnyLockfile))
    }

    /// `schema/plan.schema.json`: what `plan --format json` prints.
    pub fn plan() -> String {
        pretty(&schemars::schema_for!(crate::plan::PlanDocument<'static>))
    }

    /// `schema/list.schema.json`: what `list --json` prints and `GET /bitrix-workflows`
    /// serves.
    pub fn list() -> String {
        pretty(&schemars::schema_for!(crate::ops::list::TemplateList))
    }

    /// `schema/show.schema.json`: what `show --json` prints.
    pub fn show() -> String {
        pretty(&schemars::schema_for!(crate::ops::show::TemplateDocument))
    }

    /// `schema/explain.schema.json`: what `explain --json` prints.
    pub fn explain() -> String {
        pretty(&schemars::schema_for!(crate::explain::ExplainDocument))
    }

    /// `schema/parse-result.schema.json`: what `parse --json` prints.
    pub fn parse_result() -> String {
        pretty(&schemars::schema_for!(crate::nl::Outcome))
    }

    /// `schema/compile.schema.json`: what `compile --json` prints.
    pub fn compile() -> String {
        pretty(&schemars::schema_for!(crate::compile::CompileDocument))
    }

    /// `schema/compile-check.schema.json`: what `compile --check --json` prints.
    pub fn compile_check() -> String {
        pretty(&schemars::schema_for!(crate::compile::CheckDocument))
    }

    /// `schema/import.schema.json`: what `import --json` prints.
    pub fn import() -> String {
        pretty(&schemars::schema_for!(crate::ops::import::ImportReport))
    }

    /// `schema/validate.schema.json`: what `validate --json` prints.
    pub fn validate() -> String {
        pretty(&schemars::schema_for!(crate::ops::validate::Report))
    }

    /// `schema/test-file.schema.json`: a `workflows/<id>.test.yaml` file.
    pub fn test_file() -> String {
        pretty(&schemars::schema_for!(crate::behave::file::TestFile))
    }

    /// `schema/test-report.schema.json`: what `test --format json` prints.
    pub fn test_report() -> String {
        pretty(&schemars::schema_for!(crate::behave::Report))
    }

    /// `schema/environment.schema.json`: an `environments/<name>.yaml` snapshot.
    pub fn environment() -> String {
        pretty(&schemars::schema_for!(crate::snapshot::Snapshot))
    }

    fn pretty(schema: &schemars::Schema) -> String {
        let mut text = serde_json::to_string_pretty(schema).expect("a schema serializes");
        text.push('\n');
        text
    }
}
