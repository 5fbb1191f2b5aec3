//! Reading one instruction ("send a `WhatsApp` message to the client", "create a
//! follow-up task for the sales manager tomorrow") into a catalog action with its fields.
//!
//! Recognition is an ordered list of patterns, most specific first (tags before tasks,
//! a stage move before a field update, an explicit channel before a plain "message").
//! Fields come from quotes, URLs and short phrases; what the text does not say is left
//! for [`finish`] to default from the trigger, and what only the author can say (a
//! vague recipient, a missing URL, stage, field or tag) becomes a question.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::conditions::field_id;
use super::defaults;
use super::recipients::{self, Who};
use super::text::{Clause, TOKEN, Token, TokenKind, capitalize};
use super::triggers::stage_after;
use super::words::{self, number};
use crate::catalog::{self, Entity, TriggerInfo};

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
}

impl Draft {
    fn new(kind: &'static str) -> Draft {
        Draft {
            kind,
            fields: BTreeMap::new(),
            who: None,
            questions: Vec::new(),
            flavour: None,
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

static KINDS: LazyLock<Vec<(Kind, Regex)>> = LazyLock::new(|| {
    let a = Kind::Action;
    let raw: Vec<(Kind, String)> = vec![
        (
            a("remove_tag"),
            r"\b(?:remove|delete|drop|clear|strip|take\s+off|detach)\b.*\btags?\b|\buntag\b".into(),
        ),
        (
            a("add_tag"),
            format!(
                r"\b(?:add|put|apply|attach|set|assign|give|append)\b.*\btags?\b|{P}tag\b|\btag\s+(?:it|this|them|the\s+\w+)\b"
            ),
        ),
        (
            a("webhook"),
            r"\bweb\s?-?hooks?\b|\bhttp\s+(?:post\s+|get\s+)?request\b|\b(?:post|get)\s+request\b|\bapi\b|\bendpoint\b|\bzapier\b|\bn8n\b".into(),
        ),
        (
            a("assign_responsible"),
            format!(
                r"{P}(?:change|set|update|switch)\s+(?:the\s+)?(?:responsible|owner|assignee)\b|\bmake\s+.+\s+responsible\b|{P}(?:re-?assign|hand\s+(?:it\s+|this\s+|them\s+|the\s+\w+\s+)?over|transfer\s+(?:it|this|them|the\s+(?:deal|lead|record|contact|company|quote|invoice))\s+to)\b|{P}(?:give|pass|hand|route)\s+(?:it|this|them|the\s+(?:deal|lead|record|contact|company|quote|invoice|client|customer))\s+(?:on\s+|over\s+|along\s+)?to\b"
            ),
        ),
        // The object decides: "move its deadline" moves a date, never the record.
        (
            Kind::Deadline,
            format!(
                r"{P}(?:move|shift|push|postpone|delay|extend|defer|reschedule|bring)\s+(?:out\s+|back\s+|forward\s+)?(?:the\s+|its\s+|their\s+|this\s+|that\s+)?(?:(?:related\s+|linked\s+)?(?:task|to-?do|deal|lead|record)(?:'s)?\s+)?(?:deadline|due\s+date|due\s+time|end\s+date|close\s+date|closing\s+date)\b"
            ),
        ),
        (
            a("update_task"),
            format!(
                r"{P}(?:update|change|set|modify|edit|mark)\s+(?:the\s+)?(?:related\s+|linked\s+|original\s+|same\s+)?task(?:'s)?\b"
            ),
        ),
        (
            a("move_stage"),
            format!(
                r"{P}(?:move|shift|advance|push|progress)\b|{P}(?:change|set|update|switch|put|bring|send)\b.*\b(?:stage|status|column)\b|{P}mark\s+(?:it|this|them|the\s+\w+)\s+as\s+(?:won|lost|successful|failed|closed)\b"
            ),
        ),
        (
            a("update_deal"),
            format!(
                r"{P}(?:update|change|set|modify|edit|increase|decrease|raise|lower)\s+(?:the\s+)?(?:related\s+|linked\s+|associated\s+|parent\s+)?deal(?:'s)?\b"
            ),
        ),
        (
            a("set_reminder"),
            format!(
                r"{P}remind\b|{P}(?:set|set\s+up|create|add|schedule|make)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+)?reminder\b"
            ),
        ),
        (
            a("add_comment"),
            format!(
                r"{P}(?:add|leave|write|post|log|put|record|make|pin)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+)?(?:comment|note)s?\b|{P}comment\b"
            ),
        ),
        (
            a("create_task"),
            format!(
                r"{P}(?:create|add|make|set\s+up|open|generate|schedule|start|raise|put|give|assign|plan)\b.*\b(?:tasks?|to-?dos?)\b"
            ),
        ),
        // "task for the accounts team to call them": a task, whatever it is about.
        (
            a("create_task"),
            r"^(?:a\s+|an\s+|new\s+)?(?:[\w-]+\s+)?(?:tasks?|to-?dos?)\s+(?:for|to)\b".into(),
        ),
        (
            a("schedule_call"),
            format!(
                r"\b(?:schedule|plan|book|arrange|set\s+up|add|create|log|make)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+)?(?:phone\s+)?call\b|{P}(?:call|phone|ring)\b|\bcall\s+(?:back\s+)?(?:the\s+)?(?:client|customer|contact|lead|them|him|her)\b"
            ),
        ),
        (
            a("create_task"),
            format!(r"{P}(?:create|add|make|set\s+up|schedule|plan|open)\s+(?:a\s+|an\s+)?follow-?ups?\b"),
        ),
        (
            a("create_deal"),
            format!(r"{P}(?:create|add|make|open|start|generate|register|set\s+up)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?deals?\b|{P}convert\s+(?:it|this|the\s+\w+)\s+(?:in)?to\s+a\s+deal\b"),
        ),
        (
            a("create_contact"),
            format!(r"{P}(?:create|add|make|register|set\s+up|save)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?contacts?\b"),
        ),
        (
            a("create_company"),
            format!(r"{P}(?:create|add|make|register|set\s+up|save)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?(?:company|companies|organi[sz]ation)\b"),
        ),
        (
            a("create_invoice"),
            format!(r"{P}(?:create|add|make|generate|issue|raise|prepare|draft|set\s+up|organi[sz]e)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?invoices?\b"),
        ),
        (
            a("create_quote"),
            format!(r"{P}(?:create|add|make|generate|issue|prepare|draft|set\s+up)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?(?:quotes?|quotations?|proposals?|estimates?)\b"),
        ),
        (
            a("update_field"),
            format!(r"{P}(?:set|update|change|fill|modify|edit|populate|increase|decrease|raise|lower)\b"),
        ),
        (a("send_whatsapp"), r"\bwhats\s?app\b".into()),
        (
            a("send_sms"),
            format!(r"\bsms\b|\btext\s+message\b|\bsend\s+(?:a\s+|an\s+)?text\b|{P}text\b"),
        ),
        (a("send_email"), r"\be-?mails?\b|\bmail\b|\bletter\b".into()),
        (a("assign_responsible"), format!(r"{P}assign\b")),
        (
            a("send_notification"),
            format!(r"\bnotif(?:y|ies|ication|ications)\b|\balert\b|{P}(?:inform|tell|warn|escalate|let)\b"),
        ),
        (
            a("send_bitrix_message"),
            r"\bchat\b|^(?:please\s+|also\s+|then\s+|and\s+|just\s+)*ping\b|\bbitrix\s*(?:24)?\s*message|\binternal\s+message|\bmessenger\b|\bchannel\b".into(),
        ),
        (
            Kind::Message,
            format!(r"\bmessages?\b|\bmsgs?\b|{P}(?:write|message|congratulate|thank|welcome|greet)\b|{P}send\s+(?:a\s+|an\s+|our\s+)?(?:[\w-]+\s+)?(?:note|greeting|thanks|thank[- ]you|welcome|congratulations|update|reply)\b"),
        ),
        (a("create_task"), r"\b(?:tasks?|to-?dos?)\b".into()),
    ];
    raw.into_iter()
        .map(|(k, re)| (k, Regex::new(&re).expect("valid action regex")))
        .collect()
});

static CHANNEL_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:whats\s?app|sms|e-?mail|message|text|comment|note|chat|notif\w*)\b")
        .expect("valid regex")
});

