//! Snapshot tests of people-facing output: `plan` (text and Markdown), `show`,
//! `compile` and the questions asked about a vague spec, run on this repository's own
//! five workflows against the built-in local portal.
//!
//! The snapshots (tests/it/snapshots/) pin the output as the README shows it, so a
//! refactor of the views is checked against them. Temporary paths, ports and times are
//! replaced by placeholders so the snapshots are stable on every machine. After an
//! intended change, review the new output and accept it with
//! `INSTA_UPDATE=always cargo test --test it snapshots::` (or `cargo insta review`).

use std::path::Path;

use crate::support::{Run, TestEnv};

/// The repository's project: its `b24flow.toml`, specs and lockfiles, in a temp dir.
fn repository_project() -> TestEnv {
    let env = TestEnv::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    env.write(
        "b24flow.toml",
        std::fs::read(repo.join("b24flow.toml")).unwrap(),
    );
    let mut names: Vec<_> = std::fs::read_dir(repo.join("workflows"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in names {
        let bytes = std::fs::read(repo.join("workflows").join(&name)).unwrap();
        env.write(&format!("workflows/{name}"), bytes);
    }
    env
}

/// What a person sees: the exit code, then stdout, then stderr.
fn screen(run: &Run) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        run.code(),
        run.stdout(),
        run.stderr()
    )
}

/// Asserts a snapshot with the placeholders for this run's temp dir, ports and times.
macro_rules! snapshot {
    ($env:expr, $name:expr, $text:expr) => {{
        let root = $env.root().display().to_string();
        let canonical = std::fs::canonicalize($env.root())
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| root.clone());
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_snapshot_path("snapshots");
        for path in [canonical, root] {
            settings.add_filter(&regex::escape(&path), "[PROJECT]");
        }
        settings.add_filter(r"(127\.0\.0\.1|localhost|\[::1\]):\d+", "$1:[PORT]");
        settings.add_filter(r"\b\d+(\.\d+)?\s?(ms|µs|s)\b", "[TIME]");
        settings.add_filter(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?",
            "[DATETIME]",
        );
        settings.bind(|| insta::assert_snapshot!($name, $text));
    }};
}

#[test]
fn plan_text_and_markdown_first_creates_then_one_update() {
    let env = repository_project();
    snapshot!(env, "plan_first_text", screen(&env.run(&["plan"])));
    snapshot!(
        env,
        "plan_first_markdown",
        screen(&env.run(&["plan", "--format", "markdown"]))
    );
    env.run(&["apply", "--auto-approve"]).success();
    env.write(
        "workflows/deal-won.txt",
        "When a deal is won, send a WhatsApp message to the client and notify the manager\n",
    );
    env.run(&["compile"]).success();
    snapshot!(env, "plan_update_text", screen(&env.run(&["plan"])));
    snapshot!(
        env,
        "plan_update_markdown",
        screen(&env.run(&["plan", "--format", "markdown"]))
    );
    snapshot!(
        env,
        "plan_update_detailed_exitcode",
        screen(&env.run(&["plan", "--detailed-exitcode"]))
    );
}

#[test]
fn show_of_every_workflow() {
    let env = repository_project();
    let mut all = String::new();
    for id in [
        "deal-lost",
        "deal-won",
        "invoice-overdue",
        "lead-converted",
        "lead-follow-up",
    ] {
        all.push_str("=== show ");
        all.push_str(id);
        all.push('\n');
        all.push_str(&screen(&env.run(&["show", id])));
        all.push('\n');
    }
    snapshot!(env, "show", all);
}

#[test]
fn compile_from_scratch_then_up_to_date() {
    let env = repository_project();
    for entry in std::fs::read_dir(env.path("workflows")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".lock.yaml") {
            std::fs::remove_file(path).unwrap();
        }
    }
    snapshot!(env, "compile_from_scratch", screen(&env.run(&["compile"])));
    snapshot!(env, "compile_up_to_date", screen(&env.run(&["compile"])));
    snapshot!(
        env,
        "compile_check",
        screen(&env.run(&["compile", "--check"]))
    );
}

#[test]
fn vague_spec_questions() {
    let env = repository_project();
    let vague = "Do something with deals sometimes";
    snapshot!(env, "parse_vague", screen(&env.run(&["parse", vague])));
    snapshot!(
        env,
        "parse_vague_json",
        screen(&env.run(&["parse", "--json", vague]))
    );
    env.write("workflows/vague.txt", format!("{vague}\n"));
    snapshot!(env, "compile_vague", screen(&env.run(&["compile"])));
}

