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
//!    through; numbers are read with their separators ("1,000,000", "1.234,56", "2,5k",
//!    "€10.000"; a bare "10.000" is asked about, as ten thousand or ten), "the day after
//!    tomorrow" is two days on, and a bracketed variable after a value ("today's date
//!    ({{CURRENT_DATE}})") replaces it; "i.e."/"e.g." become aside markers; the
//!    text is cut at sentence ends, commas, "and"/"then"/"plus", `->`, `+`, `&`, dashes,
//!    and before a mid-sentence "when"/"if"/"once". No dependency, no model.
//! 2. **Event frames** ([`triggers`]). Each catalog trigger has patterns over a record
//!    noun (deal, lead, ...: synonyms, plurals, British spellings) and an event verb in
//!    its inflections ("is won", "gets converted", "reaches/hits/lands in a stage",
//!    "details change"); the stage frame has a stage slot. A pronoun subject ("when they
//!    are converted") stands for the first record noun of the text. The frame needs no
//!    "when": a record and its state word, in either order, make an event in a heading
//!    or a note ("Signed-off quotes:", "Patient details changed?", "Converted
//!    patients"), and a subject may come first ("we issue a new quote", "a prospective
//!    student converts"). A team's word for its deal (a booking, a matter, a treatment
//!    plan) is the deal, and before another record it describes that record ("a booking
//!    invoice"). A negation inside an event's words ("a deal is not won") reverses it
//!    and is asked about, unless it is the event itself ("is not paid" is overdue); a
//!    new booking or reservation may be a deal or a meeting, and is asked about.
//! 3. **Condition frames** ([`conditions`]): field, operator, value; amounts and a quoted
//!    source may sit inside the event clause ("a deal over 10k is won"), and so may a
//!    field named after its value ("in the Pharmaceuticals industry", "a Client-type
//!    contact") or after the record's possessive ("an edited lead's comments mention
//!    'x'"). A value written without quotes must be capitalised, as a name is.
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
//! **Accounting** ([`events`] for event clauses against the [`lexicon`], [`instructions`]
//! for instruction clauses), the rule that keeps the parser from being silently wrong:
//! every part of the text must be placed, or the parser asks, naming the words it could
//! not place.
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
//! - Where the record is the subject of what follows the event, that is the order: "a
//!   new company ... belongs to Hans" is "assign it to Hans", "should be passed to X" is
//!   "pass it to X"; a modal inside an event's words ("a deal should be moved to") makes
//!   them an order, not an event. A sentence about the business before a colon ("We're a
//!   design studio:"), the business itself after the record ("for the accountancy
//!   practice", "with the firm") and a purpose that names only a state of the data ("so
//!   the list stays in sync") carry no instruction; a name, a place or a person in them
//!   does, and is asked about.
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
//! and the two spent held-out sets (`heldout-2026-12a.yaml`, `heldout-2026-12b.yaml`);
//! a fresh held-out set, never tuned against, measures them (`b24flow eval`,
//! docs/parser.md).
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
mod events;
mod instructions;
mod lexicon;
mod rationale;
mod recipients;
mod text;
mod triggers;
mod words;

use super::Outcome;
use crate::blueprint::{Action, Blueprint, Condition, Trigger};
use crate::catalog;
use actions::{Ctx, Draft};
use events::{RECORD_NOUN, Reading, classify};
use instructions::{State, duplicates, read_aside, read_instruction};
use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use text::Clause;

// An event for a kind of customer or a product: "a deal is created for a trade customer",
// "a deal for a junior member is won", "a deal for a ceramic coating is won".
static KIND_OF_CUSTOMER: LazyLock<Regex> = LazyLock::new(|| {
    text::pattern(r"\b(?:created|won|lost|converted|paid|approved|updated|comes\s+in|arrives|deal|deals|order|orders|booking|bookings|sale|sales)\s+for\s+(?:a|an)\s+[a-z-]+(?:\s+[a-z-]+)?\s+(?:customer|client|buyer|member|patient|guest)s?\b|\b(?:deal|deals|order|orders|booking|bookings|sale|sales)\s+for\s+(?:a|an)\s+[a-z-]+(?:\s+[a-z-]+){0,2}\s+(?:is|are|gets|get|was|were|has\s+been)\b")
        .expect("valid regex")
});

