//! The trigger table: every trigger, its phrases and parameters, and how it becomes a
//! template.

use super::{AutoStart, Entity, GuardRow, TriggerInfo, TriggerMapping, TriggerParam};

const STAGE_PARAM: &[TriggerParam] = &[TriggerParam {
    name: "stage",
    description: "the stage id the deal moves to (e.g. PREPARATION, C2:WON); any stage when absent",
    required: false,
}];

/// tasks `Integration/Bizproc/Document/Task.php` (types per user and per project) and
/// `Integration/Bizproc/Listener.php` (task events run automation only).
const TASKS_UNSUPPORTED: &str = "tasks do have business process document types, but only per user (TASK_USER_<id>, TASK_PLAN_<id>) or per project (TASK_PROJECT_<id>, TASK_SCRUM_PROJECT_<id>), not one for the whole portal, and task events start only automation rules and triggers, not auto-start templates";
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
            guard: &[GuardRow {
                field: "STAGE_SEMANTIC_ID",
                operator: "=",
                value: "S",
            }],
            once_per_entry: true,
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
            guard: &[GuardRow {
                field: "STAGE_SEMANTIC_ID",
                operator: "=",
                value: "F",
            }],
            once_per_entry: true,
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
            once_per_entry: false,
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
            once_per_entry: false,
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
            guard: &[GuardRow {
                field: "STAGE_ID",
                operator: "=",
                value: "{stage}",
            }],
            once_per_entry: true,
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
            once_per_entry: false,
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
            guard: &[GuardRow {
                field: "STATUS_ID",
                operator: "=",
                value: "CONVERTED",
            }],
            once_per_entry: true,
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
            once_per_entry: false,
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
            once_per_entry: false,
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
            once_per_entry: false,
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
            once_per_entry: false,
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
            once_per_entry: false,
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
            // Start when the invoice is created, wait until the day after its payment
            // date (again while the date moves later), then go on only if it is still
            // open: neither paid nor refused. Smart invoices have no STAGE_SEMANTIC_ID
            // (crm Model/Dynamic/PrototypeItem.php), so the stage id is compared.
            guard: &[
                GuardRow {
                    field: "STAGE_ID",
                    operator: "!in",
                    value: "{invoice_paid}",
                },
                GuardRow {
                    field: "STAGE_ID",
                    operator: "!in",
                    value: "{invoice_refused}",
                },
            ],
            once_per_entry: false,
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
            guard: &[GuardRow {
                field: "STAGE_ID",
                operator: "in",
                value: "{invoice_paid}",
            }],
            once_per_entry: true,
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
            once_per_entry: false,
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
            guard: &[GuardRow {
                field: "STATUS_ID",
                operator: "=",
                value: "APPROVED",
            }],
            once_per_entry: true,
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
