//! Action frames: reading one instruction ("send a `WhatsApp` message to the client",
//! "create a follow-up task for the sales manager tomorrow") into a catalog action with
//! its fields.
//!
//! An action frame is a kind plus the catalog's fields as slots. [`frames`] recognises
//! the kind from a verb or a channel noun; [`read`] fills the slots the text states, with
//! the readers in [`slots`] (quotes, URLs, short phrases); [`finish`] defaults what the
//! author did not need to write and turns what only the author can say (a vague
//! recipient, a missing URL, stage, field or tag) into a question. A clause with no verb
//! of its own may continue the action before it ([`continue_previous`]): a channel alone
//! (", via chat") says how its message goes, "put Lena on it" who owns what it created,
//! and a value restated in brackets ("today's date ({{CURRENT_DATE}})") is the same value.
//!
//! The lexicon is one of verbs and their objects, not of phrases: every creating verb
//! people use ("draw up", "spin up", "put together", "raise") takes every record; a
//! comment is anything noted *on* the record or its timeline, while a note addressed *to*
//! someone is asked about; a field update is any writing verb with the word "field" or a
//! `UF_` name, value first ("write today's date into ...") or last ("stamp X with ...");
//! who does it may follow as a participle ("made by", "owned by") or come before the
//! verb ("have Anna call", "book her a call with ..."); and an order whose verb b24flow
//! does not know is never read from the channel or record its object names.
//!
//! Invariant: a draft's kind is a catalog action id, and its fields are catalog fields.

mod continued;
mod finish;
mod frames;
#[cfg(test)]
pub(super) use frames::assert_gated;
mod limits;
mod slots;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

use super::recipients::{self, Who};
use super::text::{Clause, Token};
use super::triggers::stage_after;
use super::words;
use crate::catalog::{self, Entity, TriggerInfo};
pub(super) use continued::{Continued, continue_previous, says_who_does};
pub(super) use finish::finish;
use finish::set_assignee;
pub(super) use frames::{forget_kinds, kind};
use limits::{
    AMOUNT_OF_NEW, ATTACHED, CHECKLIST, CLIENTS_AT, FROM_SENDER, GROUP_CHAT, IN_NAME, IN_PIPELINE,
    LANGUAGE, cut_stage_name, unitless_time,
};
use slots::{
    message, quoted_or_named, read_email, read_task, read_update, read_webhook, tag, title,
};
pub(super) use slots::{priority, when};

/// What an instruction asks for, before its fields are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A catalog action id.
    Action(&'static str),
    /// "Send a message": the channel depends on who receives it.
    Message,
    /// "Move/push/postpone its deadline": a date moves, not the record. A task's
    /// deadline on a task workflow; anything else is asked about.
    Deadline,
}

/// An action being built, with the questions it raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Draft {
    pub(super) kind: &'static str,
    pub(super) fields: BTreeMap<String, String>,
    /// Who the text named, if anyone, for defaults that depend on it.
    pub(super) who: Option<Who>,
    pub(super) questions: Vec<String>,
    /// "review" or "follow-up" when the text says which kind of task it is.
    pub(super) flavour: Option<&'static str>,
    /// "schedule a call for him": a pronoun for who makes the call, resolved against the
    /// person named before or asked about in [`finish`].
    pub(super) assignee_pronoun: Option<String>,
}

/// The text of a clause that is one quote and nothing else ("'Deposit'."), as written.
pub(super) fn quoted_text(clause: &Clause, ctx: &Ctx<'_>) -> Option<String> {
    let lower = clause.lower.trim().trim_end_matches(['.', '!', ' ']);
    if !(lower.starts_with('\x01') && lower.ends_with('\x02') && lower.matches('\x01').count() == 1)
    {
        return None;
    }
    slots::quote_texts(clause, ctx)
        .first()
        .map(|(_, _, t)| t.text.clone())
}

impl Draft {
    fn new(kind: &'static str) -> Draft {
        Draft {
            kind,
            fields: BTreeMap::new(),
            who: None,
            questions: Vec::new(),
            flavour: None,
            assignee_pronoun: None,
        }
    }

    pub(super) fn set(&mut self, field: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.fields
                .insert(field.to_owned(), value.trim().to_owned());
        }
    }

    fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }

    /// Whether the author wrote the message's words (a quote or "saying ...").
    pub(super) fn has_text_of_its_own(&self) -> bool {
        ["message", "body"].iter().any(|f| self.has(f))
    }
}

/// What the parser knows while it reads instructions.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx<'a> {
    pub(super) trigger: Option<&'static TriggerInfo>,
    pub(super) tokens: &'a [Token],
    /// The text asked for a state of affairs ("can we make it so ..."): an instruction
    /// may say the state, not the order.
    pub(super) made_so: bool,
}

impl Ctx<'_> {
    fn entity(&self) -> Option<Entity> {
        self.trigger.map(|t| t.entity)
    }

    fn entity_label(&self) -> &'static str {
        self.entity().map_or("record", |e| e.info().label)
    }

    fn token(&self, index: usize) -> Option<&Token> {
        self.tokens.get(index)
    }
}

// Optional words before the verb of an instruction.
const P: &str = r"^(?:please\s+|also\s+|then\s+|and\s+|just\s+|automatically\s+|immediately\s+)*";

/// The noun a question uses for a draft.
fn noun_of(d: &Draft) -> &'static str {
    if d.flavour == Some("message") {
        "message"
    } else {
        noun(d.kind)
    }
}

/// The noun a question uses for an action's message.
fn noun(kind: &str) -> &'static str {
    match kind {
        "send_whatsapp" => "WhatsApp message",
        "send_email" => "e-mail",
        "send_sms" => "SMS",
        "send_notification" => "notification",
        "send_bitrix_message" => "chat message",
        "create_task" => "task",
        "set_reminder" => "reminder",
        "schedule_call" => "call",
        "create_quote" => "quote",
        "create_deal" => "deal",
        _ => "message",
    }
}

const TO_CUES: &[&str] = &[
    "to",
    "send",
    "drop",
    // "give the assignee a notification": before the thing given, as `recipients::find`
    // reads it.
    "give",
    "for",
    "notify",
    "alert",
    "inform",
    "tell",
    "message",
    "text",
    "email",
    "e-mail",
    // "mail the responsible", as Dutch and German speakers write "e-mail".
    "mail",
    "whatsapp",
    "sms",
    "ping",
    "warn",
    "let",
    "congratulate",
    "thank",
    "welcome",
    "greet",
    "remind",
    "contact",
    "escalate",
    "chat",
];
// Besides the prepositions and verbs of giving, the verbs that may put the one a task or
// reminder is for right after them ("set the bid manager a reminder", "create her a
// task"); `recipients::find` reads a phrase after those only when it comes before "a ...".
const ASSIGNEE_CUES: &[&str] = &[
    "for", "to", "assign", "assigned", "assignee", "by", "give", "remind", "nudge", "chase", "set",
    "create", "make", "put", "add",
];
const CALL_CUES: &[&str] = &["with", "call", "phone", "ring"];

