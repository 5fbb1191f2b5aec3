//! What the held-out sets 12bz to 12cg found at first contact with v27, each fixed by
//! the principle behind it.

use super::{asks, kinds, ok};

/// "Lead edited and Phone now filled in? Remove the tag ... " scheduled a call, and
/// "has no phone number (Phone empty)" did too: a capitalised field's name and its state
/// with no verb ("Phone now filled in", "Permit Number empty") say what "is" would. The
/// field's name is no order.
#[test]
fn a_field_and_its_state_without_a_verb_is_a_condition() {
    let b = ok("Contact edited and Phone now filled in → WhatsApp them 'Hi'");
    assert_eq!(kinds(&b), ["send_whatsapp"]);
    assert_eq!(b.conditions[0].field, "PHONE");
    assert_eq!(b.conditions[0].operator, "!empty");
    let b = ok(
        "If new lead has no phone number (Phone empty), create a task for the responsible person",
    );
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok("deal updated + Permit Number empty -> ping Anna in chat 'Permit missing'");
    assert_eq!(b.conditions[0].field, "PERMIT_NUMBER");
    assert_eq!(b.conditions[0].operator, "empty");
    // After "with the" the words before place the state already.
    let b = ok("When a deal is created with the Delivery Date field empty, notify Anna");
    assert_eq!(b.conditions[0].field, "DELIVERY_DATE");
}

/// "add the tag paid in full" tagged "paid": plain words to the end of the clause are
/// the tag ("tag it small order", "tag the deal key account", "tag it trade show 2026"),
/// unless one says when, for whom or how.
#[test]
fn a_tag_of_plain_words_runs_to_the_end_of_the_clause() {
    let b =
        ok("Once an invoice is paid, WhatsApp the customer 'Thanks' and add the tag paid in full");
    assert_eq!(b.actions[1].field("tag"), Some("paid in full"));
    let b = ok("whenever a new deal is created with an amount under 500, tag it small order");
    assert_eq!(b.actions[0].field("tag"), Some("small order"));
    let b = ok("Deal won and over 10000? Let Helen know and tag the deal key account");
    assert_eq!(b.actions[1].field("tag"), Some("key account"));
    let b = ok("Whenever a contact gets updated and their Email is empty, tag them missing email");
    assert_eq!(b.actions[0].field("tag"), Some("missing email"));
    asks("When a deal is won, tag it for review");
    let b = ok("When a deal is won, add the tag vip to the deal");
    assert_eq!(b.actions[0].field("tag"), Some("vip"));
}

/// "Deals in the Wholesale pipeline should get a welcome email when they're created"
/// e-mailed every new deal: a named pipeline, wherever it is said, is asked about.
#[test]
fn a_named_pipeline_anywhere_is_asked_about() {
    let q = asks("Deals in the Wholesale pipeline should get a welcome email when they're created");
    assert!(q.iter().any(|q| q.contains("Wholesale pipeline")), "{q:?}");
    asks("New deals in our 'Rentals' funnel get a WhatsApp 'Hi'");
    ok("When a deal is won, email the client 'Your pipeline survey is booked'");
}

/// "When a deal comes in from Referral" was read "comes in in" and asked about: a deal
/// that comes in is a new one, as a lead that comes in is.
#[test]
fn a_deal_that_comes_in_is_a_new_deal() {
    let b = ok("When a deal comes in from Referral, set the Priority Client field to Yes");
    assert_eq!(b.trigger.kind, "deal_created");
    assert_eq!(b.conditions[0].value, "Referral");
    let b = ok("When a deal comes in, tag it x");
    assert_eq!(b.trigger.kind, "deal_created");
}

/// "assign it to Tom and he gets a notification": the subject pronoun is the person
/// named before, as "her" and "him" are.
#[test]
fn she_and_he_are_the_person_named_before() {
    let b = ok("When a deal is won, assign it to Tom and he gets a notification");
    assert_eq!(b.actions[1].field("to"), Some("Tom"));
    asks("When a deal is won, she gets a notification");
}
