//! Conditions: "if the amount is over 10000", "when the source is 'Website'", "the
//! comments are not empty", and amounts tucked into a trigger ("a deal over $5k is won").
//!
//! Field names go through `catalog::field_alias` ("amount" -> `OPPORTUNITY`), else
//! become `UPPER_SNAKE`. Operators are the catalog's (`CONDITION_OPERATORS`); a test
//! pins that every operator produced here is one of them. Numbers are normalised:
//! "$10,000" and "10k" both become `10000`.
//!
//! Conditions written inside an event are read by [`in_event`].

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

use super::text::{Clause, Token, TokenKind, upper_snake};
use super::triggers::stage_id;
use super::words;
use crate::blueprint::Condition;
use crate::catalog;

mod in_event;
pub(super) use in_event::in_event;

// Operators, longest first: the alternation takes the first that matches. `{BE}` is a
// copula with an optional adverb ("is now over", "is still under", "remains empty",
// "becomes empty" after an update): a comparison word or sign after it decides the
// operator, so "is now over 75,000" and "is > 20000" are `>`, never `=`.
const OPS: &[(&str, &str)] = &[
    (
        r"{BE}\s+not\s+empty|{BE}\s+not\s+blank|isn't\s+(?:empty|blank)|aren't\s+(?:empty|blank)|{BE}\s+non-?empty|{BE}\s+filled(?:\s+in)?|{BE}\s+set|{BE}\s+present|has\s+a\s+value|{BE}\s+specified|{BE}\s+(?:actually\s+)?on\s+file|exists|not\s+empty|filled(?:\s+in)?",
        "!empty",
    ),
    (
        r"{BE}\s+(?:left\s+)?empty|{BE}\s+(?:left\s+)?blank|(?:has|have)(?:\s+not|n't)\s+been\s+(?:filled(?:\s+in)?|set|specified)|{BE}\s+not\s+set|{BE}\s+missing|{BE}\s+not\s+filled(?:\s+in)?|has\s+no\s+value|{BE}\s+not\s+specified|{BE}\s+not\s+on\s+file|isn't\s+on\s+file|(?:isn't|aren't)\s+filled(?:\s+in)?|empty|blank",
        "empty",
    ),
    (
        r"(?:does|do)\s+not\s+contain|(?:doesn't|don't)\s+contain|(?:does|do)\s+not\s+include|(?:doesn't|don't)\s+include",
        "!contain",
    ),
    (r"contains?|includes?|mentions?", "contain"),
    (
        r"(?:{BE}\s+)?(?:greater|more|higher|bigger|larger)\s+than\s+or\s+equal\s+to|(?:{BE}\s+)?(?:greater|more|higher|bigger|larger)\s+or\s+equal(?:\s+(?:than|to))?|(?:{BE}\s+)?at\s+least|(?:{BE}\s+)?(?:no|not)\s+(?:less|lower|smaller)\s+than|(?:{BE}\s*)?>=",
        ">=",
    ),
    (
        r"(?:{BE}\s+)?(?:less|lower|smaller)\s+than\s+or\s+equal\s+to|(?:{BE}\s+)?(?:less|lower|smaller)\s+or\s+equal(?:\s+(?:than|to))?|(?:{BE}\s+)?at\s+most|(?:{BE}\s+)?(?:no|not)\s+(?:more|higher|greater|bigger|larger)\s+than|(?:{BE}\s+)?up\s+to|(?:{BE}\s*)?<=",
        "<=",
    ),
    (
        r"(?:{BE}\s+)?(?:over|above|more\s+than|greater\s+than|higher\s+than|bigger\s+than|larger\s+than|in\s+excess\s+of|exceeding)|exceeds|tops|(?:{BE}\s*)?>",
        ">",
    ),
    (
        r"(?:{BE}\s+)?(?:under|below|less\s+than|lower\s+than|smaller\s+than|beneath)|(?:{BE}\s*)?<",
        "<",
    ),
    (
        r"{BE}\s+not\s+equal\s+to|{BE}\s+(?:anything\s+)?other\s+than|{BE}\s+anything\s+(?:but|except)|{BE}\s+not|isn't|aren't|does\s+not\s+equal|doesn't\s+equal|{BE}\s+different\s+from|!=|<>",
        "!=",
    ),
    // "the amount is exactly 0": "exactly" says the comparison is an equality; it is no
    // part of the value.
    (
        r"{BE}\s+(?:exactly|precisely)(?:\s+equal\s+to)?|{BE}\s+equal\s+to|equals(?:\s+exactly)?|says|reads|equal(?:\s+to)?|{BE}|==|=",
        "=",
    ),
];

// The client's channel said to be empty or filled: "the client's email is empty",
// "client phone is missing" ("client phone missing", with no "is", is given its "is" as
// the text is prepared: `text::CLIENT_FIELD_STATE`).
static CLIENT_CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|but\s+)?(?:(?:when|whenever|if|once|where)\s+)?(?P<owner>(?:the\s+)?(?:client|customer)(?:'s)?)\s+(?:e-?mail(?:\s+address)?|phone(?:\s+number)?|mobile)\s+(?:is|'s|are|was|remains|stays)\b")
        .expect("valid regex")
});

// "the email's now empty": a contracted "is" before a state only a field has.
static CONTRACTED_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b[a-z]+(?P<s>'s)\s+(?:(?:now|still|already)\s+)?(?:empty|blank|missing|filled|not\s+(?:empty|filled|set))\b")
        .expect("valid regex")
});

