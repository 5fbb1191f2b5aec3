//! Conditions written inside an event clause: a field with its value ("with 'fleet' in
//! the title", "with nothing in the comments", "whose source is Facebook", "in the
//! Pharmaceuticals industry", "a Client-type contact", "an edited lead's comments
//! mention 'x'") or a source named by the channel it came through ("from the Trade
//! fair", "through the car configurator", "from Booking.com"; any website is `Website`).
//! A value written without quotes must be capitalised, as a name is; a lowercase one
//! could be a description and is left to be asked about.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

use super::parse;
use crate::blueprint::Condition;
use crate::catalog;
use crate::nl::offline::text::{Clause, Token};
use crate::nl::offline::triggers::stage_id;
use crate::nl::offline::words;

// "from the source 'Partner portal'", "with source 'Website'": the source as quoted.
static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:from|with|via|through)\s+(?:the\s+)?source\s+(?P<token>\x01\d+\x02)")
        .expect("valid regex")
});

/// A condition on the source quoted inside a trigger clause ("a new lead from the
/// source 'Partner portal'"), with where it was read.
fn source(clause: &Clause, tokens: &[Token]) -> Option<(Condition, std::ops::Range<usize>)> {
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
    pattern(r"\b(?:in|paid\s+in|priced\s+in|billed\s+in)\s+(?P<cur>[a-z]{3,8})\b")
        .expect("valid regex")
});

// "in GBP", "and in euros and ...": a clause that opens with a currency alone.
static CURRENCY_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|only\s+)?(?:in|paid\s+in|priced\s+in|billed\s+in)\s+(?P<cur>[a-z]{3,8})\b\s*(?P<rest>(?:and\s+|,\s*).*)?$")
        .expect("valid regex")
});

/// A clause that names only a currency, or a currency and then more ("in GBP and bigger
/// than 5,000"): the condition, and where the rest starts.
pub(in crate::nl::offline) fn currency_clause(
    clause: &Clause,
) -> Option<(Condition, Option<usize>)> {
    let caps = CURRENCY_CLAUSE.captures(&clause.lower)?;
    let cur = caps.name("cur")?.as_str();
    let code = CURRENCIES
        .iter()
        .find(|(w, _)| *w == cur)
        .map(|(_, code)| *code)?;
    let condition = Condition {
        field: "CURRENCY_ID".into(),
        operator: "=".into(),
        value: code.to_owned(),
    };
    Some((condition, caps.name("rest").map(|r| r.start())))
}

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
    // Job boards, review and marketplace sites teams take leads from.
    "indeed",
    "glassdoor",
    "pinterest",
    "snapchat",
    "reddit",
    "trustpilot",
    "tripadvisor",
    "houzz",
    "checkatrade",
    "thumbtack",
    "bark",
    "nextdoor",
    "craigslist",
    "etsy",
    // Shop platforms an order or a lead comes in from.
    "shopify",
    "woocommerce",
    "wix",
    "squarespace",
    "bigcommerce",
    "amazon",
    "ebay",
    "airbnb",
    "zillow",
    "upwork",
    "fiverr",
    "capterra",
    "viber",
    "vk",
];

// "from Booking.com", "via trustpilot.co.uk".
static FROM_DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:from|via|through)\s+(?P<v>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|de|fr|es|it|nl|pl|eu|ru|uk|app))\b")
        .expect("valid regex")
});

static FROM_CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:from|via|through)\s+(?:a\s+|an\s+)?(?P<v>[a-z]+)(?:\s+(?:ads?|campaign|form|page|lead\s+form|call))?\b")
        .expect("valid regex")
});

// Words that may follow a field's value and are no part of it.
const NAME_ENDS: &[&str] = &[
    "with",
    "and",
    "or",
    "but",
    "over",
    "under",
    "above",
    "below",
    "worth",
    "of",
    "is",
    "are",
    "was",
    "were",
    "comes",
    "come",
    "came",
    "arrives",
    "arrive",
    "arrived",
    "gets",
    "get",
    "got",
    "has",
    "have",
    "had",
    "for",
    "from",
    "in",
    "on",
    "at",
    "to",
    "into",
    "via",
    "through",
    "that",
    "which",
    "who",
    "whose",
    "then",
    "when",
    "if",
    "once",
    "as",
    "by",
    "lands",
    "landed",
    "is",
    "becomes",
    "turns",
    "goes",
    "moves",
    "should",
    "must",
    "will",
    "please",
    "only",
    "too",
    "also",
    "again",
    "now",
    "today",
    "created",
    "added",
    "won",
    "lost",
    "converted",
    "updated",
    "changed",
    "edited",
    "paid",
    "approved",
    "completed",
    "done",
];

