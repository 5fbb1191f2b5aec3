//! Exceptions: "unless the source is the website", "except when the amount is 0", "but
//! not for the small ones under 100", "don't tag it when there's no email". The text is
//! prepared so that each of them opens with "unless" (`text::EXCEPTION`); here the words
//! after it are read as a condition and that condition is denied, so that "unless the
//! source is Partner" is `SOURCE_ID != PARTNER` and "unless it's 250 or less" is
//! `OPPORTUNITY > 250`. An exception that is no single condition ("unless they opted
//! out", "unless it's over 5000 and from a partner": its denial is an "or", which a
//! workflow's conditions cannot say) is not read, and stays to be asked about.

use std::sync::LazyLock;

use regex::Regex;

use super::super::text::{Clause, Token, pattern};
use super::super::{Item, conditions, words};
use crate::blueprint::Condition;

// The records excepted, said by what they are: "deals that came from partners", "the
// small ones under 100", "anything below 2000", "jobs under 1500". They are the record
// the workflow runs for: "it".
static EXCEPTED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^(?:the\s+|any\s+)?(?:(?:small|smaller|big|bigger|large|larger|tiny|little|low|high)\s+)?(?:ones?|deals?|leads?|jobs?|orders?|invoices?|quotes?|anything|those|these|tiddlers)\s+(?:(?:that|which)\s+)?(?:(?:(?P<be>are|is)\s+)?(?P<amount>under|below|over|above|less\s+than|more\s+than|worth)\b)?")
        .expect("valid regex")
});

// A word and its contracted "is", before what is said of it.
static CONTRACTED: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)^(?P<w>(?:the\s+)?[a-z]+)'s\s+").expect("valid regex"));

/// The condition `rest` (the words after "unless") denies, if it is one b24flow can read
/// whole.
pub(super) fn denied(rest: &Clause, tokens: &[Token]) -> Option<Condition> {
    let said = match EXCEPTED.captures(&rest.orig) {
        // "the small ones under 100": the record is under that amount; "deals that came
        // from partners": it came from them.
        Some(c) => {
            let (be, from) = match (c.name("be"), c.name("amount")) {
                (Some(be), Some(_)) => ("", be.start()),
                (None, Some(amount)) => ("is ", amount.start()),
                _ => ("", c.get(0).map_or(0, |m| m.end())),
            };
            format!("it {be}{}", &rest.orig[from..])
        }
        None => rest.orig.clone(),
    };
    // "it's under 2000", "the amount's over 10000": the contracted "is".
    let said = CONTRACTED.replace(&said, "$w is ");
    let clause = Clause::new(&format!("if {said}"));
    let mut c = match conditions::parse(&clause, tokens) {
        Some(parsed) if parsed.rest.is_none() => parsed.condition,
        Some(_) => return None,
        // "it's 250 or less", "it is 8000 or under": the record's amount, and nothing else.
        None => {
            let span = conditions::amount_span(&clause)?;
            let around = format!(
                "{}{}",
                &clause.lower[..span.start],
                &clause.lower[span.end..]
            );
            if !matches!(around.trim(), "if it is" | "if it" | "if it was") {
                return None;
            }
            conditions::amount(&clause)?
        }
    };
    c.operator = denial(&c.operator)?.to_owned();
    Some(c)
}

/// The operator that denies `operator` ("=" and "!=", ">" and "<=", "empty" and
/// "!empty"): each is the other's denial.
pub(in crate::nl::offline) fn denial(operator: &str) -> Option<&'static str> {
    Some(match operator {
        "=" => "!=",
        "!=" => "=",
        ">" => "<=",
        ">=" => "<",
        "<" => ">=",
        "<=" => ">",
        "empty" => "!empty",
        "!empty" => "empty",
        "contain" => "!contain",
        "!contain" => "contain",
        _ => return None,
    })
}

// What not to do when the condition fails, said after it: "then skip it", "otherwise
// nothing", "leave it untagged", "don't bother", "don't send those through".
static SKIP: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^(?:then\s+|and\s+|in\s+that\s+case\s+|otherwise\s+|if\s+not\s+)?(?:just\s+)?(?:skip\s+(?:it|them|those|that)|(?:don't|dont|do\s+not)\s+(?:bother|do\s+(?:it|anything))|(?:do\s+)?nothing|leave\s+(?:it|them|those|these)(?:\s+(?:alone|as\s+(?:it\s+is|they\s+are)|untagged|unassigned))?|(?:don't|dont|do\s+not)\s+(?P<verb>[a-z]+)\s+(?:it|them|those|these|that|one|ones)(?:\s+through)?)(?:\s+(?:then|either|at\s+all|for\s+now|obviously|of\s+course))?$")
        .expect("valid regex")
});

/// Whether `clause`, right after a condition, only says not to act when it fails. A
/// verb of its own must be one of the orders already given ("don't tag them" after "add
/// the tag"), or "send".
pub(super) fn says_skip(clause: &Clause, items: &[Item]) -> bool {
    let Some(c) = SKIP.captures(&clause.lower) else {
        return false;
    };
    match c.name("verb") {
        None => true,
        Some(v) => {
            let v = v.as_str();
            words::first_action_verb(v, 0) == Some(0)
                && (v == "send"
                    || items.iter().any(|i| {
                        matches!(i, Item::Instruction(o) if o.lower.split_whitespace().any(|w| w == v))
                    }))
        }
    }
}
