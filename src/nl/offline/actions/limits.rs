//! What a message, a task or a new record cannot carry, as the words people use for it:
//! a file, a language other than English for a default text, a group chat, a sender of
//! its own, a pipeline without a stage, an amount for a new record, a checklist, a stage
//! name cut short, a time with no unit. Where an action's reader finds one, it asks
//! rather than drop it.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::{Clause, pattern};
use crate::nl::offline::words;

// "remind Anna in two", "due in 3 to call them": a number of something after "in" or
// "within", with no unit that says what.
static UNITLESS_TIME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:in|within|after)\s+(?:\d+|a\s+few|a\s+couple|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty)\b(?:\s+(?P<next>[a-z]+))?")
        .expect("valid regex")
});

/// The question when a task, reminder or call says when with a number and no unit:
/// "remind Anna in two" is two hours, days or weeks, and no time at all would be
/// written if it were left out.
pub(super) fn unitless_time(clause: &Clause) -> Option<String> {
    let c = UNITLESS_TIME.captures(&clause.lower)?;
    let unit = c.name("next").is_some_and(|n| {
        let n = n.as_str();
        let n = n.strip_suffix('s').unwrap_or(n);
        [
            "minute", "min", "hour", "hr", "h", "day", "week", "wk", "month", "year", "business",
            "working", "calendar", "more", "of",
        ]
        .contains(&n)
    });
    (!unit).then(|| {
        format!(
            "How long is \"{}\"? Say the unit (\"in 2 days\", \"within 3 hours\").",
            clause.orig_at(c.get(0).map_or(0..0, |m| m.range())).trim()
        )
    })
}

/// The question when a stage name read from `from` to `end` is followed by "for", "of",
/// "in" or "on": "move it to Ready for Invoicing" may name "Ready for Invoicing"
/// ("Waiting for Payment") or be followed by whom it is for, and the stage named wrong
/// would move every record somewhere else. "the Negotiation stage for review" is closed
/// by the word "stage".
pub(super) fn cut_stage_name(clause: &Clause, from: usize, end: usize) -> Option<String> {
    let w = words::word_at(clause, end)?;
    let joiner = w.text.to_ascii_lowercase();
    if !["for", "of", "in", "on"].contains(&joiner.as_str()) {
        return None;
    }
    let next = words::word_at(clause, w.end)?;
    // "to Search in progress": "in" before a plain word may go on the stage's name; "in
    // 2 days", "in the Sales pipeline" say when or where, and other readers take them.
    let next_lower = next.text.to_ascii_lowercase();
    if (joiner == "in" || joiner == "on")
        && ([
            "a", "an", "the", "our", "their", "its", "his", "her", "this", "that", "one", "two",
            "three", "half",
        ]
        .contains(&next_lower.as_str())
            || words::number(&next_lower).is_some()
            || next_lower.starts_with(|c: char| c.is_ascii_digit()))
    {
        return None;
    }
    let name = clause.orig_at(from..w.start).trim();
    let name = name.strip_prefix("the ").unwrap_or(name);
    let more = clause.orig_at(w.start..next.end);
    let closed = ["stage", "status", "column", "phase"]
        .iter()
        .any(|s| name.to_ascii_lowercase().ends_with(s));
    (!closed).then(|| {
        format!(
            "Is the stage \"{name}\", or \"{name} {more}\"? Quote the stage's name (move it to '{name} {more}'), or leave out \"{}\".",
            clause.orig[w.start..].trim_end()
        )
    })
}

// An amount for a new record: "for the same amount", "with a total of 500", "for $200".
pub(super) static AMOUNT_OF_NEW: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bfor\s+(?:the\s+same|the\s+full|the\s+deal's|the\s+quote's|its|their)\s+(?:amount|value|total|sum|price)\b|\b(?:with|for)\s+(?:an?\s+|the\s+)?(?:amount|total|value|sum)\s+of\b|\bfor\s+[$\x{20ac}\x{a3}]?\d")
        .expect("valid regex")
});

// Parts of a task b24flow does not write: "with a checklist", "and subtasks".
pub(super) static CHECKLIST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:with|and|plus|including)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+)?(?:check-?lists?|sub-?tasks?|attachments?|observers?|watchers?|co-?executors?)\b")
        .expect("valid regex")
});

// A pipeline named for a new record: "in the Wholesale pipeline".
pub(super) static IN_PIPELINE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:in|into|on|to)\s+(?:the|our)\s+(?:\x01\d+\x02|[\w-]+(?:\s+[\w-]+)?)\s+(?:pipeline|funnel|sales\s+funnel|board)\b")
        .expect("valid regex")
});

// A sender other than the project's for an e-mail: "from support@acme.com", "from the
// support mailbox".
pub(super) static FROM_SENDER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bfrom\s+(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:the|our|my)\s+[\w-]+\s+(?:mailbox|inbox|address|account))")
        .expect("valid regex")
});

// A group chat or channel named as the place a message goes besides its recipient:
// "notify the team in the sales chat". (A channel as the recipient, "post to the wins
// channel", is a name the project's recipients map can resolve.)
pub(super) static GROUP_CHAT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:in|on)\s+(?:the|our|a)\s+#?[\w-]+(?:\s+[\w-]+)?\s+(?:chat|channel|group(?:\s+chat)?|chat\s+room)\b")
        .expect("valid regex")
});

// Clients picked by where they are: "WhatsApp clients in Texas", "email customers based
// in London". Where a client lives is no condition b24flow can write.
pub(super) static CLIENTS_AT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i:\b(?:clients?|customers?|buyers?|guests?|leads?|contacts?|members?|patients?|students?|parents?|tenants?|owners?)\s+(?:(?:based|located|living)\s+)?in)\s+(?P<place>(?-i:[A-Z][a-zA-Z]+)(?:\s+(?-i:[A-Z][a-zA-Z]+))?)")
        .expect("valid regex")
});

// A language other than English for a message.
pub(super) static LANGUAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bin\s+(?:spanish|french|german|italian|portuguese|russian|polish|ukrainian|chinese|mandarin|arabic|dutch|turkish|czech|greek|hebrew|hindi|japanese|korean|swedish|norwegian|danish|finnish|romanian|hungarian|kazakh|their\s+(?:own\s+)?language)\b")
        .expect("valid regex")
});

// A file sent with a message: "with the invoice attached", "attach the contract",
// "including the PDF".
pub(super) static ATTACHED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bwith\s+(?:the|a|an|our|their|its)\s+(?:[\w-]+\s+){0,2}?(?:attached|enclosed)\b|\b(?:attach|attaching|enclose|enclosing)\s+(?:the|a|an|our|their|its)\s+[\w-]+|\bwith\s+(?:an?\s+)?(?:attachment|attached\s+[\w-]+)\b|\b(?:including|with)\s+(?:the|a|an|our)\s+(?:pdf|file|document)\b")
        .expect("valid regex")
});

// A name after "in", on the text as written: "a deal in Qualification".
pub(super) static IN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bin\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*").expect("valid regex")
});
