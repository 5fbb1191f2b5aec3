//! Action frames: reading one instruction ("send a `WhatsApp` message to the client",
//! "create a follow-up task for the sales manager tomorrow") into a catalog action with
//! its fields.
//!
//! An action frame is a kind plus the catalog's fields as slots. [`frames`] recognises
//! the kind from a verb or a channel noun; [`read`] fills the slots the text states, with
//! the readers in [`slots`] (quotes, URLs, short phrases); [`finish`] defaults what the
//! author did not need to write and turns what only the author can say (a vague
//! recipient, a missing URL, stage, field or tag) into a question. A clause with no verb
//! of its own may continue the action before it ([`continue_previous`]).
//!
//! Invariant: a draft's kind is a catalog action id, and its fields are catalog fields.

mod finish;
mod frames;
mod slots;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::recipients::{self, Who};
use super::text::{Clause, Token};
use super::triggers::stage_after;
use super::words;
use crate::catalog::{self, Entity, TriggerInfo};
pub(super) use finish::finish;
use finish::set_assignee;
pub(super) use frames::kind;
use slots::{
    message, quoted_or_named, read_email, read_task, read_update, read_webhook, tag, title,
};
pub(super) use slots::{priority, when};

/// What an instruction asks for, before its fields are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A catalog action id.
    Action(&'static str),
    /// "Send a message": the channel depends on who receives it.
    Message,
    /// "Move/push/postpone its deadline": a date moves, not the record. A task's
    /// deadline on a task workflow; anything else is asked about.
    Deadline,
}

/// An action being built, with the questions it raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Draft {
    pub(super) kind: &'static str,
    pub(super) fields: BTreeMap<String, String>,
    /// Who the text named, if anyone, for defaults that depend on it.
    pub(super) who: Option<Who>,
    pub(super) questions: Vec<String>,
    /// "review" or "follow-up" when the text says which kind of task it is.
    pub(super) flavour: Option<&'static str>,
    /// "schedule a call for him": a pronoun for who makes the call, resolved against the
    /// person named before or asked about in [`finish`].
    pub(super) assignee_pronoun: Option<String>,
}

impl Draft {
    fn new(kind: &'static str) -> Draft {
        Draft {
            kind,
            fields: BTreeMap::new(),
            who: None,
            questions: Vec::new(),
            flavour: None,
            assignee_pronoun: None,
        }
    }

    fn set(&mut self, field: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.fields
                .insert(field.to_owned(), value.trim().to_owned());
        }
    }

    fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }
}

/// What the parser knows while it reads instructions.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx<'a> {
    pub(super) trigger: Option<&'static TriggerInfo>,
    pub(super) tokens: &'a [Token],
}

impl Ctx<'_> {
    fn entity(&self) -> Option<Entity> {
        self.trigger.map(|t| t.entity)
    }

    fn entity_label(&self) -> &'static str {
        self.entity().map_or("record", |e| e.info().label)
    }

    fn token(&self, index: usize) -> Option<&Token> {
        self.tokens.get(index)
    }
}

// Optional words before the verb of an instruction.
const P: &str = r"^(?:please\s+|also\s+|then\s+|and\s+|just\s+|automatically\s+|immediately\s+)*";

/// The noun a question uses for a draft.
fn noun_of(d: &Draft) -> &'static str {
    if d.flavour == Some("message") {
        "message"
    } else {
        noun(d.kind)
    }
}

/// The noun a question uses for an action's message.
fn noun(kind: &str) -> &'static str {
    match kind {
        "send_whatsapp" => "WhatsApp message",
        "send_email" => "e-mail",
        "send_sms" => "SMS",
        "send_notification" => "notification",
        "send_bitrix_message" => "chat message",
        "create_task" => "task",
        "set_reminder" => "reminder",
        "schedule_call" => "call",
        _ => "message",
    }
}

