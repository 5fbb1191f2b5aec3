//! The Blueprint: the intermediate representation between a plain-English spec and a
//! Bitrix24 template.
//!
//! A parser produces a Blueprint, a lockfile stores one, and the template compiler
//! consumes one. Its JSON shape is a public contract:
//!
//! ```json
//! {"name": "...", "entity": "CRM_DEAL",
//!  "trigger": {"type": "stage_changed", "stage": "PREPARATION"},
//!  "conditions": [{"field": "OPPORTUNITY", "operator": ">", "value": "10000"}],
//!  "actions": [{"type": "send_whatsapp", "to": "{{CONTACT_PHONE}}", "message": "..."}]}
//! ```
//!
//! Trigger parameters and action fields are kept as ordered string maps, because the
//! catalog, not the type system, says which ones exist: the semantic rules live in
//! `validate`, and the JSON Schema below is generated from the catalog so that it lists
//! every trigger, action and field exactly.
//!
//! Serialization is canonical: `type` first, then the catalog's field order, then any
//! unknown fields sorted by name. The same Blueprint always gives the same bytes.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::catalog::{self, ACTIONS, ENTITIES, FieldKind, TRIGGERS, VARIABLES};

/// A workflow: what starts it, when it goes on, and what it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Blueprint", description = "A b24flow workflow blueprint.")]
pub struct Blueprint {
    /// A short human name; it becomes the template's name in the portal.
    #[schemars(length(min = 1, max = 200))]
    pub name: String,
    /// The CRM entity the workflow runs on, e.g. `CRM_DEAL`.
    #[schemars(schema_with = "entity_schema")]
    pub entity: String,
    /// What starts the workflow.
    pub trigger: Trigger,
    /// Conditions that must all hold for the actions to run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// What the workflow does, in order.
    #[schemars(length(min = 1))]
    pub actions: Vec<Action>,
}

/// What starts a workflow: a trigger id and its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trigger {
    /// The trigger id, e.g. `deal_won`.
    pub kind: String,
    /// Parameters such as `stage` for `stage_changed`.
    pub params: BTreeMap<String, String>,
}

/// One step of a workflow: an action id and its fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Action {
    /// The action id, e.g. `send_whatsapp`.
    pub kind: String,
    /// The fields, e.g. `to` and `message`.
    pub fields: BTreeMap<String, String>,
}

/// A condition on a document field, e.g. "the amount is over 10000".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// A Bitrix24 document field id, e.g. `OPPORTUNITY`.
    #[schemars(regex(pattern = r"^[A-Z][A-Z0-9_]*$"))]
    pub field: String,
    /// The comparison.
    #[schemars(schema_with = "operator_schema")]
    pub operator: String,
    /// The value compared with (empty for `empty` and `!empty`).
    #[serde(default)]
    pub value: String,
}

impl Action {
    /// Builds an action from its id and `(field, value)` pairs.
    pub fn new<'a>(kind: &str, fields: impl IntoIterator<Item = (&'a str, String)>) -> Self {
        Action {
            kind: kind.to_owned(),
            fields: fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }
    }

    /// The value of one field, if set.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

impl Trigger {
    /// Builds a trigger with no parameters.
    pub fn new(kind: &str) -> Self {
        Trigger {
            kind: kind.to_owned(),
            params: BTreeMap::new(),
        }
    }

    /// The value of one parameter, if set.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

impl Blueprint {
    /// Trims every string and drops empty optional fields, so that two parsers that
    /// agree on meaning also agree on bytes.
    #[must_use]
    pub fn normalized(mut self) -> Self {
        self.name = collapse_spaces(&self.name);
        self.entity = self.entity.trim().to_ascii_uppercase();
        self.trigger.kind = self.trigger.kind.trim().to_ascii_lowercase();
        self.trigger.params = normalize_map(std::mem::take(&mut self.trigger.params));
        for c in &mut self.conditions {
            c.field = c.field.trim().to_ascii_uppercase();
            c.operator = c.operator.trim().to_ascii_lowercase();
            c.value = c.value.trim().to_owned();
        }
        for a in &mut self.actions {
            a.kind = a.kind.trim().to_ascii_lowercase();
            a.fields = normalize_map(std::mem::take(&mut a.fields));
        }
        self
    }

