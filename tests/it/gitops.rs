//! plan, apply, drift, list and delete against an emulated portal, through the real
//! binary.

use std::path::Path;
use std::time::Duration;

use b24flow::emulator::{self, App, Faults, Handle};
use serde_json::{Value, json};

use crate::support::{Run, TestEnv};

const TOKEN: &str = "tok-SECRET-0f3c9a77e1";

/// The repository's five seed specs (shared with the other integration tests).
pub(crate) const SEEDS: &[(&str, &str)] = &[
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
    (
        "deal-lost",
        "Notify the sales team when a deal is lost and create a review task",
    ),
    (
        "lead-converted",
        "When a lead is converted, assign it to the sales manager",
    ),
];

/// A project wired to an emulated portal running in this process.
struct Portal {
    env: TestEnv,
    handle: Option<Handle>,
    rt: tokio::runtime::Runtime,
}

impl Portal {
    fn start(specs: &[(&str, &str)], faults: Faults, latency: Duration) -> Portal {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let env = TestEnv::with_specs(specs);
        let handle = rt
            .block_on(emulator::start(emulator::Options {
                state_file: Some(env.path("portal-state.json")),
                apps: vec![App {
                    app_id: 7,
                    client_id: "app.test".into(),
                    client_secret: "client-SECRET-55".into(),
                    access_token: Some(TOKEN.into()),
                    refresh_token: None,
                    user_id: 1,
                    admin: true,
                }],
                rate: None,
                faults,
                latency,
                ..emulator::Options::default()
            }))
            .unwrap();
        env.write(
            "b24flow.toml",
            format!(
                "[portal]\nurl = \"{}\"\nrate = \"off\"\n\n[recipients]\n\"sales team\" = \"group_dr1\"\n",
                handle.portal_url()
            ),
        );
        Portal {
            env,
            handle: Some(handle),
            rt,
        }
    }

    fn seeds() -> Portal {
        Portal::start(SEEDS, Faults::none(), Duration::ZERO)
    }

    fn handle(&self) -> &Handle {
        self.handle.as_ref().unwrap()
    }

    fn b24flow(&self, args: &[&str]) -> Run {
        self.env.cmd(args).env("B24FLOW_ACCESS_TOKEN", TOKEN).run()
    }

    /// The plan as JSON.
    fn plan(&self) -> Value {
        self.b24flow(&["plan", "--format", "json"]).success().json()
    }

    fn managed(&self) -> Vec<emulator::StoredTemplate> {
        self.handle()
            .templates()
            .into_iter()
            .filter(|t| t.description.contains("[b24flow:"))
            .collect()
    }

    /// A raw REST call, as another tool would make it.
    fn rest(&self, method: &str, params: &Value) -> Value {
        let url = format!(
            "{}/rest/{method}.json?auth={TOKEN}",
            self.handle().portal_url()
        );
        self.rt.block_on(async {
            let reply = reqwest::Client::new()
                .post(url)
                .json(params)
                .send()
                .await
                .unwrap();
            reply.json::<Value>().await.unwrap()
        })
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            self.rt.block_on(handle.shutdown());
        }
    }
}

fn summary(plan: &Value) -> (u64, u64, u64, u64) {
    let s = &plan["summary"];
    let n = |k: &str| s[k].as_u64().unwrap();
    (
        n("create") + n("replace"),
        n("update"),
        n("delete"),
        n("unchanged"),
    )
}

