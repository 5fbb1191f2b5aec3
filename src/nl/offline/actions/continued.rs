//! Clauses that only add to the instruction before them: another recipient, a body or
//! subject, a deadline, a method, or "assign it to Anna" after a task. A purpose ("so
//! the list stays in sync") is detail of the action before, unless someone gets or learns
//! something in it; an employee channel alone ("via chat") says how the message before
//! goes.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::instructions::purpose;
use crate::nl::offline::text::{TOKEN, pattern};

use super::{
    Clause, Ctx, Draft, Kind, P, Who, catalog, is_client_channel, kind, message, noun, priority,
    read_email, read_task, recipients, set_assignee, slots, when, words,
};

/// Applies a clause that only adds to the previous instruction: another recipient
/// ("... and the sales team"), a body or subject, a deadline or priority, or "assign it
/// to Anna" after a task. Returns the extra draft for a new recipient.
pub(in crate::nl::offline) fn continue_previous(
    prev: &mut Draft,
    clause: &Clause,
    ctx: &Ctx<'_>,
) -> Continued {
    let lower = &clause.lower;
    // "... so the newsletter list stays in sync": why the action before is done, not
    // another action. A purpose that reaches someone ("so the client gets an SMS", "so
    // the manager knows") may be an action of its own and is left to be asked.
    if PURPOSE.is_match(lower) && !purpose::read(lower, &clause.orig).reaches {
        return Continued::Merged;
    }
    // "set the field Needs Review to Yes so the compliance officer sees it", "... so Anna
    // looks at it again": after an action that writes on the record, someone seeing what
    // it wrote is why it is written, not a message to them.
    // So it is after a webhook: "send it to <link> so the TPA sees it".
    if purpose::is_seen_through(prev.kind) && purpose::sees_it(lower) {
        return Continued::Merged;
    }
    // "create task for CEO 'Approve big quote', high": a level alone after a task is its
    // priority, not more of its title.
    if prev.kind == "create_task"
        && !prev.has("priority")
        && let Some(level) = ["high", "low", "normal", "urgent"]
            .into_iter()
            .find(|l| lower.trim().trim_end_matches(['.', '!']) == *l)
    {
        prev.set("priority", if level == "urgent" { "high" } else { level });
        return Continued::Merged;
    }
    // "create deal 'Corporate rate' for Grace, stage Inquiry": a stage alone after a new
    // deal is the stage it starts in, not a move of the record the workflow runs on.
    if prev.kind == "create_deal"
        && !prev.fields.contains_key("stage")
        && let Some(m) = BARE_STAGE.find(lower)
        && let Some(stage) = super::new_deal_stage(
            &Clause::new(&format!(
                "in the stage {}",
                clause.orig_at(m.end()..clause.orig.len())
            )),
            ctx.tokens,
        )
    {
        prev.set("stage", stage);
        return Continued::Merged;
    }
    // "update the deal, set Payment Status to Paid": the field and value said after an
    // update that named none are the update's own.
    if matches!(prev.kind, "update_deal" | "update_field" | "update_task")
        && !prev.fields.contains_key("field")
        && slots::UPDATE.is_match(lower)
    {
        prev.questions
            .retain(|q| !q.contains(" field should be set"));
        slots::read_update(prev, clause, ctx);
        return Continued::Merged;
    }
    // "tell the person who assigned it, via chat": a channel alone after a message to an
    // employee says how it goes. Only between the two employee channels; a client
    // channel changes who can be reached, which the verb before did not say.
    if matches!(prev.kind, "send_notification" | "send_bitrix_message")
        && let Some(c) = EMPLOYEE_CHANNEL_ONLY.captures(lower)
    {
        prev.kind = if c.name("chat").is_some() {
            "send_bitrix_message"
        } else {
            "send_notification"
        };
        return Continued::Merged;
    }
    // "create a task and assign it to Anna", "schedule a call with the client tomorrow,
    // assign it to the manager". "The deal" after a quote is the record, not the quote:
    // "draw up a quote and give the deal to Tomasz" reassigns the deal.
    if matches!(
        prev.kind,
        "create_task" | "set_reminder" | "create_deal" | "create_quote" | "schedule_call"
    ) && let Some(c) = ASSIGN_IT.captures(lower)
        && c.name("object").is_none_or(|o| {
            let o = o.as_str().trim_start_matches("the").trim();
            prev.kind.ends_with(o)
        })
        && let Some((who, _)) = recipients::find(clause, &["to"], false)
    {
        // A call's `who` is the one called; whom it is assigned to is its assignee.
        if prev.kind == "schedule_call" {
            reassign(prev, who, ctx);
            return Continued::Merged;
        }
        prev.who = Some(who.clone());
        prev.fields.remove("assignee");
        set_assignee(prev, Some(who), noun(prev.kind), ctx);
        // "create a deal for the site audit, give it to Kevin at stage New": the stage
        // said with whom it goes to is the new deal's.
        if prev.kind == "create_deal"
            && !prev.fields.contains_key("stage")
            && let Some(stage) = super::new_deal_stage(clause, ctx.tokens)
        {
            prev.set("stage", stage);
        }
        return Continued::Merged;
    }
    // "draft a quote, quote assigned to the owner": the thing just made, named again with
    // whom it is assigned to, is that thing's assignee, not a second one made.
    if let Some(c) = NOUN_ASSIGNED.captures(lower)
        && prev.kind.ends_with(&c["noun"])
        && catalog::action(prev.kind).is_some_and(|a| a.field("assignee").is_some())
        && let Some((who, _)) = recipients::find(clause, &["to"], false)
    {
        reassign(prev, who, ctx);
        return Continued::Merged;
    }
    // "prepare a quote and put the account manager on it": who is put on the thing just
    // created is its assignee.
    if matches!(
        prev.kind,
        "create_task" | "set_reminder" | "create_deal" | "create_quote" | "schedule_call"
    ) && let Some(c) = PUT_ON_IT.captures(lower)
        && let Some(m) = c.name("who")
    {
        let ws: Vec<&str> = clause.orig_at(m.range()).split_whitespace().collect();
        if let Some(who) = recipients::classify(&ws, false) {
            reassign(prev, who, ctx);
            return Continued::Merged;
        }
    }
    // "schedule a call with the claimant, made by the loss adjuster", "a deal, owned by
    // the production team": a participle naming who does it sets the assignee of an
    // action that has one.
    if catalog::action(prev.kind).is_some_and(|a| a.field("assignee").is_some())
        && prev.kind != "assign_responsible"
        && BY_WHOM.is_match(lower)
        && let Some((who, _)) = recipients::find(clause, &["by", "to"], false)
    {
        reassign(prev, who, ctx);
        return Continued::Merged;
    }
    // "schedule a call with the customer for tomorrow, Irina to do it": who is to do the
    // thing just created is its assignee.
    // Each reading in turn: "the owner to call" is no owner called "to call" but the
    // caller.
    if matches!(
        prev.kind,
        "create_task" | "set_reminder" | "schedule_call" | "create_deal" | "create_quote"
    ) && let Some(who) = [&*DOER, &*OWNER_IS, &*IS_OWNER, &*CALLER]
        .into_iter()
        .take(if prev.kind == "schedule_call" { 4 } else { 3 })
        .filter_map(|re| re.captures(lower)?.name("who"))
        .find_map(|m| {
            let ws: Vec<&str> = clause.orig_at(m.range()).split_whitespace().collect();
            recipients::classify(&ws, false)
        })
    {
        reassign(prev, who, ctx);
        return Continued::Merged;
    }
    // "schedule call to the client tomorrow, by Shahlo": a name alone after "by" is who
    // does the thing just made (a day or a time after "by" is its deadline).
    if matches!(prev.kind, "create_task" | "set_reminder" | "schedule_call")
        && let Some(c) = BY_NAME.captures(lower)
        && let Some(m) = c.name("who")
        && !crate::nl::offline::lexicon::CALENDAR.contains(&m.as_str())
        && let Some(who @ Who::Named(_)) = recipients::classify(&[clause.orig_at(m.range())], false)
    {
        reassign(prev, who, ctx);
        return Continued::Merged;
    }
    // "book a call to the customer for tomorrow, for the account manager": whom the thing
    // just made is for, said on its own after it, is its assignee. Only an employee: a
    // call or a task is never the client's to do.
    if matches!(
        prev.kind,
        "create_task" | "set_reminder" | "schedule_call" | "create_quote" | "create_deal"
    ) && let body = lower.trim_start_matches("and ")
        && body.starts_with("for ")
    {
        let start = lower.len() - body.len() + "for ".len();
        let ws: Vec<&str> = clause
            .orig_at(start..lower.len())
            .trim_end_matches(['.', '!'])
            .split_whitespace()
            .collect();
        if let Some(who @ (Who::Named(_) | Who::Responsible)) = recipients::classify(&ws, false) {
            reassign(prev, who, ctx);
            return Continued::Merged;
        }
    }
    // "remind the manager in two hours, to prep the samples": what a task, a reminder or
    // a call is for, set off by a comma, is its purpose, as it is without the comma.
    if matches!(prev.kind, "create_task" | "set_reminder" | "schedule_call")
        && let Some(rest) = lower.strip_prefix("to ")
        && let Some(first) = rest.split_whitespace().next()
        && first.chars().all(|c| c.is_ascii_lowercase())
        && ![
            "the", "a", "an", "our", "their", "his", "her", "its", "my", "them", "him", "me", "us",
        ]
        .contains(&first)
        && clause
            .orig
            .get(3..4)
            .is_some_and(|c| c.chars().all(|c| c.is_ascii_lowercase()))
        && !rest.contains('\x01')
        && recipients::find(clause, &["to", "for"], false).is_none()
    {
        return Continued::Merged;
    }
    // "create a task for Anna and another for Piotr": the same action again, for someone
    // else.
    if ANOTHER.is_match(lower)
        && let Some((who, _)) =
            recipients::find(clause, &["for", "to"], is_client_channel(prev.kind))
        && !matches!(who, Who::Vague(_))
    {
        let mut next = prev.clone();
        next.fields.remove("to");
        next.fields.remove("assignee");
        next.assignee_pronoun = None;
        next.who = Some(who);
        return Continued::Another(next);
    }
    // "set the field UF_X to today's date ({{CURRENT_DATE}})": a value restated on its
    // own, in brackets, is the value already read. Another value there is not merged, so
    // it stays a question.
    if let Some(v) = prev.fields.get("value") {
        let said = lower.trim().trim_end_matches(['.', '!']).trim();
        // Only a quote standing alone is the value again: "set the field Notes to 'Yes'"
        // after "set the field Paid to 'Yes'" is another field, however its value reads.
        let alone =
            said.starts_with('\x01') && said.ends_with('\x02') && said.matches('\x01').count() == 1;
        let said = alone
            .then(|| slots::text_token(said, ctx))
            .flatten()
            .unwrap_or_else(|| said.to_owned());
        if !said.is_empty() && said.eq_ignore_ascii_case(v) {
            return Continued::Merged;
        }
    }
    // "tell the person who assigned it, via chat": a channel alone, set off by a comma,
    // is how the message before it goes. It replaces only the channel-less notification
    // a bare "tell"/"notify" reads as; a different channel named after another is asked.
    if let Some(c) = CHANNEL_ONLY.captures(lower)
        && matches!(
            prev.kind,
            "send_whatsapp"
                | "send_sms"
                | "send_email"
                | "send_notification"
                | "send_bitrix_message"
        )
    {
        let id = channel_kind(&c["channel"]).unwrap_or("send_email");
        if prev.kind == "send_notification" {
            prev.kind = id;
        } else if prev.kind != id {
            prev.questions.push(format!(
                "How should the {} go: \"{}\" names another channel than the one before it. Name one.",
                noun(prev.kind),
                clause.orig.trim()
            ));
        }
        return Continued::Merged;
    }
    // "a task for Irina to call the client and understand the reason": after a task's
    // purpose, a verb no action has goes on with it. So does "ask" with no channel named
    // ("to ring them and ask why"): what the one who rings asks.
    if matches!(prev.kind, "create_task" | "set_reminder")
        && let Some(t) = prev.fields.get("title").cloned()
        && let Some(c) = MORE_TODO.captures(lower)
        && (!words::has_action_verb(&c["verb"])
            || &c["verb"] == "ask" && !super::frames::CHANNEL_NOUN.is_match(lower))
    {
        let more = clause.orig_at(c.name("rest").map_or(0..0, |m| m.range()));
        let mut more = more.trim().trim_end_matches(['.', '!']);
        // "... and find out why due in 2 days": a time at the end of the purpose is when
        // the task is due, as it is at the end of the task's own words.
        let due = if prev.kind == "create_task" {
            "deadline"
        } else {
            "datetime"
        };
        if let Some((at, time)) = slots::time_at_end(more)
            && at > 0
            && !prev.has(due)
        {
            prev.set(due, time);
            more = more[..at].trim_end();
        }
        prev.set("title", format!("{t} and {more}"));
        return Continued::Merged;
    }
    // "a task for the warehouse team to pick & pack": one more verb, alone, after a
    // task's purpose is part of it. Not a person, a time, a priority, or a word of the
    // event.
    if matches!(prev.kind, "create_task" | "set_reminder")
        && let Some(t) = prev.fields.get("title").cloned()
        && let Some(c) = ONE_MORE_VERB.captures(&clause.orig)
        && let word = &c["verb"]
        && !words::has_action_verb(word)
        && !super::super::lexicon::is_event_word(word)
        && !slots::PRIORITY.is_match(word)
        && when(word).is_none()
        && recipients::classify(&[word], false).is_none()
        && !FILLER_WORDS.contains(&word)
    {
        prev.set("title", format!("{t} and {word}"));
        return Continued::Merged;
    }
    // "a task to reserve the tank and collectors", "to order the cameras and sensors":
    // a few lowercase words naming a thing, alone after a task's purpose, are a second
    // thing the purpose is about. Not a priority, nor a word that is a person b24flow
    // knows, a time, a word of the event or a verb of an action.
    if matches!(prev.kind, "create_task" | "set_reminder")
        && let Some(t) = prev.fields.get("title").cloned()
        && t.split_whitespace().count() >= 2
        && let Some(c) = MORE_OBJECT.captures(&clause.orig)
        && let Some(np) = c.name("things")
        && !slots::PRIORITY.is_match(np.as_str())
        // "the export documents": after an article, a verb's word is a noun's.
        && np.as_str().split_whitespace().all(|w| {
            (!words::has_action_verb(w) || c.name("det").is_some())
                && !super::super::lexicon::is_event_word(w)
                && when(w).is_none()
                && !recipients::listed_person_word(w)
                && !FILLER_WORDS.contains(&w)
        })
    {
        prev.set("title", format!("{t} and {}", c["all"].trim()));
        return Continued::Merged;
    }
    // "set a reminder for Anna, titled 'Call back'": a title alone names what the action
    // before creates.
    if let Some(c) = TITLED.captures(lower)
        && !prev.has("title")
        && catalog::action(prev.kind).is_some_and(|a| a.field("title").is_some())
        && let Some(t) = slots::text_token(&c[1], ctx)
    {
        prev.set("title", t);
        return Continued::Merged;
    }
    // "post it to our system via webhook, POST https://...": the address, alone after a
    // webhook that has none, is the one it calls.
    if prev.kind == "webhook"
        && !prev.has("url")
        && let Some(c) = URL_ONLY.captures(lower)
        && let Some(url) = c["i"]
            .parse::<usize>()
            .ok()
            .and_then(|i| ctx.token(i))
            .filter(|t| t.kind == crate::nl::offline::text::TokenKind::Url)
    {
        prev.set("url", url.text.clone());
        prev.questions
            .retain(|q| !q.starts_with("Which URL should the webhook call?"));
        if let Some(m) = c.name("method") {
            prev.set("method", m.as_str().to_ascii_uppercase());
        }
        return Continued::Merged;
    }
    // "sync it to https://... (GET)": a method alone belongs to the webhook before it.
    if prev.kind == "webhook"
        && let Some(c) = METHOD_ONLY.captures(lower)
    {
        prev.set("method", c[1].to_ascii_uppercase());
        return Continued::Merged;
    }
    // "... and the person who created it": the author or the assignee of a message,
    // named by a relative clause rather than a noun (its verb is no order).
    if matches!(
        prev.kind,
        "send_whatsapp" | "send_sms" | "send_email" | "send_notification" | "send_bitrix_message"
    ) {
        let rest = lower.trim_start_matches("and ").trim_start_matches("to ");
        let relative = if let Some(end) = recipients::author_end(rest) {
            Some((Who::Author, end))
        } else {
            recipients::assigned_end(rest).map(|end| (Who::Responsible, end))
        };
        // "... a notification and the person who created it a Bitrix message": what
        // follows the relative clause is its object and, at most, the channel this one
        // goes by. Anything else there is no recipient's, and is left to be asked.
        if let Some((who, end)) = relative
            && let Some(after) = after_relative(&rest[end..])
        {
            // "to whoever created it, the author": the one just named, named again, is no
            // second recipient.
            if prev.who.as_ref() == Some(&who) && matches!(after, AfterRelative::Nothing) {
                return Continued::Merged;
            }
            let mut next = prev.clone();
            next.fields.remove("to");
            next.who = Some(who);
            if let AfterRelative::Channel(kind) = after
                && kind != prev.kind
            {
                next.kind = kind;
                for text in ["message", "body", "subject"] {
                    next.fields.remove(text);
                }
            }
            return Continued::Another(next);
        }
    }
    // "notify the head of sales. Bell notification: 'New client added'": a channel's
    // name and a quote, with no one named, is the text of the message just ordered on
    // that channel. Between the two employee channels it also says which one.
    // "text the client. Something like 'Friendly reminder ...'": the text the author
    // has in mind for the message just ordered.
    if LIKE_TEXT.is_match(lower)
        && prev.kind.starts_with("send_")
        && !prev.has_text_of_its_own()
        && let Some(q) = slots::quote_texts(clause, ctx).first()
    {
        let field = if prev.kind == "send_email" {
            "body"
        } else {
            "message"
        };
        prev.set(field, q.2.text.clone());
        return Continued::Merged;
    }
    if let Some(c) = CHANNEL_TEXT.captures(lower)
        && !prev.has_text_of_its_own()
        && let Some(kind) = channel_kind(&c["channel"]).or_else(|| {
            c["channel"]
                .ends_with("notification")
                .then_some("send_notification")
        })
        && (kind == prev.kind
            || [kind, prev.kind]
                .iter()
                .all(|k| matches!(*k, "send_notification" | "send_bitrix_message")))
        && let Some(q) = slots::quote_texts(clause, ctx).first()
    {
        prev.kind = kind;
        let field = if kind == "send_email" {
            "body"
        } else {
            "message"
        };
        prev.set(field, q.2.text.clone());
        return Continued::Merged;
    }
    if words::has_action_verb(lower) && !FIELD_LEAD.is_match(lower) {
        return Continued::No;
    }
    let mut changed = false;
    if FIELD_LEAD.is_match(lower) || super::super::text::leading_token(&clause.lower).is_some() {
        match prev.kind {
            "send_email" => {
                let before = prev.fields.clone();
                read_email(prev, clause, ctx);
                changed = before != prev.fields;
            }
            "create_task" => {
                let before = prev.fields.clone();
                let title = prev.fields.get("title").cloned();
                read_task(prev, clause, ctx);
                if let Some(t) = title {
                    prev.fields.insert("title".into(), t);
                }
                changed = before != prev.fields;
            }
            _ => {
                if !prev.has("message")
                    && let Some(m) = message(clause, ctx, &[])
                    && catalog::action(prev.kind).is_some_and(|a| a.field("message").is_some())
                {
                    prev.set("message", m);
                    changed = true;
                }
            }
        }
    }
    // "... and Piotr in 2 days": a time merges into the action before only when nothing
    // else in the clause names someone or something (Piotr would be dropped).
    let only_time = {
        let rest = slots::WHEN.replace_all(lower, " ");
        let rest = slots::PRIORITY.replace_all(&rest, " ");
        rest.split_whitespace().all(|w| {
            [
                "due", "deadline", "with", "a", "an", "the", "of", "and", "by", "set", "to",
                "priority", "it", "its", "is", "in", "within", "at", "on", "time", "make", "give",
                "please", "also", "then", "latest", "at", "the", "mark", "as", "for",
            ]
            .contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
        })
    };
    if matches!(prev.kind, "create_task" | "set_reminder" | "schedule_call")
        && (only_time || BARE_DURATION.is_match(lower))
    {
        let field = if prev.kind == "create_task" {
            "deadline"
        } else {
            "datetime"
        };
        // "task for Aisha to chase the signature, 3 days": a bare duration after a task
        // is the time it is given.
        let bare = BARE_DURATION
            .is_match(lower)
            .then(|| {
                when(&format!(
                    "in {}",
                    lower.trim_matches(|c: char| !c.is_alphanumeric())
                ))
            })
            .flatten();
        if let Some(w) = when(lower).or(bare) {
            prev.set(field, w);
            changed = true;
        }
        if prev.kind == "create_task"
            && let Some(p) = priority(lower)
        {
            prev.set("priority", p);
            changed = true;
        }
    }
    if changed {
        return Continued::Merged;
    }
    // "notify the manager and the sales team": the same action for another recipient.
    if matches!(
        prev.kind,
        "send_whatsapp" | "send_sms" | "send_email" | "send_notification" | "send_bitrix_message"
    ) {
        let mut ws: Vec<&str> = words::words_from(clause, 0).map(|w| w.text).collect();
        if ws.first().is_some_and(|w| w.eq_ignore_ascii_case("to")) {
            ws.remove(0);
        }
        // "ping the assignee and Rachel in chat 'Overdue'": a quote after the last
        // recipient and its channel is what both are sent.
        let shared = ws.last().is_some_and(|w| TOKEN.is_match(w))
            && ws
                .len()
                .checked_sub(3)
                .and_then(|i| ws.get(i))
                .is_some_and(|p| {
                    ["on", "in", "via", "over", "by"].contains(&p.to_ascii_lowercase().as_str())
                });
        if shared {
            ws.pop();
        }
        // "ping Anna and the head of department on chat": the channel said once, after
        // the last recipient, is the one the message before already goes by.
        if let [.., prep, channel] = ws.as_slice()
            && ["on", "in", "via", "over", "by"].contains(&prep.to_ascii_lowercase().as_str())
            && let Some(id) = channel_kind(channel)
            && id == prev.kind
        {
            ws.truncate(ws.len() - 2);
        }
        // "task for manager" names an action of its own, not another recipient.
        let names_other = kind(clause, ctx.tokens).is_some_and(|k| k != Kind::Action(prev.kind));
        // "Bob handles the rest": a name with a verb of its own is a sentence about Bob,
        // not one more recipient.
        let has_verb = ws.iter().skip(1).any(|w| {
            let w = w.to_ascii_lowercase();
            SUBJECT_VERBS.contains(&w.as_str())
        });
        if ws.len() <= 5
            && !names_other
            && !has_verb
            && let Some(who) = recipients::classify(&ws, is_client_channel(prev.kind))
            // "... and their team lead": whose lead depends on the one before.
            && let Some(who) = recipients::resolve_possessed(&who, prev.who.as_ref()).or(Some(who))
            && (!matches!(who, Who::Vague(_)) || matches!(&who, Who::Vague(p) if recipients::is_possessed_role(p)))
        {
            // "to whoever created it, the author": the one just named, named again, is no
            // second recipient.
            if prev.who.as_ref() == Some(&who) && matches!(who, Who::Author | Who::Responsible) {
                return Continued::Merged;
            }
            let mut next = prev.clone();
            next.fields.remove("to");
            // "ping the finance lead, Tomasz": a bare name right after a role may name
            // the one who holds it or a second recipient; the separator that would tell
            // is gone, so the author is asked.
            let role_before = match &prev.who {
                Some(Who::Responsible) => true,
                Some(Who::Named(n)) => n.chars().all(|c| !c.is_uppercase()),
                _ => false,
            };
            if role_before
                && ws.len() <= 2
                && ws
                    .iter()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            {
                next.questions.push(format!(
                    "Is \"{}\" the name of the person before it, or someone else who should also receive the {}? Write \"{} {}\" or \"... and {}\".",
                    ws.join(" "),
                    noun(prev.kind),
                    match prev.kind {
                        "send_email" => "email",
                        "send_sms" => "text",
                        "send_whatsapp" => "WhatsApp",
                        _ => "notify",
                    },
                    ws.join(" "),
                    ws.join(" ")
                ));
            }
            // "... and the manager a note 'Won'": the other recipient's own words.
            if let Some(q) = slots::quote_texts(clause, ctx).first() {
                for f in ["message", "body", "subject"] {
                    next.fields.remove(f);
                }
                let field = if next.kind == "send_email" {
                    "body"
                } else {
                    "message"
                };
                next.set(field, q.2.text.clone());
                if shared && !prev.has(field) {
                    prev.set(field, q.2.text.clone());
                }
            }
            next.who = Some(who);
            return Continued::Another(next);
        }
    }
    Continued::No
}

