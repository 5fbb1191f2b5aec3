//! The action table: every action, its fields, its activity and the entities that
//! offer it.

use super::{ActionGroup, ActionInfo, ActionKind, ActionMapping, Entity, FieldKind, FieldSpec};

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
/// crm `CrmChangeStatusActivity`: deals and leads. Quotes and smart invoices have stages
/// too, but older crm copies of the activity (`crmchangestatusactivity.php` @25d1a13)
/// handle only deal, lead, order and the old invoice: on a quote or a smart invoice
/// nothing changes and the workflow still ends. See [`NOT_OFFERED`].
const STAGE_ENTITIES: &[Entity] = &[Entity::Deal, Entity::Lead];
/// crm `CrmCreateCallActivity`: every CRM entity but the smart invoice. See
/// [`NOT_OFFERED`].
const CALL_ENTITIES: &[Entity] = &[
    Entity::Deal,
    Entity::Lead,
    Entity::Contact,
    Entity::Company,
    Entity::Quote,
];

/// Why an action is not offered on an entity whose document type does have its
/// activity: the activity exists there but would not do what the spec says. `resolve`
/// gives this reason instead of the generic one.
pub const NOT_OFFERED: &[(ActionKind, Entity, &str)] = &[
    (
        ActionKind::ScheduleCall,
        Entity::Invoice,
        "CrmCreateCallActivity splits the document id on `_` to find the record, so SMART_INVOICE_<id> becomes owner type SMART and the call gets no valid binding (crm crmcreatecallactivity.php, every version up to the newest)",
    ),
    (
        ActionKind::MoveStage,
        Entity::Invoice,
        "CrmChangeStatusActivity on older cores handles only deals, leads, orders and old invoices: on a smart invoice it changes nothing and still ends the workflow (crm crmchangestatusactivity.php @25d1a13)",
    ),
    (
        ActionKind::MoveStage,
        Entity::Quote,
        "CrmChangeStatusActivity on older cores handles only deals, leads, orders and old invoices: on a quote it changes nothing and still ends the workflow (crm crmchangestatusactivity.php @25d1a13)",
    ),
];

/// The reason in [`NOT_OFFERED`] for `kind` on `entity`, if there is one.
pub fn not_offered(kind: ActionKind, entity: Entity) -> Option<&'static str> {
    NOT_OFFERED
        .iter()
        .find(|(k, e, _)| *k == kind && *e == entity)
        .map(|(_, _, why)| *why)
}

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
            available_on: CALL_ENTITIES,
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
