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

use crate::nl::offline::text::{Gated, pattern};

use super::{Kind, P};
use crate::nl::offline::text::{Clause, TOKEN, Token, TokenKind};

pub(crate) static KINDS: LazyLock<Gated<Kind>> = LazyLock::new(|| {
    let a = Kind::Action;
    let raw: Vec<(Kind, String)> = vec![
        (
            a("remove_tag"),
            r"\b(?:remove|delete|drop|clear|strip|take\s+off|detach|get\s+rid\s+of)\b.*\b(?:tags?|labels?)\b|\b(?:untag|unlabel)\b|\b(?:take|strip)\b.*\b(?:tags?|labels?)\b.*\b(?:off|away)\b".into(),
        ),
        (
            a("add_tag"),
            format!(
                r"\b(?:add|put|apply|attach|set|assign|give|append)\b.*\b(?:tags?|labels?)\b|{P}(?:tag|label)\b|\b(?:tag|label)\s+(?:it|this|them|the\s+\w+)\b|^(?:and\s+|also\s+|then\s+|plus\s+|with\s+)?(?:a\s+|an\s+|the\s+)?(?:tag|label)\s*:?\s*\x01\d+\x02$"
            ),
        ),
        (
            a("webhook"),
            r"\bweb\s?-?hooks?\b|\bhttp\s+(?:post\s+|get\s+)?request\b|\b(?:post|get)\s+request\b|\bapi\b|\bendpoint\b|\bzapier\b|\bn8n\b".into(),
        ),
        // "set the owner to Anna" changes the owner; "set the owner a reminder" gives
        // the owner something (the branch stops before "a"/"an").
        (
            a("assign_responsible"),
            format!(
                r"{P}(?:change|set|update|switch)\s+(?:the\s+)?(?:responsible|owner|assignee)(?:\s*$|[^\w\s]|\s+(?:[^a\s]|a[^n\s]|an\S))|{P}put\s+(?:(?:[\w'-]+\s+){{1,3}}as\s+(?:the\s+)?|as\s+(?:the\s+)?|the\s+)responsible\b|^(?:and\s+)?(?:the\s+|new\s+)?(?:responsible(?:\s+person)?|owner|assignee)\s+(?:is|will\s+be|should\s+be|becomes|=|:)\s|\bmake\s+.+\s+responsible(?:\s+for\s+(?:it|this|them|the\s+\w+))?\s*[.!]?$|{P}(?:re-?assign|hand\s+(?:it\s+|this\s+|them\s+|the\s+\w+\s+)?over|transfer\s+(?:it|this|them|the\s+(?:deal|lead|record|contact|company|quote|invoice))\s+to)\b|{P}(?:give|pass|hand|route)\s+(?:it|this|them|(?:(?:the|this)\s+)?(?:deal|lead|record|contact|company|quote|invoice|client|customer))\s+(?:on\s+|over\s+|along\s+|off\s+)?to\b|{P}make\s+(?:(?:[b-eg-z][\w-]*|a[\w-]+|f[a-np-z][\w-]*|fo[a-qs-z][\w-]*|for[\w-]+|f|fo)\s+){{1,3}}(?:the\s+)?(?:new\s+)?(?:owner|assignee|responsible\s+(?:person|manager|employee))\b"
            ),
        ),
        // The object decides: "move its deadline" moves a date, never the record.
        (
            Kind::Deadline,
            format!(
                r"{P}(?:move|shift|push|postpone|delay|extend|defer|reschedule|bring)\s+(?:out\s+|back\s+|forward\s+)?(?:the\s+|its\s+|their\s+|this\s+|that\s+)?(?:(?:related\s+|linked\s+)?(?:task|to-?do|deal|lead|record)(?:'s)?\s+)?(?:deadline|due\s+date|due\s+time|end\s+date|close\s+date|closing\s+date)\b|{P}(?:set|change)\s+(?:the\s+|its\s+|their\s+)?(?:task(?:'s)?\s+)?(?:deadline|due\s+date)\b|{P}(?:get|give\s+(?:it|them))\s+a\s+deadline\b"
            ),
        ),
        (
            a("update_task"),
            format!(
                r"{P}(?:update|change|set|modify|edit|mark)\s+(?:the\s+)?(?:related\s+|linked\s+|original\s+|same\s+)?task(?:'s)?\b"
            ),
        ),
        // "set the Invoice status field to 'Ready to bill'": a field whose name ends in
        // "status", called a field, is written like any other field, not a stage move.
        (
            a("update_field"),
            format!(
                r"{P}(?:set|update|change|fill(?:\s+in)?)\s+(?:the\s+|its\s+)?(?:[\w-]+\s+){{1,3}}(?:stage|status)\s+field\s+(?:to|=|as|with)\b"
            ),
        ),
        (
            a("move_stage"),
            format!(
                r"{P}(?:move|shift|advance|push|progress)\b|{P}(?:change|set|update|switch|put|bring|send|bump|drop|take|pass)\b.*\b(?:stage|status|column)\b|{P}mark\s+(?:it|this|them|the\s+\w+)\s+as\s+(?:won|lost|successful|failed|closed)\b|^(?:straight\s+|directly\s+|then\s+|and\s+)*(?:in)?to\s+(?:the\s+)?(?:\x01\d+\x02|[\w-]+(?:\s+[\w-]+)?)\s+(?:stage|status|column)$|{P}(?:(?:should|must|will)\s+)?(?:jump|go|skip|drop|land)\s+(?:it\s+)?(?:straight\s+|directly\s+|back\s+)?(?:in)?to\s+(?:the\s+)?(?:\x01\d+\x02|[\w-]+(?:\s+[\w-]+)?)\s+(?:stage|status|column)\b"
            ),
        ),
        (
            a("update_deal"),
            format!(
                r"{P}(?:update|change|set|modify|edit|increase|decrease|raise|lower|bump|stamp|mark|fill(?:\s+in)?|rename)\s+(?:(?:in|on)\s+)?(?:the\s+)?(?:related\s+|linked\s+|associated\s+|parent\s+)?deal(?:'s)?\b|{P}(?:set|update|change|fill(?:\s+in)?|mark)\s+(?:the\s+)?(?:[\w-]+\s+){{1,4}}?(?:field\s+)?(?:on|of|in)\s+(?:the\s+)?(?:related\s+|linked\s+|associated\s+|parent\s+)?deal\s+(?:to|=|as)\s"
            ),
        ),
        (
            a("set_reminder"),
            format!(
                r"{P}(?:remind|nudge|chase)\b(?:.*\breminder\b|\s+(?:the\s+|our\s+|their\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:to|about|in|tomorrow|within)\b)|{P}remind\b|{P}(?:set|set\s+up|create|add|schedule|make|organi[sz]e|arrange)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+)?reminder\b|{P}(?:set|give|schedule)\s+(?:the\s+|our\s+|their\s+)?(?:[\w-]+\s+){{1,3}}(?:a|an)\s+(?:[\w-]+\s+)?reminder\b"
            ),
        ),
        (
            a("add_comment"),
            format!(
                r"{P}(?:add|leave|write|post|log|put|record|make|pin|drop|jot(?:\s+down)?|attach|enter)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+)?(?:comment|note|remark)s?\b|{P}comment\b|{P}note\s+(?:down\s+)?\x01\d+\x02|{P}(?:add|write|post|log|put|drop|pin|record|enter)\b.*\b(?:on|to|in|into)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+(?:'s)?\s+)?(?:timeline|feed|activity\s+(?:stream|feed|log))\b|^(?:a\s+|an\s+)?(?:[\w-]+\s+)?(?:comment|note|remark)\s*:?\s*\x01\d+\x02$|^(?:and\s+|also\s+|plus\s+|then\s+)?(?:a\s+|an\s+)?(?:[\w-]+\s+)?(?:comment|note|remark)\s+(?:on|in|to)\s+(?:the\s+|its\s+)?(?:timeline|feed|record)(?:\s*:?\s*\x01\d+\x02)?$|{P}(?:add|write|post|log|put|drop|pin|record|enter|leave)\b.*\b(?:in|into|on|under)\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+(?:'s)?\s+)?(?:comments|comment\s+section|notes\s+section)\b"
            ),
        ),
        (
            a("create_task"),
            format!(
                r"{P}(?:create|add|make|set\s+up|open|generate|schedule|start|raise|put|give|assign|plan|spin\s+up|spawn|log|book|kick\s+off|fire\s+off)\b.*\b(?:tasks?|to-?dos?)\b|{P}set\s+(?:(?:the\s+)?[a-z][\w'-]*\s+)?(?:a|an)\s+(?:[\w-]+\s+)?(?:task|to-?do)\b"
            ),
        ),
        // "stage 'Onboarding'": a stage move, without a verb.
        (
            a("move_stage"),
            r"^(?:(?:in)?to\s+)?(?:the\s+)?(?:stage|status)\s*(?:to\s+|:\s*|=\s*)?\x01\d+\x02$".into(),
        ),
        // "task for the accounts team to call them": a task, whatever it is about.
        (
            a("create_task"),
            // "task Tom to call them": "task" as the verb, before whose it is and "to".
            format!(
                r"^(?:a\s+|an\s+|new\s+)?(?:[\w-]+\s+)?(?:tasks?|to-?dos?)\s+(?:for|to)\b|{}",
                super::TASK_SOMEONE
            ),
        ),
        // "reminder for her tomorrow to ring the client": a reminder, whatever it is about,
        // like a task named first ("e-mail reminder to the client" is an e-mail).
        (
            a("set_reminder"),
            r"^(?:a\s+|an\s+|new\s+)?reminders?\s+(?:for|to)\b".into(),
        ),
        (
            a("schedule_call"),
            format!(
                r"\b(?:schedule|plan|book(?:\s+in)?|arrange|organi[sz]e|set\s+up|add|create|log|make|pencil\s+in)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+){{0,2}}(?:phone\s+)?call(?:-?back)?\b|{P}(?:give|book|schedule|arrange)\s+(?:the\s+|our\s+|their\s+)?(?:[\w-]+\s+){{1,3}}(?:a|an)\s+(?:[\w-]+\s+)?(?:phone\s+)?(?:call|ring|buzz)\b|{P}(?:put|pencil|pop)\s+(?:in\s+)?(?:a|an)\s+(?:[\w-]+\s+)?(?:phone\s+)?call\b|{P}(?:follow\s+up|check\s+in|reach\s+out)\b.*\b(?:by|over\s+the|via|on\s+the)\s+(?:phone|telephone)\b|^(?:a\s+)?(?:[\w-]+\s+)?(?:phone\s+)?call(?:-?back)?\s+(?:with|to|for)\b|{P}(?:call|phone|ring)\b|\b(?:call|phone|ring)\s+(?:back\s+)?(?:the\s+)?(?:client|customer|contact|lead|prospect|buyer|them|him|her)\b"
            ),
        ),
        (
            a("create_task"),
            format!(r"{P}(?:create|add|make|set\s+up|schedule|plan|open)\s+(?:a\s+|an\s+)?follow-?ups?\b"),
        ),
        (
            a("create_deal"),
            format!(r"{P}(?:create|add|make|open|start|generate|register|set\s+up|spin\s+up|draw\s+up|put\s+together|produce)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?deals?\b|{P}convert\s+(?:it|this|the\s+\w+)\s+(?:in)?to\s+a\s+deal\b"),
        ),
        (
            a("create_contact"),
            format!(r"{P}(?:create|add|make|register|set\s+up|save|spin\s+up|open)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?contacts?\b"),
        ),
        (
            a("create_company"),
            format!(r"{P}(?:create|add|make|register|set\s+up|save|spin\s+up|open)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?(?:company|companies|organi[sz]ation)\b"),
        ),
        (
            a("create_invoice"),
            format!(r"{P}(?:create|add|make|generate|issue|raise|prepare|draft|set\s+up|organi[sz]e|draw\s+up|spin\s+up|put\s+together|produce)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?invoices?\b|{P}(?:bill|invoice)\s+(?:the\s+)?(?:client|customer|contact|company|buyer|them|him|her)\b"),
        ),
        (
            a("create_quote"),
            format!(r"{P}(?:create|add|make|generate|issue|prepare|draft|set\s+up|draw\s+up|spin\s+up|put\s+together|produce|raise|write\s+up)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:[\w-]+\s+)?(?:quotes?|quotations?|proposals?|estimates?|offers?)\b"),
        ),
        (
            a("update_field"),
            format!(r"{P}(?:set|update|change|fill|modify|edit|populate|increase|decrease|raise|lower|bump|rename|retitle)\b|{P}(?:mark|stamp|flag|write|put|enter|record|store|save)\b.*\bfield\b|{P}(?:mark|make|flag)\s+(?:it|this|the\s+task)\s+(?:as\s+)?(?:a\s+)?(?:low|normal|medium|high|top|urgent)[- ]priority\b|^(?:should\s+|must\s+|will\s+)?(?:be|stay|start\s+(?:at|as|with|on)|get|gets|have)\s+(?:a\s+|an\s+)?(?:low|normal|medium|high|top|urgent)[- ]priority$|{P}(?:stamp|mark|flag)\s+(?:the\s+|its\s+)?(?:[\w']+\s+)?uf_\w+"),
        ),
        (a("send_whatsapp"), r"\bwhats\s?app\b".into()),
        (
            a("send_sms"),
            format!(r"\bsms\b|\btext\s+message\b|\bsend\s+(?:a\s+|an\s+)?text\b|{P}text\b|\b(?:a|an)\s+(?:[\w-]+\s+)?text\b(?:\s*$|\s*:|\s+(?:saying|to|with|about|reminding|confirming|\x01))"),
        ),
        (a("send_email"), r"\be-?mails?\b|\bmail\b|\bletter\b".into()),
        (a("assign_responsible"), format!(r"{P}assign\b")),
        (
            a("send_notification"),
            format!(r"\bnotif(?:y|ies|ication|ications)\b|\balert\b|\bbell\b|{P}(?:inform|tell|warn|escalate|let)\b"),
        ),
        (
            a("send_bitrix_message"),
            // "Bitrix to warehouse 'Prepare the kit'": the messenger named as the verb.
            r"\bchat\b|^(?:please\s+|also\s+|then\s+|and\s+|just\s+)*ping\b|\bbitrix\s*(?:24)?\s*message|\binternal\s+message|\bmessenger\b|\bchannel\b|^(?:and\s+|also\s+|then\s+|plus\s+)?bitrix\s*(?:24)?\s+(?:to|for)\s+\S".into(),
        ),
        (
            Kind::Message,
            format!(r"\bmessages?\b|\bmsgs?\b|{P}(?:write|message|congratulate|thank|welcome|greet)\b|{P}send\s+(?:a\s+|an\s+|our\s+)?(?:[\w-]+\s+)?(?:note|greeting|thanks|thank[- ]you|welcome|congratulations|update|reply)\b"),
        ),
        // "reminder for the manager in 3 days": a reminder, without a verb (after the channels: "an
        // e-mail reminder to the client" is an e-mail).
        (
            a("set_reminder"),
            r"^(?:a\s+|an\s+|new\s+)?(?:[\w-]+\s+)?reminders?\s+(?:for|to)\b".into(),
        ),
        // A task named with no verb before it ("with a follow-up task for Anna"); a verb
        // b24flow does not know ("close all open tasks") is asked about, never a new task.
        // Tasks in the plural with a verb of their own are a statement: "tasks slip quite
        // a bit here".
        (
            a("create_task"),
            r"^(?:and\s+|also\s+|then\s+|plus\s+|with\s+)?(?:a\s+|an\s+|one\s+|new\s+|another\s+|the\s+)?(?:[\w-]+\s+){0,2}(?:(?:task|to-?do)\b|(?:tasks|to-?dos)(?:\s*$|\s*[:(]|\s+(?:for|to|due|in|by|on|with|about|and|\x01)\b))".into(),
        ),
    ];
    Gated::new(raw).expect("valid action regex")
});

