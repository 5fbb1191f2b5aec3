//! PHP `serialize()` / `unserialize()` for the subset of values a `.bpt` template holds:
//! null, booleans, integers, floats, strings and arrays (ordered hash maps).
//!
//! Bitrix24 stores business process templates as serialized PHP arrays, so this codec is
//! the ground truth for both the templates b24flow builds and the ones it reads back.
//!
//! Invariants:
//! - String lengths are UTF-8 **byte** counts, as PHP writes them (`s:6:"Привет"` is
//!   wrong, `s:12:"Привет"` is right).
//! - Array keys behave as in a PHP hash table: a string key that is a canonical decimal
//!   integer (`"5"`, `"-3"`, not `"05"` or `"-0"`) becomes an integer key, and a repeated
//!   key keeps its first position and takes the last value.
//! - [`decode`] never panics and never allocates from a length it has not checked
//!   against the bytes that remain; nesting is bounded by [`MAX_DEPTH`]. Objects,
//!   references and enums are refused: templates never contain them, and Bitrix itself
//!   unserializes with `allowed_classes => false`.
//! - Strings must be UTF-8. Every Bitrix24 portal stores templates in UTF-8, and JSON
//!   (the form the REST API returns) cannot carry anything else.

use std::collections::HashMap;
use std::fmt::Write as _;

/// The deepest nesting [`decode`] accepts. A real template nests a handful of
/// condition branches; this bound exists so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// The most array entries [`decode`] reserves room for before seeing them.
const PREALLOCATE_MAX: usize = 64;

/// A PHP array key: PHP only has integer and string keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// An integer key, written `i:N;`.
    Int(i64),
    /// A string key, written `s:LEN:"...";`.
    Str(String),
}

impl Key {
    /// The key PHP would store for the string `s`: canonical decimal integers become
    /// integer keys, everything else stays a string.
    pub fn normalized(s: &str) -> Key {
        match canonical_int(s) {
            Some(n) => Key::Int(n),
            None => Key::Str(s.to_owned()),
        }
    }

    /// The key as PHP's `json_encode` prints an object key.
    pub fn to_json_key(&self) -> String {
        match self {
            Key::Int(n) => n.to_string(),
            Key::Str(s) => s.clone(),
        }
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key::normalized(s)
    }
}

impl From<i64> for Key {
    fn from(n: i64) -> Key {
        Key::Int(n)
    }
}

/// An owned PHP value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `N;`
    Null,
    /// `b:0;` / `b:1;`
    Bool(bool),
    /// `i:N;`
    Int(i64),
    /// `d:N;`
    Float(f64),
    /// `s:LEN:"...";` (always UTF-8 here; see the module docs).
    Str(String),
    /// `a:N:{...}`: an ordered map; PHP lists are arrays with keys `0..n`.
    Array(Vec<(Key, Value)>),
}

impl Value {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    /// A PHP list: keys `0..n` in order.
    pub fn list(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Array(
            items
                .into_iter()
                .zip(0_i64..)
                .map(|(v, i)| (Key::Int(i), v))
                .collect(),
        )
    }

    /// A PHP array with string keys, in the given order (keys are normalized as PHP
    /// would, so `"0"` becomes the integer key 0).
    pub fn map<'a>(entries: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
        Value::Array(
            entries
                .into_iter()
                .map(|(k, v)| (Key::normalized(k), v))
                .collect(),
        )
    }

    /// An empty array, `a:0:{}`.
    pub fn empty_array() -> Value {
        Value::Array(Vec::new())
    }

    /// The entries when this is an array.
    pub fn as_array(&self) -> Option<&[(Key, Value)]> {
        match self {
            Value::Array(entries) => Some(entries),
            _ => None,
        }
    }

    /// The text when this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value under a string key, when this is an array that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        let key = Key::normalized(key);
        self.as_array()?
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// The items when this is a PHP list (keys exactly `0..n` in order).
    pub fn as_list(&self) -> Option<Vec<&Value>> {
        let entries = self.as_array()?;
        entries
            .iter()
            .zip(0_i64..)
            .map(|((k, v), i)| (*k == Key::Int(i)).then_some(v))
            .collect()
    }
}

