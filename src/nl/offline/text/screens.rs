//! Bitrix24's own words for where an automation is set up, read as what they mean.
//!
//! People who configure Bitrix24 describe a rule by the screen they would build it on:
//! "Automation rule on the Deals kanban: ...", "Add a robot to the Negotiation column
//! that creates a quote", "Lost deals: robot removes the 'Hot' tag". A robot sits on a
//! stage and runs when a record enters it; on the first stage, when the record is
//! created. The screen's name says nothing about what the rule does, so it is read past;
//! the move to the stage a robot sits on is the event (on the Won column too, as "when a
//! deal enters the stage Won" reads); "robot removes" is the order "remove".
//!
//! A pipeline named beside the stage ("the Won stage of the Weddings pipeline") is kept
//! as written: it narrows the records, which the event reader asks about.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::pattern;
use crate::nl::offline::words;

// "Tasks automation:", "Contacts:", "Companies section:", "On the Quotes tab:", "In the
// pipeline settings,", "Automation rule on the Leads kanban for ...": where the rule is
// built, before what it does. Only the record kinds' plural names (which narrow nothing)
// and the screens' own words; "Retail deals:" is a heading of another kind.
static SCREEN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\s*(?:(?:deals|leads|contacts|companies|invoices|quotes|tasks|activities)(?:\s+(?:automation|automations|automation\s+rules?|section|tab|kanban|module|list|board|robots))?\s*:|(?:(?:on|in)\s+the\s+)?(?:(?:deals|leads|contacts|companies|invoices|quotes|tasks|crm)\s+)?(?:automation\s+rules?|robots\s+settings|pipeline\s+settings|automation\s+settings|settings|kanban|tab|section)(?:\s+(?:on|in)\s+the\s+(?:deals|leads|contacts|companies|invoices|quotes|tasks)\s+(?:kanban|tab|section|list|board))?\s*(?:[:,]|\s+for\b))\s*",
    )
    .expect("valid regex")
});

// "Leads kanban, robot on the first stage:": a robot on a kanban's first stage runs
// when the record is created in it.
static FIRST_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\s*(?:(?P<a>deal|lead)s?\s+kanban\s*[,:]\s*(?:a\s+|the\s+)?robot\s+on\s+the\s+first\s+(?:stage|column)|(?:a\s+|the\s+)?robot\s+on\s+the\s+first\s+(?:stage|column)\s+of\s+the\s+(?P<b>deal|lead)s?\s+kanban)\s*[:,]\s*",
    )
    .expect("valid regex")
});

// "Robot on the Won stage:", "Add a robot to the Negotiation column that ...": the stage
// a robot sits on is the move to it.
static ON_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?P<pre>^|[.;!?]\s+)\s*(?:add\s+)?(?:a\s+|the\s+)?robot\s+(?:on|to|in|at|for)\s+the\s+(?P<stage>[^:,.;]+?)\s+(?:stage|column)(?P<of>\s+of\s+the\s+[^:,.;]+?\s+pipeline)?(?:\s*[:,]\s*|\s+(?:that|which)\s+)",
    )
    .expect("valid regex")
});

// "Robot on deal modification (any field):", "Robot for won deal:", "Need robot on deal
// creation:": a robot on an event is the event.
static ON_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?P<pre>^|[.;!?]\s+)\s*(?:(?:we\s+)?need\s+)?(?:a\s+|the\s+)?robot\s+(?:on|for|upon)\s+(?P<event>(?:deal|lead|contact|company|invoice|quote|task)\s+[a-z]+|[a-z]+\s+(?:deal|lead|contact|company|invoice|quote|task)s?)(?:\s*\((?:any|every|all)\s+(?:fields?|changes?|edits?)\))?\s*:\s*",
    )
    .expect("valid regex")
});

// "robot removes the tag", "add a robot that texts the customer": the robot's verb is
// the order.
static ROBOT_DOES: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?:add\s+)?(?:a\s+|the\s+)?robot\s+(?:that\s+|which\s+|then\s+)?(?P<verb>[a-z]+)\b",
    )
    .expect("valid regex")
});

// "... and leaves a comment": the next verbs the robot does, until the sentence ends.
static AND_DOES: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<and>and|then|,)\s+(?P<verb>[a-z]+)\b").expect("valid regex")
});

