//! The built-in offline parser: plain English to a [`Blueprint`], deterministic, instant,
//! and with no network.
//!
//! It reads a spec the way the seed's formula says people write one, "When [trigger
//! event], [do this action] to/for [who]", in any order, as prose, as a question ("New
//! lead? Send a welcome email") or as a telegraphic note ("deal won -> whatsapp client +
//! task for manager").
//!
//! # Design: frames, a clause splitter, and an account of every word
//!
//! 1. **Clause splitter** ([`text`]). Quotes and URLs become opaque tokens; politeness
//!    openers ("Is it possible to ...") and a fixed list of common misspellings are read
//!    through; thousands separators are joined; "i.e."/"e.g." become aside markers; the
//!    text is cut at sentence ends, commas, "and"/"then"/"plus", `->`, `+`, `&`, dashes,
//!    and before a mid-sentence "when"/"if"/"once". No dependency, no model.
//! 2. **Event frames** ([`triggers`]). Each catalog trigger has patterns over a record
//!    noun (deal, lead, ...: synonyms, plurals, British spellings) and an event verb in
//!    its inflections ("is won", "gets converted", "reaches/hits/lands in a stage",
//!    "details change"); the stage frame has a stage slot. A pronoun subject ("when they
//!    are converted") stands for the first record noun of the text.
//! 3. **Condition frames** ([`conditions`]): field, operator, value; amounts and a quoted
//!    source may sit inside the event clause ("a deal over 10k is won").
//! 4. **Action frames** ([`actions`]). An action kind is recognised from a verb or a
//!    channel noun (so "whatsapp client" and "task for manager" need no verb); its slots
//!    are the catalog's fields, filled from the clause: recipients ([`recipients`]:
//!    client, responsible person, a named person or team, pronouns resolved to the person
//!    named before), message, title, deadline, stage, field, tag, URL.
//! 5. **Slots have three levels of certainty**: *stated* (read from the text), *defaulted*
//!    (a field the author did not need to write, filled from [`defaults`] with only the
//!    smart variables the trigger's entity supplies), or *asked* (a required slot the text
//!    leaves vague or empty: "someone", a missing URL, stage, field or tag). Only stated
//!    and defaulted slots reach a blueprint.
//!
//! **Accounting**, the rule that keeps the parser from being silently wrong: every part of
//! the text must be placed, or the parser asks, naming the words it could not place.
//! - Every word of an event clause is the event's own (the event lexicon: record nouns,
//!   restating verbs, function words, the catalog's trigger phrases), or part of a
//!   condition read from it, or a lowercase word describing the record right before it
//!   ("a *wholesale* deal"); any other word ("in the *Wholesale* pipeline", "a
//!   *Wholesale* deal": a category b24flow cannot express) is reported. The event's
//!   subject is the first record the clause names; two records side by side ("a booking
//!   enquiry deal") compete, and are asked about.
//! - A verb's object decides the action: "move it to Won" moves the record's stage,
//!   "move its deadline to +2d" changes a task's deadline (a question outside a task
//!   workflow), "push the meeting to Friday" is neither and is asked about. A comparison
//!   word decides an operator ("is now over 75,000" is `>`); an equality whose value
//!   starts with a comparison word is asked about.
//! - Every instruction clause becomes an action, or merges into the one before as its
//!   detail (a message, a title, a deadline, a further recipient, "and ask for feedback"
//!   as a client message's purpose), or is reported; only pure filler ("please",
//!   "automatically") is dropped.
//! - An "i.e." aside that names the same action as the one before restates it; one that
//!   names another action competes with it, and the parser asks which is meant.
//! - Competing readings are questions: two triggers ("won or lost"), a trigger word that
//!   maps loosely ("a deal is closed": won or lost?), an event clause b24flow does not
//!   know beside one it does, and two actions of the same kind for the same recipient.
//!
//! The rules are developed against `tests/corpus/offline.yaml`, `dev.yaml`, `dev2.yaml`
//! and `heldout-2026-12a.yaml` (the first held-out set, spent), and measured on
//! `heldout2.yaml`, which they are never tuned against (`b24flow eval`, docs/parser.md).
//!
//! Invariants: the vocabulary comes from `catalog` (trigger ids and entities, action
//! fields and which are required, variables, field aliases); the output is
//! `Blueprint::normalized()`; a spec with no recognisable trigger or action, a vague or
//! missing recipient, a missing URL, stage, field or tag, or a part the parser cannot
//! place gives questions instead of a guess, and every required field of every action
//! is either filled or asked about. All regexes are compiled once.

mod actions;
mod conditions;
mod defaults;
mod recipients;
mod text;
mod triggers;
mod words;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::Outcome;
use crate::blueprint::{Action, Blueprint, Condition, Trigger};
use crate::catalog;
use actions::{Continued, Ctx, Draft};
use text::Clause;

/// Bumped whenever a rule change can change what a spec parses to.
pub const VERSION: u32 = 5;

/// The question asked when no trigger is found.
const ASK_TRIGGER: &str = "Which event should start this workflow? For example: \"When a deal is won, ...\" or \"When a new lead arrives, ...\". The formula that works: \"When [trigger event], [do this action] to/for [who]\".";

/// The question asked when no action is found.
/// The sentence that teaches the seed's formula; said once per answer.
const FORMULA_HINT: &str =
    " The formula that works: \"When [trigger event], [do this action] to/for [who]\".";

/// The questions, with the formula hint kept on the first one that carries it only.
fn ask(mut questions: Vec<String>, tokens: &[text::Token]) -> Outcome {
    let mut seen = false;
    for q in &mut questions {
        // Quotes and URLs read back as the author wrote them, not as token markers.
        *q = text::restore(q, tokens);
        if q.contains(FORMULA_HINT) {
            if seen {
                *q = q.replace(FORMULA_HINT, "");
            }
            seen = true;
        }
    }
    Outcome::NeedsClarification { questions }
}

const ASK_ACTION: &str = "What should the workflow do? For example: \"send a WhatsApp message to the client\" or \"create a task for the manager\". The formula that works: \"When [trigger event], [do this action] to/for [who]\".";

