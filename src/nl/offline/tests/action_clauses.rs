//! Actions, their recipients and their details, read as people write them.

use super::{asks, kinds, ok};

fn assignees(b: &crate::blueprint::Blueprint) -> Vec<String> {
    b.actions
        .iter()
        .map(|a| a.fields.get("assignee").cloned().unwrap_or_default())
        .collect()
}

/// "set X a reminder", "create her a task": the one named between the verb and the thing
/// given is who gets it; a pronoun there is the person named before it.
#[test]
fn the_one_given_a_task_or_reminder_is_who_it_is_for() {
    let b = ok("When a tender is lost, set the bid manager a reminder in 30 days");
    assert_eq!(assignees(&b), ["bid manager"]);
    let b = ok("When a deal is won, notify Olga and create her a task to book the install");
    assert_eq!(kinds(&b), ["send_notification", "create_task"]);
    assert_eq!(assignees(&b)[1], "Olga");
    let b = ok("When a new deal comes in, hand it to Tomasz and set him a reminder for tomorrow");
    assert_eq!(assignees(&b), ["Tomasz", "Tomasz"]);
    let b = ok("When a deal is lost, message the win-back team and set them a reminder in 60 days");
    assert_eq!(assignees(&b)[1], "win-back team");
    // Nobody named before the pronoun: asked, never the responsible person.
    let q = asks("When a deal is lost, create them a task to call the client");
    assert!(q.iter().any(|q| q.contains("\"them\"")), "{q:?}");
    // What is sent still goes to the one before "a ...".
    let b = ok("When a deal is won, send the manager a notification");
    assert_eq!(b.actions[0].fields["to"], "{{ASSIGNED_BY_ID}}");
}

/// "the collections agent", "the night rep": a trade word before a word for the
/// responsible person names someone else; the business's own trade does not.
#[test]
fn a_trade_before_agent_or_rep_names_another_role() {
    let b = ok("When an invoice is overdue, reassign it to the collections agent");
    assert_eq!(assignees(&b), ["collections agent"]);
    let b = ok("When a deal is won, create a task for the night rep to check stock");
    assert_eq!(assignees(&b), ["night rep"]);
    let b = ok("When a booking is won, create a task for the travel agent to issue tickets");
    assert_eq!(assignees(&b), ["{{ASSIGNED_BY_ID}}"]);
    let b = ok("When a deal is won, create a task for the sales rep to send the contract");
    assert_eq!(assignees(&b), ["{{ASSIGNED_BY_ID}}"]);
}

/// A channel alone after a comma ("..., via chat") is how the message before it goes; a
/// channel that contradicts one already named is asked.
#[test]
fn a_channel_after_the_message_is_how_it_goes() {
    let b = ok("When a task is completed, tell the person who assigned it, via chat");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    assert_eq!(b.actions[0].fields["to"], "author");
    let b = ok("When a deal is won, let the owner know, by e-mail");
    assert_eq!(kinds(&b), ["send_email"]);
    let b = ok("When a task is overdue, notify the person who set it, over chat.");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    let b = ok("When a lead is created, alert Irena, via WhatsApp");
    assert_eq!(kinds(&b), ["send_whatsapp"]);
    let q = asks("When a deal is won, send the client an SMS, via WhatsApp");
    assert!(q.iter().any(|q| q.contains("via WhatsApp")), "{q:?}");
}

/// "to today's date ({{CURRENT_DATE}})": the value restated in brackets is the value; a
/// bracket that names another value is asked.
#[test]
fn a_field_value_restated_in_brackets_is_one_value() {
    for (text, want) in [
        (
            "When an invoice is paid, set the field UF_CRM_PAID_ON to today's date ({{CURRENT_DATE}}) and tell the bookkeeper",
            "{{CURRENT_DATE}}",
        ),
        (
            "When a lead is created, set the field UF_CRM_SEEN to now ({{CURRENT_DATETIME}})",
            "{{CURRENT_DATETIME}}",
        ),
        (
            "When a deal is won, set the field UF_CRM_CLOSED_ON to the current date ({{current_date}})",
            "{{CURRENT_DATE}}",
        ),
    ] {
        let b = ok(text);
        assert_eq!(b.actions[0].fields["value"], want, "{text}");
    }
    // The bracket is the author's own spelling of the value: it wins over the words.
    let b = ok(
        "When an invoice is paid, set the field UF_CRM_PAID_ON to today's date ({{CURRENT_DATETIME}})",
    );
    assert_eq!(b.actions[0].fields["value"], "{{CURRENT_DATETIME}}");
}

/// "accounts receivable", "customer success": a department named by its function is a
/// group name kept as written, never the client or a question.
#[test]
fn a_department_named_by_its_function_is_a_group() {
    for (text, want) in [
        (
            "When an invoice is paid, tell accounts payable",
            "accounts payable",
        ),
        (
            "When a deal is won, ping sales operations",
            "sales operations",
        ),
        (
            "When a deal is won, send a WhatsApp to customer success",
            "customer success",
        ),
        (
            "When a deal is won, email client relations",
            "client relations",
        ),
    ] {
        let b = ok(text);
        assert_eq!(b.actions[0].fields["to"], want, "{text}");
    }
    // The client is still the client, and a job after the department is the job.
    let b = ok("When a deal is won, email the customer");
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_EMAIL}}");
    let b = ok("When an invoice is paid, tell the accounts receivable clerk");
    assert_eq!(b.actions[0].fields["to"], "accounts receivable clerk");
}

/// "... so the list stays in sync": why an order is given is detail of it, never its
/// object or its text; a purpose that could be an order of its own is asked.
#[test]
fn a_purpose_after_an_order_is_its_detail() {
    let b = ok(
        "When a deal is updated, post it to https://erp.example.com/hook so that the nightly export picks it up",
    );
    assert_eq!(kinds(&b), ["webhook"]);
    // Someone who learns something may be told by a message of its own: asked. Someone
    // who sees the record an action wrote on sees what it wrote.
    asks("When a deal is won, move it to Invoicing so the accountant knows");
    let b = ok("When a deal is won, move it to Invoicing so the accountant sees it");
    assert_eq!(kinds(&b), ["move_stage"]);
    let b = ok("When a deal is won, send the client an email so that they know what happens next");
    assert!(!b.actions[0].fields["body"].contains("know what happens"));
    let b = ok("When a deal is won, tag it 'won-2026' so we can find it later");
    assert_eq!(b.actions[0].fields["tag"], "won-2026");
    // What a person then does is their own work, which the order makes possible.
    for text in [
        "When a lead is created, create a task for Anna so she can call them",
        "When a deal is won, notify the manager so he will email the client",
        "When a placement deal is lost, message Marta on Bitrix so she can reopen the vacancy",
    ] {
        assert_eq!(ok(text).actions.len(), 1, "{text}");
    }
    for text in [
        "When a deal is won, notify the manager so the client gets an SMS",
        "When a deal is won, notify the manager so that they send 'Thanks' to the client",
    ] {
        let q = asks(text);
        assert!(q.iter().any(|q| q.contains("so ")), "{text}: {q:?}");
    }
}

/// "... and put Lena on it": who is put on the thing just created is its assignee; after
/// an action with no assignee, or with a pronoun for nobody, it is asked.
#[test]
fn who_is_put_on_a_new_task_is_its_assignee() {
    let b = ok("When a deal is won, create a task to order parts and put Lena on it");
    assert_eq!(assignees(&b), ["Lena"]);
    let b = ok(
        "When a lead is converted, draw up a quote called 'Service plan' and stick the account manager on it",
    );
    assert_eq!(assignees(&b), ["{{ASSIGNED_BY_ID}}"]);
    let b = ok(
        "When a deal is won, set up a task to book the fitters, then put the install team on the task",
    );
    assert_eq!(assignees(&b), ["install team"]);
    asks("When a deal is won, create a task to book the install and put them on it");
    asks("When a deal is won, email the client and put Lena on it");
}

/// A pronoun is the person named nearest before it; when that is the client or someone
/// vague it is asked, never read as someone named further back.
#[test]
fn a_pronoun_is_the_nearest_person_named_before_it() {
    let b = ok("When a deal is won, tell Kasia and give her a task to send the invoice");
    assert_eq!(assignees(&b)[1], "Kasia");
    // Someone b24flow does not know, given the task: asked, never the default.
    let q = asks("When a lead comes in, give the night shift a task to qualify it");
    assert!(q.iter().any(|q| q.contains("night shift")), "{q:?}");
    let q = asks("When a deal is won, notify Anna, email the client and create a task for her");
    assert!(q.iter().any(|q| q.contains("\"her\"")), "{q:?}");
    let b = ok("When a deal is lost, alert the retention squad and give them a task to call back");
    assert_eq!(assignees(&b)[1], "retention squad");
}

/// "his manager" after someone named is that person's manager, whom only the author can
/// name; after the client or nobody it is the record's responsible person.
#[test]
fn a_manager_of_someone_named_is_asked() {
    let q = asks("When a deal is won, notify Piotr and create a task for his manager");
    assert!(q.iter().any(|q| q.contains("his manager")), "{q:?}");
    let q =
        asks("When an invoice is paid, message Greta and then remind her line manager tomorrow");
    assert!(!q.is_empty());
    let b = ok("When a lead comes in, email the client and notify their manager");
    assert_eq!(b.actions[1].fields["to"], "{{ASSIGNED_BY_ID}}");
    let b = ok("When a new contact is added, notify their account manager");
    assert_eq!(b.actions[0].fields["to"], "{{ASSIGNED_BY_ID}}");
}

/// "..., so the list stays in sync": why the action is done, not another action; a
/// purpose in which someone gets or learns something may be an action and is asked.
#[test]
fn a_purpose_after_an_action_is_its_detail() {
    let b = ok(
        "When a contact is updated, post it to https://crm-mirror.example.org/in, so our mailing tool stays current",
    );
    assert_eq!(kinds(&b), ["webhook"]);
    let b = ok("When a lead is created, tag it 'web', so that the marketing dashboard counts it");
    assert_eq!(kinds(&b), ["add_tag"]);
    let b = ok(
        "When a deal is won, move it to the Invoicing stage, so that it leaves the pipeline view",
    );
    assert_eq!(kinds(&b), ["move_stage"]);
    asks("When a deal is won, add the tag 'won', so the client gets a thank-you SMS");
    asks("When an invoice is paid, move the deal to Closed, so the team knows");
}

/// A channel alone after a message to an employee says how it goes: "..., via chat".
#[test]
fn a_channel_alone_says_how_the_message_goes() {
    let b = ok("When a task is completed, tell the person who set it, via chat");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    assert_eq!(b.actions[0].fields["to"], "author");
    let b = ok("When a deal is lost, inform Bartek, over Bitrix24 chat");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    let b = ok("When a lead comes in, message the sales team, by bell notification");
    assert_eq!(kinds(&b), ["send_notification"]);
}

/// A finance team named after its ledger is a group, its whole name kept as written.
#[test]
fn a_ledger_team_is_a_group_by_name() {
    let b = ok("When an invoice is overdue, alert accounts receivable");
    assert_eq!(b.actions[0].fields["to"], "accounts receivable");
    let b = ok("When an invoice is overdue, create a task for accounts payable to chase it");
    assert_eq!(assignees(&b), ["accounts payable"]);
    let b = ok("When an invoice is paid, ping the receivable desk");
    assert_eq!(b.actions[0].fields["to"], "receivable desk");
}

/// "the paralegal gets a high-priority task": the weight before the task is its
/// priority, kept when the recipient comes first.
#[test]
fn a_weight_before_a_task_given_to_someone_is_its_priority() {
    let b =
        ok("When a meeting is scheduled, the paralegal gets a high priority task to pull the file");
    assert_eq!(kinds(&b), ["create_task"]);
    assert_eq!(assignees(&b), ["paralegal"]);
    assert_eq!(b.actions[0].fields["priority"], "high");
    let b = ok("When a deal is won, the accountant gets a low-priority task to file it");
    assert_eq!(b.actions[0].fields["priority"], "low");
}

/// A tag or a comment named without a verb, and "write 'x' in its comments".
#[test]
fn a_tag_as_a_noun_and_writing_in_the_comments_are_their_actions() {
    let b = ok("When a lead is converted: bell notification to Dr Patel, plus the tag 'referred'");
    assert_eq!(kinds(&b), ["send_notification", "add_tag"]);
    assert_eq!(b.actions[1].fields["tag"], "referred");
    let b = ok("When a task is completed, write 'Signed off by QA' in its comments");
    assert_eq!(kinds(&b), ["add_comment"]);
    assert_eq!(b.actions[0].fields["message"], "Signed off by QA");
}

/// After a determiner, a verb's form is part of a name: "the export desk".
#[test]
fn a_verb_form_after_a_determiner_is_part_of_the_recipient() {
    let b = ok("When a deal is created, pass it to the export desk");
    assert_eq!(assignees(&b), ["export desk"]);
}

/// "so the hours get billed": a purpose in the passive about a thing is detail of the
/// order; one whose participle is an action ("gets moved") or that reaches a person is
/// asked.
#[test]
fn a_passive_purpose_about_a_thing_is_detail() {
    let b = ok(
        "Once a task is closed, POST to https://billing.example.com/hours so the hours get billed",
    );
    assert_eq!(kinds(&b), ["webhook"]);
    asks("When a deal is won, create a task for Anna so that the deal gets moved");
    asks("When a deal is won, POST to https://x.example.com/h so the client gets emailed");
}

/// "Every new task should start at low priority", "spawn a task": the priority a task
/// should have, and another verb for making one.
#[test]
fn a_priority_a_task_should_have_and_a_spawned_task() {
    let b = ok("Every new task should start at low priority");
    assert_eq!(kinds(&b), ["update_task"]);
    assert_eq!(b.actions[0].fields["value"], "low");
    let b = ok("When a task is overdue, make it top priority");
    assert_eq!(b.actions[0].fields["value"], "high");
    let b = ok("Late tasks should spawn a new task for the office manager to chase them up");
    assert_eq!(kinds(&b), ["create_task"]);
    assert_eq!(assignees(&b), ["office manager"]);
}

/// A file to go with a message is asked about: messages carry text only.
#[test]
fn an_attachment_is_asked_about() {
    let q = asks("When a deal is won, send the client an email with the invoice attached");
    assert!(
        q.iter().any(|q| q.contains("with the invoice attached")),
        "{q:?}"
    );
    let q = asks("When a deal is won, email the client and attach the contract");
    assert!(q.iter().any(|q| q.contains("attach the contract")), "{q:?}");
}

