//! Lowering, through [`resolve`]: every trigger and action becomes the activity that
//! does it, with the bytes pinned; and the rules' answers on the same blueprints.

use std::collections::BTreeSet;

use super::*;
use crate::blueprint::{Action, Blueprint, Condition, Trigger};
use crate::catalog::{ACTIONS, TRIGGERS, TriggerMapping};
use crate::config::Config;
use crate::resolve::{Code, Diagnostic, resolve};

#[path = "fidelity.rs"]
mod fidelity;

fn compile(id: &str, bp: &Blueprint, config: &Config) -> Result<Template, Vec<Diagnostic>> {
    resolve(bp, config).map(|r| lower(id, &r)).map_err(|d| d.0)
}

fn blueprint(entity: &str, trigger: &str, actions: Vec<Action>) -> Blueprint {
    Blueprint {
        name: "Test".into(),
        entity: entity.into(),
        trigger: Trigger::new(trigger),
        conditions: Vec::new(),
        actions,
    }
}

fn action(kind: &str, fields: &[(&str, &str)]) -> Action {
    Action::new(kind, fields.iter().map(|(k, v)| (*k, (*v).to_owned())))
}

pub(crate) fn config() -> Config {
    let mut c = Config::default();
    c.recipients.insert("sales team".into(), "group_d12".into());
    c.recipients.insert("sales manager".into(), "user_7".into());
    c
}

fn ok(bp: &Blueprint) -> Template {
    compile("deals/test", bp, &config()).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn errors(bp: &Blueprint) -> Vec<Diagnostic> {
    compile("deals/test", bp, &config()).expect_err("should not compile")
}

/// The action activities of a template, wherever the guard put them.
fn action_nodes(t: &Template) -> Vec<&Activity> {
    t.root
        .walk()
        .into_iter()
        .skip(1)
        .filter(|a| {
            !matches!(
                a.type_.as_str(),
                "IfElseActivity" | "IfElseBranchActivity" | "DelayActivity"
            )
        })
        .collect()
}

fn rows(v: &Value) -> Vec<Vec<Value>> {
    v.as_list()
        .unwrap()
        .into_iter()
        .map(|r| r.as_list().unwrap().into_iter().cloned().collect())
        .collect()
}

fn s(v: &str) -> Value {
    Value::str(v)
}

fn comment() -> Action {
    action("add_comment", &[("message", "hello")])
}

#[test]
fn every_trigger_compiles_or_is_rejected_with_its_reason() {
    for t in TRIGGERS {
        let mut bp = blueprint(t.entity.id(), t.id, vec![comment()]);
        if t.id == "stage_changed" {
            bp.trigger
                .params
                .insert("stage".into(), "C2:PREPARATION".into());
        }
        match t.mapping {
            TriggerMapping::Unsupported { reason, instead } => {
                let errs = errors(&bp);
                assert!(
                    errs.iter().any(|e| e.code == Code::UnsupportedTrigger
                        && e.path == "trigger.type"
                        && e.message.contains(reason)
                        && e.help.as_deref() == Some(instead)),
                    "{}: {errs:?}",
                    t.id
                );
            }
            TriggerMapping::Template {
                auto_start,
                guard,
                once_per_entry,
                wait_until,
            } => {
                let tpl = ok(&bp);
                let doc = t.entity.info().document_type.unwrap();
                assert_eq!(tpl.document_type, doc.map(str::to_owned), "{}", t.id);
                assert_eq!(tpl.auto_execute, auto_start.auto_execute(), "{}", t.id);
                let mut children = tpl.root.children.iter();
                if let Some(field) = wait_until {
                    let wait = children.next().unwrap();
                    assert_eq!(wait.type_, "WhileActivity");
                    let delay = &wait.children[0].children[0];
                    assert_eq!(delay.type_, "DelayActivity");
                    assert_eq!(
                        delay.property("TimeoutTime"),
                        Some(&s(&format!("=dateadd({{=Document:{field}}}, \"1d\")")))
                    );
                }
                let next = children.next().unwrap();
                if guard.is_empty() {
                    assert_eq!(next.type_, "CrmTimelineCommentAdd", "{}", t.id);
                    continue;
                }
                assert_eq!(next.type_, "IfElseActivity", "{}", t.id);
                // No trigger relies on `modified` any more: its answer depends on the
                // core and the save path (bizproc lib/activity/conditiongroup.php).
                let all_rows: Vec<Vec<Value>> = next
                    .walk()
                    .into_iter()
                    .filter_map(|a| a.property("fieldcondition"))
                    .flat_map(rows)
                    .collect();
                assert!(
                    all_rows.iter().all(|r| r[1] != s("modified")),
                    "{}: {all_rows:?}",
                    t.id
                );
                let branch = &next.children[0];
                if once_per_entry {
                    assert_eq!(next.children.len(), 3, "{}", t.id);
                    assert_eq!(branch.children[0].type_, "SetFieldActivity", "{}", t.id);
                    assert_eq!(branch.children[1].type_, "CrmTimelineCommentAdd");
                } else {
                    assert_eq!(branch.children[0].type_, "CrmTimelineCommentAdd");
                }
            }
        }
    }
}

#[test]
fn blueprint_conditions_join_the_guard() {
    let mut bp = blueprint("CRM_DEAL", "deal_created", vec![comment()]);
    bp.conditions.push(Condition {
        field: "AMOUNT".into(),
        operator: ">".into(),
        value: "10000".into(),
    });
    let t = ok(&bp);
    let branch = &t.root.children[0].children[0];
    assert_eq!(
        rows(branch.property("fieldcondition").unwrap()),
        vec![vec![s("OPPORTUNITY"), s(">"), s("10000"), Value::Int(0)]]
    );
}

/// One row per catalog action: the fields to give it, and the activity type with
/// the properties it must carry, or the rejection it must get.
pub(crate) enum Expect {
    Activity(&'static str, Vec<(&'static str, Value)>),
    Rejected(&'static str),
}

/// (entity, action, fields, expectation)
pub(crate) type Row = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
    Expect,
);

