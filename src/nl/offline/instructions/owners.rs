//! Whom the record goes to, said as a fact rather than an order: "it should go to Lena",
//! "Greg owns it"; and "should go to Priya in a Bitrix message", a message to her.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::{Clause, pattern};
use crate::nl::offline::{recipients, words};

// "Greg owns it", "the night team takes it": the responsible person, said as a fact.
static OWNS_IT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|then\s+)?(?P<who>.+?)\s+(?:owns|takes\s+over|takes|handles|should\s+own|should\s+take|should\s+handle|will\s+own|will\s+take|will\s+handle|becomes\s+responsible\s+for|is\s+responsible\s+for)\s+(?:it|this|them|the\s+(?:deal|lead|record|contact|company|invoice|quote|task))$")
        .expect("valid regex")
});

static GOES_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|then\s+)?(?:(?:it|they|this|these)\s+)?(?:should\s+|must\s+|will\s+|shall\s+)?(?:go|goes|be\s+routed|get\s+routed|be\s+sent)\s+(?:straight\s+|directly\s+)?to\s+(?P<who>[^\x01]+?)\s*$")
        .expect("valid regex")
});

// "Priya in a Bitrix message", "the manager by email": whom, and how it reaches them.
static BY_CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?P<who>.+?)\s+(?:in|by|via|as|over|on|through)\s+(?:a\s+|an\s+|the\s+)?(?P<channel>(?:(?:bitrix\s*(?:24)?|internal|chat)\s+)?message|chat|e-?mail|sms|text(?:\s+message)?|whats\s?app(?:\s+message)?|notification)$")
        .expect("valid regex")
});

/// The order a clause that says whom the record goes to stands for: "assign it to ..."
/// or "send a ... to ...".
pub(super) fn owner_said(clause: &Clause) -> Option<Clause> {
    // "(new deals ...) should go to Lena": the record goes to a person, who owns it.
    // "should go to Priya in a Bitrix message" is a message to her, not a new owner.
    let goes = GOES_TO.captures(&clause.lower).and_then(|c| {
        let m = c.name("who")?;
        if let Some(t) = BY_CHANNEL.captures(m.as_str()) {
            let (who, channel) = (t.name("who")?, t.name("channel")?);
            let at = m.start();
            return Some(Clause::new(&format!(
                "send a {} to {}",
                clause.orig_at(at + channel.start()..at + channel.end()),
                clause.orig_at(at + who.start()..at + who.end())
            )));
        }
        let ws: Vec<&str> = clause.orig_at(m.range()).split_whitespace().collect();
        // "should go straight to the Qualification stage": a stage is where the record
        // moves, never whom it goes to.
        if ws.last().is_some_and(|w| {
            ["stage", "status", "column"].contains(&w.to_ascii_lowercase().as_str())
        }) {
            return Some(Clause::new(&format!(
                "move it to {}",
                clause.orig_at(m.range())
            )));
        }
        matches!(
            recipients::classify(&ws, false),
            Some(recipients::Who::Named(_) | recipients::Who::Responsible)
        )
        .then(|| Clause::new(&format!("assign it to {}", clause.orig_at(m.range()))))
    });
    goes.or_else(|| {
        OWNS_IT.captures(&clause.lower).and_then(|c| {
            let m = c.name("who")?;
            let first = m.as_str().split_whitespace().next().unwrap_or_default();
            // "notify whoever owns it" has a verb of its own.
            (m.as_str().split_whitespace().count() <= 5
                && !words::has_action_verb(first)
                && !m.as_str().contains("who"))
            .then(|| Clause::new(&format!("assign it to {}", clause.orig_at(m.range()))))
        })
    })
}
