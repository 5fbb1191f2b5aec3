//! Asides around an event that accounting may read past: a restatement of what
//! happened, what the record is for, a sentence about the author's business, and the
//! purpose an order serves. Each is read past only when nothing in it could narrow the
//! workflow or ask for an action.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

use super::NARROWING;
use crate::nl::offline::lexicon::{self, RECORD_NOUNS, is_event_word};
use crate::nl::offline::text::{self, Clause};
use crate::nl::offline::{actions, triggers, words};

/// Whether an aside after an event says in plain words what happened, and so restates
/// it: a short clause with a verb in the past or a form of "be", every word a plain
/// lowercase one, and nothing that could narrow the event (a quantity, a name, "only").
pub(super) fn restates_event(aside: &Clause, tokens: &[text::Token]) -> bool {
    let all: Vec<words::Word<'_>> = words::words_from(aside, 0).collect();
    let plain = |i: usize, w: &str| {
        // "the client said no", "signs with us": a reply or a party, nothing narrowed.
        let said = i > 0 && ["said", "says", "say"].contains(&all[i - 1].text);
        let party = w == "with"
            && all
                .get(i + 1)
                .is_some_and(|n| ["us", "them", "you", "me"].contains(&n.text));
        w.chars().all(|c| c.is_ascii_lowercase() || c == '\'')
            && (said || party || !NARROWING.contains(&w))
            && !lexicon::is_judging(w)
    };
    let has_verb = all.iter().any(|w| {
        let t = w.text.to_ascii_lowercase();
        t.len() > 3 && t.ends_with("ed")
            || ["is", "are", "was", "were", "has", "have", "said", "says"].contains(&t.as_str())
            || t.len() > 3 && t.ends_with('s') && is_event_word(&t)
    });
    !all.is_empty()
        && all.len() <= 8
        && has_verb
        && all.iter().enumerate().all(|(i, w)| plain(i, w.text))
        && actions::kind(aside, tokens).is_none()
        && !words::has_action_verb(&aside.lower)
}

/// Whether an aside after an event names what its record is, in a few plain words and
/// no verb: "(new cargo zayavka)", "(patient request)". A word that could narrow the event
/// ("only", "vip", "corporate", "over") or ask for an action keeps it to be asked about.
pub(super) fn names_the_record(aside: &Clause, tokens: &[text::Token]) -> bool {
    // "(the hotel concierge ones)", "(wedding parties!!)": an article, "ones" and "usually"
    // add nothing to what is named.
    let mut all: Vec<&str> = aside
        .orig
        .trim_end_matches([')', ']', '.', ',', '!', ' '])
        .split_whitespace()
        .collect();
    if all.first().is_some_and(|w| *w == "the") {
        all.remove(0);
    }
    while all
        .last()
        .is_some_and(|w| ["ones", "usually", "mostly", "mainly"].contains(w))
    {
        all.pop();
    }
    (1..=3).contains(&all.len())
        && all.iter().all(|w| {
            w.chars().all(|c| c.is_ascii_lowercase())
                && !NARROWING.contains(w)
                && !lexicon::is_judging(w)
                && !KINDS_OF_CLIENT.contains(w)
        })
        && actions::kind(aside, tokens).is_none()
        && !words::has_action_verb(&aside.lower)
}

// Words that say which clients a record is for, and so may narrow the event (besides
// the judging ones, `lexicon::is_judging`: "existing", "returning", "vip").
const KINDS_OF_CLIENT: &[&str] = &[
    "corporate",
    "wholesale",
    "retail",
    "b2b",
    "b2c",
    "international",
    "overseas",
    "foreign",
    "local",
    "domestic",
    "private",
    "business",
    "enterprise",
    "partner",
    "trial",
    "paying",
    "free",
];

// "a new deal for a conference stand", "a new quote is created for a billboard campaign",
// "a new deal comes in for a security system install": what the record is for, after it
// or after what happens to it. Not "if a new lead is for a sofa": what a record is said
// to be for, with no event between, is a condition on it.
static FOR_A: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"\b(?:{})(?:(?:\s+(?:is|was|gets|has\s+been))?\s+(?:created|added|made|opened|raised|registered|logged|comes\s+in|came\s+in|arrives|arrived))?\s+for\s+(?:a|an)\s+",
        RECORD_NOUNS.join("|")
    ))
    .expect("valid regex")
});