const TO_CUES: &[&str] = &[
    "to",
    "send",
    "drop",
    "for",
    "notify",
    "alert",
    "inform",
    "tell",
    "message",
    "text",
    "email",
    "e-mail",
    "whatsapp",
    "sms",
    "ping",
    "warn",
    "let",
    "congratulate",
    "thank",
    "welcome",
    "greet",
    "remind",
    "contact",
    "escalate",
    "chat",
];
const ASSIGNEE_CUES: &[&str] = &[
    "for", "to", "assign", "assigned", "assignee", "by", "give", "remind",
];
const CALL_CUES: &[&str] = &["with", "call", "phone", "ring"];
const RESPONSIBLE_CUES: &[&str] = &[
    "to",
    "assign",
    "reassign",
    "make",
    "transfer",
    "hand",
    "give",
    "pass",
    "responsible",
];

// "and ask for feedback", "asking them to leave a review": the purpose of the message
// before it, not another action.
static FEEDBACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:and\s+|also\s+|to\s+)?(?:ask|asking|request|requesting|invite|inviting|get|collect|gather)\s+(?:(?:them|him|her|the\s+(?:client|customer|contact|lead))\s+)?(?:for\s+|to\s+(?:give|leave|share|write|rate|send)\s+(?:us\s+)?)?(?:(?:some|their|a|an|your|his|her|quick|short|honest)\s+)*(?:feedback|review|reviews|rating|opinion|testimonial|survey)\b",
    )
    .expect("valid regex")
});

/// Whether a clause is a feedback request ("ask for feedback").
pub(super) fn is_feedback(lower: &str) -> bool {
    FEEDBACK.is_match(lower)
}

/// Makes a client message before a feedback request ask for feedback: its subject and
/// text, unless the author wrote them. Returns false when `d` is not a client message.
pub(super) fn ask_feedback(d: &mut Draft) -> bool {
    if !is_client_channel(d.kind) || !matches!(d.who, None | Some(Who::Client)) {
        return false;
    }
    let ask = "Thank you for your time with us. Could you tell us how we did? Your feedback helps us improve.";
    if d.kind == "send_email" {
        if !d.has("subject") {
            d.set("subject", "How did we do?");
        }
        if !d.has("body") {
            d.set("body", ask);
        }
    } else if !d.has("message") {
        d.set("message", ask);
    }
    true
}

