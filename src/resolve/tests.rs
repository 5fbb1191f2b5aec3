//! The rules, by subject; the three decisions where the old validator and the old
//! template compiler disagreed each have a named test.

use super::*;
use crate::blueprint::{Action, Condition, Trigger};

fn bp(trigger: &str, entity: &str, actions: Vec<Action>) -> Blueprint {
    Blueprint {
        name: "t".into(),
        entity: entity.into(),
        trigger: Trigger::new(trigger),
        conditions: vec![],
        actions,
    }
}

fn codes(b: &Blueprint, config: &Config) -> Vec<Code> {
    diagnose(b, config).codes()
}

fn whatsapp(to: &str) -> Action {
    Action::new(
        "send_whatsapp",
        [("to", to.to_owned()), ("message", "hi".to_owned())],
    )
}

fn notify(to: &str) -> Action {
    Action::new(
        "send_notification",
        [("to", to.to_owned()), ("message", "x".to_owned())],
    )
}

fn hook(url: &str) -> Action {
    Action::new("webhook", [("url", url.to_owned())])
}

#[test]
fn the_seed_example_is_valid() {
    let b = bp("deal_won", "CRM_DEAL", vec![whatsapp("{{CONTACT_PHONE}}")]);
    assert_eq!(codes(&b, &Config::default()), []);
}

#[test]
fn unknown_ids_get_a_suggestion() {
    let b = bp(
        "deal_wonn",
        "CRM_DEAL",
        vec![Action::new("send_whatsap", [])],
    );
    let d = diagnose(&b, &Config::default()).0;
    assert_eq!(d[0].code, Code::UnknownTrigger);
    assert_eq!(d[0].help.as_deref(), Some("did you mean `deal_won`?"));
    assert_eq!(d[1].help.as_deref(), Some("did you mean `send_whatsapp`?"));
}

#[test]
fn a_variable_the_entity_cannot_supply_is_an_error() {
    let mut a = whatsapp("{{CONTACT_PHONE}}");
    a.fields
        .insert("message".into(), "Lead {{DEAL_AMOUNT}}".into());
    let b = bp("lead_created", "CRM_LEAD", vec![a]);
    assert_eq!(codes(&b, &Config::default()), [Code::UnavailableVariable]);
}

#[test]
fn entity_must_match_the_trigger() {
    let b = bp("deal_won", "CRM_LEAD", vec![whatsapp("{{CONTACT_PHONE}}")]);
    assert_eq!(codes(&b, &Config::default()), [Code::EntityMismatch]);
}

#[test]
fn required_and_unknown_fields() {
    let a = Action::new("create_task", [("colour", "red".to_owned())]);
    let b = bp("deal_won", "CRM_DEAL", vec![a]);
    assert_eq!(
        codes(&b, &Config::default()),
        [Code::MissingField, Code::MissingField, Code::UnknownField]
    );
}

#[test]
fn webhook_urls_must_be_public_https() {
    let config = Config::default();
    for (url, code) in [
        ("http://example.com/x", Code::InsecureUrl),
        ("https://127.0.0.1/x", Code::InternalUrl),
        ("https://10.1.2.3/x", Code::InternalUrl),
        ("https://169.254.169.254/latest", Code::InternalUrl),
        ("https://[::1]/x", Code::InternalUrl),
        ("https://[fe80::1]/x", Code::InternalUrl),
        ("https://localhost:8080/x", Code::InternalUrl),
        ("https://intranet/x", Code::BadUrl),
        ("not a url", Code::BadUrl),
    ] {
        let b = bp("deal_won", "CRM_DEAL", vec![hook(url)]);
        assert_eq!(codes(&b, &config), [code], "{url}");
    }
    let b = bp(
        "deal_won",
        "CRM_DEAL",
        vec![hook("https://hooks.example.com/x")],
    );
    assert!(codes(&b, &config).is_empty());
    let mut allow = Config::default();
    allow.policy.webhook_allowed_hosts = vec!["10.1.2.3".into()];
    let b = bp("deal_won", "CRM_DEAL", vec![hook("https://10.1.2.3/x")]);
    assert!(codes(&b, &allow).is_empty());
}

/// Issue 11: hosts that reach the portal's own machine or a lab network by another
/// spelling: a trailing dot, `localhost.localdomain`, "this network" 0.0.0.0/8, and the
/// benchmarking range 198.18.0.0/15.
#[test]
fn webhook_ssrf_by_trailing_dot_localdomain_this_network_and_benchmark_range_is_refused() {
    let config = Config::default();
    for url in [
        "https://localhost./x",
        "https://LOCALHOST./x",
        "https://localhost.localdomain/x",
        "https://db.localdomain/x",
        "https://0.0.0.0/x",
        "https://0.1.2.3/x",
        "https://198.18.0.1/x",
        "https://198.19.255.254/x",
        "https://[::ffff:198.18.0.1]/x",
        "https://[::ffff:0.0.0.1]/x",
    ] {
        let b = bp("deal_won", "CRM_DEAL", vec![hook(url)]);
        assert_eq!(codes(&b, &config), [Code::InternalUrl], "{url}");
    }
    for public in [
        "https://198.20.0.1/x",
        "https://198.17.255.1/x",
        "https://1.0.0.1/x",
    ] {
        let b = bp("deal_won", "CRM_DEAL", vec![hook(public)]);
        assert!(codes(&b, &config).is_empty(), "{public}");
    }
}

