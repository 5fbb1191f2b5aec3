//! The parser's regular expressions, compiled with ASCII classes, and lists of them
//! behind a literal gate.

use aho_corasick::AhoCorasick;
use regex_syntax::hir::{Hir, HirKind, Literal};

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

/// A list of patterns searched in order, each behind the literal words its every match
/// must contain. One pass of Aho-Corasick over the text finds which of those words it
/// holds; a pattern none of whose words is there cannot match and is not run. Most
/// clauses name one record and one event, so most patterns are skipped: each would
/// otherwise scan the whole clause. The words are read from the pattern itself
/// ([`required`]), so a gate can never hide a match.
pub(in crate::nl::offline) struct Gated<K> {
    entries: Vec<Entry<K>>,
    words: AhoCorasick,
    word_count: usize,
}

struct Entry<K> {
    key: K,
    regex: regex::Regex,
    /// What a match needs, as masks over the gate's words: for one of the pattern's
    /// branches, one word of each of its sets. `None` when a branch needs no word (the
    /// pattern always runs).
    needs: Option<Vec<Vec<Mask>>>,
}

/// A set of the gate's words, as the 64-bit blocks of a bit set that have a word in
/// them: (block, bits). Checked against the words found with one AND per block, not one
/// lookup per word; this runs for every pattern on every clause.
type Mask = Vec<(usize, u64)>;

/// `indices` as a [`Mask`].
fn mask(indices: impl IntoIterator<Item = usize>) -> Mask {
    let mut blocks: Mask = Vec::new();
    for i in indices {
        let (block, bit) = (i / 64, 1u64 << (i % 64));
        match blocks.iter_mut().find(|(b, _)| *b == block) {
            Some((_, bits)) => *bits |= bit,
            None => blocks.push((block, bit)),
        }
    }
    blocks
}

impl<K> Gated<K> {
    /// Compiles each pattern as [`pattern`] does, with its gate.
    pub(in crate::nl::offline) fn new(
        patterns: impl IntoIterator<Item = (K, String)>,
    ) -> Result<Gated<K>, regex::Error> {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let mut entries = Vec::new();
        for (key, source) in patterns {
            let source = ascii_classes(&source);
            let regex = regex::Regex::new(&source)?;
            let mut index = |literal: Vec<u8>| {
                words.iter().position(|w| *w == literal).unwrap_or_else(|| {
                    words.push(literal);
                    words.len() - 1
                })
            };
            let needs = regex_syntax::parse(&source)
                .ok()
                .and_then(|hir| branches(&hir))
                .map(|branches| {
                    branches
                        .into_iter()
                        .map(|sets| {
                            sets.into_iter()
                                .map(|set| mask(set.into_iter().map(&mut index)))
                                .collect()
                        })
                        .collect()
                });
            entries.push(Entry { key, regex, needs });
        }
        let word_count = words.len();
        let words = AhoCorasick::new(&words).map_err(|e| regex::Error::Syntax(e.to_string()))?;
        Ok(Gated {
            entries,
            words,
            word_count,
        })
    }

    /// The patterns that can match `haystack`, in their order.
    pub(in crate::nl::offline) fn candidates<'a>(
        &'a self,
        haystack: &str,
    ) -> impl Iterator<Item = (&'a K, &'a regex::Regex)> + 'a {
        let mut present = vec![0u64; self.word_count.div_ceil(64)];
        for m in self.words.find_overlapping_iter(haystack) {
            let i = m.pattern().as_usize();
            present[i / 64] |= 1 << (i % 64);
        }
        self.entries
            .iter()
            .filter(move |e| {
                e.needs.as_ref().is_none_or(|branches| {
                    branches.iter().any(|sets| {
                        sets.iter()
                            .all(|set| set.iter().any(|&(block, bits)| present[block] & bits != 0))
                    })
                })
            })
            .map(|e| (&e.key, &e.regex))
    }

    /// Every pattern, gated or not, in order.
    #[cfg(test)]
    pub(in crate::nl::offline) fn all(&self) -> impl Iterator<Item = (&K, &regex::Regex)> {
        self.entries.iter().map(|e| (&e.key, &e.regex))
    }
}

