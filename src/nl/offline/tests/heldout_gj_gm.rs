//! What the held-out sets 12gj to 12gm found at first contact with v56, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// 12gk: a request passed on by someone else, in the third person, was asked about 83
/// times in 102. The frame ("Per Raj:", "Maria wants that", "Sales asked if we could",
/// "They'd like the system to") is read as the request; who asked is reached only where
/// the relay says so ("Raj would like to be notified", "a task for himself").
#[test]
fn a_request_passed_on() {
    for text in [
        "Per Raj: new deal created -> task for Olek to do the roof survey, due in 3 days",
        "Maria wants that whenever a new deal gets created the couple gets an email, subject 'Your date'",
        "According to finance, any change to a deal should fire a POST to https://hooks.example.com/deal",
        "Ines's request: when a deal is created, make a task for front desk, due tomorrow",
        "Maria asked: new company added -> notify Tom, 'New corporate client'",
        "They'd like the system to text the student whenever their deal is modified: 'Updated'",
    ] {
        ok(text);
    }
    let b = ok("Raj would like to be notified whenever a contact is changed: 'Contact updated'");
    assert_eq!(kinds(&b), ["send_notification"]);
    assert_eq!(b.actions[0].fields["to"], "Raj");
    let b = ok(
        "According to Raj, if a deal is lost and it was worth more than 12000, he wants a task for himself to call them back in a week, high priority",
    );
    assert_eq!(b.actions[0].fields["assignee"], "Raj");
    // Something wanted with no one named for it is for the one who wants it.
    let b = ok("Tom wants a task when a deal is won");
    assert_eq!(b.actions[0].fields["assignee"], "Tom");
    let b = ok("Tom wants a task for Anna when a deal is won");
    assert_eq!(b.actions[0].fields["assignee"], "Anna");
    let b = ok("Ines asked if lost deals could send the student a short SMS: 'Sorry'");
    assert_eq!(kinds(&b), ["send_sms"]);
    // Who asked, said last, is no part of the request.
    let b = ok("Deal won -> tag booked, remove tag tentative. That's from Tom, short and sweet");
    assert_eq!(kinds(&b), ["add_tag", "remove_tag"]);
    // A name alone before a colon cannot be told from a heading ("Wholesale:"), so it is
    // not read as one passing a request on.
    asks(
        "Sofia: when a deal reaches Placement Test, schedule a call with the student for tomorrow",
    );
}

/// 12gk: "No body needed she says." sent a second e-mail, to "No". An e-mail's body
/// left out is its default, and who said it asks for nothing.
#[test]
fn no_body_and_who_said_it() {
    let b = ok(
        "lead changes -> email the person, subject \"We've got your updated details\". No body needed she says.",
    );
    assert_eq!(kinds(&b), ["send_email"]);
    let b =
        ok("new lead -> send it to https://forms.example.com/hook (POST, she says) and tag it web");
    assert_eq!(kinds(&b), ["webhook", "add_tag"]);
}

/// 12gj: "New meeting booked and the amount is empty: task for the owner" dropped the
/// condition: the words before the colon were read past as a heading. A heading names
/// no state; "the weather is nice:" is asked about.
#[test]
fn a_state_before_a_colon_is_no_heading() {
    let b = ok("Deal won and the amount is empty: task for the owner 'Fill in the amount'");
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    assert_eq!(b.conditions[0].operator, "empty");
    asks("Deal won and the weather is nice: task for the owner");
}

/// 12gj: silent answers. "If the stage of a deal changes" was any edit; "mail the
/// responsible" e-mailed the client; "the tag 'x' and Sofie as responsible" added two
/// tags; "if a new lead is for a sofa" dropped the condition; "tag 'new' and eventually
/// also send them a WhatsApp" sent it (a hedge is asked); "ring the lead within 2 hours,
/// high prio" set a PRIORITY field on the lead.
#[test]
fn dutch_and_scandinavian_turns() {
    let b = ok("If the stage of a deal changes, add a comment 'Stage changed, check the planning'");
    assert_eq!(b.trigger.kind, "stage_changed");
    let b = ok("task overdue -> mail the responsible, subject 'Overdue task'");
    assert_eq!(b.actions[0].fields["to"], "{{ASSIGNED_BY_ID}}");
    let b = ok("Every new lead should get the tag 'tannlege-2027' and Sofie as responsible.");
    assert_eq!(kinds(&b), ["add_tag", "assign_responsible"]);
    assert_eq!(b.actions[1].fields["assignee"], "Sofie");
    asks("If a new lead is for a sofa, give it to Ida, she knows the sofas");
    ok("When a new deal for a conference stand comes in, give it to Ida");
    asks("When a contact is created, tag 'new' and eventually also send them a whatsapp");
    asks("When a deal is lost, maybe email the client");
    asks("lead created → task for Willem, ring the lead within 2 hours, high prio");
    // "offerte" is a quote, "the relation" the client, and greetings in the writer's
    // own language are courtesy.
    let b = ok(
        "When the client approves the offerte, create an invoice 'Invoice for approved offerte'",
    );
    assert_eq!(b.trigger.kind, "quote_approved");
    let b = ok(
        "When an invoice is overdue, send the relation a reminder by mail, subject 'Payment reminder'",
    );
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_EMAIL}}");
    ok("Hej! When a deal is created, put tag 'new-patient' on it. Tack!");
}