// "assigned to", "assign it to": who a record or a call is given to.
static ASSIGNED_TO: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(?:assigned|assign\s+it|allocated)\s+to\b").expect("valid regex"));

const RESPONSIBLE_CUES: &[&str] = &[
    "to",
    // "assign on Marta", as some write it.
    "on",
    "assign",
    "reassign",
    "make",
    "transfer",
    "hand",
    "give",
    "pass",
    "responsible",
];

// "and ask for feedback", "asking them to leave a review": the purpose of the message
// before it, not another action.
static FEEDBACK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^(?:and\s+|also\s+|to\s+)?(?:ask|asking|request|requesting|invite|inviting|get|collect|gather)\s+(?:(?:them|him|her|the\s+(?:client|customer|contact|lead))\s+)?(?:for\s+|to\s+(?:give|leave|share|write|rate|send)\s+(?:us\s+)?)?(?:(?:some|their|a|an|your|his|her|quick|short|honest)\s+)*(?:[\w-]+\s+)?(?:feedback|review|reviews|rating|opinion|testimonial|survey)\b",
    )
    .expect("valid regex")
});

/// Whether a clause is a feedback request ("ask for feedback").
pub(super) fn is_feedback(lower: &str) -> bool {
    FEEDBACK.is_match(lower)
}

/// Makes a client message before a feedback request ask for feedback: its subject and
/// text, unless the author wrote them. Returns false when `d` is not a client message.
pub(super) fn ask_feedback(d: &mut Draft) -> bool {
    if !is_client_channel(d.kind) || !matches!(d.who, None | Some(Who::Client)) {
        return false;
    }
    let ask = "Thank you for your time with us. Could you tell us how we did? Your feedback helps us improve.";
    if d.kind == "send_email" {
        if !d.has("subject") {
            d.set("subject", "How did we do?");
        }
        if !d.has("body") {
            d.set("body", ask);
        }
    } else if !d.has("message") {
        d.set("message", ask);
    }
    true
}

