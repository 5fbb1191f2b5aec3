//! The apply lock (`.b24flow/apply.lock`, see [`crate::state::StateDir::apply_lock`]):
//! keeps two applies of one project from interleaving.
//!
//! Invariants: the lock file is created with `create_new`, so only one process holds it;
//! it names its holder (pid, host, time, portal) so a refusal says who; it is removed
//! when the [`Lock`] is dropped, and only `--break-lock` removes someone else's.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::journal::unix_now;

/// Who holds the apply lock.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    pub since: u64,
    pub portal: String,
}

/// The apply lock; released when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LockError {
    #[error("another apply holds the lock: pid {} on {} since {} (unix time), for {}{}", holder.pid, holder.host, holder.since, holder.portal, if *stale { "; that process is no longer running" } else { "" })]
    #[diagnostic(
        code(b24flow::apply::locked),
        help("wait for it to finish; if it is not running any more, break the lock with `b24flow apply --break-lock` (or delete {})", path.display())
    )]
    Held {
        holder: Holder,
        stale: bool,
        path: PathBuf,
    },
    #[error("cannot take the apply lock {}", path.display())]
    #[diagnostic(code(b24flow::apply::lock_io))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Lock {
    /// Takes the lock at `path`; with `break_existing`, removes a lock left behind.
    pub fn acquire(path: &Path, portal: &str, break_existing: bool) -> Result<Lock, LockError> {
        let io = |source| LockError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        if break_existing {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
        }
        let holder = Holder {
            pid: std::process::id(),
            host: hostname(),
            since: unix_now(),
            portal: portal.to_owned(),
        };
        match OpenOptions::new().write(true).create_new(true).open(path) {
            Ok(mut file) => {
                let text = serde_json::to_string_pretty(&holder).expect("a holder serializes");
                file.write_all(text.as_bytes()).map_err(io)?;
                Ok(Lock {
                    path: path.to_owned(),
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let held: Holder = std::fs::read_to_string(path)
                    .ok()
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .unwrap_or(Holder {
                        pid: 0,
                        host: "unknown".into(),
                        since: 0,
                        portal: "unknown".into(),
                    });
                let stale =
                    held.host == holder.host && !Path::new(&format!("/proc/{}", held.pid)).exists();
                Err(LockError::Held {
                    holder: held,
                    stale,
                    path: path.to_owned(),
                })
            }
            Err(e) => Err(io(e)),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_exclusive_and_breakable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("apply.lock");
        let lock = Lock::acquire(&path, "local", false).unwrap();
        let err = Lock::acquire(&path, "local", false).unwrap_err();
        let LockError::Held { holder, stale, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(holder.pid, std::process::id());
        assert!(!stale);
        assert!(err.to_string().contains("another apply holds the lock"));
        drop(lock);
        assert!(!path.exists());
        std::fs::write(
            &path,
            r#"{"pid": 4000000, "host": "elsewhere", "since": 1, "portal": "x"}"#,
        )
        .unwrap();
        assert!(Lock::acquire(&path, "local", false).is_err());
        let _lock = Lock::acquire(&path, "local", true).unwrap();
    }
}
