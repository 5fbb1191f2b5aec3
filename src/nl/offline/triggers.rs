//! Recognising the event that starts a workflow.
//!
//! Each catalog trigger has a set of natural phrasings here ("when we win a deal", "as
//! soon as a lead comes in", "if the invoice is not paid on time"). When none of them
//! match, the catalog's own phrases are tried with a little slack between their words,
//! so every phrase the documentation tells users to write is always understood.
//!
//! Invariant: every pattern names a catalog trigger id (pinned by a test), and patterns
//! are tried in order, most specific first: task, invoice and quote events before the
//! deal events they could be mistaken for, "lost" before "won", a named stage before
//! both.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{Clause, Token, upper_snake};
use super::words;
use crate::catalog::{self, TRIGGERS};

/// A trigger found in a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub(super) id: &'static str,
    /// Byte range of the match in the clause.
    pub(super) start: usize,
    pub(super) end: usize,
    /// The stage named for `stage_changed`, as a stage id.
    pub(super) stage: Option<String>,
}

// Domain words for a deal: what a team sells is its deal ("an order moves to Shipped",
// "a sale falls through", "a tender is lost", "we win a contract").
const DEAL: &str = r"(?:deal|deals|opportunity|opportunities|orders?|sale|tenders?|contracts?)";
const LEAD: &str = r"(?:lead|leads|inquiry|inquiries|enquiry|enquiries|prospect|prospects)";
const CONTACT: &str = r"(?:contact|contacts)";
// "Account" is what several CRMs call a company.
const COMPANY: &str = r"(?:company|companies|organi[sz]ations?|accounts?)";
const TASK: &str = r"(?:task|tasks|to-?dos?)";
const MEETING: &str = r"(?:meetings?|demos?|appointments?|visits?|presentations?|viewings?|consultations?|inspections?|interviews?)";
const INVOICE: &str = r"(?:invoice|invoices|bills?|fees?)";
const QUOTE: &str =
    r"(?:quote|quotes|quotation|quotations|commercial\s+proposals?|proposals?|estimates?)";
// A few words between the record and what happens to it: "a deal over 5000 is won".
const GAP: &str = r"(?:'s)?(?:\s+[\w'$,.-]+){0,4}?\s+";
// "is", "gets", "has been", "is marked as" ...
const BE: &str = r"(?:(?:is|are|gets|got|get|was|were|has\s+been|have\s+been|becomes|is\s+being)\s+)?(?:(?:marked|set|flagged)\s+(?:as\s+)?)?";
// What changes about a record: "a contact's details change", "the lead's phone number is
// updated".
const DETAILS: &str = r"(?:'s)?(?:\s+[\w'-]+){0,2}?\s+(?:details|detail|info|information|data|fields?|records?|profile|card|phone(?:\s+number)?|e-?mail(?:\s+address)?|address|name|amount|value)\s+(?:(?:is|are|gets|get|was|were|has\s+been|have\s+been)\s+)?(?:change|changes|changed|updated|edited|modified|amended|update)\b";
// Someone doing something: "when we win a deal", "when the client approves a quote".
// Any "the/a <person>" is a subject too: "the patient", "a parent" (the lexicon of
// people lets their word through accounting).
const WHO: &str = r"(?:we|i|you|they|someone|somebody|anyone|sales|clients?|customers?|(?:the|a|an|our|their)\s+[a-z]+(?:\s+team)?)";

