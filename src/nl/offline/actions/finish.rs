//! Finishing a draft once the trigger is known: each slot is *stated* (read from the
//! text), *defaulted* (from [`crate::nl::offline::defaults`], with only the smart
//! variables the trigger's entity supplies) or *asked* (a vague or missing recipient,
//! URL, stage, field or tag).
//!
//! Invariant: after [`finish`], every required field of the action is filled or the draft
//! carries a question about it.

use super::{Ctx, Draft, noun, noun_of};
use crate::catalog::{self, Entity};
use crate::nl::offline::defaults;
use crate::nl::offline::recipients::Who;

/// Finishes a draft once the trigger is known: recipients become smart variables or
/// questions, and missing texts get defaults.
pub(crate) fn finish(d: &mut Draft, ctx: &Ctx<'_>) {
    let Some(trigger) = ctx.trigger else {
        // Without a trigger only the author's own gaps are worth asking about.
        recipient_questions_only(d);
        return;
    };
    let texts = defaults::texts(trigger.id);
    let who = d.who.clone();
    match d.kind {
        "send_whatsapp" | "send_sms" | "send_email" => {
            if !d.has("to") {
                set_to(d, who.clone().or(Some(Who::Client)), ctx);
            }
            let to_client = matches!(who, None | Some(Who::Client));
            let message = if to_client {
                texts.client
            } else {
                texts.internal
            };
            if d.kind == "send_email" {
                if !d.has("subject") {
                    let subject = if to_client {
                        texts.subject
                    } else {
                        texts.internal
                    };
                    d.set("subject", subject);
                }
                if !d.has("body") {
                    let body = if to_client {
                        defaults::email_body(message, trigger.id)
                    } else {
                        message.to_owned()
                    };
                    d.set("body", body);
                }
            } else if !d.has("message") {
                d.set("message", message);
            }
        }
        "send_notification" | "send_bitrix_message" => {
            if !d.has("to") && d.questions.is_empty() {
                set_to(d, who, ctx);
            }
            if !d.has("message") {
                d.set("message", texts.internal);
            }
        }
        "create_task" | "set_reminder" => {
            if !d.has("assignee") {
                set_assignee(d, who.or(Some(Who::Responsible)), noun(d.kind), ctx);
            }
            if !d.has("title") {
                let review = match d.flavour {
                    Some("review") => true,
                    Some(_) => false,
                    None => texts.review_by_default,
                };
                d.set(
                    "title",
                    if review {
                        texts.review
                    } else {
                        texts.follow_up
                    },
                );
            }
        }
        "schedule_call" => {
            if !d.has("to") {
                set_to(d, who.or(Some(Who::Client)), ctx);
            }
            if let Some(word) = d.assignee_pronoun.take() {
                set_assignee(d, Some(Who::Vague(word)), "call", ctx);
            } else if !d.has("assignee") {
                set_assignee(d, Some(Who::Responsible), "call", ctx);
            }
        }
        "assign_responsible" => {
            if let Some(word) = d.assignee_pronoun.take() {
                set_assignee(d, Some(Who::Vague(word)), "record", ctx);
            }
        }
        "create_deal" | "create_contact" | "create_company" | "create_invoice" | "create_quote" => {
            // A pronoun owner no one named before: asked about, never dropped.
            if let Some(word) = d.assignee_pronoun.take() {
                set_assignee(d, Some(Who::Vague(word)), noun(d.kind), ctx);
            }
            if !d.has("title") {
                d.set("title", defaults::record_title(d.kind, trigger.id));
            }
        }
        "add_comment" if !d.has("message") => {
            d.set("message", defaults::comment(trigger.id));
        }
        _ => {}
    }
    // Every required field is filled or asked about.
    if d.questions.is_empty()
        && let Some(info) = catalog::action(d.kind)
    {
        for f in info.fields.iter().filter(|f| f.required) {
            if !d.has(f.name) {
                d.questions.push(format!(
                    "What should the {} of the \"{}\" action be? ({})",
                    f.name, d.kind, f.description
                ));
            }
        }
    }
}

pub(crate) fn recipient_questions_only(d: &mut Draft) {
    let who = d.who.clone();
    match d.kind {
        "send_notification" | "send_bitrix_message" if d.questions.is_empty() => {
            if let Some(q) = recipient_question(d, who.as_ref(), false) {
                d.questions.push(q);
            }
        }
        "send_whatsapp" | "send_sms" | "send_email" | "create_task" | "set_reminder"
        | "schedule_call" => {
            if let Some(Who::Vague(_)) = who
                && let Some(q) = recipient_question(d, who.as_ref(), true)
            {
                d.questions.push(q);
            }
        }
        _ => {}
    }
}

/// The question for a missing or vague recipient, if one is needed.
pub(crate) fn recipient_question(d: &Draft, who: Option<&Who>, client_ok: bool) -> Option<String> {
    let kind = d.kind;
    let what = noun_of(d);
    let verb = if matches!(kind, "create_task" | "set_reminder" | "schedule_call") {
        format!("Who should the {what} be assigned to?")
    } else {
        format!("Who should receive the {what}?")
    };
    match who {
        None => Some(format!(
            "{verb} For example \"to the manager\", \"to the sales team\" or a person's name."
        )),
        Some(Who::Vague(word)) => Some(format!(
            "{verb} \"{word}\" is too vague: name the client, the responsible manager, a team or a person."
        )),
        Some(Who::Client) if !client_ok => Some(format!(
            "{verb} A {what} goes to employees, not to the client; to reach the client, say WhatsApp, SMS or e-mail."
        )),
        _ => None,
    }
}

