//! The vocabulary of b24flow: triggers, actions and their fields, entities, smart
//! variables, and how each trigger becomes a Bitrix24 business process.
//!
//! The vocabulary's facts live here and nowhere else: the offline parser reads the
//! phrases, [`crate::resolve`] reads the field rules, variable sources, trigger mappings
//! and which entities each action works on, the JSON Schemas and the LLM prompt are
//! generated from it, and `b24flow capabilities` prints it. The rules that apply these
//! facts to a blueprint live in [`crate::resolve`]. Nothing here does I/O.
//!
//! Invariants, pinned by the tests at the bottom: 21 triggers, 22 actions (one
//! [`ActionKind`] each, 19 of them with an activity), 19 variables; ids are unique and
//! `snake_case`; every trigger's entity is listed; every variable names at least one
//! entity that supplies it; every supported action works on at least one entity, and
//! only on entities with a document type.

use serde::Serialize;

/// Bumped whenever the vocabulary changes in a way that can change a parse. It is part of
/// the hash recorded in lockfiles, so a catalog change shows up as stale lockfiles.
pub const CATALOG_VERSION: u32 = 1;

/// A CRM record type a workflow runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Entity {
    #[serde(rename = "CRM_DEAL")]
    Deal,
    #[serde(rename = "CRM_LEAD")]
    Lead,
    #[serde(rename = "CRM_CONTACT")]
    Contact,
    #[serde(rename = "CRM_COMPANY")]
    Company,
    #[serde(rename = "CRM_INVOICE")]
    Invoice,
    #[serde(rename = "CRM_QUOTE")]
    Quote,
    #[serde(rename = "TASK")]
    Task,
}

/// Everything the catalog knows about one entity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityInfo {
    /// The entity id used in blueprints, e.g. `CRM_DEAL`.
    pub id: &'static str,
    #[serde(skip)]
    pub entity: Entity,
    /// A human name, e.g. "deal".
    pub label: &'static str,
    /// The Bitrix24 business process document type (module, class, type), or `None` when
    /// the portal offers no designer templates for this entity.
    pub document_type: Option<[&'static str; 3]>,
    /// The CRM owner type id (`CCrmOwnerType`), used when creating items of this entity.
    pub crm_type_id: Option<u32>,
    /// The document field that holds the stage or status.
    pub stage_field: Option<&'static str>,
}

/// All entities, in display order.
pub const ENTITIES: &[EntityInfo] = &[
    EntityInfo {
        id: "CRM_DEAL",
        entity: Entity::Deal,
        label: "deal",
        document_type: Some(["crm", "CCrmDocumentDeal", "DEAL"]),
        crm_type_id: Some(2),
        stage_field: Some("STAGE_ID"),
    },
    EntityInfo {
        id: "CRM_LEAD",
        entity: Entity::Lead,
        label: "lead",
        document_type: Some(["crm", "CCrmDocumentLead", "LEAD"]),
        crm_type_id: Some(1),
        stage_field: Some("STATUS_ID"),
    },
    EntityInfo {
        id: "CRM_CONTACT",
        entity: Entity::Contact,
        label: "contact",
        document_type: Some(["crm", "CCrmDocumentContact", "CONTACT"]),
        crm_type_id: Some(3),
        stage_field: None,
    },
    EntityInfo {
        id: "CRM_COMPANY",
        entity: Entity::Company,
        label: "company",
        document_type: Some(["crm", "CCrmDocumentCompany", "COMPANY"]),
        crm_type_id: Some(4),
        stage_field: None,
    },
    EntityInfo {
        id: "CRM_INVOICE",
        entity: Entity::Invoice,
        label: "invoice",
        document_type: Some([
            "crm",
            "Bitrix\\Crm\\Integration\\BizProc\\Document\\SmartInvoice",
            "SMART_INVOICE",
        ]),
        crm_type_id: Some(31),
        stage_field: Some("STAGE_ID"),
    },
    EntityInfo {
        id: "CRM_QUOTE",
        entity: Entity::Quote,
        label: "quote",
        document_type: Some([
            "crm",
            "Bitrix\\Crm\\Integration\\BizProc\\Document\\Quote",
            "QUOTE",
        ]),
        crm_type_id: Some(7),
        stage_field: Some("STATUS_ID"),
    },
    EntityInfo {
        id: "TASK",
        entity: Entity::Task,
        label: "task",
        document_type: None,
        crm_type_id: None,
        stage_field: None,
    },
];

impl Entity {
    /// The catalog entry for this entity.
    pub fn info(self) -> &'static EntityInfo {
        ENTITIES
            .iter()
            .find(|e| e.entity == self)
            .expect("every entity has a catalog entry")
    }

    /// The blueprint id, e.g. `CRM_DEAL`.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// Looks an entity up by its blueprint id (case-insensitive).
    pub fn from_id(id: &str) -> Option<Self> {
        ENTITIES
            .iter()
            .find(|e| e.id.eq_ignore_ascii_case(id))
            .map(|e| e.entity)
    }
}

/// When Bitrix24 starts a template on its own (`AUTO_EXECUTE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoStart {
    /// Start when a record is created (`AUTO_EXECUTE` 1).
    OnCreate,
    /// Start whenever a record is changed (`AUTO_EXECUTE` 2).
    OnChange,
}

