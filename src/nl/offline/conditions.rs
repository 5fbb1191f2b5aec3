//! Conditions: "if the amount is over 10000", "when the source is 'Website'", "the
//! comments are not empty", and amounts tucked into a trigger ("a deal over $5k is won").
//!
//! Field names go through `catalog::field_alias` ("amount" -> `OPPORTUNITY`), else
//! become `UPPER_SNAKE`. Operators are the catalog's (`CONDITION_OPERATORS`); a test
//! pins that every operator produced here is one of them. Numbers are normalised:
//! "$10,000" and "10k" both become `10000`.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{Clause, Token, TokenKind, upper_snake};
use super::triggers::stage_id;
use super::words;
use crate::blueprint::Condition;
use crate::catalog;

// Operators, longest first: the alternation takes the first that matches. `{BE}` is a
// copula with an optional adverb ("is now over", "is still under"): a comparison word
// after it decides the operator, so "is now over 75,000" is `>`, never `=`.
const OPS: &[(&str, &str)] = &[
    (
        r"{BE}\s+not\s+empty|{BE}\s+not\s+blank|isn't\s+(?:empty|blank)|aren't\s+(?:empty|blank)|{BE}\s+non-?empty|{BE}\s+filled(?:\s+in)?|{BE}\s+set|{BE}\s+present|has\s+a\s+value|{BE}\s+specified|exists",
        "!empty",
    ),
    (
        r"{BE}\s+empty|{BE}\s+blank|{BE}\s+not\s+set|{BE}\s+missing|{BE}\s+not\s+filled(?:\s+in)?|has\s+no\s+value|{BE}\s+not\s+specified",
        "empty",
    ),
    (
        r"(?:does|do)\s+not\s+contain|(?:doesn't|don't)\s+contain|(?:does|do)\s+not\s+include|(?:doesn't|don't)\s+include",
        "!contain",
    ),
    (r"contains?|includes?|mentions?", "contain"),
    (
        r"(?:{BE}\s+)?(?:greater|more|higher|bigger|larger)\s+than\s+or\s+equal\s+to|(?:{BE}\s+)?at\s+least|(?:{BE}\s+)?(?:no|not)\s+(?:less|lower|smaller)\s+than|>=",
        ">=",
    ),
    (
        r"(?:{BE}\s+)?(?:less|lower|smaller)\s+than\s+or\s+equal\s+to|(?:{BE}\s+)?at\s+most|(?:{BE}\s+)?(?:no|not)\s+(?:more|higher|greater|bigger|larger)\s+than|(?:{BE}\s+)?up\s+to|<=",
        "<=",
    ),
    (
        r"(?:{BE}\s+)?(?:over|above|more\s+than|greater\s+than|higher\s+than|bigger\s+than|larger\s+than|in\s+excess\s+of|exceeding)|exceeds|tops|>",
        ">",
    ),
    (
        r"(?:{BE}\s+)?(?:under|below|less\s+than|lower\s+than|smaller\s+than|beneath)|<",
        "<",
    ),
    (
        r"{BE}\s+not\s+equal\s+to|{BE}\s+(?:anything\s+)?other\s+than|{BE}\s+anything\s+(?:but|except)|{BE}\s+not|isn't|aren't|does\s+not\s+equal|doesn't\s+equal|{BE}\s+different\s+from|!=|<>",
        "!=",
    ),
    (r"{BE}\s+equal\s+to|equals|{BE}|==|=", "="),
];

// A copula, with an adverb people put between it and the comparison.
const BE: &str =
    r"(?:is|are|was|were)(?:\s+(?:now|still|already|currently|also|then|actually|really))?";

// Words that compare: a value starting with one of them was misread as an equality.
static COMPARISON_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:over|above|under|below|more|less|greater|higher|lower|smaller|bigger|larger|at\s+(?:least|most)|no\s+(?:more|less)|exceed\w*|beyond|between|around|about|roughly|approximately|up\s+to|well|way|just|at\s+or|anything|other|something|either|neither|one\s+of|any\s+of|in|not|no|within|from|less|fewer)\b")
        .expect("valid regex")
});

