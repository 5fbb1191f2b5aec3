//! A workflow's whole life in git, through the real binary against the built-in local
//! portal: pause and resume, protect, targets.

use serde_json::Value;

use crate::support::TestEnv;

const SPECS: &[(&str, &str)] = &[
    (
        "deal-won",
        "When a deal is won, send a WhatsApp message to the client",
    ),
    (
        "lead-follow-up",
        "Create a follow-up task for the sales manager when a new lead is created",
    ),
    (
        "invoice-overdue",
        "Send an email to the client when their invoice is overdue",
    ),
];

/// A project with [`SPECS`] compiled and applied to the local portal.
fn applied() -> TestEnv {
    let env = TestEnv::with_specs(SPECS);
    env.run(&["compile"]).success();
    env.run(&["apply", "--auto-approve"]).success();
    env
}

fn plan(env: &TestEnv, args: &[&str]) -> Value {
    let mut all = vec!["plan", "--format", "json"];
    all.extend_from_slice(args);
    env.run(&all).success().json()
}

/// `(id, action, reason)` of every change.
fn changes(plan: &Value) -> Vec<(String, String, String)> {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["action"].as_str().unwrap().to_owned(),
                c["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The managed templates in the portal: workflow id -> (template id, auto_execute).
fn managed(env: &TestEnv) -> std::collections::BTreeMap<String, (u64, u64)> {
    let list = env.run(&["list", "--json"]).success().json();
    list["templates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| {
            Some((
                t["workflow"].as_str()?.to_owned(),
                (t["id"].as_u64()?, t["auto_execute"].as_u64()?),
            ))
        })
        .collect()
}

#[test]
fn disable_pauses_a_workflow_and_enable_resumes_it() {
    let env = applied();
    let before = managed(&env);
    let spec = env.read("workflows/deal-won.txt");

    let off = env.run(&["disable", "deal-won"]).success();
    assert!(
        off.stderr().contains("deal-won is now paused"),
        "{}",
        off.stderr()
    );
    assert_eq!(
        env.read("workflows/deal-won.txt"),
        format!("---\nenabled: false\n---\n{spec}")
    );
    assert!(
        env.read("workflows/deal-won.lock.yaml")
            .contains("enabled: false")
    );
    // The lockfile is up to date: no parser needed.
    env.run(&["compile", "--check"]).success();
    let p = plan(&env, &[]);
    let update: Vec<_> = changes(&p).into_iter().filter(|c| c.1 != "no_op").collect();
    assert_eq!(update.len(), 1, "{update:?}");
    assert_eq!(update[0].0, "deal-won");
    assert!(update[0].2.contains("paused"), "{update:?}");
    let text = env.run(&["plan"]).success().stdout();
    assert!(text.contains("paused"), "{text}");
    env.run(&["apply", "--auto-approve"]).success();
    let paused = managed(&env);
    assert_eq!(
        paused["deal-won"].0, before["deal-won"].0,
        "the template stays"
    );
    assert_eq!(paused["deal-won"].1, 0, "auto-start is off");
    assert_eq!(paused["lead-follow-up"], before["lead-follow-up"]);
    assert_eq!(
        changes(&plan(&env, &["deal-won"]))[0].2,
        "up to date, paused"
    );
    let again = env.run(&["disable", "deal-won"]).success();
    assert!(
        again.stderr().contains("already paused"),
        "{}",
        again.stderr()
    );

    env.run(&["enable", "deal-won"]).success();
    assert_eq!(env.read("workflows/deal-won.txt"), spec);
    env.run(&["compile", "--check"]).success();
    let resumed = changes(&plan(&env, &["deal-won"]));
    assert_eq!(resumed[0].1, "update");
    assert!(resumed[0].2.contains("resumed"), "{resumed:?}");
    env.run(&["apply", "--auto-approve"]).success();
    assert_eq!(managed(&env), before);
}

#[test]
fn front_matter_written_by_hand_pauses_on_compile_and_bad_front_matter_is_refused() {
    let env = applied();
    let spec = env.read("workflows/lead-follow-up.txt");
    env.write(
        "workflows/lead-follow-up.txt",
        format!("---\nenabled: false\n---\n{spec}"),
    );
    env.run(&["compile"]).success();
    assert!(
        env.read("workflows/lead-follow-up.lock.yaml")
            .contains("enabled: false")
    );
    env.run(&["apply", "--auto-approve"]).success();
    assert_eq!(managed(&env)["lead-follow-up"].1, 0);

    env.write(
        "workflows/lead-follow-up.txt",
        format!("---\nenabled: sometimes\n---\n{spec}"),
    );
    let lock = env.read("workflows/lead-follow-up.lock.yaml");
    let bad = env.run(&["compile"]).expect_code(1);
    assert!(
        bad.stderr().contains("`enabled: sometimes` is not a front"),
        "{}",
        bad.stderr()
    );
    assert_eq!(env.read("workflows/lead-follow-up.lock.yaml"), lock);

    // A stale lockfile is not paused behind the user's back.
    let stale = env.run(&["disable", "lead-follow-up"]).expect_code(1);
    assert!(
        stale.stderr().contains("has no up-to-date lockfile"),
        "{}",
        stale.stderr()
    );
    let unknown = env.run(&["disable", "nope"]).expect_code(1);
    assert!(unknown.stderr().contains("nope"), "{}", unknown.stderr());
}

#[test]
fn a_protected_workflow_is_never_destroyed() {
    let env = applied();
    env.write(
        "b24flow.toml",
        "[policy]\nprotect = [\"deal-won\", \"billing/*\"]\n",
    );
    let check = env.run(&["compile", "--check"]).success();
    assert!(
        check.stderr().contains("`billing/*` matches no workflow"),
        "{}",
        check.stderr()
    );
    let before = managed(&env);

    std::fs::remove_file(env.path("workflows/deal-won.txt")).unwrap();
    std::fs::remove_file(env.path("workflows/deal-won.lock.yaml")).unwrap();
    let check = env.run(&["compile", "--check"]).expect_code(1);
    assert!(
        check.stderr().contains("`deal-won` is protected"),
        "{}",
        check.stderr()
    );
    let refused = env.run(&["plan", "--allow-deletes", "10"]).expect_code(1);
    assert!(
        refused.stderr().contains("protected workflow(s): deal-won"),
        "{}",
        refused.stderr()
    );
    env.run(&["apply", "--auto-approve", "--allow-deletes", "10"])
        .expect_code(1);
    assert_eq!(managed(&env), before, "nothing was destroyed");

    // A workflow that is not protected is deleted as usual.
    env.write("b24flow.toml", "[policy]\nprotect = [\"lead-*\"]\n");
    env.run(&["apply", "--auto-approve"]).success();
    assert!(!managed(&env).contains_key("deal-won"));
}

#[test]
fn targets_restrict_the_plan_and_a_saved_targeted_plan_applies_only_them() {
    let env = applied();
    let before = managed(&env);
    env.write(
        "workflows/deal-won.txt",
        "When a deal is won, send a WhatsApp message \"Thank you!\" to the client",
    );
    env.write(
        "workflows/lead-follow-up.txt",
        "When a lead is converted, assign it to the sales manager",
    );
    std::fs::remove_file(env.path("workflows/invoice-overdue.txt")).unwrap();
    std::fs::remove_file(env.path("workflows/invoice-overdue.lock.yaml")).unwrap();
    env.run(&["compile"]).success();

    let only = changes(&plan(&env, &["deal-*"]));
    assert_eq!(only.len(), 1, "{only:?}");
    assert_eq!(
        (only[0].0.as_str(), only[0].1.as_str()),
        ("deal-won", "update")
    );
    let gone = changes(&plan(&env, &["invoice-overdue"]));
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].1, "delete");

    let typo = env.run(&["plan", "deal-wonn"]).expect_code(1);
    assert!(
        typo.stderr().contains("`deal-wonn` matches no workflow"),
        "{}",
        typo.stderr()
    );

    env.run(&["plan", "deal-won", "--out", "plan.json"])
        .success();
    env.run(&["apply", "plan.json"]).success();
    let after = managed(&env);
    assert_eq!(after["deal-won"].0, before["deal-won"].0);
    assert_eq!(after["invoice-overdue"], before["invoice-overdue"]);
    let rest = changes(&plan(&env, &[]));
    let pending: Vec<_> = rest.iter().filter(|c| c.1 != "no_op").collect();
    assert_eq!(pending.len(), 2, "{rest:?}");

    // `apply ID…` plans and applies only those.
    env.run(&["apply", "--auto-approve", "lead-follow-up"])
        .success();
    let rest = changes(&plan(&env, &[]));
    let pending: Vec<_> = rest.iter().filter(|c| c.1 != "no_op").collect();
    assert_eq!(pending.len(), 1, "{rest:?}");
    assert_eq!(pending[0].1, "delete");
}

