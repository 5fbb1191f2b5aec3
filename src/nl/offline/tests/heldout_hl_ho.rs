//! What the held-out sets 12hl to 12ho found at first contact with v63, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// 12ho: "remove the tag offerte-open" removed "quote-open", and "stage Offerte
/// verstuurd" became "QUOTE_VERSTUURD": the Dutch word for a quote is read as "quote"
/// only where it is a word of the sentence, never inside a name written in Dutch.
#[test]
fn a_dutch_word_inside_a_name_is_kept_as_written() {
    let b = ok("When the deal is gone won, put tag gewonnen and remove the tag offerte-open");
    assert_eq!(b.actions[1].field("tag"), Some("offerte-open"));
    let b = ok("When a deal moves to the stage Offerte verstuurd, notify the owner");
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("OFFERTE_VERSTUURD")
    );
    let b = ok("Quote created -> move the deal to stage Offerte and add the tag offerte-verstuurd");
    assert_eq!(b.actions[0].field("stage"), Some("OFFERTE"));
    assert_eq!(b.actions[1].field("tag"), Some("offerte-verstuurd"));
    // The event said in Dutch is still the event.
    let b = ok(
        "Offerte goedgekeurd -> make a task for Marieke 'Startdatum doorgeven' deadline tomorrow",
    );
    assert_eq!(b.trigger.kind, "quote_approved");
    let b = ok("factuur betaald and amount over 5000 → email the client subject 'Bedankt'");
    assert_eq!(b.trigger.kind, "invoice_paid");
}

/// 12hm: "the email of the client is empty, send Bitrix message to Adilson" sent the
/// client an e-mail and lost the condition; 12hn: "the email is there" compared the
/// e-mail with the word "there". Both say whether the field is filled.
#[test]
fn a_field_of_the_client_said_empty_or_there_is_a_condition() {
    let b = ok(
        "when an activity is added in deal and the email of the client is empty, send Bitrix message to Adilson 'Please ask the email'",
    );
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "EMAIL");
    assert_eq!(b.conditions[0].operator, "empty");
    let b = ok("when a contact gets created and the email is there, email them subject 'Welcome'");
    assert_eq!(b.conditions[0].field, "EMAIL");
    assert_eq!(b.conditions[0].operator, "!empty");
}

/// 12hl: "invoice paid → deal field Payment Status = Paid, notify ops" read the field as a
/// condition of the event: after the arrow, a record's field and its value are the
/// order to set it.
#[test]
fn a_field_and_its_value_after_the_arrow_are_set() {
    let b = ok("invoice paid → deal field Payment Status = Paid, notify ops 'funds in'");
    assert!(b.conditions.is_empty());
    assert_eq!(kinds(&b), ["update_deal", "send_notification"]);
    assert_eq!(b.actions[0].field("value"), Some("Paid"));
}

/// 12hl: "... - 1h, high. empty legs go fast" tagged the record "empty legs go fast", and
/// "tag it checkride. Thanks! - Office" tagged it "Office": four plain words are a
/// sentence, not a tag's name, and a farewell's signature after a dash is no tag.
#[test]
fn a_sentence_after_a_tag_is_no_second_tag() {
    let b = ok(
        "Hi, when a deal is moved to Checkride Scheduled pls schedule a call with the student tomorrow for Capt. Reyes and tag it checkride. Thanks! - Office",
    );
    assert_eq!(kinds(&b), ["schedule_call", "add_tag"]);
    assert_eq!(b.actions[0].field("assignee"), Some("Capt. Reyes"));
    asks(
        "new charter lead in? give it to Sofia, tag charter-inbound & task her 'qualify + quote' - 1h, high. empty legs go fast",
    );
}

/// 12hl: "whatsapp the pax their trip sheet at 0800Z on day of departure" sent the
/// default message: a Zulu clock time is a clock time, and is asked about.
#[test]
fn a_zulu_time_is_a_clock_time() {
    asks("invoice paid → whatsapp the pax their trip sheet at 0800Z on day of departure");
}

