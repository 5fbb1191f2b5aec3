//! Slot readers: the fields an instruction states, read from quotes, URLs and short
//! phrases (a message after "saying", a title after "called", a deadline from "tomorrow",
//! a priority, a field and its value, a tag, a webhook's URL and method).
//!
//! Invariant: a reader only sets what the text states; what it leaves empty is defaulted
//! or asked about by [`super::finish`].

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

use super::{Ctx, Draft};
use crate::nl::offline::conditions::field_id;
use crate::nl::offline::text::{Clause, TOKEN, Token, TokenKind, capitalize};
use crate::nl::offline::words::{self, number};

pub(crate) static SAYING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:saying|that\s+says|which\s+says|with\s+(?:the\s+)?(?:text|message|words|note|content)|reading|stating|telling\s+(?:them|him|her|the\s+\w+)(?:\s+that)?|that)\s+|:\s*",
    )
    .expect("valid regex")
});

/// The message of an instruction: a quote (not one of `used`), or the words after
/// "saying"/"that"/":".
pub(crate) fn message(clause: &Clause, ctx: &Ctx<'_>, used: &[usize]) -> Option<String> {
    if let Some(t) = quotes(clause)
        .into_iter()
        .find(|(i, _)| !used.contains(i))
        .and_then(|(i, _)| ctx.token(i))
        .filter(|t| t.kind == TokenKind::Quote)
    {
        return Some(t.text.clone());
    }
    let m = SAYING.find(&clause.lower)?;
    // "Note: send an SMS to the client", "FYI: notify the team": a colon before the order
    // itself heads it, and the order is no message's text.
    if m.as_str().starts_with(':') {
        let after = &clause.lower[m.end()..];
        if crate::nl::offline::words::first_action_verb(after, 0) == Some(0)
            && !crate::nl::offline::words::has_action_verb(&clause.lower[..m.start()])
        {
            return None;
        }
    }
    let rest = clause.orig.get(m.end()..)?.trim();
    let rest = rest.trim_end_matches(['.', '!', ',']).trim();
    (!rest.is_empty() && !rest.contains('\x01')).then(|| capitalize(rest))
}

/// The token indices in a clause, with their positions.
pub(crate) fn quotes(clause: &Clause) -> Vec<(usize, usize)> {
    TOKEN
        .captures_iter(&clause.lower)
        .filter_map(|c| {
            let i = c.get(1)?.as_str().parse().ok()?;
            Some((i, c.get(0)?.start()))
        })
        .collect()
}

pub(crate) fn quote_texts<'a>(clause: &Clause, ctx: &'a Ctx<'_>) -> Vec<(usize, usize, &'a Token)> {
    quotes(clause)
        .into_iter()
        .filter_map(|(i, at)| ctx.token(i).map(|t| (i, at, t)))
        .filter(|(_, _, t)| t.kind == TokenKind::Quote)
        .collect()
}

// "subject 'X'", "titled 'X'", and "with theme 'X'", as Russian names a subject ("tema").
pub(crate) static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:subject(?:\s+line)?(?:\s+of|\s+is)?|titled|entitled|headed|with\s+(?:the\s+)?(?:title|heading|headline|theme))\s*:?\s*").expect("valid regex")
});
pub(crate) static BODY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:body|text|message|saying|content)(?:\s+of|\s+is)?\s*:?\s*").expect("valid regex")
});
pub(crate) static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\btemplate\s*(?:id\s*|number\s*|no\.?\s*)?#?\s*(\d+)\b").expect("valid regex")
});

// "with 'Payment received' as the subject": the part a quote is, said after it.
static QUOTE_AS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\x01(?P<i>\d+)\x02\s+as\s+(?:the\s+|its\s+|an?\s+)?(?:(?:e-?mail(?:'s)?|message(?:'s)?)\s+)?(?:(?P<subject>subject(?:\s+line)?|title|heading|headline)|(?P<body>body|text|message|content))\b")
        .expect("valid regex")
});

pub(crate) fn read_email(d: &mut Draft, clause: &Clause, ctx: &Ctx<'_>) {
    let quoted = quote_texts(clause, ctx);
    let mut used = Vec::new();
    for c in QUOTE_AS.captures_iter(&clause.lower) {
        let Ok(i) = c["i"].parse::<usize>() else {
            continue;
        };
        let part = if c.name("subject").is_some() {
            "subject"
        } else {
            "body"
        };
        if let Some((_, _, t)) = quoted.iter().find(|(j, _, _)| *j == i)
            && !d.has(part)
        {
            d.set(part, t.text.clone());
            used.push(i);
        }
    }
    if let Some(m) = SUBJECT.find(&clause.lower)
        && !d.has("subject")
        && let Some((i, _, t)) = quoted
            .iter()
            .find(|(i, at, _)| *at >= m.end() && *at <= m.end() + 1 && !used.contains(i))
    {
        d.set("subject", t.text.clone());
        used.push(*i);
    }
    if let Some(m) = BODY.find(&clause.lower)
        && let Some((i, _, t)) = quoted
            .iter()
            .find(|(i, at, _)| *at >= m.end() && *at <= m.end() + 1 && !used.contains(i))
    {
        d.set("body", t.text.clone());
        used.push(*i);
    }
    // "(subject: Your clean is booked)": a subject written without quotes runs to the
    // end of its clause, and is no body.
    if !d.has("subject")
        && let Some(m) = SUBJECT.find(&clause.lower)
        && clause.lower[m.start()..].starts_with("subject")
        && !clause.lower[m.end()..].contains('\x01')
    {
        let written = clause.orig_at(m.end()..clause.orig.len());
        let written = written.trim().trim_end_matches(['.', '!', ')', ']']).trim();
        if !written.is_empty() && written.split_whitespace().count() <= 12 {
            d.set("subject", written);
            return;
        }
    }
    if !d.has("body")
        && let Some(m) = message(clause, ctx, &used)
    {
        d.set("body", m);
    }
    if let Some(c) = TEMPLATE.captures(&clause.lower) {
        d.set("template_id", &c[1]);
    }
}