static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    let ops: Vec<String> = OPS
        .iter()
        .enumerate()
        .map(|(i, (re, _))| format!("(?P<op{i}>{})", re.replace("{BE}", BE)))
        .collect();
    let re = format!(
        r"^(?:and\s+|but\s+|only\s+|also\s+)?(?:when|whenever|if|once|only\s+if|as\s+long\s+as|provided\s+that|where)?\s*(?:the\s+|its\s+|their\s+|a\s+|an\s+)?(?:(?:deal|deal's|lead|lead's|contact|contact's|company|company's|invoice|invoice's|quote|quote's|task|task's|record|record's)\s+)?(?P<field>[a-z][a-z0-9_ ]*?)(?:\s+field)?\s+(?:{})(?:\s+|$)",
        ops.join("|")
    );
    Regex::new(&re).expect("valid condition regex")
});

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[$\x{20ac}\x{a3}]?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|m|thousand|million)?(?:\s*(?:usd|eur|gbp|rub|dollars|euros|pounds|rubles|\$|\x{20ac}))?\b",
    )
    .expect("valid regex")
});

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b|\s)(?:(?:worth|valued\s+at|of|(?:with\s+)?(?:an?\s+|the\s+)?(?:amount|value|total|budget|price|sum|deal\s+size)(?:\s+(?:of|is))?)\s+)?(?P<op>over|above|more\s+than|greater\s+than|bigger\s+than|larger\s+than|higher\s+than|in\s+excess\s+of|exceeding|at\s+least|(?:no|not)\s+less\s+than|(?:no|not)\s+more\s+than|under|below|less\s+than|smaller\s+than|lower\s+than|at\s+most|>=|<=|>|<)\s*(?P<num>[$\x{20ac}\x{a3}]?\s*\d[\d,]*(?:\.\d+)?\s*(?:k|m)?)\b",
    )
    .expect("valid regex")
});

/// A condition read from a clause, and where an instruction that follows it starts
/// ("if the amount is over 10000 notify the manager").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Parsed {
    pub(super) condition: Condition,
    pub(super) rest: Option<usize>,
}

/// Reads a whole-clause condition such as "the amount is over 10000".
pub(super) fn parse(clause: &Clause, tokens: &[Token]) -> Option<Parsed> {
    let caps = CONDITION.captures(&clause.lower)?;
    let field_words = caps.name("field")?.as_str().trim();
    let (op_index, _) =
        (0..OPS.len()).find_map(|i| caps.name(&format!("op{i}")).map(|m| (i, m)))?;
    let operator = OPS[op_index].1;
    let explicit_field = caps.get(0)?.as_str().contains(" field ");
    // "hand it over to the team" is an instruction, not "hand it" > "to the team".
    if words::has_action_verb(field_words) {
        return None;
    }
    let field = field_id(field_words)?;
    let known =
        catalog::field_alias(field_words).is_some() || field.starts_with("UF_") || explicit_field;
    // "is" and "is not" fit almost any sentence ("if the client is happy"); only a field
    // the catalog knows, or one called a field, makes them a condition.
    if matches!(operator, "=" | "!=") && !known {
        return None;
    }
    let after = caps.get(0)?.end();
    if matches!(operator, "empty" | "!empty") {
        let rest = words::first_action_verb(&clause.lower, after);
        return Some(Parsed {
            condition: Condition {
                field,
                operator: operator.to_owned(),
                value: String::new(),
            },
            rest,
        });
    }
    let (mut value, mut end) = value_at(clause, after, tokens)?;
    // "the amount is roughly 5000", "is well over 10k": a comparison this reader does not
    // know is not an equality. The clause is left for the caller to ask about.
    if matches!(operator, "=" | "!=") && COMPARISON_WORD.is_match(&value.to_ascii_lowercase()) {
        return None;
    }
    // "source = Cold call": a last word that could be a verb but has nothing to act on
    // ends the value; it is not an instruction.
    if let Some(at) = words::first_action_verb(&clause.lower, end)
        && clause.lower[at..].split_whitespace().count() == 1
        && clause.lower[end..at].trim().is_empty()
    {
        value = format!("{value} {}", clause.orig_at(at..clause.orig.len()).trim());
        end = clause.lower.len();
    }
    // A comparison with words rather than a number needs a field the catalog knows.
    if !known && number(&value).is_none() {
        return None;
    }
    if matches!(field.as_str(), "STAGE_ID" | "STATUS_ID") {
        value = stage_id(&value);
    }
    Some(Parsed {
        condition: Condition {
            field,
            operator: operator.to_owned(),
            value,
        },
        rest: words::first_action_verb(&clause.lower, end),
    })
}

