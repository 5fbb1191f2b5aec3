//! Workflows in plain English and as diagrams (`b24flow::explain`): one test per catalog
//! trigger and per action with the exact words, the change lists for the repository's
//! own workflows edited one way each, the `explain` and `show --format mermaid`
//! commands, and every diagram parsed by Mermaid's own parser.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use b24flow::blueprint::{Action, Blueprint, Condition, Trigger};
use b24flow::catalog::{ACTIONS, TRIGGERS};
use b24flow::config::Config;
use b24flow::explain::{Node, changes, explain, mermaid};
use b24flow::lockfile::Lockfile;
use b24flow::nl::{Outcome, offline};

use crate::support::TestEnv;

fn config() -> Config {
    let mut config = Config::default();
    config
        .recipients
        .insert("sales team".into(), "group_d12".into());
    config
}

fn action(kind: &str, fields: &[(&str, &str)]) -> Action {
    Action::new(kind, fields.iter().map(|(k, v)| (*k, (*v).to_owned())))
}

/// Asserts the summary exactly, and that the caveats are exactly as many as `caveats`,
/// each containing its text.
#[track_caller]
fn check(blueprint: &Blueprint, summary: &str, caveats: &[&str]) {
    let e = explain(blueprint, &config());
    assert_eq!(e.summary, summary);
    assert_eq!(e.caveats.len(), caveats.len(), "caveats: {:#?}", e.caveats);
    for (got, want) in e.caveats.iter().zip(caveats) {
        assert!(got.contains(want), "{got:?} does not say {want:?}");
    }
    // The text form is the summary, then one note per caveat.
    let text = e.to_string();
    assert!(text.starts_with(summary));
    assert_eq!(text.lines().count(), 1 + caveats.len());
}

// --- One test per trigger ------------------------------------------------------------

/// A workflow on the trigger's own entity that adds a timeline comment.
fn on(trigger: &str) -> Blueprint {
    let info = b24flow::catalog::trigger(trigger).expect("a catalog trigger");
    Blueprint {
        name: trigger.into(),
        entity: info.entity.id().into(),
        trigger: Trigger::new(trigger),
        conditions: vec![],
        actions: vec![action("add_comment", &[("message", "Hi")])],
    }
}

const ONCE: &str = "It runs once each time";
// Task, activity and calendar events are carried out by the event runner; it comments
// only on the CRM record an activity belongs to.
const RUNNER: &str = "b24flow's event runner carries it out";
const NO_COMMENT: &str =
    "`add_comment` is not available in a workflow b24flow runs from task events";

macro_rules! trigger_tests {
    ($($id:ident: $summary:expr, [$($caveat:expr),*];)*) => {
        $(
            #[test]
            fn $id() {
                check(&on(stringify!($id)), $summary, &[$($caveat),*]);
            }
        )*
        const TRIGGERS_TESTED: &[&str] = &[$(stringify!($id)),*];
    };
}

mod trigger {
    use super::*;

