//! Unit tests of the offline parser as a whole: `parse` from text to blueprint.

use super::*;

fn ok(text: &str) -> Blueprint {
    match parse(text) {
        Outcome::Ok { workflow } => workflow,
        Outcome::NeedsClarification { questions } => {
            panic!("{text:?} asked {questions:?}")
        }
    }
}

fn asks(text: &str) -> Vec<String> {
    match parse(text) {
        Outcome::NeedsClarification { questions } => questions,
        Outcome::Ok { workflow } => panic!("{text:?} parsed to {workflow:?}"),
    }
}

fn kinds(b: &Blueprint) -> Vec<&str> {
    b.actions.iter().map(|a| a.kind.as_str()).collect()
}

#[test]
fn seed_deal_won_whatsapp() {
    let b = ok("When a deal is won, send a WhatsApp message to the client");
    assert_eq!(b.trigger.kind, "deal_won");
    assert_eq!(b.entity, "CRM_DEAL");
    assert_eq!(kinds(&b), ["send_whatsapp"]);
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
    assert_eq!(
        b.actions[0].field("message"),
        Some("Congratulations! Your deal has been confirmed.")
    );
    assert_eq!(b.name, "Deal won: send WhatsApp");
}

#[test]
fn seed_new_lead_task() {
    let b = ok("Create a follow-up task for the sales manager when a new lead is created");
    assert_eq!(b.trigger.kind, "lead_created");
    assert_eq!(b.entity, "CRM_LEAD");
    assert_eq!(kinds(&b), ["create_task"]);
    assert_eq!(b.actions[0].field("title"), Some("Follow up with new lead"));
    assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
}

#[test]
fn seed_overdue_invoice_email() {
    let b = ok("Send an email to the client when their invoice is overdue");
    assert_eq!(b.trigger.kind, "invoice_overdue");
    assert_eq!(b.entity, "CRM_INVOICE");
    assert_eq!(kinds(&b), ["send_email"]);
    let a = &b.actions[0];
    assert_eq!(a.field("to"), Some("{{CONTACT_EMAIL}}"));
    assert!(a.field("subject").is_some_and(|s| !s.is_empty()));
    assert!(a.field("body").is_some_and(|s| !s.is_empty()));
}

#[test]
fn seed_deal_lost_notify_and_task() {
    let b = ok("Notify the sales team when a deal is lost and create a review task");
    assert_eq!(b.trigger.kind, "deal_lost");
    assert_eq!(b.entity, "CRM_DEAL");
    assert_eq!(kinds(&b), ["send_notification", "create_task"]);
    assert_eq!(b.actions[0].field("to"), Some("sales team"));
    assert_eq!(
        b.actions[1].field("title"),
        Some("Review lost deal reasons")
    );
    assert_eq!(b.actions[1].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
}

#[test]
fn seed_lead_converted_assign() {
    let b = ok("When a lead is converted, assign it to the sales manager");
    assert_eq!(b.trigger.kind, "lead_converted");
    assert_eq!(b.entity, "CRM_LEAD");
    assert_eq!(kinds(&b), ["assign_responsible"]);
    assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
}

#[test]
fn seed_vague_examples_ask() {
    for text in [
        "Do something when things change",
        "Send a message to someone",
        "Automate my CRM",
        "Handle new clients",
    ] {
        let q = asks(text);
        assert!(!q.is_empty(), "{text}");
    }
    assert!(asks("Automate my CRM")[0].contains("Which event"));
    assert!(
        asks("Send a message to someone")
            .iter()
            .any(|q| q.contains("\"someone\""))
    );
}

#[test]
fn stage_and_condition() {
    let b = ok(
        "When a deal moves to the Negotiation stage and the amount is over 10000, notify the manager",
    );
    assert_eq!(b.trigger.kind, "stage_changed");
    assert_eq!(b.trigger.param("stage"), Some("NEGOTIATION"));
    assert_eq!(
        b.conditions,
        [Condition {
            field: "OPPORTUNITY".into(),
            operator: ">".into(),
            value: "10000".into()
        }]
    );
    assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
}

#[test]
fn output_is_normalized_and_deterministic() {
    let text =
        "When a deal is won, send a WhatsApp to the client and create a task for Anna tomorrow";
    let b = ok(text);
    assert_eq!(b.clone().normalized(), b);
    assert_eq!(parse(text), parse(text));
}

// Issue 19's four confident errors: each is now a right answer or a question.

#[test]
fn issue19_lost_deal_email_asking_for_feedback_is_one_email() {
    let b = ok("If a deal gets lost, email the client and ask for feedback");
    assert_eq!(b.trigger.kind, "deal_lost");
    assert_eq!(kinds(&b), ["send_email"]);
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_EMAIL}}"));
    assert!(
        b.actions[0]
            .field("body")
            .is_some_and(|s| s.contains("feedback"))
    );
}