// "for the accountancy practice", "with our firm", "with us": a phrase naming the
// author's business (`lexicon::BUSINESS`) after the record.
static OWN_BUSINESS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"\b(?:for|with|at|by|to)\s+(?:us|(?:the|our)\s+(?:[a-z-]+\s+){{0,2}}?(?:{}))\b",
        lexicon::BUSINESS.join("|")
    ))
    .expect("valid regex")
});

/// The spans of an event clause that describe its record in plain words, which
/// accounting reads past: "for a conference stand" after the record, the author's own
/// business ("with the firm"), and everything before "arrives as a lead", which names
/// what the lead is. Only plain lowercase words
/// count: a name or a judging word ("for a VIP client", "for an existing customer") may
/// narrow the event and stays to be asked about.
pub(super) fn descriptions(event: &Clause) -> Vec<std::ops::Range<usize>> {
    let plain = |range: std::ops::Range<usize>| {
        let text = event.orig_at(range);
        text.split_whitespace().all(|w| {
            w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && !lexicon::is_judging(w)
                && !NARROWING.contains(&w)
                || ["for", "a", "an", "new"].contains(&w)
        })
    };
    let mut out = Vec::new();
    // The description runs to the first event word ("comes in"), at most three words.
    // An order or a sale "for a sofa" names the goods sold: they are the deal's product
    // rows (`crm.deal.productrows.get`), which no condition of the catalog compares, so
    // they narrow the workflow and stay to be asked about.
    if let Some(m) = FOR_A.find(&event.lower)
        && !["order", "sale", "purchase"]
            .iter()
            .any(|goods| m.as_str().starts_with(goods))
    {
        let described: Vec<words::Word<'_>> = words::words_from(event, m.end())
            .take_while(|w| !is_event_word(w.text))
            .take(4)
            .collect();
        if let (Some(first), Some(last)) = (described.first(), described.last())
            && described.len() <= 3
            && plain(first.start..last.end)
        {
            out.push(m.start()..last.end);
        }
    }
    // "for the accountancy practice", "registered with the firm", "with us": the author's
    // own business, in plain words.
    for m in OWN_BUSINESS.find_iter(&event.lower) {
        let first = words::word_at(event, m.start()).map_or(m.start(), |w| w.end);
        if plain(first..m.end()) {
            out.push(m.range());
        }
    }
    if let Some(m) = triggers::AS_A.find(&event.lower) {
        for w in words::words_from(event, 0).take_while(|w| w.end <= m.start()) {
            if plain(w.start..w.end) {
                out.push(w.start..w.end);
            }
        }
    }
    out
}

// A sentence about the author's business: "we run ...", "we're a plumbing firm", "our
// company sells ...", or whose it is when someone sets it up for a client ("for the
// client's account:").
static CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:we(?:'re|\s+are)\s+(?:(?:a|an)\s+)?[a-z-]+(?:\s+[a-z-]+)?\s*$|we\s+(?:run|sell|do|track|offer|provide|operate|make|rent|build|install|repair|teach|host|organi[sz]e|treat|work\s+(?:in|with))\s|our\s+(?:company|business|firm|shop|agency|studio|clinic)\s+(?:is|sells|runs|does|offers)\s|(?:this\s+is\s+)?for\s+(?:the|our|my)\s+client(?:'s|s')\s+(?:account|portal|crm|bitrix(?:24)?)\s*$)")
        .expect("valid regex")
});

// What goes wrong today, which is why the author asks: "parents sometimes forget about
// tuition", "our teachers always forget to mark it", "the reps keep missing them".
static HABIT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:the|our|some|many|most)\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+(?:sometimes|often|always|usually|regularly|constantly|keep|keeps|tend\s+to|tends\s+to)\s+(?:forget|forgets|forgetting|miss|misses|missing|overlook|overlooks|skip|skips|skipping|ignore|ignores)\b")
        .expect("valid regex")
});