/// Reads an instruction of a known kind into a draft.
pub(super) fn read(kind: Kind, clause: &Clause, ctx: &Ctx<'_>) -> Draft {
    let kind = match kind {
        Kind::Action(id) => id,
        Kind::Message => return read_message(clause, ctx),
        Kind::Deadline => return read_deadline(clause, ctx),
    };
    // "change its status to Needs attention" on a task workflow: the task's own status,
    // a field of it, not a pipeline's stage. "set the Status field on the deal" is the
    // deal's field of that name.
    let kind = if kind == "move_stage"
        && ctx.entity() == Some(Entity::Task)
        && clause.lower.contains("status")
        && !clause.lower.contains("stage")
    {
        if words::words_from(clause, 0)
            .any(|w| ["deal", "deal's"].contains(&w.text.to_ascii_lowercase().as_str()))
        {
            "update_deal"
        } else {
            "update_task"
        }
    } else {
        kind
    };
    let mut d = Draft::new(kind);
    match kind {
        "send_whatsapp"
        | "send_sms"
        | "send_email"
        | "send_notification"
        | "send_bitrix_message" => {
            d.who = recipients::find(clause, TO_CUES, is_client_channel(kind)).map(|(w, _)| w);
            unknown_to(&mut d, clause);
            if matches!(kind, "send_notification" | "send_bitrix_message") {
                channel_competes(&mut d, clause);
                // "in the sales chat": a group chat or channel, which no action posts to.
                if let Some(m) = GROUP_CHAT.find(&clause.lower)
                    && !["bitrix", "bitrix24", "b24", "internal", "private", "direct"]
                        .iter()
                        .any(|w| m.as_str().split_whitespace().any(|x| x == *w))
                {
                    d.questions.push(format!(
                        "b24flow could not place \"{}\": it sends messages and notifications to people, not into a group chat or channel. Name the people, or a team.",
                        clause.orig_at(m.range()).trim()
                    ));
                }
            }
            if kind == "send_email" {
                read_email(&mut d, clause, ctx);
                // The sender is the project's (`[channels] email_from`), for every e-mail.
                if let Some(m) = FROM_SENDER.find(&clause.lower) {
                    d.questions.push(format!(
                        "b24flow could not place \"{}\": every e-mail goes from the address in b24flow.toml ([channels] email_from), or the responsible person's mailbox. Set it there, and leave it out here.",
                        clause.orig_at(m.range()).trim()
                    ));
                }
            } else if let Some(m) = message(clause, ctx, &[]) {
                d.set("message", m);
            }
            // "with the invoice attached": no message action carries a file, and sending
            // without it would not be what the author asked for.
            // "email the client in Spanish": a default text is English; only the author
            // can write it in another language.
            if let Some(m) = LANGUAGE.find(&clause.lower)
                && !d.has_text_of_its_own()
            {
                d.questions.push(format!(
                    "b24flow could not place \"{}\": the text it writes by default is in English. Quote the message in the language you want.",
                    clause.orig_at(m.range()).trim()
                ));
            }
            // "WhatsApp clients in Texas": the clients picked by where they are; asked,
            // never dropped (the message would go to every client).
            if let Some(c) = CLIENTS_AT.captures(&clause.orig)
                && let Some(place) = c.name("place")
                && ![
                    "whatsapp", "bitrix", "bitrix24", "telegram", "viber", "chat", "crm", "english",
                ]
                .contains(&place.as_str().to_ascii_lowercase().as_str())
            {
                d.questions.push(format!(
                    "b24flow could not place \"{}\": it cannot pick clients by where they are. Write a condition on a field (\"and the State field is 'Texas'\"), or leave it out.",
                    c[0].trim()
                ));
            }
            if let Some(m) = ATTACHED.find(&clause.lower) {
                d.questions.push(format!(
                    "b24flow could not place \"{}\": its messages carry text only, not files. Put a link in the text, or leave the attachment out.",
                    clause.orig_at(m.range()).trim()
                ));
            }
        }
        "create_task" => {
            // "task Tom to call them": "task" as the verb, then whose task it is, then
            // what to do; the "to" is the task's purpose, not whom it goes to.
            d.who = on_list(clause)
                .or_else(|| {
                    TASK_SOMEONE_TO
                        .captures(&clause.lower)
                        .is_some_and(|c| !NOT_WHOSE_TASK.contains(&&c["first"]))
                        .then(|| named_after_the_thing(clause))
                        .flatten()
                })
                .or_else(|| recipients::find(clause, ASSIGNEE_CUES, false).map(|(w, _)| w))
                .or_else(|| named_after_the_thing(clause));
            read_task(&mut d, clause, ctx);
            unknown_for(&mut d, clause, true);
            if !d.has("deadline")
                && let Some(q) = unitless_time(clause)
            {
                d.questions.push(q);
            }
            // "with a checklist", "with subtasks": a task here has a title, an assignee, a
            // deadline, a priority and a description, nothing more.
            if let Some(m) = CHECKLIST.find(&clause.lower) {
                d.questions.push(format!(
                    "b24flow could not place \"{}\": a task gets a title, an assignee, a deadline, a priority and a description. Put the items in the description (\"with the description 'Check A, B'\"), or leave them out.",
                    clause.orig_at(m.range()).trim()
                ));
            }
        }
        "set_reminder" => {
            d.who = on_list(clause)
                .or_else(|| recipients::find(clause, ASSIGNEE_CUES, false).map(|(w, _)| w));
            if let Some(t) = title(clause, ctx, true, true) {
                d.set("title", t);
            }
            if let Some(when) = when(&clause.lower) {
                d.set("datetime", when);
            } else if let Some(q) = unitless_time(clause) {
                d.questions.push(q);
            }
            unknown_for(&mut d, clause, false);
        }
        "schedule_call" => {
            if let Some((who, _)) = recipients::find(clause, CALL_CUES, true) {
                d.who = Some(who);
            }
            // "a call with the client in 1 day assigned to Priya": "to" after "assigned"
            // names who makes it, where "to" alone names who is called.
            let maker =
                recipients::find(clause, &["for", "by", "from", "assign", "assigned"], false)
                    .or_else(|| {
                        let at = ASSIGNED_TO.find(&clause.lower)?.start();
                        recipients::find(&clause.tail(at), &["to"], false)
                    });
            // "a call to the client for julia": a word b24flow cannot place where the one
            // who makes the call goes is asked about.
            // "book a call with them for the morning shift coordinator": a role b24flow
            // cannot name makes it, asked about as a task's would be; "for the first
            // service check" says what the call is for.
            if maker.is_none() {
                let with = d.who.take();
                let role_for = FOR_THE
                    .find(&clause.lower)
                    .is_some_and(|m| role_follows(&clause.lower[m.end()..], 3));
                unknown_for(&mut d, clause, role_for);
                d.who = with;
            }
            if let Some((who, _)) = maker
                && who != Who::Client
            {
                // "for the client" says who the call is with, not who makes it.
                match who {
                    Who::Vague(w) if ["him", "her", "them"].contains(&w.as_str()) => {
                        d.assignee_pronoun = Some(w);
                    }
                    who => set_assignee(&mut d, Some(who), "call", ctx),
                }
            }
            // "a call to them for tomorrow with Derek": the call goes to the client named
            // after "to"; the colleague it is "with" makes it.
            if !d.has("assignee")
                && let Some(Who::Named(name)) = d.who.clone()
                && let Some((Who::Client, _)) = recipients::find(clause, &["to"], true)
            {
                d.who = Some(Who::Client);
                set_assignee(&mut d, Some(Who::Named(name)), "call", ctx);
            }
            // "a call with the customer for tomorrow with Conor": the client is called,
            // and the colleague the call is also "with" makes it.
            if !d.has("assignee")
                && matches!(d.who, Some(Who::Client))
                && let Some((who @ Who::Named(_), _)) =
                    recipients::find_where(clause, &["with"], false, |w| matches!(w, Who::Named(_)))
            {
                set_assignee(&mut d, Some(who), "call", ctx);
            }
            // "book her a call with the new member", "have Anna call the client": the one a
            // call is booked for, or had to make it, makes it.
            if let Some(c) = BOOK_FOR
                .captures(&clause.lower)
                .or_else(|| CAUSATIVE.captures(&clause.lower))
                && let Some(m) = c.name("who")
            {
                let ws: Vec<&str> = clause.orig_at(m.range()).split_whitespace().collect();
                match recipients::classify(&ws, false) {
                    Some(Who::Vague(w)) if ["him", "her", "them"].contains(&w.as_str()) => {
                        d.assignee_pronoun = Some(w);
                    }
                    Some(Who::Client) => {}
                    // "have darlene call the customer": words that name no one are
                    // asked about; the call given to the owner would go to the wrong
                    // person.
                    None => d.questions.push(format!(
                        "Who should make the call? Is \"{}\" a person's name? Write it as it is spelt (\"have Ana call them\"), or name the responsible manager, a team or a person.",
                        clause.orig_at(m.range()),
                    )),
                    who => {
                        d.fields.remove("assignee");
                        set_assignee(&mut d, who, "call", ctx);
                    }
                }
            }
            if let Some(when) = when(&clause.lower) {
                d.set("datetime", when);
            } else if let Some(q) = unitless_time(clause) {
                d.questions.push(q);
            }
        }
        "create_deal" | "create_contact" | "create_company" | "create_invoice" | "create_quote" => {
            if let Some(t) = quoted_or_named(clause, ctx) {
                d.set("title", t);
            }
            if matches!(kind, "create_deal" | "create_quote")
                && let Some((who, _)) = recipients::find(
                    clause,
                    // "create deal 'First shipment' responsible Ganbold".
                    &["for", "assign", "assigned", "to", "by", "owner", "owned", "responsible"],
                    false,
                )
                // "for the client" says whom it is for, not who owns it; a vague owner is
                // asked about.
                && match &who {
                    Who::Responsible | Who::Named(_) => true,
                    // "a quote for them": whom it is for, like the client.
                    Who::Vague(w) => !["them", "him", "her", "us", "me"]
                        .contains(&w.to_ascii_lowercase().as_str()),
                    _ => false,
                }
            {
                set_assignee(&mut d, Some(who), "deal", ctx);
            }
            // "send Dimitri a message and create a quote assigned to him": a pronoun
            // after an owner's cue names the owner, resolved to the person named before
            // or asked about; never dropped.
            if matches!(kind, "create_deal" | "create_quote")
                && !d.has("assignee")
                && let Some(c) = OWNER_PRONOUN.captures(&clause.lower)
                && let Some(m) = c.name("who").or_else(|| c.name("as"))
            {
                d.assignee_pronoun = Some(m.as_str().to_string());
            }
            // "with Marta as responsible": who owns the new record.
            if matches!(kind, "create_deal" | "create_quote")
                && !d.has("assignee")
                && d.assignee_pronoun.is_none()
                && let Some(c) = AS_OWNER.captures(&clause.lower)
                && let Some(m) = c.name("who").or_else(|| c.name("with"))
                && let Some(who) = recipients::classify(
                    &clause
                        .orig_at(m.range())
                        .split_whitespace()
                        .collect::<Vec<_>>(),
                    false,
                )
                && matches!(who, Who::Responsible | Who::Named(_))
            {
                set_assignee(&mut d, Some(who), "deal", ctx);
            }
            // "draft a quote for helen to finish off": a name b24flow cannot place.
            if matches!(kind, "create_deal" | "create_quote")
                && !d.has("assignee")
                && d.assignee_pronoun.is_none()
            {
                unknown_for(&mut d, clause, false);
            }
            if kind == "create_deal"
                && (clause.lower.contains("stage") || STAGE_ID_AFTER_IN.is_match(&clause.orig))
                && let Some(stage) = new_deal_stage(clause, ctx.tokens)
            {
                // "a deal in the stage 'New order'": the quote names the stage, not the
                // deal.
                if d.fields
                    .get("title")
                    .is_some_and(|t| crate::nl::offline::triggers::stage_id(t) == stage)
                {
                    d.fields.remove("title");
                }
                // "on stage Tasting Booked for Tamar": "for Tamar" named the owner, read
                // above; it is no part of the stage's name.
                let owner_said = d
                    .fields
                    .get("assignee")
                    .map(|a| format!("_FOR_{}", crate::nl::offline::triggers::stage_id(a)));
                let stage = match owner_said.and_then(|o| stage.strip_suffix(&o)) {
                    Some(cut) if !cut.is_empty() => cut.to_owned(),
                    _ => stage,
                };
                d.set("stage", stage);
            }
            // "an invoice for the same amount": a new record gets a title (and a deal a
            // stage and owner), never an amount; one left at zero is not what was asked.
            if let Some(m) = AMOUNT_OF_NEW.find(&clause.lower) {
                d.questions.push(format!(
                    "b24flow could not place \"{}\": a new {} gets a title only, not an amount. Leave the amount out, or set it by hand.",
                    clause.orig_at(m.range()).trim(),
                    kind.trim_start_matches("create_")
                ));
            }
            // "create a deal in Qualification": a name after "in" may be the stage the new
            // deal starts in; read only with the word "stage", so asked without it.
            if kind == "create_deal"
                && !d.has("stage")
                && let Some(m) = IN_NAME.find(&clause.orig)
                && !IN_PIPELINE.is_match(&clause.lower)
            {
                d.questions.push(format!(
                    "Is \"{}\" the stage the new deal starts in? Write \"in the stage '...'\", or leave it out.",
                    m.as_str().trim()
                ));
            }
            // "in the Wholesale pipeline": a new deal's pipeline follows its stage; a
            // pipeline alone cannot be set, and a deal in the default one is not what was
            // asked.
            if let Some(m) = IN_PIPELINE.find(&clause.lower)
                && !d.has("stage")
            {
                d.questions.push(format!(
                    "b24flow could not place \"{}\": a new deal's pipeline is the one its stage belongs to. Name the stage it should start in (\"in the stage 'New order'\").",
                    clause.orig_at(m.range()).trim()
                ));
            }
        }
        "assign_responsible" => {
            // "make Ewa the owner": the one named between "make" and the role.
            let said_made = MAKE_OWNER
                .captures(&clause.lower)
                .and_then(|c| c.name("who"))
                .map(|m| clause.orig_at(m.range()))
                // "make sure the owner knows", "make it so the owner ...": no one is made
                // the owner.
                .filter(|said| {
                    !said.split_whitespace().any(|w| {
                        ["sure", "certain", "it", "so", "that", "this", "things"]
                            .contains(&w.to_ascii_lowercase().as_str())
                    })
                });
            let made = said_made.and_then(|said| {
                let ws: Vec<&str> = said.split_whitespace().collect();
                recipients::classify(&ws, false).filter(|w| *w != Who::Client)
            });
            // "make olivia the owner": words there that name no one are asked about; the
            // role after them is not who is meant.
            if let Some(said) = said_made
                && made.is_none()
            {
                d.questions.push(format!(
                    "Who is \"{said}\"? Write a person's name as it is spelt (\"make Olivia the owner\"), or a role."
                ));
                return d;
            }
            // "put Carmen as responsible", "responsible is Emre": the one named beside
            // the role.
            let beside = || {
                let c = AS_OWNER
                    .captures(&clause.lower)
                    .or_else(|| RESPONSIBLE_IS.captures(&clause.lower))?;
                let m = c.name("who").or_else(|| c.name("with"))?;
                let ws: Vec<&str> = clause
                    .orig_at(m.range())
                    .split_whitespace()
                    .skip_while(|w| {
                        ["put", "set", "make"].contains(&w.to_ascii_lowercase().as_str())
                    })
                    .collect();
                recipients::classify(&ws, false).filter(|w| *w != Who::Client)
            };
            let who = made.or_else(beside).or_else(|| {
                recipients::find_where(clause, RESPONSIBLE_CUES, false, |w| *w != Who::Client)
                    .map(|(w, _)| w)
            });
            d.who.clone_from(&who);
            match who {
                None => d.questions.push(format!(
                    "Who should become responsible for the {}? For example \"assign it to Anna\" or \"to the sales manager\".",
                    ctx.entity_label()
                )),
                // "notify Kofi and assign the contact to him": the person named before,
                // or asked about when there is none.
                Some(Who::Vague(w)) if ["him", "her"].contains(&w.as_str()) => {
                    d.assignee_pronoun = Some(w);
                }
                some => set_assignee(&mut d, some, "record", ctx),
            }
        }
        "move_stage" => {
            // "move it to X", or telegraphic "stage 'X'".
            let read = |m: regex::Match<'_>| match stage_after(clause, m.end(), ctx.tokens) {
                (Some(s), end) => Some((s, m.end(), end)),
                _ => None,
            };
            let stage = STAGE_TO
                .find(&clause.lower)
                .and_then(read)
                .or_else(|| STAGE_NOUN.find(&clause.lower).and_then(read))
                .or_else(|| STAGE_IN.find(&clause.lower).and_then(read));
            match stage {
                Some((s, from, end)) => {
                    if let Some(q) = cut_stage_name(clause, from, end) {
                        d.questions.push(q);
                    }
                    // "When a deal is won, move it to stage 'Lost'": the order undoes
                    // the event that starts it. Asked, not carried out.
                    // "LOST" written as an id is the lost stage too.
                    let undone = match ctx.trigger.map(|t| t.id) {
                        Some("deal_won") => matches!(s.as_str(), "LOSE" | "LOST"),
                        Some("deal_lost") => s == "WON",
                        _ => false,
                    };
                    if undone {
                        d.questions.push(format!(
                            "\"{}\" moves the deal to {} when it is {}: the order undoes its own event. Which did you mean?",
                            clause.orig.trim(),
                            s,
                            if s == "WON" { "lost" } else { "won" },
                        ));
                    }
                    d.set("stage", s);
                }
                None => d.questions.push(format!(
                    "Which stage should the {} move to? For example \"move it to the Negotiation stage\".",
                    ctx.entity_label()
                )),
            }
        }
        "update_field" | "update_deal" | "update_task" => {
            // On a task workflow the record is the task: "set priority to high".
            if d.kind == "update_field" && ctx.entity() == Some(Entity::Task) {
                d.kind = "update_task";
            }
            read_update(&mut d, clause, ctx);
            // A task's own names for a CRM record's fields, as tasks.task.update takes
            // them (see the runner's update_task).
            if d.kind == "update_task"
                && let Some(f) = d.fields.get_mut("field")
            {
                match f.as_str() {
                    "STATUS_ID" => *f = "STATUS".into(),
                    "ASSIGNED_BY_ID" => *f = "RESPONSIBLE_ID".into(),
                    _ => {}
                }
            }
            // A deal has no status (a lead's STATUS_ID is its stage; a deal's is
            // STAGE_ID): "the Status field on the deal" is a field of that name.
            if (d.kind == "update_deal"
                || (d.kind == "update_field" && ctx.entity() == Some(Entity::Deal)))
                && let Some(f) = d.fields.get_mut("field")
                && f == "STATUS_ID"
            {
                *f = "STATUS".into();
            }
        }
        "add_comment" => {
            if let Some(m) = message(clause, ctx, &[]) {
                d.set("message", m);
            }
            // "leave a note for the manager", "drop a note to Anna": a note addressed to
            // someone may be a comment on the record or a message to them.
            if let Some((who, _)) = recipients::find(clause, &["to", "for"], false)
                && !matches!(who, Who::Vague(_))
            {
                d.questions.push(format!(
                    "Is \"{}\" a comment on the {}'s timeline, or a message to the person it names? For a comment write \"add a comment 'text'\"; for a message, \"notify ...\" or \"send a chat message to ...\".",
                    clause.orig,
                    ctx.entity_label()
                ));
            }
        }
        "add_tag" | "remove_tag" => match tag(clause, ctx) {
            Some(t) => d.set("tag", t),
            None => d.questions.push(format!(
                "Which tag should be {}? For example \"{} the tag 'VIP'\".",
                if kind == "add_tag" {
                    "added"
                } else {
                    "removed"
                },
                if kind == "add_tag" { "add" } else { "remove" },
            )),
        },
        "webhook" => read_webhook(&mut d, clause, ctx),
        _ => {}
    }
    d
}