// "and no email for the client", "but no phone number on it": a channel the record
// lacks, said as a clause of its own, is that field being empty.
static NO_CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|but\s+)?(?:there(?:'s|\s+is)\s+)?(?:still\s+)?no\s+(?:(?:client|customer)(?:'s)?\s+)?(?P<f>e-?mail|phone|mobile)(?:\s+(?:address|number))?(?:\s+(?:for|on)\s+(?:the\s+)?(?:client|customer|it|them|file|record|deal|lead|contact))?\b")
        .expect("valid regex")
});

// A field named by a common noun, and nothing after it: "amount", "VAT number",
// "company", "PO number", "delivery address".
macro_rules! field_noun {
    () => {
        r"(?P<f>(?:[a-z][\w-]*\s+){0,2}?(?:amount|budget|value|company|number|no|address|date|name|code|id|inn|iban|vat|po|link|website))"
    };
}

// "deal has no amount", "there's still no VAT number", "no company on it".
static NO_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(concat!(
        r"^(?:and\s+|but\s+|&\s+)?(?:(?:the\s+)?(?:deal|lead|contact|company|it|they|client|customer|record)\s+(?:still\s+)?(?:has|have)\s+|there(?:'s|s|\s+is)\s+)?(?:still\s+)?no\s+",
        field_noun!(),
        r"(?:\s+(?:linked|attached|set))?(?:\s+(?:on|for|in|to)\s+(?:it|them|the\s+(?:deal|lead|contact|company|record)))?(?:\s+(?:yet|still))?\s*$"
    ))
    .expect("valid regex")
});

// Words that make the words before a field noun something else: an article (the name
// is then read as written elsewhere), a channel (read by `NO_CHANNEL` and the channel's
// own rules), or a word that opens a condition ("if Cleaning Address is empty").
const NOT_IN_A_FIELD_NOUN: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "their",
    "phone",
    "email",
    "e-mail",
    "mobile",
    "mail",
    "telephone",
    "cell",
    "if",
    "when",
    "where",
    "only",
    "but",
    "unless",
    "or",
    "that",
    "still",
    "now",
];

// "and VAT number empty", "amount still empty", "passport number now filled in".
static NOUN_FIELD_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(concat!(
        r"^(?:and\s+|&\s+)?",
        field_noun!(),
        r"\s+(?:(?:is|still|now)\s+)*(?P<s>empty|blank|missing|filled\s+in|filled)\s*$"
    ))
    .expect("valid regex")
});

// The words that name what an action writes: after one, a colon gives its text.
const WRITTEN: &[&str] = &[
    "comment",
    "comments",
    "note",
    "notes",
    "title",
    "message",
    "text",
    "subject",
    "body",
    "description",
    "tag",
];

// "source: Instagram", "budget: 5000".
static FIELD_COLON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:the\s+)?(?P<field>[a-z]+(?:\s+[a-z]+)?)\s*:\s+\S").expect("valid regex")
});

/// Parses `written`, the clause with an operator put in, and gives where the rest starts
/// in the clause as the author wrote it.
fn reparse(clause: &Clause, written: &str, tokens: &[Token]) -> Option<Parsed> {
    let rewritten = Clause::new(written);
    let shift = rewritten.lower.len().saturating_sub(clause.lower.len());
    let mut parsed = parse(&rewritten, tokens)?;
    parsed.rest = parsed.rest.map(|r| r.saturating_sub(shift));
    Some(parsed)
}

// "and it came from", "if they come in via": the record's channel.
static CAME_FROM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|but\s+|only\s+)?(?:(?:if|when|where)\s+)?(?:it|they|the\s+(?:lead|deal|enquiry|inquiry)|that\s+lead)\s+(?:originally\s+)?(?:came|comes|come|arrived|arrives|arrive|was\s+sent|were\s+sent)\s+(?:in\s+)?(?:from|via|through)\b")
        .expect("valid regex")
});

// "it's low priority", "it isn't high priority", "the task was a low priority one".
static PRIORITY_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|but\s+|only\s+)?(?:(?:if|when|where|only\s+if)\s+)?(?:it|the\s+task|this\s+task|that\s+task)(?:\s+is|\s+was|'s)(?P<not>\s+not|n't)?\s+(?:a\s+)?(?P<level>low|high|normal|medium)[-\s]priority(?:\s+(?:one|task))?\s*$")
        .expect("valid regex")
});

// "source Facebook", "type 'Partner'".
static FIELD_BARE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:the\s+)?(?P<field>source|type|industry|currency|category)\s+(?P<v>\x01|[a-z])")
        .expect("valid regex")
});

// Adverbs people put between a field and its comparison: "the title now mentions".
const ADVERBS: &[&str] = &[
    "now",
    "still",
    "already",
    "currently",
    "also",
    "then",
    "really",
];

// A copula ("has been" too: "the Site address field has been filled in"), with an adverb
// people put between it and the comparison.
const BE: &str = r"(?:is|are|was|were|remains|remain|stays|stay|becomes|become|(?:has|have)(?:\s+(?:now|already|just))?\s+been)(?:\s+(?:now|still|already|currently|also|then|actually|really))?";

// A state only a field has: "is empty", "isn't blank", "is filled in".
static FIELD_STATE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:empty|blank|filled(?:\s+in)?)$").expect("valid regex"));

// Words that compare: a value starting with one of them was misread as an equality.
static COMPARISON_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:over|above|under|below|more|less|greater|higher|lower|smaller|bigger|larger|at\s+(?:least|most)|no\s+(?:more|less)|exceed\w*|beyond|between|around|about|roughly|approximately|up\s+to|well|way|just|at\s+or|anything|other|something|either|neither|one\s+of|any\s+of|in|not|no|within|from|less|fewer)\b")
        .expect("valid regex")
});

static CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    let ops: Vec<String> = OPS
        .iter()
        .enumerate()
        .map(|(i, (re, _))| format!("(?P<op{i}>{})", re.replace("{BE}", BE)))
        .collect();
    let re = format!(
        r"^(?:and\s+|but\s+|only\s+|also\s+)?(?:when|whenever|if|once|only\s+if|as\s+long\s+as|provided\s+that|where)?\s*(?P<det>the\s+|its\s+|their\s+|a\s+|an\s+)?(?:(?P<rec>deal|deal's|lead|lead's|contact|contact's|company|company's|invoice|invoice's|quote|quote's|task|task's|record|record's)\s+)?(?P<field>[a-z](?:[a-z0-9_ ]|-[a-z])*?)(?P<called>\s+field)?(?:\s+(?:now|still|already|currently))?\s+(?:{})(?:\s+|$)",
        ops.join("|")
    );
    pattern(&re).expect("valid condition regex")
});

// Currencies written by name or ISO 4217 code after an amount, besides the euro, dollar
// and pound: "5,000,000 naira", "50,000 rupees", "5000 GEL", "2 000 000 tenge". Codes that
// are also English words or names ("try", "ron") are left out: after a number they would
// be read as an amount's unit.
pub(super) const CURRENCY_NAMES: &str = "naira|ngn|rand|zar|rupees?|inr|pesos?|reais|brl|zlotys?|pln|kes|shillings?|dirhams?|aed|gel|lari|kzt|tenge|uzs|som|uah|hryvnias?|chf|francs?|jpy|yen|cny|rmb|yuan|aud|cad|nzd|sgd|hkd|sek|nok|dkk|kronor|kroner|czk|huf|forints?|mxn|cop|clp|ars|php|thb|baht|idr|rupiah|myr|ringgit|egp|sar|riyals?|qar|ghs|cedis?|tzs|ugx|mad|lira|pkr|bdt|taka|lkr|npr|fcfa|cfa|xof|xaf|afn|afghanis?|somoni|tjs|irr|rials?|tomans?";

// An amount's number, with its currency's sign before it: a dollar may carry its
// country's letters ("HK$50,000", "NT$200,000", "US$5k").
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"^(?:(?:nt|hk|us|nz|sg|s|a|c)?\$|[\x{{20ac}}\x{{a3}}])?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|m|thousand|million)?(?:\s*(?:{CURRENCY_NAMES}|usd|eur|gbp|rub|dollars|euros|pounds|rubles|bucks|quid|\$|\x{{20ac}}))?\b"
    ))
    .expect("valid regex")
});