/// The message a channel's name stands for: "chat", "e-mail", "text message".
fn channel_kind(channel: &str) -> Option<&'static str> {
    Some(match channel.to_ascii_lowercase().as_str() {
        "chat" | "messenger" | "chat message" | "bitrix" | "bitrix24" => "send_bitrix_message",
        "email" | "e-mail" | "mail" => "send_email",
        "sms" | "text" | "text message" => "send_sms",
        "whatsapp" | "whats app" => "send_whatsapp",
        "notification" | "bell notification" => "send_notification",
        _ => return None,
    })
}

/// What may follow a recipient named by a relative clause.
enum AfterRelative {
    /// Nothing but the verb's object ("it", "the deal").
    Nothing,
    /// The channel this message goes by ("a Bitrix message", "on chat").
    Channel(&'static str),
}

/// Reads the words after a recipient named by a relative clause; `None` when words other
/// than its object and a channel are there.
fn after_relative(rest: &str) -> Option<AfterRelative> {
    let mut ws: Vec<&str> = rest
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', ',', '!', ';']))
        .filter(|w| !w.is_empty())
        .collect();
    if ws
        .first()
        .is_some_and(|w| ["it", "this", "that", "them"].contains(w))
    {
        ws.remove(0);
    } else if let [the, noun, ..] = ws.as_slice()
        && ["the", "this"].contains(the)
        && [
            "task", "deal", "lead", "record", "contact", "company", "invoice", "quote",
        ]
        .contains(noun)
    {
        ws.drain(..2);
    }
    if ws.is_empty() {
        return Some(AfterRelative::Nothing);
    }
    if ["a", "an", "in", "on", "via", "by", "over", "through"].contains(&ws[0]) {
        ws.remove(0);
    }
    let channel = ws.join(" ");
    channel_kind(&channel)
        .or_else(|| channel.strip_suffix(" message").and_then(channel_kind))
        .map(AfterRelative::Channel)
}

/// "Antti calls", "Irina to do it": a clause that only says who does the thing just
/// made, which a bracket may hold ("book a call in 2 days (Antti calls)").
pub(in crate::nl::offline) fn says_who_does(lower: &str) -> bool {
    CALLER.is_match(lower) || DOER.is_match(lower)
}

/// What [`continue_previous`] did.
#[derive(Debug)]
pub(in crate::nl::offline) enum Continued {
    No,
    Merged,
    Another(Draft),
}

// "so the list stays in sync", "so that the export picks it up", "so our records match".
static PURPOSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:so|so\s+that|in\s+order\s+that)\s+(?:the|our|their|its|it|this|that|they|we|everything|nothing)\b")
        .expect("valid regex")
});

