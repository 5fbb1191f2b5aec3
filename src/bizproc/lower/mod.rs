//! Resolved blueprint to template: lowering. It cannot fail; every rule ran in
//! [`crate::resolve`].
//!
//! A workflow becomes one business process template on the entity's document type:
//!
//! ```text
//! SequentialWorkflowActivity "Template"
//! ├── DelayActivity                    only for triggers that wait for a date
//! └── IfElseActivity                   only when the trigger or the blueprint has conditions
//!     ├── IfElseBranchActivity         fieldcondition = trigger guard rows + conditions
//!     │   └── one activity per step, in order
//!     └── IfElseBranchActivity         truecondition (else: do nothing)
//! ```
//!
//! Each step maps to the activity that really does it, with the property names and
//! value formats read from the platform's activity classes (see `docs/templates.md`):
//! [`messaging`], [`tasks`], [`crm`] (records and the record's own fields) and [`http`].
//!
//! Invariant: deterministic. Activity names derive from the workflow id and the node's
//! position (`A#####_#####_#####_#####`, digits from SHA-256), so the same blueprint
//! always gives the same bytes and editing one action's text changes only that activity.

mod crm;
mod http;
mod messaging;
mod tasks;

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::php::Value;
use super::template::{Activity, Template};
use crate::resolve::{Resolved, Row, Step};

/// Lowers a resolved blueprint to its template. `id` is the workflow's stable id (its
/// path under `workflows/` without the extension); activity names derive from it.
pub fn lower(id: &str, resolved: &Resolved) -> Template {
    let mut names = Names {
        id,
        taken: BTreeSet::new(),
    };
    let mut template = Template::new(
        resolved.name.clone(),
        resolved.document_type,
        resolved.auto_start.auto_execute(),
    );
    template.description = format!("Starts when {}.", resolved.trigger.event);

    // Names are drawn in the blueprint's order, so moving move_stage last changes no name.
    let mut order: Vec<usize> = (0..resolved.steps.len()).collect();
    order.sort_by_key(|&i| resolved.steps[i].index);
    let mut step_names = vec![String::new(); resolved.steps.len()];
    for i in order {
        step_names[i] = names.name(&format!("actions[{}]", resolved.steps[i].index));
    }
    let actions: Vec<Activity> = resolved
        .steps
        .iter()
        .zip(step_names)
        .map(|(s, name)| activity(&s.step, name, resolved))
        .collect();

    if let Some(field) = resolved.wait_until {
        // The due date is a date, so waiting until it starts would fire a day early;
        // wait until the day after. `=dateadd({=Document:F}, "1d")` is the form the
        // robot designer itself stores in TimeoutTime (bizproc
        // Automation\Helper::parseDateTimeInterval), evaluated by calc `dateadd`.
        let delay = Activity::new("DelayActivity", names.name("trigger.wait"))
            .with(
                "Title",
                Value::str(format!("Wait until the day after {field}")),
            )
            .with(
                "TimeoutTime",
                Value::str(format!("=dateadd({{=Document:{field}}}, \"1d\")")),
            )
            .with("TimeoutTimeIsLocal", Value::str("N"));
        template.root.children.push(delay);
    }
    if resolved.guard.is_empty() {
        template.root.children.extend(actions);
    } else {
        // Guard rows all joined by AND (joiner 0). The first row must be 0, or Bitrix's
        // evaluator treats the whole condition as true (bizproc
        // lib/activity/conditiongroup.php).
        let rows = resolved.guard.iter().map(condition_row);
        let then = Activity::new("IfElseBranchActivity", names.name("trigger.guard.then"))
            .with("Title", Value::str("Conditions met"))
            .with("fieldcondition", Value::list(rows));
        let then = Activity {
            children: actions,
            ..then
        };
        let otherwise = Activity::new("IfElseBranchActivity", names.name("trigger.guard.else"))
            .with("Title", Value::str("Otherwise"))
            .with("truecondition", Value::Bool(true));
        let guard = Activity::new("IfElseActivity", names.name("trigger.guard"))
            .with("Title", Value::str("Check conditions"))
            .child(then)
            .child(otherwise);
        template.root.children.push(guard);
    }
    template
}

