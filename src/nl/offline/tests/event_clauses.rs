//! Events, headings and the conditions written in them, read as people write them.

use super::{asks, kinds, ok};

/// The amount a condition compares, with its operator.
fn amount(text: &str) -> (String, String) {
    let b = ok(text);
    let c = b
        .conditions
        .iter()
        .find(|c| c.field == "OPPORTUNITY")
        .unwrap_or_else(|| panic!("{text:?} has no amount: {b:?}"));
    (c.operator.clone(), c.value.clone())
}

#[test]
fn amounts_are_read_with_their_separators_and_scales() {
    let cases = [
        (
            "When an order worth over 3,500,000 is won, tell Ines",
            "3500000",
        ),
        (
            "If a deal above 1.250.000 is won, alert the director",
            "1250000",
        ),
        (
            "When a deal of more than €7.500 is lost, notify Jonas",
            "7500",
        ),
        ("Once a deal over 40 000 € is won, notify Olga", "40000"),
        ("When a sale over 1,5m is won, tell the director", "1500000"),
        ("When a contract over 2,75k is won, notify Bruno", "2750"),
        (
            "When a deal worth over 12.345,60 is lost, notify Ines",
            "12345.60",
        ),
        ("When a deal over 3 million is won, message Ilse", "3000000"),
        ("When a deal over £2,000.50 is won, notify Ilse", "2000.50"),
    ];
    for (text, want) in cases {
        assert_eq!(amount(text), (">".to_owned(), want.to_owned()), "{text}");
    }
}

#[test]
fn a_point_before_three_digits_with_no_currency_is_asked() {
    for text in [
        "When a deal over 25.000 is won, notify the manager",
        "Whenever an order above 3.500 is lost, e-mail the boss",
        "If the amount is over 80.000, notify Olga when a deal is won",
    ] {
        let q = asks(text);
        assert!(q.iter().any(|q| q.contains("mean")), "{text}: {q:?}");
    }
    // A decimal point before one or two digits is a fraction, as written.
    assert_eq!(
        amount("When a deal over 2.5k is won, notify Olga").1,
        "2500"
    );
}

#[test]
fn the_day_after_tomorrow_is_two_days_on() {
    for text in [
        "When a deal moves to Discovery, schedule a call with the client for the day after tomorrow",
        "When a lead is converted, book a call with the customer the day after tomorrow",
        "Once a quote is accepted, schedule a call with the client for the day after tomorrow",
    ] {
        let b = ok(text);
        assert_eq!(kinds(&b), ["schedule_call"], "{text}");
        assert_eq!(b.actions[0].field("datetime"), Some("+2d"), "{text}");
    }
}

#[test]
fn a_variable_in_brackets_names_the_value_before_it() {
    for text in [
        "When an invoice is paid, set the field UF_CRM_PAID_ON to the current date ({{CURRENT_DATE}})",
        "Once a deal is won, set UF_CRM_CLOSED_AT to today's date ({{CURRENT_DATE}}) and notify Lena",
        "When a lead is converted, set the field UF_CRM_WHEN to right now ({{CURRENT_DATETIME}})",
    ] {
        let b = ok(text);
        assert_eq!(b.actions[0].kind, "update_field", "{text}");
        assert!(
            b.actions[0]
                .field("value")
                .is_some_and(|v| v.starts_with("{{CURRENT_DATE")),
            "{text}: {b:?}"
        );
    }
}

/// The trigger a description parses to, and its stage.
fn trigger(text: &str) -> (String, Option<String>) {
    let b = ok(text);
    (
        b.trigger.kind.clone(),
        b.trigger.params.get("stage").cloned(),
    )
}