// A pipeline named: "the Wholesale pipeline", "our 'Rentals' funnel", "the pipeline
// Mayoristas".
static NAMED_PIPELINE: LazyLock<Regex> = LazyLock::new(|| {
    text::pattern(r"(?:\b(?:[A-Z][\w&-]*\s+){1,3}|\x01\d+\x02\s+)(?:pipeline|funnel)\b|\b(?:pipeline|funnel)\s+(?:\x01\d+\x02|[A-Z][\w&-]*)")
        .expect("valid regex")
});

/// Bumped whenever a rule change can change what a spec parses to.
pub const VERSION: u32 = 71;

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
    /// A condition read from an exception, denied: "unless the source is Partner" is
    /// `SOURCE_ID != PARTNER`.
    Denied(Condition),
    /// Words in an event clause that neither the trigger nor a condition accounts for
    /// ("from the Sales pipeline"): a condition b24flow cannot express, or a misread.
    Leftover(String),
}

/// Parses one spec.
pub fn parse(text: &str) -> Outcome {
    if let Some((title, description)) = text::ticket(text)
        && let Some(outcome) = ticket(title, description)
    {
        return outcome;
    }
    // A letter's context is read past only where the whole text cannot be read: what
    // reads whole keeps that reading, and the common case costs one parse.
    match parse_text(text) {
        outcome @ Outcome::Ok { .. } => outcome,
        asked => after_context(text).unwrap_or(asked),
    }
}

/// "created from our web form (source WEB)": one field said to equal two different
/// values. Both must hold for the workflow to run, which they never can, so the author
/// is asked which one is meant. The same source said twice in two ways ("from the
/// website (source WEB)") is one condition: a source is compared by the portal's id it
/// stands for, and a source written as that id is kept over a channel's words.
fn same_field_twice(conditions: &mut Vec<Condition>, questions: &mut Vec<String>) {
    let value = |c: &Condition| {
        if c.field == "SOURCE_ID" {
            catalog::source_id(&c.value).map_or_else(|| c.value.to_lowercase(), str::to_owned)
        } else {
            c.value.to_lowercase()
        }
    };
    let as_id = |v: &str| catalog::source_id(v) == Some(v);
    let mut kept: Vec<Condition> = Vec::new();
    for c in conditions.drain(..) {
        let Some(at) = kept
            .iter()
            .position(|k| k.field == c.field && k.operator == "=" && c.operator == "=")
        else {
            kept.push(c);
            continue;
        };
        let k = &kept[at];
        if value(k) == value(&c) {
            continue;
        }
        // "from our web form (source WEB)": a source written as the portal's own id
        // names it exactly, where a channel's words only stand for one.
        if c.field == "SOURCE_ID" && as_id(&c.value) != as_id(&k.value) {
            if as_id(&c.value) {
                kept[at] = c;
            }
            continue;
        }
        questions.push(format!(
            "The text says {} is \"{}\" and also \"{}\"; a workflow runs only when all of its conditions hold, and both never can. Which one is meant?",
            c.field, k.value, c.value
        ));
        kept.push(c);
    }
    *conditions = kept;
}

// A record other than a deal that an activity or a meeting is on: "logged on a lead".
static OTHER_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    text::pattern(r"\b(?:(?:on|to|against|for|in|under)\s+(?:a|an|the|any|their|its|that)\s+(?P<record>lead|contact|company|invoice|quote)|with\s+(?:a|an|the|any)\s+(?P<lead>lead))s?\b")
        .expect("valid regex")
});

// A sentence that asks for something, or says who does the work ("Mr Patel is doing
// those calls himself"): no context.
static ASKS: LazyLock<Regex> = LazyLock::new(|| {
    text::pattern(r"(?i)\b(?:please|pls|could|can|would|should|must|we'?d\s+like|i'?d\s+like|we\s+want|i\s+want|we\s+need|i\s+need|make\s+it\s+so|set\s+(?:it|this|that)\s+up|(?:is|are)\s+doing|handles?|takes?\s+care|in\s+charge)\b")
        .expect("valid regex")
});