/// What a message cannot do is asked about: a language other than English for a default
/// text, and a group chat as where it goes.
#[test]
fn a_language_and_a_group_chat_are_asked_about() {
    let q = asks("When a deal is won, email the client in Spanish");
    assert!(q.iter().any(|q| q.contains("in Spanish")), "{q:?}");
    let b = ok("When a deal is won, WhatsApp the client 'Gracias!' in Spanish");
    assert_eq!(b.actions[0].fields["message"], "Gracias!");
    let q = asks("When a deal is won, notify the team in the sales chat");
    assert!(q.iter().any(|q| q.contains("in the sales chat")), "{q:?}");
    let b = ok("When a deal is won, message Anna in the Bitrix chat");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
}

/// A new deal's pipeline alone, an e-mail's sender, and a quoted stage taken for the
/// deal's title: what b24flow cannot set is asked about, and a quote is read once.
#[test]
fn a_pipeline_a_sender_and_a_quoted_stage() {
    let q = asks("When a lead is converted, create a deal in the Wholesale pipeline");
    assert!(
        q.iter().any(|q| q.contains("in the Wholesale pipeline")),
        "{q:?}"
    );
    let q = asks("When a contact is created, send them a welcome email from support@acme.com");
    assert!(q.iter().any(|q| q.contains("email_from")), "{q:?}");
    let b = ok("When a lead is converted, create a deal in the stage 'New order'");
    assert_eq!(b.actions[0].fields["stage"], "NEW_ORDER");
    assert_ne!(b.actions[0].fields["title"], "New order");
}

/// Copies of an e-mail, a phone channel left over after a message to an employee, and a
/// task's checklist are asked about rather than dropped or sent to someone else.
#[test]
fn copies_a_stray_channel_and_a_checklist_are_asked_about() {
    let q = asks("When a new lead arrives, email the client and BCC sales@acme.com");
    assert!(q.iter().any(|q| q.contains("BCC sales@acme.com")), "{q:?}");
    asks("When a deal is won, email the client and CC the manager");
    let q = asks("When a deal is won, notify Anna by email and SMS");
    assert!(q.iter().any(|q| q.contains("\"SMS\"")), "{q:?}");
    // After a message to the client, "and SMS" is another message to the client.
    let b = ok("When a deal is won, email the client and SMS");
    assert_eq!(kinds(&b), ["send_email", "send_sms"]);
    let q = asks("When a quote is approved, create an invoice for the same amount");
    assert!(q.iter().any(|q| q.contains("for the same amount")), "{q:?}");
    let q = asks("When a deal is won, create a task for the manager with a checklist");
    assert!(q.iter().any(|q| q.contains("with a checklist")), "{q:?}");
}

/// "the head of operations": a title "of" a department is one name.
#[test]
fn a_title_of_a_department_is_one_name() {
    let b = ok("when a task is overdue ping the head of operations");
    assert_eq!(b.actions[0].fields["to"], "head of operations");
}

/// "update the deal's Sync Status to 'pending'": a status with a name of its own is a
/// field; the record's status is its stage.
#[test]
fn a_named_status_is_a_field_and_the_records_status_its_stage() {
    let b = ok("When a deal is modified, update the deal's Sync Status to 'pending'");
    assert_eq!(kinds(&b), ["update_deal"]);
    assert_eq!(b.actions[0].fields["field"], "SYNC_STATUS");
    let q = asks("When a lead is created, create a deal in Qualification");
    assert!(q.iter().any(|q| q.contains("in Qualification")), "{q:?}");
    let b = ok("When a lead is updated, change the status to In Progress");
    assert_eq!(kinds(&b), ["move_stage"]);
}

/// "move it to Proposal for Tom": a stage name cut at "for" may be longer, or be
/// followed by whom it is for; asked, never moved to "PROPOSAL". After a word made to
/// take "for" ("Ready for Invoicing", since v27) the name goes on. Quoted, it is whole.
#[test]
fn a_stage_name_cut_at_for_is_asked_about() {
    let b = ok("task completed -> move the deal on to Ready for Invoicing");
    assert_eq!(b.actions[0].fields["stage"], "READY_FOR_INVOICING");
    let q = asks("When a deal is won, move it to Proposal for Tom");
    assert!(q.iter().any(|q| q.contains("Proposal for Tom")), "{q:?}");
    let b = ok("When a deal is won, move it to 'Ready for Invoicing'");
    assert_eq!(b.actions[0].fields["stage"], "READY_FOR_INVOICING");
    // "stage" closes the name; what follows is the reason.
    let b = ok("When a deal is won, move it to the Negotiation stage for review");
    assert_eq!(b.actions[0].fields["stage"], "NEGOTIATION");
}

/// "tell their account manager on Bitrix", "let them know in Bitrix chat": the
/// messenger; a notification "on Bitrix24" is still the bell.
#[test]
fn bitrix_named_as_the_channel_is_its_chat() {
    let b = ok("When an invoice is overdue, tell their account manager on Bitrix");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    let b = ok("Whenever a contact is edited, let their account manager know in Bitrix chat");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    let b = ok("When a deal is won, notify Anna on Bitrix24");
    assert_eq!(kinds(&b), ["send_notification"]);
}

/// "should go to Priya in a Bitrix message": a message to her, not a new owner.
#[test]
fn going_to_someone_by_a_channel_is_a_message() {
    let b = ok("Lost deals over 20,000 should go to Priya in a Bitrix message");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    assert_eq!(b.actions[0].fields["to"], "Priya");
    let b = ok("New leads should go to Lena");
    assert_eq!(kinds(&b), ["assign_responsible"]);
}

/// "our partnerships lead" is a person; "the partnerships lead" may be the lead record,
/// and is asked about; "the new lead" is the record.
#[test]
fn a_lead_of_a_team_is_a_person() {
    let b = ok("When a company is created, email our partnerships lead");
    assert_eq!(b.actions[0].fields["to"], "partnerships lead");
    asks("When a company is created, email the partnerships lead");
    let b = ok("When a lead is created, email the new lead");
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_EMAIL}}");
}

/// "the responsible teacher", "the assigned agent": the record's responsible person.
#[test]
fn the_responsible_whatever_is_the_responsible_person() {
    let b = ok(
        "When a deal is lost, set a reminder for the responsible teacher to call back in two weeks",
    );
    assert_eq!(b.actions[0].fields["assignee"], "{{ASSIGNED_BY_ID}}");
    let b = ok("When a deal is won, notify the assigned agent");
    assert_eq!(b.actions[0].fields["to"], "{{ASSIGNED_BY_ID}}");
}

/// "tag it onboarding": one word last, after the record, is the tag; an adverb there is
/// asked about.
#[test]
fn a_bare_word_after_tag_it_is_the_tag() {
    let b = ok("deal won -> email client w/ subject 'Welcome aboard' + tag it onboarding");
    assert_eq!(kinds(&b), ["send_email", "add_tag"]);
    assert_eq!(b.actions[1].fields["tag"], "onboarding");
    asks("When a deal is won, tag it accordingly");
}

/// Shorthand typed on a phone: "msg", "pls", "mgr".
#[test]
fn phone_shorthand_is_read_as_meant() {
    let b = ok("deal modified -> msg the owner in chat pls");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    assert_eq!(b.actions[0].fields["to"], "{{ASSIGNED_BY_ID}}");
    let b = ok("task done -> msg whoever assigned it in chat");
    assert_eq!(b.actions[0].fields["to"], "author");
}

/// "whoever is responsible for it": the responsible person, not a name "whoever is".
#[test]
fn whoever_is_responsible_is_the_responsible_person() {
    let b = ok("If a lead is updated, ping whoever is responsible for it in chat");
    assert_eq!(b.actions[0].fields["to"], "{{ASSIGNED_BY_ID}}");
}

/// "+ note on timeline": a comment named without a verb.
#[test]
fn a_note_on_the_timeline_without_a_verb_is_a_comment() {
    let b = ok("deal lost -> sms client 'Sorry' + note on timeline");
    assert_eq!(kinds(&b), ["send_sms", "add_comment"]);
}

/// "anybody changes a deal": anybody is whoever edits it.
#[test]
fn anybody_is_a_subject_like_someone() {
    let b = ok("Whenever anybody changes a deal, add a timeline comment 'Deal details changed'");
    assert_eq!(b.trigger.kind, "deal_updated");
}

/// "e-mail the hiring manager": a role by what it does may be the client's; asked on a
/// channel that reaches clients.
#[test]
fn a_manager_named_by_what_they_do_is_asked_about_on_a_client_channel() {
    let q = asks("If a recruitment deal is lost, email the hiring manager a short note");
    assert!(q.iter().any(|q| q.contains("hiring manager")), "{q:?}");
    let b = ok("When a deal is won, email the marketing manager");
    assert_eq!(b.actions[0].fields["to"], "marketing manager");
}

/// "with a Bitrix message" names the messenger; "with the text: ..." is what is sent.
#[test]
fn with_a_bitrix_message_is_the_messenger() {
    let b = ok(
        "If a patient's contact details change, let Anna on reception know with a Bitrix message",
    );
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    let b = ok(
        "When a deal is won, send an email to the client with the text: Thank you for choosing us",
    );
    assert_eq!(kinds(&b), ["send_email"]);
}

/// A wish states the order: "I want the head of sales pinged", "I'd like a text to go to
/// the customer", "I want that the system makes a reminder", "I'd like the manager to
/// get a bell notification", even with no comma after the event.
#[test]
fn a_wish_is_the_order_it_states() {
    let b = ok("If we close a deal over $50k I want the head of sales pinged on Bitrix");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    assert_eq!(b.actions[0].fields["to"], "head of sales");
    let b = ok("When a deal is won I'd like a text to go to the customer");
    assert_eq!(kinds(&b), ["send_sms"]);
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_PHONE}}");
    let b = ok("When a deal is won, I'd like Bitrix to create an invoice");
    assert_eq!(kinds(&b), ["create_invoice"]);
    let b = ok("When a deal is won, I'd like the account manager to get a bell notification");
    assert_eq!(kinds(&b), ["send_notification"]);
    assert_eq!(b.actions[0].fields["to"], "{{ASSIGNED_BY_ID}}");
    // Who gets a wished-for message still has to be someone b24flow can name.
    asks("When a deal is won I want someone pinged on Bitrix");
}

/// A title alone after a task or reminder ("..., titled 'Call back'") is its title; a
/// second one is asked about.
#[test]
fn a_title_alone_names_what_was_just_created() {
    let b = ok("Deal won? Set a reminder for Anna in 1 hour, titled 'Call back'");
    assert_eq!(kinds(&b), ["set_reminder"]);
    assert_eq!(b.actions[0].fields["title"], "Call back");
    asks("Deal won? Create a task 'A' for Anna, titled 'Call back'");
}

/// "..., Irina to do it", "- Agnieszka should make it": who is to do the call or task
/// just created is its assignee.
#[test]
fn who_is_to_do_it_is_the_assignee() {
    let b = ok(
        "Overdue invoices over 2,000 - schedule a call with the customer for tomorrow, Irina to do it",
    );
    assert_eq!(kinds(&b), ["schedule_call"]);
    assert_eq!(b.actions[0].fields["assignee"], "Irina");
    asks("When a deal is won, create a task to call the client, someone to do it");
}

/// A task's deadline set to a time counted from now ("3 days from now", "3 days out"),
/// or shifted from where it is ("push the deadline back by 2 days": `deadline+2d`, which
/// the event runner counts from the task's deadline). Only a shift later is read.
#[test]
fn a_deadline_set_to_a_time_from_now() {
    for text in [
        "When a task is created, set its deadline to 3 days from now",
        "When a task is created, set the deadline to 3 days out",
        "Every new task should automatically get a deadline 3 days out",
    ] {
        let b = ok(text);
        assert_eq!(kinds(&b), ["update_task"], "{text}");
        assert_eq!(b.actions[0].fields["value"], "+3d", "{text}");
    }
    for (text, value) in [
        (
            "When a task is overdue, postpone the deadline for 3 days",
            "deadline+3d",
        ),
        (
            "If a task goes overdue, push the deadline back 2 days",
            "deadline+2d",
        ),
        (
            "Overdue tasks: extend the deadline by a week",
            "deadline+7d",
        ),
    ] {
        assert_eq!(ok(text).actions[0].fields["value"], value, "{text}");
    }
    asks("When a task is overdue, bring the deadline forward by 1 day");
}

/// A date field takes a date or a date variable: "tomorrow" would reach the portal as a
/// word no date field can hold.
#[test]
fn a_date_field_is_never_set_to_a_word() {
    let q = asks("When a deal is won, set the close date to tomorrow");
    assert!(q.iter().any(|q| q.contains("CLOSEDATE")), "{q:?}");
    let b = ok("When a deal is won, set the close date to today");
    assert_eq!(b.actions[0].fields["value"], "{{CURRENT_DATE}}");
    let b = ok("When a deal is won, set the field Delivery Date to 2027-01-05");
    assert_eq!(b.actions[0].fields["value"], "2027-01-05");
}

/// What the record "should get" after the event, even after a condition, is the order:
/// "should get tagged X", "should come with a reminder", "should become a task".
#[test]
fn what_the_record_should_get_is_the_order() {
    let b = ok("new deals where the source is Website should get tagged online-booking");
    assert_eq!(kinds(&b), ["add_tag"]);
    let b = ok("Every new quote should come with a reminder for the rep to follow up in 5 days");
    assert_eq!(kinds(&b), ["set_reminder"]);
    let b = ok(
        "Every new lead should become a task for the sales manager to call the person within an hour",
    );
    assert_eq!(kinds(&b), ["create_task"]);
}

/// "put it in Discovery" moves the deal to a stage named as a stage is (capitalised or
/// quoted); "put it in the queue" is no stage. "make a task for the owner" is a task, not
/// a new owner.
#[test]
fn put_it_in_a_named_stage() {
    let b =
        ok("new deal? put it in Discovery + make a task for the owner to qualify it within a day");
    assert_eq!(kinds(&b), ["move_stage", "create_task"]);
    asks("When a deal is won, put it in the queue");
    let b = ok("When a deal is won, make Anna the owner");
    assert_eq!(kinds(&b), ["assign_responsible"]);
}

/// A clause with a subject of its own, contracted or not, borrows no verb: "(that's how
/// we see who booked)" after a tag was a second tag named "that's how we". An
/// explanation of that kind says why, and is no order.
#[test]
fn an_explanation_borrows_no_verb() {
    let b = ok("When a deal is won, tag it vip (that's how we see who booked)");
    assert_eq!(kinds(&b), ["add_tag"]);
    let b = ok("Once a lead gets converted, remove the new-enquiry tag and add 'client' instead");
    assert_eq!(kinds(&b), ["remove_tag", "add_tag"]);
    // The people a trade serves are its clients: "send the applicant an email".
    let b =
        ok("New partner applications come in as leads - send the applicant an email, subject 'Hi'");
    assert_eq!(b.trigger.kind, "lead_created");
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_EMAIL}}");
}