// "an amount of 500 or more", "5,000 and above": the comparison after the number.
static AMOUNT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b|\s)(?:(?:worth|valued\s+at|of|(?:with\s+)?(?:an?\s+|the\s+)?(?:amount|value|total|budget|price|sum|deal\s+size)(?:\s+(?:of|is))?)\s+)?(?P<num>[$\x{20ac}\x{a3}]?\s*\d[\d,]*(?:\.\d+)?\s*(?:k|m)?)\s+(?P<op>or\s+(?:more|above|higher|over|greater|bigger|larger)|and\s+(?:above|up|over|more|higher)|or\s+(?:less|below|under|lower|fewer|smaller)|and\s+(?:below|under|less|lower))\b",
    )
    .expect("valid regex")
});

/// Where [`amount`] reads its condition in a clause.
pub(super) fn amount_span(clause: &Clause) -> Option<std::ops::Range<usize>> {
    AMOUNT
        .find(&clause.lower)
        .or_else(|| AMOUNT_AFTER.find(&clause.lower))
        .map(|m| m.range())
}

// "from the source 'Partner portal'", "with source 'Website'": the source as quoted.
static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:from|with|via|through)\s+(?:the\s+)?source\s+(?P<token>\x01\d+\x02)")
        .expect("valid regex")
});

/// A condition on the source quoted inside a trigger clause ("a new lead from the
/// source 'Partner portal'"), with where it was read.
pub(super) fn source(
    clause: &Clause,
    tokens: &[Token],
) -> Option<(Condition, std::ops::Range<usize>)> {
    let caps = SOURCE.captures(&clause.lower)?;
    let index: usize = caps
        .name("token")?
        .as_str()
        .trim_matches(['\x01', '\x02'])
        .parse()
        .ok()?;
    Some((
        Condition {
            field: "SOURCE_ID".into(),
            operator: "=".into(),
            value: tokens.get(index)?.text.clone(),
        },
        caps.get(0)?.range(),
    ))
}

// Currencies people name after "in": the ISO codes Bitrix24's currency list uses
// (`crm.currency.list` ids), and the words for the common ones.
const CURRENCIES: &[(&str, &str)] = &[
    ("usd", "USD"),
    ("eur", "EUR"),
    ("gbp", "GBP"),
    ("rub", "RUB"),
    ("chf", "CHF"),
    ("pln", "PLN"),
    ("uah", "UAH"),
    ("kzt", "KZT"),
    ("byn", "BYN"),
    ("cny", "CNY"),
    ("jpy", "JPY"),
    ("cad", "CAD"),
    ("aud", "AUD"),
    ("inr", "INR"),
    ("sek", "SEK"),
    ("nok", "NOK"),
    ("dkk", "DKK"),
    ("czk", "CZK"),
    ("try", "TRY"),
    ("aed", "AED"),
    ("dollars", "USD"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds", "GBP"),
    ("sterling", "GBP"),
    ("roubles", "RUB"),
    ("rubles", "RUB"),
];

// "a deal won in EUR", "paid in euros".
static CURRENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:in|paid\s+in|priced\s+in|billed\s+in)\s+(?P<cur>[a-z]{3,8})\b")
        .expect("valid regex")
});

