//! Names to ids: with an environment selected and its snapshot taken, the names a
//! blueprint carries (stages, pipelines, users, departments, custom fields) become the
//! ids of that environment's portal before any other rule runs, so lockfiles stay
//! portable and the rules, and lowering, only ever see ids.
//!
//! What counts as an id and is kept as written: a stage id in platform form (upper
//! case, digits, `_`, one `:`: `WON`, `C3:UC_8K2P`), a user or group code, a
//! `{{VARIABLE}}`, a number for a pipeline, an upper-case field id. Anything else is a
//! name and must resolve: to exactly one id, else a diagnostic at the blueprint path
//! that names the environment and the closest names it has. A stage may be qualified by
//! its pipeline, `Repeat sales/Renewal offer`, when a name is in several pipelines.
//!
//! `[channels] sms_provider` is resolved the same way when a blueprint sends an SMS: a
//! provider's code becomes the environment's `<client id>|<code>` (the client id of a
//! local application differs per portal).
//!
//! Without an environment, or before its first snapshot, the blueprint is used as it is
//! (today's single-portal behaviour, byte for byte).

use std::sync::LazyLock;

use regex::Regex;

use crate::blueprint::Blueprint;
use crate::catalog::{self, FieldKind};
use crate::config::{Config, Selected};
use crate::snapshot::{Pipeline, Snapshot, nearest, same_name};

use super::{Code, Diagnostic};

static STAGE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z0-9_]+(:[A-Z0-9_]+)?$").expect("a valid pattern"));

/// What a blueprint's names became in the selected environment.
pub(super) struct Named {
    /// The blueprint with ids for names.
    pub blueprint: Blueprint,
    /// The id of `[channels] sms_provider` when it names one of the environment's SMS
    /// providers and the blueprint sends an SMS; `None` keeps the value as configured.
    pub sms_provider: Option<String>,
}

/// The blueprint with every name replaced by this environment's id; `Ok(None)` when
/// nothing is to be resolved (no environment or no snapshot).
pub(super) fn substitute(
    bp: &Blueprint,
    config: &Config,
) -> Result<Option<Named>, Vec<Diagnostic>> {
    let Some(Selected {
        name,
        snapshot: Some(snapshot),
    }) = &config.selected
    else {
        return Ok(None);
    };
    let mut r = Names {
        env: name,
        snapshot,
        config,
        entity: snapshot_entity(&bp.entity),
        errors: Vec::new(),
    };
    let mut out = bp.clone();
    // The pipeline the record is in, when a condition says so (by id or by name).
    let mut pipeline: Option<u32> = None;
    for (i, c) in out.conditions.iter_mut().enumerate() {
        let field = crate::resolve::rules::field_id_of(&c.field);
        if field == "CATEGORY_ID" {
            if let Some(id) = r.pipeline(&format!("conditions[{i}].value"), &c.value) {
                c.value = id.to_string();
                if c.operator == "=" {
                    pipeline = Some(id);
                }
            }
        } else if let Some(id) = r.field(&c.field) {
            c.field = id;
        }
    }
    for (i, c) in out.conditions.iter_mut().enumerate() {
        if crate::resolve::rules::field_id_of(&c.field) == "STAGE_ID"
            && let Some((id, _)) = r.stage(&format!("conditions[{i}].value"), &c.value, pipeline)
        {
            c.value = id;
        }
    }
    if let Some(value) = out.trigger.params.get("stage").cloned()
        && let Some((id, p)) = r.stage("trigger.stage", &value, pipeline)
    {
        out.trigger.params.insert("stage".into(), id);
        pipeline = pipeline.or(p);
    }
    let mut sms_provider = None;
    for (i, action) in out.actions.iter_mut().enumerate() {
        let Some(info) = catalog::action(&action.kind) else {
            continue;
        };
        // The provider is one per project ([channels]); checked at the first SMS.
        if info.kind == catalog::ActionKind::SendSms && sms_provider.is_none() {
            sms_provider = Some(r.sms_provider(&format!("actions[{i}]")));
        }
        for field in info.fields {
            let Some(value) = action.fields.get(field.name).cloned() else {
                continue;
            };
            let path = format!("actions[{i}].{}", field.name);
            let new = match field.kind {
                FieldKind::Stage => r.stage(&path, &value, pipeline).map(|(id, _)| id),
                FieldKind::Recipient => r.recipients(&path, &value),
                FieldKind::Field => r.field(&value),
                _ => None,
            };
            if let Some(new) = new {
                action.fields.insert(field.name.to_owned(), new);
            }
        }
    }
    if r.errors.is_empty() {
        Ok(Some(Named {
            blueprint: out,
            sms_provider: sms_provider.flatten(),
        }))
    } else {
        Err(r.errors)
    }
}