#[test]
fn the_gitops_loop_converges_and_shows_each_kind_of_change() {
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    assert_eq!(summary(&p.plan()), (5, 0, 0, 0));
    let first = p.b24flow(&["apply", "--auto-approve"]).success();
    assert!(
        first
            .stderr()
            .contains("Apply complete: 5 succeeded, 0 failed"),
        "{}",
        first.stderr()
    );
    assert_eq!(p.managed().len(), 5);

    // Nothing changed: nothing to do, and --detailed-exitcode says so.
    assert_eq!(summary(&p.plan()), (0, 0, 0, 5));
    p.b24flow(&["plan", "--detailed-exitcode"]).expect_code(0);
    let again = p.b24flow(&["apply", "--auto-approve"]).success();
    assert!(
        again.stderr().contains("Nothing to apply."),
        "{}",
        again.stderr()
    );

    // One spec edited: exactly one update.
    p.env.write(
        "workflows/deal-won.txt",
        "When a deal is won, send a WhatsApp message \"Thank you!\" to the client",
    );
    p.b24flow(&["compile"]).success();
    let plan = p.plan();
    assert_eq!(summary(&plan), (0, 1, 0, 4));
    let change = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["action"] == "update")
        .unwrap();
    assert_eq!(change["id"], "deal-won");
    assert!(change["tree_diff"].as_str().unwrap().contains("Thank you!"));
    p.b24flow(&["plan", "--detailed-exitcode"]).expect_code(2);
    p.b24flow(&["apply", "--auto-approve"]).success();

    // One spec deleted: exactly one destroy, shown apart.
    std::fs::remove_file(p.env.path("workflows/lead-converted.txt")).unwrap();
    std::fs::remove_file(p.env.path("workflows/lead-converted.lock.yaml")).unwrap();
    assert_eq!(summary(&p.plan()), (0, 0, 1, 4));
    let text = p.b24flow(&["plan"]).success().stdout();
    assert!(
        text.contains("Templates to destroy:") && text.contains("lead-converted"),
        "{text}"
    );
    p.b24flow(&["apply", "--auto-approve"]).success();
    assert_eq!(p.managed().len(), 4);
    assert_eq!(summary(&p.plan()), (0, 0, 0, 4));
}

#[test]
fn a_portal_edit_is_drift_and_apply_restores_it() {
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    p.b24flow(&["apply", "--auto-approve"]).success();
    p.b24flow(&["drift"]).expect_code(0);

    let id = p
        .managed()
        .iter()
        .find(|t| t.description.contains("[b24flow:deal-won@"))
        .unwrap()
        .id;
    let reply = p.rest(
        "bizproc.workflow.template.update",
        &json!({"ID": id, "FIELDS": {"NAME": "Renamed in the designer", "AUTO_EXECUTE": "0"}}),
    );
    assert!(reply.get("error").is_none(), "{reply}");

    let drift = p.b24flow(&["drift"]).expect_code(2);
    assert!(drift.stderr().contains("deal-won"), "{}", drift.stderr());
    let plan = p.plan();
    let change = &plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "deal-won")
        .unwrap();
    assert_eq!(change["action"], "update");
    assert!(
        change["reason"].as_str().unwrap().contains("drift"),
        "{change}"
    );
    p.b24flow(&["apply", "--auto-approve"]).success();
    p.b24flow(&["drift"]).expect_code(0);
}

#[test]
fn unmanaged_templates_are_never_touched() {
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    p.b24flow(&["apply", "--auto-approve"]).success();
    // A template made by hand in the designer: no marker, no application.
    let mut t = p.handle().templates().remove(0);
    t.description = "Made by hand in the designer".into();
    t.system_code = None;
    t.name = "Hand-made".into();
    let hand_made_id = p.handle().insert_template(t);
    p.b24flow(&["apply", "--auto-approve"]).success();
    for spec in [
        "deal-won",
        "deal-lost",
        "lead-converted",
        "lead-follow-up",
        "invoice-overdue",
    ] {
        std::fs::remove_file(p.env.path(&format!("workflows/{spec}.txt"))).unwrap();
        std::fs::remove_file(p.env.path(&format!("workflows/{spec}.lock.yaml"))).unwrap();
    }
    // Five deletions exceed the default guard of 3: plan shows them, then refuses.
    let guarded = p.b24flow(&["plan", "--format", "json"]).expect_code(1);
    assert_eq!(guarded.json()["summary"]["unmanaged"], 1);
    assert_eq!(guarded.json()["summary"]["delete"], 5);
    assert!(
        guarded.stderr().contains("at most 3 may be deleted"),
        "{}",
        guarded.stderr()
    );
    let refused = p.b24flow(&["apply", "--auto-approve"]).expect_code(1);
    assert!(
        refused.stderr().contains("--allow-deletes 5"),
        "{}",
        refused.stderr()
    );
    assert_eq!(p.managed().len(), 5);
    p.b24flow(&["apply", "--auto-approve", "--allow-deletes", "5"])
        .success();
    let left = p.handle().templates();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, hand_made_id);
    assert_eq!(left[0].name, "Hand-made");
    let refuse = p
        .b24flow(&["delete", &hand_made_id.to_string(), "--auto-approve"])
        .expect_code(1);
    assert!(
        refuse.stderr().contains("not managed by b24flow"),
        "{}",
        refuse.stderr()
    );
}

