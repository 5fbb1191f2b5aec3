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
//! Where the event ends: at the first order, at a colon, or at a verb whose subject is
//! the event's record ("every lead edit *should* write ...", "a new deal *pings* the
//! director", "freshly created quotes *go out* ..."), which turns into the order itself;
//! an order whose object is every new record ("tag *every new contact* with ...") names
//! the event too. What describes the record is read past only when it cannot narrow the
//! event: plain lowercase words before the record or "for a ..." after it, the words
//! before "arrives as a lead", an "i.e." or a bracket that says in plain words what
//! happened, a sentence about the business ("we run a restaurant"). A name, a number, a
//! judging word ("big", "existing") or a narrowing one ("only", "over") is never read
//! past: it stays to be asked about, and so does a pipeline named ("the Sales
//! pipeline") and an event's participle before another event ("a won deal is updated").
//!
//! Invariant: every clause yields at least one item unless it is empty or only restates
//! the event before it; recursion is bounded (`depth`).

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

use super::lexicon::{
    self, DEAL_NOUNS, RECORD_NOUNS, is_event_word, is_record_modifier, same_record,
};
use super::text::{self, Clause, Token};
use super::{Item, actions, catalog, conditions, recipients, triggers, words};
use crate::blueprint::Condition;

mod asides;
pub(super) mod exceptions;
pub(in crate::nl::offline) use asides::{ACTION_PARTICIPLES, passive_purpose};
use asides::{CONTEXT_NARROWING, PURPOSE, descriptions, is_context, restates_event};

// "closed" alone does not say whether the deal was won or lost.
pub(super) static CLOSED: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\bclos(?:e|es|ed|ing)$").expect("valid regex"));

// A wish at the start of a clause: "I'd like", "we want", "we need".
static WISH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|so\s+|then\s+)?(?:(?:i'd|i\s+would|we'd|we\s+would)\s+(?:like|love)|(?:i|we)\s+(?:want|need))\b")
        .expect("valid regex")
});

// A pronoun standing for the record as the subject of an event: "when they are
// converted", "once it is won".
pub(super) static PRONOUN_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:they|it|he|she|this|these|those|that|the\s+record|(?P<one>(?:a|an|the|each|every|any)\s+(?:new\s+|fresh\s+)?)?one)\b").expect("valid regex")
});

// A value set, without "is" before it: "field Approved set to Yes".
static SET_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:set|changed?|updated?|switched?)\s+to\s").expect("valid regex")
});

// A reason after the order, with a subject of its own: "because our technicians keep
// forgetting", "since people never read the e-mail", "because the crew needs a
// heads-up" ("because" says it is a reason whatever its subject; "since" and "as" may
// say when).
static REASON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:because|coz|cause)\s+(?:the\s+|a\s+)?[a-z]+\s|(?:since|as)\s+(?:our|we|we've|we're|they|they're|he|she|he's|she's|people|most|some|half|too\s+many|nobody|no\s+one|everyone|it|it's|there|there's)\s)")
        .expect("valid regex")
});

// What a record is wished to get or undergo, after the event's words: "to get a
// WhatsApp", "to start with a draft quote", "to go over to Wojciech".
static TO_ORDER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^[\w'-]*(?:\s+[\w'-]+){0,6}?(?P<to>\s+to)\s+(?:automatically\s+|also\s+|always\s+|then\s+)?(?P<verb>get|receive|start\s+with|go\s+over\s+to|go\s+to|be\s+assigned\s+to|be\s+given\s+to|be\s+passed\s+to|be\s+reassigned\s+to)\s+(?P<rest>.+)$")
        .expect("valid regex")
});

// A deadline given by its length: "a 2-day deadline", "a one-week deadline".
static SIZED_DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:a|an)\s+(?P<n>\d+|one|two|three|four|five|seven|ten)[- ](?P<unit>hour|day|week)s?\s+deadline\b")
        .expect("valid regex")
});

// A thing an order makes, first after "get": "a task", "a reminder", "a call".
static THING_MADE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:task|to-do|todo|reminder|call)\b")
        .expect("valid regex")
});

/// The order that gives a record's client or owner `what` ("a task", "a reminder", "an
/// e-mail"): a task is created, a reminder set, a call scheduled, anything else sent.
fn verb_giving(what: &str) -> &'static str {
    if what.contains("task") || what.contains("to-do") || what.contains("todo") {
        "create"
    } else if what.contains("comment") || what.contains("note") {
        "add"
    } else if what.contains("reminder") {
        "set"
    } else if what.contains("call") {
        "schedule"
    } else {
        "send them"
    }
}

// Someone doing an event's verb to the record, named by a pronoun: "someone updates it",
// "a colleague edits them".
// "priority is high", "and the priority should be urgent".
static TASK_PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|with\s+)?(?:the\s+|its\s+)?priority\s+(?:is|should\s+be|must\s+be|to\s+be|will\s+be)\s+(?P<level>high|low|normal|medium|urgent|top)\b")
        .expect("valid regex")
});

static PRONOUN_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:someone|somebody|anyone|anybody|a\s+user|a\s+colleague|we|you)\s+(?:updates?|edits?|changes?|modifies|modify|converts?|wins?|loses?|closes?|completes?|finishes?|approves?|accepts?|pays?)\s+(?P<it>it|them)\b")
        .expect("valid regex")
});

// The record nouns a pronoun can stand for, in the words the trigger patterns know.
pub(super) static RECORD_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:deal|lead|contact|company|invoice|quote|task)s?\b").expect("valid regex")
});

// A clause that opens like a trigger or condition: "when", "if", "as soon as", ...
pub(super) static INTRODUCED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^(?:when|whenever|once|as\s+soon\s+as|if|the\s+moment|the\s+minute|every\s+time|each\s+time|any\s+time|anytime|in\s+case|after|upon|on|for\s+(?:every|each|any|all)|only\s+if)\b\s*",
    )
    .expect("valid regex")
});

/// What classifying clauses needs besides the clause.
pub(super) struct Reading<'a> {
    pub(super) tokens: &'a [text::Token],
    /// The first record noun in the text ("lead"), which a pronoun subject stands for.
    pub(super) subject: Option<&'a str>,
    /// After "can we make it so", what follows the event is the state wanted.
    pub(super) made_so: bool,
    /// The text opened with a wish, its words taken off ([`text::Prepared::wished`]).
    pub(super) wished: bool,
}

// What the CRM calls a thing, said as a remark: "I think Bitrix calls them deals", "I
// suppose the system would say", "I believe it's called", "in the system's language".
static SYSTEM_CALLS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:i\s+(?:think|believe|suppose|guess|reckon)|as\s+far\s+as\s+i\s+know)\s+)?(?:(?:bitrix|bitrix24|the\s+system|the\s+crm)\s+(?:calls?\s+(?:it|them|those)(?:\s+[a-z]+)?|would\s+(?:say|call\s+(?:it|them)))|(?:it's|it\s+is|they're|they\s+are)\s+called|(?:in\s+)?(?:the\s+)?(?:system's|crm's|bitrix's|bitrix)\s+(?:language|words?|terms?))\s*\??$")
        .expect("valid regex")
});