    trigger_tests! {
        deal_won: "When a deal becomes won, add the comment 'Hi' to the deal's timeline.",
            ["It runs once each time the deal becomes won: b24flow keeps a marker field on the deal for this workflow (apply creates it), so later edits fire nothing and leaving the state and entering it again fires again. A deal already in the state when the workflow is installed fires on its next edit"];
        deal_lost: "When a deal becomes lost, add the comment 'Hi' to the deal's timeline.",
            ["It runs once each time the deal becomes lost"];
        deal_created: "When a deal is created, add the comment 'Hi' to the deal's timeline.", [];
        deal_updated: "When any field of a deal changes (each time), add the comment 'Hi' to the deal's timeline.", [];
        stage_changed: "When a deal moves to another stage, add the comment 'Hi' to the deal's timeline.",
            ["the first stage move after install of a deal that predates the workflow is recorded, not acted on"];
        lead_created: "When a lead is created, add the comment 'Hi' to the lead's timeline.", [];
        lead_converted: "When a lead is converted, add the comment 'Hi' to the lead's timeline.",
            ["It runs once each time the lead is converted (through the converter, the form or the REST API)"];
        lead_updated: "When any field of a lead changes (each time), add the comment 'Hi' to the lead's timeline.", [];
        contact_created: "When a contact is created, add the comment 'Hi' to the contact's timeline.", [];
        contact_updated: "When any field of a contact changes (each time), add the comment 'Hi' to the contact's timeline.", [];
        company_created: "When a company is created, add the comment 'Hi' to the company's timeline.", [];
        company_updated: "When any field of a company changes (each time), add the comment 'Hi' to the company's timeline.", [];
        task_created: "When a task is created, add the comment 'Hi' to the task's timeline.",
            [RUNNER, NO_COMMENT];
        task_completed: "When a task is completed, add the comment 'Hi' to the task's timeline.",
            [RUNNER, NO_COMMENT];
        task_overdue: "When a task is past its deadline, add the comment 'Hi' to the task's timeline.",
            [RUNNER, NO_COMMENT];
        invoice_overdue: "When an invoice is still unpaid the day after its payment date, add the comment 'Hi' to the invoice's timeline.",
            ["Before each wait it reads the payment date again, so a date moved later is followed. Paid and refused are read from the invoice's stage"];
        invoice_paid: "When an invoice is paid, add the comment 'Hi' to the invoice's timeline.",
            ["It runs once each time the invoice becomes paid. Paid is read from the invoice's stage"];
        quote_created: "When a quote is created, add the comment 'Hi' to the quote's timeline.", [];
        quote_approved: "When a quote is approved, add the comment 'Hi' to the quote's timeline.",
            ["It runs once each time the quote becomes approved"];
        meeting_scheduled: "When a meeting is scheduled, add the comment 'Hi' to the deal's timeline.",
            [RUNNER, "`add_comment` is not available in a workflow b24flow runs from"];
        activity_added: "When a note or activity is logged, add the comment 'Hi' to the deal's timeline.",
            [RUNNER];
    }

    #[test]
    fn every_catalog_trigger_has_a_test() {
        let tested: BTreeSet<&str> = TRIGGERS_TESTED.iter().copied().collect();
        let catalog: BTreeSet<&str> = TRIGGERS.iter().map(|t| t.id).collect();
        assert_eq!(tested, catalog);
    }

    #[test]
    fn a_stage_and_conditions_read_in_the_sentence() {
        let mut b = on("stage_changed");
        b.trigger
            .params
            .insert("stage".into(), "C2:PREPARATION".into());
        b.conditions = vec![
            Condition {
                field: "OPPORTUNITY".into(),
                operator: ">".into(),
                value: "20000".into(),
            },
            Condition {
                field: "SOURCE_ID".into(),
                operator: "=".into(),
                value: "WEB".into(),
            },
        ];
        check(
            &b,
            "When a deal moves to the stage C2:PREPARATION (only for deals over 20,000 and whose source is 'WEB'), add the comment 'Hi' to the deal's timeline.",
            &[ONCE],
        );
        let e = explain(&b, &config());
        assert_eq!(
            e.conditions,
            ["deals over 20,000", "deals whose source is 'WEB'"]
        );
    }
}

// --- One test per action -------------------------------------------------------------

/// A deal workflow that runs `actions` when a deal is created.
fn deal(actions: Vec<Action>) -> Blueprint {
    Blueprint {
        name: "New deal".into(),
        entity: "CRM_DEAL".into(),
        trigger: Trigger::new("deal_created"),
        conditions: vec![],
        actions,
    }
}

const CHAINING: &str = "do not start other workflows";

macro_rules! action_tests {
    ($($id:ident: [$($field:expr => $value:expr),*] => $summary:expr, [$($caveat:expr),*];)*) => {
        $(
            #[test]
            fn $id() {
                let b = deal(vec![action(stringify!($id), &[$(($field, $value)),*])]);
                check(&b, $summary, &[$($caveat),*]);
            }
        )*
        const ACTIONS_TESTED: &[&str] = &[$(stringify!($id)),*];
    };
}

mod action {
    use super::*;

