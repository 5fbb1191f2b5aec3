//! A spec's front matter: settings that belong to the workflow, not to its description.
//!
//! A spec may open with a block fenced by `---` lines holding `key: value` lines:
//!
//! ```text
//! ---
//! enabled: false
//! ---
//! When a deal is won, send a WhatsApp message to the client
//! ```
//!
//! Invariants: the parser only ever sees the body (the text after the block), so a
//! setting never changes what a spec means; a spec without a block is its own body, so
//! specs that never had one compile to the same bytes as before. The only key is
//! `enabled` (`true` or `false`); any other key or value is an error, never ignored.

use miette::Diagnostic;

/// The fence line that opens and closes the block.
const FENCE: &str = "---";

/// What a spec's front matter declares; `None` where it says nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// `enabled: true|false`: whether the template starts on its own.
    pub enabled: Option<bool>,
}

/// A spec's text split into its front matter and its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: FrontMatter,
    /// The text the parser reads (the whole text when there is no block).
    pub body: &'a str,
}

/// Front matter that does not read.
#[derive(Debug, thiserror::Error, Diagnostic, PartialEq, Eq)]
pub enum Error {
    #[error("{spec}: the front matter opened on line 1 is never closed with a `---` line")]
    #[diagnostic(
        code(b24flow::spec::front_matter),
        help("end the block with a line holding only `---`, or remove the opening `---`")
    )]
    Unclosed { spec: String },
    #[error("{spec}, line {line}: `{text}` is not a front matter setting")]
    #[diagnostic(
        code(b24flow::spec::front_matter),
        help("the only setting is `enabled: true` or `enabled: false`")
    )]
    Unknown {
        spec: String,
        line: usize,
        text: String,
    },
}

/// Splits `text` (the spec at `spec`, named in errors) into front matter and body.
pub fn split<'a>(text: &'a str, spec: &str) -> Result<Split<'a>, Error> {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Ok(Split {
            front: FrontMatter::default(),
            body: text,
        });
    };
    // An unclosed block is reported as such, not as its first line of prose.
    if !rest.lines().any(|l| l.trim() == FENCE) {
        return Err(Error::Unclosed {
            spec: spec.to_owned(),
        });
    }
    let mut front = FrontMatter::default();
    let mut offset = 0;
    for (i, raw) in rest.split_inclusive('\n').enumerate() {
        offset += raw.len();
        let line = raw.trim();
        if line == FENCE {
            return Ok(Split {
                front,
                body: &rest[offset..],
            });
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let unknown = || Error::Unknown {
            spec: spec.to_owned(),
            line: i + 2,
            text: line.to_owned(),
        };
        let (key, value) = line.split_once(':').ok_or_else(unknown)?;
        front.enabled = match (key.trim(), value.trim()) {
            ("enabled", "true") => Some(true),
            ("enabled", "false") => Some(false),
            _ => return Err(unknown()),
        };
    }
    Err(Error::Unclosed {
        spec: spec.to_owned(),
    })
}

/// `text` with its front matter saying `enabled` (`None` removes the setting, and the
/// block with it when nothing else is left). The body is kept byte for byte.
pub fn with_enabled(text: &str, spec: &str, enabled: Option<bool>) -> Result<String, Error> {
    let split = split(text, spec)?;
    let front = FrontMatter { enabled };
    Ok(match front.enabled {
        None => split.body.to_owned(),
        Some(on) => format!("{FENCE}\nenabled: {on}\n{FENCE}\n{}", split.body),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_without_a_block_is_its_own_body() {
        let text = "When a deal is won --- notify the team";
        let s = split(text, "a.txt").unwrap();
        assert_eq!(s.body, text);
        assert_eq!(s.front, FrontMatter::default());
    }

    #[test]
    fn the_block_is_read_and_the_body_follows_it() {
        let s = split("---\nenabled: false\n---\nWhen x", "a.txt").unwrap();
        assert_eq!(s.front.enabled, Some(false));
        assert_eq!(s.body, "When x");
        let s = split(
            "---\r\n# paused for the audit\r\nenabled: true\r\n---\r\nWhen x",
            "a",
        )
        .unwrap();
        assert_eq!((s.front.enabled, s.body), (Some(true), "When x"));
    }

    #[test]
    fn unknown_settings_and_open_blocks_are_errors() {
        assert_eq!(
            split("---\nenabled: maybe\n---\nx", "a.txt").unwrap_err(),
            Error::Unknown {
                spec: "a.txt".into(),
                line: 2,
                text: "enabled: maybe".into()
            }
        );
        assert!(matches!(
            split("---\nowner: me\n---\nx", "a.txt"),
            Err(Error::Unknown { .. })
        ));
        assert!(matches!(
            split("---\nenabled: false\nWhen x", "a.txt"),
            Err(Error::Unclosed { .. })
        ));
    }

    #[test]
    fn enabling_and_disabling_keep_the_body() {
        let body = "When a deal is won, notify the team\n";
        let off = with_enabled(body, "a", Some(false)).unwrap();
        assert_eq!(
            off,
            "---\nenabled: false\n---\nWhen a deal is won, notify the team\n"
        );
        assert_eq!(split(&off, "a").unwrap().body, body);
        assert_eq!(with_enabled(&off, "a", None).unwrap(), body);
    }
}
