//! `batch`: up to 50 commands in one request.
//!
//! Each command travels as `"method?php-query"` (batch.md). The reply nests the usual
//! envelope one level down: `result.result`, `result.result_error`, `result.result_total`,
//! `result.result_next`, `result.result_time`. Any of those sections is a JSON `[]` rather
//! than `{}` when empty (a PHP empty array), and `result` is a JSON list when every
//! command key is a consecutive integer from 0 (PHP serialises such arrays as lists).

use serde_json::{Map, Value};

use super::client::{Idempotency, value_u64};
use super::{Client, Error, Method, query};

/// Bitrix24's limit on commands per batch (`CRestUtil::BATCH_MAX_LENGTH`).
pub const MAX_COMMANDS: usize = 50;

/// A batch request under construction.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    halt: bool,
    commands: Vec<(String, String)>,
    unsafe_writes: bool,
}

/// One command's failure inside a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    /// The error code.
    pub code: String,
    /// Its description.
    pub description: String,
}

/// The outcome of a batch, by command key, in the order the portal sent them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchReply {
    /// Successful commands' `result`.
    pub results: Map<String, Value>,
    /// Failed commands.
    pub errors: Vec<(String, CommandError)>,
    /// `total` of list commands.
    pub totals: Map<String, Value>,
    /// `next` of list commands.
    pub nexts: Map<String, Value>,
}

impl BatchReply {
    /// The error of a command, if it failed.
    pub fn error(&self, key: &str) -> Option<&CommandError> {
        self.errors.iter().find(|(k, _)| k == key).map(|(_, e)| e)
    }

    /// The `total` of a command.
    pub fn total(&self, key: &str) -> Option<u64> {
        self.totals.get(key).and_then(value_u64)
    }
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Stop at the first failing command (`halt=1`).
    #[must_use]
    pub fn halt(mut self, halt: bool) -> Batch {
        self.halt = halt;
        self
    }

    /// Adds a command. `params` must be a JSON object (or null).
    pub fn push(&mut self, key: impl Into<String>, method: Method, params: &Value) -> &mut Batch {
        let empty = Map::new();
        let map = params.as_object().unwrap_or(&empty);
        let query = query::encode(map);
        if method == Method::TemplateAdd {
            self.unsafe_writes = true;
        }
        let method = method.name().to_owned();
        let cmd = if query.is_empty() {
            method
        } else {
            format!("{method}?{query}")
        };
        self.commands.push((key.into(), cmd));
        self
    }

    /// How many commands it holds.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }
}

impl Client {
    /// Runs a batch. Per-command failures are in the reply, not an `Err`.
    pub async fn batch(&self, batch: &Batch) -> Result<BatchReply, Error> {
        if batch.len() > MAX_COMMANDS {
            return Err(Error::InvalidRequest {
                method: Method::Batch.name().into(),
                message: format!(
                    "{} commands; a batch holds at most {MAX_COMMANDS}",
                    batch.len()
                ),
            });
        }
        let mut cmd = Map::new();
        for (key, command) in &batch.commands {
            cmd.insert(key.clone(), Value::String(command.clone()));
        }
        let params = serde_json::json!({ "halt": u8::from(batch.halt), "cmd": cmd });
        let idempotency = if batch.unsafe_writes {
            Idempotency::Unsafe
        } else {
            Idempotency::Safe
        };
        let reply = self.call_with(Method::Batch, params, idempotency).await?;
        let mut reply = parse_reply(&reply.result).map_err(|detail| Error::Malformed {
            method: Method::Batch.name().into(),
            status: 200,
            detail,
        })?;
        // Command errors are portal text that callers print and journal.
        let scrubber = self.scrubber();
        for (_, e) in &mut reply.errors {
            e.code = scrubber.scrub(&e.code);
            e.description = scrubber.scrub(&e.description);
        }
        Ok(reply)
    }
}

/// Parses the inner batch object.
pub(crate) fn parse_reply(result: &Value) -> Result<BatchReply, String> {
    let Value::Object(outer) = result else {
        return Err("`result` is not an object".into());
    };
    // A batch reply always carries both sections, even when empty.
    for required in ["result", "result_error"] {
        if !outer.contains_key(required) {
            return Err(format!("the batch reply has no `{required}` section"));
        }
    }
    let section = |name: &str| -> Result<Map<String, Value>, String> {
        match outer.get(name) {
            None | Some(Value::Null) => Ok(Map::new()),
            Some(Value::Object(m)) => Ok(m.clone()),
            // PHP sends an empty array as `[]`, and a list-keyed array as a JSON list.
            Some(Value::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect()),
            Some(_) => Err(format!("`{name}` is neither an object nor a list")),
        }
    };
    let mut errors = Vec::new();
    for (key, e) in section("result_error")? {
        let Value::Object(e) = e else {
            return Err(format!("the error of command `{key}` is not an object"));
        };
        let code = match e.get("error") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let description = e
            .get("error_description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        errors.push((key, CommandError { code, description }));
    }
    Ok(BatchReply {
        results: section("result")?,
        errors,
        totals: section("result_total")?,
        nexts: section("result_next")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_sections_are_lists() {
        let reply = parse_reply(&json!({
            "result": {"a": [1]}, "result_error": [], "result_total": {"a": 1},
            "result_next": [], "result_time": {"a": {}}
        }))
        .unwrap();
        assert_eq!(reply.results["a"], json!([1]));
        assert!(reply.errors.is_empty());
        assert_eq!(reply.total("a"), Some(1));
    }

    #[test]
    fn list_keyed_results_become_indexes() {
        let reply = parse_reply(&json!({
            "result": [5, 6], "result_error": {"2": {"error": "X", "error_description": "y"}},
            "result_total": [], "result_next": [], "result_time": []
        }))
        .unwrap();
        assert_eq!(reply.results["1"], json!(6));
        assert_eq!(reply.error("2").unwrap().code, "X");
    }

    #[test]
    fn wrong_types_are_errors() {
        assert!(parse_reply(&json!("x")).is_err());
        assert!(parse_reply(&json!({"result": [], "result_error": {"a": 5}})).is_err());
        assert!(parse_reply(&json!({"ID": "1"})).is_err());
        assert!(parse_reply(&json!({"result": 5})).is_err());
    }

    #[test]
    fn commands_are_encoded() {
        let mut b = Batch::new();
        b.push("d", Method::TemplateDelete, &json!({"ID": 7}));
        b.push("l", Method::TemplateList, &Value::Null);
        assert_eq!(b.commands[0].1, "bizproc.workflow.template.delete?ID=7");
        assert_eq!(b.commands[1].1, "bizproc.workflow.template.list");
    }
}
