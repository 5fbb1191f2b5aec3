//! The integration tests: one binary, one module per topic.

mod bitrix;
mod bpt;
mod bpt_fuzz;
mod build_cli;
mod cli;
mod clients;
mod corpus;
mod engine;
mod engine_catalog;
mod gitops;
mod llm;
mod schema;
mod seed_templates;
mod serve;
mod support;
