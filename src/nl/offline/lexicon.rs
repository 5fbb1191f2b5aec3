//! The event lexicon and the filler list: which words an event clause may hold besides
//! the trigger's own, and which words of an instruction carry nothing.
//!
//! Accounting ([`super::events`]) asks about any word of an event clause that is not in
//! this lexicon, is not a catalog trigger phrase's word, and does not describe the record
//! ("a *wholesale* deal"). Growing the lexicon is how a new way of saying an event gets
//! accepted without letting a real condition slip through: a word belongs here only when
//! it restates an event, names a record or a person, or carries nothing.
//!
//! Besides words, it knows which record nouns name one kind of record ("an order deal",
//! "a demo meeting": `same_record`), which words judge a record (`JUDGED`), who the
//! people acting on a record are (`PEOPLE`), and when a heading before a colon may be
//! read past (`is_heading`).
//!
//! Invariant: every word here is lowercase; lookups lowercase the word and read a
//! possessive as its noun.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::catalog;
use super::text::Clause;
use super::words;

mod event_words;
use event_words::EVENT_WORDS;

// People who act on a record, by trade: "when a patient accepts the quote". They are
// event words, and a heading that names them may narrow who a workflow is for.
pub(super) const PEOPLE: &[&str] = &[
    "client",
    "clients",
    "customer",
    "customers",
    "patient",
    "patients",
    // A clinic's shorthand for the patient.
    "pt",
    "pts",
    "parent",
    "parents",
    "student",
    "students",
    "buyer",
    "buyers",
    "seller",
    "guest",
    "guests",
    "applicant",
    "applicants",
    "candidate",
    "candidates",
    "tenant",
    "tenants",
    "homeowner",
    "homeowners",
    "member",
    "members",
    "subscriber",
    "subscribers",
    "shopper",
    "purchaser",
    "caller",
    "visitor",
    "people",
    "person",
    "policyholder",
    "policyholders",
    "donor",
    "donors",
    "supporter",
    "supporters",
    "grower",
    "growers",
    "farmer",
    "farmers",
    "patron",
    "patrons",
    "pax",
    "passenger",
    "passengers",
    "klant",
    "klanten",
];

/// Whether a word of an event clause is accounted for by the event lexicon. A
/// possessive is its noun: "an organisation's details".
pub(super) fn is_event_word(word: &str) -> bool {
    // The event words, the record nouns, the people and every word of a catalog trigger
    // phrase, in one set: this runs on every word of every event clause.
    static WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
        EVENT_WORDS
            .iter()
            .chain(RECORD_NOUNS)
            .chain(PEOPLE)
            .copied()
            .chain(
                catalog::TRIGGERS
                    .iter()
                    .flat_map(|t| t.phrases.iter().flat_map(|p| p.split(' '))),
            )
            .collect()
    });
    let lower = word.to_ascii_lowercase();
    let lower = lower.strip_suffix("'s").unwrap_or(&lower);
    if WORDS.contains(lower) {
        return true;
    }
    // A record noun in the plural is the record: "approved estimates", "new policies".
    let singular = match lower.strip_suffix("ies") {
        Some(stem) => std::borrow::Cow::Owned(format!("{stem}y")),
        None => std::borrow::Cow::Borrowed(lower.strip_suffix('s').unwrap_or(lower)),
    };
    RECORD_NOUNS.contains(&singular.as_ref()) || lower.parse::<f64>().is_ok()
}

// The author's own business, by the words people use for it: "a new lead for the
// accountancy practice", "registered with the firm" say nothing about which records.
pub(super) const BUSINESS: &[&str] = &[
    "practice", "firm", "clinic", "studio", "agency", "business", "school", "surgery", "salon",
    "bureau", "workshop", "academy",
];

// Places of business that name no part of one, as a one-word heading: "Hotel:". A
// line of business ("Retail:", "Insurance:") may be a pipeline or a category, and is
// not among them.
const TRADES: &[&str] = &[
    "hotel",
    "restaurant",
    "gym",
    "garage",
    "bakery",
    "cafe",
    "pharmacy",
    "dentist",
];

