//! What the held-out sets 12dl to 12do found at first contact with v35, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// "It is to be assigned to ...", "its priority is to be raised to high", "the GDPR
/// Consent field is to be set to Review": "is to be" is an order in the passive. v35 gave
/// the record to "It", and read the other two as conditions on the field ("= to be").
#[test]
fn is_to_be_is_an_order_never_a_value() {
    let b = ok("New company record? It is to be assigned to the commercial lines team.");
    assert_eq!(kinds(&b), ["assign_responsible"]);
    assert_eq!(
        b.actions[0].field("assignee"),
        Some("commercial lines team")
    );
    let b = ok(
        "When a task becomes overdue, its priority is to be raised to high and the assignee is to be notified.",
    );
    assert!(b.conditions.is_empty());
    assert_eq!(kinds(&b), ["update_task", "send_notification"]);
    let b = ok(
        "When a contact is updated, the GDPR Consent field is to be set to Review and a task is to be created for the compliance team, due within a week.",
    );
    assert!(b.conditions.is_empty());
    assert_eq!(kinds(&b), ["update_field", "create_task"]);
}

/// "Where a deal is won, ...", "a task is to be created for ...", "the deal is to be
/// moved to Appointment Booked": formal English's event, and orders that are no events.
#[test]
fn where_opens_an_event_and_what_is_to_be_done_is_no_event() {
    let b = ok(
        "Where a deal is won, the client should be sent an email with the subject 'Your policy has been renewed' and a task is to be created for Gemma Hart to issue the policy documents, due in 2 days.",
    );
    assert_eq!(b.trigger.kind, "deal_won");
    assert_eq!(kinds(&b), ["send_email", "create_task"]);
    let b = ok("If a meeting is arranged, the deal is to be moved to Appointment Booked.");
    assert_eq!(b.trigger.kind, "meeting_scheduled");
    assert_eq!(b.actions[0].field("stage"), Some("APPOINTMENT_BOOKED"));
}

/// "moves into Waiting on Customer": v35 cut the stage to "Waiting". A wait is on
/// someone; another name followed by "on" is asked about.
#[test]
fn waiting_on_is_one_stage_name() {
    let b = ok(
        "If a deal moves into Waiting on Customer, send them a WhatsApp 'We need your approval'",
    );
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("WAITING_ON_CUSTOMER")
    );
    assert!(!asks("When a deal is won, move it to Signed on Paper").is_empty());
}

/// "Escalate to Dana: ping her in chat '...'": v35 sent a notification with the chat
/// message's words. The escalation is said by the order after the colon.
#[test]
fn escalate_to_someone_colon_an_order_is_that_order() {
    let b = ok("Overdue task? Escalate to Dana: ping her in chat 'SLA breach on an overdue task'");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    assert_eq!(b.actions[0].field("to"), Some("Dana"));
}

/// "When a deal enters the pipeline Mayoristas": v35 read a stage. A pipeline named
/// after the word is asked about, as one named before it is.
#[test]
fn a_pipeline_named_after_the_word_is_asked_about() {
    assert!(!asks("When a deal enters the pipeline Mayoristas, make a task to Lucía").is_empty());
}

/// "the Phone field has now been filled in": v35 dropped the clause as a restatement of
/// the event. A field's state narrows the event, never restates it.
#[test]
fn a_field_filled_in_by_now_is_a_condition() {
    let b = ok(
        "If a lead is changed and the Phone field has now been filled in, WhatsApp them 'Thank you'",
    );
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "PHONE");
    assert_eq!(b.conditions[0].operator, "!empty");
}

/// "update the prices on our website as well": "as well" was read as the value "well";
/// "and has not email": "email" was read as an order. Both are fixed.
#[test]
fn as_well_is_no_value_and_has_not_email_is_no_order() {
    assert!(
        !asks("When a quote is approved, I would like the computer to update the prices on our website as well.")
            .is_empty()
    );
    let b =
        ok("If a contact is created and has not email, make a task to the responsible to ask it");
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "EMAIL");
    assert_eq!(kinds(&b), ["create_task"]);
}

/// Someone unsure of the software: "I would like it if the computer could ...", "Not
/// sure if this is possible but ...", "would it be possible for the system to ...".
#[test]
fn an_unsure_owners_request_is_its_order() {
    let b =
        ok("When a task is overdue, I would like it if the computer could let the assignee know");
    assert_eq!(kinds(&b), ["send_notification"]);
    let b = ok(
        "Not sure if this is possible but when someone edits a deal, I would like the computer to send a message to Jean in chat saying 'A booking has been changed'",
    );
    assert_eq!(b.trigger.kind, "deal_updated");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    let b = ok(
        "When a deal reaches the Trial Lesson stage, would it be possible for the system to send the parent a text saying 'Looking forward to meeting you'?",
    );
    assert_eq!(kinds(&b), ["send_sms"]);
}

/// "advise the manager" (let know, as a Spanish or Portuguese speaker says it) and "kick
/// it over to Marcus" (hand it over).
#[test]
fn advise_and_kick_it_over() {
    let b = ok("New company? Put the tag 'wholesale' and advise the manager");
    assert_eq!(kinds(&b), ["add_tag", "send_notification"]);
    let b = ok("If a task is overdue, kick it over to Marcus");
    assert_eq!(kinds(&b), ["assign_responsible"]);
}