// "via chat", "by bell notification", "over Bitrix24 chat": an employee channel alone.
static EMPLOYEE_CHANNEL_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:(?:via|by|over|through|on|in|using|with)\s+(?:a\s+|the\s+)?(?:(?:internal|bitrix24?|bitrix\s+24)\s+)?(?:(?P<chat>chat|messenger|im|instant\s+message)(?:\s+message)?|bell(?:\s+notification)?|(?:a\s+)?notification)|bell)$")
        .expect("valid regex")
});

// One lowercase word, alone: "pack" in "to pick & pack". Matched as typed: "and Bob" is
// a name.
static ONE_MORE_VERB: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?i:and\s+)?(?P<verb>[a-z]{3,})$").expect("valid regex"));

// A few lowercase words, alone: "collectors", "the spare parts". Written as typed (the
// capitals of a name keep it out).
static MORE_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?i:and\s+)?(?P<all>(?:(?P<det>the|a|an|some|any)\s+|(?:extra|spare|new)\s+)?(?P<things>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2}))\s*[.!]?$")
        .expect("valid regex")
});

// Words that say nothing of a task's purpose.
const FILLER_WORDS: &[&str] = &[
    "please",
    "thanks",
    "automatically",
    "too",
    "also",
    "asap",
    "now",
    "immediately",
    "today",
    "later",
    "soon",
    "again",
    "etc",
    "everything",
    "everyone",
    "all",
    "done",
    "ok",
    "okay",
];

