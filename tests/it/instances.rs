//! plan and apply against running instances, on the executing local portal: a template
//! whose workflows still run is retired (auto-start off, marked in the portal) rather
//! than deleted, and deleted by a later apply once they finish; `--terminate-running`
//! ends them first; a replace never leaves two auto-starting copies; faults in the
//! instance read or mid-way through terminating leave nothing half done.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{StatusCode, Uri};
use b24flow::bizproc::php::Value as Php;
use b24flow::bizproc::{Activity, Template};
use b24flow::plan::RETIRING_LINE;
use base64::Engine as _;
use serde_json::{Value, json};

use crate::engine::{Portal, TOKEN};
use crate::support::Run;

/// The portal with `workflows` (repository spec names without `.txt`) applied by the
/// binary, the project's portal URL set to `url` (the portal's own when `None`).
fn project(p: &Portal, workflows: &[&str]) {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for w in workflows {
        for ext in ["txt", "lock.yaml"] {
            let name = format!("{w}.{ext}");
            p.env.write(
                &format!("workflows/{name}"),
                std::fs::read(repo.join("workflows").join(&name)).unwrap(),
            );
        }
    }
    point_at(p, &p.url());
}

fn point_at(p: &Portal, url: &str) {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let toml = std::fs::read_to_string(repo.join("b24flow.toml")).unwrap();
    let toml = toml.replace(
        "rate = \"standard\"",
        &format!("url = \"{url}\"\nrate = \"off\""),
    );
    p.env.write("b24flow.toml", toml);
}

fn b24flow(p: &Portal, args: &[&str]) -> Run {
    p.env.cmd(args).env("B24FLOW_ACCESS_TOKEN", TOKEN).run()
}

/// Every template whose marker names `workflow`: (id, auto-start, retiring).
fn copies(p: &Portal, workflow: &str) -> Vec<(u64, u64, bool)> {
    let list = p.ok(
        "bizproc.workflow.template.list",
        &json!({"SELECT": ["ID", "AUTO_EXECUTE", "DESCRIPTION"]}),
    );
    list.as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            t["DESCRIPTION"]
                .as_str()
                .unwrap_or("")
                .contains(&format!("[b24flow:{workflow}@"))
        })
        .map(|t| {
            (
                t["ID"].as_str().unwrap().parse().unwrap(),
                t["AUTO_EXECUTE"].as_str().unwrap().parse().unwrap(),
                t["DESCRIPTION"].as_str().unwrap().contains(RETIRING_LINE),
            )
        })
        .collect()
}

/// Never two auto-starting copies of a workflow.
#[track_caller]
fn at_most_one_live(p: &Portal, workflow: &str) {
    let live = copies(p, workflow)
        .into_iter()
        .filter(|(_, auto, _)| *auto != 0)
        .count();
    assert!(live <= 1, "{workflow}: {live} auto-starting copies");
}

fn running_of(p: &Portal, template: u64) -> Vec<Value> {
    p.ok(
        "bizproc.workflow.instances",
        &json!({"SELECT": ["ID", "TEMPLATE_ID", "DOCUMENT_ID"], "FILTER": {"TEMPLATE_ID": template}}),
    )
    .as_array()
    .unwrap()
    .clone()
}

fn invoice(p: &Portal, title: &str, due: &str) -> u64 {
    let contact = p.contact();
    p.ok(
        "crm.item.add",
        &json!({"entityTypeId": 31, "fields": {"title": title, "contactId": contact, "opportunity": 120, "closedate": due}}),
    )["item"]["id"]
        .as_u64()
        .unwrap()
}

/// The portal with invoice-overdue applied and `n` unpaid invoices waiting on it;
/// returns the template id.
fn waiting_invoices(p: &Portal, n: usize) -> u64 {
    project(p, &["invoice-overdue", "deal-won"]);
    b24flow(p, &["apply", "--auto-approve"]).success();
    let due = p.date_in(3);
    for i in 0..n {
        invoice(p, &format!("Unpaid {i}"), &due);
    }
    let [(template, 1.., false)] = copies(p, "invoice-overdue")[..] else {
        panic!("{:?}", copies(p, "invoice-overdue"));
    };
    assert_eq!(running_of(p, template).len(), n);
    template
}

fn remove_spec(p: &Portal, workflow: &str) {
    for ext in ["txt", "lock.yaml", "test.yaml"] {
        let _ = std::fs::remove_file(p.env.path(&format!("workflows/{workflow}.{ext}")));
    }
}

