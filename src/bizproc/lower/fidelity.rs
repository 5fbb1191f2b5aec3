//! The platform rules behind issue 12's findings, one test each: what the template must
//! do so that it behaves the same on every Bitrix24 core and save path. Each test says
//! the rule and where it is written in the platform source or the REST docs.

use super::*;

fn marker_of(id: &str, bp: &crate::blueprint::Blueprint, config: &Config) -> String {
    let resolved = resolve(bp, config).unwrap();
    let fields = resolved.required_fields(id);
    assert_eq!(fields.len(), 1);
    fields[0].field_name.clone()
}

/// Rule (F1): `[F, "modified", "", 0]` is true only when the starter passes a changed
/// field list containing F; `CBPDocument::autoStartWorkflows` passes `false` when the
/// caller gives none (bizproc classes/general/document.php), `CCrmBizProcHelper::
/// AutoStartWorkflows` never passes one (crm classes/general/crm_bizproc_helper.php), and
/// on cores before ConditionGroup a missing list makes it true (fieldcondition.php). So
/// deal_won uses a marker field instead: entered and unmarked -> mark first, then act;
/// left and marked -> unmark, so the next win fires again.
#[test]
fn deal_won_fires_once_per_entry_with_a_marker_set_first() {
    let bp = blueprint(
        "CRM_DEAL",
        "deal_won",
        vec![
            action("move_stage", &[("stage", "C0:FOLLOWUP")]),
            action(
                "send_whatsapp",
                &[("to", "{{CONTACT_PHONE}}"), ("message", "Congratulations!")],
            ),
        ],
    );
    let marker = marker_of("deals/test", &bp, &config());
    assert!(marker.starts_with("UF_CRM_B24F_"), "{marker}");
    let t = ok(&bp);
    assert_eq!(t.auto_execute, 2);
    let check = &t.root.children[0];
    assert_eq!(check.type_, "IfElseActivity");
    let [entered, left, otherwise] = check.children.as_slice() else {
        panic!("three branches expected: {check:#?}");
    };
    assert_eq!(
        rows(entered.property("fieldcondition").unwrap()),
        vec![
            vec![s("STAGE_SEMANTIC_ID"), s("="), s("S"), Value::Int(0)],
            vec![s(&marker), s("empty"), s(""), Value::Int(0)],
        ]
    );
    let types: Vec<&str> = entered.children.iter().map(|a| a.type_.as_str()).collect();
    // The marker first (a nested start sees it), move_stage last (it ends the workflow).
    assert_eq!(
        types,
        [
            "SetFieldActivity",
            "ImOpenLinesMessageActivity",
            "CrmChangeStatusActivity"
        ]
    );
    assert_eq!(
        entered.children[0].property("FieldValue"),
        Some(&Value::map([(marker.as_str(), s("Y"))]))
    );
    assert_eq!(
        rows(left.property("fieldcondition").unwrap()),
        vec![
            vec![s("STAGE_SEMANTIC_ID"), s("!="), s("S"), Value::Int(0)],
            vec![s(&marker), s("!empty"), s(""), Value::Int(0)],
        ]
    );
    // SetFieldActivity passes an empty value as '' (setfieldactivity.php
    // prepareFieldsValues), which clears the marker.
    assert_eq!(left.children.len(), 1);
    assert_eq!(
        left.children[0].property("FieldValue"),
        Some(&Value::map([(marker.as_str(), s(""))]))
    );
    assert_eq!(
        otherwise.property("truecondition"),
        Some(&Value::Bool(true))
    );
    assert!(otherwise.children.is_empty());
}

