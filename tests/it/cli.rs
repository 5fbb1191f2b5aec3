//! The command line, end to end: the real binary in a temporary project.

use crate::support::TestEnv;

const WON: &str = "When a deal is won, send a WhatsApp message to the client";
const VAGUE: &str = "Do something when things change";

fn no_panic(stderr: &str) {
    assert!(
        !stderr.contains("panicked"),
        "the binary panicked:\n{stderr}"
    );
}

#[test]
fn capabilities_json_lists_the_whole_catalog() {
    let run = TestEnv::new().run(&["capabilities", "--json"]).success();
    let caps = run.json();
    assert_eq!(caps["triggers"].as_array().unwrap().len(), 21);
    assert_eq!(caps["actions"].as_array().unwrap().len(), 22);
    assert_eq!(caps["variables"].as_array().unwrap().len(), 19);
    // Every trigger and action is carried out, by a template or by `b24flow run`.
    for kind in ["triggers", "actions"] {
        let support = caps["support"][kind].as_object().unwrap();
        assert_eq!(support.len(), if kind == "triggers" { 21 } else { 22 });
        assert!(
            support
                .values()
                .all(|by| !by.as_array().unwrap().is_empty()),
            "{support:?}"
        );
    }
    assert!(
        caps["entities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"].is_string())
    );
    assert!(
        caps["variables"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["name"].is_string())
    );
}

#[test]
fn capabilities_text_is_a_readable_table() {
    let out = TestEnv::new().run(&["capabilities"]).success().stdout();
    assert!(
        out.contains("Triggers (21)")
            && out.contains("Actions (22)")
            && out.contains("Smart variables (19)")
    );
    assert!(out.contains("send_whatsapp"));
}

#[test]
fn parse_prints_the_seed_blueprint_as_json() {
    let run = TestEnv::new().run(&["parse", "--json", WON]).success();
    let out = run.json();
    assert_eq!(out["status"], "ok");
    assert_eq!(out["workflow"]["trigger"]["type"], "deal_won");
    assert_eq!(out["workflow"]["entity"], "CRM_DEAL");
    assert_eq!(out["workflow"]["actions"][0]["type"], "send_whatsapp");
    assert_eq!(out["workflow"]["actions"][0]["to"], "{{CONTACT_PHONE}}");
}

#[test]
fn parse_reads_standard_input_and_asks_when_vague() {
    let env = TestEnv::new();
    let run = env
        .cmd(&["parse", "--json", "-"])
        .stdin(VAGUE)
        .run()
        .expect_code(1);
    let out = run.json();
    assert_eq!(out["status"], "needs_clarification");
    assert!(!out["questions"].as_array().unwrap().is_empty());
    let text = env.run(&["parse", VAGUE]).expect_code(1).stdout();
    assert!(text.contains("needs clarification"), "{text}");
}

#[test]
fn parse_refuses_empty_and_binary_input() {
    let env = TestEnv::new();
    no_panic(&env.run(&["parse", "   "]).expect_code(1).stderr());
    let run = env
        .cmd(&["parse", "-"])
        .stdin(vec![0u8, 159, 146, 150])
        .run()
        .expect_code(1);
    assert!(run.stderr().contains("standard input"), "{}", run.stderr());
}

#[test]
fn compile_writes_lockfiles_deterministically_and_skips_fresh_ones() {
    let env = TestEnv::with_specs(&[
        ("deal-won", WON),
        (
            "billing/late",
            "Send an email to the client when their invoice is overdue",
        ),
    ]);
    let first = env.run(&["compile"]).success();
    assert!(first.stderr().contains("2 compiled"), "{}", first.stderr());
    let lock = env.read("workflows/deal-won.lock.yaml");
    assert!(
        lock.starts_with("# yaml-language-server: $schema=../schema/lockfile.schema.json\n"),
        "{lock}"
    );
    assert!(
        env.read("workflows/billing/late.lock.yaml")
            .starts_with("# yaml-language-server: $schema=../../schema/")
    );

    let second = env.run(&["compile"]).success();
    assert!(
        second.stderr().contains("0 compiled, 2 up to date"),
        "{}",
        second.stderr()
    );
    env.run(&["compile", "--force"]).success();
    assert_eq!(
        env.read("workflows/deal-won.lock.yaml"),
        lock,
        "recompiling changed the bytes"
    );
}

#[test]
fn compile_json_summary() {
    let env = TestEnv::with_specs(&[("a", WON), ("b", VAGUE)]);
    let run = env.run(&["compile", "--json"]).expect_code(1);
    let doc = run.json();
    crate::schema::assert_matches("compile.schema.json", &doc);
    assert_eq!(doc["summary"]["compiled"], 1);
    assert_eq!(doc["summary"]["failed"], 1);
    assert_eq!(doc["workflows"][1]["status"], "needs_clarification");
}

