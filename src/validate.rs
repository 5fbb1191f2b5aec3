//! Semantic rules for blueprints, and diagnostics that point into the file that holds one.
//!
//! [`check_blueprint`] knows nothing of files: it returns every [`Problem`] it finds,
//! each with the path of the offending value (`actions[1].to`). [`FileDiagnostic`] then
//! places a problem in a lockfile's text, so `validate` can underline the exact value.
//! The same checks run on every parser's answer before a lockfile is written, and the
//! LLM parsers feed the problems back to the model.
//!
//! Rules: the trigger and actions exist in the catalog; the trigger belongs to the
//! blueprint's entity; required fields are present and unknown ones absent; values have
//! the shape their kind demands; each smart variable is one the entity can supply;
//! recipients are people Bitrix24 can address (a variable, a `user_`/`group_` code, or a
//! name from `[recipients]`); webhook URLs are https and do not point at loopback,
//! private or link-local addresses unless `[policy]` allows the host.

use std::fmt;
use std::net::IpAddr;
use std::sync::LazyLock;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity, SourceCode};
use regex::Regex;

use crate::blueprint::{Blueprint, variables_in};
use crate::catalog::{self, Entity, FieldKind};
use crate::config::Config;
use crate::yaml_path::Locations;

/// One thing wrong with a blueprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: `trigger.type`, `actions[1].to`, `conditions[0].operator`, ...
    pub path: String,
    /// A stable code, e.g. `unknown-variable`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Problem {
    fn new(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            code,
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Checks a blueprint against the catalog and the project's config; returns every
/// problem found, in document order.
pub fn check_blueprint(bp: &Blueprint, config: &Config) -> Vec<Problem> {
    let mut problems = Vec::new();
    if bp.name.trim().is_empty() {
        problems.push(Problem::new(
            "name",
            "empty-name",
            "the workflow has no name",
        ));
    } else if bp.name.chars().count() > 200 {
        problems.push(Problem::new(
            "name",
            "long-name",
            "the name is longer than 200 characters",
        ));
    }
    let entity = Entity::from_id(&bp.entity);
    if entity.is_none() {
        let ids: Vec<&str> = catalog::ENTITIES.iter().map(|e| e.id).collect();
        problems.push(
            Problem::new(
                "entity",
                "unknown-entity",
                format!("unknown entity `{}`", bp.entity),
            )
            .help(suggest(&bp.entity, &ids)),
        );
    }
    check_trigger(bp, entity, &mut problems);
    check_conditions(bp, entity, &mut problems);
    if bp.actions.is_empty() {
        problems.push(
            Problem::new("actions", "no-actions", "the workflow does nothing")
                .help("add at least one action, e.g. \"send a WhatsApp to the client\""),
        );
    } else if bp.actions.len() > 50 {
        problems.push(Problem::new(
            "actions",
            "too-many-actions",
            "a workflow may have at most 50 actions",
        ));
    }
    for (i, action) in bp.actions.iter().enumerate() {
        check_action(i, action, entity, config, &mut problems);
    }
    problems
}

fn check_trigger(bp: &Blueprint, entity: Option<Entity>, problems: &mut Vec<Problem>) {
    let Some(trigger) = catalog::trigger(&bp.trigger.kind) else {
        let ids: Vec<&str> = catalog::TRIGGERS.iter().map(|t| t.id).collect();
        problems.push(
            Problem::new(
                "trigger.type",
                "unknown-trigger",
                format!("unknown trigger `{}`", bp.trigger.kind),
            )
            .help(suggest(&bp.trigger.kind, &ids)),
        );
        return;
    };
    if let Some(entity) = entity
        && entity != trigger.entity
    {
        problems.push(
            Problem::new(
                "entity",
                "entity-mismatch",
                format!(
                    "trigger `{}` starts on a {}, but the entity is {}",
                    trigger.id,
                    trigger.entity.info().label,
                    entity.id()
                ),
            )
            .help(format!("set the entity to {}", trigger.entity.id())),
        );
    }
    for (name, value) in &bp.trigger.params {
        let path = format!("trigger.{name}");
        if !trigger.params.iter().any(|p| p.name == name) {
            problems.push(
                Problem::new(
                    &path,
                    "unknown-param",
                    format!("trigger `{}` takes no `{name}`", trigger.id),
                )
                .help(param_help(trigger)),
            );
        } else if name == "stage" && !STAGE.is_match(value) {
            problems.push(stage_problem(&path, value));
        }
    }
    for p in trigger.params.iter().filter(|p| p.required) {
        if !bp.trigger.params.contains_key(p.name) {
            problems.push(
                Problem::new(
                    "trigger",
                    "missing-param",
                    format!("trigger `{}` needs `{}`", trigger.id, p.name),
                )
                .help(p.description),
            );
        }
    }
}

fn param_help(trigger: &catalog::TriggerInfo) -> String {
    if trigger.params.is_empty() {
        "remove it".to_owned()
    } else {
        let names: Vec<&str> = trigger.params.iter().map(|p| p.name).collect();
        format!("it takes: {}", names.join(", "))
    }
}

fn check_conditions(bp: &Blueprint, entity: Option<Entity>, problems: &mut Vec<Problem>) {
    for (i, c) in bp.conditions.iter().enumerate() {
        let at = |field: &str| format!("conditions[{i}].{field}");
        if !FIELD_ID.is_match(&c.field) {
            problems.push(field_problem(&at("field"), &c.field));
        }
        let known = catalog::CONDITION_OPERATORS
            .iter()
            .any(|(op, _)| *op == c.operator);
        if !known {
            let ops: Vec<&str> = catalog::CONDITION_OPERATORS
                .iter()
                .map(|(o, _)| *o)
                .collect();
            problems.push(
                Problem::new(
                    at("operator"),
                    "unknown-operator",
                    format!("unknown operator `{}`", c.operator),
                )
                .help(format!("use one of: {}", ops.join(" "))),
            );
        }
        let needs_value = !matches!(c.operator.as_str(), "empty" | "!empty");
        if known && needs_value && c.value.is_empty() {
            problems.push(Problem::new(
                at("value"),
                "missing-value",
                format!("`{}` needs a value to compare with", c.operator),
            ));
        }
        check_variables(&at("value"), &c.value, entity, problems);
    }
}

fn check_action(
    i: usize,
    action: &crate::blueprint::Action,
    entity: Option<Entity>,
    config: &Config,
    problems: &mut Vec<Problem>,
) {
    let base = format!("actions[{i}]");
    let Some(info) = catalog::action(&action.kind) else {
        let ids: Vec<&str> = catalog::ACTIONS.iter().map(|a| a.id).collect();
        problems.push(
            Problem::new(
                format!("{base}.type"),
                "unknown-action",
                format!("unknown action `{}`", action.kind),
            )
            .help(suggest(&action.kind, &ids)),
        );
        return;
    };
    for spec in info.fields.iter().filter(|f| f.required) {
        if action.field(spec.name).is_none_or(|v| v.trim().is_empty()) {
            problems.push(
                Problem::new(
                    base.clone(),
                    "missing-field",
                    format!("`{}` needs `{}` ({})", info.id, spec.name, spec.description),
                )
                .help(format!("say it in the spec, e.g. the {} to use", spec.name)),
            );
        }
    }
    for (name, value) in &action.fields {
        let path = format!("{base}.{name}");
        let Some(spec) = info.field(name) else {
            let names: Vec<&str> = info.fields.iter().map(|f| f.name).collect();
            problems.push(
                Problem::new(
                    &path,
                    "unknown-field",
                    format!("`{}` has no field `{name}`", info.id),
                )
                .help(format!("its fields are: {}", names.join(", "))),
            );
            continue;
        };
        check_value(&path, info.id, spec.kind, value, config, problems);
        check_variables(&path, value, entity, problems);
    }
}

static STAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_]+(:[A-Za-z0-9_]+)?$").unwrap());
static FIELD_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)?$").unwrap());
static DATETIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\+\d{1,4}[mhdw]|\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?|\{\{[A-Z_]+\}\})$")
        .unwrap()
});
static USER_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(user_\d+|group_(u|g|d|dr|iu|su)\d+|group_ua|group_sg\d+_[KAE]|author)$").unwrap()
});

