//! A b24flow project on disk: its root, its config, and the specs and lockfiles under
//! `workflows/`.
//!
//! The root is the nearest folder, from the current one upwards, that holds
//! `b24flow.toml`; without one, the current folder. A workflow's id is its spec's path
//! under `workflows/` without `.txt` (`billing/invoice-overdue`), and its lockfile sits
//! beside the spec. Discovery is sorted, so every command sees workflows in one order.
//!
//! Invariants of discovery (every command that reads the project goes through it, so
//! `compile`, `validate`, `build` and `plan` refuse alike):
//! - no two specs map to one id, counting a `\` in a file name as `/` and ignoring
//!   case (two such files are one file on Windows or macOS, and one template id);
//! - no spec or lockfile path holds a control character (a newline would split the
//!   lockfile's header comment and make it unreadable);
//! - specs and lockfiles are regular files, or symbolic links to regular files inside
//!   the repository and outside its state folders (`.b24flow/`, `.git/`); anything
//!   else (a FIFO, a device, a link out of the repository) is refused by name, and no
//!   read ever opens a file that is not regular (opening a FIFO blocks forever).

use std::path::{Path, PathBuf};

use miette::Diagnostic;

use crate::config::{self, Config};

/// The folder that holds specs and lockfiles.
pub const WORKFLOWS_DIR: &str = "workflows";
/// Spec files end with this.
pub const SPEC_EXT: &str = ".txt";
/// Lockfiles end with this.
pub const LOCK_EXT: &str = ".lock.yaml";
/// Specs larger than this are refused: a description is a paragraph, not a document.
pub const MAX_SPEC_BYTES: u64 = 64 * 1024;

/// A project: where it is and what it declares.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
}

/// One workflow's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workflow {
    /// The stable id: the spec's path under `workflows/` without `.txt`.
    pub id: String,
    /// The spec's path relative to the project root, with `/` separators.
    pub spec_rel: String,
    /// The spec's full path.
    pub spec_path: PathBuf,
    /// The lockfile's full path.
    pub lock_path: PathBuf,
}

/// What went wrong finding or reading project files.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] config::Error),
    #[error("{file} declares no environment `{name}`{}", known_list(known))]
    #[diagnostic(
        code(b24flow::environment::unknown),
        help("add [environments.{name}] to {file}, or pick one with --env NAME (or B24FLOW_ENV)")
    )]
    UnknownEnvironment {
        name: String,
        /// The environments `b24flow.toml` declares, sorted.
        known: Vec<String>,
        file: String,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Snapshot(#[from] crate::snapshot::Error),
    #[error("cannot list {}", path.display())]
    #[diagnostic(code(b24flow::project::io))]
    Walk {
        path: PathBuf,
        #[source]
        source: walkdir::Error,
    },
    #[error("{} has a name that is not UTF-8", path.display())]
    #[diagnostic(
        code(b24flow::project::path),
        help("rename the file using UTF-8 characters")
    )]
    NonUtf8Path { path: PathBuf },
    #[error("{path} has a control character in its name")]
    #[diagnostic(
        code(b24flow::project::control_character),
        help(
            "rename the file without newlines, tabs or other control characters; the name is shown here escaped"
        )
    )]
    ControlCharacter {
        /// The path relative to the root, escaped (`\n` for a newline).
        path: String,
    },
    #[error("{first} and {second} both map to the workflow id `{id}`")]
    #[diagnostic(
        code(b24flow::project::duplicate_id),
        help(
            "rename one of them: ids compare `\\` as `/` and ignore case, because such files are one file on other systems and one template in the portal"
        )
    )]
    DuplicateId {
        /// The id the second file would take.
        id: String,
        /// The first spec, relative to the root.
        first: String,
        /// The second spec, relative to the root.
        second: String,
    },
    #[error("{path} is not a regular file")]
    #[diagnostic(
        code(b24flow::project::special_file),
        help("specs and lockfiles must be plain files; remove or replace it")
    )]
    NotRegularFile {
        /// The path relative to the root.
        path: String,
    },
    #[error("{path} is a symbolic link to {target}, which {why}")]
    #[diagnostic(
        code(b24flow::project::bad_link),
        help(
            "a spec or lockfile may link only to a regular file inside the repository, outside .b24flow/ and .git/; replace the link with the file"
        )
    )]
    BadLink {
        /// The link, relative to the root.
        path: String,
        /// Where it points.
        target: String,
        /// Why it is refused.
        why: &'static str,
    },
    #[error("no workflow `{id}`")]
    #[diagnostic(
        code(b24flow::project::unknown_workflow),
        help("workflow ids are spec paths under workflows/ without .txt; see `b24flow list`")
    )]
    UnknownWorkflow {
        /// The id asked for.
        id: String,
    },
}