#[test]
fn a_vague_spec_asks_and_the_others_still_compile() {
    let env = TestEnv::with_specs(&[("good", WON), ("vague", VAGUE)]);
    let run = env.run(&["compile"]).expect_code(1);
    assert!(
        run.stderr()
            .contains("workflows/vague.txt needs clarification"),
        "{}",
        run.stderr()
    );
    assert!(env.exists("workflows/good.lock.yaml"));
    assert!(!env.exists("workflows/vague.lock.yaml"));
}

#[test]
fn bad_specs_fail_by_name_and_write_nothing() {
    let env = TestEnv::with_specs(&[("good", WON)]);
    env.write("workflows/empty.txt", "");
    env.write("workflows/blank.txt", "  \n\t \n");
    env.write(
        "workflows/latin1.txt",
        b"When a deal is won, send \xe9 WhatsApp",
    );
    env.write("workflows/binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00");
    env.write(
        "workflows/huge.txt",
        WON.repeat(10 * 1024 * 1024 / WON.len()),
    );
    let run = env.run(&["compile"]).expect_code(1);
    let err = run.stderr();
    no_panic(&err);
    for (name, why) in [
        ("empty", "is empty"),
        ("blank", "is empty"),
        ("latin1", "not UTF-8"),
        ("binary", "binary"),
        ("huge", "at most"),
    ] {
        assert!(
            err.contains(&format!("workflows/{name}.txt: the spec")) && err.contains(why),
            "{name}: {err}"
        );
        assert!(
            !env.exists(&format!("workflows/{name}.lock.yaml")),
            "{name} got a lockfile"
        );
    }
    assert!(env.exists("workflows/good.lock.yaml"));
}

#[test]
fn spec_paths_with_spaces_and_unicode_work() {
    let env = TestEnv::with_specs(&[("Продажи/deal won ✓", WON)]);
    env.run(&["compile"]).success();
    assert!(env.exists("workflows/Продажи/deal won ✓.lock.yaml"));
    env.run(&["compile", "--check"]).success();
    env.run(&["validate"]).success();
}

#[test]
fn check_lists_missing_stale_and_orphaned_lockfiles() {
    let env = TestEnv::with_specs(&[("a", WON), ("b", WON)]);
    env.run(&["compile"]).success();
    env.run(&["compile", "--check"]).success();
    env.write(
        "workflows/a.txt",
        "When a deal is lost, send a WhatsApp message to the client",
    );
    env.write("workflows/c.txt", WON);
    std::fs::remove_file(env.path("workflows/b.txt")).unwrap();
    let before = env.read("workflows/a.lock.yaml");
    let run = env.run(&["compile", "--check", "--json"]).expect_code(1);
    let doc = run.json();
    crate::schema::assert_matches("compile-check.schema.json", &doc);
    let problems: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["problem"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        [
            ("workflows/a.txt".to_owned(), "stale".to_owned()),
            ("workflows/c.txt".to_owned(), "missing".to_owned()),
            ("workflows/b.lock.yaml".to_owned(), "orphaned".to_owned()),
        ]
    );
    assert_eq!(
        env.read("workflows/a.lock.yaml"),
        before,
        "--check wrote a file"
    );
    assert!(!env.exists("workflows/c.lock.yaml"));
}

#[test]
fn broken_lockfiles_are_reported_by_file_and_line() {
    let env = TestEnv::with_specs(&[("w", WON)]);
    env.run(&["compile"]).success();
    let good = env.read("workflows/w.lock.yaml");
    let cases = [
        (
            "wrong type",
            good.replace("version: 1\n", "version: [1]\n"),
            "not a valid lockfile",
        ),
        (
            "unknown key",
            good.replace("blueprint_sha256:", "surprise: true\nblueprint_sha256:"),
            "surprise",
        ),
        (
            "future version",
            good.replace("version: 1\n", "version: 99\n"),
            "newer b24flow",
        ),
        (
            "truncated",
            good[..good.len() / 2].to_owned(),
            "not a valid lockfile",
        ),
        (
            "not yaml",
            "\u{0}\u{1}binary".to_owned(),
            "not a valid lockfile",
        ),
    ];
    for (what, text, expected) in cases {
        env.write("workflows/w.lock.yaml", &text);
        let run = env.run(&["validate"]).expect_code(1);
        let err = run.stderr();
        no_panic(&err);
        assert!(err.contains("workflows/w.lock.yaml"), "{what}: {err}");
        assert!(err.contains(expected), "{what}: {err}");
        env.run(&["compile", "--check"]).expect_code(1);
    }
}

#[test]
fn a_hand_edit_is_caught_with_a_hint() {
    let env = TestEnv::with_specs(&[("w", WON)]);
    env.run(&["compile"]).success();
    let edited = env
        .read("workflows/w.lock.yaml")
        .replace("Congratulations!", "Hooray!");
    env.write("workflows/w.lock.yaml", edited);
    let err = env.run(&["validate"]).expect_code(1).stderr();
    assert!(
        err.contains("edited by hand") && err.contains("workflows/w.txt"),
        "{err}"
    );
}