#[test]
fn a_saved_plan_is_applied_once_and_refused_when_stale() {
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    p.b24flow(&["plan", "--out", "plan.json"]).success();
    p.b24flow(&["apply", "plan.json"]).success();
    assert_eq!(p.managed().len(), 5);
    // The same plan again: the portal moved (it was made against an empty portal).
    let again = p.b24flow(&["apply", "plan.json"]).expect_code(1);
    assert!(
        again.stderr().contains("stale") && again.stderr().contains("portal"),
        "{}",
        again.stderr()
    );
    assert_eq!(p.managed().len(), 5);

    // A plan whose lockfiles changed afterwards.
    p.env.write(
        "workflows/deal-won.txt",
        "When a deal is won, send an SMS to the client",
    );
    p.b24flow(&["compile"]).success();
    p.b24flow(&["plan", "--out", "plan2.json"]).success();
    p.env.write(
        "workflows/deal-won.txt",
        "When a deal is won, send an email to the client",
    );
    p.b24flow(&["compile"]).success();
    let stale = p.b24flow(&["apply", "plan2.json"]).expect_code(1);
    assert!(stale.stderr().contains("lockfiles"), "{}", stale.stderr());

    // A garbled plan file.
    p.env
        .write("bad.json", "{\"format_version\": 1, \"changes\": 5}");
    let bad = p.b24flow(&["apply", "bad.json"]).expect_code(1);
    assert!(
        bad.stderr().contains("is not a b24flow plan"),
        "{}",
        bad.stderr()
    );
}

#[test]
fn stale_lockfiles_are_refused_by_plan() {
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    p.env.write(
        "workflows/deal-won.txt",
        "When a deal is lost, send an SMS to the client",
    );
    let run = p.b24flow(&["plan"]).expect_code(1);
    assert!(
        run.stderr()
            .contains("workflows/deal-won.txt changed since its lockfile"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("b24flow compile"), "{}", run.stderr());
}

#[test]
fn markdown_plans_fit_a_pull_request_comment() {
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    let md = p
        .b24flow(&["plan", "--format", "markdown"])
        .success()
        .stdout();
    assert!(md.starts_with("### b24flow plan for `http"), "{md}");
    assert!(
        md.lines()
            .next()
            .unwrap()
            .ends_with(": 5 to add, 0 to change, 0 to destroy"),
        "{md}"
    );
    // Each new workflow: its section, explanation and diagram; a create has no diff.
    assert_eq!(md.matches("#### ➕ create").count(), 5, "{md}");
    assert_eq!(md.matches("```mermaid").count(), 5, "{md}");
    assert!(md.contains("When a deal becomes won"), "{md}");
}

#[test]
fn apply_records_the_commit_in_the_markers_it_writes_and_plan_ignores_it() {
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    let first = "1111111111111111111111111111111111111111";
    let apply = |sha: &str| {
        p.env
            .cmd(&["apply", "--auto-approve"])
            .env("B24FLOW_ACCESS_TOKEN", TOKEN)
            .env("GITHUB_SHA", sha)
            .run()
            .success()
    };
    apply(first);
    let managed = p.managed();
    assert_eq!(managed.len(), 5);
    for t in &managed {
        assert!(
            t.description.ends_with(&format!(" commit {first}]")),
            "{}",
            t.description
        );
    }
    // The commit is no change: nothing to plan, no drift.
    assert_eq!(summary(&p.plan()), (0, 0, 0, 5));
    p.b24flow(&["drift"]).expect_code(0);

    // One workflow changes: only its template gets the new commit.
    p.env.write(
        "workflows/deal-won.txt",
        "When a deal is won, send a WhatsApp message to the client and notify the manager\n",
    );
    p.b24flow(&["compile"]).success();
    let second = "2222222222222222222222222222222222222222";
    apply(second);
    for t in p.managed() {
        let sha = if t.description.contains("[b24flow:deal-won@") {
            second
        } else {
            first
        };
        assert!(
            t.description.ends_with(&format!(" commit {sha}]")),
            "{}",
            t.description
        );
    }
    assert_eq!(summary(&p.plan()), (0, 0, 0, 5));
}

#[test]
fn drift_as_markdown_says_what_differs_and_when_nothing_does() {
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    p.b24flow(&["apply", "--auto-approve"]).success();
    let clean = p.b24flow(&["drift", "--format", "markdown"]).expect_code(0);
    assert!(
        clean.stdout().starts_with("### b24flow drift on `http")
            && clean.stdout().contains(": none, the portal matches git"),
        "{}",
        clean.stdout()
    );
    let id = p
        .managed()
        .iter()
        .find(|t| t.description.contains("[b24flow:deal-won@"))
        .unwrap()
        .id;
    let reply = p.rest(
        "bizproc.workflow.template.update",
        &json!({"ID": id, "FIELDS": {"NAME": "Renamed in the designer"}}),
    );
    assert!(reply.get("error").is_none(), "{reply}");
    let drifted = p.b24flow(&["drift", "--format", "markdown"]).expect_code(2);
    let md = drifted.stdout();
    assert!(md.contains(": 1 workflow(s) differ from git"), "{md}");
    assert!(
        md.contains("#### ✏️ update `deal-won`: edited in the portal"),
        "{md}"
    );
    assert!(md.contains("the portal's copy was edited"), "{md}");
}

fn many_specs(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            (
                format!("w{i:03}"),
                format!("When a deal is won, add a comment \"Deal won, rule {i}\""),
            )
        })
        .collect()
}