// "with the type Partner", "with the industry 'Healthcare'", "with source Yell", "with
// source Realtor.com": a field the catalog knows and its value, as written.
static WITH_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:with|from|of|having)\s+(?:the\s+|a\s+|an\s+|its\s+)?(?P<field>type|industry|source|currency|status|stage|category)\s*:?\s+(?:of\s+|is\s+|=\s*)?(?P<v>\x01\d+\x02|[a-z][\w-]*(?:\.[a-z]{2,})?(?:\s+[a-z][\w-]*){0,2})")
        .expect("valid regex")
});

/// Conditions written inside an event clause, each with where it was read: a source
/// ("from Facebook", "from the source 'Partner portal'"), a currency ("won in EUR"), a
/// field and value ("with the industry Healthcare"). A value written without quotes must
/// be capitalised, as a name is: "with the type partner" could be a description.
pub(in crate::nl::offline) fn in_event(
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
        // Capitalised words only, as written: "the type Partner". A portal's starting
        // source is known by its name in any case ("with source website": crm
        // `CCrmStatus::GetDefaultSources`), the longest name first, and a known name
        // longer than the capitalised words is the whole name: "source Web form" is the
        // web form, not the website.
        let orig = clause.orig_at(v.range());
        let all_words: Vec<&str> = orig.split_whitespace().collect();
        let known_source = (1..=all_words.len().min(2))
            .rev()
            .map(|n| &all_words[..n])
            .find(|ws| field.as_str() == "source" && catalog::source_id(&ws.join(" ")).is_some());
        let capitalised: Vec<&str> = orig
            .split_whitespace()
            .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
            .collect();
        let name: Vec<&str> = match known_source {
            Some(ws) if ws.len() > capitalised.len() => ws.to_vec(),
            _ => capitalised,
        };
        // "with source Partner portal": a plain noun right after the name may go on it
        // (the source may be "Partner portal"); the value is left unread, to be asked
        // about, rather than cut short.
        let goes_on = all_words.get(name.len()).is_some_and(|w| {
            let lower = w.to_ascii_lowercase();
            w.chars().all(|c| c.is_ascii_lowercase())
                && !NAME_ENDS.contains(&lower.as_str())
                && !words::has_action_verb(&lower)
        });
        let value = if let Some(t) = token_text(v.as_str(), tokens) {
            t
        } else if name.is_empty() || goes_on {
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
            let kept: usize = name.iter().map(|w| w.len() + 1).sum();
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
    // "a new lead whose source is Facebook": a condition on the record's own field. After
    // a possessive, an equality with a lowercase value ("a deal's stage is changed to
    // ...", "its amount is updated") is the event itself, not a condition: a value
    // written without quotes must be a name or a number, and a record's stage is the
    // stage event's own.
    if let Some(c) = WHOSE.captures(&clause.lower)
        && let Some(m) = c.get(0)
    {
        let rest = clause.tail(m.end());
        if let Some(p) = parse(&rest, tokens).filter(|p| {
            let named = p
                .condition
                .value
                .chars()
                .next()
                .is_some_and(|ch| ch.is_uppercase() || ch.is_ascii_digit())
                && !crate::nl::offline::lexicon::is_event_word(&p.condition.value);
            c.name("record").is_none()
                || !matches!(p.condition.field.as_str(), "STAGE_ID" | "STATUS_ID")
                    && (!matches!(p.condition.operator.as_str(), "=" | "!=") || named)
        }) {
            let end = p.rest.map_or(clause.lower.len(), |r| m.end() + r);
            out.push((p.condition, m.start()..end));
        }
    }
    // "in the Pharmaceuticals industry", "a Client-type contact": a value as written,
    // capitalised as a name is, or quoted.
    for caps in NAMED_FIELD
        .captures_iter(&clause.lower)
        .chain(HYPHEN_FIELD.captures_iter(&clause.lower))
    {
        let (Some(v), Some(f), Some(all)) = (caps.name("v"), caps.name("field"), caps.get(0))
        else {
            continue;
        };
        let written = clause.orig_at(v.range());
        let value = match token_text(v.as_str(), tokens) {
            Some(t) => t,
            None if written
                .split_whitespace()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase)) =>
            {
                written.to_owned()
            }
            None => continue,
        };
        if let Some(id) = named_field(f.as_str())
            && !out.iter().any(|(c, _)| c.field == id)
        {
            out.push((cond(id, value), all.range()));
        }
    }
    // "with 'fleet' in the title": a quote in a field the catalog knows.
    for caps in WITH_IN.captures_iter(&clause.lower) {
        let (Some(v), Some(f), Some(all)) = (caps.name("v"), caps.name("field"), caps.get(0))
        else {
            continue;
        };
        if let (Some(value), Some(id)) = (
            token_text(v.as_str(), tokens),
            catalog::field_alias(f.as_str()),
        ) {
            out.push((
                Condition {
                    field: id.into(),
                    operator: "contain".into(),
                    value,
                },
                all.range(),
            ));
        }
    }
    // "with nothing in the comments", "with an empty title", "without a comment".
    for caps in WITH_EMPTY.captures_iter(&clause.lower) {
        let f = caps
            .name("field")
            .or_else(|| caps.name("f2"))
            .or_else(|| caps.name("f3"));
        let (Some(f), Some(all)) = (f, caps.get(0)) else {
            continue;
        };
        // A name called a field is the portal's field of that name ("the Website field").
        let id = catalog::field_alias(f.as_str())
            .map(str::to_owned)
            .or_else(|| {
                caps.name("called")
                    .and_then(|_| super::field_id(f.as_str()))
            })
            .or_else(|| super::lacked_field(f.as_str()).map(str::to_owned));
        if let Some(id) = id {
            out.push((
                Condition {
                    field: id,
                    operator: "empty".into(),
                    value: String::new(),
                },
                all.range(),
            ));
        }
    }
    // "contact created with a phone number": a field filled in, which the event had read
    // past.
    if clause.lower.contains("with ")
        || clause.lower.contains("has ")
        || clause.lower.contains("having ")
    {
        for caps in WITH_CHANNEL.captures_iter(&clause.lower) {
            let Some(all) = caps.get(0) else {
                continue;
            };
            // "with the Email field empty" is read with the other fields a record lacks.
            if caps.name("empty").is_some() && all.as_str().starts_with("with") {
                continue;
            }
            out.push((
                Condition {
                    field: if caps.name("phone").or(caps.name("phone_field")).is_some() {
                        "PHONE"
                    } else {
                        "EMAIL"
                    }
                    .into(),
                    operator: if caps.name("empty").is_some() {
                        "empty"
                    } else {
                        "!empty"
                    }
                    .into(),
                    value: String::new(),
                },
                all.range(),
            ));
        }
    }
    // "a new lead has no phone number", "created with an empty Email field", "with no
    // VAT Number": a field the record lacks, at the end of the event. A field the catalog
    // does not know must be called a field, be capitalised as a name is, or end in a
    // word only a field's name ends in ("no event date"): "with no reply" is no field.
    if let Some(caps) = HAS_NO.captures(&clause.lower)
        && let (Some(f), Some(all)) = (caps.name("field"), caps.get(0))
    {
        let words = f.as_str();
        let written = clause.orig_at(f.range());
        let known = catalog::field_alias(words).is_some()
            || super::AMOUNT_WORDS.contains(&words)
            || caps.name("called").is_some()
            || written
                .split_whitespace()
                .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            || words.split_whitespace().count() > 1
                && words
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| FIELD_HEADS.contains(&w));
        let lacked = caps
            .name("called")
            .is_none()
            .then(|| super::lacked_field(words))
            .flatten();
        if let Some(id) = lacked
            .map(str::to_owned)
            .or_else(|| known.then(|| super::field_id(written)).flatten())
            && !out.iter().any(|(c, _)| c.field == id)
        {
            out.push((
                Condition {
                    field: id,
                    operator: "empty".into(),
                    value: String::new(),
                },
                all.range(),
            ));
        }
    }
    // "with the Delivery Date field empty", "with the phone left blank", "with the
    // email filled in": a field's state after the record. A field the catalog does not
    // know must be called a field, or written as a name of more than one word, each with
    // a capital ("w/ Site Postcode filled in").
    for caps in WITH_FIELD_STATE.captures_iter(&clause.lower) {
        let (Some(f), Some(all)) = (caps.name("field"), caps.get(0)) else {
            continue;
        };
        let words = f.as_str();
        if caps.name("called").is_none()
            && catalog::field_alias(words).is_none()
            && !super::title_case_name(clause.orig_at(f.range()))
        {
            continue;
        }
        let Some(id) = super::field_id(words) else {
            continue;
        };
        let operator = if caps.name("filled").is_some() {
            "!empty"
        } else {
            "empty"
        };
        out.push((
            Condition {
                field: id,
                operator: operator.into(),
                value: String::new(),
            },
            all.range(),
        ));
    }
    // "from Booking.com": a web address's name is the site the record came from.
    if let Some(c) = FROM_DOMAIN.captures(&clause.lower)
        && let (Some(v), Some(all)) = (c.name("v"), c.get(0))
    {
        out.push((
            Condition {
                field: "SOURCE_ID".into(),
                operator: "=".into(),
                value: clause.orig_at(v.range()).to_owned(),
            },
            all.range(),
        ));
    }
    if !out.iter().any(|(c, _)| c.field == "SOURCE_ID")
        && let Some((c, at)) = named_source(clause, tokens)
    {
        out.push((c, at));
    }
    if !out.iter().any(|(c, _)| c.field == "SOURCE_ID")
        && let Some((c, at)) = source_before_record(clause)
    {
        out.push((c, at));
    }
    if !out.iter().any(|(c, _)| c.field == "SOURCE_ID") {
        for caps in FROM_CHANNEL.captures_iter(&clause.lower) {
            let (Some(v), Some(all)) = (caps.name("v"), caps.get(0)) else {
                continue;
            };
            // "from Partner": one of the portal's own sources, written as its name is.
            let written = clause.orig_at(v.range());
            let portal_source = written.starts_with(|c: char| c.is_ascii_uppercase())
                && catalog::source_id(v.as_str()).is_some();
            // "from JustGiving", "via GoCardless": a capital inside a word is how a
            // product's name is written; a surname's is after a prefix of its own
            // ("McDonald", "MacLeod", "DiMarco", "LaToya"), and that is asked about.
            let product = written.starts_with(|c: char| c.is_ascii_uppercase())
                && written
                    .as_bytes()
                    .windows(2)
                    .position(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
                    .is_some_and(|at| {
                        ![
                            "Mc", "Mac", "Di", "De", "Da", "Du", "La", "Le", "Van", "Von", "Fitz",
                        ]
                        .contains(&&written[..=at])
                    });
            // "new deal from partner", "from referrals": the portal's own source, in
            // lower case with no article (with one, "from a partner" may be someone).
            let bare_portal_source = ["partner", "partners", "referral", "referrals"]
                .contains(&v.as_str())
                && !all.as_str().contains(" a ")
                // "isn't from referrals" is the opposite, which a source's "=" cannot say.
                && !clause.lower[..all.start()]
                    .trim_end()
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| w.ends_with("n't") || w == "not" || w == "never");
            // "from insta", "via IG", "from fb": a network by its short name.
            let short = match v.as_str() {
                "insta" | "ig" => Some("Instagram"),
                "fb" => Some("Facebook"),
                // "from a phone call": the portal's "Call" source.
                "phone" | "telephone" => Some("Call"),
                _ => None,
            };
            if let Some(name) = short {
                out.push((cond("SOURCE_ID", name.to_owned()), all.range()));
                break;
            }
            if SOURCES.contains(&v.as_str()) || portal_source || product || bare_portal_source {
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

// "whose source is", "where its amount is", "an edited lead's comments mention": the
// record's own field follows.
static WHOSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:whose|where\s+(?:its|the|their)|where|(?P<record>deal|lead|contact|company|invoice|quote|task)'s)\s+")
        .expect("valid regex")
});

// "in the Pharmaceuticals industry", "from the 'Retail' sector", "of the Partner type": a
// field the catalog knows, named after its value.
static NAMED_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:in|from|of|within)\s+(?:the\s+|a\s+|an\s+)?(?P<v>\x01\d+\x02|[a-z][\w&-]*(?:\s+[a-z][\w&-]*){0,2}?)\s+(?P<field>industry|sector|type|category)\b")
        .expect("valid regex")
});