/// Recognises what an instruction asks for.
pub(super) fn kind(clause: &Clause, tokens: &[Token]) -> Option<Kind> {
    let lower = &clause.lower;
    let has_url = TOKEN.captures_iter(lower).any(|c| {
        c.get(1)
            .and_then(|i| i.as_str().parse::<usize>().ok())
            .and_then(|i| tokens.get(i))
            .is_some_and(|t| t.kind == TokenKind::Url)
    });
    // "post the deal to https://..." is a webhook even without the word.
    if has_url && !CHANNEL_NOUN.is_match(&strip_tokens(lower)) {
        return Some(Kind::Action("webhook"));
    }
    // "notify the manager by email", "thank the client via SMS": the channel named
    // after "by"/"via" decides, not the verb.
    if let Some(c) = VIA.captures(lower) {
        let id = match c.name("channel").map_or("", |m| m.as_str()) {
            "whatsapp" | "whats app" => "send_whatsapp",
            "sms" | "text" | "text message" => "send_sms",
            "chat" | "messenger" => "send_bitrix_message",
            _ => "send_email",
        };
        return Some(Kind::Action(id));
    }
    let found = KINDS
        .iter()
        .find(|(_, re)| re.is_match(lower))
        .map(|(k, _)| *k)?;
    // "move", "push", "shift" move the record only when their object is the record or
    // its stage ("move it to Won", "push the deal to the next stage"). Another object
    // ("push the meeting to Friday") is some other action, which is asked about rather
    // than read as a stage move.
    if found == Kind::Action("move_stage")
        && MOVE_VERB.is_match(lower)
        && !MOVE_RECORD.is_match(lower)
    {
        return None;
    }
    Some(found)
}

