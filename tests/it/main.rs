//! The integration tests: one binary, one module per topic.

mod agreement;
mod behave;
mod bitrix;
mod bpt;
mod bpt_fuzz;
mod build_cli;
mod cli;
mod clients;
mod corpus;
mod engine;
mod engine_catalog;
mod events;
mod explain;
mod gitops;
mod harden;
mod hostile_portal;
mod lifecycle;
mod llm;
mod old_templates;
mod project_files;
mod runner;
mod schema;
mod seed_templates;
mod serve;
mod snapshots;
mod support;
