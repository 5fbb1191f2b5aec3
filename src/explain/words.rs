//! Phrases: a trigger, a condition, a value, a recipient and an action each said in
//! words for one blueprint ([`Words`] carries the record's noun and the project's
//! config). Recipient codes (`author`, `user_<id>`, `group_<code>`) are read the way
//! `CBPHelper::extractUsersFromExtendedGroup` reads them.

use std::fmt::Write as _;

use crate::blueprint::{Action, Blueprint, Condition, Trigger};
use crate::catalog::{self, Entity};
use crate::config::Config;

use super::text::{cut, field_words, group_thousands, join_and, offset_words, sole_variable};
use super::trigger_words;

/// An action in words: a verb in two forms and what follows it, so the same phrase can
/// be an instruction ("send …") or a report ("also sends …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    pub(crate) verb: &'static str,
    pub(crate) verbs: &'static str,
    pub(crate) rest: String,
}

impl Phrase {
    pub(super) fn new(verb: &'static str, verbs: &'static str, rest: String) -> Self {
        Phrase { verb, verbs, rest }
    }

    /// "send a WhatsApp message to …"
    pub(crate) fn imperative(&self) -> String {
        format!("{} {}", self.verb, self.rest)
    }

    /// "sends a WhatsApp message to …"
    pub(crate) fn third_person(&self) -> String {
        format!("{} {}", self.verbs, self.rest)
    }
}

/// The context words are made in: the record's name and the project's config.
pub(crate) struct Words<'a> {
    /// "deal", "lead", …; "record" when the entity is unknown.
    pub(crate) noun: &'static str,
    pub(super) entity: Option<Entity>,
    pub(super) config: &'a Config,
}

/// Quoted text is cut after this many characters, so a sentence stays a sentence.
const QUOTE_CHARS: usize = 70;

// Every phrase is asked of the same `Words`, whether or not it needs the record's noun
// or the config today.
#[allow(clippy::unused_self)]
impl<'a> Words<'a> {
    pub(crate) fn new(blueprint: &Blueprint, config: &'a Config) -> Self {
        let entity = Entity::from_id(&blueprint.entity)
            .or_else(|| catalog::trigger(&blueprint.trigger.kind).map(|t| t.entity));
        Words {
            noun: entity.map_or("record", |e| e.info().label),
            entity,
            config,
        }
    }

    /// The clause after "When" for a trigger.
    pub(crate) fn when(&self, trigger: &Trigger) -> String {
        match trigger_words(&trigger.kind) {
            Some(w) => w.when.replace("{stage}", &self.stage_target(trigger)),
            None => format!("the trigger `{}` happens", trigger.kind),
        }
    }

    /// The trigger's check as a question, if its template makes one.
    pub(crate) fn check(&self, trigger: &Trigger) -> Option<String> {
        let w = trigger_words(&trigger.kind)?;
        w.check
            .map(|c| c.replace("{stage}", &self.stage_target(trigger)))
    }

    pub(super) fn stage_target(&self, trigger: &Trigger) -> String {
        match trigger.param("stage") {
            Some(stage) => format!("the stage {stage}"),
            None => "another stage".to_owned(),
        }
    }

    /// One condition as a phrase with its noun: "deals over 20,000".
    pub(crate) fn condition(&self, c: &Condition) -> String {
        format!("{}s {}", self.noun, self.predicate(c))
    }

    /// All conditions as one phrase: "deals over 20,000 and whose source is 'WEB'".
    pub(crate) fn conditions(&self, conditions: &[Condition]) -> String {
        let predicates: Vec<String> = conditions.iter().map(|c| self.predicate(c)).collect();
        format!("{}s {}", self.noun, predicates.join(" and "))
    }

    pub(super) fn predicate(&self, c: &Condition) -> String {
        let value = self.value(&c.value);
        if c.field == "OPPORTUNITY" {
            let amount = match c.operator.as_str() {
                ">" => Some(format!("over {value}")),
                ">=" => Some(format!("of at least {value}")),
                "<" => Some(format!("under {value}")),
                "<=" => Some(format!("of at most {value}")),
                "=" => Some(format!("of exactly {value}")),
                _ => None,
            };
            if let Some(amount) = amount {
                return amount;
            }
        }
        let op = match c.operator.as_str() {
            "=" => "is",
            "!=" => "is not",
            ">" => "is over",
            ">=" => "is at least",
            "<" => "is under",
            "<=" => "is at most",
            "contain" => "contains",
            "!contain" => "does not contain",
            "empty" => return format!("whose {} is empty", field_words(&c.field)),
            "!empty" => return format!("whose {} is filled in", field_words(&c.field)),
            other => other,
        };
        // "whose source is 'Website' (WEB)": the id the template compares with.
        if c.field == "SOURCE_ID"
            && let Some(id) = crate::catalog::source_id(&c.value).filter(|id| *id != c.value)
        {
            return format!("whose {} {op} {value} ({id})", field_words(&c.field));
        }
        format!("whose {} {op} {value}", field_words(&c.field))
    }

