//! Hardening against data loss (issue 11, redteam-2026-12.md rows 3.2, 3.3, 3.4, 3.6,
//! 3.8 and the lock review): a fault proxy in front of an emulated portal that commits
//! a write upstream and loses its reply, then fails the listings; two applies at once;
//! an edited saved plan; two processes writing one local portal state file.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri};
use b24flow::emulator::{self, Faults, Handle};
use serde_json::{Value, json};

use crate::support::{Run, TestEnv};

const TOKEN: &str = "tok-HARDEN-0f3c9a77e1";

use crate::gitops::SEEDS as SPECS;

/// What the fault proxy does to the traffic it forwards.
#[derive(Default)]
struct Faulty {
    /// Writes (`batch` or `template.add`) still to commit upstream and answer with 504.
    lose_writes: AtomicUsize,
    /// Answer every template listing with 503 (set when a write's reply is lost).
    fail_lists: AtomicBool,
    /// Writes forwarded upstream.
    writes: AtomicUsize,
}

/// An emulated portal behind a fault proxy, and a project configured for the proxy.
struct Rig {
    env: TestEnv,
    handle: Option<Handle>,
    faulty: Arc<Faulty>,
    rt: tokio::runtime::Runtime,
}

impl Rig {
    fn start() -> Rig {
        let rt = crate::support::runtime();
        let env = TestEnv::with_specs(SPECS);
        let handle = rt
            .block_on(emulator::start(emulator::Options {
                state_file: Some(env.path("portal-state.json")),
                apps: vec![crate::support::admin_app(
                    7,
                    "app.test",
                    "client-SECRET-55",
                    TOKEN,
                )],
                rate: None,
                faults: Faults::none(),
                ..emulator::Options::default()
            }))
            .unwrap();
        let faulty = Arc::new(Faulty::default());
        let proxy = rt.block_on(proxy(handle.portal_url(), Arc::clone(&faulty)));
        env.write(
            "b24flow.toml",
            format!(
                "[portal]\nurl = \"http://{proxy}\"\nrate = \"off\"\n\n[recipients]\n\"sales team\" = \"group_dr1\"\n"
            ),
        );
        Rig {
            env,
            handle: Some(handle),
            faulty,
            rt,
        }
    }

    fn handle(&self) -> &Handle {
        self.handle.as_ref().unwrap()
    }

    fn b24flow(&self, args: &[&str]) -> Run {
        self.env.cmd(args).env("B24FLOW_ACCESS_TOKEN", TOKEN).run()
    }

    /// Managed templates per workflow id.
    fn per_workflow(&self) -> std::collections::BTreeMap<String, usize> {
        let mut out = std::collections::BTreeMap::new();
        for t in self.handle().templates() {
            if let Some((_, id)) = t.description.rsplit_once("[b24flow:") {
                let id = id.trim_end_matches(']').to_owned();
                *out.entry(id).or_default() += 1;
            }
        }
        out
    }

    fn unmanaged(&self) -> Vec<emulator::StoredTemplate> {
        self.handle()
            .templates()
            .into_iter()
            .filter(|t| !t.description.contains("[b24flow:"))
            .collect()
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            self.rt.block_on(handle.shutdown());
        }
    }
}

