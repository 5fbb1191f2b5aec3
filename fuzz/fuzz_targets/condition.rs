//! The engine's condition evaluator on arbitrary rows and documents: it must decide,
//! never panic, and `!=` must stay the negation of `=` on a single text value.
#![no_main]

use b24flow::emulator::{Core, engine::evaluate_fieldcondition};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the core, the rest is `{"rows": …, "doc": {…}, "modified": […]}`
    // or, failing that, a field value and a condition value split at the first NUL.
    let Some((&pick, rest)) = data.split_first() else { return };
    let core = [Core::OldFc, Core::Cg, Core::Starter][usize::from(pick % 3)];
    if let Ok(Value::Object(input)) = serde_json::from_slice::<Value>(rest) {
        let rows = input.get("rows").cloned().unwrap_or(Value::Null);
        let doc = input.get("doc").and_then(Value::as_object).cloned().unwrap_or_default();
        let modified: Option<Vec<String>> = input
            .get("modified")
            .and_then(Value::as_array)
            .map(|m| m.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect());
        let _ = evaluate_fieldcondition(&rows, &doc, modified.as_deref(), core);
        return;
    }
    let text = String::from_utf8_lossy(rest);
    let (field, value) = text.split_once('\0').unwrap_or((&text, ""));
    let mut doc = Map::new();
    doc.insert("F".into(), json!(field));
    let eq = evaluate_fieldcondition(&json!([["F", "=", value, 0]]), &doc, None, core);
    let ne = evaluate_fieldcondition(&json!([["F", "!=", value, 0]]), &doc, None, core);
    assert_ne!(eq, ne, "{field:?} vs {value:?}");
});
