//! `batch`: up to `BATCH_MAX` commands run in order, each answering under its key, with
//! `$result[key]` references to earlier answers substituted into later queries
//! (`CRestProvider::batch`); `halt` stops at the first error.

use super::clock::{now_f64, time_block};
use super::{BATCH_MAX, Outcome, RestError};
use crate::emulator::params::{php_array, php_empty, php_int, php_string, upper_keys};
use serde_json::{Map, Value, json};

/// One command of a batch, as the caller of [`run_batch`] executes it.
pub(crate) type Exec<'a> =
    dyn FnMut(&str, &Map<String, Value>, i64) -> Result<Outcome, RestError> + 'a;

/// `batch`: runs the commands in order through `exec`, resolving `$result[...]`
/// references, and builds the nested reply with PHP's empty-array `[]` sections.
pub(crate) fn run_batch(
    params: &Map<String, Value>,
    exec: &mut Exec<'_>,
) -> Result<Outcome, RestError> {
    let p = upper_keys(params);
    let halt = !php_empty(p.get("HALT"))
        && php_string(p.get("HALT").unwrap_or(&Value::Null)).as_deref() != Some("false");
    let commands: Vec<(String, String)> = match p.get("CMD") {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (k.clone(), php_string(v).unwrap_or_default()))
            .collect(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), php_string(v).unwrap_or_default()))
            .collect(),
        _ => Vec::new(),
    };
    if commands.len() > BATCH_MAX {
        return Err(RestError::new(
            400,
            "ERROR_BATCH_LENGTH_EXCEEDED",
            "Max batch length exceeded",
        ));
    }
    let mut results: Vec<(String, Value)> = Vec::new();
    let mut errors: Vec<(String, Value)> = Vec::new();
    let mut totals: Vec<(String, Value)> = Vec::new();
    let mut nexts: Vec<(String, Value)> = Vec::new();
    let mut times: Vec<(String, Value)> = Vec::new();
    let mut wrote = false;
    for (key, command) in commands {
        let (method, query) = command.split_once('?').unwrap_or((command.as_str(), ""));
        let method = method.trim().trim_end_matches(".json").to_ascii_lowercase();
        let mut cmd_params = crate::emulator::params::parse_str(query);
        let context = References {
            results: &results,
            totals: &totals,
            nexts: &nexts,
        };
        for v in cmd_params.values_mut() {
            context.substitute(v);
        }
        let start = php_int(cmd_params.remove("start").as_ref());
        let began = now_f64();
        let outcome = if method == "batch" {
            Err(RestError::new(
                405,
                "ERROR_BATCH_METHOD_NOT_ALLOWED",
                "Method is not allowed for batch usage",
            ))
        } else {
            exec(&method, &cmd_params, start)
        };
        let finished = now_f64();
        match outcome {
            Ok(o) => {
                wrote |= o.wrote;
                results.push((key.clone(), o.result));
                if let Some(t) = o.total {
                    totals.push((key.clone(), json!(t)));
                }
                if let Some(n) = o.next {
                    nexts.push((key.clone(), json!(n)));
                }
                times.push((key, time_block(began, finished, None)));
            }
            Err(e) => {
                errors.push((key, e.body()));
                if halt {
                    break;
                }
            }
        }
    }
    Ok(Outcome {
        result: json!({
            "result": php_array(results),
            "result_error": php_array(errors),
            "result_total": php_array(totals),
            "result_next": php_array(nexts),
            "result_time": php_array(times),
        }),
        total: None,
        next: None,
        wrote,
    })
}

pub(super) struct References<'a> {
    results: &'a [(String, Value)],
    totals: &'a [(String, Value)],
    nexts: &'a [(String, Value)],
}

impl References<'_> {
    /// Replaces `$result[key][path]…` in every string (`CRestUtil::processBatchElement`):
    /// a string that is exactly one reference takes the referenced value, otherwise
    /// scalar references are spliced in as text.
    fn substitute(&self, v: &mut Value) {
        match v {
            Value::String(s) if s.contains('$') => {
                if let Some(resolved) = self.resolve_whole(s) {
                    *v = resolved;
                    return;
                }
                *s = self.splice(s);
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.substitute(i)),
            Value::Object(map) => map.values_mut().for_each(|i| self.substitute(i)),
            _ => {}
        }
    }

    fn section(&self, name: &str) -> Option<&[(String, Value)]> {
        match name.to_ascii_lowercase().as_str() {
            "result" => Some(self.results),
            "result_total" => Some(self.totals),
            "result_next" => Some(self.nexts),
            _ => None,
        }
    }

    /// Parses a reference at the start of `s`: returns its length and value.
    fn parse(&self, s: &str) -> Option<(usize, Value)> {
        let body = s.strip_prefix('$')?;
        let name_len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let section = self.section(&body[..name_len])?;
        let mut rest = &body[name_len..];
        let mut consumed = 1 + name_len;
        let mut path = Vec::new();
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            path.push(&inner[..end]);
            consumed += end + 2;
            rest = &inner[end + 1..];
        }
        let (first, more) = path.split_first()?;
        let mut value = section
            .iter()
            .find(|(k, _)| k == first)
            .map(|(_, v)| v.clone())?;
        for key in more {
            let next = match &value {
                Value::Object(m) => m.get(*key).cloned(),
                Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i).cloned()),
                _ => None,
            };
            match next {
                Some(n) => value = n,
                None => break,
            }
        }
        Some((consumed, value))
    }

    fn resolve_whole(&self, s: &str) -> Option<Value> {
        let (len, value) = self.parse(s)?;
        (len == s.len()).then_some(value)
    }

    fn splice(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            if s[i..].starts_with('$')
                && let Some((len, value)) = self.parse(&s[i..])
                && let Some(text) =
                    php_string(&value).filter(|_| !value.is_array() && !value.is_object())
            {
                out.push_str(&text);
                i += len;
                continue;
            }
            let ch = s[i..].chars().next().unwrap_or('\0');
            out.push(ch);
            i += ch.len_utf8().max(1);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_resolve() {
        let results = vec![
            ("a".to_owned(), json!([{"ID": "7"}])),
            ("b".to_owned(), json!(5)),
        ];
        let r = References {
            results: &results,
            totals: &[],
            nexts: &[],
        };
        let mut v = json!("$result[a][0][ID]");
        r.substitute(&mut v);
        assert_eq!(v, json!("7"));
        let mut v = json!("id-$result[b]-x");
        r.substitute(&mut v);
        assert_eq!(v, json!("id-5-x"));
        let mut v = json!("$result[a]");
        r.substitute(&mut v);
        assert_eq!(v, json!([{"ID": "7"}]));
        let mut v = json!("$5 and $nothing[x]");
        r.substitute(&mut v);
        assert_eq!(v, json!("$5 and $nothing[x]"));
    }
}