static MOVE_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"{P}(?:move|shift|advance|push|progress)\b")).expect("valid regex")
});

// What a stage move's verb may take as its object: the record (a pronoun or a record
// noun), its stage, or nothing before "to"/"forward" ("move to Won", "move forward").
static MOVE_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{P}(?:move|shift|advance|push|progress)\s+(?:(?:out|back|forward|ahead|along|on|up)\b\s*)?(?:$|(?:in)?to\b|forward\b|(?:it|this|that|them|these|those)\b|(?:the\s+|this\s+|that\s+|our\s+|their\s+|its\s+)?(?:[\w-]+\s+)?(?:deals?|leads?|opportunit(?:y|ies)|records?|cards?|contacts?|compan(?:y|ies)|invoices?|quotes?|stages?|status|column|pipeline)\b)"
    ))
    .expect("valid regex")
});

static VIA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{P}(?:notify|tell|inform|alert|remind|message|contact|thank|congratulate|welcome|greet|send|ping|let|write\s+to)\b.*\b(?:by|via|through|over|using|on|in)\s+(?:an?\s+|the\s+)?(?P<channel>e-?mail|mail|sms|text\s+message|text|whats\s?app|chat|messenger)\b"
    ))
    .expect("valid regex")
});

fn strip_tokens(s: &str) -> String {
    TOKEN.replace_all(s, " ").into_owned()
}

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
                set_assignee(&mut d, Some(who), "call", ctx);
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

