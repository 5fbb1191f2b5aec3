//! Clause accounting for instructions: every instruction clause becomes an action, merges
//! into the one before as its detail, or is reported.
//!
//! An instruction is read by the action frames ([`super::actions`]); one without a verb
//! of its own may continue the previous action (another recipient, a message, a
//! deadline) or borrow its verb ("create a contact and a company"). An "i.e."/"e.g."
//! aside must restate the action before it or add detail to it; naming another action
//! competes with it. Two actions of one kind for one recipient are a question
//! ([`duplicates`]), and "her"/"him"/"them" stand for the person named nearest before
//! (when that is the client or someone vague, they are asked, never read as someone
//! further back); "his manager" after a person named by name is that person's manager,
//! and asked.
//!
//! Before the frames, a clause is normalised the way a person reads it: the recipient
//! first ("the customer should get an SMS, the manager a notification") becomes the
//! order it means, "X owns it" an assignment, a short heading before a colon is read
//! through to the order after it, and a remark about the business ("we run a
//! restaurant") is no order. What no action can carry is asked about, never read
//! through: a negation or exception ("don't", "unless", "but"), a repetition or a count
//! ("twice", "every week", "3 reminders"), a distribution rule ("round-robin"), a time
//! the action has no slot for or a clock time, a link no field took, and a subject with
//! a modal ("he should call ...": the message's rest, or another order?).
//!
//! A purpose after an order ("... so the newsletter list stays in sync") is detail of
//! it: the order is read without it. A purpose that could itself be an order ("so the
//! client gets an SMS", "so she can call them") or carries a quote or link is asked.
//!
//! Invariant: a clause with words of its own (not filler) that no rule places always
//! adds a question naming it; nothing is dropped except filler, a remark about the
//! business, and a bare noun that is more of what a message sends.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

use super::actions::{self, Continued, Ctx, Draft};
use super::lexicon::content_words;
use super::text::Clause;
use super::{ASK_ACTION, Item, catalog, conditions, recipients, words};
use crate::blueprint::Condition;

mod owners;
pub(in crate::nl::offline) mod purpose;
mod strays;

// "remove 'pending'" right after a tag instruction: the tag is implied.
pub(super) static BARE_REMOVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:remove|drop|delete|clear|strip|take\s+off)\s+(\x01\d+\x02)(?:\s+instead|\s+too|\s+as\s+well)?$")
        .expect("valid regex")
});

// "add 'paying'" right after a tag instruction.
pub(super) static BARE_ADD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:(?:add|put|apply|attach)\s+)?(\x01\d+\x02)(?:\s+instead|\s+too|\s+as\s+well)?$")
        .expect("valid regex")
});

/// The question for a clause that is neither a trigger, a condition, an action nor a
/// detail of one.
pub(super) fn unplaced(orig: &str) -> String {
    format!(
        "b24flow could not place \"{orig}\": is it another action, a condition, or part of the one before? Rephrase it, or leave it out. {ASK_ACTION}"
    )
}

/// Verbs an instruction without a verb of its own may borrow from the one before.
pub(super) const BORROWABLE: &[&str] = &[
    "create", "add", "make", "open", "generate", "issue", "raise", "prepare", "draft", "set",
    "schedule", "book", "arrange", "tag", "remove", "delete", "drop", "log", "put", "write",
    "leave", "post", "update", "change",
];

// "text the patient a reminder the day before": b24flow acts when the event happens or
// a delay after it, never before something.
static BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:the\s+)?(?:day|days|week|weeks|hour|hours|night|morning|evening)\s+before\b|\bbefore\s+(?:the|their|its|his|her)\s+(?:meeting|appointment|visit|call|demo|viewing|consultation|event|session|deadline|due\s+date|start)\b")
        .expect("valid regex")
});

// A time an action is to happen at: "within the hour", "in 2 days", "tomorrow", "a
// fortnight later", "on Monday", "at 10am". Any quantity of a time unit counts, and so
// do the words that name a day or a clock time, so that a time the action's reader did
// not understand is asked about rather than dropped.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:within|in|after|by)\s+(?:the\s+|next\s+)?(?:minutes?|hours?|days?|weeks?|months?)\b|\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|forty|sixty|ninety|half\s+an?|a\s+couple\s+of|a\s+few|few|several)\s+(?:(?:more|extra|further|business|working|calendar)\s+)?(?:minutes?|mins?|hours?|hrs?|days?|weeks?|fortnights?|months?|years?)\b|\b(?:in|within|after|for|due|deadline|by|takes?)\s+\d+\s?(?:h|hrs?|mins?|d)\b|\+\d+\s?(?:h|hrs?|mins?|d)\b|\b\d+\s?(?:h|hrs?|mins?|d)(?:\s*$|\s*[,.;:)!]|\s+(?:later|after|before|from|ahead|earlier|prior|out|deadline|delay|left)\b)|\bjust\s+now\b|\bnow[- ]now\b|\b(?:today|soon|later|sometime|tomorrow|tonight|fortnight|midday|noon|midnight|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(?:next|this|following)\s+(?:week|month|day|morning|afternoon|evening|quarter|year)\b|\bend\s+of\s+(?:the\s+)?(?:day|week|month|business)\b|\b\d{1,2}(?::\d{2})?\s*(?:am|pm|o'clock)\b|\bfrom\s+now\b")
        .expect("valid regex")
});

// A clock time or a weekday: the catalog's times are offsets from when the workflow
// runs ("+1d", "+3h"), which cannot say "at 10am" or "on Friday".
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm|o'clock)\b|\b(?:\d{4}|\d{1,2}:\d{2})\s*(?:z|zulu|utc|gmt|lt)\b|\bat\s+\d{1,2}(?::\d{2})\b|\b(?:at\s+)?(?:midday|noon|midnight)\b|\b(?:on\s+|next\s+|this\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\bend\s+of\s+(?:the\s+)?(?:day|week|month|business)\b")
        .expect("valid regex")
});

// Words that leave the action open: "Anna or Peter", "depending on the region", "e-mail
// or call". A comparison ("500 or more") is not a choice.
static CHOICE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bround[- ]robin\b|\bevenly\b|\bin\s+turns?\b|\brotat(?:e|es|ing|ion)\b|\bleast\s+(?:busy|loaded)\b|\brandom(?:ly)?\b|\bwhoever\s+is\s+(?:free|available)\b|\bnext\s+available\b|\bdepend(?:ing|s)\s+on\b|\bbased\s+on\b|\baccording\s+to\b|\bwhichever\b|\bor\s+(?:[a-z@.'-]+|\x01\d+\x02)")
        .expect("valid regex")
});

// Words that turn an order around or limit it in a way no action can carry: a negation
// ("don't email", "never", "send no e-mail"), an exception ("unless", "except", "but
// only"), a repetition ("twice", "every week", "again") or a count ("3 reminders"). Read
// through, any of them would give a blueprint that does what the author said not to, or
// does it once.
static LIMIT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:don't|dont|do\s+not|does\s+not|doesn't|never|unless|except|excluding|but|without|no\s+need\s+to|(?:send|create|make|add|set|schedule|book|give)\s+(?:them\s+|him\s+|her\s+|the\s+client\s+)?no|not\s+(?:to|the|a|an|if|when|for|on|before|after|until)|twice|thrice|(?:two|three|four|five|\d+)\s+times|again\s+(?:in|after|later|tomorrow|next|on)|repeatedly|every\s+(?:day|week|month|hour|morning|evening|time|monday|tuesday|wednesday|thursday|friday)|each\s+(?:day|week|month|hour|morning)|daily|weekly|monthly|hourly|until|till|as\s+long\s+as|(?:\d+|two|three|four|five|six|several|multiple|some|a\s+few)\s+(?:tasks|reminders|calls|e-?mails|messages|notifications|texts|sms|comments|deals|invoices|quotes|whatsapps))\b")
        .expect("valid regex")
});

// Why an order is given, after it: "... so the newsletter list stays in sync", "... so
// that the nightly export picks it up". "so" with a subject of its own after it, not
// "so" as an adverb ("and so on").
static PURPOSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:^|\s)(?:so\s+that|so|in\s+order\s+that)\s+(?:the|they|he|she|we|it|you|our|their|his|her|its|this|these|everyone|everybody|nobody|no\s+one)\b")
        .expect("valid regex")
});

// "(so) she can call them": the verb after a modal, which may be an order in disguise.
static MODAL_VERB: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:can|could|will|would|should|must|may|might|shall)\s+(\w)").expect("valid regex")
});

// A participle done to the record, first in its clause: "(and) tagged 'new enquiry'".
static DONE_TO_IT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|also\s+|then\s+)?(?P<p>tagged|labelled|labeled|assigned|reassigned|moved|marked|handed|passed)\b")
        .expect("valid regex")
});

// "call it 'Deposit'", "name it": what the thing just made is called.
static NAME_IT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|please\s+)*(?:call|name|title)\s+(?:it|this|that|the\s+(?:invoice|task|deal|quote|reminder|contact|company))\s*(?:as\s+)?")
        .expect("valid regex")
});

// The orders that make a thing with a title.
const MADE: &[&str] = &[
    "create_invoice",
    "create_task",
    "create_deal",
    "create_quote",
    "set_reminder",
];

// The workflow as the subject of its order: "it should", "it must also", "this will".
static IT_SHOULD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:then\s+)?(?:it|this|the\s+(?:workflow|automation|rule))\s+(?:should|must|shall|will|needs\s+to|has\s+to)\s+(?:(?:also|then|automatically|always|immediately)\s+)*")
        .expect("valid regex")
});

// Someone doing what an order would, with a modal or to us: "the client can send us a
// WhatsApp", "Anna will text the client", "the customer sends us the form". Who sends
// is not the workflow, so this is no order (read as one, the subject became whom it
// was sent to). Not "..., Daniel will call": with nothing after the verb, that names
// who makes the call ordered before.
static OUTSIDE_ACTS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|but\s+|so\s+|then\s+)?(?P<subject>(?:the|our|their|a|an)\s+[a-z-]+(?:\s+[a-z-]+)?|[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)\s+(?:(?:also\s+)?(?:will|would|can|could|may|might)\s+(?:also\s+)?(?:send|email|e-mail|text|message|whatsapp|call|ring|phone|sms)\s+\S|(?:also\s+)?(?:sends|emails|texts|messages|whatsapps|calls|rings)\s+(?:us|me)\b)")
        .expect("valid regex")
});

static SUBJECT_MODAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|but\s+|so\s+)?(?:he|she|they|it|we|you|i)\s+(?:should|must|will|would|can|could|shall|may|might|needs?\s+to|has\s+to|have\s+to|is\s+to|are\s+to)\b")
        .expect("valid regex")
});

// A verb of wanting or needing with what is wanted after it: "wants to re-verify",
// "needs it", "would like them".
static WANTS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:wants?|wanted|needs?|needed|would\s+like|likes?|prefers?|expects?|asks?|asked|requires?)\s+(?:to|it|them|us|this|that|these|those)\b")
        .expect("valid regex")
});

/// What reading instructions builds up.
// A subject's verb: the words before an order that make a statement of their own ("it's
// a wedding cake tag it wedding"); "its from instagram" (it's, typed without its
// apostrophe) and "from instagram" say where the record came from, which is a condition.
static STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:is|are|was|were|isn't|aren't|wasn't|has|had|hasn't|came|comes|goes|went|gets|got|says|said|does|did|doesn't|didn't|it's|that's|there's|they're)\b|^(?:and\s+)?its\s+(?:from|via|through|over|under|above|below|not|a|an|the|big|small|new|old|only)\b|^(?:and\s+)?(?:from|via|through)\s")
        .expect("valid regex")
});

/// Verbs that may open a second order run into the first with no comma or "and".
const RUN_ON_VERBS: &[&str] = &[
    "notify", "tag", "untag", "email", "e-mail", "text", "sms", "whatsapp", "call", "ring",
    "phone", "create", "add", "assign", "reassign", "move", "send", "set", "schedule", "book",
    "remind", "ping", "message", "update", "change", "remove", "post", "log", "tell", "alert",
    "mark", "fire", "trigger", "drop", "open", "make", "give", "hand", "pass", "leave", "put",
];