fn is_client_channel(kind: &str) -> bool {
    matches!(kind, "send_whatsapp" | "send_sms" | "send_email")
}

// "in the sales channel", "to the #ops group chat": where a chat message is posted.
static IN_CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:in|on|into|to)\s+(?:the\s+|our\s+)?(?:#?[\w-]+\s+)?(?:channel|group\s+chat|chat\s+room|group)\b")
        .expect("valid regex")
});

/// "congratulate the team in the sales channel": a recipient and a channel to post in
/// are two places the message could go; the author is asked which.
fn channel_competes(d: &mut Draft, clause: &Clause) {
    if let (Some(m), Some(who)) = (IN_CHANNEL.find(&clause.lower), &d.who)
        && !matches!(who, Who::Named(n) if m.as_str().contains(&n.to_ascii_lowercase()))
    {
        d.questions.push(format!(
            "Where should \"{}\" go: to the recipient it names, or \"{}\"? Name one recipient (a person, a team or a channel).",
            clause.orig,
            clause.orig_at(m.range()).trim()
        ));
    }
}

/// "Send a message to X": chat for employees; for the client the channel is asked.
fn read_message(clause: &Clause, ctx: &Ctx<'_>) -> Draft {
    let who = recipients::find(clause, TO_CUES, true).map(|(w, _)| w);
    let mut d = Draft::new("send_bitrix_message");
    d.flavour = Some("message");
    if let Some(m) = message(clause, ctx, &[]) {
        d.set("message", m);
    }
    if who == Some(Who::Client) {
        d.questions.push(
            "Which channel should the message to the client use: WhatsApp, SMS or e-mail? For example \"send a WhatsApp message to the client\".".into(),
        );
    }
    d.who = who;
    channel_competes(&mut d, clause);
    d
}

