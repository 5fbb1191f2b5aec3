//! What the held-out sets 12ef to 12ei found at first contact with v40, each fixed by the
//! principle behind it.

use super::{kinds, ok};

/// "assign to Sanne de Wit" (12eh) assigned to "Sanne": a surname's particles ("de",
/// "van der", "da") between capitalised words are part of the name.
#[test]
fn a_surname_keeps_its_particles() {
    let b = ok("New deal → assign to Sanne de Wit and create a task for Sanne de Wit 'Check'");
    assert_eq!(b.actions[0].field("assignee"), Some("Sanne de Wit"));
    assert_eq!(b.actions[1].field("assignee"), Some("Sanne de Wit"));
    let b = ok("When a deal is won, notify Luis da Silva and Anna");
    assert_eq!(b.actions[0].field("to"), Some("Luis da Silva"));
    assert_eq!(b.actions[1].field("to"), Some("Anna"));
}

/// "set the field Invoice Status to Ready" (12eh) moved the deal's stage: a status the
/// text calls a field is that field.
#[test]
fn a_status_called_a_field_is_a_field() {
    let b = ok(
        "Deal reaches Delivered → email the customer with subject 'POD available' and set the field Invoice Status to Ready",
    );
    assert_eq!(kinds(&b), ["send_email", "update_field"]);
    assert_eq!(b.actions[1].field("field"), Some("INVOICE_STATUS"));
    let b = ok("When a deal is won, set the deal status to Won");
    assert_eq!(kinds(&b), ["move_stage"]);
}

/// "let's create a quote for Anna" (found beside 12ei's "Let's get a task in"): v41 read
/// "let's" as "let us know" and notified someone. "Let's" before an order is that order.
#[test]
fn lets_before_an_order_is_the_order() {
    let b = ok("When a deal is won, let's create a quote for Anna");
    assert_eq!(kinds(&b), ["create_quote"]);
    assert_eq!(b.actions[0].field("assignee"), Some("Anna"));
    // "Smash out a WhatsApp", read once "let's" no longer hid it, had sent it to "Smash".
    let b = ok(
        "Deal won?? Smash out a WhatsApp to the client 'Welcome!' and let's get a task in for Jade to book their first PT session, due in 2 days!",
    );
    assert_eq!(kinds(&b), ["send_whatsapp", "create_task"]);
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
}