#[test]
fn headings_name_the_event_without_when() {
    let cases = [
        (
            "Orthodontic treatment plan marked as lost → notify Dr Weiss",
            "deal_lost",
        ),
        (
            "Ski chalet reservation marked as won: e-mail the guest",
            "deal_won",
        ),
        (
            "Approved estimates: notify the workshop manager",
            "quote_approved",
        ),
        ("Accepted proposals → tag them 'go'", "quote_approved"),
        ("Converted members? Notify Dana", "lead_converted"),
        (
            "Edited companies: notify the account team",
            "company_updated",
        ),
        (
            "Customer details changed → notify the front desk",
            "contact_updated",
        ),
        (
            "Comments added to a client's deal: notify Ruth",
            "activity_added",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(trigger(text).0, want, "{text}");
    }
}

#[test]
fn subjects_come_first_in_an_event() {
    let cases = [
        (
            "Whenever we close-win a wedding venue booking, notify Ana",
            "deal_won",
        ),
        (
            "Each time we issue an estimate, notify Dana",
            "quote_created",
        ),
        (
            "When a potential customer converts, notify Pia",
            "lead_converted",
        ),
        (
            "Once somebody's been added as a contact, notify Milo",
            "contact_created",
        ),
        (
            "When a yoga session is booked in the calendar, notify Pia",
            "meeting_scheduled",
        ),
        ("If a conveyancing matter is won, notify Lee", "deal_won"),
    ];
    for (text, want) in cases {
        assert_eq!(trigger(text).0, want, "{text}");
    }
}

#[test]
fn a_stage_is_read_by_its_id_its_quote_or_its_capitalised_name() {
    let cases = [
        ("Stage → C5:DEPOSIT_PAID: notify Lena", "C5:DEPOSIT_PAID"),
        ("Stage -> FINAL_CHECK: notify Lena", "FINAL_CHECK"),
        (
            "Crates shipped (deal now in 'Goods sent')? Notify Lena",
            "GOODS_SENT",
        ),
        (
            "A reservation hits the Room allocated stage - notify Lena",
            "ROOM_ALLOCATED",
        ),
        (
            "Deal enters the Needs review stage → notify Lena",
            "NEEDS_REVIEW",
        ),
        (
            "When a deal moves to Has deposit, notify Lena",
            "HAS_DEPOSIT",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(
            trigger(text),
            ("stage_changed".to_owned(), Some(want.to_owned())),
            "{text}"
        );
    }
}

#[test]
fn a_team_word_for_the_deal_before_another_record_describes_it() {
    let b = ok("When a reservation invoice is paid, notify the front desk");
    assert_eq!(b.trigger.kind, "invoice_paid");
    let b = ok("When a tender quote is approved, notify Lena");
    assert_eq!(b.trigger.kind, "quote_approved");
    // Two CRM records side by side still compete.
    assert!(!asks("When a lead deal is won, notify Lena").is_empty());
}

/// The conditions of a description, as `field op value`.
fn conditions(text: &str) -> Vec<String> {
    ok(text)
        .conditions
        .iter()
        .map(|c| format!("{} {} {}", c.field, c.operator, c.value))
        .collect()
}

#[test]
fn conditions_written_inside_the_event_are_read() {
    let cases = [
        (
            "When a company in the Logistics industry is created, notify Vera",
            "INDUSTRY = Logistics",
        ),
        (
            "If a new company from the Hospitality sector is added, notify Vera",
            "INDUSTRY = Hospitality",
        ),
        (
            "Notify Vera when a Supplier-type contact is created",
            "TYPE_ID = Supplier",
        ),
        (
            "When an updated deal's title contains 'urgent', notify Vera",
            "TITLE contain urgent",
        ),
        (
            "If an edited contact's comments mention 'lawyer', notify Vera",
            "COMMENTS contain lawyer",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(conditions(text), [want], "{text}");
    }
}

#[test]
fn a_lowercase_value_after_a_record_is_asked_or_is_the_event() {
    // A category in lowercase could be a description: asked, not guessed.
    assert!(!asks("When a company in the retail sector is created, notify Vera").is_empty());
    // "a deal's stage is changed to X" is the stage event, not a condition on the stage.
    let b = ok("When a deal's stage is changed to Final check, notify Vera");
    assert_eq!(b.trigger.kind, "stage_changed");
    assert!(b.conditions.is_empty());
}

#[test]
fn what_a_record_should_undergo_is_the_order() {
    let b = ok("Every new company whose industry is Retail belongs to Tomas");
    assert_eq!(b.trigger.kind, "company_created");
    assert_eq!(kinds(&b), ["assign_responsible"]);
    assert_eq!(b.actions[0].field("assignee"), Some("Tomas"));
    let b = ok("Each new lead should be assigned to Greta.");
    assert_eq!(kinds(&b), ["assign_responsible"]);
    let b = ok("Every new deal should be moved to the Discovery stage");
    assert_eq!(b.trigger.kind, "deal_created");
    assert_eq!(kinds(&b), ["move_stage"]);
    let b = ok("Every new contact should be tagged 'crm-import'");
    assert_eq!(kinds(&b), ["add_tag"]);
}

#[test]
fn words_about_the_business_carry_no_instruction() {
    for text in [
        "We're a physiotherapy clinic: when a new contact is created, notify Mia",
        "A new lead for the architecture studio? Notify Mia",
        "When a new contact registers with the agency, notify Mia",
        "Deal won → webhook to https://erp.example.com/won (POST) so our books stay up to date",
        "Contact updated → webhook to https://sync.example.com so that the mailing list is in sync",
    ] {
        assert_eq!(ok(text).actions.len(), 1, "{text}");
    }
    // A place or a name narrows: asked.
    assert!(!asks("When a new lead for the Leeds practice comes in, notify Mia").is_empty());
    // A purpose that names a person may be an order of its own: asked.
    assert!(
        !asks(
            "Deal won → webhook to https://erp.example.com/won (POST) so the manager stays up to date"
        )
        .is_empty()
    );
}

#[test]
fn a_negated_or_narrowed_event_is_asked() {
    for text in [
        "When a deal is not won, notify Vera",
        "If an order isn't won by Friday, notify Vera",
        "When a lead is never converted, notify Vera",
        "When a quote has not been accepted, notify Vera",
        "Unless the deal is lost, notify Vera",
        "Until the invoice is paid, notify Vera",
        "Only wholesale deals won: notify Vera",
    ] {
        assert!(!asks(text).is_empty(), "{text}");
    }
    // A negation that is the event itself stays that event.
    assert_eq!(
        ok("If a bill is not paid on time, notify Vera")
            .trigger
            .kind,
        "invoice_overdue"
    );
    assert_eq!(
        ok("When a task hasn't been finished by its deadline, notify Vera")
            .trigger
            .kind,
        "task_overdue"
    );
}

#[test]
fn a_new_booking_may_be_a_deal_or_a_meeting_and_is_asked() {
    assert!(!asks("When a new booking is created, text the client").is_empty());
    assert!(!asks("When a reservation is added, text the client").is_empty());
    // Won, lost or in a stage, a booking can only be a deal.
    assert_eq!(
        ok("Lost bookings: email the client").trigger.kind,
        "deal_lost"
    );
}

#[test]
fn an_ordinal_or_my_before_the_record_narrows_it_and_is_asked() {
    for text in [
        "When a customer's second order is won, notify Vera",
        "When the first invoice is paid, text the client",
        "Once the last task is completed, notify Vera",
        "When my deal is lost, notify Vera",
    ] {
        assert!(!asks(text).is_empty(), "{text}");
    }
}

#[test]
fn after_a_modal_comes_the_order_never_a_second_event() {
    let b = ok("Overdue tasks should create a new task for Ilse");
    assert_eq!(b.trigger.kind, "task_overdue");
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok("Completed tasks must create a new task for Piotr");
    assert_eq!(b.trigger.kind, "task_completed");
    // What the action side cannot read is asked about, not read as a second trigger.
    let q = asks("Late tasks should conjure a new task for Ilse");
    assert!(!q.iter().any(|q| q.contains("one trigger")), "{q:?}");
}

#[test]
fn a_relative_clause_describes_the_record_and_gives_no_order() {
    for text in [
        "When a new lead that belongs to Ilse comes in, notify Vera",
        "When a new contact who belongs to the Retail team is created, notify Vera",
        "Each new deal which belongs to Ilse should be tagged 'x'",
    ] {
        assert!(!asks(text).is_empty(), "{text}");
    }
}

#[test]
fn a_channel_after_by_or_via_is_no_order() {
    // "by phone" is how the quote was accepted, not an order to phone anyone.
    for text in [
        "Quote accepted by phone: notify Vera",
        "Estimate approved over whatsapp → notify Vera",
        "When an invoice is paid via text, notify Vera",
    ] {
        match super::parse(text) {
            super::Outcome::Ok { workflow } => {
                assert_eq!(kinds(&workflow), ["send_notification"], "{text}");
            }
            super::Outcome::NeedsClarification { .. } => {}
        }
    }
}

#[test]
fn a_person_changing_their_details_is_a_contact_update() {
    for text in [
        "When a tenant updates their e-mail address, notify Vera",
        "Member changed her phone number? Notify Vera",
        "When a guest amends their name or address, notify Vera",
    ] {
        assert_eq!(ok(text).trigger.kind, "contact_updated", "{text}");
    }
    assert!(!asks("When a guest changes their booking, notify Vera").is_empty());
}

#[test]
fn a_one_word_heading_naming_the_place_of_business_is_read_past() {
    for text in [
        "Restaurant: when a new contact is created, notify Vera",
        "Garage: once an invoice is paid, notify Vera",
        "Studio: when a deal is lost, notify Vera",
    ] {
        assert_eq!(kinds(&ok(text)), ["send_notification"], "{text}");
    }
    // A line of business may be a pipeline: asked.
    assert!(!asks("Wholesale: when a deal is won, notify Vera").is_empty());
}

#[test]
fn a_record_in_a_state_as_the_object_of_an_order_names_the_event() {
    let cases = [
        (
            "Tag every converted lead 'customer'",
            "lead_converted",
            "add_tag",
        ),
        (
            "Notify Vera about each approved estimate",
            "quote_approved",
            "send_notification",
        ),
        (
            "Post every completed task to https://hours.example.com/log",
            "task_completed",
            "webhook",
        ),
    ];
    for (text, trigger, kind) in cases {
        let b = ok(text);
        assert_eq!(
            (b.trigger.kind.as_str(), kinds(&b)[0]),
            (trigger, kind),
            "{text}"
        );
    }
}

#[test]
fn a_modal_after_an_aside_goes_on_with_the_event() {
    let b = ok("Every new deal from Instagram (source Instagram) should be assigned to Ilse.");
    assert_eq!(b.trigger.kind, "deal_created");
    assert_eq!(kinds(&b), ["assign_responsible"]);
    let b = ok("Each new contact (any contact) must be tagged 'crm'");
    assert_eq!(kinds(&b), ["add_tag"]);
    // An aside that names a source narrows the event: it is never dropped.
    for text in [
        "Every new lead (from the website) must be tagged 'web'",
        "When a new lead (via the partner portal) comes in, notify Ilse",
    ] {
        assert!(!asks(text).is_empty(), "{text}");
    }
}

/// "Unpaid past the due date, in GBP and bigger than 5,000?": the invoice is implied, and
/// a currency alone after a comma is a condition.
#[test]
fn an_unpaid_note_and_a_currency_alone_read_as_event_and_condition() {
    let b =
        ok("Unpaid past the due date, in GBP and bigger than 5,000? Notify the credit controller");
    assert_eq!(b.trigger.kind, "invoice_overdue");
    let conds: Vec<(&str, &str)> = b
        .conditions
        .iter()
        .map(|c| (c.field.as_str(), c.value.as_str()))
        .collect();
    assert_eq!(conds, [("CURRENCY_ID", "GBP"), ("OPPORTUNITY", "5000")]);
    // A time after a comma is no condition: asked.
    asks("When a deal is won, in the morning, notify Anna");
}

/// "Missed deadline on a task", and a record that "should jump to" a stage.
#[test]
fn a_missed_deadline_on_a_task_and_a_jump_to_a_stage() {
    let b = ok("Missed deadline on a task: mark it high priority");
    assert_eq!(b.trigger.kind, "task_overdue");
    let b = ok("Leads that get edited should jump to the IN_PROCESS status.");
    assert_eq!(b.trigger.kind, "lead_updated");
    assert_eq!(kinds(&b), ["move_stage"]);
    assert_eq!(b.actions[0].fields["stage"], "IN_PROCESS");
}

/// "When a deal is won, create a lead and notify sales": an order made of event words is
/// no restatement of the event. The catalog cannot create a lead, so it is asked about,
/// never dropped.
#[test]
fn an_order_made_of_event_words_is_never_dropped_as_a_restatement() {
    let q = asks("When a deal is won, create a lead and notify sales");
    assert!(q.iter().any(|q| q.contains("create a lead")), "{q:?}");
    let q = asks("When a deal is lost, close all open tasks and email the client");
    assert!(
        q.iter().any(|q| q.contains("close all open tasks")),
        "{q:?}"
    );
    // A restating aside is still read past.
    let b = ok("When a deal changes (any field), notify Anna");
    assert_eq!(b.trigger.kind, "deal_updated");
}

/// A condition written between two actions would stop the first as well: asked. The
/// record itself compared with a number is its amount.
#[test]
fn a_condition_between_actions_is_asked_and_the_record_compared_is_its_amount() {
    let q = asks("When a deal is won, notify Anna. If it's over 5000, also notify the CEO");
    assert!(q.iter().any(|q| q.contains("OPPORTUNITY > 5000")), "{q:?}");
    asks("When a deal is won, notify sales; for deals over 10k also notify the CEO");
    let b = ok("When a deal is won and it is over 10k, notify the CEO");
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    let b = ok("When a deal is won, notify Anna if it's over 5000");
    assert_eq!(b.conditions.len(), 1);
}

/// "moved to Demo Scheduled -> ...": a telegraphic move with no record named is a stage
/// change, and the stage's words ("Demo Scheduled") are its name, not another event.
#[test]
fn a_telegraphic_move_is_a_stage_change() {
    let b = ok(
        "moved to Demo Scheduled -> task for the presales engineer 'Prepare demo environment', due in 2 days",
    );
    assert_eq!(b.trigger.kind, "stage_changed");
    assert_eq!(b.trigger.param("stage"), Some("DEMO_SCHEDULED"));
}

/// "Hi!" first and "Thanks!" last are said to a person: never a recipient ("notify Anna.
/// Thanks!" once gave a second notification, to "Thanks"). After a message to the client
/// with no text, "Thank you!" may be its text, and is asked about.
#[test]
fn greetings_and_sign_offs_are_no_part_of_the_workflow() {
    let b = ok("When a deal is won, notify Anna. Thanks!");
    assert_eq!(kinds(&b), ["send_notification"]);
    let b = ok("Hi! When a deal is won, notify Anna. Cheers");
    assert_eq!(kinds(&b), ["send_notification"]);
    let q = asks("When a deal is won, send a WhatsApp to the client. Thank you!");
    assert!(q.iter().any(|q| q.contains("Thank you")), "{q:?}");
    let b = ok("When a deal is won, send a WhatsApp to the client 'Hi'. Thanks!");
    assert_eq!(kinds(&b), ["send_whatsapp"]);
}

/// "When a new one is created", after a sentence about leads: "one" is one of them.
#[test]
fn one_stands_for_the_record_named_before() {
    let b = ok("We track enquiries as leads. When a new one is created, notify Anna");
    assert_eq!(b.trigger.kind, "lead_created");
    asks("When a new one lands, notify Anna");
}

/// Who acts in the event is no part of what happens: "the recruiter finishes the task",
/// "a donor pays their pledge invoice". A name or a judging word may narrow it, and is
/// asked about.
#[test]
fn who_acts_in_an_event_narrows_nothing() {
    let b = ok("Once the recruiter finishes the reference check task, notify Anna");
    assert_eq!(b.trigger.kind, "task_completed");
    let b = ok("When the workshop marks a task complete, notify Anna");
    assert_eq!(b.trigger.kind, "task_completed");
    let b = ok("When a donor pays their pledge invoice, notify Anna");
    assert_eq!(b.trigger.kind, "invoice_paid");
    asks("When a corporate client approves a quote, notify Anna");
}

/// Telegraphic notes: a state word before the record ("signed deal", "paid up invoice",
/// "customer paid up"), ">>" as an arrow, and "=" between an event and an order.
#[test]
fn telegraphic_events_and_arrows() {
    let b = ok("signed deal >> raise an invoice + tag it workshop-queue");
    assert_eq!(b.trigger.kind, "deal_won");
    assert_eq!(kinds(&b), ["create_invoice", "add_tag"]);
    assert_eq!(
        ok("paid up invoice => remove 'late-payer' tag")
            .trigger
            .kind,
        "invoice_paid"
    );
    assert_eq!(
        ok("customer paid up -> remove tag 'payment issue'")
            .trigger
            .kind,
        "invoice_paid"
    );
    let b = ok("new contact = sms 'Hi'");
    assert_eq!(kinds(&b), ["send_sms"]);
    // Between a field and its value, "=" is the field's value, and a starting source is
    // known by its name in any case.
    let b = ok("new deal w/ source = website -> notify sales team");
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    asks("new lead with source ok -> notify Anna");
}

/// A task's workflow is run by b24flow's event runner, which e-mails the client of the
/// CRM record the task is bound to; a text message it cannot send, and is asked about.
#[test]
fn a_task_event_can_email_the_client_of_its_record() {
    let b = ok(
        "ticket task done -> email the client, subject 'Your support request has been resolved'",
    );
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_EMAIL}}");
    // The runner has no responsible person's name: the default e-mail is unsigned.
    assert!(
        !b.actions[0].fields["body"].contains("{{"),
        "{:?}",
        b.actions[0]
    );
    asks("When a task is completed, text the customer 'Ready'");
}

/// A stage named before the word "stage", after the team's own word for its deal ("a
/// pledge moves to the Pledge Confirmed stage", "a job moves to the scheduled stage"),
/// is that stage; it was read as any stage move. "The final stage" places a stage
/// without naming it, and is asked about.
#[test]
fn a_stage_named_before_the_word_stage() {
    let b = ok("when a pledge moves to the Pledge Confirmed stage remove the tag prospect from it");
    assert_eq!(b.trigger.params["stage"], "PLEDGE_CONFIRMED");
    let b = ok("When a job moves to the scheduled stage, notify Anna");
    assert_eq!(b.trigger.params["stage"], "SCHEDULED");
    let b = ok("When the deal passes to stage Contract Signing, notify Anna");
    assert_eq!(b.trigger.params["stage"], "CONTRACT_SIGNING");
    for text in [
        "When a deal reaches the final stage, notify Anna",
        "When a deal reaches the last stage, notify Anna",
    ] {
        asks(text);
    }
    let b = ok("When a deal moves to the next stage, notify Anna");
    assert!(b.trigger.params.is_empty());
}

/// Someone acting on a record in other words: "somebody changes anything on a deal",
/// "someone updates a client's contact record", "someone schedules a site visit
/// meeting"; and a move to the lost stage beside the loss itself is the loss.
#[test]
fn someone_acting_on_a_record() {
    let b = ok(
        "whenever somebody changes anything on a deal, send the responsible manager a notification",
    );
    assert_eq!(b.trigger.kind, "deal_updated");
    let b = ok(
        "Whenever someone updates a client's contact record, send Irina a notification saying 'Client details changed'",
    );
    assert_eq!(b.trigger.kind, "contact_updated");
    let b = ok("When someone schedules a site visit meeting, notify Chris the surveyor");
    assert_eq!(b.trigger.kind, "meeting_scheduled");
    assert_eq!(b.actions[0].fields["to"], "Chris");
    let b = ok("If a placement falls through and the deal goes to lost, message Marta on Bitrix");
    assert_eq!(b.trigger.kind, "deal_lost");
    asks("When someone changes the deal amount, notify Anna");
}

/// A spec written as labelled parts ("Trigger: ... Action: ..."), events as nouns
/// ("Contact update:", "Lead update event:", "Stage transition to Negotiation:"), offsets
/// as written ("deadline +1d", "to +3 days", "owner = Beata"), a priority in capitals,
/// "a thank you email" and "(POST please)".
#[test]
fn specs_written_as_labelled_parts() {
    let b = ok(
        "Trigger: any update to a deal. Action: sync it to our ERP with a GET to https://erp.example.com/api/sync",
    );
    assert_eq!(b.trigger.kind, "deal_updated");
    let b = ok("Stage transition to Negotiation: update the deal's Probability to 60");
    assert_eq!(b.trigger.params["stage"], "NEGOTIATION");
    let b = ok("Contact update: set the field Consent Checked to 'No'");
    assert_eq!(b.trigger.kind, "contact_updated");
    let b =
        ok("Invoice overdue event: schedule a call with the client for tomorrow, owner = Beata.");
    assert_eq!(b.actions[0].fields["assignee"], "Beata");
    let b = ok("Quote created: create a task 'Check quote margins' for Marta, deadline +1d.");
    assert_eq!(b.actions[0].fields["deadline"], "+1d");
    let b =
        ok("On task creation: update the task's priority to High and set its deadline to +3 days.");
    assert_eq!(b.actions[0].fields["value"], "high");
    assert_eq!(b.actions[1].fields["value"], "+3d");
    let b = ok("invoice paid -> thank you email to client, subject 'Payment received'");
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_EMAIL}}");
    let b = ok(
        "Whenever a company's info changes, push it to https://sync.example.com/companies (POST please).",
    );
    assert_eq!(kinds(&b), ["webhook"]);
}

