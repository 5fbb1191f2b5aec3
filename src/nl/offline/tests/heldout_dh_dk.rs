//! What the held-out sets 12dh to 12dk found at first contact with v34, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// "the amount is > 20000": v34 read "is" as the equality and compared the amount with
/// "> 20000". A sign after the copula is the comparison.
#[test]
fn a_comparison_sign_after_is_is_the_comparison() {
    let b = ok(
        "if a deal is moved to Negotiation and the amount is > 20000, hand it over to Bella + notify Bella",
    );
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].operator, ">");
    assert_eq!(b.conditions[0].value, "20000");
    let b = ok("If the amount is <= 500, notify Anna when a deal is won");
    assert_eq!(b.conditions[0].operator, "<=");
}

/// "at least a thousand": v34 compared the amount with the words "a thousand". After a
/// comparison "a thousand" is 1000; more or less than words that are no number is asked
/// about ("Thanks a million" stays no number).
#[test]
fn a_thousand_after_a_comparison_is_a_number_and_words_are_no_amount() {
    let b = ok(
        "if a deal is updated and the amount is at least a thousand tag it priority and move it to Survey Needed",
    );
    assert_eq!(b.conditions[0].operator, ">=");
    assert_eq!(b.conditions[0].value, "1000");
    let b = ok("right if we lose a deal over a thousand let the manager know");
    assert_eq!(b.conditions[0].value, "1000");
    assert!(
        !asks("if a deal is updated and the amount is at least a few grand tag it priority")
            .is_empty()
    );
}

/// "when a deal is created and it's a wedding cake tag it wedding": v34 read past the
/// statement run into the order, and tagged every new deal. It is asked about.
#[test]
fn a_statement_with_its_run_into_an_order_is_asked_about() {
    assert!(!asks("when a deal is created and it's a wedding cake tag it wedding").is_empty());
}

/// "and there's no email address create a task ...": v34 read "email" as an order and
/// sent an e-mail. There being no address is the field's being empty.
#[test]
fn there_being_no_email_address_is_the_empty_field() {
    let b = ok(
        "when a lead is created and there's no email address create a task for Hannah to get it in one day",
    );
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "EMAIL");
    assert_eq!(b.conditions[0].operator, "empty");
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok(
        "right when a contact gets created and there's no phone number make a task for Kerry to find it due in two days",
    );
    assert_eq!(b.conditions[0].field, "PHONE");
    assert_eq!(kinds(&b), ["create_task"]);
}

/// "moves to Deposit Paid WhatsApp the customer '...'": with no comma, an order's verb
/// followed by whom it acts on ends the stage's name.
#[test]
fn an_orders_verb_and_its_object_end_a_stage_name() {
    let b = ok(
        "when a deal moves to Deposit Paid WhatsApp the customer \"Deposit received thank you\"",
    );
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("DEPOSIT_PAID")
    );
    assert_eq!(kinds(&b), ["send_whatsapp"]);
    let b = ok("When a deal moves to Text Sent, notify Anna");
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("TEXT_SENT")
    );
}

/// "Lead updated but DBS Status still blank", "Quote approved?\n* create a company":
/// "but" before a field's state joins a condition; a bullet after a question is an item.
#[test]
fn but_before_a_state_and_a_bullet_after_a_question() {
    let b = ok(
        "Lead updated but DBS Status still blank\n- SMS the candidate 'Please upload your DBS certificate'\n- tag dbs-chase\n",
    );
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].operator, "empty");
    assert_eq!(kinds(&b), ["send_sms", "add_tag"]);
    let b = ok("Quote approved?\n* create a company 'New member company'\n* tag approved\n");
    assert_eq!(kinds(&b), ["create_company", "add_tag"]);
}

/// "intimate the account manager", "when we loose a deal", "SMS the retailer": Indian
/// English's "intimate" is to inform; "loose" is "lose" misspelt; a retailer, a stockist
/// or a farmer is the client of the one who sells to them.
#[test]
fn intimate_loose_and_the_retailer() {
    let b = ok(
        "Whenever a contact is updated, kindly intimate the account manager through a notification",
    );
    assert_eq!(kinds(&b), ["send_notification"]);
    assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
    let b = ok("when we loose a deal add a comment 'Lost - check the reason with the team'");
    assert_eq!(b.trigger.kind, "deal_lost");
    let b = ok("If a deal is won, please intimate the retailer by SMS 'Your order is confirmed'");
    assert_eq!(kinds(&b), ["send_sms"]);
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
}