// "a Client-type contact", "a Retail-industry company": the value joined to its field.
static HYPHEN_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?P<v>[a-z][a-z0-9]*)-(?P<field>type|industry|sector|category)\b")
        .expect("valid regex")
});

/// The field a word names in an event: the catalog's alias, and "sector" for the
/// industry.
fn named_field(word: &str) -> Option<&'static str> {
    match word {
        "sector" => Some("INDUSTRY"),
        _ => catalog::field_alias(word),
    }
}

// "with 'fleet' in the title", "having 'VIP' in its name".
static WITH_IN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:with|having|that\s+has|which\s+has)\s+(?P<v>\x01\d+\x02)\s+(?:in|within)\s+(?:the|its|their)\s+(?P<field>[a-z]+)\b")
        .expect("valid regex")
});

// "with nothing in the comments", "with nothing in the Website field", "with no comment",
// "with an empty title", "without a comment": a field the catalog knows, empty.
static WITH_EMPTY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:with\s+nothing\s+in\s+(?:the|its|their)\s+(?P<field>[a-z]+)(?P<called>\s+field\b)?|with\s+(?:an\s+empty|a\s+blank|empty|blank|no)\s+(?P<f2>[a-z]+)|without\s+(?:(?:a|an|any)\s+)?(?P<f3>[a-z]+))\b(?:\s+(?:attached|linked)\b)?")
        .expect("valid regex")
});