pub(crate) fn action_table() -> Vec<Row> {
    use Expect::{Activity as A, Rejected as R};
    let users = |v: &[&str]| Value::list(v.iter().map(|u| s(u)));
    vec![
        (
            "CRM_DEAL",
            "send_whatsapp",
            vec![
                ("to", "{{CONTACT_PHONE}}"),
                ("message", "Hi {{CONTACT_NAME}}"),
            ],
            A(
                "ImOpenLinesMessageActivity",
                vec![
                    ("MessageText", s("Hi {=Document:CONTACT_ID > printable}")),
                    ("IsSystem", s("N")),
                ],
            ),
        ),
        (
            "CRM_DEAL",
            "send_email",
            vec![("to", "{{CONTACT_EMAIL}}"), ("subject", "S"), ("body", "B")],
            A(
                "CrmSendEmailActivity",
                vec![
                    ("Subject", s("S")),
                    ("MessageText", s("B")),
                    ("MessageTextType", s("bbcode")),
                ],
            ),
        ),
        (
            "CRM_LEAD",
            "send_sms",
            vec![("to", "{{CONTACT_PHONE}}"), ("message", "Hello")],
            A(
                "CrmSendSmsActivity",
                vec![
                    ("ProviderId", s(":default:")),
                    ("MessageText", s("Hello")),
                    ("RecipientType", s("entity")),
                ],
            ),
        ),
        (
            "CRM_DEAL",
            "send_notification",
            vec![("to", "sales team"), ("message", "Lost: {{DEAL_TITLE}}")],
            A(
                "IMNotifyActivity",
                vec![
                    ("MessageUserTo", users(&["group_d12"])),
                    ("MessageSite", s("Lost: {=Document:TITLE}")),
                    ("MessageUserFrom", users(&["user_1"])),
                ],
            ),
        ),
        (
            "CRM_DEAL",
            "send_bitrix_message",
            vec![("to", "{{ASSIGNED_BY_ID}}"), ("message", "Hi")],
            A(
                "ImMessageActivity",
                vec![
                    ("MessageUserTo", users(&["{=Document:ASSIGNED_BY_ID}"])),
                    ("MessageTemplate", s("plain")),
                    ("MessageFields", Value::map([("MessageText", s("Hi"))])),
                ],
            ),
        ),
        (
            "CRM_LEAD",
            "create_task",
            vec![
                ("title", "Follow up"),
                ("assignee", "{{ASSIGNED_BY_ID}}"),
                ("deadline", "+3d"),
                ("priority", "high"),
            ],
            A(
                "Task2Activity",
                vec![
                    (
                        "Fields",
                        Value::map([
                            ("TITLE", s("Follow up")),
                            ("CREATED_BY", users(&["author"])),
                            ("RESPONSIBLE_ID", users(&["{=Document:ASSIGNED_BY_ID}"])),
                            ("DEADLINE", s("=dateadd({=System:Now}, \"3d\")")),
                            ("PRIORITY", s("2")),
                        ]),
                    ),
                    ("AUTO_LINK_TO_CRM_ENTITY", Value::Bool(true)),
                    ("HoldToClose", Value::Bool(false)),
                ],
            ),
        ),
        (
            "CRM_DEAL",
            "update_task",
            vec![("field", "STATUS"), ("value", "5")],
            R("update_task"),
        ),
        (
            "CRM_DEAL",
            "set_reminder",
            vec![
                ("title", "Call back"),
                ("assignee", "user_3"),
                ("datetime", "+2h"),
            ],
            A(
                "CrmCreateToDoActivity",
                vec![
                    ("Description", s("Call back")),
                    ("Responsible", users(&["user_3"])),
                    ("Deadline", s("=dateadd({=System:Now}, \"2h\")")),
                ],
            ),
        ),
        (
            "CRM_LEAD",
            "schedule_call",
            vec![
                ("to", "{{CONTACT_PHONE}}"),
                ("assignee", "sales manager"),
                ("datetime", "2026-02-01T10:30"),
            ],
            A(
                "CrmCreateCallActivity",
                vec![
                    ("StartTime", s("=dateadd(\"2026-02-01 10:30:00\", \"0d\")")),
                    ("Responsible", users(&["user_7"])),
                ],
            ),
        ),
        (
            "CRM_LEAD",
            "create_deal",
            vec![
                ("title", "From {{LEAD_NAME}}"),
                ("assignee", "{{ASSIGNED_BY_ID}}"),
                ("stage", "NEW"),
            ],
            A(
                "CreateCrmDealDocumentActivity",
                vec![(
                    "Fields",
                    Value::map([
                        ("TITLE", s("From {=Document:TITLE}")),
                        ("ASSIGNED_BY_ID", s("{=Document:ASSIGNED_BY_ID}")),
                        ("STAGE_ID", s("NEW")),
                    ]),
                )],
            ),
        ),
        (
            "CRM_DEAL",
            "update_deal",
            vec![("field", "AMOUNT"), ("value", "500")],
            A(
                "SetFieldActivity",
                vec![("FieldValue", Value::map([("OPPORTUNITY", s("500"))]))],
            ),
        ),
        (
            "CRM_LEAD",
            "create_contact",
            vec![("title", "Jane Q Doe")],
            A(
                "CreateCrmContactDocumentActivity",
                vec![(
                    "Fields",
                    Value::map([("NAME", s("Jane Q")), ("LAST_NAME", s("Doe"))]),
                )],
            ),
        ),
        (
            "CRM_DEAL",
            "create_company",
            vec![("title", "Acme")],
            A(
                "CreateCrmCompanyDocumentActivity",
                vec![("Fields", Value::map([("TITLE", s("Acme"))]))],
            ),
        ),
        (
            "CRM_DEAL",
            "create_invoice",
            vec![("title", "Invoice for {{DEAL_TITLE}}")],
            A(
                "CrmCreateDynamicActivity",
                vec![
                    ("DynamicTypeId", Value::Int(31)),
                    (
                        "DynamicEntitiesFields",
                        Value::map([("31_TITLE", s("Invoice for {=Document:TITLE}"))]),
                    ),
                ],
            ),
        ),
        (
            "CRM_DEAL",
            "create_quote",
            vec![("title", "Quote"), ("assignee", "user_2")],
            A(
                "CrmCreateDynamicActivity",
                vec![
                    ("DynamicTypeId", Value::Int(7)),
                    (
                        "DynamicEntitiesFields",
                        Value::map([("7_TITLE", s("Quote")), ("7_ASSIGNED_BY_ID", s("user_2"))]),
                    ),
                ],
            ),
        ),
        (
            "CRM_LEAD",
            "assign_responsible",
            vec![("assignee", "{{ASSIGNED_BY_ID}}")],
            A(
                "CrmChangeResponsibleActivity",
                vec![
                    ("Responsible", users(&["{=Document:ASSIGNED_BY_ID}"])),
                    ("GetterType", s("f")),
                ],
            ),
        ),
        (
            "CRM_DEAL",
            "move_stage",
            vec![("stage", "C2:WON")],
            A(
                "CrmChangeStatusActivity",
                vec![("TargetStatus", s("C2:WON"))],
            ),
        ),
        (
            "CRM_CONTACT",
            "update_field",
            vec![("field", "COMMENTS"), ("value", "VIP")],
            A(
                "SetFieldActivity",
                vec![("FieldValue", Value::map([("COMMENTS", s("VIP"))]))],
            ),
        ),
        (
            "CRM_DEAL",
            "add_comment",
            vec![("message", "Won on {{CURRENT_DATE}}")],
            A(
                "CrmTimelineCommentAdd",
                vec![
                    ("CommentText", s("Won on {=System:Date}")),
                    ("CommentUser", users(&["user_1"])),
                ],
            ),
        ),
        ("CRM_DEAL", "add_tag", vec![("tag", "vip")], R("add_tag")),
        (
            "CRM_DEAL",
            "remove_tag",
            vec![("tag", "vip")],
            R("remove_tag"),
        ),
        (
            "CRM_DEAL",
            "webhook",
            vec![("url", "https://hooks.example.com/won"), ("method", "POST")],
            A(
                "WebHookActivity",
                vec![("Handler", s("https://hooks.example.com/won"))],
            ),
        ),
    ]
}

