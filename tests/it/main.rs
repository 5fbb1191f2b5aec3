//! The integration tests: one binary, one module per topic.

mod bitrix;
mod bpt;
mod bpt_fuzz;
mod cli;
mod schema;
mod seed_templates;
mod support;