/// One clause, classified.
#[derive(Debug, Clone)]
enum Item {
    Trigger(triggers::Found),
    Condition(Condition),
    Instruction(Clause),
    /// An event the parser did not recognise ("when things change").
    UnknownEvent(String),
    /// An "i.e." aside that restates (`restates`) or an "e.g." aside that illustrates
    /// the instruction before it: "hand it over to Anna, i.e. reassign it".
    Aside {
        restates: bool,
        clause: Clause,
    },
    /// An event that maps to more than one trigger ("when a deal is closed": won or
    /// lost?), with the words that said it.
    Ambiguous(String),
    /// Words in an event clause that neither the trigger nor a condition accounts for
    /// ("from the Sales pipeline"): a condition b24flow cannot express, or a misread.
    Leftover(String),
}

// The event lexicon: words an event clause may hold besides the ones a trigger pattern
// matched, because they restate the event ("a new lead is created": "new lead" is the
// match, "is created" restates it), name the record, its client or the one who acts, or
// carry nothing. Any other word in an event clause is left over and asked about: it is
// usually a condition b24flow cannot express ("in the Sales pipeline", "from Germany").
// The catalog's own trigger phrases are part of the lexicon too (see `is_event_word`).
const EVENT_WORDS: &[&str] = &[
    // introducers and function words
    "when",
    "whenever",
    "once",
    "if",
    "as",
    "soon",
    "every",
    "each",
    "any",
    "time",
    "anytime",
    "a",
    "an",
    "the",
    "our",
    "my",
    "your",
    "their",
    "its",
    "his",
    "her",
    "we",
    "i",
    "you",
    "they",
    "someone",
    "somebody",
    "anyone",
    "is",
    "are",
    "gets",
    "get",
    "got",
    "been",
    "has",
    "have",
    "was",
    "were",
    "be",
    "being",
    "just",
    "again",
    "in",
    "into",
    "to",
    "of",
    "on",
    "by",
    "with",
    "from",
    "for",
    "at",
    "up",
    "off",
    "out",
    "and",
    "that",
    "it",
    "this",
    "there",
    "after",
    "upon",
    "all",
    "right",
    "now",
    "ever",
    "case",
    "only",
    "also",
    "so",
    "then",
    "please",
    "automatically",
    "instantly",
    "immediately",
    "finally",
    "event",
    "happens",
    "moment",
    "ie_aside",
    "eg_aside",
    "crm",
    "bitrix24",
    "bitrix",
    "system",
    "portal",
    "new",
    "fresh",
    "incoming",
    "inbound",
    "another",
    "next",
    "different",
    "other",
    "successfully",
    "success",
    "officially",
    "finally",
    "fully",
    "still",
    // records and people
    "deal",
    "deals",
    "opportunity",
    "opportunities",
    "lead",
    "leads",
    "inquiry",
    "enquiry",
    "prospect",
    "contact",
    "contacts",
    "company",
    "companies",
    "organisation",
    "organization",
    "task",
    "tasks",
    "to-do",
    "todo",
    "invoice",
    "invoices",
    "bill",
    "payment",
    "quote",
    "quotes",
    "quotation",
    "proposal",
    "estimate",
    "meeting",
    "demo",
    "appointment",
    "visit",
    "activity",
    "note",
    "comment",
    "call",
    "email",
    "e-mail",
    "record",
    "card",
    "client",
    "customer",
    "client's",
    "customer's",
    "them",
    "user",
    "manager",
    "rep",
    "team",
    "sales",
    "somebody's",
    "someone's",
    "deal's",
    "lead's",
    "contact's",
    "company's",
    "task's",
    "invoice's",
    "quote's",
    "details",
    "info",
    "information",
    "data",
    "field",
    "fields",
    "profile",
    "stage",
    "stages",
    "status",
    "phase",
    "column",
    "pipeline",
    "form",
    "web",
    "website",
    // what happens
    "created",
    "create",
    "creates",
    "added",
    "add",
    "adds",
    "arrives",
    "arrived",
    "arrive",
    "comes",
    "came",
    "come",
    "opened",
    "opens",
    "open",
    "saved",
    "received",
    "receive",
    "registered",
    "captured",
    "submitted",
    "submits",
    "fills",
    "generated",
    "imported",
    "pops",
    "appears",
    "lands",
    "landed",
    "drops",
    "set",
    "sets",
    "assigned",
    "made",
    "started",
    "won",
    "win",
    "wins",
    "lost",
    "lose",
    "loses",
    "closed",
    "close",
    "closes",
    "signed",
    "sign",
    "signs",
    "failed",
    "fails",
    "cancelled",
    "canceled",
    "rejected",
    "declined",
    "falls",
    "fell",
    "through",
    "converted",
    "converts",
    "convert",
    "turned",
    "turns",
    "becomes",
    "updated",
    "update",
    "updates",
    "changed",
    "change",
    "changes",
    "edited",
    "edits",
    "modified",
    "amended",
    "moved",
    "moves",
    "move",
    "goes",
    "went",
    "enters",
    "entered",
    "reaches",
    "reached",
    "hits",
    "advances",
    "advanced",
    "switches",
    "switched",
    "done",
    "completed",
    "complete",
    "completes",
    "finished",
    "finishes",
    "overdue",
    "late",
    "past",
    "due",
    "deadline",
    "date",
    "unpaid",
    "not",
    "paid",
    "pays",
    "pay",
    "settled",
    "approved",
    "approves",
    "accepted",
    "accepts",
    "confirmed",
    "agreed",
    "sent",
    "issued",
    "prepared",
    "drafted",
    "scheduled",
    "booked",
    "planned",
    "arranged",
    "logged",
    "logs",
    "recorded",
    "left",
    "posted",
    "marked",
    "flagged",
    "qualified",
    "misses",
    "missed",
    "miss",
    "doesn't",
    "does",
    "didn't",
    "did",
    "don't",
    "do",
    "fail",
    "books",
    "book",
    "schedules",
    "schedule",
    "plans",
    "arranges",
    "closed-won",
    "closed-lost",
    "conversion",
    "receives",
    "approve",
    "accept",
    "confirms",
    "confirm",
    "start",
    "starts",
    "finish",
    "signs",
    "behind",
    "schedule",
    "full",
    "as",
    "shows",
    "runs",
    "running",
    "passes",
    "passed",
    "raised",
    "goes",
    "ends",
];

