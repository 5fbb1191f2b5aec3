//! Escaping of text that comes from a portal or a file before it reaches a terminal or
//! a Markdown comment: template names, descriptions, error texts.
//!
//! Invariants: [`text`] leaves no control character but `\n` and `\t` in its result
//! (terminal escapes, `\r`, C1 controls and the Unicode bidirectional overrides are
//! shown as `\u{…}`/`\r` instead), so a name cannot move the cursor, retitle the
//! window, hide a line or reorder what is shown. [`markdown`] adds what a Markdown
//! renderer would interpret. Both are the identity on ordinary text.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal raw: C0 and C1 controls but `\n` and `\t`, DEL,
/// and the bidirectional embedding, override and isolate marks.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\r' => out.push_str("\\r"),
        '\u{1b}' => out.push_str("\\e"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// `s` with every control character but `\n` and `\t` escaped, for a terminal.
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` on one line: as [`text`], and `\n` and `\t` escaped too.
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() || unsafe_char(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if unsafe_char(c) => push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text already rendered with colour (SGR sequences, `ESC [ … m`, which this program
/// writes itself) with every other control character escaped as [`text`] does: for
/// diagnostics that carry portal text inside a styled report.
pub fn styled(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(len) = sgr_len(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if unsafe_char(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The length of the SGR sequence (`ESC [` digits and `;` then `m`) `s` starts with.
fn sgr_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\u{1b}[")?;
    let end = body.find(|c: char| !(c.is_ascii_digit() || c == ';'))?;
    (body[end..].starts_with('m')).then_some(2 + end + 1)
}

/// `s` for Markdown and the HTML GitHub allows in it, on one line: [`line`], then
/// `&`, `<`, `>` as entities and every Markdown punctuation that could start a link,
/// an image, emphasis, code or a table cell backslash-escaped.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in line(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Escaping the brackets is enough to stop a link or an image: `(`, `)` and
            // `!` mean nothing without them, and escaping them only adds noise.
            '[' | ']' | '*' | '_' | '`' | '|' | '#' | '~' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Red-team 2.13: a template name with OSC/CSI sequences and `\r` reached the
    /// terminal raw.
    #[test]
    fn terminal_escapes_in_names_are_shown_not_run() {
        let name = "RED\u{1b}]0;pwned\u{7}\u{1b}[2J\rFAKE\u{202e}x\u{9b}";
        let shown = text(name);
        assert!(!shown.chars().any(unsafe_char), "{shown}");
        assert_eq!(shown, "RED\\e]0;pwned\\u{7}\\e[2J\\rFAKE\\u{202e}x\\u{9b}");
        assert_eq!(text("plain name\nsecond line"), "plain name\nsecond line");
        assert_eq!(line("a\nb\tc"), "a\\nb\\tc");
    }

    #[test]
    fn styled_text_keeps_only_colour() {
        let s = "\u{1b}[31merror\u{1b}[0m: \u{1b}]8;;http://x\u{7}link\r";
        assert_eq!(
            styled(s),
            "\u{1b}[31merror\u{1b}[0m: \\e]8;;http://x\\u{7}link\\r"
        );
    }

    /// Red-team code review: Markdown links and images in a live template's name
    /// passed into PR comments.
    #[test]
    fn markdown_cannot_link_or_embed() {
        let s = markdown("![x](https://evil/p.png) [a](b) <img> `c`\r\n| t");
        // Every bracket is escaped, so `](` never opens a link or an image.
        let unescaped = s
            .char_indices()
            .any(|(i, c)| matches!(c, '[' | ']') && !s[..i].ends_with('\\'));
        assert!(!unescaped, "{s}");
        assert!(
            !s.contains('<') && !s.contains('\r') && !s.contains('\n'),
            "{s}"
        );
        assert_eq!(markdown("deal-won"), "deal-won");
    }
}
