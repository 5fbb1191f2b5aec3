//! What the held-out sets 12gv to 12gy found at first contact with v59, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// 12gx: "on any stage change pls send notification to responsible" set a field called
/// PLEASE_SEND_NOTIFICATION: the change of a stage, named as a noun, is the event, and
/// the order after it is read on its own. "On stage change to X" still names the stage.
#[test]
fn a_stage_change_named_as_a_noun_is_the_event() {
    let b = ok("on any stage change pls send notification to responsible");
    assert_eq!(b.trigger.kind, "stage_changed");
    assert!(b.trigger.params.is_empty());
    assert_eq!(kinds(&b), ["send_notification"]);
    assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
    let b = ok("On stage change, tag it moved");
    assert_eq!(kinds(&b), ["add_tag"]);
    let b = ok("on stage change to Won notify Anna");
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("WON")
    );
}

/// 12gx: "field Country empty" made a field called THE_COUNTRY; an article before a
/// field's name is no part of it.
#[test]
fn an_article_is_no_part_of_a_fields_name() {
    let b =
        ok("lead updated, field Country empty → task on Madina 'Ask client country' till tomorrow");
    assert_eq!(b.conditions[0].field, "COUNTRY");
    assert_eq!(b.actions[0].field("assignee"), Some("Madina"));
}

/// 12gx: "task on warehouse 'X'" went to "on warehouse"; "create deal 'X' responsible
/// Ganbold" lost Ganbold; "When cargo passes Zamyn-Uud border" waited for a stage
/// called ZAMYN_UUD_BORDER (what a thing passes, with no "to", is a place).
#[test]
fn whose_task_or_deal_and_what_a_thing_passes() {
    let b = ok(
        "invoice paid → task on warehouse 'Prepare equipment for shipment' deadline 2 days, high priority",
    );
    assert_eq!(b.actions[0].field("assignee"), Some("warehouse"));
    let b =
        ok("When company is added, create deal 'First shipment' responsible Ganbold, stage New");
    assert_eq!(b.actions[0].field("assignee"), Some("Ganbold"));
    asks(
        "When cargo passes Zamyn-Uud border, write to client in whatsapp 'Your cargo crossed the border'",
    );
    let b = ok("when a deal passes to Negotiation, notify Anna");
    assert_eq!(b.trigger.kind, "stage_changed");
}

/// Older, found in the v58 review: "task Tom to call them" gave the task to the owner,
/// and "task sales to call them" booked a call for someone called "task sales". "task"
/// is the verb; whose the task is comes next, and "to ..." is what it is for.
#[test]
fn task_someone_to_do_something() {
    let b = ok("When a deal is won, task Tom to call them");
    assert_eq!(kinds(&b), ["create_task"]);
    assert_eq!(b.actions[0].field("assignee"), Some("Tom"));
    let b = ok("When a deal is won, task sales to call them");
    assert_eq!(kinds(&b), ["create_task"]);
    assert_eq!(b.actions[0].field("assignee"), Some("sales"));
    let b = ok("new deal created -> task for Olek to do the roof survey, due in 3 days");
    assert_eq!(b.actions[0].field("assignee"), Some("Olek"));
}

/// 12gv: "book call with customer in 2 days (Antti calls)" left the call with the owner;
/// a bracket that says who does the order before it is read with it.
/// 12gv: "Bitrix to warehouse 'Prepare installation kit'" was read as a tag.
#[test]
fn who_calls_in_brackets_and_bitrix_as_the_verb() {
    let b = ok(
        "When invoice is overdue, book call with customer in 2 days (Antti calls) and write comment 'Overdue, call booked'",
    );
    assert_eq!(kinds(&b), ["schedule_call", "add_comment"]);
    assert_eq!(b.actions[0].field("assignee"), Some("Antti"));
    let b = ok(
        "deal to stage Installation -> book call with client tomorrow, Ville calls. Tag install_booked, comment 'Installation call booked', Bitrix to warehouse 'Prepare installation kit'",
    );
    assert_eq!(
        kinds(&b),
        [
            "schedule_call",
            "add_tag",
            "add_comment",
            "send_bitrix_message"
        ]
    );
    assert_eq!(b.actions[3].field("to"), Some("warehouse"));
}