/// Reads an instruction of a known kind into a draft.
pub(super) fn read(kind: Kind, clause: &Clause, ctx: &Ctx<'_>) -> Draft {
    let kind = match kind {
        Kind::Action(id) => id,
        Kind::Message => return read_message(clause, ctx),
        Kind::Deadline => return read_deadline(clause, ctx),
    };
    let mut d = Draft::new(kind);
    match kind {
        "send_whatsapp"
        | "send_sms"
        | "send_email"
        | "send_notification"
        | "send_bitrix_message" => {
            d.who = recipients::find(clause, TO_CUES, is_client_channel(kind)).map(|(w, _)| w);
            if kind == "send_email" {
                read_email(&mut d, clause, ctx);
            } else if let Some(m) = message(clause, ctx, &[]) {
                d.set("message", m);
            }
        }
        "create_task" => {
            d.who = recipients::find(clause, ASSIGNEE_CUES, false).map(|(w, _)| w);
            read_task(&mut d, clause, ctx);
        }
        "set_reminder" => {
            d.who = recipients::find(clause, ASSIGNEE_CUES, false).map(|(w, _)| w);
            if let Some(t) = title(clause, ctx, true, true) {
                d.set("title", t);
            }
            if let Some(when) = when(&clause.lower) {
                d.set("datetime", when);
            }
        }
        "schedule_call" => {
            if let Some((who, _)) = recipients::find(clause, CALL_CUES, true) {
                d.who = Some(who);
            }
            if let Some((who, _)) =
                recipients::find(clause, &["for", "by", "assign", "assigned"], false)
                && who != Who::Client
            {
                // "for the client" says who the call is with, not who makes it.
                match who {
                    Who::Vague(w) if ["him", "her", "them"].contains(&w.as_str()) => {
                        d.assignee_pronoun = Some(w);
                    }
                    who => set_assignee(&mut d, Some(who), "call", ctx),
                }
            }
            if let Some(when) = when(&clause.lower) {
                d.set("datetime", when);
            }
        }
        "create_deal" | "create_contact" | "create_company" | "create_invoice" | "create_quote" => {
            if let Some(t) = quoted_or_named(clause, ctx) {
                d.set("title", t);
            }
            if matches!(kind, "create_deal" | "create_quote")
                && let Some((who, _)) =
                    recipients::find(clause, &["for", "assign", "assigned", "to"], false)
                && matches!(who, Who::Responsible | Who::Named(_))
            {
                set_assignee(&mut d, Some(who), "deal", ctx);
            }
            if kind == "create_deal"
                && clause.lower.contains("stage")
                && let Some(m) = STAGE_CUE.find(&clause.lower)
                && let (Some(stage), _) = stage_after(clause, m.end(), ctx.tokens)
            {
                d.set("stage", stage);
            }
        }
        "assign_responsible" => {
            let who =
                recipients::find_where(clause, RESPONSIBLE_CUES, false, |w| *w != Who::Client)
                    .map(|(w, _)| w);
            d.who.clone_from(&who);
            match who {
                None => d.questions.push(format!(
                    "Who should become responsible for the {}? For example \"assign it to Anna\" or \"to the sales manager\".",
                    ctx.entity_label()
                )),
                some => set_assignee(&mut d, some, "record", ctx),
            }
        }
        "move_stage" => {
            let stage = STAGE_TO
                .find(&clause.lower)
                .and_then(|m| stage_after(clause, m.end(), ctx.tokens).0);
            match stage {
                Some(s) => d.set("stage", s),
                None => d.questions.push(format!(
                    "Which stage should the {} move to? For example \"move it to the Negotiation stage\".",
                    ctx.entity_label()
                )),
            }
        }
        "update_field" | "update_deal" | "update_task" => {
            // On a task workflow the record is the task: "set priority to high".
            if d.kind == "update_field" && ctx.entity() == Some(Entity::Task) {
                d.kind = "update_task";
            }
            read_update(&mut d, clause, ctx);
        }
        "add_comment" => {
            if let Some(m) = message(clause, ctx, &[]) {
                d.set("message", m);
            }
        }
        "add_tag" | "remove_tag" => match tag(clause, ctx) {
            Some(t) => d.set("tag", t),
            None => d.questions.push(format!(
                "Which tag should be {}? For example \"{} the tag 'VIP'\".",
                if kind == "add_tag" {
                    "added"
                } else {
                    "removed"
                },
                if kind == "add_tag" { "add" } else { "remove" },
            )),
        },
        "webhook" => read_webhook(&mut d, clause, ctx),
        _ => {}
    }
    d
}

fn is_client_channel(kind: &str) -> bool {
    matches!(kind, "send_whatsapp" | "send_sms" | "send_email")
}

/// "Send a message to X": chat for employees; for the client the channel is asked.
fn read_message(clause: &Clause, ctx: &Ctx<'_>) -> Draft {
    let who = recipients::find(clause, TO_CUES, true).map(|(w, _)| w);
    let mut d = Draft::new("send_bitrix_message");
    d.flavour = Some("message");
    if let Some(m) = message(clause, ctx, &[]) {
        d.set("message", m);
    }
    if who == Some(Who::Client) {
        d.questions.push(
            "Which channel should the message to the client use: WhatsApp, SMS or e-mail? For example \"send a WhatsApp message to the client\".".into(),
        );
    }
    d.who = who;
    d
}

// A new deadline written as an offset from now: "to +2d", "out to +3h".
static OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:in)?to\s+(?P<offset>\+\d{1,4}[hdw])(?:\s|$)").expect("valid regex")
});
// "by two days", "by a week": a shift from the current deadline, which the catalog's
// relative times (counted from when the workflow runs) cannot say.
static TO_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:in)?to\s+").expect("valid regex"));
static SHIFT_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bby\s+(?:\+?\d+|a|an|one|two|three|four|five|six|seven|ten)\b")
        .expect("valid regex")
});