static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?:^|\b|\s)(?:(?:worth|valued\s+at|of|(?:with\s+)?(?:an?\s+|the\s+)?(?:amount|value|total|budget|price|sum|deal\s+size)(?:\s+(?:of|is))?)\s+)?(?P<op>over|above|more\s+than|greater\s+than|bigger\s+than|larger\s+than|higher\s+than|in\s+excess\s+of|exceeding|at\s+least|(?:no|not)\s+less\s+than|(?:no|not)\s+more\s+than|under|below|less\s+than|smaller\s+than|lower\s+than|at\s+most|>=|<=|>|<)\s*(?P<num>(?:(?:nt|hk|us|nz|sg|s|a|c)?\$|[\x{{20ac}}\x{{a3}}])?\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:k|m|thousand|million)\b)?(?:\s*(?:(?:{CURRENCY_NAMES}|usd|eur|gbp|rub|euros?|dollars|pounds|roubles|rubles|bucks|quid)\b|[$\x{{20ac}}\x{{a3}}]))?)"
    ))
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
    // "Invoice overdue, in GBP and over 5,000?": a clause that only names a currency.
    if let Some((condition, rest)) = in_event::currency_clause(clause) {
        return Some(Parsed { condition, rest });
    }
    // "and it came from Google Ads": the record's channel said as a clause of its own is
    // the source the event clause would read ("a lead from Google Ads"), and only that.
    if let Some(m) = CAME_FROM.find(&clause.lower) {
        let from = m.end() - "from".len().min(m.end());
        let from = clause.lower[..m.end()]
            .rfind(char::is_whitespace)
            .map_or(from, |i| i + 1);
        let rewritten = Clause::new(&format!(
            "a lead {}",
            clause.orig_at(from..clause.orig.len())
        ));
        let shift = "a lead ".len();
        let read = in_event(&rewritten, tokens);
        let [(condition, range)] = read.as_slice() else {
            return None;
        };
        // What follows the source is nothing, or an order ("..., notify Anna").
        let end = (from + range.end).saturating_sub(shift);
        let rest = words::first_action_verb(&clause.lower, end);
        let between = &clause.lower[end..rest.unwrap_or(clause.lower.len())];
        if condition.field != "SOURCE_ID"
            || range.start > shift
            || between.chars().any(char::is_alphanumeric)
        {
            return None;
        }
        return Some(Parsed {
            condition: condition.clone(),
            rest,
        });
    }
    // "it's low priority", "it was a low priority one": a task's priority said of it.
    if clause.lower.contains("priority")
        && let Some(c) = PRIORITY_STATE.captures(&clause.lower)
    {
        let level = match &c["level"] {
            "medium" => "normal",
            l => l,
        };
        return Some(Parsed {
            condition: Condition {
                field: "PRIORITY".to_owned(),
                operator: if c.name("not").is_some() { "!=" } else { "=" }.to_owned(),
                value: level.to_owned(),
            },
            rest: None,
        });
    }
    // "source: Instagram", as a form or a note writes it, is "source = Instagram" for a
    // field the catalog knows.
    // The colon is looked for first: most clauses have none.
    // "comment: 'Paid'", "title: 'Check it'" in a list of orders are what an action
    // writes, not a filter on a field of that name.
    if clause.lower.contains(':')
        && let Some(c) = FIELD_COLON.captures(&clause.lower)
        && let Some(f) = c.name("field")
        && !WRITTEN.contains(&f.as_str())
        && (catalog::field_alias(f.as_str()).is_some() || AMOUNT_WORDS.contains(&f.as_str()))
    {
        let colon = f.end() + clause.lower[f.end()..].find(':')?;
        let written = format!(
            "{} ={}",
            clause.orig_at(0..colon),
            clause.orig_at(colon + 1..clause.orig.len())
        );
        return reparse(clause, &written, tokens);
    }
    // "New lead, source Facebook": a note names a category field and its value with no
    // verb; the value must be a name (capitalised) or quoted.
    if let Some(c) = FIELD_BARE.captures(&clause.lower)
        && let (Some(f), Some(v)) = (c.name("field"), c.name("v"))
        && (clause
            .orig_at(v.range())
            .chars()
            .next()
            .is_some_and(|ch| ch.is_uppercase() || ch == '\x01')
            // "Contact created, source partner": one of the portal's own sources, in
            // any case.
            || f.as_str() == "source"
                && catalog::source_id(
                    clause.lower[v.start()..]
                        .split(|c: char| !c.is_alphanumeric() && c != '-')
                        .next()
                        .unwrap_or_default(),
                )
                .is_some())
    {
        let written = format!(
            "{} ={}",
            clause.orig_at(0..f.end()),
            clause.orig_at(f.end()..clause.orig.len())
        );
        return reparse(clause, &written, tokens);
    }
    // "and the email's now empty": the contraction is the copula, as "is".
    if let Some(c) = CONTRACTED_STATE.captures(&clause.lower)
        && let Some(s) = c.name("s")
    {
        let written = format!(
            "{} is{}",
            clause.orig_at(0..s.start()),
            clause.orig_at(s.end()..clause.orig.len())
        );
        return reparse(clause, &written, tokens);
    }
    if let Some(c) = NO_CHANNEL.captures(&clause.lower)
        && let (Some(all), Some(f)) = (c.get(0), c.name("f"))
    {
        let field = if f.as_str() == "mobile" {
            "phone"
        } else {
            f.as_str()
        };
        let written = format!(
            "the {field} is empty{}",
            clause.orig_at(all.end()..clause.orig.len())
        );
        return reparse(clause, &written, tokens);
    }
    // "deal has no amount", "there's no VAT number", "no company on it", "VAT number
    // empty", "amount still empty": a field named by a common noun, its state said with
    // no copula or as a lack, read as "the VAT number is empty".
    if let Some(c) = NO_FIELD
        .captures(&clause.lower)
        .or_else(|| NOUN_FIELD_STATE.captures(&clause.lower))
        && let (Some(all), Some(f)) = (c.get(0), c.name("f"))
        && !f
            .as_str()
            .split_whitespace()
            .any(|w| NOT_IN_A_FIELD_NOUN.contains(&w))
    {
        // "no company linked": the record's link to a company, which has no name a
        // condition could give it.
        if c.name("s")
            .is_none_or(|s| s.as_str() == "empty" || s.as_str() == "missing")
            && let Some(id) = lacked_field(f.as_str())
        {
            return Some(Parsed {
                condition: Condition {
                    field: id.into(),
                    operator: "empty".into(),
                    value: String::new(),
                },
                rest: words::first_action_verb(&clause.lower, all.end()),
            });
        }
        let state = c.name("s").map_or("empty", |s| s.as_str());
        let written = format!(
            "the {} is {state}{}",
            clause.orig_at(f.range()),
            clause.orig_at(all.end()..clause.orig.len())
        );
        return reparse(clause, &written, tokens);
    }
    // "the client's email is empty", "client phone is missing": the client's channel is
    // the record's own field, read as "the email is empty" (the words kept as long, so
    // what follows stays where it was).
    if let Some(c) = CLIENT_CHANNEL.captures(&clause.lower)
        && let Some(owner) = c.name("owner")
    {
        let written = format!(
            "{}the{}{}",
            clause.orig_at(0..owner.start()),
            " ".repeat(owner.len() - "the".len()),
            clause.orig_at(owner.end()..clause.orig.len())
        );
        return reparse(clause, &written, tokens);
    }
    let caps = CONDITION.captures(&clause.lower)?;
    // "its title now mentions 'recall'": an adverb between the field and the comparison
    // is not part of the field's name.
    let mut field_words = caps.name("field")?.as_str().trim();
    while let Some((rest, last)) = field_words.rsplit_once(' ')
        && ADVERBS.contains(&last)
    {
        field_words = rest.trim_end();
    }
    // "the Company Size field": a record word written with a capital, as the rest of a
    // field's name is, after "the", is the start of that name, not the record it is on;
    // so it is with no "the" when the next word has a capital too ("and Company Size is
    // still empty").
    let capital_next = caps.name("field").is_some_and(|f| {
        clause
            .orig_at(f.range())
            .starts_with(|c: char| c.is_ascii_uppercase())
    });
    // "Company Name field is empty" on a lead names the lead's field of that name, not
    // its title: called a field with each word a capital, the record's word stays in the
    // name even when the rest is a field of the record's own ("Deal Amount" excepted).
    // "and Company field is empty": the record word is the whole name.
    let called_by_name = |r: &regex::Match<'_>| {
        caps.get(0).is_some_and(|m| m.as_str().contains(" field "))
            && caps
                .name("field")
                .is_some_and(|f| title_case_name(clause.orig_at(r.start()..f.end())))
            && !AMOUNT_WORDS.contains(&format!("{} {field_words}", r.as_str()).as_str())
    };
    let named_from = caps
        .name("rec")
        .filter(|r| {
            ((caps.name("det").is_some() || capital_next)
                && !r.as_str().ends_with("'s")
                && clause
                    .orig_at(r.range())
                    .starts_with(|c: char| c.is_ascii_uppercase())
                && (catalog::field_alias(field_words).is_none() || called_by_name(r)))
                || field_words == "field" && !r.as_str().ends_with("'s")
        })
        .map(|r| r.start());
    let field_words = match (named_from, caps.name("field")) {
        // "the company field is empty": the record word is the whole name.
        (Some(at), Some(f)) if field_words == "field" => {
            clause.lower[at..f.start()].trim().to_owned()
        }
        (Some(at), Some(f)) => clause.lower[at..f.start()].to_owned() + field_words,
        _ => field_words.to_owned(),
    };
    let field_words = field_words.as_str();
    let (op_index, op_words) =
        (0..OPS.len()).find_map(|i| caps.name(&format!("op{i}")).map(|m| (i, m)))?;
    let operator = OPS[op_index].1;
    // "field Car Category equal Luxury": a clause may open with the word.
    let explicit_field = caps.get(0)?.as_str().contains(" field ")
        || caps
            .name("field")
            .is_some_and(|f| f.as_str().starts_with("field "));
    // "hand it over to the team" is an instruction, not "hand it" > "to the team". After
    // a determiner, before a copula, or called a field, a channel word is the field it
    // names: "the email is empty", "phone is missing" and "the Phone field is blank" are
    // conditions, not orders to e-mail or call.
    // "and Email field empty", as a note writes it: with no copula, only a field called
    // a field is empty or filled in.
    if matches!(operator, "empty" | "!empty")
        && caps.name("called").is_none()
        && !op_words.as_str().contains(|c: char| c.is_whitespace())
        && !matches!(op_words.as_str(), "exists")
    {
        return None;
    }
    let before_copula = op_words
        .as_str()
        .split_whitespace()
        .next()
        .is_some_and(|w| {
            matches!(
                w,
                "is" | "are"
                    | "was"
                    | "were"
                    | "isn't"
                    | "aren't"
                    | "has"
                    | "have"
                    | "hasn't"
                    | "haven't"
            )
        });
    // "the Billing Email is empty", "the Work Phone is blank": after a determiner and
    // before a copula, a name of a few words whose only verb is its last word is a field
    // named after a channel, not an order.
    let channel_named = caps.name("det").is_some()
        && before_copula
        && field_words.split_whitespace().count() <= 3
        && field_words.rsplit_once(' ').is_some_and(|(_, last)| {
            words::first_action_verb(field_words, 0) == Some(field_words.len() - last.len())
        });
    // "and phone not empty": "not empty" with no copula is a state only a field has.
    let named_as_noun = op_words.as_str().starts_with("not ")
        || caps.name("called").is_some()
            && (caps.name("det").is_some() || !field_words.contains(' '))
        || (caps.name("det").is_some() || before_copula)
            && catalog::field_alias(field_words).is_some()
        || channel_named;
    if words::has_action_verb(field_words) && !named_as_noun {
        return None;
    }
    // "it is over 10k", "for deals over 10k": the record itself compared with a number
    // is its amount; compared with anything else it names no field, and is asked about.
    let record_words = field_words
        .trim_start_matches("for ")
        .trim_start_matches("the ")
        .trim();
    let record_itself = [
        "it", "it's", "this", "that", "they", "one", "ones", "deal", "deals", "lead", "leads",
        "invoice", "invoices", "quote", "quotes", "order", "orders", "those", "these",
    ]
    .contains(&record_words);
    if record_itself && !matches!(operator, ">" | ">=" | "<" | "<=") {
        return None;
    }
    let field_words = if record_itself {
        "deal amount"
    } else {
        field_words
    };
    let mut field = field_id(field_words)?;
    // "the company is empty": the record's link to a company ([`field_id`]), said to be
    // there or not.
    let company_link = field_words == "company" && matches!(operator, "empty" | "!empty");
    // "the Budget field has been filled in": the amount is a number every record has, so
    // a field called by another of the amount's names ("budget", "value", "total") and
    // said to be empty or filled in is a field of the portal's own with that name. Only
    // "the amount" itself is OPPORTUNITY there.
    if field == "OPPORTUNITY"
        && explicit_field
        && matches!(operator, "empty" | "!empty")
        && !matches!(field_words, "amount" | "opportunity" | "deal amount")
    {
        field = upper_snake(field_words);
    }
    // "the delivery date is filled in": only a field is empty or filled in, so a short
    // name that is no person and no record is the portal's field of that name.
    let field_state = matches!(operator, "empty" | "!empty")
        && FIELD_STATE.is_match(op_words.as_str())
        && field_words.split_whitespace().count() <= 3
        // The name's head is no person and no record: "the order is empty" names a
        // record, "the renewal date is filled in" a field. A name of more than one word
        // each written with a capital ("Travel Policy is filled") is a field's, whatever
        // its last word.
        && (field_words.split_whitespace().last().is_some_and(|w| {
            !super::lexicon::PEOPLE.contains(&w)
                && !super::lexicon::RECORD_NOUNS.contains(&w.trim_end_matches('s'))
        }) || caps
            .name("field")
            .is_some_and(|f| title_case_name(clause.orig_at(f.range()))))
        && field_words.split_whitespace().all(|w| {
            !["it", "this", "that", "they", "he", "she", "we", "i", "you"].contains(&w)
        });
    let known = catalog::field_alias(field_words).is_some()
        || AMOUNT_WORDS.contains(&field_words)
        || field.starts_with("UF_")
        || explicit_field
        || field_state
        || company_link;
    // "is" and "is not" fit almost any sentence ("if the client is happy"); only a field
    // the catalog knows, or one called a field, makes them a condition. A comparison on
    // a word b24flow does not know ("worth", "score") is asked about too: a record's own
    // fields are the catalog's, and a portal's own are UF_... fields, so `SCORE` would
    // name no field and the condition would never hold.
    if !known {
        return None;
    }
    let mut after = caps.get(0)?.end();
    // "the Status Checked field is set to Yes": the field has that value, not just any;
    // read as "filled", the value was lost.
    let mut operator = operator;
    if operator == "!empty" && op_words.as_str().ends_with("set") {
        let next = clause.lower[after..].trim_start();
        let next = next.strip_prefix("back ").unwrap_or(next);
        if let Some(value) = next.strip_prefix("to ") {
            operator = "=";
            after = clause.lower.len() - value.len();
        }
    }
    if matches!(operator, "empty" | "!empty") {
        // "the email is empty have Tammy call them": who is had to do the order stays
        // with it.
        let rest = words::first_action_verb(&clause.lower, after).map(|verb| {
            let between = clause.lower[after..verb].trim_start();
            if between.starts_with("have ") || between.starts_with("get ") {
                verb - between.len()
            } else {
                verb
            }
        });
        return Some(Parsed {
            condition: Condition {
                field,
                operator: operator.to_owned(),
                value: String::new(),
            },
            rest,
        });
    }
    // "its priority is to be raised to high", "the GDPR Consent field is to be set to
    // Review": "is to be" is an order about the field, never its value.
    let next = clause.lower[after..].trim_start();
    if next.starts_with("to be ") || next.starts_with("to get ") {
        return None;
    }
    let (mut value, mut end) = value_at(clause, after, tokens)?;
    // "Deadline is tomorrow", "the deadline is in 3 days", after a task: a time counted
    // from now is when the task is due, not a comparison (a date field holds a date).
    if field == "DEADLINE"
        && crate::nl::offline::actions::when(&value.to_ascii_lowercase()).is_some()
    {
        return None;
    }
    // "the amount is 5,000 or more": the comparison after the number decides; it was read
    // as "= 5000".
    if number(&value).is_some()
        && let Some(c) = OR_MORE.captures(&clause.lower[end..])
    {
        operator = match (operator, c.name("up").is_some()) {
            ("=", true) => ">=",
            ("=", false) => "<=",
            // "over 5000 or less" says two things.
            _ => return None,
        };
        end += c.get(0).map_or(0, |m| m.end());
    }
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
    // "the source is now Cold call give it to the outbound team": a verb followed at once
    // by another order's verb acts on nothing; it ends the value, and the order starts
    // after it.
    // Not after a number ("over 50 000 send message in chat": "send" is the order).
    if number(&value).is_none()
        && let Some(at) = words::first_action_verb(&clause.lower, end)
        && clause.lower[end..at].trim().is_empty()
        && !clause.lower[at..].starts_with("send ")
        && let Some(next) = words::first_action_verb(&clause.lower, at + 1)
        && clause.lower[at..next].split_whitespace().count() == 1
    {
        value = format!("{value} {}", clause.orig_at(at..next).trim());
        end = next;
    }
    // A comparison with words rather than a number needs a field the catalog knows.
    if !known && number(&value).is_none() {
        return None;
    }
    // "the amount is at least a few grand": more or less than words compares nothing; the
    // clause is left for the caller to ask about.
    if matches!(operator, ">" | "<" | ">=" | "<=") && number(&value).is_none() {
        return None;
    }
    // "the amount is r150 000 or more", "the amount is abc": the amount is a number, and
    // equal to anything else it would never be; the clause is asked about.
    if field == "OPPORTUNITY" && number(&value).is_none() {
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

// "5,000 or more" after a value already read.
static OR_MORE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*(?:(?P<up>or\s+(?:more|above|higher|over|greater|bigger|larger)|and\s+(?:above|up|over|more|higher))|or\s+(?:less|below|under|lower|fewer|smaller)|and\s+(?:below|under|less|lower))\b")
        .expect("valid regex")
});