/// 12gl: "create quote 'Initial estimate' on Armen" and "make task on accountant Mariam"
/// lost or misread whom; "create deal 'Project start' on Narek at stage 'Preparation'"
/// made a stage NAREK_AT. A thing made "on" someone is made for them.
#[test]
fn made_on_someone() {
    let b = ok("lead converted → create quote 'Initial estimate' on Armen");
    assert_eq!(b.actions[0].fields["assignee"], "Armen");
    let b =
        ok("When quote is approved, create deal 'Project start' on Narek at stage 'Preparation'");
    assert_eq!(b.actions[0].fields["assignee"], "Narek");
    assert_eq!(b.actions[0].fields["stage"], "PREPARATION");
    let b = ok(
        "If company info updated and field TAX_ID is empty, make task on accountant Mariam to ask tax id from client, high priority",
    );
    assert_eq!(b.actions[0].fields["assignee"], "Mariam");
    // A day is no one: "a task on Monday" is asked about as written.
    let questions = asks("When a deal is won, create a task on Monday");
    assert!(
        questions.iter().any(|q| q.contains("on Monday")),
        "{questions:?}"
    );
    // A place is no one: "on stage New", "on Marta's list".
    let b =
        ok("When lead converted, create deal 'Wine tour order' on stage Tasting Booked for Tamar");
    assert_eq!(b.actions[0].fields["stage"], "TASTING_BOOKED");
}

/// 12gl: a Russian speaker's turns ("till tomorrow", "make responsible Lilit", "in case
/// if", "closed unsuccessfully", "commercial offer", "deadline of task is passed"), and
/// two silent answers: "send email to right person" e-mailed the client, and "closed
/// successfully, move it to stage 'Lost'" did both.
#[test]
fn russian_turns_and_contradictions() {
    let b = ok(
        "When deal is lost, obligatory make task on responsible manager to write reason of loss, till tomorrow.",
    );
    assert_eq!(b.actions[0].fields["deadline"], "+1d");
    let b = ok("When deal is closed unsuccessfully, send email to client with subject 'Sorry'");
    assert_eq!(b.trigger.kind, "deal_lost");
    let b = ok("When quote is created and amount more than 50000, make responsible Tigran");
    assert_eq!(kinds(&b), ["assign_responsible"]);
    let b = ok(
        "When deadline of task is passed, write in chat to person responsible 'Your task is overdue!'",
    );
    assert_eq!(b.trigger.kind, "task_overdue");
    let b = ok(
        "When commercial offer (quote) is created, write to client email with subject 'Your offer'",
    );
    assert_eq!(b.trigger.kind, "quote_created");
    asks("When new contact is created, send email to right person from our team");
    asks("When deal is closed successfully, move it to stage 'Lost' and put tag won");
    asks("When a deal is lost, move it to Won");
}

/// 12gm: a fundraiser's words. A gift is a deal, the donor and the supporter are the
/// client, the portfolio manager is the responsible person; "someone should give them a
/// ring" names no one; a quote's "students' lives" keeps its apostrophe.
#[test]
fn a_fundraisers_words() {
    let b =
        ok("When a gift moves to 'Ask Made', set a reminder for the portfolio manager in 5 days");
    assert_eq!(b.trigger.kind, "stage_changed");
    assert_eq!(b.actions[0].fields["assignee"], "{{ASSIGNED_BY_ID}}");
    let b = ok("When anyone books a meeting on a deal, move the gift to In Cultivation");
    assert_eq!(b.actions[0].fields["stage"], "IN_CULTIVATION");
    asks("When a show sponsor's invoice is paid, someone should give them a ring to say thanks");
    let b = ok(
        "Once a prospect is converted, email them. Subject: 'Welcome'. Body: 'Thank you - your support changes students' lives.'",
    );
    assert_eq!(
        b.actions[0].fields["body"],
        "Thank you - your support changes students' lives."
    );
    // A quote that ends on a plural's apostrophe still ends there when another follows.
    let b = ok("When a deal is won, tag 'leads' and notify Anna 'Done'");
    assert_eq!(b.actions[0].fields["tag"], "leads");
}