// What goes wrong today, as a letter's context says it: "people forget to book it",
// "nobody ever circles back", "our leads go cold", "ops needs to plan the pickup",
// "half the warehouse lives in outlook".
static PROBLEM: LazyLock<Regex> = LazyLock::new(|| {
    text::pattern(r"(?i)\b(?:keeps?|kept|never|ever|always|sometimes|often|usually|forgets?|forgot|nobody|no\s+one|cold|sits?|sat|slipping|slips|miss(?:es|ed)?|hears?|heard|has\s+to|have\s+to|needs?\s+to|wants?\s+to|quite\s+a\s+few|a\s+lot\s+of|too\s+many|half|days\s+later)\b")
        .expect("valid regex")
});

// Words that may narrow the request: such a sentence is no context ("We only sell to
// companies.", "Only for VIP clients.", "Never for trial accounts.").
static NARROWS: LazyLock<Regex> = LazyLock::new(|| {
    text::pattern(r"(?i)\b(?:only|except|unless|excluding|apart\s+from|other\s+than|but\s+not|not\s+for|never\s+(?:for|on|to|when|if))\b")
        .expect("valid regex")
});

/// "Morning, every new kitchen project needs a site measurement and people forget to
/// book it. Please make it so that when a deal is created, ...": a sentence or two that
/// say what goes wrong today, before the request, are why it is asked. Such a sentence
/// asks for nothing, narrows nothing ("only", "except"), holds no quote, link or number,
/// and says a problem; it is read
/// past only when the rest is a whole request on its own (the event too), so nothing
/// the request needs is lost with it, and when it is no request itself.
///
/// The same holds for one such sentence after the request ("task created -> email the
/// assignee?? half the warehouse lives in outlook, not bitrix").
fn after_context(text: &str) -> Option<Outcome> {
    let is_context = |s: &str| {
        PROBLEM.is_match(s)
            && !ASKS.is_match(s)
            && !NARROWS.is_match(s)
            && !s.contains(text::QUOTE_MARKS)
            && !s.contains("http")
            && !s.contains(|c: char| c.is_ascii_digit())
            && !matches!(parse_text(s), Outcome::Ok { .. })
    };
    let mut rest = text;
    for _ in 0..2 {
        let Some((first, after)) = text::first_sentence(rest) else {
            break;
        };
        if !is_context(first) {
            break;
        }
        rest = after;
        if let outcome @ Outcome::Ok { .. } = parse_text(rest) {
            return Some(outcome);
        }
    }
    let (request, last) = text::last_sentence(text)?;
    if is_context(last)
        && let outcome @ Outcome::Ok { .. } = parse_text(request)
    {
        return Some(outcome);
    }
    None
}

