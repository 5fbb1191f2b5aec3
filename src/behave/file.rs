//! Test files: `workflows/<id>.test.yaml`, a list of cases beside the spec.
//!
//! A file is read in two passes. The first is the YAML shape (unknown keys and wrong
//! types are refused by serde with the parser's location); the second checks each case
//! against its workflow: action ids from the catalog, record fields the entity has,
//! `to` names that resolve. Every diagnostic names the file and underlines the value.
//!
//! Invariants: a file that loads has only cases whose fields, actions and recipients
//! exist; nothing here touches a portal.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::Config;
use crate::emulator::crm::Kind;
use crate::project::CappedTextError;
use crate::resolve::yaml_path::Locations;

/// Test files end with this.
pub const TEST_EXT: &str = ".test.yaml";

/// The largest test file read; a test file is a page, not a data set.
const MAX_BYTES: u64 = 1024 * 1024;

/// A test file: the cases of one workflow, run in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(title = "b24flow test file")]
pub struct TestFile(pub Vec<Case>);

/// One case: a record, what happens to it, and the effects expected, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case checks, in words; unique within the file.
    #[schemars(length(min = 1))]
    pub name: String,
    /// The record's fields, upper-case as in the blueprint (`TITLE`, `STAGE_ID`). It is
    /// created before the events unless the events start with `create`.
    #[serde(default)]
    pub record: BTreeMap<String, Scalar>,
    /// Whether a client contact (name, phone, e-mail, an Open Channel chat) is made and
    /// linked to a deal, quote or invoice record. Default true.
    #[serde(default = "yes")]
    pub client: bool,
    /// What happens, in order.
    #[serde(default)]
    pub events: Vec<Event>,
    /// The exact, ordered list of effects the workflows have.
    pub expect: Vec<Expect>,
    /// Do not run this case, and say why (a known defect being fixed elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<String>,
}

fn yes() -> bool {
    true
}

/// A field value: text, a number or a yes/no. On date fields, `today`, `today+3d` and
/// `today-1d` are read on the local portal's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// Text.
    Text(String),
    /// A number.
    Number(serde_json::Number),
    /// A boolean (sent as `Y`/`N`).
    Bool(bool),
}

impl Scalar {
    /// The value as the REST API takes it.
    pub fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Number(n) => n.to_string(),
            Scalar::Bool(b) => if *b { "Y" } else { "N" }.to_owned(),
        }
    }
}

/// Something that happens to the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Event {
    /// The record is created now, with these fields on top of `record`.
    Create(BTreeMap<String, Scalar>),
    /// The record is changed over REST, as a person editing it would.
    Change(BTreeMap<String, Scalar>),
    /// The portal's clock moves forward: `30m`, `2h`, `2d`, `1w`.
    Wait(#[schemars(regex(pattern = r"^[0-9]+[smhdw]$"))] String),
}

/// One expected effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The catalog's action id, e.g. `send_whatsapp`.
    pub action: String,
    /// Who receives it: `client`, `responsible`, `user_<id>`, or a name from
    /// `[recipients]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Text the message (or task, comment) must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_contains: Option<String>,
    /// The title (task) or subject (e-mail), exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The stage moved to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The field set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value the field was set to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Scalar>,
}

/// Seconds in a `wait` duration, or `None` when it does not read.
pub fn wait_seconds(text: &str) -> Option<i64> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let n: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let per = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return None,
    };
    n.checked_mul(per)
        .filter(|s| (0..=10 * 365 * 86_400).contains(s))
}

