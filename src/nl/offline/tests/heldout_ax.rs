//! What the held-out set 12ax found at first contact with v20, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// "send Dimitri a chat message ... and create a quote assigned to him": the quote's
/// owner was dropped in silence. A pronoun where a new deal's or quote's owner goes is
/// the person named before it, or asked about; "a quote for them" still says whom the
/// quote is for.
#[test]
fn a_pronoun_owner_of_a_new_record_is_the_person_named_before() {
    let b = ok(
        "On lead conversion, send Dimitri a chat message 'New client converted' and create a quote assigned to him",
    );
    assert_eq!(kinds(&b), ["send_bitrix_message", "create_quote"]);
    assert_eq!(b.actions[1].field("assignee"), Some("Dimitri"));
    let b = ok("When a lead converts, notify the sales team and create a deal assigned to them");
    assert_eq!(b.actions[1].field("assignee"), Some("sales team"));
    asks("When a deal is won, create a quote assigned to him");
    asks("When a deal is won, create a deal owned by her");
    let b = ok("When a deal is won, create a quote for them");
    assert_eq!(b.actions[0].field("assignee"), None);
}