/// Finishes a draft once the trigger is known: recipients become smart variables or
/// questions, and missing texts get defaults.
pub(super) fn finish(d: &mut Draft, ctx: &Ctx<'_>) {
    let Some(trigger) = ctx.trigger else {
        // Without a trigger only the author's own gaps are worth asking about.
        recipient_questions_only(d);
        return;
    };
    let entity = trigger.entity;
    let texts = defaults::texts(trigger.id);
    let who = d.who.clone();
    match d.kind {
        "send_whatsapp" | "send_sms" | "send_email" => {
            if !d.has("to") {
                set_to(d, who.clone().or(Some(Who::Client)), ctx);
            }
            let to_client = matches!(who, None | Some(Who::Client));
            let message = if to_client {
                texts.client
            } else {
                texts.internal
            };
            if d.kind == "send_email" {
                if !d.has("subject") {
                    let subject = if to_client {
                        texts.subject
                    } else {
                        texts.internal
                    };
                    d.set("subject", subject);
                }
                if !d.has("body") {
                    let body = if to_client {
                        defaults::email_body(message, entity)
                    } else {
                        message.to_owned()
                    };
                    d.set("body", body);
                }
            } else if !d.has("message") {
                d.set("message", message);
            }
        }
        "send_notification" | "send_bitrix_message" => {
            if !d.has("to") && d.questions.is_empty() {
                set_to(d, who, ctx);
            }
            if !d.has("message") {
                d.set("message", texts.internal);
            }
        }
        "create_task" | "set_reminder" => {
            if !d.has("assignee") {
                set_assignee(d, who.or(Some(Who::Responsible)), noun(d.kind), ctx);
            }
            if !d.has("title") {
                let review = match d.flavour {
                    Some("review") => true,
                    Some(_) => false,
                    None => texts.review_by_default,
                };
                d.set(
                    "title",
                    if review {
                        texts.review
                    } else {
                        texts.follow_up
                    },
                );
            }
        }
        "schedule_call" => {
            if !d.has("to") {
                set_to(d, who.or(Some(Who::Client)), ctx);
            }
            if !d.has("assignee") {
                set_assignee(d, Some(Who::Responsible), "call", ctx);
            }
        }
        "create_deal" | "create_contact" | "create_company" | "create_invoice" | "create_quote"
            if !d.has("title") =>
        {
            d.set("title", defaults::record_title(d.kind, entity));
        }
        "add_comment" if !d.has("message") => {
            d.set("message", defaults::comment(trigger.id));
        }
        _ => {}
    }
    // Every required field is filled or asked about.
    if d.questions.is_empty()
        && let Some(info) = catalog::action(d.kind)
    {
        for f in info.fields.iter().filter(|f| f.required) {
            if !d.has(f.name) {
                d.questions.push(format!(
                    "What should the {} of the \"{}\" action be? ({})",
                    f.name, d.kind, f.description
                ));
            }
        }
    }
}

fn recipient_questions_only(d: &mut Draft) {
    let who = d.who.clone();
    match d.kind {
        "send_notification" | "send_bitrix_message" if d.questions.is_empty() => {
            if let Some(q) = recipient_question(d, who.as_ref(), false) {
                d.questions.push(q);
            }
        }
        "send_whatsapp" | "send_sms" | "send_email" | "create_task" | "set_reminder"
        | "schedule_call" => {
            if let Some(Who::Vague(_)) = who
                && let Some(q) = recipient_question(d, who.as_ref(), true)
            {
                d.questions.push(q);
            }
        }
        _ => {}
    }
}

/// The question for a missing or vague recipient, if one is needed.
fn recipient_question(d: &Draft, who: Option<&Who>, client_ok: bool) -> Option<String> {
    let kind = d.kind;
    let what = noun_of(d);
    let verb = if matches!(kind, "create_task" | "set_reminder" | "schedule_call") {
        format!("Who should the {what} be assigned to?")
    } else {
        format!("Who should receive the {what}?")
    };
    match who {
        None => Some(format!(
            "{verb} For example \"to the manager\", \"to the sales team\" or a person's name."
        )),
        Some(Who::Vague(word)) => Some(format!(
            "{verb} \"{word}\" is too vague: name the client, the responsible manager, a team or a person."
        )),
        Some(Who::Client) if !client_ok => Some(format!(
            "{verb} A {what} goes to employees, not to the client; to reach the client, say WhatsApp, SMS or e-mail."
        )),
        _ => None,
    }
}

/// Sets `to` from who the text named, or asks.
fn set_to(d: &mut Draft, who: Option<Who>, ctx: &Ctx<'_>) {
    let client_ok = matches!(
        d.kind,
        "send_whatsapp" | "send_sms" | "send_email" | "schedule_call"
    );
    if let Some(q) = recipient_question(d, who.as_ref(), client_ok) {
        d.questions.push(q);
        return;
    }
    let value = match who {
        Some(Who::Client) => {
            let var = if d.kind == "send_email" {
                "CONTACT_EMAIL"
            } else {
                "CONTACT_PHONE"
            };
            if let Some(v) = variable(var, ctx) {
                v
            } else {
                d.questions.push(format!(
                    "A {} has no client {}; who should receive the {}?",
                    ctx.entity_label(),
                    if var == "CONTACT_EMAIL" {
                        "e-mail address"
                    } else {
                        "phone number"
                    },
                    noun(d.kind)
                ));
                return;
            }
        }
        Some(Who::Responsible) => "{{ASSIGNED_BY_ID}}".to_owned(),
        Some(Who::Named(name)) => name,
        Some(Who::Vague(_)) | None => return,
    };
    d.set("to", value);
}

