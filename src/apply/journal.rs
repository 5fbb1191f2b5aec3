//! The apply journal: an append-only record of every write, one JSON object per line
//! (`.b24flow/journal.jsonl`, see [`crate::state::StateDir::journal`]).
//!
//! Invariant: the journal is a record, not a source of truth (the portal is); a line that
//! cannot be written never fails the write it records.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Failure;
use crate::plan::{Action, Change};

/// The append-only record of writes: one JSON object per line.
#[derive(Debug)]
pub struct Journal {
    path: Option<PathBuf>,
    portal: String,
    context: Option<String>,
}

/// One journal line.
#[derive(Debug, Serialize, Deserialize)]
pub struct JournalEntry {
    pub time: u64,
    pub portal: String,
    pub workflow: String,
    pub action: Action,
    /// `sent`, `done`, `failed` or `unknown` (the reply was lost).
    pub event: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Why the apply ran, when it was not a plain apply: `rollback to <ref> (<commit>)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

impl Journal {
    /// A journal appending to `path`.
    pub fn open(path: PathBuf, portal: &str) -> Journal {
        Journal {
            path: Some(path),
            portal: portal.to_owned(),
            context: None,
        }
    }

    /// The same journal, with every line saying why the apply ran (a rollback).
    #[must_use]
    pub fn with_context(mut self, context: impl Into<String>) -> Journal {
        self.context = Some(context.into());
        self
    }

    /// A journal that records nothing (for tests and benches).
    pub fn discard() -> Journal {
        Journal {
            path: None,
            portal: String::new(),
            context: None,
        }
    }

    pub(super) fn record(
        &self,
        change: &Change,
        event: &str,
        template_id: Option<u64>,
        error: Option<&Failure>,
    ) {
        let Some(path) = &self.path else { return };
        let entry = JournalEntry {
            time: unix_now(),
            portal: self.portal.clone(),
            workflow: change.id.clone(),
            action: change.action,
            event: event.to_owned(),
            template_id: template_id.or(change.template_id),
            error: error.map(ToString::to_string),
            context: self.context.clone(),
        };
        let mut line = serde_json::to_string(&entry).expect("an entry serializes");
        line.push('\n');
        // The journal is a record, not a source of truth (the portal is): a write that
        // cannot be journalled still counts.
        if let Ok(mut file) = OpenOptions::new().create(true).append(true).open(path) {
            let _ = file.write_all(line.as_bytes());
        }
    }
}

pub(super) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