/// 12hm: "send one notification to Nzinga of procurement" notified "procurement"; 12hn:
/// "give the task to Moe" on an overdue task made a new task for Moe.
#[test]
fn a_person_named_with_their_department_is_the_person() {
    let b = ok(
        "When a new deal is created, make a task to Edivaldo with deadline of 2 days, and also send one notification to Nzinga of procurement",
    );
    assert_eq!(b.actions[1].field("to"), Some("Nzinga"));
    // A post is named whole.
    let b = ok("When a deal is won, notify Head of Sales");
    assert_eq!(b.actions[0].field("to"), Some("Head of Sales"));
    let b = ok(
        "When tasks go past their deadline, give the task to Moe instead and tell him 'yours now'",
    );
    assert_eq!(b.trigger.kind, "task_overdue");
    assert_eq!(kinds(&b), ["assign_responsible", "send_notification"]);
}

/// 12hn: the CRM spoken to by name and asked as a person: "Hey Bitrix, ... I need you
/// to ...", "bitrix could u remember, when ...", "please don't forget, each time ...".
#[test]
fn the_system_spoken_to_as_a_person() {
    let b = ok(
        "Hey Bitrix, whenever a new deal comes in I need you to make a task for Marisol to start on the mockup, due tomorrow, and tag it mockup-needed. thanks!!",
    );
    assert_eq!(kinds(&b), ["create_task", "add_tag"]);
    let b = ok(
        "bitrix could u remember, when a contact is updated, set Details Verified to Yes. thx a mil",
    );
    assert_eq!(kinds(&b), ["update_field"]);
    let b = ok(
        "please don't forget, each time we win a deal, tag it customer and text the buyer 'Thanks!'",
    );
    assert_eq!(kinds(&b), ["add_tag", "send_sms"]);
    // "Bitrix message" is a channel, not the reader.
    let b = ok("deal won → Bitrix message to Nhela 'check the booking'");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    // "remember to call the client" after the event is the order to call, and no one
    // called "remember" makes it.
    let b = ok("When a deal is won, remember to call the client");
    assert_eq!(kinds(&b), ["schedule_call"]);
    assert_ne!(b.actions[0].field("assignee"), Some("remember"));
}

/// 12hm: Portuguese greetings and thanks, "is necessary to" for an order, and "We
/// pretend that" for "we want".
#[test]
fn a_portuguese_speakers_frame_is_read_past() {
    let b = ok(
        "Boa tarde. We pretend that when a new deal is created the system make a task to Edivaldo for prepare the proposal with deadline of 2 days. Obrigado",
    );
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok(
        "When the deal moves to the stage Technical Evaluation, is necessary to make a task for the HSE department to verify the certificates, deadline 2 days, and to notify the responsible of the deal",
    );
    assert_eq!(kinds(&b), ["create_task", "send_notification"]);
    assert_eq!(b.actions[1].field("to"), Some("{{ASSIGNED_BY_ID}}"));
}

/// 12hl: the event as one bare word before the arrow, with what narrows it: "won &
/// source = referral →", "approved →", "converted & value > 15k →".
#[test]
fn a_bare_event_word_names_its_one_record() {
    let b = ok("won & source = referral → tag repeat-referral");
    assert_eq!(b.trigger.kind, "deal_won");
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    let b = ok("approved → tag approved + note 'approved by customer - raise WO'");
    assert_eq!(b.trigger.kind, "quote_approved");
    let b = ok("converted & value > 15k → create quote 'Block hours 25h' for Sofia to send");
    assert_eq!(b.trigger.kind, "lead_converted");
    assert_eq!(b.conditions[0].value, "15000");
}

/// Found with 12hq: "When a lead comes in by email, add tag X" dropped how the lead came
/// in: by e-mail is the portal's E-mail source, as by phone is its Call source.
#[test]
fn a_lead_that_comes_in_by_email_has_the_email_source() {
    let b = ok("When a lead comes in by email, add tag from-mail");
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    assert_eq!(b.conditions[0].value, "E-mail");
}