/// A polite request in the middle of a sentence ("could you draw up a quote", "can u
/// ping Laura") is the order; "can you organise that?" and "nothing else needed" at the
/// end ask for nothing more. "The deal" after a new quote is the record, not the quote.
#[test]
fn a_polite_request_mid_sentence_is_the_order() {
    let b = ok(
        "Once a deal lands in Negotiation, could you draw up a quote and give the deal to Tomasz?",
    );
    assert_eq!(kinds(&b), ["create_quote", "assign_responsible"]);
    assert_eq!(b.actions[1].fields["assignee"], "Tomasz");
    let b = ok("hey, when deals go into 'Demo Booked' can u ping Laura");
    assert_eq!(kinds(&b), ["send_bitrix_message"]);
    let b = ok("Lost deals under 2,000 - just take off the 'hot' tag, nothing else needed");
    assert_eq!(kinds(&b), ["remove_tag"]);
    let b =
        ok("Every new task should be set to high priority automatically, can you organise that?");
    assert_eq!(b.actions[0].fields["value"], "high");
}

/// The responsible person by a relative clause ("whoever's responsible for it", "the
/// person it's assigned to"), a time after a comma ("..., for tomorrow"), and a name
/// with its role after it. A capitalised first word of a sentence is no name, and a
/// second recipient after "and" is no apposition.
#[test]
fn who_is_responsible_in_other_words() {
    let b = ok("lead updated -> bell notificaiton to whoever's responsible for it");
    assert_eq!(b.actions[0].fields["to"], "{{ASSIGNED_BY_ID}}");
    let b = ok(
        "When a task is created, remind the person it's assigned to in 1 day to update its status",
    );
    assert_eq!(b.actions[0].fields["assignee"], "{{ASSIGNED_BY_ID}}");
    let b = ok("task overdue - set a reminder for whoever it's assigned to, for tomorrow");
    assert_eq!(b.actions[0].fields["datetime"], "+1d");
    let b = ok("Invoice overdue? Send the customer an SMS: 'Your invoice is now overdue'");
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_PHONE}}");
    let b = ok("When a deal is won, notify Anna and the head of delivery");
    assert_eq!(kinds(&b), ["send_notification", "send_notification"]);
}

/// Found by the first scores of two held-out sets: "worth at least 3000" is the amount
/// (it was a field named WORTH), a comparison on a word that names no field is asked
/// about, "tommorow" and "subj" are read as meant, a capitalised verb inside a stage
/// name is part of it ("Meeting Set"), and "our listings portal" is no stage.
#[test]
fn held_out_silent_errors() {
    let b = ok("deal closed won and worth at least 3000? high priority task for Greta");
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    asks("When a deal is won and the score is above 80, notify Anna");
    let b = ok(
        "When a membership invoice becomes overdue, set a reminder for the front desk to chase it tommorow.",
    );
    assert_eq!(b.actions[0].fields["datetime"], "+1d");
    let b = ok("invoice overdue -> email client subj 'Payment reminder' + task for accounts team");
    assert_eq!(b.actions[0].fields["subject"], "Payment reminder");
    let b = ok("When a meeting gets scheduled on a deal, move it to Meeting Set.");
    assert_eq!(b.actions[0].fields["stage"], "MEETING_SET");
    asks(
        "every time a deal gets updated push it to our listings portal, webhook is https://hooks.example.com/deal-sync",
    );
}

/// A task's purpose in any verb ("to see the client"; it fell back to the default title
/// and dropped the words), what is to be found out ("to check if the client is happy"),
/// and a verb no action has after it ("... and find out why"). "back" is no part of a
/// field's name ("set the field Data checked back to No").
#[test]
fn a_task_purpose_in_any_words() {
    let b = ok("When a deal is won, create a task for Anna to see the client");
    assert_eq!(b.actions[0].fields["title"], "See the client");
    let b =
        ok("When a deal is won, set a reminder for Anna in a week to check if the client is happy");
    assert_eq!(b.actions[0].fields["title"], "Check if the client is happy");
    let b = ok(
        "whenever a deal gets marked lost pls create a task for the rep to call the client and find out why, due in 2 days",
    );
    assert_eq!(
        b.actions[0].fields["title"],
        "Call the client and find out why"
    );
    let b = ok("When a deal is won, create a task for Anna to call the client and send an SMS");
    assert_eq!(kinds(&b), ["create_task", "send_sms"]);
    let b = ok("When a contact is edited, set the field Data checked back to No");
    assert_eq!(b.actions[0].fields["field"], "DATA_CHECKED");
    let b = ok("When a deal is won, set the field Status on hold to Yes");
    assert_eq!(b.actions[0].fields["field"], "STATUS_ON_HOLD");
    asks("When a deal is won, create a task for Anna to call the client if he wants");
}

/// Found by the first score of a third new held-out set: "5,000 or more" after "is" is
/// `>=` (it was `= 5000`), an unquoted subject after "subject:" is the subject (it was
/// the body), "a call back from reception" is made by reception, and a team's own word
/// for its deal moving to "Quote Sent" is a stage move (it was a new quote).
#[test]
fn third_held_out_set_silent_errors() {
    let b = ok("On deal won, where the deal amount is 5,000 or more: notify Anna");
    assert_eq!(b.conditions[0].operator, ">=");
    let b = ok("When a deal is won and the amount is 500 or less, notify Anna");
    assert_eq!(b.conditions[0].operator, "<=");
    let b = ok("When a deal is won, email the client (subject: Your clean is booked)");
    assert_eq!(b.actions[0].fields["subject"], "Your clean is booked");
    assert!(!b.actions[0].fields["body"].contains("clean"));
    let b = ok("Every new lead should get a call back from reception within the hour.");
    assert_eq!(b.actions[0].fields["assignee"], "reception");
    let b = ok(
        "when a job moves to Quote Sent and it's more than 3k, remind the rep to chase it in 2 days",
    );
    assert_eq!(b.trigger.kind, "stage_changed");
    assert_eq!(b.trigger.params["stage"], "QUOTE_SENT");
    asks("When a job moves to scheduled, notify Anna");
}

/// Telegraphic details after an action: "deadline 2 days", ", + tag onboarding",
/// "responsible Katarzyna", "Olena will do it"; "payed" is "paid"; "email them subject
/// 'X'" e-mails the client.
#[test]
fn telegraphic_details_after_an_action() {
    let b = ok("When a deal is won, create a task for Marta to book the notary, deadline 2 days");
    assert_eq!(b.actions[0].fields["deadline"], "+2d");
    let b = ok("deal won -> welcome email to client, subj 'Welcome aboard', + tag onboarding");
    assert_eq!(kinds(&b), ["send_email", "add_tag"]);
    let b = ok("New company in CRM -> create a deal 'First order' for it, responsible Katarzyna");
    assert_eq!(b.actions[0].fields["assignee"], "Katarzyna");
    let b = ok(
        "When invoice is not payed in time, schedule call to the client for tomorrow, Olena will do it",
    );
    assert_eq!(b.trigger.kind, "invoice_overdue");
    assert_eq!(b.actions[0].fields["assignee"], "Olena");
    let b = ok("lead converted into a client -> email them subject 'Welcome to Harbour Homes'");
    assert_eq!(b.actions[0].fields["to"], "{{CONTACT_EMAIL}}");
}

/// Found by the first score of a new held-out set: a role in brackets after a name is
/// that person ("notify Piotr (production manager)" notified both), a name after a role
/// is the person ("our office manager Greta" was "office manager"), and "with Marta as
/// responsible" owns the new deal (it was dropped).
#[test]
fn a_name_and_its_role() {
    let b = ok("task overdue: notify Piotr (production manager)");
    assert_eq!(kinds(&b), ["send_notification"]);
    assert_eq!(b.actions[0].fields["to"], "Piotr");
    let b = ok(
        "If a family's invoice is overdue, book a call with them in 3 days for our office manager Greta.",
    );
    assert_eq!(b.actions[0].fields["assignee"], "Greta");
    let b = ok("When a deal is won, create a deal with Marta as responsible");
    assert_eq!(b.actions[0].fields["assignee"], "Marta");
    let b = ok("When a deal is won, notify the head of Sales");
    assert_eq!(b.actions[0].fields["to"], "head of Sales");
}

/// Tags named as names ("tag the deal Tickets sent", "remove the New tag"), a record
/// "added as a company", "with Kenji on it", and "where source is X".
#[test]
fn tags_named_as_names() {
    let b = ok("When a booking hits the Tickets issued stage, tag the deal Tickets sent.");
    assert_eq!(b.actions[0].fields["tag"], "Tickets sent");
    let b = ok("if somebody updates a lead, remove the New tag");
    assert_eq!(b.actions[0].fields["tag"], "New");
    asks("When a deal is won, add the new tag");
    let b = ok("New garage added as a company -> create a deal 'Trade account setup' for Tomasz");
    assert_eq!(b.trigger.kind, "company_created");
    let b = ok(
        "When a deal moves into Demo scheduled, can you schedule a call with the prospect for tomorrow, with Kenji on it?",
    );
    assert_eq!(b.actions[0].fields["assignee"], "Kenji");
    let b = ok("Incoming lead where source is Trade show -> give it to Mehmet");
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
}

/// A closing sentence that only says why is read past; one about a person, one that
/// narrows, or one with an order of its own is not. "the designer in charge" is the
/// responsible person.
#[test]
fn a_closing_explanation_asks_for_nothing() {
    let b = ok(
        "When a meeting is scheduled with a prospect, create a task for the rep to prepare the demo kit, deadline in one day. Demos go badly when nobody has charged the laptops.",
    );
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok(
        "Whenever a deal is changed by anyone, notify the account manager. Our designers sometimes change the scope without telling them and then the fee is wrong.",
    );
    assert_eq!(kinds(&b), ["send_notification"]);
    asks("When a deal is won, notify Anna. Bob handles the rest.");
    asks("When a deal is won, notify Anna. Only for VIP clients.");
    // "Dr." ends no sentence: the task is Dr. Owens's, not a task and a stray "Owens".
    let b = ok(
        "After the document check task is closed, create a new task for Dr. Owens to assess the application within a week",
    );
    assert_eq!(b.actions[0].fields["assignee"], "Dr. Owens");
    let b = ok("When a deal is won, notify Anna. The client gets an SMS.");
    assert_eq!(kinds(&b), ["send_notification", "send_sms"]);
    let b = ok("When a quote is created, remind the designer in charge to follow up in 5 days.");
    assert_eq!(b.actions[0].fields["assignee"], "{{ASSIGNED_BY_ID}}");
}

/// After the event a wish is an order, whatever its words would mean as an event ("we'd
/// like a deal created in the X stage" was a second event), and its second half needs no
/// wish words ("and the kennel manager notified"). "the person who created it" is still
/// a person.
#[test]
fn a_wish_after_the_event_is_an_order() {
    let b = ok(
        "When a lead converts we'd like a deal created in the First Stay Booking stage and the kennel manager notified",
    );
    assert_eq!(b.trigger.kind, "lead_converted");
    assert_eq!(kinds(&b), ["create_deal", "send_notification"]);
    let b = ok(
        "When a new contact is created I want a deal opened for them in the Enquiry stage and assigned to Rafael.",
    );
    assert_eq!(b.actions[0].fields["assignee"], "Rafael");
    let b = ok("If a task goes overdue, notify both the assignee and the person who created it.");
    assert_eq!(kinds(&b), ["send_notification", "send_notification"]);
}

/// Held-out sets 17 and 18 (December 2026): the answers that were silently wrong, and
/// the readings they taught.
mod heldout_r_and_s {
    use super::super::{asks, kinds, ok};

    /// "assigned to Ben in the Survey stage": the stage is the name beside "stage", not
    /// the first name after "to".
    #[test]
    fn a_new_deals_stage_is_the_one_beside_the_word_stage() {
        let b = ok(
            "When a lead is converted, create a deal 'Alarm install' assigned to Ben in the Survey stage",
        );
        assert_eq!(b.actions[0].field("stage"), Some("SURVEY"));
        assert_eq!(b.actions[0].field("assignee"), Some("Ben"));
        let b = ok("When a lead is converted, create a deal 'X' in stage NEGOTIATION for Ben");
        assert_eq!(b.actions[0].field("stage"), Some("NEGOTIATION"));
    }

    /// "a quote assigned to Peter" does not exist yet: it is created for Peter, not the
    /// company handed over to him.
    #[test]
    fn a_new_record_assigned_to_someone_is_created_for_them() {
        let b = ok(
            "every new company -> create contact 'Accounts department' and a quote assigned to Peter",
        );
        assert_eq!(kinds(&b), ["create_contact", "create_quote"]);
        assert_eq!(b.actions[1].field("assignee"), Some("Peter"));
        let b = ok("When a deal is won, it should be assigned to Peter");
        assert_eq!(kinds(&b), ["assign_responsible"]);
    }

    /// "team lead Ewa", "his boss Karol": a role, then the name of the one who holds it.
    /// Before, "team lead" was read as the lead record and the e-mail went to the client.
    #[test]
    fn a_role_before_a_name_is_the_person_named() {
        let b = ok(
            "When a task goes past its deadline send email to team lead Ewa with subject 'Overdue task'",
        );
        assert_eq!(b.actions[0].field("to"), Some("Ewa"));
        let b = ok("task overdue -> ping his boss Karol on bitrix");
        assert_eq!(b.actions[0].field("to"), Some("Karol"));
    }

    /// A broker's firm calls the one handling the client its broker; a broker with a
    /// word before it is someone else.
    #[test]
    fn the_broker_is_the_responsible_person() {
        let b = ok("if client approved our quote, notify the broker");
        assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
        let b = ok("When a deal is won, notify the senior broker");
        assert_eq!(b.actions[0].field("to"), Some("senior broker"));
    }

    /// "so Anna looks at it again" is why the field is set, never another field to set
    /// (it was `SO_ANNA_LOOKS`); a purpose that could be an order is asked about.
    #[test]
    fn a_purpose_never_borrows_the_verb_before_it() {
        let b = ok(
            "whenever someone changes a lead, set the field Needs Review to Yes. so Anna looks at it again",
        );
        assert_eq!(kinds(&b), ["update_field"]);
        let q = asks(
            "whenever someone changes a lead, set the field Needs Review to Yes. so Anna knows",
        );
        assert!(q[0].contains("so Anna knows"), "{q:?}");
    }

