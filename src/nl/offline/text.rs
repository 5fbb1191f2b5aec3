//! Spec text preparation: quoted strings and URLs become opaque tokens, whitespace is
//! collapsed, and the text is cut into clauses.
//!
//! Invariants: a token is `\x01<index>\x02`, so nothing inside a quote or a URL can be
//! mistaken for a separator or a keyword. Every [`Clause`] holds the original-case text
//! and an ASCII-lowercased copy with identical byte offsets, so a match found in
//! `lower` can be cut out of `orig` with the same range.

use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// Text the author put in quotes.
    Quote,
    /// An `http(s)://` address.
    Url,
}

/// A quoted string or URL lifted out of the spec.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) kind: TokenKind,
    pub(super) text: String,
}

/// One clause of the spec, in original case and lowercased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Clause {
    pub(super) orig: String,
    pub(super) lower: String,
}

impl Clause {
    pub(super) fn new(orig: &str) -> Clause {
        let orig = orig.trim().to_owned();
        let lower = orig.to_ascii_lowercase();
        Clause { orig, lower }
    }

    /// The clause from byte `start` on.
    pub(super) fn tail(&self, start: usize) -> Clause {
        Clause::new(self.orig.get(start..).unwrap_or_default())
    }

    /// The clause up to byte `end`.
    pub(super) fn head(&self, end: usize) -> Clause {
        Clause::new(self.orig.get(..end).unwrap_or_default())
    }

    /// The original-case text of a range found in `lower`.
    pub(super) fn orig_at(&self, range: std::ops::Range<usize>) -> &str {
        self.orig.get(range).unwrap_or_default()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }
}

/// The spec with its tokens lifted out.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    /// The text with tokens in place of quotes and URLs, whitespace collapsed.
    pub(super) text: String,
    pub(super) tokens: Vec<Token>,
}

/// Matches a token marker; group 1 is its index.
pub(super) static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\x01(\d+)\x02").expect("valid regex"));

static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bhttps?://[^\s\x01\x02]+").expect("valid regex"));

// Clause separators: sentence ends, commas, "and"/"then", arrows, dashes, new lines,
// and brackets: a parenthesis is an aside, which must be placed (or asked about) as a
// clause of its own, never read into the value or phrase before it.
// Order matters: the leftmost-first alternation takes ", and then" before ",".
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \s*[.;!?]+(?:\s+|$)
        | \s*,\s*(?:and\s+then\s+|and\s+also\s+|and\s+|then\s+|also\s+|plus\s+)?
        | \s+(?:and\s+then|and\s+also|and|then|plus|also|as\s+well\s+as|after\s+that|afterwards)\s+
        | \s*(?:->|=>|\x{2192}|\x{2014}|\x{2013})\s*
        | \s+[+&]\s+
        | \s+-\s+
        | \s*\n\s*
        | \s*[()\[\]]\s*
        | (?:^|\s+)\d{1,2}[.)]\s+
        ",
    )
    .expect("valid regex")
});

// Words that open a trigger or condition clause in the middle of a sentence, as in
// "Create a task for the manager when a new lead is created".
static INTRODUCER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\s(?:when|whenever|once|as\s+soon\s+as|if|every\s+time|each\s+time|any\s+time|anytime|in\s+case|after\s+(?:a|an|the|we|our|every|each|any|someone)\b)\s",
    )
    .expect("valid regex")
});

// "i.e." and "e.g." (with or without dots, with an optional comma) open an aside. Their
// dots must not read as sentence ends, so the marker is rewritten to a plain word that
// starts its own clause: `ASIDE_RESTATES` or `ASIDE_EXAMPLE`.
static ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[,(]\s*|\s)(?:(?P<ie>\bi\.\s?e\.|\bi\.e\b|\bie,|\bin\s+other\s+words\b,?)|(?P<eg>\be\.\s?g\.|\be\.g\b|\beg,|\bfor\s+(?:example|instance)\b,?))\s*,?\s*",
    )
    .expect("valid regex")
});

// Telegraphic stage moves: "deal -> 'Negotiation' stage", "deal stage → 'Won'": an
// arrow from a deal to a stage (a quoted name or the word "stage") says it moves there.
static DEAL_ARROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<deal>deals?|opportunit(?:y|ies))(?:'s)?(?:\s+stage)?\s*(?:->|=>|\x{2192})\s*(?P<to>(?:the\s+)?stage\b|\x01\d+\x02)",
    )
    .expect("valid regex")
});

