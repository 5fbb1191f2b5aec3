//! Workflows in plain English: what a blueprint does, said for the sales and operations
//! people who review a change, not for the engineers who read the activity tree.
//!
//! [`explain`] turns a blueprint and the project's config into an [`Explanation`]: one or
//! two sentences ("When a deal moves to a won stage, send a WhatsApp message to the
//! deal's client: '…', then create the task 'Send the contract' for the deal's
//! responsible person.") plus caveats, the limits the portal puts on it, in words.
//! [`changes()`] says what differs between two blueprints ("also creates the task …",
//! "the message now says …"), and [`mermaid()`] draws the workflow as a flowchart.
//!
//! Invariants:
//! - Deterministic and offline: the same blueprint and config always give the same
//!   words. No model is asked.
//! - Built from the blueprint (the lockfile's wire type), `[recipients]`, `[channels]` and
//!   the catalog's public tables only, never from the template compiler's internals, so
//!   a blueprint the compiler refuses still reads right, with the refusal as a caveat.
//! - What each trigger does on a portal is said in one place, [`TRIGGER_WORDS`]: when a
//!   template changes how a trigger behaves, that table is the one to change.

pub mod changes;
pub mod mermaid;
pub mod svg;

use std::fmt::{self, Write as _};

use schemars::JsonSchema;
use serde::Serialize;

use crate::blueprint::{Action, Blueprint, Condition, Trigger};
use crate::catalog::{self, Entity, TriggerMapping};
use crate::config::Config;
use crate::lockfile::Lockfile;

pub use changes::{Change, changed_nodes, changes};
pub use mermaid::{Chart, Node, chart, mermaid};
pub use svg::svg;

/// A workflow in plain English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Explanation {
    /// One or two sentences saying when the workflow runs and what it does.
    pub summary: String,
    /// When it starts, e.g. "a deal moves to a won stage".
    pub trigger: String,
    /// The conditions, each as a phrase, e.g. "deals over 20,000".
    pub conditions: Vec<String>,
    /// The steps in the order they run, each as an imperative phrase.
    pub steps: Vec<String>,
    /// What the workflow cannot do or does differently from what its words suggest.
    pub caveats: Vec<String>,
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary)?;
        for caveat in &self.caveats {
            write!(f, "\nNote: {caveat}")?;
        }
        Ok(())
    }
}

/// How one trigger reads in words, and what its template really does on a portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TriggerWords {
    /// The catalog's trigger id.
    pub id: &'static str,
    /// The clause after "When". `{stage}` is replaced by the trigger's stage.
    pub when: &'static str,
    /// The check the template makes before the steps, as a yes/no question (diagram).
    /// Present exactly when the catalog's mapping has guard rows.
    pub check: Option<&'static str>,
    /// What the template waits for first. Present exactly when the mapping waits.
    pub wait: Option<&'static str>,
    /// How often it really runs, when that is not simply "each time it happens".
    pub caveat: Option<&'static str>,
}

// The transition triggers check and set a per-workflow marker field on the record
// instead of the `modified` operator, whose result depended on the core and the save path
// (shared/reviews/platform-fidelity-2026-12.md, F1; docs/templates.md "Transitions: once
// each time the record enters the state"). The limits below are the ones that page lists.
macro_rules! once_each_time {
    ($what:literal, $record:literal) => {
        concat!(
            "it runs once each time ",
            $what,
            ": b24flow keeps a marker field on the ",
            $record,
            " for this workflow (apply creates it), so later edits fire nothing and leaving the state and entering it again fires again. A ",
            $record,
            " already in the state when the workflow is installed fires on its next edit, and the conditions are checked at the moment the state is entered"
        )
    };
}
const WON_ONCE: &str = once_each_time!("the deal becomes won", "deal");
const LOST_ONCE: &str = once_each_time!("the deal becomes lost", "deal");
const CONVERTED_ONCE: &str = once_each_time!(
    "the lead is converted (through the converter, the form or the REST API)",
    "lead"
);
const APPROVED_ONCE: &str = once_each_time!("the quote becomes approved", "quote");
const STAGE_CHANGE_LIMITS: &str = "it runs once each time the deal moves there: b24flow keeps the stage last seen in a marker field on the deal (apply creates it): it runs once per stage move, on every save path; the first stage move after install of a deal that predates the workflow is recorded, not acted on";

