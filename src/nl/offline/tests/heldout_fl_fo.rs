//! What the held-out sets 12fl to 12fo found at first contact with v50, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// 12fm is South African: "a deal over R50 000" read a condition of 50 rand, silently.
/// A space between groups of three digits joins them after the rand's sign too, and
/// "R80k" is eighty thousand rand.
#[test]
fn rand_with_spaced_thousands_and_a_k() {
    for (text, op, value) in [
        (
            "When a deal over R50 000 is won, notify Pieter",
            ">",
            "50000",
        ),
        (
            "When a deal over R 50 000 is won, notify Pieter",
            ">",
            "50000",
        ),
        (
            "If the amount is R150 000 or more and a deal is edited, notify Pieter",
            ">=",
            "150000",
        ),
        (
            "If a deal worth more than R80k is lost, ping Riaan in chat",
            ">",
            "80000",
        ),
        (
            "When a deal over R1.5m is won, notify Pieter",
            ">",
            "1500000",
        ),
    ] {
        let b = ok(text);
        assert_eq!(b.conditions[0].field, "OPPORTUNITY", "{text}");
        assert_eq!(b.conditions[0].operator, op, "{text}");
        assert_eq!(b.conditions[0].value, value, "{text}");
    }
}

/// 12fm: "Ja,", "Eish," and "Shame," open a South African request, as "Okay so" does
/// (with a comma or "!" after them); they were asked about.
#[test]
fn an_interjection_before_the_request() {
    for opener in ["Ja,", "Eish,", "Shame,", "Yes!", "Yeah,"] {
        let b = ok(&format!(
            "{opener} when a task becomes overdue just hand it over to Karabo"
        ));
        assert_eq!(b.trigger.kind, "task_overdue", "{opener}");
        assert_eq!(b.actions[0].fields["assignee"], "Karabo", "{opener}");
    }
}

/// 12fn: "Action 1: SMS 'Hi!' Action 2: notify the responsible person" dropped the
/// notification and texted the responsible person, silently: after a quoted message the
/// next label is the only end the sentence has. A bare "action" after a comma in a spec
/// written as fields is a label too.
#[test]
fn a_spec_label_after_a_quote_or_a_comma() {
    let b = ok(
        "Trigger: new lead. Action 1: SMS 'Hi! Thanks for your interest. Reply STOP to opt out.' Action 2: notify the responsible person",
    );
    assert_eq!(kinds(&b), ["send_sms", "send_notification"]);
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_PHONE}}");
    assert_eq!(b.actions[1].fields["to"], "{{ASSIGNED_BY_ID}}");
    let b = ok("Flow step: lead modified, condition amount above 800, action hand it to Marcus");
    assert_eq!(b.conditions[0].value, "800");
    assert_eq!(kinds(&b), ["assign_responsible"]);
    // "action" as a verb, or as a noun in a sentence, is no label.
    asks("Action the refund when a deal is lost");
}

/// 12fn: "set the Box Plan field to Monthly" was asked about as a repetition; a frequency
/// word a field is set to is its value. Said of an order, it is still asked about.
#[test]
fn a_frequency_word_as_a_fields_value() {
    let b = ok("Once a deal is won, set the Box Plan field to Monthly");
    assert_eq!(b.actions[0].fields["value"], "Monthly");
    let q = asks("Once a deal is won, send the client a report monthly");
    assert!(q[0].contains("\"monthly\""), "{q:?}");
}

/// 12fn and 12fo: a shop platform an order comes in from is the deal's source; "move the
/// deal in stage X" and "pass the deal in stage X" (French "passer en étape") name the
/// stage, unless a "to" names another.
#[test]
fn a_shop_platform_source_and_a_stage_after_in() {
    let b = ok("When a new deal comes in from Shopify, move it to Awaiting Payment");
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    assert_eq!(b.conditions[0].value, "Shopify");
    for verb in ["move", "pass"] {
        let b = ok(&format!(
            "When a meeting is planned, {verb} the deal in stage Meeting Planned and notify Camille"
        ));
        assert_eq!(kinds(&b), ["move_stage", "send_notification"], "{verb}");
        assert_eq!(b.actions[0].fields["stage"], "MEETING_PLANNED", "{verb}");
    }
    let b = ok("When a deal is updated, move the deal in stage Review to Approved");
    assert_eq!(b.actions[0].fields["stage"], "APPROVED");
}

/// Found in the lower-case copy of 12fm: "the amount is r150 000 or more" read "= r150
/// 000", then ">= 000", silently; "the amount is zero" read "= zero". The amount is a
/// number: compared with anything else, or with a group of a number's digits, it is asked
/// about.
#[test]
fn the_amount_compared_with_no_number() {
    for value in ["r150 000 or more", "abc", "zero"] {
        asks(&format!(
            "if a deal is edited and the amount is {value}, message Pieter on chat"
        ));
    }
    let b = ok("if a deal is edited and the amount is 150 000 or more, message Pieter on chat");
    assert_eq!(b.conditions[0].operator, ">=");
    assert_eq!(b.conditions[0].value, "150000");
}
