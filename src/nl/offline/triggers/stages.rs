//! Reading a stage name where an event or an order names one: "moves to the Negotiation
//! stage", "stage 'Final invoice'", "C2:WON", and the stage id it stands for.

use crate::nl::offline::text::{Clause, Token, upper_snake};
use crate::nl::offline::words;

// Words that end a stage name, written in lowercase: the modal or verb of what follows it.
const NAME_STOPS: &[&str] = &[
    "should", "must", "will", "shall", "needs", "need", "has", "have",
];

// Words that mean "the next stage, whichever it is", or that judge which stage without
// naming it ("the right stage"), rather than a stage name.
const ANY_STAGE: &[&str] = &[
    "next",
    "another",
    "any",
    "different",
    "other",
    "later",
    "right",
    "appropriate",
    "correct",
    "relevant",
    "proper",
    "suitable",
    "matching",
    "corresponding",
    "previous",
    "earlier",
];

// What an order's verb acts on, right after it: "WhatsApp the customer", "text them".
const ORDER_OBJECT: &[&str] = &[
    "the", "them", "him", "her", "it", "a", "an", "our", "their", "his", "its",
];

// Lowercase words that place a stage in the pipeline instead of naming it.
const POSITION: &[&str] = &[
    "final", "last", "first", "closing", "end", "initial", "starting", "opening", "top", "bottom",
];