/// Issue 13's "done when": the spec of a workflow with a waiting instance is deleted;
/// plan shows the instance, apply retires the template, the clock lets the instance
/// finish, and the next apply deletes it. Never two auto-starting copies.
#[test]
fn a_deleted_spec_with_a_waiting_instance_is_retired_then_deleted() {
    let p = Portal::new();
    let template = waiting_invoices(&p, 1);
    let doc = running_of(&p, template)[0]["DOCUMENT_ID"]
        .as_str()
        .unwrap()
        .to_owned();
    remove_spec(&p, "invoice-overdue");

    let plan = b24flow(&p, &["plan"]).success();
    let text = plan.stdout();
    assert!(
        text.contains(&format!(
            "retire, then destroy invoice-overdue (template {template})"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "running: 1 running ({doc}): auto-start turned off and retired"
        )),
        "{text}"
    );
    let json = b24flow(&p, &["plan", "--format", "json"]).success().json();
    let change = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "invoice-overdue")
        .unwrap()
        .clone();
    assert_eq!(change["action"], "delete");
    assert_eq!(change["running"]["count"], 1);
    assert_eq!(change["running"]["then"], "retire");
    assert_eq!(
        change["running"]["instances"][0]["document_id"],
        doc.as_str()
    );
    assert_eq!(json["summary"]["retiring"], 1);
    let md = b24flow(&p, &["plan", "--format", "markdown"]).success();
    assert!(md.stdout().contains("1 running"), "{}", md.stdout());

    let applied = b24flow(&p, &["apply", "--auto-approve"]).success();
    assert!(
        applied.stderr().contains("retiring"),
        "{}",
        applied.stderr()
    );
    assert_eq!(copies(&p, "invoice-overdue"), [(template, 0, true)]);
    at_most_one_live(&p, "invoice-overdue");
    // Auto-start is off: a new invoice starts nothing on it.
    invoice(&p, "After retiring", &p.date_in(3));
    assert_eq!(running_of(&p, template).len(), 1);

    // Still running: the next apply writes nothing and says it is still retiring.
    let again = b24flow(&p, &["apply", "--auto-approve"]).success();
    assert!(again.stderr().contains("retiring"), "{}", again.stderr());
    assert_eq!(copies(&p, "invoice-overdue"), [(template, 0, true)]);
    let plan = b24flow(&p, &["plan"]).success();
    assert!(
        plan.stdout().contains("already retiring"),
        "{}",
        plan.stdout()
    );

    // The wait ends, the reminder is sent, the instance finishes: deleted now.
    p.advance(5 * 86_400);
    assert!(running_of(&p, template).is_empty());
    assert_eq!(p.on("email").len(), 1);
    let plan = b24flow(&p, &["plan"]).success();
    assert!(
        plan.stdout()
            .contains("0 running: no instance running: deleted now"),
        "{}",
        plan.stdout()
    );
    let last = b24flow(&p, &["apply", "--auto-approve"]).success();
    assert!(last.stderr().contains("destroyed"), "{}", last.stderr());
    assert!(copies(&p, "invoice-overdue").is_empty());
    assert_eq!(
        copies(&p, "deal-won").len(),
        1,
        "the other workflow is untouched"
    );
    b24flow(&p, &["drift"]).success();
}

