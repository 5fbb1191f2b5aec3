//! `IfElseBranchActivity` conditions: `fieldcondition` rows and `truecondition`.
//!
//! Mirrors `Bitrix\Bizproc\Activity\ConditionGroup::evaluate` and
//! `Bitrix\Bizproc\Activity\Condition::checkValue` (bizproc `lib/activity/`): a row is
//! `[field, operator, value, joiner]`; only the integer joiner `0` means AND (`=== 0`),
//! anything else starts a new OR group; the result is true when any group holds, and the
//! first group starts out true, so a first OR row makes the whole condition true.
//! `modified` is true when the changed-field list the starter passed contains the field;
//! on the older field-condition cores it is true when no list was passed at all.
//!
//! Invariant: evaluation never panics, whatever the rows and values.

use serde_json::Value;

use crate::emulator::engine::Core;

/// How a field's values compare (`FieldType::getBaseType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseType {
    /// Text; PHP 8 comparison (numeric strings compare as numbers).
    String,
    /// Numbers (`Double::compareValues` casts to float).
    Double,
    /// Users: `user_1` and `1` are the same user.
    User,
    /// Dates, compared as timestamps read in the site format.
    Date,
}

/// What a condition sees of the document.
pub(crate) trait Facts {
    /// The field's value; `None` when the document has no such field.
    fn value(&self, field: &str) -> Option<Value>;
    /// The field's base type.
    fn base_type(&self, field: &str) -> BaseType;
    /// The changed-field list the start path passed, if any.
    fn modified(&self) -> Option<&[String]>;
    /// Which core's rules apply.
    fn core(&self) -> Core;
    /// A date in the site format as a timestamp.
    fn timestamp(&self, text: &str) -> Option<i64>;
}

/// Evaluates a `fieldcondition` property (a list of rows). Rows that are not lists are
/// skipped, as `addItem` skips empty items.
pub(crate) fn evaluate(rows: &Value, facts: &dyn Facts) -> bool {
    let rows: Vec<&Value> = match rows {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => map.values().collect(),
        _ => Vec::new(),
    };
    let mut groups = vec![true];
    for row in rows {
        let cells: Vec<&Value> = match row {
            Value::Array(items) => items.iter().collect(),
            Value::Object(map) => map.values().collect(),
            _ => continue,
        };
        if cells.is_empty() {
            continue;
        }
        let field = cells.first().map(|v| scalar_text(v)).unwrap_or_default();
        let operator = cells.get(1).map(|v| scalar_text(v)).unwrap_or_default();
        let value = cells.get(2).copied().cloned().unwrap_or(Value::Null);
        let and = matches!(cells.get(3), Some(Value::Number(n)) if n.as_i64() == Some(0));
        let result = row_holds(&field, &operator, &value, facts);
        if and {
            if !result {
                let last = groups.len() - 1;
                groups[last] = false;
            }
        } else {
            groups.push(result);
        }
    }
    groups.into_iter().any(|g| g)
}

fn row_holds(field: &str, operator: &str, value: &Value, facts: &dyn Facts) -> bool {
    if operator == "modified" {
        return match facts.modified() {
            Some(list) => list.iter().any(|f| f == field),
            // fieldcondition.php before ConditionGroup: no list means "modified".
            None => facts.core() == Core::OldFc,
        };
    }
    let actual = facts.value(field);
    if actual.is_none() && facts.core() == Core::OldFc {
        // The old evaluator looks the field up in the document and fails the row when
        // the key is missing.
        return false;
    }
    check_value(
        actual.unwrap_or(Value::Null),
        operator,
        value,
        facts.base_type(field),
        facts,
    )
}

/// `CBPHelper::isEmptyValue`.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Array(a) => a.iter().all(is_empty),
        Value::Object(o) => o.values().all(is_empty),
        Value::Number(_) => false,
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(true) => "1".into(),
        _ => String::new(),
    }
}

fn to_list(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        Value::Object(o) => o.into_iter().map(|(_, v)| v).collect(),
        other => vec![other],
    }
}