/// 12gw: "tag lost to cash and carry n task the area manager ..." added the tag "lost"
/// and gave the task to the owner. "n" before an order is "and"; a tag cut short at
/// "to" before words that name no record is asked about.
#[test]
fn n_for_and_and_a_tag_cut_short() {
    let b = ok("Lost deal -> tag lost n task the area manager to review it within a week");
    assert_eq!(kinds(&b), ["add_tag", "create_task"]);
    assert_eq!(b.actions[1].field("assignee"), Some("area manager"));
    asks(
        "Lost deal -> tag lost to cash and carry n task the area manager to review it within a week",
    );
    let b = ok("deal won -> add tag vip to the deal");
    assert_eq!(b.actions[0].field("tag"), Some("vip"));
}

/// 12gy: "overdue tasks: remind the responsible in 1 hour and email them" e-mailed the
/// client. On a task's rule "them" after the responsible person is that person.
#[test]
fn them_after_the_responsible_on_a_task() {
    let b = ok(
        "overdue tasks: remind the responsible in 1 hour and email them subject 'Overdue task - please update'",
    );
    assert_eq!(b.actions[1].field("to"), Some("{{ASSIGNED_BY_ID}}"));
}

/// Read since 12gv–12gy: "give info to X", "in deal set field X = Y", "credit control"
/// and "the depot" as teams, a span after a task's title, a sign-off with the signer's
/// role, and a field named by a common noun said to be empty or lacking.
#[test]
fn first_contact_misses() {
    let b = ok("lead converted → send whatsapp to client 'Thank you!' and give info to Asel");
    assert_eq!(kinds(&b), ["send_whatsapp", "send_notification"]);
    assert_eq!(b.actions[1].field("to"), Some("Asel"));
    let b = ok("invoice paid -> in deal set field Payment status = Paid, and notify Enkhjargal");
    assert_eq!(kinds(&b), ["update_deal", "send_notification"]);
    let b = ok("new company → task credit control 'Run credit check', due in 2 days");
    assert_eq!(b.actions[0].field("assignee"), Some("credit control"));
    let b = ok("quote approved - task the depot 'Pick & load', deadline 2 days");
    assert_eq!(b.actions[0].field("assignee"), Some("depot"));
    let b = ok("new lead → task Nina 'qualify lead' 1 day");
    assert_eq!(b.actions[0].field("deadline"), Some("+1d"));
    let b = ok("When an invoice gets paid, notify accounts. Thanks, Mo (studio mgr)");
    assert_eq!(kinds(&b), ["send_notification"]);
    let b = ok("invoice overdue, notify the area manager. cheers, Dave - Kestrel north depot");
    assert_eq!(kinds(&b), ["send_notification"]);
    for (text, field) in [
        (
            "When deal updated and amount still empty then notify Anna",
            "OPPORTUNITY",
        ),
        (
            "When company is updated and VAT number empty then notify Anna",
            "VAT_NUMBER",
        ),
        (
            "when a company record is updated and there's no VAT number, notify Anna",
            "VAT_NUMBER",
        ),
        (
            "When an email activity is added and deal has no amount then notify Anna",
            "OPPORTUNITY",
        ),
    ] {
        let b = ok(text);
        assert_eq!(b.conditions[0].field, field, "{text}");
        assert_eq!(b.conditions[0].operator, "empty", "{text}");
    }
    let b = ok("Deal updated -> if Cleaning Address is empty, notify Anna");
    assert_eq!(b.conditions[0].field, "CLEANING_ADDRESS");
}

/// 12gw, 12gy: "when we win one", "if we lose anything over 15k" were no event.
#[test]
fn we_win_one_or_lose_anything() {
    let b = ok("when we win one, create an invoice 'Opening order - pro forma'");
    assert_eq!(b.trigger.kind, "deal_won");
    let b = ok(
        "if we lose anything over 15k i want a task for the owner to do a post-mortem within a week",
    );
    assert_eq!(b.trigger.kind, "deal_lost");
    assert_eq!(b.conditions[0].value, "15000");
}

/// 12gv, 12gx: "please make that Päivi gets notification", "Please make so: if deal won
/// ...", "Need this: when ...": how the request is put, before what it asks.
#[test]
fn please_make_so() {
    let b = ok("When deal is created then please make that Päivi gets notification. Kiitos");
    assert_eq!(kinds(&b), ["send_notification"]);
    assert_eq!(b.actions[0].field("to"), Some("Päivi"));
    let b =
        ok("Good day! Please make so: if deal won, send email to client with subject 'Thank you'");
    assert_eq!(b.trigger.kind, "deal_won");
    let b = ok(
        "Good day. Need this: when deal is updated, send POST request to https://hooks.example.kz/deal",
    );
    assert_eq!(kinds(&b), ["webhook"]);
}
