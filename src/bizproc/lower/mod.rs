//! Resolved blueprint to template: lowering. It cannot fail; every rule ran in
//! [`crate::resolve`].
//!
//! A workflow becomes one business process template on the entity's document type:
//!
//! ```text
//! SequentialWorkflowActivity "Template"
//! ├── WhileActivity                    only for triggers that wait for a date:
//! │   └── SequenceActivity               while the date is not past,
//! │       └── DelayActivity                wait until the day after it
//! └── IfElseActivity                   only when the trigger or the blueprint has conditions
//!     ├── IfElseBranchActivity         fieldcondition = trigger rows + conditions
//!     │   └── one activity per step, in order (an SMS to n employees: n activities)
//!     └── IfElseBranchActivity         truecondition (else: do nothing)
//! ```
//!
//! A transition trigger (see [`crate::resolve::Transition`]) has a three-branch check
//! on its marker field instead: entered (set the marker first, then the conditions'
//! IfElse or the steps), left (clear it), otherwise nothing.
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
use crate::resolve::{Audience, Operand, Resolved, Row, Step, Transition};

/// Lowers a resolved blueprint to its template. `id` is the workflow's stable id (its
/// path under `workflows/` without the extension); activity names derive from it, and
/// so does the transition marker's field name.
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
    let mut step_names = vec![Vec::new(); resolved.steps.len()];
    for i in order {
        let at = format!("actions[{}]", resolved.steps[i].index);
        let count = activity_count(&resolved.steps[i].step);
        step_names[i] = (0..count)
            .map(|k| {
                if k == 0 {
                    names.name(&at)
                } else {
                    names.name(&format!("{at}.to[{k}]"))
                }
            })
            .collect();
    }
    let actions: Vec<Activity> = resolved
        .steps
        .iter()
        .zip(step_names)
        .flat_map(|(s, names)| activities(&s.step, names, resolved))
        .collect();

    if let Some(field) = resolved.wait_until {
        template.root.children.push(wait_for(&mut names, field));
    }
    let body = match &resolved.transition {
        None if resolved.guard.is_empty() => actions,
        None => vec![if_else(
            &mut names,
            "trigger.guard",
            &resolved.guard,
            actions,
        )],
        Some(transition) => {
            let marker = resolved
                .marker(id)
                .expect("a transition has a marker")
                .field_name;
            let actions = if resolved.guard.is_empty() {
                actions
            } else {
                vec![if_else(&mut names, "conditions", &resolved.guard, actions)]
            };
            vec![watch(&mut names, transition, &marker, actions)]
        }
    };
    template.root.children.extend(body);
    template
}

/// How many activities a step becomes: one, except an SMS to several employees, which
/// is one per person (crm `CrmSendSmsActivity` texts only the first user it is given:
/// `getUserPhoneNumber` calls `CBPHelper::ExtractUsers($user, $documentId, true)`).
fn activity_count(step: &Step) -> usize {
    match step {
        Step::SendSms {
            to: Audience::Users(users),
            ..
        } => users.len().max(1),
        _ => 1,
    }
}

/// Waits until the day after the document date `field`, and again while the date is
/// moved later. The due date is a date, so waiting until it starts would fire a day
/// early. `=dateadd({=Document:F}, "1d")` is the form the robot designer stores in
/// TimeoutTime (bizproc Automation\Helper::parseDateTimeInterval), evaluated by calc
/// `dateadd` each time the delay runs. bizproc `WhileActivity` re-evaluates its
/// condition (with the document read afresh) before each round and runs its first child
/// (whileactivity.php `TryNextIteration`), so a due date moved later is waited for; an
/// empty date ends the loop at once, as an empty TimeoutTime ends a delay at once.
fn wait_for(names: &mut Names<'_>, field: &str) -> Activity {
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
    let body = Activity::new("SequenceActivity", names.name("trigger.wait.body"))
        .with("Title", Value::str("Wait"))
        .child(delay);
    // Still due today or later: not overdue yet.
    let row = Row::text(field, ">=", "{=System:Date}");
    Activity::new("WhileActivity", names.name("trigger.wait.loop"))
        .with("Title", Value::str(format!("While {field} is not past")))
        .with("fieldcondition", Value::list([condition_row(&row)]))
        .child(body)
}

/// `IfElseActivity`: `rows` (all must hold) run `then`; otherwise nothing.
fn if_else(names: &mut Names<'_>, at: &str, rows: &[Row], then: Vec<Activity>) -> Activity {
    // Rows all joined by AND (joiner 0). The first row must be 0, or Bitrix's evaluator
    // treats the whole condition as true (bizproc lib/activity/conditiongroup.php).
    let branch = branch(names, &format!("{at}.then"), "Conditions met", rows, then);
    Activity::new("IfElseActivity", names.name(at))
        .with("Title", Value::str("Check conditions"))
        .child(branch)
        .child(otherwise(names, &format!("{at}.else")))
}

