//! What the held-out sets 12cv to 12dc found: the questions 12cv and 12cw left after
//! v32, then what 12cz to 12dc found at first contact with v32, each fixed by the
//! principle behind it.

use super::{kinds, ok};

/// "Every new task must have a reminder", "every overdue task must get a comment ...":
/// after the event, what the record must have is the order to give it, a note as much
/// as a task or a message.
#[test]
fn what_every_record_must_have_is_the_order_to_give_it() {
    let b = ok("Every new task must have a reminder for the assigned person in 1 day.");
    assert_eq!(kinds(&b), ["set_reminder"]);
    assert_eq!(b.actions[0].field("datetime"), Some("+1d"));
    let b = ok("Every overdue task must get a comment 'Overdue - escalated to ops lead'.");
    assert_eq!(kinds(&b), ["add_comment"]);
    assert_eq!(
        b.actions[0].field("message"),
        Some("Overdue - escalated to ops lead")
    );
}

/// "Could you organise it so that ...", "organize a reminder": to organise or arrange
/// something is to set it up.
#[test]
fn organising_is_setting_up() {
    let b = ok(
        "Could you organise it so that as soon as an invoice is paid, Dave gets notified and the tag 'paid-up' is added?",
    );
    assert_eq!(kinds(&b), ["send_notification", "add_tag"]);
    let b = ok(
        "Whenever a task is created, could you please organize a reminder for the assigned person in 2 days?",
    );
    assert_eq!(kinds(&b), ["set_reminder"]);
}

/// "A deal entering Collection Booked should schedule a call ...": a deal entering,
/// reaching or hitting a stage is the stage event, as "a deal that enters" is.
#[test]
fn a_deal_entering_a_stage_is_the_stage_event() {
    for text in [
        "A deal entering Collection Booked should schedule a call with the customer tomorrow.",
        "Any deal reaching Negotiation should get a task for Tom",
    ] {
        let b = ok(text);
        assert_eq!(b.trigger.kind, "stage_changed", "{text}");
    }
}