fn stage_problem(path: &str, value: &str) -> Problem {
    Problem::new(path, "bad-stage", format!("`{value}` is not a stage id"))
        .help("stage ids look like WON, PREPARATION or C2:NEW (letters, digits, underscores)")
}

fn field_problem(path: &str, value: &str) -> Problem {
    let hint = catalog::field_alias(value).map_or_else(
        || "field ids are upper case, e.g. OPPORTUNITY, TITLE or UF_CRM_SOURCE".to_owned(),
        |id| format!("did you mean {id}?"),
    );
    Problem::new(path, "bad-field", format!("`{value}` is not a field id")).help(hint)
}

fn check_value(
    path: &str,
    action: &str,
    kind: FieldKind,
    value: &str,
    config: &Config,
    problems: &mut Vec<Problem>,
) {
    match kind {
        FieldKind::Text => {
            if value.chars().count() > 10_000 {
                problems.push(Problem::new(
                    path,
                    "long-text",
                    "the text is longer than 10,000 characters",
                ));
            }
        }
        FieldKind::Tag => {
            if value.contains('\n') || value.chars().count() > 100 {
                problems.push(Problem::new(
                    path,
                    "bad-tag",
                    "a tag is one line of at most 100 characters",
                ));
            }
        }
        FieldKind::Stage => {
            if !STAGE.is_match(value) {
                problems.push(stage_problem(path, value));
            }
        }
        FieldKind::Field => {
            if !FIELD_ID.is_match(value) {
                problems.push(field_problem(path, value));
            }
        }
        FieldKind::DateTime => {
            if !DATETIME.is_match(value) {
                problems.push(
                    Problem::new(
                        path,
                        "bad-datetime",
                        format!("`{value}` is not a date or time"),
                    )
                    .help("write +3d, +2h, +30m, 2026-12-01 10:00, or {{CURRENT_DATETIME}}"),
                );
            }
        }
        FieldKind::Priority => {
            if !matches!(value, "low" | "normal" | "high") {
                problems.push(
                    Problem::new(path, "bad-priority", format!("`{value}` is not a priority"))
                        .help("use low, normal or high"),
                );
            }
        }
        FieldKind::HttpMethod => {
            if !matches!(value, "POST" | "GET") {
                problems.push(Problem::new(
                    path,
                    "bad-method",
                    format!("`{value}` is not POST or GET"),
                ));
            }
        }
        FieldKind::Integer => {
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                problems.push(Problem::new(
                    path,
                    "bad-integer",
                    format!("`{value}` is not a whole number"),
                ));
            }
        }
        FieldKind::Url => check_url(path, value, config, problems),
        FieldKind::Recipient => check_recipient(path, action, value, config, problems),
    }
}

