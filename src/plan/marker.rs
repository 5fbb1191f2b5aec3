//! The ownership marker: the last line of a managed template's description,
//! `[b24flow:<workflow id>@<template hash>]`, or, once apply has written the template
//! from a known commit, `[b24flow:<workflow id>@<template hash> commit <sha>]`.
//!
//! Invariants: a template is managed exactly when its description ends with a marker;
//! the hash part is the first 12 hex digits of the template's SHA-256, so a plan can tell
//! "the workflow changed" (the hash moved) from "edited in the portal" (it did not). The
//! commit is an audit record only: the desired description never carries it, and plans
//! compare descriptions without it ([`without_commit`]), so a template that does not
//! change keeps the commit that last wrote it.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[b24flow:(.+)@([0-9a-f]{12})( commit ([0-9a-f]{7,40}))?\]\s*$")
        .expect("a valid regex")
});

/// Whether `commit` can go in a marker: 7 to 40 lowercase hex digits (a git object id,
/// full or abbreviated).
pub fn valid_commit(commit: &str) -> bool {
    (7..=40).contains(&commit.len())
        && commit
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `description` with its marker recording `commit` (replacing any commit it had).
/// A description without a marker, or a commit [`valid_commit`] refuses, is returned
/// unchanged.
pub fn with_commit(description: &str, commit: &str) -> String {
    if !valid_commit(commit) {
        return description.to_owned();
    }
    let Some(c) = MARKER.captures(description) else {
        return description.to_owned();
    };
    let whole = c.get(0).expect("the whole match");
    format!(
        "{}[b24flow:{}@{} commit {commit}]{}",
        &description[..whole.start()],
        &c[1],
        &c[2],
        &description[whole.end()..]
    )
}

/// The commit a live description's marker records, if any.
pub fn managed_commit(description: &str) -> Option<&str> {
    MARKER
        .captures(description)
        .and_then(|c| c.get(4))
        .map(|m| m.as_str())
}

/// `description` without the commit in its marker: what plans compare.
pub fn without_commit(description: &str) -> Cow<'_, str> {
    match MARKER.captures(description).and_then(|c| c.get(3)) {
        Some(commit) => Cow::Owned(format!(
            "{}{}",
            &description[..commit.start()],
            &description[commit.end()..]
        )),
        None => Cow::Borrowed(description),
    }
}

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

    #[test]
    fn the_commit_is_recorded_and_ignored_when_comparing() {
        let d = description("workflows/a.txt", "When x", "sales/a", &"ab".repeat(32));
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let stamped = with_commit(&d, sha);
        assert!(stamped.ends_with(&format!("[b24flow:sales/a@abababababab commit {sha}]")));
        assert_eq!(managed_id(&stamped), Some("sales/a"));
        assert_eq!(managed_hash(&stamped), Some("abababababab"));
        assert_eq!(managed_commit(&stamped), Some(sha));
        assert_eq!(managed_commit(&d), None);
        assert_eq!(without_commit(&stamped), d);
        assert_eq!(without_commit(&d), d);
        // A second stamp replaces the first; bad commits and unmanaged text are left alone.
        assert_eq!(without_commit(&with_commit(&stamped, "abcdef1")), d);
        assert_eq!(
            managed_commit(&with_commit(&stamped, "abcdef1")),
            Some("abcdef1")
        );
        assert_eq!(with_commit(&d, "HEAD; rm -rf"), d);
        assert_eq!(with_commit("hand made", sha), "hand made");
    }
}