#[test]
fn validate_points_at_the_offending_line() {
    let env = TestEnv::with_specs(&[("w", WON)]);
    env.run(&["compile"]).success();
    let text = env
        .read("workflows/w.lock.yaml")
        .replace("type: send_whatsapp", "type: send_whatsap");
    env.write("workflows/w.lock.yaml", text);
    let run = env.run(&["validate", "--json"]).expect_code(1);
    let err = run.stderr();
    assert!(err.contains("did you mean `send_whatsapp`?"), "{err}");
    // miette renders the file with line numbers around the label.
    assert!(
        err.contains("w.lock.yaml:") && err.contains("send_whatsap"),
        "{err}"
    );
    assert_eq!(run.json()["ok"], false);
    crate::schema::assert_matches("validate.schema.json", &run.json());
    assert_eq!(
        run.json()["problems"][0]["code"],
        "b24flow::rules::unknown_action"
    );
}

#[test]
fn init_creates_a_project_and_never_overwrites() {
    let env = TestEnv::new();
    env.write(".gitignore", "/target");
    env.run(&["init"]).success();
    assert!(env.read("b24flow.toml").contains("[recipients]"));
    assert!(env.exists("workflows/deal-won.txt"));
    assert_eq!(
        env.read(".gitignore")
            .lines()
            .filter(|l| *l == ".b24flow/")
            .count(),
        1
    );
    env.write("b24flow.toml", "# mine\n");
    let run = env.run(&["init"]).success();
    assert!(
        run.stderr().contains("Kept b24flow.toml"),
        "{}",
        run.stderr()
    );
    assert_eq!(env.read("b24flow.toml"), "# mine\n");
    assert_eq!(env.read(".gitignore").matches(".b24flow/").count(), 1);
    env.run(&["compile"]).success();
}

#[test]
fn a_broken_config_is_an_error_with_its_line() {
    let env = TestEnv::with_specs(&[("w", WON)]);
    env.write(
        "b24flow.toml",
        "[parser]\nprovider = \"offline\"\njobs = \"four\"\n",
    );
    let err = env.run(&["compile"]).expect_code(1).stderr();
    assert!(
        err.contains("b24flow.toml") && err.contains("jobs"),
        "{err}"
    );
}

#[test]
fn help_teaches() {
    let out = TestEnv::new()
        .run(&["compile", "--help"])
        .success()
        .stdout();
    assert!(out.contains("--check") && out.contains("CI"), "{out}");
}

/// Runs actionlint on `files`; skips (outside CI) when it is not installed.
pub(crate) fn actionlint(dir: &std::path::Path, files: &[&str]) {
    let run = std::process::Command::new("actionlint")
        .args(files)
        .current_dir(dir)
        .output();
    match run {
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "actionlint is required in CI"
            );
            eprintln!("skipping: actionlint is not installed");
        }
        Ok(out) => assert!(
            out.status.success(),
            "actionlint:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn the_github_workflow_is_the_one_init_writes_and_passes_actionlint() {
    let env = TestEnv::new();
    env.run(&["init"]).success();
    let written = env.read(".github/workflows/b24flow.yml");
    assert!(
        written.contains("b24flow plan --base")
            && written.contains("--out plan.json --format markdown")
            && written.contains("b24flow test --format json > test-results.json")
            && written.contains("b24flow test --format junit > test-results.xml")
            && written.contains("tests=(--tests test-results.json)")
            && written.contains("steps.tests.outputs.status")
            && written.contains("b24flow apply reviewed/plan.json")
            && written.contains("b24flow drift --format markdown")
            && written.contains("b24flow run --once --state .b24flow/runner.sqlite")
            && written.contains("group: b24flow-runner")
            && written.contains("name: b24flow-journal-")
            && written.contains(&format!(
                "B24FLOW_VERSION: \"{}\"",
                env!("CARGO_PKG_VERSION")
            ))
            && written.contains("sha256sum --check")
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = std::fs::read_to_string(root.join(".github/workflows/b24flow.yml")).unwrap();
    assert_eq!(
        ours,
        written.replace(
            "cargo install --locked b24flow --version \"$B24FLOW_VERSION\"",
            "cargo install --locked --path ."
        ),
        "the repository's workflow differs from the one `b24flow init` writes"
    );
    actionlint(env.root(), &[".github/workflows/b24flow.yml"]);
    actionlint(
        root,
        &[
            ".github/workflows/b24flow.yml",
            ".github/workflows/ci.yml",
            ".github/workflows/release.yml",
        ],
    );
}

#[test]
fn completions_cover_every_command() {
    let script = TestEnv::new()
        .run(&["completions", "bash"])
        .success()
        .stdout();
    for command in ["compile", "plan", "apply", "drift", "serve", "emulator"] {
        assert!(
            script.contains(command),
            "{command} is missing from the bash completions"
        );
    }
}

/// Regression: a template-compiler change once left the committed lockfiles' template
/// hashes stale with nothing noticing. The repository's own workflows must always pass
/// the CI gate.
#[test]
fn the_repositorys_workflows_pass_compile_check_and_validate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [["compile", "--check"], ["validate", "--quiet"]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_b24flow"))
            .args(args)
            .current_dir(root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "b24flow {args:?} fails on the repository:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
