//! The event history `GET /workflows` serves: what was parsed, created, applied and
//! deleted through the API, in an SQLite file under `.b24flow/`.
//!
//! The history is a record, not a source of truth (git and the portal are): a failure
//! to record an event never fails the operation that caused it. Rows are only
//! appended; ids grow, so "newest first" is "highest id first".

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, params};
use schemars::JsonSchema;
use serde::Serialize;

/// The most events one request returns.
pub const MAX_LIMIT: u32 = 1000;

/// Why the history cannot be opened or read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("cannot create {}", path.display())]
    #[diagnostic(code(b24flow::serve::history_dir))]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the history database {} cannot be used", path.display())]
    #[diagnostic(
        code(b24flow::serve::history),
        help("it is only a record; move it aside and a new one is started")
    )]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A description was parsed into a blueprint.
    Parsed,
    /// A description needs clarification.
    NeedsClarification,
    /// A spec and lockfile were written under `workflows/`.
    Created,
    /// The template was written to the portal.
    Applied,
    /// Applying the template failed.
    ApplyFailed,
    /// A managed template was deleted from the portal.
    Deleted,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Parsed => "parsed",
            Kind::NeedsClarification => "needs_clarification",
            Kind::Created => "created",
            Kind::Applied => "applied",
            Kind::ApplyFailed => "apply_failed",
            Kind::Deleted => "deleted",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Parsed,
            Kind::NeedsClarification,
            Kind::Created,
            Kind::Applied,
            Kind::ApplyFailed,
            Kind::Deleted,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Event {
    /// Grows with every event.
    pub id: i64,
    /// Seconds since the Unix epoch.
    pub time: i64,
    pub kind: Kind,
    /// The workflow id, when the event concerns one.
    pub workflow: Option<String>,
    /// A short human detail: the blueprint name, a template id, an error.
    pub detail: String,
}

/// The open history.
#[derive(Debug)]
pub struct History {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl History {
    /// Opens (or creates) the history of the project at `root`.
    pub fn open(root: &Path) -> Result<History, Error> {
        let path = crate::state::StateDir::at(root).history();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Dir {
                path: dir.to_owned(),
                source,
            })?;
        }
        let sqlite = |source| Error::Sqlite {
            path: path.clone(),
            source,
        };
        // The history holds error texts from the portal: private to the user, like
        // every file under `.b24flow/` (SQLite gives its journal files the same mode).
        private_file(&path).map_err(|source| Error::Dir {
            path: path.clone(),
            source,
        })?;
        let conn = Connection::open(&path).map_err(sqlite)?;
        // Another `serve` on the same project may write at the same moment.
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sqlite)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                time INTEGER NOT NULL,
                kind TEXT NOT NULL,
                workflow TEXT,
                detail TEXT NOT NULL
            );",
        )
        .map_err(sqlite)?;
        Ok(History {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// Appends an event; a failure is ignored (see the module doc).
    pub fn record(&self, kind: Kind, workflow: Option<&str>, detail: &str) {
        let time = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let Ok(conn) = self.conn.lock() else { return };
        let _ = conn.execute(
            "INSERT INTO events (time, kind, workflow, detail) VALUES (?1, ?2, ?3, ?4)",
            params![time, kind.as_str(), workflow, detail],
        );
    }

    /// The newest `limit` events, newest first.
    pub fn recent(&self, limit: u32) -> Result<Vec<Event>, Error> {
        let sqlite = |source| Error::Sqlite {
            path: self.path.clone(),
            source,
        };
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut stmt = conn
            .prepare(
                "SELECT id, time, kind, workflow, detail FROM events ORDER BY id DESC LIMIT ?1",
            )
            .map_err(sqlite)?;
        let rows = stmt
            .query_map(params![limit.min(MAX_LIMIT)], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, String>(4)?,
                ))
            })
            .map_err(sqlite)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, time, kind, workflow, detail) = row.map_err(sqlite)?;
            // A row written by a newer b24flow with a kind this one does not know is
            // skipped rather than misreported.
            if let Some(kind) = Kind::parse(&kind) {
                out.push(Event {
                    id,
                    time,
                    kind,
                    workflow,
                    detail,
                });
            }
        }
        Ok(out)
    }
}

/// Creates `path` if missing, and makes it readable and writable by its owner only.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        options.open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    options.open(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_and_limited() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::open(dir.path()).unwrap();
        h.record(Kind::Parsed, None, "one");
        h.record(Kind::Created, Some("a"), "two");
        h.record(Kind::Applied, Some("a"), "three");
        let all = h.recent(10).unwrap();
        let details: Vec<_> = all.iter().map(|e| e.detail.as_str()).collect();
        assert_eq!(details, ["three", "two", "one"]);
        assert_eq!(h.recent(1).unwrap().len(), 1);
        drop(h);
        // Reopening keeps what was recorded.
        let again = History::open(dir.path()).unwrap();
        assert_eq!(again.recent(10).unwrap().len(), 3);
        assert_eq!(again.recent(10).unwrap()[0].workflow.as_deref(), Some("a"));
    }
}