/// "Move its deadline to +2d": on a task workflow, the task's `DEADLINE` set to a time
/// counted from now. A deadline of anything else (the catalog has no action for it), a
/// shift "by" some days, or a time b24flow cannot read is asked about.
fn read_deadline(clause: &Clause, ctx: &Ctx<'_>) -> Draft {
    let mut d = Draft::new("update_task");
    if ctx.trigger.is_some() && ctx.entity() != Some(Entity::Task) {
        d.questions.push(format!(
            "Whose deadline should \"{}\" move? b24flow can change a task's deadline only in a workflow started by a task event; a {} has no deadline it can move.",
            clause.orig,
            ctx.entity_label()
        ));
        return d;
    }
    let value = if SHIFT_BY.is_match(&clause.lower) {
        None
    } else if let Some(c) = OFFSET.captures(&clause.lower) {
        let raw = &c["offset"];
        // "+1w" is a week: the catalog's offsets count hours and days.
        match raw
            .strip_suffix('w')
            .and_then(|n| n[1..].parse::<u32>().ok())
        {
            Some(weeks) => weeks.checked_mul(7).map(|n| format!("+{n}d")),
            None => Some(raw.to_owned()),
        }
    } else {
        // "to tomorrow", "to 3 days from now": a time after "to" is the new deadline;
        // "for 3 days" after "postpone" would be a shift, so it is not read.
        TO_WORD
            .find(&clause.lower)
            .and_then(|m| when(&clause.lower[m.end()..]))
    };
    match value {
        Some(v) => {
            d.set("field", "DEADLINE");
            d.set("value", v);
        }
        None => d.questions.push(format!(
            "When should the new deadline be in \"{}\"? Give it counted from when the workflow runs, e.g. \"move the deadline to +2d\" or \"to tomorrow\".",
            clause.orig
        )),
    }
    d
}

static STAGE_TO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:in)?to\b|\bas\b").expect("valid regex"));
static STAGE_CUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:in|at|into|to)\s+(?:the\s+)?").expect("valid regex"));

/// Applies a clause that only adds to the previous instruction: another recipient
/// ("... and the sales team"), a body or subject, a deadline or priority, or "assign it
/// to Anna" after a task. Returns the extra draft for a new recipient.
pub(super) fn continue_previous(prev: &mut Draft, clause: &Clause, ctx: &Ctx<'_>) -> Continued {
    let lower = &clause.lower;
    // "create a task and assign it to Anna"
    if matches!(
        prev.kind,
        "create_task" | "set_reminder" | "create_deal" | "create_quote"
    ) && ASSIGN_IT.is_match(lower)
        && let Some((who, _)) = recipients::find(clause, &["to"], false)
    {
        prev.who = Some(who.clone());
        prev.fields.remove("assignee");
        set_assignee(prev, Some(who), noun(prev.kind), ctx);
        return Continued::Merged;
    }
    // "sync it to https://... (GET)": a method alone belongs to the webhook before it.
    if prev.kind == "webhook"
        && let Some(c) = METHOD_ONLY.captures(lower)
    {
        prev.set("method", c[1].to_ascii_uppercase());
        return Continued::Merged;
    }
    if words::has_action_verb(lower) && !FIELD_LEAD.is_match(lower) {
        return Continued::No;
    }
    let mut changed = false;
    if FIELD_LEAD.is_match(lower) || super::text::leading_token(&clause.lower).is_some() {
        match prev.kind {
            "send_email" => {
                let before = prev.fields.clone();
                read_email(prev, clause, ctx);
                changed = before != prev.fields;
            }
            "create_task" => {
                let before = prev.fields.clone();
                let title = prev.fields.get("title").cloned();
                read_task(prev, clause, ctx);
                if let Some(t) = title {
                    prev.fields.insert("title".into(), t);
                }
                changed = before != prev.fields;
            }
            _ => {
                if !prev.has("message")
                    && let Some(m) = message(clause, ctx, &[])
                    && catalog::action(prev.kind).is_some_and(|a| a.field("message").is_some())
                {
                    prev.set("message", m);
                    changed = true;
                }
            }
        }
    }
    if matches!(prev.kind, "create_task" | "set_reminder" | "schedule_call") {
        let field = if prev.kind == "create_task" {
            "deadline"
        } else {
            "datetime"
        };
        if let Some(w) = when(lower) {
            prev.set(field, w);
            changed = true;
        }
        if prev.kind == "create_task"
            && let Some(p) = priority(lower)
        {
            prev.set("priority", p);
            changed = true;
        }
    }
    if changed {
        return Continued::Merged;
    }
    // "notify the manager and the sales team": the same action for another recipient.
    if matches!(
        prev.kind,
        "send_whatsapp" | "send_sms" | "send_email" | "send_notification" | "send_bitrix_message"
    ) {
        let mut ws: Vec<&str> = words::words_from(clause, 0).map(|w| w.text).collect();
        if ws.first().is_some_and(|w| w.eq_ignore_ascii_case("to")) {
            ws.remove(0);
        }
        // "task for manager" names an action of its own, not another recipient.
        let names_other = kind(clause, ctx.tokens).is_some_and(|k| k != Kind::Action(prev.kind));
        if ws.len() <= 5
            && !names_other
            && let Some(who) = recipients::classify(&ws, is_client_channel(prev.kind))
            && !matches!(who, Who::Vague(_))
        {
            let mut next = prev.clone();
            next.fields.remove("to");
            next.who = Some(who);
            return Continued::Another(next);
        }
    }
    Continued::No
}

