//! Word-level helpers shared by the offline parser: the imperative verbs that start an
//! action, and reading a short phrase after a position ("to the sales team", "to the
//! Negotiation stage") up to the first word that cannot belong to it.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

use super::text::{Clause, TOKEN};

// Imperative verbs that start an action. Only base forms: "when someone sends" or "is
// booked" must not read as an instruction. A verb ends where the word does, and a letter
// outside ASCII goes on the word ("Letícia" is no "let").
static ACTION_VERB: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:send|notify|alert|inform|tell|message|text|email|e-mail|whatsapp|sms|create|add|make|open|generate|issue|raise|prepare|draft|set|update|change|modify|edit|fill|assign|reassign|move|shift|advance|push|tag|untag|remove|delete|drop|schedule|book|arrange|call|phone|ring|remind|post|log|leave|write|ping|fire|hit|mark|transfer|hand|give|put|warn|escalate|let|trigger|increase|decrease|lower|congratulate|thank|welcome|greet|pass|route|organi[sz]e|ask|postpone|delay|extend|defer|reschedule|bump|sync|forward|submit|export|draw|spin|stamp|jot|flag|spawn|mirror)(?:$|[^\w\x{80}-\x{10FFFF}])",
    )
    .expect("valid regex")
});

/// Whether `lower` contains an imperative action verb.
pub(super) fn has_action_verb(lower: &str) -> bool {
    ACTION_VERB.is_match(lower)
}

/// The byte offset of the first imperative action verb in `lower` at or after `from`.
pub(super) fn first_action_verb(lower: &str, from: usize) -> Option<usize> {
    // "a task is set up", "the meeting gets booked": a verb after a form of "be" is
    // part of the event, not an order.
    ACTION_VERB
        .find_iter(&lower[from.min(lower.len())..])
        .map(|m| from + m.start())
        .find(|&at| {
            let before = lower[..at].trim_end();
            // The word before, after its last space (the whole text when there is none).
            let last = before.rsplit_once(' ').map_or(before, |(_, w)| w);
            // After an article or "or" it is a noun: "logs an e-mail or call", "a call";
            // after "by", "via" or "from" it is the channel: "a quote accepted by phone",
            // "a contact created from email"; after
            // "source" it is the source's name: "with source Phone"; after "no", "without" or an
            // "empty" before it it is a field that is not filled in: "a lead with no phone
            // number", "with an empty Email field" (not "the field is empty create a task").
            let attributive = matches!(last, "empty" | "blank")
                && before[..before.len() - last.len()]
                    .split_whitespace()
                    .next_back()
                    .is_some_and(|w| ["a", "an", "with", "has", "have", "having"].contains(&w));
            // Only "with source", not "the Referral source tag it".
            let named_source = last == "source"
                && before[..before.len() - last.len()]
                    .split_whitespace()
                    .next_back()
                    .is_some_and(|w| ["with", "from", "via"].contains(&w));
            // "from a phone call": a call by the way it is made is a noun.
            let noun_call = lower[at..].starts_with("call")
                && ["phone", "video", "zoom", "intro", "discovery"].contains(&last);
            !noun_call
                && ![
                    "is", "are", "was", "were", "be", "been", "gets", "get", "got", "being", "a",
                    "an", "the", "or", "any", "every", "each", "by", "via", "per", "over", "no",
                    "without", "from", "through",
                ]
                .contains(&last)
                && !attributive
                && !named_source
        })
}

/// Titles written before a name with a dot ("Dr. Patel", "Capt. Reyes"): the dot is part
/// of the name, and ends no sentence.
pub(super) const TITLES: &[&str] = &[
    "Dr", "Mr", "Mrs", "Ms", "Prof", "Capt", "Cpt", "Col", "Maj", "Lt", "Sgt", "Rev", "Fr",
];