/// Sets `assignee` from who the text named, or asks.
fn set_assignee(d: &mut Draft, who: Option<Who>, what: &str, ctx: &Ctx<'_>) {
    let value = match who {
        Some(Who::Responsible) => variable("ASSIGNED_BY_ID", ctx),
        Some(Who::Named(name)) => Some(name),
        Some(Who::Client) => {
            d.questions.push(format!(
                "Who should the {what} be assigned to? It must be an employee, such as the responsible manager, a team or a person, not the client."
            ));
            return;
        }
        Some(Who::Vague(word)) => {
            d.questions.push(format!(
                "Who should the {what} be assigned to? \"{word}\" is too vague: name the responsible manager, a team or a person."
            ));
            return;
        }
        None => {
            d.questions.push(format!(
                "Who should the {what} be assigned to? For example \"to the sales manager\" or \"to Anna\"."
            ));
            return;
        }
    };
    if let Some(v) = value {
        d.set("assignee", v);
    }
}

/// `{{NAME}}` if the trigger's entity supplies the variable (or no entity is known).
fn variable(name: &str, ctx: &Ctx<'_>) -> Option<String> {
    let ok = match ctx.entity() {
        Some(e) => catalog::variable(name).is_some_and(|v| v.expression_for(e).is_some()),
        None => true,
    };
    ok.then(|| format!("{{{{{name}}}}}"))
}

static SAYING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:saying|that\s+says|which\s+says|with\s+(?:the\s+)?(?:text|message|words|note|content)|reading|stating|telling\s+(?:them|him|her|the\s+\w+)(?:\s+that)?|that)\s+|:\s*",
    )
    .expect("valid regex")
});

/// The message of an instruction: a quote (not one of `used`), or the words after
/// "saying"/"that"/":".
fn message(clause: &Clause, ctx: &Ctx<'_>, used: &[usize]) -> Option<String> {
    if let Some(t) = quotes(clause)
        .into_iter()
        .find(|(i, _)| !used.contains(i))
        .and_then(|(i, _)| ctx.token(i))
        .filter(|t| t.kind == TokenKind::Quote)
    {
        return Some(t.text.clone());
    }
    let m = SAYING.find(&clause.lower)?;
    let rest = clause.orig.get(m.end()..)?.trim();
    let rest = rest.trim_end_matches(['.', '!', ',']).trim();
    (!rest.is_empty() && !rest.contains('\x01')).then(|| capitalize(rest))
}

/// The token indices in a clause, with their positions.
fn quotes(clause: &Clause) -> Vec<(usize, usize)> {
    TOKEN
        .captures_iter(&clause.lower)
        .filter_map(|c| {
            let i = c.get(1)?.as_str().parse().ok()?;
            Some((i, c.get(0)?.start()))
        })
        .collect()
}

fn quote_texts<'a>(clause: &Clause, ctx: &'a Ctx<'_>) -> Vec<(usize, usize, &'a Token)> {
    quotes(clause)
        .into_iter()
        .filter_map(|(i, at)| ctx.token(i).map(|t| (i, at, t)))
        .filter(|(_, _, t)| t.kind == TokenKind::Quote)
        .collect()
}

static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bsubject(?:\s+line)?(?:\s+of|\s+is)?\s*:?\s*").expect("valid regex")
});
static BODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:body|text|message|saying|content)(?:\s+of|\s+is)?\s*:?\s*")
        .expect("valid regex")
});
static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\btemplate\s*(?:id\s*|number\s*|no\.?\s*)?#?\s*(\d+)\b").expect("valid regex")
});

