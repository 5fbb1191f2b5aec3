//! The ownership marker: the last line of a managed template's description,
//! `[b24flow:<workflow id>@<template hash>]`.
//!
//! Invariants: a template is managed exactly when its description ends with a marker;
//! the hash part is the first 12 hex digits of the template's SHA-256, so a plan can tell
//! "the workflow changed" (the hash moved) from "edited in the portal" (it did not).

use std::sync::LazyLock;

use regex::Regex;

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[b24flow:(.+)@([0-9a-f]{12})\]\s*$").expect("a valid regex"));

/// The marker line for a workflow's template.
pub fn marker(id: &str, template_sha256: &str) -> String {
    format!(
        "[b24flow:{id}@{}]",
        &template_sha256[..12.min(template_sha256.len())]
    )
}

/// The workflow id a live description's marker names, if it has one.
pub fn managed_id(description: &str) -> Option<&str> {
    MARKER
        .captures(description)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

/// The description a managed template carries: a human line, then the marker.
pub fn description(spec_path: &str, spec_text: &str, id: &str, template_sha256: &str) -> String {
    let summary: String = spec_text.split_whitespace().collect::<Vec<_>>().join(" ");
    let summary: String = summary.chars().take(400).collect();
    format!(
        "{summary}\n\nManaged by b24flow from {spec_path}: edit the spec, not this template.\n{}",
        marker(id, template_sha256)
    )
}

/// A managed description without what b24flow added: the marker line and the
/// "Managed by b24flow" line go, the human summary stays (`b24flow forget`).
pub fn without_marker(description: &str) -> String {
    let stripped = MARKER.replace(description, "");
    let kept: Vec<&str> = stripped
        .lines()
        .filter(|l| !l.starts_with("Managed by b24flow from "))
        .collect();
    kept.join("\n").trim_end().to_owned()
}

/// The template hash a live description's marker records, if it has one.
pub(super) fn managed_hash(description: &str) -> Option<&str> {
    MARKER
        .captures(description)
        .and_then(|c| c.get(2))
        .map(|m| m.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trips_ids_with_spaces() {
        let d = description(
            "workflows/a b.txt",
            "When x",
            "sales/a b ✓",
            &"ab".repeat(32),
        );
        assert_eq!(managed_id(&d), Some("sales/a b ✓"));
        assert_eq!(managed_hash(&d), Some("abababababab"));
        assert_eq!(managed_id("no marker here"), None);
        let plain = without_marker(&d);
        assert_eq!(plain, "When x");
        assert_eq!(managed_id(&plain), None);
    }
}