    /// The smart variables (`{{NAME}}`) used anywhere in the blueprint, with where.
    pub fn variable_uses(&self) -> Vec<(String, String)> {
        let mut uses = Vec::new();
        for (i, action) in self.actions.iter().enumerate() {
            for (field, value) in &action.fields {
                for name in variables_in(value) {
                    uses.push((format!("actions[{i}].{field}"), name.to_owned()));
                }
            }
        }
        for (i, c) in self.conditions.iter().enumerate() {
            for name in variables_in(&c.value) {
                uses.push((format!("conditions[{i}].value"), name.to_owned()));
            }
        }
        uses
    }
}

fn normalize_map(map: BTreeMap<String, String>) -> BTreeMap<String, String> {
    map.into_iter()
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The names inside `{{...}}` placeholders in `text`, in order.
pub fn variables_in(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("{{").filter_map(move |(start, _)| {
        let rest = &text[start + 2..];
        let end = rest.find("}}")?;
        let name = rest[..end].trim();
        (!name.is_empty() && !name.contains('{')).then_some(name)
    })
}

// --- Serde: `type` first, then catalog order ------------------------------------------

fn serialize_tagged<S: Serializer>(
    serializer: S,
    kind: &str,
    fields: &BTreeMap<String, String>,
    order: &[&str],
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(fields.len() + 1))?;
    map.serialize_entry("type", kind)?;
    for name in order {
        if let Some(v) = fields.get(*name) {
            map.serialize_entry(name, v)?;
        }
    }
    for (k, v) in fields {
        if !order.contains(&k.as_str()) {
            map.serialize_entry(k, v)?;
        }
    }
    map.end()
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let order: Vec<&str> = catalog::action(&self.kind)
            .map(|a| a.fields.iter().map(|f| f.name).collect())
            .unwrap_or_default();
        serialize_tagged(serializer, &self.kind, &self.fields, &order)
    }
}

impl Serialize for Trigger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let order: Vec<&str> = catalog::trigger(&self.kind)
            .map(|t| t.params.iter().map(|p| p.name).collect())
            .unwrap_or_default();
        serialize_tagged(serializer, &self.kind, &self.params, &order)
    }
}

/// A scalar as YAML or JSON may write it; numbers and booleans become strings.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Scalar::Str(s) => s,
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

fn deserialize_tagged<'de, D: Deserializer<'de>>(
    deserializer: D,
    what: &str,
) -> Result<(String, BTreeMap<String, String>), D::Error> {
    let raw = BTreeMap::<String, Scalar>::deserialize(deserializer).map_err(|e| {
        de::Error::custom(format!(
            "{what} must be a map of text values with a `type` ({e})"
        ))
    })?;
    let mut fields: BTreeMap<String, String> =
        raw.into_iter().map(|(k, v)| (k, v.into_string())).collect();
    let kind = fields
        .remove("type")
        .ok_or_else(|| de::Error::custom(format!("{what} has no `type`")))?;
    Ok((kind, fields))
}

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (kind, fields) = deserialize_tagged(deserializer, "an action")?;
        Ok(Action { kind, fields })
    }
}

impl<'de> Deserialize<'de> for Trigger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (kind, params) = deserialize_tagged(deserializer, "a trigger")?;
        Ok(Trigger { kind, params })
    }
}

// --- JSON Schema, generated from the catalog ------------------------------------------

fn entity_schema(_: &mut SchemaGenerator) -> Schema {
    let ids: Vec<&str> = ENTITIES.iter().map(|e| e.id).collect();
    json_schema!({"type": "string", "enum": ids, "description": "A CRM entity id."})
}

fn operator_schema(_: &mut SchemaGenerator) -> Schema {
    let ops: Vec<&str> = catalog::CONDITION_OPERATORS
        .iter()
        .map(|(o, _)| *o)
        .collect();
    json_schema!({"type": "string", "enum": ops})
}

/// The JSON Schema of one field value, by kind.
pub fn field_schema(kind: FieldKind, description: &str) -> Value {
    let mut schema = match kind {
        FieldKind::Priority => json!({"type": "string", "enum": ["low", "normal", "high"]}),
        FieldKind::HttpMethod => json!({"type": "string", "enum": ["POST", "GET"]}),
        FieldKind::Integer => json!({"type": "string", "pattern": "^[0-9]+$"}),
        FieldKind::Url => json!({"type": "string", "pattern": "^https://", "format": "uri"}),
        FieldKind::Field => json!({"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"}),
        FieldKind::Stage => json!({"type": "string", "pattern": "^[A-Za-z0-9_:]+$"}),
        FieldKind::Text | FieldKind::Recipient | FieldKind::Tag | FieldKind::DateTime => {
            json!({"type": "string", "minLength": 1})
        }
    };
    schema["description"] = Value::from(description);
    schema
}