// Domain words that all name a deal (the record nouns of `triggers`): two of them side by
// side ("an order deal", "the claim deal") name one record.
pub(super) const DEAL_NOUNS: &[&str] = &[
    "deal",
    "donation",
    "pledge",
    "gift",
    "sponsorship",
    "membership",
    "order",
    "sale",
    "tender",
    "contract",
    "contracts",
    "opportunity",
    "renewal",
    "placement",
    "consignment",
    "shipment",
    "policy",
    "claim",
    "bid",
    "subscription",
    "booking",
    "reservation",
    "matter",
    "engagement",
    "pitch",
    "charter",
];

// The records an event clause may name, for the modifiers before them.
pub(super) const RECORD_NOUNS: &[&str] = &[
    "deal",
    "deals",
    "membership",
    "memberships",
    "lead",
    "leads",
    "enquiry",
    "inquiry",
    "prospect",
    "contact",
    "company",
    "invoice",
    "invoices",
    "bill",
    "quote",
    "estimate",
    "proposal",
    "task",
    "tasks",
    "record",
    "opportunity",
    "order",
    "orders",
    "sale",
    "tender",
    "contract",
    "contracts",
    "fee",
    "viewing",
    "consultation",
    "renewal",
    "renewals",
    "placement",
    "placements",
    "consignment",
    "consignments",
    "shipment",
    "shipments",
    "policy",
    "policies",
    "claim",
    "claims",
    "bid",
    "bids",
    "subscription",
    "subscriptions",
    "account",
    "accounts",
    "organisation",
    "organization",
    "companies",
    "contacts",
    "quotes",
    "meeting",
    "meetings",
    "visit",
    "visits",
    "appointment",
    "appointments",
    "consult",
    "demo",
    "demos",
    "inspection",
    "interview",
    "activity",
    "note",
    "session",
    "sessions",
    "tour",
    "tours",
    "booking",
    "bookings",
    "reservation",
    "reservations",
    "matter",
    "matters",
    "engagement",
    "engagements",
    "pitch",
    "pitches",
    "charter",
    "charters",
    "donation",
    "donations",
    "pledge",
    "pledges",
    "gift",
    "gifts",
    "sponsorship",
    "sponsorships",
    // a web form is how a lead arrives: "the enrolment form"
    "form",
];

// Words that judge a record rather than describe it: "a high value deal", "a big
// client's lead" hide a condition only the author can state (which amount?), so they are
// never read as a harmless modifier.
const JUDGED: &[&str] = &[
    "high",
    "higher",
    "low",
    "lower",
    "big",
    "bigger",
    "large",
    "larger",
    "small",
    "smaller",
    "huge",
    "major",
    "minor",
    "important",
    "key",
    "vip",
    "hot",
    "warm",
    "cold",
    "premium",
    "strategic",
    "valuable",
    "expensive",
    "cheap",
    "top",
    "priority",
    "urgent",
    "value",
    "high-value",
    "low-value",
    "old",
    "stale",
    "inactive",
    "active",
    "good",
    "bad",
    "best",
    "worst",
    "serious",
    "qualified",
    "unqualified",
    "real",
    "certain",
    "specific",
    "some",
    "particular",
    "relevant",
    "existing",
    "returning",
    "repeat",
    "loyal",
    "former",
    "regular",
    "frequent",
];