// "created with a phone number", "a contact with an email address", "it now has a phone
// number", "a new lead has the Phone field filled": the record's own channel, there
// ("has the Phone field empty": not there).
static WITH_CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:with|having|that\s+has|which\s+has|(?:now\s+|already\s+|finally\s+)?has)\s+(?:(?:a|an)\s+(?:(?P<phone>(?:phone|mobile|cell)(?:\s+number)?)|(?P<email>e-?mail(?:\s+address)?))\b|the\s+(?:(?P<phone_field>phone|mobile)|(?P<email_field>e-?mail))(?:\s+field)?\s+(?:filled(?:\s+in)?|(?P<empty>empty|blank))\b)")
        .expect("valid regex")
});

// "has no phone number", "with an empty Email field", "with no VAT Number filled in",
// "without a Tax Number": a field the record lacks, as the event's last words.
static HAS_NO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?:with|has|have|having)\s+(?:no|an?\s+empty|an?\s+blank|empty|blank)|without(?:\s+(?:an?|any))?)\s+(?P<field>[a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9-]*){0,2}?)(?P<called>\s+field)?(?:\s+(?:filled\s+in|entered|set|yet|on\s+file|attached|linked|on\s+it))?(?:\s+(?:please|pls))?\s*$")
        .expect("valid regex")
});