// "the day after a quote is sent", "3 days after the deal is won": a delay counted from
// the event, which the event clause that follows must not take with it.
static TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<n>the|a|one|\d+|two|three|four|five|six|seven|ten|fourteen|thirty)\s+(?P<unit>days?|weeks?|hours?)\s+(?:after|following)\b",
    )
    .expect("valid regex")
});

// Politeness and framing before the request itself: "Is it possible to text the
// customer when ...", "Could we have it so that when ...".
static OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:(?:hi|hello|hey)\s*[,!]?\s+)?(?:(?:can|could|would)\s+(?:you|we|i)\s+(?:get|have|make)\s+(?:the\s+)?(?:system|crm|b24flow|bitrix24|bitrix|portal)\s+to|(?:can|could|would|should)\s+(?:the\s+)?(?:system|crm|b24flow|bitrix24|bitrix|portal)|is\s+there\s+a\s+way\s+to|how\s+(?:do|can|would)\s+(?:i|we)(?:\s+make\s+it\s+so(?:\s+that)?)?|is\s+it\s+possible|would\s+it\s+be\s+possible|can\s+(?:you|we|b24flow)|could\s+(?:you|we)|would\s+you|i'?d\s+like(?:\s+you)?|we'?d\s+like(?:\s+you)?|i\s+(?:want|need)(?:\s+you)?|we\s+(?:want|need)(?:\s+you)?|please)\s+(?:to\s+)?(?:(?:have|set|make)\s+it\s+(?:up\s+)?so\s+that\s+|please\s+)?",
    )
    .expect("valid regex")
});

// A thousands separator inside a number, which must not cut the clause: "15,000".
static THOUSANDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d),(\d{3})\b").expect("valid regex"));

// A thin-space or space thousands separator, as many Europeans write: "10 000",
// "1 000 000". Only groups of exactly three digits after a number of one to three.
static SPACED_THOUSANDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d{1,3}(?:[ \x{a0}\x{202f}]\d{3})+\b").expect("valid regex"));

// Words people commonly misspell, as they are meant. A fixed list, not a fuzzy match, so
// a real word is never "corrected" into another.
const TYPOS: &[(&str, &str)] = &[
    ("emial", "email"),
    ("emal", "email"),
    ("e-mial", "e-mail"),
    ("notfy", "notify"),
    ("nofity", "notify"),
    ("notifiy", "notify"),
    ("recieved", "received"),
    ("recieve", "receive"),
    ("recieves", "receives"),
    ("assing", "assign"),
    ("asign", "assign"),
    ("asigned", "assigned"),
    ("mesage", "message"),
    ("messsage", "message"),
    ("whatsap", "whatsapp"),
    ("watsapp", "whatsapp"),
    ("remider", "reminder"),
    ("reminer", "reminder"),
    ("shedule", "schedule"),
    ("invocie", "invoice"),
    ("invioce", "invoice"),
    ("conatct", "contact"),
    ("contcat", "contact"),
    ("cleint", "client"),
    ("clinet", "client"),
    ("custmer", "customer"),
    ("costumer", "customer"),
    ("manger", "manager"),
    ("maneger", "manager"),
    ("compnay", "company"),
    ("notifcation", "notification"),
    ("notificaton", "notification"),
    ("taks", "task"),
    ("tsak", "task"),
    ("oportunity", "opportunity"),
    ("opportunty", "opportunity"),
    ("convereted", "converted"),
    ("wen", "when"),
    ("creatd", "created"),
    ("crated", "created"),
    ("adress", "address"),
    ("recieving", "receiving"),
];