/// One whitespace-separated word of a clause, without surrounding punctuation.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word<'a> {
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// The words of `clause` from byte `from` on, in original case.
pub(super) fn words_from(clause: &Clause, from: usize) -> impl Iterator<Item = Word<'_>> {
    let s = clause.orig.get(from..).unwrap_or_default();
    s.split_whitespace().filter_map(move |w| {
        let offset = w.as_ptr() as usize - s.as_ptr() as usize;
        // "Dr." keeps its dot: it is part of the name ("Dr. Owens").
        let opened = w.trim_start_matches(|c: char| "([".contains(c));
        let trimmed = match opened.strip_suffix('.') {
            Some(title) if TITLES.contains(&title) => opened,
            _ => w.trim_matches(|c: char| ",.;:!?()[]".contains(c)),
        };
        if trimmed.is_empty() {
            return None;
        }
        // `trimmed` is a slice of `w`: where it starts, without searching for it.
        let lead = trimmed.as_ptr() as usize - w.as_ptr() as usize;
        let start = from + offset + lead;
        Some(Word {
            text: trimmed,
            start,
            end: start + trimmed.len(),
        })
    })
}

/// The first word at or after byte `from`.
pub(super) fn word_at(clause: &Clause, from: usize) -> Option<Word<'_>> {
    words_from(clause, from).next()
}

/// A phrase read after a position.
#[derive(Debug, Clone)]
pub(super) struct Phrase<'a> {
    /// The words, original case.
    pub(super) words: Vec<&'a str>,
    /// The index of a token (quote or URL) that opened the phrase instead of words.
    pub(super) token: Option<usize>,
    /// Where the phrase ends.
    pub(super) end: usize,
}

impl Phrase<'_> {
    pub(super) fn text(&self) -> String {
        self.words.join(" ")
    }
}

/// Words that end a phrase naming a stage.
pub(super) const STAGE_STOPS: &[&str] = &[
    "and",
    "then",
    "when",
    "if",
    "once",
    "with",
    "for",
    "by",
    "after",
    "before",
    "or",
    "but",
    "stage",
    "status",
    "column",
    "phase",
    "pipeline",
    "in",
    "on",
    "so",
    "because",
    "please",
    "kindly",
    // "moves to Tasting Scheduled never ring the café": what is said of the order after it.
    "never",
    "always",
    "don't",
    "dont",
    "also",
    "immediately",
    "automatically",
];

/// Words that end a phrase naming a person or group.
pub(super) const PERSON_STOPS: &[&str] = &[
    "about",
    "saying",
    "subject",
    "that",
    "which",
    "who",
    "with",
    "when",
    "whenever",
    "if",
    "once",
    "by",
    "in",
    "on",
    "at",
    "to",
    "asking",
    "telling",
    "regarding",
    "re",
    "via",
    "through",
    "using",
    "tomorrow",
    "today",
    // "for the technician the next day": a time, not part of who.
    "next",
    "following",
    "within",
    "due",
    "titled",
    "called",
    "named",
    "and",
    "or",
    "then",
    "for",
    "from",
    "immediately",
    "now",
    "right",
    "straight",
    "automatically",
    "urgently",
    "asap",
    "as",
    "because",
    "so",
    "reading",
    "stating",
    "informing",
    "letting",
    "know",
    "too",
    "also",
    "please",
    "after",
    "before",
    "until",
    "containing",
    "including",
    "back",
];