// Any stage at all, said again after a change of stage: "no matter which one".
static ANY_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:it\s+)?(?:no|not|doesn't|does\s+not|don't)\s+matter\s+which(?:\s+(?:one|stage|stages))?|(?:for\s+)?any\s+stage(?:\s+at\s+all)?)$")
        .expect("valid regex")
});

/// Sorts one clause into triggers, conditions and instructions. A clause can hold more
/// than one: "when a deal is won send an e-mail" is a trigger, then an instruction.
pub(super) fn classify(clause: Clause, reading: &Reading<'_>, items: &mut Vec<Item>, depth: u8) {
    if clause.is_empty() || depth > 8 {
        return;
    }
    let tokens = reading.tokens;
    // "... I'd like a deal created in the Brief stage", "we need the deal moved to
    // Design Agreed": after the event, a wish is an order, whatever its words would mean
    // as an event.
    // "Can we make it so that when a quote is approved, the deal moves to Order Placed?":
    // after the event, the state asked for is an order too.
    // "I want Dmitri notified whenever a deal is won": before the event, a wish that
    // states an order and names no event of its own is that order (the wish words that
    // open the text are gone by now).
    if items.is_empty()
        && reading.wished
        && triggers::find(&clause, true, tokens).is_none()
        && let Some(order) =
            super::instructions::wanted(&Clause::new(&format!("I want {}", clause.orig)))
        && actions::kind(&order, tokens).is_some()
    {
        items.push(Item::Instruction(order));
        return;
    }
    // "make it so that when a deal is created and the source is Website, ...": a whole
    // condition on the source, the amount or a field's being filled in, after the event,
    // narrows it, made so or not; any other state is the one made so ("a comment is left
    // on the timeline", "the field is set to Yes").
    if ((WISH.is_match(&clause.lower) || reading.made_so)
        && items.iter().any(|i| matches!(i, Item::Trigger(_)))
        && (clause.lower.contains(" set to ")
            || conditions::parse(&clause, tokens).is_none_or(|p| {
                p.rest.is_some()
                    || !(matches!(p.condition.field.as_str(), "SOURCE_ID" | "OPPORTUNITY")
                        || matches!(p.condition.operator.as_str(), "empty" | "!empty"))
            })))
        || super::instructions::wishes_a_state(&clause)
    {
        items.push(Item::Instruction(clause));
        return;
    }
    for (marker, restates) in [
        (text::ASIDE_RESTATES, Some(true)),
        (text::ASIDE_EXAMPLE, Some(false)),
        (text::ASIDE_BRACKET, None),
    ] {
        if let Some(rest) = clause.lower.strip_prefix(marker) {
            let rest = clause.tail(clause.lower.len() - rest.len());
            // "When a deal changes (any field), ...": right after the event, an aside of
            // event words only restates it.
            if matches!(
                items.last(),
                Some(Item::Trigger(_) | Item::Condition(_) | Item::Denied(_))
            ) && actions::kind(&rest, tokens).is_none()
                && words::words_from(&rest, 0).all(|w| restating(w.text))
            {
                return;
            }
            // "If a placement is won (i.e. the candidate accepted the offer)": right after
            // the event, an "i.e." or a bracket that says in plain words what happened
            // restates it; one that could narrow it ("only", "over", a name) is not this.
            if restates != Some(false)
                && matches!(items.last(), Some(Item::Trigger(_)))
                && restates_event(&rest, tokens)
            {
                return;
            }
            // "Whenever new deal appear (new cargo zayavka)", "new lead (patient request)",
            // "over 1000 (wedding parties!!)": right after the event or its condition, a
            // bracket of a few plain words names what the record is.
            if restates != Some(false)
                && matches!(
                    items.last(),
                    Some(Item::Trigger(_) | Item::Condition(_) | Item::Denied(_))
                )
                && asides::names_the_record(&rest, tokens)
            {
                return;
            }
            // "book a call in 2 days (Antti calls)": a bracket that says who does the
            // order before it is read with that order.
            if restates.is_none()
                && matches!(items.last(), Some(Item::Instruction(_)))
                && actions::says_who_does(&rest.lower)
            {
                items.push(Item::Instruction(rest));
                return;
            }
            // "notify the site team (so they can get it in the diary)", "(our partner
            // portal needs it)": after an order, a bracket that says why, or about
            // someone, and could narrow nothing is a remark on it.
            if restates.is_none()
                && matches!(items.last(), Some(Item::Instruction(_)))
                && is_reason(&rest, tokens)
            {
                return;
            }
            // "let the person who set it know (a notification is fine)": a bracket that
            // only names the kind of the order before it, with no verb, person, quote or
            // number of its own, says how that order is sent.
            if restates.is_none()
                && let Some(Item::Instruction(before)) = items.last()
                && let Some(kind) = actions::kind(&rest, tokens)
                && actions::kind(before, tokens) == Some(kind)
                && !words::has_action_verb(&rest.lower)
                && is_plain(&rest)
            {
                return;
            }
            // "notify Helen (head of leasing)": a role in brackets right after a name
            // says who the person named is, as "Chris the surveyor" does; it is no second
            // recipient.
            if restates.is_none()
                && let Some(Item::Instruction(before)) = items.last()
                && ends_with_name(&before.orig)
                && !words::has_action_verb(&rest.lower)
                && let ws = words::words_from(&rest, 0)
                    .map(|w| w.text)
                    .collect::<Vec<_>>()
                && ws
                    .first()
                    .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
                && matches!(
                    super::recipients::classify(&ws, false),
                    Some(super::recipients::Who::Named(_))
                )
            {
                return;
            }
            // "(weddings too)", "(wedding blocks mostly)": a bracket that says which records
            // the workflow also, or mostly, meets narrows nothing; it is a remark.
            if restates.is_none() && scope_remark(&rest.lower) {
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
                    // "when someone buys a cargo e-bike (deal won)": what was bought, named,
                    // says which deals; no condition b24flow has can, so it is asked about.
                    Some(Item::UnknownEvent(said)) => {
                        !BOUGHT_KIND.is_match(&said.to_ascii_lowercase())
                    }
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
    // "We're a design studio: every new task ...": a sentence about the business before a
    // colon is context; what follows the colon is read on its own.
    if let Some(colon) = clause.lower.find(": ")
        && is_context(&clause.head(colon), tokens)
    {
        classify(clause.tail(colon + 1), reading, items, depth + 1);
        return;
    }
    // "(I think Bitrix calls them deals?)", "(approved, I suppose the system would say)":
    // what the CRM calls the thing just named is a remark on the words, once the event
    // is read.
    if SYSTEM_CALLS.is_match(&clause.lower) && items.iter().any(|i| matches!(i, Item::Trigger(_))) {
        return;
    }
    // "(any stage, no matter which)", "doesn't matter which stage": said of a change of
    // stage with none named, it says again that any stage counts.
    if ANY_STAGE.is_match(&clause.lower)
        && items
            .iter()
            .any(|i| matches!(i, Item::Trigger(f) if f.id == "stage_changed" && f.stage.is_none()))
    {
        return;
    }
    // "unless the source is the website", "(except for) deals that came from partners":
    // an exception is the condition it denies. One b24flow cannot read, or one that
    // orders anything besides, stays to be asked about.
    if let Some(rest) = clause.lower.strip_prefix("unless ") {
        let rest = clause.tail(clause.lower.len() - rest.len());
        if let Some(c) = exceptions::denied(&rest, tokens) {
            items.push(Item::Denied(c));
            return;
        }
    }
    // "..., unless we don't have a phone number, then skip it", "if the phone's there
    // now, schedule a call. Otherwise nothing.": after a condition, what not to do when
    // it fails only says it again.
    if items
        .iter()
        .any(|i| matches!(i, Item::Condition(_) | Item::Denied(_)))
        && exceptions::says_skip(&clause, items)
    {
        return;
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
        // "source = Email": a verb right after "=" is the value, not an order.
        while let Some(n) = next
            && clause.lower[..n].trim_end().ends_with('=')
        {
            next = words::first_action_verb(&clause.lower, n + 1);
        }
        // The instruction after the event, when it is not the clause's own tail.
        let mut ordered: Option<Clause> = None;
        // "(we want) every new lead from the website to get a WhatsApp", "each new deal
        // to start with a draft quote", "overdue tasks to go over to Wojciech": what the
        // record is wished to get or undergo is the order.
        if let Some(c) = TO_ORDER.captures(&clause.lower[found.end..])
            && let (Some(to), Some(verb), Some(rest)) =
                (c.name("to"), c.name("verb"), c.name("rest"))
            && next.is_none_or(|n| found.end + to.start() <= n)
        {
            let rest = clause.orig_at(found.end + rest.start()..clause.orig.len());
            let thing = rest.to_ascii_lowercase();
            let order = match verb.as_str().split_whitespace().next().unwrap_or_default() {
                // "to get a 2-day deadline": the deadline that many days out.
                "get" | "receive" if let Some(d) = SIZED_DEADLINE.captures(&thing) => {
                    let after = rest
                        .get(d.get(0).map_or(0, |m| m.end())..)
                        .unwrap_or_default();
                    format!("set the deadline in {} {}s{after}", &d["n"], &d["unit"])
                }
                // The thing is its first noun or so: "a WhatsApp asking them to call us"
                // is a message, whatever it asks.
                "get" | "receive" => {
                    let thing = THING_MADE.find(&thing).map_or("", |m| m.as_str());
                    format!("{} {rest}", verb_giving(thing))
                }
                "start" => format!("create {rest}"),
                _ => format!("assign it to {rest}"),
            };
            next = Some(found.end + to.start());
            ordered = Some(Clause::new(&order));
        }
        // Whether `ordered` can only be an order, never another event.
        let mut order_only = false;
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
        // "Every lead edit should write the date ...", "a new deal pings the director",
        // "Freshly created quotes go out to the customer": the record the event names is
        // the subject of what follows, which is the instruction. A purpose before a colon
        // ("should also land in our BI tool: call ...") is said by the instruction after
        // it.
        if let Some(m) = SUBJECT_VERB.find(&clause.lower[found.end..])
            && let at = found.end + m.start()
            && next.is_none_or(|n| at < n)
            && !clause.lower[found.end..at].contains('\x01')
            // "a new lead that belongs to Anna comes in": a relative clause describes the
            // record (and is accounted, or asked about, as part of the event).
            && !clause.lower[found.end..at]
                .split_whitespace()
                .last()
                .is_some_and(|w| ["that", "which", "who", "whose"].contains(&w))
            // "when a deal is won the client texts us": someone else's verb is no order.
            && (MODAL.is_match(m.as_str())
                || !clause.lower[found.end..at]
                    .split_whitespace()
                    .any(|w| SOMEONE_ELSE.contains(&w) || super::lexicon::PEOPLE.contains(&w)))
        {
            next = Some(at);
            let after = found.end + m.end();
            let purpose = clause.lower[after..].find(": ").map(|c| after + c);
            tail_from = match purpose {
                Some(colon) if !words::has_action_verb(&clause.lower[after..colon]) => {
                    Some(colon + 1)
                }
                _ if MODAL.is_match(m.as_str()) => Some(after),
                _ => Some(at),
            };
            // "pings the sales director" is the order "ping the sales director".
            if let Some(base) = imperative(m.as_str())
                && tail_from == Some(at)
            {
                let rest = clause.orig_at(after..clause.orig.len());
                ordered = Some(Clause::new(&format!("{base}{rest}")));
            }
            // "Late tasks should spawn a new task ...": after a modal comes the order,
            // never a second event ("a new task" is what to create).
            if tail_from == Some(after) && MODAL.is_match(m.as_str()) && ordered.is_none() {
                ordered = Some(clause.tail(after));
                order_only = true;
            }
            // "should be passed to the export desk": the record is the object of the
            // order, in the passive: "pass it to the export desk".
            if tail_from == Some(after)
                && let Some(p) = PASSIVE.captures(&clause.lower[after..])
                && let (Some(all), Some(verb)) = (p.get(0), p.name("verb"))
                && let Some(base) = active(verb.as_str())
            {
                let rest = clause.orig_at(after + all.end()..clause.orig.len());
                ordered = Some(Clause::new(&format!("{base} it{rest}")));
            }
        }
        // "Every new lead gets an e-mail with the subject ...", "freshly created tasks get
        // the label 'backlog'": right after the event, what the record gets is the order
        // to give it.
        // With a modal the order may come after a condition: "new deals where the source
        // is Website should get tagged online-booking", "every new quote should come with
        // a reminder for the rep".
        if let Some(c) = GETS
            .captures(&clause.lower[found.end..])
            .or_else(|| SHOULD_GET.captures(&clause.lower[found.end..]))
            && let Some(all) = c.get(0)
            && next.is_none_or(|n| found.end + all.start() < n)
        {
            // What is said of the record (an amount, a channel it lacks) stays with the
            // event, as its condition.
            let at = found.end + c.name("said").map_or(all.start(), |m| m.end());
            let rest = clause.orig_at(found.end + all.end()..clause.orig.len());
            let order = if c.name("tag").is_some() {
                format!("tag it{rest}")
            } else if let Some(p) = c.name("prio") {
                let level = if p.as_str() == "low" { "low" } else { "high" };
                // "... to high priority automatically": filler after the level.
                let filler = rest.split_whitespace().all(|w| {
                    ["automatically", "please", "too", "always", "immediately"]
                        .contains(&w.to_ascii_lowercase().trim_end_matches(['.', '!']))
                });
                if filler {
                    format!("set its priority to {level}")
                } else {
                    format!("set its priority to {level}{rest}")
                }
            } else {
                let what_at = c.name("what").map_or(0..0, |m| m.range());
                let what = clause.orig_at(found.end + what_at.start..found.end + what_at.end);
                format!("{} {what}{rest}", verb_giving(&what.to_ascii_lowercase()))
            };
            next = Some(at);
            ordered = Some(Clause::new(&order));
        }
        // "when a company is created it gets tagged commercial": right after the event,
        // the record as "it" and an order's participle is that order too.
        // "every new lead gets assigned to Fatima", "(I want) every new deal sent to our
        // ERP": so is every new record done to by an order's participle ("assign it to
        // Fatima"). Only a record every one of which is meant: "when a deal is moved to
        // Won" is an event. With no "is" or "gets", only where the clause starts with
        // "every" (a wish before it is a clause of its own) or a wish ("New task
        // assigned" is an event).
        let after = &clause.lower[found.end..];
        // "I want an updated company handed over to Grace": in a wish, a record in a
        // state, with its article, is every such record too.
        let wished_first = reading.wished && items.is_empty();
        let done_to = IT_DONE.captures(after).or_else(|| {
            DONE_TO.captures(after).filter(|c| {
                (QUANTIFIED.is_match(&clause.lower[..found.end])
                    || wished_first && WISHED_RECORD.is_match(&clause.lower[..found.end]))
                    && (c.name("be").is_some()
                        || EVERY.is_match(&clause.lower)
                        || WISH.is_match(&clause.lower)
                        || wished_first)
            })
        });
        if ordered.is_none()
            && let Some(c) = done_to
            && let (Some(all), Some(verb)) = (c.get(0), c.name("verb"))
            && let Some(base) = active(verb.as_str())
            && next.is_none_or(|n| found.end + all.start() < n)
        {
            let rest = clause.orig_at(found.end + all.end()..clause.orig.len());
            // The source said of the record stays with the event, as its condition.
            next = Some(found.end + c.name("said").map_or(all.start(), |m| m.end()));
            ordered = Some(Clause::new(&format!("{base} it{rest}")));
            order_only = true;
        }
        // "(make it so) every new deal over £2000 goes to the Quote Requested stage": a
        // new record going to a stage, every one of them, is the order to move it there
        // (a move is an event only of a record already in the pipeline).
        if ordered.is_none()
            && found.id.ends_with("_created")
            && QUANTIFIED.is_match(&clause.lower[..found.end])
            && (EVERY.is_match(&clause.lower) || reading.made_so || reading.wished)
            && let Some(c) = GOES_TO.captures(&clause.lower[found.end..])
            && let Some(all) = c.get(0)
            && next.is_none_or(|n| found.end + all.start() < n)
        {
            let rest = clause.orig_at(found.end + all.end()..clause.orig.len());
            next = Some(found.end + c.name("said").map_or(all.start(), |m| m.end()));
            ordered = Some(Clause::new(&format!("move it to {rest}")));
            order_only = true;
        }
        let event_part = clause.head(next.unwrap_or(clause.lower.len()));
        let alternatives = alternatives(&event_part, &found, tokens);
        // The words a pattern matched are checked too (a pattern allows a few words
        // between the record and the event); only a stage name is taken as matched.
        let mut used: Vec<std::ops::Range<usize>> = Vec::with_capacity(4);
        if found.stage.is_some() || found.own_word {
            used.push(found.start..found.end);
        }
        if let Some(m) = introduced {
            used.push(m.range());
        }
        used.extend(descriptions(&event_part));
        let any_alternative = !alternatives.is_empty() || found.rival.is_some();
        let rival = found.rival.map(|id| triggers::Found {
            id,
            rival: None,
            stage: None,
            own_word: false,
            ..found.clone()
        });
        let own_word_at = found.own_word.then_some(found.start);
        // "when a new lead is moved to Qualified": a move to a stage after the words the
        // event was read from is a second event, a move the trigger found does not wait
        // for; its words are asked about, not taken as event words.
        let moved_on = MOVED_ON
            .find(&event_part.lower[found.end.min(event_part.lower.len())..])
            .map(|m| found.end + m.start()..found.end + m.end())
            .filter(|m| !used.iter().any(|r| r.start <= m.start && m.end <= r.end));
        items.push(Item::Trigger(found));
        items.extend(rival.map(Item::Trigger));
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
                // "a company record" is the company: "record" names no other entity, nor
                // does "a contact form"; "an order deal" is a deal: both words name one.
                // A team's own word for its deal before another record describes that
                // record, as the first noun of a compound does: "a booking invoice".
                // "a tour booking", "a consultation booking": what is booked before the
                // deal's own word describes the deal, as the head of a compound is its
                // last noun.
                (x != y
                    && y != "record"
                    && y != "form"
                    && !same_record(x, y)
                    && !(lexicon::is_meeting_noun(x) && DEAL_NOUNS.contains(&y))
                    && (!DEAL_NOUNS.contains(&x) || ["deal", "opportunity"].contains(&x))
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
                    // The team's own word for the deal is the record a modifier describes:
                    // "a plumbing job".
                    _ if own_word_at == Some(w.start) => "deal",
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
                    // "in the Sales pipeline": the word naming a pipeline or category is a
                    // condition b24flow cannot express, even when it is an event word.
                    let names_one = every.get(i + 1).is_some_and(|n| {
                        PIPELINE_WORDS.contains(&n.text.to_ascii_lowercase().as_str())
                    }) && !DETERMINERS
                        .contains(&w.text.to_ascii_lowercase().as_str());
                    // "a meeting is scheduled with a couple": whom the event is with,
                    // when that is the client, is the record's own contact.
                    let with_client = i
                        .checked_sub(1)
                        .and_then(|j| {
                            let before = every[j].text.to_ascii_lowercase();
                            if ["a", "an", "the", "our"].contains(&before.as_str()) {
                                j.checked_sub(1)
                            } else {
                                Some(j)
                            }
                        })
                        .is_some_and(|k| {
                            every[k].text.eq_ignore_ascii_case("with")
                                && matches!(
                                    recipients::classify(&[w.text], false),
                                    Some(recipients::Who::Client)
                                )
                        });
                    is_left(w)
                        && (names_one
                            || !is_event_word(w.text)
                                && !with_client
                                && !is_record_modifier(&texts, *i)
                                && !lexicon::is_agent(&texts, *i))
                })
                .map(|(_, w)| w.text)
                .collect();
            if let Some(m) = moved_on {
                items.push(Item::Leftover(format!(
                    "{}\" in \"{}",
                    event_part.orig_at(m).trim(),
                    event_part.orig
                )));
            } else if !unplaced.is_empty() {
                items.push(Item::Leftover(format!(
                    "{}\" in \"{}",
                    unplaced.join(" "),
                    left.join(" ")
                )));
            }
        }
        if let Some(order) = ordered {
            if order_only && triggers::find(&order, false, tokens).is_some() {
                items.push(Item::Instruction(order));
            } else {
                classify(order, reading, items, depth + 1);
            }
        } else if let Some(at) = tail_from {
            classify(clause.tail(at), reading, items, depth + 1);
        }
        return;
    }
    // "Every new deal in euros (currency EUR) should be passed to ...": after an aside, a
    // clause that opens with a modal goes on with the event's sentence; what follows the
    // modal is the order about the record.
    // The cheap check first: with no event read yet the modal is not searched for.
    if items.iter().any(|i| matches!(i, Item::Trigger(_)))
        && let Some(m) = MODAL.find(&clause.lower)
    {
        let after = m.end();
        let order = match PASSIVE.captures(&clause.lower[after..]) {
            Some(p)
                if let (Some(all), Some(base)) =
                    (p.get(0), p.name("verb").and_then(|v| active(v.as_str()))) =>
            {
                format!(
                    "{base} it{}",
                    clause.orig_at(after + all.end()..clause.orig.len())
                )
            }
            _ => clause.orig_at(after..clause.orig.len()).to_owned(),
        };
        items.push(Item::Instruction(Clause::new(&order)));
        return;
    }
    if introduced.is_none() && every_new(&clause, reading, items) {
        return;
    }
    // "one task for Mr. Rahimi ..., deadline 2 days, priority is high": after an order,
    // a priority said with no "if" is the order's own, not a filter on the record.
    if introduced.is_none()
        && matches!(items.last(), Some(Item::Instruction(_)))
        && let Some(c) = TASK_PRIORITY.captures(&clause.lower)
        && let Some(level) = c.name("level")
    {
        let said = match level.as_str() {
            "top" => "high",
            l => l,
        };
        items.push(Item::Instruction(Clause::new(&format!(
            "priority {said}{}",
            clause.orig_at(level.end()..clause.orig.len())
        ))));
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
        // "when a new one is created", after a sentence about leads: "one" is one of them.
        if let (Some(noun), Some(c)) = (reading.subject, PRONOUN_SUBJECT.captures(&rest.lower))
            && let Some(p) = c.get(0)
        {
            let det = c.name("one").map_or("the ", |d| rest.orig_at(d.range()));
            // "as soon as they're created": the contraction's verb stays.
            let after = rest.orig_at(p.end()..rest.orig.len());
            let after = if let Some(more) = after.strip_prefix("'re") {
                format!(" are{more}")
            } else if let Some(more) = after.strip_prefix("'s") {
                format!(" is{more}")
            } else {
                after.to_owned()
            };
            let named = Clause::new(&format!(
                "{} {det}{noun}{after}",
                clause.orig_at(0..m.end()).trim_end(),
            ));
            let inner = classify_plain(named, tokens, depth);
            if inner
                .iter()
                .any(|i| matches!(i, Item::Trigger(_) | Item::Condition(_) | Item::Denied(_)))
            {
                items.extend(inner);
                return;
            }
        }
        // "when someone updates it": the pronoun as the object stands for the record too.
        if let (Some(noun), Some(c)) = (reading.subject, PRONOUN_OBJECT.captures(&rest.lower))
            && let Some(pronoun) = c.name("it")
        {
            let named = Clause::new(&format!(
                "{} {} the {noun}{}",
                clause.orig_at(0..m.end()).trim_end(),
                rest.orig_at(0..pronoun.start()).trim_end(),
                rest.orig_at(pronoun.end()..rest.orig.len())
            ));
            let inner = classify_plain(named, tokens, depth);
            if inner.iter().any(|i| matches!(i, Item::Trigger(_))) {
                items.extend(inner);
                return;
            }
        }
        // "Unpaid invoice after the due date?": right after the event, an introduced
        // clause of event words only restates it.
        if matches!(items.last(), Some(Item::Trigger(_)))
            && words::words_from(&rest, 0).all(|w| restating(w.text))
        {
            return;
        }
        // "if possible, send ..." and "after that, notify ..." are instructions after all.
        // Not "if the email field is empty": words of their own before the verb are the
        // subject of a condition, which names a channel only as a field.
        // Words that end with a colon ("after the due date: call ...") say when, and the
        // order starts after them.
        let order_first = words::first_action_verb(&rest.lower, 0).is_some_and(|at| {
            rest.lower[..at].trim_end().ends_with(':')
                || rest.lower[..at].split_whitespace().all(|w| {
                    [
                        "that",
                        "this",
                        "possible",
                        "needed",
                        "necessary",
                        "so",
                        "then",
                        "please",
                    ]
                    .contains(&w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
                })
        });
        if actions::kind(&rest, tokens).is_some() && order_first {
            items.push(Item::Instruction(rest));
        } else {
            // "if" cut off alone names nothing; the question quotes what was written.
            let said = if rest.is_empty() {
                clause.orig
            } else {
                rest.orig
            };
            items.push(Item::UnknownEvent(said));
        }
        return;
    }
    // "When a deal changes (any field), ...": right after the event, a clause of event
    // words only restates it. An order is never a restatement: "create a lead" is made of
    // event words too, and an order b24flow cannot carry out is asked about.
    // "deal won -> invoice + notify Anna": a record the workflow can create, alone, is
    // the order to create it, never a restatement.
    // "then deal field Approved set to Yes": a value set, after the event's words, makes
    // the clause an order, however many event words it has.
    // "the deal is to be moved to Payment Received": what is to be done is an order,
    // whatever event words it holds.
    let ordered = || {
        SET_TO.is_match(&clause.lower)
            || TO_BE_DONE.is_match(&clause.lower)
            || super::instructions::BARE_RECORD.is_match(&clause.lower)
    };
    if matches!(items.last(), Some(Item::Trigger(_) | Item::Condition(_) | Item::Denied(_)))
        && let Some(c) = KIND_SAID.captures(&clause.lower)
        // "and it's a win" says the event again.
        && !matches!(&c["kind"], "win" | "loss" | "sale")
    {
        items.push(Item::UnknownEvent(clause.orig));
        return;
    }
    if matches!(
        items.last(),
        Some(Item::Trigger(_) | Item::Condition(_) | Item::Denied(_))
    ) && actions::kind(&clause, tokens).is_none()
        && !ordered()
        && !(clause.lower.split_whitespace().count() > 1
            && clause
                .lower
                .split_whitespace()
                .find(|w| !["and", "then", "also", "please"].contains(w))
                .is_some_and(|w| words::has_action_verb(w) || BARE_EVENT_VERBS.contains(&w)))
        && words::words_from(&clause, 0).all(|w| restating(w.text))
    {
        return;
    }
    // "We run a restaurant.", "(we do renovations)": what the author says about the
    // business is context, no instruction, as long as nothing in it could narrow the
    // workflow or ask for an action.
    if is_context(&clause, tokens) {
        return;
    }
    // "so the newsletter list stays in sync": the purpose an action already serves, with
    // no one to tell and nothing to narrow, is no instruction of its own.
    // "because our technicians keep forgetting to set one": the reason for it, too, as
    // long as it names no one and nothing that could narrow the workflow.
    // Nor a name: "because Tom needs to sign it off" may say whom to tell.
    let reason = REASON.is_match(&clause.lower)
        && items.iter().any(|i| matches!(i, Item::Instruction(_)))
        && !clause.lower.chars().any(|c| c.is_ascii_digit())
        && !names_someone(&clause.orig);
    // A reason's own subject pronoun ("because he has to sign off") names no one else.
    let skip = if reason { 2 } else { 0 };
    if (PURPOSE.is_match(&clause.lower) || passive_purpose(&clause.lower) || reason)
        && !clause.lower.contains('\x01')
        && words::words_from(&clause, 0).skip(skip).all(|w| {
            let lower = w.text.to_ascii_lowercase();
            !SOMEONE_ELSE.contains(&lower.as_str())
                && !super::lexicon::PEOPLE.contains(&lower.as_str())
                && !CONTEXT_NARROWING.contains(&lower.as_str())
        })
    {
        return;
    }
    // "only retail: notify the manager", "source facebook: ...": words before a colon
    // that hold no action but could narrow the workflow (a narrowing or judging word, a
    // field) are no purpose of the action; they are placed on their own, or asked about.
    if let Some(colon) = clause.lower.find(": ")
        && let head = clause.head(colon)
        && !head.is_empty()
        && actions::kind(&head, tokens).is_none()
        && !words::has_action_verb(&head.lower)
        && !head.lower.contains('\x01')
        && words::words_from(&head, 0).enumerate().any(|(i, w)| {
            let lower = w.text.to_ascii_lowercase();
            NARROWING.contains(&lower.as_str())
                || [
                    "big",
                    "bigger",
                    "small",
                    "large",
                    "huge",
                    "high",
                    "low",
                    "vip",
                    "important",
                    "major",
                    "minor",
                ]
                .contains(&lower.as_str())
                || (i == 0 && catalog::field_alias(&lower).is_some())
        })
    {
        classify(head, reading, items, depth + 1);
        classify(clause.tail(colon + 1), reading, items, depth + 1);
        return;
    }
    items.push(Item::Instruction(clause));
}

// The bare forms of the verbs events are told with: first in a clause, they give an
// order ("close all open tasks", "approve the quote"), which no event restates.
const BARE_EVENT_VERBS: &[&str] = &[
    "close", "create", "update", "change", "edit", "win", "lose", "convert", "pay", "complete",
    "finish", "approve", "accept", "sign", "cancel", "open", "reopen", "schedule", "book", "add",
    "log", "move",
];

/// Whether a word of an aside after the event can only restate it: an event word that
/// does not narrow ("(any field)" restates; "(from the website)" names a source).
/// The items of `clause` read with the record already named in it (no pronoun to
/// resolve, no "make it so" order), one level deeper.
/// Whether an order ends with a person's name: "notify Helen", not "notify the team"
/// or a sentence's first word.
fn ends_with_name(order: &str) -> bool {
    let ws: Vec<&str> = order.split_whitespace().collect();
    ws.len() >= 2
        && ws.last().is_some_and(|w| {
            let mut cs = w.chars();
            cs.next().is_some_and(|c| c.is_ascii_uppercase()) && cs.all(|c| c.is_ascii_lowercase())
        })
}

fn classify_plain(clause: Clause, tokens: &[Token], depth: u8) -> Vec<Item> {
    let plain = Reading {
        tokens,
        subject: None,
        made_so: false,
        wished: false,
    };
    let mut inner = Vec::new();
    classify(clause, &plain, &mut inner, depth + 1);
    inner
}

/// A field's state ("the Phone field has now been filled in") narrows the event, never
/// restates it.
fn restating(word: &str) -> bool {
    is_event_word(word)
        && ![
            "from", "via", "through", "with", "without", "only", "except", "unless", "not", "over",
            "under", "above", "below", "than", "but", "or", "whose", "which", "where", "by",
            "filled", "empty", "blank", "missing",
        ]
        .contains(&word.to_ascii_lowercase().as_str())
}

// A purchase whose object is named with more than a bare noun: "buys a cargo e-bike",
// "books the spring course".
static BOUGHT_KIND: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:buys?|bought|orders?|ordered|purchases?|purchased|books?|booked|rents?|rented|hires?|hired|chooses|chose|picks|picked|signs\s+up\s+for|signed\s+up\s+for|opts\s+for|goes\s+for)\s+(?:a|an|the|one\s+of\s+our|our)\s+[\w-]+\s+[\w-]+")
        .expect("valid regex")
});