pub(crate) fn trigger_for(entity: &str) -> &'static str {
    match entity {
        "CRM_DEAL" => "deal_created",
        "CRM_LEAD" => "lead_created",
        "CRM_CONTACT" => "contact_created",
        _ => unreachable!("no row uses {entity}"),
    }
}

#[test]
fn every_action_maps_to_its_activity_or_is_rejected() {
    let table = action_table();
    let covered: BTreeSet<&str> = table.iter().map(|(_, a, _, _)| *a).collect();
    let all: BTreeSet<&str> = ACTIONS.iter().map(|a| a.id).collect();
    assert_eq!(covered, all, "the table must cover every catalog action");

    for (entity, kind, fields, expect) in table {
        let bp = blueprint(entity, trigger_for(entity), vec![action(kind, &fields)]);
        match expect {
            Expect::Activity(type_, props) => {
                let t = ok(&bp);
                let nodes = action_nodes(&t);
                assert_eq!(nodes.len(), 1, "{kind}");
                let a = nodes[0];
                assert_eq!(a.type_, type_, "{kind}");
                assert!(
                    a.title().is_some_and(|t| !t.is_empty()),
                    "{kind} has no Title"
                );
                for (key, value) in props {
                    assert_eq!(a.property(key), Some(&value), "{kind}.{key}");
                }
            }
            Expect::Rejected(action) => {
                let errs = errors(&bp);
                assert!(
                    matches!(&errs[..], [e] if e.code == Code::UnsupportedAction && e.path == "actions[0].type" && e.message.contains(action)),
                    "{kind}: {errs:?}"
                );
            }
        }
    }
}