    action_tests! {
        send_whatsapp: ["to" => "{{CONTACT_PHONE}}", "message" => "Congratulations! Your deal {{DEAL_TITLE}} has been confirmed, and we will call"]
            => "When a deal is created, send a WhatsApp message to the deal's client: 'Congratulations! Your deal [the deal's title] has been confirmed, and…'.",
            ["it reaches only clients who have written to the company through an Open Channel (WhatsApp or another connector) first"];
        send_email: ["to" => "{{CONTACT_EMAIL}}", "subject" => "Your offer", "body" => "Dear {{CONTACT_NAME}}", "template_id" => "7"]
            => "When a deal is created, send an e-mail to the deal's client with the subject 'Your offer'.",
            ["The e-mail template (template_id) is refused"];
        send_sms: ["to" => "sales team", "message" => "New deal"]
            => "When a deal is created, send an SMS to the sales team (department 12): 'New deal'.",
            ["An SMS to several employees reaches only the first of them"];
        send_notification: ["to" => "the Sales Team, user_3", "message" => "Deal won: {{DEAL_TITLE}}"]
            => "When a deal is created, notify the Sales Team (department 12) and user 3: 'Deal won: [the deal's title]'.",
            [];
        send_bitrix_message: ["to" => "{{ASSIGNED_BY_ID}}", "message" => "Check the deal"]
            => "When a deal is created, send a chat message to the deal's responsible person: 'Check the deal'.",
            [];
        create_task: ["title" => "Send the contract", "assignee" => "{{ASSIGNED_BY_ID}}", "deadline" => "+3d", "priority" => "high", "description" => "x"]
            => "When a deal is created, create the task 'Send the contract' for the deal's responsible person, due in 3 days, high priority.",
            [];
        update_task: ["field" => "STATUS", "value" => "5"]
            => "When a deal is created, set the task's field STATUS to '5'.",
            ["The update_task step cannot be built"];
        set_reminder: ["title" => "Call back", "assignee" => "user_5", "datetime" => "2026-01-31 10:00"]
            => "When a deal is created, add a to-do 'Call back' for user 5, due on 2026-01-31 10:00.",
            ["The fixed date 2026-01-31 10:00 may be misread: Bitrix24 reads dates in the portal's own format"];
        schedule_call: ["to" => "{{CONTACT_PHONE}}", "assignee" => "author", "datetime" => "+1d"]
            => "When a deal is created, schedule a call with the deal's client for the deal's responsible person in 1 day.",
            [];
        create_deal: ["title" => "Renewal", "assignee" => "user_2", "stage" => "C2:NEW"]
            => "When a deal is created, create a deal 'Renewal' for user 2 in the stage C2:NEW.",
            [CHAINING];
        update_deal: ["field" => "OPPORTUNITY", "value" => "5000"]
            => "When a deal is created, set the deal's amount to 5,000.",
            [CHAINING];
        create_contact: ["title" => "John Smith"]
            => "When a deal is created, create a contact 'John Smith'.",
            [CHAINING];
        create_company: ["title" => "Acme"]
            => "When a deal is created, create a company 'Acme'.",
            [CHAINING];
        create_invoice: ["title" => "Invoice for {{DEAL_TITLE}}"]
            => "When a deal is created, create an invoice 'Invoice for [the deal's title]'.",
            [CHAINING];
        create_quote: ["title" => "Quote", "assignee" => "user_7"]
            => "When a deal is created, create a quote 'Quote' for user 7.",
            [CHAINING];
        assign_responsible: ["assignee" => "group_dr4"]
            => "When a deal is created, make department 4 and its sub-departments responsible for the deal.",
            [CHAINING];
        move_stage: ["stage" => "WON"]
            => "When a deal is created, move the deal to the stage WON.",
            [CHAINING];
        update_field: ["field" => "UF_CRM_SOURCE", "value" => "web"]
            => "When a deal is created, set the deal's field UF_CRM_SOURCE to 'web'.",
            ["The custom field UF_CRM_SOURCE must already exist on the portal", CHAINING];
        add_comment: ["message" => "Won [#42] \"big\""]
            => "When a deal is created, add the comment 'Won [#42] \"big\"' to the deal's timeline.",
            [];
        add_tag: ["tag" => "vip"]
            => "When a deal is created, tag the deal 'vip'.",
            ["The add_tag step cannot be built"];
        remove_tag: ["tag" => "vip"]
            => "When a deal is created, remove the tag 'vip' from the deal.",
            ["The remove_tag step cannot be built"];
        webhook: ["url" => "https://hooks.example.com/won", "method" => "GET", "message" => "hello"]
            => "When a deal is created, call https://hooks.example.com/won.",
            ["Bitrix24 sends only the deal's id to https://hooks.example.com/won", "Method GET is refused", "The note 'hello' is not sent"];
    }

