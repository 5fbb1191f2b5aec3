//! Comparing an [`Effect`] with what a case expects ([`mismatch`]), and both in one line
//! of text for reports.

use super::Effect;
use crate::behave::file::{Expect, Recipient};
use crate::config::Config;
use std::fmt::Write as _;

/// Whether one effect meets one expectation; `None` when it does, else why not.
pub fn mismatch(expect: &Expect, effect: &Effect, config: &Config) -> Option<String> {
    if expect.action != effect.action {
        return Some(format!(
            "action is {}, not {}",
            effect.action, expect.action
        ));
    }
    if let Some(to) = &expect.to {
        let ok = match Recipient::parse(to, config) {
            Ok(Recipient::Client) => {
                !effect.to.is_empty() && effect.to.iter().all(|r| r.role == "client")
            }
            Ok(Recipient::Responsible) => {
                !effect.to.is_empty() && effect.to.iter().all(|r| r.role == "responsible")
            }
            Ok(Recipient::Users(users)) => {
                let mut got: Vec<u64> = effect
                    .to
                    .iter()
                    .filter(|r| r.kind == "user")
                    .map(|r| r.id)
                    .collect();
                got.sort_unstable();
                got.dedup();
                got == users && effect.to.iter().all(|r| r.kind == "user")
            }
            Err(_) => false,
        };
        if !ok {
            return Some(format!("not sent to {to}"));
        }
    }
    if let Some(t) = &expect.text_contains
        && !effect
            .text
            .as_deref()
            .unwrap_or_default()
            .contains(t.as_str())
    {
        return Some(format!("text does not contain `{t}`"));
    }
    if let Some(t) = &expect.title
        && effect.title.as_deref() != Some(t.as_str())
    {
        return Some(format!("title is not `{t}`"));
    }
    if let Some(s) = &expect.stage
        && effect.stage.as_deref() != Some(s.as_str())
    {
        return Some(format!("stage is not {s}"));
    }
    if let Some(f) = &expect.field
        && effect.field.as_deref() != Some(f.as_str())
    {
        return Some(format!("field is not {f}"));
    }
    if let Some(v) = &expect.value
        && effect.value.as_deref() != Some(v.text().as_str())
    {
        return Some(format!("value is not `{}`", v.text()));
    }
    None
}

/// One line for an expected effect.
pub fn show_expect(e: &Expect) -> String {
    let mut s = e.action.clone();
    if let Some(to) = &e.to {
        let _ = write!(s, " to {to}");
    }
    if let Some(t) = &e.title {
        let _ = write!(s, " title {t:?}");
    }
    if let Some(t) = &e.text_contains {
        let _ = write!(s, " text contains {t:?}");
    }
    if let Some(t) = &e.stage {
        let _ = write!(s, " stage {t}");
    }
    if let Some(f) = &e.field {
        let _ = write!(s, " {f}");
    }
    if let Some(v) = &e.value {
        let _ = write!(s, " = {:?}", v.text());
    }
    s
}

/// One line for an actual effect.
pub fn show_effect(e: &Effect) -> String {
    let mut s = e.action.clone();
    if !e.to.is_empty() {
        let to: Vec<String> =
            e.to.iter()
                .map(|r| format!("{} ({})", r.role, r.name))
                .collect();
        let _ = write!(s, " to {}", to.join(", "));
    }
    if let Some(t) = &e.title {
        let _ = write!(s, " title {t:?}");
    }
    if let Some(t) = &e.text {
        let short: String = t.chars().take(60).collect();
        let more = if t.chars().count() > 60 { "…" } else { "" };
        let _ = write!(s, " text {:?}", format!("{short}{more}"));
    }
    if let Some(t) = &e.stage {
        let _ = write!(s, " stage {t}");
    }
    if let Some(f) = &e.field {
        let _ = write!(s, " {f}");
    }
    if let Some(v) = &e.value {
        let _ = write!(s, " = {v:?}");
    }
    s
}