/// Why a spec cannot be used.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum SpecError {
    #[error("{path}: cannot read the spec")]
    #[diagnostic(code(b24flow::spec::io))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the spec is empty")]
    #[diagnostic(
        code(b24flow::spec::empty),
        help(
            "describe the automation, e.g. \"When a deal is won, send a WhatsApp message to the client\""
        )
    )]
    Empty { path: String },
    #[error("{path}: the spec is {size} bytes; a spec is at most {MAX_SPEC_BYTES}")]
    #[diagnostic(
        code(b24flow::spec::too_large),
        help("describe one automation per file, in a few sentences")
    )]
    TooLarge { path: String, size: u64 },
    #[error("{path}: the spec is not UTF-8 text")]
    #[diagnostic(
        code(b24flow::spec::not_text),
        help("save the file as UTF-8 plain text")
    )]
    NotText { path: String },
    #[error("{path}: the spec looks like a binary file")]
    #[diagnostic(
        code(b24flow::spec::binary),
        help("specs are plain-English .txt files")
    )]
    Binary { path: String },
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "; it declares none".to_owned()
    } else {
        format!("; it declares: {}", known.join(", "))
    }
}

impl Project {
    /// Chooses the environment this run acts on (`--env NAME`, else `B24FLOW_ENV`):
    /// its `[environments.<name>]` section becomes the portal (`config.portal`), its
    /// snapshot (`environments/<name>.yaml`, when taken) what names resolve against,
    /// and its state lives apart in `.b24flow/env/<name>/`. `None` leaves the project
    /// as it is: `[portal]`, today's single portal.
    pub fn select_environment(self, name: Option<&str>) -> Result<Project, Error> {
        let mut project = self.select_environment_only(name)?;
        if let Some(selected) = project.config.selected.as_mut() {
            let snapshot = crate::snapshot::Snapshot::load(&project.root, &selected.name)?;
            selected.snapshot = snapshot.map(std::sync::Arc::new);
        }
        Ok(project)
    }

    /// [`Project::select_environment`] without loading the snapshot: what
    /// `b24flow snapshot` needs, since it is how a snapshot is (re)made.
    pub fn select_environment_only(mut self, name: Option<&str>) -> Result<Project, Error> {
        let Some(name) = name else {
            return Ok(self);
        };
        let Some(portal) = self.config.environments.get(name).cloned() else {
            return Err(Error::UnknownEnvironment {
                name: name.to_owned(),
                known: self.config.environments.keys().cloned().collect(),
                file: config::FILE_NAME.to_owned(),
            });
        };
        self.config.portal = portal;
        self.config.selected = Some(config::Selected {
            name: name.to_owned(),
            snapshot: None,
        });
        Ok(self)
    }

    /// The environment chosen with [`Project::select_environment`], if any.
    pub fn environment(&self) -> Option<&str> {
        self.config.selected.as_ref().map(|s| s.name.as_str())
    }

    /// Finds the project that contains `start`, and loads its config.
    pub fn discover(start: &Path) -> Result<Project, Error> {
        let root = start
            .ancestors()
            .find(|dir| dir.join(config::FILE_NAME).is_file())
            .unwrap_or(start)
            .to_path_buf();
        let config = Config::load(&root)?;
        Ok(Project { root, config })
    }

    /// The `workflows/` folder.
    pub fn workflows_dir(&self) -> PathBuf {
        self.root.join(WORKFLOWS_DIR)
    }

    /// Every spec under `workflows/`, sorted by id. Hidden folders are skipped. Fails
    /// on the first spec or lockfile that breaks a discovery rule (see the module doc).
    pub fn workflows(&self) -> Result<Vec<Workflow>, Error> {
        let (specs, _) = self.scan()?;
        let mut out = Vec::new();
        // Folded id -> the spec that took it first.
        let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        for path in specs {
            let workflow = self.workflow_for(&path)?;
            let folded = workflow.id.to_lowercase();
            if let Some(first) = seen.get(&folded) {
                return Err(Error::DuplicateId {
                    id: workflow.id,
                    first: first.clone(),
                    second: workflow.spec_rel,
                });
            }
            seen.insert(folded, workflow.spec_rel.clone());
            out.push(workflow);
        }
        Ok(out)
    }

    /// The workflows with these ids, in discovery order; every workflow when `ids` is
    /// empty. An id that names no spec is an error.
    pub fn select(&self, ids: &[String]) -> Result<Vec<Workflow>, Error> {
        let all = self.workflows()?;
        if ids.is_empty() {
            return Ok(all);
        }
        if let Some(id) = ids.iter().find(|id| !all.iter().any(|w| &w.id == *id)) {
            return Err(Error::UnknownWorkflow { id: id.clone() });
        }
        Ok(all.into_iter().filter(|w| ids.contains(&w.id)).collect())
    }

