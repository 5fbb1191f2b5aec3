//! What the held-out sets 12fh to 12fk found at first contact with v48, each fixed by the
//! principle behind it.

use super::{kinds, ok};

/// 12fh is dictated: "there email is empty" dropped the condition and e-mailed the lead,
/// silently. Words speech-to-text writes for others that sound alike are known by the
/// word next to them: "there email", "hand it over too Chloe", "right a comment", "a task
/// is overdo", "a knew lead".
#[test]
fn words_that_sound_alike() {
    let b = ok(
        "whenever a knew lead is created and there email is empty um create a task for Aisha to ring them due in one hour",
    );
    assert_eq!(b.trigger.kind, "lead_created");
    assert_eq!(b.conditions[0].field, "EMAIL");
    assert_eq!(b.conditions[0].operator, "empty");
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok("okay so if a task is overdo set a reminder for the author in two hours");
    assert_eq!(b.trigger.kind, "task_overdue");
    let b =
        ok("whenever a contact is edited right a comment 'Contact updated by office' and ping Lou");
    assert_eq!(kinds(&b), ["add_comment", "send_bitrix_message"]);
    let b = ok(
        "Once a deal of a hundred or less is won hand it over too Chloe and leave a comment 'Small groom'",
    );
    assert_eq!(b.conditions[0].operator, "<=");
    assert_eq!(b.conditions[0].value, "100");
    assert_eq!(b.actions[0].fields["assignee"], "Chloe");
}

/// "a deal of 1000 is won" read no condition, silently; the amount said is the amount.
#[test]
fn a_deal_of_an_amount() {
    let b = ok("Once a deal of 1000 is won, notify Chloe");
    assert_eq!(b.conditions[0].field, "OPPORTUNITY");
    assert_eq!(b.conditions[0].operator, "=");
    assert_eq!(b.conditions[0].value, "1000");
}

/// 12fj: "with source Realtor.com" read the source as "Realtor", silently; 12fk: "Mrs.
/// Kessler should call the customer" gave the call to the owner, silently.
#[test]
fn a_source_with_a_domain_and_a_caller_with_a_title() {
    let b = ok("Whenever a new deal comes in with source Realtor.com, assign it to Jasmine");
    assert_eq!(b.conditions[0].value, "Realtor.com");
    let b = ok("Overdue invoice over 10000? Then Mrs. Kessler should call the customer tomorrow");
    assert_eq!(kinds(&b), ["schedule_call"]);
    assert_eq!(b.actions[0].fields["assignee"], "Mrs. Kessler");
}

/// "create a task for Letícia" gave the task to the owner, silently: "Let" before a letter
/// outside ASCII read as the verb "let". A letter outside ASCII goes on its word.
#[test]
fn a_name_with_a_letter_outside_ascii() {
    for name in ["Letícia", "Letícia Souza"] {
        let b = ok(&format!("When a deal is won, create a task for {name}"));
        assert_eq!(b.actions[0].fields["assignee"], name);
    }
    let b = ok("When a lead comes from the Website, hand it over to Letícia");
    assert_eq!(b.actions[0].fields["assignee"], "Letícia");
}

/// 12fk and 12fi: "an offer" is a quote, as German speakers say it; "R$" is the Brazilian
/// real; "Deal to stage Installation Done" is a stage move; "should automatically be
/// created" is an order; an activity "on a deal" is logged on it.
#[test]
fn offers_reais_and_telegraphic_stages() {
    let b = ok("When the customer accepts the offer, create the invoice 'Deposit 30%'");
    assert_eq!(b.trigger.kind, "quote_approved");
    let b = ok(
        "When a lead is converted, please create an offer 'Standard service revision' for Mrs. Frei",
    );
    assert_eq!(kinds(&b), ["create_quote"]);
    let b = ok("Deal won with amount above R$ 50.000 -> notify Fernanda");
    assert_eq!(b.conditions[0].value, "50000");
    let b = ok("Deal to stage Installation Done + create the invoice 'Kitchen installation'");
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("INSTALLATION_DONE")
    );
    let b = ok(
        "If a deal is won, the invoice with the title 'Watch repair - final invoice' should automatically be created.",
    );
    assert_eq!(kinds(&b), ["create_invoice"]);
    let b = ok("Whenever an activity on a deal is logged, notify Anna");
    assert_eq!(b.trigger.kind, "activity_added");
}

/// 12fh: "when a deal for a ceramic coating is won text the customer ..." sent the SMS to
/// every won deal, silently. The product a deal is for is no condition b24flow can write,
/// and is asked about, as a kind of customer is.
#[test]
fn a_deal_for_a_product_is_asked_about() {
    let q = super::asks("when a deal for a ceramic coating is won, text the customer 'Hi'");
    assert!(
        q.iter().any(|q| q.contains("\"for a ceramic coating\"")),
        "{q:?}"
    );
}

/// Written in lower case, a name with a letter outside ASCII ("a task for tomás", "a task
/// to inês to check") gave the task to the owner, silently; it is asked about, as "a task
/// for dimitris" is.
#[test]
fn names_in_lower_case_with_letters_outside_ascii() {
    for text in [
        "when we win a design contract, create a task for tomás to set up the project folder",
        "once deal won, make a task to inês to check the samples",
        "once deal won, make a task to dilnoza to collect passport copies",
    ] {
        assert!(!super::asks(text).is_empty(), "{text}");
    }
}