#[test]
fn issue19_telegraphic_plus_keeps_the_task() {
    let b = ok("when deal won -> whatsapp client + task for manager");
    assert_eq!(b.trigger.kind, "deal_won");
    assert_eq!(kinds(&b), ["send_whatsapp", "create_task"]);
    assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
    assert_eq!(b.actions[1].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
}

#[test]
fn issue19_changes_stage_is_stage_changed() {
    let b = ok("When the deal changes stage, send an email to the client");
    assert_eq!(b.trigger.kind, "stage_changed");
    assert!(b.trigger.params.is_empty());
    assert_eq!(kinds(&b), ["send_email"]);
    let b = ok("When a deal changes stage to Negotiation, notify the manager");
    assert_eq!(b.trigger.param("stage"), Some("NEGOTIATION"));
}

#[test]
fn issue19_ie_aside_restating_an_assignment_is_one_assignment() {
    let b = ok(
        "When a lead is converted, hand it over to the account manager, i.e. reassign it to the responsible person",
    );
    assert_eq!(kinds(&b), ["assign_responsible"]);
    // An aside that says something else is a question, not a second action.
    let q = asks("When a lead is converted, hand it over to Anna, i.e. send her an email");
    assert!(q.iter().any(|q| q.contains("i.e.")), "{q:?}");
}

#[test]
fn issue19_what_a_person_understands() {
    let cases = [
        (
            "When a deal reaches the NEGOTIATION stage, notify the manager",
            "stage_changed",
            "send_notification",
        ),
        (
            "Whenever a contact's details change, notify the manager",
            "contact_updated",
            "send_notification",
        ),
        (
            "Text the lead 'Thanks!' when they are converted",
            "lead_converted",
            "send_sms",
        ),
        (
            "When a lead is converted, give it to the sales manager",
            "lead_converted",
            "assign_responsible",
        ),
        (
            "New lead? Send a welcome email",
            "lead_created",
            "send_email",
        ),
        (
            "When a deal is won, ping Anna",
            "deal_won",
            "send_bitrix_message",
        ),
    ];
    for (text, trigger, action) in cases {
        let b = ok(text);
        assert_eq!(b.trigger.kind, trigger, "{text}");
        assert_eq!(kinds(&b), [action], "{text}");
    }
    let b = ok("Text the lead 'Thanks!' when they are converted");
    assert_eq!(b.actions[0].field("message"), Some("Thanks!"));
}

#[test]
fn never_silently_wrong_on_what_it_cannot_place() {
    // The same action twice for the same person.
    let q = asks("When a deal is won, email the client and send them an email");
    assert!(q.iter().any(|q| q.contains("twice")), "{q:?}");
    // Words of the event that name a condition b24flow cannot express.
    let q = asks("When a deal in the Wholesale pipeline is won, notify the manager");
    assert!(q.iter().any(|q| q.contains("Wholesale pipeline")), "{q:?}");
    // A clause that is neither an action nor detail of one.
    let q = asks("When a deal is won, notify the manager and check the stock");
    assert!(q.iter().any(|q| q.contains("check the stock")), "{q:?}");
    // "closed" does not say won or lost.
    let q = asks("When a deal is closed, notify the manager");
    assert!(q.iter().any(|q| q.contains("won or lost")), "{q:?}");
    // Quotes read back as written in questions.
    let q = asks("When a deal is won, check the 'Stock' sheet");
    assert!(q.iter().all(|q| !q.contains('\x01')), "{q:?}");
    assert!(q.iter().any(|q| q.contains("'Stock'")), "{q:?}");
}

// Round two: the principles behind the first held-out set's silent errors.

#[test]
fn comparison_words_decide_the_operator() {
    for (text, op, value) in [
        (
            "If a deal is updated and the amount is now over 75,000, ping the head of sales",
            ">",
            "75000",
        ),
        (
            "When a deal is won and the amount is still under 500, notify the manager",
            "<",
            "500",
        ),
        (
            "When a deal is won and the amount is no less than 2k, notify the manager",
            ">=",
            "2000",
        ),
        (
            "When a deal is won and the amount is currently above 10000, notify the manager",
            ">",
            "10000",
        ),
    ] {
        let b = ok(text);
        assert_eq!(
            b.conditions,
            [Condition {
                field: "OPPORTUNITY".into(),
                operator: op.into(),
                value: value.into()
            }],
            "{text}"
        );
    }
    // A comparison it cannot read is a question, never an equality or the amount.
    asks("When a deal is updated and the amount is roughly 5000, notify the manager");
    asks("When a deal is updated and the discount is well over 15, notify the manager");
}

#[test]
fn the_object_of_move_decides_the_action() {
    for (text, value) in [
        ("If a task is late, move its deadline to +2d", "+2d"),
        (
            "When a task gets created, push its deadline out to +3d",
            "+3d",
        ),
        (
            "When a task is created, move the deadline to tomorrow",
            "+1d",
        ),
    ] {
        let b = ok(text);
        assert_eq!(kinds(&b), ["update_task"], "{text}");
        assert_eq!(b.actions[0].field("field"), Some("DEADLINE"), "{text}");
        assert_eq!(b.actions[0].field("value"), Some(value), "{text}");
    }
    // Not a stage move: a deal has no deadline b24flow can move, a shift "by" days is
    // not a time from now, and a meeting is not the record.
    for text in [
        "When a deal is won, push its deadline to +2d",
        "When a task is created, postpone the deadline by 2 days",
        "When a deal is won, push the meeting to Friday",
    ] {
        asks(text);
    }
    let b = ok("When a deal is won, move it to Final Invoice");
    assert_eq!(kinds(&b), ["move_stage"]);
    let b = ok("When a deal is won, push the deal to the Contract stage");
    assert_eq!(b.actions[0].field("stage"), Some("CONTRACT"));
}

#[test]
fn a_lowercase_word_before_the_record_describes_it_a_capitalised_one_is_asked() {
    let b = ok("When a wholesale deal is won, notify the manager");
    assert_eq!(b.trigger.kind, "deal_won");
    assert!(b.conditions.is_empty());
    let b = ok("When a student's tuition invoice is overdue, notify the manager");
    assert_eq!(b.trigger.kind, "invoice_overdue");
    let q = asks("When a Wholesale deal is won, notify the manager");
    assert!(q.iter().any(|q| q.contains("Wholesale")), "{q:?}");
    // Two records side by side compete for the subject.
    asks("New booking enquiry deal, notify the manager");
}

#[test]
fn small_readings_of_fresh_descriptions() {
    // A bare quoted word after a tag instruction is a tag.
    let b = ok("When a deal is won, remove the 'trial' tag, add 'paying'");
    assert_eq!(kinds(&b), ["remove_tag", "add_tag"]);
    assert_eq!(b.actions[1].field("tag"), Some("paying"));
    // An "i.e." that restates the time adds nothing.
    let b = ok("When we lose a deal, schedule a call with the customer in 6 weeks, i.e. +42d");
    assert_eq!(b.actions[0].field("datetime"), Some("+42d"));
    // "whoever owns it" is the responsible person.
    let b = ok("Task overdue: set a reminder for whoever owns it, 2 hours from now");
    assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    // Space thousands separators and bracketed remarks.
    let b = ok("When a deal changes, if the amount is at least 1 000 000, notify the manager");
    assert_eq!(b.conditions[0].value, "1000000");
    asks("Quote drafted, set the deal's probability to 40 (we treat quoted deals as 40%)");
}

/// Checks what must hold for any input: a blueprint is normalized, runs on its
/// trigger's entity, and fills every required field; questions are never empty.
fn check_invariants(text: &str, user_wrote_variables: bool) {
    match parse(text) {
        Outcome::Ok { workflow } => {
            assert_eq!(workflow.clone().normalized(), workflow, "{text:?}");
            let info = catalog::trigger(&workflow.trigger.kind).expect("a catalog trigger");
            assert_eq!(workflow.entity, info.entity.id(), "{text:?}");
            assert!(!workflow.actions.is_empty(), "{text:?}");
            for a in &workflow.actions {
                let spec = catalog::action(&a.kind).expect("a catalog action");
                for f in spec.fields.iter().filter(|f| f.required) {
                    assert!(
                        a.field(f.name).is_some(),
                        "{text:?}: {} has no {}",
                        a.kind,
                        f.name
                    );
                }
                for name in a.fields.keys() {
                    assert!(
                        spec.field(name).is_some(),
                        "{text:?}: {} has {name}",
                        a.kind
                    );
                }
            }
            if !user_wrote_variables {
                for (at, name) in workflow.variable_uses() {
                    let v = catalog::variable(&name).expect("a catalog variable");
                    assert!(
                        v.expression_for(info.entity).is_some(),
                        "{text:?}: {at} uses {name}, which {} does not supply",
                        workflow.entity
                    );
                }
            }
        }
        Outcome::NeedsClarification { questions } => {
            assert!(!questions.is_empty(), "{text:?}");
        }
    }
}

const FRAGMENTS: &[&str] = &[
    "when",
    "if",
    "once",
    "a deal",
    "the lead",
    "is won",
    "is lost",
    "is created",
    "arrives",
    "new",
    "task",
    "invoice",
    "is overdue",
    "quote",
    "approved",
    "meeting",
    "note added",
    "stage",
    "moves to",
    "Negotiation",
    "send",
    "a WhatsApp",
    "an email",
    "SMS",
    "to the client",
    "to the manager",
    "notify",
    "the sales team",
    "Anna",
    "create a task",
    "for",
    "someone",
    "assign it to",
    "add the tag",
    "remove tag",
    "move it to",
    "set the source to",
    "Website",
    "post to https://x.example/h",
    "'quoted, text'",
    "and",
    "then",
    ",",
    ".",
    "->",
    "the amount is over 10000",
    "tomorrow",
    "in 3 days",
    "urgent",
    "schedule a call",
    "remind",
    "comment",
    "create a deal",
    "company",
    "contact",
    "webhook",
    "update the deal",
    "or",
    "\u{201c}curly\u{201d}",
    "\u{e9}t\u{e9}",
    "\u{2192}",
    ":",
    "1)",
    "2.",
];

proptest::proptest! {
    #[test]
    fn any_text_gives_a_valid_outcome(text in "\\PC{0,120}") {
        check_invariants(&text, true);
    }

    #[test]
    fn vocabulary_soup_gives_a_valid_outcome(
        picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..18)
    ) {
        let text: Vec<&str> = picks.iter().map(|&i| FRAGMENTS[i]).collect();
        check_invariants(&text.join(" "), false);
    }
}

