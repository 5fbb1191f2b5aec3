//! Typed `bizproc.workflow.template.*` methods and the live template type.
//!
//! Facts these follow (bitrix24/b24restdocs `api-reference/bizproc/template/*`, and the
//! platform's `bizproc/lib/restservice.php`):
//! - `TEMPLATE_DATA` travels as `["<name>.bpt", "<base64>"]`;
//! - `AUTO_EXECUTE` is sent as a string: the platform checks `$flag === (string)(int)$flag`,
//!   and a JSON body keeps integers as integers, so a JSON `3` is refused;
//! - `list` returns scalars as strings, `DOCUMENT_TYPE` as its third element only, and
//!   `TEMPLATE`/`PARAMETERS`/`VARIABLES`/`CONSTANTS` already decoded; 50 rows a page.

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value, json};

use super::client::{Idempotency, value_u64};
use super::paged::ListRead;
use super::{Client, Error, Method};

/// The most pages [`Client::template_list_all`] reads: 400 pages of 50 rows is 20,000
/// templates, far beyond any real portal's business-process templates, and a bound on
/// what a portal that never stops sending `next` can make b24flow read.
pub const MAX_LIST_PAGES: usize = 400;

/// Every field `list` can return.
pub const ALL_FIELDS: [&str; 15] = [
    "ID",
    "MODULE_ID",
    "ENTITY",
    "DOCUMENT_TYPE",
    "AUTO_EXECUTE",
    "NAME",
    "DESCRIPTION",
    "TEMPLATE",
    "PARAMETERS",
    "VARIABLES",
    "CONSTANTS",
    "MODIFIED",
    "IS_MODIFIED",
    "USER_ID",
    "SYSTEM_CODE",
];

/// A template to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTemplate {
    /// `[module, entity, type]`, e.g. `["crm", "CCrmDocumentDeal", "DEAL"]`.
    pub document_type: [String; 3],
    /// The name shown in the portal.
    pub name: String,
    /// The description (b24flow puts its ownership marker here).
    pub description: String,
    /// Auto-start: 0 none, 1 on create, 2 on edit, 3 both.
    pub auto_execute: u8,
    /// The file name sent with the data (`<something>.bpt`).
    pub file_name: String,
    /// The `.bpt` bytes.
    pub bpt: Vec<u8>,
}

/// Changes to an existing template; `None` leaves a field alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateUpdate {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New auto-start flags.
    pub auto_execute: Option<u8>,
    /// New `.bpt` as `(file name, bytes)`; the document type cannot change.
    pub bpt: Option<(String, Vec<u8>)>,
}

/// A `list` query.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    /// Fields to return.
    pub select: Vec<String>,
    /// Field filter; keys may carry `!`, `<`, `<=`, `>`, `>=`, `=`, `!=` prefixes.
    pub filter: Map<String, Value>,
    /// Sort order, e.g. `{"ID": "ASC"}`.
    pub order: Map<String, Value>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            select: ALL_FIELDS.iter().map(|s| (*s).to_owned()).collect(),
            filter: Map::new(),
            order: [("ID".to_owned(), json!("ASC"))].into_iter().collect(),
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// All matching rows.
    pub total: Option<u64>,
    /// The `start` of the next page, when there is one.
    pub next: Option<u64>,
}

/// A template as `bizproc.workflow.template.list` returns it. Fields not selected are
/// empty (`None`, `""` or `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveTemplate {
    /// The template id.
    #[serde(rename = "ID", deserialize_with = "de_u64")]
    pub id: u64,
    /// `crm`, `lists`, `disk`.
    #[serde(rename = "MODULE_ID", default)]
    pub module_id: String,
    /// E.g. `CCrmDocumentDeal`.
    #[serde(rename = "ENTITY", default)]
    pub entity: String,
    /// The third element of the document type, e.g. `DEAL`.
    #[serde(rename = "DOCUMENT_TYPE", default)]
    pub document_type: String,
    /// 0–3.
    #[serde(rename = "AUTO_EXECUTE", default, deserialize_with = "de_opt_u8")]
    pub auto_execute: Option<u8>,
    /// The name.
    #[serde(rename = "NAME", default, deserialize_with = "de_string")]
    pub name: String,
    /// The description.
    #[serde(rename = "DESCRIPTION", default, deserialize_with = "de_string")]
    pub description: String,
    /// The decoded activity tree (a list holding the root activity).
    #[serde(rename = "TEMPLATE", default)]
    pub template: Value,
    /// Template parameters.
    #[serde(rename = "PARAMETERS", default)]
    pub parameters: Value,
    /// Template variables.
    #[serde(rename = "VARIABLES", default)]
    pub variables: Value,
    /// Template constants.
    #[serde(rename = "CONSTANTS", default)]
    pub constants: Value,
    /// ISO-8601 modification time.
    #[serde(rename = "MODIFIED", default, deserialize_with = "de_string")]
    pub modified: String,
    /// `Y`/`N`.
    #[serde(rename = "IS_MODIFIED", default, deserialize_with = "de_string")]
    pub is_modified: String,
    /// The user who last saved it.
    #[serde(rename = "USER_ID", default, deserialize_with = "de_opt_u64")]
    pub user_id: Option<u64>,
    /// `rest_app_<id>` for templates an application created.
    #[serde(rename = "SYSTEM_CODE", default, deserialize_with = "de_string")]
    pub system_code: String,
}