/// Why a test file cannot be run.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    #[diagnostic(code(b24flow::test::read))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is larger than 1 MiB", path.display())]
    #[diagnostic(code(b24flow::test::too_large))]
    TooLarge { path: PathBuf },
    #[error("{} is not valid UTF-8 text", path.display())]
    #[diagnostic(code(b24flow::test::not_text))]
    NotText { path: PathBuf },
    #[error("{shown}: {message}")]
    #[diagnostic(
        code(b24flow::test::invalid),
        help(
            "a test file is a list of cases: name, record, events (create, change, wait), expect; see schema/test-file.schema.json"
        )
    )]
    Invalid {
        shown: String,
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: Option<SourceSpan>,
    },
    #[error("{shown}: {message}")]
    #[diagnostic(code(b24flow::test::check))]
    Check {
        shown: String,
        message: String,
        #[help]
        help: Option<String>,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: Option<SourceSpan>,
    },
    #[error("{shown} tests the workflow `{id}`, which has no spec")]
    #[diagnostic(
        code(b24flow::test::orphaned),
        help(
            "a test file sits beside its spec: workflows/<id>.test.yaml tests workflows/<id>.txt"
        )
    )]
    Orphaned { shown: String, id: String },
}

/// What a case is checked against: the workflow's entity and the project's names.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The record kind of the workflow's entity.
    pub kind: Kind,
    /// The project's configuration (`[recipients]`).
    pub config: &'a Config,
}

/// Reads a test file without checking it against a workflow.
pub fn read(path: &Path, shown: &str) -> Result<(TestFile, String), Error> {
    let path_buf = path.to_owned();
    let text = crate::project::read_capped_text(path, MAX_BYTES).map_err(|e| match e {
        CappedTextError::Io(source) => Error::Read {
            path: path_buf,
            source,
        },
        CappedTextError::TooLarge(_) => Error::TooLarge { path: path_buf },
        CappedTextError::NotText => Error::NotText { path: path_buf },
    })?;
    let file = parse(&text, shown)?;
    Ok((file, text))
}

/// Parses test-file text; `shown` names it in diagnostics.
pub fn parse(text: &str, shown: &str) -> Result<TestFile, Error> {
    match serde_saphyr::from_str::<TestFile>(text) {
        Ok(f) => Ok(f),
        Err(e) => {
            let span = e.location().and_then(|loc| {
                loc.span()
                    .byte_offset()
                    .map(|o| usize::try_from(o).unwrap_or(usize::MAX).min(text.len()))
                    .map(|o| SourceSpan::from((o, 0)))
            });
            let message = e.to_string();
            Err(Error::Invalid {
                shown: shown.to_owned(),
                message: message.lines().next().unwrap_or_default().to_owned(),
                src: NamedSource::new(shown, text.to_owned()).with_language("yaml"),
                span,
            })
        }
    }
}