/// `text` with Bitrix24's screen words read as the event and orders they stand for.
pub(super) fn read(text: Cow<'_, str>) -> Cow<'_, str> {
    let robot = super::contains_ci(&text, "robot");
    // The first stage's robot needs the word "robot": without it only `SCREEN` is looked for.
    let text = if robot && let Some(c) = FIRST_STAGE.captures(&text) {
        let record = c
            .name("a")
            .or_else(|| c.name("b"))
            .map_or("deal", |m| m.as_str());
        let rest = &text[c.get(0).map_or(0, |m| m.end())..];
        Cow::Owned(format!(
            "When a {} is created, {rest}",
            record.to_ascii_lowercase()
        ))
    } else if let Some(m) = SCREEN.find(&text) {
        Cow::Owned(text[m.end()..].to_owned())
    } else {
        text
    };
    if !robot {
        return text;
    }
    let text = match ON_STAGE.captures(&text) {
        Some(c) => {
            let whole = c.get(0).map_or(0..0, |m| m.range());
            let stage = &c["stage"];
            // "of the Weddings pipeline" stays, to be asked about: it narrows the deals.
            let pipeline = c.name("of").map_or(String::new(), |m| {
                format!(" in{}", m.as_str().trim_start().trim_start_matches("of"))
            });
            // On the Won or Lost column too: a move to the stage named Won is the move to
            // that stage, as everywhere else ("When a deal enters the stage Won").
            let event = format!("When a deal moves to the stage {stage}{pipeline}");
            let rest = base_forms(&text[whole.end..]);
            Cow::Owned(format!(
                "{}{}{event}, {rest}",
                &text[..whole.start],
                &c["pre"]
            ))
        }
        None => text,
    };
    let text = match ON_EVENT.captures(&text) {
        Some(c) => {
            let whole = c.get(0).map_or(0..0, |m| m.range());
            Cow::Owned(format!(
                "{}{}On {}: {}",
                &text[..whole.start],
                &c["pre"],
                &c["event"],
                &text[whole.end..]
            ))
        }
        None => text,
    };
    match ROBOT_DOES.captures(&text) {
        Some(c) => match c.name("verb").and_then(|v| base_form(v.as_str())) {
            Some(verb) => {
                let whole = c.get(0).map_or(0..0, |m| m.range());
                let rest = base_forms(&text[whole.end..]);
                Cow::Owned(format!("{}{verb}{rest}", &text[..whole.start]))
            }
            None => text,
        },
        None => text,
    }
}

/// The verbs a robot does in the rest of its sentence, in their base form: "... and
/// leaves a comment" is "... and leave a comment".
fn base_forms(rest: &str) -> String {
    let end = rest.find(['.', ';', '!', '?']).unwrap_or(rest.len());
    let (sentence, after) = rest.split_at(end);
    // "... that creates a quote": the first word is the robot's first verb.
    let first = sentence.split_whitespace().next().unwrap_or_default();
    let sentence = match base_form(first).filter(|_| !first.is_empty()) {
        Some(verb) => Cow::Owned(format!("{verb}{}", &sentence[first.len()..])),
        None => Cow::Borrowed(sentence),
    };
    let sentence = AND_DOES.replace_all(&sentence, |c: &regex::Captures<'_>| {
        match base_form(&c["verb"]) {
            Some(verb) => format!("{} {verb}", &c["and"]),
            None => c[0].to_owned(),
        }
    });
    format!("{sentence}{after}")
}

/// The base form of a verb in the third person ("removes", "pushes", "notifies"), if it
/// is an order's verb; a verb already in its base form is kept.
fn base_form(verb: &str) -> Option<String> {
    let lower = verb.to_ascii_lowercase();
    if words::has_action_verb(&lower) {
        return Some(lower);
    }
    let candidates = [
        lower.strip_suffix("ies").map(|s| format!("{s}y")),
        lower.strip_suffix('s').map(str::to_owned),
        lower.strip_suffix("es").map(str::to_owned),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|c| words::has_action_verb(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> String {
        read(Cow::Borrowed(s)).into_owned()
    }

    #[test]
    fn a_screen_before_the_rule_is_read_past() {
        assert_eq!(
            r("Tasks automation: when a task is done, notify Anna"),
            "when a task is done, notify Anna"
        );
        assert_eq!(
            r("On the Quotes tab: when a quote is created, notify Anna"),
            "when a quote is created, notify Anna"
        );
        assert_eq!(
            r("In the pipeline settings, when a deal is lost, notify Anna"),
            "when a deal is lost, notify Anna"
        );
        // A heading that may narrow the records is not a screen.
        assert_eq!(r("Retail deals: notify Anna"), "Retail deals: notify Anna");
    }

    #[test]
    fn a_robot_is_its_stage_and_its_verbs() {
        assert_eq!(
            r("Add a robot to the Negotiation column that creates a quote and assigns it to Tom"),
            "When a deal moves to the stage Negotiation, create a quote and assign it to Tom"
        );
        assert_eq!(
            r("Robot on the Won stage: send an SMS"),
            "When a deal moves to the stage Won, send an SMS"
        );
        assert_eq!(
            r("Robot on the Won stage of the Weddings pipeline: send an SMS"),
            "When a deal moves to the stage Won in the Weddings pipeline, send an SMS"
        );
        assert_eq!(
            r("Leads kanban, robot on the first stage: create a task"),
            "When a lead is created, create a task"
        );
        assert_eq!(
            r("When a call is logged, robot adds the tag 'X' and leaves a comment"),
            "When a call is logged, add the tag 'X' and leave a comment"
        );
        assert_eq!(
            r("Robot on deal modification (any field): notify Anna"),
            "On deal modification: notify Anna"
        );
        assert_eq!(base_form("notifies").as_deref(), Some("notify"));
        assert_eq!(base_form("pushes").as_deref(), Some("push"));
        assert_eq!(base_form("robots"), None);
    }
}