/// Reads a stage name after "moves to": "the Negotiation stage", "stage 'Final
/// invoice'", "C2:WON". Returns the stage id and where the name ends.
pub(in crate::nl::offline) fn stage_after(
    clause: &Clause,
    from: usize,
    tokens: &[Token],
) -> (Option<String>, usize) {
    // "to the stage X", "to the X stage", "to stage X", "into the X column"
    let mut start = from;
    let mut indefinite = false;
    for w in words::words_from(clause, from) {
        let f = w.text.to_ascii_lowercase();
        if ![
            "the", "stage", "status", "column", "phase", "pipeline", "a", "an",
        ]
        .contains(&f.as_str())
        {
            break;
        }
        indefinite |= f == "a" || f == "an";
        start = w.end;
    }
    // "to in conversation stage", "to the Ready for Invoice stage": what stands between
    // and the word "stage" is the name, whatever its words would mean alone.
    let ahead: Vec<words::Word<'_>> = words::words_from(clause, start).take(5).collect();
    let closed = ahead
        .iter()
        .position(|w| ["stage", "column", "phase"].contains(&w.text.to_ascii_lowercase().as_str()))
        .filter(|&k| {
            (1..=4).contains(&k)
                && ahead[..k].iter().enumerate().all(|(i, w)| {
                    let lower = w.text.to_ascii_lowercase();
                    // "to Ben in Survey stage": a place word after the first names where
                    // the stage begins; the words before it are someone else's.
                    w.text.chars().all(|c| c.is_alphanumeric() || c == '-')
                        && !CLAUSE_WORDS.contains(&lower.as_str())
                        && (i == 0 || !["in", "at", "into", "on"].contains(&lower.as_str()))
                })
        });
    let mut phrase = match closed {
        Some(k) => words::Phrase {
            words: ahead[..k].iter().map(|w| w.text).collect(),
            token: None,
            end: ahead[k - 1].end,
        },
        None => words::phrase_after(clause, start, words::STAGE_STOPS, 4),
    };
    // "moves to On hold": a capitalised word starts a stage name even if it is one of the
    // words that end one.
    if phrase.words.is_empty()
        && phrase.token.is_none()
        && let Some(w) = words::word_at(clause, start)
        && w.text.chars().next().is_some_and(char::is_uppercase)
        && w.text.chars().all(char::is_alphabetic)
    {
        let rest = words::phrase_after(clause, w.end, words::STAGE_STOPS, 3);
        if rest.token.is_none() {
            let mut joined = vec![w.text];
            joined.extend(rest.words);
            phrase = words::Phrase {
                words: joined,
                token: None,
                end: rest.end.max(w.end),
            };
        }
    }
    // "to stage Meeting set + message Hovhannes": a verb that ends the clause has nothing
    // to act on, so after a capitalised name it is the name's last word ("Meeting set",
    // "Contract sent").
    if phrase.token.is_none()
        && (1..=3).contains(&phrase.words.len())
        && phrase
            .words
            .first()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
        && let Some(last) = words::word_at(clause, phrase.end)
        && last.text.chars().all(|c| c.is_ascii_lowercase())
        && clause.orig[last.end..]
            .trim()
            .trim_matches(|c: char| c.is_ascii_punctuation())
            .is_empty()
        && words::has_action_verb(last.text)
    {
        phrase.words.push(last.text);
        phrase.end = last.end;
    }
    // "Proof of Concept", "Terms of Payment": "of" between two capitalised words joins
    // them into one name. "for" does after a word that is made to take it ("Ready for
    // Collection", "Out for Delivery", "Sent for Signature"), not after a noun: "Proposal
    // for Tom" may name whom it is for, and is asked about.
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    while phrase.token.is_none()
        && phrase.words.first().is_some_and(|w| capital(w))
        && phrase.words.len() < 5
        && let Some(small) = words::word_at(clause, phrase.end)
        && (small.text == "of"
            // "Ready For Test": a small word written with a capital is in the name.
            || matches!(small.text, "Of" | "For" | "In" | "On" | "At" | "To")
            || small.text == "for"
                && phrase
                    .words
                    .last()
                    .is_some_and(|w| TAKES_FOR.contains(&w.to_ascii_lowercase().as_str()))
            // "Waiting on Customer": a wait is on someone.
            || small.text == "on"
                && phrase
                    .words
                    .last()
                    .is_some_and(|w| w.eq_ignore_ascii_case("waiting")))
        && let Some(next) = words::word_at(clause, small.end)
        && capital(next.text)
        && next.text.chars().all(char::is_alphabetic)
    {
        let rest = words::phrase_after(clause, next.end, words::STAGE_STOPS, 2);
        if rest.token.is_some() {
            break;
        }
        phrase.words.push(small.text);
        phrase.words.push(next.text);
        phrase.words.extend(rest.words);
        phrase.end = rest.end.max(next.end);
    }
    let mut name_words: Vec<&str> = phrase.words.clone();
    let mut end = phrase.end;
    // "Stage changes to Samples Shipped: reminder for ...": a colon ends the name.
    if phrase.token.is_none()
        && let Some((cut, w)) = words::words_from(clause, start)
            .take(name_words.len())
            .enumerate()
            .find(|(_, w)| clause.orig[w.end..].starts_with(':'))
        && cut + 1 < name_words.len()
    {
        end = w.end;
        name_words.truncate(cut + 1);
    }
    // "into Negotiation should make ...": a modal ends the name; what follows is the order.
    // A capitalised word is part of the name ("the Needs analysis stage").
    if let Some(cut) = name_words.iter().position(|w| NAME_STOPS.contains(w)) {
        let stop = name_words[cut].to_ascii_lowercase();
        name_words.truncate(cut);
        if let Some(at) = clause.lower[start..].find(&format!(" {stop}")) {
            end = start + at;
        }
    }
    // "moves to Deposit Paid WhatsApp the customer 'X'", "enters Ready For Collection
    // text the customer": after the first word, an order's verb followed by whom or what
    // it acts on starts the order, capitalised or not ("Text Sent" stays a name).
    if phrase.token.is_none()
        && let Some(cut) = words::words_from(clause, start)
            .take(name_words.len())
            .collect::<Vec<_>>()
            .windows(2)
            .position(|w| {
                words::has_action_verb(&w[0].text.to_ascii_lowercase())
                    && ORDER_OBJECT.contains(&w[1].text.to_ascii_lowercase().as_str())
            })
            .filter(|&k| k > 0)
        && let Some(verb) = words::words_from(clause, start).nth(cut)
    {
        name_words.truncate(cut);
        end = clause.orig[..verb.start].trim_end().len();
    }
    // "deals that hit Contract Sent to create a quote": a lowercase "to" before the
    // order's verb (which ended the phrase) opens the order; it is no part of the name
    // ("Ready to Ship" writes it between two capitalised words). After a state that
    // takes "to", a capitalised verb goes on the name: "Ready to Schedule".
    if phrase.token.is_none()
        && name_words.len() > 1
        && name_words.last() == Some(&"to")
        && let Some(to) = words::words_from(clause, start).nth(name_words.len() - 1)
    {
        let before = name_words[name_words.len() - 2].to_ascii_lowercase();
        match words::word_at(clause, to.end) {
            Some(next)
                if TAKES_TO.contains(&before.as_str())
                    && name_words[0].starts_with(char::is_uppercase)
                    && next.text.starts_with(char::is_uppercase)
                    && next.text.chars().all(char::is_alphabetic) =>
            {
                name_words.push(next.text);
                end = next.end;
            }
            _ => {
                name_words.pop();
                end = clause.orig[..to.start].trim_end().len();
            }
        }
    }
    // "lands in the Rentals pipeline": a name before "pipeline" names a pipeline, not a
    // stage; it is left to be asked about (a pipeline is no condition b24flow can write).
    if let Some(next) = words::word_at(clause, end)
        && ["pipeline", "funnel"].contains(&next.text.to_ascii_lowercase().as_str())
    {
        return (None, from);
    }
    // A trailing "stage" closes the name: "the Negotiation stage".
    if let Some(next) = words::word_at(clause, end)
        && ["stage", "status", "column", "phase"].contains(&next.text.to_ascii_lowercase().as_str())
    {
        end = next.end;
    }
    if let Some(token) = phrase.token.and_then(|i| tokens.get(i)) {
        return (Some(stage_id(&token.text)), end.max(phrase.end));
    }
    let joined = name_words.join(" ");
    let first = name_words
        .first()
        .map(|w| w.to_ascii_lowercase())
        .unwrap_or_default();
    // "a new stage", "the next stage": any stage, not one named "New". "push it to our
    // listings portal": a possessive names a place of the author's, not a stage.
    if joined.is_empty()
        || indefinite
        || ANY_STAGE.contains(&first.as_str())
        || ["our", "my", "your", "their", "his", "her", "its"].contains(&first.as_str())
    {
        return (None, from);
    }
    // "the final stage", "the first stage": which one depends on the pipeline (the final
    // stages are won and lost), so no name is read and the word is left to be asked
    // about. Written as a name ("the Final stage", 'Final') it is one.
    if name_words.len() == 1 && POSITION.contains(&name_words[0]) {
        return (None, from);
    }
    (Some(stage_id(&joined)), end)
}