/// Checks every case against the workflow: unique names, fields the entity has, action
/// ids from the catalog, recipients that resolve, waits that read. Returns every problem.
pub fn check(file: &TestFile, text: &str, shown: &str, cx: Context<'_>) -> Vec<Error> {
    let places = Locations::scan(text);
    let mut out = Vec::new();
    let mut problem = |path: String, message: String, help: Option<String>| {
        out.push(Error::Check {
            shown: shown.to_owned(),
            message,
            help,
            src: NamedSource::new(shown, text.to_owned()).with_language("yaml"),
            span: places.find(&path).map(SourceSpan::from),
        });
    };
    let mut names = std::collections::BTreeSet::new();
    for (i, case) in file.0.iter().enumerate() {
        let at = format!("[{i}]");
        if !names.insert(case.name.as_str()) {
            problem(
                format!("{at}.name"),
                format!("two cases are called `{}`", case.name),
                Some("give each case its own name; reports name them".into()),
            );
        }
        let mut field_maps = vec![(format!("{at}.record"), &case.record)];
        for (j, event) in case.events.iter().enumerate() {
            let ev = format!("{at}.events[{j}]");
            match event {
                Event::Create(m) => {
                    if j != 0 {
                        problem(
                            format!("{ev}.create"),
                            "`create` can only be the first event".into(),
                            Some("the record is created once; later events change it".into()),
                        );
                    }
                    field_maps.push((format!("{ev}.create"), m));
                }
                Event::Change(m) => field_maps.push((format!("{ev}.change"), m)),
                Event::Wait(w) => {
                    if wait_seconds(w).is_none() {
                        problem(
                            format!("{ev}.wait"),
                            format!("`{w}` is not a duration"),
                            Some(
                                "write a number and a unit: 30m, 2h, 2d, 1w (at most 10 years)"
                                    .into(),
                            ),
                        );
                    }
                }
            }
        }
        for (path, map) in field_maps {
            for name in map.keys() {
                if !has_field(cx.kind, name) {
                    problem(
                        format!("{path}.{name}"),
                        format!("a {} has no field `{name}`", cx.kind.name()),
                        Some(format!(
                            "fields of a {}: {}",
                            cx.kind.name(),
                            field_list(cx.kind)
                        )),
                    );
                }
            }
        }
        for (j, expect) in case.expect.iter().enumerate() {
            let ex = format!("{at}.expect[{j}]");
            if crate::catalog::action(&expect.action).is_none() {
                problem(
                    format!("{ex}.action"),
                    format!("`{}` is not an action id", expect.action),
                    Some("see `b24flow capabilities` for the action ids".into()),
                );
            }
            if let Some(to) = &expect.to
                && let Err(message) = Recipient::parse(to, cx.config)
            {
                problem(
                    format!("{ex}.to"),
                    message,
                    Some("write client, responsible, user_<id>, or a name listed under [recipients] in b24flow.toml".into()),
                );
            }
            if let Some(field) = &expect.field
                && !has_field(cx.kind, field)
            {
                problem(
                    format!("{ex}.field"),
                    format!("a {} has no field `{field}`", cx.kind.name()),
                    None,
                );
            }
        }
    }
    out
}

fn has_field(kind: Kind, name: &str) -> bool {
    crate::emulator::crm::field(kind, name).is_some()
}

fn field_list(kind: Kind) -> String {
    crate::emulator::crm::fields(kind)
        .iter()
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// An expected recipient, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// The record's client (its contact, else its company; a lead itself).
    Client,
    /// The record's responsible person.
    Responsible,
    /// These users, exactly (a `user_<id>`, or a `[recipients]` name's codes).
    Users(Vec<u64>),
}

impl Recipient {
    /// Resolves a `to` of a test file; the error says why it cannot be.
    pub fn parse(to: &str, config: &Config) -> Result<Recipient, String> {
        match to.trim() {
            "client" => return Ok(Recipient::Client),
            "responsible" => return Ok(Recipient::Responsible),
            _ => {}
        }
        let codes: Vec<String> = if let Some(value) = config.recipients.get(to.trim()) {
            value.split(',').map(|c| c.trim().to_owned()).collect()
        } else if to.trim().starts_with("user_") {
            vec![to.trim().to_owned()]
        } else {
            return Err(format!("no one called `{to}` can be resolved"));
        };
        let mut users = Vec::new();
        for code in &codes {
            users.extend(users_of(code).ok_or_else(|| {
                format!("`{code}` (for `{to}`) is not a user or department of the local portal")
            })?);
        }
        users.sort_unstable();
        users.dedup();
        if users.is_empty() {
            return Err(format!("`{to}` resolves to no one on the local portal"));
        }
        Ok(Recipient::Users(users))
    }
}

/// The users a code names on the local portal: `user_<id>`, `group_d<n>`,
/// `group_dr<n>` (with sub-departments).
fn users_of(code: &str) -> Option<Vec<u64>> {
    use crate::emulator::crm;
    if let Some(id) = code.strip_prefix("user_") {
        let id: u64 = id.parse().ok()?;
        return crm::user(id).map(|_| vec![id]);
    }
    if let Some(d) = code.strip_prefix("group_dr") {
        return Some(crm::department_users(d.parse().ok()?, true));
    }
    if let Some(d) = code.strip_prefix("group_d") {
        return Some(crm::department_users(d.parse().ok()?, false));
    }
    None
}