/// Every trigger in words. One row per catalog trigger (a test checks it).
pub const TRIGGER_WORDS: &[TriggerWords] = &[
    TriggerWords {
        id: "deal_won",
        when: "a deal becomes won",
        check: Some("Has the deal just become won (won, and not yet marked)?"),
        wait: None,
        caveat: Some(WON_ONCE),
    },
    TriggerWords {
        id: "deal_lost",
        when: "a deal becomes lost",
        check: Some("Has the deal just become lost (lost, and not yet marked)?"),
        wait: None,
        caveat: Some(LOST_ONCE),
    },
    TriggerWords {
        id: "deal_created",
        when: "a deal is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "deal_updated",
        when: "any field of a deal changes (each time)",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "stage_changed",
        when: "a deal moves to {stage}",
        check: Some("Has the deal just moved to {stage} (not yet marked)?"),
        wait: None,
        caveat: Some(STAGE_CHANGE_LIMITS),
    },
    TriggerWords {
        id: "lead_created",
        when: "a lead is created",
        check: None,
        wait: None,
        caveat: None,
    },
    // crm LeadConverter starts on-change templates without a changed-field list
    // (modules/crm/lib/conversion/leadconverter.php); the marker does not need one.
    TriggerWords {
        id: "lead_converted",
        when: "a lead is converted",
        check: Some("Has the lead just been converted (converted, and not yet marked)?"),
        wait: None,
        caveat: Some(CONVERTED_ONCE),
    },
    TriggerWords {
        id: "lead_updated",
        when: "any field of a lead changes (each time)",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "contact_created",
        when: "a contact is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "contact_updated",
        when: "any field of a contact changes (each time)",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "company_created",
        when: "a company is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "company_updated",
        when: "any field of a company changes (each time)",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "task_created",
        when: "a task is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "task_completed",
        when: "a task is completed",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "task_overdue",
        when: "a task is past its deadline",
        check: None,
        wait: None,
        caveat: None,
    },
    // Smart invoices have no STAGE_SEMANTIC_ID (crm Model/Dynamic/PrototypeItem.php):
    // paid and refused are read from the stage id (`[portal] invoice_paid_stages`, else
    // any stage containing ":P" / ":D", the standard pipeline's, crm_status.php
    // GetDefaultInvoiceStatuses). WhileActivity re-checks the due date before each wait
    // (bizproc whileactivity.php), so a date moved later is followed.
    TriggerWords {
        id: "invoice_overdue",
        when: "an invoice is still unpaid the day after its payment date",
        check: Some("Is the invoice still unpaid (neither in a paid nor a refused stage)?"),
        wait: Some(
            "Wait until the day after the invoice's payment date, again while it is moved later",
        ),
        caveat: Some(
            "it starts when the invoice is created, so invoices created before this workflow was installed are not covered. Before each wait it reads the payment date again, so a date moved later is followed. Paid and refused are read from the invoice's stage: the stages in [portal] invoice_paid_stages / invoice_refused_stages, or else any stage id containing \":P\" / \":D\" (the standard invoice pipeline's)",
        ),
    },
    TriggerWords {
        id: "invoice_paid",
        when: "an invoice is paid",
        check: Some("Has the invoice just reached a paid stage (not yet marked)?"),
        wait: None,
        caveat: Some(
            "it runs once each time the invoice becomes paid. Paid is read from the invoice's stage: the stages in [portal] invoice_paid_stages, or else any stage id containing \":P\" (the standard invoice pipeline's). b24flow keeps a marker field on the invoice (apply creates it), so it runs once each time the invoice becomes paid; an invoice already paid when the workflow is installed fires on its next edit",
        ),
    },
    TriggerWords {
        id: "quote_created",
        when: "a quote is created",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "quote_approved",
        when: "a quote is approved",
        check: Some("Has the quote just been approved (approved, and not yet marked)?"),
        wait: None,
        caveat: Some(APPROVED_ONCE),
    },
    TriggerWords {
        id: "meeting_scheduled",
        when: "a meeting is scheduled",
        check: None,
        wait: None,
        caveat: None,
    },
    TriggerWords {
        id: "activity_added",
        when: "a note or activity is logged",
        check: None,
        wait: None,
        caveat: None,
    },
];