static MORE_TODO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?P<rest>(?P<verb>find|understand|learn|see|ask|discuss|explain|agree|try|figure|work|sort|arrange|prepare|collect|confirm|check|verify|discover|note|offer|get)\b[^\x01]*)$")
        .expect("valid regex")
});

// Verbs after a subject that make a clause a sentence of its own.
const SUBJECT_VERBS: &[&str] = &[
    "handles", "does", "takes", "deals", "will", "can", "should", "needs", "has", "is", "gets",
    "owns", "manages", "covers", "sorts", "looks", "knows", "wants", "decides", "checks",
    "approves", "signs", "works", "runs", "leads", "picks", "follows", "must", "may",
];

static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:titled|entitled|called|named|with\s+the\s+(?:title|name)|(?:the\s+)?title(?:\s+is)?)\s*:?\s*(\x01\d+\x02)\s*[.!]?$")
        .expect("valid regex")
});

// An address alone, with its method: "POST https://...", "to https://...".
static URL_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:(?:via|using|with)\s+)?(?:(?P<method>get|post)\s+)?(?:(?:to|at)\s+)?\x01(?P<i>\d+)\x02\s*[.!]?$")
        .expect("valid regex")
});

// A duration alone: "3 days", "(2 hours)", "1 week".
static BARE_DURATION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\(?\s*\d+\s*(?:days?|hours?|weeks?|d|h)\s*\)?\s*[.!]?$").expect("valid regex")
});

