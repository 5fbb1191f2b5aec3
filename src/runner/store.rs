//! The runner's local state: one SQLite file (`.b24flow/runner.sqlite`) with the
//! idempotency keys of every event and action handled, and the offline-queue process id
//! the runner holds its records under.
//!
//! Invariants: a key is written in its own transaction as soon as its effect is known
//! done, so a crash never forgets a finished effect; an action is marked `started`
//! (with the time) before its request is sent (claimed in one immediate transaction, so
//! of two processes sharing the file only one sends), so a crash in flight is seen on
//! the next run, which settles it by asking the portal ([`super::run`]). Only an action
//! the portal cannot be asked about becomes `uncertain`, and stays so until a completed
//! pass has reported it.

/// The states a key can be in, as stored.
///
/// `started`: claimed, request sent or about to be, outcome unknown; `done`: its effect
/// exists (or it was settled without one: refused, reported); `uncertain`: an action
/// whose outcome no probe can tell, not sent again, to be reported once.
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

/// Errors of the state file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot use the runner state {}", path.display())]
#[diagnostic(
    code(b24flow::runner::state),
    help(
        "the file is the runner's memory of what it did; keep it between runs (a CI cache, a volume)"
    )
)]
pub struct Error {
    pub path: PathBuf,
    #[source]
    pub source: rusqlite::Error,
}

/// What is known about one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Never seen.
    New,
    /// Its request was sent, and the run stopped before it was confirmed.
    Started,
    /// Done.
    Done,
}

