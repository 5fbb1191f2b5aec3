//! The texts the offline parser writes when the spec gives none: messages, e-mail
//! subjects and bodies, task titles, record titles, and the workflow's name.
//!
//! Invariant (pinned by a test): every smart variable in a default is one that the
//! trigger's entity supplies (`VariableInfo::expression_for`) and, for an event b24flow's
//! runner handles, one the runner has a value for (`runner::supplies`), so a default
//! never produces a blueprint the validator would reject. [`fit`] enforces it at run time
//! too.

use crate::blueprint::variables_in;
use crate::catalog::{self, Entity};

/// Default texts for one trigger.
#[derive(Debug, Clone, Copy)]
pub(super) struct TriggerTexts {
    pub(super) id: &'static str,
    /// The first half of a workflow name, e.g. "Deal won".
    pub(super) label: &'static str,
    /// A message to the client (`WhatsApp`, SMS, e-mail body).
    pub(super) client: &'static str,
    /// An e-mail subject for the client.
    pub(super) subject: &'static str,
    /// A message to employees (notification, chat).
    pub(super) internal: &'static str,
    /// A follow-up task title.
    pub(super) follow_up: &'static str,
    /// A review task title.
    pub(super) review: &'static str,
    /// Whether a task with no kind given is a review rather than a follow-up.
    pub(super) review_by_default: bool,
}

// Positional rows keep the table below readable as a table.
#[allow(clippy::too_many_arguments)]
const fn t(
    id: &'static str,
    label: &'static str,
    client: &'static str,
    subject: &'static str,
    internal: &'static str,
    follow_up: &'static str,
    review: &'static str,
    review_by_default: bool,
) -> TriggerTexts {
    TriggerTexts {
        id,
        label,
        client,
        subject,
        internal,
        follow_up,
        review,
        review_by_default,
    }
}