impl AutoStart {
    /// The `AUTO_EXECUTE` value Bitrix24 stores for this mode.
    pub fn auto_execute(self) -> u8 {
        match self {
            AutoStart::OnCreate => 1,
            AutoStart::OnChange => 2,
        }
    }
}

/// One row of a guard condition: a `fieldcondition` row `[field, operator, value]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct GuardRow {
    pub field: &'static str,
    /// A Bitrix24 condition operator: `=`, `!=`, `modified`, ...
    pub operator: &'static str,
    /// The compared value. `{stage}` is replaced by the trigger's `stage` parameter.
    pub value: &'static str,
}

/// How a trigger becomes a business process template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TriggerMapping {
    /// A template on the entity's document type that starts on its own.
    Template {
        auto_start: AutoStart,
        /// Conditions checked first; the workflow goes on only when all hold. Rows with
        /// `modified` keep a start-on-change template from running again on later edits
        /// of a record that already matched.
        guard: &'static [GuardRow],
        /// A document date field to wait for before the guard is checked.
        wait_until: Option<&'static str>,
    },
    /// Bitrix24 business process templates cannot express this trigger.
    Unsupported {
        reason: &'static str,
        instead: &'static str,
    },
}

/// A parameter a trigger accepts in the blueprint's trigger object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TriggerParam {
    pub name: &'static str,
    pub description: &'static str,
    pub required: bool,
}

/// Everything the catalog knows about one trigger.
#[derive(Debug, Clone, Serialize)]
pub struct TriggerInfo {
    /// The trigger id used in blueprints, e.g. `deal_won`.
    pub id: &'static str,
    /// What happens in the CRM, in words.
    pub event: &'static str,
    /// The entity whose record starts the workflow.
    pub entity: Entity,
    /// The phrases users are told to write (from the product documentation).
    pub phrases: &'static [&'static str],
    /// Parameters the trigger object may carry.
    pub params: &'static [TriggerParam],
    /// How the trigger becomes a template.
    pub mapping: TriggerMapping,
}

const STAGE_PARAM: &[TriggerParam] = &[TriggerParam {
    name: "stage",
    description: "the stage id the deal moves to (e.g. PREPARATION, C2:WON); any stage when absent",
    required: false,
}];

const TASKS_UNSUPPORTED: &str = "Bitrix24 offers no business process document type for tasks, so no template can start on a task event";
const TASKS_INSTEAD: &str = "add an automation rule in the Tasks module, or trigger on the deal or lead the task belongs to";