// Words that narrow an event rather than restate it: a restating aside holds none.
const NARROWING: &[&str] = &[
    "only", "just", "except", "unless", "not", "no", "never", "if", "when", "where", "over",
    "under", "above", "below", "more", "less", "than", "least", "most", "but", "without", "with",
    "from", "via", "through", "or", "either", "whose", "which", "any", "some", "first", "last",
    "each", "every", "all", "both", "and", "because", "as",
];

// "tag every freshly created contact", "give every new lead ... to Gareth", "mirror
// every logged activity", "post converted leads to ...": a quantified new record, or
// records in a state, as an order's object names the event.
static EVERY_NEW: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:every|each|all|any)\s+(?:new|fresh|incoming|(?:newly|freshly|just)\s+[a-z]+|logged|won|lost|paid|converted|completed|finished|approved|accepted|overdue|updated|edited|booked|scheduled)\s|\b(?:won|lost|paid|converted|completed|approved|accepted|overdue)\s+(?:deals|leads|invoices|quotes|tasks)\s",
    )
    .expect("valid regex")
});

/// Reads an order whose object is every new record ("tag every new contact with
/// 'newsletter'") as the event, the conditions written right after the record ("from the
/// source Yell"), and the order done to "it". Returns whether it did.
fn every_new(clause: &Clause, reading: &Reading<'_>, items: &mut Vec<Item>) -> bool {
    let tokens = reading.tokens;
    let Some(q) = EVERY_NEW.find(&clause.lower).map(|m| m.start()) else {
        return false;
    };
    if q == 0 || !words::has_action_verb(&clause.lower[..q]) {
        return false;
    }
    let object = clause.tail(q);
    let Some(found) = triggers::find(&object, true, tokens)
        .filter(|f| ["", "every", "each", "all", "any"].contains(&object.lower[..f.start].trim()))
    else {
        return false;
    };
    // Conditions right after the record belong to the event.
    let rest = object.tail(found.end);
    let mut end = 0;
    let mut read: Vec<Condition> = Vec::new();
    for (c, at) in conditions::in_event(&rest, tokens) {
        if rest.lower[end..at.start].trim().is_empty() {
            end = at.end;
            read.push(c);
        }
    }
    // "for every new lead worth more than 3,000": an amount right after the record.
    let tail = rest.tail(end);
    if let Some(c) = conditions::amount(&tail)
        && let Some(at) = conditions::amount_span(&tail)
        && tail.lower[..at.start].trim().is_empty()
    {
        end += (rest.orig.len() - end - tail.orig.len()) + at.end;
        read.push(c);
    }
    // What still describes the record ("from the Retail pipeline") would be lost in the
    // order: it is asked about. "with 'newsletter'" is the order's own detail.
    let after = rest.lower[end..].trim_start();
    let first = after.split_whitespace().next().unwrap_or("");
    let describes = [
        "from", "in", "of", "whose", "that", "which", "via", "through", "where", "on", "at", "for",
        "over", "under", "above", "below", "worth",
    ]
    .contains(&first)
        || (first == "with" && !after["with".len()..].trim_start().starts_with('\x01'));
    if describes {
        items.push(Item::Trigger(found));
        items.push(Item::Leftover(format!(
            "{}\" in \"{}",
            rest.orig_at(end..rest.orig.len()).trim(),
            object.orig
        )));
        return true;
    }
    let order = format!(
        "{} it {}",
        clause.orig_at(0..q).trim_end(),
        rest.orig_at(end..rest.orig.len()).trim_start()
    );
    items.push(Item::Trigger(found));
    items.extend(read.into_iter().map(Item::Condition));
    items.push(Item::Instruction(Clause::new(&order)));
    true
}

