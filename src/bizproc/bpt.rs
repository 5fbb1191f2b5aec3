//! The `.bpt` container: a zlib stream (PHP `gzcompress`) around a PHP-serialized array,
//! and its JSON view.
//!
//! The JSON view matters as much as the bytes: `bizproc.workflow.template.list` returns
//! `TEMPLATE`, `PARAMETERS`, `VARIABLES` and `CONSTANTS` already unserialized and passed
//! through PHP's `json_encode`, so [`to_json`] must match `json_encode` exactly for plan to
//! compare desired and live templates.
//!
//! Invariants: [`decode`] inflates at most [`MAX_INFLATED`] bytes, rejects anything that
//! is not a single complete zlib stream, and never panics.

use std::io::Read;

use flate2::Compression;
use flate2::bufread::ZlibDecoder;
use flate2::write::ZlibEncoder;

use super::php::{self, Key, Value};

/// The most bytes [`decode`] inflates. The official sample inflates to about 6 KB; a large
/// hand-made template with many fields stays well under 1 MB.
pub const MAX_INFLATED: u64 = 16 * 1024 * 1024;

/// Why bytes are not a `.bpt` template.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    /// Not a zlib stream, or a damaged one.
    #[error("template data is not a valid zlib stream")]
    #[diagnostic(
        code(b24flow::bpt::zlib),
        help(
            "a .bpt file is PHP gzcompress() output; check the file was not truncated or re-encoded"
        )
    )]
    Zlib {
        /// The inflater's complaint.
        #[source]
        source: std::io::Error,
    },
    /// Inflates past [`MAX_INFLATED`].
    #[error("template data inflates to more than {limit} bytes")]
    #[diagnostic(
        code(b24flow::bpt::too_large),
        help("no real template is this large; the data is corrupt or hostile")
    )]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// Bytes after the end of the zlib stream.
    #[error("{count} unexpected bytes after the zlib stream")]
    #[diagnostic(
        code(b24flow::bpt::trailing),
        help("the file holds more than one stream, or is corrupt")
    )]
    Trailing {
        /// How many bytes follow the stream.
        count: usize,
    },
    /// The inflated bytes are not a serialized PHP value.
    #[error("template data is not a serialized PHP value")]
    #[diagnostic(code(b24flow::bpt::php))]
    Php {
        /// Where and why unserialize failed.
        #[source]
        #[diagnostic_source]
        source: php::Error,
    },
}

/// Serialize and compress a template document the way Bitrix24's exporter does.
pub fn encode(doc: &Value) -> Vec<u8> {
    use std::io::Write;
    let plain = php::encode(doc);
    // Level 9 gives the `78 DA` header seen in the official sample; any level imports.
    let mut z = ZlibEncoder::new(Vec::with_capacity(plain.len() / 2), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = z.write_all(&plain);
    z.finish().unwrap_or_default()
}

/// Inflate and unserialize `.bpt` bytes.
pub fn decode(bytes: &[u8]) -> Result<Value, Error> {
    let plain = inflate(bytes)?;
    php::decode(&plain).map_err(|source| Error::Php { source })
}

/// Inflate, unserialize and convert to the JSON the REST API would return.
pub fn decode_to_json(bytes: &[u8]) -> Result<serde_json::Value, Error> {
    decode(bytes).map(|v| to_json(&v))
}

fn inflate(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let mut z = ZlibDecoder::new(bytes);
    let mut plain = Vec::new();
    // Read one byte past the limit so "exactly at the limit" and "over it" differ.
    (&mut z)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut plain)
        .map_err(|source| Error::Zlib { source })?;
    if plain.len() as u64 > MAX_INFLATED {
        return Err(Error::TooLarge {
            limit: MAX_INFLATED,
        });
    }
    let rest = z.into_inner();
    if !rest.is_empty() {
        return Err(Error::Trailing { count: rest.len() });
    }
    Ok(plain)
}