    #[test]
    fn every_catalog_action_has_a_test() {
        let tested: BTreeSet<&str> = ACTIONS_TESTED.iter().copied().collect();
        let catalog: BTreeSet<&str> = ACTIONS.iter().map(|a| a.id).collect();
        assert_eq!(tested, catalog);
    }

    #[test]
    fn steps_join_with_then_and_move_stage_runs_last() {
        let b = deal(vec![
            action("move_stage", &[("stage", "WON")]),
            action(
                "send_whatsapp",
                &[("to", "{{CONTACT_PHONE}}"), ("message", "Congratulations!")],
            ),
            action(
                "create_task",
                &[
                    ("title", "Send the contract"),
                    ("assignee", "{{ASSIGNED_BY_ID}}"),
                ],
            ),
        ]);
        check(
            &b,
            "When a deal is created, send a WhatsApp message to the deal's client: 'Congratulations!', then create the task 'Send the contract' for the deal's responsible person, then move the deal to the stage WON.",
            &[
                "Open Channel",
                "Moving the deal to another stage ends the workflow, so that step runs last",
                CHAINING,
            ],
        );
    }

    #[test]
    fn an_sms_to_the_client_on_an_invoice_call() {
        let mut b = on("invoice_overdue");
        b.actions = vec![
            action(
                "send_sms",
                &[("to", "{{CONTACT_PHONE}}"), ("message", "Please pay")],
            ),
            action(
                "schedule_call",
                &[("to", "{{CONTACT_PHONE}}"), ("assignee", "user_1")],
            ),
        ];
        check(
            &b,
            "When an invoice is still unpaid the day after its payment date, send an SMS to the invoice's client: 'Please pay', then schedule a call with the invoice's client for user 1.",
            &[
                "a date moved later is followed",
                "the call is most likely not created",
            ],
        );
    }
}

// --- Changes on the repository's own workflows ---------------------------------------

fn repo_blueprint(id: &str) -> Blueprint {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("workflows/{id}.lock.yaml"));
    Lockfile::read(&path)
        .unwrap_or_else(|e| panic!("{id}: {e}"))
        .lockfile
        .blueprint
}