#[test]
fn terminate_running_ends_the_instances_then_deletes() {
    let p = Portal::new();
    let template = waiting_invoices(&p, 2);
    remove_spec(&p, "invoice-overdue");
    let applied = b24flow(&p, &["apply", "--auto-approve", "--terminate-running"]).success();
    assert!(
        applied
            .stderr()
            .contains("2 running instance(s) terminated"),
        "{}",
        applied.stderr()
    );
    assert!(copies(&p, "invoice-overdue").is_empty());
    assert!(running_of(&p, template).is_empty());
    let log = p.log();
    let statuses: Vec<&str> = log["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["terminated", "terminated"], "{log}");
    p.advance(5 * 86_400);
    assert!(
        p.on("email").is_empty(),
        "terminated instances send nothing"
    );
}

/// A template the plan replaces (its document type changed) while an instance of it
/// waits: the old one is retired and the new one created in the same apply, so the
/// portal never holds two auto-starting copies; once the instance ends, the next
/// apply deletes the old one.
#[test]
fn a_replace_with_a_running_instance_retires_the_old_copy_first() {
    let p = Portal::new();
    project(&p, &["deal-won"]);
    // deal-won's template as if it had been written for leads, with a wait.
    let delay = Activity::new("DelayActivity", "W1")
        .with("Title", Php::str("Wait"))
        .with("TimeoutDuration", Php::str("1"))
        .with("TimeoutDurationType", Php::str("d"));
    let mut old = Template::new("deal-won", ["crm", "CCrmDocumentLead", "LEAD"], 1);
    old.root.children.push(delay);
    let old_id = p
        .ok(
            "bizproc.workflow.template.add",
            &json!({
                "DOCUMENT_TYPE": old.document_type,
                "NAME": "Deal won (old)",
                "DESCRIPTION": "old\n[b24flow:deal-won@0123456789ab]",
                "AUTO_EXECUTE": "1",
                "TEMPLATE_DATA": ["t.bpt", base64::engine::general_purpose::STANDARD.encode(old.to_bpt())],
            }),
        )
        .as_u64()
        .unwrap();
    p.ok(
        "crm.lead.add",
        &json!({"fields": {"TITLE": "Waiting lead"}}),
    );
    assert_eq!(running_of(&p, old_id).len(), 1);

    let plan = b24flow(&p, &["plan", "--format", "json"]).success().json();
    assert_eq!(plan["changes"][0]["action"], "replace");
    assert_eq!(plan["changes"][0]["running"]["then"], "retire");
    b24flow(&p, &["apply", "--auto-approve"]).success();
    let now = copies(&p, "deal-won");
    assert_eq!(now.len(), 2, "{now:?}");
    assert_eq!(now[0], (old_id, 0, true));
    assert!(now[1].0 > old_id && now[1].1 != 0 && !now[1].2, "{now:?}");
    at_most_one_live(&p, "deal-won");

    // Still running: nothing to do but wait; the new copy is the one kept.
    let plan = b24flow(&p, &["plan", "--format", "json"]).success().json();
    let actions: Vec<(&str, &str)> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["action"].as_str().unwrap(), c["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(actions[0].0, "no_op", "{actions:?}");
    assert!(actions[1].1.starts_with("retiring"), "{actions:?}");
    p.advance(2 * 86_400);
    assert!(running_of(&p, old_id).is_empty());
    b24flow(&p, &["apply", "--auto-approve"]).success();
    assert_eq!(copies(&p, "deal-won"), [(now[1].0, now[1].1, false)]);
}

/// An edit is an update in place: the template keeps its id, nothing is deleted, and
/// the instance running on it goes on.
#[test]
fn an_edit_updates_in_place_and_keeps_running_instances() {
    let p = Portal::new();
    let template = waiting_invoices(&p, 1);
    // Pausing is an edit of the spec's front matter and the lockfile.
    b24flow(&p, &["disable", "invoice-overdue"]).success();
    let plan = b24flow(&p, &["plan", "--format", "json"]).success().json();
    assert_eq!(plan["summary"]["delete"], 0, "{plan}");
    b24flow(&p, &["apply", "--auto-approve"]).success();
    assert_eq!(copies(&p, "invoice-overdue"), [(template, 0, false)]);
    assert_eq!(running_of(&p, template).len(), 1);
}

// ---- faults ----------------------------------------------------------------------

/// What the proxy does with one request: pass it on (maybe rewritten) or answer it.
enum Verdict {
    Forward(Value),
    Answer(u16, Value),
}

/// A proxy in front of the portal at `upstream` that lets `rule(path, body)` refuse or
/// rewrite each request. Runs on its own runtime, kept alive by the returned value.
fn proxy(
    upstream: String,
    rule: impl Fn(&str, Value) -> Verdict + Send + Sync + 'static,
) -> (SocketAddr, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let rule = Arc::new(rule);
    let app = axum::Router::new().fallback(move |uri: Uri, body: Bytes| {
        let rule = Arc::clone(&rule);
        let upstream = upstream.clone();
        async move {
            let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            match rule(uri.path(), parsed) {
                Verdict::Answer(status, v) => {
                    (StatusCode::from_u16(status).unwrap(), v.to_string())
                }
                Verdict::Forward(v) => {
                    let url = format!(
                        "{upstream}{}",
                        uri.path_and_query().map_or("", |p| p.as_str())
                    );
                    let reply = reqwest::Client::new()
                        .post(url)
                        .json(&v)
                        .send()
                        .await
                        .unwrap();
                    let status = StatusCode::from_u16(reply.status().as_u16()).unwrap();
                    (status, reply.text().await.unwrap())
                }
            }
        }
    });
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, rt)
}

fn mentions(body: &Value, method: &str) -> bool {
    body["cmd"].as_object().is_some_and(|m| {
        m.values()
            .any(|c| c.as_str().unwrap_or("").starts_with(method))
    })
}

#[test]
fn a_failed_instance_read_fails_the_plan_and_nothing_is_applied() {
    let p = Portal::new();
    let template = waiting_invoices(&p, 1);
    let before = copies(&p, "invoice-overdue");
    remove_spec(&p, "invoice-overdue");
    let (addr, _rt) = proxy(p.url(), |path, body| {
        if path.contains("bizproc.workflow.instances")
            || mentions(&body, "bizproc.workflow.instances")
        {
            Verdict::Answer(
                403,
                json!({"error": "ACCESS_DENIED", "error_description": "Access denied!"}),
            )
        } else {
            Verdict::Forward(body)
        }
    });
    point_at(&p, &format!("http://{addr}"));
    for args in [&["plan"][..], &["apply", "--auto-approve"]] {
        let run = b24flow(&p, args);
        assert_eq!(run.code(), 1, "{args:?}: {}", run.stderr());
        assert!(
            run.stderr().contains("cannot read the running instances"),
            "{args:?}: {}",
            run.stderr()
        );
    }
    assert_eq!(copies(&p, "invoice-overdue"), before);
    assert_eq!(running_of(&p, template).len(), 1);
}

#[test]
fn a_terminate_that_fails_midway_exits_non_zero_and_a_rerun_converges() {
    let p = Portal::new();
    let template = waiting_invoices(&p, 3);
    remove_spec(&p, "invoice-overdue");
    // The second terminate of each batch names an instance that does not exist.
    let (addr, _rt) = proxy(p.url(), |_, mut body| {
        if let Some(cmd) = body["cmd"].as_object_mut() {
            let mut seen = 0;
            for c in cmd.values_mut() {
                let text = c.as_str().unwrap_or("").to_owned();
                if text.starts_with("bizproc.workflow.terminate") {
                    seen += 1;
                    if seen == 2 {
                        *c = json!(text.replace("ID=", "ID=gone"));
                    }
                }
            }
        }
        Verdict::Forward(body)
    });
    point_at(&p, &format!("http://{addr}"));
    let run = b24flow(&p, &["apply", "--auto-approve", "--terminate-running"]);
    assert_ne!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr().contains("bizproc.workflow.terminate"),
        "{}",
        run.stderr()
    );
    assert_eq!(running_of(&p, template).len(), 1, "two of three were ended");
    assert_eq!(copies(&p, "invoice-overdue").len(), 1, "not deleted");
    at_most_one_live(&p, "invoice-overdue");

    point_at(&p, &p.url());
    b24flow(&p, &["apply", "--auto-approve", "--terminate-running"]).success();
    assert!(copies(&p, "invoice-overdue").is_empty());
    assert!(running_of(&p, template).is_empty());
    b24flow(&p, &["apply", "--auto-approve"]).success();
}

