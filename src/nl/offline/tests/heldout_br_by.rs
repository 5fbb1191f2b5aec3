//! What the held-out sets 12br to 12by found at first contact with v26, each fixed by
//! the principle behind it.

use super::{asks, kinds, ok};

/// "post the client a thank-you letter" sent an e-mail: posting a letter is paper, with
/// the one it goes to named before it as well as after.
#[test]
fn posting_someone_a_letter_is_paper() {
    asks("When a deal is won, post the client a thank-you letter");
    asks("When a deal is won, post them a thank-you card");
    let b = ok("When a deal is won, post a comment 'Won'");
    assert_eq!(kinds(&b), ["add_comment"]);
}

/// "email the right person" sent the e-mail to the client: "right" was read as "right
/// away" and ended the phrase, leaving no one named. After an article it judges who,
/// and who that is is asked.
#[test]
fn the_right_person_is_asked_about() {
    asks("When a quote is approved, email the right person");
    let b = ok("When a quote is approved, email the client right away");
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_EMAIL}}"));
}

/// "deals that hit Contract Sent to create a quote" read the stage as
/// `CONTRACT_SENT_TO`: a lowercase "to" before the order's verb opens the order.
#[test]
fn a_to_before_the_order_ends_the_stage_name() {
    let b = ok(
        "We need deals that hit Contract Sent to create a quote for Olivia called 'Standard contract'",
    );
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("CONTRACT_SENT")
    );
    let b = ok("When a deal moves to Ready to Ship, notify Anna");
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("READY_TO_SHIP")
    );
}

/// "tag them newsletter. Cheers mate" added a second tag, "Cheers mate": a sign-off
/// said to someone ("mate", "guys", "all") is still a sign-off.
#[test]
fn a_sign_off_to_someone_is_a_sign_off() {
    let b = ok("Whenever a contact is added, tag them newsletter. Cheers mate");
    assert_eq!(kinds(&b), ["add_tag"]);
    let b = ok("When a deal is won, notify Anna. Thanks heaps guys!");
    assert_eq!(kinds(&b), ["send_notification"]);
}

/// A field the record lacks, said in the event ("has no phone number", "with an empty
/// Email field", "with no VAT Number"), was asked about: "phone" and "email" were read
/// as the next order's verb. After "no" or an attributive "empty" they are nouns.
#[test]
fn a_field_the_new_record_lacks_is_a_condition() {
    for (text, field) in [
        (
            "If a new lead has no phone number, create a task for the owner",
            "PHONE",
        ),
        (
            "When a contact is created with no email address, tag it x",
            "EMAIL",
        ),
        (
            "Whenever a company is created with an empty Phone field, tag it x",
            "PHONE",
        ),
        (
            "Whenever a company is added with no VAT Number, tag it vat-missing",
            "VAT_NUMBER",
        ),
        (
            "If a new deal has no event date, create a task for the manager",
            "EVENT_DATE",
        ),
        (
            "If a new deal has no amount, create a task for the manager",
            "OPPORTUNITY",
        ),
    ] {
        let b = ok(text);
        assert_eq!(b.conditions.len(), 1, "{text}");
        assert_eq!(b.conditions[0].field, field, "{text}");
        assert_eq!(b.conditions[0].operator, "empty", "{text}");
    }
    // A thing that is no field is still asked about, and "the field is empty create a
    // task" (no comma) still gives the order.
    asks("When a lead is created with no reply, tag it x");
    let b = ok("If a company is updated and the Tax ID field is empty create a task for Elena");
    assert_eq!(kinds(&b), ["create_task"]);
}

/// "move the deal to Ready for Install" was asked about ("Ready", or "Ready for
/// Install"?): "for" goes on with a stage's name after a word made to take it ("Ready",
/// "Out", "Scheduled"), between capitalised words. After a noun it may say whom for.
#[test]
fn ready_for_a_capitalised_thing_is_one_stage_name() {
    let b = ok("Task done → move the deal to Ready for Install");
    assert_eq!(b.actions[0].field("stage"), Some("READY_FOR_INSTALL"));
    let b = ok("When a deal reaches Ready for Collection, WhatsApp the customer 'Come in'");
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("READY_FOR_COLLECTION")
    );
    asks("When a deal is won, move it to Proposal for Tom");
}

/// Requests people write with a word of their own: "please tag them new-patient",
/// "kindly set the field", "gotta let Sandra know", "loop in the warehouse team", "the
/// person assigned", were asked about.
#[test]
fn politeness_urgency_and_looping_in_are_read() {
    let b = ok("When a contact is created, please tag them new-patient and notify the admin desk.");
    assert_eq!(kinds(&b), ["add_tag", "send_notification"]);
    assert_eq!(b.actions[0].field("tag"), Some("new-patient"));
    let b = ok("Whenever a contact record is updated, kindly set the Needs Sync field to Yes.");
    assert_eq!(b.actions[0].field("field"), Some("NEEDS_SYNC"));
    let b = ok("if a deal over 20000 gets lost, gotta let Sandra know");
    assert_eq!(b.actions[0].field("to"), Some("Sandra"));
    let b = ok(
        "Once the client approves a quote, move the deal to Order Confirmed and loop in the warehouse team",
    );
    assert_eq!(kinds(&b), ["move_stage", "send_notification"]);
    assert_eq!(b.actions[1].field("to"), Some("warehouse team"));
    let b =
        ok("When a task is created, message the person assigned in chat 'New job on your list'");
    assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
}

/// "a task for Marek to ring them and ask why" and "remind the assignee again in 2
/// hours" were asked about: asking, with no channel named, goes on with the task's
/// purpose; a reminder "again in" a delay is one reminder, not a repeat.
#[test]
fn asking_in_a_task_and_reminding_again_are_read() {
    let b = ok("Lost deal? Create a task for Marek to ring them and ask why, due tomorrow");
    assert_eq!(kinds(&b), ["create_task"]);
    assert_eq!(b.actions[0].field("deadline"), Some("+1d"));
    asks(
        "When a deal is lost, create a task for Marek to ring them and ask them for feedback by email",
    );
    let b = ok("As soon as a task is overdue, remind the assignee again in 2 hours");
    assert_eq!(b.actions[0].field("datetime"), Some("+2h"));
    asks("When a task is overdue, remind the assignee every day");
}
