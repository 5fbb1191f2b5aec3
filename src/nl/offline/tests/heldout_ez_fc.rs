//! What the held-out sets 12ez to 12fc found at first contact with v46, each fixed by the
//! principle behind it.

use super::{kinds, ok};

/// 12fa states the scope first: "Facebook leads only - new lead -> ...", "Instagram
/// leads: whenever one is updated", "Invoices of 2000 and up: once paid". The records
/// named first, with what narrows them, are the event's record.
#[test]
fn the_scope_said_before_the_event_is_its_record() {
    let b = ok("Facebook leads only - new lead -> WhatsApp them 'Hi from FlexFit!'");
    assert_eq!(b.trigger.kind, "lead_created");
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    let b = ok("Instagram leads: whenever one is updated, remove the tag cold");
    assert_eq!(b.trigger.kind, "lead_updated");
    assert_eq!(b.conditions.len(), 1);
    let b = ok("Invoices of 2000 and up: once paid, notify Fiona");
    assert_eq!(b.trigger.kind, "invoice_paid");
    assert_eq!(b.conditions[0].operator, ">=");
    let b = ok("Companies from Trade Show: as soon as one is created, notify Greg");
    assert_eq!(b.trigger.kind, "company_created");
}

/// "Proposal Sent stage: when a deal gets there, remind the owner ..." was read as a
/// quote sent, silently. A stage named first is where the deal moves.
#[test]
fn a_stage_named_first_is_where_the_deal_moves() {
    let b = ok("Proposal Sent stage: when a deal gets there, remind the owner to chase in 3 days");
    assert_eq!(b.trigger.kind, "stage_changed");
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("PROPOSAL_SENT")
    );
}

/// 12fb: "If a new lead has the Phone field filled, SMS them" dropped the condition,
/// silently, as did "has a phone number". The record's own channel, there.
#[test]
fn a_record_that_has_its_channel_filled() {
    for text in [
        "If a new lead has the Phone field filled, SMS them 'Thanks'",
        "If a new lead has a phone number, SMS them 'Thanks'",
    ] {
        let b = ok(text);
        assert_eq!(b.conditions[0].field, "PHONE", "{text}");
        assert_eq!(b.conditions[0].operator, "!empty", "{text}");
    }
}

/// 12fc: "put a reminder for the responsible to call back the customer" scheduled a call,
/// silently. "Put a reminder", "put a reminder to the owner", "relaunch the customer"
/// (follow up, as French speakers say it), "FCFA"; 12fb's "drop its priority to low".
#[test]
fn put_a_reminder_relaunch_the_customer_and_fcfa() {
    let b = ok(
        "When one deal is lost, put a reminder for the responsible to call back the customer in 30 days",
    );
    assert_eq!(kinds(&b), ["set_reminder"]);
    let b = ok("quote created: put a reminder to the owner to relaunch the customer in 2 days");
    assert_eq!(kinds(&b), ["set_reminder"]);
    let b = ok("When an invoice is overdue, relaunch the customer by WhatsApp 'Please pay.'");
    assert_eq!(kinds(&b), ["send_whatsapp"]);
    let b = ok("Deal won above 5 000 000 FCFA -> notify Mr Kouassi");
    assert_eq!(b.conditions[0].value, "5000000");
    let b = ok("Whenever a task is overdue, drop its priority to low and add a comment 'Overdue'");
    assert_eq!(kinds(&b), ["update_task", "add_comment"]);
}
