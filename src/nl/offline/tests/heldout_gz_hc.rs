//! What the held-out sets 12gz to 12hc found at first contact with v60, each fixed by the
//! principle behind it.

use super::{asks, kinds, ok};

/// 12hc: "WhatsApp client 'Thank you! Invoice comes to you in 1 hour.'" sent "Invoice
/// moves to you": a learner's event ("deal come to stage X") was given its agreement
/// before the quotes were lifted, so inside them too. A quote is the author's words.
#[test]
fn a_quote_is_never_rewritten_as_an_event() {
    let b = ok("Quote approved → WhatsApp client 'Thank you! Invoice comes to you in 1 hour.'");
    assert_eq!(
        b.actions[0].field("message"),
        Some("Thank you! Invoice comes to you in 1 hour.")
    );
    let b = ok("When deal come to stage 'Customs', notify Anna");
    assert_eq!(b.trigger.kind, "stage_changed");
}

/// 12hb: "SMS the vet", "email the pharmacist", "WhatsApp the practice manager", "SMS
/// the HCP" went to someone of that name. A wholesaler's clients are vets, pharmacists
/// and health care professionals (HCP); a clinic employs them. On a channel that
/// reaches clients, a clinical job or a post's initials after "the" is asked about.
/// Posts the company has ("the CFO", "the KAM") and channels that reach only employees
/// keep the name.
#[test]
fn a_clinical_job_or_initials_on_a_client_channel_is_asked() {
    asks("If a deal from a referral is won, SMS the vet 'Cheers for the order!'");
    asks("deal lost — email the pharmacist with subject 'Thanks for considering us'");
    asks("Meeting booked on a deal → SMS the HCP 'Confirming our detailing visit.'");
    asks("stage -> Negotiation: WhatsApp the practice manager 'We have sent the price grid'");
    let b = ok("When a deal is won, notify the vet");
    assert_eq!(b.actions[0].field("to"), Some("vet"));
    let b = ok("When a deal is won, email the CFO 'Big one closed'");
    assert_eq!(b.actions[0].field("to"), Some("CFO"));
}

/// 12hb: "let Sales Manager know" went to the deal's responsible person; a job written as
/// a title, every word capitalised and with no article, is a post's name.
/// "notify the sales manager" is still the responsible person.
#[test]
fn a_job_written_as_a_title_is_a_post() {
    let b = ok("lead converted & source = referral: let Sales Manager know and tag ref-converted");
    assert_eq!(b.actions[0].field("to"), Some("Sales Manager"));
    let b = ok("When a deal is won, notify the sales manager");
    assert_eq!(b.actions[0].field("to"), Some("{{ASSIGNED_BY_ID}}"));
}

/// 12ha, 12hc: a sign-off or a request's "please" was read as one more recipient or as
/// part of a tag: "ping Ion in chat that deal is lost. Multumesc!", "notify Head of
/// School that task is overdue, please control", "tag fb-engaged ta".
#[test]
fn thanks_and_please_are_nobody() {
    let b = ok(
        "Dear admin, when deal is lost please send to the client e-mail with subject 'Feedback' and ping Ion in chat that deal is lost. Multumesc!",
    );
    assert_eq!(kinds(&b), ["send_email", "send_bitrix_message"]);
    let b = ok("activity added on deals that came from Facebook → tag fb-engaged ta");
    assert_eq!(b.actions[0].field("tag"), Some("fb-engaged"));
    asks("task overdue -> notify Head of School that task is overdue, please control");
    let b = ok("When a deal is won, assign it to Ta");
    assert_eq!(b.actions[0].field("assignee"), Some("Ta"));
}

/// 12ha: "theres still no email on it" lost the condition and e-mailed the client;
/// "comes in off the website" lost the source; "assign it to whoever's on the front
/// desk that day" went to the front desk, where who that is was not said.
#[test]
fn what_the_record_lacks_where_it_came_from_and_whoever_is() {
    let b = ok(
        "whenever a deal is changed and theres still no email on it, remind the responsible tommorow to grab it off the client",
    );
    assert_eq!(b.conditions[0].field, "EMAIL");
    assert_eq!(kinds(&b), ["set_reminder"]);
    let b = ok(
        "when a new enquiry lead comes in off the website pls email them subject 'Thanks for your enquiry!'",
    );
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    assert_eq!(b.conditions[0].value, "Website");
    asks("When a lead comes in, assign it to whoever's on the front desk that day");
    let b = ok("Overdue task? Set a reminder for whoever's on it in 2 hours");
    assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
}

/// 12hc: "move the deal to stage Meeting set + Bitrix message to Hovhannes" moved it to
/// MEETING: a verb that ends its clause acts on nothing, so after a capitalised name it
/// is the name's last word.
#[test]
fn a_verb_that_ends_a_stage_name_is_in_it() {
    let b = ok(
        "meeting scheduled → move the deal to stage Meeting set + Bitrix message to Hovhannes 'New meeting'",
    );
    assert_eq!(b.actions[0].field("stage"), Some("MEETING_SET"));
    let b = ok("When a deal is won, move it to Negotiation and notify Anna");
    assert_eq!(b.actions[0].field("stage"), Some("NEGOTIATION"));
}

