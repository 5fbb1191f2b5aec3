//! The resolved model: a blueprint every rule has accepted, each name looked up in the
//! catalog and the project's config, each value already in the form the platform
//! stores. Lowering it to a template ([`crate::bizproc::lower`]) cannot fail.
//!
//! Texts are resolved: every `{{NAME}}` is already the entity's expression for it
//! (`{=Document:TITLE}`). People are resolved: user and group codes, or expressions.

use crate::catalog::{AutoStart, Entity, TriggerInfo};
use crate::config::Channels;

use super::Diagnostic;
use super::fields::RequiredField;

/// A checked blueprint, ready to lower.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The template's name.
    pub name: String,
    pub entity: Entity,
    /// The entity's business process document type.
    pub document_type: [&'static str; 3],
    /// The trigger; its mapping is known to be a template.
    pub trigger: &'static TriggerInfo,
    pub auto_start: AutoStart,
    /// A document date field to wait for (the day after) before the guard.
    pub wait_until: Option<&'static str>,
    /// The rows checked before the actions run, all of which must hold: the trigger's
    /// (placeholders filled in; none for a transition, see `transition`), then the
    /// blueprint's conditions.
    pub guard: Vec<Row>,
    /// For a trigger that is a transition ("a deal is won"), how the template notices
    /// it once per entry with its marker field; `None` for the others.
    pub transition: Option<Transition>,
    /// The actions in the order they run: `move_stage` last.
    pub steps: Vec<Numbered>,
    /// What the messaging actions send through (`[channels]`).
    pub channels: Channels,
    /// Remarks that did not stop resolution.
    pub warnings: Vec<Diagnostic>,
}

impl Resolved {
    /// The user fields the workflow's template reads and writes, which must exist on
    /// the portal before the template is useful: a missing field makes `SetFieldActivity`
    /// a silent no-op (crm `CCrmDocumentDeal::UpdateDocument` drops unknown keys), so a
    /// transition would fire on every edit. Today that is the transition marker.
    /// `workflow_id` is the workflow's stable id (what [`crate::bizproc::lower`] takes).
    pub fn required_fields(&self, workflow_id: &str) -> Vec<RequiredField> {
        self.marker(workflow_id).into_iter().collect()
    }

    /// The transition marker of this workflow, if its trigger is a transition.
    pub fn marker(&self, workflow_id: &str) -> Option<RequiredField> {
        self.transition
            .as_ref()
            .map(|_| RequiredField::marker(self.entity, workflow_id, &self.name))
    }
}

/// One `fieldcondition` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub field: String,
    pub operator: String,
    pub value: Operand,
}

impl Row {
    /// A row comparing with one value.
    pub fn text(field: &str, operator: &str, value: impl Into<String>) -> Row {
        Row {
            field: field.to_owned(),
            operator: operator.to_owned(),
            value: Operand::Text(value.into()),
        }
    }

    /// The row that holds exactly when this one does not: `=` and `!=`, `in` and `!in`,
    /// `contain` and `!contain`, `empty` and `!empty` are each other's negation in
    /// bizproc `Condition::checkValue` (bizproc lib/activity/condition.php).
    pub fn negated(&self) -> Option<Row> {
        let operator = match self.operator.as_str() {
            "=" => "!=",
            "!=" => "=",
            "in" => "!in",
            "!in" => "in",
            "contain" => "!contain",
            "!contain" => "contain",
            "empty" => "!empty",
            "!empty" => "empty",
            _ => return None,
        };
        Some(Row {
            operator: operator.to_owned(),
            ..self.clone()
        })
    }
}

/// What a row compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// One value (or an expression such as `{=Document:UF_CRM_X}`, which
    /// `fieldcondition` evaluates with `parseValue`).
    Text(String),
    /// A list, for `in` / `!in`: a PHP array, so `Condition::checkInOperation` tests
    /// membership (a string there would be a substring test).
    List(Vec<String>),
}

/// How a transition trigger is noticed, once per entry, with the workflow's marker
/// field (a string user field on the record; see [`Resolved::required_fields`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// The record enters the state `state` describes: when it holds and the marker is
    /// empty, the marker is set first, then the actions run. When `left` holds (the
    /// state no longer does) and the marker is set, it is cleared, so the next entry
    /// fires again.
    Enter { state: Vec<Row>, left: Vec<Row> },
    /// `field` takes a new value (a stage change to any stage). The marker holds the
    /// value last seen; an empty marker is filled without running the actions, since
    /// the value before is unknown.
    Change { field: String },
}

/// A step and its position in the blueprint's `actions` (activity names derive from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered {
    pub index: usize,
    pub step: Step,
}

/// Who a message to "the client or employees" reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// The record's client; the activity finds the address.
    Client,
    /// Employees: user or group codes, or expressions.
    Users(Vec<String>),
}

/// One action, resolved. There is a variant for every [`crate::catalog::ActionKind`]
/// the catalog maps to an activity; the unsupported kinds never resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    SendWhatsapp {
        message: String,
    },
    SendEmail {
        subject: String,
        body: String,
    },
    SendSms {
        to: Audience,
        message: String,
    },
    SendNotification {
        to: Vec<String>,
        message: String,
    },
    SendBitrixMessage {
        to: Vec<String>,
        message: String,
    },
    CreateTask {
        title: String,
        assignee: Vec<String>,
        description: Option<String>,
        deadline: Option<String>,
        /// The tasks priority code: `0` low, `1` average, `2` high.
        priority: Option<&'static str>,
    },
    SetReminder {
        title: String,
        assignee: Vec<String>,
        /// Empty: "now" at run time.
        deadline: String,
    },
    ScheduleCall {
        assignee: Vec<String>,
        /// Empty: "now" at run time.
        start: String,
    },
    CreateDeal {
        title: String,
        assignee: Option<String>,
        stage: Option<String>,
    },
    CreateContact {
        first_name: String,
        last_name: String,
    },
    CreateCompany {
        title: String,
    },
    CreateInvoice {
        title: String,
        assignee: Option<String>,
    },
    CreateQuote {
        title: String,
        assignee: Option<String>,
    },
    UpdateDeal {
        field: String,
        value: String,
    },
    UpdateField {
        field: String,
        value: String,
    },
    AssignResponsible {
        assignee: Vec<String>,
    },
    MoveStage {
        stage: String,
    },
    AddComment {
        message: String,
    },
    Webhook {
        url: String,
    },
}
