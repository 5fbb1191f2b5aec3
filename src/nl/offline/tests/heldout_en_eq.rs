//! What the held-out sets 12en to 12eq found at first contact with v43, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// 12eq's Gulf prices: an ISO code before the amount ("AED 200,000", "SAR 1,500,000 or
/// more", which was read as equal to "SAR 1500000") is a currency, as "R5000" is.
#[test]
fn a_currency_code_before_an_amount_is_a_currency() {
    let b = ok("Deal won above AED 200,000 -> notify Khalid");
    assert_eq!(b.conditions[0].operator, ">");
    assert_eq!(b.conditions[0].value, "200000");
    let b = ok("If a unit sale is won and the amount is SAR 1,500,000 or more, notify Anna");
    assert_eq!(b.conditions[0].operator, ">=");
    assert_eq!(b.conditions[0].value, "1500000");
    let b = ok("Quote created for AED 20,000 or less → set a reminder for the owner tomorrow");
    assert_eq!(b.conditions[0].operator, "<=");
}

/// 12en's formal requests: "it is requested that system creates ...", "it is requested
/// to", "please be so kind to", "it is requested that the priority is set to normal"
/// (and "make sure the priority is set to normal"); "without e-mail address" is the
/// e-mail field, not one called E_MAIL_ADDRESS.
#[test]
fn a_formal_request_is_its_order() {
    let b = ok(
        "Once a deal is won, it is requested that system creates invoice 'Deposit Invoice' and sends notification to accounting team.",
    );
    assert_eq!(kinds(&b), ["create_invoice", "send_notification"]);
    let b = ok(
        "If deal is won and amount is 500000 or more, please be so kind to hand over the deal to Key Account team",
    );
    assert_eq!(kinds(&b), ["assign_responsible"]);
    let b = ok("Whenever task is created, it is requested that the priority is set to normal.");
    assert_eq!(b.actions[0].field("value"), Some("normal"));
    let b = ok("Whenever task is created, make sure the priority is set to normal.");
    assert_eq!(b.actions[0].field("value"), Some("normal"));
    let b = ok(
        "In case new lead comes without e-mail address, please create task for the person in charge to ask the email, due tomorrow.",
    );
    assert_eq!(b.conditions[0].field, "EMAIL");
}

/// 12ep's contract clauses: "shall", "forthwith", ", hereinafter the Matter,", "the
/// priority thereof" (a field PRIORITY_THEREOF, silently), "two (2) days" (three
/// reminders and a task lost their time, silently), "provided that", the event as a noun
/// ("upon the creation of", "upon receipt of payment of", "upon any amendment to"), "and
/// the tag 'x' applied", "a comment 'x' shall be recorded", "remains empty".
#[test]
fn a_contract_clause_is_read_in_plain_words() {
    let b = ok("In the event that a task is created, the priority thereof shall be set to normal.");
    assert_eq!(b.actions[0].field("field"), Some("PRIORITY"));
    let b = ok(
        "In the event that a deal reaches the stage Engagement Letter Sent, the Responsible Person shall be reminded to chase the signed copy in five (5) days.",
    );
    assert_eq!(b.actions[0].field("datetime"), Some("+5d"));
    let b = ok(
        "In the event that a deal, hereinafter the Matter, is won, an invoice entitled 'Completion Fees' shall be raised and the client shall receive an SMS 'Thank you.'",
    );
    assert_eq!(kinds(&b), ["create_invoice", "send_sms"]);
    let b = ok(
        "Provided that the amount of the deal exceeds 10000, upon the deal being won: (a) a task shall be created for Priya Nair, due within three (3) days; and (b) the tag 'retained' shall be applied.",
    );
    assert_eq!(b.conditions[0].value, "10000");
    assert_eq!(kinds(&b), ["create_task", "add_tag"]);
    let b = ok(
        "Upon receipt of payment of an invoice, the client shall receive an e-mail with the subject 'Paid'.",
    );
    assert_eq!(b.trigger.kind, "invoice_paid");
    let b = ok("Upon any amendment to a lead, the Review Status field shall be set to Re-check.");
    assert_eq!(b.trigger.kind, "lead_updated");
    let b = ok(
        "In the event that a new company is created, it shall be assigned to Katherine Webb and the tag 'corporate' applied.",
    );
    assert_eq!(kinds(&b), ["assign_responsible", "add_tag"]);
    let b = ok("Upon creation of a task, a comment 'Opened.' shall be recorded thereon.");
    assert_eq!(kinds(&b), ["add_comment"]);
    let b = ok(
        "In the event that a lead is updated and the Phone field remains empty, the tag 'no-phone' shall be applied.",
    );
    assert_eq!(b.conditions[0].operator, "empty");
    // Words and figures that disagree are left as written, and asked about.
    asks("When a deal is won, remind Anna in two (3) days");
}