// Words after which a name narrows the records: "the Sales pipeline".
const PIPELINE_WORDS: &[&str] = &["pipeline", "funnel", "category", "direction", "board"];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "any", "every", "each", "its", "their", "our", "my", "this", "that",
];

// A verb after the event whose subject is the event's record: a modal ("is to be"
// too), or an action done by the record ("pings", "goes out").
static SUBJECT_VERB: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?:should|must|shall|will|needs?\s+to|has\s+to|have\s+to|(?:is|are)\s+to\s+be)(?:\s+(?:also|always|automatically|then))?|go(?:es)?\s+(?:out|straight)|go(?:es)?\s+to\s+(?:our|the|a|an)\s+(?:web\s?-?hook|endpoint|api)|pings|notifies|alerts|triggers|clears|adds|removes|creates|sends|sets|assigns|tags|opens|schedules|books|emails|texts|messages|updates|marks|posts|belongs\s+to)\b")
        .expect("valid regex")
});
// What a record should get, after the event and any condition: a message to its client,
// a task, a reminder, a call, a tag or a priority.
static SHOULD_GET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\s(?:should|must|will|shall|needs?\s+to|has\s+to|have\s+to)\s+(?:(?:automatically|also|always|then|immediately)\s+)?(?:(?:get|have|receive|come\s+with|become|turn\s+into|be\s+given)\s+(?P<what>(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:e-?mail|sms|text(?:\s+message)?|whatsapp(?:\s+message)?|task|to-?do|reminder|call|(?:timeline\s+)?(?:comment|note)))\b|(?:get|be|receive)\s+(?P<tag>tagged|labell?ed|(?:the\s+|a\s+)?(?:label|tag))\b|(?:be\s+(?:set|bumped|marked|made|raised)\s+(?:to\s+|as\s+)?|(?:get|have)\s+(?:its|their|a)\s+priority\s+(?:set|bumped|raised|changed)\s+to\s+|(?:get|become|be\s+given)\s+)(?:a\s+)?(?P<prio>high|low|top|urgent)(?:\s+priority)?\b)")
        .expect("valid regex")
});