    /// A line pasted from a chat, and a polite request to the system in mid-sentence.
    #[test]
    fn chat_lines_and_requests_to_the_system() {
        let b = ok(
            "[11:02] Paula (ops): when a quote is approved can the system make a task for the logistics team 'Schedule delivery' due in 5 days? thx",
        );
        assert_eq!(b.trigger.kind, "quote_approved");
        assert_eq!(b.actions[0].field("title"), Some("Schedule delivery"));
        assert_eq!(b.actions[0].field("deadline"), Some("+5d"));
    }

    /// The thing wished for is the order: "I want a task for ...".
    #[test]
    fn a_thing_wished_for_is_made() {
        let b = ok(
            "When a deal is lost, I want a task for the account manager to write the loss report",
        );
        assert_eq!(kinds(&b), ["create_task"]);
        let b = ok("When a deal is won, I'd like a reminder for Anna tomorrow");
        assert_eq!(kinds(&b), ["set_reminder"]);
        assert_eq!(b.actions[0].field("assignee"), Some("Anna"));
        let b = ok("When a deal is won, Anna should get task to call the client");
        assert_eq!(kinds(&b), ["create_task"]);
    }

    /// Someone seeing what an action wrote on the record is why it writes; someone
    /// seeing a message may want one of their own, and is asked about.
    #[test]
    fn seeing_the_record_is_a_purpose() {
        let b = ok(
            "When deal gets updated, set the field Needs Review to Yes so the compliance officer sees it",
        );
        assert_eq!(kinds(&b), ["update_field"]);
        asks("When a deal is won, notify Anna so the manager sees it");
    }

    /// "via webhook, POST https://...": the address after a webhook that has none.
    #[test]
    fn an_address_alone_after_a_webhook_is_the_one_it_calls() {
        let b = ok(
            "When a deal is created, post it to our system via webhook, POST https://dms.example/api/deals",
        );
        assert_eq!(
            b.actions[0].field("url"),
            Some("https://dms.example/api/deals")
        );
        assert_eq!(b.actions[0].field("method"), Some("POST"));
    }

    /// "should become high priority", "get high priority automatically".
    #[test]
    fn a_record_that_should_become_high_priority() {
        for text in [
            "Overdue tasks must become high priority",
            "Every new task should get high priority automatically",
        ] {
            let b = ok(text);
            assert_eq!(b.actions[0].field("value"), Some("high"), "{text}");
        }
    }

    /// Held-out sets 19 and 20: "Bartek should call the client" named no caller, and
    /// "the deal's Quote status" on a quote was the quote's stage.
    #[test]
    fn the_caller_before_the_call_and_a_status_named_by_its_owner() {
        for text in [
            "When an invoice is overdue, Bartek should call the client tomorrow",
            "overdue invoice + over 3000 → Bartek to call the client tomorrow",
        ] {
            let b = ok(text);
            assert_eq!(b.actions[0].field("assignee"), Some("Bartek"), "{text}");
        }
        let b = ok("Once a quote gets accepted, update the deal's Quote status to Accepted");
        assert_eq!(kinds(&b), ["update_deal"]);
        assert_eq!(b.actions[0].field("field"), Some("QUOTE_STATUS"));
        let b = ok("When a quote is approved, set the quote's status to Approved");
        assert_eq!(kinds(&b), ["move_stage"]);
    }

    /// "Can we make it so ...": after the event, the state asked for is the order.
    #[test]
    fn the_state_asked_for_is_the_order() {
        let b = ok("Can we make it so when a quote is approved, the deal moves to Order Placed?");
        assert_eq!(b.trigger.kind, "quote_approved");
        assert_eq!(kinds(&b), ["move_stage"]);
        let b = ok(
            "Can we make it so that when a contact gets updated, their GDPR Checked field is set back to No?",
        );
        assert_eq!(b.actions[0].field("field"), Some("GDPR_CHECKED"));
        let b = ok(
            "Can we make it so whenever a new company is added, the sales team gets a message on Bitrix?",
        );
        assert_eq!(kinds(&b), ["send_bitrix_message"]);
        let b = ok(
            "Can we make it so when a lead is converted, Hannah gets an onboarding task with a one-week deadline?",
        );
        assert_eq!(b.actions[0].field("assignee"), Some("Hannah"));
        // Without the opener, a move after the event is still a second event.
        asks("When a quote is approved, the deal moves to Order Placed");
    }

    /// "deal won -> invoice + ...": a record alone after the event is created; before,
    /// it was taken for the event said again and dropped without a word.
    #[test]
    fn a_record_alone_after_the_event_is_created() {
        let b = ok("deal won -> invoice + task for Marek to book the install engineer (3 days)");
        assert_eq!(kinds(&b), ["create_invoice", "create_task"]);
        assert_eq!(b.actions[1].field("deadline"), Some("+3d"));
        let b = ok("deal hits Contract Sent → task for Aisha to chase the signature, 3 days");
        assert_eq!(b.actions[0].field("deadline"), Some("+3d"));
        // A duration after a message is no deadline of it.
        asks("When a deal is won, notify Anna, 3 days");
    }

    /// "+ tag lost-2026" after "deal lost": an order's verb with no article before an
    /// event's word is the order ("tag won"), not a record called "tag" winning again;
    /// it was dropped without a word as the event said again.
    #[test]
    fn an_order_verb_before_an_event_word_is_the_order() {
        let b = ok("deal lost -> sms client 'Sorry' + tag lost-2026");
        assert_eq!(kinds(&b), ["send_sms", "add_tag"]);
        assert_eq!(b.actions[1].field("tag"), Some("lost-2026"));
        let b = ok("deal won -> tag won + sms client");
        assert_eq!(kinds(&b), ["add_tag", "send_sms"]);
        // The team's own word for its deal is still read as the record.
        let b = ok("job won -> sms client");
        assert_eq!(b.trigger.kind, "deal_won");
    }

    /// "our GDPR person wants to re-verify" after "set the field ...": someone who wants
    /// something is the subject of a sentence of its own, never the next field to set.
    #[test]
    fn someone_who_wants_something_is_no_object_of_the_verb_before() {
        asks(
            "Set the field Consent checked to 'No' every time a contact is changed, our GDPR person wants to re-verify",
        );
    }

    /// "set the field Paid to 'Yes' and set the field Notes to 'Yes'": the second field
    /// was dropped without a word, its quote taken for the first value said again.
    #[test]
    fn a_second_field_with_the_same_value_is_a_second_action() {
        let b = ok("When a deal is won, set the field Paid to 'Yes' and the field Closed to 'Yes'");
        assert_eq!(kinds(&b), ["update_field", "update_field"]);
        assert_eq!(b.actions[1].field("field"), Some("CLOSED"));
        let b =
            ok("When a deal is won, set the field Paid to 'Yes'. Set the field Notes to 'Yes'.");
        assert_eq!(b.actions[1].field("field"), Some("NOTES"));
    }

    /// The passive after the event: "an invoice should be generated for it", "a quote
    /// should be drawn up", "the deadline should be pushed back by 2 days". The particle
    /// stays with its verb; "set back to No" only says the value again.
    #[test]
    fn the_passive_of_any_order_is_the_order() {
        let b = ok(
            "Once a deal has been won, an invoice should be generated for it and the account manager should be notified.",
        );
        assert_eq!(kinds(&b), ["create_invoice", "send_notification"]);
        let b = ok(
            "Whenever a deal is created, a quote should be drawn up and assigned to the responsible person.",
        );
        assert_eq!(kinds(&b), ["create_quote"]);
        let b = ok(
            "Any time someone edits a deal, a comment 'Deal changed - check the figures' should be left on its timeline.",
        );
        assert_eq!(
            b.actions[0].field("message"),
            Some("Deal changed - check the figures")
        );
        let b = ok(
            "When a task is overdue, the assignee should be notified and the deadline should be pushed back by 2 days.",
        );
        assert_eq!(b.actions[1].field("value"), Some("deadline+2d"));
        let b = ok(
            "When a company is created, a deal called 'Framework agreement' should be created for it in the New stage.",
        );
        assert_eq!(b.actions[0].field("title"), Some("Framework agreement"));
        let b = ok(
            "Can we make it so that when a contact gets updated, their GDPR Checked field is set back to No?",
        );
        assert_eq!(b.actions[0].field("field"), Some("GDPR_CHECKED"));
    }

    /// Shorthand typed in a hurry: "wa" is WhatsApp, "inv" an invoice, "prio" a
    /// priority, "resp. person" the responsible person (its dot ends no sentence); "due
    /// 2d" is a deadline; a priority alone after a task event is the task's.
    #[test]
    fn shorthand_in_notes_is_read_as_meant() {
        let b = ok("invoice paid -> wa client 'Payment received, thank you!'");
        assert_eq!(kinds(&b), ["send_whatsapp"]);
        let b = ok(
            "inv overdue -> email client subj 'Payment reminder' + task for Petra to chase, due 2d",
        );
        assert_eq!(b.trigger.kind, "invoice_overdue");
        assert_eq!(b.actions[1].field("deadline"), Some("+2d"));
        let b = ok("lead changed -> notify resp. person");
        assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
        let b = ok("overdue task -> priority high + ping the author");
        assert_eq!(kinds(&b), ["update_task", "send_bitrix_message"]);
        assert_eq!(b.actions[0].field("value"), Some("high"));
        // After a task just created, the priority is that task's.
        let b = ok("deal won -> task for Anna + high priority");
        assert_eq!(b.actions[0].field("priority"), Some("high"));
        // One more verb after a task's purpose is part of it.
        let b = ok("deal won -> task for warehouse team to pick & pack, due tmrw");
        assert_eq!(b.actions[0].field("title"), Some("Pick and pack"));
        assert_eq!(b.actions[0].field("deadline"), Some("+1d"));
    }

    /// What a record is to undergo, said with a modal after the event, is an order:
    /// "the deal should be moved to Shipping" was a second event (a stage change), and "a
    /// new deal called 'Crew sourcing' should be opened" a deal_created event.
    #[test]
    fn a_record_that_should_undergo_something_is_an_order_not_an_event() {
        let b = ok(
            "When an invoice is paid, the deal should be moved to Shipping and the warehouse team should be messaged on Bitrix.",
        );
        assert_eq!(b.trigger.kind, "invoice_paid");
        assert_eq!(kinds(&b), ["move_stage", "send_bitrix_message"]);
        let b = ok(
            "When a manning agreement is signed with a shipowner (deal won), a new deal called 'Crew sourcing' should be opened and assigned to Pavel, and the crewing team should be pinged in chat.",
        );
        assert_eq!(b.trigger.kind, "deal_won");
        assert_eq!(kinds(&b), ["create_deal", "send_bitrix_message"]);
        assert_eq!(b.actions[0].field("assignee"), Some("Pavel"));
        // A named person in the passive: "Mirela should be pinged in chat".
        let b = ok(
            "When a company's record is updated, a comment should be added to its timeline and Mirela should be pinged in chat.",
        );
        assert_eq!(b.actions[1].field("to"), Some("Mirela"));
        // Without a modal it is still the event.
        let b = ok("When the deal is moved to Shipping, notify Anna");
        assert_eq!(b.trigger.kind, "stage_changed");
    }

    /// "Proof of Concept": "of" between capitalised words is part of the stage's name;
    /// it was read as the end of it and "Concept" left over. "for" is too after a word
    /// made to take it ("Ready for Pickup", since v27); after a noun it may name whom it
    /// is for ("Proposal for Tom"), and is asked.
    #[test]
    fn of_between_capitalised_words_is_part_of_the_stage_name() {
        let b = ok("When a deal moves to Proof of Concept, notify Anna");
        assert_eq!(b.trigger.params["stage"], "PROOF_OF_CONCEPT");
        let b = ok(
            "Text the customer 'Your bike is ready' as soon as the repair moves to Ready for Pickup",
        );
        assert_eq!(b.trigger.params["stage"], "READY_FOR_PICKUP");
        asks("When a deal moves to Proposal for Tom, notify Anna");
    }

    /// "text the owner 'Your dog is ready'": on a client channel, the owner alone is the
    /// record's responsible person or the owner of what the trade serves; asked. It was
    /// read as the responsible person, and the employee got the client's text.
    #[test]
    fn the_owner_alone_on_a_client_channel_is_asked_about() {
        asks("Once a booking lands in the Negotiation stage, text the owner 'Your dog is ready'");
        let b = ok("When a deal is won, notify the owner");
        assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
    }

    /// The event after the order, its record named by a pronoun: "as soon as they're
    /// created" (a contraction), "when someone updates it" (the object).
    #[test]
    fn a_pronoun_in_the_event_after_the_order_is_its_record() {
        let b = ok("Text new contacts 'Thanks for visiting!' as soon as they're created");
        assert_eq!(b.trigger.kind, "contact_created");
        let b = ok(
            "Push the lead to https://crewdb.example.org/sync (POST) when someone updates it, so our crew database stays in sync",
        );
        assert_eq!(b.trigger.kind, "lead_updated");
        assert_eq!(kinds(&b), ["webhook"]);
        // With no record named, the pronoun stands for nothing: asked.
        asks("Email the client when someone wins it");
    }

    /// Events said with more words: "every new lead worth more than 3,000", "a call with
    /// a client is logged", "payment on an invoice has been received", "a new bike fit
    /// deal"; "new activity in deal" is still an activity, not a new deal.
    #[test]
    fn events_said_with_more_words_are_read() {
        let b = ok(
            "Schedule a call with the lead within an hour for every new lead worth more than 3,000",
        );
        assert_eq!(b.trigger.kind, "lead_created");
        assert_eq!(b.conditions[0].value, "3000");
        let b = ok(
            "Create a task for Irina to follow up in 2 days whenever a call with a client is logged",
        );
        assert_eq!(b.trigger.kind, "activity_added");
        let b = ok("Once payment on an invoice has been received, notify Anna");
        assert_eq!(b.trigger.kind, "invoice_paid");
        let b = ok("new bike fit deal -> put it in stage Booked");
        assert_eq!(b.trigger.kind, "deal_created");
        assert_eq!(b.actions[0].field("stage"), Some("BOOKED"));
        let b = ok("new activty in deal -> remove tag 'no contact'");
        assert_eq!(b.trigger.kind, "activity_added");
        // A note's stage move: "deal to Production"; in lowercase it names no stage.
        let b = ok("custom build quote approved -> deal to Production, msg workshop team");
        assert_eq!(kinds(&b), ["move_stage", "send_bitrix_message"]);
        asks("quote approved -> deal to production");
    }