fn read_email(d: &mut Draft, clause: &Clause, ctx: &Ctx<'_>) {
    let quoted = quote_texts(clause, ctx);
    let mut used = Vec::new();
    if let Some(m) = SUBJECT.find(&clause.lower)
        && let Some((i, _, t)) = quoted
            .iter()
            .find(|(_, at, _)| *at >= m.end() && *at <= m.end() + 1)
    {
        d.set("subject", t.text.clone());
        used.push(*i);
    }
    if let Some(m) = BODY.find(&clause.lower)
        && let Some((i, _, t)) = quoted
            .iter()
            .find(|(i, at, _)| *at >= m.end() && *at <= m.end() + 1 && !used.contains(i))
    {
        d.set("body", t.text.clone());
        used.push(*i);
    }
    if !d.has("body")
        && let Some(m) = message(clause, ctx, &used)
    {
        d.set("body", m);
    }
    if let Some(c) = TEMPLATE.captures(&clause.lower) {
        d.set("template_id", &c[1]);
    }
}

static FLAVOUR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?P<review>review|post-?mortem|analysis)|(?P<follow>follow[- ]?up))\b")
        .expect("valid regex")
});

fn read_task(d: &mut Draft, clause: &Clause, ctx: &Ctx<'_>) {
    let quoted = quote_texts(clause, ctx);
    let mut used = Vec::new();
    if let Some(m) = DESCRIPTION.find(&clause.lower)
        && let Some((i, _, t)) = quoted
            .iter()
            .find(|(_, at, _)| *at >= m.end() && *at <= m.end() + 1)
    {
        d.set("description", t.text.clone());
        used.push(*i);
    }
    if let Some((_, _, t)) = quoted.iter().find(|(i, _, _)| !used.contains(i)) {
        d.set("title", t.text.clone());
    } else if let Some(t) = title(clause, ctx, false, used.is_empty()) {
        d.set("title", t);
    }
    if let Some(c) = FLAVOUR.captures(&clause.lower) {
        d.flavour = Some(if c.name("review").is_some() {
            "review"
        } else {
            "follow-up"
        });
    }
    if let Some(when) = when(&clause.lower) {
        d.set("deadline", when);
    }
    if let Some(p) = priority(&clause.lower) {
        d.set("priority", p);
    }
}

static DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:description|describing|details?|instructions?)(?:\s+of)?\s*:?\s*")
        .expect("valid regex")
});

static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:called|titled|named|entitled|with\s+(?:the\s+)?(?:title|name))\s+|:\s*")
        .expect("valid regex")
});

// A task or reminder phrased as what to do: "to call the client", "about the contract".
static TODO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bto\s+(?:call|check|review|prepare|send|contact|follow|verify|update|confirm|schedule|arrange|email|visit|meet|collect|chase|ask|request|discuss|get|make|find|book|sign|ship|deliver|process|reach|pay|approve|test|fix|write|draft|calculate|negotiate|welcome|thank|greet|onboard|qualify|research|reply|respond|answer|renew|offer|present|demo|pitch|close|order|invoice|bill|phone|ring|text|message|inform|notify|analy[sz]e|investigate|look|plan|organi[sz]e|set|create|add|record|log|document|clarify|double-check|sort|finish|complete|do|handle|resolve)\b")
        .expect("valid regex")
});
static ABOUT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:about|regarding|re:)\s+").expect("valid regex"));

const TITLE_STOPS: &[&str] = &[
    "tomorrow", "today", "within", "by", "due", "with", "urgently", "asap", "and", "then", "when",
    "if", "before", "after", "until", "next", "in", "for", "assigned", "urgent",
];

/// A title for a task or reminder written as words: "called X", "task: X", "to X",
/// and for reminders "about X".
fn title(clause: &Clause, ctx: &Ctx<'_>, about: bool, quotes_free: bool) -> Option<String> {
    if let Some(t) = quote_texts(clause, ctx).first().filter(|_| quotes_free) {
        return Some(t.2.text.clone());
    }
    let start = NAMED
        .find(&clause.lower)
        .map(|m| m.end())
        .or_else(|| TODO.find(&clause.lower).map(|m| m.start() + 3))
        .or_else(|| {
            about
                .then(|| ABOUT.find(&clause.lower).map(|m| m.end()))
                .flatten()
        })?;
    let phrase = words_until(clause, start, TITLE_STOPS);
    (!phrase.is_empty()).then(|| capitalize(&phrase))
}