static PATTERNS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let raw: Vec<(&'static str, String)> = vec![
        (
            "meeting_scheduled",
            format!(
                r"\b{MEETING}{GAP}{BE}(?:scheduled|booked|planned|arranged|set\s+up|added|created|put\s+(?:in|into|on)|entered)\b|\b{WHO}\s+(?:schedules?|books?|plans?|arranges?|sets?\s+up|puts?\s+in)\s+(?:a\s+|an\s+|the\s+)?{MEETING}\b|\bnew\s+{MEETING}\b|\bmeeting\s+(?:is\s+)?(?:added\s+to|in)\s+(?:the\s+)?calendar\b"
            ),
        ),
        (
            "activity_added",
            format!(
                r"\b(?:activity|activities|note|notes|comment|call|email|e-mail)\s+{BE}(?:added|logged|created|recorded|left|posted)\b|\bnew\s+(?:activity|note)\b|\b{WHO}\s+(?:adds?|added|logs?|logged|leaves?|left|records?|recorded|posts?|posted|jots?|jotted|writes?|wrote)\s+(?:down\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:note|activity|comment|call|e-?mail|meeting)\b"
            ),
        ),
        (
            "task_overdue",
            format!(
                r"\b{TASK}{GAP}{BE}(?:overdue|late|past\s+(?:its\s+|the\s+)?(?:deadline|due\s+date)|behind\s+schedule|not\s+(?:done|completed|finished)\s+(?:on|in)\s+time)\b|\b{TASK}{GAP}(?:runs|is\s+running|ran)\s+(?:late|over)\b|\b{TASK}{GAP}(?:misses|missed|passes|passed|goes\s+past|went\s+past)\s+(?:its|the)\s+(?:deadline|due\s+date)\b|\b(?:overdue|late)\s+{TASK}|\btask\s+deadline\s+(?:passes|is\s+missed|expires)\b|\b{TASK}{GAP}(?:is\s+not|isn't|hasn't\s+been|has\s+not\s+been|wasn't|was\s+not|is\s+still\s+not)\s+(?:done|completed|finished|closed)\s+(?:by|before|on|in)\b"
            ),
        ),
        (
            "task_completed",
            format!(
                r"\b{TASK}{GAP}{BE}(?:done|completed|complete|finished|closed|accomplished|ticked\s+off|checked\s+off|resolved)\b|\b{WHO}\s+(?:completes?|finish(?:es)?|closes?)\s+(?:a|the)\s+task\b|\b(?:completed|finished)\s+{TASK}\b"
            ),
        ),
        (
            "task_created",
            format!(
                r"\bnew\s+{TASK}\b|\b{TASK}{GAP}{BE}(?:created|added|assigned|set\s+up|opened)\b|\b{WHO}\s+(?:creates?|adds?|assigns?|opens?)\s+(?:a|the)\s+(?:new\s+)?task\b"
            ),
        ),
        (
            "invoice_overdue",
            format!(
                r"\b{INVOICE}{GAP}{BE}(?:overdue|late|past\s+due|unpaid|past\s+(?:its\s+|the\s+)?(?:due\s+date|deadline)|not\s+(?:paid|settled)|still\s+(?:unpaid|open|not\s+paid))\b|\b{INVOICE}{GAP}(?:passes|passed|goes\s+past|went\s+past)\s+(?:its|the)\s+(?:due\s+date|deadline)\b|\b(?:payment|payments)\s+{BE}(?:late|overdue|missed|delayed)\b|\boverdue\s+(?:invoice|invoices|payment|payments|bill)\b|\blate\s+payments?\b|\b{WHO}\s+(?:doesn't|does\s+not|didn't|did\s+not|fails?\s+to|don't|do\s+not)\s+pay\b|\b{WHO}\s+(?:misses|missed)\s+(?:a\s+|the\s+|their\s+)?payment\b|\bpayment\s+(?:date|deadline)\s+(?:passes|is\s+missed)\b|\b{INVOICE}{GAP}(?:isn't|hasn't\s+been|has\s+not\s+been|wasn't|was\s+not|remains?\s+(?:unpaid|not\s+paid))\s*(?:paid|settled)?\b|\b{WHO}\s+(?:hasn't|has\s+not|haven't|have\s+not)\s+paid\b|\bunpaid\s+{INVOICE}\b"
            ),
        ),
        (
            "invoice_paid",
            format!(
                r"\b{INVOICE}{GAP}{BE}(?:paid|settled|paid\s+in\s+full)\b|\bpayment\s+{BE}(?:received|made|completed|confirmed)\b|\bpayment\s+(?:arrives|comes\s+in|goes\s+through)\b|\b{WHO}\s+pays?\b|\bpaid\s+{INVOICE}\b|\b(?:we|i)\s+(?:receive|get)\s+(?:a\s+|the\s+)?payment\b"
            ),
        ),
        (
            "quote_approved",
            format!(
                r"\b{QUOTE}{GAP}{BE}(?:approved|accepted|signed|confirmed|agreed)\b|\b{WHO}\s+(?:approves?|accepts?|signs?|confirms?)\s+(?:a|the|our|their)\s+{QUOTE}\b|\bapproved\s+{QUOTE}\b|\b(?:approves?|accepts?|signs?|okays?|says\s+yes\s+to|agrees\s+to)\s+(?:a|the|our|their|his|her)\s+(?:[\w-]+\s+)?{QUOTE}\b|\b{QUOTE}{GAP}(?:gets|receives|has|got)\s+(?:the\s+|an?\s+)?(?:[\w']+\s+)?(?:approval|sign-?off|go-?ahead|ok|okay|green\s+light)\b"
            ),
        ),
        (
            "quote_created",
            format!(
                r"\bnew\s+{QUOTE}\b|\b{QUOTE}{GAP}{BE}(?:created|added|sent|issued|prepared|generated|made|drafted|written|raised)\b|\b{WHO}\s+(?:creates?|sends?|issues?|prepares?|drafts?|writes?|makes?|raises?)\s+(?:a|the|an)\s+(?:new\s+)?(?:[\w-]+\s+)?{QUOTE}\b"
            ),
        ),
        (
            "lead_converted",
            format!(
                r"\b{LEAD}{GAP}{BE}(?:converted|turned\s+into\s+(?:a\s+)?(?:deal|client|customer)|qualified\s+and\s+converted)\b|\b{LEAD}{GAP}(?:converts|turns\s+into|becomes)\s+(?:a\s+)?(?:deal|client|customer)\b|\b{LEAD}\s+converts\b|\b{WHO}\s+converts?\s+(?:a|the)\s+lead\b|\bconverted\s+{LEAD}\b|\blead\s+conversion\b"
            ),
        ),
        (
            "lead_created",
            format!(
                r"\b(?:new|incoming|inbound|fresh)\s+(?:\w+\s+)?{LEAD}\b|^{LEAD}\s+(?:in|arrived|received|created)(?:$|\s*:)|\b{LEAD}{GAP}{BE}(?:created|added|received|registered|captured|submitted|generated|imported)\b|\b{LEAD}\s+(?:arrives|arrived|comes\s+in|came\s+in|comes\s+through|appears|is\s+in|drops\s+in|lands)\b|\b(?:we|i)\s+(?:get|receive|capture)\s+(?:a|an)\s+(?:new\s+)?(?:\w+\s+)?{LEAD}\b|\b(?:someone|somebody|a\s+visitor|a\s+client|a\s+customer)\s+(?:fills\s+(?:in|out)|submits)\s+(?:a|the|our)\s+(?:web\s+|website\s+|contact\s+)?form\b|\b(?:web\s+|website\s+|contact\s+)?form\s+is\s+submitted\b"
            ),
        ),
        (
            "lead_updated",
            format!(
                r"\b{LEAD}{GAP}{BE}(?:updated|changed|edited|modified|amended)\b|\b{LEAD}{GAP}changes\b|\b{LEAD}{DETAILS}|\b{WHO}\s+(?:edits?|updates?|changes?|modif(?:y|ies)|amends?)\s+(?:a|an|the|any)\s+{LEAD}\b"
            ),
        ),
        (
            "contact_created",
            format!(
                r"\bnew\s+(?:\w+\s+)?{CONTACT}\b|\b{CONTACT}{GAP}{BE}(?:created|added|registered|saved|imported)\b|\b{WHO}\s+(?:creates?|adds?|saves?|registers?)\s+(?:a|the)\s+(?:new\s+)?(?:\w+\s+)?contact\b"
            ),
        ),
        (
            "contact_updated",
            format!(
                r"\b{CONTACT}{GAP}{BE}(?:updated|changed|edited|modified|amended)\b|\b{CONTACT}{GAP}changes\b|\b{CONTACT}{DETAILS}|\b{WHO}\s+(?:edits?|updates?|changes?|modif(?:y|ies)|amends?)\s+(?:a|an|the|any)\s+{CONTACT}\b"
            ),
        ),
        (
            "company_created",
            format!(
                r"\bnew\s+(?:\w+\s+)?{COMPANY}\b|\b{COMPANY}{GAP}{BE}(?:created|added|registered|saved|imported)\b|\b{WHO}\s+(?:creates?|adds?)\s+(?:a|the)\s+(?:new\s+)?company\b"
            ),
        ),
        (
            "company_updated",
            format!(
                r"\b{COMPANY}{GAP}{BE}(?:updated|changed|edited|modified|amended)\b|\b{COMPANY}{GAP}changes\b|\b{COMPANY}{DETAILS}|\b{WHO}\s+(?:edits?|updates?|changes?|modif(?:y|ies)|amends?)\s+(?:a|an|the|any)\s+{COMPANY}\b"
            ),
        ),
        (
            "stage_changed",
            format!(
                r"\b{DEAL}(?:'s)?(?:\s+[\w'-]+){{0,3}}?\s+{BE}(?:moved|moves|move|goes|go|went|enters|entered|reaches|reached|advances|advanced|progresses|progressed|transitions|transitioned|changes|changed|switches|switched|lands|landed|gets)\s+(?:in)?to\b|\b(?:pipeline\s+|deal\s+|deal's\s+)?stage\s+{BE}(?:changes|changed|updated|moves|moved|switches|switched)(?:\s+to\b)?|\b(?:enters|reaches|moves\s+(?:in)?to|goes\s+(?:in)?to|is\s+moved\s+(?:in)?to)\s+(?:the\s+)?stage\b|\b{DEAL}{GAP}{BE}(?:changes|changed|switches|switched|moves|moved|changing|advances|advanced)\s+(?:its\s+|the\s+|a\s+|their\s+|to\s+(?:a|another|the\s+next)\s+)?(?:stage|stages|status|phase|column)\b|\b{DEAL}(?:'s)?(?:\s+[\w'-]+){{0,3}}?\s+{BE}(?:reaches|reached|hits|hit|enters|entered|lands\s+in|landed\s+in|lands\s+on|arrives\s+(?:at|in)|arrived\s+(?:at|in)|gets\s+to|got\s+to|makes\s+it\s+to)\b|\b{DEAL}\s+(?:is\s+(?:now\s+)?)?(?:in|at)\s+(?:the\s+)?(?:\x01\d+\x02|[\w-]+(?:\s+[\w-]+)?)\s+stage\b"
            ),
        ),
        (
            "deal_lost",
            format!(
                r"\b{DEAL}{GAP}{BE}(?:lost|closed[\s-]+lost|closed\s+(?:as\s+)?(?:lost|unsuccessfully|without\s+success)|fails|failed|falls\s+through|fell\s+through|cancell?ed|rejected|declined)\b|\b{DEAL}{GAP}closes\s+(?:as\s+lost|unsuccessfully)\b|\b{WHO}\s+(?:lose|loses|lost)\s+(?:a|the|an)\s+(?:[\w-]+\s+)?{DEAL}\b|^closed[\s-]lost\b|\blost\s+{DEAL}\b|^lost\s+(?:a|the|an)\s+(?:\w+\s+)?{DEAL}\b|\blosing\s+(?:a|the|an)\s+(?:[\w-]+\s+)?{DEAL}\b"
            ),
        ),
        (
            "deal_won",
            format!(
                r"\b{DEAL}{GAP}{BE}(?:won|closed[\s-]+won|closed(?:\s+(?:successfully|as\s+won))?|successful|signed)\b|\b{DEAL}{GAP}closes(?:\s+(?:successfully|as\s+won))?\b|\b{WHO}\s+(?:win|wins|won|close|closes|closed|sign|signs|signed)\s+(?:a|the|an)\s+(?:[\w-]+\s+)?{DEAL}\b|^closed[\s-]won\b|\bwon\s+{DEAL}\b|^won\s+(?:a|the|an)\s+(?:\w+\s+)?{DEAL}\b|\bwinning\s+(?:a|the|an)\s+(?:[\w-]+\s+)?{DEAL}\b"
            ),
        ),
        (
            "deal_created",
            format!(
                r"\bnew\s+(?:\w+\s+)?{DEAL}\b|\b{DEAL}{GAP}{BE}(?:created|added|opened|registered|started|made)\b|\b{WHO}\s+(?:creates?|adds?|opens?|starts?)\s+(?:a|the)\s+(?:new\s+)?deal\b"
            ),
        ),
        (
            "deal_updated",
            format!(
                r"\b{DEAL}{GAP}{BE}(?:updated|changed|edited|modified|amended)\b|\b{DEAL}{GAP}changes\b|\b{DEAL}{DETAILS}|\b{WHO}\s+(?:edits?|updates?|changes?|modif(?:y|ies)|amends?)\s+(?:a|an|the|any)\s+{DEAL}\b|\b(?:any|every|each)\s+{DEAL}\s+(?:change|update|edit)s?\b"
            ),
        ),
    ];
    raw.into_iter()
        .map(|(id, re)| (id, Regex::new(&re).expect("valid trigger regex")))
        .collect()
});