/// Runs git in the project, quietly, as a fixed author.
fn git(env: &TestEnv, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(env.root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A project as [`applied`], in a git repository with one commit.
fn committed() -> TestEnv {
    let env = applied();
    env.write(".gitignore", ".b24flow/\n");
    git(&env, &["init", "-q", "-b", "main"]);
    git(&env, &["add", "-A"]);
    git(&env, &["commit", "-qm", "start"]);
    env
}

#[test]
fn a_moved_spec_is_planned_as_a_move_and_keeps_its_template() {
    let env = committed();
    let before = managed(&env);
    std::fs::create_dir_all(env.path("workflows/sales")).unwrap();
    git(
        &env,
        &[
            "mv",
            "workflows/deal-won.txt",
            "workflows/sales/deal-won.txt",
        ],
    );
    // compile moves the lockfile beside the spec and records the old id.
    env.run(&["compile"]).success();
    assert!(!env.exists("workflows/deal-won.lock.yaml"));
    let lock = env.read("workflows/sales/deal-won.lock.yaml");
    assert!(lock.contains("previous_ids:\n- deal-won"), "{lock}");
    assert!(
        lock.contains("path: workflows/sales/deal-won.txt"),
        "{lock}"
    );
    env.run(&["compile", "--check"]).success();

    let p = plan(&env, &[]);
    let s = &p["summary"];
    assert_eq!(
        (s["create"].as_u64(), s["delete"].as_u64()),
        (Some(0), Some(0))
    );
    let moves: Vec<_> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["moved_from"] == "deal-won")
        .collect();
    assert_eq!(moves.len(), 1, "{p}");
    assert_eq!(moves[0]["id"], "sales/deal-won");
    assert_eq!(moves[0]["template_id"], before["deal-won"].0);
    let text = env.run(&["plan"]).success().stdout();
    assert!(text.contains("moved from deal-won"), "{text}");
    assert!(text.contains("0 to destroy"), "{text}");

    env.run(&["apply", "--auto-approve"]).success();
    let after = managed(&env);
    assert_eq!(
        after["sales/deal-won"], before["deal-won"],
        "same template id"
    );
    assert!(!after.contains_key("deal-won"));
    assert!(!changes(&plan(&env, &[])).iter().any(|c| c.1 != "no_op"));
}

#[test]
fn a_spec_moved_with_its_lockfile_plans_a_move_before_and_after_compile() {
    let env = committed();
    let before = managed(&env);
    git(
        &env,
        &[
            "mv",
            "workflows/lead-follow-up.txt",
            "workflows/lead-task.txt",
        ],
    );
    git(
        &env,
        &[
            "mv",
            "workflows/lead-follow-up.lock.yaml",
            "workflows/lead-task.lock.yaml",
        ],
    );
    let moved = |p: &Value| {
        p["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["moved_from"] == "lead-follow-up")
            .count()
    };
    let p = plan(&env, &[]);
    assert_eq!((moved(&p), p["summary"]["delete"].as_u64()), (1, Some(0)));
    env.run(&["compile"]).success();
    assert!(
        env.read("workflows/lead-task.lock.yaml")
            .contains("previous_ids:\n- lead-follow-up")
    );
    let p = plan(&env, &[]);
    assert_eq!((moved(&p), p["summary"]["delete"].as_u64()), (1, Some(0)));
    env.run(&["apply", "--auto-approve"]).success();
    assert_eq!(managed(&env)["lead-task"].0, before["lead-follow-up"].0);
}

#[test]
fn forget_leaves_the_template_unmanaged_and_removes_the_files() {
    let env = applied();
    let before = managed(&env);
    let unmanaged_before = plan(&env, &[])["summary"]["unmanaged"].as_u64().unwrap();

    let asked = env.run(&["forget", "deal-won"]).expect_code(1);
    assert!(
        asked.stderr().contains("needs confirmation"),
        "{}",
        asked.stderr()
    );
    assert!(env.exists("workflows/deal-won.txt"));

    let done = env.run(&["forget", "deal-won", "--auto-approve"]).success();
    assert!(
        done.stderr().contains(&format!(
            "template {} stays in the portal, unmanaged",
            before["deal-won"].0
        )),
        "{}",
        done.stderr()
    );
    assert!(!env.exists("workflows/deal-won.txt"));
    assert!(!env.exists("workflows/deal-won.lock.yaml"));
    let list = env.run(&["list", "--json"]).success().json();
    let row = list["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == before["deal-won"].0)
        .expect("the template stays");
    assert!(row["workflow"].is_null(), "{row}");
    let p = plan(&env, &[]);
    assert_eq!(p["summary"]["delete"], 0);
    assert_eq!(p["summary"]["unmanaged"], unmanaged_before + 1);
    env.run(&["compile", "--check"]).success();

    let missing = env
        .run(&["forget", "deal-won", "--auto-approve"])
        .expect_code(1);
    assert!(
        missing.stderr().contains("no workflow `deal-won`"),
        "{}",
        missing.stderr()
    );
}

#[test]
fn rollback_puts_the_portal_back_to_a_commit_and_leaves_the_working_tree() {
    let env = applied();
    env.write(".gitignore", ".b24flow/\n");
    git(&env, &["init", "-q", "-b", "main"]);
    git(&env, &["add", ".gitignore"]);
    git(&env, &["commit", "-qm", "empty"]);
    git(&env, &["add", "-A"]);
    git(&env, &["commit", "-qm", "v1"]);
    let v1 = managed(&env);
    let v1_tree = plan(&env, &[]);

    env.write(
        "workflows/deal-won.txt",
        "When a deal is won, send a WhatsApp message \"Thank you!\" to the client",
    );
    env.write(
        "workflows/lead-converted.txt",
        "When a lead is converted, assign it to the sales manager",
    );
    env.run(&["compile"]).success();
    env.run(&["apply", "--auto-approve"]).success();
    git(&env, &["add", "-A"]);
    git(&env, &["commit", "-qm", "v2"]);
    assert_eq!(managed(&env).len(), 4);

    // Bad refs, and a commit without lockfiles: an error, nothing written.
    let bad = env
        .run(&["rollback", "--to", "no-such-ref", "--auto-approve"])
        .expect_code(1);
    assert!(
        bad.stderr().contains("b24flow::rollback::bad_ref") && bad.stderr().contains("no-such-ref"),
        "{}",
        bad.stderr()
    );
    let option = env
        .run(&["rollback", "--to=--all", "--auto-approve"])
        .expect_code(1);
    assert!(
        option.stderr().contains("b24flow::rollback::bad_ref"),
        "{}",
        option.stderr()
    );
    let empty = env
        .run(&["rollback", "--to", "HEAD~2", "--auto-approve"])
        .expect_code(1);
    assert!(
        empty.stderr().contains("b24flow::rollback::no_lockfiles"),
        "{}",
        empty.stderr()
    );
    let asked = env.run(&["rollback", "--to", "HEAD~1"]).expect_code(1);
    assert!(
        asked.stderr().contains("needs confirmation"),
        "{}",
        asked.stderr()
    );
    assert_eq!(managed(&env).len(), 4);

    // Targeted: only deal-won goes back.
    let one = env
        .run(&["rollback", "--to", "HEAD~1", "deal-won", "--auto-approve"])
        .success();
    assert!(
        one.stdout().contains("rollback to HEAD~1"),
        "{}",
        one.stdout()
    );
    assert_eq!(managed(&env).len(), 4);
    assert_eq!(managed(&env)["deal-won"], v1["deal-won"]);

    // Whole: lead-converted, which HEAD~1 did not have, is destroyed.
    env.run(&["rollback", "--to", "HEAD~1", "--auto-approve"])
        .success();
    assert_eq!(managed(&env), v1);
    let journal = env.read(".b24flow/journal.jsonl");
    assert!(
        journal.contains("\"context\":\"rollback to HEAD~1 ("),
        "{journal}"
    );

    // The working tree is untouched: it still plans v2 (the portal is at v1).
    assert!(env.read("workflows/deal-won.txt").contains("Thank you!"));
    assert_eq!(git(&env, &["status", "--porcelain"]), "");
    let p = plan(&env, &[]);
    assert_eq!(p["summary"]["create"], 1);
    assert_eq!(p["summary"]["update"], 1);
    assert_ne!(p, v1_tree);
}