/// Words from `start` until one of `stops` (the first word never stops).
fn words_until(clause: &Clause, start: usize, stops: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for w in words::words_from(clause, start) {
        let lower = w.text.to_ascii_lowercase();
        if w.text.contains('\x01') || (!out.is_empty() && stops.contains(&lower.as_str())) {
            break;
        }
        out.push(w.text);
    }
    out.join(" ")
}

/// A title from a quote or "called X", for records an action creates.
fn quoted_or_named(clause: &Clause, ctx: &Ctx<'_>) -> Option<String> {
    if let Some(t) = quote_texts(clause, ctx).first() {
        return Some(t.2.text.clone());
    }
    let m = NAMED.find(&clause.lower)?;
    let phrase = words_until(clause, m.end(), TITLE_STOPS);
    (!phrase.is_empty()).then_some(phrase)
}

// "set a low priority on it", "make it high priority".
static SET_PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:set|give|make)\s+(?:it\s+|the\s+task\s+)?(?:a\s+|an\s+)?(?P<level>low|normal|medium|high)(?:-|\s+)priority\b")
        .expect("valid regex")
});

static UPDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:set|update|change|fill(?:\s+in)?|modify|edit|populate|increase|decrease|raise|lower|mark)\s+(?:the\s+)?(?:(?:related\s+|linked\s+|associated\s+|parent\s+|original\s+|same\s+)?(?:deal|lead|task|contact|company|invoice|quote|record)(?:'s)?\s+)?(?:(?:its|their|his|her)\s+)?(?:(?:custom\s+)?field\s+)?(?P<field>\x01\d+\x02|[a-z0-9_][a-z0-9_ ]*?)(?:\s+field)?\s+(?:to|=|as|with|:|at)\s+",
    )
    .expect("valid regex")
});

const VALUE_STOPS: &[&str] = &["and", "then", "when", "if", "so", "but", "or"];

fn read_update(d: &mut Draft, clause: &Clause, ctx: &Ctx<'_>) {
    let what = match d.kind {
        "update_task" => "task",
        "update_deal" => "deal",
        _ => ctx.entity_label(),
    };
    if let Some(c) = SET_PRIORITY.captures(&clause.lower) {
        d.set("field", "PRIORITY");
        d.set("value", &c["level"]);
        return;
    }
    let Some(c) = UPDATE.captures(&clause.lower) else {
        d.questions.push(format!(
            "Which {what} field should be set, and to what value? For example \"set the source to 'Website'\"."
        ));
        return;
    };
    let field_raw = c.name("field").map_or("", |m| m.as_str());
    let field_words = match text_token(field_raw, ctx) {
        Some(t) => t,
        None => field_raw.to_owned(),
    };
    if let Some(f) = field_id(&field_words) {
        d.set("field", f);
    }
    let after = c.get(0).map_or(0, |m| m.end());
    let phrase = words::phrase_after(clause, after, VALUE_STOPS, 8);
    if let Some(t) = phrase.token.and_then(|i| ctx.token(i)) {
        d.set("value", t.text.clone());
    } else {
        let v = phrase.text();
        let v = v.trim_end_matches(['.', '!']);
        // "100%" on a number field is the number.
        let v = match v.strip_suffix('%') {
            Some(n) if n.trim().parse::<f64>().is_ok() => n.trim(),
            _ => v,
        };
        d.set("value", v);
    }
    if !d.has("field") || !d.has("value") {
        d.questions.push(format!(
            "Which {what} field should be set, and to what value? For example \"set the source to 'Website'\"."
        ));
    }
}

fn text_token(s: &str, ctx: &Ctx<'_>) -> Option<String> {
    let c = TOKEN.captures(s)?;
    let i: usize = c.get(1)?.as_str().parse().ok()?;
    ctx.token(i).map(|t| t.text.clone())
}

static TAG_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\btag(?:ged)?\s+(?:it|this|them|the\s+\w+)\s+(?:as|with)\s+|\btags?\s+(?:called\s+|named\s+|of\s+)?:?\s*")
        .expect("valid regex")
});
static TAG_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:a|an|the)\s+(?P<tag>[\w-]+(?:\s+[\w-]+)?)\s+tag\b").expect("valid regex")
});
const TAG_STOPS: &[&str] = &[
    "to", "from", "on", "for", "and", "then", "when", "if", "in", "at", "with", "it", "this",
    "them", "the", "a", "an",
];