pub(crate) static CHANNEL_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:whats\s?app|sms|e-?mail|message|text|comment|note|chat|notif\w*)\b")
        .expect("valid regex")
});

/// Recognises what an instruction asks for.
pub(crate) fn kind(clause: &Clause, tokens: &[Token]) -> Option<Kind> {
    // Of the tokens, `read_kind` only asks which are links: that, the token count and
    // the clause's words decide its answer.
    if tokens.len() > 64 {
        return read_kind(clause, tokens);
    }
    let links = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == TokenKind::Url)
        .fold(0u64, |bits, (i, _)| bits | 1 << i);
    let key = (links, tokens.len());
    let seen = KINDS_READ.with_borrow(|read| {
        read.iter()
            .find(|(k, lower, _)| *k == key && *lower == clause.lower)
            .map(|(_, _, kind)| *kind)
    });
    if let Some(kind) = seen {
        return kind;
    }
    let kind = read_kind(clause, tokens);
    KINDS_READ.with_borrow_mut(|read| read.push((key, clause.lower.clone(), kind)));
    kind
}

/// A kind read: (which tokens are links, how many tokens), the clause's words, the kind.
type KindRead = ((u64, usize), String, Option<Kind>);

thread_local! {
    /// The kinds read during the current parse, by the clause's words and which of the
    /// tokens are links (with how many tokens there are). The same clause is asked
    /// about several times (as a heading, as an order, beside the event): on 12ap, 444
    /// calls asked about 168 clauses.
    static KINDS_READ: std::cell::RefCell<Vec<KindRead>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Forgets the kinds read: called as each parse starts and ends, so the list stays as
/// short as one description's clauses.
pub(crate) fn forget_kinds() {
    KINDS_READ.with_borrow_mut(Vec::clear);
}

// Post ("post a letter", "post the client a card", "mail them a handwritten card", "a
// signed hard copy", first-class, recorded, by a named carrier, "by Nova Poshta letter",
// "by Kazpost", an official letter with a stamp and signature),
// courier and fax: channels on paper.
static PAPER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?:by|via|through|in\s+the)\s+(?:post|snail\s*mail|courier|registered\s+(?:mail|post)|fax)|(?:by|via)\s+(?:regular|physical|postal)\s+mail|(?:first|second)[\s-]class\s+(?:mail|post)|(?:by|via)\s+(?:recorded|signed[\s-]for|certified)\s+(?:mail|post|delivery)|(?:by|via)\s+(?:royal\s+mail|usps|ups|dhl|fedex)|(?:by|via)\s+(?:[a-z]+\s+)?[a-z]*(?:post|posta|poshta|pochta|poczta)\b|(?:official|formal|signed|stamped|paper)\s+letters?|stamp\s+and\s+(?:a\s+)?signature|(?:by|via)\s+(?:[a-z]+\s+){1,2}letter\b|(?:^|[^\w-])(?:post|mail)(?:ed|s)?\s+(?:(?:them|him|her|(?:the|our|each|every)\s+[a-z]+)\s+)?(?:a|an|the|our|their)\s+(?:[\w-]+\s+){0,2}(?:letter|card|postcard|brochure|pack|parcel|package|catalogue|catalog|cheque)s?\b|hand-?written|(?:hard|paper|printed|physical)\s+cop(?:y|ies)|print-?outs?|fax(?:es|ed)?)\b")
        .expect("valid regex")
});