/// Words after which such a verb is not an order of its own: it is the infinitive or the
/// object of the words before it ("asking them to call", "have them call", "a task call
/// the client"), or the text of what is sent ("a message saying call us").
const NOT_BEFORE_RUN_ON: &[&str] = &[
    "to", "and", "or", "then", "so", "will", "would", "should", "can", "could", "must", "may",
    "might", "please", "also", "not", "don't", "dont", "who", "that", "which", "it", "them", "him",
    "her", "they", "we", "you", "i", "he", "she", "us", "me", "let", "have", "has", "had", "get",
    "gets", "task", "tasks", "reminder", "to-do", "todo", "note", "comment", "message", "sms",
    "text", "email", "e-mail", "whatsapp", "title", "subject", "saying", "says", "asking",
    "telling", "reads", "read", "called", "named", "titled", "just", "and/or",
    // A determiner makes the word after it a noun: "add the tag 'event'".
    "the", "a", "an", "this", "its", "their", "his", "our", "your", "my", "new", "same", "another",
    "one", "each", "every", "any", "no",
    // A preposition does too: "send it by WhatsApp 'X'".
    "by", "via", "on", "in", "with", "through", "per", "from", "for", "of", "at", "as",
    // Whoever did something: "tell whoever set it".
    "whoever", "whomever", "someone", "somebody", "anyone", "anybody", "everyone",
];

/// Things sent that share their word with an order's verb; with a quote after them they
/// are the thing and its text: "send the client a welcome text 'Hi'".
const SENT_WITH_TEXT: &[&str] = &[
    "text", "sms", "whatsapp", "email", "e-mail", "message", "note", "comment", "ping", "call",
];

/// Verbs whose object is a thing sent: after them, "sms" or "email" is that thing ("send
/// a thank you sms to the client", "thank u sms to cust").
const SENDS: &[&str] = &[
    "send", "forward", "write", "drop", "fire", "shoot", "push", "post", "thank",
];

/// Verbs whose object may be followed by another verb that is theirs: "make Bitrix
/// schedule a call", "have the rep call".
const CAUSATIVES: &[&str] = &[
    "make", "have", "let", "get", "help", "ask", "tell", "want", "need",
];

/// Where a second order starts inside `clause`, run into the first with no comma or
/// "and" ("notify the account manager tag it placed", "email the client tag it won"), as
/// dictation writes it: a verb from [`RUN_ON_VERBS`] after the first order's verb and
/// object, followed by an object of its own (a pronoun, an article, a quote or a name).
fn run_on(clause: &Clause) -> Option<usize> {
    let first = words::first_action_verb(&clause.lower, 0)?;
    let ws: Vec<words::Word<'_>> = words::words_from(clause, first).take(40).collect();
    for i in 2..ws.len().saturating_sub(1) {
        let w = ws[i].text.to_ascii_lowercase();
        // "the deal's Move In Confirmed field": a capital inside a clause starts a name;
        // after a colon comes what the order before it holds ("a task: call the lead").
        let capital = ws[i].text.starts_with(|c: char| c.is_ascii_uppercase());
        let after_colon = clause.orig[..ws[i].start].trim_end().ends_with(':');
        if capital
            || after_colon
            || !RUN_ON_VERBS.contains(&w.as_str())
            || NOT_BEFORE_RUN_ON.contains(&ws[i - 1].text.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let next = ws[i + 1].text;
        let next_lower = next.to_ascii_lowercase();
        let object = [
            "it", "them", "him", "her", "a", "an", "the", "this", "that", "their", "his", "its",
            "our",
        ]
        .contains(&next_lower.as_str())
            || next.starts_with('\x01')
            || next.chars().next().is_some_and(char::is_uppercase)
            // "create an invoice notify finance", "tag it won remove tag cold", "move it
            // to Paid email to client": whom the verb reaches, or the tag it takes off.
            || someone(&next_lower)
            || (matches!(w.as_str(), "remove" | "add" | "untag") && next_lower == "tag")
            || (matches!(next_lower.as_str(), "to" | "for")
                && ws.get(i + 2).is_some_and(|n| someone(&n.text.to_ascii_lowercase()))
                // "send a thank you sms to the client": the thing sent, not a verb.
                && !(SENT_WITH_TEXT.contains(&w.as_str())
                    && SENDS.contains(&ws[0].text.to_ascii_lowercase().as_str())));
        // "create a deal call it 'Spring order'": naming, not a call.
        let naming = w == "call"
            && ["it", "them", "this"].contains(&next_lower.as_str())
            && ws.get(i + 2).is_some_and(|n| n.text.starts_with('\x01'));
        let thing = SENT_WITH_TEXT.contains(&w.as_str()) && next.starts_with('\x01');
        let causative = i <= 3 && CAUSATIVES.contains(&ws[0].text.to_ascii_lowercase().as_str());
        if object && !naming && !thing && !causative {
            return Some(ws[i].start);
        }
    }
    None
}

/// Whether `word` alone names whom an order reaches: the client, the responsible person,
/// the creator, or a team or role b24flow knows ("finance", "ops").
fn someone(word: &str) -> bool {
    !matches!(
        recipients::classify(&[word], false),
        None | Some(recipients::Who::Vague(_))
    )
}

// Whom an order reaches, put before its verb: "to manager create task call the client",
// "for Anna create a task".
static TO_WHOM_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?P<and>(?:and|then)\s+)?(?P<prep>to|for)\s+(?P<who>(?:the\s+|our\s+)?[\w'-]+(?:\s+[\w'-]+)??)\s+")
        .expect("valid regex")
});

// The verb put last, as in languages that end a clause with it: "to production team
// notification send", "to client email send with subject 'X'".
static SENT_LAST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?P<and>(?:and|then)\s+)?(?:to\s+)?(?P<who>(?:the\s+|our\s+)?[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+(?P<thing>(?:(?:a|an|the|chat|bitrix|internal)\s+)?(?:notification|message|email|e-mail|sms|whatsapp|text))\s+send\b")
        .expect("valid regex")
});

// The thing an order makes or changes, then its verb, at the end of the clause or before
// what it says: "tag telegram add", "the comment \x01 add", "Shirin as responsible assign",
// "one task for Jamshid create, ...".
static MADE_LAST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?P<and>(?:and|also|then|and\s+also)\s+)?(?:please\s+)?(?P<obj>(?:(?:the|a|an|one|its|new)\s+)?(?:(?:tag|label|comment|note|task|call|reminder|invoice|quote)\b(?:\s+(?:for|with|to)\s+)?(?:\s*[\w\x01\x02'-]+){0,3}?|[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?\s+as\s+(?:the\s+)?(?:responsible|owner|assignee)))\s+(?P<verb>add|remove|delete|assign|create|schedule|plan|book|put)\b(?:\s*$|\s*[:,.;]|\s+(?:for|to|with|on|in)\b)")
        .expect("valid regex")
});

// "sales director Mehmet notify", "responsible notify": the one told, then the verb.
static NOTIFY_LAST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?P<and>(?:and|then)\s+)?(?:to\s+)?(?P<who>(?:the\s+|our\s+)?[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+(?P<verb>notify|inform|alert)\s*[.!]?$")
        .expect("valid regex")
});

/// `clause` in the order the order's reader expects, when a second-language word order
/// put whom it reaches before its verb, or the verb last ([`TO_WHOM_FIRST`],
/// [`SENT_LAST`], [`NOTIFY_LAST`]). Only when the words moved name someone b24flow
/// knows: "for big deals notify Anna" is a narrowing, and stays asked about.
fn word_order(clause: &Clause) -> Option<Clause> {
    fn and<'t>(c: &regex::Captures<'t>) -> &'t str {
        c.name("and").map_or("", |m| m.as_str())
    }
    let lower = &clause.lower;
    let known = |m: regex::Match<'_>| {
        let ws: Vec<&str> = clause.orig_at(m.range()).split_whitespace().collect();
        recipients::classify(&ws, false).is_some_and(|w| !matches!(w, recipients::Who::Vague(_)))
    };
    if (lower.starts_with("to ") || lower.starts_with("for ") || lower.contains(" to "))
        && let Some(c) = TO_WHOM_FIRST.captures(lower)
        && let (Some(all), Some(who)) = (c.get(0), c.name("who"))
        && words::first_action_verb(lower, 0) == Some(all.end())
        && known(who)
    {
        return Some(Clause::new(&format!(
            "{}{} {} {}",
            and(&c),
            clause.orig[all.end()..].trim_end_matches(['.', '!', ' ']),
            &c["prep"],
            clause.orig_at(who.range())
        )));
    }
    if lower.contains(" send")
        && let Some(c) = SENT_LAST.captures(lower)
        && let (Some(all), Some(who), Some(thing)) = (c.get(0), c.name("who"), c.name("thing"))
        && known(who)
    {
        return Some(Clause::new(&format!(
            "{}send {} to {}{}",
            and(&c),
            clause.orig_at(thing.range()),
            clause.orig_at(who.range()),
            &clause.orig[all.end()..]
        )));
    }
    // "tag telegram add", "the comment 'Quote prepared' add", "Shirin as responsible
    // assign", "one task for Jamshid create, 'Register the supplier'": the thing the
    // order makes or changes, then its verb.
    if let Some(c) = MADE_LAST.captures(lower)
        && let (Some(obj), Some(verb)) = (c.name("obj"), c.name("verb"))
    {
        let base = match verb.as_str() {
            "schedule" | "plan" | "book" => "schedule",
            v => v,
        };
        return Some(Clause::new(&format!(
            "{}{base} {}{}",
            and(&c),
            clause.orig_at(obj.range()),
            &clause.orig[verb.end()..]
        )));
    }
    if let Some(c) = NOTIFY_LAST.captures(lower)
        && let (Some(who), Some(verb)) = (c.name("who"), c.name("verb"))
        && known(who)
    {
        return Some(Clause::new(&format!(
            "{}{} {}",
            and(&c),
            verb.as_str(),
            clause.orig_at(who.range())
        )));
    }
    None
}

// A phrase put before an order's verb that may narrow when or for which records it runs:
// "for big deals notify Anna", "in Poland notify Anna", "at night notify Anna". The
// order's reader starts at its verb and would skip it; it is asked about instead.
static NARROWING_FRONT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|but\s+|then\s+|also\s+)?(?:for|in|at|on|during|outside|only|except|unless|within|over|under|above|below|if|after|before|between)\s")
        .expect("valid regex")
});

// Words known before an order's verb, besides the lexicon's `FILLER` (which says nothing
// anywhere): what leads into it, the things orders make or send (an order may open with
// its noun: "chat message to Anna", "task for Marek to call"), verbs the order's reader
// knows by another word ("take the tag off"), and the words of a subject or a wish.
const KNOWN_FRONT: &[&str] = &[
    "plus",
    "finally",
    "next",
    "first",
    "simply",
    "i",
    "can",
    "could",
    "would",
    "will",
    "should",
    "must",
    "need",
    "needs",
    "want",
    "wants",
    "like",
    "to",
    "an",
    "their",
    "his",
    "her",
    "its",
    "my",
    "these",
    "those",
    "system",
    "crm",
    "bitrix",
    "or",
    "but",
    "either",
    "make",
    "do",
    "chat",
    "message",
    "msg",
    "webhook",
    "task",
    "reminder",
    "bell",
    "notification",
    "comment",
    "note",
    "call",
    "email",
    "e-mail",
    "sms",
    "whatsapp",
    "text",
    "tag",
    "priority",
    "deadline",
    "invoice",
    "quote",
    "deal",
    "contact",
    "company",
    "activity",
    "meeting",
    "courtesy",
    "follow-up",
    "high",
    "low",
    "urgent",
    "new",
    "quick",
    "take",
    "strip",
    "clear",
    "have",
    "get",
    "gets",
    "nudge",
    "confirm",
    "land",
    "give",
    "put",
    "let",
    "with",
    "maybe",
    "only",
    "feedback",
    "zero",
    "sched",
    "welcome",
    "thank-you",
    "confirmation",
    "intro",
    "follow",
    "afterwards",
    "after",
    "second",
    "third",
    "step",
    "last",
    "lastly",
    "again",
    "instead",
    "later",
];

/// Whether the words before an order's verb are all words b24flow does not know there
/// ("purple monkeys notify Anna"): the order's reader would skip them. Adverbs ("-ly")
/// and a name (capitalised) are let through.
fn unknown_front(before: &str) -> bool {
    if before.contains(':') {
        return false;
    }
    let words: Vec<&str> = before
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\''))
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .collect();
    !words.is_empty()
        && words.len() <= 4
        && words.iter().all(|w| {
            w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && !w.ends_with("ly")
                && !KNOWN_FRONT.contains(w)
                && !super::lexicon::FILLER.contains(w)
                && !super::lexicon::PEOPLE.contains(w)
                && !words::has_action_verb(w)
        })
}