pub(crate) static FLAVOUR: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?P<review>review|post-?mortem|analysis)|(?P<follow>follow[- ]?up))\b")
        .expect("valid regex")
});

// "'qualify lead' 1 day", "'book crew + kit' 2 days": a span right after a quoted title,
// at the end of the clause.
static TITLE_THEN_SPAN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\x02\s*,?\s*(?P<n>\d{1,3})\s*(?P<u>days?|hours?|hrs?|weeks?|wks?|d|h|w)\s*[.!]?$")
        .expect("valid regex")
});

pub(crate) fn read_task(d: &mut Draft, clause: &Clause, ctx: &Ctx<'_>) {
    let quoted = quote_texts(clause, ctx);
    let mut used = Vec::new();
    if let Some(m) = DESCRIPTION.find(&clause.lower)
        && let Some((i, _, t)) = quoted
            .iter()
            .find(|(_, at, _)| *at >= m.end() && *at <= m.end() + 1)
    {
        d.set("description", t.text.clone());
        used.push(*i);
    }
    if let Some((_, _, t)) = quoted.iter().find(|(i, _, _)| !used.contains(i)) {
        d.set("title", t.text.clone());
    } else if let Some(t) = title(clause, ctx, false, used.is_empty()) {
        d.set("title", t);
    }
    if let Some(c) = FLAVOUR.captures(&clause.lower) {
        d.flavour = Some(if c.name("review").is_some() {
            "review"
        } else {
            "follow-up"
        });
    }
    if let Some(when) = when(&clause.lower) {
        d.set("deadline", when);
    } else if let Some(c) = TITLE_THEN_SPAN.captures(&clause.lower)
        && let Some(offset) = offset(&c["n"], &c["u"])
    {
        // "task Nina 'qualify lead' 1 day": a span right after the title, last, is how
        // long the task has.
        d.set("deadline", offset);
    }
    if let Some(p) = priority(&clause.lower) {
        d.set("priority", p);
    }
}

pub(crate) static DESCRIPTION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:description|describing|details?|instructions?)(?:\s+of)?\s*:?\s*")
        .expect("valid regex")
});

pub(crate) static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:called|titled|named|entitled|with\s+(?:the\s+)?(?:title|name))\s+|:\s*")
        .expect("valid regex")
});

// A task or reminder phrased as what to do: "to call the client", "about the contract".
pub(crate) static TODO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bto\s+(?:call|check|review|prepare|send|contact|follow|verify|update|confirm|schedule|arrange|email|visit|meet|collect|chase|ask|request|discuss|get|make|find|book|sign|ship|deliver|process|reach|pay|approve|test|fix|write|draft|calculate|negotiate|welcome|thank|greet|onboard|qualify|research|reply|respond|answer|renew|offer|present|demo|pitch|close|order|invoice|bill|phone|ring|text|message|inform|notify|analy[sz]e|investigate|look|plan|organi[sz]e|set|create|add|record|log|document|clarify|double-check|sort|finish|complete|do|handle|resolve)\b")
        .expect("valid regex")
});
// "to see the client", "to welcome them": "to" and a lowercase word, which is the verb
// of what the task is for unless it names a person or a thing ([`any_todo`]).
static TO_WORD: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\bto\s+(?P<verb>[a-z][a-z-]+)\b").expect("valid regex"));

/// Where the purpose of a task starts when its verb is not one [`TODO`] lists: "to see
/// the client". Not "to the manager", "to Anna", "to them" or "to sales".
fn any_todo(clause: &Clause) -> Option<usize> {
    let c = TO_WORD.captures(&clause.lower)?;
    let m = c.name("verb")?;
    let written = clause.orig_at(m.range());
    let verb = m.as_str();
    let not_a_verb = written.starts_with(|c: char| c.is_uppercase())
        || [
            "the",
            "a",
            "an",
            "our",
            "their",
            "his",
            "her",
            "its",
            "my",
            "your",
            "them",
            "him",
            "me",
            "us",
            "it",
            "this",
            "that",
            "these",
            "those",
            "everyone",
            "everybody",
            "someone",
            "all",
            "each",
            "every",
            "whoever",
            "tomorrow",
            "today",
            "high",
            "low",
            "normal",
            "sales",
            "accounts",
            "finance",
            "support",
            "marketing",
            "do",
        ]
        .contains(&verb)
        || super::recipients::classify(&[verb], false).is_some()
        || verb.ends_with("ing")
        || verb.ends_with("ly");
    (!not_a_verb).then(|| m.start())
}

pub(crate) static ABOUT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(?:about|regarding|re:)\s+").expect("valid regex"));

pub(crate) const TITLE_STOPS: &[&str] = &[
    "tomorrow", "today", "within", "by", "due", "with", "urgently", "asap", "and", "then", "when",
    "if", "before", "after", "until", "next", "in", "for", "assigned", "urgent",
];

