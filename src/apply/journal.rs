//! The apply journal: an append-only record of every write, one JSON object per line
//! (`.b24flow/journal.jsonl`, see [`crate::state::StateDir::journal`]).
//!
//! Invariants: the journal is a record, not a source of truth (the portal is); a line that
//! cannot be written never fails the write it records. The file is created 0600, and
//! every text in it has been through a [`Scrubber`]: a portal that echoes a token in an
//! error does not get it written to disk.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Failure;
use crate::bitrix::Scrubber;
use crate::plan::{Action, Change, FieldToCreate};

/// The append-only record of writes: one JSON object per line.
#[derive(Debug)]
pub struct Journal {
    path: Option<PathBuf>,
    portal: String,
    scrubber: Scrubber,
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
    /// For a user field the plan creates: its name (`action` is then `create`, and
    /// `workflow` the workflows that need it, joined by `,`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Why the apply ran, when it was not a plain apply: `rollback to <ref> (<commit>)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

impl Journal {
    /// A journal appending to `path`; text written to it is scrubbed of `scrubber`'s
    /// secrets (give it the client's and the environment's).
    pub fn open(path: PathBuf, portal: &str, scrubber: Scrubber) -> Journal {
        Journal {
            path: Some(path),
            portal: portal.to_owned(),
            scrubber,
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
            scrubber: Scrubber::new(),
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
        let entry = JournalEntry {
            time: unix_now(),
            portal: self.portal.clone(),
            workflow: change.id.clone(),
            action: change.action,
            event: event.to_owned(),
            template_id: template_id.or(change.template_id),
            error: error.map(|e| self.scrubber.scrub(&e.to_string())),
            field: None,
            context: self.context.clone(),
        };
        self.append(&entry);
    }

    /// Records what happened to a user field the plan creates: `done` (created),
    /// `present` (the portal had it) or `failed`.
    pub(super) fn record_field(&self, field: &FieldToCreate, event: &str, error: Option<&Failure>) {
        let entry = JournalEntry {
            time: unix_now(),
            portal: self.portal.clone(),
            workflow: field.workflows.join(","),
            action: Action::Create,
            event: event.to_owned(),
            template_id: None,
            error: error.map(|e| self.scrubber.scrub(&e.to_string())),
            field: Some(field.field_name.clone()),
            context: self.context.clone(),
        };
        self.append(&entry);
    }

    fn append(&self, entry: &JournalEntry) {
        let Some(path) = &self.path else { return };
        let mut line = serde_json::to_string(entry).expect("an entry serializes");
        line.push('\n');
        // The journal is a record, not a source of truth (the portal is): a write that
        // cannot be journalled still counts.
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        if let Ok(mut file) = options.open(path) {
            let _ = file.write_all(line.as_bytes());
        }
    }
}

pub(super) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Red-team 2.12: a portal's error text that echoes the token was journalled
    /// verbatim to a world-readable file.
    #[test]
    fn journal_lines_are_scrubbed_and_the_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let mut scrubber = Scrubber::new();
        scrubber.add("ACCESSSECRET777");
        let journal = Journal::open(path.clone(), "https://x.bitrix24.com", scrubber);
        let change = Change::new("deal-won", Action::Create, None, "Deal won", "new workflow");
        let error = Failure::Refused {
            method: "bizproc.workflow.template.add",
            description: "bad auth: ACCESSSECRET777".into(),
            code: "INVALID_CREDENTIALS".into(),
        };
        journal.record(&change, "failed", None, Some(&error));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("ACCESSSECRET777"), "{text}");
        assert!(text.contains("bad auth: ***"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
