//! Orders no action can carry out, found where an action would read them: a copy of an
//! e-mail ("CC the manager") and a phone channel left over after a message to an employee
//! ("notify Anna by email and SMS"). Each is asked about; read on, the first would become
//! an e-mail of its own with another text, the second an SMS to the client.

use std::sync::LazyLock;

use regex::Regex;

use super::State;
use crate::nl::offline::recipients::Who;
use crate::nl::offline::text::{Clause, pattern};

// A copy of an e-mail: "CC the manager", "bcc sales@acme.com", "copy in Anna".
static COPY_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|also\s+|then\s+)*(?:cc|bcc|cc'd|bcc'd|copy\s+in|copying\s+in)\b.*|\b(?:cc|bcc)\s+(?:the\s+)?[\w.@+-]+")
        .expect("valid regex")
});

// A channel named alone, as the last of a list: "and SMS", "or WhatsApp". ("..., via
// WhatsApp" is how the message before it goes, read elsewhere.)
static CHANNEL_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|or\s+|plus\s+|also\s+)*(?:an?\s+)?(?:sms|text(?:\s+message)?|whats\s?app(?:\s+message)?)\s*$")
        .expect("valid regex")
});

/// The question for a clause no action can carry out, if it is one.
pub(super) fn question(clause: &Clause, state: &State<'_>) -> Option<String> {
    if let Some(m) = COPY_TO.find(&clause.lower) {
        return Some(format!(
            "b24flow could not place \"{}\": an e-mail goes to one recipient, with no copies. Send the other person a message or an e-mail of their own.",
            clause.orig_at(m.range()).trim()
        ));
    }
    let prev = state.drafts.last()?;
    (CHANNEL_ALONE.is_match(&clause.lower)
        && matches!(
            prev.kind,
            "send_email" | "send_notification" | "send_bitrix_message" | "send_sms" | "send_whatsapp"
        )
        && !matches!(prev.who, None | Some(Who::Client)))
    .then(|| {
        format!(
            "Who should get \"{}\"? WhatsApp and SMS reach the client's phone; for an employee, use a notification or a chat message.",
            clause.orig.trim()
        )
    })
}