pub(super) struct State<'a> {
    pub(super) drafts: &'a mut Vec<Draft>,
    pub(super) conditions: &'a mut Vec<Condition>,
    pub(super) questions: &'a mut Vec<String>,
    /// The verb of the last instruction, for "create a contact and a company".
    pub(super) last_verb: &'a mut Option<String>,
}

// The recipient first, then what they get: "the customer should get an SMS", "I'd like
// the responsible person to get a reminder in a week", "the manager a notification" (a
// verb shared with the clause before), "it gets the tag 'vip'", "Jürgen must receive a
// notification" (a name's letters may go beyond ASCII). Only a thing b24flow can
// send or create counts.
static RECIPIENT_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|also\s+|then\s+)?(?:(?:i'd|i\s+would|we'd|we\s+would)\s+(?:like|love)\s+|(?:i|we)\s+want\s+|(?:make\s+sure|ensure|see\s+to\s+it)\s+(?:that\s+)?)?(?P<who>[\w\x{c0}-\x{24f}'@.-]+(?:\s+[\w\x{c0}-\x{24f}'@.-]+){0,4}?)\s+(?:(?:should|must|will|shall|needs?\s+to|has\s+to|to)\s+)?(?:(?:also\s+)?(?:get|gets|receive|receives|be\s+sent|is\s+sent|be\s+given|is\s+given|gets\s+sent|needs?|will\s+need|would\s+need|wants?)\s+(?:(?:a|an)\s+|(?P<the>the\s+))?|(?:a|an)\s+)(?:(?:quick|short|new|brief|follow-?up|internal|welcome|thank-?you|confirmation|[a-z]+ing)\s+)?(?:(?P<weight>(?:high|low|top)[\s-]priority|urgent)\s+)?(?P<thing>sms|text(?:\s+message)?|whats\s?app(?:\s+message)?|e-?mail|(?:bell\s+|push\s+)?notification|reminder|task|to-?do|chat\s+message|message|comment|note|tag|label)\b(?P<rest>.*)$")
        .expect("valid regex")
});

// The passive: "it should be assigned to Anna", "the manager needs to be notified", "a
// reminder should be set for Ola in 2 days", "the client is to be e-mailed".
static PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    let verbs: Vec<&str> = PARTICIPLES.iter().map(|(p, _)| *p).collect();
    pattern(&format!(
        r"^(?:and\s+|also\s+|then\s+)?(?P<subject>it|this|they|them|(?:the|a|an|our|their|its)\s+(?:[\w'-]+|\x01\d+\x02)(?:\s+(?:[\w'-]+|\x01\d+\x02)){{0,5}}?|(?:(?:dr|mr|mrs|ms|prof)\.?\s+)?[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)\s+(?:should|must|will|shall|could|would|needs?\s+to|has\s+to|have\s+to|is\s+to|are\s+to|is|are|gets?|to)\s+(?:(?:also|automatically|then|always)\s+)?(?:be\s+|get\s+)?(?:also\s+)?(?P<verb>{})\b(?P<rest>.*)$",
        verbs.join("|")
    ))
    .expect("valid regex")
});

// The passive with no subject, after one that had it: "and is assigned to Dan".
static SUBJECTLESS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|also\s+|then\s+)?(?:is|gets|should\s+be|must\s+be|will\s+be)\s+(?:also\s+|then\s+|automatically\s+)?(?P<verb>[a-z]+)\b(?P<rest>.*)$")
        .expect("valid regex")
});

// "I want Sofia to get a chat message": someone wished to get a thing, and "a task to
// order the stems" after it, with no one of its own. The wish's opening may already be
// read off ("Sofia to get a chat message", when the event comes last).
static WISHED_TO_GET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^(?:(?:(?:i|we)\s+(?:want|need|would\s+like|'d\s+like)|(?:i|we)'d\s+like)\s+)?(?P<who>(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))\s+to\s+(?:get|receive|have)\s+(?:a|an)\s")
        .expect("valid regex")
});
static BARE_GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:also\s+)?(?:a|an)\s+(?:[a-z-]+\s+)?(?:task|reminder|to-?do)\b")
        .expect("valid regex")
});

/// "I want Sofia to get a chat message and a task to order the stems": the task is
/// Sofia's too, as the one wished to get the first thing gets the second. Read alone,
/// "a task to order the stems" went to the responsible person.
pub(super) fn given_too(items: &mut [Item]) {
    for i in 1..items.len() {
        let who = match &items[i - 1] {
            Item::Instruction(c) => WISHED_TO_GET
                .captures(&c.orig)
                .and_then(|m| m.name("who"))
                .map(|m| m.as_str().to_owned()),
            _ => None,
        };
        if let (Some(who), Item::Instruction(c)) = (who, &mut items[i])
            && BARE_GIVEN.is_match(&c.lower)
            && !c.lower.contains(" for ")
        {
            *c = Clause::new(&format!("{} for {who}", c.orig));
        }
    }
}

// A wish that says what should happen: "I'd like the head of sales pinged", "we want a
// text to go to the customer", "I want that the system makes a reminder", "We'd also
// like a note on the deal".
static WANTED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|also\s+|so\s+|then\s+)?(?:(?:i'd|i\s+would|we'd|we\s+would|i\s+should|we\s+should)\s+(?:also\s+)?(?:like|love)|(?:i|we)\s+(?:also\s+)?(?:want|need))\s+(?:that\s+)?(?P<rest>.+)$")
        .expect("valid regex")
});

// The record to go to a stage: "the deal to go to the Viewing stage".
static TO_GO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?P<obj>(?:the|its|their|this)\s+(?:deal|lead|record|opportunity))\s+to\s+(?:go|move|be\s+moved|get\s+moved)\s+(?P<rest>(?:in)?to\s.+)$")
        .expect("valid regex")
});

// A field to take a value: "the Marketing Consent field to go back to 'pending'".
static FIELD_BACK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?P<obj>(?:the|its|their)\s+(?:[\w'-]+\s+){0,4}?field)\s+to\s+(?:go\s+back|be\s+set\s+back|be\s+set|be\s+changed|change|revert|be\s+reset|reset)\s+to\s+(?P<value>.+)$")
        .expect("valid regex")
});

/// Whether `clause` wishes for a state only an order makes ("we need the deal to go to
/// the Viewing stage"), whatever its words would mean as an event.
pub(super) fn wishes_a_state(clause: &Clause) -> bool {
    let rest = WANTED
        .captures(&clause.lower)
        .and_then(|c| c.name("rest"))
        .map_or(clause.lower.as_str(), |r| r.as_str());
    is_wished_state(rest)
}

/// Whether `lower`, after any wish words, is a state only an order makes.
fn is_wished_state(lower: &str) -> bool {
    TO_GO.is_match(lower) || FIELD_BACK.is_match(lower)
}

// What a wish asks the system itself to do: "the system makes a reminder", "Bitrix to
// create the invoice".
static SYSTEM_DOES: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:the\s+)?(?:system|crm|bitrix24|bitrix|b24flow|portal|computer|it)\s+(?:to\s+)?(?:automatically\s+)?(?P<verb>[a-z]+)\b")
        .expect("valid regex")
});

// A thing sent and where it goes: "a text to go to the customer", "an e-mail sent out to
// the client".
static THING_GOES: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?P<thing>(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:sms|text(?:\s+message)?|whats\s?app(?:\s+message)?|e-?mail|notification|chat\s+message|message))\s+(?:to\s+(?:go|be\s+sent)|(?:go|going|goes|sent)|to\s+go\s+out)\s+(?:out\s+)?to\s+(?P<rest>.+)$")
        .expect("valid regex")
});

// A thing b24flow makes or sends, wished for: "a task for Anna", "an SMS to the client".
static THING_WISHED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:a|an)\s+(?:(?:new|quick|short|follow-up|high-priority|urgent)\s+)?(?P<noun>task|to-do|todo|reminder|call|comment|note|tag|deal|quote|invoice|sms|text|e-?mail|whatsapp|notification|message)\b")
        .expect("valid regex")
});

/// Rewrites a wish as the order it states: the system's own verb ("I want that the
/// system makes a reminder": "make a reminder"), a thing sent ("a text to go to the
/// customer": "send a text to the customer"), or a participle ("the head of sales pinged
/// on Bitrix": "ping the head of sales on Bitrix"). A recipient who is to get something
/// ("I'd like the manager to get a task") is [`recipient_first`]'s.
pub(super) fn wanted(clause: &Clause) -> Option<Clause> {
    // "... and the kennel manager notified": after a wish, its second half has no wish
    // words of its own.
    let rest = match WANTED.captures(&clause.lower) {
        Some(c) => clause.tail(c.name("rest")?.start()),
        // "the deal to go to the Viewing stage", its "we need" read as the opener.
        None if is_wished_state(&clause.lower) => clause.clone(),
        // Not "the person who created it": a relative clause names someone.
        None if ELLIPTIC.is_match(&clause.lower)
            && !clause
                .lower
                .split_whitespace()
                .any(|w| ["who", "whom", "that", "which", "whose"].contains(&w)) =>
        {
            clause.clone()
        }
        None => return None,
    };
    // "we need the deal to go to the Viewing stage", "the Marketing Consent field to go
    // back to 'pending'": the state wished for, made by the order that makes it.
    if let Some(c) = TO_GO.captures(&rest.lower) {
        let obj = rest.orig_at(c.name("obj")?.range());
        let to = rest.orig_at(c.name("rest")?.range());
        return Some(Clause::new(&format!("move {obj} {to}")));
    }
    if let Some(c) = FIELD_BACK.captures(&rest.lower) {
        let obj = rest.orig_at(c.name("obj")?.range());
        let value = rest.orig_at(c.name("value")?.range());
        return Some(Clause::new(&format!("set {obj} to {value}")));
    }
    // "I want it assigned to Olivia" is no system's verb: its participle is read below.
    if let Some(s) = SYSTEM_DOES.captures(&rest.lower)
        && let verb = &s["verb"]
        // "makes" is "make", "creates" is "create".
        && let Some(base) = [verb, verb.strip_suffix('s').unwrap_or(verb)]
            .into_iter()
            .find(|v| words::has_action_verb(v))
    {
        let after = rest.orig_at(s.name("verb")?.end()..rest.orig.len());
        return Some(Clause::new(&format!("{base}{after}")));
    }
    if let Some(t) = THING_GOES.captures(&rest.lower) {
        let thing = rest.orig_at(t.name("thing")?.range());
        let to = rest.orig_at(t.name("rest")?.range());
        return Some(Clause::new(&format!("send {thing} to {to}")));
    }
    // "I want a task for the account manager to write the loss report": the thing wished
    // for, made by the verb that makes it. A participle after it ("a call with the client
    // scheduled for tomorrow") is read below instead.
    // "a new deal called 'Refresher offer'": a title given is no participle.
    if let Some(t) = THING_WISHED.captures(&rest.lower)
        && !words::words_from(&rest, 0).take(6).any(|w| {
            PARTICIPLES
                .iter()
                .any(|(p, _)| w.text.eq_ignore_ascii_case(p))
                && !(matches!(w.text, "called" | "named" | "titled")
                    && rest.lower.contains(&format!("{} \x01", w.text)))
        })
    {
        let verb = match &t["noun"] {
            "task" | "to-do" | "todo" | "deal" | "quote" | "invoice" => "create",
            "reminder" => "set",
            "call" => "schedule",
            "comment" | "note" | "tag" => "add",
            _ => "send",
        };
        return Some(Clause::new(&format!("{verb} {}", rest.orig)));
    }
    // "I would like the sales manager to be informed by a bell notification": the
    // passive after the wish.
    if let Some(p) = passive(&rest) {
        return Some(p);
    }
    // "the head of sales pinged on Bitrix": the subject and its participle, read as the
    // passive they shorten.
    let ws: Vec<words::Word<'_>> = words::words_from(&rest, 0).collect();
    let (i, verb) = ws.iter().enumerate().take(6).skip(1).find(|(i, w)| {
        let lower = w.text.to_ascii_lowercase();
        // "a quote called 'Fee proposal' drafted": "called" before a name names it.
        let names = lower == "called"
            && (rest.lower[w.end..].trim_start().starts_with('\x01')
                || ws[i - 1]
                    .text
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase)
                    && ws
                        .get(i + 1)
                        .is_some_and(|n| n.text.starts_with(char::is_uppercase)));
        // "the client given a discount" was never read as an order.
        lower != "given" && !names && PARTICIPLES.iter().any(|(p, _)| *p == lower)
    })?;
    let subject = rest.orig_at(0..verb.start);
    let tail = rest.orig_at(verb.start..rest.orig.len());
    if ws[..i].iter().any(|w| {
        ["to", "is", "are", "be", "should", "will", "gets", "get"]
            .contains(&w.text.to_ascii_lowercase().as_str())
    }) {
        return None;
    }
    passive(&Clause::new(&format!(
        "{} should be {}",
        subject.trim(),
        tail
    )))
}

