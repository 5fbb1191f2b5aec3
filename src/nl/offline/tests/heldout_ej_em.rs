//! What the held-out sets 12ej to 12em found at first contact with v42, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// "When a contact is created and they're a student, tag them" (12ei) tagged every new
/// contact: all of "they're a student" is event words, so it read as the event said
/// again. What the record is said to be is a kind of record, which no condition can
/// name: it is asked about.
#[test]
fn what_the_record_is_said_to_be_is_asked_about() {
    let q = asks("When a contact is created and they're a student, tag them student-discount");
    assert!(q.iter().any(|q| q.contains("they're a student")), "{q:?}");
    let q = asks("When a contact is created and the contact is a reseller, notify Anna");
    assert!(
        q.iter().any(|q| q.contains("the contact is a reseller")),
        "{q:?}"
    );
}

/// "When a deal for a junior member is won, text their parents" (12el) texted the
/// client: a deal for a kind of customer is asked about, as "won for a trade customer"
/// was.
#[test]
fn a_deal_for_a_kind_of_customer_is_asked_about() {
    let q = asks("When a deal for a junior member is won, text their parents.");
    assert!(q.iter().any(|q| q.contains("for a junior member")), "{q:?}");
}

/// 12ek's Salesforce words: "opp" is an opportunity, a deal; "the AE who owns it" is the
/// record's owner (twice read as a person called "AE"); "a company (account) record" is
/// a company.
#[test]
fn another_crms_words_for_the_deal_and_its_owner() {
    let b = ok("When an opp is closed-won, tag it repeat-candidate");
    assert_eq!(b.trigger.kind, "deal_won");
    let b = ok("When an email is logged on an opp, add the tag engaged");
    assert_eq!(b.trigger.kind, "activity_added");
    let b =
        ok("When an opp moves to Proposal Sent, remind the AE who owns it to follow up in 3 days");
    assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    let b = ok("If a quote over 8000 is approved, ping the AE who owns it");
    assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
    let b = ok(
        "Once a lead is converted, create a company (account) record 'New account - verify details'",
    );
    assert_eq!(kinds(&b), ["create_company"]);
    assert_eq!(
        b.actions[0].field("title"),
        Some("New account - verify details")
    );
}

/// 12el's volunteers asked politely and at length: "I'd be ever so grateful if ... could
/// be ...", "I'd be grateful for a comment", "Would you be so kind as to", "if that is not
/// too much trouble", "our Margaret", "(a local business sponsor, say)". Each is read
/// past to the order it wraps.
#[test]
fn an_old_fashioned_polite_request_is_its_order() {
    let b = ok(
        "Whenever a sponsorship deal of more than £1000 is won, I'd be ever so grateful if a task could be made for Derek to order the new shirts, due in 7 days.",
    );
    assert_eq!(kinds(&b), ["create_task"]);
    assert_eq!(b.actions[0].field("assignee"), Some("Derek"));
    let b = ok(
        "When an invoice is overdue, I'd be grateful if you could email them 'Our records show it is unpaid' and remind Keith in 7 days.",
    );
    assert_eq!(kinds(&b), ["send_email", "set_reminder"]);
    let b =
        ok("When a company is updated, I'd be grateful for a comment 'Company details revised'");
    assert_eq!(kinds(&b), ["add_comment"]);
    let b = ok(
        "New deal and the Phone field is empty? Would you be so kind as to create a task for the owner to find a telephone number, due tomorrow.",
    );
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok(
        "When a task gets created, I'd like its priority set to high, if that is not too much trouble.",
    );
    assert_eq!(kinds(&b), ["update_task"]);
    let b =
        ok("When a contact is created, would it be possible to drop our Margaret a chat message?");
    assert_eq!(b.actions[0].field("to"), Some("Margaret"));
    let b = ok(
        "When a new company is added (a local business sponsor, say), would it be possible to create a deal 'Programme advert 2027' for Alan?",
    );
    assert_eq!(kinds(&b), ["create_deal"]);
}

/// "create a task for the owner to post the welcome pack" (12el) was asked about as paper
/// post: what a person is given to do by post is their task's title, not a channel.
/// Sending it by post is still asked about.
#[test]
fn a_task_to_post_something_is_a_task() {
    let b = ok(
        "When a lead is converted, send a notification to the owner and create a task for them to post the welcome pack, due in 3 days",
    );
    assert_eq!(kinds(&b), ["send_notification", "create_task"]);
    assert_eq!(b.actions[1].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    asks("When a lead is converted, post them the welcome pack");
}

/// "send a POST to https://... so the diary gets updated" (12el): a thing outside the
/// CRM kept up to date is the order's purpose.
#[test]
fn a_purpose_outside_the_crm_is_read_past() {
    let b = ok(
        "When a new deal is created, please send a POST to https://hooks.example.org/new-booking so the diary gets updated.",
    );
    assert_eq!(kinds(&b), ["webhook"]);
}

/// "notify Kofi and assign the contact to him" (12ej): "him" is the person named before,
/// as it is for a task or a call; with no one named it is asked about.
#[test]
fn him_after_a_name_is_who_the_record_goes_to() {
    let b = ok("If a contact is created from Referral, notify Kofi and assign the contact to him");
    assert_eq!(b.actions[1].field("assignee"), Some("Kofi"));
    asks("If a contact is created, assign the contact to him");
}

/// 12em's virtual assistants: the Filipino "po" of respect ("Hi po!", "Deal won po ->",
/// "Yes po", which was kept in a field's value), "For the client's account:" and "thank
/// you sir" are said to the reader. "PO" in capitals is a purchase order, kept.
#[test]
fn a_virtual_assistants_courtesies_are_read_past() {
    let b = ok("When a lead is edited, set the Follow Up Needed field to Yes po");
    assert_eq!(b.actions[0].field("value"), Some("Yes"));
    let b = ok("Hi po! When a deal is won, kindly send the buyer a WhatsApp 'Hi po, welcome!'");
    assert_eq!(b.actions[0].field("message"), Some("Hi po, welcome!"));
    let b = ok("Deal won po -> kindly create a company 'New Client'");
    assert_eq!(kinds(&b), ["create_company"]);
    let b = ok("For the client's account po: once a deal over $3,000 is lost, notify Anna");
    assert_eq!(b.trigger.kind, "deal_lost");
    let b = ok("If a company record is updated, kindly message Nico in chat, thank you sir");
    assert_eq!(b.actions[0].field("to"), Some("Nico"));
    let b = ok("If a meeting is booked on a deal, pls notify the deal owner, thank you ma'am");
    assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
    let b = ok("When a deal is won, set the PO Number field to Pending");
    assert_eq!(b.actions[0].field("field"), Some("PO_NUMBER"));
}