#[test]
fn every_activity_has_a_title_and_a_designer_shaped_name() {
    let name_shape = regex::Regex::new(r"^A\d{5}_\d{5}_\d{5}_\d{5}$").unwrap();
    for (entity, kind, fields, expect) in action_table() {
        if matches!(expect, Expect::Rejected(_)) {
            continue;
        }
        let mut bp = blueprint(entity, trigger_for(entity), vec![action(kind, &fields)]);
        bp.conditions.push(Condition {
            field: "TITLE".into(),
            operator: "!empty".into(),
            value: String::new(),
        });
        let t = ok(&bp);
        for a in t.root.walk().into_iter().skip(1) {
            assert!(name_shape.is_match(&a.name), "{kind}: {}", a.name);
            assert!(a.title().is_some(), "{kind}: {} has no Title", a.type_);
        }
    }
}

#[test]
fn same_blueprint_same_bytes_and_a_text_edit_touches_one_property() {
    let make = |message: &str| {
        blueprint(
            "CRM_DEAL",
            "deal_lost",
            vec![
                action(
                    "send_notification",
                    &[("to", "sales team"), ("message", message)],
                ),
                action(
                    "create_task",
                    &[
                        ("title", "Review lost deal reasons"),
                        ("assignee", "{{ASSIGNED_BY_ID}}"),
                    ],
                ),
            ],
        )
    };
    let a = ok(&make("Deal lost"));
    let b = ok(&make("Deal lost"));
    assert_eq!(a.to_bpt(), b.to_bpt());
    assert_eq!(a.sha256(), b.sha256());

    let c = ok(&make("Deal lost!"));
    assert_ne!(a.sha256(), c.sha256());
    let (na, nc) = (a.root.walk(), c.root.walk());
    assert_eq!(na.len(), nc.len());
    let mut changed = Vec::new();
    for (x, y) in na.iter().zip(&nc) {
        assert_eq!(x.name, y.name);
        assert_eq!(x.type_, y.type_);
        for ((kx, vx), (ky, vy)) in x.properties.iter().zip(&y.properties) {
            assert_eq!(kx, ky);
            if vx != vy {
                changed.push(format!("{}.{kx}", x.type_));
            }
        }
    }
    assert_eq!(
        changed,
        [
            "IMNotifyActivity.MessageSite",
            "IMNotifyActivity.MessageOut"
        ]
    );
}