/// Whether `words[i]` describes the record named right after it, up to two words on:
/// "a wholesale deal", "a student's tuition invoice". Only lowercase common words
/// qualify: a capitalised one ("a Wholesale deal") names a category, pipeline or
/// source, a condition b24flow cannot express, so it stays unplaced and is asked about.
pub(super) fn is_record_modifier(words: &[&str], i: usize) -> bool {
    let is_plain = |w: &str| {
        let w = w.strip_suffix("'s").unwrap_or(w);
        !w.is_empty()
            && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            && !RECORD_NOUNS.contains(&w)
            && !JUDGED.contains(&w)
            && !NOT_MODIFIERS.contains(&w)
    };
    // "an insurance premium invoice": a judging word that is the head of a compound
    // noun after another plain noun ("insurance premium") names a kind, it judges nothing.
    // An adverb before it ("a really big deal") still leaves it judging.
    let compound = |i: usize| {
        let w = words[i].to_ascii_lowercase();
        i > 0
            && JUDGED.contains(&w.as_str())
            && ![
                "high", "low", "big", "small", "large", "top", "hot", "cold", "warm",
            ]
            .contains(&w.as_str())
            && is_plain(words[i - 1])
            && !words[i - 1].ends_with("ly")
            && !INTENSIFIERS.contains(&words[i - 1])
    };
    // "a premium invoice": an invoice is not judged premium; it bills the premium, as an
    // insurer's invoices do. Still judging after an adverb ("a very premium invoice").
    let billed = |i: usize| {
        words[i].eq_ignore_ascii_case("premium")
            && words
                .get(i + 1)
                .is_some_and(|n| n.to_ascii_lowercase().starts_with("invoice"))
            && (i == 0 || !words[i - 1].ends_with("ly") && !INTENSIFIERS.contains(&words[i - 1]))
    };
    if !is_plain(words[i]) && !compound(i) && !billed(i) {
        return false;
    }
    for (j, next) in words.iter().enumerate().skip(i + 1).take(2) {
        // A possessive is its noun: "a carrier company's profile".
        let lower = next.to_ascii_lowercase();
        let noun = lower.strip_suffix("'s").unwrap_or(&lower);
        if RECORD_NOUNS.contains(&noun) {
            return true;
        }
        if !is_plain(next) && !compound(j) {
            return false;
        }
    }
    false
}

/// Whether the word at `i` names who acts in the event: a plain lowercase noun after an
/// article, right before the verb ("the *recruiter* finishes the task", "a *donor* pays
/// their invoice", "the *workshop* marks a task complete"). Who does it narrows nothing
/// the catalog's events tell apart; a name ("when Anna completes a task") or a judging
/// word ("a *corporate* client approves") may, and is asked about.
///
/// The article may be missing in a learner's English ("when *vet* is adding note"), the
/// verb may be in the progressive ("is adding") or the plural ("our *advisors* log"), and
/// a plain noun may name the agent's trade ("a *gym* owner pays their invoice").
pub(super) fn is_agent(words: &[&str], i: usize) -> bool {
    let lower = |w: &str| w.to_ascii_lowercase();
    let plain = |w: &str| {
        !w.is_empty()
            && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            && !RECORD_NOUNS.contains(&w)
            && !JUDGED.contains(&w)
            && !NOT_MODIFIERS.contains(&w)
            && !EVENT_WORDS.contains(&w)
    };
    let after_article = |at: usize| {
        at == 0
            || [
                "the", "a", "an", "our", "their", "any", "every", "each", "when", "whenever",
                "once", "if", "after",
            ]
            .contains(&lower(words[at - 1]).as_str())
    };
    let acts = |at: usize| {
        words.get(at).is_some_and(|v| {
            let v = lower(v);
            AGENT_VERBS.contains(&v.as_str())
                || PLURAL_AGENT_VERBS.contains(&v.as_str())
                || (v == "is" || v == "are")
                    && words
                        .get(at + 1)
                        .is_some_and(|g| PROGRESSIVE_AGENT_VERBS.contains(&lower(g).as_str()))
        })
    };
    let w = words[i];
    plain(w)
        && (after_article(i) && acts(i + 1)
            // "a gym owner pays": the trade, then who acts.
            || after_article(i) && words.get(i + 1).is_some_and(|n| plain(n)) && acts(i + 2)
            || i > 0 && after_article(i - 1) && plain(words[i - 1]) && acts(i + 1))
}

// "our advisors log", "when parents pay": an agent in the plural.
const PLURAL_AGENT_VERBS: &[&str] = &[
    "finish", "complete", "close", "mark", "pay", "approve", "accept", "sign", "book", "schedule",
    "log", "create", "add", "open", "update", "edit", "change", "convert", "send", "issue",
    "raise", "move", "win", "lose", "submit", "register", "place",
];

