//! What the held-out sets 12hx to 12ia found at first contact with v69, each fixed by
//! the principle behind it.

use super::{asks, kinds, ok};

/// 12ia: a request passed on by someone else names who asked after it, in brackets,
/// after a dash or in a sentence of its own; none of it is part of the request.
#[test]
fn who_asked_said_after_the_request_asks_for_nothing() {
    let b = ok(
        "new deal -> whatsapp the customer 'Thanks for choosing Patel & Daughters' (Mr Patel's wording not mine lol)",
    );
    assert_eq!(kinds(&b), ["send_whatsapp"]);
    let b = ok(
        "task overdue -> notify whoever set it + push the deadline back 2 days. Mr Finch's rule",
    );
    assert_eq!(kinds(&b), ["send_notification", "update_task"]);
    let b = ok(
        "company created → notify Dev + tag 'trade'. Mr Patel says they are all trade accounts anyway",
    );
    assert_eq!(kinds(&b), ["send_notification", "add_tag"]);
    let b = ok(
        "when a quote's approved, create a task for Dev 'Order the stones' due tomorrow, high priority — Mr Patel",
    );
    assert_eq!(b.actions[0].field("assignee"), Some("Dev"));
    let b = ok(
        "lead updated -> add comment 'Lead details updated, recheck budget' (Jen asked, dont shoot the messenger)",
    );
    assert_eq!(kinds(&b), ["add_comment"]);
    // A first name alone after a comma may be whom the order is for: asked.
    asks("when a quote is approved, create a task 'Order the stones', Dev");
}

/// 12ia: "Boss wants it so that ...", "the owner asked if we could ...", "Mr Patel would
/// like ...": the wish is the request.
#[test]
fn a_request_passed_on_by_the_boss_or_a_titled_name_is_read() {
    let b = ok(
        "Boss wants it so that if a company gets edited and its email is empty, it gets the tag 'no-email'",
    );
    assert_eq!(kinds(&b), ["add_tag"]);
    let b = ok(
        "the owner asked if we could fire a webhook, POST, to https://hooks.example.co.uk/dress-sync every time a deal gets updated",
    );
    assert_eq!(kinds(&b), ["webhook"]);
    let b = ok(
        "Mr Patel would like a task for Dev whenever a new deal comes in over 2000, title 'Check stock of loose stones', due next day, high priority",
    );
    assert_eq!(b.actions[0].field("assignee"), Some("Dev"));
}

/// 12ia: the wish said after the event, inside its sentence: "When a lead gets converted
/// Mr Patel wants a task for Hannah", "... the owner wants an SMS to the customer",
/// "Gareth needs a ping".
#[test]
fn a_wish_said_after_the_event_is_the_order() {
    let b = ok(
        "When a lead gets converted Mr Patel wants a task for Hannah 'Book design consultation' due in 3 days",
    );
    assert_eq!(b.actions[0].field("assignee"), Some("Hannah"));
    let b = ok(
        "When a deal's lost the owner wants an SMS to the customer: 'Sorry we couldn't help this time'",
    );
    assert_eq!(kinds(&b), ["send_sms"]);
    let b = ok("when a company record is updated Gareth needs a ping");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    assert_eq!(b.actions[0].field("to"), Some("Gareth"));
}

/// 12ia: "when a deal is won we need to create a task": what "we" must do is the order;
/// "if we need to call them" stays a condition to ask about.
#[test]
fn what_we_need_to_do_is_the_order() {
    let b = ok(
        "when a deal is won, we need to create a task for Tomasz 'Order cloth from the mill' due in 2 days",
    );
    assert_eq!(kinds(&b), ["create_task"]);
    let b =
        ok("apparently when an invoice is paid we need to message Hannah on Bitrix 'Paid in full'");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
}

/// 12ia: "Mr Patel is doing those calls himself" says who makes the calls; read past as
/// context, the calls went to the deal's owner.
#[test]
fn a_sentence_that_says_who_does_the_work_is_not_read_past() {
    asks(
        "we need to schedule a call back to the customer 7 days after a deal is lost. Mr Patel is doing those calls himself, he reckons half of them come back",
    );
}

/// 12ia: "won OR the deposit invoice is paid": the kind of record before its noun hid
/// the second event, and the workflow ran on deals won only.
#[test]
fn a_second_event_with_a_kind_of_record_is_still_a_second_event() {
    asks(
        "Mr Finch says when a deal is won OR the deposit invoice is paid, tag the deal 'in-production'",
    );
}

/// 12ia, 12hy: "whoever's responsible", "whoever's got the deal" is the record's
/// responsible person; a care agency's "NOK" (next of kin) and a venue's "hirer" are the
/// client; "DM" is a chat message and "notif" a notification.
#[test]
fn trade_words_for_who_and_how_are_read() {
    let b = ok(
        "Jen said if a contact is updated and their phone number is empty, create a task for whoever's responsible: 'Get a phone number for this bride'",
    );
    assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    let b = ok("invoice overdue → email the NOK subject 'Reminder: invoice overdue'");
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_EMAIL}}"));
    let b = ok("Deal won -> WhatsApp the hirer 'Your booking is confirmed'");
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
    let b = ok("task past deadline -> DM the author on bitrix 'your task is overdue'");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    // "Nok" is a name.
    let b = ok("New deal? schedule call with customer by Nok tomorrow");
    assert_eq!(b.actions[0].field("assignee"), Some("Nok"));
}