/// Rule (F1): the lead converter starts on-change templates with no changed-field list
/// (crm lib/conversion/leadconverter.php calls `AutoStartWorkflows(Lead, Edit)` without
/// one), so `modified` never holds there on current cores; the marker does not need it.
#[test]
fn lead_converted_and_quote_approved_use_the_status_and_the_marker() {
    for (entity, trigger, field, value) in [
        ("CRM_LEAD", "lead_converted", "STATUS_ID", "CONVERTED"),
        ("CRM_QUOTE", "quote_approved", "STATUS_ID", "APPROVED"),
        ("CRM_DEAL", "deal_lost", "STAGE_SEMANTIC_ID", "F"),
    ] {
        let bp = blueprint(entity, trigger, vec![comment()]);
        let marker = marker_of("deals/test", &bp, &config());
        let t = ok(&bp);
        let entered = &t.root.children[0].children[0];
        assert_eq!(
            rows(entered.property("fieldcondition").unwrap()),
            vec![
                vec![s(field), s("="), s(value), Value::Int(0)],
                vec![s(&marker), s("empty"), s(""), Value::Int(0)],
            ],
            "{trigger}"
        );
    }
}

/// Conditions of the spec are checked when the state is entered; the marker is set
/// either way, so a won deal that later meets the condition does not fire late.
#[test]
fn spec_conditions_are_checked_inside_the_entered_branch() {
    let mut bp = blueprint("CRM_DEAL", "deal_won", vec![comment()]);
    bp.conditions.push(Condition {
        field: "AMOUNT".into(),
        operator: ">".into(),
        value: "10000".into(),
    });
    let t = ok(&bp);
    let entered = &t.root.children[0].children[0];
    assert_eq!(entered.children[0].type_, "SetFieldActivity");
    let inner = &entered.children[1];
    assert_eq!(inner.type_, "IfElseActivity");
    assert_eq!(
        rows(inner.children[0].property("fieldcondition").unwrap()),
        vec![vec![s("OPPORTUNITY"), s(">"), s("10000"), Value::Int(0)]]
    );
    assert_eq!(inner.children[0].children[0].type_, "CrmTimelineCommentAdd");
}

/// "Moves to any stage": the marker holds the stage last seen. fieldcondition evaluates
/// a row's value with `parseValue` (fieldcondition.php; `collectUsages` parses
/// `$cond[2]` as an expression), so `{=Document:<marker>}` is read at run time.
#[test]
fn stage_changed_to_any_stage_records_the_stage_in_the_marker() {
    let bp = blueprint("CRM_DEAL", "stage_changed", vec![comment()]);
    let marker = marker_of("deals/test", &bp, &config());
    let t = ok(&bp);
    let [first, changed, _] = t.root.children[0].children.as_slice() else {
        panic!("three branches expected");
    };
    assert_eq!(
        rows(first.property("fieldcondition").unwrap()),
        vec![vec![s(&marker), s("empty"), s(""), Value::Int(0)]]
    );
    assert_eq!(
        first.children.len(),
        1,
        "recording does not run the actions"
    );
    assert_eq!(
        rows(changed.property("fieldcondition").unwrap()),
        vec![vec![
            s("STAGE_ID"),
            s("!="),
            s(&format!("{{=Document:{marker}}}")),
            Value::Int(0)
        ]]
    );
    assert_eq!(
        changed.children[0].property("FieldValue"),
        Some(&Value::map([(marker.as_str(), s("{=Document:STAGE_ID}"))]))
    );
    assert_eq!(changed.children[1].type_, "CrmTimelineCommentAdd");

    let mut to = blueprint("CRM_DEAL", "stage_changed", vec![comment()]);
    to.trigger
        .params
        .insert("stage".into(), "C2:PREPARATION".into());
    let t = ok(&to);
    let entered = &t.root.children[0].children[0];
    assert_eq!(
        rows(entered.property("fieldcondition").unwrap())[0],
        vec![s("STAGE_ID"), s("="), s("C2:PREPARATION"), Value::Int(0)]
    );
}