/// Found on the way: a source in lower case ("from partner", "source partner", "from a
/// partner source", "from insta"), but never a negated one ("isn't from referrals").
#[test]
fn a_portal_source_in_lower_case() {
    let b = ok("New company from partner → tag partner-corp and notify Head of B2B");
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    let b = ok("Contact created, source partner -> tag agent-contact, notify ops team");
    assert_eq!(b.conditions[0].field, "SOURCE_ID");
    let b = ok("new deal from insta -> tag it instagram-booking and give it to Mia pls");
    assert_eq!(b.conditions[0].value, "Instagram");
    assert!(matches!(
        crate::nl::offline::parse(
            "Any new lead that isn't from referrals should go to Ben, and Ben gets a bell notification about it."
        ),
        crate::nl::offline::Outcome::NeedsClarification { .. }
    ));
}

/// Found on the way: what a record lacks, said of its links and its client's channels
/// ("w/o a company attached", "no company linked", "client phone missing"), and the
/// writer naming themself ("ping me (Marcus)"), and a to-do for "me" on the record.
#[test]
fn lacked_links_and_who_me_is() {
    let b = ok(
        "for every new deal w/o a company attached pls create a task for the account manager to link the shipper company",
    );
    assert_eq!(b.conditions[0].field, "COMPANY_ID");
    let b = ok("contact created and no company linked → ping Bea 'contact w/o company, pls link'");
    assert_eq!(b.conditions[0].field, "COMPANY_ID");
    // Called a field, it is the same link (v71).
    let b = ok("When a contact is created and the Company field is empty, notify Anna");
    assert_eq!(b.conditions[0].field, "COMPANY_ID");
    let b = ok("When the deal is lost, ping me (Marcus) on Bitrix chat");
    assert_eq!(b.actions[0].field("to"), Some("Marcus"));
    let b = ok("updated lead: 1) set Lead Score to 'warm' 2) remind me in 3 days");
    assert_eq!(b.actions[1].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    asks("When a deal is won, ping me 'big one closed'");
}

/// Found on the way: a stage change named as a noun heading the request, and a record
/// and what became of it written as a move.
#[test]
fn telegraphic_events() {
    let b = ok("any stage change on a deal -> add comment 'Stage moved, update forecast'");
    assert_eq!(b.trigger.kind, "stage_changed");
    let b = ok("won → move it to Booked, add tag new-account");
    assert_eq!(b.trigger.kind, "deal_won");
    let b = ok("lead → converted: email client subject 'Account opened'");
    assert_eq!(b.trigger.kind, "lead_converted");
}

/// Found on the way: thanks with kisses ("cheers xx") and "G'day!" are courtesy; "(call,
/// email, whatever)" gives examples; "payment of invoice is received" is the payment; a
/// bracket after a condition that names what the records are ("(wedding parties!!)")
/// narrows nothing.
#[test]
fn courtesy_examples_and_what_records_are() {
    let b = ok(
        "Once a deal is won could we create an invoice called 'Salon services' and move the deal to Complete? cheers xx",
    );
    assert_eq!(kinds(&b), ["create_invoice", "move_stage"]);
    let b = ok(
        "G'day! When a meeting is scheduled can you email the client subject 'Your consultation'",
    );
    assert_eq!(kinds(&b), ["send_email"]);
    let b = ok("Activity added on deal (call, email, whatever) → remove tag no-contact");
    assert_eq!(kinds(&b), ["remove_tag"]);
    let b = ok("When payment of invoice is received, make Bitrix message to Ion 'Invoice is paid'");
    assert_eq!(b.trigger.kind, "invoice_paid");
    let b = ok(
        "Whenever a lead changes and the amount is over 1000 (wedding parties!!) assign it to Olivia and notify her as well",
    );
    assert_eq!(b.conditions.len(), 1);
    asks("When a lead changes and the amount is over 1000 (corporate only) assign it to Olivia");
}

/// Found on the way: who makes a call, after it ("the owner to call", "Narek is calling"),
/// and "set field X = Y" as "set field X to Y" (not a status: "set Quote Status = X" is
/// no move of the record).
#[test]
fn the_caller_after_the_call_and_set_equals() {
    let b = ok(
        "When a lead is updated and phone is filled in, book a call with the lead tomorrow, the owner to call",
    );
    assert_eq!(b.actions[0].field("assignee"), Some("{{ASSIGNED_BY_ID}}"));
    let b = ok("deal created → schedule call with the client for tomorrow, Narek is calling");
    assert_eq!(b.actions[0].field("assignee"), Some("Narek"));
    let b = ok("approved quote → set on deal field Contract type = Corporate");
    assert_eq!(b.actions[0].field("value"), Some("Corporate"));
    let b = ok("When a deal is won, set field Payment type = Installments");
    assert_eq!(b.actions[0].field("field"), Some("PAYMENT_TYPE"));
    let b = ok("When a deal is won, make Cristina responsible on the deal");
    assert_eq!(b.actions[0].field("assignee"), Some("Cristina"));
    let b = ok("when a quote gets approved, update the deal: Quote Status field to Approved");
    assert_eq!(kinds(&b), ["update_deal"]);
}
