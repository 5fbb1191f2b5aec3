//! Hostile file trees under `workflows/`: the red-team rows about names and file kinds
//! (redteam-2026-12.md 1.16, 1.17, 1.19, 1.22, 1.23), each as a family of cases run
//! through the real binary. Every case must fail before any portal is contacted, and
//! `compile`, `validate` and `plan` must agree.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::TestEnv;

const WON: &str = "When a deal is won, send an email to the client";
const LEAD: &str = "When a lead is created, notify the manager";

/// The commands that read the whole project.
const READERS: [&[&str]; 4] = [&["compile"], &["validate"], &["build"], &["plan"]];

/// Runs `b24flow ARGS` in `env`, killing it after `limit`; the exit code and the
/// combined output, or `None` when it hung.
fn run_with_timeout(env: &TestEnv, args: &[&str], limit: Duration) -> Option<(i32, String)> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_b24flow"));
    command
        .args(args)
        .current_dir(env.root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in b24flow::config::ENV_VARS {
        command.env_remove(var);
    }
    let mut child = command.spawn().unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            return Some((out.status.code().unwrap_or(-1), flat(&text)));
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Output with miette's line wrapping undone, so a phrase can be searched whole.
fn flat(text: &str) -> String {
    text.lines()
        .map(|l| l.trim().trim_start_matches(['|', '│']).trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts every reader fails, naming each of `needles`.
#[track_caller]
fn every_reader_refuses(env: &TestEnv, needles: &[&str]) {
    for args in READERS {
        let run = env.run(args);
        let all = flat(&format!("{}{}", run.stdout(), run.stderr()));
        assert_eq!(run.code(), 1, "{args:?} should fail:\n{all}");
        for needle in needles {
            assert!(
                all.contains(needle),
                "{args:?} does not name {needle}:\n{all}"
            );
        }
    }
}

// ---- 1.22: two specs, one id -----------------------------------------------------

#[test]
fn redteam_1_22_two_specs_mapping_to_one_id_are_refused_with_both_paths() {
    // The red team's pair, and the case-folding variants of it.
    let cases: [(&str, &str); 4] = [
        ("billing\\late", "billing/late"),
        ("Deal-Won", "deal-won"),
        ("BILLING\\Late", "billing/late"),
        ("a/B/c", "a/b/C"),
    ];
    for (first, second) in cases {
        let env = TestEnv::with_specs(&[(first, WON), (second, LEAD)]);
        let named: Vec<String> = [first, second]
            .iter()
            .map(|n| format!("workflows/{n}.txt"))
            .collect();
        let named: Vec<&str> = named.iter().map(String::as_str).collect();
        every_reader_refuses(&env, &named);
        let run = env.run(&["compile"]);
        assert!(run.stderr().contains("duplicate_id"), "{}", run.stderr());
        assert!(
            !env.exists("workflows/billing/late.lock.yaml")
                && !env.exists("workflows/deal-won.lock.yaml"),
            "nothing is written"
        );
    }
    // Distinct ids still work.
    let env = TestEnv::with_specs(&[("billing/late", WON), ("billing/later", LEAD)]);
    env.run(&["compile"]).success();
}

// ---- 1.19: control characters in a spec name ---------------------------------------

#[test]
fn redteam_1_19_control_characters_in_a_spec_name_are_refused() {
    for (name, escaped) in [
        ("a\nb", "a\\nb"),
        ("a\rb", "a\\rb"),
        ("tab\there", "tab\\there"),
        ("esc\u{1b}[2J", "esc\\u{1b}[2J"),
        ("del\u{7f}", "del\\u{7f}"),
        ("dir\nx/inner", "dir\\nx/inner"),
    ] {
        let env = TestEnv::with_specs(&[(name, WON), ("fine", LEAD)]);
        let shown = format!("workflows/{escaped}.txt");
        every_reader_refuses(&env, &[&shown, "control character"]);
        assert!(!env.exists(&format!("workflows/{name}.lock.yaml")));
    }
    // A lockfile with such a name (left by an older b24flow) is refused as well.
    let env = TestEnv::with_specs(&[("fine", LEAD)]);
    env.write("workflows/a\nb.lock.yaml", "version: 1\n");
    let run = env.run(&["validate"]).expect_code(1);
    assert!(run.stderr().contains("a\\nb.lock.yaml"), "{}", run.stderr());
}

// ---- 1.17: a FIFO or other special file ------------------------------------------

#[cfg(unix)]
#[test]
fn redteam_1_17_a_fifo_as_lockfile_or_spec_never_hangs() {
    for (fifo, kind) in [
        ("workflows/deal-won.lock.yaml", "lockfile"),
        ("workflows/deal-won.txt", "spec"),
        ("workflows/orphan.lock.yaml", "orphan lockfile"),
    ] {
        let env = TestEnv::with_specs(&[("lead", LEAD)]);
        if kind == "lockfile" {
            env.write("workflows/deal-won.txt", WON);
        }
        std::fs::create_dir_all(env.path("workflows")).unwrap();
        let _ = std::fs::remove_file(env.path(fifo));
        let status = Command::new("mkfifo").arg(env.path(fifo)).status().unwrap();
        assert!(status.success());
        for args in READERS {
            let out = run_with_timeout(&env, args, Duration::from_secs(20));
            let Some((code, text)) = out else {
                panic!("{args:?} hung on a FIFO {kind}");
            };
            assert_eq!(code, 1, "{args:?} on a FIFO {kind}:\n{text}");
            assert!(text.contains(fifo), "{args:?} names the file:\n{text}");
            assert!(text.contains("not a regular file"), "{text}");
        }
    }
}

#[cfg(unix)]
#[test]
fn redteam_1_17_a_link_to_a_fifo_never_hangs() {
    let env = TestEnv::with_specs(&[("deal-won", WON)]);
    let fifo = env.path("blocking");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink(&fifo, env.path("workflows/deal-won.lock.yaml")).unwrap();
    for args in READERS {
        let (code, text) = run_with_timeout(&env, args, Duration::from_secs(20))
            .unwrap_or_else(|| panic!("{args:?} hung"));
        assert_eq!(code, 1, "{text}");
        assert!(text.contains("not a regular file"), "{text}");
    }
}

// ---- 1.16 / 1.15: symbolic links ---------------------------------------------------

#[cfg(unix)]
#[test]
fn redteam_1_16_a_linked_lockfile_never_prints_its_target() {
    use std::os::unix::fs::symlink;
    const MARK: &str = "MK_ACCESS_LEAK_7f3a";
    let credentials =
        format!("{{\n  \"portal\": \"https://x\",\n  \"access_token\": \"{MARK}\"\n}}\n");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.yaml"),
        format!("token: {MARK}\n"),
    )
    .unwrap();
    // (link target relative to workflows/, what the refusal says)
    let cases: Vec<(String, &str)> = vec![
        ("../.b24flow/credentials.json".into(), "state folder"),
        ("../.git/config".into(), "state folder"),
        (
            outside.path().join("secret.yaml").display().to_string(),
            "outside the repository",
        ),
        (
            "../../../../../../../../etc/hostname".into(),
            "outside the repository",
        ),
        ("../nowhere.yaml".into(), "does not exist"),
        ("../notes".into(), "not a regular file"),
    ];
    for (target, why) in &cases {
        for linked in ["deal-won.lock.yaml", "deal-won.txt"] {
            let env = TestEnv::with_specs(&[("lead", LEAD)]);
            if linked.ends_with(".lock.yaml") {
                env.write("workflows/deal-won.txt", WON);
            }
            env.write(".b24flow/credentials.json", &credentials);
            env.write(".git/config", format!("[x]\n  token = {MARK}\n"));
            std::fs::create_dir_all(env.path("notes")).unwrap();
            symlink(target, env.path(&format!("workflows/{linked}"))).unwrap();
            for args in READERS {
                let run = env.run(args);
                let all = flat(&format!("{}{}", run.stdout(), run.stderr()));
                assert_eq!(run.code(), 1, "{linked} -> {target}, {args:?}:\n{all}");
                assert!(!all.contains(MARK), "{linked} -> {target} leaked:\n{all}");
                assert!(all.contains(why), "{linked} -> {target}, {args:?}:\n{all}");
                assert!(all.contains(&format!("workflows/{linked}")), "{all}");
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn links_inside_the_repository_work_alike_for_specs_and_lockfiles() {
    use std::os::unix::fs::symlink;
    const MARK: &str = "MK_IN_REPO_SECRET_9d1e";
    let env = TestEnv::with_specs(&[("lead", LEAD)]);
    env.write("shared/won.txt", WON);
    symlink("../shared/won.txt", env.path("workflows/deal-won.txt")).unwrap();
    env.run(&["compile"]).success();
    // The lockfile was written beside the link, as a plain file.
    assert!(
        env.read("workflows/deal-won.lock.yaml")
            .contains("deal_won")
    );
    env.run(&["validate"]).success();
    // A lockfile linked to another in-repository lockfile is read like a plain one.
    std::fs::rename(
        env.path("workflows/deal-won.lock.yaml"),
        env.path("shared/won.lock.yaml"),
    )
    .unwrap();
    symlink(
        "../shared/won.lock.yaml",
        env.path("workflows/deal-won.lock.yaml"),
    )
    .unwrap();
    env.run(&["validate"]).success();
    env.run(&["plan"]).success();
    // Linked to an in-repository file that is not a lockfile: refused, content unseen.
    env.write(
        "secrets.env",
        format!("version: 1\ntoken: \"{MARK}\"\nx: [\n"),
    );
    std::fs::remove_file(env.path("workflows/deal-won.lock.yaml")).unwrap();
    symlink("../secrets.env", env.path("workflows/deal-won.lock.yaml")).unwrap();
    for args in [&["validate"][..], &["plan"], &["build"]] {
        let run = env.run(args).expect_code(1);
        let all = flat(&format!("{}{}", run.stdout(), run.stderr()));
        assert!(!all.contains(MARK), "{args:?} leaked:\n{all}");
        assert!(all.contains("symbolic link"), "{args:?}:\n{all}");
    }
    // The same for a file that looks like an opaque lockfile (it is read as one).
    env.write(
        "secrets.env",
        format!("version: 1\nopaque:\n  token: \"{MARK}\"\n"),
    );
    for args in [&["validate"][..], &["plan"], &["build"]] {
        let run = env.run(args).expect_code(1);
        let all = flat(&format!("{}{}", run.stdout(), run.stderr()));
        assert!(!all.contains(MARK), "{args:?} leaked (opaque):\n{all}");
        assert!(all.contains("symbolic link"), "{args:?} (opaque):\n{all}");
    }
    env.write(
        "secrets.env",
        format!("version: 1\ntoken: \"{MARK}\"\nx: [\n"),
    );
    // The same content in a plain file is the user's own and is quoted as usual.
    std::fs::remove_file(env.path("workflows/deal-won.lock.yaml")).unwrap();
    std::fs::copy(
        env.path("secrets.env"),
        env.path("workflows/deal-won.lock.yaml"),
    )
    .unwrap();
    let run = env.run(&["validate"]).expect_code(1);
    assert!(!run.stderr().contains("symbolic link"), "{}", run.stderr());
}

// ---- 1.23: compile <unknown id> ----------------------------------------------------

#[test]
fn redteam_1_23_compile_of_an_unknown_id_fails_and_names_it() {
    let env = TestEnv::with_specs(&[("deal-won", WON)]);
    for id in [
        "no-such-id",
        "../../outside/secret",
        "deal-won.txt",
        "Deal-Won",
        "",
    ] {
        let run = env.run(&["compile", "deal-won", id]).expect_code(1);
        assert!(
            run.stderr().contains(&format!("no workflow `{id}`")),
            "{id}: {}",
            run.stderr()
        );
        assert!(
            !env.exists("workflows/deal-won.lock.yaml"),
            "nothing is compiled"
        );
    }
    env.run(&["compile", "deal-won"]).success();
    assert!(env.exists("workflows/deal-won.lock.yaml"));
}