#[test]
fn names_depend_on_the_workflow_id() {
    let bp = blueprint("CRM_DEAL", "deal_created", vec![comment()]);
    let a = compile("one", &bp, &config()).unwrap();
    let b = compile("two", &bp, &config()).unwrap();
    assert_ne!(a.root.children[0].name, b.root.children[0].name);
}

#[test]
fn variables_the_entity_cannot_supply_are_errors() {
    let bp = blueprint(
        "CRM_LEAD",
        "lead_created",
        vec![action(
            "add_comment",
            &[("message", "Deal {{DEAL_TITLE}} and {{NOPE}}")],
        )],
    );
    let errs = errors(&bp);
    let got: Vec<(&str, Code)> = errs.iter().map(|e| (e.path.as_str(), e.code)).collect();
    assert_eq!(
        got,
        [
            ("actions[0].message", Code::UnavailableVariable),
            ("actions[0].message", Code::UnknownVariable),
        ]
    );
    assert!(
        errs[0]
            .message
            .contains("a lead cannot supply `{{DEAL_TITLE}}`")
    );
}

#[test]
fn recipients_resolve_or_fail_with_a_hint() {
    let bp = blueprint(
        "CRM_DEAL",
        "deal_lost",
        vec![
            action(
                "send_notification",
                &[("to", "the Sales Team, user_5"), ("message", "x")],
            ),
            action(
                "send_notification",
                &[("to", "marketing"), ("message", "x")],
            ),
            action(
                "send_notification",
                &[("to", "{{CONTACT_PHONE}}"), ("message", "x")],
            ),
            action(
                "send_email",
                &[("to", "user_5"), ("subject", "s"), ("body", "b")],
            ),
        ],
    );
    let errs = errors(&bp);
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert_eq!(
        (errs[0].path.as_str(), errs[0].code),
        ("actions[1].to", Code::UnknownRecipient)
    );
    let help = errs[0].help.clone().unwrap();
    assert!(
        help.contains("[recipients]") && help.contains("\"marketing\""),
        "{help}"
    );
    assert_eq!(errs[1].path, "actions[2].to");
    assert_eq!(errs[2].path, "actions[3].to");

    let ok_bp = blueprint(
        "CRM_DEAL",
        "deal_lost",
        vec![action(
            "send_notification",
            &[("to", "the Sales Team, user_5"), ("message", "x")],
        )],
    );
    let t = ok(&ok_bp);
    let notify = action_nodes(&t)
        .into_iter()
        .find(|a| a.type_ == "IMNotifyActivity")
        .unwrap();
    assert_eq!(
        notify.property("MessageUserTo"),
        Some(&Value::list([s("group_d12"), s("user_5")]))
    );
}

