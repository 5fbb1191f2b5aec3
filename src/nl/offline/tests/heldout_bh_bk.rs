//! What the held-out sets 12bh to 12bk found at first contact with v23, each fixed by
//! the principle behind it.

use super::{asks, kinds, ok};

/// "reminder for her tomorrow to ring the client" was a call: a reminder named first is
/// a reminder, whatever it is about, as a task named first is a task. "e-mail reminder
/// to the client" is still an e-mail.
#[test]
fn a_reminder_named_first_is_a_reminder() {
    let b = ok("new deal -> assign to Priya + reminder for her tomorrow to ring the client");
    assert_eq!(kinds(&b), ["assign_responsible", "set_reminder"]);
    assert_eq!(b.actions[1].field("assignee"), Some("Priya"));
    let b = ok(
        "late payment on an invoice -> e-mail reminder to the client, subject 'Payment reminder'",
    );
    assert_eq!(kinds(&b), ["send_email"]);
}

/// "ping the assignee and Rachel in chat 'Overdue'" sent the quote to Rachel and a
/// default text to the assignee. A quote after the last recipient and its channel is
/// what both are sent; here "the assignee" before a bare name may also be that name, so
/// it is asked about.
#[test]
fn a_quote_after_two_recipients_is_not_given_to_the_last_only() {
    asks(
        "overdue task: ping the assignee and Rachel in chat 'This task is overdue, please update it'",
    );
    let b = ok("When a deal is won, ping Anna and Bob on chat 'Won it'");
    assert_eq!(b.actions[0].field("message"), Some("Won it"));
    assert_eq!(b.actions[1].field("message"), Some("Won it"));
}

/// "the company field is empty" named a field FIELD: a record word followed by nothing
/// but "field" is the field's whole name; a record's company is its link, `COMPANY_ID`
/// (v71).
#[test]
fn a_record_word_alone_before_field_is_the_fields_name() {
    let b =
        ok("If a new contact is created and the company field is empty, notify the sales manager");
    assert_eq!(b.conditions[0].field, "COMPANY_ID");
}

/// "assign it to Greg and send him an email" e-mailed the client. Right after a client
/// channel's verb, "him" or "her" with a person named just before may be either: asked.
/// With no one named before, it is the client.
#[test]
fn him_after_a_named_person_is_asked_about() {
    asks("New company in the CRM: assign it to Greg and send him an email");
    let b = ok("When a lead comes in, email him our brochure");
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_EMAIL}}"));
}