static METHOD_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:with|using|via|as|by|method)\s+)?(?:an?\s+)?(?:http\s+)?(get|post)(?:\s+request)?(?:\s+please)?$")
        .expect("valid regex")
});

static CHANNEL_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:by|via|through|over|using|on|in)\s+(?:an?\s+|the\s+)?(?P<channel>e-?mail|mail|sms|text\s+message|text|whats\s?app|chat(?:\s+message)?|messenger|(?:bell\s+)?notification)\s*[.!]?$")
        .expect("valid regex")
});

static LIKE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:something|anything|a\s+message|a\s+text|text)\s+)?(?:like|along\s+the\s+lines\s+of)\s*:?\s*\x01\d+\x02\s*[.!]?$")
        .expect("valid regex")
});

static CHANNEL_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:the|a|an)\s+)?(?P<channel>(?:bell\s+|push\s+)?notification|chat(?:\s+message)?|whats\s?app|sms|text\s+message|e-?mail)(?:\s+(?:message|text|body))?\s*:?\s*\x01\d+\x02\s*[.!]?$")
        .expect("valid regex")
});

static NOUN_ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:the\s+|this\s+|that\s+)?(?:new\s+)?(?P<noun>quote|deal|task|reminder|call)\s+(?:(?:is|should\s+be|to\s+be|gets?)\s+)?(?:assigned|given|handed(?:\s+over)?|passed)\s+to\b")
        .expect("valid regex")
});

