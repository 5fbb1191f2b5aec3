//! What the held-out set 12av found at first contact with v19, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// "... 'Your fitting is confirmed.' Then schedule a call": a capitalised "Then" after a
/// quote did not separate the orders, and the WhatsApp before it was dropped.
#[test]
fn a_capitalised_then_after_a_quote_starts_the_next_order() {
    let b = ok(
        "When the deal is moved to Fitting Scheduled, WhatsApp the patient 'Your fitting is confirmed.' Then schedule a call with them in 2 days for the audiologist.",
    );
    assert_eq!(kinds(&b), ["send_whatsapp", "schedule_call"]);
    let b = ok("When a deal is won, send an SMS 'Hi there.' Then create a task for Anna.");
    assert_eq!(kinds(&b), ["send_sms", "create_task"]);
}

/// "and Email field empty", as a note writes it with no "is", is the condition; it sent
/// an e-mail. Without the word "field" a bare "empty" is no condition.
#[test]
fn a_field_called_a_field_is_empty_without_a_copula() {
    let b = ok(
        "Contact updated and Email field empty -> task for Sam to get the email address, due in 1 day.",
    );
    assert_eq!(b.conditions[0].field, "EMAIL");
    assert_eq!(b.conditions[0].operator, "empty");
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok("Contact updated and the Phone field not empty -> notify Sam");
    assert_eq!(b.conditions[0].operator, "!empty");
    let b = ok("When a lead is created with empty comments, notify Sam");
    assert_eq!(b.conditions[0].field, "COMMENTS");
    asks("deal updated and comments empty -> notify Sam");
}

/// "the Contact Status field" is a field of that name; it was the record's own status.
/// A date named after a record ("its Renewal Date", "its Contract End Date") is a field
/// that can be filled in; "the order is empty" names a record and is asked about.
#[test]
fn a_field_named_after_a_record_is_that_field() {
    let b = ok("When someone logs a call on a deal, set the Contact Status field to 'Contacted'.");
    assert_eq!(b.actions[0].field("field"), Some("CONTACT_STATUS"));
    let b = ok("When a deal is won, set the deal Payment field to 'Paid'.");
    assert_eq!(b.actions[0].field("field"), Some("PAYMENT"));
    let b = ok(
        "If a company is updated and its Contract End Date is filled in, set a reminder for the account manager in 7 days",
    );
    assert_eq!(b.conditions[0].field, "CONTRACT_END_DATE");
    assert_eq!(b.conditions[0].operator, "!empty");
    let b = ok("When a company is updated and its renewal date is filled in, notify Anna");
    assert_eq!(b.conditions[0].field, "RENEWAL_DATE");
    asks("when a deal is won and the order is empty, notify Anna");
}

/// "Lost a hearing-aid deal?": a hyphenated word before the deal.
#[test]
fn a_lost_deal_asked_as_a_question_may_be_described() {
    let b = ok("Lost a hearing-aid deal? Put a timeline comment on it: 'Closed lost'.");
    assert_eq!(b.trigger.kind, "deal_lost");
}
