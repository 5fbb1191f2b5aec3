//! Runner workflows end to end: compiled from specs, applied (offline event bindings),
//! and carried out by `b24flow run --once` against the local portal.

use serde_json::json;

use crate::engine::{Portal, TOKEN};

fn project(p: &Portal) {
    p.env.write(
        "b24flow.toml",
        format!(
            "[portal]\nurl = \"{}\"\nrate = \"off\"\n\n[recipients]\n\"creator\" = \"author\"\n",
            p.url()
        ),
    );
    p.env.write(
        "workflows/task-done.txt",
        "When a task is completed, notify its Creator: the task {{TASK_TITLE}} is done",
    );
    p.env.write(
        "workflows/task-late.txt",
        "When a task is overdue, send a notification to the responsible person: {{TASK_TITLE}} is late",
    );
}

fn b24flow(p: &Portal, args: &[&str]) -> crate::support::Run {
    p.env.cmd(args).env("B24FLOW_ACCESS_TOKEN", TOKEN).run()
}

#[test]
fn a_completed_task_notifies_its_creator_once_and_an_overdue_task_once() {
    let p = Portal::new();
    project(&p);
    b24flow(&p, &["compile"]).success();
    let lock = p.env.read("workflows/task-done.lock.yaml");
    assert!(
        lock.contains("runner:") && !lock.contains("template_sha256"),
        "{lock}"
    );
    let applied = b24flow(&p, &["apply", "--auto-approve"]).success();
    assert!(
        applied.stderr().contains("bind offline event ONTASKUPDATE"),
        "{}",
        applied.stderr()
    );
    assert_eq!(
        p.ok("event.get", &json!({})),
        json!([{"event": "ONTASKUPDATE", "handler": "", "auth_type": "0", "offline": 1}])
    );
    b24flow(&p, &["drift"]).success();

    let task = p.ok(
        "tasks.task.add",
        &json!({"fields": {"TITLE": "Send the contract", "CREATED_BY": 3, "RESPONSIBLE_ID": 2}}),
    );
    let id = task["task"]["id"].clone();
    p.ok(
        "tasks.task.update",
        &json!({"taskId": id, "fields": {"STATUS": 3}}),
    );
    p.ok(
        "tasks.task.update",
        &json!({"taskId": id, "fields": {"STATUS": 5}}),
    );
    b24flow(&p, &["run", "--once"]).success();
    let sent = p.on("notification");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["to"][0]["id"], json!(3));
    assert_eq!(sent[0]["text"], "The task Send the contract is done");
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(0));

    // Again: nothing new. A later edit of the completed task does not repeat it either.
    b24flow(&p, &["run", "--once"]).success();
    p.ok(
        "tasks.task.update",
        &json!({"taskId": id, "fields": {"TITLE": "Contract sent"}}),
    );
    b24flow(&p, &["run", "--once"]).success();
    assert_eq!(p.on("notification").len(), 1);

    // A task past its deadline: one overdue notification to its responsible person.
    let past = b24flow::runner::iso_utc(
        i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        )
        .unwrap()
            - 3600,
    );
    p.ok(
        "tasks.task.add",
        &json!({"fields": {"TITLE": "Call Ivy", "RESPONSIBLE_ID": 4, "DEADLINE": past}}),
    );
    b24flow(&p, &["run", "--once"]).success();
    b24flow(&p, &["run", "--once"]).success();
    let sent = p.on("notification");
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[1]["to"][0]["id"], json!(4));
    assert_eq!(sent[1]["text"], "Call Ivy is late");

    // A missing binding is drift.
    p.ok(
        "event.unbind",
        &json!({"event": "ONTASKUPDATE", "event_type": "offline"}),
    );
    let drift = b24flow(&p, &["drift"]).expect_code(2);
    assert!(
        drift.stderr().contains("ONTASKUPDATE"),
        "{}",
        drift.stderr()
    );
}

#[test]
fn events_for_deleted_objects_and_duplicates_do_nothing_twice() {
    let p = Portal::new();
    project(&p);
    b24flow(&p, &["compile"]).success();
    b24flow(&p, &["apply", "--auto-approve"]).success();
    // Two completed tasks, one event each; a run whose state is kept handles both once.
    for title in ["A", "B"] {
        let t = p.ok(
            "tasks.task.add",
            &json!({"fields": {"TITLE": title, "CREATED_BY": 2}}),
        );
        p.ok("tasks.task.complete", &json!({"taskId": t["task"]["id"]}));
    }
    // An event about a task that is gone: tasks.task.get fails, nothing is sent.
    p.ok(
        "event.bind",
        &json!({"event": "ONTASKADD", "event_type": "offline"}),
    );
    b24flow(&p, &["run", "--once"]).success();
    assert_eq!(p.on("notification").len(), 2);
    // The state file is what makes a rerun safe: the same events again change nothing.
    b24flow(&p, &["run", "--once"]).success();
    assert_eq!(p.on("notification").len(), 2);
}

/// Replies lost after the portal committed the write, at random: the runner is re-run
/// until a pass completes, and every completed task still gets exactly one message.
#[test]
fn lost_replies_never_repeat_a_message() {
    let p = Portal::new();
    project(&p);
    b24flow(&p, &["compile"]).success();
    b24flow(&p, &["apply", "--auto-approve"]).success();
    for i in 0..6 {
        let t = p.ok(
            "tasks.task.add",
            &json!({"fields": {"TITLE": format!("T{i}"), "CREATED_BY": 2}}),
        );
        p.ok("tasks.task.complete", &json!({"taskId": t["task"]["id"]}));
    }
    p.handle()
        .set_faults(b24flow::emulator::Faults::parse("drop-after-commit:0.25,seed:11").unwrap());
    let mut passes = 0;
    loop {
        passes += 1;
        assert!(passes < 60, "the runner never completed a pass");
        if b24flow(&p, &["run", "--once"]).code() == 0 {
            break;
        }
    }
    p.handle().set_faults(b24flow::emulator::Faults::none());
    let sent = p.on("notification");
    let mut titles: Vec<String> = sent
        .iter()
        .map(|e| e["text"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    titles.dedup();
    assert_eq!(
        titles.len(),
        sent.len(),
        "a message was sent twice: {sent:?}"
    );
    assert_eq!(sent.len(), 6, "{sent:?} after {passes} passes");
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(0));
}