fn repo_config() -> Config {
    Config::load(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("the repository's config")
}

/// Each repository workflow edited in one way; the change list names the edit.
#[test]
fn changes_name_each_kind_of_edit_on_the_repository_workflows() {
    let config = repo_config();
    let said = |old: &Blueprint, new: &Blueprint| -> Vec<(String, Option<Node>)> {
        changes(old, new, &config)
            .into_iter()
            .map(|c| (c.text, c.node))
            .collect()
    };

    // The message text.
    let old = repo_blueprint("deal-won");
    let mut new = old.clone();
    new.actions[0]
        .fields
        .insert("message".into(), "Thank you! The contract follows.".into());
    assert_eq!(
        said(&old, &new),
        [(
            "The WhatsApp message now says 'Thank you! The contract follows.'".into(),
            Some(Node::Action(0))
        )]
    );

    // A new action.
    let old = repo_blueprint("deal-lost");
    let mut new = old.clone();
    new.actions.push(action(
        "send_email",
        &[
            ("to", "{{CONTACT_EMAIL}}"),
            ("subject", "Sorry to see you go"),
            ("body", "…"),
        ],
    ));
    assert_eq!(
        said(&old, &new),
        [(
            "Also sends an e-mail to the deal's client with the subject 'Sorry to see you go'."
                .into(),
            Some(Node::Action(2))
        )]
    );

    // A new condition.
    let old = repo_blueprint("invoice-overdue");
    let mut new = old.clone();
    new.conditions.push(Condition {
        field: "OPPORTUNITY".into(),
        operator: ">=".into(),
        value: "20000".into(),
    });
    assert_eq!(
        said(&old, &new),
        [(
            "Now only for invoices of at least 20,000.".into(),
            Some(Node::Conditions)
        )]
    );

    // A removed action: the repository's deal-lost without its notification.
    let old = repo_blueprint("deal-lost");
    let mut new = old.clone();
    new.actions.remove(0);
    assert_eq!(
        said(&old, &new),
        [(
            "No longer notifies the sales team (department 1 and its sub-departments): 'Deal lost: [the deal's title]'.".into(),
            None
        )]
    );

    // A changed trigger.
    let old = repo_blueprint("lead-follow-up");
    let mut new = old.clone();
    new.trigger = Trigger::new("lead_converted");
    assert_eq!(
        said(&old, &new),
        [(
            "Now starts when a lead is converted instead of when a lead is created.".into(),
            Some(Node::Trigger)
        )]
    );
    // The repository's lead-converted workflow, unchanged, has no changes.
    let same = repo_blueprint("lead-converted");
    assert!(said(&same, &same).is_empty());
}

#[test]
fn field_edits_inside_a_step_each_get_a_sentence() {
    let old = deal(vec![action(
        "create_task",
        &[
            ("title", "Call"),
            ("assignee", "{{ASSIGNED_BY_ID}}"),
            ("deadline", "+1d"),
        ],
    )]);
    let new = deal(vec![action(
        "create_task",
        &[
            ("title", "Call back"),
            ("assignee", "sales team"),
            ("priority", "high"),
        ],
    )]);
    let texts: Vec<String> = changes(&old, &new, &config())
        .into_iter()
        .map(|c| c.text)
        .collect();
    assert_eq!(
        texts,
        [
            "The task 'Call' is now called 'Call back'.",
            "The task 'Call' now goes to the sales team (department 12) instead of the deal's responsible person.",
            "The task 'Call' no longer has a due date.",
            "The task 'Call' now has high priority.",
        ]
    );
}

// --- The commands --------------------------------------------------------------------

/// A project with the repository's config and one of its workflows.
fn project_with(id: &str) -> TestEnv {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let env = TestEnv::new();
    env.write(
        "b24flow.toml",
        std::fs::read(root.join("b24flow.toml")).unwrap(),
    );
    for ext in [".txt", ".lock.yaml"] {
        let rel = format!("workflows/{id}{ext}");
        env.write(&rel, std::fs::read(root.join(&rel)).unwrap());
    }
    env
}

#[test]
fn explain_prints_the_sentence_and_json() {
    let env = project_with("deal-lost");
    let text = env.run(&["explain", "deal-lost"]).success().stdout();
    assert!(
        text.starts_with(
            "When a deal becomes lost, notify the sales team (department 1 and its sub-departments): 'Deal lost: [the deal's title]', then create the task 'Review lost deal reasons' for the deal's responsible person.\nNote: It runs once each time the deal becomes lost:"
        ),
        "{text}"
    );
    let json = env
        .run(&["explain", "deal-lost", "--json"])
        .success()
        .json();
    crate::schema::assert_matches("explain.schema.json", &json);
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["id"], "deal-lost");
    assert_eq!(json["explanation"]["trigger"], "a deal becomes lost");
    assert_eq!(json["explanation"]["steps"].as_array().unwrap().len(), 2);

    let missing = env.run(&["explain", "nope"]).expect_code(1);
    assert!(
        missing.stderr().contains("no lockfile for workflow `nope`"),
        "{}",
        missing.stderr()
    );
}

#[test]
fn a_switched_off_workflow_says_so_first() {
    let env = project_with("deal-won");
    let path = env.path("workflows/deal-won.lock.yaml");
    let mut lock = Lockfile::read(&path).unwrap().lockfile;
    lock.options.enabled = false;
    env.write(
        "workflows/deal-won.lock.yaml",
        lock.to_yaml("../schema/lockfile.schema.json"),
    );
    let text = env.run(&["explain", "deal-won"]).success().stdout();
    let notes: Vec<&str> = text.lines().skip(1).collect();
    assert!(
        notes[0].starts_with("Note: This workflow is switched off (options.enabled: false"),
        "{text}"
    );
    assert_eq!(notes.len(), 3, "{text}");
    let show = env.run(&["show", "deal-won"]).success().stdout();
    assert!(
        show.contains("Note: This workflow is switched off"),
        "{show}"
    );
}

#[test]
fn show_starts_with_the_explanation_and_draws_mermaid() {
    let env = project_with("deal-won");
    let text = env.run(&["show", "deal-won"]).success().stdout();
    assert!(
        text.starts_with("When a deal becomes won, send a WhatsApp"),
        "{text}"
    );
    assert!(text.contains("SequentialWorkflowActivity"), "{text}");
    let chart = env
        .run(&["show", "deal-won", "--format", "mermaid"])
        .success()
        .stdout();
    assert_eq!(
        chart,
        "flowchart TD\n    \
         trigger([\"When a deal becomes won\"])\n    \
         guard{\"Has the deal just become won (won, and not yet marked)?\"}\n    \
         action1[\"Send a WhatsApp message to the deal's client: 'Congratulations! Your deal has been confirmed.'\"]\n    \
         skip([\"Stop: nothing is done\"])\n    \
         trigger --> guard\n    \
         guard -->|no| skip\n    \
         guard -->|yes| action1\n"
    );
    env.run(&["show", "deal-won", "--format", "mermaid", "--json"])
        .expect_code(2);
}