/// One entry per catalog trigger.
pub(super) const TEXTS: &[TriggerTexts] = &[
    t(
        "deal_won",
        "Deal won",
        "Congratulations! Your deal has been confirmed.",
        "Your deal has been confirmed",
        "Deal won: {{DEAL_TITLE}} ({{DEAL_AMOUNT}} {{DEAL_CURRENCY}})",
        "Follow up on won deal",
        "Review won deal",
        false,
    ),
    t(
        "deal_lost",
        "Deal lost",
        "Thank you for considering us. We hope to work with you in the future.",
        "Thank you for considering us",
        "Deal lost: {{DEAL_TITLE}}",
        "Follow up on lost deal",
        "Review lost deal reasons",
        true,
    ),
    t(
        "deal_created",
        "New deal",
        "Thank you for your interest! We have started working on your request.",
        "We have received your request",
        "New deal: {{DEAL_TITLE}}",
        "Follow up on new deal",
        "Review new deal",
        false,
    ),
    t(
        "deal_updated",
        "Deal updated",
        "Your deal {{DEAL_TITLE}} has been updated.",
        "Your deal has been updated",
        "Deal updated: {{DEAL_TITLE}}",
        "Follow up on deal changes",
        "Review deal changes",
        true,
    ),
    t(
        "stage_changed",
        "Deal stage changed",
        "Your deal has moved to the next stage: {{STAGE_NAME}}.",
        "Your deal has moved forward",
        "Deal {{DEAL_TITLE}} moved to {{STAGE_NAME}}",
        "Follow up on deal stage change",
        "Review deal at new stage",
        false,
    ),
    t(
        "lead_created",
        "New lead",
        "Thank you for contacting us, {{CONTACT_NAME}}! We will get back to you shortly.",
        "Thank you for contacting us",
        "New lead: {{LEAD_NAME}}",
        "Follow up with new lead",
        "Review new lead",
        false,
    ),
    t(
        "lead_converted",
        "Lead converted",
        "Thank you, {{CONTACT_NAME}}! We are glad to start working with you.",
        "Welcome aboard",
        "Lead converted: {{LEAD_NAME}}",
        "Follow up on converted lead",
        "Review converted lead",
        false,
    ),
    t(
        "lead_updated",
        "Lead updated",
        "Your request has been updated.",
        "Your request has been updated",
        "Lead updated: {{LEAD_NAME}}",
        "Follow up on lead changes",
        "Review lead changes",
        true,
    ),
    t(
        "contact_created",
        "New contact",
        "Welcome, {{CONTACT_NAME}}! Thank you for choosing us.",
        "Welcome",
        "New contact: {{CONTACT_NAME}}",
        "Follow up with new contact",
        "Review new contact",
        false,
    ),
    t(
        "contact_updated",
        "Contact updated",
        "Your contact details have been updated.",
        "Your details have been updated",
        "Contact updated: {{CONTACT_NAME}}",
        "Follow up on contact changes",
        "Review contact changes",
        true,
    ),
    t(
        "company_created",
        "New company",
        "Welcome! Thank you for choosing us.",
        "Welcome",
        "New company: {{COMPANY_TITLE}}",
        "Follow up with new company",
        "Review new company",
        false,
    ),
    t(
        "company_updated",
        "Company updated",
        "Your company details have been updated.",
        "Your company details have been updated",
        "Company updated: {{COMPANY_TITLE}}",
        "Follow up on company changes",
        "Review company changes",
        true,
    ),
    t(
        "task_created",
        "New task",
        "We have started working on your request.",
        "We are working on your request",
        "New task: {{TASK_TITLE}}",
        "Follow up on new task",
        "Review new task",
        false,
    ),
    t(
        "task_completed",
        "Task completed",
        "Good news: the work on your request is done.",
        "Your request is done",
        "Task completed: {{TASK_TITLE}}",
        "Follow up on completed task",
        "Review completed task",
        false,
    ),
    t(
        "task_overdue",
        "Task overdue",
        "We are sorry for the delay; we are still working on your request.",
        "An update on your request",
        "Task overdue: {{TASK_TITLE}}",
        "Follow up on overdue task",
        "Review overdue task",
        false,
    ),
    t(
        "invoice_overdue",
        "Invoice overdue",
        "Reminder: invoice {{INVOICE_ID}} for {{INVOICE_AMOUNT}} is overdue. Please arrange payment.",
        "Invoice {{INVOICE_ID}} is overdue",
        "Invoice overdue: {{INVOICE_ID}} ({{INVOICE_AMOUNT}})",
        "Follow up on overdue invoice",
        "Review overdue invoice",
        false,
    ),
    t(
        "invoice_paid",
        "Invoice paid",
        "Thank you! We have received your payment for invoice {{INVOICE_ID}}.",
        "Payment received for invoice {{INVOICE_ID}}",
        "Invoice paid: {{INVOICE_ID}} ({{INVOICE_AMOUNT}})",
        "Follow up on paid invoice",
        "Review paid invoice",
        false,
    ),
    t(
        "quote_created",
        "New quote",
        "Your quote is ready. Please review it and let us know.",
        "Your quote is ready",
        "New quote for {{CONTACT_NAME}}",
        "Follow up on new quote",
        "Review new quote",
        false,
    ),
    t(
        "quote_approved",
        "Quote approved",
        "Thank you for approving our quote! We will be in touch with the next steps.",
        "Thank you for approving our quote",
        "Quote approved by {{CONTACT_NAME}}",
        "Follow up on approved quote",
        "Review approved quote",
        false,
    ),
    t(
        "meeting_scheduled",
        "Meeting scheduled",
        "Your meeting with us is confirmed. See you soon!",
        "Your meeting is confirmed",
        "Meeting scheduled",
        "Prepare for the meeting",
        "Review meeting agenda",
        false,
    ),
    t(
        "activity_added",
        "Activity added",
        "Thank you for your message. We will get back to you shortly.",
        "We have received your message",
        "New activity on a deal",
        "Follow up on new activity",
        "Review new activity",
        false,
    ),
];

/// The default texts for a trigger id.
pub(super) fn texts(trigger: &str) -> &'static TriggerTexts {
    TEXTS.iter().find(|x| x.id == trigger).unwrap_or(&TEXTS[0])
}

/// Whether a workflow started by `trigger` supplies every smart variable in `text`: its
/// entity's (the catalog), and for an event b24flow's runner handles, the runner's.
pub(super) fn supplied(text: &str, trigger: &str) -> bool {
    let Some(entity) = catalog::trigger(trigger).map(|t| t.entity) else {
        return false;
    };
    variables_in(text).all(|name| {
        catalog::variable(name).is_some_and(|v| v.expression_for(entity).is_some())
            && crate::runner::supplies(trigger, name)
    })
}