/// "MSP-9: Stage 'Onboarding' -> setup task. When a deal enters Onboarding, create a
/// task ...": a ticket's title and its description say the same thing twice, the title
/// in short. The description is read, the title in front of it when it has no event of
/// its own ("Lost deals -> feedback email. Send the customer an email ..."), and the
/// answer is kept only when the title asks for nothing it does not have: the same
/// event and no kind of action it lacks. A title that says more, or that cannot be
/// read, is asked about; `None` leaves the text to be read whole, as one request.
fn ticket(title: &str, description: &str) -> Option<Outcome> {
    let (event, named) = title
        .split_once("->")
        .map_or((None, ""), |(event, named)| (Some(event.trim()), named));
    // The description with the title's event before it: read only when needed, and once.
    let with_event = std::cell::OnceCell::new();
    let with_event = || {
        with_event
            .get_or_init(
                || match event.map(|e| parse_text(&format!("{e} -> {description}"))) {
                    Some(Outcome::Ok { workflow }) => Some(workflow),
                    _ => None,
                },
            )
            .as_ref()
    };
    let described = match parse_text(description) {
        Outcome::Ok { workflow } => workflow,
        Outcome::NeedsClarification { .. } => with_event()?.clone(),
    };
    let covered = match parse_text(title) {
        Outcome::Ok { workflow } => {
            workflow.trigger == described.trigger
                && workflow
                    .actions
                    .iter()
                    .all(|a| described.actions.iter().any(|d| d.kind == a.kind))
        }
        // "Task completed -> timeline comment": a title too short to read as a request
        // still names its event and the kinds of its actions.
        Outcome::NeedsClarification { .. } => {
            with_event().is_some_and(|w| w.trigger == described.trigger)
                && named
                    .split(['+', '&', ','])
                    .flat_map(|piece| piece.split(" and "))
                    .all(|piece| names_an_action_of(piece, &described))
        }
    };
    Some(if covered {
        Outcome::Ok {
            workflow: described,
        }
    } else {
        Outcome::NeedsClarification {
            questions: vec![format!(
                "Does the title \"{title}\" ask for the same as the description after it? b24flow could not match the two. Write the request once, or make the title a name only."
            )],
        }
    })
}

/// Whether a piece of a ticket's title ("WhatsApp", "setup task", "sync to DMS") names,
/// by a verb or a noun, a kind of action `described` has.
fn names_an_action_of(piece: &str, described: &Blueprint) -> bool {
    let has = |kind: &str| described.actions.iter().any(|a| a.kind == kind);
    match actions::kind(&text::Clause::new(piece.trim()), &[]) {
        Some(actions::Kind::Action(id)) => has(id),
        Some(actions::Kind::Message) => described
            .actions
            .iter()
            .any(|a| a.kind.starts_with("send_")),
        Some(actions::Kind::Deadline) => has("update_task"),
        None => piece.split_whitespace().any(|w| {
            TITLE_NOUNS
                .iter()
                .filter(|(noun, _)| w.eq_ignore_ascii_case(noun))
                .any(|(_, kind)| has(kind))
        }),
    }
}

/// The nouns a ticket's title names its actions by, and the kinds of action they name.
const TITLE_NOUNS: &[(&str, &str)] = &[
    ("task", "create_task"),
    ("reminder", "set_reminder"),
    ("call", "schedule_call"),
    ("comment", "add_comment"),
    ("note", "add_comment"),
    ("tag", "add_tag"),
    ("tag", "remove_tag"),
    ("email", "send_email"),
    ("e-mail", "send_email"),
    ("whatsapp", "send_whatsapp"),
    ("sms", "send_sms"),
    ("text", "send_sms"),
    ("notification", "send_notification"),
    ("chat", "send_bitrix_message"),
    ("invoice", "create_invoice"),
    ("quote", "create_quote"),
    ("deal", "create_deal"),
    ("contact", "create_contact"),
    ("company", "create_company"),
    ("webhook", "webhook"),
    ("sync", "webhook"),
];

fn parse_text(text: &str) -> Outcome {
    actions::forget_kinds();
    let outcome = read_text(text);
    actions::forget_kinds();
    outcome
}