// "put it in Discovery", "pop the deal into 'Negotiation'": the record put in a stage
// named by its name, capitalised or quoted (checked where it is read).
static PUT_IN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|then\s+)?(?:put|place|pop|drop|stick|throw)\s+(?:it|this|them|the\s+(?:deal|record|opportunity))\s+(?:in|into|to)\s+(?:the\s+)?(?:(?:stage|column)\s+)?(?P<stage>\x01\d+\x02|[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})\s*[.!]?$")
        .expect("valid regex")
});

// A note's stage move: "deal to Production", "deal -> stage 'Won back'".
static DEAL_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|then\s+)?(?:the\s+)?(?:deal|opportunity)\s+(?:to|into)\s+(?:the\s+)?(?:(?:stage|column)\s+)?(?P<stage>\x01\d+\x02|[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})\s*[.!]?$")
        .expect("valid regex")
});

/// Rewrites "put it in Discovery" as the stage move it means. The stage must be quoted
/// or capitalised, as a stage's name is: "put it in the queue" is no stage.
fn put_in_stage(clause: &Clause) -> Option<Clause> {
    let c = PUT_IN
        .captures(&clause.lower)
        .or_else(|| DEAL_TO.captures(&clause.lower))?;
    let m = c.name("stage")?;
    let stage = clause.orig_at(m.range());
    let named = m.as_str().starts_with('\x01')
        || stage
            .split_whitespace()
            .next()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
    named.then(|| Clause::new(&format!("move it to the stage {stage}")))
}

// A subject and a participle with no verb between: "the kennel manager notified", "the
// task handed over to Helen". Only the participles of orders given to people or
// records, a subset of [`PARTICIPLES`]: "the client called" is no order. Right after
// the article the participle is an adjective: "the assigned rep" is a person.
static ELLIPTIC: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|also\s+|then\s+)?(?:the|a|an|our|their)\s+(?:(?:[a-z'-]+|\x01\d+\x02)\s+){1,3}(?:notified|informed|alerted|messaged|pinged|emailed|e-mailed|texted|tagged|assigned|reassigned|handed|passed|moved|created|opened|updated|set|added|removed)\b")
        .expect("valid regex")
});

/// Participles [`PASSIVE`] reads (a wish may use them without "should be"), each with
/// the imperative it stands for.
const PARTICIPLES: &[(&str, &str)] = &[
    ("assigned", "assign"),
    ("reassigned", "reassign"),
    ("tagged", "tag"),
    ("labelled", "label"),
    ("labeled", "label"),
    ("emailed", "email"),
    ("e-mailed", "email"),
    ("notified", "notify"),
    ("alerted", "alert"),
    ("informed", "inform"),
    ("messaged", "message"),
    ("pinged", "ping"),
    ("texted", "text"),
    ("whatsapped", "whatsapp"),
    ("called", "call"),
    ("phoned", "phone"),
    ("rung", "ring"),
    ("reminded", "remind"),
    ("set", "set"),
    ("sent", "send"),
    ("created", "create"),
    ("opened", "open"),
    ("added", "add"),
    ("applied", "apply"),
    ("given", "give"),
    ("handed", "hand"),
    ("passed", "pass"),
    ("marked", "mark"),
    ("updated", "update"),
    ("moved", "move"),
    ("generated", "generate"),
    ("drawn", "draw"),
    ("drafted", "draft"),
    ("prepared", "prepare"),
    ("issued", "issue"),
    ("raised", "raise"),
    ("made", "make"),
    ("left", "leave"),
    ("posted", "post"),
    ("written", "write"),
    ("logged", "log"),
    ("pushed", "push"),
    ("extended", "extend"),
    ("postponed", "postpone"),
    ("shifted", "shift"),
    ("scheduled", "schedule"),
    ("booked", "book"),
    ("arranged", "arrange"),
    ("changed", "change"),
    ("removed", "remove"),
    ("deleted", "delete"),
    ("put", "put"),
    ("escalated", "escalate"),
    ("forwarded", "forward"),
    ("transferred", "transfer"),
    ("flagged", "flag"),
    ("increased", "increase"),
    ("lowered", "lower"),
    ("filled", "fill"),
];

/// Rewrites a passive instruction as the imperative it means.
fn passive(clause: &Clause) -> Option<Clause> {
    // "(every new deal goes to Quote Requested) and is assigned to Dan": the passive's
    // subject is the one before, the record.
    if let Some(c) = SUBJECTLESS.captures(&clause.lower)
        && let Some((_, verb)) = PARTICIPLES.iter().find(|(p, _)| *p == &c["verb"])
    {
        let rest = clause.orig_at(c.name("rest")?.range());
        return Some(Clause::new(&format!("{verb} it{rest}")));
    }
    let c = PASSIVE.captures(&clause.lower)?;
    let written = c.name("verb")?.as_str();
    let (_, verb) = PARTICIPLES.iter().find(|(p, _)| *p == written)?;
    // "It is to be assigned to ...": a pronoun at the sentence's start is still "it".
    let subject = match &c["subject"] {
        "it" | "this" | "they" | "them" => &c["subject"],
        _ => clause.orig_at(c.name("subject")?.range()),
    };
    // "Mirela should be pinged in chat": without an article, only a name (capitalised)
    // is the one the order is about.
    let bare = ![
        "it", "this", "they", "them", "the", "a", "an", "our", "their", "its",
    ]
    .iter()
    .any(|d| c["subject"] == **d || c["subject"].starts_with(&format!("{d} ")));
    if bare && !subject.starts_with(|ch: char| ch.is_ascii_uppercase()) {
        return None;
    }
    let rest = clause.orig_at(c.name("rest")?.range());
    // "a quote should be drawn up", "the deadline should be pushed back by 2 days": the
    // verb's particle stays with it, before its object.
    // "set back to No" says the value again; its "back" is no particle of "set".
    let particle = PARTICLE
        .find(&c["rest"])
        .map(|m| m.end())
        .filter(|&end| !c["rest"][end..].trim_start().starts_with("to "));
    let (verb, rest) = match particle {
        Some(end) => (
            format!("{verb} {}", rest[..end].trim()),
            rest.get(end..).unwrap_or_default(),
        ),
        None => ((*verb).to_owned(), rest),
    };
    // "a quote assigned to Peter": a record that does not exist yet is created for the
    // one named, not handed over (which only the workflow's own record can be).
    if verb == "assign" && ["a ", "an "].iter().any(|a| c["subject"].starts_with(a)) {
        return Some(Clause::new(&format!("create {subject} assigned{rest}")));
    }
    Some(Clause::new(&format!("{verb} {subject}{rest}")))
}

static QUALIFIED_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:set|change|update)\s+(?:the\s+|their\s+|its\s+|his\s+|her\s+)?(?P<q>[a-z]+)\s+stage\s+to\s+")
        .expect("valid regex")
});

// The record's priority raised, said of the record ("the task is bumped to high
// priority") or done to it ("bump it to high priority").
static RECORD_RAISED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:(?:the|this|that|its)\s+(?:task|deal|lead)\s+(?:is|gets|get|should\s+be|will\s+be|to\s+be)\s+(?:bumped|raised|moved|set|changed|switched|marked|escalated|flagged|upgraded)|(?:bump|raise|move|escalate|upgrade|switch)\s+(?:it|this|the\s+task))(?:\s+up)?\s+(?:to|as)\s+(?:a\s+)?(?P<level>low|normal|medium|high|urgent)(?:[- ]priority)?$")
        .expect("valid regex")
});

static THE_THING_IS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:the|this|that)\s+(?:task|deal|quote|invoice|contact|company|reminder|call)\s+(?:is|gets|get|was|will\s+be|should\s+be)\s+[a-z]+ed\b")
        .expect("valid regex")
});

// A priority alone: "priority high", "prio -> low", "high priority", "set priority high",
// "put the priority high", "its priority set high" (the verb after it).
static BARE_PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:please\s+)?(?:(?:set|make|mark|change|put)\s+(?:it\s+)?)?(?:the\s+|its\s+)?(?:priority\s*(?:->|=|:|to|set(?:\s+to)?|(?:should\s+)?be(?:\s+set)?(?:\s+to)?)?\s*(?P<a>low|normal|medium|high|urgent)|(?P<b>low|normal|medium|high|urgent)[- ]priority)$")
        .expect("valid regex")
});

// A verb's particle, right after its participle: "drawn up", "pushed back", "sent out".
static PARTICLE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\s+(?:up|back|out|off|over)\b").expect("valid regex"));

// A record b24flow creates, alone after the event: "deal won -> invoice + task for Marek".
pub(super) static BARE_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|plus\s+|then\s+)?(?:(?:a|an|new|the)\s+)?(?P<record>invoice|quote|quotation|proposal|estimate|contact|company|deal)\s*[.!]?$")
        .expect("valid regex")
});

// The record moving, said as what happens: "the deal moves to Order Placed".
static STATE_MOVES: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?P<subject>(?:the|its|their)\s+(?:deal|lead|record|opportunity)|it|they)\s+(?:automatically\s+)?(?:moves|goes|gets\s+moved|is\s+moved|will\s+move|will\s+go)\s+(?P<rest>(?:in)?to\s.+)$")
        .expect("valid regex")
});

// A form of "be" or "get" before a participle, which a wish leaves out: "new leads get
// assigned to Tomasz", "their GDPR Checked field is set back to No".
static STATE_BE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\s(?:is|are|gets|get|will\s+be|will\s+get)\s+(?:(?:automatically|also|then|always)\s+)?(?P<verb>[a-z]+)\b")
        .expect("valid regex")
});

/// After "can we make it so", a clause that says the state wanted, rewritten as the wish
/// it is: "the deal moves to Order Placed" is "move the deal to Order Placed", and "new
/// leads get assigned to Tomasz" is "I want new leads assigned to Tomasz".
fn state_wanted(clause: &Clause) -> Option<Clause> {
    if let Some(c) = STATE_MOVES.captures(&clause.lower) {
        let subject = clause.orig_at(c.name("subject")?.range());
        let rest = clause.orig_at(c.name("rest")?.range());
        return Some(Clause::new(&format!("move {subject} {rest}")));
    }
    let c = STATE_BE.captures(&clause.lower)?;
    let verb = c.name("verb")?;
    if !PARTICIPLES.iter().any(|(p, _)| *p == verb.as_str()) {
        return None;
    }
    let before = clause.orig_at(0..c.get(0)?.start());
    // "the deal's Meeting Booked field is set to Yes": a field set to a value is the
    // order that sets it, whatever words its name holds ("Booked" was read as the verb).
    // "set back to No" says the value again; its "back" is no part of it.
    if verb.as_str() == "set" && before.to_ascii_lowercase().ends_with(" field") {
        let rest = clause.orig_at(verb.end()..clause.orig.len());
        let rest = rest.strip_prefix(" back").unwrap_or(rest);
        return Some(Clause::new(&format!("set {before}{rest}")));
    }
    let after = clause.orig_at(verb.start()..clause.orig.len());
    wanted(&Clause::new(&format!("I want {before} {after}")))
}

// Who is to call, before the call: "Bartek should call the client tomorrow", "→ Bartek to
// call the client", "the account manager must ring them", "Sofia must make a call to the
// lead", "Mrs. Kessler should call the customer".
static CALLER_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|then\s+)?(?P<who>(?:the\s+|our\s+|(?:mr|mrs|ms|dr)\.?\s+)?[\w'-]+(?:\s+[\w'-]+){0,2}?)\s+(?:should|must|will|shall|needs?\s+to|has\s+to|is\s+to|to)\s+(?:also\s+)?(?P<rest>(?:call|ring|phone|make\s+a\s+(?:phone\s+)?call)\s.*)$")
        .expect("valid regex")
});