// Lead channels named without the word "source": "a lead comes in from Facebook". A
// capitalised word after "from" that is not one of these (a country, a person) is left
// over and asked about.
const SOURCES: &[&str] = &[
    "facebook",
    "instagram",
    "google",
    "linkedin",
    "tiktok",
    "twitter",
    "youtube",
    "whatsapp",
    "telegram",
    "yelp",
    "yell",
    "avito",
    "bing",
];

static FROM_CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:from|via|through)\s+(?:a\s+|an\s+)?(?P<v>[a-z]+)(?:\s+(?:ads?|campaign|form|page|lead\s+form))?\b")
        .expect("valid regex")
});

// "with the type Partner", "with the industry 'Healthcare'", "with source Yell": a field
// the catalog knows and its value, as written.
static WITH_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:with|from|of|having)\s+(?:the\s+|a\s+|an\s+|its\s+)?(?P<field>type|industry|source|currency|status|stage|category)\s*:?\s+(?:of\s+|is\s+|=\s*)?(?P<v>\x01\d+\x02|[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})")
        .expect("valid regex")
});

/// Conditions written inside an event clause, each with where it was read: a source
/// ("from Facebook", "from the source 'Partner portal'"), a currency ("won in EUR"), a
/// field and value ("with the industry Healthcare"). A value written without quotes must
/// be capitalised, as a name is: "with the type partner" could be a description.
pub(super) fn in_event(
    clause: &Clause,
    tokens: &[Token],
) -> Vec<(Condition, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let cond = |field: &str, value: String| Condition {
        field: field.into(),
        operator: "=".into(),
        value,
    };
    if let Some((c, at)) = source(clause, tokens) {
        out.push((c, at));
    }
    for caps in WITH_FIELD.captures_iter(&clause.lower) {
        let (Some(field), Some(v), Some(all)) = (caps.name("field"), caps.name("v"), caps.get(0))
        else {
            continue;
        };
        if out.iter().any(|(_, r)| r.contains(&all.start())) {
            continue;
        }
        // Capitalised words only, as written: "the type Partner".
        let orig = clause.orig_at(v.range());
        let name: Vec<&str> = orig
            .split_whitespace()
            .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
            .collect();
        let value = if let Some(t) = token_text(v.as_str(), tokens) {
            t
        } else if name.is_empty() {
            continue;
        } else {
            name.join(" ")
        };
        let Some(id) = catalog::field_alias(field.as_str()) else {
            continue;
        };
        let end = if v.as_str().starts_with('\x01') {
            v.end()
        } else {
            let first = clause.orig_at(v.range());
            let kept: usize = first
                .split_whitespace()
                .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
                .map(|w| w.len() + 1)
                .sum();
            v.start() + kept.saturating_sub(1)
        };
        let value = if id == "STAGE_ID" || id == "STATUS_ID" {
            stage_id(&value)
        } else {
            value
        };
        out.push((cond(id, value), all.start()..end));
    }
    for caps in CURRENCY.captures_iter(&clause.lower) {
        let (Some(cur), Some(all)) = (caps.name("cur"), caps.get(0)) else {
            continue;
        };
        if let Some((_, code)) = CURRENCIES.iter().find(|(w, _)| *w == cur.as_str())
            && !out.iter().any(|(c, _)| c.field == "CURRENCY_ID")
        {
            out.push((cond("CURRENCY_ID", (*code).to_owned()), all.range()));
        }
    }
    if !out.iter().any(|(c, _)| c.field == "SOURCE_ID") {
        for caps in FROM_CHANNEL.captures_iter(&clause.lower) {
            let (Some(v), Some(all)) = (caps.name("v"), caps.get(0)) else {
                continue;
            };
            if SOURCES.contains(&v.as_str()) {
                // "Google Ads" is the channel's name; "a Facebook form" is Facebook.
                let end = if caps
                    .get(0)
                    .is_some_and(|m| m.as_str().ends_with(" ads") || m.as_str().ends_with(" ad"))
                {
                    all.end()
                } else {
                    v.end()
                };
                let written = clause.orig_at(v.start()..end);
                out.push((cond("SOURCE_ID", written.to_owned()), all.range()));
                break;
            }
        }
    }
    out
}