// "an amount of 500 or more", "5,000 and above", "5000 GEL or more", "100k+": the
// comparison after the number.
static AMOUNT_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?:\b|\s)(?:(?:worth|valued\s+at|of|(?:with\s+)?(?:an?\s+|the\s+)?(?:amount|value|total|budget|price|sum|deal\s+size)(?:\s+(?:of|is))?)\s+)?(?P<num>(?:(?:nt|hk|us|nz|sg|s|a|c)?\$|[\x{{20ac}}\x{{a3}}])?\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:k|m|thousand|million)\b)?(?:\s*(?:[$\x{{20ac}}\x{{a3}}]|(?:{CURRENCY_NAMES}|usd|eur|gbp|rub|euros?|dollars|pounds|roubles|rubles|bucks|quid)\b))?)(?:\s+(?P<op>or\s+(?:more|above|higher|over|greater|bigger|larger)|and\s+(?:above|up|over|more|higher)|or\s+(?:less|below|under|lower|fewer|smaller)|and\s+(?:below|under|less|lower))\b|(?P<plus>\+)(?:\s|$|[,.;!?)]))",
    ))
    .expect("valid regex")
});

// "a new deal with an amount of 0?", "a deal with a value of 500 is created", "a deal of
// 1000 is won": the amount itself, with no comparison after it.
static AMOUNT_OF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:with\s+(?:an?\s+|the\s+)?(?:amount|value|total|budget|deal\s+size)|(?:deal|order|sale|invoice|quote)s?)\s+(?:of\s+|=\s*)(?P<num>[$\x{20ac}\x{a3}]?\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:k|m|thousand|million)\b)?)\s*(?:$|[?,.!:]|\s(?:is|are|was|gets?|comes?|arrives?)\b)")
        .expect("valid regex")
});