/// Rewrites "Bartek should call the client" as "have Bartek call the client", which names
/// the caller. Only a person or role b24flow can name is the caller; "we", "someone" and
/// the client are not rewritten.
fn caller_first(clause: &Clause) -> Option<Clause> {
    let c = CALLER_FIRST.captures(&clause.lower)?;
    let who = clause.orig_at(c.name("who")?.range());
    let words: Vec<&str> = who.split_whitespace().collect();
    // "task sales to call them": "task" is the verb, and the call the task's purpose.
    if words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("task"))
    {
        return None;
    }
    match recipients::classify(&words, false) {
        Some(recipients::Who::Named(_) | recipients::Who::Responsible) => {}
        // "darlene should call the customer": one word that names no one b24flow knows
        // is the caller still, to be asked about where the call reads who makes it.
        None if matches!(words.as_slice(), [w] if recipients::unplaced(w)) => {}
        _ => return None,
    }
    let rest = clause.orig_at(c.name("rest")?.range());
    Some(Clause::new(&format!("have {who} {rest}")))
}

/// Rewrites a recipient-first clause as the imperative it means, if it is one.
fn recipient_first(clause: &Clause) -> Option<Clause> {
    let c = RECIPIENT_FIRST.captures(&clause.lower)?;
    let who_m = c.name("who")?;
    let who_orig = clause.orig_at(who_m.range());
    let words: Vec<&str> = who_orig.split_whitespace().collect();
    // "I want an e-mail sent to ...": the one who wants it is not who gets it.
    if words.iter().any(|w| {
        ["i", "we", "you", "want", "like", "need", "wish"]
            .contains(&w.to_ascii_lowercase().as_str())
    }) {
        return None;
    }
    // "nudge the owner with a reminder": a preposition in the subject means it is not
    // one; the clause has a verb of its own.
    if words.iter().any(|w| {
        [
            "with", "by", "in", "on", "at", "for", "from", "about", "to", "via", "into", "of",
        ]
        .contains(&w.to_ascii_lowercase().as_str())
    }) {
        return None;
    }
    let rest = clause.orig_at(c.name("rest")?.range());
    let thing = c.name("thing")?.as_str();
    let record = matches!(
        who_m.as_str().trim_start_matches("the "),
        "deal" | "lead" | "record" | "contact" | "company" | "invoice" | "quote" | "task" | "it"
    );
    // "it gets the tag 'no email'": a tag, as a comment, goes on the record. "The" is
    // said of a tag; "the owner gets the task" names a task said before.
    if matches!(thing, "tag" | "label") {
        return record.then(|| Clause::new(&format!("tag it{rest}")));
    }
    if c.name("the").is_some() {
        return None;
    }
    // A comment goes on the record: "the deal a comment 'Closed'".
    if matches!(thing, "comment" | "note") {
        return record.then(|| Clause::new(&format!("add a comment{rest}")));
    }
    // "(when a lead is converted,) they should get a welcome email": on a channel that
    // reaches clients, "they" is the record's client, as "them" is after "email".
    let client_channel = matches!(
        thing,
        "sms"
            | "text"
            | "text message"
            | "e-mail"
            | "email"
            | "whatsapp"
            | "whats app"
            | "whatsapp message"
            | "whats app message"
    );
    let who_orig = match words.as_slice() {
        [w] if client_channel
            && ["they", "he", "she"].contains(&w.to_ascii_lowercase().as_str()) =>
        {
            "them"
        }
        _ => {
            // A vague subject ("someone should get a task") is rewritten too, so that its
            // reader asks who is meant rather than falling back to a default.
            recipients::classify(&words, false)?;
            who_orig
        }
    };
    let verb = match thing {
        "sms" | "text" | "text message" => "send an SMS to",
        "e-mail" | "email" => "send an e-mail to",
        t if t.ends_with("notification") => "send a notification to",
        "reminder" => "set a reminder for",
        // "gets a high-priority task": the weight is the task's priority, kept.
        "task" | "todo" | "to-do" => match c.name("weight").map(|m| m.as_str()) {
            Some(w) if w.starts_with("low") => "create a low priority task for",
            Some(_) => "create a high priority task for",
            None => "create a task for",
        },
        "chat message" => "send a chat message to",
        "message" => "send a message to",
        _ => "send a WhatsApp message to",
    };
    Some(Clause::new(&format!("{verb} {who_orig}{rest}")))
}

// A remark about the business, not an order: "we run a restaurant", "(we do
// renovations)", "we're a plumbing firm", "we track support tickets as deals". Its
// subject is "we" and its verb says what the business is or does.
static REMARK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|but\s+)?(?:(?:we|we're|we\s+are|our\s+(?:company|firm|business|team|shop|practice|clinic|agency|office))\s+(?:(?:also|mostly|mainly|only|just)\s+)?(?:is\s+|are\s+|'re\s+)?(?:a|an|run|runs|do|does|sell|sells|resell|track|treat|use|work|operate|offer|specialise|specialize|are|provide|manage|deal\s+in|build|install|rent|lease|teach|host|repair|make|own|have|look\s+after|serve|support|help)|(?:that's|that\s+is|this\s+is|it's)\s+(?:how|why|because|where|what)|(?:she|he)\s+(?:does|handles|looks\s+after|manages|runs|covers|owns|deals\s+with|takes\s+care\s+of|is\s+in\s+charge\s+of|is\s+responsible\s+for|knows)|(?:she|he|they)(?:'s|'re|\s+is|\s+are)\s+(?:on|covering|away|off|new|our|the\s+one)|(?:she|he|they)(?:'ll|\s+will)\s+(?:get\s+it\s+done|sort\s+it|handle\s+it|deal\s+with\s+it)|everything(?:'s|\s+is)|(?:[a-z-]+\s+){1,3}matters)\b")
        .expect("valid regex")
});

/// Whether a clause is a remark about the business that changes no action: its subject
/// is "we" (or the one just named, saying what they do: "she does all the FB ads
/// stuff"), it names no action kind, no order, no time and no number.
fn is_remark(clause: &Clause, ctx: &Ctx<'_>) -> bool {
    REMARK.is_match(&clause.lower)
        && actions::kind(clause, ctx.tokens).is_none()
        && !words::has_action_verb(&clause.lower)
        && !TIME.is_match(&clause.lower)
        && !clause.lower.contains('\x01')
        // "we only take jobs over 500" may be a condition: a number is never a remark.
        && !clause.lower.chars().any(|c| c.is_ascii_digit())
        // "we only sell to companies" narrows who the workflow is for: asked, not read past.
        && !clause.lower.split_whitespace().any(|w| {
            matches!(w, "only" | "just" | "except" | "never" | "not" | "no" | "don't")
        })
}

// A hedge before an order: "maybe", "possibly", "eventually" (a Dutch speaker's "maybe").
static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:maybe|perhaps|possibly|eventually|optionally|potentially|ideally)\b\s*(?:(?:also|just|then|even)\s+)?")
        .expect("valid regex")
});

// No one in particular, made to do an order: "someone should call them".
static NO_ONE_SHOULD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:and|then|so)\s+)?(?P<who>someone|somebody|anyone|anybody|one\s+of\s+us|a\s+colleague)\s+(?:should|must|will|can|could|needs\s+to|has\s+to|ought\s+to|to)\b")
        .expect("valid regex")
});

// A copula or a comparison: words that say something is so.
static SAYS_SO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:is|are|was|were|isn't|aren't|has|have|had|gets|got|becomes|remains|stays|equals|over|under|above|below|more|less|empty|blank|missing)\b")
        .expect("valid regex")
});

/// The order after a colon, when the words before it are a short heading that names no
/// action of its own and the whole clause reads as none.
fn heading(clause: &Clause, ctx: &Ctx<'_>) -> Option<Clause> {
    if actions::kind(clause, ctx.tokens).is_some() {
        return None;
    }
    let at = clause.orig.find(':')?;
    let head = Clause::new(&clause.orig[..at]);
    let tail = clause.tail(at + 1);
    (head.orig.split_whitespace().count() <= 4
        // "the amount is empty:", "the weather is nice:" say something is so: a
        // condition or a remark, never a heading, and not to be read past.
        && !SAYS_SO.is_match(&head.lower)
        && actions::kind(&head, ctx.tokens).is_none()
        && actions::kind(&tail, ctx.tokens).is_some())
    .then_some(tail)
}

