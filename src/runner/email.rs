//! Where an e-mail action goes: the client of the CRM record the object belongs to,
//! and that client's first e-mail address, completing `crm.activity.add`'s fields.

use serde_json::{Map, Value, json};

use super::Object;
use super::matching::field_text;
use super::run::{Error, gone};
use crate::bitrix::{Client, Method};

/// Where an e-mail goes: the client's address, the CRM entity holding it, and the
/// record the e-mail activity is written on.
pub(super) struct EmailTo {
    owner_type: u64,
    owner_id: u64,
    entity_type: u64,
    entity_id: u64,
    address: String,
    responsible: String,
}

impl EmailTo {
    /// Completes `crm.activity.add`'s fields: the owner, the responsible person and
    /// COMMUNICATIONS (`VALUE`, `ENTITY_ID`, `ENTITY_TYPE_ID`: the REST docs'
    /// crm-activity-communication-fields.md).
    pub(super) fn fill(self, params: &mut Map<String, Value>) {
        if let Some(Value::Object(f)) = params.get_mut("fields") {
            f.insert("OWNER_TYPE_ID".into(), json!(self.owner_type));
            f.insert("OWNER_ID".into(), json!(self.owner_id));
            if !self.responsible.is_empty() {
                f.insert("RESPONSIBLE_ID".into(), json!(self.responsible));
            }
            f.insert(
                "COMMUNICATIONS".into(),
                json!([{
                    "VALUE": self.address,
                    "ENTITY_ID": self.entity_id,
                    "ENTITY_TYPE_ID": self.entity_type,
                }]),
            );
        }
    }
}

/// Reads a CRM record by `CCrmOwnerType` id (1 lead, 2 deal, 3 contact, 4 company);
/// `None` when it no longer exists.
async fn read_record(
    client: &Client,
    owner_type: u64,
    id: u64,
) -> Result<Option<Map<String, Value>>, Error> {
    let method = match owner_type {
        1 => Method::LeadGet,
        2 => Method::DealGet,
        3 => Method::ContactGet,
        4 => Method::CompanyGet,
        _ => return Ok(None),
    };
    Ok(
        gone(client.call(method, json!({"id": id})).await, method)?.and_then(|reply| {
            match reply.result {
                Value::Object(m) => Some(m),
                _ => None,
            }
        }),
    )
}

/// The client an e-mail from this object goes to: the CRM record an activity belongs to
/// (`OWNER_TYPE_ID`/`OWNER_ID`), or the first a task is bound to (`UF_CRM_TASK`,
/// `D_10`-style); a lead, contact or company is its own client, a deal's is its contact,
/// else its company (as `CrmSendEmailActivity` picks it). The first e-mail address is
/// used. `Ok(Err(reason))` when there is no one to write to.
pub(super) async fn email_to(
    client: &Client,
    object: Object,
    obj: &Map<String, Value>,
) -> Result<Result<EmailTo, String>, Error> {
    let num = |s: &str| s.trim().parse::<u64>().unwrap_or(0);
    let (owner_type, owner_id, responsible) = match object {
        Object::Activity => (
            num(&field_text(obj, "OWNER_TYPE_ID")),
            num(&field_text(obj, "OWNER_ID")),
            field_text(obj, "RESPONSIBLE_ID"),
        ),
        Object::Task => {
            let bound = match obj.get("ufCrmTask") {
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).find_map(|b| {
                    let (prefix, id) = b.split_once('_')?;
                    let t = match prefix {
                        "L" => 1,
                        "D" => 2,
                        "C" => 3,
                        "CO" => 4,
                        _ => return None,
                    };
                    Some((t, num(id)))
                }),
                _ => None,
            };
            let (t, id) = bound.unwrap_or((0, 0));
            (t, id, field_text(obj, "responsibleId"))
        }
        Object::Calendar => (0, 0, String::new()),
    };
    if owner_type == 0 || owner_id == 0 {
        return Ok(Err("it is bound to no CRM record".into()));
    }
    let Some(record) = read_record(client, owner_type, owner_id).await? else {
        return Ok(Err("its CRM record no longer exists".into()));
    };
    let mut clients = Vec::new();
    if owner_type == 2 {
        for (field, t) in [("CONTACT_ID", 3), ("COMPANY_ID", 4)] {
            let id = num(&field_text(&record, field));
            if id > 0
                && let Some(r) = read_record(client, t, id).await?
            {
                clients.push((t, id, r));
                break;
            }
        }
    } else {
        clients.push((owner_type, owner_id, record));
    }
    for (t, id, r) in clients {
        let address = match r.get("EMAIL") {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|e| e["VALUE"].as_str())
                .map(str::trim)
                .find(|v| !v.is_empty())
                .map(str::to_owned),
            _ => None,
        };
        if let Some(address) = address {
            return Ok(Ok(EmailTo {
                owner_type,
                owner_id,
                entity_type: t,
                entity_id: id,
                address,
                responsible,
            }));
        }
    }
    Ok(Err("the client has no e-mail address".into()))
}
