//! `validate` and `build` agree: on generated blueprints, valid and invalid, a lockfile
//! fails `validate` exactly when `build` refuses it, with the same diagnostic codes.

use b24flow::blueprint::{Action, Blueprint, Condition, Trigger};
use b24flow::lockfile::{self, Lockfile, Options, ParserStamp, Source};
use b24flow::nl::ParserIdentity;
use b24flow::project::Project;
use proptest::prelude::*;

use crate::support::TestEnv;

const CONFIG: &str = "[recipients]\n\"sales team\" = \"group_d1\"\n\"ops\" = \"group_foo\"\n\n[policy]\nwebhook_allowed_hosts = [\"hooks.internal\"]\n";

fn action(kind: &str, fields: &[(&str, &str)]) -> Action {
    Action::new(kind, fields.iter().map(|(k, v)| (*k, (*v).to_owned())))
}

/// Actions, most of them wrong somewhere (for some entity): unknown recipients,
/// variables an entity cannot supply, actions an entity does not offer, bad URLs,
/// bad values, unsupported actions and fields.
fn actions() -> Vec<Action> {
    vec![
        action(
            "send_whatsapp",
            &[
                ("to", "{{CONTACT_PHONE}}"),
                ("message", "Hi {{CONTACT_NAME}}"),
            ],
        ),
        action(
            "send_whatsapp",
            &[("to", "{{CONTACT_NAME}}"), ("message", "Hi")],
        ),
        action(
            "send_email",
            &[
                ("to", "{{CONTACT_EMAIL}}"),
                ("subject", "s"),
                ("body", "Deal {{DEAL_TITLE}}"),
            ],
        ),
        action(
            "send_email",
            &[
                ("to", "{{CONTACT_EMAIL}}"),
                ("subject", "s"),
                ("body", "b"),
                ("template_id", "4"),
            ],
        ),
        action(
            "send_sms",
            &[("to", "sales team, user_3"), ("message", "m")],
        ),
        action(
            "send_notification",
            &[("to", "marketing"), ("message", "m")],
        ),
        action("send_notification", &[("to", "ops"), ("message", "m")]),
        action(
            "send_notification",
            &[("to", "group_foo"), ("message", "m")],
        ),
        action(
            "send_bitrix_message",
            &[("to", "{{ASSIGNED_BY_ID}}"), ("message", "{{NOPE}}")],
        ),
        action(
            "create_task",
            &[
                ("title", "t"),
                ("assignee", "author"),
                ("deadline", "+3d"),
                ("priority", "high"),
            ],
        ),
        action(
            "create_task",
            &[("title", "t"), ("assignee", "user_1"), ("deadline", "+0d")],
        ),
        action("create_task", &[("title", "t")]),
        action(
            "set_reminder",
            &[
                ("title", "call back"),
                ("assignee", "user_2"),
                ("datetime", "+1d"),
            ],
        ),
        action(
            "schedule_call",
            &[("to", "{{CONTACT_PHONE}}"), ("assignee", "user_2")],
        ),
        action(
            "create_deal",
            &[("title", "Follow-up"), ("assignee", "sales team")],
        ),
        action("create_contact", &[("title", "Madonna")]),
        action("create_contact", &[("title", "Jane Doe")]),
        action("create_quote", &[("title", "q"), ("assignee", "user_4")]),
        action("update_deal", &[("field", "OPPORTUNITY"), ("value", "5")]),
        action("update_field", &[("field", "amount"), ("value", "5")]),
        action("update_task", &[("field", "TITLE"), ("value", "x")]),
        action("assign_responsible", &[("assignee", "user_1, group_d2")]),
        action("move_stage", &[("stage", "WON")]),
        action("move_stage", &[("stage", "not a stage")]),
        action("add_comment", &[("message", "Amount {{DEAL_AMOUNT}}")]),
        action("add_tag", &[("tag", "vip")]),
        action(
            "webhook",
            &[("url", "https://hooks.example.com/x"), ("message", "m")],
        ),
        action("webhook", &[("url", "http://hooks.example.com/x")]),
        action("webhook", &[("url", "https://localhost./x")]),
        action("webhook", &[("url", "https://198.18.0.1/x")]),
        action("webhook", &[("url", "https://hooks.internal/x")]),
        action(
            "webhook",
            &[("url", "https://hooks.example.com/x"), ("method", "GET")],
        ),
        action("teleport", &[]),
    ]
}