// Round three: principles behind the second held-out set's misses.

#[test]
fn a_choice_between_recipients_or_by_region_is_asked() {
    asks("When a deal is lost, notify Anna or Peter depending on the region");
    asks("When a contact is updated, let whoever handles that region know");
    let b = ok("When a deal is won, notify whoever owns it");
    assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
    // A comparison is not a choice.
    let b = ok("If a lead comes in with an amount of 500 or more, notify the manager");
    assert_eq!(b.conditions[0].operator, ">=");
}

#[test]
fn a_misspelt_group_is_asked_not_kept() {
    let q = asks("When an invoice is paid, notify the acounts team");
    assert!(q.iter().any(|q| q.contains("acounts")), "{q:?}");
    // A real word one letter off a client word is not a typo.
    let b = ok("When a quote is approved, notify the contracts team");
    assert_eq!(b.actions[0].field("to"), Some("contracts team"));
}

#[test]
fn a_url_as_the_object_is_a_webhook() {
    let b =
        ok("When a deal changes stage, call https://x.example.com/hook with the message 'moved'");
    assert_eq!(kinds(&b), ["webhook"]);
    let b =
        ok("When a quote is approved, send it to https://x.example.com/q with the message 'ok'");
    assert_eq!(kinds(&b), ["webhook"]);
}