static PUT_ON_IT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:then\s+)?(?:put|place|get|stick|with)\s+(?P<who>[^\x01]+?)\s+on\s+(?:it|this|that|the\s+(?:task|quote|deal|reminder|call|job))\s*[.!?]?$")
        .expect("valid regex")
});

// "..., responsible Katarzyna", "owner: Tom": who owns what was just created.
static OWNER_IS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:the\s+)?(?:responsible(?:\s+person)?|owner|assignee|assigned\s+to)(?:\s+is)?\s*[:=]?\s*(?P<who>[^\x01\s]+(?:\s+[^\x01\s]+){0,3})\s*[.!]?$")
        .expect("valid regex")
});

// "Rhonda is the assignee on it", "Tom is the owner": who holds the thing just made.
static IS_OWNER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?P<who>[^\x01\s]+(?:\s+[^\x01\s]+){0,3}?)\s+is\s+(?:the\s+)?(?:owner|assignee|responsible(?:\s+person)?)(?:\s+(?:on|of|for)\s+(?:it|this|that|them|the\s+(?:call|task|quote|deal|job|reminder)))?\s*[.!]?$")
        .expect("valid regex")
});

static DOER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?P<who>[^\x01\s]+(?:\s+[^\x01\s]+){0,4}?)\s+(?:(?:to|should|will|must|can|is\s+to)\s+(?:do|make|handle|take|own|run|place|carry\s+out)|does|makes|handles|takes|owns|runs|places|carries\s+out)\s+(?:it|this|that|them|the\s+(?:call|task|job))\s*[.!]?$")
        .expect("valid regex")
});

