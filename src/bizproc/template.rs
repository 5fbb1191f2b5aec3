//! The business process template as b24flow models it: an activity tree plus the fields
//! the REST API keeps beside it (name, description, document type, `AUTO_EXECUTE`).
//!
//! Desired templates come from the compiler. A plan compares activity trees in the
//! form `bizproc.workflow.template.list` returns them, JSON already unserialized: the
//! desired side converts with [`Template::tree_json`], the live side is compared as
//! listed, and a view reads either back with [`Activity::from_tree_json`].
//!
//! Invariants: activity properties keep their order (PHP arrays are ordered, and the
//! hash below depends on it); [`Template::sha256`] covers everything that changes what
//! the portal runs, and leaves out the description, because the description carries
//! b24flow's ownership marker, which itself records that hash.

use serde_json::Value as Json;

use super::bpt;
use super::php::{self, Key, Value};

/// The `.bpt` format version Bitrix24 writes and reads.
pub const BPT_VERSION: i64 = 2;

/// The root activity's type and name, as the designer writes them.
pub const ROOT_TYPE: &str = "SequentialWorkflowActivity";
/// See [`ROOT_TYPE`].
pub const ROOT_NAME: &str = "Template";

/// One node of the activity tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// The activity class without its `CBP` prefix, e.g. `IfElseActivity`.
    pub type_: String,
    /// Unique within the template; the designer's shape is `A#####_#####_#####_#####`.
    pub name: String,
    /// `Activated` = `"Y"`; a deactivated activity is skipped at run time.
    pub activated: bool,
    /// The activity's properties, in order.
    pub properties: Vec<(String, Value)>,
    /// Child activities (branches of an `IfElseActivity`, steps of a branch).
    pub children: Vec<Activity>,
}

impl Activity {
    /// An activated activity with no properties and no children.
    pub fn new(type_: impl Into<String>, name: impl Into<String>) -> Activity {
        Activity {
            type_: type_.into(),
            name: name.into(),
            activated: true,
            properties: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Adds a property (builder style).
    #[must_use]
    pub fn with(mut self, key: &str, value: Value) -> Activity {
        self.properties.push((key.to_owned(), value));
        self
    }

    /// Adds a child (builder style).
    #[must_use]
    pub fn child(mut self, child: Activity) -> Activity {
        self.children.push(child);
        self
    }

    /// The value of one property.
    pub fn property(&self, key: &str) -> Option<&Value> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The `Title` property, when it is a string.
    pub fn title(&self) -> Option<&str> {
        self.property("Title").and_then(Value::as_str)
    }

    /// This activity and all below it, depth first, parents before children.
    pub fn walk(&self) -> Vec<&Activity> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.walk());
        }
        out
    }

    /// The node as the `.bpt` stores it: `Type`, `Name`, `Activated`, `Properties`,
    /// `Children`, in that order (the order of the official sample).
    pub fn to_php(&self) -> Value {
        Value::map([
            ("Type", Value::str(&self.type_)),
            ("Name", Value::str(&self.name)),
            (
                "Activated",
                Value::str(if self.activated { "Y" } else { "N" }),
            ),
            (
                "Properties",
                Value::Array(
                    self.properties
                        .iter()
                        .map(|(k, v)| (Key::normalized(k), v.clone()))
                        .collect(),
                ),
            ),
            (
                "Children",
                Value::list(self.children.iter().map(Activity::to_php)),
            ),
        ])
    }

    /// Reads the root of a tree in its listed JSON form (`TEMPLATE` of
    /// `bizproc.workflow.template.list`, or [`Template::tree_json`]): a list holding the
    /// root activity.
    pub fn from_tree_json(tree: &Json) -> Result<Activity, Error> {
        Template::root_from(Some(&bpt::from_json(tree)))
    }

    /// Reads a node, as written by [`Activity::to_php`] or by the designer.
    pub fn from_php(v: &Value) -> Result<Activity, Error> {
        Self::from_php_at(v, "TEMPLATE[0]", 0)
    }

    fn from_php_at(v: &Value, path: &str, depth: usize) -> Result<Activity, Error> {
        if depth > php::MAX_DEPTH {
            return Err(Error::Shape {
                path: path.to_owned(),
                expected: "a shallower activity tree",
            });
        }
        if v.as_array().is_none() {
            return Err(Error::Shape {
                path: path.to_owned(),
                expected: "an activity (array)",
            });
        }
        let text = |key: &str| -> Result<String, Error> {
            match v.get(key) {
                Some(Value::Str(s)) => Ok(s.clone()),
                _ => Err(Error::Shape {
                    path: format!("{path}.{key}"),
                    expected: "a string",
                }),
            }
        };
        let type_ = text("Type")?;
        let name = text("Name")?;
        // The designer writes "Y"/"N"; PHP's loader also treats a missing key as active.
        let activated = match v.get("Activated") {
            None | Some(Value::Null) => true,
            Some(Value::Str(s)) => !s.eq_ignore_ascii_case("N"),
            Some(Value::Bool(b)) => *b,
            Some(Value::Int(n)) => *n != 0,
            Some(_) => {
                return Err(Error::Shape {
                    path: format!("{path}.Activated"),
                    expected: "\"Y\" or \"N\"",
                });
            }
        };
        let properties = match v.get("Properties") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(entries)) => entries
                .iter()
                .map(|(k, v)| (k.to_json_key(), v.clone()))
                .collect(),
            Some(_) => {
                return Err(Error::Shape {
                    path: format!("{path}.Properties"),
                    expected: "an array of properties",
                });
            }
        };
        let children = match v.get("Children") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(entries)) => entries
                .iter()
                .enumerate()
                .map(|(i, (_, child))| {
                    Self::from_php_at(child, &format!("{path}.Children[{i}]"), depth + 1)
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(Error::Shape {
                    path: format!("{path}.Children"),
                    expected: "a list of activities",
                });
            }
        };
        Ok(Activity {
            type_,
            name,
            activated,
            properties,
            children,
        })
    }
}