// The catalog's phrases, with up to two words of slack between their words.
// Each with its first word, which a clause must contain for the phrase to match.
static CATALOG_PHRASES: LazyLock<Vec<(&'static str, &'static str, Regex)>> = LazyLock::new(|| {
    TRIGGERS
        .iter()
        .flat_map(|t| t.phrases.iter().map(move |p| (t.id, *p)))
        .map(|(id, phrase)| {
            let words: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
            let re = format!(r"\b{}\b", words.join(r"(?:\s+[\w']+){0,2}?\s+"));
            let first = phrase.split_whitespace().next().unwrap_or(phrase);
            (id, first, Regex::new(&re).expect("valid phrase regex"))
        })
        .collect()
});

// "a deal (is now) in the X stage": the stage is named after "in"/"at".
static IN_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^{DEAL}\s+(?:is\s+(?:now\s+)?)?(?:in|at)\s+")).expect("valid regex")
});

// Words that mean "the next stage, whichever it is" rather than a stage name.
const ANY_STAGE: &[&str] = &["next", "another", "any", "different", "other", "later"];

// Words at least one of which a trigger's patterns need, so that most clauses skip
// most patterns without running them (the patterns dominate the parse time).
fn stems(id: &str) -> &'static [&'static str] {
    match id {
        "meeting_scheduled" => &[
            "meeting",
            "demo",
            "appointment",
            "visit",
            "presentation",
            "viewing",
            "consultation",
            "inspection",
            "interview",
        ],
        "activity_added" => &["activit", "note", "comment", "call", "mail"],
        "task_overdue" | "task_completed" | "task_created" => &["task", "to-do", "todo"],
        "invoice_overdue" | "invoice_paid" => &["invoice", "bill", "pay", "fee"],
        "quote_approved" | "quote_created" => &["quot", "proposal", "estimate"],
        "lead_converted" | "lead_updated" => &["lead", "inquir", "enquir", "prospect"],
        "lead_created" => &["lead", "inquir", "enquir", "prospect", "form"],
        "contact_created" | "contact_updated" => &["contact"],
        "company_created" | "company_updated" => &["compan", "organi", "account"],
        "stage_changed" => &[
            "deal",
            "opportunit",
            "stage",
            "order",
            "sale",
            "tender",
            "contract",
        ],
        _ => &[
            "deal",
            "opportunit",
            "order",
            "sale",
            "tender",
            "contract",
            "closed",
        ],
    }
}