/// Whether a word of an event clause is accounted for by the event lexicon. A
/// possessive is its noun: "an organisation's details".
fn is_event_word(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let lower = lower.strip_suffix("'s").unwrap_or(&lower).to_owned();
    EVENT_WORDS.contains(&lower.as_str())
        || catalog::TRIGGERS
            .iter()
            .any(|t| t.phrases.iter().any(|p| p.split(' ').any(|w| w == lower)))
        || lower.parse::<f64>().is_ok()
}

// The records an event clause may name, for the modifiers before them.
const RECORD_NOUNS: &[&str] = &[
    "deal",
    "deals",
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
];

/// Whether `words[i]` describes the record named right after it, up to two words on:
/// "a wholesale deal", "a student's tuition invoice". Only lowercase common words
/// qualify: a capitalised one ("a Wholesale deal") names a category, pipeline or
/// source, a condition b24flow cannot express, so it stays unplaced and is asked about.
fn is_record_modifier(words: &[&str], i: usize) -> bool {
    let is_plain = |w: &str| {
        let w = w.strip_suffix("'s").unwrap_or(w);
        !w.is_empty()
            && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            && !RECORD_NOUNS.contains(&w)
    };
    if !is_plain(words[i]) {
        return false;
    }
    for next in words.iter().skip(i + 1).take(2) {
        if RECORD_NOUNS.contains(&next.to_ascii_lowercase().as_str()) {
            return true;
        }
        if !is_plain(next) {
            return false;
        }
    }
    false
}

// "closed" alone does not say whether the deal was won or lost.
static CLOSED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bclos(?:e|es|ed|ing)$").expect("valid regex"));

// "remove 'pending'" right after a tag instruction: the tag is implied.
static BARE_REMOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:and\s+)?(?:remove|drop|delete|clear|strip|take\s+off)\s+(\x01\d+\x02)$")
        .expect("valid regex")
});

// "add 'paying'" right after a tag instruction.
static BARE_ADD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:and\s+)?(?:add|put|apply|attach)\s+(\x01\d+\x02)$").expect("valid regex")
});

// A pronoun standing for the record as the subject of an event: "when they are
// converted", "once it is won".
static PRONOUN_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:they|it|he|she|this|these|those|that|the\s+record)\b").expect("valid regex")
});

// The record nouns a pronoun can stand for, in the words the trigger patterns know.
static RECORD_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:deal|lead|contact|company|invoice|quote|task)s?\b").expect("valid regex")
});

// Words that carry no instruction of their own: a clause of only these needs no reading.
const FILLER: &[&str] = &[
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
];

/// The words of a clause that are not filler, for a question naming them.
fn content_words(clause: &Clause) -> Vec<String> {
    words::words_from(clause, 0)
        .map(|w| w.text.to_ascii_lowercase())
        .filter(|w| !FILLER.contains(&w.as_str()) && w.chars().any(char::is_alphanumeric))
        .collect()
}

/// The question for a clause that is neither a trigger, a condition, an action nor a
/// detail of one.
fn unplaced(orig: &str) -> String {
    format!(
        "b24flow could not place \"{orig}\": is it another action, a condition, or part of the one before? Rephrase it, or leave it out. {ASK_ACTION}"
    )
}

// A clause that opens like a trigger or condition: "when", "if", "as soon as", ...
static INTRODUCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:when|whenever|once|as\s+soon\s+as|if|every\s+time|each\s+time|any\s+time|anytime|in\s+case|after|upon|on|for\s+(?:every|each|any|all)|only\s+if)\b\s*",
    )
    .expect("valid regex")
});