// A call or message from the author's own phone ("call them from my personal cell",
// "text the client from my mobile", "get Tom to ring them from his personal mobile"):
// not a channel the portal has. The client's own ("on their mobile") is the record's
// phone.
static OWN_PHONE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?:from|using|with|via)\s+(?:my|our|your)|from\s+(?:his|her|their))\s+(?:own\s+)?(?:(?:personal|private|work)\s+)?(?:cell|mobile|phone|number|whats\s?app)\b")
        .expect("valid regex")
});

/// Whether the words before an act are a task or a reminder given to someone to do it:
/// "a task for the owner to", "remind Keith to".
fn task_to_do(before: &str) -> bool {
    ["task", "to-do", "todo", "remind"].iter().any(|w| {
        before.find(w).is_some_and(|at| {
            let after = &before[at..];
            after.contains(" to ") || after.trim_end().ends_with(" to")
        })
    })
}

/// [`kind`], read.
fn read_kind(clause: &Clause, tokens: &[Token]) -> Option<Kind> {
    let lower = &clause.lower;
    // Without a link among the tokens no marker in the clause can be one: the search is
    // skipped for most clauses.
    let has_url = tokens.iter().any(|t| t.kind == TokenKind::Url)
        && TOKEN.captures_iter(lower).any(|c| {
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
    // "mail them our brochure by post", "fax the price list": paper goes by no channel a
    // workflow has, whatever the verb; the clause is asked about. Not what a person is
    // given to do: "create a task for Anna to post the welcome pack".
    if let Some(m) = PAPER.find(lower).or_else(|| OWN_PHONE.find(lower))
        && !task_to_do(&lower[..m.start()])
    {
        return None;
    }
    // "notify the manager by email", "thank the client via SMS": the channel named
    // after "by"/"via" decides, not the verb.
    if let Some(c) = VIA.captures(lower) {
        let ch = c.name("channel").map_or("", |m| m.as_str());
        // "on Bitrix", "in Bitrix chat", "with a Bitrix message": its messenger; so is
        // "with a ping".
        let messenger = ch.starts_with("bitrix")
            || ch == "ping"
            || ch.starts_with("internal")
            || ch.ends_with("chat")
            || ch.ends_with("messenger");
        // "with the text: ..." is what is sent, not how.
        let with = c.name("prep").is_some_and(|p| p.as_str() == "with");
        if !with || messenger {
            // A notification "on Bitrix24" is still the bell.
            let bare_bitrix = ch
                .split_whitespace()
                .last()
                .is_some_and(|w| w.starts_with("bitrix") || w == "24");
            let id = match ch {
                "whatsapp" | "whats app" => "send_whatsapp",
                "sms" | "text" | "text message" => "send_sms",
                _ if bare_bitrix && NOTIFY_WORD.is_match(lower) => "send_notification",
                _ if messenger => "send_bitrix_message",
                _ => "send_email",
            };
            return Some(Kind::Action(id));
        }
    }
    // "verify the client's email", "delete the task": an order whose verb b24flow does not
    // know is not the action its object names; it is asked about.
    if unknown_verb(lower) {
        return None;
    }
    // "update the deal's Sync Status to 'pending'": a status with a name of its own is a
    // field, not the record's stage; the frames after the stage move read it.
    // "move it to the IN_PROCESS status" names the stage it goes to, not a field.
    // "the deal's Quote status" on a quote: a record's word after an owner's "'s" names
    // a field of that owner, not the stage of the record it names.
    // "set the Status Note field to 'reviewed'": a field whose name holds the word is
    // that field too.
    // "set Quote Status on the deal to Accepted": a status said to be on another record
    // than the one its first word names is a field of that record.
    let named_status = STATUS_FIELD.is_match(lower)
        || lower.contains(" on the ")
            && STATUS_ON
                .captures(lower)
                .is_some_and(|c| c[1].trim_end_matches("'s") != &c[2])
        || !TO_STATUS.is_match(lower)
            && NAMED_STATUS
                .captures(lower)
                .and_then(|c| c.get(1))
                .is_some_and(|m| {
                    !STAGE_OWNERS.contains(&m.as_str())
                        || lower[..m.start()].trim_end().ends_with("'s")
                });
    let found = KINDS
        .candidates(lower)
        .find(|(k, re)| re.is_match(lower) && !(named_status && **k == Kind::Action("move_stage")))
        .map(|(k, _)| *k)?;
    // "delete the task", "remove the to-do": a verb that undoes or changes is no new task.
    if found == Kind::Action("create_task")
        && lower.split_whitespace().next().is_some_and(|w| {
            [
                "delete", "remove", "drop", "clear", "strip", "take", "detach", "cancel", "close",
                "complete", "finish", "reopen", "move", "shift", "push", "edit", "modify",
                "change", "update", "mark", "copy", "forward", "export", "sync",
            ]
            .contains(&w)
        })
    {
        return None;
    }
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
    pattern(&format!(
        r"{P}(?:call|hit|ping|post|send|push|sync|forward|submit|fire|trigger|copy|export|report|pass)\s+(?:(?:it|this|that|them|everything|all|the\s+[\w-]+(?:\s+[\w-]+)?|its\s+[\w-]+)\s+)?(?:(?:over\s+)?(?:to|at|on)\s+)?\x01(\d+)\x02"
    ))
    .expect("valid regex")
});

// The word before "status": a name of its own ("Sync Status") or the record's.
static NAMED_STATUS: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b([\w'-]+)\s+status\b").expect("valid regex"));

// "Quote Status on the deal": the word before "status", and the record it is on.
static STATUS_ON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b([\w'-]+)\s+status\s+(?:field\s+)?on\s+the\s+(deal|lead|contact|company)\b")
        .expect("valid regex")
});

// "the Status Note field", "the Stage Comment field", "the Quote Status field": a field
// named with the word; "the field Invoice Status": a status the text calls a field.
static STATUS_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:stage|status)\s+[\w'-]+(?:\s+[\w'-]+)?\s+field\b|\bfield\s+(?:called\s+|named\s+)?[\w'-]+\s+(?:stage|status)\b|\b[\w'-]+\s+(?:stage|status)\s+field\b").expect("valid regex")
});