#[test]
fn recipients_resolve_through_config() {
    let b = bp("deal_lost", "CRM_DEAL", vec![notify("sales team")]);
    let d = diagnose(&b, &Config::default()).0;
    assert_eq!(d[0].code, Code::UnknownRecipient);
    assert!(d[0].code.is_project_specific());
    assert!(d[0].help.as_deref().unwrap().contains("[recipients]"));
    let mut config = Config::default();
    config
        .recipients
        .insert("sales team".into(), "group_d1".into());
    assert!(codes(&b, &config).is_empty());
    config
        .recipients
        .insert("sales team".into(), "the sales people".into());
    assert_eq!(codes(&b, &config), [Code::BadRecipientCode]);
}

#[test]
fn client_actions_go_to_the_client() {
    let b = bp("deal_won", "CRM_DEAL", vec![whatsapp("+49 170 0000000")]);
    assert_eq!(codes(&b, &Config::default()), [Code::ClientRecipient]);
}

#[test]
fn conditions_are_checked() {
    let mut b = bp("deal_won", "CRM_DEAL", vec![whatsapp("{{CONTACT_PHONE}}")]);
    b.conditions = vec![
        Condition {
            field: "amount".into(),
            operator: ">".into(),
            value: "5".into(),
        },
        Condition {
            field: "OPPORTUNITY".into(),
            operator: "~".into(),
            value: "5".into(),
        },
        Condition {
            field: "OPPORTUNITY".into(),
            operator: ">".into(),
            value: String::new(),
        },
    ];
    assert_eq!(
        codes(&b, &Config::default()),
        [Code::BadField, Code::UnknownOperator, Code::MissingValue]
    );
}

/// `SOURCE_ID` holds a source's id: "Website" is compared as `WEB` (the default list,
/// `CCrmStatus::GetDefaultSources`), a custom id is kept, and a name that is no source
/// is refused, since the condition would never hold.
#[test]
fn a_source_is_compared_by_its_id() {
    let source = |value: &str| {
        let mut b = bp(
            "lead_created",
            "CRM_LEAD",
            vec![whatsapp("{{CONTACT_PHONE}}")],
        );
        b.conditions = vec![Condition {
            field: "SOURCE_ID".into(),
            operator: "=".into(),
            value: value.into(),
        }];
        b
    };
    let compared = |value: &str| {
        let r = resolve(&source(value), &Config::default()).unwrap();
        let row = r.guard.last().unwrap();
        assert_eq!(row.field, "SOURCE_ID");
        match &row.value {
            Operand::Text(t) => t.clone(),
            other @ Operand::List(_) => panic!("{other:?}"),
        }
    };
    assert_eq!(compared("Website"), "WEB");
    assert_eq!(compared("trade show"), "TRADE_SHOW");
    assert_eq!(compared("UC_3KX9Q2"), "UC_3KX9Q2");
    assert_eq!(
        codes(&source("Facebook"), &Config::default()),
        [Code::BadSource]
    );
}

/// Decision 1: one user-code grammar, the platform's. `group_foo` is no group bizproc
/// expands (`CBPHelper::extractUsersFromExtendedGroup`), so it is a name, looked up in
/// `[recipients]`; the template compiler used to pass it through as a code.
#[test]
fn decision_group_foo_is_not_a_user_code() {
    let config = Config::default();
    let b = bp("deal_lost", "CRM_DEAL", vec![notify("group_foo")]);
    assert_eq!(codes(&b, &config), [Code::UnknownRecipient]);
    for code in [
        "user_1",
        "group_d12",
        "group_dr3",
        "group_u4",
        "group_iu5",
        "group_su6",
        "group_g7",
        "group_ua",
        "group_sg8_K",
        "author",
    ] {
        assert!(rules::recipients::is_user_code(code), "{code}");
        let b = bp("deal_lost", "CRM_DEAL", vec![notify(code)]);
        assert!(resolve(&b, &config).is_ok(), "{code}");
    }
    // The same grammar checks `[recipients]` values.
    let mut named = Config::default();
    named.recipients.insert("ops".into(), "group_foo".into());
    let b = bp("deal_lost", "CRM_DEAL", vec![notify("ops")]);
    assert_eq!(codes(&b, &named), [Code::BadRecipientCode]);
}

