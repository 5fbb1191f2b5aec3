//! CRM records: new deals, contacts, companies, invoices and quotes; and the record the
//! workflow runs on (its fields, responsible person, stage and timeline).

use super::{Activity, Value, user_list};

pub(super) fn deal(
    name: String,
    title: &str,
    assignee: Option<&str>,
    stage: Option<&str>,
) -> Activity {
    let mut fields = vec![("TITLE", Value::str(title))];
    if let Some(a) = assignee {
        fields.push(("ASSIGNED_BY_ID", Value::str(a)));
    }
    if let Some(s) = stage {
        fields.push(("STAGE_ID", Value::str(s)));
    }
    Activity::new("CreateCrmDealDocumentActivity", name)
        .with("Title", Value::str("Create a deal"))
        .with("Fields", Value::map(fields))
}

/// CreateCrmContactDocumentActivity needs both NAME and LAST_NAME.
pub(super) fn contact(name: String, first: &str, last: &str) -> Activity {
    Activity::new("CreateCrmContactDocumentActivity", name)
        .with("Title", Value::str("Create a contact"))
        .with(
            "Fields",
            Value::map([("NAME", Value::str(first)), ("LAST_NAME", Value::str(last))]),
        )
}

pub(super) fn company(name: String, title: &str) -> Activity {
    Activity::new("CreateCrmCompanyDocumentActivity", name)
        .with("Title", Value::str("Create a company"))
        .with("Fields", Value::map([("TITLE", Value::str(title))]))
}

/// Smart invoices (31) and quotes (7) are created with the generic CRM item activity;
/// the dedicated ones are node-designer actions only.
pub(super) fn dynamic(
    name: String,
    invoice: bool,
    title: &str,
    assignee: Option<&str>,
) -> Activity {
    let type_id: i64 = if invoice { 31 } else { 7 };
    let mut fields = vec![(format!("{type_id}_TITLE"), Value::str(title))];
    if let Some(user) = assignee {
        fields.push((format!("{type_id}_ASSIGNED_BY_ID"), Value::str(user)));
    }
    Activity::new("CrmCreateDynamicActivity", name)
        .with(
            "Title",
            Value::str(if invoice {
                "Create an invoice"
            } else {
                "Create a quote"
            }),
        )
        .with("DynamicTypeId", Value::Int(type_id))
        .with(
            "DynamicEntitiesFields",
            Value::map(fields.iter().map(|(k, v)| (k.as_str(), v.clone()))),
        )
        .with("OnlyDynamicEntities", Value::str("N"))
}

/// bizproc SetFieldActivity on the workflow's own record.
pub(super) fn set_field(name: String, field: &str, value: &str) -> Activity {
    Activity::new("SetFieldActivity", name)
        .with("Title", Value::str(format!("Set {field}")))
        .with("FieldValue", Value::map([(field, Value::str(value))]))
        .with("ModifiedBy", Value::empty_array())
        .with("MergeMultipleFields", Value::str("N"))
}

/// bizproc SetFieldActivity writing the workflow's own marker field.
pub(super) fn marker(name: String, field: &str, value: &str, title: &str) -> Activity {
    Activity::new("SetFieldActivity", name)
        .with("Title", Value::str(title))
        .with("FieldValue", Value::map([(field, Value::str(value))]))
        .with("ModifiedBy", Value::empty_array())
        .with("MergeMultipleFields", Value::str("N"))
}

/// crm CrmChangeResponsibleActivity; GetterType "f": the first listed person (not
/// random or round-robin).
pub(super) fn responsible(name: String, users: &[String]) -> Activity {
    Activity::new("CrmChangeResponsibleActivity", name)
        .with("Title", Value::str("Change the responsible person"))
        .with("Responsible", user_list(users))
        .with("ModifiedBy", Value::empty_array())
        .with("GetterType", Value::str("f"))
        .with("SkipAbsent", Value::str("N"))
        .with("SkipTimeMan", Value::str("N"))
}

/// crm CrmChangeStatusActivity; it ends the workflow once the stage changes.
pub(super) fn move_stage(name: String, stage: &str) -> Activity {
    Activity::new("CrmChangeStatusActivity", name)
        .with("Title", Value::str(format!("Move to {stage}")))
        .with("TargetStatus", Value::str(stage))
        .with("ModifiedBy", Value::empty_array())
}

/// crm CrmTimelineCommentAdd, written as `[channels] notify_from`.
pub(super) fn comment(name: String, text: &str, sender: Value) -> Activity {
    Activity::new("CrmTimelineCommentAdd", name)
        .with("Title", Value::str("Add a timeline comment"))
        .with("CommentText", Value::str(text))
        .with("CommentUser", sender)
}