/// "Is it possible that when ... the accounts team gets a notification?": the question
/// is the request, and who gets what starts the order even with no comma after the
/// event. "I'd like the manager to get", "can the owner get" are left whole.
#[test]
fn who_gets_what_after_an_event_with_no_comma() {
    let b =
        ok("Is it possible that when an invoice is paid the accounts team gets a notification?");
    assert_eq!(b.trigger.kind, "invoice_paid");
    assert_eq!(b.actions[0].fields["to"], "accounts team");
    let b = ok(
        "When a deal is lost, I'd like the responsible person to get a reminder in a week to send them a feedback survey",
    );
    assert_eq!(kinds(&b), ["set_reminder"]);
}

/// Held-out sets 17 and 18 (December 2026): events as people write them in a second
/// language, and names for the automation itself.
mod heldout_r_and_s {
    use super::super::ok;

    #[test]
    fn events_without_articles() {
        let b = ok(
            "When somebody update lead from LinkedIn, create reminder for Ana to review it after 2 days",
        );
        assert_eq!(b.trigger.kind, "lead_updated");
        assert_eq!(b.conditions[0].value, "LinkedIn");
        let b = ok(
            "When somebody makes quote over 30 000, create task for sales director to approve it",
        );
        assert_eq!(b.trigger.kind, "quote_created");
        assert_eq!(ok("when we win deal, notify Anna").trigger.kind, "deal_won");
    }

