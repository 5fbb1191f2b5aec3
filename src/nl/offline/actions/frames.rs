//! Action frames: recognising what an instruction asks for, from its verb or a channel
//! noun ("whatsapp client", "task for manager" need no verb).
//!
//! Recognition is an ordered list of patterns, most specific first (tags before tasks,
//! a stage move before a field update, an explicit channel before a plain "message"); a
//! channel named after "by"/"via" overrides the verb, a URL with no channel noun is a
//! webhook, and "move/push" is a stage move only when its object is the record or its
//! stage.
//!
//! Invariant: every [`Kind::Action`] names a catalog action id.

use std::sync::LazyLock;

use regex::Regex;

use super::{Kind, P};
use crate::nl::offline::text::{Clause, TOKEN, Token, TokenKind};

pub(crate) static KINDS: LazyLock<Vec<(Kind, Regex)>> = LazyLock::new(|| {
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
                r"{P}(?:update|change|set|modify|edit|increase|decrease|raise|lower|bump)\s+(?:the\s+)?(?:related\s+|linked\s+|associated\s+|parent\s+)?deal(?:'s)?\b"
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
                r"\b(?:schedule|plan|book|arrange|organi[sz]e|set\s+up|add|create|log|make)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+)?(?:phone\s+)?call(?:-?back)?\b|^(?:a\s+)?(?:[\w-]+\s+)?(?:phone\s+)?call(?:-?back)?\s+(?:with|to|for)\b|{P}(?:call|phone|ring)\b|\bcall\s+(?:back\s+)?(?:the\s+)?(?:client|customer|contact|lead|them|him|her)\b"
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
            format!(r"{P}(?:set|update|change|fill|modify|edit|populate|increase|decrease|raise|lower|bump)\b"),
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

pub(crate) static CHANNEL_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:whats\s?app|sms|e-?mail|message|text|comment|note|chat|notif\w*)\b")
        .expect("valid regex")
});

/// Recognises what an instruction asks for.
pub(crate) fn kind(clause: &Clause, tokens: &[Token]) -> Option<Kind> {
    let lower = &clause.lower;
    let has_url = TOKEN.captures_iter(lower).any(|c| {
        c.get(1)
            .and_then(|i| i.as_str().parse::<usize>().ok())
            .and_then(|i| tokens.get(i))
            .is_some_and(|t| t.kind == TokenKind::Url)
    });
    // "post the deal to https://..." is a webhook even without the word; so is a URL that
    // is the verb's object or destination ("call https://...", "send it to https://...
    // with the message 'x'"), whatever else the clause names.
    if has_url
        && (!CHANNEL_NOUN.is_match(&strip_tokens(lower))
            || URL_OBJECT.captures(lower).is_some_and(|c| {
                c.get(1)
                    .and_then(|i| i.as_str().parse::<usize>().ok())
                    .and_then(|i| tokens.get(i))
                    .is_some_and(|t| t.kind == TokenKind::Url)
            }))
    {
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

pub(crate) // A URL right after a verb that sends or calls, or after its object and "to"/"at".
static URL_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{P}(?:call|hit|ping|post|send|push|sync|forward|submit|fire|trigger|copy|export|report|pass)\s+(?:(?:it|this|that|them|everything|all|the\s+[\w-]+(?:\s+[\w-]+)?|its\s+[\w-]+)\s+)?(?:(?:over\s+)?(?:to|at|on)\s+)?\x01(\d+)\x02"
    ))
    .expect("valid regex")
});

static MOVE_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"{P}(?:move|shift|advance|push|progress)\b")).expect("valid regex")
});

// What a stage move's verb may take as its object: the record (a pronoun or a record
// noun), its stage, or nothing before "to"/"forward" ("move to Won", "move forward").
pub(crate) static MOVE_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{P}(?:move|shift|advance|push|progress)\s+(?:(?:out|back|forward|ahead|along|on|up)\b\s*)?(?:$|(?:in)?to\b|forward\b|(?:it|this|that|them|these|those)\b|(?:the\s+|this\s+|that\s+|our\s+|their\s+|its\s+)?(?:[\w-]+\s+)?(?:deals?|leads?|opportunit(?:y|ies)|records?|cards?|contacts?|compan(?:y|ies)|invoices?|quotes?|stages?|status|column|pipeline)\b)"
    ))
    .expect("valid regex")
});

pub(crate) static VIA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"{P}(?:notify|tell|inform|alert|remind|message|contact|thank|congratulate|welcome|greet|send|ping|let|write\s+to)\b.*\b(?:by|via|through|over|using|on|in)\s+(?:an?\s+|the\s+)?(?P<channel>e-?mail|mail|sms|text\s+message|text|whats\s?app|chat|messenger)\b"
    ))
    .expect("valid regex")
});

pub(crate) fn strip_tokens(s: &str) -> String {
    TOKEN.replace_all(s, " ").into_owned()
}
