//! The parser's regular expressions, compiled with ASCII classes.

/// Compiles one of the parser's patterns with ASCII word boundaries and classes. The
/// texts are English: a Unicode `\b` would change no answer, but the lazy DFA cannot run
/// it on a text with a non-ASCII character ("→", "€", "Müller") and the search falls back
/// to a slower engine, which made it most of the parse time. ASCII `\w`, `\s` and `\d`
/// make each automaton far smaller (Unicode `\w` alone is hundreds of ranges), which
/// took about an eighth off the parse time with no answer changed on any corpus; a name
/// with a letter outside ASCII ("José") is read by the word splitter, not by these
/// classes.
pub(in crate::nl::offline) fn pattern(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::Regex::new(&ascii_classes(pattern))
}

/// `pattern` with `\b`, `\w`, `\s` and `\d` made ASCII.
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut chars = pattern.chars().peekable();
    let mut in_class = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push(c);
                    break;
                };
                let (outside, inside) = match n {
                    'b' => (r"(?-u:\b)", r"\b"),
                    'w' => ("[0-9A-Za-z_]", "0-9A-Za-z_"),
                    // `\x20`, not " ": a space in a class is ignored under `(?x)`.
                    's' => (r"[\t\n\x0B\x0C\r\x20]", r"\t\n\x0B\x0C\r\x20"),
                    'd' => ("[0-9]", "0-9"),
                    _ => {
                        out.push(c);
                        out.push(n);
                        continue;
                    }
                };
                out.push_str(if in_class > 0 { inside } else { outside });
            }
            '[' => {
                in_class += 1;
                out.push(c);
                // "[]]" and "[^]]": a "]" first in a class is a literal.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().unwrap_or(']'));
                }
            }
            ']' if in_class > 0 => {
                in_class -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ascii_classes;

    /// Classes outside and inside brackets become ASCII; escapes and `(?x)` spaces stay
    /// right.
    #[test]
    fn classes_become_ascii() {
        assert_eq!(ascii_classes(r"\bsend\b"), r"(?-u:\b)send(?-u:\b)");
        assert_eq!(ascii_classes(r"[\w-]+"), r"[0-9A-Za-z_-]+");
        assert_eq!(ascii_classes(r"\d+"), r"[0-9]+");
        assert_eq!(ascii_classes(r"[^\s\x01]"), r"[^\t\n\x0B\x0C\r\x20\x01]");
        assert_eq!(ascii_classes(r"\\w"), r"\\w");
        let re = super::pattern("(?x) a \\s+ b").unwrap();
        assert!(re.is_match("a  b"));
    }
}