#[test]
fn applying_through_faults_converges_to_exactly_one_template_per_workflow() {
    let specs = many_specs(200);
    let refs: Vec<(&str, &str)> = specs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let faults = Faults::parse("500:0.04,503:0.03,drop-after-commit:0.03,seed:11").unwrap();
    let p = Portal::start(&refs, faults.clone(), Duration::ZERO);
    p.b24flow(&["compile"]).success();
    for batch in [true, false] {
        let mut args = vec!["apply", "--auto-approve", "--allow-deletes", "200"];
        if !batch {
            args.push("--no-batch");
        }
        let run = p.b24flow(&args);
        let err = run.stderr();
        assert!(!err.contains("panicked"), "{err}");
        // Re-run until a round completes cleanly; a real CI would simply run it again.
        for _ in 0..3 {
            if p.b24flow(&["drift"]).code() == 0 {
                break;
            }
            p.b24flow(&args);
        }
        p.handle().set_faults(Faults::none());
        let managed = p.managed();
        let mut ids: Vec<String> = managed
            .iter()
            .map(|t| t.description.rsplit_once("[b24flow:").unwrap().1.to_owned())
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(
            managed.len(),
            200,
            "batch={batch}: {} templates for 200 workflows",
            managed.len()
        );
        assert_eq!(ids.len(), 200);
        p.b24flow(&["drift"]).expect_code(0);
        // Second pass: delete all through faults, then recreate.
        p.handle().set_faults(faults.clone());
        if batch {
            for (name, _) in &specs {
                std::fs::rename(
                    p.env.path(&format!("workflows/{name}.txt")),
                    p.env.path(&format!("{name}.txt")),
                )
                .unwrap();
                std::fs::rename(
                    p.env.path(&format!("workflows/{name}.lock.yaml")),
                    p.env.path(&format!("{name}.lock.yaml")),
                )
                .unwrap();
            }
            for _ in 0..4 {
                p.b24flow(&args);
            }
            p.handle().set_faults(Faults::none());
            assert_eq!(
                p.managed().len(),
                0,
                "deleting through faults left templates"
            );
            for (name, _) in &specs {
                std::fs::rename(
                    p.env.path(&format!("{name}.txt")),
                    p.env.path(&format!("workflows/{name}.txt")),
                )
                .unwrap();
                std::fs::rename(
                    p.env.path(&format!("{name}.lock.yaml")),
                    p.env.path(&format!("workflows/{name}.lock.yaml")),
                )
                .unwrap();
            }
            p.handle().set_faults(faults.clone());
        }
    }
}