// "the account manager calls", "Tom will ring them", "(Antti calls)", "Narek is
// calling": who makes a scheduled call.
static CALLER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|paren_aside\s+)?(?P<who>[^\x01\s]+(?:\s+[^\x01\s]+){0,4}?)\s+(?:calls|rings|phones|is\s+calling|will\s+be\s+calling|(?:to|should|will|must|is\s+to)\s+(?:call|ring|phone))(?:\s+(?:them|him|her|the\s+(?:client|customer|buyer|lead|contact)))?\s*[.!]?\)?$")
        .expect("valid regex")
});

static ANOTHER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:another(?:\s+one)?|one\s+more|a\s+second\s+one|the\s+same(?:\s+one)?)\s+(?:for|to)\s+\S")
        .expect("valid regex")
});

static BY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?by\s+(?P<who>[a-z][a-z'-]+)\s*[.!]?$").expect("valid regex")
});

static BY_WHOM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+)?(?:(?:to\s+be|it\s+should\s+be|which\s+is|that\s+is|it's|it\s+is)\s+)?(?:made|owned|handled|done|run|managed|assigned|given|taken|carried\s+out|looked\s+after|placed|performed|owned)\s+(?:to|by)\b")
        .expect("valid regex")
});

static ASSIGN_IT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"{P}(?:assign|give|hand|pass)\s+(?:(?:it|this|that|(?P<object>the\s+(?:task|reminder|deal|quote|call)))\s+)?(?:over\s+)?to\b"
    ))
    .expect("valid regex")
});

