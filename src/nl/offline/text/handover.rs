//! What a note tells before the request it leads to.
//!
//! Shift handovers and site notes open with what happened ("FYI handover 23:10 - two
//! walk-ins at reception, nobody knew where to log them."), then hand over to the
//! request, often with a word that says so: "Going fwd pls:", "So pls:", "Pls action -",
//! "Anyway -", "Separate thing -", "For the future pls -". An opening "FYI", "NB", a
//! handover's time or a clock time says the same of the sentences it opens when a later
//! sentence starts with an event ("When a task is created, ...") or an event note
//! ("Overdue inv -> ...", "new company -> ...").
//!
//! What is read past must be only a story. It may not order anything (a sentence that
//! starts with an order's verb), name an event or an arrow, narrow the records ("only",
//! "over 5k", "VIP", "source"), ask for anything ("please", "need", "should"), or hold a
//! quote or a link; such a text is left whole and its sentences are asked about. Words in
//! brackets are the story's own detail ("(LMK-03 again, nights only)").

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::pattern;
use crate::nl::offline::words;

// The word that hands over to the request, at a sentence's start or after a dash.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:^|[.!?]\s+|\s[-\x{2013}]\s+|,\s+)(?:(?:fyi|nb)\s+)?(?:so\s+)?(?:(?:pls|please)(?:\s+action)?|so|going\s+(?:fwd|forward)(?:\s+(?:pls|please))?|for\s+the\s+future(?:\s+(?:pls|please))?|from\s+now\s+on(?:\s+(?:pls|please))?|anyway|sep[ae]rate\s+thing|(?:fyi|nb)\s+for\s+(?:days|nights|(?:the\s+)?(?:day|night|early|late)\s+shift))\s*(?::|-|\x{2013})\s*")
        .expect("valid regex")
});

// A note's opening word or stamp: "FYI", "NB", "Handover 18:30", "02:15".
static OPENER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:fyi|nb|n\.b\.?|(?:shift\s+)?handover(?:\s+\d{1,2}[:.]\d{2})?|\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|hrs))?)(?:\s*[-:,.\x{2013}]\s*|\s+)")
        .expect("valid regex")
});

// Where a sentence starts with an event, or with an event note before an arrow (`at`).
static REQUEST_START: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:^|[.!?]\s+|\s[-\x{2013}]\s+)(?P<at>(?:so\s+)?(?:when(?:ever)?|once|if|every|each|any|as\s+soon\s+as|after\s+(?:a|an|the|every|each|any)\s+(?:new\s+)?(?:deal|lead|contact|company|invoice|quote|task|meeting|call)s?)\b|(?:[\w'&-]+\s+){0,4}[\w'&-]+\s*(?:->|\x{2192}))")
        .expect("valid regex")
});

// What a story may not hold.
static NOT_A_STORY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:when|whenever|once|if|every|each|any\s+(?:new|time)|as\s+soon\s+as|only|just|except|unless|more\s+than|less\s+than|at\s+least|worth|over\s+\d|under\s+\d|above|below|vips?|source|pipeline|please|pls|kindly|want|wants|need|needs|should|must|can\s+(?:you|we)|could\s+(?:you|we)|also)\b|->|=>|\x{2192}|https?:|www\.|['\x{2018}\x{2019}\x{201c}\x{201d}\x{ab}\x{bb}`\x22]\s|(?:^|\s)['\x{2018}\x{201c}\x{ab}`\x22]")
        .expect("valid regex")
});

static BRACKETED: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\([^()\n]*\)").expect("valid regex"));

/// `text` from its request on, when what comes before it is only a story.
pub(in crate::nl::offline) fn read_past(text: Cow<'_, str>) -> Cow<'_, str> {
    let start = handed_over(&text).or_else(|| opened(&text));
    match start {
        Some(at) if at > 0 && at < text.len() => Cow::Owned(text[at..].to_owned()),
        _ => text,
    }
}

/// Where the request starts after a word that hands over to it.
fn handed_over(text: &str) -> Option<usize> {
    let m = MARKER.find(text)?;
    is_story(&text[..m.start()]).then_some(m.end())
}

/// Where the request starts after a note's opening word and the sentences it opens.
fn opened(text: &str) -> Option<usize> {
    let open = OPENER.find(text)?;
    // Searched from the opener's end as a text of its own, so "^" is where it ends.
    let start = open.end()
        + REQUEST_START
            .captures(&text[open.end()..])?
            .name("at")?
            .start();
    // The event may start right after the opener: "NB whenever someone edits a deal".
    is_story(&text[open.end()..start]).then_some(start)
}

/// Whether `before` tells only what happened: no order, no event, nothing that narrows
/// or asks.
fn is_story(before: &str) -> bool {
    let told = BRACKETED.replace_all(before, " ");
    if NOT_A_STORY.is_match(&told) {
        return false;
    }
    // A sentence or a clause that starts with an order's verb is a request of its own.
    !told
        .replace(" - ", ". ")
        .split(['.', '!', '?', ',', ';', ':', '\u{2013}'])
        .filter_map(|part| part.split_whitespace().next())
        .any(|first| {
            let first = first.to_ascii_lowercase();
            words::has_action_verb(&first)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> String {
        read_past(Cow::Borrowed(text)).into_owned()
    }

    #[test]
    fn a_story_before_a_word_that_hands_over_is_read_past() {
        assert_eq!(
            read(
                "FYI handover 23:10 - two walk-ins at reception, nobody knew where to log them. Going fwd pls: when a new deal is created, ping Control Room"
            ),
            "when a new deal is created, ping Control Room"
        );
        assert_eq!(
            read(
                "Supervisors are changing hours w/o telling scheduling (LMK-03 again, nights only). Pls action: any edit to a deal -> add comment 'X'"
            ),
            "any edit to a deal -> add comment 'X'"
        );
        assert_eq!(
            read(
                "Chased the Naas depot for six weeks. Anyway - when an invoice is paid, email the client"
            ),
            "when an invoice is paid, email the client"
        );
    }

    #[test]
    fn a_note_opened_with_fyi_or_a_time_starts_at_its_event() {
        assert_eq!(
            read(
                "FYI cleaners on the early shift are missing tasks. When a task is created set a reminder"
            ),
            "When a task is created set a reminder"
        );
        assert_eq!(
            read(
                "NB we kept patrolling the yard unpaid last year, not again. Overdue inv -> notify Control Room"
            ),
            "Overdue inv -> notify Control Room"
        );
        assert_eq!(
            read(
                "NB after the warehouse fiasco (3 months, never paid) - new company -> task finance"
            ),
            "new company -> task finance"
        );
        assert_eq!(
            read("NB pls action - invoice overdue -> alert Finance"),
            "invoice overdue -> alert Finance"
        );
        assert_eq!(
            read("NB whenever someone modifies a deal, ping Shauna"),
            "whenever someone modifies a deal, ping Shauna"
        );
    }

    #[test]
    fn what_narrows_orders_or_asks_is_never_read_past() {
        for text in [
            "FYI only partner deals. When a deal is created, notify Jo",
            "When a deal is won, notify Jo. Pls: also tag it won",
            "Notify Jo about it. So pls: when a lead comes in, tag it",
            "NB we need the amount over 5000. When a deal is won, notify Jo",
            "FYI 'urgent' ones. When a deal is won, notify Jo",
        ] {
            assert_eq!(read(text), text, "{text}");
        }
    }
}