/// Reads an instruction clause into a new action, or into the previous one.
pub(super) fn read_instruction(clause: &Clause, ctx: &Ctx<'_>, state: &mut State<'_>) {
    // "and maybe email the client", "eventually also send them a WhatsApp": an order
    // hedged is no order; a workflow does it every time or never. Asked.
    if let Some(m) = HEDGE.find(&clause.lower).filter(|m| {
        words::first_action_verb(&clause.lower, m.end()) == Some(m.end())
            || clause.lower[m.end()..]
                .trim_matches(['.', ',', ' '])
                .is_empty()
    }) {
        state.questions.push(format!(
            "b24flow could not place \"{}\" in \"{}\": a workflow does each of its actions every time it runs, or not at all. Leave the word out, or say when it should happen as a condition.",
            clause.orig_at(m.range()).trim(),
            clause.orig.trim(),
        ));
        return;
    }
    // "someone should give them a ring": who does it is no one in particular.
    if let Some(c) = NO_ONE_SHOULD.captures(&clause.lower) {
        state.questions.push(format!(
            "Who should do it? \"{}\" in \"{}\" is too vague: name the responsible manager, a team or a person.",
            clause.orig_at(c.name("who").map_or(0..0, |m| m.range())),
            clause.orig.trim(),
        ));
        return;
    }
    if is_remark(clause, ctx) {
        return;
    }
    if let Some(c) = OUTSIDE_ACTS.captures(&clause.lower)
        && ![
            "it",
            "this",
            "that",
            "we",
            "you",
            "i",
            "the workflow",
            "the system",
            "the automation",
            "the rule",
            "the crm",
            "b24flow",
            "bitrix",
            "bitrix24",
            "the portal",
        ]
        .contains(&&c["subject"])
    {
        state.questions.push(unplaced(&clause.orig));
        return;
    }
    // "We need an invoice raised every time a deal is won. Call it 'Deposit'.": after
    // an order that makes something, "call it" with a quote names that thing; it is no
    // phone call. With nothing made before, it is asked about.
    if let Some(m) = NAME_IT.find(&clause.lower)
        && let Some(title) = actions::quoted_text(&clause.tail(m.end()), ctx)
    {
        match state.drafts.last_mut() {
            Some(last) if MADE.contains(&last.kind) => last.set("title", title),
            _ => state.questions.push(unplaced(&clause.orig)),
        }
        return;
    }
    // "Once a deal is won, it should create an invoice", "it must also text the client":
    // as the first order, "it" with a modal and an order's verb is the workflow itself
    // saying what it does (there is no message yet whose words it could be).
    if state.drafts.is_empty()
        && let Some(m) = IT_SHOULD.find(&clause.lower)
        && words::first_action_verb(&clause.lower, m.end()) == Some(m.end())
    {
        read_instruction(&clause.tail(m.end()), ctx, state);
        return;
    }
    // "the value goes over 50000 ping the head of sales", "its over 2000 send a
    // WhatsApp": a condition on the amount run into the order after it with no comma is
    // the order's condition, never words the order's reader skips.
    if let Some(at) = words::first_action_verb(&clause.lower, 0).filter(|&at| at > 0)
        && let Some(c) = conditions::amount(&clause.head(at))
    {
        if !state.conditions.contains(&c) {
            state.conditions.push(c);
        }
        read_instruction(&clause.tail(at), ctx, state);
        return;
    }
    // "notify the account manager tag it placed": two orders run together, each read on
    // its own. After a task or a reminder, the second may be what is to be done ("a task
    // for Bob call the client"), so it is asked about.
    if let Some(at) = run_on(clause) {
        let head = clause.head(at);
        let tail = clause.tail(at);
        let task = matches!(
            actions::kind(&head, ctx.tokens),
            Some(actions::Kind::Action("create_task" | "set_reminder"))
        );
        read_instruction(&head, ctx, state);
        if task {
            state.questions.push(format!(
                "b24flow could not tell where \"{}\" ends: is \"{}\" what is to be done, or another action? Quote the task's title, or put \"and\" between two actions.",
                head.orig.trim(),
                tail.orig.trim()
            ));
        } else {
            read_instruction(&tail, ctx, state);
        }
        return;
    }
    // What no action can carry out, said where an action reads it: asked, never dropped.
    if let Some(question) = strays::question(clause, state) {
        state.questions.push(question);
        return;
    }
    // "webhook to ... so the newsletter list stays in sync": the purpose of an order is
    // detail of it, not a leftover, and never the order's object or text. A purpose that
    // names an action or a quote of its own ("so the client gets an SMS") may be another
    // order, so it is asked; a purpose with no order before it is asked too.
    // Every purpose says "so" or "in order": only a clause with one is searched.
    if (clause.lower.contains("so") || clause.lower.contains("order"))
        && let Some(m) = PURPOSE.find(&clause.lower)
    {
        let at = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
        let head = clause.head(at);
        let purpose = clause.tail(at);
        let said = Clause::new(
            purpose
                .orig
                .split_once(char::is_whitespace)
                .map_or("", |(_, rest)| rest),
        );
        // A purpose that reaches someone ("so the team knows", "so the manager stays up
        // to date") may be a message of its own, too.
        // After a message, someone learning something is what the message is for ("email
        // the client so that they know what happens next"); a person named still counts.
        let head_kind = actions::kind(&head, ctx.tokens);
        let message = match head_kind {
            Some(actions::Kind::Message) => true,
            Some(actions::Kind::Action(id)) => id.starts_with("send_"),
            _ => false,
        };
        let seen = matches!(head_kind, Some(actions::Kind::Action(id)) if purpose::is_seen_through(id))
            && purpose::sees_it(&purpose.lower);
        // "so the hours get billed": a thing's passive ("get" + a participle no action
        // performs) reaches no one.
        let passive = super::events::passive_purpose(&purpose.lower);
        let read = purpose::read(&said.lower, &said.orig);
        // "so she can update the sheet": her own work; "so the app gets the new address":
        // data, not a thing b24flow sends. Neither is an order, whoever is named.
        let no_order = read.own_work || read.gets_data;
        let reaches = (!message && !passive && read.reaches)
            || !no_order
                && words::words_from(&said, 0).any(|w| {
                    matches!(
                        recipients::classify(&[w.text], false),
                        Some(recipients::Who::Responsible | recipients::Who::Client)
                    )
                });
        let acts = !seen
            && (reaches
                || said.lower.contains('\x01')
                || !no_order
                    && (actions::kind(&said, ctx.tokens).is_some()
                        || MODAL_VERB.captures(&said.lower).is_some_and(|c| {
                            c.get(1).is_some_and(|v| {
                                actions::kind(&said.tail(v.start()), ctx.tokens).is_some()
                            })
                        })));
        if acts || (head.is_empty() && state.drafts.is_empty()) {
            state.questions.push(unplaced(&purpose.orig));
        }
        if !head.is_empty() {
            read_instruction(&head, ctx, state);
        }
        return;
    }
    // "... the deal moves to Order Placed", "new leads get assigned to Tomasz": the state
    // asked for, said as the order that makes it.
    let stated = ctx
        .made_so
        .then(|| state_wanted(clause))
        .flatten()
        .or_else(|| {
            BARE_RECORD
                .captures(&clause.lower)
                .map(|c| Clause::new(&format!("create a new {}", &c["record"])))
        });
    let clause = stated.as_ref().unwrap_or(clause);
    // "overdue task -> priority high": a priority alone, with no task just created to
    // carry it, is the record's own priority to set.
    let bare_priority = BARE_PRIORITY.captures(&clause.lower);
    // "ring the lead within 2 hours, high prio": after an order that has no priority of
    // its own, on a record that has none, a priority alone may be the order's or the
    // record's: asked, not set on the lead.
    if bare_priority.is_some()
        && ctx
            .trigger
            .is_some_and(|t| t.entity != crate::catalog::Entity::Task)
        && state.drafts.last().is_some_and(|d| {
            !matches!(
                d.kind,
                "create_task" | "set_reminder" | "update_field" | "update_deal"
            )
        })
    {
        state.questions.push(unplaced(&clause.orig));
        return;
    }
    let prioritised = bare_priority
        .filter(|_| {
            !state
                .drafts
                .last()
                .is_some_and(|d| matches!(d.kind, "create_task" | "set_reminder"))
        })
        .and_then(|c| c.name("a").or_else(|| c.name("b")))
        .map(|level| Clause::new(&format!("set the priority to {}", level.as_str())));
    let clause = prioritised.as_ref().unwrap_or(clause);
    // "set lifecycle stage to Customer": a stage with a name of its own before it is a
    // field of the record, not the pipeline stage the record is in.
    let named_stage = QUALIFIED_STAGE
        .captures(&clause.lower)
        .filter(|c| {
            ![
                "the", "deal", "lead", "its", "their", "his", "her", "pipeline", "sales",
                "current", "next", "kanban", "funnel", "a", "new", "final", "first", "last",
            ]
            .contains(&&c["q"])
        })
        .map(|c| {
            let rest = clause.orig_at(c.get(0).map_or(0, |m| m.end())..clause.orig.len());
            Clause::new(&format!("set the field {}_stage to {rest}", &c["q"]))
        });
    let clause = named_stage.as_ref().unwrap_or(clause);
    // "the task is bumped up to high priority": the record's priority raised, said of
    // the record; never a new task.
    let raised = RECORD_RAISED
        .captures(&clause.lower)
        .map(|c| Clause::new(&format!("set the priority to {}", &c["level"])));
    let clause = raised.as_ref().unwrap_or(clause);
    // "the task is reviewed by Anna": what happens to a thing that exists ("the task")
    // makes no new one; with no reading of its own, it is asked about.
    if THE_THING_IS.is_match(&clause.lower)
        && matches!(actions::kind(clause, ctx.tokens), Some(actions::Kind::Action(id)) if id.starts_with("create_") || matches!(id, "set_reminder" | "schedule_call"))
    {
        state.questions.push(unplaced(&clause.orig));
        return;
    }
    // "give the sales manager a ping on chat", "give Anna a heads-up": the message it
    // names, to the one given it.
    let pinged = GIVE_A_PING.captures(&clause.lower).and_then(|c| {
        let who = clause.orig_at(c.name("who")?.range());
        let rest = clause.orig_at(c.name("rest")?.range());
        let verb = if c["what"].starts_with("heads") {
            "notify"
        } else {
            "ping"
        };
        Some(Clause::new(&format!("{verb} {who}{rest}")))
    });
    // "kindly give notice to the manager", as an Italian or Greek writer says "notify".
    let pinged = pinged.or_else(|| {
        let c = GIVE_NOTICE.captures(&clause.lower)?;
        Some(Clause::new(&format!(
            "notify {}",
            clause.orig_at(c.name("rest")?.range())
        )))
    });
    let clause = pinged.as_ref().unwrap_or(clause);
    // "have him draw up a quote", "have Anna call the client", "have him get a task":
    // what someone is to do, said as the order that makes it theirs.
    let had = HAVE_DO.captures(&clause.lower).and_then(|c| {
        let mut who = clause.orig_at(c.name("who")?.range()).to_owned();
        // "hand it over to Yusuf and have him draw up a quote": him is Yusuf.
        if ["him", "her"].contains(&who.as_str()) {
            match nearest_person(state.drafts) {
                Some(recipients::Who::Named(name)) => who = name,
                _ => return None,
            }
        }
        let verb = clause.orig_at(c.name("verb")?.range());
        let rest = clause.orig_at(c.name("rest")?.range());
        Some(Clause::new(&match c["verb"].split_whitespace().next()? {
            "call" | "ring" | "phone" => format!("{who} should {verb}{rest}"),
            "get" => format!("{who} gets{rest}"),
            _ => format!("{verb}{rest} for {who}"),
        }))
    });
    let clause = had.as_ref().unwrap_or(clause);
    // "bell notification to 'Accounts' with the text '...'": a short name in quotes after
    // a message's "to" is whom it goes to, not what it says.
    // "for the responsible person please set reminder ...": whom an order is for, put
    // before its verb, as some writers of English as a second language do.
    let fronted = for_first(clause);
    let clause = fronted.as_ref().unwrap_or(clause);
    let quoted_to = quoted_recipient(clause, ctx);
    let clause = quoted_to.as_ref().unwrap_or(clause);
    let named = he_or_she(clause, state.drafts);
    let clause = named.as_ref().unwrap_or(clause);
    // "I want it assigned to Olivia and tagged 'new enquiry'": after an order, a
    // participle done to the record, with no subject of its own, is that order done to it.
    let done_to = (!state.drafts.is_empty())
        .then(|| DONE_TO_IT.captures(&clause.lower))
        .flatten()
        .and_then(|c| {
            let (_, verb) = PARTICIPLES.iter().find(|(p, _)| *p == &c["p"])?;
            let rest = clause.orig_at(c.get(0)?.end()..clause.orig.len());
            Some(Clause::new(&format!("{verb} it{rest}")))
        });
    let clause = done_to.as_ref().unwrap_or(clause);
    let owns = owners::owner_said(clause);
    let rewritten = owns
        .or_else(|| put_in_stage(clause))
        .or_else(|| wanted(clause))
        .or_else(|| passive(clause))
        .or_else(|| caller_first(clause))
        .or_else(|| recipient_first(clause));
    let clause = rewritten.as_ref().unwrap_or(clause);
    // "notify Anna or Peter depending on the region": a choice made at run time, which a
    // workflow of fixed actions cannot make, so the author is asked rather than given one
    // of the readings.
    if let Some(m) = BEFORE.find(&clause.lower) {
        state.questions.push(format!(
            "When should \"{}\" happen? b24flow acts when the event happens or a delay after it (\"in 2 days\"), not \"{}\" something.",
            clause.orig,
            clause.orig_at(m.range()).trim()
        ));
    }
    // "a task for the manager to call the customer again in 30 days": doing it again is
    // what the task asks of its assignee, not the workflow acting twice.
    // So is "remind the assignee again in 2 hours": one reminder after a delay, which
    // the event (an overdue task, an unpaid invoice) follows on; not a repeat.
    let again_in_task = |m: &regex::Match<'_>| {
        let before = &clause.lower[..m.start()];
        m.as_str().starts_with("again")
            && (["task", "reminder", "to-do", "todo"]
                .iter()
                .filter_map(|n| before.find(n))
                .min()
                .is_some_and(|at| before[at..].contains(" to "))
                || m.as_str().starts_with("again in")
                    && ["remind ", "nudge ", "chase "]
                        .iter()
                        .any(|v| before.trim_start().starts_with(v)))
    };
    // "set the Box Plan field to Monthly": a field's value, not how often.
    let field_value = |m: &regex::Match<'_>| {
        ["daily", "weekly", "monthly", "hourly"].contains(&m.as_str())
            && [" to ", " = ", " as "]
                .iter()
                .any(|w| clause.lower[..m.start()].ends_with(w))
    };
    if let Some(m) = LIMIT
        .find_iter(&clause.lower)
        .find(|m| !again_in_task(m) && !field_value(m))
    {
        state.questions.push(format!(
            "b24flow could not place \"{}\" in \"{}\": a workflow does each of its actions once, every time it runs, for the event that started it. Leave the word out, or say what should happen as a condition or a separate workflow.",
            clause.orig_at(m.range()).trim(),
            clause.orig
        ));
    }
    let comparison = |m: &regex::Match<'_>| {
        m.as_str().split_whitespace().nth(1).is_some_and(|w| {
            [
                "more", "less", "above", "below", "higher", "lower", "over", "under", "so",
                "greater", "fewer", "bigger", "smaller", "later", "earlier", "sooner",
            ]
            .contains(&w)
        })
    };
    if let Some(m) = CHOICE
        .find_iter(&clause.lower)
        .find(|m| !(m.as_str().starts_with("or") && comparison(m)))
    {
        state.questions.push(format!(
            "\"{}\" leaves a choice open (\"{}\"): a workflow does the same actions every time. Say which one is meant, or write one workflow per case with a condition.",
            clause.orig,
            clause.orig_at(m.range()).trim()
        ));
    }
    // "and ask for feedback": the purpose of the client message before it.
    if actions::is_feedback(&clause.lower) {
        if let Some(prev) = state.drafts.last_mut()
            && actions::ask_feedback(prev)
        {
            return;
        }
        state.questions.push(unplaced(&clause.orig));
        return;
    }
    if let Some(prev) = state.drafts.last_mut() {
        match actions::continue_previous(prev, clause, ctx) {
            Continued::Merged => {
                // ", due tomorrow at 10am": the offset merges, the clock time cannot.
                if let Some(m) = CLOCK.find(&clause.lower) {
                    state.questions.push(format!(
                        "b24flow could not place \"{}\" in \"{}\": times are counted from when the workflow runs (\"in 2 days\", \"tomorrow\"), not set to a clock time or a weekday.",
                        clause.orig_at(m.range()).trim(),
                        clause.orig,
                    ));
                }
                return;
            }
            Continued::Another(next) => {
                state.drafts.push(next);
                return;
            }
            Continued::No => {}
        }
    }
    // "remove the 'trial' tag, add 'paying'": right after a tag instruction, a bare
    // quoted word is a tag too.
    for (re, verb, kind) in [
        (&*BARE_REMOVE, "remove", "remove_tag"),
        (&*BARE_ADD, "add", "add_tag"),
    ] {
        if let Some(c) = re.captures(&clause.lower)
            && let Some(last) = state
                .drafts
                .last()
                .filter(|d| matches!(d.kind, "add_tag" | "remove_tag"))
        {
            // A quote alone ("remove the tags 'hot' and 'cold'") keeps the verb before it.
            let (verb, kind) = if re.is_match(&clause.lower)
                && clause.lower.starts_with('\x01')
                && last.kind == "remove_tag"
            {
                ("remove", "remove_tag")
            } else {
                (verb, kind)
            };
            let tagged = Clause::new(&format!("{verb} the tag {}", &c[1]));
            state
                .drafts
                .push(actions::read(actions::Kind::Action(kind), &tagged, ctx));
            return;
        }
    }
    // "... saying the deal is won and he should call the client": a clause with a
    // subject of its own and a modal is no order; it may be the rest of the message or
    // another action, so it is asked about.
    if SUBJECT_MODAL.is_match(&clause.lower) {
        state.questions.push(unplaced(&clause.orig));
        return;
    }
    // "prioritise the handover: a high priority task for ...": a short heading before a
    // colon names what the order after it does.
    let headed = heading(clause, ctx);
    let clause = headed.as_ref().unwrap_or(clause);
    let reordered = word_order(clause);
    let clause = reordered.as_ref().unwrap_or(clause);
    let first = words::word_at(clause, 0).map(|w| w.text.to_ascii_lowercase());
    let has_verb = first.as_deref().is_some_and(words::has_action_verb);
    if let Some(kind) = actions::kind(clause, ctx.tokens) {
        // "the client is unhappy notify Anna", "it came from the website send ...": a
        // statement of its own run into the order after it, with no comma, may be a
        // condition; the order's reader starts at its verb and would skip it.
        if let Some(at) = words::first_action_verb(&clause.lower, 0).filter(|&at| at > 0)
            && (STATEMENT.is_match(&clause.lower[..at])
                || NARROWING_FRONT.is_match(&clause.lower[..at])
                || unknown_front(&clause.lower[..at]))
        {
            state.questions.push(unplaced(clause.orig_at(0..at).trim()));
        }
        let mut draft = actions::read(kind, clause, ctx);
        resolve_pronoun(&mut draft, state.drafts);
        colleague_on_a_task(&mut draft, clause, state.drafts, ctx);
        if let Some(q) = pronoun_of_two(&draft, clause, state.drafts) {
            state.questions.push(q);
        }
        // "email the client within the hour": a time the action has no slot for, or one
        // its reader did not understand, is asked about rather than dropped.
        if let Some(m) = TIME.find(&clause.lower)
            && !["datetime", "deadline", "value"]
                .iter()
                .any(|f| draft.fields.contains_key(*f))
        {
            let has_time_slot = catalog::action(draft.kind).is_some_and(|a| {
                a.fields
                    .iter()
                    .any(|f| f.kind == catalog::FieldKind::DateTime)
            });
            state.questions.push(if has_time_slot {
                format!(
                    "b24flow could not read \"{}\" in \"{}\" as a time: write it counted from when the workflow runs, e.g. \"in 2 days\", \"in 4 hours\" or \"tomorrow\".",
                    clause.orig_at(m.range()).trim(),
                    clause.orig,
                )
            } else {
                format!(
                    "b24flow could not place \"{}\" in \"{}\": {} has no time of its own. Leave the time out, or make it a task or reminder with a deadline.",
                    clause.orig_at(m.range()).trim(),
                    clause.orig,
                    draft.kind
                )
            });
        }
        // "send them a WhatsApp with our brochure link https://...": a link outside the
        // quotes that no field took would be dropped from what the client reads.
        if let Some(url) = unused_url(clause, ctx, &draft) {
            state.questions.push(format!(
                "b24flow could not place the link {url} in \"{}\": put the whole message in quotes with the link inside it (\"send a WhatsApp 'Our brochure: {url}'\").",
                clause.orig
            ));
        }
        // "call them tomorrow at 10am": the offset is read, the clock time cannot be.
        else if let Some(m) = CLOCK.find(&clause.lower) {
            state.questions.push(format!(
                "b24flow could not place \"{}\" in \"{}\": times are counted from when the workflow runs (\"in 2 days\", \"tomorrow\"), not set to a clock time or a weekday.",
                clause.orig_at(m.range()).trim(),
                clause.orig,
            ));
        }
        state.drafts.push(draft);
        if has_verb {
            *state.last_verb = first;
        }
        return;
    }
    // "create a contact and a company": the second instruction borrows the verb.
    // Only verbs that take a thing: "notify" has its recipients continued above, and a
    // word it cannot place must not become a notification for nobody.
    // A clause with a subject of its own ("we treat quoted deals as 40%") is a remark,
    // not a thing to borrow the verb for.
    // "that's how we see who booked": a contraction keeps its subject. "so Anna looks at
    // it again", "because ...": a purpose or a reason is never the verb's next object.
    let own_subject = first.as_deref().is_some_and(|w| {
        let w = w
            .split_once(['\'', '\u{2019}'])
            .map_or(w, |(subject, _)| subject);
        [
            "we", "i", "you", "they", "it", "this", "that", "he", "she", "there", "these", "those",
            "here", "what", "so", "because", "since", "cause", "coz",
        ]
        .contains(&w)
    });
    // "our GDPR person wants to re-verify": someone who wants, needs or expects something
    // is the subject of a sentence of its own (a reason, or a wish to be asked about),
    // never the next object of "set".
    let wishes = WANTS.find(&clause.lower).is_some_and(|m| m.start() > 0);
    // "tag new-enquiry. Declan is covering the leads now", "the team's on it": a verb of
    // being, having or a modal near the start is a sentence's own, not the next thing
    // the verb before takes.
    let own_statement = words::words_from(clause, 0)
        .take(4)
        .enumerate()
        .any(|(i, w)| {
            let w = w.text.to_ascii_lowercase();
            i > 0 && STATING.contains(&w.as_str())
                || i < 3 && ["'s", "\u{2019}s"].iter().any(|s| w.ends_with(s))
        });
    if let Some(verb) = state.last_verb.as_deref()
        && BORROWABLE.contains(&verb)
        && !own_subject
        && !own_statement
        && !wishes
        && !words::has_action_verb(&clause.lower)
    {
        let borrowed = Clause::new(&format!("{verb} {}", clause.orig));
        // "set a reminder ... . chefs are terrible at replying": a field is set again only
        // after a field was set; "set" that gave a reminder sets no field next.
        let after_an_update = state
            .drafts
            .last()
            .is_none_or(|d| d.kind.starts_with("update_"));
        // "tag charter-inbound ... . empty legs go fast": four plain words or more, with no
        // hyphen or quote to join them, are a sentence, not a tag's name.
        let sentence = words::words_from(clause, 0).nth(3).is_some()
            && !clause.orig.contains(['-', '_', '\x01']);
        if let Some(kind) = actions::kind(&borrowed, ctx.tokens).filter(|k| {
            (after_an_update
                || !matches!(k, actions::Kind::Action(id) if id.starts_with("update_")))
                && !(sentence && matches!(k, actions::Kind::Action("add_tag" | "remove_tag")))
        }) {
            state.drafts.push(actions::read(kind, &borrowed, ctx));
            return;
        }
    }
    if let Some(c) = conditions::amount(clause) {
        if !state.conditions.contains(&c) {
            state.conditions.push(c);
        }
        return;
    }
    // A clause that gives an order we do not know is worth a question; so is any other
    // clause with words of its own. Only filler ("automatically", "please") is not.
    if has_verb {
        state.questions.push(format!(
            "What should \"{}\" do? b24flow did not recognise an action there. {ASK_ACTION}",
            clause.orig
        ));
    } else if !content_words(clause).is_empty() && !more_of_what_is_sent(clause, state) {
        state.questions.push(unplaced(&clause.orig));
    }
}