/// Reads up to `max` words after byte `from`, stopping at a word in `stops`, at a verb
/// that starts another instruction, or at a token. A token right at the start becomes
/// the phrase's `token`.
pub(super) fn phrase_after<'a>(
    clause: &'a Clause,
    from: usize,
    stops: &[&str],
    max: usize,
) -> Phrase<'a> {
    let mut words = Vec::new();
    let mut end = from;
    let mut all = words_from(clause, from).peekable();
    while let Some(w) = all.next() {
        // "with them one day later", "the client 3 days later": a time ends whom it is.
        let next_unit = all.peek().is_some_and(|n| {
            let n = n.text.to_ascii_lowercase();
            let n = n.trim_end_matches(['.', ',', ';']);
            [
                "day", "days", "week", "weeks", "hour", "hours", "month", "months", "minutes",
            ]
            .contains(&n)
        });
        if !words.is_empty() && next_unit && number(&w.text.to_ascii_lowercase()).is_some() {
            break;
        }
        // Most words hold no token marker; looking for its first byte is far cheaper
        // than a regex search per word.
        if w.text.contains('\x01')
            && let Some(m) = TOKEN.captures(w.text)
        {
            if words.is_empty() {
                let index = m.get(1).and_then(|i| i.as_str().parse().ok());
                return Phrase {
                    words,
                    token: index,
                    end: w.end,
                };
            }
            break;
        }
        let lower = w.text.to_ascii_lowercase();
        // "Meeting Set", "Ready to Ship": a capitalised word after a capitalised one goes
        // on with a name, whatever verb it is; so does a capitalised small word that
        // would end a phrase ("Booked In", "Checked Out").
        let in_name = w.text.starts_with(|c: char| c.is_ascii_uppercase())
            && words
                .last()
                .is_some_and(|p: &&str| p.starts_with(|c: char| c.is_ascii_uppercase()));
        let named_on = in_name && ["in", "out", "on", "off", "up"].contains(&lower.as_str());
        // "email the right person": after an article "right" judges who, it is no "right
        // away".
        // Nor before whom it judges, with the article left out: "to right person".
        let judged = lower == "right"
            && (words
                .last()
                .is_some_and(|p: &&str| ["the", "a"].contains(&p.to_ascii_lowercase().as_str()))
                || clause.lower.get(w.end..).is_some_and(|rest| {
                    let next = rest.split_whitespace().next().unwrap_or("");
                    [
                        "person",
                        "people",
                        "one",
                        "team",
                        "colleague",
                        "colleagues",
                        "department",
                    ]
                    .contains(&next.trim_end_matches(['.', ',', ';']))
                }));
        if stops.contains(&lower.as_str()) && !named_on && !judged || words.len() >= max {
            break;
        }
        // Right after a determiner a verb's form is a noun or its modifier: "the export
        // desk", "our call centre".
        // So it is after a share: "50% Advance".
        let determined = words.last().is_some_and(|p: &&str| {
            ["the", "our", "a", "an", "your", "its", "their"]
                .contains(&p.to_ascii_lowercase().as_str())
                || p.strip_suffix('%').is_some_and(|n| {
                    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                })
        });
        // "the head of export": after a title's "of", the department it heads.
        let department = words.len() >= 2
            && words[words.len() - 1].eq_ignore_ascii_case("of")
            && ["head", "director", "chief", "vp"]
                .contains(&words[words.len() - 2].to_ascii_lowercase().as_str());
        if !words.is_empty() && !determined && !department && !in_name && has_action_verb(&lower) {
            break;
        }
        words.push(w.text);
        end = w.end;
        // "the source is Referral: WhatsApp the client": a colon or a semicolon after a
        // word ends the phrase, however the next word is written.
        if clause.orig[w.end..].starts_with([':', ';']) {
            break;
        }
    }
    Phrase {
        words,
        token: None,
        end,
    }
}

/// Number words people write in "in three days".
pub(super) fn number(word: &str) -> Option<u32> {
    match word {
        "a" | "an" => Some(1),
        "couple" => Some(2),
        other => number_word(other)
            .filter(|&n| n > 0)
            .or_else(|| other.parse().ok()),
    }
}

/// The value of a number word up to ninety: "three", "fifteen", "forty".
pub(super) fn number_word(word: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let at = |list: &[&str]| {
        list.iter()
            .position(|w| *w == word)
            .and_then(|i| u32::try_from(i).ok())
    };
    at(&UNITS).or_else(|| at(&TENS).map(|i| 20 + 10 * i))
}

/// Whether `a` becomes `b` by inserting, deleting or swapping two neighbouring letters.
pub(super) fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() == b.len() {
        // Exactly two neighbouring letters differ, swapped. No allocation: this runs on
        // every long word of every description (`text::key_word_slip`).
        let Some(i) = (0..a.len()).find(|&i| a[i] != b[i]) else {
            return false;
        };
        return i + 1 < a.len() && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..];
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    let at = (0..short.len())
        .find(|&i| short[i] != long[i])
        .unwrap_or(short.len());
    // A plural or a trailing letter is a different word form, not a typo; a last letter
    // doubled ("createdd") is one.
    (at < short.len() && short[at..] == long[at + 1..])
        || (at == short.len() && at > 0 && long[at] == short[at - 1] && long[at] != b's')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_stops_at_stop_words_and_verbs() {
        let c = Clause::new("notify the Sales Team about it");
        let p = phrase_after(&c, 6, PERSON_STOPS, 5);
        assert_eq!(p.text(), "the Sales Team");
        let c = Clause::new("moves to Final Invoice notify the manager");
        let p = phrase_after(&c, 9, STAGE_STOPS, 4);
        assert_eq!(p.text(), "Final Invoice");
    }

    #[test]
    fn verbs_are_whole_words() {
        assert!(has_action_verb("send a message"));
        assert!(!has_action_verb("when someone sends a note"));
    }
}