/// `text` with the misspellings in [`TYPOS`] corrected, whole words only.
fn correct_typos(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let lower = word.to_ascii_lowercase();
        match TYPOS.iter().find(|(typo, _)| *typo == lower) {
            Some((_, right)) => out.push_str(right),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphabetic() || c == '-' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The word an aside that restates what came before starts with, once prepared.
pub(super) const ASIDE_RESTATES: &str = "ie_aside";
/// The word a bracketed aside starts with, once prepared: "(deal won)".
pub(super) const ASIDE_BRACKET: &str = "paren_aside";
/// The word an aside that gives an example starts with, once prepared.
pub(super) const ASIDE_EXAMPLE: &str = "eg_aside";

/// The longest quote, in characters, that is lifted out as a token.
const QUOTE_MAX: usize = 2000;

const OPENERS: &[(char, char)] = &[
    ('"', '"'),
    ('\u{201c}', '\u{201d}'),
    ('\u{201e}', '\u{201c}'),
    ('\u{ab}', '\u{bb}'),
];

/// Lifts quotes and URLs out of `text` and collapses whitespace.
pub(super) fn prepare(text: &str) -> Prepared {
    // The token markers must only ever come from here.
    let text = text.replace(['\x01', '\x02'], " ");
    let text = OPENER.replace(&text, "");
    let mut tokens = Vec::new();
    let quoted = lift_quotes(&text, &mut tokens);
    let mut out = String::with_capacity(quoted.len());
    let mut last = 0;
    for m in URL.find_iter(&quoted) {
        let url = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']']);
        out.push_str(&quoted[last..m.start()]);
        push_token(&mut out, &mut tokens, TokenKind::Url, url);
        last = m.start() + url.len();
    }
    out.push_str(&quoted[last..]);
    let out = SPACED_THOUSANDS.replace_all(&out, |c: &regex::Captures<'_>| {
        c[0].chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    });
    let out = correct_typos(&THOUSANDS.replace_all(&out, "$1$2"));
    // Both rewrites need a word they look for; most specs have neither.
    let out = if out.contains("->") || out.contains("=>") || out.contains('\u{2192}') {
        DEAL_ARROW
            .replace_all(&out, "$deal moves to $to")
            .into_owned()
    } else {
        out
    };
    let lower = out.to_ascii_lowercase();
    let out = if lower.contains("after") || lower.contains("following") {
        TIME_AFTER
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let n = c["n"].to_ascii_lowercase();
                if ["the", "a", "one"].contains(&n.as_str())
                    && c["unit"].eq_ignore_ascii_case("day")
                {
                    "tomorrow after".to_owned()
                } else {
                    format!("in {} {} after", &c["n"], &c["unit"])
                }
            })
            .into_owned()
    } else {
        out
    };
    let out = ASIDE.replace_all(&out, |c: &regex::Captures<'_>| {
        if c.name("ie").is_some() {
            format!("; {ASIDE_RESTATES} ")
        } else {
            format!("; {ASIDE_EXAMPLE} ")
        }
    });
    // The brackets an "i.e."/"e.g." did not open: their aside is marked too, so that
    // what it explains can be known.
    let out = out.replace('(', &format!("; {ASIDE_BRACKET} "));
    let text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    Prepared { text, tokens }
}

fn push_token(out: &mut String, tokens: &mut Vec<Token>, kind: TokenKind, text: &str) {
    // Writing to a String cannot fail.
    let _ = write!(out, " \x01{}\x02 ", tokens.len());
    tokens.push(Token {
        kind,
        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
    });
}

fn is_boundary_before(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "([:=,".contains(c))
}

fn is_boundary_after(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || ".,;:!?)]".contains(c))
}

/// Replaces quoted strings with tokens. Single quotes count only at word boundaries, so
/// the apostrophes in "client's" or "don't" are left alone.
fn lift_quotes(text: &str, tokens: &mut Vec<Token>) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let closer = OPENERS.iter().find(|(o, _)| *o == c).map(|(_, cl)| *cl);
        // Quotes longer than QUOTE_MAX characters are not looked for, which keeps text
        // full of unmatched quote marks linear.
        let window = chars.len().min(i + QUOTE_MAX);
        let found = if let Some(closer) = closer {
            chars[i + 1..window]
                .iter()
                .position(|(_, d)| *d == closer)
                .map(|p| i + 1 + p)
        } else if (c == '\'' || c == '\u{2018}') && is_boundary_before(prev) {
            let closers: &[char] = if c == '\'' {
                &['\'']
            } else {
                &['\u{2019}', '\'']
            };
            (i + 2..window).find(|&j| {
                closers.contains(&chars[j].1)
                    && !chars[j - 1].1.is_whitespace()
                    && is_boundary_after(chars.get(j + 1).map(|(_, c)| *c))
            })
        } else {
            None
        };
        match found {
            Some(end) if end > i + 1 => {
                let inner = &text[chars[i + 1].0..chars[end].0];
                push_token(&mut out, tokens, TokenKind::Quote, inner);
                i = end + 1;
            }
            _ => {
                // A typographic apostrophe inside a word reads as a plain one.
                if c == '\u{2019}' {
                    out.push('\'');
                } else {
                    out.push(c);
                }
                i += 1;
            }
        }
    }
    out
}

