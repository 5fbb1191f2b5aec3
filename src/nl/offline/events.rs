//! Clause accounting for events: sorting each clause into a trigger, a condition, an
//! instruction or an aside, and checking that every word of an event clause is placed.
//!
//! A clause that holds an event is split at its first action verb ("when a deal is won
//! send an e-mail"): the head is the event, the tail is classified again. In the head,
//! every word must be the trigger's own, part of a condition read from it, or in the
//! event lexicon ([`super::lexicon`]); anything else becomes [`Item::Leftover`] and is
//! asked about, so a condition b24flow cannot express is never dropped in silence. A
//! pronoun subject ("when they are converted") is read as the first record the text
//! names, and "or" between two events gives both, which the author must choose between.
//!
//! Invariant: every clause yields at least one item unless it is empty or only restates
//! the event before it; recursion is bounded (`depth`).

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::{RECORD_NOUNS, is_event_word, is_record_modifier};
use super::text::{self, Clause};
use super::{Item, actions, catalog, conditions, triggers, words};
use crate::blueprint::Condition;

// "closed" alone does not say whether the deal was won or lost.
pub(super) static CLOSED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bclos(?:e|es|ed|ing)$").expect("valid regex"));

// A pronoun standing for the record as the subject of an event: "when they are
// converted", "once it is won".
pub(super) static PRONOUN_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:they|it|he|she|this|these|those|that|the\s+record)\b").expect("valid regex")
});

// The record nouns a pronoun can stand for, in the words the trigger patterns know.
pub(super) static RECORD_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:deal|lead|contact|company|invoice|quote|task)s?\b").expect("valid regex")
});

// A clause that opens like a trigger or condition: "when", "if", "as soon as", ...
pub(super) static INTRODUCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:when|whenever|once|as\s+soon\s+as|if|every\s+time|each\s+time|any\s+time|anytime|in\s+case|after|upon|on|for\s+(?:every|each|any|all)|only\s+if)\b\s*",
    )
    .expect("valid regex")
});

/// What classifying clauses needs besides the clause.
pub(super) struct Reading<'a> {
    pub(super) tokens: &'a [text::Token],
    /// The first record noun in the text ("lead"), which a pronoun subject stands for.
    pub(super) subject: Option<&'a str>,
}

/// Sorts one clause into triggers, conditions and instructions. A clause can hold more
/// than one: "when a deal is won send an e-mail" is a trigger, then an instruction.
pub(super) fn classify(clause: Clause, reading: &Reading<'_>, items: &mut Vec<Item>, depth: u8) {
    if clause.is_empty() || depth > 8 {
        return;
    }
    let tokens = reading.tokens;
    for (marker, restates) in [
        (text::ASIDE_RESTATES, Some(true)),
        (text::ASIDE_EXAMPLE, Some(false)),
        (text::ASIDE_BRACKET, None),
    ] {
        if let Some(rest) = clause.lower.strip_prefix(marker) {
            let rest = clause.tail(clause.lower.len() - rest.len());
            // "When a deal changes (any field), ...": right after the event, an aside of
            // event words only restates it.
            if matches!(items.last(), Some(Item::Trigger(_) | Item::Condition(_)))
                && actions::kind(&rest, tokens).is_none()
                && words::words_from(&rest, 0).all(|w| is_event_word(w.text))
            {
                return;
            }
            let mut inner = Vec::new();
            classify(rest, reading, &mut inner, depth + 1);
            // "Once the client signs (deal won)", "a parent fills in the form, i.e. a new
            // lead": an event the parser knows, right after one it does not, says what
            // that one means; the unknown clause is explained, not left over.
            if restates != Some(false)
                && inner.iter().any(|i| matches!(i, Item::Trigger(_)))
                && match items.last() {
                    Some(Item::UnknownEvent(_)) => true,
                    Some(Item::Instruction(c)) => {
                        actions::kind(c, tokens).is_none() && !words::has_action_verb(&c.lower)
                    }
                    _ => false,
                }
            {
                items.pop();
            }
            items.extend(inner.into_iter().map(|item| match (item, restates) {
                (Item::Instruction(clause), Some(restates)) => Item::Aside { restates, clause },
                (other, _) => other,
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
        let mut next = words::first_action_verb(&clause.lower, found.end);
        // "Lead in: chat message to the duty manager": a colon after the event ends it.
        let mut tail_from = next;
        // Not the colon inside a stage id ("C2:WON").
        if let Some(colon) = clause.lower[found.start..]
            .find(": ")
            .or_else(|| {
                clause.lower[found.start..]
                    .ends_with(':')
                    .then(|| clause.lower.len() - found.start - 1)
            })
            .map(|c| c + found.start)
            && next.is_none_or(|n| colon < n)
            && !clause.lower[found.end.min(colon)..colon].contains('\x01')
        {
            next = Some(colon);
            tail_from = Some(colon + 1);
        }
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
        for (c, at) in conditions::in_event(&event_part, tokens) {
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
                // "a company record" is the company: "record" names no other entity; "an
                // order deal" is a deal: both words name one.
                let same = |n: &str| {
                    ["deal", "order", "sale", "tender", "contract", "opportunity"].contains(&n)
                };
                (x != y
                    && y != "record"
                    && !(same(x) && same(y))
                    && RECORD_NOUNS.contains(&x)
                    && RECORD_NOUNS.contains(&y))
                .then(|| format!("{a} {b}"))
            }
            _ => None,
        });
        if let Some(pair) = side_by_side {
            items.push(Item::Leftover(format!("{pair}\" in \"{}", event_part.orig)));
        } else if !any_alternative {
            // A modifier is judged against every word of the event, so "a property deal"
            // describes the deal even when the pattern matched "deal" itself.
            let every: Vec<words::Word<'_>> = words::words_from(&event_part, 0).collect();
            // The first word of a sentence is capitalised whatever it is: "Site visit".
            let first = every.first().map(|w| w.text.to_ascii_lowercase());
            let texts: Vec<&str> = every
                .iter()
                .enumerate()
                .map(|(i, w)| match (&first, i) {
                    (Some(f), 0) if w.start == 0 => f.as_str(),
                    _ => w.text,
                })
                .collect();
            let is_left = |w: &words::Word<'_>| !used.iter().any(|r| r.contains(&w.start));
            let left: Vec<&str> = every
                .iter()
                .filter(|w| is_left(w))
                .map(|w| w.text)
                .collect();
            let unplaced: Vec<&str> = every
                .iter()
                .enumerate()
                .filter(|(i, w)| {
                    is_left(w) && !is_event_word(w.text) && !is_record_modifier(&texts, *i)
                })
                .map(|(_, w)| w.text)
                .collect();
            if !unplaced.is_empty() {
                items.push(Item::Leftover(format!(
                    "{}\" in \"{}",
                    unplaced.join(" "),
                    left.join(" ")
                )));
            }
        }
        if let Some(at) = tail_from {
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
        // "Unpaid invoice after the due date?": right after the event, an introduced
        // clause of event words only restates it.
        if matches!(items.last(), Some(Item::Trigger(_)))
            && words::words_from(&rest, 0).all(|w| is_event_word(w.text))
        {
            return;
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

pub(super) static OR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+or\s+").expect("valid regex"));

/// Other events named with "or" ("when a deal is won or lost"), which the author must
/// choose between: a workflow has one trigger.
pub(super) fn alternatives(
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