/// Why bytes are not a serialized PHP value we accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    /// The input ended inside a value.
    #[error("serialized PHP value ends early at byte {offset}")]
    #[diagnostic(
        code(b24flow::php::truncated),
        help("the template data is cut short; export or build it again")
    )]
    Truncated {
        /// Where more input was expected.
        offset: usize,
    },
    /// A byte that cannot appear at this point of the grammar.
    #[error("unexpected {found} at byte {offset} of serialized PHP value (expected {expected})")]
    #[diagnostic(
        code(b24flow::php::syntax),
        help("the template data is not PHP serialize() output")
    )]
    Syntax {
        /// Where the bad byte is.
        offset: usize,
        /// What the grammar wanted.
        expected: &'static str,
        /// What was there, printed safely.
        found: String,
    },
    /// A number that does not parse or does not fit in 64 bits.
    #[error("bad number at byte {offset} of serialized PHP value")]
    #[diagnostic(code(b24flow::php::number), help("integers must fit in 64 bits"))]
    Number {
        /// Where the number starts.
        offset: usize,
    },
    /// A string or array length larger than the bytes that remain.
    #[error("length {length} at byte {offset} is larger than the {remaining} bytes that remain")]
    #[diagnostic(
        code(b24flow::php::length),
        help("the template data is corrupt or truncated")
    )]
    Length {
        /// Where the length is written.
        offset: usize,
        /// The declared length or element count.
        length: u64,
        /// How many bytes follow.
        remaining: usize,
    },
    /// A string whose bytes are not UTF-8.
    #[error("string at byte {offset} is not UTF-8")]
    #[diagnostic(
        code(b24flow::php::utf8),
        help("Bitrix24 templates are UTF-8; re-export the template from a UTF-8 portal")
    )]
    NotUtf8 {
        /// Where the string's bytes start.
        offset: usize,
    },
    /// A PHP type that templates never hold (object, reference, enum, custom class).
    #[error("unsupported PHP type `{tag}` at byte {offset}")]
    #[diagnostic(
        code(b24flow::php::unsupported),
        help("templates hold only null, booleans, numbers, strings and arrays")
    )]
    Unsupported {
        /// Where the value starts.
        offset: usize,
        /// The type tag, e.g. `O` for an object.
        tag: char,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("arrays nested deeper than {max} levels at byte {offset}")]
    #[diagnostic(
        code(b24flow::php::depth),
        help("no real template nests this deep; the data is corrupt or hostile")
    )]
    TooDeep {
        /// Where the too-deep array starts.
        offset: usize,
        /// The limit.
        max: usize,
    },
    /// Bytes after the end of the top-level value.
    #[error("{count} unexpected bytes after the serialized PHP value")]
    #[diagnostic(
        code(b24flow::php::trailing),
        help("the data holds more than one value, or is corrupt")
    )]
    Trailing {
        /// How many bytes follow the value.
        count: usize,
    },
}

/// Serialize `value` exactly as PHP's `serialize()` lays it out.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(value, &mut out);
    out
}

fn encode_into(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"N;"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"b:1;" } else { b"b:0;" }),
        Value::Int(n) => push_fmt(out, format_args!("i:{n};")),
        Value::Float(f) => push_fmt(out, format_args!("d:{};", php_float(*f))),
        Value::Str(s) => encode_str(s, out),
        Value::Array(entries) => {
            push_fmt(out, format_args!("a:{}:{{", entries.len()));
            for (key, v) in entries {
                match key {
                    Key::Int(n) => push_fmt(out, format_args!("i:{n};")),
                    Key::Str(s) => encode_str(s, out),
                }
                encode_into(v, out);
            }
            out.push(b'}');
        }
    }
}

fn encode_str(s: &str, out: &mut Vec<u8>) {
    // `len()` is the UTF-8 byte count, which is what PHP's length prefix means.
    push_fmt(out, format_args!("s:{}:\"", s.len()));
    out.extend_from_slice(s.as_bytes());
    out.extend_from_slice(b"\";");
}

fn push_fmt(out: &mut Vec<u8>, args: std::fmt::Arguments<'_>) {
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = s.write_fmt(args);
    out.extend_from_slice(s.as_bytes());
}

/// A float in a form PHP's unserializer reads back to the same value. PHP itself writes
/// the shortest round-trip form (`serialize_precision = -1`); Rust's `Debug` is also a
/// shortest round-trip form, and PHP accepts its exponent syntax (`1e25`).
fn php_float(f: f64) -> String {
    if f.is_nan() {
        "NAN".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "INF" } else { "-INF" }.to_owned()
    } else {
        format!("{f:?}")
    }
}

