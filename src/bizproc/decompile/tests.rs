//! Decompiling, both ways, on every catalog action and every template-backed trigger:
//! `lower(blueprint)` decompiles to the same blueprint (up to the spellings lowering
//! forgets, listed in [`canonical`]), and that blueprint lowers to the same tree bytes.

use super::*;
use crate::bizproc::lower::tests::{Expect, action_table, config, trigger_for};
use crate::bizproc::{Activity, lower};
use crate::blueprint::{Action, Blueprint, Condition, Trigger};
use crate::catalog::{ACTIONS, TRIGGERS, TriggerMapping};
use crate::resolve::resolve;

const ID: &str = "imported/test";

fn compile(id: &str, bp: &Blueprint) -> Template {
    let config = config();
    lower(
        id,
        &resolve(bp, &config).unwrap_or_else(|e| panic!("{e:#?}")),
    )
}

/// The blueprint as lowering sees it: what two blueprints that give the same tree
/// share. Lowering forgets `[recipients]` names (it keeps their codes), field aliases,
/// the `T` in a date, `update_deal` versus `update_field` (one activity), and the
/// webhook's `method` and `message` (`WebHookActivity` has neither).
fn canonical(mut bp: Blueprint) -> Blueprint {
    let config = config();
    for a in &mut bp.actions {
        if a.kind == "update_deal" {
            a.kind = "update_field".into();
        }
        if a.kind == "webhook" {
            a.fields.remove("method");
            a.fields.remove("message");
        }
        for (name, value) in &mut a.fields {
            match name.as_str() {
                "to" | "assignee" => {
                    let parts: Vec<String> = value
                        .split(',')
                        .map(str::trim)
                        .map(|p| {
                            config
                                .recipient(p)
                                .map_or_else(|| p.to_owned(), str::to_owned)
                        })
                        .collect();
                    *value = parts.join(", ");
                }
                "field" => {
                    if let Some(id) = crate::catalog::field_alias(value) {
                        *value = id.to_owned();
                    }
                }
                "deadline" | "datetime" if value.starts_with(|c: char| c.is_ascii_digit()) => {
                    *value = value.replacen('T', " ", 1);
                }
                _ => {}
            }
        }
    }
    bp
}

/// Decompiles `t` and checks the recovered blueprint against `bp`, and its lowering
/// against `t`'s bytes.
fn round_trip(id: &str, bp: &Blueprint, t: &Template) {
    let got = match decompile(t, id, &config()) {
        Decompiled::Blueprint(r) => r,
        Decompiled::Opaque(reasons) => panic!("{bp:#?} came back opaque: {reasons:#?}"),
    };
    assert!(got.exact, "{bp:#?}: only up to names");
    assert!(got.enabled);
    assert_eq!(got.blueprint, canonical(bp.clone()), "tree -> blueprint");
    let again = compile(id, &got.blueprint);
    assert_eq!(again.to_bpt(), t.to_bpt(), "blueprint -> tree bytes");
    assert_eq!(again.sha256(), t.sha256());
}

fn bp(
    entity: &str,
    trigger: Trigger,
    conditions: Vec<Condition>,
    actions: Vec<Action>,
) -> Blueprint {
    Blueprint {
        name: "Imported workflow".into(),
        entity: entity.into(),
        trigger,
        conditions,
        actions,
    }
}

fn action(kind: &str, fields: &[(&str, &str)]) -> Action {
    Action::new(kind, fields.iter().map(|(k, v)| (*k, (*v).to_owned())))
}

fn comment() -> Action {
    action("add_comment", &[("message", "Hello {{ASSIGNED_BY_NAME}}")])
}

#[test]
fn every_catalog_action_round_trips_both_ways() {
    let mut covered = 0;
    for (entity, kind, fields, expect) in action_table() {
        if matches!(expect, Expect::Rejected(_)) {
            continue;
        }
        let fields: Vec<(&str, &str)> = fields.clone();
        let blueprint = bp(
            entity,
            Trigger::new(trigger_for(entity)),
            Vec::new(),
            vec![action(kind, &fields)],
        );
        let t = compile(ID, &blueprint);
        round_trip(ID, &blueprint, &t);
        covered += 1;
    }
    let supported = ACTIONS
        .iter()
        .filter(|a| matches!(a.mapping, crate::catalog::ActionMapping::Activity { .. }))
        .count();
    assert_eq!(covered, supported, "every action b24flow lowers");
}