/// The open state file.
pub struct Store {
    /// Behind a mutex so a `Store` can be shared by `serve`'s request futures.
    conn: std::sync::Mutex<Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating) the state file.
    pub fn open(path: &Path) -> Result<Store, Error> {
        let err = |source| Error {
            path: path.to_owned(),
            source,
        };
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path).map_err(err)?;
        // `serve` (online events) and `run` (offline) may share the file: wait for the
        // other's write instead of failing.
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS keys (key TEXT PRIMARY KEY, state TEXT NOT NULL, at INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);",
        )
        .map_err(err)?;
        Ok(Store {
            conn: std::sync::Mutex::new(conn),
            path: path.to_owned(),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (every write is its
        // own transaction), so a poisoned lock is still usable.
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn err(&self, source: rusqlite::Error) -> Error {
        Error {
            path: self.path.clone(),
            source,
        }
    }

    /// The state of `key`.
    pub fn mark(&self, key: &str) -> Result<Mark, Error> {
        let state: Option<String> = self
            .conn()
            .query_row("SELECT state FROM keys WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(match state.as_deref() {
            None => Mark::New,
            Some("done" | "uncertain") => Mark::Done,
            Some(_) => Mark::Started,
        })
    }

    fn set(&self, key: &str, state: &str) -> Result<(), Error> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        self.conn()
            .execute(
                "INSERT INTO keys (key, state, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(key) DO UPDATE SET state = excluded.state, at = excluded.at",
                params![key, state, now],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Marks `key` as sent and not yet confirmed, and returns what was known before, in
    /// one immediate transaction: of two processes claiming one key, exactly one sees
    /// [`Mark::New`].
    pub fn claim(&self, key: &str) -> Result<Mark, Error> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let conn = self.conn();
        let run = || -> rusqlite::Result<Option<String>> {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let result = (|| {
                let state: Option<String> = conn
                    .query_row("SELECT state FROM keys WHERE key = ?1", [key], |r| r.get(0))
                    .optional()?;
                if state.is_none() {
                    conn.execute(
                        "INSERT INTO keys (key, state, at) VALUES (?1, 'started', ?2)",
                        params![key, now],
                    )?;
                }
                Ok(state)
            })();
            match result {
                Ok(state) => {
                    conn.execute_batch("COMMIT")?;
                    Ok(state)
                }
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    Err(e)
                }
            }
        };
        let state = run().map_err(|e| self.err(e))?;
        Ok(match state.as_deref() {
            None => Mark::New,
            Some("done" | "uncertain") => Mark::Done,
            Some(_) => Mark::Started,
        })
    }

    /// Marks `key` as sent and not yet confirmed (again: the time is renewed, so a probe
    /// after a re-send waits for that request, not the first one).
    pub fn start(&self, key: &str) -> Result<(), Error> {
        self.set(key, "started")
    }

    /// When `key` was last marked started (unix seconds); `None` when it is not
    /// `started`.
    pub fn started_at(&self, key: &str) -> Result<Option<i64>, Error> {
        self.conn()
            .query_row(
                "SELECT at FROM keys WHERE key = ?1 AND state = 'started'",
                [key],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Forgets `key`: its request is known not to have taken effect.
    pub fn forget(&self, key: &str) -> Result<(), Error> {
        self.conn()
            .execute("DELETE FROM keys WHERE key = ?1", [key])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Marks `key` as possibly done and not to be sent again, to be reported once
    /// ([`Store::take_uncertain`]). Counts as done for [`Store::mark`].
    pub fn uncertain(&self, key: &str) -> Result<(), Error> {
        self.set(key, "uncertain")
    }

    /// The keys marked uncertain and not yet reported, in key order; they are reported
    /// now (marked done).
    pub fn take_uncertain(&self) -> Result<Vec<String>, Error> {
        let conn = self.conn();
        let run = || -> rusqlite::Result<Vec<String>> {
            let keys = conn
                .prepare("SELECT key FROM keys WHERE state = 'uncertain' ORDER BY key")?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            conn.execute(
                "UPDATE keys SET state = 'done' WHERE state = 'uncertain'",
                [],
            )?;
            Ok(keys)
        };
        run().map_err(|e| self.err(e))
    }

    /// Marks `key` done.
    pub fn done(&self, key: &str) -> Result<(), Error> {
        self.set(key, "done")
    }

    /// A named value.
    pub fn get(&self, name: &str) -> Result<Option<String>, Error> {
        self.conn()
            .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Sets a named value.
    pub fn put(&self, name: &str, value: &str) -> Result<(), Error> {
        self.conn()
            .execute(
                "INSERT INTO meta (name, value) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                params![name, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runner.sqlite");
        let s = Store::open(&path).unwrap();
        assert_eq!(s.mark("a").unwrap(), Mark::New);
        s.start("a").unwrap();
        s.put("process_id", "p1").unwrap();
        drop(s);
        let s = Store::open(&path).unwrap();
        assert_eq!(s.mark("a").unwrap(), Mark::Started);
        assert!(s.started_at("a").unwrap().is_some_and(|t| t > 0));
        s.done("a").unwrap();
        assert_eq!(s.started_at("a").unwrap(), None);
        assert_eq!(s.mark("a").unwrap(), Mark::Done);
        assert_eq!(s.get("process_id").unwrap().as_deref(), Some("p1"));
    }

    #[test]
    fn a_key_is_claimed_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runner.sqlite");
        let a = Store::open(&path).unwrap();
        let b = Store::open(&path).unwrap();
        assert_eq!(a.claim("k").unwrap(), Mark::New);
        assert_eq!(b.claim("k").unwrap(), Mark::Started);
        b.done("k").unwrap();
        assert_eq!(a.claim("k").unwrap(), Mark::Done);
    }

    #[test]
    fn uncertain_keys_are_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("runner.sqlite")).unwrap();
        s.claim("b").unwrap();
        s.uncertain("b").unwrap();
        s.uncertain("a").unwrap();
        assert_eq!(s.claim("b").unwrap(), Mark::Done);
        assert_eq!(s.take_uncertain().unwrap(), ["a", "b"]);
        assert!(s.take_uncertain().unwrap().is_empty());
        assert_eq!(s.mark("a").unwrap(), Mark::Done);
    }
}