/// A title for a task or reminder written as words: "called X", "task: X", "to X",
/// and for reminders "about X".
pub(crate) fn title(
    clause: &Clause,
    ctx: &Ctx<'_>,
    about: bool,
    quotes_free: bool,
) -> Option<String> {
    if let Some(t) = quote_texts(clause, ctx).first().filter(|_| quotes_free) {
        return Some(t.2.text.clone());
    }
    let start = NAMED
        .find(&clause.lower)
        .map(|m| m.end())
        .or_else(|| TODO.find(&clause.lower).map(|m| m.start() + 3))
        .or_else(|| any_todo(clause))
        .or_else(|| {
            about
                .then(|| ABOUT.find(&clause.lower).map(|m| m.end()))
                .flatten()
        })?;
    let phrase = words_until(clause, start, TITLE_STOPS);
    // "remind the assignee about it": a pronoun names no purpose; the default title
    // says what the record is.
    let says_nothing = phrase.split_whitespace().all(|w| {
        ["it", "this", "that", "them", "the", "a", "an"].contains(&w.to_ascii_lowercase().as_str())
    });
    (!says_nothing).then(|| capitalize(&phrase))
}

/// Words from `start` until one of `stops` (the first word never stops).
pub(crate) fn words_until(clause: &Clause, start: usize, stops: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for w in words::words_from(clause, start) {
        let lower = w.text.to_ascii_lowercase();
        // "to check if the client is happy": what is to be found out goes on (the clause
        // splitter does not cut there either).
        let finding_out = lower == "if"
            && out.last().is_some_and(|p| {
                crate::nl::offline::text::FINDING_OUT.contains(&p.to_ascii_lowercase().as_str())
            });
        if w.text.contains('\x01')
            || (!out.is_empty() && !finding_out && stops.contains(&lower.as_str()))
        {
            break;
        }
        out.push(w.text);
    }
    out.join(" ")
}

/// A title from a quote or "called X", for records an action creates.
pub(crate) fn quoted_or_named(clause: &Clause, ctx: &Ctx<'_>) -> Option<String> {
    if let Some(t) = quote_texts(clause, ctx).first() {
        return Some(t.2.text.clone());
    }
    let m = NAMED.find(&clause.lower)?;
    let phrase = words_until(clause, m.end(), TITLE_STOPS);
    (!phrase.is_empty()).then_some(phrase)
}

// "set a low priority on it", "make it high priority", "set it to high priority".
pub(crate) static SET_PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:set|give|make|mark|flag|be|stay|start\s+(?:at|as|with|on)|get|gets|have)\s+(?:it\s+|the\s+task\s+)?(?:as\s+|to\s+)?(?:a\s+|an\s+)?(?P<level>low|normal|medium|high|top|urgent)(?:-|\s+)priority\b")
        .expect("valid regex")
});

// "bump its priority up to high": "up" or "down" between the field and its value is no
// part of the field's name.
static PRIORITY_UP_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bpriority\s+(?:up|down)\s+to\s+(?P<level>low|normal|medium|high|top|urgent)\b")
        .expect("valid regex")
});

pub(crate) static UPDATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:set|update|change|fill(?:\s+in)?|modify|edit|populate|increase|decrease|raise|lower|bump|mark|stamp|flag)\s+(?:(?:in|on)\s+(?:the\s+)?(?:deal|lead|task|contact|company|invoice|quote|record)(?:'s)?\s+|(?:the\s+)?(?:(?:related\s+|linked\s+|associated\s+|parent\s+|original\s+|same\s+)?(?P<rec>deal|lead|task|contact|company|invoice|quote|record)(?P<poss>'s)?\s+)?)(?:(?:its|their|his|her)\s+)?(?:(?:custom\s+)?field\s+)?(?P<field>\x01\d+\x02|[a-z0-9_][a-z0-9_ -]*?)(?:\s+field)?(?:\s+(?:on|of|in)\s+(?:the\s+)?(?:related\s+|linked\s+|associated\s+|parent\s+)?(?:deal|lead|task|contact|company|invoice|quote|record))?(?:\s+back)?\s+(?:(?:to|=|as|with|:|at)\s+|on\s+(?P<on>\x01|high\b|low\b|normal\b))",
    )
    .expect("valid regex")
});

pub(crate) const VALUE_STOPS: &[&str] = &["and", "then", "when", "if", "so", "but", "or"];

/// Whether an unquoted value can be written as it stands: a number (on a number field,
/// only a number), a variable, or a name of at most three words. A reference to
/// something else ("the quote total", "the manager"), an amount with a currency ("5,000
/// EUR") or a longer phrase is asked about: the value would be that text, not what it
/// names.
fn plain_value(v: &str, field: Option<&str>) -> bool {
    let lower = v.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    if v.starts_with("{{") {
        return true;
    }
    let number = v.replace(',', "").parse::<f64>().is_ok();
    if matches!(field, Some("OPPORTUNITY" | "PROBABILITY")) && !number {
        return false;
    }
    // "Ship to Yes": a "to" before a yes or a no in a value is the place the field's name
    // ended ("set field Ready to Ship to Yes"), and is asked about; "Ready to Sign" is a
    // value.
    let split_late = words
        .windows(2)
        .skip(1)
        .any(|w| w[0] == "to" && ["yes", "no", "true", "false"].contains(&w[1]));
    !number_with_unit(&words)
        && words.len() <= 3
        && !split_late
        && ![
            "the", "a", "an", "our", "their", "its", "his", "her", "this", "that", "whatever",
            "whoever",
        ]
        .contains(first)
}

