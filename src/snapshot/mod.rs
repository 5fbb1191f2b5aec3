//! Portal snapshots: `environments/<name>.yaml`, the names and ids of one environment's
//! portal (pipelines and their stages, users, departments, custom fields, smart-process
//! types, SMS providers, Open Channel lines), committed so a reviewer sees "the Proposal stage is now C1:UC_8K2P in
//! production" as a one-line diff.
//!
//! `b24flow snapshot --env NAME` writes the file ([`read`] reads the portal); `build` and
//! `plan` with `--env` load it and resolve the names blueprints carry into the ids the
//! templates need ([`crate::resolve`]). The `aliases:` map is written by hand and kept
//! when the file is rewritten.
//!
//! Invariants: the text is a pure function of the portal's data and the aliases (every
//! list sorted by id, no timestamp), so a re-run on an unchanged portal rewrites the file
//! byte for byte; a file that does not parse, or whose shape is wrong, is refused with
//! its path and line, never half-used.

pub mod read;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The folder, at the project root, that holds one snapshot per environment.
pub const DIR: &str = "environments";
/// The format version written in every snapshot.
pub const VERSION: u32 = 1;

/// One environment's portal: names and ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// The format version, 1.
    pub version: u32,
    /// The environment's name in `b24flow.toml`.
    pub environment: String,
    /// Pipelines (CRM categories) per entity (`deal`, `smart_invoice`, ...), each with
    /// its stages in the portal's order.
    #[serde(default)]
    pub pipelines: BTreeMap<String, Vec<Pipeline>>,
    /// Active employees (`user.get`).
    #[serde(default)]
    pub users: Vec<User>,
    /// Departments (`department.get`).
    #[serde(default)]
    pub departments: Vec<Department>,
    /// Custom (`UF_CRM_*`) fields per entity.
    #[serde(default)]
    pub fields: BTreeMap<String, Vec<Field>>,
    /// Smart-process types (`crm.type.list`).
    #[serde(default)]
    pub smart_processes: Vec<SmartProcess>,
    /// The SMS providers the b24flow application registered
    /// (`messageservice.sender.list`); absent when they could not be read (that method
    /// answers applications only, not webhooks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_providers: Option<Vec<SmsProvider>>,
    /// Open Channel lines (`imopenlines.config.list.get`); absent when they could not
    /// be read (no `imopenlines` scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_lines: Option<Vec<OpenLine>>,
    /// Written by hand, kept on every rewrite: a name people use ("sales team") and what
    /// it means here: `user:<name or id>`, `department:<name or id>`, or a user or group
    /// code (`group_dr3`).
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

/// A pipeline (`crm.category.list`) and its stages (`crm.status.list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    /// The category id (0 is the general pipeline).
    pub id: u32,
    pub name: String,
    /// The stages in the portal's order (`SORT`).
    pub stages: Vec<Stage>,
}

/// A stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// The full stage id as documents store it (`C1:UC_8K2P`).
    pub id: String,
    pub name: String,
    /// `P` in progress, `S` success, `F` failure (`crm.status.list` SEMANTICS; an empty
    /// value there means in progress).
    pub semantics: String,
}

/// An employee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: u64,
    /// First and last name as the portal shows them.
    pub name: String,
    /// The login e-mail, another name to find the user by.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
}

/// A department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub id: u64,
    pub name: String,
}

/// A custom field of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// `UF_CRM_…`.
    pub id: String,
    /// The label people see (`crm.<entity>.fields` `formLabel`, else `listLabel`).
    pub name: String,
}

/// A smart-process type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmartProcess {
    /// `entityTypeId` (31 is the smart invoice).
    pub entity_type_id: u32,
    pub name: String,
}

/// An SMS provider a REST application registered (`messageservice.sender.add`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsProvider {
    /// What a template's `ProviderId` holds: `<application client id>|<code>`
    /// (messageservice `Sender\Sms\Rest::getFromList`; crm `CBPCrmSendSmsActivity`
    /// sends a value with `|` through that REST sender).
    pub id: String,
    /// The code the application registered it under, the name specs use.
    pub name: String,
}

/// An Open Channel line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenLine {
    /// The line's (config's) id.
    pub id: u64,
    /// `LINE_NAME`.
    pub name: String,
}

/// A snapshot file that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("cannot read {}", path.display())]
    #[diagnostic(code(b24flow::snapshot::io))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is not a valid snapshot of the environment `{environment}`: {message}", path.display())]
    #[diagnostic(
        code(b24flow::snapshot::invalid),
        help(
            "fix the file by hand (only `aliases:` is meant for editing), or delete it and take it again: b24flow snapshot --env {environment}"
        )
    )]
    Invalid {
        path: PathBuf,
        environment: String,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: Option<SourceSpan>,
    },
}

