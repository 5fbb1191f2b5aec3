//! What the held-out sets 12dd to 12dg found at first contact with v33, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// "Event - deal won / Do - create invoice ...": a request form's labels, written with a
/// dash, are no part of what they label.
#[test]
fn a_forms_event_and_do_labels_with_a_dash_are_read_past() {
    let b = ok("Event - deal won / Do - create invoice 'Repair deposit' + notify accounts");
    assert_eq!(b.trigger.kind, "deal_won");
    assert_eq!(kinds(&b), ["create_invoice", "send_notification"]);
    let b =
        ok("Event - task overdue / Do - message Sam in chat 'This task is overdue, please chase'");
    assert_eq!(b.trigger.kind, "task_overdue");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    let b = ok("Event - stage changed to Parts Ordered / Do - remind owner in 3 days");
    assert_eq!(b.trigger.kind, "stage_changed");
    assert_eq!(kinds(&b), ["set_reminder"]);
}

/// "When a new deal is created, is it possible to create a quote ...?": the question
/// after the event is the polite form of its order.
#[test]
fn is_it_possible_to_after_the_event_is_the_order() {
    let b = ok(
        "When a new deal is created, is it possible to create a quote for Margaret titled 'Standard funeral package'?",
    );
    assert_eq!(kinds(&b), ["create_quote"]);
    assert_eq!(b.actions[0].field("assignee"), Some("Margaret"));
}

/// "it gets the tag 'no email'", "could it get a comment saying ...", "could Dan get a
/// chat message": what the record or a named person gets is the order to give it.
#[test]
fn what_the_record_or_a_person_is_asked_to_get_is_given() {
    let b = ok(
        "Could we set it up so that when a contact is created without an email address, it gets the tag 'no email'?",
    );
    assert_eq!(kinds(&b), ["add_tag"]);
    assert_eq!(b.actions[0].field("tag"), Some("no email"));
    let b = ok("When a task is overdue, could it get a comment saying 'Overdue - please update'?");
    assert_eq!(kinds(&b), ["add_comment"]);
    let b = ok(
        "Whenever a new quote is created, could Dan get a chat message saying 'New quote to check'?",
    );
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    assert_eq!(b.actions[0].field("to"), Some("Dan"));
}

/// "a lost deal under £1,000 gets the tag 'win-back'": the amount said of the record,
/// between it and what it gets, is the event's condition; it must not be lost.
#[test]
fn an_amount_between_the_record_and_what_it_gets_is_kept() {
    let b = ok(
        "Could we set it up so that a lost deal under £1,000 gets the tag 'win-back' and the owner gets a reminder in 30 days?",
    );
    assert_eq!(b.trigger.kind, "deal_lost");
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    assert_eq!(b.conditions[0].operator, "<");
    assert_eq!(kinds(&b), ["add_tag", "set_reminder"]);
}

/// "Chuck the client a text": v33 sent the text to someone called "Chuck".
#[test]
fn chuck_them_a_text_sends_it() {
    let b = ok(
        "Deal won? Chuck the client a text 'Stoked to have you on board, see you in the water!'",
    );
    assert_eq!(kinds(&b), ["send_sms"]);
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
    let b = ok(
        "When a lead comes in from Instagram, chuck them a text 'Hey! Keen to get you on a board.'",
    );
    assert_eq!(kinds(&b), ["send_sms"]);
}

/// "per our process" says why, and "flag it with the tag" is to tag it.
#[test]
fn per_our_process_is_read_past_and_flagging_with_a_tag_tags() {
    let b = ok(
        "If a lead is created, per our process, send it to our intake webhook https://intake.example.com/leads using POST.",
    );
    assert_eq!(kinds(&b), ["webhook"]);
    let b = ok(
        "When a deal is created and the Insurance Carrier field is empty, flag it with the tag 'missing-carrier' and give the owner a heads-up notification.",
    );
    assert_eq!(kinds(&b), ["add_tag", "send_notification"]);
}

/// "It should be due tomorrow and marked high priority.": a sentence after a task that
/// gives its time or priority is the task's; v33 read it past as an explanation. One
/// with a time that is no field ("It should be ready tomorrow") is asked about.
#[test]
fn a_sentence_with_a_time_after_a_task_is_never_read_past() {
    let b = ok(
        "We'd like a task for the install crew to check stock whenever a new deal is created. It should be due tomorrow and marked high priority.",
    );
    assert_eq!(kinds(&b), ["create_task"]);
    assert_eq!(b.actions[0].field("deadline"), Some("+1d"));
    assert_eq!(b.actions[0].field("priority"), Some("high"));
    assert!(
        !asks("When a deal is won, create a task for Anna. It should be ready tomorrow.")
            .is_empty()
    );
}