    /// Lockfiles whose spec does not exist, sorted.
    pub fn orphaned_lockfiles(&self) -> Result<Vec<PathBuf>, Error> {
        let mut out = Vec::new();
        let (_, locks) = self.scan()?;
        for path in locks {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let spec = path.with_file_name(format!(
                "{}{SPEC_EXT}",
                &name[..name.len() - LOCK_EXT.len()]
            ));
            if !spec.is_file() {
                out.push(path);
            }
        }
        Ok(out)
    }

    /// The path of `path` relative to the root, with `/` separators.
    pub fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The relative path from a lockfile's folder to the lockfile schema, for the
    /// `yaml-language-server` line.
    pub fn schema_ref(&self, lock_path: &Path) -> String {
        let depth = lock_path
            .parent()
            .and_then(|p| p.strip_prefix(&self.root).ok())
            .map_or(1, |p| p.components().count());
        format!("{}schema/lockfile.schema.json", "../".repeat(depth))
    }

    /// The files a workflow with this id has or would have (they need not exist).
    pub fn workflow(&self, id: &str) -> Result<Workflow, Error> {
        self.workflow_for(&self.workflows_dir().join(format!("{id}{SPEC_EXT}")))
    }

    fn workflow_for(&self, spec_path: &Path) -> Result<Workflow, Error> {
        let under = spec_path
            .strip_prefix(self.workflows_dir())
            .unwrap_or(spec_path)
            .to_str()
            .ok_or_else(|| Error::NonUtf8Path {
                path: spec_path.to_owned(),
            })?
            .replace('\\', "/");
        let id = under[..under.len() - SPEC_EXT.len()].to_owned();
        let name = spec_path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let lock_name = format!("{}{LOCK_EXT}", &name[..name.len() - SPEC_EXT.len()]);
        Ok(Workflow {
            id,
            spec_rel: self.relative(spec_path),
            spec_path: spec_path.to_owned(),
            lock_path: spec_path.with_file_name(lock_name),
        })
    }

    /// One walk of `workflows/`: the specs and the lockfiles, each sorted, each checked
    /// against the discovery rules.
    fn scan(&self) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Error> {
        let dir = self.workflows_dir();
        if !dir.is_dir() {
            return Ok((Vec::new(), Vec::new()));
        }
        let (mut specs, mut locks) = (Vec::new(), Vec::new());
        let walk = walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = entry.map_err(|source| Error::Walk {
                path: dir.clone(),
                source,
            })?;
            if entry.file_type().is_dir() {
                continue;
            }
            let name = entry.file_name().to_string_lossy();
            let is_spec = name.ends_with(SPEC_EXT) && name.len() > SPEC_EXT.len();
            let is_lock = name.ends_with(LOCK_EXT) && name.len() > LOCK_EXT.len();
            if !is_spec && !is_lock {
                continue;
            }
            self.check_entry(entry.path(), entry.file_type())?;
            if is_lock {
                locks.push(entry.into_path());
            } else {
                specs.push(entry.into_path());
            }
        }
        Ok((specs, locks))
    }

    /// Applies the discovery rules to one spec or lockfile found by the walk.
    fn check_entry(&self, path: &Path, file_type: std::fs::FileType) -> Result<(), Error> {
        let rel = self.relative(path);
        if rel.chars().any(char::is_control) {
            return Err(Error::ControlCharacter {
                path: rel.escape_default().to_string(),
            });
        }
        if file_type.is_file() {
            return Ok(());
        }
        if !file_type.is_symlink() {
            return Err(Error::NotRegularFile { path: rel });
        }
        let bad = |target: String, why| Error::BadLink {
            path: rel.clone(),
            target,
            why,
        };
        let target = std::fs::canonicalize(path)
            .map_err(|_| bad(read_link_shown(path), "does not exist"))?;
        let root = std::fs::canonicalize(&self.root).unwrap_or_else(|_| self.root.clone());
        let Ok(inside) = target.strip_prefix(&root) else {
            return Err(bad(
                target.display().to_string(),
                "is outside the repository",
            ));
        };
        let shown = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if inside.starts_with(".b24flow") || inside.starts_with(".git") {
            return Err(bad(shown, "is in a state folder"));
        }
        if !target.is_file() {
            return Err(bad(shown, "is not a regular file"));
        }
        Ok(())
    }
}

/// Where a link points, as written in the link (for an error about a dangling link).
fn read_link_shown(path: &Path) -> String {
    std::fs::read_link(path).map_or_else(|_| "?".to_owned(), |t| t.display().to_string())
}

impl Workflow {
    /// Reads the spec's text, refusing empty, huge, binary and non-UTF-8 files.
    pub fn read_spec(&self) -> Result<String, SpecError> {
        read_spec(&self.spec_path, &self.spec_rel)
    }
}

