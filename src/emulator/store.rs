//! The emulated portal's data: business process templates, rotated refresh tokens, the
//! CRM records and the business-process engine's instances and outbox, persisted as one
//! JSON file.
//!
//! Invariants: after every write the whole state is written to a temp file (mode 0600)
//! in the same directory and renamed over the state file, so a crash leaves the old or
//! the new state, never a torn one. Several processes may serve one state file (the
//! built-in local portal of `apply`, `delete` and `serve` in one project): each request
//! runs under an exclusive [`FileLock`] on `<state file>.lock` and reloads the state
//! first when another process rewrote it ([`Stamp`]), so no write is lost.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A stored template, with the decoded `.bpt` parts `list` returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredTemplate {
    /// The id.
    pub id: u64,
    /// `crm`, `lists`, `disk`.
    pub module_id: String,
    /// The document entity class.
    pub entity: String,
    /// The document type, e.g. `DEAL`.
    pub document_type: String,
    /// 0–3 for templates; robot templates carry 8 (automation) and `list` hides them.
    pub auto_execute: u8,
    /// The name.
    pub name: String,
    /// The description.
    pub description: String,
    /// The decoded `TEMPLATE`.
    pub template: Value,
    /// The decoded `PARAMETERS`.
    pub parameters: Value,
    /// The decoded `VARIABLES`.
    pub variables: Value,
    /// The decoded `CONSTANTS`.
    pub constants: Value,
    /// ISO-8601 time of the last change.
    pub modified: String,
    /// Whether a typical template was changed by hand.
    pub is_modified: bool,
    /// Who saved it.
    pub user_id: u64,
    /// `rest_app_<id>` for templates an application created; `None` for hand-made ones.
    pub system_code: Option<String>,
}

/// What identifies one version of the state file on disk: every save renames a new
/// file over it, so its inode (and usually its time and size) changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl Stamp {
    /// The stamp of the file at `path` now; `None` when there is none.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        })
    }
}

/// An exclusive advisory lock on `<state file>.lock`, held while one request reads and
/// writes the state; released when dropped.
#[derive(Debug)]
pub(crate) struct FileLock {
    _file: File,
}

impl FileLock {
    /// Waits for and takes the lock beside `state_file`.
    pub(crate) fn take(state_file: &Path) -> std::io::Result<FileLock> {
        let mut name = state_file.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path)?;
        file.lock()?;
        Ok(FileLock { _file: file })
    }
}

/// Everything the emulator persists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// The id the next template gets.
    pub next_id: u64,
    /// Templates by id.
    pub templates: BTreeMap<u64, StoredTemplate>,
    /// The current refresh token of each application, by client id.
    pub refresh_tokens: BTreeMap<String, String>,
    /// CRM records, tasks, activities and comments.
    pub crm: super::crm::Crm,
    /// Workflow instances, the virtual clock, the outbox and the engine settings.
    pub engine: super::engine::Engine,
    /// REST event bindings, the offline event queue and calendar entries.
    pub events: super::events::Events,
    /// Pipelines, stages, users, departments and types when they differ from the
    /// defaults (a seeded copy, or stages changed through REST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<super::crm::directory::Directory>,
}

impl State {
    /// Loads the state file; a missing file is an empty portal.
    pub fn load(path: &Path) -> std::io::Result<State> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(e),
        }
    }

    /// Writes the state atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".emulator-state")
            .tempfile_in(dir)?;
        let text = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        tmp.write_all(&text)?;
        tmp.write_all(b"\n")?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Allocates a template id (ids start at 1 and are never reused).
    pub fn allocate_id(&mut self) -> u64 {
        let id = self
            .next_id
            .max(1)
            .max(self.templates.keys().next_back().map_or(1, |m| m + 1));
        self.next_id = id + 1;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Red-team 3.6: two processes each rewrote the whole state file from their own
    /// copy. Under the file lock, with a reload when the stamp moved, both writes stay.
    #[test]
    fn two_writers_under_the_file_lock_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.json");
        State::default().save(&path).unwrap();
        let writers: Vec<_> = (0..2)
            .map(|w| {
                let path = path.clone();
                std::thread::spawn(move || {
                    for i in 0..20 {
                        let _lock = FileLock::take(&path).unwrap();
                        let mut s = State::load(&path).unwrap();
                        s.refresh_tokens.insert(format!("w{w}-{i}"), "x".into());
                        s.save(&path).unwrap();
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        assert_eq!(State::load(&path).unwrap().refresh_tokens.len(), 40);
        let before = Stamp::of(&path).unwrap();
        State::load(&path).unwrap().save(&path).unwrap();
        assert_ne!(Stamp::of(&path).unwrap(), before);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn roundtrip_and_ids() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut s = State::load(&path).unwrap();
        assert_eq!(s.allocate_id(), 1);
        assert_eq!(s.allocate_id(), 2);
        s.refresh_tokens.insert("app".into(), "r".into());
        s.save(&path).unwrap();
        let back = State::load(&path).unwrap();
        assert_eq!(back, s);
        std::fs::write(&path, "{not json").unwrap();
        assert!(State::load(&path).is_err());
    }
}