/// Actions whose `to` is the record's client: Bitrix24 sends them to the client's own
/// phone or e-mail, found from the record, so only the matching variable makes sense.
fn client_variable(action: &str, path: &str) -> Option<&'static str> {
    if path.rsplit('.').next() != Some("to") {
        return None;
    }
    match action {
        "send_whatsapp" | "schedule_call" => Some("CONTACT_PHONE"),
        "send_email" => Some("CONTACT_EMAIL"),
        _ => None,
    }
}

fn check_recipient(
    path: &str,
    action: &str,
    value: &str,
    config: &Config,
    problems: &mut Vec<Problem>,
) {
    if let Some(var) = client_variable(action, path) {
        let wanted = format!("{{{{{var}}}}}");
        if value != wanted {
            problems.push(
                Problem::new(
                    path,
                    "client-recipient",
                    format!("`{action}` goes to the record's client, not `{value}`"),
                )
                .help(format!(
                    "write {wanted}: Bitrix24 sends it to the client's own {}",
                    if var == "CONTACT_EMAIL" {
                        "e-mail"
                    } else {
                        "phone"
                    }
                )),
            );
        }
        return;
    }
    for part in value.split(',').map(str::trim) {
        if part == "{{ASSIGNED_BY_ID}}" || USER_CODE.is_match(part) {
            continue;
        }
        if action == "send_sms" && part == "{{CONTACT_PHONE}}" {
            continue;
        }
        if part.starts_with("{{") {
            problems.push(
                Problem::new(path, "bad-recipient", format!("`{part}` is not a person"))
                    .help("use {{ASSIGNED_BY_ID}}, user_<id>, or a name listed under [recipients] in b24flow.toml"),
            );
            continue;
        }
        if config.recipient(part).is_none() {
            problems.push(
                Problem::new(path, "unknown-recipient", format!("no one called `{part}` is listed under [recipients]"))
                    .help(format!(
                        "add it to b24flow.toml, e.g. [recipients] \"{}\" = \"group_d1\" (a department) or \"user_1\"",
                        crate::config::recipient_key(part)
                    )),
            );
        }
    }
}