/// The activity for one step.
fn activity(step: &Step, name: String, resolved: &Resolved) -> Activity {
    let channels = &resolved.channels;
    match step {
        Step::SendWhatsapp { message } => messaging::whatsapp(name, message),
        Step::SendEmail { subject, body } => messaging::email(name, subject, body, channels),
        Step::SendSms { to, message } => messaging::sms(name, to, message, channels),
        Step::SendNotification { to, message } => messaging::notify(name, to, message, channels),
        Step::SendBitrixMessage { to, message } => messaging::chat(name, to, message, channels),
        Step::CreateTask {
            title,
            assignee,
            description,
            deadline,
            priority,
        } => tasks::task(
            name,
            title,
            assignee,
            description.as_deref(),
            deadline.as_deref(),
            *priority,
        ),
        Step::SetReminder {
            title,
            assignee,
            deadline,
        } => tasks::reminder(name, title, assignee, deadline),
        Step::ScheduleCall { assignee, start } => tasks::call(name, assignee, start),
        Step::CreateDeal {
            title,
            assignee,
            stage,
        } => crm::deal(name, title, assignee.as_deref(), stage.as_deref()),
        Step::CreateContact {
            first_name,
            last_name,
        } => crm::contact(name, first_name, last_name),
        Step::CreateCompany { title } => crm::company(name, title),
        Step::CreateInvoice { title, assignee } => {
            crm::dynamic(name, true, title, assignee.as_deref())
        }
        Step::CreateQuote { title, assignee } => {
            crm::dynamic(name, false, title, assignee.as_deref())
        }
        Step::UpdateDeal { field, value } | Step::UpdateField { field, value } => {
            crm::set_field(name, field, value)
        }
        Step::AssignResponsible { assignee } => crm::responsible(name, assignee),
        Step::MoveStage { stage } => crm::move_stage(name, stage),
        Step::AddComment { message } => crm::comment(name, message, sender(channels)),
        Step::Webhook { url } => http::webhook(name, url),
    }
}

/// Designer-shaped activity names, unique within one template.
struct Names<'a> {
    id: &'a str,
    taken: BTreeSet<String>,
}

impl Names<'_> {
    /// `A` + four 5-digit groups derived from the workflow id and the node's position.
    fn name(&mut self, position: &str) -> String {
        let mut salt = 0_u32;
        loop {
            let seed = if salt == 0 {
                format!("{}\n{position}", self.id)
            } else {
                format!("{}\n{position}\n{salt}", self.id)
            };
            let digest = Sha256::digest(seed.as_bytes());
            let groups: Vec<String> = digest
                .chunks_exact(4)
                .take(4)
                .map(|c| {
                    let n = u32::from_be_bytes([c[0], c[1], c[2], c[3]]) % 100_000;
                    format!("{n:05}")
                })
                .collect();
            let name = format!("A{}", groups.join("_"));
            if self.taken.insert(name.clone()) {
                return name;
            }
            salt += 1;
        }
    }
}

/// One `fieldcondition` row: `[FIELD, operator, value, joiner]`, joiner 0 = AND, as the
/// designer writes it (bizproc `fieldcondition.php`, `GetPropertiesDialogValues`).
fn condition_row(row: &Row) -> Value {
    Value::list([
        Value::str(&row.field),
        Value::str(&row.operator),
        Value::str(&row.value),
        Value::Int(0),
    ])
}

fn user_list(users: &[String]) -> Value {
    Value::list(users.iter().map(Value::str))
}

/// The employee messages and comments are sent as: `[channels] notify_from`.
fn sender(channels: &crate::config::Channels) -> Value {
    Value::list([Value::str(&channels.notify_from)])
}

#[cfg(test)]
mod tests;