/// Rule (F2): smart invoice items have no STAGE_SEMANTIC_ID (crm Model/Dynamic/
/// PrototypeItem.php; `Item::getCompatibleData`), so paid means a success stage of the
/// invoice pipeline. The standard pipeline's stages are `DT31_<category>:N/S/P/D`, P
/// success and D failure (`CCrmStatus::GetDefaultInvoiceStatuses`,
/// `getDynamicEntityStatusPrefix`), the category id per portal; `contain` is a substring
/// test on the stage id (bizproc lib/activity/condition.php `checkContainOperation`).
#[test]
fn invoice_paid_compares_the_stage_id_not_a_semantic_field() {
    let bp = blueprint("CRM_INVOICE", "invoice_paid", vec![comment()]);
    let marker = marker_of("deals/test", &bp, &config());
    assert!(marker.starts_with("UF_CRM_SMART_INVOICE_B24F_"));
    let t = ok(&bp);
    let [entered, left, _] = t.root.children[0].children.as_slice() else {
        panic!()
    };
    assert_eq!(
        rows(entered.property("fieldcondition").unwrap())[0],
        vec![s("STAGE_ID"), s("contain"), s(":P"), Value::Int(0)]
    );
    assert_eq!(
        rows(left.property("fieldcondition").unwrap())[0],
        vec![s("STAGE_ID"), s("!contain"), s(":P"), Value::Int(0)]
    );

    // Configured stages: `in` with a PHP array (`checkInOperation` tests membership; a
    // string would be a substring test).
    let mut c = config();
    c.portal.invoice_paid_stages = vec!["DT31_3:P".into(), "DT31_3:UC_PAID2".into()];
    let t = compile("deals/test", &bp, &c).unwrap();
    let entered = &t.root.children[0].children[0];
    assert_eq!(
        rows(entered.property("fieldcondition").unwrap())[0],
        vec![
            s("STAGE_ID"),
            s("in"),
            Value::list([s("DT31_3:P"), s("DT31_3:UC_PAID2")]),
            Value::Int(0)
        ]
    );

    c.portal.invoice_paid_stages = vec!["P".into()];
    let errs = compile("deals/test", &bp, &c).unwrap_err();
    assert!(
        matches!(&errs[..], [e] if e.code == Code::BadInvoiceStage && e.message.contains('P')),
        "{errs:?}"
    );
    assert!(Code::BadInvoiceStage.is_project_specific());
}

/// Rules (F2, F9): an overdue reminder goes only to an invoice still open (neither a
/// success nor a failure stage; on CG cores `null != 'S'` was true for paid invoices),
/// and a due date moved later is waited for: `WhileActivity` re-evaluates its condition
/// before each round (bizproc whileactivity.php `TryNextIteration`) and the delay's
/// `TimeoutTime` is evaluated each time it runs (delayactivity.php).
#[test]
fn invoice_overdue_waits_again_and_skips_paid_and_refused_invoices() {
    let bp = blueprint(
        "CRM_INVOICE",
        "invoice_overdue",
        vec![action(
            "send_email",
            &[
                ("to", "{{CONTACT_EMAIL}}"),
                ("subject", "Invoice {{INVOICE_ID}} is overdue"),
                ("body", "Please pay {{INVOICE_AMOUNT}}."),
            ],
        )],
    );
    let resolved = resolve(&bp, &config()).unwrap();
    assert!(resolved.required_fields("x").is_empty(), "no marker needed");
    let t = ok(&bp);
    assert_eq!(t.auto_execute, 1);
    let wait = &t.root.children[0];
    assert_eq!(wait.type_, "WhileActivity");
    // The condition key follows Title (the loader takes the first condition key).
    assert_eq!(wait.properties[1].0, "fieldcondition");
    assert_eq!(
        rows(wait.property("fieldcondition").unwrap()),
        vec![vec![
            s("CLOSEDATE"),
            s(">="),
            s("{=System:Date}"),
            Value::Int(0)
        ]]
    );
    let body = &wait.children[0];
    assert_eq!(body.type_, "SequenceActivity");
    assert_eq!(body.children[0].type_, "DelayActivity");
    let branch = &t.root.children[1].children[0];
    assert_eq!(
        rows(branch.property("fieldcondition").unwrap()),
        vec![
            vec![s("STAGE_ID"), s("!contain"), s(":P"), Value::Int(0)],
            vec![s("STAGE_ID"), s("!contain"), s(":D"), Value::Int(0)],
        ]
    );
    assert_eq!(branch.children[0].type_, "CrmSendEmailActivity");
}