/// `clause.lower`, with each "To" written with a capital between two words written with
/// one ("set field Ready To Ship to Yes") hidden from [`UPDATE`] as "t_", so that the
/// name's own word does not end it: the value is "Yes", not "Ship to Yes". Byte for byte
/// as long as `clause.lower`, so its ranges read that.
fn name_with_to(clause: &Clause) -> std::borrow::Cow<'_, str> {
    let capital = |s: &str| s.starts_with(|c: char| c.is_uppercase());
    let hidden: Vec<usize> = clause
        .lower
        .match_indices(" to ")
        .map(|(i, _)| i + 1)
        .filter(|&i| {
            let before = clause.orig_at(0..i - 1);
            let after = clause.orig_at(i + 3..clause.lower.len());
            clause.orig_at(i..i + 2) == "To"
                && before.rsplit(' ').next().is_some_and(capital)
                && capital(after)
        })
        .collect();
    if hidden.is_empty() {
        return std::borrow::Cow::Borrowed(&clause.lower);
    }
    let mut lower = clause.lower.clone();
    for i in hidden {
        lower.replace_range(i + 1..i + 2, "_");
    }
    std::borrow::Cow::Owned(lower)
}

/// "5,000 EUR", "300 dollars": a number with a currency or unit after it.
fn number_with_unit(words: &[&str]) -> bool {
    words.len() >= 2 && words[0].replace(',', "").parse::<f64>().is_ok()
}

// The value first, then the field it goes into: "write today's date into the field
// UF_CRM_LAST_REVIEW", "put 'Y' in the Checked field". The word "field" is required:
// without it "put X in Y" says nothing about a record's field.
pub(crate) static UPDATE_INTO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:write|put|enter|record|store|save|stamp|set|fill\s+in|add)\s+(?P<value>\x01\d+\x02|[a-z0-9'_][a-z0-9'_ ]*?)\s+(?:in|into|to|on|as)\s+(?:the\s+|its\s+|their\s+)?(?:(?:deal|lead|task|contact|company|invoice|quote|record)(?:'s)?\s+)?(?:(?:custom\s+)?field\s+(?P<f1>\x01\d+\x02|[a-z0-9_]+)|(?P<f2>\x01\d+\x02|[a-z0-9_]+(?:\s+[a-z0-9_]+)?)\s+field)\b",
    )
    .expect("valid regex")
});

pub(crate) static RENAME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:rename|retitle)\s+(?:it|this|them|the\s+(?:deal|lead|task|record|contact|company|invoice|quote))?\s*(?:to|as)\s+")
        .expect("valid regex")
});

/// A value written as a date word: "today's date" is the day the workflow runs, "now"
/// the moment. The catalog's `CURRENT_DATE` and `CURRENT_DATETIME` say exactly that.
fn date_value(v: &str) -> Option<&'static str> {
    let v = v.trim().trim_start_matches("the ").trim();
    match v {
        "today" | "today's date" | "todays date" | "current date" | "date of today" | "date" => {
            Some("{{CURRENT_DATE}}")
        }
        "now"
        | "current time"
        | "current date and time"
        | "current datetime"
        | "date and time"
        | "timestamp"
        | "current timestamp" => Some("{{CURRENT_DATETIME}}"),
        _ => None,
    }
}

