//! The smart-variable table: every `{{NAME}}` and each entity's expression for it.

use super::{Entity, VariableInfo, VariableSource};

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