// What is said of a record right after it, as `GETS` and `GOES_TO` read it: an amount
// ("a lost deal under £1000 gets ...") or a channel it lacks ("new companies with no
// email get a comment ..."). It stays with the event, as its condition.
const SAID_OF_RECORD: &str = r"(?P<said>\s+(?:(?:under|over|above|below|worth)\s+[^\s\d]?\d[\d.]*[km]?|(?:with\s+no|without(?:\s+an?)?)\s+(?:e-?mail|phone|mobile)(?:\s+(?:address|number))?))?";

// What a record gets, right after the event (and an amount said of it: "a lost deal under
// £1000 gets the tag 'win-back'"): a message to its client, or a tag.
static GETS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(r"^{SAID_OF_RECORD}\s+(?:gets?|receives?)\s+(?:(?P<what>(?:a|an)\s+(?:[\w-]+\s+)?(?:e-?mail|sms|text(?:\s+message)?|whatsapp(?:\s+message)?|(?:timeline\s+)?(?:comment|note)|task|to-?do|reminder))\b|(?P<tag>(?:the\s+|a\s+)?(?:label|tag))\b)"))
        .expect("valid regex")
});

/// Whether a bracket's words only say which records the workflow also or mostly meets:
/// two to four plain words ending in "too", "mostly" or the like ("small ones too",
/// "repeat guests too"), with no verb of an order, quote or number.
fn scope_remark(lower: &str) -> bool {
    let ws: Vec<&str> = lower
        .trim_end_matches([')', '.', '!', ' '])
        .split_whitespace()
        .collect();
    (2..=4).contains(&ws.len())
        && ws
            .last()
            .is_some_and(|w| ["too", "also", "mostly", "mainly", "usually", "included"].contains(w))
        && ws
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        && !words::has_action_verb(lower)
}