#[test]
fn a_killed_apply_can_be_run_again() {
    let specs = many_specs(60);
    let refs: Vec<(&str, &str)> = specs
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let p = Portal::start(&refs, Faults::none(), Duration::from_millis(40));
    p.b24flow(&["compile"]).success();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_b24flow"))
        .args(["apply", "--auto-approve", "--no-batch"])
        .current_dir(p.env.root())
        .env("B24FLOW_ACCESS_TOKEN", TOKEN)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Let it write part of the way, then kill it.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while p.managed().len() < 10 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = p.managed().len();
    assert!(
        partial > 0 && partial < 60,
        "killed after {partial} templates"
    );
    // The killed run left its lock behind, but its holder ran on this machine and is
    // gone, so a plain apply takes the lock over and converges.
    p.b24flow(&["apply", "--auto-approve"]).success();
    assert_eq!(p.managed().len(), 60);
    p.b24flow(&["drift"]).expect_code(0);
    // The journal recorded the writes of both runs. Writes go one by one, so at most
    // one create was in flight when the first run died: it committed without a "done"
    // line, and the second run found it by its marker instead of creating it again.
    let journal = std::fs::read_to_string(p.env.path(".b24flow/journal.jsonl")).unwrap();
    // Template writes only: the user fields are journalled too, with their name.
    let done = journal
        .lines()
        .filter(|l| l.contains("\"done\"") && !l.contains("\"field\""))
        .count();
    assert!((59..=60).contains(&done), "{done} done lines:\n{journal}");
}

#[test]
fn no_secret_appears_in_any_output() {
    let p = Portal::seeds();
    let secrets = [
        TOKEN,
        "client-SECRET-55",
        "refresh-SECRET-91",
        "webhookSECRET77",
    ];
    let runs = |p: &Portal| -> Vec<Run> {
        let env = |args: &[&str]| {
            p.env
                .cmd(args)
                .env("B24FLOW_ACCESS_TOKEN", TOKEN)
                .env("B24FLOW_CLIENT_ID", "app.test")
                .env("B24FLOW_CLIENT_SECRET", "client-SECRET-55")
                .env("B24FLOW_REFRESH_TOKEN", "refresh-SECRET-91")
                .env(
                    "B24FLOW_WEBHOOK_URL",
                    "http://127.0.0.1:9/rest/1/webhookSECRET77/",
                )
                .env("GEMINI_API_KEY", "webhookSECRET77")
                .run()
        };
        vec![
            env(&["compile"]),
            env(&["validate"]),
            env(&["plan"]),
            env(&["plan", "--format", "json"]),
            env(&["plan", "--format", "markdown"]),
            env(&["apply", "--auto-approve"]),
            env(&["drift"]),
            env(&["list", "--json"]),
            env(&["list"]),
            env(&["delete", "deal-won", "--auto-approve"]),
            env(&["delete", "999", "--auto-approve"]),
        ]
    };
    let mut outputs = runs(&p);
    // And against a portal that is down.
    p.env
        .write("b24flow.toml", "[portal]\nurl = \"http://127.0.0.1:9\"\n");
    outputs.extend(runs(&p));
    for run in &outputs {
        for secret in secrets {
            assert!(
                !run.stdout().contains(secret),
                "stdout has {secret}:\n{}",
                run.stdout()
            );
            assert!(
                !run.stderr().contains(secret),
                "stderr has {secret}:\n{}",
                run.stderr()
            );
        }
    }
    for file in [".b24flow/journal.jsonl", "workflows/deal-won.lock.yaml"] {
        let text = std::fs::read_to_string(p.env.path(file)).unwrap_or_default();
        for secret in secrets {
            assert!(!text.contains(secret), "{file} has {secret}");
        }
    }
    assert!(Path::new(&p.env.path(".b24flow")).exists());
}

#[test]
fn the_local_portal_runs_the_whole_pipeline_without_configuration() {
    let env = TestEnv::with_specs(SEEDS);
    env.write(
        "b24flow.toml",
        "[recipients]\n\"sales team\" = \"group_dr1\"\n",
    );
    env.run(&["compile"]).success();
    let plan = env.run(&["plan"]).success();
    assert!(
        plan.stderr().starts_with("Using the built-in local portal"),
        "{}",
        plan.stderr()
    );
    env.run(&["apply", "--auto-approve"]).success();
    assert!(env.exists(".b24flow/portal.json"));
    let list = env.run(&["list", "--json"]).success().json();
    crate::schema::assert_matches("list.schema.json", &list);
    assert_eq!(list["templates"].as_array().unwrap().len(), 5);
    let plan = env.run(&["plan", "--format", "json"]).success().json();
    crate::schema::assert_matches("plan.schema.json", &plan);
    assert_eq!(plan["summary"]["unchanged"], 5);
    env.run(&["delete", "deal-won", "--auto-approve"]).success();
    assert_eq!(
        env.run(&["plan", "--format", "json"]).success().json()["summary"]["create"],
        1
    );
}

