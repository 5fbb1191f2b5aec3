//! Finds where a value sits in a YAML document, so a diagnostic about
//! `blueprint.actions[1].to` can underline that text in the lockfile.
//!
//! The YAML event stream (from the parser serde-saphyr itself uses) is walked once, and
//! the span of every key and value is recorded under its path. Paths are written the way
//! `validate` reports them: keys joined by `.`, sequence items as `[i]`.

use std::collections::HashMap;

use serde_saphyr::granit_parser::{Event, Parser};

/// The byte spans of the values (and keys) in one YAML document.
#[derive(Debug, Default)]
pub struct Locations {
    values: HashMap<String, (usize, usize)>,
    keys: HashMap<String, (usize, usize)>,
    multi_line: HashMap<String, bool>,
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        start: usize,
    },
    Seq {
        path: String,
        index: usize,
        start: usize,
    },
}

impl Locations {
    /// Walks `text`; on a syntax error, what was seen before it is kept.
    pub fn scan(text: &str) -> Locations {
        let mut out = Locations::default();
        let mut stack: Vec<Frame> = Vec::new();
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else { break };
            let start = byte_offset(text, span.start.byte_offset(), span.start.index());
            let end = byte_offset(text, span.end.byte_offset(), span.end.index()).max(start);
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { path, key, .. }) = stack.last_mut()
                        && key.is_none()
                    {
                        let child = join(path, &value);
                        out.keys.insert(child, (start, end));
                        *key = Some(value.into_owned());
                        continue;
                    }
                    let path = next_path(&mut stack);
                    out.values.insert(path, (start, end));
                }
                Event::MappingStart(..) => {
                    let path = next_path(&mut stack);
                    stack.push(Frame::Map {
                        path,
                        key: None,
                        start,
                    });
                }
                Event::SequenceStart(..) => {
                    let path = next_path(&mut stack);
                    stack.push(Frame::Seq {
                        path,
                        index: 0,
                        start,
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    // A block collection ends where the next token starts; trailing
                    // blank space is not part of it.
                    if let Some(Frame::Map { path, start, .. } | Frame::Seq { path, start, .. }) =
                        stack.pop()
                    {
                        let body = text[start..end.max(start)].trim_end();
                        out.multi_line.insert(path.clone(), body.contains('\n'));
                        out.values.insert(path, (start, start + body.len()));
                    }
                }
                Event::Alias(_) => {
                    let path = next_path(&mut stack);
                    out.values.insert(path, (start, end));
                }
                _ => {}
            }
        }
        out
    }

    /// The span `(offset, length)` of the value at `path`, or of its nearest ancestor
    /// that exists (a missing field points at the object that should have it). A value
    /// that spans several lines (a whole mapping) is shown by its key, which reads better.
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let mut path = path.to_owned();
        loop {
            if let Some(&(s, e)) = self.values.get(&path) {
                let multi_line = self.multi_line.get(&path).copied().unwrap_or(false);
                return match self.keys.get(&path) {
                    Some(&(ks, ke)) if multi_line => Some((ks, ke - ks)),
                    _ => Some((s, e - s)),
                };
            }
            if let Some(&(s, e)) = self.keys.get(&path) {
                return Some((s, e - s));
            }
            path = parent(&path)?;
        }
    }
}

fn byte_offset(text: &str, bytes: Option<usize>, chars: usize) -> usize {
    bytes
        .unwrap_or_else(|| {
            text.char_indices()
                .nth(chars)
                .map_or(text.len(), |(i, _)| i)
        })
        .min(text.len())
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// The path of the node that starts now, advancing the enclosing frame.
fn next_path(stack: &mut [Frame]) -> String {
    match stack.last_mut() {
        None => String::new(),
        Some(Frame::Map { path, key, .. }) => {
            let k = key.take().unwrap_or_default();
            join(path, &k)
        }
        Some(Frame::Seq { path, index, .. }) => {
            let p = format!("{path}[{index}]");
            *index += 1;
            p
        }
    }
}

fn parent(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']') {
        return path.rfind('[').map(|i| path[..i].to_owned());
    }
    Some(
        path.rfind('.')
            .map_or_else(String::new, |i| path[..i].to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "version: 1\nblueprint:\n  name: Deal won\n  actions:\n  - type: send_sms\n    to: '{{X}}'\n  - type: webhook\n    url: http://x\n";

    fn text_at(path: &str) -> &'static str {
        let (s, l) = Locations::scan(DOC).find(path).unwrap();
        &DOC[s..s + l]
    }

    #[test]
    fn finds_nested_values() {
        assert_eq!(text_at("blueprint.name"), "Deal won");
        assert_eq!(text_at("blueprint.actions[1].url"), "http://x");
        assert_eq!(text_at("blueprint.actions[0].to"), "'{{X}}'");
    }

    #[test]
    fn missing_values_fall_back_to_their_parent() {
        assert!(text_at("blueprint.actions[1].method").contains("webhook"));
    }

    #[test]
    fn survives_broken_yaml() {
        let locs = Locations::scan("a: x\nb: [1, 2\nc: :");
        assert_eq!(locs.find("a"), Some((3, 1)));
    }
}