#[test]
fn an_event_in_brackets_explains_the_one_before() {
    for text in [
        "Once the client signs (deal won), notify the manager",
        "When a patient decides not to go ahead (the deal is lost), notify the manager",
        "Property sale completed (deal won) -> notify the manager",
    ] {
        let b = ok(text);
        assert!(b.trigger.kind.starts_with("deal_"), "{text}");
    }
    // An unknown event with no explanation is still asked about.
    asks("Once the client signs, notify the manager");
}

#[test]
fn conditions_inside_the_event_are_read() {
    let b = ok("When a deal is won in GBP, notify the manager");
    assert_eq!(b.conditions[0].field, "CURRENCY_ID");
    assert_eq!(b.conditions[0].value, "GBP");
    let b = ok("When a lead comes in from Facebook, notify the manager");
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    let b = ok("New company with the industry Healthcare -> notify the manager");
    assert_eq!(b.conditions[0].field, "INDUSTRY");
    assert_eq!(b.conditions[0].value, "Healthcare");
    // A place that is not a known channel stays a question.
    asks("When a lead comes in from Germany, notify the manager");
}

#[test]
fn jobs_by_their_form_are_recipients() {
    let b = ok("When a deal is won, create a task for the teacher");
    assert_eq!(b.actions[0].field("assignee"), Some("teacher"));
    let b = ok("When a deal is won, notify the data protection officer");
    assert_eq!(b.actions[0].field("to"), Some("data protection officer"));
}