pub(crate) fn read_update(d: &mut Draft, clause: &Clause, ctx: &Ctx<'_>) {
    let what = match d.kind {
        "update_task" => "task",
        "update_deal" => "deal",
        _ => ctx.entity_label(),
    };
    if let Some(c) = SET_PRIORITY
        .captures(&clause.lower)
        .or_else(|| PRIORITY_UP_TO.captures(&clause.lower))
    {
        d.set("field", "PRIORITY");
        let level = match &c["level"] {
            "top" | "urgent" => "high",
            other => other,
        };
        d.set("value", level);
        return;
    }
    if let Some(c) = UPDATE_INTO.captures(&clause.lower) {
        let field_raw = c
            .name("f1")
            .or_else(|| c.name("f2"))
            .map_or("", |m| m.as_str());
        let field_words = text_token(field_raw, ctx).unwrap_or_else(|| field_raw.to_owned());
        let value_raw = c.name("value").map_or("", |m| m.as_str());
        let value = match text_token(value_raw, ctx) {
            Some(t) => Some(t),
            None => date_value(value_raw).map(str::to_owned),
        };
        if let (Some(f), Some(v)) = (field_id(&field_words), value) {
            d.set("field", f);
            d.set("value", v);
            return;
        }
    }
    // "rename the deal to 'X'": its title.
    if let Some(m) = RENAME.find(&clause.lower) {
        let phrase = words::phrase_after(clause, m.end(), VALUE_STOPS, 8);
        match (phrase.token.and_then(|i| ctx.token(i)), field_id("title")) {
            (Some(t), Some(f)) => {
                d.set("field", f);
                d.set("value", t.text.clone());
            }
            _ => d.questions.push(format!(
                "What should the {what} be renamed to? Put the new title in quotes, e.g. \"rename it to 'Priority order'\"."
            )),
        }
        return;
    }
    let lower = name_with_to(clause);
    let Some(c) = UPDATE.captures(&lower) else {
        d.questions.push(format!(
            "Which {what} field should be set, and to what value? For example \"set the source to 'Website'\"."
        ));
        return;
    };
    let field_raw = c.name("field").map_or("", |m| &clause.lower[m.range()]);
    let field_words = match text_token(field_raw, ctx) {
        Some(t) => t,
        None => field_raw.to_owned(),
    };
    // "set the Contact Status field to ...": a record's word with no "'s", capitalised as
    // the name is, in a name the text calls a field, is the first word of that name ("the
    // deal Payment field" is the deal's). So is it in a name said to be on another record
    // ("set Quote Status on the deal to Accepted"), and in a status of a record the
    // workflow does not run on ("set Contact Status to Contacted" on a deal): neither is
    // the stage of the record it names.
    let field_words = match (c.name("rec"), c.name("poss"), c.name("field")) {
        (Some(rec), None, Some(f))
            if clause.orig_at(rec.range()).starts_with(char::is_uppercase)
                && text_token(field_raw, ctx).is_none()
                && {
                    let after = clause.lower[f.end()..].trim_start();
                    // "set Lead Temperature to Warm": the name's words written with
                    // capitals too, and no field of the record's own ("Deal Amount").
                    let title_case = crate::nl::offline::conditions::title_case_name(
                        clause.orig_at(rec.start()..f.end()),
                    ) && crate::catalog::field_alias(field_raw).is_none();
                    title_case
                        || after.starts_with("field")
                        || after
                            .strip_prefix("on the ")
                            .is_some_and(|r| !r.starts_with(rec.as_str()))
                        || field_raw == "status"
                            && ctx.entity().is_some_and(|e| e.info().label != rec.as_str())
                } =>
        {
            format!("{} {field_words}", rec.as_str())
        }
        _ => field_words,
    };
    // "set up a meeting with ...", "bump it to ...": a pronoun, an article or a particle
    // is not a field's name, so the words after the verb were not a field at all.
    // A particle only right after the verb: "set up a meeting", but the field "Follow up
    // status". A name each of whose words has a capital, called a field, is a field's
    // whatever its words ("the deal's Thank You Sent field").
    let named_field = c.name("field").is_some_and(|f| {
        crate::nl::offline::conditions::title_case_name(clause.orig_at(f.range()))
            && clause.lower[f.end()..].trim_start().starts_with("field")
    });
    let not_a_field = text_token(field_raw, ctx).is_none()
        && !named_field
        && field_raw.split_whitespace().enumerate().any(|(i, w)| {
            [
                "a", "an", "the", "it", "this", "that", "them", "these", "those", "him", "her",
                "me", "us", "you",
            ]
            .contains(&w)
                || (i == 0 && ["up", "of", "off", "out"].contains(&w))
        });
    if !not_a_field && let Some(f) = field_id(&field_words) {
        d.set("field", f);
    }
    // "change the field X on 'Done'": "on" for "to", as some write it, before a quoted
    // value or a priority only; the value starts at it.
    let after = match c.name("on") {
        Some(on) => on.start(),
        None => c.get(0).map_or(0, |m| m.end()),
    };
    let phrase = words::phrase_after(clause, after, VALUE_STOPS, 8);
    if let Some(t) = phrase.token.and_then(|i| ctx.token(i)) {
        d.set("value", t.text.clone());
    } else {
        let v = phrase.text();
        let v = v.trim_end_matches(['.', '!']);
        // "100%", "100 percent" on the probability, a number of per cent, is the number.
        // On another field the sign is part of the value ("5%" off, "50% Advance").
        let per_cent = d.fields.get("field").is_some_and(|f| f == "PROBABILITY");
        let v = match v
            .strip_suffix('%')
            .or_else(|| v.strip_suffix(" percent"))
            .or_else(|| v.strip_suffix(" per cent"))
        {
            Some(n) if per_cent && n.trim().parse::<f64>().is_ok() => n.trim(),
            _ => v,
        };
        let v = date_value(&v.to_ascii_lowercase()).unwrap_or(v);
        // What follows the value in the clause ("... to Website for new leads") is not
        // accounted for.
        let rest = clause.orig.get(phrase.end..).unwrap_or_default();
        let rest_words = rest
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        if plain_value(v, d.fields.get("field").map(String::as_str)) && rest_words == 0 {
            d.set("value", v);
        }
    }
    // "set its deadline to tomorrow": a deadline is a time counted from now ("+1d"),
    // never the word; one that does not read as such a time is asked about.
    if d.fields.get("field").is_some_and(|f| f == "DEADLINE")
        && let Some(v) = d.fields.get("value").cloned()
        && !v.starts_with('+')
    {
        match when(&v.to_ascii_lowercase()) {
            Some(t) => d.set("value", t),
            None => {
                d.fields.remove("value");
            }
        }
    }
    // "update the task's priority to High": a task's priority is low, normal or high. A
    // CRM record has no such field of its own: a PRIORITY there is the portal's, and its
    // value is kept as written ("set the field PRIORITY to 'High'").
    if d.kind == "update_task"
        && d.fields.get("field").is_some_and(|f| f == "PRIORITY")
        && let Some(v) = d.fields.get("value").cloned()
    {
        match v.to_ascii_lowercase().as_str() {
            l @ ("low" | "normal" | "high") => d.set("value", l),
            "urgent" | "top" | "highest" => d.set("value", "high"),
            "medium" | "average" => d.set("value", "normal"),
            "lowest" => d.set("value", "low"),
            _ => {
                d.questions.push(format!(
                    "Which priority is \"{v}\"? A task's priority is low, normal or high."
                ));
                return;
            }
        }
    }
    // "set the close date to tomorrow": a date field takes a date or a date variable.
    // The word would reach the portal as text, which no date field can hold, and a time
    // counted from now is an offset only a task's deadline, a reminder or a call has.
    if d.kind != "update_task"
        && let (Some(f), Some(v)) = (d.fields.get("field"), d.fields.get("value"))
        && f.split('_').any(|part| {
            // "Candidate Status" is no date, for all the letters its first word shares.
            part.contains("DATE")
                && !["CANDIDATE", "CANDIDATES", "VALIDATE", "UPDATE", "MANDATE"].contains(&part)
        })
        && !(v.starts_with("{{") || is_iso_date(v))
    {
        d.questions.push(format!(
            "b24flow could not place \"{v}\" as the value of {f}: a date field is set to a date (2027-01-31) or to today's date ({{{{CURRENT_DATE}}}}), not to a time counted from now. Write the date, or make it a task or reminder with a deadline."
        ));
        return;
    }
    if !d.has("field") || !d.has("value") {
        d.questions.push(format!(
            "Which {what} field should be set, and to what value? For example \"set the source to 'Website'\"."
        ));
    }
}