fn check_url(path: &str, value: &str, config: &Config, problems: &mut Vec<Problem>) {
    let url = match url::Url::parse(value) {
        Ok(url) => url,
        Err(e) => {
            problems.push(Problem::new(
                path,
                "bad-url",
                format!("`{value}` is not a URL: {e}"),
            ));
            return;
        }
    };
    if url.scheme() != "https" {
        problems.push(
            Problem::new(
                path,
                "insecure-url",
                format!("webhook URLs must use https, not {}", url.scheme()),
            )
            .help("the record's data travels to this address; use an https endpoint"),
        );
    }
    let Some(host) = url.host_str() else {
        problems.push(Problem::new(path, "bad-url", "the URL has no host"));
        return;
    };
    let allowed = config
        .policy
        .webhook_allowed_hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(host));
    if !allowed && let Some(why) = internal_host(host) {
        problems.push(
            Problem::new(
                path,
                "internal-url",
                format!("the webhook points at {why} address `{host}`"),
            )
            .help(format!(
                "if this is intended, allow it: [policy] webhook_allowed_hosts = [\"{host}\"]"
            )),
        );
    }
}

/// Why a host is internal (loopback, private, link-local), or `None` if it is public.
fn internal_host(host: &str) -> Option<&'static str> {
    let lower = host.trim_matches(['[', ']']).to_ascii_lowercase();
    if lower == "localhost" || lower.ends_with(".localhost") {
        return Some("a loopback");
    }
    if lower.contains('.') && matches!(lower.rsplit('.').next(), Some("local" | "internal")) {
        return Some("a private");
    }
    match lower.parse::<IpAddr>().ok()? {
        IpAddr::V4(ip) => {
            if ip.is_loopback() {
                Some("a loopback")
            } else if ip.is_private() || ip.octets()[0] == 100 && (ip.octets()[1] & 0xC0) == 64 {
                Some("a private")
            } else if ip.is_link_local() {
                Some("a link-local")
            } else if ip.is_unspecified() || ip.is_broadcast() || ip.is_multicast() {
                Some("a non-routable")
            } else {
                None
            }
        }
        IpAddr::V6(ip) => {
            let first = ip.segments()[0];
            if ip.is_loopback() {
                Some("a loopback")
            } else if first & 0xfe00 == 0xfc00 {
                Some("a private")
            } else if first & 0xffc0 == 0xfe80 {
                Some("a link-local")
            } else if ip.is_unspecified() || ip.is_multicast() {
                Some("a non-routable")
            } else if let Some(v4) = ip.to_ipv4_mapped() {
                internal_host(&v4.to_string())
            } else {
                None
            }
        }
    }
}

fn check_variables(path: &str, value: &str, entity: Option<Entity>, problems: &mut Vec<Problem>) {
    for name in variables_in(value) {
        match catalog::variable(name) {
            None => {
                let names: Vec<&str> = catalog::VARIABLES.iter().map(|v| v.name).collect();
                problems.push(
                    Problem::new(
                        path,
                        "unknown-variable",
                        format!("unknown smart variable `{{{{{name}}}}}`"),
                    )
                    .help(suggest(name, &names)),
                );
            }
            Some(var) => {
                if let Some(entity) = entity
                    && var.expression_for(entity).is_none()
                {
                    let from: Vec<&str> = var.sources.iter().map(|s| s.entity.id()).collect();
                    problems.push(
                        Problem::new(
                            path,
                            "unavailable-variable",
                            format!("a {} cannot supply `{{{{{name}}}}}`", entity.info().label),
                        )
                        .help(format!("it is available on: {}", from.join(", "))),
                    );
                }
            }
        }
    }
}

