//! What the held-out sets 12bd to 12bg found at first contact with v22, each fixed by
//! the principle behind it.

use super::{asks, ok};

/// "If the building is in Krakow" was a deal moving to a stage called KRAKOW. Being in
/// a bare name is where a thing is; only a deal's own word ("the deal is in
/// Negotiation", "the booking is in Confirmed") or the word "stage" makes it a stage.
#[test]
fn being_in_a_place_is_no_stage() {
    asks("If the building is in Krakow, assign new deals to Piotr");
    asks("If the car is in Krakow, notify Anna");
    let b = ok("When the deal is in Negotiation, notify Anna");
    assert_eq!(b.trigger.kind, "stage_changed");
    let b = ok("When the job is in the Survey stage, notify Anna");
    assert_eq!(b.trigger.kind, "stage_changed");
}

/// "the Budget field has been filled in" was the amount. Every record has an amount, so
/// a field called by another of its names and said to be empty or filled in is the
/// portal's own field of that name; "the budget is over 5000" is still the amount.
#[test]
fn a_budget_field_filled_in_is_that_field() {
    let b =
        ok("When a lead is updated and the Budget field has been filled in, tag it 'qualified'");
    assert_eq!(b.conditions[0].field, "BUDGET");
    let b = ok("When a lead is updated and the Amount field is empty, tag it 'qualified'");
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    let b = ok("When a lead is updated and the budget is over 5000, tag it 'qualified'");
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
}