#[test]
fn optional_fields_and_variants_round_trip() {
    let cases = vec![
        bp(
            "CRM_DEAL",
            Trigger::new("deal_created"),
            Vec::new(),
            vec![
                action(
                    "create_task",
                    &[("title", "T"), ("assignee", "user_1, group_d3")],
                ),
                action(
                    "create_task",
                    &[
                        ("title", "Due {{DEAL_TITLE}}"),
                        ("assignee", "user_2"),
                        ("deadline", "{{CURRENT_DATETIME}}"),
                        ("priority", "low"),
                        ("description", "for {{CONTACT_NAME}}"),
                    ],
                ),
                action("set_reminder", &[("title", "R"), ("assignee", "user_3")]),
                action(
                    "schedule_call",
                    &[
                        ("to", "{{CONTACT_PHONE}}"),
                        ("assignee", "user_3"),
                        ("datetime", "+45m"),
                    ],
                ),
                action("create_deal", &[("title", "Copy")]),
                action(
                    "send_sms",
                    &[("to", "{{CONTACT_PHONE}}"), ("message", "Hi")],
                ),
                action("send_sms", &[("to", "user_1, user_2"), ("message", "Both")]),
                action(
                    "create_task",
                    &[
                        ("title", "On a date"),
                        ("assignee", "user_1"),
                        ("deadline", "2026-03-04"),
                    ],
                ),
                action("move_stage", &[("stage", "WON")]),
            ],
        ),
        bp(
            "CRM_DEAL",
            Trigger::new("deal_updated"),
            vec![
                Condition {
                    field: "OPPORTUNITY".into(),
                    operator: ">".into(),
                    value: "10000".into(),
                },
                Condition {
                    field: "TITLE".into(),
                    operator: "contain".into(),
                    value: "{{CONTACT_NAME}}".into(),
                },
            ],
            vec![
                comment(),
                action("webhook", &[("url", "https://hooks.example.com/x")]),
            ],
        ),
    ];
    for blueprint in cases {
        let t = compile(ID, &blueprint);
        round_trip(ID, &blueprint, &t);
    }
}

#[test]
fn every_template_trigger_round_trips_with_and_without_conditions() {
    let mut covered = 0;
    for trigger in TRIGGERS {
        let TriggerMapping::Template { .. } = trigger.mapping else {
            continue;
        };
        let entity = trigger.entity.id();
        let mut triggers = vec![Trigger::new(trigger.id)];
        if trigger.params.iter().any(|p| p.name == "stage") {
            let mut t = Trigger::new(trigger.id);
            t.params.insert("stage".into(), "C1:PREPARATION".into());
            triggers.push(t);
        }
        for tr in triggers {
            for conditions in [
                Vec::new(),
                vec![Condition {
                    field: "TITLE".into(),
                    operator: "!empty".into(),
                    value: String::new(),
                }],
            ] {
                let blueprint = bp(entity, tr.clone(), conditions, vec![comment()]);
                let t = compile(ID, &blueprint);
                round_trip(ID, &blueprint, &t);
            }
        }
        covered += 1;
    }
    assert!(covered >= 15, "{covered} template triggers");
}

#[test]
fn a_paused_template_reads_back_paused() {
    let blueprint = bp(
        "CRM_LEAD",
        Trigger::new("lead_created"),
        Vec::new(),
        vec![comment()],
    );
    let mut t = compile(ID, &blueprint);
    t.auto_execute = 0;
    let Decompiled::Blueprint(r) = decompile(&t, ID, &config()) else {
        panic!("opaque");
    };
    assert!(!r.enabled);
    assert_eq!(r.blueprint.trigger.kind, "lead_created");
}