fn user_id(v: &Value) -> Value {
    let text = scalar_text(v);
    let id = text.strip_prefix("user_").unwrap_or(&text);
    match id.parse::<i64>() {
        Ok(n) => Value::from(n),
        Err(_) => Value::String(text),
    }
}

/// `Condition::checkValue` for every operator but `modified`.
fn check_value(
    actual: Value,
    operator: &str,
    value: &Value,
    ty: BaseType,
    facts: &dyn Facts,
) -> bool {
    match operator {
        "empty" => return is_empty(&actual),
        "!empty" => return !is_empty(&actual),
        _ => {}
    }
    let mut to_check = to_list(actual);
    let mut base = to_list(value.clone());
    if ty == BaseType::User {
        to_check = to_check.iter().map(user_id).collect();
        base = base.iter().map(user_id).collect();
    }
    match operator {
        "in" | "!in" => {
            let r = check_in(&to_check, value);
            return if operator == "in" { r } else { !r };
        }
        "contain" | "!contain" => {
            let r = check_contain(&to_check, &base, ty);
            return if operator == "contain" { r } else { !r };
        }
        _ => {}
    }
    if to_check.is_empty() {
        to_check.push(Value::Null);
    }
    if base.is_empty() {
        base.push(Value::Null);
    }
    let (fc, vc) = (to_check.len(), base.len());
    let max = fc.max(vc);
    let mut result = false;
    let mut i = 0;
    while i < max {
        let mut f1 = to_check[i.min(fc - 1)].clone();
        let mut v1 = base[i.min(vc - 1)].clone();
        if ty == BaseType::Date {
            f1 = Value::from(facts.timestamp(&scalar_text(&f1)).unwrap_or(0));
            v1 = Value::from(facts.timestamp(&scalar_text(&v1)).unwrap_or(0));
        }
        // normalize "0" == "" comparing
        let (fs, vs) = (f1.as_str(), v1.as_str());
        if (vs == Some("") && fs == Some("0")) || (fs == Some("") && vs == Some("0")) {
            f1 = Value::Null;
            v1 = Value::Null;
        }
        let cmp = if ty == BaseType::Double {
            float_cmp(php_float(&f1), php_float(&v1))
        } else {
            php_compare(&f1, &v1)
        };
        let mut break_flag = true;
        result = match operator {
            ">" => cmp == 1,
            ">=" => cmp >= 0,
            "<" => cmp == -1,
            "<=" => cmp <= 0,
            "!=" => {
                let r = cmp != 0;
                if r {
                    i = max;
                } else if i + 1 < fc || i + 1 < vc {
                    break_flag = false;
                }
                r
            }
            _ => cmp == 0,
        };
        if !result && break_flag {
            break;
        }
        i += 1;
    }
    result
}

fn check_in(to_check: &[Value], base: &Value) -> bool {
    let mut result = false;
    for f in to_check {
        result = match base {
            Value::Array(_) | Value::Object(_) => {
                to_list(base.clone()).iter().any(|b| php_compare(b, f) == 0)
            }
            _ => {
                let needle = scalar_text(f);
                // `elseif ($f)`: an empty needle leaves the result as it was.
                if needle.is_empty() || needle == "0" {
                    result
                } else {
                    scalar_text(base).contains(&needle)
                }
            }
        };
        if !result {
            break;
        }
    }
    result
}

fn check_contain(to_check: &[Value], base: &[Value], ty: BaseType) -> bool {
    if ty == BaseType::User {
        return base
            .iter()
            .all(|b| to_check.iter().any(|t| php_compare(t, b) == 0));
    }
    let mut result = false;
    for v in base {
        let needle = scalar_text(v);
        for f in to_check {
            result = scalar_text(f).contains(&needle);
            if result {
                break;
            }
        }
        if !result {
            break;
        }
    }
    result
}

/// A PHP numeric string (leading and trailing whitespace allowed, PHP 8).
fn numeric(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() || t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `(float)$x`: the leading number of a string, else 0.
fn php_float(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => {
            let t = s.trim_start();
            let end = t
                .char_indices()
                .take_while(|(i, c)| {
                    c.is_ascii_digit() || *c == '.' || (*i == 0 && (*c == '-' || *c == '+'))
                })
                .last()
                .map_or(0, |(i, c)| i + c.len_utf8());
            t[..end].parse().unwrap_or(0.0)
        }
        Value::Bool(true) => 1.0,
        _ => 0.0,
    }
}

