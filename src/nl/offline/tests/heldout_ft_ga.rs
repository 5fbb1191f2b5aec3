//! What the held-out sets 12ft to 12ga found at first contact with v52, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// 12ft and 12fy: a lead's "Company Name field is empty" read the lead's title, silently
/// (as 12en and 12fc had); 12fy: "and Company field is empty" read a field called FIELD.
/// A name called a field, each of its words with a capital, keeps its record's word.
#[test]
fn a_record_word_in_a_fields_name() {
    let b = ok("if lead is edited and Company Name field is empty → create task for Golnaz");
    assert_eq!(b.conditions[0].field, "COMPANY_NAME");
    // A record's company is its link (v71).
    let b = ok("New contact created and Company field is empty -> create company 'Private'");
    assert_eq!(b.conditions[0].field, "COMPANY_ID");
    // The amount keeps its own name.
    let b = ok("When a deal is updated and the Deal Amount field is empty, notify Anna");
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    // 12fu, 12fz and 12ga: "set Lead Score to 20" set SCORE, silently.
    for (text, field) in [
        (
            "lead updated; set Lead Temperature to Warm",
            "LEAD_TEMPERATURE",
        ),
        ("When a lead is updated, set Lead Score to 20", "LEAD_SCORE"),
        ("When a deal is won, set Deal Amount to 5000", "OPPORTUNITY"),
    ] {
        let b = ok(text);
        assert_eq!(b.actions[0].fields["field"], field, "{text}");
    }
}

/// 12ft: "update the deal: Quote Status field to Approved" moved the deal's stage,
/// silently; "update the deal, Payment Status field = Paid" was asked about. A status
/// called a field is a field, and after a colon or a comma come the field and its value.
#[test]
fn a_status_called_a_field_after_a_colon() {
    let b = ok("When quote is approved, update the deal: Quote Status field to Approved");
    assert_eq!(kinds(&b), ["update_deal"]);
    assert_eq!(b.actions[0].fields["field"], "QUOTE_STATUS");
    assert_eq!(b.actions[0].fields["value"], "Approved");
    let b = ok("Invoice paid → update the deal, Payment Status field = Paid");
    assert_eq!(b.actions[0].fields["field"], "PAYMENT_STATUS");
    asks("When a deal is won, update the deal, then notify Anna");
}

/// 12fw: "New deal with no amount entered?" read a stage move, silently; what a record
/// lacks is entered, not the record. 12fx: "send original documents by Nova Poshta
/// letter" sent an e-mail, silently; a letter sent by a named carrier is on paper.
#[test]
fn what_a_record_lacks_and_a_letter_by_a_carrier() {
    let b = ok("New deal with no amount entered? Notify the owner 'Please enter the value'");
    assert_eq!(b.trigger.kind, "deal_created");
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    assert_eq!(b.conditions[0].operator, "empty");
    asks("When invoice is paid, send original documents by Nova Poshta letter");
}