#[test]
fn designer_names_read_back_up_to_names() {
    let blueprint = bp(
        "CRM_DEAL",
        Trigger::new("deal_won"),
        Vec::new(),
        vec![comment()],
    );
    let t = compile(ID, &blueprint);
    // Lowered under another id: other activity names, but a transition's marker field
    // also derives from the id, so that tree is not ours under ID.
    let Decompiled::Opaque(reasons) = decompile(&compile("other/id", &blueprint), ID, &config())
    else {
        panic!("a marker field of another id is not this workflow's");
    };
    assert!(reasons[0].message.contains("differs"), "{reasons:?}");
    // Renaming every activity (the designer's own names) keeps the blueprint.
    let mut renamed = t.clone();
    rename(&mut renamed.root, &mut 0);
    let Decompiled::Blueprint(r) = decompile(&renamed, ID, &config()) else {
        panic!("opaque");
    };
    assert!(!r.exact);
    assert_eq!(r.blueprint, blueprint);
}

fn rename(a: &mut Activity, n: &mut u32) {
    *n += 1;
    if a.name != "Template" {
        a.name = format!("A{n:05}_00000_00000_00000");
    }
    for c in &mut a.children {
        rename(c, n);
    }
}

#[test]
fn what_b24flow_does_not_write_is_opaque_with_its_reasons() {
    let blueprint = bp(
        "CRM_DEAL",
        Trigger::new("deal_created"),
        Vec::new(),
        vec![comment()],
    );
    let t = compile(ID, &blueprint);
    let opaque = |t: &Template| match decompile(t, ID, &config()) {
        Decompiled::Opaque(r) => r,
        Decompiled::Blueprint(b) => panic!("not opaque: {b:?}"),
    };

    let mut approval = t.clone();
    approval
        .root
        .children
        .push(Activity::new("ApproveActivity", "A1").with("Title", Value::str("Approve the deal")));
    approval
        .root
        .children
        .push(Activity::new("ForEachActivity", "A2"));
    approval
        .root
        .children
        .push(Activity::new("CodeActivity", "A3"));
    let reasons = opaque(&approval);
    let messages: Vec<&str> = reasons.iter().map(|r| r.message.as_str()).collect();
    assert!(messages[0].contains("approval"), "{messages:?}");
    assert!(messages[1].contains("loop"), "{messages:?}");
    assert!(messages[2].contains("does not write"), "{messages:?}");
    assert_eq!(reasons[2].at, "TEMPLATE[0].Children[3]");

    let mut edited = t.clone();
    edited.root.children[0].properties[1].1 = Value::str("edited by hand");
    edited.root.children[0]
        .properties
        .push(("Extra".into(), Value::str("x")));
    let reasons = opaque(&edited);
    assert_eq!(
        reasons[0].at, "TEMPLATE[0].Children[0].Properties.Extra",
        "{reasons:?}"
    );

    let mut off = t.clone();
    off.root.children[0].activated = false;
    assert!(opaque(&off)[0].message.contains("switched off"));

    let mut params = t.clone();
    params.variables = Value::map([("x", Value::str("1"))]);
    assert_eq!(opaque(&params)[0].at, "VARIABLES");

    let mut both = t.clone();
    both.auto_execute = 3;
    assert_eq!(opaque(&both)[0].at, "AUTO_EXECUTE");
}

#[test]
fn the_docs_sample_is_opaque() {
    let b64 = include_str!("../../../tests/fixtures/docs-sample-lists.bpt.b64");
    let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64.trim())
        .expect("base64");
    let mut t = Template::from_bpt(&bytes).expect("the sample decodes");
    t.document_type = ["lists".into(), "BizprocDocument".into(), "iblock_22".into()];
    t.name = "Sample".into();
    let Decompiled::Opaque(reasons) = decompile(&t, ID, &config()) else {
        panic!("a lists template is not b24flow's");
    };
    assert_eq!(reasons[0].at, "DOCUMENT_TYPE");
    assert!(
        reasons
            .iter()
            .any(|r| r.message.contains("SocNetMessageActivity")),
        "{reasons:?}"
    );
}
