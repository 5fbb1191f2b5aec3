//! What the held-out sets 12dx to 12ea found at first contact with v38, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// "notify Dr. Okafor" (12dz): a surname shaped like a job ("-or", "-er") was read as a
/// job after the title, and the title dropped: "Okafor", "Baker".
#[test]
fn a_title_keeps_its_surname_whatever_its_shape() {
    let b = ok("When a deal over 3000 is won, email the pt 'Thank you' and notify Dr. Okafor");
    assert_eq!(b.actions[1].field("to"), Some("Dr. Okafor"));
    let b = ok("When a deal is won, notify Mrs. Taylor");
    assert_eq!(b.actions[0].field("to"), Some("Mrs. Taylor"));
    let b = ok("When a deal is won, notify the dispatcher");
    assert_eq!(b.actions[0].field("to"), Some("dispatcher"));
}

/// "alert our broker Diane Foster" (12dy): a role, then a first name and a surname.
#[test]
fn a_role_before_a_full_name_is_the_person_named() {
    let b = ok("If a deal worth more than 400000 is lost, alert our broker Diane Foster");
    assert_eq!(b.actions[0].field("to"), Some("Diane Foster"));
}

/// "Date of Birth field empty" (12dz) became DATE_OF_THE_BIRTH: a field's name with
/// "of" in it, in a note's state with no verb.
#[test]
fn a_field_name_with_of_in_a_note_stays_whole() {
    let b = ok(
        "contact updated & Date of Birth field empty → remind the responsible person to get DOB, in 1 day",
    );
    assert_eq!(b.conditions[0].field, "DATE_OF_BIRTH");
}

/// "remove the cold tag lah" (12ea) removed the tag "lah". Singaporean and Malaysian
/// English: "lah" and "can or not?" close a request, "already" after an event says it
/// happened, "pls help to" asks politely, "RM 10000" is an amount.
#[test]
fn singaporean_and_malaysian_turns_are_read() {
    let b = ok("whenever lead get updated and source is Walk-in, remove the cold tag lah");
    assert_eq!(b.actions[0].field("tag"), Some("cold"));
    let b = ok("Deal won already -> pls help to WhatsApp the customer 'Thank you'");
    assert_eq!(kinds(&b), ["send_whatsapp"]);
    let b = ok("deal go to Negotiation stage, remind the rep in 3 days to follow up, can or not?");
    assert_eq!(kinds(&b), ["set_reminder"]);
    let b = ok("When a deal above RM 10000 is lost, pls notify Mei Ling 'Big order lost'");
    assert_eq!(b.conditions[0].value, "10000");
}

/// A Quebec office's English (12dx): "courriel" is e-mail, a client's "file" is the
/// contact.
#[test]
fn a_quebec_offices_words_are_read() {
    let b = ok("When a deal is won, send the client a courriel 'Merci!'");
    assert_eq!(kinds(&b), ["send_email"]);
    let b = ok("When a client file is updated, notify the account manager");
    assert_eq!(b.trigger.kind, "contact_updated");
    let b = ok("When a new patient file is opened, email them with subject 'Welcome'");
    assert_eq!(b.trigger.kind, "contact_created");
}

/// "WhatsApp pt" (12dz): a clinic's shorthand for the patient, the client.
#[test]
fn pt_is_the_patient() {
    let b = ok("lead converted -> WhatsApp pt 'Welcome to Clearview!'");
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
}

/// "when a contact is updated but there's still no email address" (12dy).
#[test]
fn theres_still_no_channel_is_a_condition() {
    let b =
        ok("When a contact is updated but there's still no email address, remind Maria in 2 days");
    assert_eq!(b.conditions[0].field, "EMAIL");
    assert_eq!(b.conditions[0].operator, "empty");
}

/// "a laser eye consult" (12dz) is left read as any meeting, as "a termite deal" is read
/// as any deal: most writers label a plain word before the record as a description.
/// Asking stays for a judging word.
#[test]
fn a_judging_word_before_a_meeting_is_still_asked_about() {
    assert!(!asks("If a VIP client books a consult, text them the pre-assessment info").is_empty());
}