impl LiveTemplate {
    /// The full `[module, entity, type]`, when all three were selected.
    pub fn full_document_type(&self) -> Option<[String; 3]> {
        (!self.module_id.is_empty() && !self.entity.is_empty() && !self.document_type.is_empty())
            .then(|| {
                [
                    self.module_id.clone(),
                    self.entity.clone(),
                    self.document_type.clone(),
                ]
            })
    }
}

fn de_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    value_u64(&v).ok_or_else(|| serde::de::Error::custom("expected an integer id"))
}

fn de_opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_null() {
        return Ok(None);
    }
    value_u64(&v)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom("expected an integer"))
}

fn de_opt_u8<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    let v = de_opt_u64(d)?;
    v.map(|n| u8::try_from(n).map_err(|_| serde::de::Error::custom("AUTO_EXECUTE out of range")))
        .transpose()
}

fn de_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(if b { "Y" } else { "N" }.to_owned()),
        _ => Err(serde::de::Error::custom("expected a string")),
    }
}

/// `TEMPLATE_DATA` as the JSON transport wants it.
fn template_data(file_name: &str, bpt: &[u8]) -> Value {
    json!([
        file_name,
        base64::engine::general_purpose::STANDARD.encode(bpt)
    ])
}

impl NewTemplate {
    /// The `bizproc.workflow.template.add` parameters.
    pub fn params(&self) -> Value {
        json!({
            "DOCUMENT_TYPE": self.document_type,
            "NAME": self.name,
            "DESCRIPTION": self.description,
            "AUTO_EXECUTE": self.auto_execute.to_string(),
            "TEMPLATE_DATA": template_data(&self.file_name, &self.bpt),
        })
    }
}

impl TemplateUpdate {
    /// The `bizproc.workflow.template.update` parameters for template `id`.
    pub fn params(&self, id: u64) -> Value {
        let mut fields = Map::new();
        if let Some(name) = &self.name {
            fields.insert("NAME".into(), json!(name));
        }
        if let Some(description) = &self.description {
            fields.insert("DESCRIPTION".into(), json!(description));
        }
        if let Some(auto) = self.auto_execute {
            fields.insert("AUTO_EXECUTE".into(), json!(auto.to_string()));
        }
        if let Some((file_name, bpt)) = &self.bpt {
            fields.insert("TEMPLATE_DATA".into(), template_data(file_name, bpt));
        }
        json!({ "ID": id, "FIELDS": fields })
    }
}

impl ListQuery {
    /// The `bizproc.workflow.template.list` parameters for the page at `start`.
    pub fn params(&self, start: u64) -> Value {
        json!({ "SELECT": self.select, "FILTER": self.filter, "ORDER": self.order, "start": start })
    }
}

fn malformed(method: &str, detail: String) -> Error {
    Error::Malformed {
        method: method.to_owned(),
        status: 200,
        detail,
    }
}

impl Client {
    /// Creates a template and returns its id. Never re-sent after a lost reply (that
    /// could create a twin); such a failure is [`Error::Indeterminate`].
    pub async fn template_add(&self, template: &NewTemplate) -> Result<u64, Error> {
        const METHOD: Method = Method::TemplateAdd;
        if template.auto_execute > 3 {
            return Err(Error::InvalidRequest {
                method: METHOD.name().into(),
                message: format!("AUTO_EXECUTE must be 0–3, not {}", template.auto_execute),
            });
        }
        let reply = self
            .call_with(METHOD, template.params(), Idempotency::Unsafe)
            .await?;
        value_u64(&reply.result)
            .ok_or_else(|| malformed(METHOD.name(), "`result` is not a template id".into()))
    }

    /// Updates a template. The portal answers with the id or `true`.
    pub async fn template_update(&self, id: u64, update: &TemplateUpdate) -> Result<(), Error> {
        const METHOD: Method = Method::TemplateUpdate;
        let reply = self.call(METHOD, update.params(id)).await?;
        match reply.result {
            Value::Bool(true) => Ok(()),
            ref v if value_u64(v).is_some() => Ok(()),
            _ => Err(malformed(
                METHOD.name(),
                "`result` is neither an id nor true".into(),
            )),
        }
    }