/// Convert a PHP value to JSON exactly as PHP's `json_encode` does: an array whose keys
/// are `0..n` in order becomes a JSON array (so the empty array is `[]`), any other array
/// an object with its keys as strings, in order.
///
/// Floats follow `json_encode` without `JSON_PRESERVE_ZERO_FRACTION` (Bitrix does not set
/// it): `2.0` prints as `2`. One difference: `json_encode` fails outright on NaN or
/// infinite floats; here they become `null`, since templates never hold them.
pub fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(n) => J::from(*n),
        Value::Float(f) => float_json(*f),
        Value::Str(s) => J::String(s.clone()),
        Value::Array(entries) => {
            let is_list = entries
                .iter()
                .zip(0_i64..)
                .all(|((k, _), i)| *k == Key::Int(i));
            if is_list {
                J::Array(entries.iter().map(|(_, v)| to_json(v)).collect())
            } else {
                J::Object(
                    entries
                        .iter()
                        .map(|(k, v)| (k.to_json_key(), to_json(v)))
                        .collect(),
                )
            }
        }
    }
}

fn float_json(f: f64) -> serde_json::Value {
    // PHP prints integral floats below 1e15 without a fraction; past that it switches to
    // exponent form, which JSON readers take as a float again. `-0.0` stays `-0.0`.
    const EXACT: f64 = 1e15;
    if f.fract() == 0.0 && f.abs() < EXACT && !(f == 0.0 && f.is_sign_negative()) {
        #[allow(clippy::cast_possible_truncation)] // |f| < 1e15 and integral: exact
        return serde_json::Value::from(f as i64);
    }
    serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// The PHP value that `json_decode($json, true)` would give: the inverse of [`to_json`]
/// for everything `to_json` produces. JSON arrays become lists; object keys are
/// normalized as PHP array keys; integral numbers that fit stay integers.
pub fn from_json(j: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match j {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::Str(s.clone()),
        J::Array(items) => Value::list(items.iter().map(from_json)),
        J::Object(map) => {
            let mut entries: Vec<(Key, Value)> = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = Key::normalized(k);
                // Same rule as PHP: a repeated key keeps its slot, takes the new value.
                match entries.iter_mut().find(|(existing, _)| *existing == key) {
                    Some(slot) => slot.1 = from_json(v),
                    None => entries.push((key, from_json(v))),
                }
            }
            Value::Array(entries)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_json_lists_and_maps() {
        let v = Value::map([
            ("list", Value::list([Value::Int(1), Value::str("x")])),
            ("empty", Value::empty_array()),
            (
                "sparse",
                Value::Array(vec![(Key::Int(1), Value::Null), (Key::Int(0), Value::Null)]),
            ),
            ("flag", Value::Bool(false)),
        ]);
        assert_eq!(
            to_json(&v),
            serde_json::json!({
                "list": [1, "x"],
                "empty": [],
                "sparse": {"1": null, "0": null},
                "flag": false,
            })
        );
    }

    #[test]
    fn from_json_inverts_to_json() {
        let v = Value::map([
            ("A", Value::list([Value::Int(1), Value::Float(0.5)])),
            ("7", Value::str("seven")),
        ]);
        assert_eq!(from_json(&to_json(&v)), v);
    }

    #[test]
    fn round_trips_a_document() {
        let v = Value::map([("VERSION", Value::Int(2)), ("TEMPLATE", Value::list([]))]);
        let bytes = encode(&v);
        assert_eq!(&bytes[..2], &[0x78, 0xDA]);
        assert_eq!(decode(&bytes).unwrap(), v);
    }

    #[test]
    fn rejects_bad_zlib_and_trailing_bytes() {
        assert!(matches!(decode(b"not zlib"), Err(Error::Zlib { .. })));
        let mut bytes = encode(&Value::Null);
        bytes.push(0);
        assert!(matches!(decode(&bytes), Err(Error::Trailing { count: 1 })));
        let bytes = encode(&Value::Null);
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn rejects_zlib_bombs() {
        use std::io::Write;
        let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..17 {
            z.write_all(&chunk).unwrap();
        }
        let bomb = z.finish().unwrap();
        assert!(bomb.len() < 100_000);
        assert!(matches!(decode(&bomb), Err(Error::TooLarge { .. })));
    }
}
