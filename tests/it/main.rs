//! The integration tests: one binary, one module per topic.

mod bitrix;
mod bpt;
mod cli;
mod compile;
mod corpus;
mod fuzz;
mod gitops;
mod llm;
mod schema;
mod support;