/// Reads a spec file; `shown` is the name used in errors.
pub fn read_spec(path: &Path, shown: &str) -> Result<String, SpecError> {
    let io = |source| SpecError::Io {
        path: shown.to_owned(),
        source,
    };
    let (bytes, size) = read_capped(path, MAX_SPEC_BYTES).map_err(io)?;
    if size > MAX_SPEC_BYTES {
        return Err(SpecError::TooLarge {
            path: shown.to_owned(),
            size,
        });
    }
    check_spec_bytes(bytes, shown)
}

/// Reads at most `cap + 1` bytes of a file and returns them with the file's size (its
/// true size when it is larger than `cap`): one open and one read for the usual small
/// file, and never more than `cap + 1` bytes in memory for a huge one.
///
/// Only regular files (or links to them) are opened: opening a FIFO for reading blocks
/// until a writer appears, so anything else is an `InvalidInput` error.
pub fn read_capped(path: &Path, cap: u64) -> std::io::Result<(Vec<u8>, u64)> {
    use std::io::Read;
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    (&file).take(cap + 1).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    let size = if read > cap {
        file.metadata().map_or(read, |m| m.len())
    } else {
        read
    };
    Ok((bytes, size))
}

/// Why [`read_capped_text`] gave no text.
#[derive(Debug)]
pub enum CappedTextError {
    /// The file could not be read (see [`read_capped`]).
    Io(std::io::Error),
    /// It is larger than the cap: its size.
    TooLarge(u64),
    /// It is not UTF-8.
    NotText,
}

/// A text file of at most `cap` bytes, read with [`read_capped`]: what lockfiles and
/// test files are read with, each turning the error into its own.
pub fn read_capped_text(path: &Path, cap: u64) -> Result<String, CappedTextError> {
    let (bytes, size) = read_capped(path, cap).map_err(CappedTextError::Io)?;
    if size > cap {
        return Err(CappedTextError::TooLarge(size));
    }
    String::from_utf8(bytes).map_err(|_| CappedTextError::NotText)
}

/// The checks `read_spec` applies, on bytes already read (e.g. from standard input).
pub fn check_spec_bytes(bytes: Vec<u8>, shown: &str) -> Result<String, SpecError> {
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        return Err(SpecError::TooLarge {
            path: shown.to_owned(),
            size: bytes.len() as u64,
        });
    }
    if bytes.contains(&0) {
        return Err(SpecError::Binary {
            path: shown.to_owned(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| SpecError::NotText {
        path: shown.to_owned(),
    })?;
    if text.trim().is_empty() {
        return Err(SpecError::Empty {
            path: shown.to_owned(),
        });
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_sorted_nested_specs_and_orphans() {
        let dir = tempfile::tempdir().unwrap();
        let wf = dir.path().join("workflows");
        std::fs::create_dir_all(wf.join("billing")).unwrap();
        std::fs::create_dir_all(wf.join(".hidden")).unwrap();
        for f in [
            "b.txt",
            "a b é.txt",
            "billing/late.txt",
            ".hidden/x.txt",
            "gone.lock.yaml",
            "notes.md",
        ] {
            std::fs::write(wf.join(f), "x").unwrap();
        }
        let project = Project::discover(dir.path()).unwrap();
        let ids: Vec<_> = project
            .workflows()
            .unwrap()
            .into_iter()
            .map(|w| w.id)
            .collect();
        assert_eq!(ids, ["a b é", "b", "billing/late"]);
        let late = &project.workflows().unwrap()[2];
        assert_eq!(late.spec_rel, "workflows/billing/late.txt");
        assert!(late.lock_path.ends_with("workflows/billing/late.lock.yaml"));
        assert_eq!(
            project.schema_ref(&late.lock_path),
            "../../schema/lockfile.schema.json"
        );
        let orphans = project.orphaned_lockfiles().unwrap();
        assert_eq!(orphans.len(), 1);
        assert!(orphans[0].ends_with("gone.lock.yaml"));
    }

    #[test]
    fn bad_specs_are_refused() {
        assert!(matches!(
            check_spec_bytes(b"  \n\t".to_vec(), "s"),
            Err(SpecError::Empty { .. })
        ));
        assert!(matches!(
            check_spec_bytes(vec![0xff, 0xfe, b'a'], "s"),
            Err(SpecError::NotText { .. })
        ));
        assert!(matches!(
            check_spec_bytes(b"a\0b".to_vec(), "s"),
            Err(SpecError::Binary { .. })
        ));
        assert!(matches!(
            check_spec_bytes(vec![b'a'; 70_000], "s"),
            Err(SpecError::TooLarge { .. })
        ));
        assert_eq!(
            check_spec_bytes(b"When a deal is won".to_vec(), "s").unwrap(),
            "When a deal is won"
        );
    }
}