/// Cuts prepared text into clauses: at separators first, then before a mid-sentence
/// "when"/"if"/"once"/..., so that "Notify the team when a deal is lost" gives an action
/// clause and a trigger clause.
pub(super) fn clauses(text: &str) -> Vec<Clause> {
    let mut out = Vec::new();
    for part in SEPARATOR.split(text) {
        let mut start = 0;
        for m in INTRODUCER.find_iter(&part.to_ascii_lowercase()) {
            push_clause(&mut out, &part[start..m.start()]);
            start = m.start();
        }
        push_clause(&mut out, &part[start..]);
    }
    out
}

fn push_clause(out: &mut Vec<Clause>, s: &str) {
    let c = Clause::new(s.trim_matches(|c: char| c.is_whitespace() || c == ':' || c == ','));
    if !c.is_empty() {
        out.push(c);
    }
}

/// `s` with every token marker replaced by what it stands for: a quote in quotes, a URL
/// as written.
pub(super) fn restore(s: &str, tokens: &[Token]) -> String {
    let restored = TOKEN.replace_all(s, |c: &regex::Captures<'_>| {
        let token = c[1].parse::<usize>().ok().and_then(|i| tokens.get(i));
        match token {
            Some(t) if t.kind == TokenKind::Quote => format!("'{}'", t.text),
            Some(t) => t.text.clone(),
            None => String::new(),
        }
    });
    restored.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The token index a clause-relative token marker at the start of `s` refers to.
pub(super) fn leading_token(s: &str) -> Option<(usize, usize)> {
    let m = TOKEN.captures(s)?;
    let whole = m.get(0)?;
    if !s[..whole.start()].trim().is_empty() {
        return None;
    }
    let index = m.get(1)?.as_str().parse().ok()?;
    Some((index, whole.end()))
}

/// Upper-cases the first letter.
pub(super) fn capitalize(s: &str) -> String {
    let s = s.trim();
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `UPPER_SNAKE` from a friendly name: "Final invoice" -> `FINAL_INVOICE`.
pub(super) fn upper_snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_urls_become_tokens() {
        let p = prepare(
            "Send 'Don't wait!' to the client's phone, then post to https://x.io/h?a=1. Done",
        );
        assert_eq!(p.tokens.len(), 2);
        assert_eq!(p.tokens[0].text, "Don't wait!");
        assert_eq!(p.tokens[1].kind, TokenKind::Url);
        assert_eq!(p.tokens[1].text, "https://x.io/h?a=1");
        assert!(p.text.contains("client's"));
    }

    /// Unmatched quotes once made quote lifting quadratic. A wall-clock limit fails on a
    /// busy machine, so this compares growth instead: four times the input must take
    /// well under sixteen times as long (linear work takes about four).
    #[test]
    fn unmatched_quotes_stay_linear() {
        let input = |n: usize| " 'a".repeat(n) + &"\u{201c}x".repeat(n);
        let fastest = |text: &str| {
            (0..3)
                .map(|_| {
                    let start = std::time::Instant::now();
                    assert!(prepare(text).tokens.is_empty());
                    start.elapsed()
                })
                .min()
                .expect("three runs")
        };
        let small = fastest(&input(1_000));
        let large = fastest(&input(4_000));
        assert!(
            large < small * 10,
            "{small:?} for 1,000 pairs, {large:?} for 4,000"
        );
        let p = prepare("fake \x010\x02 token");
        assert!(p.tokens.is_empty() && !p.text.contains('\x01'));
    }

    #[test]
    fn curly_quotes_are_tokens() {
        let p = prepare(
            "add a comment \u{201c}Hi, there\u{201d} and \u{2018}We\u{2019}re on it\u{2019}",
        );
        assert_eq!(p.tokens[0].text, "Hi, there");
        assert_eq!(p.tokens[1].text, "We\u{2019}re on it");
    }

    #[test]
    fn clauses_split_at_separators_and_introducers() {
        let c = clauses("Notify the sales team when a deal is lost and create a review task");
        let texts: Vec<_> = c.iter().map(|c| c.orig.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Notify the sales team",
                "when a deal is lost",
                "create a review task"
            ]
        );
    }

    #[test]
    fn names_become_upper_snake() {
        assert_eq!(upper_snake("Final invoice"), "FINAL_INVOICE");
        assert_eq!(upper_snake("C2:WON"), "C2:WON");
    }
}