/// `text` if a workflow started by `trigger` supplies all its variables, else
/// `fallback`.
pub(super) fn fit(text: String, trigger: &str, fallback: &str) -> String {
    if supplied(&text, trigger) {
        text
    } else {
        fallback.to_owned()
    }
}

/// The e-mail body for a default message: a greeting, the message, and the
/// responsible person's name as the signature, where the workflow has it.
pub(super) fn email_body(message: &str, trigger: &str) -> String {
    let greeting = if supplied("{{CONTACT_NAME}}", trigger) && !message.contains("{{CONTACT_NAME}}")
    {
        "Dear {{CONTACT_NAME}},"
    } else {
        "Hello,"
    };
    let signature = if supplied("{{ASSIGNED_BY_NAME}}", trigger) {
        "\n{{ASSIGNED_BY_NAME}}"
    } else {
        ""
    };
    format!("{greeting}\n\n{message}\n\nBest regards,{signature}")
}

/// The variable that names a record of `entity` in a title.
fn record_name(entity: Entity) -> &'static str {
    match entity {
        Entity::Deal => "{{DEAL_TITLE}}",
        Entity::Lead => "{{LEAD_NAME}}",
        Entity::Contact | Entity::Quote => "{{CONTACT_NAME}}",
        Entity::Company => "{{COMPANY_TITLE}}",
        Entity::Invoice => "invoice {{INVOICE_ID}}",
        Entity::Task => "{{TASK_TITLE}}",
    }
}

/// A default title for a record an action creates (`create_deal`, ...).
pub(super) fn record_title(action: &str, trigger: &str) -> String {
    let entity = catalog::trigger(trigger).map_or(Entity::Deal, |t| t.entity);
    let name = record_name(entity);
    let title = match action {
        "create_contact" if supplied("{{CONTACT_NAME}}", trigger) => "{{CONTACT_NAME}}".to_owned(),
        "create_company" if supplied("{{COMPANY_TITLE}}", trigger) => {
            "{{COMPANY_TITLE}}".to_owned()
        }
        "create_contact" => format!("Contact for {name}"),
        "create_company" => format!("Company for {name}"),
        "create_deal" => format!("Deal for {name}"),
        "create_invoice" => format!("Invoice for {name}"),
        "create_quote" => format!("Quote for {name}"),
        _ => format!("New record for {name}"),
    };
    fit(title, trigger, "New record")
}

/// A comment for the record's timeline.
pub(super) fn comment(trigger: &str) -> String {
    format!("{} on {{{{CURRENT_DATE}}}}", texts(trigger).label)
}

/// How an action reads in a workflow name.
pub(super) fn action_label(kind: &str) -> &'static str {
    match kind {
        "send_whatsapp" => "send WhatsApp",
        "send_email" => "send email",
        "send_sms" => "send SMS",
        "send_notification" => "notify",
        "send_bitrix_message" => "send chat message",
        "create_task" => "create task",
        "update_task" => "update task",
        "set_reminder" => "set reminder",
        "schedule_call" => "schedule call",
        "create_deal" => "create deal",
        "update_deal" => "update deal",
        "create_contact" => "create contact",
        "create_company" => "create company",
        "create_invoice" => "create invoice",
        "create_quote" => "create quote",
        "assign_responsible" => "assign responsible",
        "move_stage" => "move stage",
        "update_field" => "update field",
        "add_comment" => "add comment",
        "add_tag" => "add tag",
        "remove_tag" => "remove tag",
        "webhook" => "call webhook",
        _ => "run action",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{ACTIONS, TRIGGERS};

    #[test]
    fn one_entry_per_trigger() {
        assert_eq!(TEXTS.len(), TRIGGERS.len());
        for t in TRIGGERS {
            assert_eq!(texts(t.id).id, t.id);
        }
    }

    #[test]
    fn defaults_use_only_variables_the_entity_supplies() {
        for t in TRIGGERS {
            let x = texts(t.id);
            for text in [x.client, x.subject, x.internal, x.follow_up, x.review] {
                assert!(supplied(text, t.id), "{}: {text}", t.id);
            }
            assert!(supplied(&comment(t.id), t.id));
            assert!(supplied(&email_body(x.client, t.id), t.id));
            for a in ACTIONS {
                assert!(supplied(&record_title(a.id, t.id), t.id));
            }
        }
    }

    #[test]
    fn every_action_has_a_label() {
        for a in ACTIONS {
            assert_ne!(action_label(a.id), "run action", "{}", a.id);
        }
    }
}