/// Rule (F4): `CrmSendSmsActivity::ValidateProperties` refuses an empty ProviderId
/// (crm crmsendsmsactivity.php, CRM_SSMSA_EMPTY_PROVIDER) and the import checker then
/// rejects the whole template; the notification sender and the comment author go
/// through `CBPHelper::ExtractUsers`, which finds no one for a non-user value.
#[test]
fn channels_are_checked_where_they_are_used() {
    let sms = blueprint(
        "CRM_DEAL",
        "deal_created",
        vec![action(
            "send_sms",
            &[("to", "{{CONTACT_PHONE}}"), ("message", "Hi")],
        )],
    );
    let mut c = config();
    c.channels.sms_provider = "  ".into();
    let errs = compile("w", &sms, &c).unwrap_err();
    assert!(
        matches!(&errs[..], [e] if e.code == Code::BadChannel && e.message.contains("sms_provider")),
        "{errs:?}"
    );
    // Unused channels are not a problem.
    assert!(
        compile(
            "w",
            &blueprint(
                "CRM_DEAL",
                "deal_created",
                vec![action("webhook", &[("url", "https://x.example.com/h")])]
            ),
            &c
        )
        .is_ok()
    );

    let mut c = config();
    c.channels.notify_from = "bob".into();
    for a in [
        action("send_notification", &[("to", "user_2"), ("message", "x")]),
        action("send_bitrix_message", &[("to", "user_2"), ("message", "x")]),
        comment(),
    ] {
        let bp = blueprint("CRM_DEAL", "deal_created", vec![a]);
        let errs = compile("w", &bp, &c).unwrap_err();
        assert!(
            matches!(&errs[..], [e] if e.code == Code::BadChannel && e.message.contains("notify_from")),
            "{errs:?}"
        );
    }
    assert!(Code::BadChannel.is_project_specific());
}

/// Rule (F5): `Task2Activity` checks a string DEADLINE with `CheckDateTime` in the site
/// format and drops it otherwise (tasks task2activity.php); calc `dateadd` falls back to
/// `YYYY-MM-DD HH:MI:SS` and, with a non-empty interval, returns a date object that each
/// activity turns into the site format (bizproc calc `functionDateAdd`).
#[test]
fn fixed_dates_are_calculations_that_yield_a_date() {
    let bp = blueprint(
        "CRM_DEAL",
        "deal_created",
        vec![
            action(
                "create_task",
                &[
                    ("title", "t"),
                    ("assignee", "user_1"),
                    ("deadline", "2026-01-31 10:00"),
                ],
            ),
            action(
                "set_reminder",
                &[
                    ("title", "t"),
                    ("assignee", "user_1"),
                    ("datetime", "2026-01-31"),
                ],
            ),
        ],
    );
    let t = ok(&bp);
    let nodes = action_nodes(&t);
    assert_eq!(
        nodes[0].property("Fields").unwrap().get("DEADLINE"),
        Some(&s("=dateadd(\"2026-01-31 10:00:00\", \"0d\")"))
    );
    assert_eq!(
        nodes[1].property("Deadline"),
        Some(&s("=dateadd(\"2026-01-31 00:00:00\", \"0d\")"))
    );
}

/// Rule (F5 of the audit, schedule_call): `CrmCreateCallActivity::getBindings` splits the
/// document id on `_`, so `SMART_INVOICE_<id>` gives owner type SMART (crm
/// crmcreatecallactivity.php, up to the newest copy).
#[test]
fn schedule_call_is_refused_on_invoices_with_the_reason() {
    let bp = blueprint(
        "CRM_INVOICE",
        "invoice_overdue",
        vec![action(
            "schedule_call",
            &[("to", "{{CONTACT_PHONE}}"), ("assignee", "user_1")],
        )],
    );
    let errs = errors(&bp);
    assert!(
        matches!(&errs[..], [e] if e.code == Code::NotAvailable && e.message.contains("splits the document id")),
        "{errs:?}"
    );
}