// A clause that only adds a field to the action before: "subject 'Welcome'", "the text:
// '...'", "high priority", "give it high priority", "It should be due tomorrow". "text"
// and "message" lead one only as nouns: "text the customer 'Hi'" is an order of its own.
static FIELD_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:(?:flag|mark|make|set|give)\s+(?:it|this|the\s+task)\s+(?:as\s+)?(?:an?\s+)?(?:high|low|normal|urgent)\b|(?:it|this|the\s+task)\s+(?:should|must|will|needs\s+to|has\s+to)\s+be\s+(?:due\b|(?:marked|set|flagged|made)\s+(?:as\s+)?(?:an?\s+)?(?:high|low|normal|urgent)\b)|(?:with\s+|in\s+)?(?:(?:a|the)\s+)?(?:body|subject|title|description|deadline|priority|due|high|low|normal|urgent)\b|(?:with\s+)?(?:(?:a|the)\s+)?(?:text|message)(?:\s*(?::|=|$)|\s+\x01|\s+(?:is|should|says|reads|will|must|as|of|saying|reading|stating|that|which)\b)|(?:saying|(?:that|which)\s+says|reading|stating)\s+\x01)")
        .expect("valid regex")
});

/// Makes `who` the assignee of the action before, in place of any it had. A call's `who`
/// is the one called; a task's or reminder's is its assignee.
fn reassign(prev: &mut Draft, who: recipients::Who, ctx: &Ctx<'_>) {
    if matches!(prev.kind, "create_task" | "set_reminder") {
        prev.who = Some(who.clone());
    }
    prev.fields.remove("assignee");
    prev.assignee_pronoun = None;
    set_assignee(prev, Some(who), noun(prev.kind), ctx);
}

// A stage alone, with no verb: "stage Inquiry", "in the stage 'New'", "status: Draft".
static BARE_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:and\s+|with\s+)?(?:(?:in|at|on|into)\s+)?(?:the\s+)?(?:stage|status|column|phase)\s*[:=]?\s*").expect("valid regex")
});