/// The text of a token marker such as `\x01 3 \x02`, if `s` is one.
fn token_text(s: &str, tokens: &[Token]) -> Option<String> {
    let index: usize = s.trim_matches(['\x01', '\x02']).parse().ok()?;
    tokens.get(index).map(|t| t.text.clone())
}

// The subject of a comparison: "the discount is (well) over 15".
static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<field>[a-z_]+)(?:\s+field)?\s+(?:is|are|was|were)\b(?:\s+[a-z]+){0,2}\s*$")
        .expect("valid regex")
});
static RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:deal|deals|lead|leads|invoice|invoices|quote|quotes|it|this|that|opportunity)$",
    )
    .expect("valid regex")
});

/// A condition on the amount written inside another clause: "a deal over 10000".
pub(super) fn amount(clause: &Clause) -> Option<Condition> {
    let Some(caps) = AMOUNT.captures(&clause.lower) else {
        let caps = AMOUNT_AFTER.captures(&clause.lower)?;
        let op = caps.name("op")?.as_str();
        let up = [
            "more", "above", "higher", "over", "greater", "bigger", "larger", "up",
        ]
        .iter()
        .any(|w| op.ends_with(w));
        return Some(Condition {
            field: "OPPORTUNITY".into(),
            operator: if up { ">=" } else { "<=" }.into(),
            value: number(caps.name("num")?.as_str())?,
        });
    };
    // "the discount is well over 15" compares the discount, not the amount: a field named
    // before the comparison must be the amount (or the record itself).
    let before = &clause.lower[..caps.get(0)?.start()];
    if let Some(c) = COMPARED.captures(before)
        && let Some(field) = c.name("field")
        && catalog::field_alias(field.as_str()) != Some("OPPORTUNITY")
        && !RECORD.is_match(field.as_str())
    {
        return None;
    }
    let op = match caps
        .name("op")?
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()[..]
    {
        ["at", "least"] | [">="] | ["no" | "not", "less", "than"] => ">=",
        ["at", "most"] | ["<="] | ["no" | "not", "more", "than"] => "<=",
        ["under" | "below" | "<"] | ["less" | "smaller" | "lower", "than"] => "<",
        _ => ">",
    };
    let value = number(caps.name("num")?.as_str())?;
    Some(Condition {
        field: "OPPORTUNITY".into(),
        operator: op.into(),
        value,
    })
}

/// The field id for a friendly name: an alias, `UF_...` as written, or `UPPER_SNAKE`.
pub(super) fn field_id(words: &str) -> Option<String> {
    let words = words.trim();
    if let Some(uf) = words
        .split_whitespace()
        .find(|w| w.to_ascii_lowercase().starts_with("uf_"))
    {
        return Some(uf.to_ascii_uppercase());
    }
    // "the custom field Source detail" names the field "Source detail".
    let lower = words.to_ascii_lowercase();
    let words = ["custom field ", "field "]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| &words[p.len()..]))
        .unwrap_or(words)
        .trim();
    if words.is_empty() {
        return None;
    }
    if let Some(id) = catalog::field_alias(words) {
        return Some(id.to_owned());
    }
    let id = upper_snake(words);
    (!id.is_empty()).then_some(id)
}

/// A normalised number ("$10,000" -> "10000", "5k" -> "5000"), if `s` is one.
pub(super) fn number(s: &str) -> Option<String> {
    let caps = NUMBER.captures(s.trim())?;
    let digits: String = caps
        .get(1)?
        .as_str()
        .chars()
        .filter(|c| *c != ',')
        .collect();
    let scale: u64 = match caps.get(2).map(|m| m.as_str()) {
        Some("k" | "thousand") => 1_000,
        Some("m" | "million") => 1_000_000,
        _ => 1,
    };
    if scale == 1 {
        return Some(digits);
    }
    if let Ok(n) = digits.parse::<u64>() {
        return n.checked_mul(scale).map(|n| n.to_string());
    }
    // "1.5k": scale the decimal by hand to stay exact.
    let (whole, frac) = digits.split_once('.')?;
    let places = if scale == 1_000 { 3 } else { 6 };
    if frac.len() > places {
        return None;
    }
    let joined = format!("{whole}{frac:0<places$}");
    let n: u64 = joined.parse().ok()?;
    Some(n.to_string())
}