pub(crate) fn text_token(s: &str, ctx: &Ctx<'_>) -> Option<String> {
    if !s.contains('\x01') {
        return None;
    }
    let c = TOKEN.captures(s)?;
    let i: usize = c.get(1)?.as_str().parse().ok()?;
    ctx.token(i).map(|t| t.text.clone())
}

pub(crate) static TAG_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:tag|label)(?:ged|led)?\s+(?:it|this|them|the\s+\w+)\s+(?:as|with)\s+|\b(?:tags?|labels?)\s+(?:called\s+|named\s+|of\s+)?:?\s*")
        .expect("valid regex")
});
pub(crate) static TAG_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:a|an|the)\s+(?P<tag>[\w-]+(?:\s+[\w-]+)?)\s+(?:tag|label)\b")
        .expect("valid regex")
});
static TAG_BARE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:and|also|then|plus|please|just)\s+)*(?:tag|label)\s+(?:it|this|them|him|her|the\s+\w+)\s+(?P<tag>[\w-]+)$")
        .expect("valid regex")
});
pub(crate) const TAG_STOPS: &[&str] = &[
    "to", "from", "on", "for", "and", "then", "when", "if", "in", "at", "with", "it", "this",
    "them", "the", "a", "an",
];

pub(crate) fn tag(clause: &Clause, ctx: &Ctx<'_>) -> Option<String> {
    // "tag as new starter", "tag it as VIP": "as" says what follows is the tag.
    let tag = read_tag(clause, ctx)?;
    // "add the tag new-account as well", "tag ig too": the last words say the tag is
    // added too.
    let tag = match [" as well", " too", " also"]
        .iter()
        .find_map(|w| tag.strip_suffix(w))
    {
        Some(rest) if !rest.trim().is_empty() => rest.trim().to_owned(),
        _ => tag,
    };
    match tag.strip_prefix("as ").or_else(|| tag.strip_prefix("As ")) {
        Some(rest) if !rest.trim().is_empty() => Some(rest.trim().to_owned()),
        _ => Some(tag),
    }
}

fn read_tag(clause: &Clause, ctx: &Ctx<'_>) -> Option<String> {
    if let Some(t) = quote_texts(clause, ctx).first() {
        return Some(t.2.text.clone());
    }
    for m in TAG_AFTER.find_iter(&clause.lower) {
        // "add the tag paid in full": plain words to the end of the clause are the tag.
        if let Some(t) = tag_to_end(clause, m.end()) {
            return Some(t);
        }
        let phrase = words::phrase_after(clause, m.end(), TAG_STOPS, 3);
        // "take the prospect tag off": a particle after "tag" is the verb's, not a tag.
        let particle = phrase.words.first().is_some_and(|w| {
            ["off", "away", "out", "back", "over", "up", "down"]
                .contains(&w.to_ascii_lowercase().as_str())
        });
        // "tag lost to cash and carry": a tag cut short at "to" before words that name
        // no record ("to the deal", "to it") may be longer than the words before it;
        // asked, not cut.
        let after = clause.lower[phrase.end..].trim_start();
        let cut_at_to = after.strip_prefix("to ").is_some_and(|rest| {
            let next = rest.split_whitespace().next().unwrap_or_default();
            ![
                "it", "them", "this", "that", "the", "its", "their", "a", "an", "all", "each",
                "every", "any", "him", "her", "deal", "lead", "contact", "company", "record",
                "client", "customer", "card", "profile", "ticket", "task", "invoice", "quote",
                "deals", "leads", "contacts",
            ]
            .contains(&next)
                && !next.starts_with('\x01')
        });
        if !phrase.words.is_empty() && !particle && !cut_at_to {
            return Some(phrase.text());
        }
        if cut_at_to {
            return None;
        }
    }
    // "tag it onboarding", "tag the deal hot": one word last, after the record, is the
    // tag; an adverb there ("tag it accordingly") is how, and is asked about.
    if let Some(c) = TAG_BARE.captures(&clause.lower)
        && let Some(m) = c.name("tag")
        && !m.as_str().ends_with("ly")
        && ![
            "too",
            "also",
            "again",
            "now",
            "later",
            "today",
            "immediately",
            "asap",
            "please",
            "pls",
        ]
        .contains(&m.as_str())
    {
        return Some(clause.orig_at(m.range()).to_owned());
    }
    // "tag the deal Tickets sent", "tag it On hold": a name written as one, capitalised,
    // runs to the end of the clause.
    if let Some(c) = TAG_NAMED.captures(&clause.lower)
        && let Some(m) = c.name("tag")
        && clause
            .orig_at(m.range())
            .starts_with(|ch: char| ch.is_uppercase())
    {
        return Some(clause.orig_at(m.range()).to_owned());
    }
    // "tag it small order", "tag the deal key account": plain words to the end of the
    // clause, none of them a word that says when, how or for whom.
    if let Some(c) = TAG_NAMED.captures(&clause.lower)
        && let Some(m) = c.name("tag")
        && let Some(t) = tag_to_end(clause, m.start())
    {
        return Some(t);
    }
    let c = TAG_BEFORE.captures(&clause.lower)?;
    let m = c.name("tag")?;
    let tag = clause.orig_at(m.range()).to_owned();
    // "the new tag" is a new one; "the New tag" is named New.
    let named = tag.starts_with(|ch: char| ch.is_uppercase());
    (named || !["new", "same"].contains(&tag.to_ascii_lowercase().as_str())).then_some(tag)
}

