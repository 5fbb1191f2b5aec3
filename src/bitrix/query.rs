//! PHP-style query strings (`FIELDS[NAME]=x&TEMPLATE_DATA[0]=a.bpt`), the format of each
//! command inside `batch`.
//!
//! The portal runs every batch command through PHP's `parse_str`, so nested parameters
//! are written with bracket keys and every scalar arrives as a string (`batch.md`).

use serde_json::Value;

/// Encodes a JSON object as a PHP query string. Arrays get integer keys; `null` is sent
/// as an empty string, booleans as `1`/`0` (what PHP's `http_build_query` does).
pub fn encode(params: &serde_json::Map<String, Value>) -> String {
    let mut pairs = Vec::new();
    for (key, value) in params {
        push(&mut pairs, key, value);
    }
    pairs.join("&")
}

fn push(pairs: &mut Vec<String>, key: &str, value: &Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                push(pairs, &format!("{key}[{k}]"), v);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                push(pairs, &format!("{key}[{i}]"), v);
            }
        }
        Value::String(s) => pairs.push(format!("{}={}", escape(key), escape(s))),
        Value::Number(n) => pairs.push(format!("{}={}", escape(key), n)),
        Value::Bool(b) => pairs.push(format!("{}={}", escape(key), u8::from(*b))),
        Value::Null => pairs.push(format!("{}=", escape(key))),
    }
}

/// Percent-encodes everything but unreserved characters, so `+`, `&`, `=`, `$` and the
/// brackets of values survive `parse_str` untouched.
fn escape(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_values_use_brackets() {
        let v = json!({"ID": 5, "FIELDS": {"NAME": "a b&c", "TEMPLATE_DATA": ["x.bpt", "eN+/="]}, "halt": true, "n": null});
        let Value::Object(map) = v else {
            unreachable!()
        };
        assert_eq!(
            encode(&map),
            "ID=5&FIELDS%5BNAME%5D=a+b%26c&FIELDS%5BTEMPLATE_DATA%5D%5B0%5D=x.bpt&FIELDS%5BTEMPLATE_DATA%5D%5B1%5D=eN%2B%2F%3D&halt=1&n="
        );
    }
}