/// A business process template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// `NAME` in the portal.
    pub name: String,
    /// `DESCRIPTION` in the portal.
    pub description: String,
    /// `DOCUMENT_TYPE`: module, document class, type, e.g. `crm`, `CCrmDocumentDeal`, `DEAL`.
    pub document_type: [String; 3],
    /// `AUTO_EXECUTE`: 0 manual, 1 on create, 2 on change, 3 both.
    pub auto_execute: u8,
    /// The root `SequentialWorkflowActivity`.
    pub root: Activity,
    /// `PARAMETERS` (empty for compiled templates).
    pub parameters: Value,
    /// `VARIABLES` (empty for compiled templates).
    pub variables: Value,
    /// `CONSTANTS` (empty for compiled templates).
    pub constants: Value,
}

/// Why a document or a REST row is not a template.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    /// A value of the wrong shape.
    #[error("template {path} is not {expected}")]
    #[diagnostic(
        code(b24flow::template::shape),
        help("the template was not written by the Bitrix24 designer or by b24flow")
    )]
    Shape {
        /// Where in the document, e.g. `TEMPLATE[0].Children[2].Name`.
        path: String,
        /// What was expected there.
        expected: &'static str,
    },
    /// The `.bpt` bytes did not decode.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Bpt(#[from] bpt::Error),
}

impl Template {
    /// An empty template on `document_type` with a bare root activity.
    pub fn new(name: impl Into<String>, document_type: [&str; 3], auto_execute: u8) -> Template {
        let name = name.into();
        Template {
            root: Activity::new(ROOT_TYPE, ROOT_NAME).with("Title", Value::str(&name)),
            name,
            description: String::new(),
            document_type: document_type.map(str::to_owned),
            auto_execute,
            parameters: Value::empty_array(),
            variables: Value::empty_array(),
            constants: Value::empty_array(),
        }
    }

    /// The `.bpt` document: `VERSION`, `TEMPLATE` (a list holding the root),
    /// `PARAMETERS`, `VARIABLES`, `CONSTANTS`, `DOCUMENT_FIELDS` (empty: compiled
    /// templates use only standard fields, so there is nothing to create on import).
    pub fn to_document(&self) -> Value {
        Value::map([
            ("VERSION", Value::Int(BPT_VERSION)),
            ("TEMPLATE", Value::list([self.root.to_php()])),
            ("PARAMETERS", self.parameters.clone()),
            ("VARIABLES", self.variables.clone()),
            ("CONSTANTS", self.constants.clone()),
            ("DOCUMENT_FIELDS", Value::empty_array()),
        ])
    }

