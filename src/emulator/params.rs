//! Request parameters as PHP sees them: `parse_str` for query strings and form bodies,
//! and PHP's JSON view of arrays.
//!
//! Bitrix24 merges the query string with the body (`CRestUtil::getRequestData`: a JSON or
//! form body replaces query keys of the same name), so the emulator does the same. Form
//! values are always strings; JSON values keep their types — which is why a JSON integer
//! `AUTO_EXECUTE` fails the platform's string check while a form `"3"` passes.

use serde_json::{Map, Value};

/// PHP's default `max_input_nesting_level`.
pub(crate) const MAX_NESTING: usize = 64;

/// A node while building a `parse_str` result.
enum Node {
    Leaf(String),
    Array(Vec<(String, Node)>),
}

/// Parses `a=1&b[x]=2&c[]=3` into a JSON object the way PHP's `parse_str` builds arrays,
/// then renders arrays as PHP's `json_encode` would.
pub(crate) fn parse_str(query: &str) -> Map<String, Value> {
    let mut root: Vec<(String, Node)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(raw_key);
        let value = decode(raw_value);
        let (base, path) = split_key(&key);
        // PHP drops a variable nested deeper than max_input_nesting_level (64 by
        // default); bounding it also keeps the recursive build off a deep stack.
        if base.is_empty() || path.len() > MAX_NESTING {
            continue;
        }
        insert(&mut root, base, &path, value);
    }
    root.into_iter().map(|(k, n)| (k, to_json(n))).collect()
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Splits `base[a][b][]` into `base` and `["a", "b", ""]`. Like PHP, dots and spaces in
/// the base name become underscores, and an unclosed bracket ends the path.
fn split_key(key: &str) -> (String, Vec<String>) {
    let (base, mut rest) = match key.find('[') {
        Some(i) if i > 0 && key[i..].contains(']') => (&key[..i], &key[i..]),
        _ => (key, ""),
    };
    let base: String = base
        .chars()
        .map(|c| if c == '.' || c == ' ' { '_' } else { c })
        .collect();
    let mut path = Vec::new();
    while let Some(stripped) = rest.strip_prefix('[') {
        let Some(end) = stripped.find(']') else { break };
        path.push(stripped[..end].to_owned());
        rest = &stripped[end + 1..];
    }
    (base, path)
}

fn insert(level: &mut Vec<(String, Node)>, key: String, path: &[String], value: String) {
    let key = if key.is_empty() {
        next_index(level)
    } else {
        key
    };
    let Some((first, rest)) = path.split_first() else {
        match level.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = Node::Leaf(value),
            None => level.push((key, Node::Leaf(value))),
        }
        return;
    };
    let pos = if let Some(p) = level.iter().position(|(k, _)| *k == key) {
        if matches!(level[p].1, Node::Leaf(_)) {
            level[p].1 = Node::Array(Vec::new());
        }
        p
    } else {
        level.push((key, Node::Array(Vec::new())));
        level.len() - 1
    };
    if let Node::Array(children) = &mut level[pos].1 {
        insert(children, first.clone(), rest, value);
    }
}

fn next_index(level: &[(String, Node)]) -> String {
    let max = level
        .iter()
        .filter_map(|(k, _)| k.parse::<i64>().ok())
        .max();
    max.map_or(0, |m| m + 1).to_string()
}

fn to_json(node: Node) -> Value {
    match node {
        Node::Leaf(s) => Value::String(s),
        Node::Array(children) => {
            php_array(children.into_iter().map(|(k, n)| (k, to_json(n))).collect())
        }
    }
}

/// A PHP array as `json_encode` prints it: a list when its keys are `0..n` in order
/// (so an empty array is `[]`), otherwise an object.
pub(crate) fn php_array(entries: Vec<(String, Value)>) -> Value {
    let is_list = entries
        .iter()
        .enumerate()
        .all(|(i, (k, _))| *k == i.to_string());
    if is_list {
        Value::Array(entries.into_iter().map(|(_, v)| v).collect())
    } else {
        Value::Object(entries.into_iter().collect())
    }
}

/// The values of a PHP array given as a JSON list or object, in order.
pub(crate) fn array_values(v: &Value) -> Option<Vec<&Value>> {
    match v {
        Value::Array(items) => Some(items.iter().collect()),
        Value::Object(map) => Some(map.values().collect()),
        _ => None,
    }
}

/// PHP's idea of a string form of a scalar (`(string)$x`); `None` for arrays.
pub(crate) fn php_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("1".into()),
        Value::Bool(false) | Value::Null => Some(String::new()),
        _ => None,
    }
}

/// PHP's `empty()`.
pub(crate) fn php_empty(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null | Value::Bool(false)) => true,
        Some(Value::String(s)) => s.is_empty() || s == "0",
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(Value::Bool(true)) => false,
    }
}

/// PHP's `intval` for the values a request can carry.
pub(crate) fn php_int(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => {
            let t = s.trim_start();
            let end = t
                .char_indices()
                .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+')))
                .last()
                .map_or(0, |(i, c)| i + c.len_utf8());
            t[..end].parse().unwrap_or(0)
        }
        Some(Value::Bool(true)) => 1,
        _ => 0,
    }
}

/// Top-level keys upper-cased (`array_change_key_case($params, CASE_UPPER)`); on a
/// clash the later key wins, as in PHP.
pub(crate) fn upper_keys(params: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in params {
        out.insert(k.to_uppercase(), v.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn brackets_build_arrays() {
        let p = parse_str(
            "ID=5&FIELDS%5BNAME%5D=a+b&TEMPLATE_DATA[0]=x.bpt&TEMPLATE_DATA[1]=eN%2B&c[]=1&c[]=2&a.b=3",
        );
        assert_eq!(
            Value::Object(p),
            json!({"ID": "5", "FIELDS": {"NAME": "a b"}, "TEMPLATE_DATA": ["x.bpt", "eN+"], "c": ["1", "2"], "a_b": "3"})
        );
    }

    #[test]
    fn later_keys_win_and_odd_keys_survive() {
        let p = parse_str("a=1&a=2&b[=3&&=4&x[y]=1&x[y][z]=2");
        assert_eq!(
            Value::Object(p),
            json!({"a": "2", "b[": "3", "x": {"y": {"z": "2"}}})
        );
    }

    #[test]
    fn deep_nesting_is_dropped_not_overflowed() {
        // Red-team 2.18: a 15 KB body nested 5,000 levels overflowed the stack.
        let deep = format!("a{}=1&b=2", "[x]".repeat(5000));
        let p = parse_str(&deep);
        assert_eq!(Value::Object(p), json!({"b": "2"}));
        let ok = format!("a{}=1", "[x]".repeat(MAX_NESTING));
        assert!(parse_str(&ok).contains_key("a"));
    }

    #[test]
    fn php_helpers() {
        assert_eq!(php_int(Some(&json!("12abc"))), 12);
        assert_eq!(php_int(Some(&json!("x"))), 0);
        assert_eq!(php_int(Some(&json!(7))), 7);
        assert!(php_empty(Some(&json!("0"))));
        assert!(!php_empty(Some(&json!("a"))));
        assert_eq!(php_array(vec![]), json!([]));
        assert_eq!(php_array(vec![("1".into(), json!(1))]), json!({"1": 1}));
    }
}