/// Whether `lower` has a digit: [`AMOUNT`] and [`AMOUNT_AFTER`] both need one, and most
/// clauses have none, so neither pattern is searched there.
fn has_digit(lower: &str) -> bool {
    lower.bytes().any(|b| b.is_ascii_digit())
}

// Words for the amount besides the catalog's aliases, as `AMOUNT` reads them.
const AMOUNT_WORDS: &[&str] = &["budget", "price", "deal size", "deal value", "deal amount"];

/// The amount with its comparison after it ("5,000 or more"), or none ("with an amount
/// of 0").
fn amount_after(lower: &str) -> Option<Condition> {
    let (operator, caps) = match AMOUNT_AFTER.captures(lower) {
        // "100k+", "5k+", "$500+": at least that much. A small bare number with "+"
        // counts something else ("3+ days").
        Some(caps) if caps.name("plus").is_some() => {
            let num = caps.name("num")?.as_str();
            let sum = num.ends_with(['k', 'm'])
                || num.contains(['$', '\u{20ac}', '\u{a3}'])
                || num.bytes().filter(u8::is_ascii_digit).count() >= 3;
            if !sum {
                return None;
            }
            (">=", caps)
        }
        Some(caps) => {
            let op = caps.name("op")?.as_str();
            let up = [
                "more", "above", "higher", "over", "greater", "bigger", "larger", "up",
            ]
            .iter()
            .any(|w| op.ends_with(w));
            (if up { ">=" } else { "<=" }, caps)
        }
        None => ("=", AMOUNT_OF.captures(lower)?),
    };
    // "r150 000 or more": three digits after a number and a space are its last group,
    // not an amount of their own.
    let num = caps.name("num")?;
    if lower[..num.start()]
        .trim_end()
        .ends_with(|c: char| c.is_ascii_digit())
        || counted_after(&lower[num.end()..])
    {
        return None;
    }
    Some(Condition {
        field: "OPPORTUNITY".into(),
        operator: operator.into(),
        value: number(num.as_str())?,
    })
}