/// The words from `from` to the end of the clause as a tag, when they can only be one:
/// two to four plain words ("small order", "trade show 2026", "paid in full", "parts on
/// order"), the first
/// no verb of an action, none a time, an adverb, or a word that says for whom, when or why
/// ("tag it for review", "tag it urgent tomorrow" are not read so).
fn tag_to_end(clause: &Clause, from: usize) -> Option<String> {
    let rest = clause.orig.get(from..)?.trim().trim_end_matches(['.', '!']);
    let ws: Vec<&str> = rest.split_whitespace().collect();
    if !(2..=4).contains(&ws.len()) {
        return None;
    }
    let plain = ws.iter().enumerate().all(|(i, w)| {
        let lower = w.to_ascii_lowercase();
        w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !lower.ends_with("ly")
            // After a word of the tag an action's verb is a noun: "missing email".
            && (i > 0 || !words::has_action_verb(&lower))
            && words::number(&lower).is_none_or(|_| lower.chars().all(|c| c.is_ascii_digit()))
            // "paid in full", "parts on order": "in" or "on" inside the tag, never first or
            // last.
            && ((lower == "in" || lower == "on") && i > 0 && i + 1 < ws.len()
                || !TAG_STOPS.contains(&lower.as_str()))
            && !NOT_IN_A_TAG.contains(&lower.as_str())
    });
    plain.then(|| rest.to_owned())
}

/// Besides [`TAG_STOPS`], the words that say when, how or why rather than name a tag.
const NOT_IN_A_TAG: &[&str] = &[
    "as", "by", "so", "because", "too", "also", "again", "now", "later", "today", "tomorrow",
    "please", "pls", "asap", "day", "days", "hour", "hours", "week", "weeks", "month", "months",
    "minutes", "or",
];

static TAG_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|also\s+|then\s+|plus\s+)?(?:tag|label)\s+(?:it|this|them|the\s+\w+)\s+(?:as\s+)?(?P<tag>[\w-]+(?:\s+[\w-]+){0,3})\s*[.!]?$")
        .expect("valid regex")
});

pub(crate) static GET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bget\s+request\b|\b(?:via|using|with|method|http)\s+get\b").expect("valid regex")
});

// A method other than POST or GET: "with PUT", "a PATCH request", "method delete".
static OTHER_METHOD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:via|using|with|method|http)\s+(?:put|patch|delete)\b|\b(?:put|patch|delete)\s+(?:request|method)\b")
        .expect("valid regex")
});

pub(crate) fn read_webhook(d: &mut Draft, clause: &Clause, ctx: &Ctx<'_>) {
    let tokens: Vec<&Token> = quotes(clause)
        .into_iter()
        .filter_map(|(i, _)| ctx.token(i))
        .collect();
    match tokens.iter().find(|t| t.kind == TokenKind::Url) {
        Some(url) => d.set("url", url.text.clone()),
        None => d.questions.push(
            "Which URL should the webhook call? Give the full https:// address, e.g. \"post to https://example.com/hook\".".into(),
        ),
    }
    // "with PUT": b24flow's webhook action sends a POST or a GET (see its catalog entry),
    // nothing else; another method is asked about, not dropped.
    let named = OTHER_METHOD
        .find(&clause.lower)
        .map(|m| clause.orig_at(m.range()).trim().to_owned())
        .or_else(|| {
            words::words_from(clause, 0)
                .find(|w| ["PUT", "PATCH", "DELETE"].contains(&w.text))
                .map(|w| w.text.to_owned())
        });
    if let Some(said) = named {
        d.questions.push(format!(
            "b24flow could not place \"{said}\": a webhook sends a POST or a GET request, nothing else. Say which of the two, or leave the method out for a POST."
        ));
    }
    let upper_get = words::words_from(clause, 0).any(|w| w.text == "GET");
    d.set(
        "method",
        if upper_get || GET.is_match(&clause.lower) {
            "GET"
        } else {
            "POST"
        },
    );
    if let Some(q) = tokens.iter().find(|t| t.kind == TokenKind::Quote) {
        d.set("message", q.text.clone());
    }
}