    #[test]
    fn the_teams_own_record_gets_to_a_stage() {
        let b = ok(
            "Once a family gets to the Trial Day stage, email the parents with subject 'What to bring'",
        );
        assert_eq!(b.trigger.kind, "stage_changed");
        assert_eq!(
            b.trigger.params.get("stage").map(String::as_str),
            Some("TRIAL_DAY")
        );
    }

    #[test]
    fn a_tour_is_a_meeting_and_a_checklist_is_the_automation() {
        let b = ok("When a school tour gets booked, email the parents with subject 'Your visit'");
        assert_eq!(b.trigger.kind, "meeting_scheduled");
        let b = ok(
            "New deal checklist: 1) post in chat to the presales group 2) add tag 'new-inbound'",
        );
        assert_eq!(b.trigger.kind, "deal_created");
        assert_eq!(
            ok("new activty in deal -> remove tag 'no contact'")
                .trigger
                .kind,
            "activity_added"
        );
    }

    /// What goes wrong today, said before the request, is why it is asked.
    #[test]
    fn what_goes_wrong_today_is_context() {
        let b = ok(
            "We are private school, parents sometimes forget about tuition. When tuition invoice is overdue, send parents email with subject 'Tuition payment reminder'",
        );
        assert_eq!(b.trigger.kind, "invoice_overdue");
        let b =
            ok("Every new task should get high priority, our teachers always forget to mark it");
        assert_eq!(b.trigger.kind, "task_created");
        // A habit that names an order is not read past: the order is read.
        let b = ok("The reps keep forgetting to email the client. When a deal is won, notify Anna");
        assert_eq!(super::super::kinds(&b), ["send_email", "send_notification"]);
    }

