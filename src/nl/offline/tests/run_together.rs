//! Descriptions typed with no commas: every clause still read, none run into another.
//! Found by scoring every corpus again with its commas taken out.

use super::{asks, kinds, ok};

/// "& also" joins as "and also" does: "also" was read into the next recipient's
/// name ("also the head of admissions").
#[test]
fn an_ampersand_joins_as_and_does() {
    let b = ok(
        "if a task goes overdue message the person who assigned it on bitrix & also the head of admissions",
    );
    assert_eq!(b.actions[1].field("to"), Some("head of admissions"));
    let b = ok("when a deal is won notify Anna & also Tom");
    assert_eq!(b.actions[1].field("to"), Some("Tom"));
}

/// Typed fast with no commas, the parts after the first order were dropped or
/// misread: a second order ("create an invoice notify finance"), who does it after
/// the time ("for tomorrow Olena will do it"), a deadline after a task's purpose, an
/// event followed by what should happen, a source value of two words before the
/// order.
#[test]
fn run_together_clauses_are_all_read() {
    let b = ok(
        "If a quote is approved create an invoice notify finance and move the deal to Order confirmed",
    );
    assert_eq!(
        kinds(&b),
        ["create_invoice", "send_notification", "move_stage"]
    );
    assert_eq!(b.actions[1].field("to"), Some("finance"));
    let b = ok("lead converted -> tag converted-q1 remove tag cold");
    assert_eq!(kinds(&b), ["add_tag", "remove_tag"]);
    let b = ok("invoice paid -> move deal to Paid thank-you email to client");
    assert_eq!(kinds(&b), ["move_stage", "send_email"]);
    // "send ... sms to client": the thing sent, one order.
    let b = ok("When invoice gets paid send thank you sms to client 'Payment received'");
    assert_eq!(kinds(&b), ["send_sms"]);
    let b = ok(
        "When invoice is not payed in time schedule call to the client for tomorrow Olena will do it",
    );
    assert_eq!(b.actions[0].field("assignee"), Some("Olena"));
    // Who will call, after a scheduled call, is who makes it.
    let b = ok("When invoice is overdue schedule a call to the customer tomorrow Daniel will call");
    assert_eq!(b.actions[0].field("assignee"), Some("Daniel"));
    let b = ok(
        "whenever a deal gets marked lost pls create a task for the rep to call the client and find out why due in 2 days",
    );
    assert_eq!(b.actions[0].field("deadline"), Some("+2d"));
    assert_eq!(
        b.actions[0].field("title"),
        Some("Call the client and find out why")
    );
    let b = ok(
        "Once a deal has been won an invoice should be generated for it and the account manager should be notified.",
    );
    assert_eq!(kinds(&b), ["create_invoice", "send_notification"]);
    let b =
        ok("When a lead is edited and the source is now Cold call give it to the outbound team");
    assert_eq!(b.conditions[0].value, "Cold call");
    assert_eq!(kinds(&b), ["assign_responsible"]);
}

/// More run-together clauses: a number before the order keeps its order's verb, a
/// negated order after a stage is no part of the stage's name, and two recipients
/// with no comma between them are asked about.
#[test]
fn run_together_values_and_lists_are_not_misread() {
    let b = ok("If the deal is won and the sum is more than 50 000 send message in chat to Piotr");
    assert_eq!(b.conditions[0].value, "50000");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    asks(
        "When a deal moves to Tasting Scheduled never ring the café always send them an email instead",
    );
    asks("If someone wins a deal above 75k notify the CFO the head of sales and the legal team");
}

/// "Deadline is tomorrow" after a task is when it is due; it was read as the
/// condition `DEADLINE = tomorrow`.
#[test]
fn a_deadline_said_after_a_task_is_its_deadline() {
    let b =
        ok("When a deal is lost, create a task for Irina to call the client. Deadline is tomorrow");
    assert!(b.conditions.is_empty());
    assert_eq!(b.actions[0].field("deadline"), Some("+1d"));
    asks("When a deal is won and the deadline is tomorrow, notify Anna");
}

/// A label and a colon before the order head it: "Note: send an SMS to the client"
/// sent the words "Send an SMS to the client" as the text message.
#[test]
fn a_colon_before_the_order_gives_no_message() {
    for label in ["Note", "FYI", "Reminder", "Please"] {
        let b = ok(&format!(
            "{label}: send an SMS to the client if the deal is won"
        ));
        assert_ne!(
            b.actions[0].field("message"),
            Some("Send an SMS to the client"),
            "{label}"
        );
    }
    // After the order, the colon still gives the message's words.
    let b = ok("When a deal is won, send the client an SMS: see you at the handover");
    assert_eq!(
        b.actions[0].field("message"),
        Some("see you at the handover")
    );
}