/// Where [`amount`] reads its condition in a clause.
pub(super) fn amount_span(clause: &Clause) -> Option<std::ops::Range<usize>> {
    if !has_digit(&clause.lower) {
        return None;
    }
    AMOUNT
        .find(&clause.lower)
        .or_else(|| AMOUNT_AFTER.find(&clause.lower))
        .map(|m| m.range())
        .or_else(|| {
            let c = AMOUNT_OF.captures(&clause.lower)?;
            Some(c.get(0)?.start()..c.name("num")?.end())
        })
}

// The subject of a comparison: "the discount is (well) over 15", "the discount goes over 15".
static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?P<field>[a-z_]+)(?:\s+field)?\s+(?:is|are|was|were|goes|go|gets|climbs|rises|drops|falls)\b(?:\s+[a-z]+){0,2}\s*$")
        .expect("valid regex")
});
static RECORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:deal|deals|lead|leads|invoice|invoices|quote|quotes|it|this|that|opportunity)$")
        .expect("valid regex")
});

/// A condition on the amount written inside another clause: "a deal over 10000".
pub(super) fn amount(clause: &Clause) -> Option<Condition> {
    if !has_digit(&clause.lower) {
        return None;
    }
    let Some(caps) = AMOUNT.captures(&clause.lower) else {
        return amount_after(&clause.lower);
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
    // "and day rate over 600", "margin above 20": a measure named right before the
    // comparison is what is compared, and it is not the amount.
    if before
        .split_whitespace()
        .next_back()
        .is_some_and(|w| MEASURES.contains(&w.trim_end_matches(['s', ','])))
    {
        return None;
    }
    // "lead score > 80", "rating < 3": a sign compares the word right before it, which
    // must be the amount, the record said to be over a sum, or no noun at all.
    let op_match = caps.name("op")?;
    if op_match.as_str().starts_with(['>', '<'])
        && clause.lower[caps.get(0)?.start()..op_match.start()]
            .trim()
            .is_empty()
        && !before_sign_is_amount(before)
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
    // "more than 20 pax", "over 50 units": a number of things counted is no sum.
    if counted_after(&clause.lower[caps.name("num")?.end()..]) {
        return None;
    }
    let value = number(caps.name("num")?.as_str())?;
    Some(Condition {
        field: "OPPORTUNITY".into(),
        operator: op.into(),
        value,
    })
}

// What a number counts when it is not money: "20 pax", "50 units", "3 pallets".
const COUNTED: &[&str] = &[
    "pax",
    "people",
    "persons",
    "guests",
    "travellers",
    "travelers",
    "passengers",
    "delegates",
    "attendees",
    "participants",
    "seats",
    "rooms",
    "nights",
    "units",
    "items",
    "pieces",
    "pcs",
    "employees",
    "users",
    "licenses",
    "licences",
    "pallets",
    "containers",
    "boxes",
    "cartons",
    "kg",
    "tons",
    "tonnes",
];

/// Whether the words right after a number name what it counts ([`COUNTED`]).
fn counted_after(after: &str) -> bool {
    after
        .split_whitespace()
        .next()
        .is_some_and(|w| COUNTED.contains(&w.trim_end_matches([',', '.', ')', '!'])))
}

// Measures a record may carry besides its amount: compared, they name a field of their
// own, which b24flow asks about.
const MEASURES: &[&str] = &[
    "rate",
    "score",
    "rating",
    "margin",
    "discount",
    "commission",
    "salary",
    "age",
    "weight",
    "quantity",
    "qty",
    "probability",
    "percentage",
    "headcount",
    "mileage",
];

/// Whether the words before a comparison sign end in the amount ("amount", "deal
/// size"), a record ("deal", "orders") or no noun ("and", "if"), not another measure.
fn before_sign_is_amount(before: &str) -> bool {
    let words: Vec<&str> = before
        .split(|c: char| c.is_whitespace() || c == '(' || c == '[' || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let Some(&last) = words.last() else {
        return true;
    };
    let last = last.trim_end_matches(['.', ']', ')']);
    let two = words
        .len()
        .checked_sub(2)
        .map(|i| format!("{} {last}", words[i]));
    !last.starts_with(|c: char| c.is_ascii_alphabetic())
        || RECORD.is_match(last)
        || catalog::field_alias(last) == Some("OPPORTUNITY")
        || AMOUNT_WORDS.contains(&last)
        || two.is_some_and(|t| AMOUNT_WORDS.contains(&t.as_str()))
        || super::lexicon::DEAL_NOUNS.contains(&last.trim_end_matches('s'))
        || matches!(
            last,
            // ("amount", "sum", "total" and the like are the catalog's aliases, above.)
            "and" | "if" | "when" | "where" | "with" | "is" | "are" | "was" | "only" | "but"
                | "amt"
                // "& its >25k": the record itself.
                | "its" | "it's" | "it"
                // "deal won > 5000": the record of the event.
                | "won" | "lost" | "created" | "new" | "paid" | "signed" | "closed"
                | "approved" | "converted" | "updated"
        )
}

/// Whether `name` is written as a field's name: more than one word, each with a capital
/// ("Travel Policy", "Site Postcode").
pub(super) fn title_case_name(name: &str) -> bool {
    name.split_whitespace().count() > 1
        && name
            .split_whitespace()
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The portal's field for the words a record's link or its client's channel goes by when
/// said to be missing ("no company linked", "without a mobile number", "client phone
/// missing"). A field called by name is read by [`parse`], which gives "the Company
/// field is empty" the same link.
pub(super) fn lacked_field(words: &str) -> Option<&'static str> {
    let words = words.trim().to_ascii_lowercase();
    let words = words.strip_prefix("a ").unwrap_or(&words);
    let channel = ["client ", "client's ", "customer ", "customer's "]
        .iter()
        .find_map(|p| words.strip_prefix(p))
        .unwrap_or(words);
    match channel {
        "company" => Some("COMPANY_ID"),
        "mobile" | "mobile number" | "mobile phone" | "cell" | "cell number" | "cell phone" => {
            Some("PHONE")
        }
        _ => catalog::field_alias(channel).filter(|id| matches!(*id, "PHONE" | "EMAIL")),
    }
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
    // "the custom field Source detail" names the field "Source detail"; an article
    // before a name ("field the Country", as "field Country empty" is read) is not part
    // of it.
    let strip = |words: &str, prefixes: &[&str]| -> usize {
        prefixes
            .iter()
            .find(|p| {
                words
                    .get(..p.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(p))
            })
            .map_or(0, |p| p.len())
    };
    let mut words = words;
    for prefixes in [
        &["the ", "its ", "their "][..],
        &["custom field ", "field "],
        &["the "],
    ] {
        words = &words[strip(words, prefixes)..];
    }
    let words = words.trim();
    if words.is_empty() {
        return None;
    }
    if let Some(id) = catalog::field_alias(words) {
        return Some(id.to_owned());
    }
    // "the Company field": a deal's, contact's or invoice's company is its link to a
    // company record, `COMPANY_ID` in the document (see emulator::crm's field tables); no
    // record has a field called `COMPANY`.
    if words.eq_ignore_ascii_case("company") {
        return Some("COMPANY_ID".to_owned());
    }
    // The words an amount goes by in an event ("a budget over 5k", see `AMOUNT`) name the
    // amount in a condition too: "the budget is below 8000".
    if AMOUNT_WORDS.contains(&words.to_ascii_lowercase().as_str()) {
        return Some("OPPORTUNITY".to_owned());
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
        // A word that names no field is no condition, whatever the comparison; called
        // a field, it is the field's name.
        assert_eq!(cond("the discount is greater than 15"), None);
        assert_eq!(
            cond("the field Discount is greater than 15"),
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