    /// An example after the event illustrates it, even when it names a channel.
    #[test]
    fn an_example_of_the_event_narrows_nothing() {
        let b = ok(
            "If contact details change (e.g. phone or email), leave comment on timeline 'Contact details updated'",
        );
        assert_eq!(b.trigger.kind, "contact_updated");
        assert!(b.conditions.is_empty());
        assert!(
            !super::super::asks("When a deal is won (e.g. email the client), notify Anna")
                .is_empty()
        );
    }

    #[test]
    fn a_task_made() {
        let b = ok("when a task gets made, message the person who set it on Bitrix: 'Logged'");
        assert_eq!(b.trigger.kind, "task_created");
    }

    /// "Deals that reach Contract Signed": a win's word inside a stage's name is the
    /// name; a win beside a move is two events.
    #[test]
    fn a_win_inside_a_stages_name_is_the_name() {
        let b = ok("Deals that reach Contract Signed: notify Anna");
        assert_eq!(b.trigger.kind, "stage_changed");
        assert_eq!(
            b.trigger.params.get("stage").map(String::as_str),
            Some("CONTRACT_SIGNED")
        );
        assert!(
            !super::super::asks("When a deal is won and moves to Invoicing, notify Anna")
                .is_empty()
        );
    }

    /// A ticket's id and a spec's labels and bars say nothing about the workflow.
    #[test]
    fn ticket_ids_and_spec_labels_are_read_past() {
        let b = ok("SUP-881 | Trigger: new lead | Actions: assign to Natalia; add tag 'inbound'");
        assert_eq!(b.trigger.kind, "lead_created");
        assert_eq!(super::super::kinds(&b), ["assign_responsible", "add_tag"]);
        let b = ok(
            "TKT-5021. Trigger: deal created. Condition: source = WEBSITE. Actions: add tag 'web'; send notification to sales director.",
        );
        assert_eq!(b.conditions[0].value, "WEBSITE");
        let b = ok(
            "Spec: trigger = lead updated. Condition: source is Trade Show. Action: reassign the lead to Ruth.",
        );
        assert_eq!(b.trigger.kind, "lead_updated");
        let b = ok("CRM-418 — when a deal is marked as lost: add tag 'lost-2026'");
        assert_eq!(b.trigger.kind, "deal_lost");
        assert_eq!(
            ok("The trigger is a new lead. Send them a WhatsApp 'Hi'")
                .trigger
                .kind,
            "lead_created"
        );
    }