    /// Deletes a template. A retry that finds it gone counts as success, because the
    /// first attempt may have deleted it before its reply was lost.
    pub async fn template_delete(&self, id: u64) -> Result<(), Error> {
        const METHOD: Method = Method::TemplateDelete;
        let (result, resent) = self
            .call_tracked(METHOD, json!({ "ID": id }), Idempotency::Safe)
            .await;
        match result {
            Ok(_) => Ok(()),
            // Only trusted when an earlier attempt's reply was lost: otherwise the
            // template truly did not exist, and the caller should know.
            Err(Error::Api { code, .. }) if code == "ERROR_TEMPLATE_NOT_FOUND" && resent => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// One page of templates, starting at row `start`.
    pub async fn template_list(
        &self,
        query: &ListQuery,
        start: u64,
    ) -> Result<Page<LiveTemplate>, Error> {
        const METHOD: Method = Method::TemplateList;
        let reply = self.call(METHOD, query.params(start)).await?;
        let items = parse_rows(&reply.result).map_err(|d| malformed(METHOD.name(), d))?;
        Ok(Page {
            items,
            total: reply.total,
            next: reply.next,
        })
    }

    /// Every template matching the query: the first page, then every remaining page in
    /// one `batch` request ([`Client::read_batched`]).
    ///
    /// A hostile or broken portal cannot make this loop forever: `next` must advance,
    /// rows past the `total` the portal itself reported are an error, and so is a list
    /// longer than [`MAX_LIST_PAGES`] pages. A template listed twice (the list moved
    /// while it was read) is kept once.
    pub async fn template_list_all(&self, query: &ListQuery) -> Result<Vec<LiveTemplate>, Error> {
        let (mut lists, _) = self.read_batched(&[query.read()], &[]).await?;
        query.rows(std::mem::take(&mut lists[0].rows))
    }
}

impl ListQuery {
    /// This query as a list read for [`Client::read_batched`].
    pub fn read(&self) -> ListRead {
        ListRead {
            method: Method::TemplateList,
            params: json!({ "SELECT": self.select, "FILTER": self.filter, "ORDER": self.order }),
        }
    }

    /// Rows read with [`ListQuery::read`] as templates, each id once.
    pub fn rows(&self, rows: Vec<Value>) -> Result<Vec<LiveTemplate>, Error> {
        let mut seen = std::collections::BTreeSet::new();
        let mut all = parse_rows(&Value::Array(rows))
            .map_err(|d| malformed(Method::TemplateList.name(), d))?;
        all.retain(|t| seen.insert(t.id));
        Ok(all)
    }
}

/// Parses a `list` result into rows.
pub fn parse_rows(result: &Value) -> Result<Vec<LiveTemplate>, String> {
    let Value::Array(rows) = result else {
        return Err("`result` is not a list".into());
    };
    rows.iter()
        .enumerate()
        .map(|(i, row)| LiveTemplate::deserialize(row).map_err(|e| format!("row {i}: {e}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_parse_from_strings() {
        let rows = parse_rows(&json!([{
            "ID": "525", "NAME": "x", "AUTO_EXECUTE": "3", "USER_ID": "1",
            "DOCUMENT_TYPE": "DEAL", "MODULE_ID": "crm", "ENTITY": "CCrmDocumentDeal",
            "TEMPLATE": [{"Type": "SequentialWorkflowActivity"}], "SYSTEM_CODE": null
        }]))
        .unwrap();
        assert_eq!(rows[0].id, 525);
        assert_eq!(rows[0].auto_execute, Some(3));
        assert_eq!(rows[0].full_document_type().unwrap()[1], "CCrmDocumentDeal");
        assert_eq!(rows[0].system_code, "");
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        assert!(parse_rows(&json!({"ID": "1"})).is_err());
        assert!(parse_rows(&json!([{"ID": "abc"}])).is_err());
        assert!(parse_rows(&json!([{"ID": "1", "AUTO_EXECUTE": "999"}])).is_err());
        assert!(parse_rows(&json!([{"NAME": "no id"}])).is_err());
        assert!(parse_rows(&json!([{"ID": "1", "NAME": {}}])).is_err());
    }

    #[test]
    fn auto_execute_is_sent_as_a_string() {
        let t = NewTemplate {
            document_type: ["crm".into(), "CCrmDocumentDeal".into(), "DEAL".into()],
            name: "n".into(),
            description: String::new(),
            auto_execute: 3,
            file_name: "n.bpt".into(),
            bpt: vec![1, 2, 3],
        };
        let p = t.params();
        assert_eq!(p["AUTO_EXECUTE"], json!("3"));
        assert_eq!(p["TEMPLATE_DATA"], json!(["n.bpt", "AQID"]));
        let u = TemplateUpdate {
            auto_execute: Some(1),
            ..TemplateUpdate::default()
        };
        assert_eq!(
            u.params(4),
            json!({"ID": 4, "FIELDS": {"AUTO_EXECUTE": "1"}})
        );
    }
}