/// Parses one spec.
pub fn parse(text: &str) -> Outcome {
    let prepared = text::prepare(text);
    let subject = RECORD_NOUN
        .find(&prepared.text.to_ascii_lowercase())
        .map(|m| m.as_str().trim_end_matches('s').to_owned());
    let reading = Reading {
        tokens: &prepared.tokens,
        subject: subject.as_deref(),
    };
    let mut items = Vec::new();
    for clause in text::clauses(&prepared.text) {
        classify(clause, &reading, &mut items, 0);
    }

    let mut questions: Vec<String> = Vec::new();
    let mut found: Vec<&triggers::Found> = Vec::new();
    for item in &items {
        if let Item::Trigger(f) = item
            && !found.iter().any(|g| g.id == f.id)
        {
            found.push(f);
        }
    }
    let trigger = match found.as_slice() {
        [one] => Some(*one),
        [] if items.iter().any(|i| matches!(i, Item::Ambiguous(_))) => {
            for item in &items {
                if let Item::Ambiguous(s) = item {
                    questions.push(format!(
                        "\"{s}\" does not say whether the deal was won or lost. Which event should start this workflow: \"when a deal is won\" or \"when a deal is lost\"?"
                    ));
                }
            }
            None
        }
        [] => {
            let unknown = items.iter().find_map(|i| match i {
                Item::UnknownEvent(s) => Some(s.as_str()),
                _ => None,
            });
            questions.push(match unknown {
                Some(s) => format!("\"{s}\" is not an event b24flow knows. {ASK_TRIGGER}"),
                None => ASK_TRIGGER.to_owned(),
            });
            None
        }
        many => {
            let ids: Vec<&str> = many.iter().map(|f| f.id).collect();
            questions.push(format!(
                "Which event should start this workflow? A workflow has one trigger, but the text names {}. Write one workflow per event.",
                ids.join(" and ")
            ));
            None
        }
    };
    if trigger.is_some() {
        for item in &items {
            if let Item::Leftover(s) = item {
                questions.push(format!(
                    "b24flow could not place \"{s}\", the event. If it is a condition, write it as one (\"and the source is 'Website'\"); otherwise leave it out."
                ));
            }
            if let Item::UnknownEvent(s) = item {
                questions.push(format!(
                    "b24flow could not place \"{s}\": it reads like a condition or a second event, and matches neither. Rephrase it as a condition (\"if the amount is over 5000\"), or leave it out."
                ));
            }
        }
    }
    let info = trigger.and_then(|f| catalog::trigger(f.id));
    let ctx = Ctx {
        trigger: info,
        tokens: &prepared.tokens,
    };

    let mut drafts: Vec<Draft> = Vec::new();
    let mut conditions: Vec<Condition> = Vec::new();
    let mut last_verb: Option<String> = None;
    let mut last_clause: Option<String> = None;
    for item in &items {
        match item {
            Item::Condition(c) => {
                if !conditions.contains(c) {
                    conditions.push(c.clone());
                }
            }
            Item::Instruction(clause) => {
                let mut state = State {
                    drafts: &mut drafts,
                    conditions: &mut conditions,
                    questions: &mut questions,
                    last_verb: &mut last_verb,
                };
                read_instruction(clause, &ctx, &mut state);
                last_clause = Some(clause.orig.clone());
            }
            Item::Aside { restates, clause } => {
                read_aside(
                    *restates,
                    clause,
                    last_clause.as_deref(),
                    &ctx,
                    &mut drafts,
                    &mut questions,
                );
            }
            Item::Trigger(_) | Item::UnknownEvent(_) | Item::Ambiguous(_) | Item::Leftover(_) => {}
        }
    }
    if drafts.is_empty() && !questions.iter().any(|q| q.contains(ASK_ACTION)) {
        questions.push(ASK_ACTION.to_owned());
    }
    for d in &mut drafts {
        actions::finish(d, &ctx);
        for q in d.questions.drain(..) {
            if !questions.contains(&q) {
                questions.push(q);
            }
        }
    }

    duplicates(&drafts, &mut questions);
    let (Some(found), Some(info)) = (trigger, info) else {
        return ask(questions, &prepared.tokens);
    };
    if !questions.is_empty() {
        return ask(questions, &prepared.tokens);
    }
    let mut params = BTreeMap::new();
    if let Some(stage) = &found.stage {
        params.insert("stage".to_owned(), stage.clone());
    }
    let actions: Vec<Action> = drafts
        .into_iter()
        .map(|d| Action {
            kind: d.kind.to_owned(),
            fields: d.fields,
        })
        .collect();
    let workflow = Blueprint {
        name: name(found, &actions),
        entity: info.entity.id().to_owned(),
        trigger: Trigger {
            kind: info.id.to_owned(),
            params,
        },
        conditions,
        actions,
    }
    .normalized();
    Outcome::Ok { workflow }
}

/// What classifying clauses needs besides the clause.
struct Reading<'a> {
    tokens: &'a [text::Token],
    /// The first record noun in the text ("lead"), which a pronoun subject stands for.
    subject: Option<&'a str>,
}