#[test]
fn telegraphic_stage_moves_and_colons() {
    let b = ok("deal -> 'Trial lesson' stage: notify the manager");
    assert_eq!(b.trigger.param("stage"), Some("TRIAL_LESSON"));
    let b = ok("Lead in: chat message to the duty manager");
    assert_eq!(b.trigger.kind, "lead_created");
    let b = ok("Deal moves to stage C2:PREPARATION -> assign to Ivan");
    assert_eq!(b.trigger.param("stage"), Some("C2:PREPARATION"));
}

#[test]
fn a_task_creator_is_the_runner_author() {
    for text in [
        "When a task is completed, notify its creator",
        "When a task is completed, notify the author",
        "When a task is done, notify the person who set the task",
        "When a task is completed, tell who created it",
        "When a task is overdue, send a chat message to the task's creator",
    ] {
        assert_eq!(ok(text).actions[0].field("to"), Some("author"), "{text}");
    }
    // A template has no such recipient: asked, not guessed.
    let q = asks("When a deal is won, notify its creator");
    assert!(q.iter().any(|q| q.contains("created the deal")), "{q:?}");
}

#[test]
fn judging_words_and_times_before_are_asked() {
    // "high value" hides an amount only the author knows.
    asks("When a high value deal is won, notify the CEO");
    // b24flow cannot act before something happens.
    asks("When an appointment is booked, text the patient a reminder the day before");
    // A describing word is still read through.
    ok("When a wholesale deal is won, notify the CEO");
}

#[test]
fn a_pronoun_caller_and_unplaced_times() {
    let b = ok("New lead -> notify the senior broker and schedule a call for him within the hour");
    assert_eq!(b.actions[1].field("assignee"), Some("senior broker"));
    assert_eq!(b.actions[1].field("datetime"), Some("+1h"));
    // No one named before: "him" is asked about, never the responsible person.
    asks("New lead -> schedule a call for him");
    // An e-mail has no time of its own.
    let q = asks("When a deal is won, email the client within the hour");
    assert!(q.iter().any(|q| q.contains("within the hour")), "{q:?}");
}