// The last words of a stage name that "for" goes on from: a state that waits for
// something ("Ready for Install", "Waiting for Parts", "Booked for Survey").
const TAKES_FOR: &[&str] = &[
    "ready",
    "waiting",
    "scheduled",
    "booked",
    "sent",
    "submitted",
    "out",
    "due",
    "queued",
    "pending",
    "approved",
    "cleared",
    "held",
    "reserved",
    "prepared",
    "set",
    "listed",
];

// The last words of a stage name that "to" goes on from: a state that readies for
// something ("Ready to Ship") or hands the record on ("Sent to Lender", "Passed to
// Underwriting").
const TAKES_TO: &[&str] = &[
    "ready",
    "sent",
    "submitted",
    "passed",
    "handed",
    "referred",
    "returned",
    "back",
];

// Words that open a clause of their own or join two: never inside a stage's name.
const CLAUSE_WORDS: &[&str] = &[
    "and", "then", "when", "if", "or", "but", "so", "because", "please", "with", "by", "after",
    "before", "once", "to", "a", "an", "the", "its", "their", "our",
];

/// A stage id from what the author wrote: ids such as `C2:WON` stay as they are; names
/// become `UPPER_SNAKE`. "Lost" becomes `LOSE`, the id Bitrix24 gives the failed stage
/// of the default pipeline: the crm module's installer creates the `DEAL_STAGE` list
/// with `WON` and `LOSE` as its system stages.
pub(in crate::nl::offline) fn stage_id(name: &str) -> String {
    let name = name.trim();
    let is_id = name.contains(':')
        || (name.len() > 1
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
    if is_id {
        return name.to_owned();
    }
    let id = upper_snake(name);
    if id == "LOST" { "LOSE".to_owned() } else { id }
}