/// Rule (F7): `CrmChangeStatusActivity` accepts only a stage of the deal's own pipeline
/// (`DealCategory::getStageList(<CATEGORY_ID>)`, crmchangestatusactivity.php in both
/// generations), and older copies handle neither quotes nor smart invoices.
#[test]
fn move_stage_stays_in_the_pipeline_and_on_deals_and_leads() {
    let mut other = blueprint(
        "CRM_DEAL",
        "stage_changed",
        vec![action("move_stage", &[("stage", "WON")])],
    );
    other
        .trigger
        .params
        .insert("stage".into(), "C2:PREPARATION".into());
    let errs = errors(&other);
    assert!(
        matches!(&errs[..], [e] if e.code == Code::OtherPipeline && e.path == "actions[0].stage"),
        "{errs:?}"
    );

    let unknown = blueprint(
        "CRM_DEAL",
        "deal_won",
        vec![action("move_stage", &[("stage", "C2:FINAL")])],
    );
    let r = resolve(&unknown, &config()).unwrap();
    let codes: Vec<Code> = r.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, [Code::PipelineUnknown]);

    let mut known = unknown.clone();
    known.conditions.push(Condition {
        field: "CATEGORY_ID".into(),
        operator: "=".into(),
        value: "2".into(),
    });
    assert!(resolve(&known, &config()).unwrap().warnings.is_empty());

    for (entity, trigger) in [
        ("CRM_QUOTE", "quote_created"),
        ("CRM_INVOICE", "invoice_paid"),
    ] {
        let bp = blueprint(
            entity,
            trigger,
            vec![action("move_stage", &[("stage", "APPROVED")])],
        );
        let errs = errors(&bp);
        assert!(
            matches!(&errs[..], [e] if e.code == Code::NotAvailable && e.message.contains("@25d1a13")),
            "{entity}: {errs:?}"
        );
    }
}

/// Rule (F8): `CrmSendSmsActivity` texts the first user only (`getUserPhoneNumber` ->
/// `CBPHelper::ExtractUsers($user, $documentId, true)`, crm crmsendsmsactivity.php).
#[test]
fn sms_to_several_employees_is_one_activity_each() {
    let bp = blueprint(
        "CRM_DEAL",
        "deal_created",
        vec![action(
            "send_sms",
            &[
                ("to", "user_2, sales manager, {{ASSIGNED_BY_ID}}"),
                ("message", "New deal"),
            ],
        )],
    );
    let t = ok(&bp);
    let nodes = action_nodes(&t);
    let to: Vec<&Value> = nodes
        .iter()
        .map(|a| a.property("RecipientUser").unwrap())
        .collect();
    assert_eq!(
        to,
        [
            &Value::list([s("user_2")]),
            &Value::list([s("user_7")]),
            &Value::list([s("{=Document:ASSIGNED_BY_ID}")]),
        ]
    );
    let names: std::collections::BTreeSet<&str> = nodes.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names.len(), 3);

    let group = blueprint(
        "CRM_DEAL",
        "deal_created",
        vec![action(
            "send_sms",
            &[("to", "sales team"), ("message", "x")],
        )],
    );
    assert!(matches!(&errors(&group)[..], [e] if e.code == Code::NotOnePerson));
}

/// Rule (F10 of the issue): tasks do have document types, per user and per project
/// (tasks lib/integration/bizproc/document/task.php: TASK_USER_<id>, TASK_PROJECT_<id>),
/// and task events start only automation (lib/integration/bizproc/listener.php).
#[test]
fn task_triggers_are_refused_for_the_right_reason() {
    let bp = blueprint("TASK", "task_created", vec![comment()]);
    let errs = errors(&bp);
    let e = errs
        .iter()
        .find(|e| e.code == Code::UnsupportedTrigger)
        .unwrap();
    assert!(e.message.contains("TASK_USER_<id>"), "{}", e.message);
    assert!(!e.message.contains("no business process document type"));
}