// A new deadline written as an offset from now: "to +2d", "out to +3h".
static OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:in)?to\s+(?P<offset>\+\d{1,4}[hdw])(?:\s|$)").expect("valid regex")
});
// "by two days", "by a week": a shift from the current deadline, which the catalog's
// relative times (counted from when the workflow runs) cannot say.
static TO_WORD: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(?:in)?to\s+").expect("valid regex"));
// "push the deadline back by 2 days", "postpone it for a week", "extend the deadline
// by 3 days", "push the deadline out 2 days": a shift from the current deadline.
static SHIFT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:move|shift|push|postpone|delay|extend|defer|bring)\b.*?\b(?:deadline|due\s+date)\b(?:\s+(?:back|out|on|later|(?P<forward>forward|earlier)))?\s+(?:by\s+|for\s+)?(?:another\s+|an\s+extra\s+|a\s+further\s+)?(?P<n>\d+|a|an|one|two|three|four|five|six|seven|ten|fourteen)\s+(?:more\s+|extra\s+)?(?:(?:business|working|calendar)\s+)?(?P<unit>hours?|days?|weeks?)\b")
        .expect("valid regex")
});
// Verbs that shift a date from where it is rather than set it.
static SHIFTS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:move|shift|push|postpone|delay|extend|defer|reschedule|bring)\b")
        .expect("valid regex")
});
static SHIFT_BY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bby\s+(?:\+?\d+|a|an|one|two|three|four|five|six|seven|ten)\b").expect("valid regex")
});

/// "Move its deadline to +2d": on a task workflow, the task's `DEADLINE` set to a time
/// counted from now. A deadline of anything else (the catalog has no action for it), a
/// shift "by" some days, or a time b24flow cannot read is asked about.
fn read_deadline(clause: &Clause, ctx: &Ctx<'_>) -> Draft {
    let mut d = Draft::new("update_task");
    if ctx.trigger.is_some() && ctx.entity() != Some(Entity::Task) {
        d.questions.push(format!(
            "Whose deadline should \"{}\" move? b24flow can change a task's deadline only in a workflow started by a task event; a {} has no deadline it can move.",
            clause.orig,
            ctx.entity_label()
        ));
        return d;
    }
    let value = if let Some(c) = SHIFT.captures(&clause.lower) {
        // "push the deadline back by 2 days": from the deadline the task has. Only a
        // shift later is read; "bring it forward" is asked.
        let by = when(&format!("in {} {}", &c["n"], &c["unit"]));
        by.filter(|_| c.name("forward").is_none())
            .map(|v| format!("deadline{v}"))
    } else if SHIFT_BY.is_match(&clause.lower) {
        None
    } else if let Some(c) = OFFSET.captures(&clause.lower) {
        let raw = &c["offset"];
        // "+1w" is a week: the catalog's offsets count hours and days.
        match raw
            .strip_suffix('w')
            .and_then(|n| n[1..].parse::<u32>().ok())
        {
            Some(weeks) => weeks.checked_mul(7).map(|n| format!("+{n}d")),
            None => Some(raw.to_owned()),
        }
    } else {
        // "to tomorrow", "to 3 days from now": a time after "to" is the new deadline;
        // "for 3 days" after "postpone" would be a shift, so it is not read.
        TO_WORD
            .find(&clause.lower)
            .and_then(|m| when(&clause.lower[m.end()..]))
            // "get a deadline 3 days out", "set the deadline 2 days from now": a time
            // right after the word is the deadline too, unless a verb shifts it and the
            // time is not counted "from now".
            .or_else(|| {
                let at = clause.lower.find("deadline")?;
                (!SHIFTS.is_match(&clause.lower) || clause.lower.contains("from now"))
                    .then(|| when(&clause.lower[at..]))
                    .flatten()
            })
    };
    match value {
        Some(v) => {
            d.set("field", "DEADLINE");
            d.set("value", v);
        }
        None => d.questions.push(format!(
            "When should the new deadline be in \"{}\"? Give it counted from when the workflow runs, e.g. \"move the deadline to +2d\" or \"to tomorrow\".",
            clause.orig
        )),
    }
    d
}

