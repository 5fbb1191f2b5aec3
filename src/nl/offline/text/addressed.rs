//! The request said to the CRM as if it were a person.
//!
//! Some people talk to the system itself: "Hey Bitrix, whenever a new deal comes in I
//! need you to make a task for Marisol", "bitrix could u remember, when a contact is
//! updated, set ...", "Bitrix your job from now on: when ...". Others frame an order as
//! something the system must not forget, or, writing English as a second language, as
//! something "necessary": "please don't forget, each time we win a deal, tag it", "is
//! necessary to create a task for Pascoal". The name and the frame are said to the
//! reader; the event and the orders are what is left once they are read past.
//!
//! A frame is read past only where an order's verb follows it, or where it opens the
//! text before the event ("please don't forget, each time we win a deal, ..."). "When a
//! deal is won, remember to call the client" is the order to call, as "remember to email
//! the client" is; read whole, "remember" was taken for who makes the call.
//!
//! Greek gives an order as "to" and its verb ("When the deal is lost, to make a task to
//! the responsible", "and to notify Andreas"), and may say who gets a message first ("the
//! client to take an email"); both are read as the order they give.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::{contains_ci, pattern};
use crate::nl::offline::words;

// The system called by name at the text's start, with a greeting or not: "Hey Bitrix,",
// "yo bitrix,", "bitrix pls", "Hey bot,", "Bitrix your job from now on:", "Bitrix, could
// you do this for me:". `next` is the word after it, which must not make "Bitrix" a
// channel ("Bitrix message to Nhela ...").
static CALLED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:(?:hey|hi|hello|hiya|yo|ok|okay|oi|dear)\s+)?(?:bitrix(?:24)?|bot|robot)(?:\s*(?::\)|:-\)|[,!:.\x{2014}\x{2013}-]))*\s+(?:(?:your|ur)\s+job(?:\s+from\s+now\s+on)?(?:\s+is(?:\s+to)?)?\s*[:,.\x{2014}-]?\s+|(?:can|could|would)\s+(?:you|u)\s+do\s+(?:this|that|something)\s+for\s+me\s*[:,.]\s*)?(?P<next>[\w']+)")
        .expect("valid regex")
});

// A frame before an order: "I need you to", "I'd love you to", "could you remember to",
// "please don't forget to", "your job is to", "is necessary to", and Russian's "please
// make that" ("sdelayte, chtoby").
static FRAME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:(?:i|we)(?:\s+(?:need|want|would\s+(?:like|love))|['\x{2019}]d\s+(?:like|love))\s+(?:you|u)\s+to|(?:(?:can|could|would)\s+(?:you|u)\s+(?:please\s+)?|please\s+|pls\s+)?remember(?:\s+to\b|\s*,)|(?:please\s+|pls\s+)?(?:don'?t|do\s+not)\s+forget(?:\s+to)?\b|(?:your|ur)\s+job\s+(?:from\s+now\s+on\s+)?is\s+to\b|(?:it\s+)?is\s+(?:necessary|needed|required|obligatory|mandatory)\s+(?:to|that)\b|(?:please\s+)?make\s+(?:so\s+)?that\b|(?:please\s+)?make\s*:|(?:can|could|would)\s+(?:you|u)\s+remember\b)(?:\s*,)?\s*")
        .expect("valid regex")
});

// "... and to notify the responsible": the frame said once for two orders.
static AND_TO: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\band\s+(?:also\s+)?to\s+").expect("valid regex"));

// An order given as "to" and its verb, as Greek's "na" gives it: "When the deal is lost,
// to make a task to the responsible", "and to notify Andreas". `pre` is what opens the
// order: the text's start, a comma, "and", "please", "after that" or an arrow.
static TO_ORDER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>^\s*|[,;]\s*|\band\s+(?:also\s+)?|\b(?:please|pls)\s+|(?:->|\x{2192})\s*|\b(?:after\s+that|and\s+after|then)\s+)to\s+")
        .expect("valid regex")
});

// The one who gets a message said first, as its subject: "the client to take an email
// with subject ...", "the contact to receive an sms '...'".
static TO_TAKE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<who>(?:the|our)\s+(?:client|customer|lead|contact|guest))\s+(?:to|should|must|will)\s+(?:take|receive|get)\s+(?P<what>(?:an?\s+)?(?:e-?mail|whatsapp|sms|text|message))\b")
        .expect("valid regex")
});

