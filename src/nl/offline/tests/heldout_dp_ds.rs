//! What the held-out sets 12dp to 12ds found at first contact with v36, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// "and phone isnt empty": "isnt" without its apostrophe left "phone" to be read as an
/// order, and v36 added a call and lost the condition.
#[test]
fn a_negation_typed_without_its_apostrophe_is_still_one() {
    let b = ok("whatsapp the lead 'Hi from FurCover!' when a lead is created and phone isnt empty");
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "PHONE");
    assert_eq!(b.conditions[0].operator, "!empty");
    assert_eq!(kinds(&b), ["send_whatsapp"]);
}

/// "When a deal is created for a trade customer": v36 tagged every new deal. The kind of
/// customer an event is for is no condition b24flow can write, so it is asked about.
#[test]
fn an_event_for_a_kind_of_customer_is_asked_about() {
    assert!(!asks("When a deal is created for a trade customer, tag it 'trade'").is_empty());
}