/// "the source is Referral: WhatsApp the client ..." read the source as "Referral
/// WhatsApp the client", silently: a colon ends a value.
#[test]
fn a_colon_ends_a_value() {
    let b = ok(
        "Deal won, provided the source is Referral: WhatsApp the client 'Welcome aboard.' and create a task for Tom Whitfield",
    );
    assert_eq!(b.conditions[0].value, "Referral");
    assert_eq!(kinds(&b), ["send_whatsapp", "create_task"]);
}

/// A time with a number and no unit ("remind Anna in two", "due in 3") was left out,
/// silently: it is asked about.
#[test]
fn a_time_without_a_unit_is_asked_about() {
    for text in [
        "When a deal is won, remind Anna in two",
        "When a deal is won, create a task for Anna due in 3",
        "When a deal is won, schedule a call for Anna within two",
    ] {
        let q = asks(text);
        assert!(
            q.iter().any(|q| q.contains("Say the unit")),
            "{text}: {q:?}"
        );
    }
    let b = ok("When a deal is won, create a task for Anna due in 3 working days");
    assert_eq!(b.actions[0].field("deadline"), Some("+3d"));
}

/// "remind harriet cole in 2 days" (a lower-case copy of 12ep) went to the owner,
/// silently; one lower-case word was already asked about, and two are too.
#[test]
fn two_lower_case_words_after_remind_are_asked_about() {
    let q = asks("When a company is updated, remind harriet cole in 2 days");
    assert!(q.iter().any(|q| q.contains("harriet cole")), "{q:?}");
    let b = ok("When a company is updated, remind Harriet Cole in 2 days");
    assert_eq!(b.actions[0].field("assignee"), Some("Harriet Cole"));
}

/// "contact created w a phone number" (12eo): "with a phone number" after the event was
/// read past, silently; it is the phone field filled in. "w" before an article is "with".
#[test]
fn a_record_with_a_phone_number_has_its_phone_filled_in() {
    let b = ok("contact created w a phone number → whatsapp them 'yo!'");
    assert_eq!(b.conditions[0].field, "PHONE");
    assert_eq!(b.conditions[0].operator, "!empty");
    let b = ok("When a contact is created with an email, email them 'Welcome'");
    assert_eq!(b.conditions[0].field, "EMAIL");
    let b = ok("new lead w/ source Facebook -> tag 'fb'");
    assert_eq!(b.conditions[0].value, "Facebook");
}

/// 12eo's slang ("no cap", "lowkey", "thats it fr") is read past; what the reporting
/// "depends on" explains the order, it leaves no choice open; "give it high priority"
/// sets the task's priority.
#[test]
fn slang_and_what_depends_on_it_are_read_past() {
    let b = ok(
        "whenever someone updates a deal, send a POST to https://hooks.example.com/abc no cap we need this for the dashboard",
    );
    assert_eq!(kinds(&b), ["webhook"]);
    let b = ok(
        "company edited? send a POST to https://hooks.example.co/sync, lowkey the whole reporting thing depends on it",
    );
    assert_eq!(kinds(&b), ["webhook"]);
    let b = ok("company updated → notify Marcus, thats it fr");
    assert_eq!(b.actions[0].field("to"), Some("Marcus"));
    let b = ok(
        "meeting booked? create a task for Ava to prep the pitch deck, due in 1 day, and give it high priority",
    );
    assert_eq!(b.actions[0].field("priority"), Some("high"));
    // A choice is still a choice.
    asks("When a deal is won, notify Anna or Bob depending on the region");
}