/// The value after an operator: a quoted string, a number, or words up to the next
/// instruction. Returns the value and where it ends.
fn value_at(clause: &Clause, from: usize, tokens: &[Token]) -> Option<(String, usize)> {
    let phrase = words::phrase_after(clause, from, VALUE_STOPS, 6);
    if let Some(token) = phrase.token.and_then(|i| tokens.get(i)) {
        let text = match token.kind {
            TokenKind::Quote | TokenKind::Url => token.text.clone(),
        };
        return Some((text, phrase.end));
    }
    let text = phrase.text();
    if text.is_empty() {
        return None;
    }
    if let Some(m) = NUMBER.find(&clause.lower[from..]) {
        let raw = &clause.lower[from..from + m.end()];
        if let Some(n) = number(raw) {
            return Some((n, from + m.end()));
        }
    }
    Some((text, phrase.end))
}

const VALUE_STOPS: &[&str] = &["and", "then", "when", "if", "so", "or", "but"];

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(s: &str) -> Option<(String, String, String)> {
        parse(&Clause::new(s), &[])
            .map(|p| (p.condition.field, p.condition.operator, p.condition.value))
    }

    #[allow(clippy::unnecessary_wraps)] // compared with `cond`, which returns an Option
    fn c(f: &str, o: &str, v: &str) -> Option<(String, String, String)> {
        Some((f.into(), o.into(), v.into()))
    }

    #[test]
    fn operators() {
        assert_eq!(
            cond("if the amount is over 10000"),
            c("OPPORTUNITY", ">", "10000")
        );
        assert_eq!(
            cond("the amount is at least $5,000"),
            c("OPPORTUNITY", ">=", "5000")
        );
        assert_eq!(
            cond("the deal amount is less than 2k"),
            c("OPPORTUNITY", "<", "2000")
        );
        assert_eq!(
            cond("the total is at most 300"),
            c("OPPORTUNITY", "<=", "300")
        );
        assert_eq!(
            cond("the source is Website"),
            c("SOURCE_ID", "=", "Website")
        );
        assert_eq!(
            cond("the currency is not EUR"),
            c("CURRENCY_ID", "!=", "EUR")
        );
        assert_eq!(cond("the title contains vip"), c("TITLE", "contain", "vip"));
        assert_eq!(cond("the comments are empty"), c("COMMENTS", "empty", ""));
        assert_eq!(
            cond("the comments field isn't empty"),
            c("COMMENTS", "!empty", "")
        );
        assert_eq!(cond("the comment is empty"), c("COMMENTS", "empty", ""));
        assert_eq!(
            cond("the close date is not empty"),
            c("CLOSEDATE", "!empty", "")
        );
        assert_eq!(
            cond("the discount is greater than 15"),
            c("DISCOUNT", ">", "15")
        );
        assert_eq!(cond("if the client is happy"), None);
        assert_eq!(cond("hand it over to the team"), None);
        assert_eq!(cond("the rating is over the top"), None);
        assert_eq!(
            field_id("custom field uf_crm_contract").as_deref(),
            Some("UF_CRM_CONTRACT")
        );
    }

    #[test]
    fn operators_are_catalog_operators() {
        for (_, op) in OPS {
            assert!(
                catalog::CONDITION_OPERATORS.iter().any(|(o, _)| o == op),
                "{op}"
            );
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(number("10,000").as_deref(), Some("10000"));
        assert_eq!(number("1.5k").as_deref(), Some("1500"));
        assert_eq!(number("$2m").as_deref(), Some("2000000"));
        assert_eq!(number("abc"), None);
    }

    #[test]
    fn amounts_inside_triggers() {
        let c = amount(&Clause::new("when a deal over $5k is won")).unwrap();
        assert_eq!(
            (c.field.as_str(), c.operator.as_str(), c.value.as_str()),
            ("OPPORTUNITY", ">", "5000")
        );
    }
}
