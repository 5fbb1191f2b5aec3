//! The project's local state: every path under `.b24flow/`, named once.
//!
//! `.b24flow/` sits beside `b24flow.toml`, is git-ignored (`b24flow init` adds it), and
//! holds only what a run leaves behind: the built-in local portal's templates, the apply
//! journal and lock, `build` output, the HTTP API's event history and OAuth tokens.
//! Nothing in it is a source of truth: git holds the workflows, the portal its templates.
//!
//! Invariant: no other module spells a `.b24flow/…` path; they ask [`StateDir`].

use std::path::{Path, PathBuf};

use crate::project::Project;

/// The state folder's name, relative to the project root.
pub const STATE_DIR: &str = ".b24flow";

/// The local portal's templates, relative to the state folder.
const PORTAL: &str = "portal.json";
/// The append-only record of apply's writes.
const JOURNAL: &str = "journal.jsonl";
/// The lock that keeps two applies of one project apart.
const APPLY_LOCK: &str = "apply.lock";
/// Where `b24flow build` writes `.bpt` files by default.
const BUILD: &str = "build";
/// The HTTP API's event history.
const HISTORY: &str = "history.sqlite3";
/// OAuth tokens, unless `[portal] credentials_file` names another file.
const CREDENTIALS: &str = "credentials.json";

/// Where each environment's state lives, relative to the state folder: an environment
/// `staging` keeps its lock, journal, local portal, build output and tokens in
/// `.b24flow/env/staging/`, apart from every other environment and from the single
/// portal's state (the folder's top level).
const ENVIRONMENTS: &str = "env";

/// The `.b24flow/` folder of one project root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateDir {
    dir: PathBuf,
}

impl StateDir {
    /// The state folder of the project rooted at `root`.
    pub fn at(root: &Path) -> StateDir {
        StateDir {
            dir: root.join(STATE_DIR),
        }
    }

    /// The state folder of the environment `name` of the project rooted at `root`.
    pub fn for_environment(root: &Path, name: &str) -> StateDir {
        StateDir {
            dir: root.join(STATE_DIR).join(ENVIRONMENTS).join(name),
        }
    }

    /// The folder itself.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The built-in local portal's templates.
    pub fn portal_json(&self) -> PathBuf {
        self.dir.join(PORTAL)
    }

    /// The apply journal, one JSON object per line.
    pub fn journal(&self) -> PathBuf {
        self.dir.join(JOURNAL)
    }

    /// The apply lock.
    pub fn apply_lock(&self) -> PathBuf {
        self.dir.join(APPLY_LOCK)
    }

    /// The default output folder of `b24flow build`.
    pub fn build(&self) -> PathBuf {
        self.dir.join(BUILD)
    }

    /// The HTTP API's event history (SQLite).
    pub fn history(&self) -> PathBuf {
        self.dir.join(HISTORY)
    }

    /// The default OAuth credentials file.
    pub fn credentials(&self) -> PathBuf {
        self.dir.join(CREDENTIALS)
    }

    /// The folder relative to the project root, for messages: its paths read
    /// `.b24flow/…`.
    pub fn relative() -> StateDir {
        StateDir::at(Path::new(""))
    }
}

impl Project {
    /// This project's `.b24flow/` folder, or its environment's folder in it when one
    /// is selected.
    pub fn state(&self) -> StateDir {
        match self.environment() {
            Some(name) => StateDir::for_environment(&self.root, name),
            None => StateDir::at(&self.root),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_is_under_the_state_folder() {
        let state = StateDir::at(Path::new("/p"));
        assert_eq!(state.dir(), Path::new("/p/.b24flow"));
        for (path, name) in [
            (state.portal_json(), "portal.json"),
            (state.journal(), "journal.jsonl"),
            (state.apply_lock(), "apply.lock"),
            (state.build(), "build"),
            (state.history(), "history.sqlite3"),
            (state.credentials(), "credentials.json"),
        ] {
            assert_eq!(path, Path::new("/p/.b24flow").join(name));
        }
        assert_eq!(
            StateDir::for_environment(Path::new("/p"), "staging").journal(),
            Path::new("/p/.b24flow/env/staging/journal.jsonl")
        );
        assert_eq!(
            StateDir::relative().portal_json(),
            Path::new(".b24flow/portal.json")
        );
    }
}