/// Decision 2: a client-only action takes exactly the variable of its channel's address;
/// the template compiler also took `{{CONTACT_NAME}}`, which is a name, not an address.
#[test]
fn decision_contact_name_is_not_a_client_recipient() {
    let config = Config::default();
    let b = bp("deal_won", "CRM_DEAL", vec![whatsapp("{{CONTACT_NAME}}")]);
    assert_eq!(codes(&b, &config), [Code::ClientRecipient]);
    let email = Action::new(
        "send_email",
        [
            ("to", "{{CONTACT_PHONE}}".to_owned()),
            ("subject", "s".to_owned()),
            ("body", "b".to_owned()),
        ],
    );
    let b = bp("deal_won", "CRM_DEAL", vec![email]);
    assert_eq!(codes(&b, &config), [Code::ClientRecipient]);
    let sms = Action::new(
        "send_sms",
        [
            ("to", "{{CONTACT_NAME}}".to_owned()),
            ("message", "m".to_owned()),
        ],
    );
    let b = bp("deal_won", "CRM_DEAL", vec![sms]);
    assert_eq!(codes(&b, &config), [Code::BadRecipient]);
}

/// Decision 3: which entities an action works on is a rule, so `validate` refuses what
/// `plan` used to refuse alone.
#[test]
fn decision_an_action_unavailable_on_the_entity_fails_the_rules() {
    let config = Config::default();
    let stage = Action::new("move_stage", [("stage", "WON".to_owned())]);
    let b = bp("contact_created", "CRM_CONTACT", vec![stage]);
    let d = diagnose(&b, &config).0;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].code, d[0].path.as_str()),
        (Code::NotAvailable, "actions[0].type")
    );
    assert!(
        d[0].help.as_deref().unwrap().contains("only on deal, lead"),
        "{:?}",
        d[0].help
    );
    let update = Action::new(
        "update_deal",
        [("field", "TITLE".to_owned()), ("value", "x".to_owned())],
    );
    let b = bp("lead_created", "CRM_LEAD", vec![update]);
    assert_eq!(codes(&b, &config), [Code::NotAvailable]);
}

#[test]
fn move_stage_last_is_a_warning_and_a_second_one_an_error() {
    let stage = || Action::new("move_stage", [("stage", "WON".to_owned())]);
    let comment = Action::new("add_comment", [("message", "m".to_owned())]);
    let b = bp("deal_created", "CRM_DEAL", vec![stage(), comment.clone()]);
    let r = resolve(&b, &Config::default()).unwrap();
    assert_eq!(r.warnings[0].code, Code::MoveStageReordered);
    assert!(matches!(
        r.steps.last(),
        Some(Numbered {
            index: 0,
            step: Step::MoveStage { .. }
        })
    ));
    let b = bp("deal_created", "CRM_DEAL", vec![stage(), comment, stage()]);
    assert_eq!(codes(&b, &Config::default()), [Code::DuplicateMoveStage]);
}

/// Rule (issue 12, F3): records a workflow creates or changes start no other template
/// while the crm option `start_bp_within_bp` is `N`, its default (crm
/// `CCrmDocumentDeal::CreateDocument`/`UpdateDocument`, `Document\Item::launchOperation`,
/// `CrmStarter::runOnInnerDocument`).
#[test]
fn chaining_between_workflows_is_warned_about() {
    let config = Config::default();
    let won = bp(
        "deal_won",
        "CRM_DEAL",
        vec![
            Action::new("create_invoice", [("title", "Invoice".to_owned())]),
            Action::new(
                "update_field",
                [
                    ("field", "COMMENTS".to_owned()),
                    ("value", "won".to_owned()),
                ],
            ),
        ],
    );
    let overdue = bp(
        "invoice_overdue",
        "CRM_INVOICE",
        vec![hook("https://x.example.com/h")],
    );
    let changed = bp(
        "deal_updated",
        "CRM_DEAL",
        vec![hook("https://x.example.com/h")],
    );
    let paid = bp(
        "invoice_paid",
        "CRM_INVOICE",
        vec![hook("https://x.example.com/h")],
    );
    let resolved: Vec<(&str, Resolved)> = [
        ("won", &won),
        ("overdue", &overdue),
        ("changed", &changed),
        ("paid", &paid),
    ]
    .into_iter()
    .map(|(id, b)| (id, resolve(b, &config).unwrap()))
    .collect();
    let members: Vec<project::Member<'_>> = resolved
        .iter()
        .map(|(id, r)| project::Member { id, resolved: r })
        .collect();
    let findings = project::check(&members);
    let got: Vec<(&str, &str, Code)> = findings
        .iter()
        .map(|f| {
            (
                f.workflow.as_str(),
                f.diagnostic.path.as_str(),
                f.diagnostic.code,
            )
        })
        .collect();
    // A new invoice would start invoice_overdue (on create), not invoice_paid (on change).
    assert_eq!(
        got,
        [
            ("won", "actions[0].type", Code::NotChained),
            ("won", "actions[1].type", Code::NotChained),
        ]
    );
    assert!(findings[0].diagnostic.message.contains("`overdue`"));
    assert!(findings[1].diagnostic.message.contains("`changed`"));
    assert!(findings[0].diagnostic.is_warning());
    assert!(
        findings[0]
            .diagnostic
            .help
            .as_deref()
            .unwrap()
            .contains("start_bp_within_bp")
    );
    // A workflow is never warned about starting itself.
    let alone = [project::Member {
        id: "changed",
        resolved: &resolved[2].1,
    }];
    assert!(project::check(&alone).is_empty());
}
