//! The colour palette: one name per meaning, used by the views and the CLI alike.
//!
//! Colours are `anstyle` styles, so the CLI's `anstream` output strips them where colour
//! is off (`--color never`, `NO_COLOR`, not a terminal). The views render to strings and
//! take a [`Style`] that says whether to colour at all.

use anstyle::{AnsiColor, Effects};

/// Something added: a create, an inserted line, a successful status verb.
pub const ADD: anstyle::Style = AnsiColor::Green.on_default();
/// Something changed in place: an update, an arrow between two values.
pub const CHANGE: anstyle::Style = AnsiColor::Yellow.on_default();
/// Something deleted and created again.
pub const REPLACE: anstyle::Style = AnsiColor::Magenta.on_default();
/// Something removed: a delete, a removed line.
pub const REMOVE: anstyle::Style = AnsiColor::Red.on_default();
/// A diff's hunk header.
pub const HUNK: anstyle::Style = AnsiColor::Cyan.on_default();
/// Emphasis: verbs and the summary line.
pub const BOLD: anstyle::Style = anstyle::Style::new().effects(Effects::BOLD);
/// A heading over destructive changes.
pub const DANGER: anstyle::Style = REMOVE.effects(Effects::BOLD);
/// A status verb that went well (`Compiled`, `Built`, `created`).
pub const GOOD: anstyle::Style = ADD.effects(Effects::BOLD);
/// A status verb that failed.
pub const BAD: anstyle::Style = DANGER;
/// No styling.
pub const PLAIN: anstyle::Style = anstyle::Style::new();

/// Whether a view colours its text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// `text` in `style`, or as is when colour is off.
    pub fn paint(self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn painting_is_off_unless_asked() {
        assert_eq!(Style { color: false }.paint(DANGER, "x"), "x");
        let on = Style { color: true }.paint(ADD, "x");
        assert!(on.starts_with('\u{1b}') && on.contains('x') && on.ends_with('m'));
        assert_eq!(Style { color: true }.paint(PLAIN, "x"), "x");
    }
}