    /// Lines pasted from a list: every whitespace was collapsed, so "notify Anna" on one
    /// line and "schedule a call" on the next ran together and the notification was
    /// dropped without a word. A line that opens with a capital, an order's verb or
    /// "when", or follows a line that ends a sentence, starts an item of its own; a
    /// sentence wrapped at a line's end is still one.
    #[test]
    fn a_list_pasted_line_by_line_keeps_every_line() {
        let b = ok("when a deal is lost\nnotify Anna\nschedule a call with the customer");
        assert_eq!(kinds(&b), ["send_notification", "schedule_call"]);
        let b = ok("when a deal is lost\ndrop the 'hot' tag\nschedule a call with the customer");
        assert_eq!(kinds(&b), ["remove_tag", "schedule_call"]);
        let b = ok("When a deal is won, send the client\nan email");
        assert_eq!(kinds(&b), ["send_email"]);
        // Bullets, and a first line that says where the notes come from.
        let b = ok(
            "summary from Slack (pest team):\n\u{2022} when a deal is marked lost\n\u{2022} drop the 'hot' tag\n\u{2022} schedule a call with the customer in 30 days",
        );
        assert_eq!(kinds(&b), ["remove_tag", "schedule_call"]);
        let b = ok("per Jo in #sales:\n- deal moves to Negotiation\n- ping the sales director");
        assert_eq!(b.trigger.kind, "stage_changed");
    }

    /// "He also needs a task", "she'll also need a reminder": the person named just
    /// before; "also" between the subject and its verb cut the subject off. After a
    /// message to someone, "and she should call the client" may be the message's rest,
    /// and is still asked.
    #[test]
    fn he_or_she_is_the_person_named_before() {
        let b = ok(
            "Whenever a new deal comes in, hand it to Lukas. He also needs a task to send over the spec sheet within 4 hours.",
        );
        assert_eq!(kinds(&b), ["assign_responsible", "create_task"]);
        assert_eq!(b.actions[1].field("assignee"), Some("Lukas"));
        let b = ok(
            "If a task slips past its deadline, tell Ines in chat. She'll also need a reminder for tomorrow to chase it up.",
        );
        assert_eq!(b.actions[1].field("assignee"), Some("Ines"));
        let b = ok(
            "from Slack:\n- company added\n- assign to Marek\n- he needs a reminder next week to call them",
        );
        assert_eq!(kinds(&b), ["assign_responsible", "set_reminder"]);
        asks("When a deal is won, notify Anna that it is won and she should call the client");
    }

    /// "bell" is the bell notification: "bell to the responsible person", "(bell)".
    #[test]
    fn the_bell_is_a_notification() {
        let b = ok("contact edited -> bell to the responsible person");
        assert_eq!(kinds(&b), ["send_notification"]);
        let b = ok("- task created\n- notify the assignee (bell)");
        assert_eq!(kinds(&b), ["send_notification"]);
    }

    /// An aside that only says what usually happens, between the record and its event
    /// or between the event and the order, is background; one that could narrow the
    /// event is still asked about.
    #[test]
    fn an_aside_about_what_usually_happens_is_background() {
        let b = ok(
            "When a deal, and it's normally Ravi on the phones who closes these out, gets marked as lost, send the head of sales a chat message saying 'Lost one: please review'",
        );
        assert_eq!(b.trigger.kind, "deal_lost");
        let b = ok(
            "When a deal gets edited, whether it's Marta, our coordinator, or one of the directors doing it, tag it 'needs-review' and message Marta on Bitrix.",
        );
        assert_eq!(kinds(&b), ["add_tag", "send_bitrix_message"]);
        let b = ok(
            "If a contact gets updated, which mostly happens when Rosa, our office manager, fixes a phone number, SMS them 'Your details have been updated'",
        );
        assert_eq!(b.trigger.kind, "contact_updated");
        asks("When a deal, usually only the ones over 5000, is won, notify Anna");
    }

    /// A wished state only an order makes, even before the event: "we need the deal to go
    /// to the Viewing stage" was a stage change competing with the event; "the field to
    /// go back to 'pending'"; "a 'late-payer' tag added".
    #[test]
    fn a_wished_state_is_the_order_that_makes_it() {
        let b = ok(
            "We need the deal to go to the Viewing stage whenever a meeting is scheduled for it.",
        );
        assert_eq!(b.trigger.kind, "meeting_scheduled");
        assert_eq!(b.actions[0].field("stage"), Some("VIEWING"));
        let b = ok(
            "We need the Marketing Consent field to go back to 'pending' whenever a contact is updated, and the 'verified' tag removed.",
        );
        assert_eq!(kinds(&b), ["update_field", "remove_tag"]);
        assert_eq!(b.actions[0].field("value"), Some("pending"));
        let b = ok(
            "We need the deal owner pinged in chat and a 'late-payer' tag added whenever an invoice is overdue.",
        );
        assert_eq!(kinds(&b), ["send_bitrix_message", "add_tag"]);
    }

    /// A numbered list written as sentences: "... in 2 days. 3. Then ..." left the "3"
    /// over.
    #[test]
    fn a_numbered_list_in_sentences_keeps_its_items() {
        let b = ok(
            "1. Trigger: lead converted. 2. Then create a company. 3. Then add a comment 'Converted from lead, check billing details'.",
        );
        assert_eq!(kinds(&b), ["create_company", "add_comment"]);
    }

    /// A polite e-mail: a greeting, "could you please have it ...", "set something up so
    /// that ...", the reason after the request, and a sign-off with a name.
    #[test]
    fn a_polite_email_is_read_for_its_request() {
        let b = ok(
            "Hi, could you please set something up so that when a deal is closed as won, the buyer gets an SMS saying 'Congratulations, your lot is secured'? Our clients keep asking about it. Thanks! Maria",
        );
        assert_eq!(kinds(&b), ["send_sms"]);
        let b = ok(
            "Hi, whenever a deal is updated could you please have it message Tomasz on Bitrix? He keeps the stock spreadsheet. Thank you!",
        );
        assert_eq!(kinds(&b), ["send_bitrix_message"]);
        let b = ok(
            "Hi, when a patient's contact record is updated, could you please add a comment to the timeline saying 'Details updated'? Our drivers rely on that address being right. Thanks, Rosa",
        );
        assert_eq!(kinds(&b), ["add_comment"]);
    }

    /// Orders people give in passing: "give the sales manager a ping on chat", "have him
    /// draw up a quote" (him being the one named before), "ping Anna and the head of
    /// department on chat" (the channel said once, last), "mtg booked", "a quote is
    /// drawn up", "dragged into Demo Done", "check in after a week".
    #[test]
    fn orders_given_in_passing_are_read() {
        let b = ok(
            "When a quote gets accepted, tag it 'approved' and give the sales manager a ping on chat",
        );
        assert_eq!(kinds(&b), ["add_tag", "send_bitrix_message"]);
        let b = ok(
            "Whenever an opportunity is dragged into Demo Done, hand it over to Yusuf and have him draw up a quote",
        );
        assert_eq!(b.trigger.params["stage"], "DEMO_DONE");
        assert_eq!(b.actions[1].field("assignee"), Some("Yusuf"));
        let b = ok("overdue task -> ping the assignee and the head of department on chat");
        assert_eq!(b.actions[1].field("to"), Some("head of department"));
        let b = ok("mtg booked sms client and notify rep");
        assert_eq!(b.trigger.kind, "meeting_scheduled");
        let b = ok("Whenever a quote is drawn up, add the comment 'Quote drafted' to the timeline");
        assert_eq!(b.trigger.kind, "quote_created");
        let b =
            ok("When a deal is won, make a task for the technician team to check in after a week");
        assert_eq!(b.actions[0].field("deadline"), Some("+7d"));
        // Without anyone named before, "have him" is asked.
        asks("When a deal is won, have him draw up a quote");
    }

    /// "We want every new lead to get a WhatsApp", "each new deal to start with a draft
    /// quote", "overdue tasks to go over to Wojciech", "every new task to get a 2-day
    /// deadline": what the record is wished to get or undergo is the order.
    #[test]
    fn what_a_record_is_wished_to_get_is_the_order() {
        let b = ok(
            "We want every new lead from the website to get a WhatsApp: 'Hi, thanks for contacting us!'",
        );
        assert_eq!(kinds(&b), ["send_whatsapp"]);
        let b = ok("we want each new office rental deal to start with a draft quote for the rep");
        assert_eq!(kinds(&b), ["create_quote"]);
        let b = ok("we want overdue tasks to go over to Wojciech instead");
        assert_eq!(b.actions[0].field("assignee"), Some("Wojciech"));
        let b = ok(
            "We want every new task to get a 2-day deadline automatically, because our technicians keep forgetting to set one.",
        );
        assert_eq!(b.actions[0].field("value"), Some("+2d"));
    }

    /// A reason after the order ("because he has to sign off ...", "since she prices all
    /// the residential work") is no order; one that could narrow the workflow ("because
    /// it is over 5000") was dropped inside the order's clause, and is read now.
    #[test]
    fn a_reason_after_the_order_is_read_apart_from_it() {
        let b = ok(
            "Every time a new deal is created we want a quote called 'Fee proposal' drafted automatically and assigned to Elena, since she prices all the residential work.",
        );
        assert_eq!(kinds(&b), ["create_quote"]);
        assert_eq!(b.actions[0].field("assignee"), Some("Elena"));
        let b = ok("When a deal is won, notify Anna because it is over 5000");
        assert_eq!(b.conditions[0].value, "5000");
        asks("When a deal is won, notify Anna because the manager wants to know");
    }

    /// What keeps going wrong, or what the request saves, explains it: "Our bidders keep
    /// ringing the front desk to ask whether they won", "It would save us sending the
    /// forms by hand every time", "At the moment they're finding out far too late". One
    /// that names a thing b24flow sends may be an order, and is asked.
    #[test]
    fn an_explanation_after_the_request_is_read_past() {
        let b = ok(
            "When a deal is won, send the buyer an SMS 'Congrats'. Our bidders keep ringing the front desk to ask whether they won. Thanks! Maria",
        );
        assert_eq!(kinds(&b), ["send_sms"]);
        let b = ok(
            "Hello! Could you kindly set it up so that when a new dealership company is added, the system emails them with the subject 'Trade account registration'? It would save us sending the forms by hand every time. Thanks, Olive",
        );
        assert_eq!(kinds(&b), ["send_email"]);
        let b = ok(
            "Hi team, could you please make it so that every new deal sends a notification to the planning department? At the moment they're finding out about new connections far too late. Thanks, Joan",
        );
        assert_eq!(kinds(&b), ["send_notification"]);
        asks("When a deal is won, notify Anna. It helps if the client gets an SMS too.");
    }

    /// Formal and terse English: "I should like the finance team to be informed", "Should
    /// a deal be lost, ...", "could the sales rep get a chat message?", "modified in any
    /// way", "priority -> high", "deadline 1d", "reasign".
    #[test]
    fn formal_and_terse_english_is_read() {
        let b = ok(
            "When an invoice is overdue, I should like the finance team to be informed via Bitrix chat and the client to receive a WhatsApp reminder.",
        );
        assert_eq!(kinds(&b), ["send_bitrix_message", "send_whatsapp"]);
        let b = ok(
            "Should a catering equipment deal be lost, I would like the account manager to receive a notification and the deal to be tagged 'lost on price'.",
        );
        assert_eq!(b.trigger.kind, "deal_lost");
        assert_eq!(kinds(&b), ["send_notification", "add_tag"]);
        let b = ok("When an invoice is paid, could the sales rep get a chat message?");
        assert_eq!(kinds(&b), ["send_bitrix_message"]);
        let b = ok(
            "If a charter deal is modified in any way, I would like a POST webhook sent to https://hooks.example/deal-sync",
        );
        assert_eq!(b.trigger.kind, "deal_updated");
        let b = ok("overdue tasks: priority -> high, notify assignee");
        assert_eq!(b.actions[0].field("value"), Some("high"));
        let b =
            ok("SALES-612: new quote -> task for Head of Sales 'Approve discount', deadline 1d");
        assert_eq!(b.actions[0].field("deadline"), Some("+1d"));
        let b = ok("task overdue -> reasign to Marta");
        assert_eq!(kinds(&b), ["assign_responsible"]);
    }

    /// "bell notification to 'Accounts' with the text '...'": a short name quoted after a
    /// message's "to" is its recipient; a greeting there is not a name.
    #[test]
    fn a_quoted_name_after_to_is_the_recipient() {
        let b = ok(
            "OPS-1203: on lead conversion, bell notification to 'Accounts' with the text 'New client onboarded - set up billing'",
        );
        assert_eq!(b.actions[0].field("to"), Some("Accounts"));
        assert_eq!(
            b.actions[0].field("message"),
            Some("New client onboarded - set up billing")
        );
        let b = ok(
            "SALES-640: on quote approval -> move deal to stage 'Production' + chat message to 'Production team'",
        );
        assert_eq!(b.actions[1].field("to"), Some("Production team"));
        asks("When a deal is won, send a message to 'Hello'");
    }

    /// "the person it's assigned to" is the assignee; its "assigned to" is no order.
    #[test]
    fn the_person_it_is_assigned_to_is_the_assignee() {
        let b = ok(
            "Can we make it so that when a task is created, the person it's assigned to gets a notification?",
        );
        assert_eq!(kinds(&b), ["send_notification"]);
        assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
    }

    /// A note that opens with the stage a deal is in: "Deal at Contract Sent: ...",
    /// "stage -> Keys Handed Over: ...", "hits Negotiation -> ..."; "Deal -> Lost:" is
    /// the loss, and a stage id with a colon ("C2:PREPARATION") is read as before.
    #[test]
    fn a_note_opening_with_a_stage_names_the_move() {
        let b = ok("Deal at Contract Sent: remind the rep to chase in 3 days.");
        assert_eq!(b.trigger.params["stage"], "CONTRACT_SENT");
        let b = ok("stage \u{2192} Keys Handed Over: sms tenant 'Welcome home!'");
        assert_eq!(b.trigger.params["stage"], "KEYS_HANDED_OVER");
        let b = ok("hits Negotiation -> bump the deal's probability to 60");
        assert_eq!(b.trigger.params["stage"], "NEGOTIATION");
        let b = ok("Deal -> Lost: send a POST request to https://hooks.example.net/lost-deals");
        assert_eq!(b.trigger.kind, "deal_lost");
        let b = ok("Deal moves to stage C2:PREPARATION \u{2192} assign to Ivan");
        assert_eq!(b.trigger.params["stage"], "C2:PREPARATION");
    }