impl JsonSchema for Action {
    fn schema_name() -> Cow<'static, str> {
        "Action".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let variants: Vec<Value> = ACTIONS
            .iter()
            .map(|a| {
                let mut props = Map::new();
                props.insert("type".into(), json!({"const": a.id}));
                for f in a.fields {
                    props.insert(f.name.into(), field_schema(f.kind, f.description));
                }
                let mut required = vec!["type"];
                required.extend(a.fields.iter().filter(|f| f.required).map(|f| f.name));
                json!({
                    "type": "object",
                    "description": a.description,
                    "properties": props,
                    "required": required,
                    "additionalProperties": false,
                })
            })
            .collect();
        Schema::try_from(json!({
            "description": "One step of a workflow; `type` names the action.",
            "oneOf": variants,
        }))
        .expect("an object is a schema")
    }
}

impl JsonSchema for Trigger {
    fn schema_name() -> Cow<'static, str> {
        "Trigger".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let variants: Vec<Value> = TRIGGERS
            .iter()
            .map(|t| {
                let mut props = Map::new();
                props.insert("type".into(), json!({"const": t.id}));
                for p in t.params {
                    props.insert(
                        p.name.into(),
                        json!({"type": "string", "description": p.description}),
                    );
                }
                let mut required = vec!["type"];
                required.extend(t.params.iter().filter(|p| p.required).map(|p| p.name));
                json!({
                    "type": "object",
                    "description": t.event,
                    "properties": props,
                    "required": required,
                    "additionalProperties": false,
                })
            })
            .collect();
        Schema::try_from(json!({
            "description": "What starts the workflow; `type` names the trigger.",
            "oneOf": variants,
        }))
        .expect("an object is a schema")
    }
}

/// The list of smart variable placeholders, for documentation in schemas and prompts.
pub fn variable_placeholders() -> Vec<String> {
    VARIABLES
        .iter()
        .map(|v| format!("{{{{{}}}}}", v.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Blueprint {
        Blueprint {
            name: "Deal won: WhatsApp the client".into(),
            entity: "CRM_DEAL".into(),
            trigger: Trigger::new("deal_won"),
            conditions: vec![],
            actions: vec![Action::new(
                "send_whatsapp",
                [
                    ("message", "Congratulations!".to_owned()),
                    ("to", "{{CONTACT_PHONE}}".to_owned()),
                ],
            )],
        }
    }

    #[test]
    fn json_shape_puts_type_first_then_catalog_order() {
        let json = serde_json::to_string(&sample()).unwrap();
        assert_eq!(
            json,
            r#"{"name":"Deal won: WhatsApp the client","entity":"CRM_DEAL","trigger":{"type":"deal_won"},"actions":[{"type":"send_whatsapp","to":"{{CONTACT_PHONE}}","message":"Congratulations!"}]}"#
        );
        let back: Blueprint = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn numbers_in_fields_become_text() {
        let b: Blueprint = serde_json::from_str(
            r#"{"name":"x","entity":"CRM_DEAL","trigger":{"type":"deal_won"},
                "actions":[{"type":"send_email","to":"{{CONTACT_EMAIL}}","subject":"s","body":"b","template_id":7}]}"#,
        )
        .unwrap();
        assert_eq!(b.actions[0].field("template_id"), Some("7"));
    }

    #[test]
    fn an_action_without_type_is_an_error() {
        let err = serde_json::from_str::<Action>(r#"{"to":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("no `type`"), "{err}");
    }

    #[test]
    fn finds_variables() {
        let found: Vec<_> = variables_in("Hi {{CONTACT_NAME}}, deal {{ DEAL_ID }} {{").collect();
        assert_eq!(found, ["CONTACT_NAME", "DEAL_ID"]);
    }

    #[test]
    fn normalizing_trims_and_drops_empty_fields() {
        let mut b = sample();
        b.name = "  Deal   won ".into();
        b.actions[0].fields.insert("extra".into(), "  ".into());
        let n = b.normalized();
        assert_eq!(n.name, "Deal won");
        assert!(!n.actions[0].fields.contains_key("extra"));
    }
}