// "with Marta as responsible", "Marta as the owner", "with Despina responsible for the
// quote": who owns a new record.
static AS_OWNER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:with\s+)?(?P<who>[\w'.-]+(?:\s+[\w'.-]+)?)\s+as\s+(?:the\s+)?(?:responsible(?:\s+person)?|owner|assignee)\b|\bwith\s+(?P<with>[\w'.-]+)\s+(?:responsible|in\s+charge)\b")
        .expect("valid regex")
});

// "assigned to him", "owned by her", "with them as owner": a pronoun in the owner's place.
static OWNER_PRONOUN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?:assign(?:ed)?|give[ns]?|hand(?:ed)?)(?:\s+it)?\s+to|owned\s+by)\s+(?P<who>him|her|them)\b|\bwith\s+(?P<as>him|her|them)\s+as\s+(?:the\s+)?(?:responsible|owner|assignee)\b")
        .expect("valid regex")
});

// "responsible is Emre", "the owner will be Ana": who the role is given to.
static RESPONSIBLE_IS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:responsible(?:\s+person)?|owner|assignee)\s+(?:is|will\s+be|should\s+be|becomes|=|:)\s+(?P<who>[\w'.-]+(?:\s+[\w'.-]+)?)")
        .expect("valid regex")
});

static STAGE_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:in)?to\b|\bas\b|\bon(?:\s+the)?\s+stage\b").expect("valid regex")
});
// "move the deal in stage Meeting Planned", as French "passer en étape" says it: read
// only where no "to" names the stage ("move deals in stage A to B" goes to B).
static STAGE_IN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\bin\s+(?:the\s+)?stage\b").expect("valid regex"));
static STAGE_NOUN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:the\s+)?(?:stage|status)\s*(?::|=)?\s*").expect("valid regex"));
/// The stage a new deal starts in: "in the Survey stage", "in stage 'New order'". Of the
/// places a name follows "in", "at", "into" or "to", the one the word "stage" stands
/// beside: in "a deal assigned to Ben in the Survey stage", Ben is no stage.
fn new_deal_stage(clause: &Clause, tokens: &[Token]) -> Option<String> {
    let beside_stage = |at: usize, end: usize| {
        let before = clause.lower[..at].trim_end();
        let after = clause.lower.get(end..).unwrap_or_default().trim_start();
        ["stage", "status", "column", "phase"]
            .iter()
            .any(|w| before.ends_with(w) || after.starts_with(w))
            || clause.lower[at..end].contains("stage")
            // "in PROSPECTING": a stage's id, written as the portal writes it.
            || {
                let written = clause.orig_at(at..end).trim();
                written.len() > 2
                    && written
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
            }
    };
    // "assigned to Ger at stage Survey": a name read up to a preposition ("Ger at") is
    // a person before the stage's own cue, not the stage.
    // Written in capitals ("the Booked In stage"), the small word is the name's.
    let ends_in_cue = |at: usize, end: usize| {
        let mut ws: Vec<&str> = clause.orig_at(at..end).split_whitespace().collect();
        if ws.last().is_some_and(|w| {
            ["stage", "status", "column", "phase"].contains(&w.to_ascii_lowercase().as_str())
        }) {
            ws.pop();
        }
        ws.last()
            .is_some_and(|w| ["at", "in", "on", "into", "to", "the"].contains(w))
    };
    STAGE_CUE
        .find_iter(&clause.lower)
        .find_map(|m| match stage_after(clause, m.end(), tokens) {
            (Some(stage), end) if beside_stage(m.end(), end) && !ends_in_cue(m.end(), end) => {
                Some(stage)
            }
            _ => None,
        })
}

// "in PROSPECTING": a stage's id after "in", as the portal writes it.
static STAGE_ID_AFTER_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bin\s+[A-Z][A-Z0-9_]{2,}\b").expect("valid regex"));

// "in the stage ...", "at Survey", or "stage New" with no word before it ("create deal
// 'First order' responsible Giorgos stage New").
static STAGE_CUE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?:in|at|into|to|on)\s+(?:the\s+)?|stage\s+)").expect("valid regex")
});

static BOOK_FOR: LazyLock<Regex> = LazyLock::new(|| {
    // Only with the one called after it: "book her a call with the client" (she calls);
    // "give them a call" calls them.
    pattern(r"\b(?:book|schedule|arrange|set\s+up)\s+(?P<who>(?:the\s+)?[\w'-]+(?:\s+[\w'-]+)?)\s+(?:a|an)\s+(?:[\w-]+\s+)?(?:phone\s+)?call\s+with\b")
        .expect("valid regex")
});

static CAUSATIVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:have|get|ask|tell|let)\s+(?P<who>(?:the\s+|our\s+|(?:mr|mrs|ms|dr)\.?\s+)?[\w'-]+(?:\s+[\w'-]+)??)\s+(?:to\s+)?(?:call|phone|ring|make\s+a\s+(?:phone\s+)?call)\b")
        .expect("valid regex")
});

// "put a task on Marta's list", "in the night team's queue": whose list it lands on.
static ON_LIST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:on|in|to|into|onto)\s+(?P<who>(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,2}?)(?:'s|\x{2019}s)\s+(?:to-?do\s+|task\s+|work\s+)?(?:list|queue|plate|desk|calendar|diary|inbox|board|agenda|backlog)\b")
        .expect("valid regex")
});

// "a task for the night shift": after "for the", a noun b24flow does not know may be
// who does the task or what it is about.
static FOR_THE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\bfor\s+(?:the|our)\s+(?P<noun>[a-z-]+)\b").expect("valid regex"));

// "a task for ana to verify the licence", "a task for ana 'Call back'", "a deal for marco
// in the stage Negotiation", "a quote for duc titled ...": one lowercase word after
// "for", then what is to be done, the task's title or the new deal's stage. A name written in
// lowercase, or a word b24flow does not know as anyone.
static FOR_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:\b(?P<for>for|(?:task|to-?do|reminder)\s+(?:to|on))|^(?:and\s+|then\s+|also\s+)?(?:please\s+|kindly\s+)?(?:remind|nudge|chase))\s+(?P<word>[a-z\x{e0}-\x{ff}][a-z\x{e0}-\x{ff}'-]+)(?:\s+(?:to\s+[a-z]|\x01|(?:in|within)\s+(?:\d|a\b|an\b|one|two|three|four|five|six|seven|ten)|tomorrow|today|tonight|(?:the\s+)?next|due|by\s+(?:tomorrow|monday|tuesday|wednesday|thursday|friday|the\s+end)|about|that|titled|named|called|for\s+[a-z]|(?:in|at|on|into)\s+(?:the\s+)?(?:stage|phase|column|pipeline)\b)|\s*[,.;!]|\s*$)").expect("valid regex")
});

// "give marek a task", "set ana a reminder": one word between the verb and what is given.
static GIVEN_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:give|set|assign|hand)\s+(?P<word>[a-z][a-z'-]+)\s+(?:a|an)\s+(?:[\w-]+\s+)?(?:task|reminder|to-?do)\b")
        .expect("valid regex")
});

