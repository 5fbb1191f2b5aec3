//! The apply lock (`.b24flow/apply.lock`, see [`crate::state::StateDir::apply_lock`]):
//! keeps two applies of one project from interleaving.
//!
//! Invariants: the lock file is created with `create_new` and mode 0600, so only one
//! process holds it; it names its holder (pid, host, time, portal, and a token unique
//! to this acquisition) so a refusal says who. Dropping a [`Lock`] removes the file only
//! while it still carries this lock's token: a lock another process took after ours was
//! broken is never removed. `--break-lock` removes someone else's lock only when its
//! holder is known not to run (same host, pid gone) or runs on another host.

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
    /// Unique to one acquisition, so a lock is only ever released by its own holder.
    #[serde(default)]
    pub token: String,
}

/// The apply lock; released when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    token: String,
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
        let host = hostname();
        if let Some(held) = read_holder(path) {
            // A lock whose holder ran on this machine and is gone (killed, crashed) is
            // taken over without asking: nothing can be writing under it. One held from
            // another machine is broken only on request, since we cannot see that
            // process.
            let here = held.host == host;
            let alive = here && pid_alive(held.pid);
            if !(break_existing || (here && !alive)) {
                return Self::create(path, portal, host, io);
            }
            // Never break a lock whose holder still runs on this machine: that apply
            // is writing to the portal right now.
            if alive {
                return Err(LockError::Held {
                    holder: held,
                    stale: false,
                    path: path.to_owned(),
                });
            }
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
        }
        Self::create(path, portal, host, io)
    }

    /// Creates the lock file, or says who holds it.
    fn create(
        path: &Path,
        portal: &str,
        host: String,
        io: impl Fn(std::io::Error) -> LockError,
    ) -> Result<Lock, LockError> {
        let since = unix_now();
        let holder = Holder {
            pid: std::process::id(),
            host,
            since,
            portal: portal.to_owned(),
            token: crate::digest::sha256_hex(
                format!(
                    "{}:{:?}:{}",
                    std::process::id(),
                    std::time::SystemTime::now(),
                    path.display()
                )
                .as_bytes(),
            ),
        };
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                let text = serde_json::to_string_pretty(&holder).expect("a holder serializes");
                file.write_all(text.as_bytes()).map_err(io)?;
                Ok(Lock {
                    path: path.to_owned(),
                    token: holder.token,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let held = read_holder(path).unwrap_or(Holder {
                    pid: 0,
                    host: "unknown".into(),
                    since: 0,
                    portal: "unknown".into(),
                    token: String::new(),
                });
                let stale = held.host == holder.host && !pid_alive(held.pid);
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
        // Only our own lock: if it was broken and another apply took it since, that
        // apply's lock stays.
        if read_holder(&self.path).is_some_and(|h| h.token == self.token) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn read_holder(path: &Path) -> Option<Holder> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
}

/// Whether process `pid` runs on this machine (Linux `/proc`; elsewhere a live pid is
/// assumed, so a lock is never broken under a running apply).
fn pid_alive(pid: u32) -> bool {
    if pid == 0 {
        return false;
    }
    if Path::new("/proc/self").exists() {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
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

    /// Red-team code review (lock): `--break-lock` under a running apply.
    #[test]
    fn break_lock_refuses_a_holder_that_still_runs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("apply.lock");
        let lock = Lock::acquire(&path, "local", false).unwrap();
        // The holder (this process) runs: breaking is refused, and the lock stays.
        let err = Lock::acquire(&path, "local", true).unwrap_err();
        assert!(
            matches!(err, LockError::Held { stale: false, .. }),
            "{err:?}"
        );
        assert!(path.exists());
        drop(lock);
        // A dead holder on this host (an apply killed with -9) is taken over by a plain
        // acquire: nothing can be writing under it.
        let dead = format!(
            r#"{{"pid": 4000000, "host": "{}", "since": 1, "portal": "x"}}"#,
            hostname()
        );
        std::fs::write(&path, &dead).unwrap();
        drop(Lock::acquire(&path, "local", false).unwrap());
        // One from another machine is refused unless broken on request.
        std::fs::write(
            &path,
            r#"{"pid": 4000000, "host": "elsewhere.invalid", "since": 1, "portal": "x"}"#,
        )
        .unwrap();
        let err = Lock::acquire(&path, "local", false).unwrap_err();
        assert!(matches!(err, LockError::Held { .. }), "{err:?}");
        let _lock = Lock::acquire(&path, "local", true).unwrap();
    }

    /// Red-team code review (lock): a lock's cleanup removed the lock another process
    /// took after it was broken.
    #[test]
    fn dropping_a_broken_lock_keeps_the_new_holders_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("apply.lock");
        let old = Lock::acquire(&path, "local", false).unwrap();
        // Someone breaks it by hand and another apply takes it.
        std::fs::remove_file(&path).unwrap();
        let new = Lock::acquire(&path, "local", false).unwrap();
        drop(old);
        assert!(
            path.exists(),
            "the old lock's cleanup removed the new holder's lock"
        );
        drop(new);
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("apply.lock");
        let _lock = Lock::acquire(&path, "local", false).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
