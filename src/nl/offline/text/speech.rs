//! Requests written down the way they were said or filed.
//!
//! - Notes from meetings and policy documents open with a label that files them:
//!   "Agreed:", "Decision -", "Action item (Jonas):", "Added:", "Changed:", "New
//!   automation -", "Rule 4.2:", "Section: Leads.", "Per Tuesday's call,". The label says
//!   where the request was written down, not what it asks, and is read past at the start
//!   of the text. (Who an action item is for is who sets it up, not who the workflow
//!   reaches.)
//! - Dictated requests carry fillers ("um", "uh", "hmm", "erm") and words said again
//!   ("when a, when a deal is lost", "our, um, our webhook"), which say nothing; both are
//!   read past. A request that opens with "okay so" or "right, so" opens with the request
//!   after it.
//! - A speaker corrects themselves: "text the customer, no sorry, WhatsApp them", "in an
//!   hour, no, two hours", "a notification, no, a chat message I mean". What follows
//!   the "no" replaces the part before it that it matches: a whole order when it is an
//!   order, otherwise the last thing of its kind (a quote, a thing with its article, a
//!   time). A correction that matches nothing is left as it was said, to be asked about.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::pattern;

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\s*(?:(?:agreed|decided)\s*[:,\x{2013}\x{2014}-]|(?:decision|action\s+(?:item|point)|to-?do|added|changed|fixed|updated|new\s+(?:automation|rule|workflow)|rule(?:\s+\d+(?:\.\d+)*[a-z]?)?)(?:\s*\([^()\n]{1,40}\))?\s*(?::|\s[\x{2013}\x{2014}-])|per\s+[a-z0-9' ]{1,40}?\b(?:call|meeting|sync|discussion|review|stand-?up)\s*[,:]|section\s*:\s*[^.:\n]{1,40}[.:])\s*",
    )
    .expect("valid regex")
});

/// Reads past the label that files a note ("Agreed:", "Rule 4.2:").
pub(super) fn minutes(text: Cow<'_, str>) -> Cow<'_, str> {
    match LABEL.find(&text) {
        Some(m) if m.end() < text.len() => Cow::Owned(text[m.end()..].to_owned()),
        _ => text,
    }
}

static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:u+m+|u+h+m*|hm+|er+m+|er)\b(?:\s*[.,]+)?\s*").expect("valid regex")
});

static PAUSES: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\s*,(?:\s*,)+\s*").expect("valid regex"));

static SPOKEN_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:(?:okay|ok|right|alright|well|hey)\b\s*[,.]?\s*)+(?:so\b\s*[,.]?\s*)?|^\s*so\b\s*[,.]?\s*")
        .expect("valid regex")
});

// "no sorry", "no wait", "no, make that", "actually no, just": the start of a correction.
static CORRECTION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:,|\.{3}|\x{2026})\s*(?:actually\s*,?\s*)?no\b\s*[,.]?\s*(?:sorry|wait|actually|scratch\s+that)?\s*[,.]?\s*(?:make\s+(?:that|it)\s+|(?:i\s+mean|rather)\s*,?\s*|just\s+)?")
        .expect("valid regex")
});

static I_MEAN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i),?\s+i\s+mean\b\s*").expect("valid regex"));

/// Reads a dictated request: fillers, words said twice and self-corrections. Runs on
/// text whose quotes are already lifted, so a quoted "um" is kept.
pub(super) fn speech(text: String) -> String {
    let lower = text.to_ascii_lowercase();
    let spoken = FILLER.is_match(&lower);
    let text = if spoken {
        let out = FILLER.replace_all(&text, "");
        // "lost, um, text them": the commas around a filler are one pause.
        PAUSES
            .replace_all(&out, ", ")
            .trim_start_matches([',', ' '])
            .to_owned()
    } else {
        text
    };
    let text = if spoken || SPOKEN_OPENER.is_match(&text) {
        let text = SPOKEN_OPENER.replace(&text, "").into_owned();
        said_again(&text)
    } else {
        text
    };
    // Only a speaker's "no" set off by commas corrects: in writing, ", no follow-up"
    // is a phrase of its own.
    if (spoken && text.contains(", no")) || text.contains("no sorry") || text.contains("no wait") {
        corrected(&text)
    } else {
        text
    }
}

/// "when a, when a deal is lost" -> "when a deal is lost": up to three words said again
/// right after a comma.
fn said_again(text: &str) -> String {
    let mut out = text.to_owned();
    let mut from = 0;
    while let Some(at) = out[from..].find(", ").map(|i| from + i) {
        let before: Vec<&str> = out[..at].split(' ').collect();
        let after = &out[at + 2..];
        let mut cut = None;
        for n in (1..=3).rev() {
            if before.len() < n {
                continue;
            }
            let said = before[before.len() - n..].join(" ");
            let again = after.get(..said.len());
            if !said.is_empty()
                && said.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && again.is_some_and(|a| a.eq_ignore_ascii_case(&said))
                && after[said.len()..].starts_with([' ', ','])
            {
                cut = Some(said.len());
                break;
            }
        }
        match cut {
            // Keep the second saying: drop the first one and the comma.
            Some(len) => out.replace_range(at - len..at + 2, ""),
            None => from = at + 2,
        }
    }
    out
}