// A stage named as where the record goes: "to the IN_PROCESS status".
static TO_STATUS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:to|into)\s+(?:the\s+)?[\w'-]+\s+status\b").expect("valid regex")
});

// Words before "status" that mean the record's own stage or status.
const STAGE_OWNERS: &[&str] = &[
    "the",
    "its",
    "their",
    "a",
    "new",
    "current",
    "deal",
    "deal's",
    "lead",
    "lead's",
    "record",
    "record's",
    "quote",
    "quote's",
    "invoice",
    "invoice's",
    "pipeline",
    "next",
    "same",
    "this",
    "that",
    "to",
    "in",
    "into",
    "and",
    "or",
    "of",
    "his",
    "her",
];

static MOVE_VERB: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(r"{P}(?:move|shift|advance|push|progress)\b")).expect("valid regex")
});

// What a stage move's verb may take as its object: the record (a pronoun or a record
// noun), its stage, or nothing before "to"/"forward" ("move to Won", "move forward").
// The record moved may be named by the team's word for a deal ("move the gift to
// Stewardship", "move the order to Shipped"); not a booking, which may be a meeting
// moved to another day.
pub(crate) static MOVE_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"{P}(?:move|shift|advance|push|progress)\s+(?:(?:out|back|forward|ahead|along|on|up)\b\s*)?(?:$|(?:in)?to\b|forward\b|(?:it|this|that|them|these|those)\b|(?:the\s+|this\s+|that\s+|our\s+|their\s+|its\s+)?(?:[\w-]+\s+)?(?:deals?|leads?|opportunit(?:y|ies)|records?|cards?|contacts?|compan(?:y|ies)|invoices?|quotes?|stages?|status|column|pipeline|orders?|tenders?|contracts?|renewals?|donations?|pledges?|gifts?|sponsorships?)\b)"
    ))
    .expect("valid regex")
});