/// The words for one trigger id, if the catalog knows it.
pub fn trigger_words(id: &str) -> Option<&'static TriggerWords> {
    TRIGGER_WORDS.iter().find(|t| t.id == id)
}

/// Explains a workflow in plain English.
pub fn explain(blueprint: &Blueprint, config: &Config) -> Explanation {
    let words = Words::new(blueprint, config);
    let trigger = words.when(&blueprint.trigger);
    let conditions: Vec<String> = blueprint
        .conditions
        .iter()
        .map(|c| words.condition(c))
        .collect();
    let steps: Vec<String> = run_order(&blueprint.actions)
        .into_iter()
        .map(|i| words.action(&blueprint.actions[i]).imperative())
        .collect();

    let mut summary = format!("When {trigger}");
    if !conditions.is_empty() {
        let _ = write!(
            summary,
            " (only for {})",
            words.conditions(&blueprint.conditions)
        );
    }
    if steps.is_empty() {
        summary.push_str(", do nothing");
    } else {
        summary.push_str(", ");
        summary.push_str(&steps.join(", then "));
    }
    summary = finish_sentence(&summary);

    Explanation {
        summary,
        trigger,
        conditions,
        steps,
        caveats: words.caveats(blueprint),
    }
}

/// Explains a lockfile's workflow: [`explain`] of its blueprint, plus a first caveat when
/// the lockfile switches the workflow off (`options.enabled: false`), because then the
/// portal keeps the template but never starts it on its own (`AUTO_EXECUTE` 0).
pub fn explain_lockfile(lockfile: &Lockfile, config: &Config) -> Explanation {
    let mut explanation = explain(&lockfile.blueprint, config);
    if !lockfile.options.enabled {
        explanation.caveats.insert(
            0,
            "This workflow is switched off (options.enabled: false in its lockfile): the portal keeps the template but never starts it on its own.".to_owned(),
        );
    }
    explanation
}

/// The order the actions run in: the spec's order, with `move_stage` last, because the
/// platform's CrmChangeStatusActivity ends the workflow once the stage changes (see
/// docs/templates.md); the template compiler places it the same way.
pub fn run_order(actions: &[Action]) -> Vec<usize> {
    let (mut order, moves): (Vec<usize>, Vec<usize>) =
        (0..actions.len()).partition(|&i| actions[i].kind != "move_stage");
    order.extend(moves);
    order
}

/// An action in words: a verb in two forms and what follows it, so the same phrase can
/// be an instruction ("send …") or a report ("also sends …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    pub(crate) verb: &'static str,
    pub(crate) verbs: &'static str,
    pub(crate) rest: String,
}

