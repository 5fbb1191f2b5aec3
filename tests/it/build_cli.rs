//! `b24flow build` and `b24flow show` through the real binary, on lockfiles written with
//! the library (so these tests do not depend on a parser).

use b24flow::bizproc::{Template, bpt};
use b24flow::blueprint::{Action, Blueprint, Trigger};
use b24flow::lockfile::{self, Lockfile, Options, ParserStamp, Source};
use b24flow::nl::ParserIdentity;

use crate::support::TestEnv;

fn action(kind: &str, fields: &[(&str, &str)]) -> Action {
    Action::new(kind, fields.iter().map(|(k, v)| (*k, (*v).to_owned())))
}

fn won() -> Blueprint {
    Blueprint {
        name: "Congratulate the client on a won deal".into(),
        entity: "CRM_DEAL".into(),
        trigger: Trigger::new("deal_won"),
        conditions: Vec::new(),
        actions: vec![action(
            "send_whatsapp",
            &[
                ("to", "{{CONTACT_PHONE}}"),
                ("message", "Congratulations! Your deal has been confirmed."),
            ],
        )],
    }
}

/// Writes `workflows/<id>.txt` and a lockfile holding `blueprint` beside it.
fn add_workflow(env: &TestEnv, id: &str, blueprint: Blueprint, enabled: bool) {
    let spec = format!("workflows/{id}.txt");
    let text = "a spec";
    env.write(&spec, text);
    let lock = Lockfile {
        version: lockfile::FORMAT_VERSION,
        source: Source {
            path: spec,
            sha256: lockfile::spec_sha256(text),
        },
        parser: ParserStamp::new(&ParserIdentity {
            name: "offline",
            version: 1,
            model: None,
            prompt_sha256: None,
        }),
        options: Options { enabled },
        previous_ids: Vec::new(),
        blueprint_sha256: lockfile::blueprint_sha256(&blueprint),
        blueprint,
        template_sha256: None,
        runner: None,
        supersedes: None,
    };
    env.write(
        &format!("workflows/{id}.lock.yaml"),
        lock.to_yaml("../schema/lockfile.schema.json"),
    );
}

#[test]
fn build_writes_bpt_files_that_decode_to_the_compiled_template() {
    let env = TestEnv::new();
    env.write("b24flow.toml", "");
    add_workflow(&env, "deal-won", won(), true);
    add_workflow(&env, "sales/paused", won(), false);
    env.run(&["build"]).success();

    let bytes = std::fs::read(env.path(".b24flow/build/deal-won.bpt")).unwrap();
    assert_eq!(
        &bytes[..2],
        &[0x78, 0xDA],
        "a zlib stream like the designer's export"
    );
    let tree = Template::from_bpt(&bytes).unwrap();
    assert_eq!(tree.root.children[0].type_, "IfElseActivity");
    let json = bpt::decode_to_json(&bytes).unwrap();
    assert_eq!(json["VERSION"], 2);
    assert!(env.exists(".b24flow/build/sales/paused.bpt"));

    // Same lockfile, same bytes.
    env.run(&["build", "--out", "again", "deal-won"]).success();
    assert_eq!(
        std::fs::read(env.path("again/deal-won.bpt")).unwrap(),
        bytes
    );
    assert!(!env.exists("again/sales/paused.bpt"));
}

#[test]
fn show_prints_the_tree_and_json() {
    let env = TestEnv::new();
    env.write("b24flow.toml", "");
    add_workflow(&env, "deal-won", won(), true);
    add_workflow(&env, "paused", won(), false);

    let text = env.run(&["show", "deal-won"]).success().stdout();
    assert!(
        text.contains("document type: crm / CCrmDocumentDeal / DEAL"),
        "{text}"
    );
    assert!(text.contains("AUTO_EXECUTE 2"), "{text}");
    assert!(text.contains("└─ IfElseActivity"), "{text}");
    assert!(text.contains("ImOpenLinesMessageActivity"), "{text}");
    // Won and not yet marked: the per-workflow marker replaces `modified`.
    let marker =
        b24flow::resolve::RequiredField::marker(b24flow::catalog::Entity::Deal, "deal-won", "")
            .field_name;
    assert!(
        text.contains(&format!(
            r#"fieldcondition: [["STAGE_SEMANTIC_ID","=","S",0],["{marker}","empty","",0]]"#
        )),
        "{text}"
    );

    let json = env.run(&["show", "deal-won", "--json"]).success().json();
    crate::schema::assert_matches("show.schema.json", &json);
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["id"], "deal-won");
    assert_eq!(json["document_type"][2], "DEAL");
    assert_eq!(json["auto_execute"], 2);
    assert_eq!(json["template"][0]["Type"], "SequentialWorkflowActivity");
    assert_eq!(json["template_sha256"].as_str().unwrap().len(), 64);

    let paused = env.run(&["show", "paused", "--json"]).success().json();
    assert_eq!(
        paused["auto_execute"], 0,
        "options.enabled: false turns auto-start off"
    );
}

