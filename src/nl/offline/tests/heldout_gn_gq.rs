//! What the held-out sets 12gn to 12gq found at first contact with v57, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// 12gn, 12go, 12gp: a field's state written loosely ("left empty", "email field now
/// blank", "phone not empty", "no email for the client") was read as an order to e-mail
/// or call, or dropped. Each is the field's state.
#[test]
fn a_field_state_written_loosely() {
    let b = ok(
        "when the deal is edited and the amount is left empty alert the manager 'Amount missing'",
    );
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    assert_eq!(b.conditions[0].operator, "empty");
    for (text, field, op) in [
        (
            "contact updated & email field now blank -> ping Sinead 'Email wiped on contact'",
            "EMAIL",
            "empty",
        ),
        (
            "Contact edited and phone not empty, sms 'Your number is saved'",
            "PHONE",
            "!empty",
        ),
        (
            "new activity on a deal and no email for the client -> task for the owner 'Get email address'",
            "EMAIL",
            "empty",
        ),
        (
            "deal updated + still no phone no. on it -> task for the owner to get one, due in 1 day",
            "PHONE",
            "empty",
        ),
    ] {
        let b = ok(text);
        assert_eq!(b.conditions.len(), 1, "{text}");
        assert_eq!(b.conditions[0].field, field, "{text}");
        assert_eq!(b.conditions[0].operator, op, "{text}");
        assert!(
            !kinds(&b)
                .iter()
                .any(|k| *k == "send_email" || *k == "schedule_call"),
            "{text}: {:?}",
            kinds(&b)
        );
    }
}

/// 12gn, 12gp: "Asante." after the request and "With respect, Wahidullah" sent one more
/// message, to "Asante" and to "With". Greetings and thanks in the writer's own language,
/// and a letter's closing, are courtesy.
#[test]
fn courtesy_in_the_writers_language() {
    let b = ok(
        "Good morning. When we win a deal, kindly change the owner to Halima and send her a chat message 'New won deal assigned to you'. Asante.",
    );
    assert_eq!(kinds(&b), ["assign_responsible", "send_bitrix_message"]);
    let b = ok(
        "Dear colleagues, salam. When new company is registered in CRM, please notify procurement team 'New supplier registered' and to the company e-mail send with subject 'Registration received'. With respect, Wahidullah",
    );
    assert_eq!(kinds(&b), ["send_notification", "send_email"]);
    for text in [
        "Salam alaikum dear colleague. When a deal is won, add tag won.",
        "Habari team. When a deal is won, add tag won.",
        "Morning all - when a deal is won, add tag won. Sawa?",
    ] {
        assert_eq!(kinds(&ok(text)), ["add_tag"], "{text}");
    }
}

/// 12gn: "ensure a task is made for Wanjiru", "ensure it is moved on to stage INVOICING":
/// "ensure" is "make sure", and what is to be made so is the order.
#[test]
fn ensure_is_the_request() {
    let b = ok(
        "Kindly whenever a new deal is created, ensure a task is made for Wanjiru to confirm the pickup address, due tomorrow.",
    );
    assert_eq!(kinds(&b), ["create_task"]);
    assert_eq!(b.actions[0].fields["assignee"], "Wanjiru");
    let b = ok(
        "Deal lost - ensure a comment 'Lost - client went with another courier' is added and remove the tag hot",
    );
    assert_eq!(kinds(&b), ["add_comment", "remove_tag"]);
    let b = ok("Once a deal is moved to DELIVERED ensure it is moved on to stage INVOICING");
    assert_eq!(kinds(&b), ["move_stage"]);
    assert_eq!(b.actions[0].fields["stage"], "INVOICING");
}

/// 12go, 12gp: "high pri" went into the title, and "priority is high" after a task
/// became a filter on the lost deal. Both are the task's priority.
#[test]
fn a_priority_said_after_the_task() {
    let b = ok("Each new lead: task for the lead owner 'Fact find call', due tomorrow, high pri");
    assert_eq!(b.actions[0].fields["title"], "Fact find call");
    assert_eq!(b.actions[0].fields["priority"], "high");
    let b = ok(
        "Lost deal with amount 10000 or more, one task for Mr. Rahimi to call the client, deadline 2 days, priority is high",
    );
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.actions[0].fields["priority"], "high");
    let b = ok("When task created, please its priority set high");
    assert_eq!(kinds(&b), ["update_task"]);
}

/// 12gq: "day rate over 600" was read as the deal's amount. A measure named right
/// before a comparison is what is compared; b24flow asks which field it is.
#[test]
fn a_measure_before_a_comparison_is_not_the_amount() {
    asks("deal won and day rate over 600 -> notify head of contract");
    asks("deal won and margin above 20 -> notify Tom");
    let b = ok("deal won and the amount over 600 -> notify Tom");
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
}

/// 12go: "When a deal is won move it to Lost" became a workflow on lost deals: the
/// lost-deal pattern reached past "won" into the order. The order undoes its event, and
/// is asked about.
#[test]
fn an_event_does_not_reach_into_the_order_after_it() {
    asks("When a deal is won move it to Lost and ping Marcus 'Nice one'");
    let b = ok("When a deal that was won is lost, notify Tom");
    assert_eq!(b.trigger.kind, "deal_lost");
}

