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