/// The verbs of a statement: being, having, and the modals.
const STATING: &[&str] = &[
    "is", "are", "was", "were", "isn't", "aren't", "wasn't", "has", "have", "had", "will", "won't",
    "would", "can", "can't", "could", "should", "does", "doesn't", "did", "didn't",
];

/// "email them our opening hours and address": a bare noun or two after a message that
/// sends something named in words is more of what it sends, which its text (written or
/// defaulted) already stands for. Not a person, a time, a number, a quote or a link.
fn more_of_what_is_sent(clause: &Clause, state: &State<'_>) -> bool {
    let words = content_words(clause);
    let sends_a_thing = state.drafts.last().is_some_and(|d| {
        matches!(d.kind, "send_email" | "send_whatsapp" | "send_sms") && !d.has_text_of_its_own()
    });
    let ws: Vec<&str> = words::words_from(clause, 0).map(|w| w.text).collect();
    // "attach the contract" is a file, which no message carries: asked.
    let attaches = ws.first().is_some_and(|w| {
        ["attach", "attaching", "enclose", "enclosing"].contains(&w.to_ascii_lowercase().as_str())
    });
    sends_a_thing
        && !attaches
        && words.len() <= 3
        && recipients::classify(&ws, true).is_none()
        && !TIME.is_match(&clause.lower)
        && !clause.lower.contains('\x01')
        && clause
            .lower
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == ' ' || c == '\'')
}

/// A URL in the clause, outside any quote, that none of the draft's fields holds.
fn unused_url(clause: &Clause, ctx: &Ctx<'_>, draft: &Draft) -> Option<String> {
    super::text::TOKEN
        .captures_iter(&clause.lower)
        .filter_map(|c| c.get(1)?.as_str().parse::<usize>().ok())
        .filter_map(|i| ctx.tokens.get(i))
        .find(|t| {
            t.kind == super::text::TokenKind::Url
                && !draft.fields.values().any(|v| v.contains(&t.text))
        })
        .map(|t| t.text.clone())
}

// A time written as an offset and nothing else: "+42d".
pub(super) static OFFSET_ONLY: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\+\d{1,4}[hd]$").expect("valid regex"));

/// Reads an "i.e." or "e.g." aside. One that names the same action as the instruction
/// before it (same kind, same or no recipient) restates it and adds nothing; one that
/// adds detail (a quoted message) is merged; anything else competes with the instruction
/// before it, so the author is asked which reading is meant.
pub(super) fn read_aside(
    restates: bool,
    clause: &Clause,
    before: Option<&str>,
    ctx: &Ctx<'_>,
    drafts: &mut [Draft],
    questions: &mut Vec<String>,
) {
    // "in 6 weeks, i.e. +42d": an aside that only restates a time adds nothing, if the
    // action before it already reads that time.
    let offset = clause.lower.trim();
    if restates
        && OFFSET_ONLY.is_match(offset)
        && drafts
            .last()
            .is_some_and(|d| d.fields.values().any(|v| v == offset))
    {
        return;
    }
    // "When a deal is won (e.g. a contract gets signed), ...", "If contact details change
    // (e.g. phone or email)": before any action, an example illustrates the event; it is
    // not an instruction, even when it names a channel, as long as no verb orders it.
    let listed: Vec<&str> = clause.lower.split_whitespace().collect();
    // "phone or email" lists things; "phone the client" orders.
    let ordered = match listed.as_slice() {
        [first, second, ..] => {
            words::has_action_verb(first) && !["or", "and", "/", "&"].contains(second)
        }
        _ => false,
    };
    if drafts.is_empty()
        && !restates
        && (actions::kind(clause, ctx.tokens).is_none()
            || !(ordered || clause.lower.contains('\x01')))
    {
        return;
    }
    let Some(prev) = drafts.last_mut() else {
        questions.push(unplaced(&clause.orig));
        return;
    };
    // "ring the vendor (i.e. the seller)": an i.e. that is only someone named again
    // restates the person before it.
    let ws: Vec<&str> = words::words_from(clause, 0).map(|w| w.text).collect();
    if restates
        && ws.len() <= 4
        && !words::has_action_verb(&clause.lower)
        && !clause.lower.contains('\x01')
        && !TIME.is_match(&clause.lower)
        && recipients::classify(&ws, false).is_some_and(|w| !matches!(w, recipients::Who::Vague(_)))
    {
        return;
    }
    if let Some(kind) = actions::kind(clause, ctx.tokens) {
        let other = actions::read(kind, clause, ctx);
        let same_who = match (&prev.who, &other.who) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        if other.kind == prev.kind && same_who {
            return;
        }
        let word = if restates { "i.e." } else { "e.g." };
        questions.push(format!(
            "\"{}\" and \"{}\" (after \"{word}\") read as two different actions ({} and {}). Which one is meant? Write the one you want.",
            before.unwrap_or_default(),
            clause.orig,
            prev.kind,
            other.kind
        ));
        return;
    }
    if matches!(
        actions::continue_previous(prev, clause, ctx),
        Continued::Merged
    ) {
        return;
    }
    if !content_words(clause).is_empty() {
        questions.push(unplaced(&clause.orig));
    }
}