/// The last words of a field's name that no reply, person or thing ends in: "no event
/// date", "no delivery address".
const FIELD_HEADS: &[&str] = &["date", "number", "address", "postcode", "code", "id"];

// "with the Delivery Date field empty", "with its phone left blank", "with the email
// field filled in".
static WITH_FIELD_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bwith\s+(?:the\s+|its\s+|their\s+|an?\s+)?(?P<field>[a-z][a-z0-9-]*(?:\s+[a-z][a-z0-9-]*){0,2}?)(?P<called>\s+field)?\s+(?:left\s+)?(?:(?P<empty>empty|blank|missing|unfilled|not\s+filled(?:\s+in)?)|(?P<filled>filled(?:\s+in)?|completed))\b")
        .expect("valid regex")
});

// "from the Webinar source", "via the 'Trade fair' source": a source named before the
// word "source".
static NAMED_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:from|via|through|with)\s+(?:the\s+|a\s+|an\s+|our\s+)?(?P<v>\x01\d+\x02|[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}?)\s+source\b")
        .expect("valid regex")
});

// The channels a lead or deal comes in through, as the head of a phrase: "from the
// Trade fair", "through the car configurator", "from the Partner portal", "comes in off
// the website", "from the web", "from the web form" (the portal's CRM form source),
// "created from email" (the portal's E-mail source).
static CHANNEL_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:from|via|through|off)\s+(?:the\s+|a\s+|an\s+|our\s+)?(?P<v>(?:[a-z][\w-]*\s+){0,2}?(?P<head>website|web\s+site|web\s+form|online\s+form|web|site|portal|fair|trade\s+show|expo|exhibition|webinar|configurator|landing\s+page|campaign|newsletter|marketplace|chatbot|widget|referral|e-?mail))\b")
        .expect("valid regex")
});