    /// A compared value: numbers with thousands separators, text in quotes.
    pub(super) fn value(&self, v: &str) -> String {
        if let Some(n) = group_thousands(v) {
            n
        } else {
            self.quote(v)
        }
    }

    /// Text as a reader sees it: smart variables in words, whitespace collapsed, long
    /// text cut with an ellipsis, in single quotes.
    pub(crate) fn quote(&self, text: &str) -> String {
        let plain = self.text(text);
        format!("'{}'", cut(&plain, QUOTE_CHARS))
    }

    /// Text with each `{{VARIABLE}}` replaced by its meaning in brackets.
    pub(crate) fn text(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = after[..end].trim();
            match catalog::variable(name) {
                Some(v) => {
                    out.push('[');
                    out.push_str(v.description);
                    out.push(']');
                }
                None => out.push_str(&rest[start..start + 2 + end + 2]),
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Who a recipient field names: "the deal's client", "the sales team (department
    /// 12)", "user 7".
    pub(crate) fn who(&self, value: &str) -> String {
        let parts: Vec<String> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|item| self.one_recipient(item))
            .collect();
        join_and(&parts)
    }

    pub(super) fn one_recipient(&self, item: &str) -> String {
        if let Some(name) = sole_variable(item) {
            return match name {
                "CONTACT_PHONE" | "CONTACT_EMAIL" | "CONTACT_NAME" => self.client(),
                "ASSIGNED_BY_ID" | "ASSIGNED_BY_NAME" => self.responsible(),
                _ => match catalog::variable(name) {
                    Some(v) => v.description.to_owned(),
                    None => item.to_owned(),
                },
            };
        }
        if let Some(code) = code_words(item, self) {
            return code;
        }
        match self.config.recipient(item) {
            Some(codes) => {
                let named = if item.trim().to_lowercase().starts_with("the ") {
                    item.trim().to_owned()
                } else {
                    format!("the {}", item.trim())
                };
                let resolved: Vec<String> = codes
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(|c| code_words(c, self).unwrap_or_else(|| c.to_owned()))
                    .collect();
                format!("{named} ({})", join_and(&resolved))
            }
            None => format!("\"{item}\" (not in [recipients])"),
        }
    }

    /// The record's client: deals, invoices and quotes reach the linked contact; leads,
    /// contacts and companies are the client themselves.
    pub(crate) fn client(&self) -> String {
        match self.entity {
            Some(Entity::Lead | Entity::Contact | Entity::Company) => format!("the {}", self.noun),
            _ => format!("the {}'s client", self.noun),
        }
    }

    pub(super) fn responsible(&self) -> String {
        format!("the {}'s responsible person", self.noun)
    }

    /// A date-time field: "in 3 days", "on 2026-01-31 10:00", "[the current date]".
    pub(crate) fn when_at(&self, value: &str) -> String {
        if let Some(offset) = offset_words(value) {
            return format!("in {offset}");
        }
        if value.contains("{{") {
            return self.text(value);
        }
        format!("on {value}")
    }

    /// An action in words.
    pub(crate) fn action(&self, a: &Action) -> Phrase {
        let f = |name: &str| a.field(name).unwrap_or_default();
        let noun = self.noun;
        match a.kind.as_str() {
            "send_whatsapp" => Phrase::new(
                "send",
                "sends",
                format!(
                    "a WhatsApp message to {}: {}",
                    self.who(f("to")),
                    self.quote(f("message"))
                ),
            ),
            "send_email" => Phrase::new(
                "send",
                "sends",
                format!(
                    "an e-mail to {} with the subject {}",
                    self.who(f("to")),
                    self.quote(f("subject"))
                ),
            ),
            "send_sms" => Phrase::new(
                "send",
                "sends",
                format!(
                    "an SMS to {}: {}",
                    self.who(f("to")),
                    self.quote(f("message"))
                ),
            ),
            "send_notification" => Phrase::new(
                "notify",
                "notifies",
                format!("{}: {}", self.who(f("to")), self.quote(f("message"))),
            ),
            "send_bitrix_message" => Phrase::new(
                "send",
                "sends",
                format!(
                    "a chat message to {}: {}",
                    self.who(f("to")),
                    self.quote(f("message"))
                ),
            ),
            "create_task" => {
                let mut rest = format!(
                    "the task {} for {}",
                    self.quote(f("title")),
                    self.who(f("assignee"))
                );
                if let Some(d) = a.field("deadline") {
                    let _ = write!(rest, ", due {}", self.when_at(d));
                }
                if let Some(p) = a.field("priority") {
                    let _ = write!(rest, ", {p} priority");
                }
                Phrase::new("create", "creates", rest)
            }
            // "+2d" is counted from when it runs, "deadline+2d" from the task's deadline.
            "update_task" if f("field") == "DEADLINE" && f("value").starts_with("deadline+") => {
                let by = offset_words(&f("value")["deadline".len()..])
                    .unwrap_or_else(|| f("value").to_owned());
                Phrase::new(
                    "push",
                    "pushes",
                    format!("the task's deadline back by {by}"),
                )
            }
            "update_task" if f("field") == "DEADLINE" && offset_words(f("value")).is_some() => {
                Phrase::new(
                    "set",
                    "sets",
                    format!(
                        "the task's deadline to {} from then",
                        offset_words(f("value")).unwrap_or_default()
                    ),
                )
            }
            "update_task" => Phrase::new(
                "set",
                "sets",
                format!(
                    "the task's {} to {}",
                    field_words(f("field")),
                    self.quote(f("value"))
                ),
            ),
            "set_reminder" => {
                let mut rest = format!(
                    "a to-do {} for {}",
                    self.quote(f("title")),
                    self.who(f("assignee"))
                );
                if let Some(d) = a.field("datetime") {
                    let _ = write!(rest, ", due {}", self.when_at(d));
                }
                Phrase::new("add", "adds", rest)
            }
            "schedule_call" => {
                let mut rest = format!(
                    "a call with {} for {}",
                    self.who(f("to")),
                    self.who(f("assignee"))
                );
                if let Some(d) = a.field("datetime") {
                    let _ = write!(rest, " {}", self.when_at(d));
                }
                Phrase::new("schedule", "schedules", rest)
            }
            "create_deal" => {
                let mut rest = format!("a deal {}", self.quote(f("title")));
                if let Some(who) = a.field("assignee") {
                    let _ = write!(rest, " for {}", self.who(who));
                }
                if let Some(stage) = a.field("stage") {
                    let _ = write!(rest, " in the stage {stage}");
                }
                Phrase::new("create", "creates", rest)
            }
            "update_deal" | "update_field" => Phrase::new(
                "set",
                "sets",
                format!(
                    "the {noun}'s {} to {}",
                    field_words(f("field")),
                    self.value(f("value"))
                ),
            ),
            "create_contact" => Phrase::new(
                "create",
                "creates",
                format!("a contact {}", self.quote(f("title"))),
            ),
            "create_company" => Phrase::new(
                "create",
                "creates",
                format!("a company {}", self.quote(f("title"))),
            ),
            "create_invoice" => Phrase::new(
                "create",
                "creates",
                format!("an invoice {}", self.quote(f("title"))),
            ),
            "create_quote" => {
                let mut rest = format!("a quote {}", self.quote(f("title")));
                if let Some(who) = a.field("assignee") {
                    let _ = write!(rest, " for {}", self.who(who));
                }
                Phrase::new("create", "creates", rest)
            }
            "assign_responsible" => Phrase::new(
                "make",
                "makes",
                format!("{} responsible for the {noun}", self.who(f("assignee"))),
            ),
            "move_stage" => Phrase::new(
                "move",
                "moves",
                format!("the {noun} to the stage {}", f("stage")),
            ),
            "add_comment" => Phrase::new(
                "add",
                "adds",
                format!(
                    "the comment {} to the {noun}'s timeline",
                    self.quote(f("message"))
                ),
            ),
            "add_tag" => Phrase::new(
                "tag",
                "tags",
                format!("the {noun} {}", self.quote(f("tag"))),
            ),
            "remove_tag" => Phrase::new(
                "remove",
                "removes",
                format!("the tag {} from the {noun}", self.quote(f("tag"))),
            ),
            "webhook" => Phrase::new("call", "calls", f("url").to_owned()),
            other => Phrase::new("run", "runs", format!("the action `{other}`")),
        }
    }
}

/// A user or group code in words, or `None` when `code` is not one.
pub(super) fn code_words(code: &str, words: &Words<'_>) -> Option<String> {
    if code == "author" {
        return Some(words.responsible());
    }
    if let Some(id) = code.strip_prefix("user_")
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(format!("user {id}"));
    }
    let group = code.strip_prefix("group_")?;
    if group.is_empty() {
        return None;
    }
    // CBPHelper::extractUsersFromExtendedGroup: D<n> a department, DR<n> a department
    // with its sub-departments, SG<n>_<role> a workgroup's members.
    let lower = group.to_ascii_lowercase();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(id) = lower.strip_prefix("dr")
        && digits(id)
    {
        return Some(format!("department {id} and its sub-departments"));
    }
    if let Some(id) = lower.strip_prefix('d')
        && digits(id)
    {
        return Some(format!("department {id}"));
    }
    if let Some(rest) = lower.strip_prefix("sg") {
        let id = rest.split('_').next().unwrap_or_default();
        if digits(id) {
            return Some(format!("the members of workgroup {id}"));
        }
    }
    Some(format!("the group {group}"))
}