    /// The `.bpt` bytes (zlib around the serialized document).
    pub fn to_bpt(&self) -> Vec<u8> {
        bpt::encode(&self.to_document())
    }

    /// `TEMPLATE` as `bizproc.workflow.template.list` returns it: a JSON list holding
    /// the root activity.
    pub fn tree_json(&self) -> Json {
        bpt::to_json(&Value::list([self.root.to_php()]))
    }

    /// Reads a `.bpt` document. The REST fields (name, description, document type,
    /// `AUTO_EXECUTE`) are not in a `.bpt`; they start empty for the caller to fill.
    pub fn from_document(doc: &Value) -> Result<Template, Error> {
        let shape = |path: &str, expected| Error::Shape {
            path: path.to_owned(),
            expected,
        };
        if doc.as_array().is_none() {
            return Err(shape("document", "an array"));
        }
        let root = Self::root_from(doc.get("TEMPLATE"))?;
        let section = |key: &str| doc.get(key).cloned().unwrap_or_else(Value::empty_array);
        Ok(Template {
            name: String::new(),
            description: String::new(),
            document_type: Default::default(),
            auto_execute: 0,
            root,
            parameters: section("PARAMETERS"),
            variables: section("VARIABLES"),
            constants: section("CONSTANTS"),
        })
    }

    /// Decodes `.bpt` bytes; see [`Template::from_document`].
    pub fn from_bpt(bytes: &[u8]) -> Result<Template, Error> {
        Self::from_document(&bpt::decode(bytes)?)
    }

    fn root_from(template: Option<&Value>) -> Result<Activity, Error> {
        let first = template
            .and_then(Value::as_list)
            .and_then(|items| items.first().copied())
            .ok_or(Error::Shape {
                path: "TEMPLATE".to_owned(),
                expected: "a list holding the root activity",
            })?;
        Activity::from_php(first)
    }

    /// SHA-256 (hex) of a canonical serialization of what the portal runs: document
    /// type, `AUTO_EXECUTE`, name and the `.bpt` document, PHP-serialized (so it does
    /// not depend on zlib's output). The description is left out: it carries the
    /// ownership marker, which records this hash.
    pub fn sha256(&self) -> String {
        let canonical = Value::map([
            (
                "DOCUMENT_TYPE",
                Value::list(self.document_type.iter().map(Value::str)),
            ),
            ("AUTO_EXECUTE", Value::Int(i64::from(self.auto_execute))),
            ("NAME", Value::str(&self.name)),
            ("BPT", self.to_document()),
        ]);
        crate::digest::sha256_hex(&php::encode(&canonical))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Template {
        let mut t = Template::new("Won deal", ["crm", "CCrmDocumentDeal", "DEAL"], 2);
        t.root.children.push(
            Activity::new("IMNotifyActivity", "A00001_00002_00003_00004")
                .with("Title", Value::str("Notify"))
                .with("MessageUserTo", Value::list([Value::str("user_1")])),
        );
        t
    }

    #[test]
    fn document_round_trips_through_bpt() {
        let t = sample();
        let back = Template::from_bpt(&t.to_bpt()).unwrap();
        assert_eq!(back.root, t.root);
        assert_eq!(back.parameters, t.parameters);
    }

    #[test]
    fn the_listed_tree_reads_back_as_the_same_activities() {
        let t = sample();
        assert_eq!(Activity::from_tree_json(&t.tree_json()).unwrap(), t.root);
        assert!(Activity::from_tree_json(&serde_json::json!([])).is_err());
    }

    #[test]
    fn hash_ignores_description_but_not_properties() {
        let t = sample();
        let mut described = t.clone();
        described.description = "managed by b24flow".into();
        assert_eq!(described.sha256(), t.sha256());
        let mut edited = t.clone();
        edited.root.children[0].properties[0].1 = Value::str("Notify!");
        assert_ne!(edited.sha256(), t.sha256());
    }

    #[test]
    fn rejects_wrong_shapes() {
        assert!(Template::from_document(&Value::Int(1)).is_err());
        let doc = Value::map([("TEMPLATE", Value::list([Value::str("x")]))]);
        assert!(Template::from_document(&doc).is_err());
        assert!(Activity::from_tree_json(&serde_json::json!([{"Type": 1}])).is_err());
    }
}
