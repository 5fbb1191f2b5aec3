//! The seed's five worked examples, compiled to `.bpt` and read back by PHP itself: what
//! `unserialize(gzuncompress(...))` plus `json_encode` makes of our bytes must equal our
//! own JSON view, which is what plan compares with the portal's template list.

use b24flow::bizproc::{Template, bpt};
use b24flow::blueprint::{Action, Blueprint, Trigger};
use b24flow::config::Config;

use crate::bpt::php_json;

fn action(kind: &str, fields: &[(&str, &str)]) -> Action {
    Action::new(kind, fields.iter().map(|(k, v)| (*k, (*v).to_owned())))
}

fn blueprint(name: &str, entity: &str, trigger: &str, actions: Vec<Action>) -> Blueprint {
    Blueprint {
        name: name.into(),
        entity: entity.into(),
        trigger: Trigger::new(trigger),
        conditions: Vec::new(),
        actions,
    }
}

/// The five examples from the product documentation, with the ids their specs would have.
fn seed_examples() -> Vec<(&'static str, Blueprint)> {
    vec![
        (
            "deal-won-whatsapp",
            blueprint(
                "Congratulate the client on a won deal",
                "CRM_DEAL",
                "deal_won",
                vec![action(
                    "send_whatsapp",
                    &[
                        ("to", "{{CONTACT_PHONE}}"),
                        ("message", "Congratulations! Your deal has been confirmed."),
                    ],
                )],
            ),
        ),
        (
            "lead-follow-up",
            blueprint(
                "Follow up on new leads",
                "CRM_LEAD",
                "lead_created",
                vec![action(
                    "create_task",
                    &[
                        ("title", "Follow up with new lead"),
                        ("assignee", "{{ASSIGNED_BY_ID}}"),
                    ],
                )],
            ),
        ),
        (
            "invoice-overdue",
            blueprint(
                "Remind the client of an overdue invoice",
                "CRM_INVOICE",
                "invoice_overdue",
                vec![action(
                    "send_email",
                    &[
                        ("to", "{{CONTACT_EMAIL}}"),
                        ("subject", "Счёт {{INVOICE_ID}} просрочен"),
                        ("body", "Please pay {{INVOICE_AMOUNT}} — thank you!"),
                    ],
                )],
            ),
        ),
        (
            "deal-lost-review",
            blueprint(
                "Review lost deals",
                "CRM_DEAL",
                "deal_lost",
                vec![
                    action(
                        "send_notification",
                        &[
                            ("to", "the sales team"),
                            ("message", "Deal {{DEAL_TITLE}} was lost"),
                        ],
                    ),
                    action(
                        "create_task",
                        &[
                            ("title", "Review lost deal reasons"),
                            ("assignee", "{{ASSIGNED_BY_ID}}"),
                        ],
                    ),
                ],
            ),
        ),
        (
            "lead-converted-assign",
            blueprint(
                "Assign converted leads",
                "CRM_LEAD",
                "lead_converted",
                vec![action(
                    "assign_responsible",
                    &[("assignee", "{{ASSIGNED_BY_ID}}")],
                )],
            ),
        ),
    ]
}

fn config() -> Config {
    Config::parse(
        "[recipients]\n\"sales team\" = \"group_d12\"\n",
        std::path::Path::new("b24flow.toml"),
    )
    .unwrap()
}

/// Resolves and lowers a blueprint, as `build` does.
fn compile(
    id: &str,
    bp: &b24flow::blueprint::Blueprint,
    config: &b24flow::config::Config,
) -> Result<Template, b24flow::resolve::Diagnostics> {
    b24flow::resolve::resolve(bp, config).map(|r| b24flow::bizproc::lower(id, &r))
}

#[test]
fn seed_examples_compile_and_decode_to_the_same_tree() {
    for (id, bp) in seed_examples() {
        let template = compile(id, &bp, &config()).unwrap_or_else(|e| panic!("{id}: {e:#?}"));
        let bytes = template.to_bpt();
        let back = Template::from_bpt(&bytes).unwrap();
        assert_eq!(back.root, template.root, "{id}");
        assert_eq!(bpt::decode(&bytes).unwrap(), template.to_document(), "{id}");
    }
}

#[test]
fn php_reads_the_seed_examples_as_we_do() {
    for (id, bp) in seed_examples() {
        let template = compile(id, &bp, &config()).unwrap();
        let bytes = template.to_bpt();
        let Some(php) = php_json(&bytes) else { return };
        let ours = bpt::to_json(&template.to_document());
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&php).unwrap(),
            "{id}"
        );
        // The JSON the list method returns for TEMPLATE is the same tree.
        assert_eq!(php["TEMPLATE"], template.tree_json(), "{id}");
    }
}