// "when vet is adding note": an agent in the progressive.
const PROGRESSIVE_AGENT_VERBS: &[&str] = &[
    "finishing",
    "completing",
    "closing",
    "marking",
    "paying",
    "approving",
    "accepting",
    "signing",
    "booking",
    "scheduling",
    "logging",
    "creating",
    "adding",
    "opening",
    "updating",
    "editing",
    "changing",
    "converting",
    "sending",
    "issuing",
    "raising",
    "moving",
    "winning",
    "losing",
    "submitting",
    "registering",
    "placing",
    "writing",
    "leaving",
    "recording",
    "posting",
];

// The verbs of an event with someone acting in it.
const AGENT_VERBS: &[&str] = &[
    "finishes",
    "finished",
    "completes",
    "completed",
    "closes",
    "closed",
    "marks",
    "marked",
    "pays",
    "paid",
    "approves",
    "approved",
    "accepts",
    "accepted",
    "signs",
    "signed",
    "books",
    "booked",
    "schedules",
    "scheduled",
    "logs",
    "logged",
    "creates",
    "created",
    "adds",
    "added",
    "opens",
    "opened",
    "sets",
    "updates",
    "updated",
    "edits",
    "edited",
    "changes",
    "changed",
    "converts",
    "converted",
    "ticks",
    "sends",
    "sent",
    "issues",
    "issued",
    "raises",
    "raised",
    "moves",
    "moved",
    "wins",
    "won",
    "loses",
    "lost",
    "submits",
    "submitted",
    "registers",
    "registered",
    "places",
    "placed",
];

// Words that cannot describe a record, and so end a run of modifiers before it: an
// article ("unless *the* deal"), or a word that narrows or negates ("*unless* the deal is
// lost", "*only* retail deals", "a client's *second* deal").
const NOT_MODIFIERS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "our",
    "my",
    "your",
    "any",
    "every",
    "each",
    "all",
    "unless",
    "except",
    "only",
    "just",
    "not",
    "no",
    "never",
    "but",
    "without",
    "if",
    "whether",
    "or",
    "nor",
    "either",
    "neither",
    "than",
    "over",
    "under",
    "above",
    "below",
    "until",
    "till",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "last",
    "next",
    "latest",
    "previous",
    "earlier",
    "later",
    "subsequent",
    // An introducer is no noun: "when VIP company is updated" is no compound like
    // "insurance premium".
    "when",
    "whenever",
    "once",
    "upon",
    "after",
    "before",
    "as",
    "soon",
];

// Words that grade the word after them: "a very premium deal" judges.
const INTENSIFIERS: &[&str] = &[
    "very", "really", "super", "extra", "quite", "most", "more", "less", "so", "too",
];

// Words that carry no instruction of their own: a clause of only these needs no reading.
pub(super) const FILLER: &[&str] = &[
    "please",
    "automatically",
    "auto",
    "immediately",
    "asap",
    "right",
    "away",
    "now",
    "thanks",
    "thank",
    "you",
    "ok",
    "okay",
    "too",
    "also",
    "as",
    "well",
    "then",
    "and",
    "just",
    "straight",
    "instantly",
    "always",
    "every",
    "time",
    "each",
    "done",
    "that's",
    "all",
    "it",
    "thx",
    "cheers",
    "promptly",
    "quickly",
    "a",
    "the",
    "of",
    "course",
    "today",
    "same",
    "day",
    "there",
    "here",
    "both",
    "so",
    "that",
    "this",
    "is",
    "for",
    "me",
    "us",
    "we",
    "our",
    "workflow",
    "automation",
    "rule",
    "robot",
    "trigger",
    "ie_aside",
    "eg_aside",
    "paren_aside",
    "pls",
    "plz",
    "kindly",
    // interjections: "Quote approved? Brilliant - set the field ..."
    "great",
    "brilliant",
    "perfect",
    "awesome",
    "excellent",
    "nice",
    "cool",
    "good",
    "sure",
    "yes",
    "yay",
    "hooray",
    "congrats",
    "woohoo",
];