/// Whether a clause is a sentence about the author's business ("we run a restaurant"),
/// or about what goes wrong today ("parents sometimes forget about tuition"), with nothing
/// in it that could narrow the workflow or ask for an action. What is forgotten may be
/// an action's verb ("forget to mark it"): only the words before the habit must hold
/// none.
pub(super) fn is_context(clause: &Clause, tokens: &[text::Token]) -> bool {
    let verbs_from = match HABIT.find(&clause.lower) {
        Some(habit) => habit.end(),
        None if CONTEXT.is_match(&clause.lower) => clause.lower.len(),
        None => return false,
    };
    actions::kind(clause, tokens).is_none()
        && !words::has_action_verb(&clause.lower[..verbs_from])
        && !clause.lower.contains('\x01')
        && !clause.lower.chars().any(|c| c.is_ascii_digit())
        && words::words_from(clause, 0).all(|w| {
            let lower = w.text.to_ascii_lowercase();
            !CONTEXT_NARROWING.contains(&lower.as_str()) && !lexicon::is_judging(&lower)
        })
}

// A purpose that names a state the data is kept in: "so the list stays in sync", "so
// that our records are up to date".
pub(super) static PURPOSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:so|so\s+that|in\s+order\s+that)\s+(?:the|our|its|their|my|all|both)\s+(?:[a-z-]+\s+){0,3}?(?:stays?|remains?|keeps?|is|are|will\s+be|will\s+stay)\s+(?:in\s+sync|synced|up\s+to\s+date|up-to-date|current|accurate|consistent|complete|aligned|correct)$")
        .expect("valid regex")
});

// A purpose in the passive about a thing: "so the hours get billed", "so that the order
// is picked up". Its participle must be no verb an action performs ("so the deal gets
// moved"), and nothing may follow that could name a place or a person ("... to Won").
static PASSIVE_PURPOSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:so|so\s+that|in\s+order\s+that)\s+(?:the|our|its|their|all)\s+(?P<thing>(?:[a-z-]+\s+){0,3}?)(?:gets?|is|are|can\s+be|will\s+be)\s+(?P<done>[a-z]+ed)(?:\s+(?:up|on|off|out|properly|correctly|automatically|on\s+time|straight\s+away))?$")
        .expect("valid regex")
});

// Participles of what b24flow's actions do: a purpose saying one of them may be an order.
pub(in crate::nl::offline) const ACTION_PARTICIPLES: &[&str] = &[
    "assigned",
    "reassigned",
    "moved",
    "tagged",
    "labelled",
    "labeled",
    "notified",
    "emailed",
    "e-mailed",
    "texted",
    "messaged",
    "called",
    "phoned",
    "reminded",
    "created",
    "added",
    "marked",
    "updated",
    "changed",
    "closed",
    "won",
    "lost",
    "converted",
    "approved",
    "scheduled",
    "booked",
    "contacted",
    "informed",
    "alerted",
    "pinged",
    "invoiced",
    "quoted",
    "escalated",
    "flagged",
    "archived",
    "deleted",
    "removed",
];

/// Whether a clause is a passive purpose about a thing, not an order in disguise.
/// "So the diary gets updated": a thing outside the CRM kept up to date is a purpose too;
/// "so the deal gets updated" may be an order.
pub(in crate::nl::offline) fn passive_purpose(lower: &str) -> bool {
    let Some(c) = PASSIVE_PURPOSE.captures(lower) else {
        return false;
    };
    let done = c.name("done").map_or("", |d| d.as_str());
    !ACTION_PARTICIPLES.contains(&done)
        || done == "updated"
            && c.name("thing").is_some_and(|t| {
                !t.as_str().split_whitespace().any(|w| {
                    lexicon::RECORD_NOUNS.contains(&w)
                        || ["field", "stage", "status", "record", "crm", "owner", "tag"]
                            .contains(&w)
                })
            })
}

// Words that would make a sentence about the business narrow the workflow: "we only sell
// to companies".
pub(super) const CONTEXT_NARROWING: &[&str] = &[
    "only", "just", "except", "unless", "not", "no", "never", "if", "when", "over", "under",
    "above", "below", "more", "less", "than", "but", "without", "whose", "which", "where",
];
