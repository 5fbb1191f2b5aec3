//! `b24flow test` and `b24flow simulate` on a copy of the repository's own workflows:
//! the committed test files pass, a wrong expectation fails side by side, bad test
//! files get diagnostics at file and line, the JUnit report parses, and a simulation
//! shows what a change does.

use std::path::Path;

use serde_json::Value;

use crate::support::TestEnv;

/// A project with the repository's `b24flow.toml` and `workflows/` (specs, lockfiles,
/// test files).
fn repo_copy() -> TestEnv {
    let env = TestEnv::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    env.write(
        "b24flow.toml",
        std::fs::read(root.join("b24flow.toml")).unwrap(),
    );
    for entry in std::fs::read_dir(root.join("workflows")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        env.write(&format!("workflows/{name}"), std::fs::read(&path).unwrap());
    }
    env
}

#[test]
fn the_repository_test_files_pass() {
    let env = repo_copy();
    let run = env.run(&["test"]).success();
    let out = run.stdout();
    assert!(
        out.contains("test deal-won :: a won deal gets one WhatsApp message ... ok"),
        "{out}"
    );
    assert!(
        out.contains("test invoice-overdue :: a paid invoice never gets the overdue e-mail ... ok"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("15 passed, 0 failed"), "{out}");
    // Nothing of the test portal lands in the project.
    assert!(!env.exists(".b24flow/portal.json"));
}

#[test]
fn a_wrong_expectation_fails_side_by_side() {
    let env = repo_copy();
    let text = env.read("workflows/deal-won.test.yaml").replacen(
        "{action: send_whatsapp, to: client, text_contains: confirmed}",
        "{action: send_whatsapp, to: client, text_contains: cancelled}",
        1,
    );
    env.write("workflows/deal-won.test.yaml", text);
    let run = env.run(&["test", "deal-won"]).expect_code(1);
    let out = run.stdout();
    assert!(
        out.contains("test deal-won :: a won deal gets one WhatsApp message ... FAILED"),
        "{out}"
    );
    assert!(
        out.contains("effect 1: text does not contain `cancelled`"),
        "{out}"
    );
    assert!(
        out.contains("✗ send_whatsapp to client text contains \"cancelled\" | send_whatsapp to client (Ivy Client) text \"Congratulations! Your deal has been confirmed.\""),
        "{out}"
    );
    assert!(out.trim_end().ends_with("4 passed, 1 failed"), "{out}");
}

#[test]
fn json_report_matches_its_schema() {
    let env = repo_copy();
    let run = env.run(&["test", "--format", "json"]).success();
    let doc = run.json();
    crate::schema::assert_matches("test-report.schema.json", &doc);
    assert_eq!(doc["passed"], 15);
    let won = &doc["files"][1];
    assert_eq!(won["workflow"], "deal-won");
    assert_eq!(won["cases"][0]["actual"][0]["action"], "send_whatsapp");
    assert_eq!(won["cases"][0]["actual"][0]["to"][0]["role"], "client");
}

#[test]
fn junit_report_is_valid_xml() {
    let env = repo_copy();
    let text = env.read("workflows/deal-lost.test.yaml").replacen(
        "title: Review lost deal reasons",
        "title: \"Review <lost> & gone\"",
        1,
    );
    env.write("workflows/deal-lost.test.yaml", text);
    let run = env.run(&["test", "--format", "junit"]).expect_code(1);
    let xml = run.stdout();
    env.write("report.xml", &xml);
    // A real XML parser reads it, and finds the suites, the cases and the failure; the
    // attributes are those the strictest common schema (Jenkins' junit-10.xsd) allows
    // and requires.
    let check = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, xml.etree.ElementTree as ET\n\
             root = ET.parse(sys.argv[1]).getroot()\n\
             assert root.tag == 'testsuites', root.tag\n\
             assert set(root.attrib) <= {'name', 'time', 'tests', 'failures', 'errors'}, root.attrib\n\
             suites = root.findall('testsuite')\n\
             assert all({'name', 'tests', 'failures', 'errors'} <= set(s.attrib) for s in suites)\n\
             assert all('name' in c.attrib for c in root.iter('testcase'))\n\
             cases = root.iter('testcase')\n\
             print(len(suites), sum(1 for _ in cases), len(list(root.iter('failure'))), len(list(root.iter('skipped'))))\n\
             print([f.get('message') for f in root.iter('failure')][0])",
        )
        .arg(env.path("report.xml"))
        .output()
        .expect("python3 runs");
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&check.stderr)
    );
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("5 15 1 0"), "{xml}");
    assert_eq!(
        lines.next(),
        Some("effect 2: title is not `Review <lost> & gone`")
    );
}