impl Phrase {
    fn new(verb: &'static str, verbs: &'static str, rest: String) -> Self {
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
    entity: Option<Entity>,
    config: &'a Config,
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

    fn stage_target(&self, trigger: &Trigger) -> String {
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

    fn predicate(&self, c: &Condition) -> String {
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
        format!("whose {} {op} {value}", field_words(&c.field))
    }

    /// A compared value: numbers with thousands separators, text in quotes.
    fn value(&self, v: &str) -> String {
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

    fn one_recipient(&self, item: &str) -> String {
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

    fn responsible(&self) -> String {
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

    /// The limits the portal puts on this workflow, in words, in a fixed order.
    fn caveats(&self, b: &Blueprint) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(t) = catalog::trigger(&b.trigger.kind) {
            if let TriggerMapping::Unsupported { reason, instead } = t.mapping {
                out.push(format!(
                    "this trigger cannot be built as a Bitrix24 template: {reason}. Instead, {instead}"
                ));
            }
        } else {
            out.push(format!(
                "`{}` is not a trigger b24flow knows",
                b.trigger.kind
            ));
        }
        if let Some(caveat) = trigger_words(&b.trigger.kind).and_then(|w| w.caveat) {
            out.push(caveat.to_owned());
        }
        for i in run_order(&b.actions) {
            self.action_caveats(&b.actions[i], &mut out);
        }
        let moves = b.actions.iter().filter(|a| a.kind == "move_stage").count();
        if moves > 0 && b.actions.len() > moves {
            out.push(format!(
                "moving the {} to another stage ends the workflow, so that step runs last",
                self.noun
            ));
        }
        if b.actions
            .iter()
            .any(|a| CHAINING_ACTIONS.contains(&a.kind.as_str()))
        {
            // crm CrmStarter::runOnInnerDocument: Option::get('crm', 'start_bp_within_bp',
            // 'N') (platform-fidelity-2026-12.md, F3).
            out.push(
                "records this workflow creates or changes do not start other workflows: Bitrix24 skips templates for changes made by a workflow unless the portal's option start_bp_within_bp is on"
                    .to_owned(),
            );
        }
        // Two steps of one kind share their caveat: say it once, where it first applies.
        let mut said = Vec::new();
        for caveat in out {
            let sentence = finish_sentence(&caveat);
            if !said.contains(&sentence) {
                said.push(sentence);
            }
        }
        said
    }

    fn action_caveats(&self, a: &Action, out: &mut Vec<String>) {
        match a.kind.as_str() {
            // imopenlines ImOpenLinesMessageActivity writes into the chat bound to the
            // record; there is none until the client has written in.
            "send_whatsapp" => out.push(
                "the WhatsApp message goes to the client's Open Channel chat, so it reaches only clients who have written to the company through an Open Channel (WhatsApp or another connector) first"
                    .to_owned(),
            ),
            "send_email" if a.field("template_id").is_some() => out.push(
                "the e-mail template (template_id) is refused: Bitrix24's e-mail step has no e-mail template setting"
                    .to_owned(),
            ),
            "send_sms" => {
                if self.config.channels.sms_provider.trim().is_empty() {
                    out.push(
                        "[channels] sms_provider is empty, and Bitrix24 refuses a template whose SMS step has no provider"
                            .to_owned(),
                    );
                }
                // crm CrmSendSmsActivity: CBPHelper::ExtractUsers($user, …, true) keeps
                // the first user only (platform-fidelity-2026-12.md, F8).
                let to = a.field("to").unwrap_or_default();
                if self.several_employees(to) {
                    out.push(
                        "an SMS to several employees reaches only the first of them: Bitrix24's SMS step takes one person"
                            .to_owned(),
                    );
                }
            }
            // crm CrmCreateCallActivity::getBindings splits the document id on `_`, which
            // breaks SMART_INVOICE_<id> (platform-fidelity-2026-12.md, F5).
            "schedule_call" if self.entity == Some(Entity::Invoice) => out.push(
                "on invoices Bitrix24's call step cannot link the call to the invoice, so the call is most likely not created"
                    .to_owned(),
            ),
            "update_task" => out.push(
                "the update_task step cannot be built: Bitrix24 has no step that changes an arbitrary task from a CRM workflow"
                    .to_owned(),
            ),
            "add_tag" | "remove_tag" => out.push(format!(
                "the {} step cannot be built: Bitrix24 has no step for tags on CRM records; keep the label in a custom field with update_field",
                a.kind
            )),
            "update_field" | "update_deal" => {
                let field = a.field("field").unwrap_or_default();
                if field.starts_with("UF_") {
                    out.push(format!(
                        "the custom field {field} must already exist on the portal, or the step does nothing"
                    ));
                }
            }
            "webhook" => {
                out.push(format!(
                    "Bitrix24 sends only the {}'s id to {}",
                    self.noun,
                    a.field("url").unwrap_or_default()
                ));
                if a.field("method").is_some_and(|m| m.eq_ignore_ascii_case("GET")) {
                    out.push(
                        "method GET is refused: Bitrix24's webhook step always posts"
                            .to_owned(),
                    );
                }
                if let Some(m) = a.field("message") {
                    out.push(format!(
                        "the note {} is not sent: Bitrix24's webhook step sends the id only",
                        self.quote(m)
                    ));
                }
            }
            _ => {}
        }
        for name in ["deadline", "datetime"] {
            if let Some(v) = a.field(name)
                && offset_words(v).is_none()
                && !v.contains("{{")
            {
                // Task2Activity and CrmCreateToDoActivity read dates in the site's
                // format (platform-fidelity-2026-12.md, F6).
                out.push(format!(
                    "the fixed date {v} may be misread: Bitrix24 reads dates in the portal's own format, so prefer an offset such as +3d"
                ));
            }
        }
    }

    fn several_employees(&self, value: &str) -> bool {
        let items: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let codes: Vec<String> = items
            .iter()
            .flat_map(|item| match self.config.recipient(item) {
                Some(codes) => codes.split(',').map(|c| c.trim().to_owned()).collect(),
                None => vec![(*item).to_owned()],
            })
            .collect();
        codes.len() > 1 || codes.iter().any(|c| c.starts_with("group_"))
    }
}

/// Actions whose changes to records would, if chaining were on, start other workflows.
const CHAINING_ACTIONS: &[&str] = &[
    "create_deal",
    "create_contact",
    "create_company",
    "create_invoice",
    "create_quote",
    "move_stage",
    "update_field",
    "update_deal",
    "assign_responsible",
];

/// A user or group code in words, or `None` when `code` is not one.
fn code_words(code: &str, words: &Words<'_>) -> Option<String> {
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

/// The name inside `value` when it is exactly one `{{NAME}}`.
fn sole_variable(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    (!inner.is_empty() && !inner.contains(['{', '}'])).then_some(inner)
}

/// A document field in words: "amount" for `OPPORTUNITY`, "the field X" otherwise.
pub(crate) fn field_words(field: &str) -> String {
    const FIELDS: &[(&str, &str)] = &[
        ("OPPORTUNITY", "amount"),
        ("CURRENCY_ID", "currency"),
        ("TITLE", "title"),
        ("SOURCE_ID", "source"),
        ("STAGE_ID", "stage"),
        ("STATUS_ID", "status"),
        ("PROBABILITY", "probability"),
        ("COMMENTS", "comments"),
        ("TYPE_ID", "type"),
        ("INDUSTRY", "industry"),
        ("ASSIGNED_BY_ID", "responsible person"),
        ("CLOSEDATE", "close date"),
        ("DEADLINE", "deadline"),
        ("PRIORITY", "priority"),
    ];
    FIELDS
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(field))
        .map_or_else(|| format!("field {field}"), |(_, w)| (*w).to_owned())
}

/// `+3d` as "3 days", `+1w` as "1 week"; `None` for anything else.
pub(crate) fn offset_words(value: &str) -> Option<String> {
    let rest = value.trim().strip_prefix('+')?;
    let unit = rest.chars().last()?;
    let n = &rest[..rest.len() - unit.len_utf8()];
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let word = match unit.to_ascii_lowercase() {
        'm' => "minute",
        'h' => "hour",
        'd' => "day",
        'w' => "week",
        _ => return None,
    };
    let plural = if n == "1" { "" } else { "s" };
    Some(format!("{n} {word}{plural}"))
}

/// `20000` as `20,000`; `None` when `v` is not a plain number.
fn group_thousands(v: &str) -> Option<String> {
    let (int, frac) = match v.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (v, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// `text` cut to at most `max` characters at a word boundary, with "…" when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max).collect();
    let at_boundary = text.chars().nth(max).is_some_and(char::is_whitespace);
    let mut head = match head.rfind(' ') {
        Some(i) if !at_boundary && i > max / 2 => &head[..i],
        _ => head.as_str(),
    };
    // Never stop inside a "[the deal's title]" placeholder: drop it whole.
    if let Some(open) = head.rfind('[')
        && !head[open..].contains(']')
    {
        head = &head[..open];
    }
    format!("{}…", head.trim_end_matches([' ', ',', ';', ':', '(', '-']))
}

/// "a", "a and b", "a, b and c".
pub(crate) fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A capital first letter and a closing full stop (unless it already ends in one).
pub(crate) fn finish_sentence(s: &str) -> String {
    let mut out = capitalize(s);
    let last = out.trim_end_matches(['\'', '"', ')']);
    if !last.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// `s` with its first letter in capitals.
pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::TRIGGERS;

    #[test]
    fn every_trigger_has_words_that_match_its_mapping() {
        assert_eq!(TRIGGER_WORDS.len(), TRIGGERS.len());
        for t in TRIGGERS {
            let w = trigger_words(t.id).unwrap_or_else(|| panic!("no words for {}", t.id));
            match t.mapping {
                TriggerMapping::Template {
                    guard, wait_until, ..
                } => {
                    assert_eq!(w.check.is_some(), !guard.is_empty(), "{}: check", t.id);
                    assert_eq!(w.wait.is_some(), wait_until.is_some(), "{}: wait", t.id);
                    // Every trigger whose guard relies on the changed-field list says
                    // how often it really runs.
                    if guard.iter().any(|g| g.operator == "modified") {
                        assert!(w.caveat.is_some(), "{}: modified without a caveat", t.id);
                    }
                }
                TriggerMapping::Unsupported { .. } => {
                    assert!(w.check.is_none() && w.wait.is_none(), "{}", t.id);
                }
            }
        }
    }

    #[test]
    fn numbers_offsets_and_cuts() {
        assert_eq!(group_thousands("20000").as_deref(), Some("20,000"));
        assert_eq!(group_thousands("1234567.5").as_deref(), Some("1,234,567.5"));
        assert_eq!(group_thousands("999").as_deref(), Some("999"));
        assert_eq!(group_thousands("WEB"), None);
        assert_eq!(offset_words("+3d").as_deref(), Some("3 days"));
        assert_eq!(offset_words("+1w").as_deref(), Some("1 week"));
        assert_eq!(offset_words("+30m").as_deref(), Some("30 minutes"));
        assert_eq!(offset_words("3d"), None);
        assert_eq!(cut("short", 10), "short");
        assert_eq!(
            cut("Congratulations! Your deal has been confirmed.", 30),
            "Congratulations! Your deal has…"
        );
        assert_eq!(
            cut("Deal won: [the deal's title] ([the deal's amount]", 36),
            "Deal won: [the deal's title]…"
        );
        assert_eq!(
            join_and(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }

    #[test]
    fn a_caveat_shared_by_two_steps_is_said_once() {
        let whatsapp = Action::new(
            "send_whatsapp",
            [
                ("to", "{{CONTACT_PHONE}}".to_owned()),
                ("message", "Hi".to_owned()),
            ],
        );
        let b = Blueprint {
            name: "x".into(),
            entity: "CRM_DEAL".into(),
            trigger: Trigger::new("deal_created"),
            conditions: vec![],
            actions: vec![
                whatsapp.clone(),
                Action::new(
                    "update_field",
                    [("field", "UF_CRM_A".to_owned()), ("value", "1".to_owned())],
                ),
                whatsapp,
            ],
        };
        let e = explain(&b, &Config::default());
        assert_eq!(e.steps.len(), 3);
        assert_eq!(e.caveats.len(), 3, "{:#?}", e.caveats);
        assert!(e.caveats[0].contains("Open Channel"));
        assert!(e.caveats[1].contains("UF_CRM_A"));
        assert!(e.caveats[2].contains("start_bp_within_bp"));
    }

    #[test]
    fn recipient_codes_in_words() {
        let b = Blueprint {
            name: "x".into(),
            entity: "CRM_DEAL".into(),
            trigger: Trigger::new("deal_won"),
            conditions: vec![],
            actions: vec![],
        };
        let mut config = Config::default();
        config
            .recipients
            .insert("sales team".into(), "group_d12".into());
        let w = Words::new(&b, &config);
        assert_eq!(w.who("user_7"), "user 7");
        assert_eq!(w.who("group_dr1"), "department 1 and its sub-departments");
        assert_eq!(w.who("the Sales Team"), "the Sales Team (department 12)");
        assert_eq!(
            w.who("{{ASSIGNED_BY_ID}}, user_3"),
            "the deal's responsible person and user 3"
        );
        assert_eq!(w.who("{{CONTACT_PHONE}}"), "the deal's client");
        assert_eq!(w.who("boss"), "\"boss\" (not in [recipients])");
        assert_eq!(
            w.text("Deal {{DEAL_TITLE}}\n won {{NOPE}}"),
            "Deal [the deal's title] won {{NOPE}}"
        );
    }
}