    /// Events in a team's own words: "the deal goes through" (won), "the customer gives
    /// the quote the thumbs up", "the deal is in Service Planned", "the moment a deal hits
    /// Contract Sent", "deal won = arrangement confirmed"; "the family" is the client.
    #[test]
    fn events_in_a_teams_own_words_are_read() {
        let b = ok("Once the deal goes through, tag the deal 'delivery-queue'");
        assert_eq!(b.trigger.kind, "deal_won");
        let b = ok(
            "When the customer gives the quote the thumbs up, move the deal to Awaiting Payment",
        );
        assert_eq!(b.trigger.kind, "quote_approved");
        let b = ok(
            "once the family has chosen the service, i.e. the deal is in Service Planned, create an invoice",
        );
        assert_eq!(b.trigger.params["stage"], "SERVICE_PLANNED");
        let b = ok(
            "We need the finance team to get a bell notification the moment a membership deal hits Contract Sent",
        );
        assert_eq!(b.trigger.params["stage"], "CONTRACT_SENT");
        let b = ok(
            "- deal won = arrangement confirmed\n- send the family an sms: 'Thank you for trusting us.'",
        );
        assert_eq!(b.trigger.kind, "deal_won");
        assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
    }

    /// "as long as it's above 3k" is a condition; a membership is what a coworking space
    /// or a gym sells, its deal.
    #[test]
    fn as_long_as_an_amount_is_a_condition() {
        let b = ok("When a deal is won, notify Anna as long as the amount is over 5000");
        assert_eq!(b.conditions[0].value, "5000");
        let b = ok("When a membership is signed, email the member");
        assert_eq!(b.trigger.kind, "deal_won");
    }

    /// 12z's silent answers. "for the responsible person please set reminder ... to call
    /// client" was a call (the order's verb after a fronted "for" was missed); "create
    /// deal 'X' and assign to Marek" reassigned the record (a bare "assign to" after a new
    /// record is its owner); "then deal field Approved set to Yes" was dropped as the
    /// event said again (a value set is an order).
    #[test]
    fn heldout_z_silent_answers_are_fixed() {
        let b = ok(
            "When deal is lost, for the responsible person please set reminder in two weeks to call client again",
        );
        assert_eq!(kinds(&b), ["set_reminder"]);
        assert_eq!(b.actions[0].field("datetime"), Some("+14d"));
        let b = ok(
            "If lead converted then create deal 'Solar install' in stage Survey and assign to Marek",
        );
        assert_eq!(kinds(&b), ["create_deal"]);
        assert_eq!(b.actions[0].field("assignee"), Some("Marek"));
        asks(
            "When quote is accepted, then deal field Approved set to Yes and to head of translation send message in chat",
        );
        // "for" before something no one is stays where it is.
        asks(
            "activity added on deal -> webhook https://qa.example/activity (GET) for our call quality dashboard",
        );
    }

    /// A story of what happened once, told before the request, is why it is asked:
    /// "Last month a heat pump job got signed and the warehouse only heard about it a week
    /// later. From now on, when a deal is won, ...". Reading past it showed three silent
    /// answers in reach of any text: "take the prospect tag off" removed a tag "off";
    /// "with a bell notification and a chat message" kept only the chat message; and
    /// "Monika should get a chat message and a reminder" gave the reminder to someone else.
    #[test]
    fn a_story_before_the_request_is_why_it_is_asked() {
        let b = ok(
            "Last month a heat pump job got signed and the warehouse only heard about it a week later. From now on, when a deal is won, message the warehouse team in Bitrix chat",
        );
        assert_eq!(b.trigger.kind, "deal_won");
        let b = ok(
            "Last quarter converted leads kept their prospect tag. So when a lead converts, take the prospect tag off and add the tag customer.",
        );
        assert_eq!(b.actions[0].field("tag"), Some("prospect"));
        asks(
            "When a task is created, ping the assignee with a bell notification and a chat message",
        );
        let b = ok(
            "A print proof task was three days late last week. When a task is overdue, our team leader Monika should get a chat message and a reminder to look at it in 1 hour.",
        );
        assert_eq!(b.actions[1].field("assignee"), Some("Monika"));
    }

    /// "He keeps the stock spreadsheet" after "message Tomasz on Bitrix" sent a second
    /// message to someone called "He": a subject pronoun is no name, and a sentence about
    /// him after the request is its reason.
    #[test]
    fn a_subject_pronoun_is_no_name() {
        let b = ok("When a deal is won, message Tomasz on Bitrix. He keeps the stock spreadsheet");
        assert_eq!(kinds(&b), ["send_bitrix_message"]);
        let b = ok("When a deal is won, message Tomasz on Bitrix. She keeps the stock spreadsheet");
        assert_eq!(kinds(&b), ["send_bitrix_message"]);
    }
}

/// Held-out sets 12aa to 12ae: dictated text with no commas, backlog tickets,
/// Bitrix24's own words for its screens, phone shorthand, formal specifications,
/// questions to a consultant, rows pasted from a spreadsheet, pseudo-code, other CRMs'
/// words, a manager talking to a new hire.
mod heldout_aa_and_ab {
    use super::super::{asks, kinds, ok};

    /// "and the value goes over 50000 ping the head of sales": with no comma, the
    /// condition ran into the order after it, whose reader starts at its verb; the
    /// condition was dropped and every deal was announced.
    #[test]
    fn a_condition_run_into_the_order_is_kept() {
        let b = ok(
            "whenever someone edits a fleet lease deal and the value goes over 50000 ping the head of fleet sales on bitrix chat",
        );
        assert_eq!(b.conditions.len(), 1);
        assert_eq!(b.conditions[0].value, "50000");
        assert_eq!(kinds(&b), ["send_bitrix_message"]);
        let b = ok(
            "when a deal moves to awaiting deposit and its over 2000 send a whatsapp to the customer",
        );
        assert_eq!(b.conditions[0].operator, ">");
        // Another field's comparison is not the amount.
        asks("when a deal is updated and the discount goes over 15 ping Anna");
    }

    /// "and the client is unhappy notify Anna": a statement of its own before the order
    /// may be a condition b24flow cannot read, so it is asked, never skipped.
    #[test]
    fn a_statement_run_into_the_order_is_asked() {
        asks("when a deal is updated and the client is unhappy notify Anna");
        // Where the record came from is its source, kept as a condition (v17).
        let b = ok("when a deal is won and it came from the website send a whatsapp to the client");
        assert_eq!(b.conditions[0].field, "SOURCE_ID");
        assert_eq!(kinds(&b), ["send_whatsapp"]);
        // "Have the rep call them back" is an order, not a statement.
        let b = ok("Lead info updated? Have the rep call them back tomorrow.");
        assert_eq!(kinds(&b), ["schedule_call"]);
    }

    /// "notify the head of sales. Bell notification: 'New client added'" sent a second
    /// notification to someone called "Bell". A channel's name is never a person's, and
    /// a channel with a quote is the text of the message just ordered on it.
    #[test]
    fn a_channel_and_a_quote_are_the_text_of_the_message_before() {
        let b = ok(
            "COMP-4: New company -> notify head of commercial lines. Bell notification: 'New business client added'.",
        );
        assert_eq!(kinds(&b), ["send_notification"]);
        assert_eq!(
            b.actions[0].field("message"),
            Some("New business client added")
        );
        let b = ok("When a deal is won notify Anna. Chat message: 'Won!'");
        assert_eq!(kinds(&b), ["send_bitrix_message"]);
        assert_eq!(b.actions[0].field("message"), Some("Won!"));
        // A message with its own text keeps it; the second is asked about, not merged.
        asks("When a deal is won notify Anna 'Won'. Bell notification: 'Again'");
    }

    /// "create a deal for the setup work and hand it to Nikolai": "it" is the new deal,
    /// not the record the workflow runs on.
    #[test]
    fn a_new_record_handed_to_someone_is_theirs() {
        let b = ok(
            "when the client accepts the quote create a deal for the setup work and hand it to Nikolai",
        );
        assert_eq!(kinds(&b), ["create_deal"]);
        assert_eq!(b.actions[0].field("assignee"), Some("Nikolai"));
    }

    /// "make a task for Priya ... and flag it high priority": the task's priority, not
    /// the record's.
    #[test]
    fn flagging_a_new_task_sets_its_priority() {
        let b = ok(
            "every time a new deal is created make a task for Priya to gather the claims history due in three days and flag it high priority",
        );
        assert_eq!(kinds(&b), ["create_task"]);
        assert_eq!(b.actions[0].field("priority"), Some("high"));
    }