#[test]
fn sms_to_an_employee_uses_the_user_recipient_type() {
    let bp = blueprint(
        "CRM_DEAL",
        "deal_created",
        vec![action(
            "send_sms",
            &[("to", "sales manager"), ("message", "New deal")],
        )],
    );
    let t = ok(&bp);
    let sms = action_nodes(&t)[0];
    assert_eq!(sms.property("RecipientType"), Some(&s("user")));
    assert_eq!(
        sms.property("RecipientUser"),
        Some(&Value::list([s("user_7")]))
    );
}

#[test]
fn relative_and_bad_datetimes() {
    let task = |deadline: &str| {
        blueprint(
            "CRM_DEAL",
            "deal_created",
            vec![action(
                "create_task",
                &[
                    ("title", "t"),
                    ("assignee", "user_1"),
                    ("deadline", deadline),
                ],
            )],
        )
    };
    for (given, stored) in [
        ("+30m", "=dateadd({=System:Now}, \"30i\")"),
        ("+1w", "=dateadd({=System:Now}, \"7d\")"),
        ("+05d", "=dateadd({=System:Now}, \"5d\")"),
        ("{{CURRENT_DATETIME}}", "{=System:Now}"),
        ("2026-01-31", "=dateadd(\"2026-01-31 00:00:00\", \"0d\")"),
        (
            "2026-01-31T10:00",
            "=dateadd(\"2026-01-31 10:00:00\", \"0d\")",
        ),
    ] {
        let t = ok(&task(given));
        let fields = action_nodes(&t)[0].property("Fields").unwrap();
        assert_eq!(fields.get("DEADLINE"), Some(&s(stored)), "{given}");
    }
    for bad in [
        "+0d",
        "+3y",
        "tomorrow",
        "2026-1-31",
        "+99999999999d",
        " +3d",
    ] {
        let errs = errors(&task(bad));
        assert!(
            matches!(&errs[..], [e] if e.code == Code::BadDatetime),
            "{bad}: {errs:?}"
        );
    }
}

#[test]
fn move_stage_goes_last_with_a_warning() {
    let bp = blueprint(
        "CRM_DEAL",
        "deal_created",
        vec![action("move_stage", &[("stage", "PREPARATION")]), comment()],
    );
    let resolved = resolve(&bp, &config()).unwrap();
    let template = lower("w", &resolved);
    let types: Vec<&str> = action_nodes(&template)
        .iter()
        .map(|a| a.type_.as_str())
        .collect();
    assert_eq!(types, ["CrmTimelineCommentAdd", "CrmChangeStatusActivity"]);
    let warnings: Vec<(&str, Code)> = resolved
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.code))
        .collect();
    assert_eq!(warnings, [("actions[0]", Code::MoveStageReordered)]);
    assert!(resolved.warnings[0].is_warning());

    let contact = blueprint(
        "CRM_CONTACT",
        "contact_created",
        vec![action("move_stage", &[("stage", "WON")])],
    );
    assert!(matches!(
        &errors(&contact)[..],
        [e] if e.code == Code::NotAvailable
    ));
}

#[test]
fn every_problem_is_reported_at_once() {
    let bp = blueprint(
        "CRM_DEAL",
        "deal_won",
        vec![
            action("send_whatsapp", &[("message", "no recipient")]),
            action("webhook", &[("url", "http://localhost/x")]),
            action(
                "create_task",
                &[("title", "t"), ("assignee", "user_1"), ("colour", "red")],
            ),
            action("teleport", &[]),
        ],
    );
    let paths: Vec<String> = errors(&bp).iter().map(|e| e.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "actions[0]",
            "actions[1].url",
            "actions[1].url",
            "actions[2].colour",
            "actions[3].type"
        ]
    );
}

#[test]
fn wrong_entity_for_the_trigger_is_an_error() {
    let bp = blueprint("CRM_LEAD", "deal_won", vec![comment()]);
    assert!(matches!(
        &errors(&bp)[..],
        [e] if e.code == Code::EntityMismatch
    ));
    let bp = blueprint("CRM_THING", "deal_won", vec![comment()]);
    assert!(matches!(
        &errors(&bp)[..],
        [e] if e.code == Code::UnknownEntity
    ));
}
