//! What the held-out sets 12ch to 12ck found at first contact with v28, each fixed by
//! the principle behind it.

use super::{asks, kinds, ok};

/// "notify Helen, our sales lead, straight away" notified Helen and "sales lead": a role
/// after a name, between commas or at the end, says who she is. In a list ("..., our
/// sales lead, and Tom") it is not read so.
#[test]
fn a_role_after_a_name_between_commas_is_who_they_are() {
    let b =
        ok("If a deal worth more than 10000 is lost, notify Helen, our sales lead, straight away.");
    assert_eq!(kinds(&b), ["send_notification"]);
    assert_eq!(b.actions[0].field("to"), Some("Helen"));
    let b = ok("If a deal is lost, notify Helen, our sales lead.");
    assert_eq!(kinds(&b), ["send_notification"]);
    asks("If a deal is lost, notify Helen, our sales lead, and Tom");
}

/// "new contact + Company field empty" read the field as `FIELD` (v28 wrote it "Company
/// field is empty"): the field's state with no verb names the field as written; a
/// record's company is its link, `COMPANY_ID` (v71).
#[test]
fn a_record_word_called_a_field_keeps_its_name() {
    let b = ok("new contact + Company field empty -> create company 'Private client'");
    assert_eq!(b.conditions[0].field, "COMPANY_ID");
    assert_eq!(b.conditions[0].operator, "empty");
}

/// "Don't forget to ...", "Can we make sure that ...", "What I need is, ..." were asked
/// about: how a request is put, before the request, is read past.
#[test]
fn the_words_a_request_is_put_in_are_read_past() {
    let b = ok("Don't forget to let Priya know whenever a deal over 3000 is lost");
    assert_eq!(b.actions[0].field("to"), Some("Priya"));
    let b = ok(
        "Can we make sure that when a deal hits Contract Sent, the rep gets a reminder in 2 days",
    );
    assert_eq!(kinds(&b), ["set_reminder"]);
    let b = ok("What I need is, whenever an invoice is overdue, an email to the customer");
    assert_eq!(kinds(&b), ["send_email"]);
    // "don't" inside the request is still a request not to.
    asks("When a deal is won, don't notify Anna");
}
