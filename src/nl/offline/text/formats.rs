//! Two ways software teams write a requirement, read as the plain request inside them.
//!
//! - A user story: "As an account manager I want a won deal to ping me on chat so that I
//!   remember the welcome pack". The role is who "me" is; the wish is the request; the
//!   closing "so that ..." is the story's benefit, by the format's own rule never an
//!   order (a benefit with a quote or a link in it is kept, to be read or asked about).
//! - A scenario: "Given a lead is created When the amount is 10k or more Then assign it to
//!   Helen And notify her". The capitalised keywords cut it into parts. "Given" is the
//!   event when it says one ("a lead is created"), and "When" is then a condition;
//!   otherwise "Given" names the record ("an enrolment invoice") and "When" is the event,
//!   with "it" standing for that record. "Then" and its "And"s are the orders. A scenario
//!   read neither way is left as written, to be asked about.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::pattern;

static USER_STORY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*as\s+(?:a|an|the|our)\s+(?P<role>[a-z][a-z' -]*?)(?:\s+(?:at|in|for|of|on|with)\s+[^,]*?)?\s*,?\s+(?P<want>i\s+(?:want|would\s+like|'d\s+like|need)\b)")
        .expect("valid regex")
});

// The benefit that closes a user story.
static BENEFIT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i),?\s+so\s+that\s+[^.!?]*[.!?]?\s*$").expect("valid regex"));

static ME: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b(?:me|myself)\b").expect("valid regex"));

static SCENARIO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?s)^\s*Given\s+(?P<given>.+?)(?:\s+When\s+(?P<when>.+?))?\s+Then\s+(?P<then>.+)$")
        .expect("valid regex")
});

static AND: LazyLock<Regex> = LazyLock::new(|| pattern(r"\s+And\s+").expect("valid regex"));

// A part of a scenario that says something happens or is so: "a lead is created".
static SAYS_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:is|are|was|were|gets?|got|has\s+been|have\s+been)\b").expect("valid regex")
});

static IT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(?:it|they|them)\b").expect("valid regex"));

/// `text` with a user story or a scenario read as the request inside it.
pub(super) fn read(text: Cow<'_, str>) -> Cow<'_, str> {
    let text = match USER_STORY.captures(&text) {
        Some(c) => {
            let role = c["role"].trim().to_owned();
            let start = c.name("want").map_or(0, |m| m.start());
            let mut story = text[start..].to_owned();
            if let Some(m) = BENEFIT.find(&story)
                && !m.as_str().contains(['\'', '"', '\u{2018}', '\u{201c}'])
                && !m.as_str().contains("http")
            {
                story.truncate(m.start());
            }
            Cow::Owned(ME.replace_all(&story, format!("the {role}")).into_owned())
        }
        None => text,
    };
    let Some(c) = SCENARIO.captures(&text) else {
        return text;
    };
    let given: Vec<&str> = AND.split(c["given"].trim()).collect();
    let when: Vec<&str> = c
        .name("when")
        .map(|m| AND.split(m.as_str().trim()).collect())
        .unwrap_or_default();
    let then = AND.replace_all(c["then"].trim(), " and ");
    let (event, conditions): (String, Vec<&str>) = if SAYS_EVENT.is_match(given[0]) {
        let mut conditions = given[1..].to_vec();
        conditions.extend(&when);
        (given[0].to_owned(), conditions)
    } else if let Some((first, more)) = when.split_first()
        && IT.is_match(first)
    {
        let mut conditions = given[1..].to_vec();
        conditions.extend(more);
        (IT.replace(first, given[0]).into_owned(), conditions)
    } else {
        return text;
    };
    let mut out = format!("When {event}");
    for condition in conditions {
        out.push_str(" and ");
        out.push_str(condition);
    }
    out.push_str(", ");
    out.push_str(&then);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> String {
        read(Cow::Borrowed(s)).into_owned()
    }

    #[test]
    fn a_user_story_is_its_wish() {
        assert_eq!(
            r(
                "As an account manager at the brokerage I want a won deal to ping me on chat so that I remember"
            ),
            "I want a won deal to ping the account manager on chat"
        );
        // A benefit with a quote in it is kept.
        assert_eq!(
            r("As a rep I want X so that the client gets 'Hi'"),
            "I want X so that the client gets 'Hi'"
        );
    }

    #[test]
    fn a_scenario_is_its_event_conditions_and_orders() {
        assert_eq!(
            r(
                "Given a lead is created When the amount is 10k or more Then assign it to Helen And notify her"
            ),
            "When a lead is created and the amount is 10k or more, assign it to Helen and notify her"
        );
        assert_eq!(
            r("Given an enrolment invoice When it is paid Then create a task"),
            "When an enrolment invoice is paid, create a task"
        );
        assert_eq!(
            r("Given a contact is updated Then remove the tag 'X'"),
            "When a contact is updated, remove the tag 'X'"
        );
        // Neither reading: left to be asked about.
        assert_eq!(
            r("Given a VIP deal When a deal is won Then notify Anna"),
            "Given a VIP deal When a deal is won Then notify Anna"
        );
    }
}