struct Names<'a> {
    env: &'a str,
    snapshot: &'a Snapshot,
    config: &'a Config,
    entity: String,
    errors: Vec<Diagnostic>,
}

impl Names<'_> {
    /// Records that the value at `path` does not resolve.
    fn record(&mut self, path: &str, code: Code, message: String, help: impl Into<String>) {
        self.errors
            .push(Diagnostic::new(path, code, message).help(help));
    }

    /// [`Names::record`], for a lookup that then gives nothing.
    fn refuse<T>(
        &mut self,
        path: &str,
        code: Code,
        message: String,
        help: impl Into<String>,
    ) -> Option<T> {
        self.record(path, code, message, help);
        None
    }

    /// Records that several of the snapshot's entries carry the name at `path`: "`count`
    /// of `which` (`listed`)".
    fn refuse_ambiguous<T>(
        &mut self,
        path: &str,
        count: usize,
        which: &str,
        listed: &str,
        help: &str,
    ) -> Option<T> {
        self.refuse(
            path,
            Code::AmbiguousName,
            format!("{count} of {which} ({listed})"),
            help,
        )
    }

    fn help(&self) -> String {
        format!(
            "names resolve against environments/{env}.yaml; if the portal changed, run b24flow snapshot --env {env}",
            env = self.env
        )
    }

    fn pipelines(&self) -> &[Pipeline] {
        self.snapshot
            .pipelines
            .get(&self.entity)
            .map_or(&[], Vec::as_slice)
    }

    /// A pipeline id for a number or a pipeline name.
    fn pipeline(&mut self, path: &str, value: &str) -> Option<u32> {
        let v = value.trim();
        if v.bytes().all(|b| b.is_ascii_digit()) || self.pipelines().is_empty() {
            return None;
        }
        let found: Vec<u32> = self
            .pipelines()
            .iter()
            .filter(|p| same_name(&p.name, v))
            .map(|p| p.id)
            .collect();
        match found.as_slice() {
            [one] => Some(*one),
            [] => {
                let names: Vec<&str> = self.pipelines().iter().map(|p| p.name.as_str()).collect();
                self.refuse(
                    path,
                    Code::UnknownName,
                    format!(
                        "pipeline '{v}' is not one of {}'s {} pipelines; it has: {}",
                        self.env,
                        self.entity,
                        nearest(v, &names).join(", ")
                    ),
                    self.help(),
                )
            }
            many => self.refuse_ambiguous(
                path,
                many.len(),
                &format!("{}'s {} pipelines are called '{v}'", self.env, self.entity),
                &format!("ids {}", join(many)),
                "write the pipeline's id",
            ),
        }
    }

    /// A stage id for a stage name (optionally `Pipeline/Stage`), and its pipeline. A
    /// stage id the snapshot has is kept; so is any value on an entity the snapshot has
    /// no pipelines for. The offline parser writes "the Negotiation stage" as
    /// `NEGOTIATION`, so a name also matches in that form.
    fn stage(
        &mut self,
        path: &str,
        value: &str,
        pipeline: Option<u32>,
    ) -> Option<(String, Option<u32>)> {
        let v = value.trim();
        if v.is_empty() || v.starts_with("{{") || self.pipelines().is_empty() {
            return None;
        }
        if let Some(p) = self
            .pipelines()
            .iter()
            .find(|p| p.stages.iter().any(|s| s.id == v))
        {
            return Some((v.to_owned(), Some(p.id)));
        }
        let (within, name) = match v.split_once('/') {
            Some((p, s)) if !STAGE_ID.is_match(v) => {
                let id = self.pipeline(path, p.trim())?;
                (Some(id), s.trim())
            }
            _ => (pipeline, v),
        };
        let candidates: Vec<&Pipeline> = self
            .pipelines()
            .iter()
            .filter(|p| within.is_none_or(|w| p.id == w))
            .collect();
        let found: Vec<(&Pipeline, &str)> = candidates
            .iter()
            .flat_map(|p| {
                p.stages
                    .iter()
                    .filter(|s| same_name(&s.name, name) || upper_snake(&s.name) == name)
                    .map(move |s| (*p, s.id.as_str()))
            })
            .collect();
        match found.as_slice() {
            [(p, id)] => Some(((*id).to_owned(), Some(p.id))),
            [] => {
                #[allow(clippy::single_match_else)]
                let message = match candidates.as_slice() {
                    [p] => format!(
                        "stage '{name}' is not in {}'s {} pipeline; it has: {}",
                        self.env,
                        p.name,
                        nearest(
                            name,
                            &p.stages.iter().map(|s| s.name.as_str()).collect::<Vec<_>>()
                        )
                        .join(", ")
                    ),
                    _ => {
                        let all: Vec<String> = candidates
                            .iter()
                            .flat_map(|p| {
                                p.stages
                                    .iter()
                                    .map(move |s| format!("{}/{}", p.name, s.name))
                            })
                            .collect();
                        let all: Vec<&str> = all.iter().map(String::as_str).collect();
                        format!(
                            "stage '{name}' is in none of {}'s {} pipelines; they have: {}",
                            self.env,
                            self.entity,
                            nearest(name, &all).join(", ")
                        )
                    }
                };
                self.refuse(path, Code::UnknownName, message, self.help())
            }
            many => {
                let help = format!(
                    "write the pipeline too, e.g. \"{}/{name}\", or add the condition CATEGORY_ID = <pipeline>",
                    many[0].0.name
                );
                let listed: Vec<String> = many
                    .iter()
                    .map(|(p, id)| format!("{} ({id})", p.name))
                    .collect();
                self.refuse(
                    path,
                    Code::AmbiguousName,
                    format!(
                        "stage '{name}' is in {} of {}'s pipelines: {}",
                        many.len(),
                        self.env,
                        listed.join(", ")
                    ),
                    help,
                )
            }
        }
    }

    /// Recipients: each comma-separated name becomes a user or group code; codes,
    /// variables and `[recipients]` names are kept for the recipient rules.
    fn recipients(&mut self, path: &str, value: &str) -> Option<String> {
        let mut changed = false;
        let mut parts = Vec::new();
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if part.starts_with("{{") || crate::resolve::rules::recipients::is_user_code(part) {
                parts.push(part.to_owned());
                continue;
            }
            let alias = self.snapshot.aliases.iter().find(|(k, _)| {
                crate::config::recipient_key(k) == crate::config::recipient_key(part)
            });
            if let Some((_, target)) = alias {
                match self.snapshot.alias_codes(target) {
                    Ok(codes) => parts.extend(codes),
                    Err(why) => self.record(
                        path,
                        Code::UnknownName,
                        format!("alias '{part}' in environments/{}.yaml: {why}", self.env),
                        self.help(),
                    ),
                }
                changed = true;
                continue;
            }
            let bare = crate::config::recipient_key(part);
            let users = self.snapshot.user_codes(&bare);
            let departments = self.snapshot.department_code(&bare);
            match (users, departments) {
                (Ok(code), Err(_)) | (Err(_), Ok(code)) => {
                    parts.push(code);
                    changed = true;
                }
                (Ok(user), Ok(dep)) => {
                    self.record(
                        path,
                        Code::AmbiguousName,
                        format!(
                            "'{part}' is both a user ({user}) and a department ({dep}) in {}",
                            self.env
                        ),
                        "write user_<id> or group_dr<id>, or add an alias to the snapshot",
                    );
                    changed = true;
                }
                (Err(why), Err(_)) if why.contains("users are called") => {
                    self.record(
                        path,
                        Code::AmbiguousName,
                        format!("in {}, {why}", self.env),
                        "write user_<id>, or add an alias naming one of them to the snapshot",
                    );
                    changed = true;
                }
                (Err(_), Err(_)) if self.config.recipient(part).is_some() => {
                    parts.push(part.to_owned());
                }
                (Err(_), Err(_)) => {
                    let mut names: Vec<&str> = self
                        .snapshot
                        .users
                        .iter()
                        .map(|u| u.name.as_str())
                        .collect();
                    names.extend(self.snapshot.departments.iter().map(|d| d.name.as_str()));
                    names.extend(self.snapshot.aliases.keys().map(String::as_str));
                    self.record(
                        path,
                        Code::UnknownName,
                        format!(
                            "no user, department or alias is called '{part}' in {}; it has: {}",
                            self.env,
                            nearest(part, &names).join(", ")
                        ),
                        self.help(),
                    );
                    changed = true;
                }
            }
        }
        changed.then(|| parts.join(", "))
    }

    /// The id of `[channels] sms_provider` in this environment, when it is a name.
    /// Kept as written: `:default:` and ids, which hold `|` (a REST application's
    /// provider, `<client id>|<code>`) or `@` (`<from>@<sender id>`, a built-in sender
    /// such as `@smsru`): the two forms crm `CBPCrmSendSmsActivity::Execute` splits.
    /// Anything else is a provider's code and must be one the snapshot recorded.
    fn sms_provider(&mut self, path: &str) -> Option<String> {
        let value = self.config.channels.sms_provider.trim();
        if value.is_empty() || value == ":default:" || value.contains(['|', '@']) {
            return None;
        }
        let Some(providers) = &self.snapshot.sms_providers else {
            let message = format!(
                "SMS provider '{value}' ([channels] sms_provider) cannot be looked up: environments/{}.yaml records no SMS providers",
                self.env
            );
            let help = format!(
                "messageservice.sender.list answers the OAuth application only: run b24flow snapshot --env {env} with {} set; or write the provider's id (`<client id>|<code>`, or `@<sender id>` for a built-in sender)",
                crate::config::environment_var(self.env, crate::config::var::CLIENT_ID),
                env = self.env
            );
            return self.refuse(path, Code::UnknownName, message, help);
        };
        let found: Vec<&str> = providers
            .iter()
            .filter(|p| p.id == value || same_name(&p.name, value))
            .map(|p| p.id.as_str())
            .collect();
        match found.as_slice() {
            [one] => Some((*one).to_owned()),
            [] => {
                let names: Vec<&str> = providers.iter().map(|p| p.name.as_str()).collect();
                let has = if names.is_empty() {
                    "it has none".to_owned()
                } else {
                    format!("it has: {}", nearest(value, &names).join(", "))
                };
                let message = format!(
                    "SMS provider '{value}' ([channels] sms_provider) is not one of {}'s SMS providers; {has}",
                    self.env
                );
                let help = format!(
                    "{}; a built-in sender is written `@<sender id>` (e.g. `@smsru`), the portal's default `:default:`",
                    self.help()
                );
                self.refuse(path, Code::UnknownName, message, help)
            }
            many => self.refuse_ambiguous(
                path,
                many.len(),
                &format!("{}'s SMS providers are called '{value}'", self.env),
                &many.join(", "),
                "write the provider's id in [channels] sms_provider",
            ),
        }
    }

    /// A custom field's id for its label; ids and unknown names are left to the rules.
    fn field(&self, value: &str) -> Option<String> {
        let v = value.trim();
        if v.starts_with("UF_") {
            return None;
        }
        self.snapshot
            .fields
            .get(&self.entity)
            .into_iter()
            .flatten()
            .find(|f| same_name(&f.name, v))
            .map(|f| f.id.clone())
    }
}

/// The snapshot's key for a blueprint entity: `CRM_DEAL` is `deal`, and `CRM_INVOICE`
/// (a smart invoice) is `smart_invoice`.
fn snapshot_entity(entity: &str) -> String {
    match entity.to_ascii_lowercase().trim_start_matches("crm_") {
        "invoice" => "smart_invoice".to_owned(),
        other => other.to_owned(),
    }
}

/// A name in the offline parser's id form: "Renewal offer" is `RENEWAL_OFFER`.
fn upper_snake(name: &str) -> String {
    name.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect::<Vec<_>>()
        .join("_")
}

fn join(ids: &[u32]) -> String {
    ids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
