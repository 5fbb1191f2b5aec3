//! Tasks, to-dos and calls: work for an employee, linked to the record.

use super::{Activity, Value, user_list};

/// tasks Task2Activity; AUTO_LINK_TO_CRM_ENTITY binds the task to the record
/// (UF_CRM_TASK), HoldToClose false lets the workflow go on at once. Both are PHP
/// booleans, as the constructor defaults them: older cores test them with a bare `if`,
/// where the string "N" would be true.
pub(super) fn task(
    name: String,
    title: &str,
    assignee: &[String],
    description: Option<&str>,
    deadline: Option<&str>,
    priority: Option<&str>,
) -> Activity {
    let mut fields = vec![
        ("TITLE", Value::str(title)),
        // "author" in a CRM document is the record's responsible person.
        ("CREATED_BY", Value::list([Value::str("author")])),
        ("RESPONSIBLE_ID", user_list(assignee)),
    ];
    if let Some(d) = description {
        fields.push(("DESCRIPTION", Value::str(d)));
    }
    if let Some(d) = deadline {
        fields.push(("DEADLINE", Value::str(d)));
    }
    if let Some(p) = priority {
        fields.push(("PRIORITY", Value::str(p)));
    }
    Activity::new("Task2Activity", name)
        .with("Title", Value::str("Create a task"))
        .with("Fields", Value::map(fields))
        .with("HoldToClose", Value::Bool(false))
        .with("AUTO_LINK_TO_CRM_ENTITY", Value::Bool(true))
}

/// crm CrmCreateToDoActivity (class spelled with a capital D); an empty Deadline means
/// "now" at run time.
pub(super) fn reminder(name: String, title: &str, assignee: &[String], deadline: &str) -> Activity {
    Activity::new("CrmCreateToDoActivity", name)
        .with("Title", Value::str("Add a to-do"))
        .with("Description", Value::str(title))
        .with("Deadline", Value::str(deadline))
        .with("Responsible", user_list(assignee))
        .with("AutoComplete", Value::str("N"))
}

/// crm CrmCreateCallActivity: calls the client's first phone; an empty Subject is
/// generated, an empty EndTime equals StartTime.
pub(super) fn call(name: String, assignee: &[String], start: &str) -> Activity {
    Activity::new("CrmCreateCallActivity", name)
        .with("Title", Value::str("Schedule a call"))
        .with("Subject", Value::str(""))
        .with("StartTime", Value::str(start))
        .with("EndTime", Value::str(""))
        .with("IsImportant", Value::str("N"))
        .with("Description", Value::str(""))
        .with("Responsible", user_list(assignee))
        .with("AutoComplete", Value::str("N"))
}
