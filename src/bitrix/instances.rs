//! Running workflow instances: `bizproc.workflow.instances`, read for many templates at
//! once, and the `bizproc.workflow.terminate` command.
//!
//! Facts these follow (bitrix24/b24restdocs `api-reference/bizproc/
//! bizproc-workflow-instances.md` and `bizproc-workflow-terminate.md`): `SELECT` may name
//! `ID`, `MODIFIED`, `OWNED_UNTIL`, `MODULE_ID`, `ENTITY`, `DOCUMENT_ID`, `STARTED`,
//! `STARTED_BY`, `TEMPLATE_ID` (default `ID`, `MODIFIED`, `OWNED_UNTIL`); `FILTER` takes
//! the same fields, a bare key meaning equality; 50 rows a page with `total`; an instance
//! id is a string like `66e412fdc9bd44.36306599`, `TEMPLATE_ID` a numeric string and
//! `DOCUMENT_ID` e.g. `DEAL_1633`. `terminate` takes `ID` and an optional `STATUS` text
//! and answers `true`.
//!
//! Invariant: the instances of every template asked about are read in one request (a
//! `batch` of one list command per template, 50 templates a request), plus one more for
//! the pages past each list's first; a failed command fails the whole read.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::client::value_u64;
use super::paged::ListRead;
use super::{Client, Error, Method};

/// One running instance of a template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RunningInstance {
    /// The instance id (a string on the platform).
    pub id: String,
    /// The template it runs.
    pub template_id: u64,
    /// The document it runs on, e.g. `DEAL_12`.
    pub document_id: String,
}

impl Client {
    /// The running instances of each template in `template_ids`, by template (every
    /// template asked about has an entry, empty when nothing runs).
    pub async fn instances_of(
        &self,
        template_ids: &[u64],
    ) -> Result<BTreeMap<u64, Vec<RunningInstance>>, Error> {
        let lists: Vec<ListRead> = template_ids
            .iter()
            .map(|id| ListRead {
                method: Method::WorkflowInstances,
                params: json!({
                    "SELECT": ["ID", "TEMPLATE_ID", "DOCUMENT_ID"],
                    "FILTER": {"TEMPLATE_ID": id},
                    "ORDER": {"STARTED": "ASC"},
                }),
            })
            .collect();
        let (listed, _) = self.read_batched(&lists, &[]).await?;
        let mut out = BTreeMap::new();
        for (id, list) in template_ids.iter().zip(listed) {
            let mut running = Vec::new();
            for row in &list.rows {
                let instance = parse(row).ok_or_else(|| Error::Malformed {
                    method: Method::WorkflowInstances.name().to_owned(),
                    status: 200,
                    detail: format!("an instance row without ID or TEMPLATE_ID: {row}"),
                })?;
                // A portal that ignored the filter still only counts this template's.
                if instance.template_id == *id {
                    running.push(instance);
                }
            }
            running.sort();
            running.dedup();
            out.insert(*id, running);
        }
        Ok(out)
    }
}

/// The `bizproc.workflow.terminate` parameters for instance `id`.
pub fn terminate_params(id: &str, status: &str) -> Value {
    json!({ "ID": id, "STATUS": status })
}

fn parse(row: &Value) -> Option<RunningInstance> {
    let id = match row.get("ID")? {
        Value::String(s) if !s.is_empty() => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Some(RunningInstance {
        id,
        template_id: value_u64(row.get("TEMPLATE_ID")?)?,
        document_id: row
            .get("DOCUMENT_ID")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_parse_as_the_docs_show_them() {
        let row = json!({"DOCUMENT_ID": "DEAL_1633", "ID": "658c4d3d6a2906.51542462", "TEMPLATE_ID": "212"});
        assert_eq!(
            parse(&row),
            Some(RunningInstance {
                id: "658c4d3d6a2906.51542462".into(),
                template_id: 212,
                document_id: "DEAL_1633".into(),
            })
        );
        assert_eq!(parse(&json!({"ID": "x"})), None);
        assert_eq!(parse(&json!({"ID": "", "TEMPLATE_ID": "1"})), None);
        assert_eq!(terminate_params("a.b", "why")["ID"], "a.b");
    }
}