    /// What a new record is for, after what happens to it, describes it in plain words;
    /// a judging word or a name may narrow, and is asked about.
    #[test]
    fn what_a_new_record_is_for_after_its_event() {
        let b = ok(
            "When a new quote is created for a billboard campaign, set a reminder for the account manager in 3 days",
        );
        assert_eq!(b.trigger.kind, "quote_created");
        assert!(b.conditions.is_empty());
        assert!(
            !super::super::asks("When a new deal is created for a VIP client, notify Anna")
                .is_empty()
        );
        assert!(
            !super::super::asks("When a new deal is created for an existing customer, notify Anna")
                .is_empty()
        );
    }

    /// Meeting minutes, policies, changelogs and dictation (held-out set 12af), and an
    /// activity on a record other than a deal, which b24flow's activity event never sees.
    #[test]
    fn minutes_policies_changelogs_and_dictation() {
        use super::super::{asks, kinds};
        let b = ok("Rule 6.1: Upon a deal entering the stage 'Hull Inspection', notify Anna.");
        assert_eq!(b.trigger.kind, "stage_changed");
        let b = ok("Rule 12.1: Upon scheduling a meeting, notify Anna.");
        assert_eq!(b.trigger.kind, "meeting_scheduled");
        let b =
            ok("Rule 8.3: On update of a company, the field CREDIT REVIEW shall be set to Due.");
        assert_eq!(b.trigger.kind, "company_updated");
        assert_eq!(kinds(&b), ["update_field"]);
        let b = ok(
            "Decision - completing a task moves the deal to the Invoicing stage and creates an invoice.",
        );
        assert_eq!(b.trigger.kind, "task_completed");
        assert_eq!(kinds(&b), ["move_stage", "create_invoice"]);
        let b = ok(
            "uh when a, when a deal is lost, um, text the customer, no sorry, WhatsApp them 'Sorry!'",
        );
        assert_eq!(kinds(&b), ["send_whatsapp"]);
        let b =
            ok("when an invoice is overdue, um, email the client, subject, uh, 'Payment reminder'");
        assert_eq!(b.actions[0].field("subject"), Some("Payment reminder"));
        let b = ok("Activity logged on a deal, flick Noah a Bitrix message");
        assert_eq!(kinds(&b), ["send_bitrix_message"]);
        asks("Activity logged on a lead, flick Noah a Bitrix message");
        // A prohibition set against the order that replaces it asks for nothing; one with
        // a condition of its own is still asked about.
        let b = ok("When a task runs late, don't email anyone, just bump its priority to high");
        assert_eq!(kinds(&b), ["update_task"]);
        asks("When a deal is won, don't email them unless it's over 5k, just notify Anna");
        // A changelog's "now", and a record that gets a comment or a task.
        let b = ok("Added: overdue invoices now get a timeline comment 'Payment late'.");
        assert_eq!(kinds(&b), ["add_comment"]);
        let b = ok("overdue invoices get a task for Finance to chase, due in 2 days");
        assert_eq!(b.actions[0].field("assignee"), Some("Finance"));
        let b = ok("when a, uh, when the invoice gets paid, um, email them a receipt");
        assert_eq!(b.trigger.kind, "invoice_paid");
    }

    /// Events said the short way, by who acts, or as the object of an order (v15).
    #[test]
    fn short_events_agents_and_objects() {
        use super::super::kinds;
        for text in [
            "Paid up? tag it 'paid'",
            "member paid up? text them 'Payment received'",
            "payment in on an invoice? add a comment 'Paid in full'",
            "Once parents have paid the invoice please add the tag 'paid'",
            "When a gym owner pays their invoice, notify Anna",
        ] {
            assert_eq!(ok(text).trigger.kind, "invoice_paid", "{text}");
        }
        for text in [
            "lead qualified and converted - tell Maria on chat",
            "Once a lead has been qualified and converted, email the client with subject 'Hi'",
        ] {
            assert_eq!(ok(text).trigger.kind, "lead_converted", "{text}");
        }
        for text in [
            "logged a call? set the field Contacted to 'Yes'",
            "When vet is adding note to the deal, remove the tag 'waiting answer'.",
        ] {
            assert_eq!(ok(text).trigger.kind, "activity_added", "{text}");
        }
        let b = ok("stage -> Demo done: make task 'send pricing' for owner, due tmrw");
        assert_eq!(b.trigger.params["stage"], "DEMO_DONE");
        let b = ok("Stage = Shipped; sms customer; 'On its way!'; remove tag 'awaiting'");
        assert_eq!(kinds(&b), ["send_sms", "remove_tag"]);
        let b = ok("deal to stage Samples Sent -> add tag samples");
        assert_eq!(b.trigger.params["stage"], "SAMPLES_SENT");
        // A new record someone gets, or is to have made, is the order's object, not an
        // event: before, both read as a second trigger.
        let b = ok("Task ticked off as done → the QA team gets a new task to verify it");
        assert_eq!(b.trigger.kind, "task_completed");
        assert_eq!(kinds(&b), ["create_task"]);
        let b = ok("New company in the CRM? Have a quote created for it and put Paweł on it.");
        assert_eq!(b.trigger.kind, "company_created");
        assert_eq!(kinds(&b), ["create_quote"]);
        // "Have" opening the order is no one's name.
        let b = ok("New company in the CRM? Have a task created for it");
        assert_ne!(b.actions[0].field("assignee"), Some("Have"));
        // The team getting a new record is the event.
        assert_eq!(
            ok("Got a new lead? Create a contact for them").trigger.kind,
            "lead_created"
        );
    }

    /// A consultancy's engagement, an agency's pitch and a charter are deals; a won or
    /// lost deal may have one word of its kind before it (v15).
    #[test]
    fn trade_words_for_deals() {
        for (text, kind) in [
            (
                "Lost a charter? Ping the sales manager on Bitrix chat",
                "deal_lost",
            ),
            (
                "If we lose a pitch, set a reminder for the owner in a week",
                "deal_lost",
            ),
            (
                "When a visa engagement is signed, add the tag 'active client'",
                "deal_won",
            ),
            (
                "won service contracts above 50k: notify head of service",
                "deal_won",
            ),
            (
                "lost trial deal -> sms the person 'Your free week is still there'",
                "deal_lost",
            ),
            (
                "When a new engagement is created, notify Anna",
                "deal_created",
            ),
            ("New charter deal created: notify Anna", "deal_created"),
        ] {
            assert_eq!(ok(text).trigger.kind, kind, "{text}");
        }
    }