// Subjects other than the record, whose verbs are not the workflow's orders.
const SOMEONE_ELSE: &[&str] = &[
    "manager", "rep", "team", "user", "someone", "somebody", "anyone", "anybody", "we", "i", "you",
    "they", "he", "she", "system", "owner", "assignee", "agent", "staff", "admin",
];

/// The imperative of a verb the record does ("pings" -> "ping"), for the order it gives.
/// A record that belongs to someone is to be assigned to them.
fn imperative(verb: &str) -> Option<&'static str> {
    let verb = verb.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match verb.as_str() {
        "belongs to" => "assign it to",
        "pings" => "ping",
        "notifies" => "notify",
        "alerts" => "alert",
        "triggers" => "trigger",
        "clears" => "clear",
        "adds" => "add",
        "removes" => "remove",
        "creates" => "create",
        "sends" => "send",
        "sets" => "set",
        "assigns" => "assign",
        "tags" => "tag",
        "opens" => "open",
        "schedules" => "schedule",
        "books" => "book",
        "emails" => "email",
        "texts" => "text",
        "messages" => "message",
        "updates" => "update",
        "marks" => "mark",
        "posts" => "post",
        _ => return None,
    })
}

// An order in the passive after a modal: "(should) be passed to ...", "(must) be
// assigned to ...".
static PASSIVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*(?:also\s+|always\s+|automatically\s+)?be\s+(?:automatically\s+)?(?P<verb>[a-z]+ed|sent|given)\b")
        .expect("valid regex")
});