/// The words of a clause that are not filler, for a question naming them.
pub(super) fn content_words(clause: &Clause) -> Vec<String> {
    words::words_from(clause, 0)
        .map(|w| w.text.to_ascii_lowercase())
        .filter(|w| !FILLER.contains(&w.as_str()) && w.chars().any(char::is_alphanumeric))
        .collect()
}

// Record nouns that name one kind of record, for "an order deal" and "a demo meeting".
const SAME_RECORD: &[&[&str]] = &[
    DEAL_NOUNS,
    &[
        "meeting",
        "visit",
        "appointment",
        "demo",
        "inspection",
        "interview",
        "viewing",
        "consultation",
        "consult",
        "session",
        "tour",
    ],
    &["company", "account", "organisation", "organization"],
    &["invoice", "bill", "fee"],
    &["quote", "estimate", "proposal"],
    &["lead", "enquiry", "inquiry", "prospect", "form"],
];

/// Whether a record noun (singular, lowercase) names a meeting of some kind: "a tour",
/// "a consultation".
pub(super) fn is_meeting_noun(x: &str) -> bool {
    SAME_RECORD[1].contains(&x)
}

/// Whether two record nouns (singular, lowercase) name the same kind of record: "an
/// order deal", "a demo meeting", "a business account company".
pub(super) fn same_record(x: &str, y: &str) -> bool {
    SAME_RECORD
        .iter()
        .any(|group| group.contains(&x) && group.contains(&y))
}

/// Whether a word judges a record ("high", "vip", "urgent") and so hides a condition.
pub(super) fn is_judging(word: &str) -> bool {
    JUDGED.contains(&word.to_ascii_lowercase().as_str())
}

// Words a heading must not hold: it may narrow the workflow ("Retail customers only:",
// "Wholesale deals:"), which dropping it would lose.
const NARROWS: &[&str] = &[
    "only",
    "just",
    "except",
    "unless",
    "not",
    "no",
    "never",
    "but",
    "without",
    "if",
    "over",
    "under",
    "above",
    "below",
    "more",
    "less",
    "than",
    "pipeline",
    "source",
    "stage",
    "status",
    "type",
    "category",
    "industry",
    "region",
    "country",
    "city",
    "funnel",
    "for",
    "from",
    "in",
    "with",
    "whose",
    "which",
    "where",
    "when",
    "team",
    "department",
    "manager",
    "managers",
    "them",
    "they",
    "him",
    "her",
];

/// Whether the words before a colon at the start of a spec are a heading that can be read
/// past: "Audit trail please", "Hauliers get their own desk". A heading has two words or
/// more, no capitalised word but the first (a name could narrow the workflow: "Retail
/// deals"), and nothing that could narrow it: no record, person, judging word or
/// condition word.
pub(super) fn is_heading(heading: &str) -> bool {
    let words: Vec<&str> = heading.split_whitespace().collect();
    // "Hotel: every time a new lead ...": one word naming the kind of business the author
    // runs narrows nothing.
    if let [one] = words.as_slice() {
        let lower = one.to_ascii_lowercase();
        return BUSINESS.contains(&lower.as_str()) || TRADES.contains(&lower.as_str());
    }
    words.len() >= 2
        && words.iter().enumerate().all(|(i, w)| {
            let lower = w.to_ascii_lowercase();
            let noun = lower.strip_suffix("'s").unwrap_or(&lower);
            let singular = noun.strip_suffix('s').unwrap_or(noun);
            (i == 0 || !w.chars().any(|c| c.is_ascii_uppercase()))
                && !RECORD_NOUNS.contains(&noun)
                && !RECORD_NOUNS.contains(&singular)
                && !PEOPLE.contains(&noun)
                && !JUDGED.contains(&noun)
                && !NARROWS.contains(&noun)
        })
}

/// Days and months, which follow "on" as a date does: never anyone's name.
pub(super) const CALENDAR: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