/// Sorts one clause into triggers, conditions and instructions. A clause can hold more
/// than one: "when a deal is won send an e-mail" is a trigger, then an instruction.
fn classify(clause: Clause, reading: &Reading<'_>, items: &mut Vec<Item>, depth: u8) {
    if clause.is_empty() || depth > 8 {
        return;
    }
    let tokens = reading.tokens;
    for (marker, restates) in [(text::ASIDE_RESTATES, true), (text::ASIDE_EXAMPLE, false)] {
        if let Some(rest) = clause.lower.strip_prefix(marker) {
            let rest = clause.tail(clause.lower.len() - rest.len());
            let mut inner = Vec::new();
            classify(rest, reading, &mut inner, depth + 1);
            items.extend(inner.into_iter().map(|item| match item {
                Item::Instruction(clause) => Item::Aside { restates, clause },
                other => other,
            }));
            return;
        }
    }
    let introduced = INTRODUCED.find(&clause.lower);
    if let Some(found) = triggers::find(&clause, introduced.is_some(), tokens) {
        if found.id == "deal_won" && CLOSED.is_match(&clause.lower[found.start..found.end]) {
            items.push(Item::Ambiguous(
                clause.orig_at(found.start..found.end).to_owned(),
            ));
            if let Some(at) = words::first_action_verb(&clause.lower, found.end) {
                classify(clause.tail(at), reading, items, depth + 1);
            }
            return;
        }
        let next = words::first_action_verb(&clause.lower, found.end);
        let event_part = clause.head(next.unwrap_or(clause.lower.len()));
        let alternatives = alternatives(&event_part, &found, tokens);
        // The words a pattern matched are checked too (a pattern allows a few words
        // between the record and the event); only a stage name is taken as matched.
        let mut used: Vec<std::ops::Range<usize>> = Vec::with_capacity(4);
        if found.stage.is_some() {
            used.push(found.start..found.end);
        }
        if let Some(m) = introduced {
            used.push(m.range());
        }
        let any_alternative = !alternatives.is_empty();
        items.push(Item::Trigger(found));
        items.extend(alternatives.into_iter().map(Item::Trigger));
        // Conditions read from the event, in the order the text gives them.
        let mut read: Vec<(usize, Condition)> = Vec::with_capacity(2);
        if let Some(c) = conditions::amount(&event_part)
            && let Some(at) = conditions::amount_span(&event_part)
        {
            read.push((at.start, c));
            used.push(at);
        }
        if let Some((c, at)) = conditions::source(&event_part, tokens) {
            read.push((at.start, c));
            used.push(at);
        }
        read.sort_by_key(|(at, _)| *at);
        items.extend(read.into_iter().map(|(_, c)| Item::Condition(c)));
        // "a booking enquiry deal": two records side by side compete for the event's
        // subject (is it the enquiry, a lead, or the deal?), so the author is asked.
        let all: Vec<String> = words::words_from(&event_part, 0)
            .map(|w| w.text.to_ascii_lowercase())
            .collect();
        let side_by_side = all.windows(2).find_map(|p| match p {
            [a, b] => {
                let (x, y) = (a.trim_end_matches('s'), b.trim_end_matches('s'));
                // "a company record" is the company: "record" names no other entity.
                (x != y && y != "record" && RECORD_NOUNS.contains(&x) && RECORD_NOUNS.contains(&y))
                    .then(|| format!("{a} {b}"))
            }
            _ => None,
        });
        if let Some(pair) = side_by_side {
            items.push(Item::Leftover(format!("{pair}\" in \"{}", event_part.orig)));
        } else if !any_alternative {
            let left: Vec<&str> = words::words_from(&event_part, 0)
                .filter(|w| !used.iter().any(|r| r.contains(&w.start)))
                .map(|w| w.text)
                .collect();
            let unplaced: Vec<&str> = left
                .iter()
                .enumerate()
                .filter(|(i, w)| !is_event_word(w) && !is_record_modifier(&left, *i))
                .map(|(_, w)| *w)
                .collect();
            if !unplaced.is_empty() {
                items.push(Item::Leftover(format!(
                    "{}\" in \"{}",
                    unplaced.join(" "),
                    left.join(" ")
                )));
            }
        }
        if let Some(at) = next {
            classify(clause.tail(at), reading, items, depth + 1);
        }
        return;
    }
    if let Some(parsed) = conditions::parse(&clause, tokens) {
        items.push(Item::Condition(parsed.condition));
        if let Some(at) = parsed.rest {
            classify(clause.tail(at), reading, items, depth + 1);
        }
        return;
    }
    if let Some(m) = introduced {
        if let Some(c) = conditions::amount(&clause) {
            items.push(Item::Condition(c));
            return;
        }
        let rest = clause.tail(m.end());
        // "when they are converted": the pronoun stands for the record the text names.
        if let (Some(noun), Some(p)) = (reading.subject, PRONOUN_SUBJECT.find(&rest.lower)) {
            let named = Clause::new(&format!(
                "{} the {noun}{}",
                clause.orig_at(0..m.end()).trim_end(),
                rest.orig_at(p.end()..rest.orig.len())
            ));
            let plain = Reading {
                tokens,
                subject: None,
            };
            let mut inner = Vec::new();
            classify(named, &plain, &mut inner, depth + 1);
            if inner
                .iter()
                .any(|i| matches!(i, Item::Trigger(_) | Item::Condition(_)))
            {
                items.extend(inner);
                return;
            }
        }
        // "if possible, send ..." and "after that, notify ..." are instructions after all.
        if actions::kind(&rest, tokens).is_some() && words::has_action_verb(&rest.lower) {
            items.push(Item::Instruction(rest));
        } else {
            items.push(Item::UnknownEvent(rest.orig));
        }
        return;
    }
    // "When a deal changes (any field), ...": right after the event, a clause of event
    // words only restates it.
    if matches!(items.last(), Some(Item::Trigger(_) | Item::Condition(_)))
        && actions::kind(&clause, tokens).is_none()
        && words::words_from(&clause, 0).all(|w| is_event_word(w.text))
    {
        return;
    }
    items.push(Item::Instruction(clause));
}

static OR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+or\s+").expect("valid regex"));

/// Other events named with "or" ("when a deal is won or lost"), which the author must
/// choose between: a workflow has one trigger.
fn alternatives(
    event: &Clause,
    found: &triggers::Found,
    tokens: &[text::Token],
) -> Vec<triggers::Found> {
    let label = catalog::trigger(found.id).map_or("deal", |t| t.entity.info().label);
    if !OR.is_match(&event.lower) {
        return Vec::new();
    }
    let mut out: Vec<triggers::Found> = Vec::new();
    for alt in OR.split(&event.orig).filter_map(|part| {
        let part = Clause::new(part);
        triggers::find(&part, true, tokens).or_else(|| {
            let elided = Clause::new(&format!("{label} is {}", part.orig));
            triggers::find(&elided, true, tokens)
        })
    }) {
        if alt.id != found.id && !out.iter().any(|o| o.id == alt.id) {
            out.push(alt);
        }
    }
    out
}

/// Verbs an instruction without a verb of its own may borrow from the one before.
const BORROWABLE: &[&str] = &[
    "create", "add", "make", "open", "generate", "issue", "raise", "prepare", "draft", "set",
    "schedule", "book", "arrange", "tag", "remove", "delete", "drop", "log", "put", "write",
    "leave", "post", "update", "change",
];

/// What reading instructions builds up.
struct State<'a> {
    drafts: &'a mut Vec<Draft>,
    conditions: &'a mut Vec<Condition>,
    questions: &'a mut Vec<String>,
    /// The verb of the last instruction, for "create a contact and a company".
    last_verb: &'a mut Option<String>,
}

