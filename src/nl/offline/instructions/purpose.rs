//! Whether a purpose after an order ("... so she can update the delivery sheet") could be
//! an order of its own, and so must be asked about, or only says why the order is given.
//!
//! A purpose reaches someone when it says a person learns something ("so the manager
//! knows", "so the team is told") or gets a thing b24flow sends or creates ("so the client
//! gets an SMS", "so Anna receives a task"). Getting anything else is no order: "so the
//! drivers' app gets the new address", "so the student gets access", "so it doesn't get
//! forgotten". What a person then does themselves ("so she can call them", "so he preps
//! the room") is their own work, which the order before makes possible.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

// Someone learns something: the order may be a message of its own.
static LEARNS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:knows?|hears?|learns?|notified|told|informed|reminded|alerted|warned|messaged|emailed|e-mailed|texted|sees?|aware|in\s+the\s+loop|up\s+to\s+date|updated|kept\s+posted)\b")
        .expect("valid regex")
});

// Someone gets something: what they get decides. The few words after the verb hold it
// ("gets a thank-you SMS", "gets the new address").
static GETS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:get|gets|getting|receive|receives|has|have|be|is|are)\s+(?P<what>[a-z'-]+(?:\s+[a-z'-]+){0,3})")
        .expect("valid regex")
});

// The things an action sends or creates for someone.
const SENT: &[&str] = &[
    "sms",
    "text",
    "texts",
    "message",
    "messages",
    "email",
    "e-mail",
    "emails",
    "mail",
    "notification",
    "notifications",
    "task",
    "tasks",
    "reminder",
    "reminders",
    "call",
    "calls",
    "whatsapp",
    "alert",
    "alerts",
    "ping",
    "heads-up",
    "note",
    "invoice",
    "quote",
    "reply",
    "callback",
    "confirmation",
];

// A person doing their own work: "she can", "the manager will", "Anna could".
static OWN_WORK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:she|he|they|you|i|we|someone|somebody|everyone|everybody|(?:the|our)\s+[a-z-]+(?:\s+[a-z-]+)?|[A-Z][a-z]+)\s+(?:can|could|will|would|may|might|is\s+able\s+to|are\s+able\s+to|has\s+time\s+to|have\s+time\s+to)\s")
        .expect("valid regex")
});

/// What the words of a purpose (after "so", "so that") say: whether it reaches someone,
/// whether it is someone's own work, and whether what someone gets is no thing b24flow
/// sends.
pub(in crate::nl::offline) struct Purpose {
    pub(in crate::nl::offline) reaches: bool,
    pub(in crate::nl::offline) own_work: bool,
    pub(in crate::nl::offline) gets_data: bool,
}

/// Reads a purpose's words: `lower` is the lowercase text after "so"/"so that", `orig`
/// the same as written.
pub(in crate::nl::offline) fn read(lower: &str, orig: &str) -> Purpose {
    let what: Vec<&str> = GETS
        .captures(lower)
        .and_then(|c| c.name("what"))
        .map(|m| m.as_str().split_whitespace().collect())
        .unwrap_or_default();
    // "gets moved", "is assigned": a passive of what an action does may be an order;
    // "doesn't get forgotten" is not.
    let participle = what
        .first()
        .filter(|w| w.ends_with("ed") || w.ends_with("en"));
    let passive_action =
        participle.is_some_and(|w| crate::nl::offline::events::ACTION_PARTICIPLES.contains(w));
    let gets_sent = participle.is_none()
        && what
            .iter()
            .any(|w| SENT.contains(&w.trim_end_matches(['.', ',', '!'])));
    Purpose {
        reaches: LEARNS.is_match(lower) || gets_sent || passive_action,
        own_work: OWN_WORK.is_match(orig.trim()),
        gets_data: !what.is_empty() && participle.is_none() && !gets_sent,
    }
}

// Someone seeing the record: "so the compliance officer sees it", "so Anna looks at it
// again", "so the desk knows not to book more shifts" (what the record now says).
static SEES_IT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:so|so\s+that)\s+(?:(?:the|our)\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+(?:can\s+|will\s+)?(?:(?:sees?|notices?|spots?|looks?\s+at|checks?|reviews?)\s+(?:it|this|that|them|the\s+(?:record|deal|lead|contact|company|task|field|change|flag|tag|comment|note))(?:\s+again)?|knows?\s+(?:to|that|when|not\s+to)\s+[a-z][^\x01]*?)\s*[.!?]?$")
        .expect("valid regex")
});

/// Whether a purpose is someone seeing the record ("so the compliance officer sees it",
/// "so Anna looks at it again"): after an action that writes on the record, that is why
/// it writes, not a message to them.
pub(in crate::nl::offline) fn sees_it(lower: &str) -> bool {
    SEES_IT.is_match(lower)
}

/// Whether someone seeing what an action did is what it is for: it writes on the
/// workflow's record, where people see what it wrote, or it sends the record to a
/// system ("... so the TPA sees it").
pub(in crate::nl::offline) fn is_seen_through(kind: &str) -> bool {
    matches!(
        kind,
        "update_field"
            | "update_deal"
            | "update_task"
            | "add_tag"
            | "add_comment"
            | "move_stage"
            | "webhook"
    )
}

#[cfg(test)]
mod tests {
    use super::read;

    fn reads(s: &str) -> (bool, bool, bool) {
        let p = read(&s.to_ascii_lowercase(), s);
        (p.reaches, p.own_work, p.gets_data)
    }

    #[test]
    fn a_purpose_reaches_someone_only_with_something_b24flow_sends() {
        assert_eq!(reads("the client gets an SMS"), (true, false, false));
        assert_eq!(reads("the manager knows"), (true, false, false));
        assert_eq!(reads("Anna receives a task"), (true, false, false));
        assert_eq!(
            reads("the drivers' app gets the new address"),
            (false, false, true)
        );
        assert_eq!(
            reads("the student gets access straight away"),
            (false, false, true)
        );
        assert_eq!(
            reads("she can update the delivery sheet"),
            (false, true, false)
        );
        assert_eq!(reads("Marta can reopen the vacancy"), (false, true, false));
        assert_eq!(reads("the list stays in sync"), (false, false, false));
        assert_eq!(
            reads("the client gets a thank-you SMS"),
            (true, false, false)
        );
        assert_eq!(reads("the deal gets moved"), (true, false, false));
        assert_eq!(reads("it doesn't get forgotten"), (false, false, false));
    }
}