// "a new website lead", "every website deal", "an incoming phone enquiry", "lead comes
// in by phone", "comes in by email": the channel a record came through, said of the
// record itself. After
// "new", "every" or an article only, so "phone lead 'X'" stays an order to phone; a
// referral or a partner only after "new" ("a note on a referral deal" may be a kind of
// deal, as a vet's referral is).
static SOURCE_BEFORE_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?:(?:new|incoming|inbound|fresh)\s+(?P<kind>referral|referred|partner)|(?:new|incoming|inbound|fresh|every|each|any|all|an?|the)\s+(?:new\s+|incoming\s+|inbound\s+)?(?P<v>web(?:site)?|web\s+site|phone|telephone|phone-in|facebook|fb|instagram|insta|linkedin|tiktok|google))\s+(?:leads?|deals?|enquir(?:y|ies)|inquir(?:y|ies)|contacts?|compan(?:y|ies)|bookings?|jobs?|cases?)|\b(?:in|created|arrives?|arrived|received)\s+(?:by|over\s+the|via)\s+(?P<by>phone|telephone|e-?mail))\b")
        .expect("valid regex")
});

/// [`SOURCE_BEFORE_RECORD`] as the portal's source: the network by its name, the rest
/// by the names the portal gives its starting sources (crm
/// `CCrmStatus::GetDefaultSources`).
fn source_before_record(clause: &Clause) -> Option<(Condition, std::ops::Range<usize>)> {
    let caps = SOURCE_BEFORE_RECORD.captures(&clause.lower)?;
    let all = caps.get(0)?;
    let said = caps.name("v").or(caps.name("kind")).or(caps.name("by"))?;
    let value = match said.as_str() {
        "web" | "website" | "web site" => "Website",
        "referral" | "referred" => "Referral",
        "partner" => "Partner",
        "phone" | "telephone" | "phone-in" => "Call",
        "facebook" | "fb" => "Facebook",
        "instagram" | "insta" => "Instagram",
        "linkedin" => "LinkedIn",
        "tiktok" => "TikTok",
        "email" | "e-mail" => "E-mail",
        _ => "Google",
    };
    let condition = Condition {
        field: "SOURCE_ID".into(),
        operator: "=".into(),
        value: value.to_owned(),
    };
    Some((condition, said.start()..all.end()))
}

// A website is the one source the portal names "Website", whoever's site it is.
const WEBSITE_HEADS: &[&str] = &["website", "web site", "web", "site"];

/// A source named in an event by the word "source" or by a channel it came through,
/// with where it was read. A source written without quotes before "source" must be
/// capitalised, as a name is; a channel's name is its words as written, capitalised, and
/// any website is "Website".
fn named_source(clause: &Clause, tokens: &[Token]) -> Option<(Condition, std::ops::Range<usize>)> {
    let cond = |value: String| Condition {
        field: "SOURCE_ID".into(),
        operator: "=".into(),
        value,
    };
    if let Some(caps) = NAMED_SOURCE.captures(&clause.lower) {
        let (v, all) = (caps.name("v")?, caps.get(0)?);
        if let Some(t) = token_text(v.as_str(), tokens) {
            return Some((cond(t), all.range()));
        }
        let written = clause.orig_at(v.range());
        // "from a partner source": one of the portal's own, whatever its case.
        if written.chars().next().is_some_and(char::is_uppercase)
            || catalog::source_id(written).is_some()
        {
            return Some((cond(written.to_owned()), all.range()));
        }
    }
    let caps = CHANNEL_PHRASE.captures(&clause.lower)?;
    let (v, head, all) = (caps.name("v")?, caps.name("head")?, caps.get(0)?);
    let written = clause.orig_at(v.range());
    // "from source Partner portal": the word "source" names the field, not the channel.
    let written = written
        .strip_prefix("source ")
        .or_else(|| written.strip_prefix("Source "))
        .unwrap_or(written);
    // "from our partner's portal": a person's channel is not a source name.
    if written.contains('\'') || written.contains('\x01') {
        return None;
    }
    let modifiers = &written[..written.len() - head.as_str().len()];
    let value =
        if WEBSITE_HEADS.contains(&head.as_str()) && !modifiers.chars().any(char::is_uppercase) {
            "Website".to_owned()
        } else if modifiers.is_empty() && ["email", "e-mail"].contains(&head.as_str()) {
            "E-mail".to_owned()
        } else {
            crate::nl::offline::text::capitalize(written)
        };
    Some((cond(value), all.range()))
}

/// The text of a token marker such as `\x01 3 \x02`, if `s` is one.
fn token_text(s: &str, tokens: &[Token]) -> Option<String> {
    let index: usize = s.trim_matches(['\x01', '\x02']).parse().ok()?;
    tokens.get(index).map(|t| t.text.clone())
}