/// Reads an instruction clause into a new action, or into the previous one.
fn read_instruction(clause: &Clause, ctx: &Ctx<'_>, state: &mut State<'_>) {
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
            Continued::Merged => return,
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
            && state
                .drafts
                .last()
                .is_some_and(|d| matches!(d.kind, "add_tag" | "remove_tag"))
        {
            let tagged = Clause::new(&format!("{verb} the tag {}", &c[1]));
            state
                .drafts
                .push(actions::read(actions::Kind::Action(kind), &tagged, ctx));
            return;
        }
    }
    let first = words::word_at(clause, 0).map(|w| w.text.to_ascii_lowercase());
    let has_verb = first.as_deref().is_some_and(words::has_action_verb);
    if let Some(kind) = actions::kind(clause, ctx.tokens) {
        let mut draft = actions::read(kind, clause, ctx);
        resolve_pronoun(&mut draft, state.drafts);
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
    let own_subject = first.as_deref().is_some_and(|w| {
        [
            "we", "i", "you", "they", "it", "this", "that", "he", "she", "there", "these", "those",
        ]
        .contains(&w)
    });
    if let Some(verb) = state.last_verb.as_deref()
        && BORROWABLE.contains(&verb)
        && !own_subject
        && !words::has_action_verb(&clause.lower)
    {
        let borrowed = Clause::new(&format!("{verb} {}", clause.orig));
        if let Some(kind) = actions::kind(&borrowed, ctx.tokens) {
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
    } else if !content_words(clause).is_empty() {
        state.questions.push(unplaced(&clause.orig));
    }
}

// A time written as an offset and nothing else: "+42d".
static OFFSET_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\+\d{1,4}[hd]$").expect("valid regex"));

/// Reads an "i.e." or "e.g." aside. One that names the same action as the instruction
/// before it (same kind, same or no recipient) restates it and adds nothing; one that
/// adds detail (a quoted message) is merged; anything else competes with the instruction
/// before it, so the author is asked which reading is meant.
fn read_aside(
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
    // "When a deal is won (e.g. a contract gets signed), ...": before any action, an
    // example illustrates the event; it is not an instruction.
    if drafts.is_empty() && !restates && actions::kind(clause, ctx.tokens).is_none() {
        return;
    }
    let Some(prev) = drafts.last_mut() else {
        questions.push(unplaced(&clause.orig));
        return;
    };
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
fn duplicates(drafts: &[Draft], questions: &mut Vec<String>) {
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
fn resolve_pronoun(draft: &mut Draft, before: &[Draft]) {
    let Some(recipients::Who::Vague(word)) = &draft.who else {
        return;
    };
    // "them", or "them a chat message" as read after "drop".
    let word = word
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !["her", "him", "them"].contains(&word.as_str()) {
        return;
    }
    // "them" may be a group or the responsible person named before; "her"/"him" only a
    // person by name.
    let named = before.iter().rev().find_map(|d| match &d.who {
        Some(w @ recipients::Who::Named(_)) => Some(w.clone()),
        Some(w @ recipients::Who::Responsible) if word == "them" => Some(w.clone()),
        _ => None,
    });
    if let Some(who) = named {
        draft.who = Some(who);
    }
}

/// A short readable name: "Deal won: send `WhatsApp`", "Deal moved to NEGOTIATION:
/// notify".
fn name(found: &triggers::Found, actions: &[Action]) -> String {
    let head = match (&found.stage, found.id) {
        (Some(stage), "stage_changed") => format!("Deal moved to {stage}"),
        _ => defaults::texts(found.id).label.to_owned(),
    };
    let mut labels: Vec<&str> = Vec::new();
    for a in actions {
        let label = defaults::action_label(&a.kind);
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    format!("{head}: {}", labels.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Blueprint {
        match parse(text) {
            Outcome::Ok { workflow } => workflow,
            Outcome::NeedsClarification { questions } => {
                panic!("{text:?} asked {questions:?}")
            }
        }
    }

    fn asks(text: &str) -> Vec<String> {
        match parse(text) {
            Outcome::NeedsClarification { questions } => questions,
            Outcome::Ok { workflow } => panic!("{text:?} parsed to {workflow:?}"),
        }
    }

    fn kinds(b: &Blueprint) -> Vec<&str> {
        b.actions.iter().map(|a| a.kind.as_str()).collect()
    }

    #[test]
    fn seed_deal_won_whatsapp() {
        let b = ok("When a deal is won, send a WhatsApp message to the client");
        assert_eq!(b.trigger.kind, "deal_won");
        assert_eq!(b.entity, "CRM_DEAL");
        assert_eq!(kinds(&b), ["send_whatsapp"]);
        assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
        assert_eq!(
            b.actions[0].field("message"),
            Some("Congratulations! Your deal has been confirmed.")
        );
        assert_eq!(b.name, "Deal won: send WhatsApp");
    }

    #[test]
    fn seed_new_lead_task() {
        let b = ok("Create a follow-up task for the sales manager when a new lead is created");
        assert_eq!(b.trigger.kind, "lead_created");
        assert_eq!(b.entity, "CRM_LEAD");
        assert_eq!(kinds(&b), ["create_task"]);
        assert_eq!(b.actions[0].field("title"), Some("Follow up with new lead"));
        assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    }

    #[test]
    fn seed_overdue_invoice_email() {
        let b = ok("Send an email to the client when their invoice is overdue");
        assert_eq!(b.trigger.kind, "invoice_overdue");
        assert_eq!(b.entity, "CRM_INVOICE");
        assert_eq!(kinds(&b), ["send_email"]);
        let a = &b.actions[0];
        assert_eq!(a.field("to"), Some("{{CONTACT_EMAIL}}"));
        assert!(a.field("subject").is_some_and(|s| !s.is_empty()));
        assert!(a.field("body").is_some_and(|s| !s.is_empty()));
    }

    #[test]
    fn seed_deal_lost_notify_and_task() {
        let b = ok("Notify the sales team when a deal is lost and create a review task");
        assert_eq!(b.trigger.kind, "deal_lost");
        assert_eq!(b.entity, "CRM_DEAL");
        assert_eq!(kinds(&b), ["send_notification", "create_task"]);
        assert_eq!(b.actions[0].field("to"), Some("sales team"));
        assert_eq!(
            b.actions[1].field("title"),
            Some("Review lost deal reasons")
        );
        assert_eq!(b.actions[1].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    }

    #[test]
    fn seed_lead_converted_assign() {
        let b = ok("When a lead is converted, assign it to the sales manager");
        assert_eq!(b.trigger.kind, "lead_converted");
        assert_eq!(b.entity, "CRM_LEAD");
        assert_eq!(kinds(&b), ["assign_responsible"]);
        assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    }

    #[test]
    fn seed_vague_examples_ask() {
        for text in [
            "Do something when things change",
            "Send a message to someone",
            "Automate my CRM",
            "Handle new clients",
        ] {
            let q = asks(text);
            assert!(!q.is_empty(), "{text}");
        }
        assert!(asks("Automate my CRM")[0].contains("Which event"));
        assert!(
            asks("Send a message to someone")
                .iter()
                .any(|q| q.contains("\"someone\""))
        );
    }

    #[test]
    fn stage_and_condition() {
        let b = ok(
            "When a deal moves to the Negotiation stage and the amount is over 10000, notify the manager",
        );
        assert_eq!(b.trigger.kind, "stage_changed");
        assert_eq!(b.trigger.param("stage"), Some("NEGOTIATION"));
        assert_eq!(
            b.conditions,
            [Condition {
                field: "OPPORTUNITY".into(),
                operator: ">".into(),
                value: "10000".into()
            }]
        );
        assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
    }

    #[test]
    fn output_is_normalized_and_deterministic() {
        let text =
            "When a deal is won, send a WhatsApp to the client and create a task for Anna tomorrow";
        let b = ok(text);
        assert_eq!(b.clone().normalized(), b);
        assert_eq!(parse(text), parse(text));
    }

    // Issue 19's four confident errors: each is now a right answer or a question.

    #[test]
    fn issue19_lost_deal_email_asking_for_feedback_is_one_email() {
        let b = ok("If a deal gets lost, email the client and ask for feedback");
        assert_eq!(b.trigger.kind, "deal_lost");
        assert_eq!(kinds(&b), ["send_email"]);
        assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_EMAIL}}"));
        assert!(
            b.actions[0]
                .field("body")
                .is_some_and(|s| s.contains("feedback"))
        );
    }

    #[test]
    fn issue19_telegraphic_plus_keeps_the_task() {
        let b = ok("when deal won -> whatsapp client + task for manager");
        assert_eq!(b.trigger.kind, "deal_won");
        assert_eq!(kinds(&b), ["send_whatsapp", "create_task"]);
        assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
        assert_eq!(b.actions[1].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    }

    #[test]
    fn issue19_changes_stage_is_stage_changed() {
        let b = ok("When the deal changes stage, send an email to the client");
        assert_eq!(b.trigger.kind, "stage_changed");
        assert!(b.trigger.params.is_empty());
        assert_eq!(kinds(&b), ["send_email"]);
        let b = ok("When a deal changes stage to Negotiation, notify the manager");
        assert_eq!(b.trigger.param("stage"), Some("NEGOTIATION"));
    }

    #[test]
    fn issue19_ie_aside_restating_an_assignment_is_one_assignment() {
        let b = ok(
            "When a lead is converted, hand it over to the account manager, i.e. reassign it to the responsible person",
        );
        assert_eq!(kinds(&b), ["assign_responsible"]);
        // An aside that says something else is a question, not a second action.
        let q = asks("When a lead is converted, hand it over to Anna, i.e. send her an email");
        assert!(q.iter().any(|q| q.contains("i.e.")), "{q:?}");
    }

    #[test]
    fn issue19_what_a_person_understands() {
        let cases = [
            (
                "When a deal reaches the NEGOTIATION stage, notify the manager",
                "stage_changed",
                "send_notification",
            ),
            (
                "Whenever a contact's details change, notify the manager",
                "contact_updated",
                "send_notification",
            ),
            (
                "Text the lead 'Thanks!' when they are converted",
                "lead_converted",
                "send_sms",
            ),
            (
                "When a lead is converted, give it to the sales manager",
                "lead_converted",
                "assign_responsible",
            ),
            (
                "New lead? Send a welcome email",
                "lead_created",
                "send_email",
            ),
            (
                "When a deal is won, ping Anna",
                "deal_won",
                "send_bitrix_message",
            ),
        ];
        for (text, trigger, action) in cases {
            let b = ok(text);
            assert_eq!(b.trigger.kind, trigger, "{text}");
            assert_eq!(kinds(&b), [action], "{text}");
        }
        let b = ok("Text the lead 'Thanks!' when they are converted");
        assert_eq!(b.actions[0].field("message"), Some("Thanks!"));
    }

    #[test]
    fn never_silently_wrong_on_what_it_cannot_place() {
        // The same action twice for the same person.
        let q = asks("When a deal is won, email the client and send them an email");
        assert!(q.iter().any(|q| q.contains("twice")), "{q:?}");
        // Words of the event that name a condition b24flow cannot express.
        let q = asks("When a deal in the Wholesale pipeline is won, notify the manager");
        assert!(q.iter().any(|q| q.contains("Wholesale pipeline")), "{q:?}");
        // A clause that is neither an action nor detail of one.
        let q = asks("When a deal is won, notify the manager and check the stock");
        assert!(q.iter().any(|q| q.contains("check the stock")), "{q:?}");
        // "closed" does not say won or lost.
        let q = asks("When a deal is closed, notify the manager");
        assert!(q.iter().any(|q| q.contains("won or lost")), "{q:?}");
        // Quotes read back as written in questions.
        let q = asks("deal -> stage 'Site visit': text the client 'Hi'");
        assert!(q.iter().all(|q| !q.contains('\x01')), "{q:?}");
    }

    // Round two: the principles behind the first held-out set's silent errors.

    #[test]
    fn comparison_words_decide_the_operator() {
        for (text, op, value) in [
            (
                "If a deal is updated and the amount is now over 75,000, ping the head of sales",
                ">",
                "75000",
            ),
            (
                "When a deal is won and the amount is still under 500, notify the manager",
                "<",
                "500",
            ),
            (
                "When a deal is won and the amount is no less than 2k, notify the manager",
                ">=",
                "2000",
            ),
            (
                "When a deal is won and the amount is currently above 10000, notify the manager",
                ">",
                "10000",
            ),
        ] {
            let b = ok(text);
            assert_eq!(
                b.conditions,
                [Condition {
                    field: "OPPORTUNITY".into(),
                    operator: op.into(),
                    value: value.into()
                }],
                "{text}"
            );
        }
        // A comparison it cannot read is a question, never an equality or the amount.
        asks("When a deal is updated and the amount is roughly 5000, notify the manager");
        asks("When a deal is updated and the discount is well over 15, notify the manager");
    }

    #[test]
    fn the_object_of_move_decides_the_action() {
        for (text, value) in [
            ("If a task is late, move its deadline to +2d", "+2d"),
            (
                "When a task gets created, push its deadline out to +3d",
                "+3d",
            ),
            (
                "When a task is created, move the deadline to tomorrow",
                "+1d",
            ),
        ] {
            let b = ok(text);
            assert_eq!(kinds(&b), ["update_task"], "{text}");
            assert_eq!(b.actions[0].field("field"), Some("DEADLINE"), "{text}");
            assert_eq!(b.actions[0].field("value"), Some(value), "{text}");
        }
        // Not a stage move: a deal has no deadline b24flow can move, a shift "by" days is
        // not a time from now, and a meeting is not the record.
        for text in [
            "When a deal is won, push its deadline to +2d",
            "When a task is created, postpone the deadline by 2 days",
            "When a deal is won, push the meeting to Friday",
        ] {
            asks(text);
        }
        let b = ok("When a deal is won, move it to Final Invoice");
        assert_eq!(kinds(&b), ["move_stage"]);
        let b = ok("When a deal is won, push the deal to the Contract stage");
        assert_eq!(b.actions[0].field("stage"), Some("CONTRACT"));
    }

    #[test]
    fn a_lowercase_word_before_the_record_describes_it_a_capitalised_one_is_asked() {
        let b = ok("When a wholesale deal is won, notify the manager");
        assert_eq!(b.trigger.kind, "deal_won");
        assert!(b.conditions.is_empty());
        let b = ok("When a student's tuition invoice is overdue, notify the manager");
        assert_eq!(b.trigger.kind, "invoice_overdue");
        let q = asks("When a Wholesale deal is won, notify the manager");
        assert!(q.iter().any(|q| q.contains("Wholesale")), "{q:?}");
        // Two records side by side compete for the subject.
        asks("New booking enquiry deal, notify the manager");
    }

    #[test]
    fn small_readings_of_fresh_descriptions() {
        // A bare quoted word after a tag instruction is a tag.
        let b = ok("When a deal is won, remove the 'trial' tag, add 'paying'");
        assert_eq!(kinds(&b), ["remove_tag", "add_tag"]);
        assert_eq!(b.actions[1].field("tag"), Some("paying"));
        // An "i.e." that restates the time adds nothing.
        let b = ok("When we lose a deal, schedule a call with the customer in 6 weeks, i.e. +42d");
        assert_eq!(b.actions[0].field("datetime"), Some("+42d"));
        // "whoever owns it" is the responsible person.
        let b = ok("Task overdue: set a reminder for whoever owns it, 2 hours from now");
        assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
        // Space thousands separators and bracketed remarks.
        let b = ok("When a deal changes, if the amount is at least 1 000 000, notify the manager");
        assert_eq!(b.conditions[0].value, "1000000");
        asks("Quote drafted, set the deal's probability to 40 (we treat quoted deals as 40%)");
    }

    /// Checks what must hold for any input: a blueprint is normalized, runs on its
    /// trigger's entity, and fills every required field; questions are never empty.
    fn check_invariants(text: &str, user_wrote_variables: bool) {
        match parse(text) {
            Outcome::Ok { workflow } => {
                assert_eq!(workflow.clone().normalized(), workflow, "{text:?}");
                let info = catalog::trigger(&workflow.trigger.kind).expect("a catalog trigger");
                assert_eq!(workflow.entity, info.entity.id(), "{text:?}");
                assert!(!workflow.actions.is_empty(), "{text:?}");
                for a in &workflow.actions {
                    let spec = catalog::action(&a.kind).expect("a catalog action");
                    for f in spec.fields.iter().filter(|f| f.required) {
                        assert!(
                            a.field(f.name).is_some(),
                            "{text:?}: {} has no {}",
                            a.kind,
                            f.name
                        );
                    }
                    for name in a.fields.keys() {
                        assert!(
                            spec.field(name).is_some(),
                            "{text:?}: {} has {name}",
                            a.kind
                        );
                    }
                }
                if !user_wrote_variables {
                    for (at, name) in workflow.variable_uses() {
                        let v = catalog::variable(&name).expect("a catalog variable");
                        assert!(
                            v.expression_for(info.entity).is_some(),
                            "{text:?}: {at} uses {name}, which {} does not supply",
                            workflow.entity
                        );
                    }
                }
            }
            Outcome::NeedsClarification { questions } => {
                assert!(!questions.is_empty(), "{text:?}");
            }
        }
    }

    const FRAGMENTS: &[&str] = &[
        "when",
        "if",
        "once",
        "a deal",
        "the lead",
        "is won",
        "is lost",
        "is created",
        "arrives",
        "new",
        "task",
        "invoice",
        "is overdue",
        "quote",
        "approved",
        "meeting",
        "note added",
        "stage",
        "moves to",
        "Negotiation",
        "send",
        "a WhatsApp",
        "an email",
        "SMS",
        "to the client",
        "to the manager",
        "notify",
        "the sales team",
        "Anna",
        "create a task",
        "for",
        "someone",
        "assign it to",
        "add the tag",
        "remove tag",
        "move it to",
        "set the source to",
        "Website",
        "post to https://x.example/h",
        "'quoted, text'",
        "and",
        "then",
        ",",
        ".",
        "->",
        "the amount is over 10000",
        "tomorrow",
        "in 3 days",
        "urgent",
        "schedule a call",
        "remind",
        "comment",
        "create a deal",
        "company",
        "contact",
        "webhook",
        "update the deal",
        "or",
        "\u{201c}curly\u{201d}",
        "\u{e9}t\u{e9}",
        "\u{2192}",
        ":",
        "1)",
        "2.",
    ];

    proptest::proptest! {
        #[test]
        fn any_text_gives_a_valid_outcome(text in "\\PC{0,120}") {
            check_invariants(&text, true);
        }

        #[test]
        fn vocabulary_soup_gives_a_valid_outcome(
            picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..18)
        ) {
            let text: Vec<&str> = picks.iter().map(|&i| FRAGMENTS[i]).collect();
            check_invariants(&text.join(" "), false);
        }
    }
}