fn tag(clause: &Clause, ctx: &Ctx<'_>) -> Option<String> {
    if let Some(t) = quote_texts(clause, ctx).first() {
        return Some(t.2.text.clone());
    }
    for m in TAG_AFTER.find_iter(&clause.lower) {
        let phrase = words::phrase_after(clause, m.end(), TAG_STOPS, 3);
        if !phrase.words.is_empty() {
            return Some(phrase.text());
        }
    }
    let c = TAG_BEFORE.captures(&clause.lower)?;
    let m = c.name("tag")?;
    let tag = clause.orig_at(m.range()).to_owned();
    (!["new", "same"].contains(&tag.to_ascii_lowercase().as_str())).then_some(tag)
}

static GET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bget\s+request\b|\b(?:via|using|with|method|http)\s+get\b").expect("valid regex")
});

fn read_webhook(d: &mut Draft, clause: &Clause, ctx: &Ctx<'_>) {
    let tokens: Vec<&Token> = quotes(clause)
        .into_iter()
        .filter_map(|(i, _)| ctx.token(i))
        .collect();
    match tokens.iter().find(|t| t.kind == TokenKind::Url) {
        Some(url) => d.set("url", url.text.clone()),
        None => d.questions.push(
            "Which URL should the webhook call? Give the full https:// address, e.g. \"post to https://example.com/hook\".".into(),
        ),
    }
    let upper_get = words::words_from(clause, 0).any(|w| w.text == "GET");
    d.set(
        "method",
        if upper_get || GET.is_match(&clause.lower) {
            "GET"
        } else {
            "POST"
        },
    );
    if let Some(q) = tokens.iter().find(|t| t.kind == TokenKind::Quote) {
        d.set("message", q.text.clone());
    }
}

static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?P<dat>day\s+after\s+tomorrow)\b|\b(?P<tomorrow>tomorrow|(?:the\s+)?(?:next|following)\s+(?:business\s+|working\s+)?day)\b|\b(?P<nextweek>next\s+week)\b|\b(?:in|within|after|due\s+in|for)\s+(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|thirty|a\s+couple\s+of)\s+(?:(?:business|working|calendar)\s+)?(?P<unit>hours?|days?|weeks?)\b|\b(?P<n2>\d+|one|two|three|four|five|six|seven|ten)[- ](?P<unit2>hour|day|week)s?\s+(?:deadline|later|from\s+now|after)\b",
    )
    .expect("valid regex")
});

/// A relative date-time such as `+1d` or `+3h` from "tomorrow", "in 3 days", ...
pub(super) fn when(lower: &str) -> Option<String> {
    let c = WHEN.captures(lower)?;
    if c.name("dat").is_some() {
        return Some("+2d".into());
    }
    if c.name("tomorrow").is_some() {
        return Some("+1d".into());
    }
    if c.name("nextweek").is_some() {
        return Some("+7d".into());
    }
    let (n, unit) = match (c.name("n"), c.name("unit"), c.name("n2"), c.name("unit2")) {
        (Some(n), Some(u), _, _) | (_, _, Some(n), Some(u)) => (n.as_str(), u.as_str()),
        _ => return None,
    };
    let n = if n.starts_with("a couple") {
        2
    } else {
        number(n)?
    };
    let (n, suffix) = match unit.trim_end_matches('s') {
        "hour" => (n, 'h'),
        "week" => (n.checked_mul(7)?, 'd'),
        _ => (n, 'd'),
    };
    Some(format!("+{n}{suffix}"))
}

static PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?P<high>urgent(?:ly)?|high[- ]priority|important|asap|critical|top[- ]priority|priority\s+high)\b|\b(?P<low>low[- ]priority|priority\s+low|not\s+urgent)\b|\b(?P<normal>normal[- ]priority|medium[- ]priority|priority\s+normal)\b",
    )
    .expect("valid regex")
});

/// `high`, `low` or `normal` if the text says so.
pub(super) fn priority(lower: &str) -> Option<&'static str> {
    let c = PRIORITY.captures(lower)?;
    if c.name("low").is_some() {
        Some("low")
    } else if c.name("normal").is_some() {
        Some("normal")
    } else {
        Some("high")
    }
}

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