/// 12gq, 12go: "the consultant" of a recruitment agency is the deal's owner, as a
/// broker's is; a consultant named by trade ("the IT consultant") is a job, kept as
/// written. "task head of broking" is for the head of broking.
#[test]
fn who_a_trade_means() {
    let b = ok("meeting scheduled, remind the consultant tomorrow");
    assert_eq!(b.actions[0].fields["assignee"], "{{ASSIGNED_BY_ID}}");
    let b = ok("when a deal is won notify the IT consultant");
    assert_eq!(b.actions[0].fields["to"], "IT consultant");
    let b = ok(
        "If a deal goes lost and premium was 5000 or above, task head of broking 'Lost business review', due in 2 days",
    );
    assert_eq!(b.actions[0].fields["assignee"], "head of broking");
    // A manager of a unit b24flow does not know as the company's own may be the
    // client's: on an e-mail, asked.
    asks("every new deal sends the ward manager an email, subject 'Shift request received'");
    let b = ok("when a deal is won email the finance manager 'Invoice it'");
    assert_eq!(b.actions[0].fields["to"], "finance manager");
}

/// 12gp: Persian and Dari word order and turns: the verb last, "to be created",
/// "please kindly to create", "the respected client", "field X set to 'Y'".
#[test]
fn persian_turns() {
    let b = ok("Lead created from Telegram, tag telegram add");
    assert_eq!(b.actions[0].fields["tag"], "telegram");
    let b = ok("Company created → Shirin as responsible assign");
    assert_eq!(b.actions[0].fields["assignee"], "Shirin");
    let b = ok(
        "Dear colleague, after the lead is converted please kindly one task for Jamshid create, 'Register the supplier in vendor list', deadline 3 days, and the tag cold to be removed.",
    );
    assert_eq!(kinds(&b), ["create_task", "remove_tag"]);
    assert_eq!(b.actions[0].fields["assignee"], "Jamshid");
    let b = ok(
        "When the deal is won, kindly send email to respected client with subject 'Your order is confirmed'. Also invoice 'Invoice for carpet order' to be created.",
    );
    assert_eq!(kinds(&b), ["send_email", "create_invoice"]);
    let b = ok(
        "Overdue invoice: a high-priority task is to be created for Patrick Lowe to chase payment, due in 2 days.",
    );
    assert_eq!(b.actions[0].fields["priority"], "high");
    let b = ok(
        "Please do kindly: deal is lost, then tag lost_price and field LOSS_REASON set to 'price'",
    );
    assert_eq!(kinds(&b), ["add_tag", "update_field"]);
    let b = ok("Please when lead is updated, in field LAST_CHECK put value 'yes'");
    assert_eq!(b.actions[0].fields["field"], "LAST_CHECK");
    let b = ok(
        "When lead updated and source is Facebook, schedule call to the client tomorrow, by Shahlo",
    );
    assert_eq!(b.actions[0].fields["assignee"], "Shahlo");
}

/// 12gp, 12go: "Stage of deal is changed" was any change to the deal; "When stage =
/// Awaiting Engineer Report create ..." named no event; "Task completed -> new task for
/// Kwame" was two events.
#[test]
fn events_written_short() {
    let b = ok("Stage of deal is changed - please add comment 'Stage changed, check documents'");
    assert_eq!(b.trigger.kind, "stage_changed");
    let b =
        ok("When stage = Awaiting Engineer Report create a task for Kwame 'Chase engineer report'");
    assert_eq!(b.trigger.kind, "stage_changed");
    let b =
        ok("Task completed -> new task for Kwame 'QC check on file', due in 3 days, low priority");
    assert_eq!(b.trigger.kind, "task_completed");
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok(
        "Each time someone logs a call on a deal, send it to https://api.example.com/activity so the TPA sees it",
    );
    assert_eq!(kinds(&b), ["webhook"]);
}

/// 12gq, 12go, 12gp: a field named "Candidate Status" was taken for a date field, a new
/// deal's stage written as its id ("in PROSPECTING") was asked about, "a premium
/// invoice" was judged, and "the person whom the task is assigned" named no one.
#[test]
fn words_read_for_what_they_are() {
    let b = ok("when an email gets logged on the deal set Candidate Status to Contacted");
    assert_eq!(b.actions[0].fields["value"], "Contacted");
    asks("when a deal is won set the Close Date to Contacted");
    let b = ok("new company in → create a deal 'Initial BD' in PROSPECTING for the account owner");
    assert_eq!(b.actions[0].fields["stage"], "PROSPECTING");
    asks("deal won -> create a deal 'Renewal' in UK");
    let b = ok("Premium invoice paid -> whatsapp 'Payment received'");
    assert_eq!(b.trigger.kind, "invoice_paid");
    asks("When a very premium invoice is overdue, notify the manager");
    let b = ok("When task is created, notify the person whom the task is assigned");
    assert_eq!(b.actions[0].fields["to"], "{{ASSIGNED_BY_ID}}");
}

/// 12gq: what is said of the one given the work, or of the team, after the order
/// ("she'll get it done", "everything's urgent on the nurse desk lol", "speed to lead
/// matters!!") changes nothing.
#[test]
fn remarks_after_the_order() {
    for text in [
        "if a task's overdue reassign it to Keisha, she'll get it done",
        "new task -> set priority high, everything's urgent on the nurse desk lol",
        "when a lead comes in from website schedule a call to them for Priya in 30 mins, speed to lead matters!!",
    ] {
        assert_eq!(ok(text).actions.len(), 1, "{text}");
    }
}