// What a task may be for without naming who does it.
const TASK_TOPICS: &[&str] = &[
    "deal",
    "lead",
    "contact",
    "company",
    "invoice",
    "quote",
    "task",
    "record",
    "order",
    "contract",
    "renewal",
    "follow-up",
    "followup",
    "handover",
    "onboarding",
    "delivery",
    "payment",
    "meeting",
    "call",
    "review",
    "next",
    "same",
    "new",
    "client's",
    "customer's",
    "account",
    "project",
    "job",
    "booking",
    "visit",
    "demo",
    "proposal",
    "week",
    "day",
    "month",
    "weekend",
    "morning",
    "afternoon",
    "evening",
    "following",
];

/// Whether one of the first `n` words of `lower` names a role, within one phrase (a
/// comma or a full stop ends it): "morning | shift coordinator".
fn role_follows(lower: &str, n: usize) -> bool {
    for w in lower.split_whitespace().take(n) {
        let bare = w.trim_end_matches([',', '.', ';', ':']);
        if recipients::is_role_word(bare) {
            return true;
        }
        if bare.len() != w.len() {
            return false;
        }
    }
    false
}

/// Asks who does a task whose assignee is not named when "for the X" may name one.
/// With `the_too` false, only a bare word is asked about ("a reminder for mark").
fn unknown_for(d: &mut Draft, clause: &Clause, the_too: bool) {
    if d.who.is_some() {
        return;
    }
    if the_too
        && let Some(c) = FOR_THE.captures(&clause.lower)
        && let Some(n) = c.name("noun")
        // "for the morning shift coordinator": a topic's word before the name of a role
        // is part of that name, not when or what the task is about.
        && (!TASK_TOPICS.contains(&n.as_str()) || role_follows(&clause.lower[n.end()..], 2))
    {
        let named: String = slots::words_until(clause, n.start(), slots::TITLE_STOPS)
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        d.questions.push(format!(
            "Who should the {} be assigned to? Is \"the {named}\" a person or team (name them), or what it is about? For example \"for the sales manager\" or \"for Anna\".",
            noun(d.kind),
        ));
        return;
    }
    // "give marek a task", "set ana a reminder": the same, before what is given.
    if let Some(w) = GIVEN_WORD
        .captures(&clause.lower)
        .and_then(|c| c.name("word"))
        && recipients::unplaced(w.as_str())
    {
        d.questions.push(format!(
            "Who should the {} be assigned to? Is \"{}\" a person's name? Write it as it is spelt (\"give Ana a task\"), or name the responsible manager, a team or a person.",
            noun(d.kind),
            clause.orig_at(w.range()),
        ));
        return;
    }
    // "a task for ana to verify ...": the word is someone b24flow cannot name; given the
    // default assignee instead, the task would go to the wrong person.
    if let Some(c) = FOR_WORD.captures(&clause.lower)
        && let Some(w) = c.name("word")
        && !TASK_TOPICS.contains(&w.as_str())
        // "to ask for feedback", "wait for payment": after a verb, "for" takes a thing.
        && (c.name("for").is_none_or(|f| f.as_str() != "for")
            || clause.lower[..c.get(0).map_or(0, |m| m.start())]
            .split_whitespace()
            .last()
            .is_none_or(|before| {
                // "schedule a call for julia": the call is the noun here.
                (!words::has_action_verb(before) || d.kind == "schedule_call" && before == "call")
                    && ![
                        "ask", "asking", "wait", "waiting", "look", "looking", "pay", "paying",
                        "apply", "thank", "thanks", "account", "prepare", "arrange",
                    ]
                    .contains(&before)
            }))
        // After "for" a verb's form is a noun or a name ("a reminder for mark"); after
        // "remind" it may be the order run on.
        && (c.name("for").is_some_and(|f| f.as_str() == "for") || !words::has_action_verb(w.as_str()))
        // "a task to marek for check the papers": the one it is to, then what it is for;
        // "a task to chase, for Anna" says what the task is.
        && (c.name("for").is_none_or(|f| f.as_str() == "for")
            || clause.lower[w.end()..].trim_start().starts_with("for ")
            // "a task to inês to check ...": the one it is to, then what it is to do.
            || clause.lower[w.end()..].trim_start().starts_with("to "))
        && recipients::unplaced(w.as_str())
    {
        d.questions.push(format!(
            "Who should the {} be assigned to? Is \"{}\" a person's name? Write it as it is spelt (\"for Ana\"), or name the responsible manager, a team or a person.",
            noun(d.kind),
            clause.orig_at(w.range()),
        ));
        return;
    }
    // "a task for credit control to call the client": two plain words b24flow cannot
    // place may be a team (or what the task is for: "quality control"); given the
    // default assignee instead, the task could go to the wrong person. After "remind"
    // ("remind harriet cole"), they may be a person's name written in lower case.
    let Some(c) = FOR_TWO_WORDS.captures(&clause.lower) else {
        return;
    };
    let (Some(a), Some(b)) = (c.name("a"), c.name("b")) else {
        return;
    };
    if ![a.as_str(), b.as_str()]
        .iter()
        .all(|w| !TASK_TOPICS.contains(w) && !words::has_action_verb(w) && recipients::unplaced(w))
    {
        return;
    }
    if c.name("remind").is_some() {
        d.questions.push(format!(
            "Who should the {} be assigned to? Is \"{}\" a person's name? Write it as it is spelt (\"remind Ana Cole\"), or name the responsible manager, a team or a person.",
            noun(d.kind),
            clause.orig_at(a.start()..b.end()),
        ));
    } else if clause.lower[..a.start()]
        .trim_end()
        .strip_suffix("for")
        .is_some_and(|before| {
            before
                .split_whitespace()
                .last()
                .is_some_and(|w| matches!(w, "task" | "tasks" | "to-do" | "todo" | "reminder"))
        })
    {
        d.questions.push(format!(
            "Who should the {} be assigned to? Is \"{}\" a team (name its department in b24flow.toml) or what the {} is about? For example \"for the sales team\" or \"for Anna\".",
            noun(d.kind),
            clause.orig_at(a.start()..b.end()),
            noun(d.kind),
        ));
    }
}

// "a task for credit control to call them", "remind harriet cole in 2 days": two plain
// words where the one a task is for, or the one reminded, goes, followed by what it is
// to do, a quote, a time, or nothing.
static FOR_TWO_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:\bfor|^(?:and\s+|then\s+|also\s+)?(?P<remind>remind|nudge|chase))\s+(?P<a>[a-z][a-z'-]+)\s+(?P<b>[a-z][a-z'-]+)(?:\s+(?:to\s+[a-z]|\x01|(?:in|within)\s+(?:\d|a\b|an\b|one|two|three)|tomorrow|today|due)|\s*[,.;!]|\s*$)")
        .expect("valid regex")
});

// "email olivia", "text marek about it": a bare word right after a message's verb is whom
// it goes to.
static VERB_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|then\s+|also\s+)?(?:e-?mail|text|sms|whatsapp|message|msg|notify|ping|alert|tell|inform)\s+(?P<word>[a-z][a-z'-]+)(?:\s+(?:about|that|saying|to\s+[a-z]|in\s+(?:the\s+)?(?:chat|bitrix)|on\s+(?:bitrix|whatsapp|chat)|by\s+(?:e-?mail|sms|text|chat)|\x01)|\s*[,.;!]|\s*$)")
        .expect("valid regex")
});