/// Finds the trigger in `clause`. With `anywhere` false, the match must not come after
/// an action verb, so that "create a new deal" stays an action.
pub(super) fn find(clause: &Clause, anywhere: bool, tokens: &[Token]) -> Option<Found> {
    let lower = &clause.lower;
    let hit = PATTERNS
        .iter()
        .filter(|(id, _)| stems(id).iter().any(|s| lower.contains(s)))
        .map(|(id, re)| (*id, re))
        .chain(
            CATALOG_PHRASES
                .iter()
                .filter(|(_, first, _)| lower.contains(first))
                .map(|(id, _, re)| (*id, re)),
        )
        .filter_map(|(id, re)| re.find(lower).map(|m| (id, m.start(), m.end())))
        .filter(|(_, start, _)| anywhere || !words::has_action_verb(&lower[..*start]))
        // The event's subject is the first record the clause names: in "a deal reaches
        // Proposal sent" the deal moves, whatever "proposal sent" would mean alone. On a
        // tie the earlier, more specific pattern wins.
        .fold(
            None,
            |best: Option<(&'static str, usize, usize)>, hit| match best {
                Some(b) if b.1 <= hit.1 => Some(b),
                _ => Some(hit),
            },
        )?;
    let (id, start, mut end) = hit;
    let mut stage = None;
    if id == "stage_changed" {
        // "changes stage" names no stage unless "to ..." follows; "a deal in the X stage"
        // names it after "in".
        let mut from = end;
        if let Some(m) = IN_STAGE.find(&lower[start..end]) {
            from = start + m.end();
        } else if lower[start..end]
            .trim_end()
            .rsplit(' ')
            .next()
            .is_some_and(|w| ["stage", "stages", "status", "phase", "column"].contains(&w))
        {
            from = match words::word_at(clause, end) {
                Some(w) if ["to", "into"].contains(&w.text.to_ascii_lowercase().as_str()) => w.end,
                _ => lower.len(),
            };
        }
        let (name, stage_end) = stage_after(clause, from, tokens);
        if let Some(name) = name {
            stage = Some(name);
            end = stage_end;
        }
    }
    debug_assert!(catalog::trigger(id).is_some(), "{id} is a catalog trigger");
    Some(Found {
        id,
        start,
        end,
        stage,
    })
}