/// "did you mean X?" when a close id exists, else the list of valid ids.
fn suggest(wrong: &str, valid: &[&str]) -> String {
    let best = valid
        .iter()
        .map(|v| {
            (
                distance(&wrong.to_ascii_lowercase(), &v.to_ascii_lowercase()),
                *v,
            )
        })
        .min();
    match best {
        Some((d, v)) if d <= 3 => format!("did you mean `{v}`?"),
        _ => format!("valid values: {}", valid.join(", ")),
    }
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A problem placed in a file: what miette renders, with the file, line and a label.
#[derive(Debug)]
pub struct FileDiagnostic {
    pub message: String,
    pub code: String,
    pub help: Option<String>,
    pub severity: Severity,
    pub src: NamedSource<String>,
    pub span: Option<(usize, usize)>,
    pub label: String,
}

impl FileDiagnostic {
    /// Places `problem` in a YAML file whose blueprint sits under `prefix` (e.g.
    /// `blueprint`), using `locations` scanned from `text`.
    pub fn in_yaml(
        problem: &Problem,
        file: &str,
        text: &str,
        locations: &Locations,
        prefix: &str,
    ) -> Self {
        let path = if prefix.is_empty() {
            problem.path.clone()
        } else {
            format!("{prefix}.{}", problem.path)
        };
        FileDiagnostic {
            message: format!("{file}: {}", problem.message),
            code: format!("b24flow::validate::{}", problem.code),
            help: problem.help.clone(),
            severity: Severity::Error,
            src: NamedSource::new(file, text.to_owned()).with_language("yaml"),
            span: locations.find(&path),
            label: "here".to_owned(),
        }
    }

    /// A message about a whole file (a spec, say), labelling `span` if given.
    pub fn whole_file(
        file: &str,
        text: &str,
        code: &str,
        message: &str,
        help: Option<String>,
        span: Option<(usize, usize)>,
    ) -> Self {
        FileDiagnostic {
            message: format!("{file}: {message}"),
            code: code.to_owned(),
            help,
            severity: Severity::Error,
            src: NamedSource::new(file, text.to_owned()),
            span,
            label: "in this spec".to_owned(),
        }
    }
}

impl fmt::Display for FileDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FileDiagnostic {}

impl Diagnostic for FileDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.span.map(|_| &self.src as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (offset, len) = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.label.clone()),
            offset,
            len,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::{Action, Condition, Trigger};

    fn bp(trigger: &str, entity: &str, actions: Vec<Action>) -> Blueprint {
        Blueprint {
            name: "t".into(),
            entity: entity.into(),
            trigger: Trigger::new(trigger),
            conditions: vec![],
            actions,
        }
    }

    fn codes(b: &Blueprint, config: &Config) -> Vec<&'static str> {
        check_blueprint(b, config)
            .into_iter()
            .map(|p| p.code)
            .collect()
    }

    fn whatsapp(to: &str) -> Action {
        Action::new(
            "send_whatsapp",
            [("to", to.to_owned()), ("message", "hi".to_owned())],
        )
    }

    #[test]
    fn the_seed_example_is_valid() {
        let b = bp("deal_won", "CRM_DEAL", vec![whatsapp("{{CONTACT_PHONE}}")]);
        assert_eq!(codes(&b, &Config::default()), Vec::<&str>::new());
    }

    #[test]
    fn unknown_ids_get_a_suggestion() {
        let b = bp(
            "deal_wonn",
            "CRM_DEAL",
            vec![Action::new("send_whatsap", [])],
        );
        let problems = check_blueprint(&b, &Config::default());
        assert_eq!(problems[0].code, "unknown-trigger");
        assert_eq!(
            problems[0].help.as_deref(),
            Some("did you mean `deal_won`?")
        );
        assert_eq!(
            problems[1].help.as_deref(),
            Some("did you mean `send_whatsapp`?")
        );
    }

    #[test]
    fn a_variable_the_entity_cannot_supply_is_an_error() {
        let mut a = whatsapp("{{CONTACT_PHONE}}");
        a.fields
            .insert("message".into(), "Lead {{DEAL_AMOUNT}}".into());
        let b = bp("lead_created", "CRM_LEAD", vec![a]);
        assert_eq!(codes(&b, &Config::default()), ["unavailable-variable"]);
    }

    #[test]
    fn entity_must_match_the_trigger() {
        let b = bp("deal_won", "CRM_LEAD", vec![whatsapp("{{CONTACT_PHONE}}")]);
        assert_eq!(codes(&b, &Config::default()), ["entity-mismatch"]);
    }

    #[test]
    fn required_and_unknown_fields() {
        let a = Action::new("create_task", [("colour", "red".to_owned())]);
        let b = bp("deal_won", "CRM_DEAL", vec![a]);
        assert_eq!(
            codes(&b, &Config::default()),
            ["missing-field", "missing-field", "unknown-field"]
        );
    }

    #[test]
    fn webhook_urls_must_be_public_https() {
        let hook = |url: &str| Action::new("webhook", [("url", url.to_owned())]);
        let config = Config::default();
        for (url, code) in [
            ("http://example.com/x", "insecure-url"),
            ("https://127.0.0.1/x", "internal-url"),
            ("https://10.1.2.3/x", "internal-url"),
            ("https://169.254.169.254/latest", "internal-url"),
            ("https://[::1]/x", "internal-url"),
            ("https://[fe80::1]/x", "internal-url"),
            ("https://localhost:8080/x", "internal-url"),
            ("not a url", "bad-url"),
        ] {
            let b = bp("deal_won", "CRM_DEAL", vec![hook(url)]);
            assert_eq!(codes(&b, &config), [code], "{url}");
        }
        let b = bp(
            "deal_won",
            "CRM_DEAL",
            vec![hook("https://hooks.example.com/x")],
        );
        assert!(codes(&b, &config).is_empty());
        let mut allow = Config::default();
        allow.policy.webhook_allowed_hosts = vec!["10.1.2.3".into()];
        let b = bp("deal_won", "CRM_DEAL", vec![hook("https://10.1.2.3/x")]);
        assert!(codes(&b, &allow).is_empty());
    }

    #[test]
    fn recipients_resolve_through_config() {
        let notify = Action::new(
            "send_notification",
            [("to", "sales team".to_owned()), ("message", "x".to_owned())],
        );
        let b = bp("deal_lost", "CRM_DEAL", vec![notify]);
        let problems = check_blueprint(&b, &Config::default());
        assert_eq!(problems[0].code, "unknown-recipient");
        assert!(
            problems[0]
                .help
                .as_deref()
                .unwrap()
                .contains("[recipients]")
        );
        let mut config = Config::default();
        config
            .recipients
            .insert("sales team".into(), "group_d1".into());
        assert!(check_blueprint(&b, &config).is_empty());
    }

    #[test]
    fn client_actions_go_to_the_client() {
        let b = bp("deal_won", "CRM_DEAL", vec![whatsapp("+49 170 0000000")]);
        assert_eq!(codes(&b, &Config::default()), ["client-recipient"]);
    }

    #[test]
    fn conditions_are_checked() {
        let mut b = bp("deal_won", "CRM_DEAL", vec![whatsapp("{{CONTACT_PHONE}}")]);
        b.conditions = vec![
            Condition {
                field: "amount".into(),
                operator: ">".into(),
                value: "5".into(),
            },
            Condition {
                field: "OPPORTUNITY".into(),
                operator: "~".into(),
                value: "5".into(),
            },
            Condition {
                field: "OPPORTUNITY".into(),
                operator: ">".into(),
                value: String::new(),
            },
        ];
        assert_eq!(
            codes(&b, &Config::default()),
            ["bad-field", "unknown-operator", "missing-value"]
        );
    }

    #[test]
    fn diagnostics_point_at_the_value() {
        let text = "blueprint:\n  actions:\n  - type: webhook\n    url: http://x.example\n";
        let problem = Problem::new("actions[0].url", "insecure-url", "no");
        let d = FileDiagnostic::in_yaml(
            &problem,
            "w.lock.yaml",
            text,
            &Locations::scan(text),
            "blueprint",
        );
        let (offset, len) = d.span.unwrap();
        assert_eq!(&text[offset..offset + len], "http://x.example");
    }
}