/// Asks who a message is for when the word right after its verb may be a name b24flow
/// cannot place ("email olivia"); given the default recipient, it would reach the client.
fn unknown_to(d: &mut Draft, clause: &Clause) {
    if d.who.is_some() {
        return;
    }
    if let Some(c) = VERB_WORD.captures(&clause.lower)
        && let Some(w) = c.name("word")
        && !words::has_action_verb(w.as_str())
        && recipients::unplaced(w.as_str())
    {
        d.questions.push(format!(
            "Who should receive the {}? Is \"{}\" a person's name? Write it as it is spelt (\"Olivia\"), or name the client, the responsible manager or a team.",
            noun(d.kind),
            clause.orig_at(w.range()),
        ));
    }
}

/// Whose list, queue or calendar a task or reminder is put on, if the text says so.
fn on_list(clause: &Clause) -> Option<Who> {
    let c = ON_LIST.captures(&clause.lower)?;
    let m = c.name("who")?;
    let ws: Vec<&str> = clause.orig_at(m.range()).split_whitespace().collect();
    recipients::classify(&ws, false)
}

/// "task Jana 'Schedule print run' +2d": in a note, the name right after the thing is
/// whose it is.
/// So is a name after "on" ("create task on Olena 'Make placement test'"), as some write
/// whose task it is; a day or a month there is when, not who.
fn named_after_the_thing(clause: &Clause) -> Option<Who> {
    // "task head of broking 'Lost business review'": a head of a team, right after the
    // word, is whom the task is for.
    // "task service desk 'Get email'", "task presales 'Run a scan'", "task the owner on
    // the deal 'Chase PO'": "task" as the verb, then a team or a role, then what the task
    // says.
    if let Some(c) = THING_HEAD.captures(&clause.lower)
        && let Some(m) = c.name("head").or_else(|| c.name("team"))
    {
        let words: Vec<&str> = clause.orig_at(m.range()).split_whitespace().collect();
        // "task the AM on the deal": the account manager, the deal's own.
        if words == ["AM"] {
            return Some(Who::Responsible);
        }
        match recipients::classify(&words, false) {
            Some(who @ (Who::Named(_) | Who::Responsible)) => return Some(who),
            // A word b24flow cannot place where the one the task is for goes is asked
            // about, not passed over for the owner.
            None | Some(Who::Vague(_)) if c.name("team").is_some() => {
                return Some(Who::Vague(words.join(" ")));
            }
            _ => {}
        }
    }
    let c = THING_NAME.captures(&clause.orig)?;
    // "task Call the client": an order's verb is no name.
    let lower = c["name"].to_ascii_lowercase();
    if words::has_action_verb(&lower) || super::lexicon::CALENDAR.contains(&lower.as_str()) {
        return None;
    }
    match recipients::classify(&[&c["name"]], false)? {
        who @ Who::Named(_) => Some(who),
        _ => None,
    }
}

static THING_NAME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i:\b(?:task|reminder|to-?do))\s+(?:on\s+)?(?P<name>[A-Z][a-z]+)\b")
        .expect("valid regex")
});

static THING_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:\b(?:task|reminder|to-?do)\s+(?:the\s+|our\s+)?(?P<head>head\s+of\s+[a-z]+)\b|^(?:and\s+)?task\s+(?:on\s+)?(?:the\s+)?(?P<team>[a-z][a-z-]+(?:\s+[a-z][a-z-]+)?)(?:\s+on\s+(?:the|this|that)\s+(?:deal|lead|record|file|account))?(?:\s+\x01|\s+(?:to|for|with|about|re|regarding|on)\s|\s*$))")
        .expect("valid regex")
});

// "task Tom to call them", "task the area manager to review it": "task" as the verb,
// whose task it is, then "to" and what to do. A task whatever it is about (see
// `frames::KINDS`).
const TASK_SOMEONE: &str = r"^(?:and\s+|then\s+|also\s+|plus\s+)?task\s+(?:on\s+)?(?:the\s+|our\s+)?(?P<first>[\w-]+)(?:\s+[\w-]+){0,2}?\s+to\s+[a-z]";

static TASK_SOMEONE_TO: LazyLock<Regex> =
    LazyLock::new(|| pattern(TASK_SOMEONE).expect("valid regex"));

// Words after "task" that say what it is for or when, not whose it is: "task for Olek
// to ...", "task due in 2 days to ...".
const NOT_WHOSE_TASK: &[&str] = &[
    "for", "to", "with", "about", "due", "by", "in", "at", "from", "of", "is", "was", "and",
    "that", "which", "will", "should",
];

static MAKE_OWNER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bmake\s+(?P<who>[\w'-]+(?:\s+[\w'-]+){0,2}?)\s+(?:the\s+)?(?:new\s+)?(?:owner|assignee|responsible(?:\s+(?:person|manager|employee))?)\b")
        .expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nl::offline::text::prepare;

    fn kind_of(s: &str) -> Option<Kind> {
        let p = prepare(s);
        kind(&Clause::new(&p.text), &p.tokens)
    }

    #[test]
    fn kinds() {
        let a = |id| Some(Kind::Action(id));
        assert_eq!(
            kind_of("send a WhatsApp message to the client"),
            a("send_whatsapp")
        );
        assert_eq!(kind_of("create a review task"), a("create_task"));
        assert_eq!(kind_of("notify the sales team"), a("send_notification"));
        assert_eq!(
            kind_of("assign it to the sales manager"),
            a("assign_responsible")
        );
        assert_eq!(kind_of("move the deal to the Won stage"), a("move_stage"));
        assert_eq!(kind_of("set the source to 'Web'"), a("update_field"));
        assert_eq!(kind_of("add a comment 'hi'"), a("add_comment"));
        assert_eq!(kind_of("post the data to https://x.io/h"), a("webhook"));
        assert_eq!(kind_of("remove the tag cold"), a("remove_tag"));
        assert_eq!(kind_of("send a message to the client"), Some(Kind::Message));
        assert_eq!(kind_of("do something"), None);
        assert_eq!(kind_of("notify the manager by email"), a("send_email"));
        assert_eq!(kind_of("thank the client via SMS"), a("send_sms"));
        assert_eq!(
            kind_of("remind the manager by email to send the contract"),
            a("send_email")
        );
        assert_eq!(
            kind_of("send a message to Anna in the chat"),
            a("send_bitrix_message")
        );
    }

    #[test]
    fn relative_times() {
        assert_eq!(when("due tomorrow").as_deref(), Some("+1d"));
        assert_eq!(when("in 3 days").as_deref(), Some("+3d"));
        assert_eq!(when("within two weeks").as_deref(), Some("+14d"));
        assert_eq!(when("in 4 hours").as_deref(), Some("+4h"));
        assert_eq!(when("whenever"), None);
    }

    #[test]
    fn priorities() {
        assert_eq!(priority("an urgent task"), Some("high"));
        assert_eq!(priority("low priority"), Some("low"));
        assert_eq!(priority("a task"), None);
    }
}