/// The starter file `test --init` writes: one case that fires the trigger and expects
/// the blueprint's actions, one that must not fire.
pub fn starter(bp: &crate::blueprint::Blueprint, kind: Kind) -> String {
    use std::fmt::Write as _;
    let Sample {
        record,
        fire,
        quiet,
    } = sample(&bp.trigger.kind, kind);
    let record = flow_map(&record);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "- name: {}",
        yaml_str(&format!("{} does what its spec says", bp.name))
    );
    let _ = writeln!(out, "  record: {record}");
    let _ = writeln!(out, "  events:");
    for e in &fire {
        let _ = writeln!(out, "    - {}", flow_event(e));
    }
    let _ = writeln!(out, "  expect:");
    for a in &bp.actions {
        let _ = writeln!(out, "    - action: {}", a.kind);
    }
    let _ = writeln!(
        out,
        "- name: nothing happens when the trigger does not fire"
    );
    let _ = writeln!(out, "  record: {record}");
    if quiet.is_empty() {
        let _ = writeln!(out, "  events: []");
    } else {
        let _ = writeln!(out, "  events:");
        for e in &quiet {
            let _ = writeln!(out, "    - {}", flow_event(e));
        }
    }
    let _ = writeln!(out, "  expect: []");
    out
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A map of fields in YAML flow style, `{TITLE: Test, STAGE_ID: "DT31_1:N"}`.
fn flow_map(map: &BTreeMap<String, Scalar>) -> String {
    let items: Vec<String> = map
        .iter()
        .map(|(k, v)| {
            let v = match v {
                // Plain when YAML reads it back as the same text, else quoted.
                Scalar::Text(t)
                    if !t.is_empty()
                        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && t.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && !matches!(
                            t.to_ascii_lowercase().as_str(),
                            "true" | "false" | "yes" | "no" | "on" | "off" | "null"
                        ) =>
                {
                    t.clone()
                }
                Scalar::Text(t) => yaml_str(t),
                Scalar::Number(n) => n.to_string(),
                Scalar::Bool(b) => b.to_string(),
            };
            format!("{k}: {v}")
        })
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// One event in YAML flow style.
fn flow_event(e: &Event) -> String {
    match e {
        Event::Create(m) => format!("create: {}", flow_map(m)),
        Event::Change(m) => format!("change: {}", flow_map(m)),
        Event::Wait(w) => format!("wait: {w}"),
    }
}

/// A record for a trigger and the events that fire it, for a starter test file and
/// the builder's "what would happen" panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The record's fields before the events.
    pub record: BTreeMap<String, Scalar>,
    /// Events that fire the trigger.
    pub fire: Vec<Event>,
    /// Events that must not fire it (may be none).
    pub quiet: Vec<Event>,
}

/// The sample for `trigger` (a catalog trigger id) on records of `kind`.
pub fn sample(trigger: &str, kind: Kind) -> Sample {
    let text = |s: &str| Scalar::Text(s.to_owned());
    let one = |k: &str, v: &str| BTreeMap::from([(k.to_owned(), text(v))]);
    let stage = kind.stage_field().unwrap_or("STAGE_ID");
    let first = match kind {
        Kind::Quote => "DRAFT",
        Kind::SmartInvoice => "DT31_1:N",
        _ => "NEW",
    };
    // A contact has a NAME where the other records have a TITLE.
    let name = if kind == Kind::Contact {
        "NAME"
    } else {
        "TITLE"
    };
    let mut record = one(name, "Test");
    if kind.stage_field().is_some() {
        record.insert(stage.to_owned(), text(first));
    }
    let create = Event::Create(BTreeMap::new());
    let rename = Event::Change(one(name, "Renamed"));
    let (fire, quiet) = match trigger {
        "deal_won" => (vec![Event::Change(one(stage, "WON"))], vec![rename]),
        "deal_lost" => (vec![Event::Change(one(stage, "LOSE"))], vec![rename]),
        "lead_converted" => (vec![Event::Change(one(stage, "CONVERTED"))], vec![rename]),
        t if t.ends_with("_created") => (vec![create], vec![rename]),
        "invoice_overdue" => {
            // Due today on the local portal's clock: overdue once the clock moves on.
            record.insert("CLOSEDATE".into(), text("today"));
            (vec![create, Event::Wait("2d".into())], Vec::new())
        }
        _ => (vec![rename], Vec::new()),
    };
    Sample {
        record,
        fire,
        quiet,
    }
}