// A bell notification asked for by name: "notify", "notification", "alert".
static NOTIFY_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bnotif(?:y|ies|ied|ication|ications)\b|\balert\b").expect("valid regex")
});

pub(crate) static VIA: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"{P}(?:notify|tell|inform|alert|remind|message|contact|thank|congratulate|welcome|greet|send|ping|let|write\s+to)\b.*\b(?P<prep>by|via|through|over|using|on|in|with)\s+(?:an?\s+|the\s+)?(?P<channel>e-?mail|mail|sms|text\s+message|text|whats\s?app|(?:(?:internal|bitrix\s*(?:24)?)\s+)?(?:chat|messenger)|bitrix\s*(?:24)?(?:\s+(?:im|message))?|ping)\b"
    ))
    .expect("valid regex")
});

// Every verb an action frame above is written with, and the verbs people put before
// them ("get the manager to call", "have Anna ...", "kick off", "loop in").
const KNOWN_VERBS: &[&str] = &[
    "remove",
    "delete",
    "drop",
    "clear",
    "strip",
    "take",
    "detach",
    "get",
    "untag",
    "unlabel",
    "add",
    "put",
    "apply",
    "attach",
    "set",
    "assign",
    "give",
    "append",
    "tag",
    "label",
    "re-assign",
    "reassign",
    "hand",
    "transfer",
    "pass",
    "route",
    "make",
    "change",
    "update",
    "switch",
    "move",
    "shift",
    "push",
    "postpone",
    "delay",
    "extend",
    "defer",
    "reschedule",
    "bring",
    "mark",
    "advance",
    "progress",
    "modify",
    "edit",
    "increase",
    "decrease",
    "raise",
    "lower",
    "bump",
    "stamp",
    "fill",
    "remind",
    "nudge",
    "chase",
    "schedule",
    "create",
    "leave",
    "write",
    "spawn",
    "post",
    "log",
    "record",
    "pin",
    "jot",
    "enter",
    "comment",
    "note",
    "open",
    "generate",
    "start",
    "plan",
    "spin",
    "book",
    "arrange",
    "organise",
    "organize",
    "call",
    "phone",
    "ring",
    "pencil",
    "pop",
    "convert",
    "register",
    "save",
    "issue",
    "prepare",
    "draft",
    "draw",
    "produce",
    "bill",
    "invoice",
    "populate",
    "flag",
    "store",
    "rename",
    "retitle",
    "whatsapp",
    "sms",
    "text",
    "email",
    "e-mail",
    "mail",
    "notify",
    "alert",
    "inform",
    "tell",
    "warn",
    "escalate",
    "let",
    "ping",
    "message",
    "congratulate",
    "thank",
    "welcome",
    "greet",
    "send",
    "shoot",
    "fire",
    "have",
    "kick",
    "loop",
    "ask",
    "sync",
    "forward",
    "submit",
    "export",
    "hit",
    "trigger",
    "copy",
    "report",
    "assign",
    "file",
    "reply",
    "respond",
    "contact",
    "reach",
    "follow",
    "do",
    "please",
    "also",
    "then",
    "and",
    "just",
    "automatically",
    "immediately",
    "plus",
    "with",
    "straight",
    "directly",
    "new",
    "chat",
    "webhook",
    "an",
    "a",
    "the",
    "to",
    "into",
    "in",
    "for",
    "ensure",
    "auto",
    "fire",
    // "task the owner 'Chase PO'": "task" as the verb that gives someone one.
    "task",
];