/// One `IfElseBranchActivity` on `rows`. Its condition key comes right after Title:
/// the loader takes the first key that names a condition.
fn branch(
    names: &mut Names<'_>,
    at: &str,
    title: &str,
    rows: &[Row],
    children: Vec<Activity>,
) -> Activity {
    let node = Activity::new("IfElseBranchActivity", names.name(at))
        .with("Title", Value::str(title))
        .with(
            "fieldcondition",
            Value::list(rows.iter().map(condition_row)),
        );
    Activity { children, ..node }
}

fn otherwise(names: &mut Names<'_>, at: &str) -> Activity {
    Activity::new("IfElseBranchActivity", names.name(at))
        .with("Title", Value::str("Otherwise"))
        .with("truecondition", Value::Bool(true))
}

/// The transition check: fires `actions` once each time the record enters the state,
/// with the workflow's marker field. The marker is written *first*, before any action:
/// if an action's save starts this template again (only with crm `start_bp_within_bp`
/// on, which starts every on-change template, this one included: `CCrmBizProc::
/// StartWorkflow`), the new run sees the marker and does nothing; and `move_stage` ends
/// the workflow (`CrmChangeStatusActivity` terminates it), so nothing after it runs.
/// `SetFieldActivity` writes an empty value as `''`, which clears the field; the
/// `empty` operator is true for an unset field (`CBPHelper::isEmptyValue`).
fn watch(
    names: &mut Names<'_>,
    transition: &Transition,
    marker: &str,
    actions: Vec<Activity>,
) -> Activity {
    let at = "trigger.guard";
    let (first, second) = match transition {
        Transition::Enter { state, left } => {
            let mut entered = state.clone();
            entered.push(Row::text(marker, "empty", ""));
            let mut then = vec![crm::marker(
                names.name("trigger.marker.set"),
                marker,
                "Y",
                "Remember the trigger fired",
            )];
            then.extend(actions);
            let first = branch(names, &format!("{at}.then"), "Entered", &entered, then);
            let mut gone = left.clone();
            gone.push(Row::text(marker, "!empty", ""));
            let clear = crm::marker(
                names.name("trigger.marker.clear"),
                marker,
                "",
                "Forget it, so the next entry fires again",
            );
            let second = branch(names, &format!("{at}.left"), "Left", &gone, vec![clear]);
            (first, second)
        }
        Transition::Change { field } => {
            let current = format!("{{=Document:{field}}}");
            // Not recorded yet (the record predates the workflow, or was just made):
            // the value before is unknown, so record it without running the actions.
            let record = crm::marker(
                names.name("trigger.marker.record"),
                marker,
                &current,
                &format!("Remember {field}"),
            );
            let first = branch(
                names,
                &format!("{at}.first"),
                "Not recorded yet",
                &[Row::text(marker, "empty", "")],
                vec![record],
            );
            // fieldcondition evaluates a row's value with parseValue, so the marker's
            // expression is read at run time (fieldcondition.php `evaluate`,
            // `collectUsages` parses $cond[2] as an expression).
            let changed_rows = [Row::text(field, "!=", format!("{{=Document:{marker}}}"))];
            let mut then = vec![crm::marker(
                names.name("trigger.marker.set"),
                marker,
                &current,
                &format!("Remember {field}"),
            )];
            then.extend(actions);
            let second = branch(names, &format!("{at}.then"), "Changed", &changed_rows, then);
            (first, second)
        }
    };
    Activity::new("IfElseActivity", names.name(at))
        .with("Title", Value::str("Check the trigger"))
        .child(first)
        .child(second)
        .child(otherwise(names, &format!("{at}.else")))
}

/// The activities for one step, named `names` (one name per activity).
fn activities(step: &Step, names: Vec<String>, resolved: &Resolved) -> Vec<Activity> {
    if let Step::SendSms {
        to: Audience::Users(users),
        message,
    } = step
    {
        return users
            .iter()
            .zip(names)
            .map(|(user, name)| {
                let one = Audience::Users(vec![user.clone()]);
                messaging::sms(name, &one, message, &resolved.channels)
            })
            .collect();
    }
    let name = names.into_iter().next().expect("one name per step");
    vec![activity(step, name, resolved)]
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
/// A list value (`in`) is a PHP array of strings.
fn condition_row(row: &Row) -> Value {
    let value = match &row.value {
        Operand::Text(v) => Value::str(v),
        Operand::List(items) => Value::list(items.iter().map(Value::str)),
    };
    Value::list([
        Value::str(&row.field),
        Value::str(&row.operator),
        value,
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
pub(crate) mod tests;