fn float_cmp(a: f64, b: f64) -> i32 {
    if a > b {
        1
    } else if a < b {
        -1
    } else {
        0
    }
}

/// PHP 8's `<=>` for the scalars a condition compares: null and false are the empty
/// string; two numeric values compare as numbers; otherwise as strings.
pub(crate) fn php_compare(a: &Value, b: &Value) -> i32 {
    let text = |v: &Value| match v {
        Value::Null | Value::Bool(false) => String::new(),
        other => scalar_text(other),
    };
    let (ta, tb) = (text(a), text(b));
    if a.is_null() || b.is_null() {
        // null <=> x: both as booleans when x is not a string (PHP 8), else as strings.
        if !a.is_string() && !b.is_string() {
            let (ba, bb) = (!is_empty(a), !is_empty(b));
            return i32::from(ba) - i32::from(bb);
        }
        return ord(ta.cmp(&tb));
    }
    if let (Some(x), Some(y)) = (numeric(&ta), numeric(&tb)) {
        return float_cmp(x, y);
    }
    ord(ta.cmp(&tb))
}

fn ord(o: std::cmp::Ordering) -> i32 {
    match o {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Doc {
        fields: serde_json::Map<String, Value>,
        modified: Option<Vec<String>>,
        core: Core,
    }

    impl Facts for Doc {
        fn value(&self, field: &str) -> Option<Value> {
            self.fields.get(field).cloned()
        }
        fn base_type(&self, field: &str) -> BaseType {
            match field {
                "OPPORTUNITY" => BaseType::Double,
                "ASSIGNED_BY_ID" => BaseType::User,
                "CLOSEDATE" => BaseType::Date,
                _ => BaseType::String,
            }
        }
        fn modified(&self) -> Option<&[String]> {
            self.modified.as_deref()
        }
        fn core(&self) -> Core {
            self.core
        }
        fn timestamp(&self, text: &str) -> Option<i64> {
            crate::emulator::dates::parse_site(text, "DD.MM.YYYY HH:MI:SS")
        }
    }

    #[allow(clippy::needless_pass_by_value)] // tests pass json! literals
    fn doc(fields: Value, modified: Option<&[&str]>, core: Core) -> Doc {
        Doc {
            fields: fields.as_object().cloned().unwrap_or_default(),
            modified: modified.map(|m| m.iter().map(|s| (*s).to_owned()).collect()),
            core,
        }
    }

    #[test]
    fn operators() {
        let d = doc(
            json!({"STAGE_SEMANTIC_ID": "S", "OPPORTUNITY": "15000.00", "TITLE": "Big order",
                   "ASSIGNED_BY_ID": "user_2", "EMPTY": "", "CLOSEDATE": "10.12.2026"}),
            None,
            Core::Starter,
        );
        let t = |rows: Value| evaluate(&rows, &d);
        assert!(t(json!([["STAGE_SEMANTIC_ID", "=", "S", 0]])));
        assert!(!t(json!([["STAGE_SEMANTIC_ID", "!=", "S", 0]])));
        assert!(t(json!([["OPPORTUNITY", ">", "10000", 0]])));
        assert!(!t(json!([["OPPORTUNITY", "<", "10000", 0]])));
        assert!(t(json!([
            ["OPPORTUNITY", ">=", "15000", 0],
            ["OPPORTUNITY", "<=", "15000", 0]
        ])));
        assert!(t(json!([["TITLE", "contain", "order", 0]])));
        assert!(t(json!([["TITLE", "!contain", "refund", 0]])));
        assert!(t(json!([
            ["EMPTY", "empty", "", 0],
            ["TITLE", "!empty", "", 0]
        ])));
        assert!(t(json!([["ASSIGNED_BY_ID", "=", "2", 0]])));
        assert!(t(json!([["STAGE_SEMANTIC_ID", "in", ["S", "F"], 0]])));
        assert!(t(json!([["STAGE_SEMANTIC_ID", "!in", ["P"], 0]])));
        assert!(t(json!([["CLOSEDATE", "<", "11.12.2026", 0]])));
    }

    #[test]
    fn joiners_follow_condition_group() {
        let d = doc(json!({"A": "1"}), None, Core::Starter);
        // AND: one false row fails the group.
        assert!(!evaluate(
            &json!([["A", "=", "1", 0], ["A", "=", "2", 0]]),
            &d
        ));
        // OR: a later group can hold.
        assert!(evaluate(
            &json!([["A", "=", "2", 0], ["A", "=", "1", 1]]),
            &d
        ));
        // A first OR row leaves the initial group true: the whole condition holds.
        assert!(evaluate(&json!([["A", "=", "2", 1]]), &d));
        // A string "0" joiner is not `=== 0`, so it is OR.
        assert!(evaluate(&json!([["A", "=", "2", "0"]]), &d));
    }

    #[test]
    fn modified_depends_on_the_core_and_the_list() {
        let rows = json!([["STAGE_ID", "modified", "", 0]]);
        assert!(evaluate(
            &rows,
            &doc(json!({}), Some(&["STAGE_ID"]), Core::Starter)
        ));
        assert!(!evaluate(
            &rows,
            &doc(json!({}), Some(&["TITLE"]), Core::Starter)
        ));
        assert!(!evaluate(&rows, &doc(json!({}), None, Core::Cg)));
        assert!(evaluate(&rows, &doc(json!({}), None, Core::OldFc)));
    }

    #[test]
    fn a_missing_semantics_field_is_null_on_new_cores() {
        // Smart invoices have no STAGE_SEMANTIC_ID: null != "S" holds (audit F2).
        let rows = json!([["STAGE_SEMANTIC_ID", "!=", "S", 0]]);
        assert!(evaluate(&rows, &doc(json!({}), None, Core::Cg)));
        assert!(!evaluate(&rows, &doc(json!({}), None, Core::OldFc)));
        assert!(!evaluate(
            &json!([["STAGE_SEMANTIC_ID", "=", "S", 0]]),
            &doc(json!({}), None, Core::Cg)
        ));
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        fn cell() -> impl Strategy<Value = Value> {
            prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(
                    |f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                ),
                ".{0,6}".prop_map(Value::from),
                prop::sample::select(vec![
                    "=", "!=", ">", ">=", "<", "<=", "in", "!in", "contain", "!contain", "empty",
                    "!empty", "modified"
                ])
                .prop_map(Value::from),
                prop::collection::vec(".{0,3}".prop_map(Value::from), 0..3).prop_map(Value::Array),
            ]
        }

        proptest! {
            #[test]
            fn never_panics(rows in prop::collection::vec(prop::collection::vec(cell(), 0..5).prop_map(Value::Array), 0..5),
                            a in cell(), opp in cell(), core in prop::sample::select(vec![Core::OldFc, Core::Cg, Core::Starter])) {
                let d = doc(json!({"A": a, "OPPORTUNITY": opp, "ASSIGNED_BY_ID": "user_1", "CLOSEDATE": "01.01.2026"}), Some(&["A"]), core);
                let _ = evaluate(&Value::Array(rows), &d);
            }

            #[test]
            fn not_equal_is_the_negation_of_equal_for_scalars(a in "[0-9a-z.]{0,4}", b in "[0-9a-z.]{0,4}") {
                let d = doc(json!({"A": a}), None, Core::Starter);
                let eq = evaluate(&json!([["A", "=", b.clone(), 0]]), &d);
                let ne = evaluate(&json!([["A", "!=", b, 0]]), &d);
                prop_assert_ne!(eq, ne);
            }

            #[test]
            fn a_first_or_row_always_holds(rows in prop::collection::vec(prop::collection::vec(cell(), 0..4).prop_map(Value::Array), 0..3), f in ".{0,4}", v in ".{0,4}") {
                let d = doc(json!({"A": f}), None, Core::Cg);
                let mut all = vec![json!(["A", "=", v, 1])];
                all.extend(rows);
                prop_assert!(evaluate(&Value::Array(all), &d));
            }
        }
    }
}