/// Reads a stage name after "moves to": "the Negotiation stage", "stage 'Final
/// invoice'", "C2:WON". Returns the stage id and where the name ends.
pub(super) fn stage_after(
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
    let mut phrase = words::phrase_after(clause, start, words::STAGE_STOPS, 4);
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
    let name_words: Vec<&str> = phrase.words.clone();
    let mut end = phrase.end;
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
    // "a new stage", "the next stage": any stage, not one named "New".
    if joined.is_empty() || indefinite || ANY_STAGE.contains(&first.as_str()) {
        return (None, from);
    }
    (Some(stage_id(&joined)), end)
}

/// A stage id from what the author wrote: ids such as `C2:WON` stay as they are; names
/// become `UPPER_SNAKE`. "Lost" becomes `LOSE`, the id Bitrix24 gives the failed stage
/// of the default pipeline: the crm module's installer creates the `DEAL_STAGE` list
/// with `WON` and `LOSE` as its system stages.
pub(super) fn stage_id(name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Option<&'static str> {
        find(&Clause::new(text), true, &[]).map(|f| f.id)
    }

    #[test]
    fn every_pattern_names_a_catalog_trigger() {
        for (id, _) in PATTERNS.iter() {
            assert!(catalog::trigger(id).is_some(), "{id}");
        }
        let covered: std::collections::BTreeSet<_> = PATTERNS.iter().map(|(id, _)| *id).collect();
        assert_eq!(covered.len(), TRIGGERS.len());
    }

    #[test]
    fn every_catalog_phrase_is_understood() {
        for t in TRIGGERS {
            for phrase in t.phrases {
                assert_eq!(id(&format!("when {phrase}")), Some(t.id), "{phrase}");
            }
        }
    }

    #[test]
    fn natural_variants() {
        let cases = [
            ("when we win a deal", "deal_won"),
            ("deal closes successfully", "deal_won"),
            ("as soon as a lead comes in", "lead_created"),
            ("if the invoice is not paid on time", "invoice_overdue"),
            ("once the task is done", "task_completed"),
            ("new lead is created", "lead_created"),
            ("lead gets converted", "lead_converted"),
            (
                "when a deal moves to the negotiation stage",
                "stage_changed",
            ),
            ("when a deal closes as lost", "deal_lost"),
            ("when the client approves the quote", "quote_approved"),
        ];
        for (text, want) in cases {
            assert_eq!(id(text), Some(want), "{text}");
        }
    }

    #[test]
    fn stage_names_become_ids() {
        let f = find(
            &Clause::new("when a deal moves to the Negotiation stage"),
            true,
            &[],
        )
        .unwrap();
        assert_eq!(f.stage.as_deref(), Some("NEGOTIATION"));
        let f = find(
            &Clause::new("when a deal moves to stage FINAL_INVOICE and"),
            true,
            &[],
        )
        .unwrap();
        assert_eq!(f.stage.as_deref(), Some("FINAL_INVOICE"));
        assert_eq!(stage_id("C2:WON"), "C2:WON");
        assert_eq!(stage_id("Final invoice"), "FINAL_INVOICE");
        assert_eq!(stage_id("lost"), "LOSE");
    }

    #[test]
    fn imperatives_are_not_triggers() {
        assert_eq!(find(&Clause::new("create a new deal"), false, &[]), None);
    }
}