/// Two actions of the same kind for the same recipient are almost always one action
/// read twice ("email the client and send them an e-mail"), so they are asked about.
pub(super) fn duplicates(drafts: &[Draft], questions: &mut Vec<String>) {
    for (i, a) in drafts.iter().enumerate() {
        for b in &drafts[i + 1..] {
            // Who it reaches, for actions that reach someone; every field otherwise
            // (two webhooks to two URLs are two actions).
            let key = |d: &Draft| -> Vec<(String, String)> {
                let spec = catalog::action(d.kind);
                let reaches = spec.is_some_and(|s| {
                    s.fields
                        .iter()
                        .any(|f| f.kind == catalog::FieldKind::Recipient)
                });
                d.fields
                    .iter()
                    .filter(|(name, _)| {
                        !reaches
                            || spec
                                .and_then(|s| s.field(name))
                                .is_some_and(|f| f.kind == catalog::FieldKind::Recipient)
                    })
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            if a.kind == b.kind && key(a) == key(b) {
                let who = a
                    .fields
                    .get("to")
                    .or_else(|| a.fields.get("assignee"))
                    .map_or_else(String::new, |w| format!(" for {w}"));
                questions.push(format!(
                    "The text asks for {} twice{who}. Is that one action or two? If two, say how they differ.",
                    a.kind
                ));
                return;
            }
        }
    }
}

/// "assign the lead to Anna and create a task for her": "her" is the person named
/// just before.
pub(super) fn resolve_pronoun(draft: &mut Draft, before: &[Draft]) {
    // "notify the senior broker and schedule a call for him": he makes the call.
    if draft.assignee_pronoun.is_some()
        && let Some(recipients::Who::Named(name)) = nearest_person(before)
    {
        draft.assignee_pronoun = None;
        draft.fields.insert("assignee".into(), name);
    }
    let Some(recipients::Who::Vague(word)) = &draft.who else {
        return;
    };
    // "them", or "them a chat message" as read after "drop".
    let word = word
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    // "his manager", "her assistant": see `recipients::resolve_possessed`.
    if let Some(who) = draft
        .who
        .as_ref()
        .and_then(|w| recipients::resolve_possessed(w, nearest_person(before).as_ref()))
    {
        draft.who = Some(who);
        return;
    }
    // "... goes to Hannah Fenwick and she gets a notification": the subject pronoun too.
    if !["her", "him", "them", "she", "he"].contains(&word.as_str()) {
        return;
    }
    // The pronoun is the person named nearest before it: "them" a group, a name or the
    // responsible person, "her"/"him" a name, or the responsible person when what is
    // made goes to a colleague ("let the owner know and set a reminder for him": a
    // reminder or a task is never the client's). When the nearest is someone else (the
    // client, a vague word) it is asked, never skipped for one further back.
    let internal = matches!(
        draft.kind,
        "set_reminder" | "create_task" | "send_notification" | "send_bitrix_message"
    );
    let named = match nearest_person(before) {
        Some(w @ recipients::Who::Named(_)) => Some(w),
        Some(w @ recipients::Who::Responsible) if word == "them" || internal => Some(w),
        _ => None,
    };
    if let Some(who) = named {
        draft.who = Some(who);
    }
}

/// The question when "him" or "her" may be the person named just before or the client,
/// where `resolve_pronoun` read the client or no one: "notify Helen and create a quote for
/// her" (hers to own, or the client's it is for), "assign it to Greg and send him an
/// email" (Greg, or the client).
fn pronoun_of_two(draft: &Draft, clause: &Clause, before: &[Draft]) -> Option<String> {
    let Some(recipients::Who::Named(name)) = nearest_person(before) else {
        return None;
    };
    let new_record = matches!(draft.kind, "create_quote" | "create_deal")
        && !draft.fields.contains_key("assignee");
    let client_channel = matches!(
        draft.kind,
        "send_email" | "send_sms" | "send_whatsapp" | "schedule_call"
    ) && draft.who == Some(recipients::Who::Client);
    if new_record && let Some(c) = FOR_PRONOUN.captures(&clause.lower) {
        return Some(format!(
            "Is \"{}\" {name}, named just before, who should own the new record, or the client it is for? Write \"assigned to {name}\" for the first.",
            &c["p"]
        ));
    }
    // "them" after a name may be the client's people as well: only "him" and "her" are
    // asked about.
    if client_channel
        && let Some(p) = CHANNEL_PRONOUN
            .captures_iter(&clause.lower)
            .map(|c| c["p"].to_owned())
            .find(|p| p != "them")
    {
        return Some(format!(
            "Is \"{p}\" {name}, named just before, or the client? Name the one meant (\"the client\" or \"{name}\")."
        ));
    }
    None
}

/// "overdue tasks: remind the responsible in 1 hour and email them": on a task's rule,
/// a pronoun right after a client channel's verb, with the responsible person named
/// just before, is that person; a task's workflow has no client it was about.
fn colleague_on_a_task(draft: &mut Draft, clause: &Clause, before: &[Draft], ctx: &Ctx<'_>) {
    if ctx.trigger.map(|t| t.entity) == Some(crate::catalog::Entity::Task)
        && matches!(draft.kind, "send_email" | "send_sms" | "send_whatsapp")
        && draft.who == Some(recipients::Who::Client)
        && CHANNEL_PRONOUN.is_match(&clause.lower)
        && nearest_person(before) == Some(recipients::Who::Responsible)
    {
        draft.who = Some(recipients::Who::Responsible);
        draft.fields.remove("to");
    }
}

// "a quote for her".
static FOR_PRONOUN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\bfor\s+(?P<p>him|her)\b").expect("valid regex"));

// "send him an email", "text her", "email them": a pronoun right after a client
// channel's verb.
static CHANNEL_PRONOUN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:e-?mail|text|sms|whatsapp|message|send|call|ring|phone|drop)\s+(?P<p>him|her|them)\b")
        .expect("valid regex")
});

// "have him draw up a quote": who is to do an order's work, before it.
static HAVE_DO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|then\s+)?have\s+(?P<who>him|her|them|[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?)\s+(?P<verb>draw\s+up|prepare|create|make|raise|issue|draft|call|ring|phone|get)\b(?P<rest>.*)$")
        .expect("valid regex")
});

// "for the responsible person please set ...": "for" opening an order's clause.
static FOR_FIRST: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:and\s+|then\s+)?for\s").expect("valid regex"));

/// Rewrites "for Anna please set a reminder ..." as "set a reminder ... for Anna", when
/// an order's verb follows the person (one to four words).
fn for_first(clause: &Clause) -> Option<Clause> {
    let start = FOR_FIRST.find(&clause.lower)?.end();
    let ws: Vec<words::Word<'_>> = words::words_from(clause, start).take(7).collect();
    (1..=4.min(ws.len())).find_map(|k| {
        let mut at = k;
        if ws
            .get(at)
            .is_some_and(|w| ["please", "pls"].contains(&w.text.to_ascii_lowercase().as_str()))
        {
            at += 1;
        }
        let verb = ws.get(at)?;
        let who_words: Vec<&str> = ws[..k].iter().map(|w| w.text).collect();
        // Someone b24flow can name: "our call quality dashboard" names no one.
        let who_is_plain = ws[..k]
            .iter()
            .all(|w| !words::has_action_verb(&w.text.to_ascii_lowercase()))
            && matches!(
                recipients::classify(&who_words, false),
                Some(recipients::Who::Named(_) | recipients::Who::Responsible)
            );
        (who_is_plain && words::has_action_verb(&verb.text.to_ascii_lowercase())).then(|| {
            let who = clause.orig_at(ws[0].start..ws[k - 1].end);
            let rest = clause.orig_at(verb.start..clause.orig.len());
            Clause::new(&format!("{rest} for {who}"))
        })
    })
}

// A message's "to" and a quote: "chat message to 'Production team'".
static TO_QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:notification|message|msg|e-?mail|notify|ping)\s+(?:to\s+)(?P<q>\x01(?P<i>\d+)\x02)",
    )
    .expect("valid regex")
});

/// Rewrites "chat message to 'Production team'" with the name unquoted, when the quote
/// is a name (one to three capitalised words, no sentence's punctuation).
fn quoted_recipient(clause: &Clause, ctx: &Ctx<'_>) -> Option<Clause> {
    let c = TO_QUOTE.captures(&clause.lower)?;
    let q = c.name("q")?;
    let text = &ctx.tokens.get(c["i"].parse::<usize>().ok()?)?.text;
    let words: Vec<&str> = text.split_whitespace().collect();
    let name = (1..=3).contains(&words.len())
        && words[0].starts_with(|ch: char| ch.is_uppercase())
        && text
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch == ' ' || ch == '-')
        && super::text::courtesy(&Clause::new(text)).is_none();
    name.then(|| {
        Clause::new(&format!(
            "{}{}{}",
            clause.orig_at(0..q.start()),
            text,
            clause.orig_at(q.end()..clause.orig.len())
        ))
    })
}

// "give the sales manager a ping on chat".
static GIVE_A_PING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|also\s+|then\s+)?give\s+(?P<who>[\w'-]+(?:\s+[\w'-]+){0,3}?)\s+a\s+(?:quick\s+|short\s+)?(?P<what>ping|shout|nudge|heads[- ]up)\b(?P<rest>.*)$")
        .expect("valid regex")
});

// "give notice to Niki", "please give a notice to the administration".
static GIVE_NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^(?:and\s+|also\s+|then\s+)?(?:please\s+)?give\s+(?:a\s+)?notice\s+to\s+(?P<rest>\S.*)$",
    )
    .expect("valid regex")
});

// "he also needs a task", "she'll need a reminder": a person named before, as the
// subject of a sentence of their own.
static HE_OR_SHE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|then\s+|also\s+)?(?P<p>he|she)(?P<c>'ll|'d|\s)").expect("valid regex")
});

/// Rewrites "he also needs a task to ..." with the name of the person named just before
/// ("assign it to Lukas"), whose order it is. After a message to someone, "and she should
/// call the client" may be the rest of what the message says: it stays a question, unless
/// "also" or "too" marks it as an order of its own.
fn he_or_she(clause: &Clause, before: &[Draft]) -> Option<Clause> {
    let c = HE_OR_SHE.captures(&clause.lower)?;
    let Some(recipients::Who::Named(name)) = nearest_person(before) else {
        return None;
    };
    let after_message = before.last().is_some_and(|d| d.kind.starts_with("send_"));
    let own_order = clause.lower.starts_with("also ")
        || clause.lower.contains(" also ")
        || clause.lower.ends_with(" too");
    if after_message && !own_order {
        return None;
    }
    let verb = match &c["c"] {
        "'ll" => " will ",
        "'d" => " would ",
        _ => " ",
    };
    let rest = clause.orig_at(c.get(0)?.end()..clause.orig.len());
    Some(Clause::new(&format!("{name}{verb}{rest}")))
}

/// The recipient of the nearest action before that names one.
fn nearest_person(before: &[Draft]) -> Option<recipients::Who> {
    // "create a quote for Tomasz and remind him": whom a quote or a task is for, named,
    // is a person the pronoun can stand for too.
    before.iter().rev().find_map(|d| {
        d.who.clone().or_else(|| {
            d.fields
                .get("assignee")
                .filter(|a| !a.contains("{{") && a.starts_with(|c: char| c.is_uppercase()))
                .map(|a| recipients::Who::Named(a.clone()))
        })
    })
}