/// All triggers, in display order.
pub const TRIGGERS: &[TriggerInfo] = &[
    TriggerInfo {
        id: "deal_won",
        event: "a deal is marked won",
        entity: Entity::Deal,
        phrases: &["deal is won"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[
                GuardRow {
                    field: "STAGE_SEMANTIC_ID",
                    operator: "=",
                    value: "S",
                },
                GuardRow {
                    field: "STAGE_ID",
                    operator: "modified",
                    value: "",
                },
            ],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "deal_lost",
        event: "a deal is marked lost",
        entity: Entity::Deal,
        phrases: &["deal is lost"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[
                GuardRow {
                    field: "STAGE_SEMANTIC_ID",
                    operator: "=",
                    value: "F",
                },
                GuardRow {
                    field: "STAGE_ID",
                    operator: "modified",
                    value: "",
                },
            ],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "deal_created",
        event: "a new deal is created",
        entity: Entity::Deal,
        phrases: &["new deal created"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnCreate,
            guard: &[],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "deal_updated",
        event: "any field of a deal changes",
        entity: Entity::Deal,
        phrases: &["deal is updated"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "stage_changed",
        event: "a deal moves to a pipeline stage",
        entity: Entity::Deal,
        phrases: &["stage changes", "moves to stage"],
        params: STAGE_PARAM,
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[
                GuardRow {
                    field: "STAGE_ID",
                    operator: "modified",
                    value: "",
                },
                GuardRow {
                    field: "STAGE_ID",
                    operator: "=",
                    value: "{stage}",
                },
            ],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "lead_created",
        event: "a new lead arrives",
        entity: Entity::Lead,
        phrases: &["new lead", "lead arrives"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnCreate,
            guard: &[],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "lead_converted",
        event: "a lead is converted into a deal",
        entity: Entity::Lead,
        phrases: &["lead converted"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[
                GuardRow {
                    field: "STATUS_ID",
                    operator: "=",
                    value: "CONVERTED",
                },
                GuardRow {
                    field: "STATUS_ID",
                    operator: "modified",
                    value: "",
                },
            ],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "lead_updated",
        event: "any field of a lead changes",
        entity: Entity::Lead,
        phrases: &["lead is updated"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "contact_created",
        event: "a new contact is created",
        entity: Entity::Contact,
        phrases: &["new contact"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnCreate,
            guard: &[],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "contact_updated",
        event: "a contact changes",
        entity: Entity::Contact,
        phrases: &["contact changes"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "company_created",
        event: "a new company is created",
        entity: Entity::Company,
        phrases: &["new company"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnCreate,
            guard: &[],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "company_updated",
        event: "a company changes",
        entity: Entity::Company,
        phrases: &["company changes"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "task_created",
        event: "a new task is created",
        entity: Entity::Task,
        phrases: &["new task"],
        params: &[],
        mapping: TriggerMapping::Unsupported {
            reason: TASKS_UNSUPPORTED,
            instead: TASKS_INSTEAD,
        },
    },
    TriggerInfo {
        id: "task_completed",
        event: "a task is completed",
        entity: Entity::Task,
        phrases: &["task done", "task completed"],
        params: &[],
        mapping: TriggerMapping::Unsupported {
            reason: TASKS_UNSUPPORTED,
            instead: "create the task from a deal or lead workflow; Bitrix24 can then wait for it to close before the next step",
        },
    },
    TriggerInfo {
        id: "task_overdue",
        event: "a task is past its deadline",
        entity: Entity::Task,
        phrases: &["task overdue", "task is late"],
        params: &[],
        mapping: TriggerMapping::Unsupported {
            reason: TASKS_UNSUPPORTED,
            instead: TASKS_INSTEAD,
        },
    },
    TriggerInfo {
        id: "invoice_overdue",
        event: "an invoice is past its due date",
        entity: Entity::Invoice,
        phrases: &["invoice overdue", "payment late"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnCreate,
            // Start when the invoice is created, wait until its payment date, then go on
            // only if it is still not paid.
            guard: &[GuardRow {
                field: "STAGE_SEMANTIC_ID",
                operator: "!=",
                value: "S",
            }],
            wait_until: Some("CLOSEDATE"),
        },
    },
    TriggerInfo {
        id: "invoice_paid",
        event: "an invoice is paid",
        entity: Entity::Invoice,
        phrases: &["invoice paid"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[
                GuardRow {
                    field: "STAGE_SEMANTIC_ID",
                    operator: "=",
                    value: "S",
                },
                GuardRow {
                    field: "STAGE_ID",
                    operator: "modified",
                    value: "",
                },
            ],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "quote_created",
        event: "a new quote is created",
        entity: Entity::Quote,
        phrases: &["new quote"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnCreate,
            guard: &[],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "quote_approved",
        event: "the client approves a quote",
        entity: Entity::Quote,
        phrases: &["quote approved"],
        params: &[],
        mapping: TriggerMapping::Template {
            auto_start: AutoStart::OnChange,
            guard: &[
                GuardRow {
                    field: "STATUS_ID",
                    operator: "=",
                    value: "APPROVED",
                },
                GuardRow {
                    field: "STATUS_ID",
                    operator: "modified",
                    value: "",
                },
            ],
            wait_until: None,
        },
    },
    TriggerInfo {
        id: "meeting_scheduled",
        event: "a meeting is added to the calendar",
        entity: Entity::Deal,
        phrases: &["meeting scheduled"],
        params: &[],
        mapping: TriggerMapping::Unsupported {
            reason: "calendar meetings are CRM activities, not documents, and business process templates start only on documents",
            instead: "use a deal or lead trigger, or the CRM automation rule for activities in the portal",
        },
    },
    TriggerInfo {
        id: "activity_added",
        event: "a note or activity is logged",
        entity: Entity::Deal,
        phrases: &["activity added", "note added"],
        params: &[],
        mapping: TriggerMapping::Unsupported {
            reason: "CRM activities and timeline notes are not documents, and business process templates start only on documents",
            instead: "use a deal or lead trigger, or the CRM automation rule for activities in the portal",
        },
    },
];

/// Looks a trigger up by id.
pub fn trigger(id: &str) -> Option<&'static TriggerInfo> {
    TRIGGERS.iter().find(|t| t.id == id)
}

/// What kind of value an action field holds. Validation and the schemas follow this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Free text; smart variables may appear inside.
    Text,
    /// A person or group: a smart variable, `user_<id>`, or a name from `[recipients]`.
    Recipient,
    /// An absolute `https` URL.
    Url,
    /// A pipeline stage or status id, e.g. `WON` or `C2:PREPARATION`.
    Stage,
    /// A tag name.
    Tag,
    /// A document field id, e.g. `OPPORTUNITY` or `UF_CRM_SOURCE`.
    Field,
    /// A date-time: a smart variable, an ISO-8601 date-time, or a relative offset such
    /// as `+3d` or `+2h`.
    DateTime,
    /// `low`, `normal` or `high`.
    Priority,
    /// `POST` or `GET`.
    HttpMethod,
    /// A whole number, e.g. an e-mail template id.
    Integer,
}

/// One field of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub description: &'static str,
}

/// The group an action belongs to, as the product documentation groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionGroup {
    Messaging,
    Tasks,
    Crm,
    Control,
    External,
}

/// One action, as a type: code that handles actions matches on this exhaustively, so a
/// new action cannot be forgotten. Its blueprint id is [`ActionKind::id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActionKind {
    SendWhatsapp,
    SendEmail,
    SendSms,
    SendNotification,
    SendBitrixMessage,
    CreateTask,
    UpdateTask,
    SetReminder,
    ScheduleCall,
    CreateDeal,
    UpdateDeal,
    CreateContact,
    CreateCompany,
    CreateInvoice,
    CreateQuote,
    AssignResponsible,
    MoveStage,
    UpdateField,
    AddComment,
    AddTag,
    RemoveTag,
    Webhook,
}

impl ActionKind {
    /// The catalog entry for this action.
    pub fn info(self) -> &'static ActionInfo {
        ACTIONS
            .iter()
            .find(|a| a.kind == self)
            .expect("every action kind has a catalog entry")
    }

    /// The blueprint id, e.g. `send_whatsapp`.
    pub fn id(self) -> &'static str {
        self.info().id
    }
}

/// How an action becomes a business process activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionMapping {
    /// One activity of this class does it.
    Activity {
        /// The platform activity class, e.g. `CrmChangeStatusActivity`.
        activity: &'static str,
        /// The entities whose document type offers the activity.
        available_on: &'static [Entity],
    },
    /// No business process activity can do it from a CRM template.
    Unsupported {
        reason: &'static str,
        instead: &'static str,
    },
}

/// Everything the catalog knows about one action.
#[derive(Debug, Clone, Serialize)]
pub struct ActionInfo {
    #[serde(skip)]
    pub kind: ActionKind,
    /// The action id used in blueprints, e.g. `send_whatsapp`.
    pub id: &'static str,
    pub group: ActionGroup,
    /// What it does, in words.
    pub description: &'static str,
    /// The fields, in the order they are written.
    pub fields: &'static [FieldSpec],
    /// How it becomes an activity, and on which entities.
    pub mapping: ActionMapping,
}

impl ActionInfo {
    /// The spec of one field, if the action has it.
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The entities the action works on (none when it is unsupported).
    pub fn available_on(&self) -> &'static [Entity] {
        match self.mapping {
            ActionMapping::Activity { available_on, .. } => available_on,
            ActionMapping::Unsupported { .. } => &[],
        }
    }
}

/// Every entity with a business process document type.
const CRM: &[Entity] = &[
    Entity::Deal,
    Entity::Lead,
    Entity::Contact,
    Entity::Company,
    Entity::Invoice,
    Entity::Quote,
];
/// `SetFieldActivity` works everywhere, but `update_deal` names the deal the workflow
/// runs on; elsewhere `update_field` says the same thing.
const DEAL_ONLY: &[Entity] = &[Entity::Deal];
/// crm `CrmCreateToDoActivity`: offered on deals, leads, contacts and companies.
const TODO_ENTITIES: &[Entity] = &[Entity::Deal, Entity::Lead, Entity::Contact, Entity::Company];
/// crm `CrmChangeStatusActivity`: only entities with stages or statuses.
const STAGE_ENTITIES: &[Entity] = &[Entity::Deal, Entity::Lead, Entity::Invoice, Entity::Quote];

const UPDATE_TASK_UNSUPPORTED: &str = "TasksUpdateTaskActivity runs only in templates on tasks, and no activity updates an arbitrary task from a CRM workflow";
const UPDATE_TASK_INSTEAD: &str = "create the task with create_task, or call your own service with a webhook action that uses tasks.task.update";
const TAGS_UNSUPPORTED: &str =
    "Bitrix24 has no business process activity for tags on CRM records (only tasks have tags)";
const TAGS_INSTEAD: &str =
    "keep the label in a custom field instead, e.g. update_field with field UF_CRM_TAGS";

const fn req(name: &'static str, kind: FieldKind, description: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required: true,
        description,
    }
}

const fn opt(name: &'static str, kind: FieldKind, description: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        required: false,
        description,
    }
}

use FieldKind as K;

const TO_CLIENT: &str = "who receives it: usually the client, as a smart variable";
const TO_PERSON: &str = "who receives it: a smart variable such as {{ASSIGNED_BY_ID}}, user_<id>, or a name from [recipients]";

/// All actions, in display order.
pub const ACTIONS: &[ActionInfo] = &[
    ActionInfo {
        kind: ActionKind::SendWhatsapp,
        id: "send_whatsapp",
        group: ActionGroup::Messaging,
        description: "send a WhatsApp message to the client through Bitrix24 Open Channels",
        fields: &[
            req("to", K::Recipient, TO_CLIENT),
            req("message", K::Text, "the message text"),
        ],
        mapping: ActionMapping::Activity {
            activity: "ImOpenLinesMessageActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::SendEmail,
        id: "send_email",
        group: ActionGroup::Messaging,
        description: "send an e-mail to the client",
        fields: &[
            req("to", K::Recipient, TO_CLIENT),
            req("subject", K::Text, "the subject line"),
            req("body", K::Text, "the message body"),
            opt("template_id", K::Integer, "a Bitrix24 e-mail template id"),
        ],
        mapping: ActionMapping::Activity {
            activity: "CrmSendEmailActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::SendSms,
        id: "send_sms",
        group: ActionGroup::Messaging,
        description: "send an SMS to the client through Bitrix24 telephony",
        fields: &[
            req("to", K::Recipient, TO_CLIENT),
            req("message", K::Text, "the message text"),
        ],
        mapping: ActionMapping::Activity {
            activity: "CrmSendSmsActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::SendNotification,
        id: "send_notification",
        group: ActionGroup::Messaging,
        description: "send an internal notification (the bell) to employees",
        fields: &[
            req("to", K::Recipient, TO_PERSON),
            req("message", K::Text, "the notification text"),
        ],
        mapping: ActionMapping::Activity {
            activity: "IMNotifyActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::SendBitrixMessage,
        id: "send_bitrix_message",
        group: ActionGroup::Messaging,
        description: "send an internal chat message to employees",
        fields: &[
            req("to", K::Recipient, TO_PERSON),
            req("message", K::Text, "the message text"),
        ],
        mapping: ActionMapping::Activity {
            activity: "ImMessageActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::CreateTask,
        id: "create_task",
        group: ActionGroup::Tasks,
        description: "create a task linked to the record",
        fields: &[
            req("title", K::Text, "the task title"),
            req("assignee", K::Recipient, "who does the task"),
            opt("deadline", K::DateTime, "when it is due, e.g. +3d"),
            opt("priority", K::Priority, "low, normal or high"),
            opt("description", K::Text, "the task description"),
        ],
        mapping: ActionMapping::Activity {
            activity: "Task2Activity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::UpdateTask,
        id: "update_task",
        group: ActionGroup::Tasks,
        description: "change a field of a task",
        fields: &[
            req("field", K::Field, "the task field to change"),
            req("value", K::Text, "the new value"),
        ],
        mapping: ActionMapping::Unsupported {
            reason: UPDATE_TASK_UNSUPPORTED,
            instead: UPDATE_TASK_INSTEAD,
        },
    },
    ActionInfo {
        kind: ActionKind::SetReminder,
        id: "set_reminder",
        group: ActionGroup::Tasks,
        description: "add a CRM to-do with a reminder for an employee",
        fields: &[
            req("title", K::Text, "what to be reminded of"),
            req("assignee", K::Recipient, "who is reminded"),
            opt("datetime", K::DateTime, "when, e.g. +1d"),
        ],
        mapping: ActionMapping::Activity {
            activity: "CrmCreateToDoActivity",
            available_on: TODO_ENTITIES,
        },
    },
    ActionInfo {
        kind: ActionKind::ScheduleCall,
        id: "schedule_call",
        group: ActionGroup::Tasks,
        description: "schedule a call with the client as a CRM activity",
        fields: &[
            req("to", K::Recipient, TO_CLIENT),
            opt("datetime", K::DateTime, "when to call, e.g. +1d"),
            req("assignee", K::Recipient, "who makes the call"),
        ],
        mapping: ActionMapping::Activity {
            activity: "CrmCreateCallActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::CreateDeal,
        id: "create_deal",
        group: ActionGroup::Crm,
        description: "create a new deal",
        fields: &[
            req("title", K::Text, "the deal title"),
            opt("assignee", K::Recipient, "who is responsible for it"),
            opt("stage", K::Stage, "the stage it starts in"),
        ],
        mapping: ActionMapping::Activity {
            activity: "CreateCrmDealDocumentActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::UpdateDeal,
        id: "update_deal",
        group: ActionGroup::Crm,
        description: "change a field of the deal",
        fields: &[
            req("field", K::Field, "the deal field to change"),
            req("value", K::Text, "the new value"),
        ],
        mapping: ActionMapping::Activity {
            activity: "SetFieldActivity",
            available_on: DEAL_ONLY,
        },
    },
    ActionInfo {
        kind: ActionKind::CreateContact,
        id: "create_contact",
        group: ActionGroup::Crm,
        description: "create a new contact",
        fields: &[req("title", K::Text, "the contact's name")],
        mapping: ActionMapping::Activity {
            activity: "CreateCrmContactDocumentActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::CreateCompany,
        id: "create_company",
        group: ActionGroup::Crm,
        description: "create a new company",
        fields: &[req("title", K::Text, "the company name")],
        mapping: ActionMapping::Activity {
            activity: "CreateCrmCompanyDocumentActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::CreateInvoice,
        id: "create_invoice",
        group: ActionGroup::Crm,
        description: "create a new invoice",
        fields: &[req("title", K::Text, "the invoice title")],
        mapping: ActionMapping::Activity {
            activity: "CrmCreateDynamicActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::CreateQuote,
        id: "create_quote",
        group: ActionGroup::Crm,
        description: "create a new quote",
        fields: &[
            req("title", K::Text, "the quote title"),
            opt("assignee", K::Recipient, "who is responsible for it"),
        ],
        mapping: ActionMapping::Activity {
            activity: "CrmCreateDynamicActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::AssignResponsible,
        id: "assign_responsible",
        group: ActionGroup::Control,
        description: "make someone responsible for the record",
        fields: &[req("assignee", K::Recipient, "the new responsible person")],
        mapping: ActionMapping::Activity {
            activity: "CrmChangeResponsibleActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::MoveStage,
        id: "move_stage",
        group: ActionGroup::Control,
        description: "move the record to a stage (this ends the workflow)",
        fields: &[req(
            "stage",
            K::Stage,
            "the stage id, e.g. WON or C2:PREPARATION",
        )],
        mapping: ActionMapping::Activity {
            activity: "CrmChangeStatusActivity",
            available_on: STAGE_ENTITIES,
        },
    },
    ActionInfo {
        kind: ActionKind::UpdateField,
        id: "update_field",
        group: ActionGroup::Control,
        description: "set a field of the record",
        fields: &[
            req(
                "field",
                K::Field,
                "the field id, e.g. OPPORTUNITY or UF_CRM_SOURCE",
            ),
            req("value", K::Text, "the new value"),
        ],
        mapping: ActionMapping::Activity {
            activity: "SetFieldActivity",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::AddComment,
        id: "add_comment",
        group: ActionGroup::Control,
        description: "add a comment to the record's timeline",
        fields: &[req("message", K::Text, "the comment text")],
        mapping: ActionMapping::Activity {
            activity: "CrmTimelineCommentAdd",
            available_on: CRM,
        },
    },
    ActionInfo {
        kind: ActionKind::AddTag,
        id: "add_tag",
        group: ActionGroup::Control,
        description: "add a tag to the record",
        fields: &[req("tag", K::Tag, "the tag")],
        mapping: ActionMapping::Unsupported {
            reason: TAGS_UNSUPPORTED,
            instead: TAGS_INSTEAD,
        },
    },
    ActionInfo {
        kind: ActionKind::RemoveTag,
        id: "remove_tag",
        group: ActionGroup::Control,
        description: "remove a tag from the record",
        fields: &[req("tag", K::Tag, "the tag")],
        mapping: ActionMapping::Unsupported {
            reason: TAGS_UNSUPPORTED,
            instead: TAGS_INSTEAD,
        },
    },
    ActionInfo {
        kind: ActionKind::Webhook,
        id: "webhook",
        group: ActionGroup::External,
        description: "call an external URL with the record's data",
        fields: &[
            req("url", K::Url, "an https URL"),
            opt("method", K::HttpMethod, "POST (default) or GET"),
            opt("message", K::Text, "a note sent along"),
        ],
        mapping: ActionMapping::Activity {
            activity: "WebHookActivity",
            available_on: CRM,
        },
    },
];

/// Looks an action up by id.
pub fn action(id: &str) -> Option<&'static ActionInfo> {
    ACTIONS.iter().find(|a| a.id == id)
}

/// A smart variable: a `{{NAME}}` placeholder that Bitrix24 fills in at run time.
#[derive(Debug, Clone, Serialize)]
pub struct VariableInfo {
    /// The name without braces, e.g. `CONTACT_PHONE`.
    pub name: &'static str,
    pub description: &'static str,
    /// The entities that can supply it, each with the Bitrix24 expression that yields it.
    pub sources: &'static [VariableSource],
}

/// How one entity supplies a smart variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VariableSource {
    pub entity: Entity,
    /// The Bitrix24 expression, e.g. `{=Document:TITLE}`.
    pub expression: &'static str,
}

impl VariableInfo {
    /// The Bitrix24 expression for this variable on `entity`, if the entity supplies it.
    pub fn expression_for(&self, entity: Entity) -> Option<&'static str> {
        self.sources
            .iter()
            .find(|s| s.entity == entity)
            .map(|s| s.expression)
    }
}

const fn src(entity: Entity, expression: &'static str) -> VariableSource {
    VariableSource { entity, expression }
}

use Entity as E;

/// All smart variables, in display order.
///
/// The client's phone, e-mail and name come from the record itself on leads, contacts
/// and companies, and from the linked contact on deals, invoices and quotes.
pub const VARIABLES: &[VariableInfo] = &[
    VariableInfo {
        name: "CONTACT_PHONE",
        description: "the client's phone number",
        sources: &[
            src(E::Deal, "{=Document:CONTACT_ID.PHONE}"),
            src(E::Lead, "{=Document:PHONE}"),
            src(E::Contact, "{=Document:PHONE}"),
            src(E::Company, "{=Document:PHONE}"),
            src(E::Invoice, "{=Document:CONTACT_ID.PHONE}"),
            src(E::Quote, "{=Document:CONTACT_ID.PHONE}"),
        ],
    },
    VariableInfo {
        name: "CONTACT_EMAIL",
        description: "the client's e-mail address",
        sources: &[
            src(E::Deal, "{=Document:CONTACT_ID.EMAIL}"),
            src(E::Lead, "{=Document:EMAIL}"),
            src(E::Contact, "{=Document:EMAIL}"),
            src(E::Company, "{=Document:EMAIL}"),
            src(E::Invoice, "{=Document:CONTACT_ID.EMAIL}"),
            src(E::Quote, "{=Document:CONTACT_ID.EMAIL}"),
        ],
    },
    VariableInfo {
        name: "CONTACT_NAME",
        description: "the client's name",
        sources: &[
            src(E::Deal, "{=Document:CONTACT_ID > printable}"),
            src(E::Lead, "{=Document:NAME}"),
            src(E::Contact, "{=Document:NAME}"),
            src(E::Invoice, "{=Document:CONTACT_ID > printable}"),
            src(E::Quote, "{=Document:CONTACT_ID > printable}"),
        ],
    },
    VariableInfo {
        name: "ASSIGNED_BY_ID",
        description: "the responsible person (as a user)",
        sources: &[
            src(E::Deal, "{=Document:ASSIGNED_BY_ID}"),
            src(E::Lead, "{=Document:ASSIGNED_BY_ID}"),
            src(E::Contact, "{=Document:ASSIGNED_BY_ID}"),
            src(E::Company, "{=Document:ASSIGNED_BY_ID}"),
            src(E::Invoice, "{=Document:ASSIGNED_BY_ID}"),
            src(E::Quote, "{=Document:ASSIGNED_BY_ID}"),
            src(E::Task, "{=Document:RESPONSIBLE_ID}"),
        ],
    },
    VariableInfo {
        name: "ASSIGNED_BY_NAME",
        description: "the responsible person's name",
        sources: &[
            src(E::Deal, "{=Document:ASSIGNED_BY_ID > printable}"),
            src(E::Lead, "{=Document:ASSIGNED_BY_ID > printable}"),
            src(E::Contact, "{=Document:ASSIGNED_BY_ID > printable}"),
            src(E::Company, "{=Document:ASSIGNED_BY_ID > printable}"),
            src(E::Invoice, "{=Document:ASSIGNED_BY_ID > printable}"),
            src(E::Quote, "{=Document:ASSIGNED_BY_ID > printable}"),
            src(E::Task, "{=Document:RESPONSIBLE_ID > printable}"),
        ],
    },
    VariableInfo {
        name: "DEAL_TITLE",
        description: "the deal's title",
        sources: &[src(E::Deal, "{=Document:TITLE}")],
    },
    VariableInfo {
        name: "DEAL_ID",
        description: "the deal's id",
        sources: &[src(E::Deal, "{=Document:ID}")],
    },
    VariableInfo {
        name: "DEAL_AMOUNT",
        description: "the deal's amount",
        sources: &[src(E::Deal, "{=Document:OPPORTUNITY}")],
    },
    VariableInfo {
        name: "DEAL_CURRENCY",
        description: "the deal's currency",
        sources: &[src(E::Deal, "{=Document:CURRENCY_ID}")],
    },
    VariableInfo {
        name: "LEAD_NAME",
        description: "the lead's name",
        sources: &[src(E::Lead, "{=Document:TITLE}")],
    },
    VariableInfo {
        name: "LEAD_ID",
        description: "the lead's id",
        sources: &[
            src(E::Lead, "{=Document:ID}"),
            src(E::Deal, "{=Document:LEAD_ID}"),
        ],
    },
    VariableInfo {
        name: "STAGE_NAME",
        description: "the name of the current stage",
        sources: &[
            src(E::Deal, "{=Document:STAGE_ID > printable}"),
            src(E::Lead, "{=Document:STATUS_ID > printable}"),
            src(E::Invoice, "{=Document:STAGE_ID > printable}"),
            src(E::Quote, "{=Document:STATUS_ID > printable}"),
        ],
    },
    VariableInfo {
        name: "COMPANY_TITLE",
        description: "the company's name",
        sources: &[
            src(E::Company, "{=Document:TITLE}"),
            src(E::Lead, "{=Document:COMPANY_TITLE}"),
            src(E::Deal, "{=Document:COMPANY_ID > printable}"),
            src(E::Contact, "{=Document:COMPANY_ID > printable}"),
            src(E::Invoice, "{=Document:COMPANY_ID > printable}"),
            src(E::Quote, "{=Document:COMPANY_ID > printable}"),
        ],
    },
    VariableInfo {
        name: "TASK_TITLE",
        description: "the task's title",
        sources: &[src(E::Task, "{=Document:TITLE}")],
    },
    VariableInfo {
        name: "TASK_ID",
        description: "the task's id",
        sources: &[src(E::Task, "{=Document:ID}")],
    },
    VariableInfo {
        name: "INVOICE_ID",
        description: "the invoice's id",
        sources: &[src(E::Invoice, "{=Document:ID}")],
    },
    VariableInfo {
        name: "INVOICE_AMOUNT",
        description: "the invoice's amount",
        sources: &[src(E::Invoice, "{=Document:OPPORTUNITY}")],
    },
    VariableInfo {
        name: "CURRENT_DATE",
        description: "today's date",
        sources: &[
            src(E::Deal, "{=System:Date}"),
            src(E::Lead, "{=System:Date}"),
            src(E::Contact, "{=System:Date}"),
            src(E::Company, "{=System:Date}"),
            src(E::Invoice, "{=System:Date}"),
            src(E::Quote, "{=System:Date}"),
            src(E::Task, "{=System:Date}"),
        ],
    },
    VariableInfo {
        name: "CURRENT_DATETIME",
        description: "the current date and time",
        sources: &[
            src(E::Deal, "{=System:Now}"),
            src(E::Lead, "{=System:Now}"),
            src(E::Contact, "{=System:Now}"),
            src(E::Company, "{=System:Now}"),
            src(E::Invoice, "{=System:Now}"),
            src(E::Quote, "{=System:Now}"),
            src(E::Task, "{=System:Now}"),
        ],
    },
];

/// Looks a smart variable up by name (without braces).
pub fn variable(name: &str) -> Option<&'static VariableInfo> {
    VARIABLES.iter().find(|v| v.name == name)
}

/// Friendly names for document fields, used by conditions and `update_field`.
/// Each maps a word people write to the Bitrix24 field id.
pub const FIELD_ALIASES: &[(&str, &str)] = &[
    ("amount", "OPPORTUNITY"),
    ("value", "OPPORTUNITY"),
    ("opportunity", "OPPORTUNITY"),
    ("sum", "OPPORTUNITY"),
    ("total", "OPPORTUNITY"),
    ("currency", "CURRENCY_ID"),
    ("title", "TITLE"),
    ("name", "TITLE"),
    ("source", "SOURCE_ID"),
    ("stage", "STAGE_ID"),
    ("status", "STATUS_ID"),
    ("probability", "PROBABILITY"),
    ("comments", "COMMENTS"),
    ("comment", "COMMENTS"),
    ("type", "TYPE_ID"),
    ("industry", "INDUSTRY"),
    ("responsible", "ASSIGNED_BY_ID"),
    ("deadline", "DEADLINE"),
    ("priority", "PRIORITY"),
    ("close date", "CLOSEDATE"),
];

/// The Bitrix24 field id for a friendly field name, if there is one.
pub fn field_alias(word: &str) -> Option<&'static str> {
    let word = word.trim().to_ascii_lowercase();
    FIELD_ALIASES
        .iter()
        .find(|(alias, _)| *alias == word)
        .map(|(_, id)| *id)
}

/// Condition operators a blueprint may use, with their meaning.
pub const CONDITION_OPERATORS: &[(&str, &str)] = &[
    ("=", "equals"),
    ("!=", "does not equal"),
    (">", "is greater than"),
    (">=", "is at least"),
    ("<", "is less than"),
    ("<=", "is at most"),
    ("contain", "contains"),
    ("!contain", "does not contain"),
    ("empty", "is empty"),
    ("!empty", "is not empty"),
];

/// A stable digest of the whole catalog, recorded in lockfiles so that a vocabulary
/// change marks them stale.
pub fn fingerprint() -> String {
    let json = serde_json::to_vec(&Capabilities::get()).expect("the catalog serializes");
    crate::digest::sha256_hex(&json)
}

/// The catalog as one document: what `b24flow capabilities --json` prints and
/// `GET /capabilities` serves.
#[derive(Debug, Serialize)]
pub struct Capabilities {
    pub catalog_version: u32,
    pub triggers: &'static [TriggerInfo],
    pub actions: &'static [ActionInfo],
    pub entities: &'static [EntityInfo],
    pub variables: &'static [VariableInfo],
    pub condition_operators: Vec<ConditionOperator>,
}

/// One condition operator in the capabilities listing.
#[derive(Debug, Serialize)]
pub struct ConditionOperator {
    pub id: &'static str,
    pub meaning: &'static str,
}

impl Capabilities {
    /// The whole catalog.
    pub fn get() -> Self {
        Capabilities {
            catalog_version: CATALOG_VERSION,
            triggers: TRIGGERS,
            actions: ACTIONS,
            entities: ENTITIES,
            variables: VARIABLES,
            condition_operators: CONDITION_OPERATORS
                .iter()
                .map(|(id, meaning)| ConditionOperator { id, meaning })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn counts_match_the_product_documentation() {
        assert_eq!(TRIGGERS.len(), 21);
        assert_eq!(ACTIONS.len(), 22);
        assert_eq!(VARIABLES.len(), 19);
    }

    #[test]
    fn ids_are_unique() {
        let triggers: BTreeSet<_> = TRIGGERS.iter().map(|t| t.id).collect();
        let actions: BTreeSet<_> = ACTIONS.iter().map(|a| a.id).collect();
        let variables: BTreeSet<_> = VARIABLES.iter().map(|v| v.name).collect();
        assert_eq!(triggers.len(), TRIGGERS.len());
        assert_eq!(actions.len(), ACTIONS.len());
        assert_eq!(variables.len(), VARIABLES.len());
    }

    #[test]
    fn every_variable_has_a_source_and_every_entity_an_entry() {
        for v in VARIABLES {
            assert!(!v.sources.is_empty(), "{} has no source", v.name);
        }
        for e in ENTITIES {
            assert_eq!(e.entity.info().id, e.id);
            assert_eq!(Entity::from_id(e.id), Some(e.entity));
        }
    }

    #[test]
    fn each_action_kind_has_one_entry_and_its_availability_is_pinned() {
        for a in ACTIONS {
            assert_eq!(a.kind.info().id, a.id);
            assert_eq!(a.kind.id(), a.id);
            for e in a.available_on() {
                assert!(e.info().document_type.is_some(), "{} on {e:?}", a.id);
            }
        }
        let supported = ACTIONS
            .iter()
            .filter(|a| matches!(a.mapping, ActionMapping::Activity { .. }))
            .count();
        assert_eq!(supported, 19);
        let on = |id: &str| action(id).unwrap().available_on().to_vec();
        assert_eq!(
            on("move_stage"),
            [Entity::Deal, Entity::Lead, Entity::Invoice, Entity::Quote]
        );
        assert_eq!(
            on("set_reminder"),
            [Entity::Deal, Entity::Lead, Entity::Contact, Entity::Company]
        );
        assert_eq!(on("update_deal"), [Entity::Deal]);
        assert_eq!(on("send_whatsapp").len(), 6);
        for id in ["update_task", "add_tag", "remove_tag"] {
            assert!(on(id).is_empty(), "{id}");
        }
    }

    #[test]
    fn template_triggers_have_a_document_type() {
        for t in TRIGGERS {
            if let TriggerMapping::Template { .. } = t.mapping {
                assert!(t.entity.info().document_type.is_some(), "{}", t.id);
            }
        }
    }
}