/// Applies each self-correction, last first.
fn corrected(text: &str) -> String {
    let mut text = text.to_owned();
    for _ in 0..3 {
        let Some(m) = CORRECTION.find_iter(&text).last() else {
            break;
        };
        let before = &text[..m.start()];
        let rest = &text[m.end()..];
        // The correction runs to the next comma, or the end of the text.
        let end = rest.find([',', ';', '.']).unwrap_or(rest.len());
        let fix = I_MEAN.replace(rest[..end].trim_end(), "").into_owned();
        let after = &rest[end..];
        let Some(start) = corrected_start(before, &fix) else {
            break;
        };
        text = format!("{}{fix}{after}", &before[..start]);
    }
    text
}

/// Where in `before` the part `fix` replaces starts.
fn corrected_start(before: &str, fix: &str) -> Option<usize> {
    let lower = fix.to_ascii_lowercase();
    let first = lower.split_whitespace().next()?;
    // The clause the correction belongs to: from the last comma on.
    let clause = before.rfind([',', ';']).map_or(0, |i| i + 1);
    let clause = clause + (before.len() - clause - before[clause..].trim_start().len());
    // A whole order again: "text the customer, no sorry, WhatsApp them".
    if crate::nl::offline::words::first_action_verb(&lower, 0) == Some(0) {
        return Some(clause);
    }
    let part = &before[clause..];
    let last_of = |words: &[&str]| {
        part.match_indices(' ')
            .map(|(i, _)| i + 1)
            .chain(std::iter::once(0))
            .filter(|&i| {
                let w = part[i..].split_whitespace().next().unwrap_or("");
                words.contains(&w.to_ascii_lowercase().as_str())
            })
            .max()
            .map(|i| clause + i)
    };
    if fix.starts_with('\x01') {
        return part.rfind('\x01').map(|i| clause + i);
    }
    if ["a", "an"].contains(&first) {
        return last_of(&["a", "an"]);
    }
    if ["in", "by", "on", "at", "within", "after", "before"].contains(&first) {
        return last_of(&["in", "by", "on", "at", "within", "after", "before"]);
    }
    if is_number_word(first) {
        // "in an hour, no, two hours": the amount of the time before.
        return part
            .match_indices(' ')
            .map(|(i, _)| i + 1)
            .filter(|&i| {
                let w = part[i..].split_whitespace().next().unwrap_or("");
                is_number_word(&w.to_ascii_lowercase()) || ["a", "an"].contains(&w)
            })
            .max()
            .map(|i| clause + i);
    }
    None
}

fn is_number_word(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty()
        || [
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "fifteen", "twenty", "thirty", "half",
        ]
        .contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filing_label_is_read_past() {
        for (text, want) in [
            (
                "Agreed: when a deal is won, notify Anna",
                "when a deal is won, notify Anna",
            ),
            (
                "Action item (Jonas): lead edited -> tag it",
                "lead edited -> tag it",
            ),
            (
                "Rule 3.1: Upon a deal being won, notify Anna",
                "Upon a deal being won, notify Anna",
            ),
            (
                "Section: Leads. Each new lead gets a task",
                "Each new lead gets a task",
            ),
            (
                "Per Tuesday's call, new deals get a task",
                "new deals get a task",
            ),
            ("Decision - lost deals get a call", "lost deals get a call"),
            (
                "New automation - every new deal gets a tag",
                "every new deal gets a tag",
            ),
        ] {
            assert_eq!(minutes(Cow::Borrowed(text)), want, "{text}");
        }
        // A label alone, or words that only look like one, stay.
        for text in [
            "Added to the CRM: notify Anna",
            "Changed deals: notify Anna",
            "Agreed",
        ] {
            assert_eq!(minutes(Cow::Borrowed(text)), text);
        }
    }

    #[test]
    fn fillers_and_words_said_again_are_read_past() {
        assert_eq!(
            speech("uh when a, when a deal is lost, um, text them".into()),
            "when a deal is lost, text them"
        );
        assert_eq!(
            speech("okay so, um, send it over to our, um, our webhook".into()),
            "send it over to our webhook"
        );
        // Written words that only look like fillers stay.
        assert_eq!(speech("notify the umpire".into()), "notify the umpire");
    }

    #[test]
    fn a_correction_replaces_what_it_corrects() {
        for (said, want) in [
            (
                "when we win a deal, text the customer, no sorry, WhatsApp them",
                "when we win a deal, WhatsApp them",
            ),
            (
                "so when a meeting is scheduled, um, remind the manager in an hour, no, two hours, to prep",
                "when a meeting is scheduled, remind the manager in two hours, to prep",
            ),
            (
                "um, send Ben a notification, no, a chat message I mean, saying hi",
                "send Ben a chat message, saying hi",
            ),
            (
                "uh, create a task by Friday, no, in three days",
                "create a task in three days",
            ),
        ] {
            assert_eq!(speech(said.into()), want, "{said}");
        }
        // A correction that matches nothing is kept, to be asked about.
        assert_eq!(
            speech("um, notify Anna, no, never mind".into()),
            "notify Anna, no, never mind"
        );
    }
}
