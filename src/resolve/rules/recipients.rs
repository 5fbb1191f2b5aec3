//! Recipients: who an action reaches. One grammar for user codes, one rule for the
//! client-only actions, and `[recipients]` names resolved through the config.
//!
//! - Employees are `{{ASSIGNED_BY_ID}}`, a user or group code, or a name listed under
//!   `[recipients]` (whose value is one or more codes); several are joined with commas.
//! - An action that reaches the record's client (WhatsApp, e-mail, a call) takes exactly
//!   the variable of the channel's address: `{{CONTACT_PHONE}}` or `{{CONTACT_EMAIL}}`.
//!   The activity finds the address on the record itself, so `{{CONTACT_NAME}}` (a name,
//!   not an address) is refused. An SMS goes to `{{CONTACT_PHONE}}` or to employees.

use std::sync::LazyLock;

use regex::Regex;

use crate::catalog::ActionKind;

use super::super::{Code, Diagnostic, model::Audience};
use super::Resolver;

/// The codes bizproc expands to people (`CBPHelper::extractUsersFromExtendedGroup` in
/// bizproc/classes/general/helper.php): `user_<id>`, `group_` + `U|IU|SU|G|D|DR<id>`,
/// `group_ua` (all employees), `group_sg<id>_<K|A|E>` (a workgroup's members), and
/// `author` (the document's responsible person). Anything else after `group_` falls
/// through to the document service and reaches no one on a CRM record, so it is refused.
static USER_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(user_\d+|group_(u|g|d|dr|iu|su)\d+|group_ua|group_sg\d+_[KAE]|author)$")
        .expect("a valid pattern")
});

/// Whether `s` is a user or group code bizproc expands to people.
pub fn is_user_code(s: &str) -> bool {
    USER_CODE.is_match(s)
}

/// The one variable a client-only action's `to` must be.
fn client_variable(kind: ActionKind) -> Option<&'static str> {
    match kind {
        ActionKind::SendWhatsapp | ActionKind::ScheduleCall => Some("CONTACT_PHONE"),
        ActionKind::SendEmail => Some("CONTACT_EMAIL"),
        _ => None,
    }
}

/// One part of an employee recipient.
enum Person {
    /// `{{ASSIGNED_BY_ID}}`: the record's responsible person.
    Responsible,
    /// User or group codes.
    Codes(Vec<String>),
}

impl Resolver<'_> {
    fn person(&self, path: &str, part: &str) -> Result<Person, Diagnostic> {
        if part == "{{ASSIGNED_BY_ID}}" {
            return Ok(Person::Responsible);
        }
        if is_user_code(part) {
            return Ok(Person::Codes(vec![part.to_owned()]));
        }
        if part.starts_with("{{") {
            return Err(Diagnostic::new(path, Code::BadRecipient, format!("`{part}` is not a person"))
                .help("use {{ASSIGNED_BY_ID}}, user_<id>, or a name listed under [recipients] in b24flow.toml"));
        }
        let Some(value) = self.config.recipient(part) else {
            // With environments declared and none selected (compile, validate), a name
            // is resolved later against the chosen environment's snapshot
            // (`resolve::names`), so it is kept as written here.
            if !self.config.environments.is_empty() && self.config.selected.is_none() {
                return Ok(Person::Codes(vec![part.to_owned()]));
            }
            return Err(Diagnostic::new(
                path,
                Code::UnknownRecipient,
                format!("no one called `{part}` is listed under [recipients]"),
            )
            .help(format!(
                "add it to b24flow.toml, e.g. [recipients] \"{}\" = \"group_d1\" (a department) or \"user_1\"",
                crate::config::recipient_key(part)
            )));
        };
        let codes: Vec<String> = value
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        if codes.is_empty() || !codes.iter().all(|c| is_user_code(c)) {
            return Err(Diagnostic::new(
                path,
                Code::BadRecipientCode,
                format!("[recipients] \"{part}\" = \"{value}\" is not a user or group code"),
            )
            .help("write user_<id>, group_d<department id>, group_sg<id>_K, ... in b24flow.toml"));
        }
        Ok(Person::Codes(codes))
    }

    /// Checks a recipient field of action `kind`.
    pub(super) fn check_recipient(&mut self, path: &str, kind: ActionKind, value: &str) {
        if path.rsplit('.').next() == Some("to")
            && let Some(var) = client_variable(kind)
        {
            let wanted = format!("{{{{{var}}}}}");
            if value != wanted {
                let action = kind.id();
                let channel = if var == "CONTACT_EMAIL" {
                    "e-mail"
                } else {
                    "phone"
                };
                self.error(
                    Diagnostic::new(
                        path,
                        Code::ClientRecipient,
                        format!("`{action}` goes to the record's client, not `{value}`"),
                    )
                    .help(format!(
                        "write {wanted}: Bitrix24 sends it to the client's own {channel}"
                    )),
                );
            }
            return;
        }
        for part in value.split(',').map(str::trim) {
            if kind == ActionKind::SendSms && part == "{{CONTACT_PHONE}}" {
                continue;
            }
            if let Err(d) = self.person(path, part) {
                self.error(d);
            }
        }
    }

    /// An SMS's `to`: the client's phone, or employees.
    pub(super) fn audience(&mut self, path: &str, value: &str) -> Option<Audience> {
        if value.trim() == "{{CONTACT_PHONE}}" {
            self.variable(path, "CONTACT_PHONE")?;
            return Some(Audience::Client);
        }
        self.users(path, value).map(Audience::Users)
    }

    /// Employees, as user and group codes or expressions.
    pub(super) fn users(&mut self, path: &str, value: &str) -> Option<Vec<String>> {
        let mut users = Vec::new();
        let mut ok = true;
        for part in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match self.person(path, part) {
                Ok(Person::Responsible) => match self.variable(path, "ASSIGNED_BY_ID") {
                    Some(expr) => users.push(expr.to_owned()),
                    None => ok = false,
                },
                Ok(Person::Codes(mut codes)) => users.append(&mut codes),
                Err(d) => {
                    self.error(d);
                    ok = false;
                }
            }
        }
        if users.is_empty() && ok {
            self.error(Diagnostic::new(
                path,
                Code::MissingField,
                "no one is named here",
            ));
            return None;
        }
        ok.then_some(users)
    }

    /// One user for a document field (`ASSIGNED_BY_ID` of a new item). "author" is not
    /// allowed there, so it becomes the record's responsible person explicitly.
    pub(super) fn one_user(&mut self, path: &str, value: &str) -> Option<String> {
        let users = self.users(path, value)?;
        match users.as_slice() {
            [one] if one == "author" => self.variable(path, "ASSIGNED_BY_ID").map(str::to_owned),
            [one] if !one.starts_with("group_") => Some(one.clone()),
            _ => {
                self.error(
                    Diagnostic::new(
                        path,
                        Code::NotOnePerson,
                        format!("`{value}` is not exactly one person"),
                    )
                    .help("a new record has one responsible person; name one user"),
                );
                None
            }
        }
    }
}