// ---- batched reads ---------------------------------------------------------------

/// Issue 15 part 6: `plan` of 1,000 managed templates reads the portal in at most two
/// HTTP requests (the first template page with the user-field list, then the other 19
/// pages in one `batch`), counted by the emulator.
#[test]
fn plan_of_a_thousand_templates_reads_the_portal_in_two_requests() {
    // A portal kept in memory: the local portal saves its whole state on every write,
    // which would make creating 1,000 templates slow, not the plan.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let handle = rt
        .block_on(b24flow::emulator::start(b24flow::emulator::Options {
            apps: vec![b24flow::emulator::App {
                app_id: 3,
                client_id: "app.count".into(),
                client_secret: "secret".into(),
                access_token: Some(TOKEN.into()),
                refresh_token: None,
                user_id: 1,
                admin: true,
            }],
            rate: None,
            ..b24flow::emulator::Options::default()
        }))
        .unwrap();
    let env = crate::support::TestEnv::new();
    // Lead triggers need no user field; five won-deal workflows need one marker field
    // each, so the user-field list rides in the first request.
    for i in 0..1000 {
        let spec = if i < 5 {
            format!("When a deal is won, add a comment \"Deal won, rule {i}\"")
        } else {
            format!("When a new lead is created, add a comment \"Lead rule {i}\"")
        };
        env.write(&format!("workflows/w{i:04}.txt"), spec);
    }
    env.write(
        "b24flow.toml",
        format!(
            "[portal]\nurl = \"{}\"\nrate = \"off\"\n",
            handle.portal_url()
        ),
    );
    let run = |args: &[&str]| env.cmd(args).env("B24FLOW_ACCESS_TOKEN", TOKEN).run();
    run(&["compile"]).success();
    run(&["apply", "--auto-approve"]).success();
    let before = handle.requests();
    let plan = run(&["plan", "--format", "json"]).success().json();
    let requests = handle.requests() - before;
    assert_eq!(plan["summary"]["unchanged"], 1000, "{}", plan["summary"]);
    assert_eq!(plan["summary"]["fields"], 0, "every marker field was found");
    assert!(requests <= 2, "plan sent {requests} requests");
    let before = handle.requests();
    run(&["drift"]).success();
    assert!(handle.requests() - before <= 2);
    rt.block_on(handle.shutdown());
}
