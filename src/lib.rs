//! b24flow: GitOps for Bitrix24 CRM automation.
//!
//! Data moves one way through the pipeline, and each stage has one owner:
//!
//! ```text
//! workflows/x.txt --nl--> Blueprint --validate--> workflows/x.lock.yaml        compile
//! x.lock.yaml --bizproc--> Template (activity tree) --bpt--> .bpt bytes         build
//! desired templates + live templates --plan--> Plan                             plan
//! Plan --apply--> REST writes (batched, rate-limited) --> portal                apply
//! ```
//!
//! | module | owns |
//! |---|---|
//! | [`catalog`] | the vocabulary: triggers, actions, entities, smart variables, trigger mapping |
//! | [`bizproc`] | blueprint to template, `.bpt` bytes (PHP serialize + zlib) and their JSON view |
//! | [`blueprint`] | the intermediate representation and its JSON Schema |
//! | [`nl`] | spec text to blueprint: the offline parser and the LLM parsers |
//! | [`validate`] | semantic rules and policy, as diagnostics |
//! | [`eval`] | scoring a parser on a labelled corpus |
//! | [`lockfile`] | reading and writing `*.lock.yaml`, hashes, staleness |
//! | [`project`] | finding specs and lockfiles under `workflows/` |
//! | [`compile`] | the compile operation: specs to lockfiles |
//! | [`build`] | the build operation: lockfiles to templates |
//! | [`config`] | `b24flow.toml` and the environment |
//! | [`bitrix`] | the REST client: auth, rate limit, retries, batch, template methods |
//! | [`emulator`] | a local Bitrix24 portal speaking the real REST protocol |
//! | [`serve`] | the HTTP API and the web builder page |
//!
//! Library code returns data and errors; it never prints and never exits. The `cli`
//! module of the binary renders results.

pub mod apply;
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
pub mod lockfile;
pub mod nl;
pub mod plan;
pub mod portal;
pub mod project;
pub mod serve;
pub mod validate;
pub mod yaml_path;

/// The JSON Schemas committed under `schema/`, generated from the types.
pub mod schema {
    /// `schema/blueprint.schema.json`.
    pub fn blueprint() -> String {
        pretty(&schemars::schema_for!(crate::blueprint::Blueprint))
    }

    /// `schema/lockfile.schema.json`.
    pub fn lockfile() -> String {
        pretty(&schemars::schema_for!(crate::lockfile::Lockfile))
    }

    /// `schema/plan.schema.json`: what `plan --format json` prints.
    pub fn plan() -> String {
        pretty(&schemars::schema_for!(crate::plan::PlanDocument<'static>))
    }

    /// `schema/parse-result.schema.json`: what `parse --json` prints.
    pub fn parse_result() -> String {
        pretty(&schemars::schema_for!(crate::nl::Outcome))
    }

    fn pretty(schema: &schemars::Schema) -> String {
        let mut text = serde_json::to_string_pretty(schema).expect("a schema serializes");
        text.push('\n');
        text
    }
}
