//! Clause accounting for instructions: every instruction clause becomes an action, merges
//! into the one before as its detail, or is reported.
//!
//! An instruction is read by the action frames ([`super::actions`]); one without a verb
//! of its own may continue the previous action (another recipient, a message, a
//! deadline) or borrow its verb ("create a contact and a company"). An "i.e."/"e.g."
//! aside must restate the action before it or add detail to it; naming another action
//! competes with it. Two actions of one kind for one recipient are a question
//! ([`duplicates`]), and "her"/"him"/"them" stand for the person named before.
//!
//! Invariant: a clause with words of its own (not filler) that no rule places always
//! adds a question naming it; nothing is dropped except filler.

use std::sync::LazyLock;

use regex::Regex;

use super::actions::{self, Continued, Ctx, Draft};
use super::lexicon::content_words;
use super::text::Clause;
use super::{ASK_ACTION, catalog, conditions, recipients, words};
use crate::blueprint::Condition;

// "remove 'pending'" right after a tag instruction: the tag is implied.
pub(super) static BARE_REMOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:and\s+)?(?:remove|drop|delete|clear|strip|take\s+off)\s+(\x01\d+\x02)$")
        .expect("valid regex")
});

// "add 'paying'" right after a tag instruction.
pub(super) static BARE_ADD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:and\s+)?(?:add|put|apply|attach)\s+(\x01\d+\x02)$").expect("valid regex")
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
    Regex::new(r"\b(?:the\s+)?(?:day|days|week|weeks|hour|hours|night|morning|evening)\s+before\b|\bbefore\s+(?:the|their|its|his|her)\s+(?:meeting|appointment|visit|call|demo|viewing|consultation|event|session|deadline|due\s+date|start)\b")
        .expect("valid regex")
});

// A time an action is to happen at: "within the hour", "in 2 days", "tomorrow".
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:within|in|after|by)\s+(?:the\s+|a\s+|an\s+|one\s+|two\s+|three\s+|\d+\s+|next\s+|a\s+couple\s+of\s+)?(?:minutes?|hours?|days?|weeks?|months?)\b|\btomorrow\b|\bnext\s+(?:week|month|day|monday|tuesday|wednesday|thursday|friday)\b|\b\d+\s+(?:days?|weeks?|hours?)\s+later\b")
        .expect("valid regex")
});

// Words that leave the action open: "Anna or Peter", "depending on the region", "e-mail
// or call". A comparison ("500 or more") is not a choice.
static CHOICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bdepend(?:ing|s)\s+on\b|\bbased\s+on\b|\baccording\s+to\b|\bwhichever\b|\bor\s+(?:[a-z@.'-]+|\x01\d+\x02)")
        .expect("valid regex")
});

/// What reading instructions builds up.
pub(super) struct State<'a> {
    pub(super) drafts: &'a mut Vec<Draft>,
    pub(super) conditions: &'a mut Vec<Condition>,
    pub(super) questions: &'a mut Vec<String>,
    /// The verb of the last instruction, for "create a contact and a company".
    pub(super) last_verb: &'a mut Option<String>,
}

/// Reads an instruction clause into a new action, or into the previous one.
pub(super) fn read_instruction(clause: &Clause, ctx: &Ctx<'_>, state: &mut State<'_>) {
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
        // "email the client within the hour": a time the action has no slot for, or one
        // its reader did not understand, is asked about rather than dropped.
        if let Some(m) = TIME.find(&clause.lower)
            && !["datetime", "deadline", "value"]
                .iter()
                .any(|f| draft.fields.contains_key(*f))
        {
            state.questions.push(format!(
                "b24flow could not place \"{}\" in \"{}\": {} has no time of its own. Leave the time out, or make it a task or reminder with a deadline.",
                clause.orig_at(m.range()).trim(),
                clause.orig,
                draft.kind
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
pub(super) static OFFSET_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\+\d{1,4}[hd]$").expect("valid regex"));

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
    if draft.assignee_pronoun.is_some() {
        let named = before.iter().rev().find_map(|d| match &d.who {
            Some(recipients::Who::Named(name)) => Some(name.clone()),
            _ => None,
        });
        if let Some(name) = named {
            draft.assignee_pronoun = None;
            draft.fields.insert("assignee".into(), name);
        }
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