/// "the Status Checked field is set to Yes": as a condition the field has that value
/// (v33 read it as "filled in" and lost the value); made so, it is the order to set it.
#[test]
fn a_field_set_to_a_value_is_that_value_or_the_order_to_set_it() {
    let b = ok("When a lead is updated and the Status Checked field is set to Yes, notify Anna");
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].operator, "=");
    assert_eq!(b.conditions[0].value, "Yes");
    let b = ok(
        "Could we set it up so that when a lead is updated, the Status Checked field is set to Yes?",
    );
    assert!(b.conditions.is_empty());
    assert_eq!(kinds(&b), ["update_field"]);
    let b = ok(
        "Could we set it up so that when a meeting is scheduled, the deal's Meeting Booked field is set to Yes and Tom gets a chat message?",
    );
    assert_eq!(kinds(&b), ["update_deal", "send_bitrix_message"]);
    assert_eq!(b.actions[0].field("field"), Some("MEETING_BOOKED"));
    let b = ok(
        "Can you make it so that when a deal is created and the source is Website, the client gets a text saying 'Thanks, we will call you shortly'?",
    );
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
}

/// "we'd like the author notified and the task handed over to Helen", "we'd like it
/// assigned to Helen and a task created for her": both halves are wished; v33 read the
/// second as a new task, or as the event "a task is created".
#[test]
fn both_halves_of_a_wish_are_orders() {
    let b = ok(
        "When a task becomes overdue, we'd like the author notified and the task handed over to Helen.",
    );
    assert_eq!(kinds(&b), ["send_notification", "assign_responsible"]);
    let b = ok(
        "When a contact is added, we'd like it assigned to Helen and a task created for her to call them, due in 2 days.",
    );
    assert_eq!(b.trigger.kind, "contact_created");
    assert_eq!(kinds(&b), ["assign_responsible", "create_task"]);
    let b = ok(
        "When a deal is lost, could the client get an email saying 'Sorry we could not help this time'? We'd also like a note on the deal saying 'Lost - check reason'.",
    );
    assert_eq!(kinds(&b), ["send_email", "add_comment"]);
}

/// "What I need is a new deal called 'X' ... whenever a deal is lost": a new record
/// given its title is one to make, not the event; an event's record with a title
/// ("a new deal called 'VIP' comes in") is asked about.
#[test]
fn a_new_record_given_its_title_is_made_not_the_event() {
    let b = ok(
        "What I need is a new deal called 'Refresher lessons offer' for Tom in the Follow Up stage whenever a deal is lost.",
    );
    assert_eq!(b.trigger.kind, "deal_lost");
    assert_eq!(kinds(&b), ["create_deal"]);
    assert!(!asks("When a new deal called 'VIP' comes in, notify Anna").is_empty());
}

/// "every new deal over £2,000 goes straight to the Quote Requested stage and is
/// assigned to Dan": where every new record goes, and what it is, are the orders.
#[test]
fn where_every_new_record_goes_is_the_order_to_move_it() {
    let b = ok(
        "Could we set it up so every new deal over £2,000 goes straight to the Quote Requested stage and is assigned to Dan?",
    );
    assert_eq!(b.trigger.kind, "deal_created");
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(kinds(&b), ["move_stage", "assign_responsible"]);
    let b = ok("Every new deal goes to the Quote Requested stage");
    assert_eq!(b.trigger.kind, "deal_created");
    assert_eq!(b.actions[0].field("stage"), Some("QUOTE_REQUESTED"));
}

/// "Ready For Test": a small word written with a capital is part of the stage's name.
#[test]
fn a_capitalised_small_word_is_part_of_the_stage_name() {
    let b = ok(
        "Could we set it up so that when a task is completed, the deal moves to Ready For Test?",
    );
    assert_eq!(b.actions[0].field("stage"), Some("READY_FOR_TEST"));
}

/// "have a reminder set for ...", "could the deal move to ...": the causative and the
/// question are the orders.
#[test]
fn have_it_set_and_could_it_move_are_orders() {
    let b = ok(
        "Is it possible to have a reminder set for the assigned person in 2 hours whenever a task is overdue?",
    );
    assert_eq!(kinds(&b), ["set_reminder"]);
    assert_eq!(b.actions[0].field("datetime"), Some("+2h"));
    let b =
        ok("Whenever a meeting is booked on a deal, could the deal move to Arrangement Meeting?");
    assert_eq!(b.trigger.kind, "meeting_scheduled");
    assert_eq!(kinds(&b), ["move_stage"]);
}

/// "mail the customer a signed hard copy": paper, which b24flow cannot send; v33 sent
/// an e-mail.
#[test]
fn a_hard_copy_is_paper_and_asked_about() {
    assert!(
        !asks("When a quote is approved, mail the customer a signed hard copy of the contract.")
            .is_empty()
    );
}

/// "someone makes a task", "Activity on a deal?", "with source Phone": events and a
/// source as people write them.
#[test]
fn made_tasks_activity_on_a_deal_and_a_source_called_phone() {
    let b = ok("When someone makes a task, notify the assignee 'You have got a new job on'");
    assert_eq!(b.trigger.kind, "task_created");
    let b =
        ok("Activity on a deal? Ping Bec in chat 'New activity, have a look when you get a sec'");
    assert_eq!(b.trigger.kind, "activity_added");
    let b = ok(
        "New deal created with source Phone? Schedule a call with the client for the owner in 1 hour.",
    );
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].value, "Phone");
    assert_eq!(kinds(&b), ["schedule_call"]);
}
