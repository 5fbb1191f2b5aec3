//! The overdue scan: a workflow triggered by `task_overdue` has no event; the runner
//! lists tasks past their deadline and not completed (status 5 is
//! `Bitrix\Tasks\Internals\Task\Status::COMPLETED`) and starts it once per task and
//! deadline, so a deadline moved later and missed again starts it again.

use serde_json::{Value, json};

use super::act::start;
use super::matching::field_text;
use super::run::{Error, Report, Workflow};
use super::store::Store;
use crate::bitrix::{Client, Method};

/// Starts every overdue-scan workflow on each task past its deadline at `now`.
pub(super) async fn scan(
    client: &Client,
    store: &Store,
    workflows: &[Workflow],
    now: i64,
    report: &mut Report,
) -> Result<(), Error> {
    for wf in workflows
        .iter()
        .filter(|w| w.spec.scan.as_deref() == Some("overdue"))
    {
        let mut start_at = 0u64;
        loop {
            let reply = client
                .call(
                    Method::TaskList,
                    json!({
                        "filter": {"<DEADLINE": super::iso_utc(now), "!STATUS": 5},
                        "select": ["ID", "TITLE", "DEADLINE", "STATUS", "RESPONSIBLE_ID", "CREATED_BY", "TAGS"],
                        "start": start_at,
                    }),
                )
                .await
                .map_err(|source| Error::Rest { method: Method::TaskList.name(), source })?;
            let tasks = reply.result["tasks"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for t in tasks {
                let Value::Object(obj) = t else { continue };
                if field_text(&obj, "deadline").is_empty() {
                    continue;
                }
                let key = format!(
                    "{}|task:{}:overdue:{}",
                    wf.id,
                    field_text(&obj, "id"),
                    field_text(&obj, "deadline")
                );
                start(client, store, wf, &obj, &key, now, report).await?;
            }
            match reply.next {
                Some(n) if n > start_at => start_at = n,
                _ => break,
            }
        }
    }
    Ok(())
}
