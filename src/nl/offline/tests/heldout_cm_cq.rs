//! What the held-out sets 12cm to 12cq found at first contact with v29, each fixed by
//! the principle behind it.

use super::{asks, kinds, ok};

/// "the amount is exactly 0" compared the amount with "exactly 0": "exactly" says the
/// comparison is an equality, and is no part of the value.
#[test]
fn exactly_is_an_equality_not_part_of_the_value() {
    let b = ok("Whenever a deal is edited and the amount is exactly 0, tag it 'check price'");
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(
        (
            b.conditions[0].field.as_str(),
            b.conditions[0].operator.as_str(),
            b.conditions[0].value.as_str()
        ),
        ("OPPORTUNITY", "=", "0")
    );
}

/// "set the Status field on the deal" after a task was completed set the task's own
/// status: a deal named in the order makes it the deal's field of that name (a deal has
/// no STATUS_ID; its stage is STAGE_ID).
#[test]
fn a_status_field_on_the_deal_is_the_deals_field() {
    let b = ok("When a task is completed, set the Status field on the deal to Installed");
    assert_eq!(kinds(&b), ["update_deal"]);
    assert_eq!(b.actions[0].field("field"), Some("STATUS"));
    assert_eq!(b.actions[0].field("value"), Some("Installed"));
    let b = ok("When a task is completed, change its status to Done");
    assert_eq!(kinds(&b), ["update_task"]);
    let b = ok("When a deal is won, set the Status field to Installed");
    assert_eq!(b.actions[0].field("field"), Some("STATUS"));
}

/// "when a new lead is moved to Qualified" was read as a new lead, the move dropped: a
/// move to a stage after the words the event was read from is asked about.
#[test]
fn a_move_after_the_event_is_asked_about() {
    asks("when a new lead is moved to Qualified, notify Anna");
    asks("When new leads are moved to Qualified, notify Anna");
    let b = ok("When a deal moves to Proposal, notify Anna");
    assert_eq!(b.trigger.kind, "stage_changed");
}

/// "notify Martin, our sales director, and (b) set a reminder": an order after "and"
/// ends no list of people; Martin is notified once.
#[test]
fn an_order_after_and_ends_a_role_between_commas() {
    let b = ok(
        "Lost deals over 8,000 - please (a) notify Martin, our sales director, and (b) set a reminder for the rep in 30 days.",
    );
    assert_eq!(kinds(&b), ["send_notification", "set_reminder"]);
    assert_eq!(b.actions[0].field("to"), Some("Martin"));
    asks("When a deal is lost, notify Helen, our sales lead, and Tom");
}

/// A requirements list: "it should create ...", "I want Dmitri notified whenever ...",
/// "every new lead gets assigned to ...", "I want every new deal sent to <url>".
#[test]
fn a_requirement_is_the_order_it_states() {
    let b = ok("Once a deal is won, it should create an invoice 'Surf course deposit'");
    assert_eq!(kinds(&b), ["create_invoice"]);
    let b = ok("Whenever a contact is edited, it should set the Needs Review field to Yes.");
    assert_eq!(kinds(&b), ["update_field"]);
    let b = ok("I want Dmitri notified whenever a deal worth more than 20,000 is won.");
    assert_eq!(
        (b.trigger.kind.as_str(), kinds(&b)),
        ("deal_won", vec!["send_notification"])
    );
    assert_eq!(b.actions[0].field("to"), Some("Dmitri"));
    let b = ok("every new lead gets assigned to Fatima");
    assert_eq!(
        (b.trigger.kind.as_str(), kinds(&b)),
        ("lead_created", vec!["assign_responsible"])
    );
    let b = ok("I want every new deal sent to our ERP: POST https://erp.example.com/api/deals");
    assert_eq!(
        (b.trigger.kind.as_str(), kinds(&b)),
        ("deal_created", vec!["webhook"])
    );
    let b = ok("I want overdue tasks handed over to Nia, and the author alerted.");
    assert_eq!(kinds(&b), ["assign_responsible", "send_notification"]);
    let b = ok("Could you set it up so when a company is created it gets tagged commercial");
    assert_eq!(kinds(&b), ["add_tag"]);
    // "New task assigned" is an event, not an order to assign it.
    assert_ne!(
        kinds(&ok("New task assigned -> notify the responsible person")),
        ["assign_responsible", "send_notification"]
    );
    // Inside a message, "it should" is no order of the workflow's.
    asks(
        "When a deal is won, text the client saying the van is booked and it should create a task",
    );
}