// Words by which a remark could narrow the records, the people or the time an order is
// for, or say that it is not to be done, and the details an order reads from a bracket
// ("(GET)", "(high priority)", "(due tomorrow)").
static NARROWS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:get|post|put|patch|delete|high|low|normal|medium|urgent|priority|prio|asap|today|tomorrow|tonight|morning|afternoon|evening|noon|midday|weeks?|days?|hours?|months?|minutes?|daily|weekly|monthly|am|pm|deadline|due|only|except|unless|but|not|no|never|none|nobody|if|when|whenever|once|over|under|above|below|more|less|worth|source|pipeline|category|stage|field|before|after|until|every|each|any|vips?|premium|big|small|large|existing|new|returning|b2b|b2c|corporate|wholesale|retail|international|overseas|instead|either|or)\b|n't\b")
        .expect("valid regex")
});

static LOOKS_AFTER: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\blook(?:s|ing)?\s+after\b").expect("valid regex"));

/// Whether a capitalised word after the first (not "I") may name someone.
fn names_someone(orig: &str) -> bool {
    orig.split_whitespace()
        .skip(1)
        .any(|w| w != "I" && w.starts_with(|c: char| c.is_uppercase()))
}

/// Whether an aside is short and holds no quote, link, number or name.
fn is_plain(aside: &Clause) -> bool {
    (1..=12).contains(&aside.orig.split_whitespace().count())
        && !aside.lower.contains(['\x01', ':', '/', '@'])
        && !aside.lower.chars().any(|c| c.is_ascii_digit())
        && !names_someone(&aside.orig)
}