/// The record kind of a blueprint entity, if the local portal keeps such records.
pub fn kind_of(entity: &str) -> Option<Kind> {
    let info = crate::catalog::ENTITIES.iter().find(|e| e.id == entity)?;
    let [_, class, ty] = info.document_type?;
    Kind::from_document_type(class, ty)
}

/// The value of a `Scalar` map as the REST API takes it.
pub fn fields_json(map: &BTreeMap<String, Scalar>) -> serde_json::Map<String, Value> {
    map.iter()
        .map(|(k, v)| (k.clone(), Value::String(v.text())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_read_back_as_written_in_a_starter() {
        for kind in [
            Kind::Deal,
            Kind::Lead,
            Kind::SmartInvoice,
            Kind::Quote,
            Kind::Contact,
            Kind::Company,
        ] {
            for trigger in [
                "deal_won",
                "lead_converted",
                "lead_created",
                "invoice_overdue",
                "x",
            ] {
                let s = sample(trigger, kind);
                let back: BTreeMap<String, Scalar> =
                    serde_saphyr::from_str(&flow_map(&s.record)).unwrap();
                assert_eq!(back, s.record, "{}", flow_map(&s.record));
                for e in s.fire.iter().chain(&s.quiet) {
                    let back: Event = serde_saphyr::from_str(&flow_event(e)).unwrap();
                    assert_eq!(&back, e, "{}", flow_event(e));
                }
            }
        }
        let odd = BTreeMap::from([
            ("A".to_owned(), Scalar::Text("yes".into())),
            ("B".to_owned(), Scalar::Text("a: b, {c}".into())),
            ("C".to_owned(), Scalar::Text("12".into())),
        ]);
        let back: BTreeMap<String, Scalar> = serde_saphyr::from_str(&flow_map(&odd)).unwrap();
        assert_eq!(back, odd);
    }

    #[test]
    fn waits_read_units_and_refuse_the_rest() {
        assert_eq!(wait_seconds("2d"), Some(172_800));
        assert_eq!(wait_seconds("30m"), Some(1800));
        assert_eq!(wait_seconds("1w"), Some(604_800));
        assert_eq!(wait_seconds("2"), None);
        assert_eq!(wait_seconds("d"), None);
        assert_eq!(wait_seconds("-1d"), None);
        assert_eq!(wait_seconds("99999999999d"), None);
    }

    #[test]
    fn recipients_resolve_or_say_why() {
        let mut config = Config::default();
        config
            .recipients
            .insert("sales team".into(), "group_dr1".into());
        config
            .recipients
            .insert("ghosts".into(), "group_d99".into());
        assert_eq!(Recipient::parse("client", &config), Ok(Recipient::Client));
        assert_eq!(
            Recipient::parse("user_3", &config),
            Ok(Recipient::Users(vec![3]))
        );
        assert!(
            matches!(Recipient::parse("sales team", &config), Ok(Recipient::Users(u)) if u.len() > 1)
        );
        assert!(Recipient::parse("user_999", &config).is_err());
        assert!(
            Recipient::parse("ghosts", &config)
                .unwrap_err()
                .contains("no one")
        );
        assert!(Recipient::parse("accounts", &config).is_err());
    }

    #[test]
    fn unknown_keys_are_refused_with_a_place() {
        let err = parse("- name: x\n  expect: []\n  colour: red\n", "t.yaml").unwrap_err();
        assert!(
            matches!(err, Error::Invalid { span: Some(_), .. }),
            "{err:?}"
        );
    }
}