// --- Mermaid's own parser ------------------------------------------------------------

/// The folder where .ci/run installs Mermaid and jsdom from the npm registry.
fn mermaid_checker() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mermaid");
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let installed = dir.join("node_modules/mermaid/package.json").is_file()
        && dir.join("node_modules/jsdom/package.json").is_file();
    if node && installed {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "node and tests/mermaid/node_modules are required in CI; .ci/run installs them"
    );
    eprintln!("skipped: node or tests/mermaid/node_modules is missing (npm ci in tests/mermaid)");
    None
}

/// Runs Mermaid's parser over `charts`; one result line per chart.
fn parse_with_mermaid(dir: &Path, charts: &[String]) -> (bool, Vec<String>) {
    use std::io::Write;
    let mut child = Command::new("node")
        .arg("check.mjs")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let input = serde_json::to_vec(charts).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        lines.len(),
        charts.len(),
        "one line per chart\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), lines)
}

#[test]
fn every_diagram_parses_with_mermaids_own_parser() {
    let Some(dir) = mermaid_checker() else {
        return;
    };
    let config = config();
    let mut charts: Vec<(String, String)> = Vec::new();

    // Every corpus spec that parses.
    let corpus = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/offline.yaml"),
    )
    .unwrap();
    let entries: Vec<serde_json::Value> = serde_saphyr::from_str(&corpus).unwrap();
    for entry in &entries {
        let text = entry["text"].as_str().unwrap();
        if let Outcome::Ok { workflow } = offline::parse(text) {
            charts.push((
                text.to_owned(),
                mermaid(&workflow, &config, &BTreeSet::new()),
            ));
        }
    }
    assert!(
        charts.len() > 100,
        "the corpus has {} parsing specs",
        charts.len()
    );

    // One workflow per trigger, every action at once, with every node marked.
    for t in TRIGGERS {
        let mut b = deal(vec![action("add_comment", &[("message", "Hi")])]);
        b.entity = t.entity.id().into();
        b.trigger = Trigger::new(t.id);
        charts.push((t.id.to_owned(), mermaid(&b, &config, &BTreeSet::new())));
    }
    let mut all = deal(
        ACTIONS
            .iter()
            .map(|a| {
                let fields: Vec<(&str, &str)> = a
                    .fields
                    .iter()
                    .map(|f| {
                        (
                            f.name,
                            "x \"y\" [z] {w} #1 <b> (c) |d| `e` 50% ; \\ end\nnext",
                        )
                    })
                    .collect();
                action(a.id, &fields)
            })
            .collect(),
    );
    all.conditions.push(Condition {
        field: "TITLE".into(),
        operator: "contain".into(),
        value: "]) --> x{\"".into(),
    });
    let every: BTreeSet<Node> = [Node::Trigger, Node::Guard, Node::Conditions]
        .into_iter()
        .chain((0..all.actions.len()).map(Node::Action))
        .collect();
    charts.push(("every action".into(), mermaid(&all, &config, &every)));

    let texts: Vec<String> = charts.iter().map(|(_, c)| c.clone()).collect();
    let (ok, lines) = parse_with_mermaid(&dir, &texts);
    let failures: Vec<String> = charts
        .iter()
        .zip(&lines)
        .filter(|(_, line)| !line.starts_with("ok flowchart"))
        .map(|((name, chart), line)| format!("{name}: {line}\n{chart}"))
        .collect();
    assert!(ok && failures.is_empty(), "{}", failures.join("\n\n"));

    // The checker itself rejects a broken chart, so a pass above means something.
    let (ok, lines) =
        parse_with_mermaid(&dir, &["flowchart TD\n    a[\"x\"] --> b[y(z)]\n".into()]);
    assert!(!ok && lines[0].starts_with("error"), "{lines:?}");
}
