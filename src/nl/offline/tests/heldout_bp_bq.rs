//! What the held-out sets 12bp and 12bq found at first contact with v25, each fixed by
//! the principle behind it.

use super::{asks, kinds, ok};

/// "notify Dominic and text the customer 'Your order is confirmed'" dropped the SMS and
/// gave its text to the notification: "text" or "message" leads a clause that only adds
/// the text of the action before when it is a noun ("text: '...'", "the message 'x'"),
/// not a verb with someone to reach.
#[test]
fn texting_the_customer_after_a_notification_is_an_order_of_its_own() {
    let b = ok(
        "When a quote gets approved, notify Dominic and text the customer 'Your order is confirmed.'",
    );
    assert_eq!(kinds(&b), ["send_notification", "send_sms"]);
    assert_eq!(
        b.actions[1].field("message"),
        Some("Your order is confirmed.")
    );
    let b = ok("When a deal is won, notify Anna, text: 'Hi'");
    assert_eq!(kinds(&b), ["send_notification"]);
    assert_eq!(b.actions[0].field("message"), Some("Hi"));
    let b = ok("When a deal is won, notify Anna with the message 'Hi'");
    assert_eq!(b.actions[0].field("message"), Some("Hi"));
}

/// "post a letter to the customer" sent an e-mail: posting a letter, a card or a pack is
/// paper, which no action sends. "post it to <url>" and "post a comment" are unchanged.
#[test]
fn posting_a_letter_is_paper() {
    asks("When a deal is lost, post a letter to the customer");
    let b = ok("When a deal is won, post a comment 'Won'");
    assert_eq!(kinds(&b), ["add_comment"]);
}
