//! The integration tests: one binary, one module per topic.

mod cli;
mod llm;
mod schema;
mod support;