/// Whether an instruction starts with a verb b24flow does not know, taking an object
/// ("verify the client's email"): the first word is unknown and a determiner or a
/// pronoun follows it.
fn unknown_verb(lower: &str) -> bool {
    let mut ws = lower.split_whitespace();
    let (Some(first), Some(second)) = (ws.next(), ws.next()) else {
        return false;
    };
    let first = first.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
    !first.is_empty()
        && first.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !KNOWN_VERBS.contains(&first)
        && [
            "the", "a", "an", "its", "their", "his", "her", "our", "your", "this", "that", "these",
            "those", "it", "them", "him", "all", "any", "every",
        ]
        .contains(&second)
}

pub(crate) fn strip_tokens(s: &str) -> String {
    // Most clauses hold no token: a copy, without a regex pass.
    if !s.contains('\x01') {
        return s.to_owned();
    }
    TOKEN.replace_all(s, " ").into_owned()
}

/// Every action frame that matches `lower` is tried on it.
#[cfg(test)]
pub(in crate::nl::offline) fn assert_gated(lower: &str) {
    crate::nl::offline::text::assert_complete(&KINDS, lower);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kind remembered for a clause is not given for the same words read with other
    /// tokens: "send it to <token>" is a webhook when the token is a link, and not when
    /// it is a quote.
    #[test]
    fn a_kind_read_is_remembered_only_for_the_same_tokens() {
        let clause = Clause::new("send it to \x010\x02");
        let token = |kind| Token {
            kind,
            text: "https://example.com/hook".to_owned(),
        };
        forget_kinds();
        let link = kind(&clause, &[token(TokenKind::Url)]);
        let quote = kind(&clause, &[token(TokenKind::Quote)]);
        assert_eq!(link, Some(Kind::Action("webhook")));
        assert_ne!(quote, link);
        assert_eq!(kind(&clause, &[token(TokenKind::Url)]), link);
        assert_eq!(quote, read_kind(&clause, &[token(TokenKind::Quote)]));
        forget_kinds();
    }
}
