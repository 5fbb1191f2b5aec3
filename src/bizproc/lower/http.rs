//! Calls out of the portal.

use super::{Activity, Value};

/// bizproc WebHookActivity: POSTs `document_id` to Handler through the portal's REST
/// event queue.
pub(super) fn webhook(name: String, url: &str) -> Activity {
    Activity::new("WebHookActivity", name)
        .with("Title", Value::str("Call a webhook"))
        .with("Handler", Value::str(url))
}