    /// Someone doing the event's verb in the progressive, and a Pipedrive "person" (v15).
    #[test]
    fn progressive_agents_and_persons() {
        let b = ok("When client is paying the invoice, send him SMS 'Thank you'");
        assert_eq!(b.trigger.kind, "invoice_paid");
        let b = ok("When somebody is changing the deal, notify Ana");
        assert_eq!(b.trigger.kind, "deal_updated");
        // A record's own progressive is read as before.
        assert_eq!(
            ok("When deal is winning, notify Ana").trigger.kind,
            "deal_won"
        );
        assert_eq!(
            ok("New person added -> make Olivia the owner").trigger.kind,
            "contact_created"
        );
    }

    /// "only if" after the event opens its condition; "only" is no clause of its own
    /// (v15).
    #[test]
    fn only_if_after_the_event() {
        for text in [
            "Deal updated - only if the amount is above 25,000 -> notify the finance team",
            "Won deals - only if the source is Trade Show: - tag them expo-2027",
            "Overdue invoices, only when amount > 2,000: - tag collections",
        ] {
            assert_eq!(ok(text).conditions.len(), 1, "{text}");
        }
    }

    /// Sentences about the business before the request are read past, unless they
    /// narrow it (v15).
    #[test]
    fn background_before_the_request() {
        use super::super::asks;
        let b = ok(
            "We import leads from the trade show badge scanners and the SDRs enrich them. Each time a lead is updated, notify Anna",
        );
        assert_eq!(b.trigger.kind, "lead_updated");
        // A word that picks out some records, or a request pointing back, is asked.
        assert!(
            !asks("We only sell to VIP clients. When a deal is won, text the client 'Thanks'")
                .is_empty()
        );
        assert!(
            !asks(
                "Our corporate clients pay late. When an invoice is overdue, text the client 'Hi'"
            )
            .is_empty()
        );
        assert!(
            !asks("We get leads from fairs. When one of those leads arrives, notify Anna")
                .is_empty()
        );
    }

    /// More ways to say an event (v15, late).
    #[test]
    fn more_events_late_v15() {
        for (text, kind) in [
            (
                "Tasks that are past their deadline should message the service desk manager on Bitrix: 'SLA'",
                "task_overdue",
            ),
            (
                "When lead is coming from Instagram, send to the client SMS 'Thanks'",
                "lead_created",
            ),
            (
                "when someone fixes a contact's details drop the bounced-email tag",
                "contact_updated",
            ),
            (
                "when staff add a note to a boarding deal send it on to https://hooks.example.app/notes",
                "activity_added",
            ),
            (
                "Whenever an activity's logged on a donor deal, send it to https://hooks.example.org/a via POST",
                "activity_added",
            ),
            (
                "every task someone creates should be bumped to high priority",
                "task_created",
            ),
            // A deal coming into a stage is still a move to it.
            (
                "When deal come in stage 'Proofreading', make task for proofreader Elena",
                "stage_changed",
            ),
        ] {
            assert_eq!(ok(text).trigger.kind, kind, "{text}");
        }
    }

    /// Records in a state, as an order's object, name the event (v15).
    #[test]
    fn records_in_a_state_as_the_object() {
        let b = ok("Post converted leads to https://api.example.app/crm/converted");
        assert_eq!(b.trigger.kind, "lead_converted");
        assert_eq!(ok("Tag won deals 'won-2026'").trigger.kind, "deal_won");
        // After an event of its own, it is a second event, and asked about.
        assert!(
            !super::super::asks("When a deal is won, email paid invoices to finance").is_empty()
        );
    }

    /// A deal "closed with success" is won; a call "registered" is an activity logged;
    /// a second event b24flow cannot tell won from lost is still asked about (v16).
    #[test]
    fn second_language_events() {
        use super::super::asks;
        assert_eq!(
            ok("When deal is closed with success, notify Anna")
                .trigger
                .kind,
            "deal_won"
        );
        let b = ok("Activity added (call registered) → remove tag 'no contact'");
        assert_eq!(b.trigger.kind, "activity_added");
        assert_eq!(b.actions.len(), 1);
        assert!(
            !asks("When a deal is closed, notify Anna, and when invoice is overdue send him SMS")
                .is_empty()
        );
    }

    /// An event's verb without its agreement, as a second-language writer leaves it (v16).
    #[test]
    fn events_without_agreement() {
        use super::super::kinds;
        for (text, trigger, stage) in [
            (
                "When deal reach stage 'Delivered', notify Anna",
                "stage_changed",
                Some("DELIVERED"),
            ),
            (
                "When deal come to 'Customs clearance' stage, notify Anna",
                "stage_changed",
                Some("CUSTOMS_CLEARANCE"),
            ),
            (
                "When deal come in stage 'Proofreading', notify Anna",
                "stage_changed",
                Some("PROOFREADING"),
            ),
            (
                "When deal is passing to stage Financing, notify Anna",
                "stage_changed",
                Some("FINANCING"),
            ),
            ("When lead comes, notify Anna", "lead_created", None),
            ("When enter a new lead, notify Anna", "lead_created", None),
            ("when task finish, notify Anna", "task_completed", None),
            ("quote approve → notify Anna", "quote_approved", None),
            (
                "When the lead pass to deal, notify Anna",
                "lead_converted",
                None,
            ),
            (
                "when task pass the deadline, notify Anna",
                "task_overdue",
                None,
            ),
            ("when lead have update, notify Anna", "lead_updated", None),
        ] {
            let b = ok(text);
            assert_eq!(b.trigger.kind, trigger, "{text}");
            assert_eq!(
                b.trigger.params.get("stage").map(String::as_str),
                stage,
                "{text}"
            );
        }
        // An order's own "complete" is not an event's.
        assert_eq!(
            kinds(&ok("When a deal is won, mark the task 'Call' as complete")),
            ["update_task"]
        );
    }
}