/// What a match of `hir` needs, branch by branch: for some branch of a top-level
/// alternation, one literal of each set that branch's parts need ("deal" or "order",
/// and "won" or "signed"). `None` when some branch needs nothing.
fn branches(hir: &Hir) -> Option<Vec<Vec<Vec<Vec<u8>>>>> {
    let conjunction = |hir: &Hir| -> Option<Vec<Vec<Vec<u8>>>> {
        let sets: Vec<_> = match hir.kind() {
            HirKind::Concat(parts) => parts.iter().filter_map(required).collect(),
            _ => required(hir).into_iter().collect(),
        };
        (!sets.is_empty()).then_some(sets)
    };
    match hir.kind() {
        HirKind::Capture(c) => branches(&c.sub),
        HirKind::Alternation(all) => all.iter().map(conjunction).collect(),
        _ => Some(vec![conjunction(hir)?]),
    }
}

/// Literals one of which every match of `hir` contains, or `None` when there is no such
/// set. Of a sequence's parts the rarest set is kept (a set of long words beats a set of
/// short ones, and fewer beat more); an alternation needs one of its branches' sets.
fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Literal(Literal(bytes)) if bytes.len() >= 2 => Some(vec![bytes.to_vec()]),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min > 0 => required(&r.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required)
            .min_by(|a, b| frequency(a).total_cmp(&frequency(b))),
        HirKind::Alternation(branches) => {
            let mut all: Vec<Vec<u8>> = Vec::new();
            for branch in branches {
                for literal in required(branch)? {
                    if !all.contains(&literal) {
                        all.push(literal);
                    }
                }
            }
            Some(all)
        }
        _ => None,
    }
}

/// A rough chance that a text holds one of `literals`: each a quarter as likely per byte
/// it has.
fn frequency(literals: &[Vec<u8>]) -> f64 {
    literals
        .iter()
        .map(|l| 0.25f64.powi(i32::try_from(l.len()).unwrap_or(i32::MAX)))
        .sum()
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

#[cfg(test)]
pub(super) mod gate_tests {
    use super::Gated;

    fn keys(gate: &Gated<&'static str>, text: &str) -> Vec<&'static str> {
        gate.candidates(text).map(|(k, _)| *k).collect()
    }

    /// A pattern runs only where a word each part of one of its branches needs is in the
    /// text, and always runs when a branch needs none.
    #[test]
    fn a_pattern_runs_where_its_words_are() {
        let gate = Gated::new([
            (
                "won",
                r"\b(?:deal|order)\s+(?:is\s+)?(?:won|signed)\b|^closed\b".to_owned(),
            ),
            ("any", r"\b\w+\s+moved\b|^\w+$".to_owned()),
            ("tag", r"\btags?\b".to_owned()),
        ])
        .unwrap();
        assert_eq!(keys(&gate, "the deal is won"), ["won", "any"]);
        assert_eq!(keys(&gate, "the order signed"), ["won", "any"]);
        // "deal" without "won" or "signed", "won" without a record: the first branch
        // cannot match, and the second needs "closed".
        assert_eq!(keys(&gate, "a deal is lost"), ["any"]);
        assert_eq!(keys(&gate, "we won"), ["any"]);
        assert_eq!(keys(&gate, "closed, tag it"), ["won", "any", "tag"]);
    }

    /// The gate reads what a match needs from the pattern itself, so it never hides one:
    /// on every clause of every corpus, each trigger pattern and action frame that
    /// matches is among the candidates.
    #[test]
    fn the_gates_hide_no_match() {
        #[derive(serde::Deserialize)]
        struct Entry {
            text: String,
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
        let mut clauses = 0;
        for file in std::fs::read_dir(dir).unwrap() {
            let corpus = std::fs::read_to_string(file.unwrap().path()).unwrap();
            let entries: Vec<Entry> = serde_saphyr::from_str(&corpus).unwrap();
            for entry in entries {
                let prepared = crate::nl::offline::text::prepare(&entry.text);
                for clause in crate::nl::offline::text::clauses(&prepared.text) {
                    clauses += 1;
                    let lower = clause.lower.as_str();
                    crate::nl::offline::triggers::assert_gated(lower);
                    crate::nl::offline::actions::assert_gated(lower);
                }
            }
        }
        assert!(clauses > 5000, "{clauses}");
    }

    /// `gate` hides none of its patterns that match `text`.
    pub(in crate::nl::offline) fn assert_complete<K: std::fmt::Debug>(gate: &Gated<K>, text: &str) {
        let candidates: Vec<&regex::Regex> = gate.candidates(text).map(|(_, re)| re).collect();
        for (key, re) in gate.all() {
            if re.is_match(text) {
                assert!(
                    candidates.iter().any(|c| std::ptr::eq(*c, re)),
                    "{key:?} matches {text:?} but was not run"
                );
            }
        }
    }
}