    /// "draft a quote, quote assigned to owner" made a second quote: the thing just
    /// made, named again with its assignee, is the same thing.
    #[test]
    fn a_new_thing_named_again_with_its_assignee_is_the_same_thing() {
        let b = ok("lead converts -> create contact + draft a quote, quote assigned to owner");
        assert_eq!(kinds(&b), ["create_contact", "create_quote"]);
        assert_eq!(b.actions[1].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    }

    /// "remind acct mgr tmrw" reminded someone called "acct manager": phone shorthand
    /// for the account manager.
    #[test]
    fn phone_shorthand_for_roles_is_read() {
        let b = ok("company edited -> remind acct mgr tmrw to check the credit limit");
        assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
        let b = ok("deal won -> whatsapp cust 'Thanks'");
        assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
    }

    /// A ticket's title summarises its description: "MSP-9: Stage 'Onboarding' -> setup
    /// task. When a deal enters Onboarding, create a task ..." made three actions out of
    /// one. The description is read, and kept when the title asks for nothing more.
    #[test]
    fn a_tickets_title_is_its_description_in_short() {
        let b = ok(
            "AUTO-22: Task completed -> timeline comment. Post 'Documents collected' on the timeline.",
        );
        assert_eq!(kinds(&b), ["add_comment"]);
        let b = ok(
            "CRM-7: Won deals -> WhatsApp. When a deal is won, send the client a WhatsApp 'Thanks'",
        );
        assert_eq!(kinds(&b), ["send_whatsapp"]);
        // The title asks for an invoice the description does not have.
        asks(
            "CRM-5: Won deals -> invoice + WhatsApp. When a deal is won, send the client a WhatsApp 'Thanks'",
        );
        let b = ok(
            "MSP-9: Stage 'Onboarding' -> setup task. When a deal enters Onboarding, create a task 'Set up RMM agent' for Tomasz, due in 5 days.",
        );
        assert_eq!(kinds(&b), ["create_task"]);
        // A title whose action cannot be named is asked about, not added to the
        // description.
        asks("TASK-8: Overdue task -> escalate. Raise the priority to high.");
    }

    /// "notify Anna. Thanks, Marta" notified someone called "Thanks": a letter's signed
    /// farewell, its greeting with the reader's name and its "quick one" are said to
    /// the reader.
    #[test]
    fn a_letters_greeting_and_signed_farewell_are_no_orders() {
        for text in [
            "When a deal is won, notify Anna. Thanks, Marta",
            "When a deal is won, notify Anna. Cheers, Dr Nowak",
            "Hi Joanna, quick one. When a deal is won, notify Anna.",
            "Morning, when a deal is won, notify Anna. Can we set that up? Thanks, Olek",
        ] {
            let b = ok(text);
            assert_eq!(kinds(&b), ["send_notification"], "{text}");
            assert_eq!(b.actions[0].field("to"), Some("Anna"), "{text}");
        }
    }

    /// A letter's context, what goes wrong today, before its request: read past when
    /// the rest is a whole request on its own, and asked about otherwise.
    #[test]
    fn a_letters_context_before_the_request_is_why_it_is_asked() {
        let b = ok(
            "Morning, every new kitchen project needs a site measurement and people forget to book it. Please make it so that when a deal is created, a task 'Book site measurement' goes to the responsible person with a 2-day deadline",
        );
        assert_eq!(kinds(&b), ["create_task"]);
        let b = ok(
            "Hi Joanna, overdue tasks keep slipping through in the accounts team. When a task goes overdue, please message the head of accounts in Bitrix chat. Thanks, Marta",
        );
        assert_eq!(b.actions[0].field("to"), Some("head of accounts"));
        // The event is in the context: the request alone has none, so it is asked.
        asks(
            "Hi Tomek, when a fitter completes a task, whoever set it wants to know. Please send the task author a Bitrix message 'Done'. Thanks, Daria",
        );
    }

    /// "the task is bumped up to high priority" made a new task with a high priority:
    /// what is done to a thing that exists makes no new one.
    #[test]
    fn what_is_done_to_the_task_makes_no_new_one() {
        let b = ok("when a task is created, the task is bumped up to high priority");
        assert_eq!(kinds(&b), ["update_task"]);
        asks("when a task is created, the task is reviewed by Anna");
    }

    /// Phone shorthand and telegraphic joins: "txt cust", "& >10k", "move straight to",
    /// "note/activity", a field named "Follow up status", a remark after the request.
    #[test]
    fn telegraphic_notes_are_read_as_meant() {
        let b = ok("lost deal -> txt cust 'sorry' & add tag lost-q4");
        assert_eq!(kinds(&b), ["send_sms", "add_tag"]);
        let b = ok("quote created & >10k -> task for Filip");
        assert_eq!(b.conditions[0].value, "10000");
        let b = ok("new deal under 1000 -> move straight to Self service stage");
        assert_eq!(b.actions[0].field("stage"), Some("SELF_SERVICE"));
        let b = ok("new note/activity on a deal -> notify owner");
        assert_eq!(b.trigger.kind, "activity_added");
        // A slash between two channels leaves a choice open.
        asks("when a deal is won, send an email/SMS to the client");
        let b = ok("lead edited -> set field Follow up status to Pending");
        assert_eq!(b.actions[0].field("field"), Some("FOLLOW_UP_STATUS"));
        let b = ok(
            "task created -> email the assignee?? half the warehouse lives in outlook not bitrix",
        );
        assert_eq!(kinds(&b), ["send_email"]);
    }

    /// Rows pasted from a spreadsheet: columns run together lost their last orders.
    #[test]
    fn a_spreadsheets_columns_are_clauses() {
        let b =
            ok("Closed-won\tsms buyer\t'Thanks! Your order is confirmed'\tadd comment 'sms sent'");
        assert_eq!(kinds(&b), ["send_sms", "add_comment"]);
        assert_eq!(
            b.actions[0].field("message"),
            Some("Thanks! Your order is confirmed")
        );
        let b = ok("Lead converted;email donor;subject 'Welcome';add comment 'welcome pack sent'");
        assert_eq!(kinds(&b), ["send_email", "add_comment"]);
        let b = ok("Deal won; amount >= 2500; create invoice; task Jana 'Schedule print run' +2d");
        assert_eq!(b.actions[1].field("assignee"), Some("Jana"));
    }

    /// "notify Dr. Patel" notified "Dr" and "Patel"; "text the client. Something like
    /// 'Friendly reminder'" texted someone called "Something".
    #[test]
    fn a_title_and_an_example_text_are_read_as_meant() {
        let b = ok("deal lost → remove tag 'hot', notify Dr. Patel");
        assert_eq!(kinds(&b), ["remove_tag", "send_notification"]);
        assert_eq!(b.actions[1].field("to"), Some("Dr. Patel"));
        let b = ok("When a deal is won, text the client. Something like 'Thanks'.");
        assert_eq!(kinds(&b), ["send_sms"]);
        assert_eq!(b.actions[0].field("message"), Some("Thanks"));
    }

    /// Emoji between words pause as a comma does; "move the deal to Search in progress"
    /// moved it to "Search" and dropped the rest.
    #[test]
    fn emoji_pause_and_a_stage_name_is_not_cut_silently() {
        let b = ok(
            "new deal came in \u{1f680} ping the manager in chat and create a task to send the quote by tomorrow!",
        );
        assert_eq!(kinds(&b), ["send_bitrix_message", "create_task"]);
        let b = ok(
            "\u{1f389} Deal won \u{2192} WhatsApp the client 'Welcome aboard \u{1f64c}' + ping Marek in chat \u{1f64c}",
        );
        assert_eq!(
            b.actions[0].field("message"),
            Some("Welcome aboard \u{1f64c}")
        );
        asks(
            "client approved the quote, WhatsApp them 'Great!' and move the deal to Search in progress",
        );
        let b = ok("when a deal is won, move it to Handover");
        assert_eq!(b.actions[0].field("stage"), Some("HANDOVER"));
    }

    /// Pseudo-code, as admins write it: events as `record.event`, orders as calls.
    #[test]
    fn pseudo_code_is_read_as_the_words_it_stands_for() {
        let b = ok("on deal.won => whatsapp(client, 'Thanks!'); tag(deal, 'repeat-buyer')");
        assert_eq!(b.trigger.kind, "deal_won");
        assert_eq!(kinds(&b), ["send_whatsapp", "add_tag"]);
        assert_eq!(b.actions[1].field("tag"), Some("repeat-buyer"));
        let b = ok("deal.created && source == 'Etsy' -> assign('Kasia'); tag('marketplace')");
        assert_eq!(b.conditions[0].field, "SOURCE_ID");
        assert_eq!(b.actions[0].field("assignee"), Some("Kasia"));
        let b = ok("lead.converted => create_task(owner, 'Kick-off call', +2d, priority=high)");
        assert_eq!(b.actions[0].field("deadline"), Some("+2d"));
        assert_eq!(b.actions[0].field("priority"), Some("high"));
        let b = ok("stage_changed(to='Returned') -> update_deal(REFUND_STATUS, 'Pending')");
        assert_eq!(
            b.trigger.params.get("stage").map(String::as_str),
            Some("RETURNED")
        );
        assert_eq!(kinds(&b), ["update_deal"]);
        let b = ok("invoice.paid -> webhook(POST, 'https://example.com/paid')");
        assert_eq!(b.actions[0].field("method"), Some("POST"));
        // A call b24flow does not know is asked about.
        asks("deal.won -> charge_card(client, 100)");
    }

    /// English from another language: the event in a learner's form.
    #[test]
    fn a_learners_event_is_read_as_meant() {
        let b = ok("When deal is winning, please send to client a WhatsApp 'Thank you'");
        assert_eq!(b.trigger.kind, "deal_won");
        let b = ok("When is created a new deal, put it in stage 'Site Visit'");
        assert_eq!(b.trigger.kind, "deal_created");
        let b = ok("When new contact is appearing in CRM, send him SMS 'Welcome'");
        assert_eq!(b.trigger.kind, "contact_created");
        let b = ok(
            "When deal pass to the stage 'Deposit Received', send to guest by WhatsApp 'Thanks'",
        );
        assert_eq!(b.trigger.kind, "stage_changed");
        let b =
            ok("When company is changing, inform to the responsible with notification 'Changed'");
        assert_eq!(b.trigger.kind, "company_updated");
    }

    /// Held-out set 12ae's silent answers: a bullet written as an asterisk ran into the
    /// order before ("... to Yes * tell Ops" told someone called "Yes"); "set lifecycle
    /// stage to Customer" moved the deal; "you'll get a task to ring them" scheduled a
    /// call.
    #[test]
    fn asterisk_bullets_named_stages_and_what_you_get() {
        let b = ok(
            "When a deal moves to Contract Signed:\n* set field Venue Confirmed to Yes\n* tell Ops in chat",
        );
        assert_eq!(kinds(&b), ["update_field", "send_bitrix_message"]);
        assert_eq!(b.actions[1].field("to"), Some("Ops"));
        let b = ok("When the invoice is paid, set lifecycle stage to Customer");
        assert_eq!(kinds(&b), ["update_field"]);
        assert_eq!(b.actions[0].field("field"), Some("LIFECYCLE_STAGE"));
        let b = ok("When a lead is created, set the stage to Qualified");
        assert_eq!(kinds(&b), ["move_stage"]);
        let b = ok("If an invoice goes overdue, you'll get a task to ring them, due tomorrow.");
        assert_eq!(kinds(&b), ["create_task"]);
        assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    }

    /// Held-out sets 12af and 12ag's silent answers: a code span kept its backticks in a
    /// tag and a link; "... a notification and the person who created it a Bitrix
    /// message" sent two notifications; "If the email field is empty" sent an e-mail;
    /// "notify Helen (head of leasing)" notified two people; "Rita is notified" became a
    /// tag; "VIP customers get a WhatsApp" texted every client.
    #[test]
    fn code_spans_relative_recipients_and_narrowed_clients() {
        let b = ok(
            "On deal creation, add the tag `new-wholesale` and POST it to https://ops.example.com/hooks/new",
        );
        assert_eq!(b.actions[0].field("tag"), Some("new-wholesale"));
        let b = ok("On quote approval, POST to `https://api.example.com/quotes/approved`");
        assert_eq!(
            b.actions[0].field("url"),
            Some("https://api.example.com/quotes/approved")
        );
        let b = ok(
            "If a task goes overdue, send the assignee a notification and the person who created it a Bitrix message",
        );
        assert_eq!(kinds(&b), ["send_notification", "send_bitrix_message"]);
        assert_eq!(b.actions[1].field("to"), Some("author"));
        // An empty field is a condition, e-mail or phone as much as any other.
        let b = ok(
            "If the email field is empty when a contact is added, create a task for Sam to find it",
        );
        assert_eq!(b.conditions[0].field, "EMAIL");
        assert_eq!(b.conditions[0].operator, "empty");
        assert_eq!(kinds(&b), ["create_task"]);
        let b = ok(
            "When a deal is updated and the amount is over 50000, notify Helen (head of leasing).",
        );
        assert_eq!(kinds(&b), ["send_notification"]);
        assert_eq!(b.actions[0].field("to"), Some("Helen"));
        let b = ok("Agreed: new companies get the tag 'b2b-lease' and Rita is notified.");
        assert_eq!(kinds(&b), ["add_tag", "send_notification"]);
        assert_eq!(b.actions[1].field("to"), Some("Rita"));
        asks("Added: VIP customers now get a WhatsApp thank-you when their deal is won.");
        asks("When a deal is won, send a WhatsApp to our premium members");
    }

    /// Held-out set 12ag: a message's text after a colon, unquoted, and "they" as the
    /// client on a channel that reaches clients.
    #[test]
    fn a_message_after_a_colon_and_they_as_the_client() {
        let b = ok(
            "As soon as a new move is added as a deal, the customer should get an SMS: Thanks, we've got your move request and will call you shortly",
        );
        assert_eq!(kinds(&b), ["send_sms"]);
        assert_eq!(
            b.actions[0].field("message"),
            Some("Thanks, we've got your move request and will call you shortly")
        );
        // Fewer than three words after the colon may be a recipient: not read as a text.
        asks("New lead -> send a notification: Anna");
        let b = ok("When a lead is converted, they should get a welcome email");
        assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_EMAIL}}"));
        // Who "they" are for a task is not the client's to say: asked.
        asks("When a deal is won, they should get a task");
    }

    /// Whom a call or a task is for, said on its own after it, is its assignee; "straight
    /// away" says when, and names no one.
    #[test]
    fn whom_a_call_is_for_and_straight_away() {
        let b = ok(
            "Invoice overdue -> book a call to the customer for tomorrow, for the account manager",
        );
        assert_eq!(kinds(&b), ["schedule_call"]);
        assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
        let b = ok("Invoice overdue -> create a task to chase, for Anna");
        assert_eq!(b.actions[0].field("assignee"), Some("Anna"));
        // The client is never the one to do a task: asked.
        asks("Invoice overdue -> create a task to chase, for the client");
        let b = ok("New lead -> have the rep call them straight away, and tag it new-enquiry");
        assert_eq!(kinds(&b), ["schedule_call", "add_tag"]);
        let b = ok(
            "When a meeting gets scheduled, remind the manager in two hours, to prep the samples",
        );
        assert_eq!(kinds(&b), ["set_reminder"]);
        let b = ok("When we make a quote, set a reminder for the rep to follow up in four days");
        assert_eq!(b.trigger.kind, "quote_created");
        asks("When a deal is won, create a task for Anna, to Boris");
        // The text after a comma, and the one just named named again.
        let b = ok(
            "When a task is created, send a chat message to whoever created it, the author, saying 'Task logged'",
        );
        assert_eq!(kinds(&b), ["send_bitrix_message"]);
        assert_eq!(b.actions[0].field("message"), Some("Task logged"));
        let b = ok("When an invoice is paid, have the owner give them a ring to say ta");
        assert_eq!(kinds(&b), ["schedule_call"]);
        assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
    }

    /// A role before a name, a job as a title, and the places a trade's people work in
    /// (v15).
    #[test]
    fn roles_titles_and_workplaces() {
        for (text, field, who) in [
            (
                "When a deal is won, message Coach Lena on Bitrix",
                "to",
                "Coach Lena",
            ),
            (
                "When a deal is won, our procurement guy Sergei needs a task to order materials",
                "assignee",
                "Sergei",
            ),
            (
                "When a deal is won, create a task for our accountant Irena",
                "assignee",
                "Irena",
            ),
            (
                "deal hits Proof Approved -> task for the print room to start the run",
                "assignee",
                "print room",
            ),
            (
                "When a deal is won, create a task for the yard foreman to inspect the hull",
                "assignee",
                "yard foreman",
            ),
            (
                "When a deal is won, make a task for the head chef to prepare the tasting",
                "assignee",
                "head chef",
            ),
        ] {
            assert_eq!(ok(text).actions[0].field(field), Some(who), "{text}");
        }
    }

    /// The system as the subject of an order is the order (v15).
    #[test]
    fn what_the_system_does() {
        use super::super::kinds;
        let b = ok(
            "When a deal is lost, the system will leave a comment on the timeline saying 'Deal lost'",
        );
        assert_eq!(kinds(&b), ["add_comment"]);
        let b =
            ok("When an invoice is overdue, the system pings the credit control team on Bitrix");
        assert_eq!(b.actions[0].field("to"), Some("credit control team"));
        let b = ok("When a meeting is booked, the system WhatsApps them 'See you soon'");
        assert_eq!(kinds(&b), ["send_whatsapp"]);
        let b = ok(
            "when an invoice becomes overdue, robot sets the field Dunning level to 1 and leaves a comment 'Chase'",
        );
        assert_eq!(kinds(&b), ["update_field", "add_comment"]);
        // A verb that is no order is left as said, and asked about.
        assert!(!super::super::asks("When a deal is won, the system is slow").is_empty());
    }

    /// A team chat's words: an addressee, mentions, "fyi", "asap", "auto create", an
    /// equals sign as the arrow, and slips of one letter in key words (v15).
    #[test]
    fn team_chat_requests() {
        use super::super::{asks, kinds};
        let b =
            ok("@Anna can you make it so when a deal is won the client gets a whatsap 'Thanks!'");
        assert_eq!(kinds(&b), ["send_whatsapp"]);
        let b = ok("quote approved -> msg @Yusuf in chat 'quote approved, order the filament'");
        assert_eq!(b.actions[0].field("to"), Some("Yusuf"));
        let b = ok(
            "new lead pls push it to https://hooks.example.com/x thx, fyi marketing needs it in their sheet",
        );
        assert_eq!(kinds(&b), ["webhook"]);
        let b = ok("company updated = add comment 'verify VAT number' asap");
        assert_eq!(b.trigger.kind, "company_updated");
        assert_eq!(kinds(&b), ["add_comment"]);
        let b = ok("@Anna when a deal goes to 'Deposit paid' can it auto create a task for Tomasz");
        assert_eq!(kinds(&b), ["create_task"]);
        // A field's value after "=" is no arrow.
        let b = ok("new lead and source = Email -> notify Anna");
        assert_eq!(b.conditions.len(), 1);
        for (text, kind) in [
            (
                "when comapny details are changed set field LAST_REVIEWED to 'pending'",
                "company_updated",
            ),
            (
                "quaote created -> task for Omar to review it",
                "quote_created",
            ),
            (
                "when somone logs a call on the deal pls notify the owner",
                "activity_added",
            ),
        ] {
            assert_eq!(ok(text).trigger.kind, kind, "{text}");
        }
        // A stage's name ends at "please".
        let b = ok("when deal moves to Enrolled pls set the field student status to 'active'");
        assert_eq!(b.trigger.params["stage"], "ENROLLED");
        // Where the record came from, run into the order, is asked, never dropped.
        assert!(
            !asks("when a new deal is created and its from instagram pls tag it 'insta'")
                .is_empty()
        );
        // Whom a call is assigned to, after it.
        let b = ok(
            "overdue invoice -> schedule a call with the client tommorow, asign it to the manager",
        );
        assert_eq!(kinds(&b), ["schedule_call"]);
        assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_PHONE}}"));
    }

    /// A lowercase word after "for" is asked about, never replaced by the default
    /// assignee; "again" in what a task asks is no repeat; "compliance" is a team (v15).
    #[test]
    fn lowercase_names_again_and_compliance() {
        use super::super::{asks, kinds};
        assert!(
            !asks("New contact -> create a task for ana to verify the licence, due in 3 days")
                .is_empty()
        );
        let b = ok("New contact -> create a task for Ana to verify the licence, due in 3 days");
        assert_eq!(b.actions[0].field("assignee"), Some("Ana"));
        let b = ok(
            "When a deal gets lost, create a task for the responsible manager to call the customer again in 30 days",
        );
        assert_eq!(kinds(&b), ["create_task"]);
        assert!(
            !asks("When a deal is lost, send the client an SMS 'Sorry' and again in 30 days")
                .is_empty()
        );
        let b = ok("new company created: add tag 'wholesale' and notify compliance");
        assert_eq!(b.actions[1].field("to"), Some("compliance"));
    }

    /// What the one just named does, a courtesy word closing a value, and "by default"
    /// (v15).
    #[test]
    fn remarks_and_courtesy_after_an_order() {
        let b = ok(
            "new leads from facebook pls asign to Marta automaticaly, she does all the FB ads stuff",
        );
        assert_eq!(b.actions[0].field("assignee"), Some("Marta"));
        let b = ok(
            "when a task is created set its priority to high by default pls, ppl keep forgetting",
        );
        assert_eq!(b.actions[0].field("value"), Some("high"));
        // What she should get is an order, not a remark.
        let b = ok("new lead: assign to Marta, she should get a reminder tomorrow");
        assert_eq!(
            super::super::kinds(&b),
            ["assign_responsible", "set_reminder"]
        );
    }

    /// A phrase before an order's verb that may narrow it is asked about, never skipped
    /// (v15).
    #[test]
    fn narrowing_phrase_before_the_verb() {
        use super::super::asks;
        for text in [
            "When a deal is won, for big deals notify Anna",
            "When a deal is won, in Poland notify Anna",
            "When a deal is won, at night notify Anna",
            "When a deal is won, in the Kyiv office notify Anna",
        ] {
            assert!(!asks(text).is_empty(), "{text}");
        }
    }

    /// Words before an order's verb that b24flow knows nothing of are asked about;
    /// words that lead into it are not (v15).
    #[test]
    fn unknown_words_before_the_verb() {
        use super::super::asks;
        assert!(!asks("When a deal is won, purple monkeys notify Anna").is_empty());
        for text in [
            "When a deal is won, afterwards notify Anna",
            "When a deal is won, urgently notify Anna",
            "When a deal is won, also please kindly notify Anna",
            "ADM-5: Lead converted -> applicant welcome email. Subject: 'Next steps'.",
        ] {
            ok(text);
        }
    }

    /// A time after whom an order reaches ends who it is (v15).
    #[test]
    fn a_time_after_the_recipient() {
        for text in [
            "When a deal is won, schedule a call with them one day later",
            "When a deal is won, schedule a call with them 1 day later",
        ] {
            let b = ok(text);
            assert_eq!(
                b.actions[0].field("to"),
                Some("{{CONTACT_PHONE}}"),
                "{text}"
            );
            assert_eq!(b.actions[0].field("datetime"), Some("+1d"), "{text}");
        }
    }

    /// What the 12aj held-out set found silently wrong (v16): a task given "on" someone,
    /// a new deal's stage after "on", a field "in" the deal, a webhook method b24flow
    /// cannot send.
    #[test]
    fn second_language_slots() {
        use super::super::asks;
        let b = ok(
            "When a lead is converted, create task on Olena 'Make placement test', deadline 2 days",
        );
        assert_eq!(b.actions[0].field("assignee"), Some("Olena"));
        // A weekday after "on" is a date, which is asked about, never a person.
        assert!(!asks("When a lead is converted, create task on Monday for Anna").is_empty());
        let b = ok("New contact → create deal 'Course enrolment' on stage 'New'");
        assert_eq!(b.actions[0].field("stage"), Some("NEW"));
        let b = ok("Invoice paid → change in deal field PAYMENT_STATUS to 'Paid'");
        assert_eq!(b.actions[0].kind, "update_deal");
        assert_eq!(b.actions[0].field("field"), Some("PAYMENT_STATUS"));
        for text in [
            "When the contact is edited, send webhook to https://example.com/hook with PUT",
            "When a deal is won, send a PATCH request to https://example.com/hook",
        ] {
            assert!(!asks(text).is_empty(), "{text}");
        }
        let b = ok("When a deal is won, send a GET request to https://example.com/hook");
        assert_eq!(b.actions[0].field("method"), Some("GET"));
    }

    /// Whom an order reaches put before its verb, the verb put last, and the role of
    /// responsible given in a second language's words (v16).
    #[test]
    fn second_language_word_order() {
        use super::super::{asks, kinds};
        let b = ok(
            "When a lead comes in, to manager create task call the client, deadline in one hour",
        );
        assert_eq!(kinds(&b), ["create_task"]);
        assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
        let b = ok("When a deal is won, to production team notification send");
        assert_eq!(b.actions[0].kind, "send_notification");
        assert_eq!(b.actions[0].field("to"), Some("production team"));
        let b = ok("When a deal is won, to client email send with subject 'Your cargo'");
        assert_eq!(b.actions[0].field("to"), Some("{{CONTACT_EMAIL}}"));
        assert_eq!(b.actions[0].field("subject"), Some("Your cargo"));
        let b = ok("Quote created → sales director Mehmet notify");
        assert_eq!(b.actions[0].field("to"), Some("Mehmet"));
        // A narrowing in front stays a question.
        assert!(!asks("When a deal is won, for big deals notify Anna").is_empty());
        for text in [
            "New lead → assign on Marta",
            "New lead → put Carmen as responsible",
            "New lead → put the responsible Marta",
            "New lead → put as responsable Marta",
            "New lead from Instagram → responsible is Marta",
        ] {
            let b = ok(text);
            assert_eq!(kinds(&b), ["assign_responsible"], "{text}");
            assert!(
                b.actions[0]
                    .field("assignee")
                    .is_some_and(|a| a == "Marta" || a == "Carmen"),
                "{text}"
            );
        }
        assert!(!asks("New lead → assign on Monday").is_empty());
    }

    /// "on" for "to" before a quoted value or a priority, "and more" for "or more", and a
    /// note opening with a quoted stage (v16).
    #[test]
    fn second_language_values() {
        let b = ok("When deal reach stage 'Delivered', change the field DELIVERY_STATUS on 'Done'");
        assert_eq!(b.actions[0].field("field"), Some("DELIVERY_STATUS"));
        assert_eq!(b.actions[0].field("value"), Some("Done"));
        let b = ok("Task overdue → change priority on HIGH");
        assert_eq!(b.actions[0].field("value"), Some("high"));
        for text in [
            "Deal updated → notify Anna. Only for deals from 200 000 and more",
            "Deal updated and amount is 200000 and more → notify Anna",
        ] {
            let b = ok(text);
            assert_eq!(b.conditions.len(), 1, "{text}");
            assert_eq!(b.conditions[0].operator, ">=", "{text}");
            assert_eq!(b.conditions[0].value, "200000", "{text}");
        }
        let b = ok("Stage 'Trial lesson' → whatsapp to student: 'Your trial lesson is booked!'");
        assert_eq!(
            b.trigger.params.get("stage").map(String::as_str),
            Some("TRIAL_LESSON")
        );
    }

    /// A thing given without its article, "put" with nothing given, "3D" as no time, and
    /// a move "on stage" (v16).
    #[test]
    fn second_language_objects() {
        let b = ok("New deal is created → assign on Marta and send her notification");
        assert_eq!(b.actions[1].field("to"), Some("Marta"));
        let b = ok("When a deal is won, task on Linh to put him in class group, deadline tomorrow");
        assert_eq!(b.actions[0].field("assignee"), Some("Linh"));
        let b =
            ok("meeting scheduled → task to designer Elif for prepare 3D project, deadline 2 days");
        assert_eq!(b.actions[0].field("deadline"), Some("+2d"));
        let b = ok("When client approves the quote, move deal on stage 'Prepayment'");
        assert_eq!(b.actions[0].field("stage"), Some("PREPAYMENT"));
        // A unit written short after a number is still a time to ask about.
        assert!(!super::super::asks("When a deal is won, notify Anna 2h later").is_empty());
    }

    /// Dictation: amounts in words, "to" for "two", orders run together, self-corrections
    /// and fillers (v16).
    #[test]
    fn dictated_requests() {
        use super::super::{asks, kinds};
        let b = ok(
            "deal updated and the amount is now over fifty thousand ping the sales director on bitrix",
        );
        assert_eq!(b.conditions[0].value, "50000");
        let b = ok(
            "lead converted and the value is at least two thousand five hundred schedule a call with the client",
        );
        assert_eq!(b.conditions[0].value, "2500");
        // A message's words are its author's, and "a million" alone counts nothing.
        let b = ok(
            "When a deal is won, send 'we have five thousand items' to the client by sms. Thanks a million",
        );
        assert_eq!(
            b.actions[0].field("message"),
            Some("we have five thousand items")
        );
        let b =
            ok("every new deal i want a task for the owner to call the customer within to hours");
        assert_eq!(b.actions[0].field("deadline"), Some("+2h"));
        // Two orders run together are two actions; after a task, the second is asked.
        let b = ok("when a deal is won notify Anna create a task for Bob");
        assert_eq!(kinds(&b), ["send_notification", "create_task"]);
        let b = ok("when a deal is won email the client tag it won");
        assert_eq!(kinds(&b), ["send_email", "add_tag"]);
        assert!(!asks("when a deal is won create a task for Bob call the client").is_empty());
        for text in [
            "When a deal is won, add the tag 'event'",
            "When a deal is won, send them a welcome text 'Hi'",
            "When a task is done, tell whoever set it in chat that its finished",
            "When a lead comes in, create a task for the manager: call the lead within 1 hour",
        ] {
            assert_eq!(ok(text).actions.len(), 1, "{text}");
        }
        let b = ok("when a new company gets created assign it to Mark no sorry to Hannah");
        assert_eq!(b.actions[0].field("assignee"), Some("Hannah"));
        assert!(
            !asks("when a deal is won assign it to Mark no wait she is away this week").is_empty()
        );
        let b = ok("deal lost um basically just email the client");
        assert_eq!(kinds(&b), ["send_email"]);
        // Words that sound alike: "sent" for "send" where an order starts, "led" for
        // "lead"; not after a subject or an auxiliary.
        let b = ok("When a deal is won and it is over twenty k notify Anna");
        assert_eq!(b.conditions[0].value, "20000");
        let b = ok("when a task is created notify the person its assigned to");
        assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
        let b = ok("invoice overdue sent the client a whatsapp 'hi your invoice is overdue'");
        assert_eq!(kinds(&b), ["send_whatsapp"]);
        let b = ok("new led from the website um send them an email");
        assert_eq!(b.trigger.kind, "lead_created");
        let b = ok("When the client has sent the signed contract, notify Anna");
        assert_eq!(kinds(&b), ["send_notification"]);
    }

    /// What 12al found silently wrong (v16): a team after "for" before a task's title, a
    /// quote said to be the subject after it, a task's status.
    #[test]
    fn plain_requests_slots() {
        use super::super::asks;
        let b = ok(
            "When a quote gets approved, create a task for production 'Start print job' high priority due tomorrow",
        );
        assert_eq!(b.actions[0].field("assignee"), Some("production"));
        // A lowercase word b24flow does not know there is asked about.
        assert!(
            !asks("When a quote gets approved, create a task for ana 'Start print job'").is_empty()
        );
        let b =
            ok("invoice paid -> email client with 'Payment received - thank you!' as the subject");
        assert_eq!(
            b.actions[0].field("subject"),
            Some("Payment received - thank you!")
        );
        let b = ok("When a task is overdue change its status to Deferred");
        assert_eq!(b.actions[0].kind, "update_task");
        assert_eq!(b.actions[0].field("field"), Some("STATUS"));
    }

    /// A reason after a comma that closes the request is read past; the end of a list,
    /// and a role given the work, are not reasons (v16).
    #[test]
    fn a_reason_after_a_comma() {
        use super::super::{asks, kinds};
        for text in [
            "when deal is updated call webhook https://example.com/sync with POST, our scheduling app needs it",
            "Please notify Dr. Patel when a deal is lost, she wants to see why owners turn down treatment plans",
            "When a deal is lost, notify Anna, lots of people come back next season",
        ] {
            assert_eq!(ok(text).actions.len(), 1, "{text}");
        }
        let b = ok(
            "If someone wins a deal above 75k, notify the CFO, the head of sales and the legal team",
        );
        assert_eq!(kinds(&b), ["send_notification"; 3]);
        assert!(
            !asks("When a new deal comes in please create a quote for it automatically, the sales manager should be on it")
                .is_empty()
        );
    }

    /// A reason typed as a sentence of its own without its capital is read past when it
    /// opens with a possessive or a pronoun; an article after a dot is not taken for one.
    #[test]
    fn a_reason_without_its_capital() {
        use super::super::asks;
        let b = ok(
            "could you make it so won deals fire a webhook to https://hooks.dentalab.io/won, POST. our production system needs it to start the job",
        );
        assert_eq!(b.actions.len(), 1);
        assert_eq!(b.actions[0].kind, "webhook");
        assert!(!asks("When a deal is won, notify Anna. the client needs a call").is_empty());
    }

    /// A field whose name holds "status" or "stage" and which the text calls a field is
    /// that field, not the record's stage.
    #[test]
    fn a_field_named_with_status_is_a_field() {
        for (text, field) in [
            (
                "when a lead is edited set the Status Note field to 'reviewed'",
                "STATUS_NOTE",
            ),
            (
                "when a lead is edited set the Stage Comment field to 'reviewed'",
                "STAGE_COMMENT",
            ),
        ] {
            let b = ok(text);
            assert_eq!(b.actions[0].kind, "update_field", "{text}");
            assert_eq!(b.actions[0].field("field"), Some(field), "{text}");
        }
        let b = ok("when a deal is edited set the status to 'reviewed'");
        assert_eq!(b.actions[0].kind, "move_stage");
    }

    /// "pushed to our ERP - POST to <url>": after a dash, how the request is sent goes on
    /// the order that names where the record goes; after any other order it is a second
    /// action.
    #[test]
    fn a_method_and_link_after_a_dash_complete_the_order_before() {
        use super::super::kinds;
        let b = ok(
            "Any change on a deal should be pushed to our ERP - POST to https://erp.steelparts.com/api/deal-sync",
        );
        assert_eq!(kinds(&b), ["webhook"]);
        assert_eq!(b.actions[0].field("method"), Some("POST"));
        let b = ok(
            "contact changed -> tag 'updated-2025' and POST to https://sync.example.net/contacts",
        );
        assert_eq!(kinds(&b), ["add_tag", "webhook"]);
    }

    /// What keeps going wrong ("people keep forgetting new tasks") complains and orders
    /// nothing, whatever it names.
    #[test]
    fn a_habit_is_a_reason() {
        let b = ok(
            "when a task is created, set a reminder for the person responsible for it for tomorrow, people keep forgetting new tasks",
        );
        assert_eq!(b.trigger.kind, "task_created");
        assert_eq!(b.actions.len(), 1);
        assert_eq!(b.actions[0].kind, "set_reminder");
    }
}