pub(crate) static WHEN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?P<dat>day\s+after\s+tomorrow)\b|\b(?P<hour>within\s+the\s+(?:next\s+)?hour)\b|\b(?P<tomorrow>tomorrow|(?:the\s+)?(?:next|following)\s+(?:business\s+|working\s+)?(?:day|morning))\b|\b(?P<nextweek>next\s+week)\b|\b(?:in|within|after|due(?:\s+in)?|for|(?:deadline|delay)\s+of|deadline(?:\s+is)?(?:\s+in)?)\s+(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|thirty|a\s+couple\s+of)\s+(?:(?:business|working|calendar)\s+)?(?P<unit>minutes?|mins?|hours?|days?|weeks?|fortnights?)\b|\b(?:in|within|after|due(?:\s+in)?|for|deadline(?:\s+is)?(?:\s+in)?)\s+(?P<n3>\d{1,4})\s?(?P<unit3>h|hrs?|d|m|mins?)\b|(?:\b(?:deadline|due)\s*:?\s*|(?:^|\s)(?:to\s+)?)\+(?P<n5>\d{1,4})\s?(?P<unit5>h|hours?|d|days?|w|weeks?|m|mins?|minutes?)\b|\b(?P<n2>\d+|a|an|one|two|three|four|five|six|seven|ten)[- ](?P<unit2>minute|hour|day|week|fortnight)s?\s+(?:deadline|later|from\s+now|out|after|on)\b",
    )
    .expect("valid regex")
});

// What leads into a time at a phrase's end: "due", "deadline is", "by".
static DUE_LEAD_IN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\s*\b(?:due|deadline(?:\s+is)?|by)\s*$").expect("valid regex"));

/// A time that ends `phrase` ("find out why due in 2 days", "... deadline is tomorrow"):
/// where it starts, with what leads into it, and the time as [`when`] reads it.
pub(crate) fn time_at_end(phrase: &str) -> Option<(usize, String)> {
    let lower = phrase.to_ascii_lowercase();
    let m = WHEN.find_iter(&lower).last()?;
    if m.end() != lower.trim_end().len() {
        return None;
    }
    let time = when(&lower[m.start()..])?;
    let start = DUE_LEAD_IN
        .find(&lower[..m.start()])
        .map_or(m.start(), |lead| lead.start());
    Some((start, time))
}

/// A relative date-time such as `+1d` or `+3h` from "tomorrow", "in 3 days", ...
pub(crate) fn when(lower: &str) -> Option<String> {
    let c = WHEN.captures(lower)?;
    if c.name("dat").is_some() {
        return Some("+2d".into());
    }
    if c.name("hour").is_some() {
        return Some("+1h".into());
    }
    if c.name("tomorrow").is_some() {
        return Some("+1d".into());
    }
    if c.name("nextweek").is_some() {
        return Some("+7d".into());
    }
    // "deadline +1d", "+3 days": an offset as written.
    if let (Some(n), Some(u)) = (c.name("n5"), c.name("unit5")) {
        return offset(n.as_str(), u.as_str());
    }
    if let (Some(n), Some(u)) = (c.name("n3"), c.name("unit3")) {
        let n: u32 = n.as_str().parse().ok()?;
        let suffix = match u.as_str().chars().next() {
            Some('h') => 'h',
            Some('m') => 'm',
            _ => 'd',
        };
        return Some(format!("+{n}{suffix}"));
    }
    let (n, unit) = match (c.name("n"), c.name("unit"), c.name("n2"), c.name("unit2")) {
        (Some(n), Some(u), _, _) | (_, _, Some(n), Some(u)) => (n.as_str(), u.as_str()),
        _ => return None,
    };
    let n = if n.starts_with("a couple") {
        2
    } else {
        number(n)?
    };
    let (n, suffix) = match unit.trim_end_matches('s') {
        "minute" | "min" => (n, 'm'),
        "hour" => (n, 'h'),
        "week" => (n.checked_mul(7)?, 'd'),
        // A fortnight is two weeks (British usage).
        "fortnight" => (n.checked_mul(14)?, 'd'),
        _ => (n, 'd'),
    };
    Some(format!("+{n}{suffix}"))
}

/// "+3d" for a count and a unit written short or long ("3", "days"; "2", "h"; "1", "wk"):
/// a week is seven days, and any unit not hours, minutes or weeks is days.
fn offset(n: &str, unit: &str) -> Option<String> {
    let n: u32 = n.parse().ok()?;
    Some(match unit.chars().next()? {
        'h' => format!("+{n}h"),
        'm' => format!("+{n}m"),
        'w' => format!("+{}d", n.checked_mul(7)?),
        _ => format!("+{n}d"),
    })
}

pub(crate) static PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?P<high>urgent(?:ly)?|high[- ]priority|important|asap|critical|top[- ]priority|priority\s+high)\b|\b(?P<low>low[- ]priority|priority\s+low|not\s+urgent)\b|\b(?P<normal>normal[- ]priority|medium[- ]priority|priority\s+normal)\b",
    )
    .expect("valid regex")
});

/// `high`, `low` or `normal` if the text says so.
pub(crate) fn priority(lower: &str) -> Option<&'static str> {
    let c = PRIORITY.captures(lower)?;
    if c.name("low").is_some() {
        Some("low")
    } else if c.name("normal").is_some() {
        Some("normal")
    } else {
        Some("high")
    }
}

/// `YYYY-MM-DD`, with a time after it or not.
fn is_iso_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}