/// What [`continue_previous`] did.
#[derive(Debug)]
pub(super) enum Continued {
    No,
    Merged,
    Another(Draft),
}

static METHOD_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:with|using|via|as|by|method)\s+)?(?:an?\s+)?(?:http\s+)?(get|post)(?:\s+request)?$")
        .expect("valid regex")
});

static ASSIGN_IT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{P}(?:assign|give)\s+(?:it|this|that|the\s+task|the\s+reminder|the\s+deal|the\s+quote)\s+to\b"
    ))
    .expect("valid regex")
});
static FIELD_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:with\s+)?(?:(?:a|the)\s+)?(?:body|subject|text|message|title|description|deadline|priority|due|high|low|normal|urgent)\b")
        .expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nl::offline::text::prepare;

    fn kind_of(s: &str) -> Option<Kind> {
        let p = prepare(s);
        kind(&Clause::new(&p.text), &p.tokens)
    }

    #[test]
    fn kinds() {
        let a = |id| Some(Kind::Action(id));
        assert_eq!(
            kind_of("send a WhatsApp message to the client"),
            a("send_whatsapp")
        );
        assert_eq!(kind_of("create a review task"), a("create_task"));
        assert_eq!(kind_of("notify the sales team"), a("send_notification"));
        assert_eq!(
            kind_of("assign it to the sales manager"),
            a("assign_responsible")
        );
        assert_eq!(kind_of("move the deal to the Won stage"), a("move_stage"));
        assert_eq!(kind_of("set the source to 'Web'"), a("update_field"));
        assert_eq!(kind_of("add a comment 'hi'"), a("add_comment"));
        assert_eq!(kind_of("post the data to https://x.io/h"), a("webhook"));
        assert_eq!(kind_of("remove the tag cold"), a("remove_tag"));
        assert_eq!(kind_of("send a message to the client"), Some(Kind::Message));
        assert_eq!(kind_of("do something"), None);
        assert_eq!(kind_of("notify the manager by email"), a("send_email"));
        assert_eq!(kind_of("thank the client via SMS"), a("send_sms"));
        assert_eq!(
            kind_of("remind the manager by email to send the contract"),
            a("send_email")
        );
        assert_eq!(
            kind_of("send a message to Anna in the chat"),
            a("send_bitrix_message")
        );
    }

    #[test]
    fn relative_times() {
        assert_eq!(when("due tomorrow").as_deref(), Some("+1d"));
        assert_eq!(when("in 3 days").as_deref(), Some("+3d"));
        assert_eq!(when("within two weeks").as_deref(), Some("+14d"));
        assert_eq!(when("in 4 hours").as_deref(), Some("+4h"));
        assert_eq!(when("whenever"), None);
    }

    #[test]
    fn priorities() {
        assert_eq!(priority("an urgent task"), Some("high"));
        assert_eq!(priority("low priority"), Some("low"));
        assert_eq!(priority("a task"), None);
    }
}
