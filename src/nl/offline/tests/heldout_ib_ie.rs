//! What the held-out sets 12ib to 12ie found at first contact with v70, each fixed by
//! the principle behind it.

use super::{asks, kinds, ok};

/// The conditions of `text`'s blueprint, as "FIELD op value".
fn conditions(text: &str) -> Vec<String> {
    ok(text)
        .conditions
        .iter()
        .map(|c| {
            format!("{} {} {}", c.field, c.operator, c.value)
                .trim()
                .to_owned()
        })
        .collect()
}

/// 12ib, 12id: a missing e-mail said as a state ("the email still empty", "he has not
/// email", "the customer he has no email in his card") was an order to send one, and the
/// condition was lost: four silent answers.
#[test]
fn a_channel_said_missing_is_a_condition_never_an_order() {
    let text = "lead updated and the email still empty → create task to the responsible 'Get email from lead' deadline +1d";
    assert_eq!(conditions(text), ["EMAIL empty"]);
    assert_eq!(kinds(&ok(text)), ["create_task"]);
    let text = "When a new contact is created and he has not email, create task for Diana 'Ask the email' deadline +1d";
    assert_eq!(conditions(text), ["EMAIL empty"]);
    assert_eq!(kinds(&ok(text)), ["create_task"]);
    let text = "when the deal is create and the customer he has no email in his card, pls make task to the responsible within 2 hours";
    assert_eq!(conditions(text), ["EMAIL empty"]);
    assert_eq!(kinds(&ok(text)), ["create_task"]);
    assert_eq!(
        conditions(
            "When a meeting gets booked on a deal, email the client with subject 'Confirmed' - only if their email is actually on file."
        ),
        ["EMAIL !empty"]
    );
}

/// 12ie, 12ib: a record's company is its link, `COMPANY_ID`, however it is said to be
/// missing or there; no record has a field called `COMPANY`.
#[test]
fn a_records_company_is_its_company_link() {
    assert_eq!(
        conditions(
            "New deal created -> tag it 'trade-account', only if the company field isn't blank"
        ),
        ["COMPANY_ID !empty"]
    );
    assert_eq!(
        conditions(
            "Kindly, deal updated + the company is not filled → create task for Tarek to link the company"
        ),
        ["COMPANY_ID empty"]
    );
    assert_eq!(
        conditions(
            "When a contact is added and they aren't linked to any company, add the tag 'no-company'"
        ),
        ["COMPANY_ID empty"]
    );
}

/// 12ie: an exception ("unless", "except when", "but not if", "never for", "don't tag
/// it when") is the condition it denies.
#[test]
fn an_exception_is_the_condition_it_denies() {
    assert_eq!(
        conditions(
            "moved to negotiation: ping Linda on Bitrix, except when the source is the website"
        ),
        ["SOURCE_ID != the website"]
    );
    assert_eq!(
        conditions("When an invoice goes overdue, add the tag 'on-stop' unless it's 250 or less"),
        ["OPPORTUNITY > 250"]
    );
    assert_eq!(
        conditions(
            "when a new deal gets created assign it to Gareth - but not if the amount's over 10000"
        ),
        ["OPPORTUNITY <= 10000"]
    );
    assert_eq!(
        conditions(
            "Once a deal's closed won, book a call with the customer in 7 days for Priti. Never for anything below 2000 tho."
        ),
        ["OPPORTUNITY >= 2000"]
    );
    assert_eq!(
        conditions("new company added, tag it 'prospect' - don't tag it when there's no email"),
        ["EMAIL !empty"]
    );
    assert_eq!(
        conditions(
            "When a deal goes to Proof Sent, text the customer 'Your proof is ready' - unless we don't have a phone number, then skip it."
        ),
        ["PHONE !empty"]
    );
    assert_eq!(
        conditions(
            "activity added to a deal: webhook POST https://ops.example.co.uk/hooks/activity, except for deals that came from partners"
        ),
        ["SOURCE_ID != partners"]
    );
    assert_eq!(
        conditions("new task -> ping Martin, unless it's low priority"),
        ["PRIORITY != low"]
    );
    // An exception that is no single condition, or one b24flow cannot read, is asked.
    asks("when a deal is won, email the client 'Thanks' unless they opted out");
    asks("when a deal is won, email the client 'Thanks' unless it's over 5000 and from a partner");
    // Denied, "unless A and B" is "not A or not B", which a workflow's conditions cannot
    // say: read one by one, B would be required instead of excepted.
    asks(
        "when a deal is won, email the client 'Thanks' unless the amount is over 5000 and the source is Partner",
    );
    // What not to do is asked when it names another order.
    asks("when a deal is won, tag it 'won', unless it came from a partner, then notify Sam");
}