/// Edits one workflow's lockfile blueprint the way a recompiled spec would change it
/// (the spec itself is left alone, so the lockfile stays fresh).
fn edit_blueprint(env: &TestEnv, id: &str, edit: impl FnOnce(&mut b24flow::blueprint::Blueprint)) {
    use b24flow::lockfile::{self, Lockfile};
    let path = env.path(&format!("workflows/{id}.lock.yaml"));
    let mut lock = Lockfile::read(&path).unwrap().lockfile;
    edit(&mut lock.blueprint);
    lock.blueprint_sha256 = lockfile::blueprint_sha256(&lock.blueprint);
    lock.template_sha256 = None;
    lock.write(&path, "../schema/lockfile.schema.json").unwrap();
}

#[test]
fn plan_markdown_says_each_kind_of_change_in_words() {
    use b24flow::blueprint::{Action, Condition, Trigger};
    let env = repository_project();
    env.run(&["apply", "--auto-approve"]).success();
    // The pull request's base: the project as it was applied.
    let base = tempfile::tempdir().unwrap();
    std::fs::create_dir(base.path().join("workflows")).unwrap();
    for entry in std::fs::read_dir(env.path("workflows")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            base.path()
                .join("workflows")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }

    edit_blueprint(&env, "deal-won", |b| {
        b.actions[0].fields.insert(
            "message".into(),
            "Congratulations! The contract is on its way.".into(),
        );
    });
    edit_blueprint(&env, "lead-converted", |b| {
        b.actions.push(Action::new(
            "create_task",
            [
                ("title", "Call the new client".to_owned()),
                ("assignee", "{{ASSIGNED_BY_ID}}".to_owned()),
            ],
        ));
    });
    edit_blueprint(&env, "invoice-overdue", |b| {
        b.conditions.push(Condition {
            field: "OPPORTUNITY".into(),
            operator: ">".into(),
            value: "20000".into(),
        });
    });
    edit_blueprint(&env, "deal-lost", |b| {
        b.actions.pop();
    });
    edit_blueprint(&env, "lead-follow-up", |b| {
        b.trigger = Trigger::new("lead_converted");
    });

    let run = env.run(&[
        "plan",
        "--format",
        "markdown",
        "--base",
        base.path().to_str().unwrap(),
    ]);
    let md = run.stdout();
    assert!(
        md.starts_with("### b24flow plan for `local`: 0 to add, 5 to change, 0 to destroy"),
        "{md}"
    );
    for words in [
        "now says",
        "Also creates the task",
        "Now only for",
        "No longer creates the task",
        "Now starts when",
    ] {
        assert!(md.contains(words), "{words:?} missing from:\n{md}");
    }
    snapshot!(env, "plan_five_edits_markdown", screen(&run));
}

/// The pull-request comment with `b24flow test`'s results: a passing run is one
/// headline; a failing one lists each failure with its effects side by side, and the
/// workflow sections follow it.
#[test]
fn plan_markdown_with_the_behaviour_test_results() {
    let env = repository_project();
    let tests = env.run(&["test", "--format", "json"]).success();
    env.write("results.json", tests.stdout());
    let run = env.run(&["plan", "--format", "markdown", "--tests", "results.json"]);
    let md = run.success().stdout();
    assert!(
        md.contains("#### Behaviour tests: ✅ 15 passed\n\n`b24flow test` ran 15 case(s) from 5 test file(s) on a fresh local portal: **15 passed, 0 failed**."),
        "{md}"
    );
    // The results come before the workflows' sections.
    assert!(md.find("Behaviour tests") < md.find("#### ➕ create `deal-lost`"));

    // After apply there is nothing to plan; the section is the comment's body.
    env.run(&["apply", "--auto-approve"]).success();
    let text = env.read("workflows/deal-won.test.yaml").replacen(
        "{action: send_whatsapp, to: client, text_contains: confirmed}",
        "{action: send_whatsapp, to: client, text_contains: \"<b>cancelled</b> | [x](y)\"}",
        1,
    );
    env.write("workflows/deal-won.test.yaml", text);
    let tests = env.run(&["test", "--format", "json"]).expect_code(1);
    env.write("results.json", tests.stdout());
    let run = env.run(&["plan", "--format", "markdown", "--tests", "results.json"]);
    let md = run.stdout();
    assert!(!md.contains("<b>") && !md.contains("[x](y)"), "{md}");
    snapshot!(env, "plan_markdown_test_failures", screen(&run));

    // Only the Markdown plan takes the results.
    let run = env.run(&["plan", "--tests", "results.json"]).expect_code(1);
    assert!(
        run.stderr().contains("--format markdown"),
        "{}",
        run.stderr()
    );
    let run = env
        .run(&["plan", "--format", "markdown", "--tests", "missing.json"])
        .expect_code(1);
    assert!(
        run.stderr().contains("cannot read the test report"),
        "{}",
        run.stderr()
    );
}