/// "the project manager" on a task workflow is the task's responsible person (the
/// convention `tests/corpus/offline.yaml` records); on any other record a project
/// manager is a role of its own, kept as written, as is a "project lead" anywhere.
fn in_context(who: Option<Who>, ctx: &Ctx<'_>) -> Option<Who> {
    match who {
        Some(Who::Named(n))
            if ctx.entity() == Some(catalog::Entity::Task)
                && n.eq_ignore_ascii_case("project manager") =>
        {
            Some(Who::Responsible)
        }
        other => other,
    }
}

/// Sets `to` from who the text named, or asks.
pub(crate) fn set_to(d: &mut Draft, who: Option<Who>, ctx: &Ctx<'_>) {
    let who = in_context(who, ctx);
    let client_ok = matches!(
        d.kind,
        "send_whatsapp" | "send_sms" | "send_email" | "schedule_call"
    );
    if let Some(q) = recipient_question(d, who.as_ref(), client_ok) {
        d.questions.push(q);
        return;
    }
    let value = match who {
        Some(Who::Client) => {
            let var = if d.kind == "send_email" {
                "CONTACT_EMAIL"
            } else {
                "CONTACT_PHONE"
            };
            if let Some(v) = variable(var, ctx) {
                v
            } else if d.kind == "send_email" && ctx.entity() == Some(Entity::Task) {
                // A task's workflow is run by b24flow's event runner, which writes to the
                // client of the CRM record the task is bound to (`UF_CRM_TASK`; see
                // runner/email.rs) and reports a task bound to none.
                "{{CONTACT_EMAIL}}".to_owned()
            } else {
                d.questions.push(format!(
                    "A {} has no client {}; who should receive the {}?",
                    ctx.entity_label(),
                    if var == "CONTACT_EMAIL" {
                        "e-mail address"
                    } else {
                        "phone number"
                    },
                    noun(d.kind)
                ));
                return;
            }
        }
        Some(Who::Responsible) => "{{ASSIGNED_BY_ID}}".to_owned(),
        Some(Who::Named(name)) => name,
        Some(Who::Author) => match author(d, ctx) {
            Some(a) => a,
            None => return,
        },
        Some(Who::Vague(_)) | None => return,
    };
    d.set("to", value);
}

/// Sets `assignee` from who the text named, or asks.
pub(crate) fn set_assignee(d: &mut Draft, who: Option<Who>, what: &str, ctx: &Ctx<'_>) {
    let who = in_context(who, ctx);
    let value = match who {
        Some(Who::Responsible) => variable("ASSIGNED_BY_ID", ctx),
        Some(Who::Named(name)) => Some(name),
        Some(Who::Author) => author(d, ctx),
        Some(Who::Client) => {
            d.questions.push(format!(
                "Who should the {what} be assigned to? It must be an employee, such as the responsible manager, a team or a person, not the client."
            ));
            return;
        }
        // "remind me in 3 days", "task me to check the listing": a to-do on the record for
        // the one who writes it is for the one who works the record, as a reminder is
        // on the record's timeline for its responsible person. Whom to tell ("ping me")
        // is still asked: a manager who wants to hear is no record's owner.
        Some(Who::Vague(word))
            if word == "me" && matches!(d.kind, "set_reminder" | "create_task") =>
        {
            variable("ASSIGNED_BY_ID", ctx)
        }
        Some(Who::Vague(word)) => {
            d.questions.push(format!(
                "Who should the {what} be assigned to? \"{word}\" is too vague: name the responsible manager, a team or a person."
            ));
            return;
        }
        None => {
            d.questions.push(format!(
                "Who should the {what} be assigned to? For example \"to the sales manager\" or \"to Anna\"."
            ));
            return;
        }
    };
    if let Some(v) = value {
        d.set("assignee", v);
    }
}

/// `author`, the runner's name for who created the object a runner workflow starts on
/// (docs/runner.md: its `CREATED_BY`). A template has no such recipient, so on any other
/// trigger the author is asked who is meant.
fn author(d: &mut Draft, ctx: &Ctx<'_>) -> Option<String> {
    if ctx
        .trigger
        .is_some_and(|t| crate::runner::runs_trigger(t.id))
    {
        return Some("author".to_owned());
    }
    if ctx.trigger.is_some() {
        d.questions.push(format!(
            "Who should receive the {}? The one who created the {} cannot be addressed in this workflow; name the responsible manager, a team or a person.",
            noun(d.kind),
            ctx.entity_label()
        ));
    }
    None
}

/// `{{NAME}}` if the trigger's entity supplies the variable (or no entity is known).
pub(crate) fn variable(name: &str, ctx: &Ctx<'_>) -> Option<String> {
    let ok = match ctx.entity() {
        Some(e) => catalog::variable(name).is_some_and(|v| v.expression_for(e).is_some()),
        None => true,
    };
    ok.then(|| format!("{{{{{name}}}}}"))
}