/// Whether a bracket after an order only says why, or about someone ("so they can get it
/// in the diary", "our partner portal needs it", "she now looks after the trade
/// accounts"): it names no action, order, event, person, number, quote or link, and no
/// word that could narrow what the order is for. "just as a nudge" is a reason, "just
/// the big ones" is not.
fn is_reason(aside: &Clause, tokens: &[Token]) -> bool {
    let lower = &aside.lower;
    is_plain(aside)
        // "looks after" is no "after".
        && !NARROWS.is_match(&LOOKS_AFTER.replace_all(lower, "handles"))
        && (!lower.split_whitespace().any(|w| w == "just") || lower.contains("just as"))
        && actions::kind(aside, tokens).is_none()
        && !words::has_action_verb(lower)
        && triggers::find(aside, true, tokens).is_none()
}

// A clause that starts with a record every one of which is meant: "every new contact".
static EVERY: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:every|each|all|any)\s").expect("valid regex"));

// An obligation in the passive: "is to be moved", "are to be tagged". What is to be
// done is an order, never a restatement of the event nor an explanation of it.
// What the record is said to be, in a clause of its own after the event: "and they're a
// student", "and the contact is a reseller". Its words may all be event words (a student
// is one of the people a record stands for), but it names a kind of record, which no
// condition b24flow writes can: it is no restatement, and is asked about. "And it's a
// win" is no kind: it says the event again.
static KIND_SAID: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|but\s+)?(?:they(?:'re|\s+are)|it(?:'s|\s+is)|he(?:'s|\s+is)|she(?:'s|\s+is)|(?:the|this)\s+[a-z]+\s+is)\s+(?:a|an)\s+(?P<kind>[a-z-]+)\s*$")
        .expect("valid regex")
});

pub(super) static TO_BE_DONE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(?:is|are)\s+to\s+(?:be|get)\b").expect("valid regex"));

// A new record's way to a stage, right after it (and an amount said of it): "every new
// deal over £2000 goes to the Quote Requested stage".
static GOES_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(r"^{SAID_OF_RECORD}\s+(?:goes|moves|lands|heads|drops)\s+(?:straight\s+|directly\s+)?(?:(?:in)?to|in)\s+"))
        .expect("valid regex")
});

// A move to a stage: "is moved to Qualified", "goes into Proposal".
static MOVED_ON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?:is|are|gets?|got|was|were|has\s+been|have\s+been)\s+)?(?:moved|moves|move|goes|go|went|reaches|reach|hits|hit|lands|land|enters|enter|progresses|advances)\s+(?:on\s+|over\s+|straight\s+|back\s+)?(?:to|into|in|onto)\s+(?:the\s+)?[a-z0-9\x01]\S*")
        .expect("valid regex")
});

// The record as "it" and an order's participle, right after the event: "(when a company
// is created) it gets tagged commercial".
static IT_DONE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*,?\s+(?:it|they)\s+(?:gets?|is|are)\s+(?:automatically\s+|also\s+|always\s+|then\s+)?(?P<verb>[a-z]+ed|sent|given)\b")
        .expect("valid regex")
});

// A record every one of which is meant: "every new lead", "each incoming deal", and
// records in a state named at the clause's start ("overdue tasks").
static QUANTIFIED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:every|each|all|any)\s|^(?:new|incoming|won|lost|paid|converted|completed|approved|accepted|overdue)\s+(?:deal|lead|contact|compan|task|invoice|quote)")
        .expect("valid regex")
});

// A record in a state, with or without its article, opening a wish: "an updated company",
// "new leads".
static WISHED_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:an?\s+)?(?:new|incoming|updated|edited|changed|won|lost|paid|converted|completed|approved|accepted|overdue)\s+(?:deal|lead|contact|compan|task|invoice|quote)")
        .expect("valid regex")
});

// An order's participle right after the record (after its plural ending, which the event
// may leave out), and the source it came from, with "is" or "gets" or none: "gets
// assigned to", "is tagged", "sent to", "(new leads) from the Website assigned to".
static DONE_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:s|es)?(?P<said>\s+(?:from|via)\s+(?:the\s+|our\s+)?[\w-]+(?:\s+[\w-]+)?)?\s+(?:(?P<be>gets?|is|are)\s+)?(?:automatically\s+|also\s+|always\s+)?(?P<verb>[a-z]+ed|sent|given)\b")
        .expect("valid regex")
});

/// The imperative of an order's participle, for the passive orders people write about a
/// record: "be passed to" is "pass it to".
fn active(participle: &str) -> Option<&'static str> {
    Some(match participle {
        "passed" => "pass",
        "assigned" => "assign",
        "reassigned" => "reassign",
        "handed" => "hand",
        "given" => "give",
        "routed" => "route",
        "sent" => "send",
        "forwarded" => "forward",
        "moved" => "move",
        "tagged" => "tag",
        "flagged" => "flag",
        "marked" => "mark",
        "escalated" => "escalate",
        "transferred" => "transfer",
        "posted" => "post",
        "synced" => "sync",
        "pushed" => "push",
        "exported" => "export",
        _ => return None,
    })
}

static MODAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:should|must|shall|will|needs?\s+to|has\s+to|have\s+to|(?:is|are)\s+to\s+be)\b")
        .expect("valid regex")
});

// A word for the kind of record before its noun: "the deposit invoice", "a trade deal".
static KIND_BEFORE_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?P<det>the|a|an|any|every|each)\s+[a-z-]+\s+(?P<record>deal|lead|contact|company|invoice|quote|estimate|task)\b")
        .expect("valid regex")
});

pub(super) static OR: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\s+or\s+").expect("valid regex"));

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
        triggers::find(&part, true, tokens)
            .or_else(|| {
                let elided = Clause::new(&format!("{label} is {}", part.orig));
                triggers::find(&elided, true, tokens)
            })
            .or_else(|| {
                // "won or the deposit invoice is paid": the kind of record said before
                // it does not make it another event.
                let plain = KIND_BEFORE_RECORD.replace(&part.orig, "$det $record");
                triggers::find(&Clause::new(&plain), true, tokens)
            })
    }) {
        if alt.id != found.id && !out.iter().any(|o| o.id == alt.id) {
            out.push(alt);
        }
    }
    out
}
