//! The integration tests: one binary, one module per topic.

mod cli;
mod schema;
mod support;