/// A proxy to `upstream` that loses write replies and fails listings as `faulty` says.
async fn proxy(upstream: String, faulty: Arc<Faulty>) -> SocketAddr {
    let http = reqwest::Client::new();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
        let faulty = Arc::clone(&faulty);
        let http = http.clone();
        let upstream = upstream.clone();
        async move {
            let path = uri.path().to_owned();
            // A batch is a write when it carries a template write; plan's reads are
            // batched too (the first template page with the user-field lists).
            let sent = String::from_utf8_lossy(&body);
            let writes_templates = ["template.add", "template.update", "template.delete"]
                .iter()
                .any(|m| sent.contains(m));
            let is_write =
                (path.contains("/batch") && writes_templates) || path.contains("template.add");
            let lists = path.contains("template.list")
                || (path.contains("/batch") && sent.contains("template.list"));
            if lists && faulty.fail_lists.load(Ordering::SeqCst) {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "<html>503</html>".to_owned(),
                );
            }
            let target = format!(
                "{upstream}{}",
                uri.path_and_query().map_or("/", |p| p.as_str())
            );
            let mut request = http.post(target).body(body.to_vec());
            if let Some(ct) = headers.get("content-type") {
                request = request.header("content-type", ct.as_bytes());
            }
            let reply = request.send().await.unwrap();
            let status = reply.status().as_u16();
            let text = reply.text().await.unwrap();
            if is_write {
                faulty.writes.fetch_add(1, Ordering::SeqCst);
                let lose = faulty
                    .lose_writes
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if lose {
                    // Committed upstream; the reply never arrives, and the portal cannot
                    // be listed for a while.
                    faulty.fail_lists.store(true, Ordering::SeqCst);
                    return (StatusCode::GATEWAY_TIMEOUT, "<html>504</html>".to_owned());
                }
            }
            (StatusCode::from_u16(status).unwrap(), text)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

/// Red-team 3.3 (R1) and 3.2: a write committed upstream whose reply is lost, then
/// failing lists. Before: the creates were re-sent blindly, "5 succeeded, 0 failed",
/// two templates per workflow. Now: a non-zero exit saying the state is unknown, no
/// duplicate, and the next apply converges.
#[test]
fn redteam_3_3_a_lost_write_reply_then_failing_lists_never_duplicates() {
    for batch in [true, false] {
        let rig = Rig::start();
        rig.b24flow(&["compile"]).success();
        rig.faulty.lose_writes.store(1, Ordering::SeqCst);
        let mut args = vec!["apply", "--auto-approve"];
        if !batch {
            args.push("--no-batch");
        }
        let run = rig.b24flow(&args);
        let err = run.stderr();
        assert_ne!(run.code(), 0, "batch={batch}: {err}");
        assert!(err.contains("state unknown, run apply again"), "{err}");
        assert!(!err.contains("Apply complete"), "{err}");
        let counts = rig.per_workflow();
        assert!(
            counts.values().all(|&n| n == 1),
            "batch={batch}: duplicates {counts:?}"
        );
        // The portal can be read again: the next plain apply converges.
        rig.faulty.fail_lists.store(false, Ordering::SeqCst);
        rig.b24flow(&args).success();
        let counts = rig.per_workflow();
        assert_eq!(counts.len(), 5, "{counts:?}");
        assert!(counts.values().all(|&n| n == 1), "{counts:?}");
        rig.b24flow(&["drift"]).expect_code(0);
    }
}

/// Red-team 3.2: duplicates an earlier run left are removed by the next apply whatever
/// `max_deletes` says (they are listed apart in the plan), and unmanaged templates stay.
#[test]
fn redteam_3_2_leftover_duplicates_are_removed_past_max_deletes() {
    let rig = Rig::start();
    rig.b24flow(&["compile"]).success();
    rig.b24flow(&["apply", "--auto-approve"]).success();
    let mut hand = rig.handle().templates().remove(0);
    hand.id = 0;
    hand.description = "Made by hand".into();
    hand.system_code = None;
    rig.handle().insert_template(hand);
    // Two copies of every managed template: five duplicates, more than max_deletes (3).
    for mut t in rig
        .handle()
        .templates()
        .into_iter()
        .filter(|t| t.description.contains("[b24flow:"))
    {
        t.id = 0;
        rig.handle().insert_template(t);
    }
    let plan = rig.b24flow(&["plan"]).success();
    assert!(
        plan.stdout().contains("Duplicates b24flow left to remove"),
        "{}",
        plan.stdout()
    );
    rig.b24flow(&["apply", "--auto-approve"]).success();
    let counts = rig.per_workflow();
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    assert_eq!(rig.unmanaged().len(), 1);
}

/// Red-team 3.4 (R2): an apply waiting at its prompt while another apply finished
/// applied its stale plan. Now the plan is made again under the lock and a different
/// one is refused.
#[test]
fn redteam_3_4_a_plan_overtaken_by_another_apply_is_refused() {
    let rig = Rig::start();
    rig.b24flow(&["compile"]).success();
    let project = b24flow::project::Project::discover(rig.env.root()).unwrap();
    let env = b24flow::config::Env::from_lookup(|name| {
        (name == b24flow::config::var::ACCESS_TOKEN).then(|| TOKEN.to_owned())
    });
    rig.rt.block_on(async {
        let portal = b24flow::portal::Portal::connect(&project, &env)
            .await
            .unwrap();
        let wanted = b24flow::ops::plan::wanted(&project).unwrap();
        let shown = b24flow::ops::plan::compute(&portal, &wanted).await.unwrap();
        // Meanwhile, another apply runs to the end.
        rig.b24flow(&["apply", "--auto-approve"]).success();
        let refused = b24flow::ops::apply::run_checked(
            &project,
            &portal,
            &shown,
            None,
            b24flow::ops::apply::Options::default(),
            &|_| {},
        )
        .await
        .unwrap_err();
        assert!(
            matches!(refused, b24flow::ops::Error::StalePlan { .. }),
            "{refused:?}"
        );
    });
    let counts = rig.per_workflow();
    assert_eq!(counts.len(), 5);
    assert!(counts.values().all(|&n| n == 1), "{counts:?}");
}

/// Red-team 3.8 (R4): a saved plan edited to delete unmanaged templates (summary left
/// alone) and to upload a template no lockfile holds was applied. Now it is refused
/// and nothing is written.
#[test]
fn redteam_3_8_an_edited_saved_plan_is_refused() {
    let rig = Rig::start();
    rig.b24flow(&["compile"]).success();
    for i in 0..5 {
        let mut hand = emulator_template();
        hand.name = format!("Hand-made {i}");
        rig.handle().insert_template(hand);
    }
    let unmanaged: Vec<u64> = rig.unmanaged().iter().map(|t| t.id).collect();
    assert_eq!(unmanaged.len(), 5);
    rig.b24flow(&["plan", "--out", "p.json"]).success();
    let saved: Value = serde_json::from_str(&rig.env.read("p.json")).unwrap();

    let mut deletes = saved.clone();
    for id in &unmanaged {
        deletes["changes"].as_array_mut().unwrap().push(json!({
            "id": "deal-won", "action": "delete", "template_id": id,
            "name": "x", "reason": "its spec was deleted", "fields": []
        }));
    }
    rig.env.write("deletes.json", deletes.to_string());
    let run = rig.b24flow(&["apply", "deletes.json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("stale"), "{}", run.stderr());

    let mut injected = saved.clone();
    injected["desired"]["deal-won"]["name"] = json!("INJECTED TEMPLATE");
    rig.env.write("injected.json", injected.to_string());
    let run = rig.b24flow(&["apply", "injected.json"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());

    assert_eq!(rig.unmanaged().len(), 5, "unmanaged templates were touched");
    assert!(
        rig.per_workflow().is_empty(),
        "an edited plan wrote templates"
    );
    // The untouched plan still applies.
    rig.b24flow(&["apply", "p.json"]).success();
    assert_eq!(rig.per_workflow().len(), 5);
}

/// A hand-made template (no marker, no application) for the emulator.
fn emulator_template() -> emulator::StoredTemplate {
    emulator::StoredTemplate {
        id: 0,
        module_id: "crm".into(),
        entity: "CCrmDocumentDeal".into(),
        document_type: "DEAL".into(),
        auto_execute: 0,
        name: "Hand-made".into(),
        description: "Made by hand in the designer".into(),
        template: json!([]),
        parameters: json!([]),
        variables: json!([]),
        constants: json!([]),
        modified: "2026-12-01T00:00:00+00:00".into(),
        is_modified: false,
        user_id: 1,
        system_code: None,
    }
}

/// Red-team 3.6: two processes serving one local portal state file (apply and delete
/// on the built-in portal) each rewrote it from their own copy and lost the other's
/// writes. Two emulators on one state file stand for the two processes.
#[test]
fn redteam_3_6_two_writers_of_one_local_portal_lose_nothing() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("portal.json");
    rt.block_on(async {
        let start = || emulator::start(emulator::Options::local(state.clone(), TOKEN.into()));
        let (a, b) = (start().await.unwrap(), start().await.unwrap());
        let http = reqwest::Client::new();
        let add = |url: String, title: String| {
            let http = http.clone();
            async move {
                let reply: Value = http
                    .post(format!("{url}/rest/crm.deal.add.json?auth={TOKEN}"))
                    .json(&json!({"fields": {"TITLE": title}}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                assert!(reply.get("result").is_some(), "{reply}");
            }
        };
        let mut tasks = Vec::new();
        for i in 0..15 {
            tasks.push(tokio::spawn(add(a.portal_url(), format!("a{i}"))));
            tasks.push(tokio::spawn(add(b.portal_url(), format!("b{i}"))));
        }
        for t in tasks {
            t.await.unwrap();
        }
        a.shutdown().await;
        b.shutdown().await;
        let fresh = start().await.unwrap();
        let listed: Value = http
            .post(format!(
                "{}/rest/crm.deal.list.json?auth={TOKEN}",
                fresh.portal_url()
            ))
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(listed["total"], 30, "{listed}");
        fresh.shutdown().await;
    });
}

/// Red-team code review: `delete` wrote to the portal without the apply lock.
#[test]
fn delete_waits_for_no_one_and_refuses_while_an_apply_holds_the_lock() {
    let env = TestEnv::with_specs(&SPECS[..1]);
    env.run(&["compile"]).success();
    env.run(&["apply", "--auto-approve"]).success();
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    env.write(
        ".b24flow/apply.lock",
        format!(
            r#"{{"pid": {}, "host": "{host}", "since": 1, "portal": "local"}}"#,
            std::process::id()
        ),
    );
    let run = env.run(&["delete", "deal-won", "--auto-approve"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("another apply holds the lock"),
        "{}",
        run.stderr()
    );
    // A running holder is never broken.
    env.write(
        "workflows/lead.txt",
        "When a lead is created, notify the manager",
    );
    env.run(&["compile"]).success();
    let run = env.run(&["apply", "--auto-approve", "--break-lock"]);
    assert!(
        run.stderr().contains("another apply holds the lock"),
        "{}",
        run.stderr()
    );
    assert_ne!(run.code(), 0, "{}", run.stderr());
    std::fs::remove_file(env.path(".b24flow/apply.lock")).unwrap();
    env.run(&["delete", "deal-won", "--auto-approve"]).success();
}