// Someone said to get a message, as Russian puts the order: "Head of Sales recieve
// notification about big order", "Natalja receive message in chat 'X'". Only a name
// written as one (capitalised) after a comma, an arrow or the text's start.
static RECEIVES: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<pre>[,:]\s*|(?:->|\x{2192}|\x{2014})\s*|^\s*|\b(?:it\s+)?is\s+(?:necessary|needed|important)\s+that\s+)(?P<who>(?-i:[A-Z][\w.]*)(?:\s+(?:of\s+)?(?-i:[A-Z][\w]*)){0,2})\s+(?:must\s+|should\s+|will\s+)?(?:receives?|recieves?|gets?)\s+(?:an?\s+)?(?:(?P<n>notification)|(?P<m>(?:chat\s+)?message))\b")
        .expect("valid regex")
});

/// `text` with each order given as "to" and its verb, or as what its recipient is to
/// take, said as an order.
pub(super) fn to_orders(text: String) -> String {
    let text = if ["receive", "recieve", "get"]
        .iter()
        .any(|w| contains_ci(&text, w))
    {
        RECEIVES
            .replace_all(&text, |c: &regex::Captures<'_>| {
                let verb = if c.name("n").is_some() {
                    "notify"
                } else {
                    "message"
                };
                // "it is necessary that Natalja receive": the frame goes with it.
                let pre = if c["pre"].trim_start().starts_with(['i', 'I']) {
                    ""
                } else {
                    &c["pre"]
                };
                format!("{pre}{verb} {}", &c["who"])
            })
            .into_owned()
    } else {
        text
    };
    let text = if contains_ci(&text, " to take")
        || contains_ci(&text, " to receive")
        || contains_ci(&text, " to get")
    {
        TO_TAKE
            .replace_all(&text, "send ${who} ${what}")
            .into_owned()
    } else {
        text
    };
    if !contains_ci(&text, "to ") {
        return text;
    }
    TO_ORDER
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let at = c.get(0).map_or(0..0, |m| m.range());
            let rest = text[at.end..].to_ascii_lowercase();
            // "schedule a call ..., to ask what went wrong": after an order, "to" and a
            // verb behind a comma is what the order is for.
            let purpose = c["pre"].starts_with([',', ';'])
                && words::has_action_verb(&text[..at.start].to_ascii_lowercase());
            if !purpose && words::first_action_verb(&rest, 0) == Some(0) {
                c["pre"].to_owned()
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}

/// `text` without the system's name at its start.
pub(super) fn called(text: Cow<'_, str>) -> Cow<'_, str> {
    if !(contains_ci(&text, "bitrix") || contains_ci(&text, "bot")) {
        return text;
    }
    let Some(c) = CALLED.captures(&text) else {
        return text;
    };
    let next = c.name("next").map_or(0..0, |m| m.range());
    // "Bitrix message to Nhela", "bot chat to the team": the channel, not the reader.
    let channel = [
        "message",
        "messages",
        "chat",
        "notification",
        "notifications",
        "notif",
        "im",
        "ping",
        "task",
        "tasks",
        "field",
    ];
    if channel.contains(&text[next.clone()].to_ascii_lowercase().as_str()) {
        return text;
    }
    Cow::Owned(text[next.start..].to_owned())
}

/// `text` without the frames before its orders.
pub(super) fn frames(text: String) -> String {
    if ![
        "you to",
        "u to",
        "remember",
        "forget",
        "job",
        "is necessary",
        "is needed",
        "is required",
        "is obligatory",
        "is mandatory",
        "make",
    ]
    .iter()
    .any(|w| contains_ci(&text, w))
    {
        return text;
    }
    let mut read = false;
    let out = FRAME
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let m = c.get(0).map_or(0..0, |m| m.range());
            let rest = text[m.end..].to_ascii_lowercase();
            let opens = text[..m.start].trim().is_empty();
            // "please don't forget, each time we win a deal, ...": the frame opens the
            // text and the event follows.
            let order = opens || words::first_action_verb(&rest, 0) == Some(0);
            read |= order;
            if order {
                String::new()
            } else {
                c[0].to_owned()
            }
        })
        .into_owned();
    if !read || !contains_ci(&out, "to ") {
        return out;
    }
    AND_TO
        .replace_all(&out, |c: &regex::Captures<'_>| {
            let rest = out[c.get(0).map_or(0, |m| m.end())..].to_ascii_lowercase();
            if words::first_action_verb(&rest, 0) == Some(0) {
                "and ".to_owned()
            } else {
                c[0].to_owned()
            }
        })
        .into_owned()
}