/// Polite requests: "would you be able to create", "would you mind setting", "Many
/// thanks.", "Thanks ever so much", list markers "(a)" and "(b)".
#[test]
fn polite_requests_are_read_past() {
    let b = ok(
        "If a deal is won, would you be able to create an invoice titled 'First order' and add a comment 'Won'?",
    );
    assert_eq!(kinds(&b), ["create_invoice", "add_comment"]);
    let b = ok(
        "If a lead is updated, would you mind setting the Referral Checked field to Yes? Thanks ever so much.",
    );
    assert_eq!(b.actions[0].field("field"), Some("REFERRAL_CHECKED"));
    let b = ok("When a deal is won, email the client 'Thanks' and tag it 'won'. Many thanks.");
    assert_eq!(kinds(&b), ["send_email", "add_tag"]);
    let b = ok("When a deal is lost, (a) notify Martin and (b) tag it 'lost'");
    assert_eq!(kinds(&b), ["send_notification", "add_tag"]);
}

/// A bracket after an order that says why ("(our partner portal needs it)") or names
/// the order's own kind ("(a notification is fine)") is read past; one that could narrow
/// it, or that holds a detail, is not.
#[test]
fn a_bracket_that_says_why_is_read_past() {
    let b = ok(
        "Whenever a deal is created, fire a webhook to https://api.example.com/deals please (our partner portal needs it).",
    );
    assert_eq!(kinds(&b), ["webhook"]);
    let b =
        ok("When a task is completed, let the person who set it know (a notification is fine).");
    assert_eq!(kinds(&b), ["send_notification"]);
    let b = ok(
        "Whenever a contact is edited, please hand them over to Jess (she now looks after all the trade accounts).",
    );
    assert_eq!(b.actions[0].field("assignee"), Some("Jess"));
    let b = ok(
        "If a task is created, set a reminder for the assignee in 1 day (just as a gentle nudge).",
    );
    assert_eq!(kinds(&b), ["set_reminder"]);
    asks("When a deal is won, notify Anna (only the big ones)");
    asks("When a deal is won, notify Anna (just the big ones)");
    asks("When a deal is won, notify Anna (not on weekends)");
    // A detail the order reads stays the order's.
    let b = ok("deal modified -> sync it to https://warehouse.example.com/deals (GET)");
    assert_eq!(b.actions[0].field("method"), Some("GET"));
}

/// Someone named as whom a quote or a task is for is who "him" is after it; "assign
/// them to Sione" gives the record to Sione; "500 bucks" is 500; a consult is a meeting.
#[test]
fn smaller_readings_of_12cn_and_12cq() {
    let b = ok(
        "Deal reaches stage Inspection Done -> create a quote 'Termite offer' for Tomasz and remind him in 2 days",
    );
    assert_eq!(b.actions[1].field("assignee"), Some("Tomasz"));
    let b = ok(
        "When a new contact comes in, assign them to Sione and set a reminder for him for tomorrow",
    );
    assert_eq!(b.actions[0].field("assignee"), Some("Sione"));
    assert_eq!(b.actions[1].field("assignee"), Some("Sione"));
    let b = ok("If a new deal is under 500 bucks, move it to the Small Jobs stage");
    assert_eq!(b.conditions[0].value, "500");
    let b = ok("If a consult is scheduled, create a task for reception 'Prepare forms'");
    assert_eq!(b.trigger.kind, "meeting_scheduled");
}