const TRIGGERS: &[(&str, &str)] = &[
    ("CRM_DEAL", "deal_won"),
    ("CRM_DEAL", "deal_created"),
    ("CRM_LEAD", "lead_created"),
    ("CRM_CONTACT", "contact_created"),
    ("CRM_INVOICE", "invoice_overdue"),
    ("CRM_LEAD", "deal_won"),
    ("CRM_THING", "deal_won"),
    ("CRM_DEAL", "deal_wonn"),
];

fn blueprint() -> impl Strategy<Value = Blueprint> {
    let pool = actions();
    (
        0..TRIGGERS.len(),
        proptest::collection::vec(0..pool.len(), 0..4),
        proptest::option::of(prop_oneof![
            Just(("OPPORTUNITY", ">", "100")),
            Just(("amount", ">", "1")),
            Just(("TITLE", "~", "x")),
            Just(("TITLE", "contain", "{{DEAL_TITLE}}")),
        ]),
    )
        .prop_map(move |(t, picks, condition)| {
            let (entity, trigger) = TRIGGERS[t];
            Blueprint {
                name: "generated".into(),
                entity: entity.into(),
                trigger: Trigger::new(trigger),
                conditions: condition
                    .map(|(field, operator, value)| Condition {
                        field: field.into(),
                        operator: operator.into(),
                        value: value.into(),
                    })
                    .into_iter()
                    .collect(),
                actions: picks.into_iter().map(|i| pool[i].clone()).collect(),
            }
        })
}

fn write_lockfile(env: &TestEnv, blueprint: Blueprint) {
    let text = "a spec";
    env.write("workflows/w.txt", text);
    let lock = Lockfile {
        version: lockfile::FORMAT_VERSION,
        source: Source {
            path: "workflows/w.txt".into(),
            sha256: lockfile::spec_sha256(text),
        },
        parser: ParserStamp::new(&ParserIdentity {
            name: "offline",
            version: 1,
            model: None,
            prompt_sha256: None,
        }),
        options: Options { enabled: true },
        previous_ids: Vec::new(),
        blueprint_sha256: lockfile::blueprint_sha256(&blueprint),
        blueprint,
        template_sha256: None,
        runner: None,
        supersedes: None,
    };
    env.write(
        "workflows/w.lock.yaml",
        lock.to_yaml("../schema/lockfile.schema.json"),
    );
}

/// The error codes `validate` and `build` report for the project.
fn both(env: &TestEnv) -> (Vec<String>, Vec<String>) {
    let project = Project::discover(env.root()).unwrap();
    let validated: Vec<String> = b24flow::ops::validate::validate(&project)
        .unwrap()
        .findings
        .iter()
        .map(|f| f.problem().code)
        .collect();
    let (_, problems) = b24flow::build::build_all(&project, &[]).unwrap();
    let built: Vec<String> = problems
        .iter()
        .map(|r| r.code().map(|c| c.to_string()).unwrap_or_default())
        .collect();
    (validated, built)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn validate_fails_exactly_when_build_fails_with_the_same_codes(bp in blueprint()) {
        let env = TestEnv::new();
        env.write("b24flow.toml", CONFIG);
        write_lockfile(&env, bp);
        let (validated, built) = both(&env);
        prop_assert_eq!(&validated, &built);
        prop_assert!(built.iter().all(|c| !c.starts_with("b24flow::compile::")), "{:?}", built);
    }
}

/// The generator reaches both sides: a valid blueprint passes both, and an action the
/// entity does not offer fails both with `not_available` (issue 10: validate used to
/// pass it).
#[test]
fn the_generator_covers_passing_and_failing_blueprints() {
    let env = TestEnv::new();
    env.write("b24flow.toml", CONFIG);
    let pool = actions();
    let mut bp = Blueprint {
        name: "generated".into(),
        entity: "CRM_DEAL".into(),
        trigger: Trigger::new("deal_won"),
        conditions: Vec::new(),
        actions: vec![pool[0].clone(), pool[22].clone()],
    };
    write_lockfile(&env, bp.clone());
    assert_eq!(both(&env), (vec![], vec![]));

    bp.entity = "CRM_CONTACT".into();
    bp.trigger = Trigger::new("contact_created");
    bp.actions = vec![pool[22].clone()];
    write_lockfile(&env, bp);
    let code = "b24flow::rules::not_available".to_owned();
    assert_eq!(both(&env), (vec![code.clone()], vec![code]));
}