/// A starting source named by a capitalised word and a lowercase one is the whole name:
/// "source Web form" is the web form (`WEBFORM`), not the website (`WEB`).
#[test]
fn a_known_source_name_is_read_whole() {
    let b =
        ok("new leads from source Web form with budget over 2000 - notify Sam and tag 'priority'");
    let source = b
        .conditions
        .iter()
        .find(|c| c.field == "SOURCE_ID")
        .unwrap_or_else(|| panic!("no source: {b:?}"));
    assert_eq!(source.value, "Web form");
    assert_eq!(
        b.conditions
            .iter()
            .map(|c| c.field.as_str())
            .collect::<Vec<_>>(),
        ["SOURCE_ID", "OPPORTUNITY"]
    );
}

/// A capitalised value followed by a plain noun may go on ("source Partner network"): it
/// is asked about, never cut short to "Partner"; a channel named by its head word ("from
/// source Partner portal") is the channel's whole name.
#[test]
fn a_value_that_may_go_on_is_not_cut_short() {
    asks("new leads from source Partner network - notify Sam");
    asks("new deal with the type Partner account: notify Sam");
    let b = ok("new leads from source Partner portal - notify Sam");
    assert_eq!(b.conditions[0].value, "Partner portal");
    let b = ok("new leads from source Partner with budget over 2000 - notify Sam");
    assert_eq!(b.conditions[0].value, "Partner");
}

/// What a deal is for describes it ("a new deal for a used car"), but an order for a
/// thing names the goods sold, the deal's product rows, which no condition can compare:
/// asked, never dropped.
#[test]
fn the_goods_an_order_is_for_are_asked_about() {
    asks("When a new order for a sofa comes in, notify the upholstery team");
    asks("When a sale for a corner sofa is created, notify the upholstery team");
    let b = ok(
        "Whenever someone adds a new deal for a used car, schedule a call with the customer for tomorrow",
    );
    assert_eq!(b.trigger.kind, "deal_created");
}

/// Bitrix24 keeps its automation rules stage by stage, and people open a request the
/// same way: "At stage X, ..." is the rule on stage X. "On stage change to X" is still
/// the change, with the stage after "to".
#[test]
fn a_request_opened_at_a_stage_is_that_stages_rule() {
    for (text, stage) in [
        (
            "At stage Cleaning scheduled, schedule a call to the client tomorrow for the manager to confirm the address",
            "CLEANING_SCHEDULED",
        ),
        ("On stage Contract sent, notify Anna", "CONTRACT_SENT"),
        ("In the Contract sent stage, notify Anna", "CONTRACT_SENT"),
        (
            "At the Negotiation stage: create a task for the manager to call the client",
            "NEGOTIATION",
        ),
        ("At stage 'Invoice sent' notify Anna", "INVOICE_SENT"),
        (
            "On stage change to Contract Sent: create an invoice",
            "CONTRACT_SENT",
        ),
    ] {
        let b = ok(text);
        assert_eq!(b.trigger.kind, "stage_changed", "{text}");
        assert_eq!(b.trigger.params["stage"], stage, "{text}");
    }
    // Any other opening with "at" or "in" names no stage, and is asked about.
    asks("At the moment, when a deal is won, notify Anna");
    asks("When a deal is won, on stage Final, notify Anna");
}

/// Whom a meeting is with, when that is the client ("with a couple", "with a donor"), is
/// the record's own contact; a word that narrows it ("a VIP client") is still asked.
#[test]
fn whom_a_meeting_is_with() {
    let b = ok(
        "When a meeting is scheduled with a couple, email them with subject 'See you at the studio!'",
    );
    assert_eq!(b.trigger.kind, "meeting_scheduled");
    asks("When a meeting is scheduled with a VIP client, email them");
}

/// A stage's name closed by the word "stage" is every word before it, whatever they
/// would mean alone: "to in conversation stage", "to the on hold stage"; a name after
/// someone's ("to Ben in Survey stage") is still only the stage's.
#[test]
fn a_stage_name_closed_by_the_word_stage() {
    for (text, stage) in [
        (
            "new activity on a deal -> move it to in conversation stage",
            "IN_CONVERSATION",
        ),
        (
            "When a deal is won, move it to the on hold stage",
            "ON_HOLD",
        ),
        (
            "When a task is marked complete, move the deal to Ready for Invoice stage and notify Greta",
            "READY_FOR_INVOICE",
        ),
    ] {
        let b = ok(text);
        assert_eq!(b.actions[0].field("stage"), Some(stage), "{text}");
    }
    let b = ok(
        "When a lead is converted, create a deal 'Alarm install' assigned to Ben in Survey stage",
    );
    assert_eq!(b.actions[0].field("stage"), Some("SURVEY"));
    assert_eq!(b.actions[0].field("assignee"), Some("Ben"));
}

/// The record's channel said as a clause of its own ("and it came from Google Ads") is
/// its source, read as "a lead from Google Ads" would be; a channel that is no source
/// ("from my cousin") is still asked about.
#[test]
fn a_source_said_as_where_it_came_from() {
    let b = ok(
        "Once a lead is converted and it came from Google Ads, call our webhook https://track.printhub.com/conversions",
    );
    assert_eq!(b.conditions.len(), 1);
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    assert_eq!(b.conditions[0].value, "Google Ads");
    let b = ok("When a new lead arrives, if it came from the website notify Anna");
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    assert_eq!(b.actions[0].kind, "send_notification");
    asks("When a lead is converted and it came from my cousin, notify Anna");
    asks("When a lead is converted and it came from Facebook last year, notify Anna");
}

/// What is booked before the deal's own word describes the deal ("a tour booking"), and
/// an amount may stand between the team's word for its deal and its move ("a print job
/// over 1500 moves to Proof Approved").
#[test]
fn a_booking_of_a_tour_and_a_job_over_an_amount() {
    let b = ok(
        "When a tour booking over 8k is won, email the customer with subject 'Your trip is confirmed' and add the tag paid-booking",
    );
    assert_eq!(b.trigger.kind, "deal_won");
    assert_eq!(b.conditions[0].value, "8000");
    let b = ok(
        "When a print job over 1500 moves to Proof Approved, create a task for the print shop to start the run, due in 2 days",
    );
    assert_eq!(b.trigger.kind, "stage_changed");
    assert_eq!(b.trigger.params["stage"], "PROOF_APPROVED");
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    assert_eq!(b.conditions[0].value, "1500");
    assert_eq!(b.actions[0].field("assignee"), Some("print shop"));
}