/// 12id: the CRM's words in Spanish, and a Spanish speaker's false friends.
#[test]
fn the_crms_words_in_spanish_are_read() {
    let b = ok("When a factura is paid, send email to the client subject 'Payment received'");
    assert_eq!(b.trigger.kind, "invoice_paid");
    let b =
        ok("When the client approves the cotización, create the factura with title 'Anticipo 50%'");
    assert_eq!(
        (b.trigger.kind.as_str(), kinds(&b)),
        ("quote_approved", vec!["create_invoice"])
    );
    let b = ok("new deal created -> put a tarea to Lupita, deadline tomorow pls");
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok("When a contact is actualized, add the comment 'Contact data changed'");
    assert_eq!(b.trigger.kind, "contact_updated");
    let b = ok("When a meeting is agended in a deal, please notify to Ximena");
    assert_eq!(b.actions[0].field("to"), Some("Ximena"));
    let b = ok(
        "When the deal arrive to the stage Payment Pending, send SMS to the client: 'Please send the deposit'",
    );
    assert_eq!(
        b.trigger.params.get("stage").map(String::as_str),
        Some("PAYMENT_PENDING")
    );
    let b =
        ok("When is added an activity to a deal please write the comment 'Activity registered'");
    assert_eq!(b.trigger.kind, "activity_added");
    // "enters" with nowhere to enter is no change of stage: asked, never read as any.
    asks(
        "Every deal new that enters for the web, send an email to the client with subject 'Thanks'",
    );
}

/// 12ib: the interjections an Arabic speaker carries into English, and "please do the
/// needful", are no part of the request; "the customer he" is the customer.
#[test]
fn arabic_interjections_and_the_repeated_subject_are_read_past() {
    let b = ok("when deal created from Instagram, yalla assign it to Noura");
    assert_eq!(kinds(&b), ["assign_responsible"]);
    let b = ok(
        "Dear team, please do the needful: any new deal opened, create task to Mahmoud, deadline tomorow inshallah.",
    );
    assert_eq!(kinds(&b), ["create_task"]);
    let b = ok("When the company is updated please notify the responsible, shokran");
    assert_eq!(kinds(&b), ["send_notification"]);
    let b = ok(
        "When the customer he approve the quote, create invoice 'Invoice for approved quotation'",
    );
    assert_eq!(b.trigger.kind, "quote_approved");
    assert_eq!(
        conditions("deal edited and field Car Category equal Luxury -> assign to Faisal"),
        ["CAR_CATEGORY = Luxury"]
    );
}

/// 12ic: a closing explanation about someone the request named, and a remark on what the
/// CRM calls a thing, ask for nothing; a name that only describes what is sent is asked.
#[test]
fn remarks_about_people_already_named_and_the_crms_words_are_read_past() {
    let b = ok(
        "deal won -> ping Tomasz on Bitrix 'Another one signed up!' and tag it 'paid place'. Tomasz drives the minibus so he needs to know the numbers x",
    );
    assert_eq!(kinds(&b), ["send_bitrix_message", "add_tag"]);
    let b = ok(
        "When a quote is accepted (approved, I suppose the system would say), please create an invoice called 'Wedding fees deposit'.",
    );
    assert_eq!(kinds(&b), ["create_invoice"]);
    // Someone not named before still asks.
    asks(
        "deal won -> ping Tomasz on Bitrix 'Another one signed up!'. Dennis drives the minibus on Fridays.",
    );
    // "for the Gift Aid letters" names letters, not a person called Gift Aid.
    asks(
        "When a deal is changed, create a task for Tom. We need an email for the Gift Aid letters.",
    );
}