/// Parse the serialized PHP value that fills all of `bytes`.
pub fn decode(bytes: &[u8]) -> Result<Value, Error> {
    let mut parser = Parser { bytes, pos: 0 };
    let value = parser.value(0)?;
    if parser.pos != bytes.len() {
        return Err(Error::Trailing {
            count: bytes.len() - parser.pos,
        });
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn peek(&self) -> Result<u8, Error> {
        self.bytes
            .get(self.pos)
            .copied()
            .ok_or(Error::Truncated { offset: self.pos })
    }

    fn expect(&mut self, want: u8, expected: &'static str) -> Result<(), Error> {
        let got = self.peek()?;
        if got != want {
            return Err(self.syntax(expected));
        }
        self.pos += 1;
        Ok(())
    }

    fn syntax(&self, expected: &'static str) -> Error {
        match self.bytes.get(self.pos) {
            None => Error::Truncated { offset: self.pos },
            Some(b) => Error::Syntax {
                offset: self.pos,
                expected,
                found: format!("{:?}", char::from(*b)),
            },
        }
    }

    /// The bytes up to (not including) the next `stop`, which is consumed.
    fn until(&mut self, stop: u8) -> Result<&[u8], Error> {
        let start = self.pos;
        let rest = &self.bytes[start..];
        let Some(len) = rest.iter().position(|b| *b == stop) else {
            return Err(Error::Truncated {
                offset: self.bytes.len(),
            });
        };
        self.pos = start + len + 1;
        Ok(&rest[..len])
    }

    fn int_until(&mut self, stop: u8) -> Result<i64, Error> {
        let start = self.pos;
        let raw = self.until(stop)?;
        parse_int(raw).ok_or(Error::Number { offset: start })
    }

    /// A non-negative length or count, checked against what remains.
    fn length_until(&mut self, stop: u8, min_bytes_each: usize) -> Result<usize, Error> {
        let start = self.pos;
        let raw = self.until(stop)?;
        // PHP writes lengths as plain digits; a sign here is corruption.
        if raw.is_empty() || !raw.iter().all(u8::is_ascii_digit) {
            return Err(Error::Number { offset: start });
        }
        let n = parse_int(raw).ok_or(Error::Number { offset: start })?;
        let length = u64::try_from(n).map_err(|_| Error::Number { offset: start })?;
        let remaining = self.remaining();
        let fits = usize::try_from(length)
            .ok()
            .and_then(|len| len.checked_mul(min_bytes_each))
            .is_some_and(|need| need <= remaining);
        if !fits {
            return Err(Error::Length {
                offset: start,
                length,
                remaining,
            });
        }
        // `fits` proved the conversion succeeds.
        usize::try_from(length).map_err(|_| Error::Number { offset: start })
    }

    fn value(&mut self, depth: usize) -> Result<Value, Error> {
        let start = self.pos;
        let tag = self.peek()?;
        self.pos += 1;
        match tag {
            b'N' => {
                self.expect(b';', "`;`")?;
                Ok(Value::Null)
            }
            b'b' => {
                self.expect(b':', "`:`")?;
                let v = match self.peek()? {
                    b'0' => false,
                    b'1' => true,
                    _ => return Err(self.syntax("`0` or `1`")),
                };
                self.pos += 1;
                self.expect(b';', "`;`")?;
                Ok(Value::Bool(v))
            }
            b'i' => {
                self.expect(b':', "`:`")?;
                Ok(Value::Int(self.int_until(b';')?))
            }
            b'd' => {
                self.expect(b':', "`:`")?;
                let at = self.pos;
                let raw = self.until(b';')?;
                parse_float(raw)
                    .map(Value::Float)
                    .ok_or(Error::Number { offset: at })
            }
            b's' => {
                self.expect(b':', "`:`")?;
                Ok(Value::Str(self.string_body()?))
            }
            b'a' => {
                if depth >= MAX_DEPTH {
                    return Err(Error::TooDeep {
                        offset: start,
                        max: MAX_DEPTH,
                    });
                }
                self.expect(b':', "`:`")?;
                self.array_body(depth)
            }
            b'O' | b'C' | b'r' | b'R' | b'E' | b'S' => Err(Error::Unsupported {
                offset: start,
                tag: char::from(tag),
            }),
            _ => {
                self.pos = start;
                Err(self.syntax("a type tag (N, b, i, d, s, a)"))
            }
        }
    }

    /// `LEN:"bytes";` after `s:`.
    fn string_body(&mut self) -> Result<String, Error> {
        let len = self.length_until(b':', 1)?;
        self.expect(b'"', "`\"`")?;
        let at = self.pos;
        let end = at
            .checked_add(len)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(Error::Truncated {
                offset: self.bytes.len(),
            })?;
        let raw = &self.bytes[at..end];
        self.pos = end;
        self.expect(b'"', "`\"` closing a string of the declared length")?;
        self.expect(b';', "`;`")?;
        String::from_utf8(raw.to_vec()).map_err(|_| Error::NotUtf8 { offset: at })
    }

    /// `N:{key value ...}` after `a:`.
    fn array_body(&mut self, depth: usize) -> Result<Value, Error> {
        // The smallest entry, `i:0;N;`, takes 6 bytes, so a count that needs more bytes
        // than remain is rejected before anything is allocated.
        let count = self.length_until(b':', 6)?;
        self.expect(b'{', "`{`")?;
        // Even a checked count is only reserved up to a small bound: nested arrays each
        // claiming "all the remaining bytes" would otherwise reserve that much per level.
        // Past the bound the vector grows with entries actually parsed.
        let mut entries: Vec<(Key, Value)> = Vec::with_capacity(count.min(PREALLOCATE_MAX));
        let mut index: HashMap<Key, usize> = HashMap::new();
        for _ in 0..count {
            let key = self.key()?;
            let value = self.value(depth + 1)?;
            // PHP's hash update: a repeated key keeps its slot and takes the new value.
            if let Some(&slot) = index.get(&key) {
                entries[slot].1 = value;
            } else {
                index.insert(key.clone(), entries.len());
                entries.push((key, value));
            }
        }
        self.expect(b'}', "`}` closing an array of the declared size")?;
        Ok(Value::Array(entries))
    }

    fn key(&mut self) -> Result<Key, Error> {
        let tag = self.peek()?;
        match tag {
            b'i' => {
                self.pos += 1;
                self.expect(b':', "`:`")?;
                Ok(Key::Int(self.int_until(b';')?))
            }
            b's' => {
                self.pos += 1;
                self.expect(b':', "`:`")?;
                let s = self.string_body()?;
                Ok(Key::normalized(&s))
            }
            _ => Err(self.syntax("an array key (`i:` or `s:`)")),
        }
    }
}

/// PHP's integer syntax in serialized data: an optional sign, then digits, in range.
fn parse_int(raw: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(raw).ok()?;
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// PHP's float syntax in serialized data: a decimal number with optional exponent,
/// or `NAN`, `INF`, `-INF`.
fn parse_float(raw: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(raw).ok()?;
    match text {
        "NAN" => return Some(f64::NAN),
        "INF" => return Some(f64::INFINITY),
        "-INF" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    // Rust's parser also takes "inf", "nan" and "infinity"; PHP does not, so only digits,
    // sign, dot and exponent are let through.
    let allowed = |b: u8| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E');
    if text.is_empty() || !text.bytes().all(allowed) || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `Some(n)` when `s` is how PHP would print the integer `n` (so a hash table would
/// store it as an integer key).
fn canonical_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let canonical = match digits.as_bytes() {
        [] => false,
        [b'0'] => digits.len() == s.len(), // "0" yes, "-0" no
        [first, rest @ ..] => (b'1'..=b'9').contains(first) && rest.iter().all(u8::is_ascii_digit),
    };
    if canonical { s.parse().ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodes_scalars_like_php() {
        assert_eq!(encode(&Value::Null), b"N;");
        assert_eq!(encode(&Value::Bool(true)), b"b:1;");
        assert_eq!(encode(&Value::Int(-42)), b"i:-42;");
        assert_eq!(encode(&Value::Float(0.5)), b"d:0.5;");
        assert_eq!(encode(&Value::str("ab")), b"s:2:\"ab\";");
    }

    #[test]
    fn string_length_counts_utf8_bytes() {
        assert_eq!(encode(&Value::str("Привет")), "s:12:\"Привет\";".as_bytes());
        assert_eq!(
            decode("s:12:\"Привет\";".as_bytes()).unwrap(),
            Value::str("Привет")
        );
    }

    #[test]
    fn encodes_nested_arrays() {
        let v = Value::map([
            ("VERSION", Value::Int(2)),
            ("L", Value::list([Value::Null])),
        ]);
        assert_eq!(
            encode(&v),
            b"a:2:{s:7:\"VERSION\";i:2;s:1:\"L\";a:1:{i:0;N;}}".as_slice()
        );
    }

    #[test]
    fn numeric_string_keys_become_int_keys() {
        let v = decode(b"a:3:{s:1:\"5\";N;s:2:\"05\";N;s:2:\"-0\";N;}").unwrap();
        let keys: Vec<Key> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        assert_eq!(
            keys,
            [Key::Int(5), Key::Str("05".into()), Key::Str("-0".into())]
        );
    }

    #[test]
    fn repeated_key_keeps_first_slot_and_last_value() {
        let v = decode(b"a:3:{i:1;i:10;i:2;i:20;s:1:\"1\";i:30;}").unwrap();
        assert_eq!(
            v,
            Value::Array(vec![
                (Key::Int(1), Value::Int(30)),
                (Key::Int(2), Value::Int(20))
            ])
        );
    }

    #[test]
    fn floats_in_php_forms() {
        assert_eq!(decode(b"d:1.0E+25;").unwrap(), Value::Float(1.0e25));
        assert_eq!(decode(b"d:-INF;").unwrap(), Value::Float(f64::NEG_INFINITY));
        assert!(matches!(decode(b"d:NAN;").unwrap(), Value::Float(f) if f.is_nan()));
        assert!(decode(b"d:inf;").is_err());
        assert!(decode(b"d:;").is_err());
    }

    #[test]
    fn rejects_malformed_input() {
        let cases: &[&[u8]] = &[
            b"",
            b"s:5:\"ab\";",
            b"s:2:\"abc\";",
            b"s:-1:\"\";",
            b"s:99999999999999999999:\"\";",
            b"a:1000000000:{",
            b"a:18446744073709551615:{}",
            b"a:1:{i:0;N;",
            b"a:1:{N;N;}",
            b"i:99999999999999999999;",
            b"i:;",
            b"b:2;",
            b"O:8:\"stdClass\":0:{}",
            b"r:1;",
            b"N;N;",
            b"x",
            b"s:1:\"\xff\";",
        ];
        for case in cases {
            assert!(
                decode(case).is_err(),
                "accepted {:?}",
                String::from_utf8_lossy(case)
            );
        }
    }

    #[test]
    fn nested_claims_of_huge_arrays_reserve_little() {
        // Each level claims as many entries as the remaining bytes allow; decoding must
        // fail on the missing entries without reserving count-sized buffers per level.
        let mut bytes = Vec::new();
        for _ in 0..MAX_DEPTH {
            bytes.extend_from_slice(b"a:100000:{i:0;");
        }
        bytes.extend(std::iter::repeat_n(b'N', 700_000));
        assert!(decode(&bytes).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let depth = 100_000;
        let mut bytes = b"a:1:{i:0;".repeat(depth);
        bytes.extend_from_slice(b"N;");
        bytes.extend(std::iter::repeat_n(b'}', depth));
        assert!(matches!(decode(&bytes), Err(Error::TooDeep { .. })));

        let mut ok = b"a:1:{i:0;".repeat(MAX_DEPTH);
        ok.extend_from_slice(b"N;");
        ok.extend(std::iter::repeat_n(b'}', MAX_DEPTH));
        assert!(decode(&ok).is_ok());
    }

    fn arb_key() -> impl Strategy<Value = Key> {
        prop_oneof![
            any::<i64>().prop_map(Key::Int),
            ".*".prop_map(|s| Key::normalized(&s))
        ]
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::Int),
            any::<f64>()
                .prop_filter("NaN never equals itself", |f| !f.is_nan())
                .prop_map(Value::Float),
            ".*".prop_map(Value::Str),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop::collection::vec((arb_key(), inner), 0..8).prop_map(|entries| {
                // A PHP array cannot hold a key twice; keep the first of each.
                let mut seen = std::collections::HashSet::new();
                Value::Array(
                    entries
                        .into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .collect(),
                )
            })
        })
    }

    proptest! {
        #[test]
        fn round_trips(v in arb_value()) {
            prop_assert_eq!(decode(&encode(&v)).unwrap(), v);
        }

        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn never_panics_on_mutated_values(v in arb_value(), at in any::<prop::sample::Index>(), b in any::<u8>()) {
            let mut bytes = encode(&v);
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
            let _ = decode(&bytes);
        }
    }
}