#[test]
fn the_invoice_case_passes_only_after_the_wait() {
    let env = repo_copy();
    let run = env.run(&["test", "invoice-overdue"]).success();
    assert!(run.stdout().contains("only after its payment date ... ok"));
    let text = env
        .read("workflows/invoice-overdue.test.yaml")
        .replacen("    - wait: 2d\n", "", 1);
    env.write("workflows/invoice-overdue.test.yaml", text);
    let run = env.run(&["test", "invoice-overdue"]).expect_code(1);
    let out = run.stdout();
    assert!(
        out.contains("only after its payment date ... FAILED"),
        "{out}"
    );
    assert!(
        out.contains("expected 1 effect(s), the workflows had 0"),
        "{out}"
    );
}

#[test]
fn bad_test_files_get_diagnostics_at_file_and_line_and_the_others_still_run() {
    let env = repo_copy();
    let head = "# yaml-language-server: $schema=../schema/test-file.schema.json\n";
    let cases = [
        (
            "deal-won",
            "- name: x\n  record: {STAGE_ID: NEW}\n  colour: red\n  expect: []\n",
            "`colour`",
            "deal-won.test.yaml:4:",
        ),
        (
            "deal-lost",
            "- name: x\n  events: 5\n  expect: []\n",
            "expected sequence",
            "deal-lost.test.yaml:3:",
        ),
        (
            "lead-converted",
            "- name: x\n  events: [{change: {STATUS_ID: CONVERTED}}]\n  expect:\n    - {action: send_pigeon}\n",
            "`send_pigeon` is not an",
            "lead-converted.test.yaml:5:",
        ),
        (
            "lead-follow-up",
            "- name: x\n  record: {STAGE_ID: NEW}\n  expect: []\n",
            "a lead has no field",
            "lead-follow-up.test.yaml:3:",
        ),
    ];
    for (id, body, _, _) in &cases {
        env.write(
            &format!("workflows/{id}.test.yaml"),
            format!("{head}{body}"),
        );
    }
    env.write(
        "workflows/invoice-overdue.test.yaml",
        format!(
            "{head}- name: x\n  events: [{{wait: 2d}}]\n  expect:\n    - {{action: send_email, to: accounts}}\n"
        ),
    );
    let run = env.run(&["test"]).expect_code(1);
    let err = run.stderr();
    for (_, _, message, place) in &cases {
        assert!(err.contains(message), "{message}\n{err}");
        assert!(err.contains(place), "{place}\n{err}");
    }
    assert!(err.contains("no one called `accounts`"), "{err}");
    assert!(err.contains("invoice-overdue.test.yaml:5:"), "{err}");
    let out = run.stdout();
    assert!(
        out.contains("deal-won: workflows/deal-won.test.yaml does not load ... FAILED"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("0 passed, 5 failed"), "{out}");

    // One broken file does not stop the others.
    env.write(
        "workflows/deal-lost.test.yaml",
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows/deal-lost.test.yaml"))
            .unwrap(),
    );
    let run = env.run(&["test"]).expect_code(1);
    assert!(
        run.stdout().trim_end().ends_with("3 passed, 4 failed"),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_test_file_without_its_workflow_fails_compile_check_and_test() {
    let env = repo_copy();
    env.run(&["compile", "--check"]).success();
    env.write(
        "workflows/ghost.test.yaml",
        env.read("workflows/deal-won.test.yaml"),
    );
    let run = env.run(&["compile", "--check"]).expect_code(1);
    let err = run.stderr();
    assert!(
        err.contains("workflows/ghost.test.yaml tests a workflow that does not exist"),
        "{err}"
    );
    // Compiling would not fix it, and the summary does not say it would.
    assert!(
        err.contains("1 file(s) without a spec to rename or delete")
            && !err.contains("need `b24flow compile`"),
        "{err}"
    );
    let run = env.run(&["test"]).expect_code(1);
    assert!(
        run.stderr()
            .contains("workflows/ghost.test.yaml tests the workflow `ghost`, which has no spec"),
        "{}",
        run.stderr()
    );
    // The other files still ran.
    assert!(
        run.stdout().contains("15 passed, 0 failed"),
        "{}",
        run.stdout()
    );
}

#[test]
fn init_writes_a_starter_that_passes() {
    let env = repo_copy();
    std::fs::remove_file(env.path("workflows/lead-follow-up.test.yaml")).unwrap();
    let run = env.run(&["test"]).success();
    assert!(run.stdout().contains("lead-follow-up: no test file"));
    env.run(&["test", "--init", "lead-follow-up"]).success();
    let text = env.read("workflows/lead-follow-up.test.yaml");
    assert!(
        text.starts_with("# yaml-language-server: $schema=../schema/test-file.schema.json\n"),
        "{text}"
    );
    let run = env.run(&["test", "lead-follow-up"]).success();
    assert!(
        run.stdout().trim_end().ends_with("2 passed, 0 failed"),
        "{}",
        run.stdout()
    );
    env.run(&["test", "--init", "lead-follow-up"])
        .expect_code(1);
    // The overdue starter's invoice falls due on the portal's clock and fires after
    // its wait.
    std::fs::remove_file(env.path("workflows/invoice-overdue.test.yaml")).unwrap();
    env.run(&["test", "--init", "invoice-overdue"]).success();
    let run = env.run(&["test", "invoice-overdue"]).success();
    assert!(
        run.stdout().trim_end().ends_with("2 passed, 0 failed"),
        "{}",
        run.stdout()
    );
}

#[test]
fn simulate_shows_one_whatsapp_to_the_client_on_a_win_and_none_on_a_rename() {
    let env = repo_copy();
    let effects = |change: &str| -> Vec<Value> {
        let run = env
            .run(&[
                "simulate",
                "deal-won",
                "--record",
                r#"{"STAGE_ID":"NEW"}"#,
                "--change",
                change,
                "--json",
            ])
            .success();
        let doc = run.json();
        doc["steps"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["effects"].as_array().unwrap().clone())
            .collect()
    };
    let won = effects("STAGE_ID=WON");
    assert_eq!(won.len(), 1, "{won:?}");
    assert_eq!(won[0]["action"], "send_whatsapp");
    assert_eq!(won[0]["to"][0]["role"], "client");
    assert_eq!(
        won[0]["text"],
        "Congratulations! Your deal has been confirmed."
    );
    assert!(effects("TITLE=x").is_empty());

    let run = env
        .run(&[
            "simulate",
            "deal-won",
            "--record",
            r#"{"STAGE_ID":"NEW"}"#,
            "--change",
            "TITLE=x",
        ])
        .success();
    let out = run.stdout();
    assert!(
        out.contains("failed Entered: STAGE_SEMANTIC_ID = S"),
        "{out}"
    );
}

#[test]
fn simulate_runs_a_spec_that_is_not_compiled() {
    let env = repo_copy();
    env.write(
        "draft.txt",
        "When a deal is won, send an email to the client",
    );
    let run = env
        .run(&[
            "simulate",
            "--spec",
            "draft.txt",
            "--record",
            r#"{"STAGE_ID":"NEW"}"#,
            "--change",
            "STAGE_ID=WON",
            "--json",
        ])
        .success();
    let doc = run.json();
    let actions: Vec<String> = doc["steps"][1]["effects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert!(actions.contains(&"send_email".to_owned()), "{doc:#}");
    assert!(actions.contains(&"send_whatsapp".to_owned()), "{doc:#}");
}