#[test]
fn json_plans_match_their_committed_schema() {
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    let schema: Value = serde_json::from_str(&b24flow::schema::plan()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let check = |doc: &Value| {
        let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}\n{doc}");
    };
    check(&p.plan());
    p.b24flow(&["apply", "--auto-approve"]).success();
    p.env.write(
        "workflows/deal-won.txt",
        "When a deal is won, send an SMS to the client",
    );
    p.b24flow(&["compile"]).success();
    let plan = p.plan();
    assert_eq!(plan["changes"].as_array().unwrap().len(), 5);
    check(&plan);
}

/// The deal-won template as b24flow built it before the marker (commit 446f01e): the
/// `modified` guard, with that build's ownership marker.
fn old_deal_won_template() -> b24flow::bizproc::Template {
    use b24flow::bizproc::php::Value as Php;
    use b24flow::bizproc::{Activity, Template};
    let mut t = Template::new(
        "Deal won: send WhatsApp",
        ["crm", "CCrmDocumentDeal", "DEAL"],
        2,
    );
    t.description = b24flow::plan::description(
        "workflows/deal-won.txt",
        "When a deal is won, send a WhatsApp message to the client",
        "deal-won",
        "9d159b7b2c16018fe299d692f0b1fc139e19aab5ac04d1e7245a81e0a3953bd6",
    );

    let send = Activity::new("ImOpenLinesMessageActivity", "A1")
        .with("Title", Php::str("Send WhatsApp"))
        .with(
            "MessageText",
            Php::str("Congratulations! Your deal has been confirmed."),
        );
    crate::old_templates::modified_guard(&mut t, send);
    t
}

/// Issue 12: a portal holding the template built before the fix gets it updated in
/// place, explained (the guard's rows in the diff), with its marker field created first;
/// afterwards nothing drifts.
#[test]
fn a_portal_with_the_old_templates_is_updated_in_place_with_its_marker_field() {
    use base64::Engine as _;
    let p = Portal::seeds();
    p.b24flow(&["compile"]).success();
    let old = old_deal_won_template();
    let added = p.rest(
        "bizproc.workflow.template.add",
        &json!({
            "DOCUMENT_TYPE": old.document_type,
            "NAME": old.name,
            "DESCRIPTION": old.description,
            "AUTO_EXECUTE": "2",
            "TEMPLATE_DATA": ["t.bpt", base64::engine::general_purpose::STANDARD.encode(old.to_bpt())],
        }),
    );
    let old_id = added["result"]
        .as_u64()
        .expect("the old template is stored");

    let plan = p.plan();
    let change = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "deal-won")
        .unwrap()
        .clone();
    assert_eq!(change["action"], "update", "{change:#}");
    assert_eq!(change["template_id"], old_id);
    assert_eq!(change["reason"], "the workflow changed");
    let diff = change["tree_diff"].as_str().unwrap();
    assert!(
        diff.lines()
            .any(|l| l.starts_with('-') && l.contains("\"modified\"")),
        "the old guard goes: {diff}"
    );
    assert!(
        diff.lines()
            .any(|l| l.starts_with('+') && l.contains("UF_CRM_B24F_")),
        "the marker comes: {diff}"
    );
    let fields = plan["fields"].as_array().expect("fields to create");
    let marker = fields
        .iter()
        .find(|f| f["workflows"] == json!(["deal-won"]))
        .expect("deal-won's marker is planned");
    assert_eq!(marker["method"], "crm.deal.userfield.add");
    assert_eq!(plan["summary"]["fields"], fields.len());

    let text = p.b24flow(&["plan"]).success().stdout();
    assert!(text.contains("User fields to create"), "{text}");
    assert!(text.contains("update deal-won (template"), "{text}");

    p.b24flow(&["apply", "--auto-approve"]).success();
    let name = marker["field_name"].as_str().unwrap();
    let listed = p.rest(
        "crm.deal.userfield.list",
        &json!({"filter": {"FIELD_NAME": name}}),
    );
    assert_eq!(listed["result"][0]["FIELD_NAME"], name, "{listed}");
    assert_eq!(
        p.managed()
            .iter()
            .filter(|t| t.description.contains("[b24flow:deal-won@"))
            .count(),
        1,
        "updated in place, not duplicated"
    );
    p.b24flow(&["drift"]).expect_code(0);
}
