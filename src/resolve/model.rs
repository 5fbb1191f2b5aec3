//! The resolved model: a blueprint every rule has accepted, each name looked up in the
//! catalog and the project's config, each value already in the form the platform
//! stores. Lowering it to a template ([`crate::bizproc::lower`]) cannot fail.
//!
//! Texts are resolved: every `{{NAME}}` is already the entity's expression for it
//! (`{=Document:TITLE}`). People are resolved: user and group codes, or expressions.

use crate::catalog::{AutoStart, Entity, TriggerInfo};
use crate::config::Channels;

use super::Diagnostic;

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
    /// The guard: the trigger's rows (stage filled in), then the blueprint's conditions;
    /// all must hold.
    pub guard: Vec<Row>,
    /// The actions in the order they run: `move_stage` last.
    pub steps: Vec<Numbered>,
    /// What the messaging actions send through (`[channels]`).
    pub channels: Channels,
    /// Remarks that did not stop resolution.
    pub warnings: Vec<Diagnostic>,
}

/// One `fieldcondition` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub field: String,
    pub operator: String,
    pub value: String,
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
