//! The REST request for one runner action, filled in from the object, and the marker
//! its effect carries so a later run can find or replace it (see [`super::run`]'s
//! module docs for how an action left in flight is settled).

use serde_json::{Map, Value, json};

use super::Object;
use super::matching::fill_value;
use super::settle::{Recovery, recovery};
use crate::bitrix::{Idempotency, Method};

/// The request for one action, filled in; tags are computed from the task as read.
pub(super) fn request(
    call: &super::RunnerCall,
    object: Object,
    obj: &Map<String, Value>,
    now: i64,
    key: &str,
) -> Option<(Method, Value, Idempotency)> {
    let method = Method::from_name(&call.method)?;
    let mut params: Map<String, Value> = call
        .params
        .iter()
        .map(|(k, v)| (k.clone(), fill_value(v, object, obj, now)))
        .collect();
    let tags = |obj: &Map<String, Value>| -> Vec<String> {
        match obj.get("tags") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|t| {
                    t.as_str()
                        .map(str::to_owned)
                        .or_else(|| t["title"].as_str().map(str::to_owned))
                })
                .collect(),
            Some(Value::Object(m)) => m
                .values()
                .filter_map(|t| t["title"].as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    };
    for (key, add) in [("tags_add", true), ("tags_remove", false)] {
        if let Some(tag) = params.remove(key) {
            let tag = tag.as_str().unwrap_or_default().to_owned();
            let mut list = tags(obj);
            if add {
                if !list.contains(&tag) {
                    list.push(tag);
                }
            } else {
                list.retain(|t| *t != tag);
            }
            params.insert("fields".into(), json!({ "TAGS": list }));
        }
    }
    // The runner's own changes carry its connector, so they record no event for it.
    params.insert(
        "auth_connector".into(),
        json!(crate::ops::runner::CONNECTOR),
    );
    // Each effect carries the action's marker, so that sending it again either
    // replaces it or can be seen to be unnecessary (module docs).
    match method {
        Method::NotifySystemAdd => {
            // CIMRestService::notifyAdd (im/classes/general/im_rest.php) stores TAG as
            // NOTIFY_TAG `MP|<app key>|TAG`, and CIMMessenger::Add
            // (im/classes/general/im_messenger.php) deletes the recipient's notifications
            // with the same NOTIFY_TAG before adding the new one. The REST docs
            // (api-reference/chats/notifications/im-notify-system-add.md): "When adding a
            // notification with an existing tag, other notifications will be removed";
            // with a webhook, TAG needs CLIENT_ID beside it (an application's own token
            // carries its client id, and the parameter is then not used).
            params.insert("TAG".into(), json!(marker(key)));
            params.insert("CLIENT_ID".into(), json!(crate::ops::runner::CONNECTOR));
        }
        Method::TaskAdd | Method::ActivityAdd => {
            let fields = params
                .entry("fields")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(f) = fields {
                if method == Method::TaskAdd {
                    // XML_ID, the task's "external identifier" (api-reference/tasks/
                    // fields.md `xmlId`), is a string CTasks::GetFilter compares exactly
                    // (tasks/classes/general/task.php, `case 'XML_ID'`), so
                    // tasks.task.list can find the task by it.
                    f.insert("XML_ID".into(), json!(marker(key)));
                } else {
                    // ORIGINATOR_ID / ORIGIN_ID: "identifier of the data source" and "of
                    // the entity in the data source" (crm activity fields), kept and
                    // filterable in crm.activity.list.
                    f.insert("ORIGINATOR_ID".into(), json!(ORIGINATOR));
                    f.insert("ORIGIN_ID".into(), json!(marker(key)));
                }
            }
        }
        _ => {}
    }
    let idempotency = if recovery(method.name()) == Recovery::Resend {
        Idempotency::Safe
    } else {
        Idempotency::Unsafe
    };
    Some((method, Value::Object(params), idempotency))
}

/// The mark an action's effect carries in the portal, so that a later run can find or
/// replace it: a digest of the action's key, the same on every run (40 characters).
pub fn marker(key: &str) -> String {
    format!(
        "b24flow-{}",
        &crate::digest::sha256_hex(key.as_bytes())[..32]
    )
}

/// `ORIGINATOR_ID` of the e-mails the runner sends.
pub const ORIGINATOR: &str = "b24flow";
