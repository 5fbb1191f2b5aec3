//! What the held-out sets 12eb to 12ee found at first contact with v39, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// 12ed: owners work the reason for a rule into the sentence that asks for it. A reason
/// said outright ("because", "since", "which is why", "so that") after an order runs to
/// the end of the text, when nothing in it quotes, links, gives a number or a time, opens
/// a clause with an order or names someone the order did not.
#[test]
fn a_reason_said_outright_is_read_past() {
    let b = ok(
        "Whenever a deal is won, could you please email the client 'Thank you for choosing Petal & Stem' because last month we forgot to say thank you to two brides, and one of them mentioned it in her review, which was honestly mortifying.",
    );
    assert_eq!(kinds(&b), ["send_email"]);
    let b = ok(
        "When a deal over 800 is created, notify Marcus, because anything that size needs the van, Marcus is the one who books it out.",
    );
    assert_eq!(kinds(&b), ["send_notification"]);
    let b = ok(
        "When a lead is created, tag it 'new' so that we can see at a glance which enquiries nobody has touched yet.",
    );
    assert_eq!(kinds(&b), ["add_tag"]);
}

/// What a reason must not swallow: an order after it, a time, a quote, or a purpose that
/// names a thing b24flow sends.
#[test]
fn a_reason_that_orders_again_is_not_read_past() {
    let b = ok(
        "When a deal is won, notify Anna because she approves the paperwork, and create a task for her to file it",
    );
    assert_eq!(kinds(&b), ["send_notification", "create_task"]);
    // Asked about, or read as a second order; never dropped.
    for text in [
        "When a deal is won, notify Anna because the client should get an SMS 'Thanks'",
        "When a deal is won, tag it 'won' so that the client gets an SMS",
        "When a deal is won, notify Anna since it should be done by tomorrow",
    ] {
        assert!(
            !asks(text).is_empty() || ok(text).actions.len() == 2,
            "{text}"
        );
    }
}

/// A Central European calque (12ee), a counter's slang (12eb) and a call given to
/// someone after a comma (12eb).
#[test]
fn calques_and_slang_are_read() {
    let b = ok("In the moment when deal is won, make a new deal 'Warehouse setup' for Ioana");
    assert_eq!(kinds(&b), ["create_deal"]);
    let b = ok("New lead → WhatsApp the punter 'Hi, thanks for your enquiry about tyres.'");
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
    let b =
        ok("Overdue invoice → schedule a call to the customer tomorrow, give the call to Tracey");
    assert_eq!(kinds(&b), ["schedule_call"]);
    assert_eq!(b.actions[0].field("assignee"), Some("Tracey"));
}