impl Snapshot {
    /// The snapshot file of `environment` under the project `root`.
    pub fn path(root: &Path, environment: &str) -> PathBuf {
        root.join(DIR).join(format!("{environment}.yaml"))
    }

    /// Reads the snapshot of `environment`; `None` when there is none yet.
    pub fn load(root: &Path, environment: &str) -> Result<Option<Snapshot>, Error> {
        let path = Snapshot::path(root, environment);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Io { path, source }),
        };
        Snapshot::parse(&text, &path, environment).map(Some)
    }

    /// Parses snapshot text and checks it; `path` is only used in errors.
    pub fn parse(text: &str, path: &Path, environment: &str) -> Result<Snapshot, Error> {
        let invalid = |message: String, span: Option<SourceSpan>| Error::Invalid {
            path: path.to_owned(),
            environment: environment.to_owned(),
            message,
            src: NamedSource::new(path.display().to_string(), text.to_owned())
                .with_language("yaml"),
            span,
        };
        let snapshot: Snapshot = serde_saphyr::from_str(text).map_err(|e| {
            let span = e.location().and_then(|loc| {
                loc.span()
                    .byte_offset()
                    .map(|o| usize::try_from(o).unwrap_or(usize::MAX).min(text.len()))
                    .map(|o| SourceSpan::from((o, 0)))
            });
            invalid(first_line(&e.to_string()), span)
        })?;
        let at = |needle: &str| {
            text.find(needle)
                .map(|o| SourceSpan::from((o, needle.len())))
        };
        if snapshot.version != VERSION {
            return Err(invalid(
                format!("version {} is not {VERSION}", snapshot.version),
                at("version"),
            ));
        }
        if snapshot.environment != environment {
            return Err(invalid(
                format!("it says it is the snapshot of `{}`", snapshot.environment),
                at("environment"),
            ));
        }
        if let Some(message) = snapshot.problem() {
            return Err(invalid(message, None));
        }
        Ok(snapshot)
    }

    /// What makes a parsed snapshot unusable: an empty name or id, a stage id that does
    /// not belong to its pipeline's entity, or an alias that points nowhere.
    fn problem(&self) -> Option<String> {
        for (entity, pipelines) in &self.pipelines {
            for p in pipelines {
                if p.name.trim().is_empty() {
                    return Some(format!("the {entity} pipeline {} has no name", p.id));
                }
                for s in &p.stages {
                    if s.id.trim().is_empty() || s.name.trim().is_empty() {
                        return Some(format!(
                            "a stage of the {entity} pipeline `{}` has an empty id or name",
                            p.name
                        ));
                    }
                    if !matches!(s.semantics.as_str(), "P" | "S" | "F") {
                        return Some(format!(
                            "stage `{}` has semantics `{}`; it is P, S or F",
                            s.id, s.semantics
                        ));
                    }
                }
            }
        }
        if let Some(u) = self.users.iter().find(|u| u.name.trim().is_empty()) {
            return Some(format!("user {} has no name", u.id));
        }
        if let Some(d) = self.departments.iter().find(|d| d.name.trim().is_empty()) {
            return Some(format!("department {} has no name", d.id));
        }
        for (name, target) in &self.aliases {
            if let Err(why) = self.alias_codes(target) {
                return Some(format!("alias `{name}`: {why}"));
            }
        }
        None
    }

    /// The user or group codes an alias target means (see [`Snapshot::aliases`]).
    pub fn alias_codes(&self, target: &str) -> Result<Vec<String>, String> {
        let target = target.trim();
        if let Some(who) = target.strip_prefix("user:") {
            return self.user_codes(who.trim()).map(|c| vec![c]);
        }
        if let Some(dep) = target.strip_prefix("department:") {
            return self.department_code(dep.trim()).map(|c| vec![c]);
        }
        if crate::resolve::rules::recipients::is_user_code(target) {
            return Ok(vec![target.to_owned()]);
        }
        Err(format!(
            "`{target}` is not user:<name>, department:<name> or a user or group code"
        ))
    }

    /// `user_<id>` for a user named `who` (or with that e-mail, or that id).
    pub fn user_codes(&self, who: &str) -> Result<String, String> {
        let found: Vec<&User> = self
            .users
            .iter()
            .filter(|u| {
                same_name(&u.name, who)
                    || (!u.email.is_empty() && u.email.eq_ignore_ascii_case(who))
                    || u.id.to_string() == who
            })
            .collect();
        match found.as_slice() {
            [one] => Ok(format!("user_{}", one.id)),
            [] => Err(format!(
                "no user is called `{who}`{}",
                closest(who, self.users.iter().map(|u| u.name.as_str()))
            )),
            many => Err(format!(
                "{} users are called `{who}` (ids {}); write user_<id>",
                many.len(),
                many.iter()
                    .map(|u| u.id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// `group_dr<id>` (the department and its sub-departments, as the designer's
    /// department picker stores it) for a department named `name` (or with that id).
    pub fn department_code(&self, name: &str) -> Result<String, String> {
        let found: Vec<&Department> = self
            .departments
            .iter()
            .filter(|d| same_name(&d.name, name) || d.id.to_string() == name)
            .collect();
        match found.as_slice() {
            [one] => Ok(format!("group_dr{}", one.id)),
            [] => Err(format!(
                "no department is called `{name}`{}",
                closest(name, self.departments.iter().map(|d| d.name.as_str()))
            )),
            many => Err(format!(
                "{} departments are called `{name}` (ids {}); write group_dr<id>",
                many.len(),
                many.iter()
                    .map(|d| d.id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The text written to `environments/<name>.yaml`, with the schema line first (as
    /// lockfiles have); `schema_path` is relative to the file.
    pub fn to_yaml(&self, schema_path: &str) -> String {
        let mut sorted = self.clone();
        sorted.sort();
        let mut body = serde_saphyr::to_string(&sorted).expect("a snapshot serializes");
        if !body.ends_with('\n') {
            body.push('\n');
        }
        format!(
            "# yaml-language-server: $schema={schema_path}\n# Written by `b24flow snapshot --env {}`; only `aliases:` is edited by hand.\n{body}",
            self.environment
        )
    }

    /// Puts every list in its one order: by id (stages keep the portal's order).
    pub fn sort(&mut self) {
        for pipelines in self.pipelines.values_mut() {
            pipelines.sort_by_key(|p| p.id);
        }
        self.users.sort_by_key(|u| u.id);
        self.departments.sort_by_key(|d| d.id);
        for fields in self.fields.values_mut() {
            fields.sort_by(|a, b| a.id.cmp(&b.id));
        }
        self.smart_processes.sort_by_key(|s| s.entity_type_id);
        if let Some(providers) = self.sms_providers.as_mut() {
            providers.sort_by(|a, b| a.id.cmp(&b.id));
        }
        if let Some(lines) = self.open_lines.as_mut() {
            lines.sort_by_key(|l| l.id);
        }
    }

    /// Writes the snapshot atomically to its file under `root`.
    pub fn write(&self, root: &Path) -> Result<PathBuf, Error> {
        let path = Snapshot::path(root, &self.environment);
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(root.join(DIR)).map_err(io)?;
        crate::lockfile::write_atomic(&path, self.to_yaml(SCHEMA_REF).as_bytes()).map_err(io)?;
        Ok(path)
    }

    /// The same portal data, ignoring the hand-written aliases: what `plan` compares
    /// to see whether the snapshot is out of date.
    /// A list one side could not read (SMS providers through a webhook) is not compared.
    pub fn same_portal(&self, other: &Snapshot) -> bool {
        let strip = |s: &Snapshot| {
            let mut s = s.clone();
            s.aliases.clear();
            if self.sms_providers.is_none() || other.sms_providers.is_none() {
                s.sms_providers = None;
            }
            if self.open_lines.is_none() || other.open_lines.is_none() {
                s.open_lines = None;
            }
            s.sort();
            s
        };
        strip(self) == strip(other)
    }
}

impl Snapshot {
    /// What changed in the portal from `self` (the committed snapshot) to `now` (read
    /// just now), one line each, for people: "stage of the deal pipeline `Sales`
    /// `Proposal` is now C1:UC_8K2P (was C1:UC_1A2B)". Aliases are not portal data and
    /// are not compared. Empty exactly when [`Snapshot::same_portal`] holds.
    pub fn changes(&self, now: &Snapshot) -> Vec<String> {
        let mut out = Vec::new();
        let entities: std::collections::BTreeSet<&String> =
            self.pipelines.keys().chain(now.pipelines.keys()).collect();
        for entity in entities {
            let before = self.pipelines.get(entity).map_or(&[][..], Vec::as_slice);
            let after = now.pipelines.get(entity).map_or(&[][..], Vec::as_slice);
            let pairs = |ps: &[Pipeline]| -> Vec<(String, String)> {
                ps.iter()
                    .map(|p| (p.id.to_string(), p.name.clone()))
                    .collect()
            };
            diff_named(
                &format!("{entity} pipeline"),
                &pairs(before),
                &pairs(after),
                &mut out,
            );
            for old in before {
                let Some(new) = after.iter().find(|p| p.id == old.id) else {
                    continue;
                };
                let stages = |p: &Pipeline| -> Vec<(String, String)> {
                    p.stages
                        .iter()
                        .map(|s| (s.id.clone(), s.name.clone()))
                        .collect()
                };
                diff_named(
                    &format!("stage of the {entity} pipeline `{}`", new.name),
                    &stages(old),
                    &stages(new),
                    &mut out,
                );
            }
        }
        let users = |s: &Snapshot| -> Vec<(String, String)> {
            s.users
                .iter()
                .map(|u| (format!("user_{}", u.id), u.name.clone()))
                .collect()
        };
        diff_named("user", &users(self), &users(now), &mut out);
        let departments = |s: &Snapshot| -> Vec<(String, String)> {
            s.departments
                .iter()
                .map(|d| (format!("group_dr{}", d.id), d.name.clone()))
                .collect()
        };
        diff_named(
            "department",
            &departments(self),
            &departments(now),
            &mut out,
        );
        let entities: std::collections::BTreeSet<&String> =
            self.fields.keys().chain(now.fields.keys()).collect();
        for entity in entities {
            let fields = |s: &Snapshot| -> Vec<(String, String)> {
                s.fields
                    .get(entity)
                    .into_iter()
                    .flatten()
                    .map(|f| (f.id.clone(), f.name.clone()))
                    .collect()
            };
            diff_named(
                &format!("{entity} field"),
                &fields(self),
                &fields(now),
                &mut out,
            );
        }
        let types = |s: &Snapshot| -> Vec<(String, String)> {
            s.smart_processes
                .iter()
                .map(|t| (t.entity_type_id.to_string(), t.name.clone()))
                .collect()
        };
        diff_named("smart process", &types(self), &types(now), &mut out);
        if let (Some(before), Some(after)) = (&self.sms_providers, &now.sms_providers) {
            let pairs = |ps: &[SmsProvider]| -> Vec<(String, String)> {
                ps.iter().map(|p| (p.id.clone(), p.name.clone())).collect()
            };
            diff_named("SMS provider", &pairs(before), &pairs(after), &mut out);
        }
        if let (Some(before), Some(after)) = (&self.open_lines, &now.open_lines) {
            let pairs = |ls: &[OpenLine]| -> Vec<(String, String)> {
                ls.iter()
                    .map(|l| (l.id.to_string(), l.name.clone()))
                    .collect()
            };
            diff_named("Open Channel", &pairs(before), &pairs(after), &mut out);
        }
        if out.is_empty() && !self.same_portal(now) {
            out.push("details changed (stage semantics or user e-mails)".to_owned());
        }
        out
    }
}

/// The changes between two lists of `(id, name)`: a name under a new id ("is now"), a
/// renamed id, an added and a removed one.
fn diff_named(
    what: &str,
    before: &[(String, String)],
    after: &[(String, String)],
    out: &mut Vec<String>,
) {
    let removed: Vec<&(String, String)> = before
        .iter()
        .filter(|(id, _)| !after.iter().any(|(a, _)| a == id))
        .collect();
    let mut moved = Vec::new();
    for (id, name) in after {
        match before.iter().find(|(b, _)| b == id) {
            Some((_, old)) if old != name => {
                out.push(format!("{what} {id} is now called `{name}` (was `{old}`)"));
            }
            Some(_) => {}
            None => match removed
                .iter()
                .find(|(old, n)| same_name(n, name) && !moved.contains(old))
            {
                Some((old, _)) => {
                    moved.push(old.clone());
                    out.push(format!("{what} `{name}` is now {id} (was {old})"));
                }
                None => out.push(format!("new {what} `{name}` ({id})")),
            },
        }
    }
    for (id, name) in removed {
        if !moved.contains(id) {
            out.push(format!("{what} `{name}` ({id}) is gone"));
        }
    }
}

/// The schema reference written in snapshot files (they sit one folder below the root).
pub const SCHEMA_REF: &str = "../schema/environment.schema.json";

/// Names compare ignoring case, surrounding space and runs of spaces.
pub fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// "; closest: A, B, C" — the (at most five) names nearest to `wanted`, or the first
/// five when none is near.
pub fn closest<'a>(wanted: &str, names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        return String::new();
    }
    format!("; it has: {}", nearest(wanted, &names).join(", "))
}

/// Every name, the nearest to `wanted` first, at most eight (then `…`).
pub fn nearest(wanted: &str, names: &[&str]) -> Vec<String> {
    let w = wanted.to_lowercase();
    let mut ranked: Vec<(usize, usize, &str)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (strsim::levenshtein(&w, &n.to_lowercase()), i, *n))
        .collect();
    ranked.sort_unstable();
    let mut out: Vec<String> = ranked
        .iter()
        .take(8)
        .map(|(_, _, n)| (*n).to_owned())
        .collect();
    if ranked.len() > 8 {
        out.push("…".into());
    }
    out
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Snapshot {
        Snapshot {
            version: VERSION,
            environment: "staging".into(),
            pipelines: BTreeMap::from([(
                "deal".to_owned(),
                vec![Pipeline {
                    id: 0,
                    name: "General".into(),
                    stages: vec![
                        Stage {
                            id: "NEW".into(),
                            name: "New".into(),
                            semantics: "P".into(),
                        },
                        Stage {
                            id: "WON".into(),
                            name: "Deal won".into(),
                            semantics: "S".into(),
                        },
                    ],
                }],
            )]),
            users: vec![
                User {
                    id: 3,
                    name: "Anna Smirnova".into(),
                    email: String::new(),
                },
                User {
                    id: 1,
                    name: "Anna Smirnova".into(),
                    email: "anna@example.com".into(),
                },
            ],
            departments: vec![Department {
                id: 2,
                name: "Sales".into(),
            }],
            aliases: BTreeMap::from([("sales team".to_owned(), "department:Sales".to_owned())]),
            ..Snapshot::default()
        }
    }

    #[test]
    fn text_round_trips_byte_for_byte() {
        let text = sample().to_yaml(SCHEMA_REF);
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/environment.schema.json\n")
        );
        let back =
            Snapshot::parse(&text, Path::new("environments/staging.yaml"), "staging").unwrap();
        assert_eq!(back.to_yaml(SCHEMA_REF), text);
        // Users come out sorted by id whatever order they were read in.
        assert!(text.find("id: 1").unwrap() < text.find("id: 3").unwrap());
    }

    #[test]
    fn two_users_with_one_name_are_ambiguous() {
        let s = sample();
        let err = s.user_codes("anna smirnova").unwrap_err();
        assert!(err.contains("2 users"), "{err}");
        assert_eq!(s.user_codes("anna@example.com").unwrap(), "user_1");
        assert_eq!(s.alias_codes("department:sales").unwrap(), ["group_dr2"]);
        assert!(
            s.department_code("Marketing")
                .unwrap_err()
                .contains("it has: Sales")
        );
    }

    #[test]
    fn changes_name_what_moved() {
        let before = sample();
        let mut now = sample();
        assert!(before.changes(&now).is_empty());
        let stages = &mut now.pipelines.get_mut("deal").unwrap()[0].stages;
        stages[1].id = "C0:WON2".into();
        stages.push(Stage {
            id: "UC_NEW".into(),
            name: "Offer".into(),
            semantics: "P".into(),
        });
        now.users.retain(|u| u.id != 3);
        now.departments[0].name = "Sales & Marketing".into();
        now.aliases.clear();
        let changes = before.changes(&now);
        assert_eq!(
            changes,
            [
                "stage of the deal pipeline `General` `Deal won` is now C0:WON2 (was WON)",
                "new stage of the deal pipeline `General` `Offer` (UC_NEW)",
                "user `Anna Smirnova` (user_3) is gone",
                "department group_dr2 is now called `Sales & Marketing` (was `Sales`)",
            ]
        );
        let mut email = sample();
        email.users[0].email = "a@b.c".into();
        assert_eq!(before.changes(&email).len(), 1);
    }

    #[test]
    fn nonsense_is_refused_with_the_file() {
        let path = Path::new("environments/staging.yaml");
        for text in [
            "version: 1\nenvironment: staging\nusers: 7\n",
            "version: 1\nenvironment: production\n",
            "version: 2\nenvironment: staging\n",
            "- just\n- a list\n",
            "version: 1\nenvironment: staging\naliases:\n  boss: nobody\n",
        ] {
            let err = Snapshot::parse(text, path, "staging").unwrap_err();
            assert!(
                err.to_string().contains("environments/staging.yaml"),
                "{err}"
            );
        }
    }
}