#[test]
fn build_points_compile_errors_into_the_lockfile_and_fails() {
    let env = TestEnv::new();
    env.write("b24flow.toml", "");
    let mut bp = won();
    // Valid for the semantic rules, but Bitrix24 needs a first and a last name for a
    // new contact, which only the template compiler knows.
    bp.actions
        .push(action("create_contact", &[("title", "Madonna")]));
    add_workflow(&env, "deal-won", bp, true);
    add_workflow(&env, "ok", won(), true);

    let run = env.run(&["build"]).expect_code(1);
    let err = run.stderr();
    assert!(err.contains("b24flow::rules::bad_name"), "{err}");
    assert!(!err.contains("b24flow::compile::"), "{err}");
    assert!(err.contains("workflows/deal-won.lock.yaml"), "{err}");
    // The span underlines the value in the lockfile.
    assert!(err.contains("title: Madonna"), "{err}");
    assert!(err.contains("^^^"), "{err}");
    assert!(err.contains("1 built, 1 problems"), "{err}");
    assert!(env.exists(".b24flow/build/ok.bpt"));
    assert!(!env.exists(".b24flow/build/deal-won.bpt"));
}

#[test]
fn build_reports_unknown_ids_and_missing_lockfiles() {
    let env = TestEnv::new();
    env.write("b24flow.toml", "");
    env.write(
        "workflows/new.txt",
        "When a deal is won, notify the sales team",
    );
    let err = env.run(&["build", "new", "nope"]).expect_code(1).stderr();
    assert!(err.contains("no workflow `nope`"), "{err}");
    assert!(err.contains("has no lockfile"), "{err}");
}

/// Issue 12, F3: "won -> create an invoice" plus "invoice overdue -> remind" never
/// reminds for those invoices while the crm option `start_bp_within_bp` is `N` (its
/// default; crm `Document\Item::launchOperation`), so `build` (and `plan`, which builds)
/// warns at the action, and the project-wide check used by `validate` finds the same.
#[test]
fn build_warns_when_a_workflow_is_expected_to_start_another() {
    let env = TestEnv::new();
    env.write("b24flow.toml", "");
    let mut invoicing = won();
    invoicing.actions = vec![action("create_invoice", &[("title", "Invoice")])];
    add_workflow(&env, "deal-won", invoicing, true);
    add_workflow(
        &env,
        "invoice-overdue",
        Blueprint {
            name: "Remind".into(),
            entity: "CRM_INVOICE".into(),
            trigger: Trigger::new("invoice_overdue"),
            conditions: Vec::new(),
            actions: vec![action(
                "send_email",
                &[
                    ("to", "{{CONTACT_EMAIL}}"),
                    ("subject", "Overdue"),
                    ("body", "Please pay."),
                ],
            )],
        },
        true,
    );
    let run = env.run(&["build", "--out", "out"]).success();
    let err = run.stderr();
    assert!(err.contains("not_chained"), "{err}");
    assert!(err.contains("invoice-overdue"), "{err}");

    let project = b24flow::project::Project::discover(&env.path("")).unwrap();
    let placed = b24flow::compile::project_warnings(&project).unwrap();
    assert_eq!(placed.len(), 1);
    assert_eq!(placed[0].diagnostic.path, "actions[0].type");
    assert!(placed[0].diagnostic.is_warning());
}