/// [`parse_text`], with the kinds of its clauses remembered while it runs.
fn read_text(text: &str) -> Outcome {
    let prepared = text::prepare(text);
    let subject = RECORD_NOUN
        .find(&prepared.text.to_ascii_lowercase())
        .map(|m| m.as_str().trim_end_matches('s').to_owned());
    let reading = Reading {
        tokens: &prepared.tokens,
        subject: subject.as_deref(),
        made_so: prepared.made_so,
        wished: prepared.wished,
    };
    let mut items = Vec::new();
    let mut questions: Vec<String> = Vec::new();
    // "... Demos go badly when nobody has charged the laptops.": a closing explanation.
    let explained = rationale::start(&prepared.text, &prepared.tokens);
    // "Some of our bigger accounts felt ignored. Could we ...": context before the ask.
    let opened = rationale::opening(&prepared.text[..explained], &prepared.tokens);
    let clauses = text::clauses(&prepared.text[opened..explained]);
    // Each clause's courtesy is read once, for the sign-offs at the end and for the loop.
    let courtesies: Vec<Option<text::Courtesy>> = clauses.iter().map(text::courtesy).collect();
    // "... Can we set that up? Thanks!": every sign-off at the end, not only the last.
    let farewell = courtesies
        .iter()
        .rposition(|c| !matches!(c, Some(text::Courtesy::SignOff)))
        .map_or(0, |i| i + 1);
    for (i, (clause, courtesy)) in clauses.into_iter().zip(courtesies).enumerate() {
        // "Hi!" first and "Thanks!" last are said to a person, not the workflow; a
        // capitalised sign-off read as a clause would be another recipient ("notify Anna.
        // Thanks!"). After a message to the client with no text of its own, "Thank you!"
        // may be that text, so it is asked about.
        match courtesy {
            Some(text::Courtesy::Greeting) if i == 0 => continue,
            Some(text::Courtesy::Exclamation) => continue,
            Some(text::Courtesy::SignOff) if i >= farewell && i > 0 => {
                if text::may_be_message_text(&prepared.text, &clause) {
                    questions.push(format!(
                        "Is \"{}\" the text of the message, or a sign-off? Quote the text ('{}'), or leave it out.",
                        clause.orig, clause.orig
                    ));
                }
                continue;
            }
            _ => {}
        }
        classify(clause, &reading, &mut items, 0);
    }
    instructions::given_too(&mut items);

    // "Deals in the Wholesale pipeline should get ...": a workflow template runs for the
    // deals of every pipeline, and no condition b24flow writes names one, so a named
    // pipeline, wherever it is said, is asked about rather than left out.
    if (prepared.text.contains("pipeline") || prepared.text.contains("funnel"))
        && let Some(m) = NAMED_PIPELINE.find(&prepared.text)
        && !questions.iter().any(|q| q.contains("pipeline"))
    {
        questions.push(format!(
            "b24flow cannot limit a workflow to \"{}\": its template runs for deals in every pipeline, and no condition it writes names one. Leave the pipeline out, or keep one workflow per pipeline outside b24flow.",
            text::restore(m.as_str(), &prepared.tokens)
        ));
    }
    // "When a deal is created for a trade customer", "a deal for a ceramic coating is
    // won": the kind of customer or the product an event is for is no condition b24flow
    // can write (only the amount, the source and a field's being filled in are); left
    // out, every customer's record would run the workflow.
    if prepared.text.contains(" for a")
        && let Some(m) = KIND_OF_CUSTOMER.find(&prepared.text)
    {
        // "for a ceramic coating is won": the words up to the event's verb.
        let said = &m.as_str()[m.as_str().find("for ").unwrap_or(0)..];
        let said = ["has been", "is", "are", "gets", "get", "was", "were"]
            .iter()
            .find_map(|verb| said.strip_suffix(verb))
            .map_or(said, str::trim_end);
        questions.push(format!(
            "b24flow cannot limit a workflow to \"{said}\": no condition it writes names a kind of customer or a product. Write it as a condition on the amount or the source, or on a field (\"and the Customer Type field is Trade\"), or leave it out."
        ));
    }
    if let Some(said) = text::uncorrected(&prepared.text) {
        questions.push(format!(
            "The text corrects itself at \"{said}\", and b24flow could not tell what the correction replaces. Write the request as you mean it."
        ));
    }
    // "over 10.000": ten thousand to most of Europe, ten to an English reader.
    for n in &prepared.ambiguous {
        let whole = n.replace('.', "");
        let decimal = n.trim_end_matches('0').trim_end_matches('.');
        questions.push(format!(
            "Does \"{n}\" mean {whole} or {decimal}? Write the number without a separator ({whole}), or with a decimal point only for a fraction."
        ));
    }
    // "unless the amount is over 5000 and the source is Partner": the denial of both is
    // that either fails, which a workflow's conditions (all of which must hold) cannot
    // say; read one by one, the second would be required instead of excepted.
    if let Some(w) = items.windows(2).find(|w| {
        matches!(w[0], Item::Denied(_)) && matches!(w[1], Item::Condition(_) | Item::Denied(_))
    }) && let Item::Denied(c) = &w[0]
    {
        questions.push(format!(
            "The exception \"unless {} {} {}\" is followed by another condition. Does the exception cover both (the workflow is skipped only when both hold), or is the second a condition of its own? b24flow cannot write an exception of two conditions: write the conditions under which the workflow runs.",
            c.field,
            events::exceptions::denial(&c.operator).unwrap_or(&c.operator),
            c.value
        ));
    }
    let mut found: Vec<&triggers::Found> = Vec::new();
    for item in &items {
        if let Item::Trigger(f) = item
            && !found.iter().any(|g| g.id == f.id)
        {
            found.push(f);
        }
    }
    // "a placement falls through and the deal goes to lost": a move to the won or lost
    // stage beside the win or loss itself names the same event.
    let ids: Vec<&str> = found.iter().map(|f| f.id).collect();
    found.retain(|f| {
        let closed = |stage: &str, id: &str| f.stage.as_deref() == Some(stage) && ids.contains(&id);
        !(f.id == "stage_changed" && (closed("LOSE", "deal_lost") || closed("WON", "deal_won")))
    });
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
            // "When deal is closed, ... and when the invoice is overdue, ...": a second
            // event that b24flow could not tell won from lost is still a second event;
            // the one it could read is not the whole request.
            if let Item::Ambiguous(s) = item {
                questions.push(format!(
                    "\"{s}\" is a second event, and does not say whether the deal was won or lost. A workflow has one trigger: write one workflow per event."
                ));
            }
        }
    }
    // "Activity logged on a lead": b24flow's activity and meeting events are a deal's
    // (the catalog's entity); one on another record would never start this workflow.
    if let Some(f) = trigger
        && matches!(f.id, "activity_added" | "meeting_scheduled")
        && let Some(c) = OTHER_RECORD.captures(&prepared.text.to_ascii_lowercase())
    {
        // "a meeting set up with a lead": a meeting is with a person, and a lead is one;
        // a contact may be the deal's own, so only a lead counts after "with".
        let record = c
            .name("record")
            .or_else(|| c.name("lead"))
            .map_or("lead", |m| m.as_str());
        questions.push(format!(
            "b24flow's \"{}\" event is a deal's, but the text names a {record}. Is the record a deal? If it is a {record}, start from that record's own event (\"when a {record} is updated\").",
            f.id.replace('_', " ")
        ));
    }
    let info = trigger.and_then(|f| catalog::trigger(f.id));
    let ctx = Ctx {
        trigger: info,
        tokens: &prepared.tokens,
        made_so: prepared.made_so,
    };

    let mut drafts: Vec<Draft> = Vec::new();
    let mut conditions: Vec<Condition> = Vec::new();
    let mut last_verb: Option<String> = None;
    let mut last_clause: Option<String> = None;
    // Where a condition came between actions: how many actions were read before it.
    let mut scoped: Option<(usize, String)> = None;
    for item in &items {
        let (actions_before, conditions_before) = (drafts.len(), conditions.len());
        match item {
            Item::Condition(c) | Item::Denied(c) => {
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
        if scoped.is_none() && actions_before > 0 && conditions.len() > conditions_before {
            let c = &conditions[conditions_before];
            scoped = Some((
                actions_before,
                format!("{} {} {}", c.field, c.operator, c.value),
            ));
        }
    }
    // "Notify Anna. If it's over 5000, also notify the CEO": a workflow's conditions hold
    // for all of its actions, so a condition written after some of them and before others
    // would silently stop the ones before it as well.
    if let Some((before, condition)) = scoped
        && drafts.len() > before
    {
        questions.push(format!(
            "The condition \"{condition}\" comes after the first action and before the next, but a workflow's conditions hold for all of its actions. If it is for all of them, write it with the event (\"When a deal over 5000 is won, ...\"); if only for some, write two workflows."
        ));
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
    same_field_twice(&mut conditions, &mut questions);
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
mod tests;
