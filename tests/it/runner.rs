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

/// Now, in unix seconds.
fn unix_now() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
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
    let past = b24flow::runner::iso_utc(unix_now() - 3600);
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

/// Every pass's stderr, re-running `run --once` until one completes (as a schedule
/// would after a failed run).
fn run_until_done(p: &Portal) -> String {
    let mut all = String::new();
    for _ in 0..60 {
        let out = b24flow(p, &["run", "--once"]);
        all.push_str(&out.stderr());
        if out.code() == 0 {
            return all;
        }
    }
    panic!("the runner never completed a pass:\n{all}");
}

/// Notifications carry the action's key as TAG: a notification re-sent after its reply
/// was lost replaces the first, so each completed task has exactly one, and nothing is
/// left uncertain.
#[test]
fn notifications_re_sent_after_lost_replies_replace_themselves() {
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
    p.handle().set_faults(
        b24flow::emulator::Faults::parse("drop-after-commit:0.3,500-after-commit:0.1,seed:5")
            .unwrap(),
    );
    let out = run_until_done(&p);
    p.handle().set_faults(b24flow::emulator::Faults::none());
    assert!(!out.contains("it was not sent again"), "{out}");
    let sent = p.on("notification");
    let mut titles: Vec<&str> = sent.iter().map(|e| e["text"].as_str().unwrap()).collect();
    titles.sort_unstable();
    titles.dedup();
    assert_eq!((titles.len(), sent.len()), (6, 6), "{sent:#?}");
    assert!(
        sent.iter().any(|e| e["replaced"].is_array()),
        "no notification was sent twice, so nothing was tested: {sent:#?}"
    );
    assert!(
        sent.iter()
            .all(|e| e["tag"].as_str().is_some_and(|t| t.starts_with("MP|")))
    );
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(0));
}

/// New tasks and e-mails carry a marker (`XML_ID`, `ORIGIN_ID`): a run that finds one
/// left `started` asks the portal and sends it only if it is not there, so replies lost
/// before or after the portal acted make neither a second task nor a second e-mail.
#[test]
fn tasks_and_emails_in_doubt_are_looked_up_before_being_sent_again() {
    let p = Portal::new();
    p.env.write(
        "b24flow.toml",
        format!(
            "[portal]\nurl = \"{}\"\nrate = \"off\"\ntimeout_secs = 1\n",
            p.url()
        ),
    );
    p.env.write(
        "workflows/follow-up.txt",
        "When a task is completed, create a task \"Follow up {{TASK_TITLE}}\" for user_2",
    );
    p.env.write(
        "workflows/thanks.txt",
        "When an activity is added, send an email to the client with subject \"Thanks\" and body \"About {{SUBJECT}}\"",
    );
    b24flow(&p, &["compile"]).success();
    b24flow(&p, &["apply", "--auto-approve"]).success();
    for i in 0..4 {
        let t = p.ok(
            "tasks.task.add",
            &json!({"fields": {"TITLE": format!("T{i}"), "CREATED_BY": 2}}),
        );
        p.ok("tasks.task.complete", &json!({"taskId": t["task"]["id"]}));
    }
    let contact = p.contact();
    let deal = p.deal("Big deal", contact);
    let bare = p.ok("crm.deal.add", &json!({"fields": {"TITLE": "No client"}}));
    for (owner, subject) in [
        (json!(deal), "Call 1"),
        (json!(deal), "Call 2"),
        (bare, "Call 3"),
    ] {
        p.ok(
            "crm.activity.add",
            &json!({"fields": {"OWNER_TYPE_ID": 2, "OWNER_ID": owner, "TYPE_ID": 2, "SUBJECT": subject}}),
        );
    }
    p.handle().set_faults(
        b24flow::emulator::Faults::parse("drop-after-commit:0.25,drop:0.15,seed:3").unwrap(),
    );
    let out = run_until_done(&p);
    p.handle().set_faults(b24flow::emulator::Faults::none());
    assert!(!out.contains("it was not sent again"), "{out}");
    assert!(
        out.contains("found in the portal, not sent again")
            || out.contains("not in the portal, sent now"),
        "no action in doubt was settled, so nothing was tested: {out}"
    );

    let tasks = p.ok("tasks.task.list", &json!({"filter": {"RESPONSIBLE_ID": 2}}));
    let mut follow: Vec<&str> = tasks["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["title"].as_str())
        .filter(|t| t.starts_with("Follow up"))
        .collect();
    follow.sort_unstable();
    assert_eq!(
        follow,
        [
            "Follow up T0",
            "Follow up T1",
            "Follow up T2",
            "Follow up T3"
        ]
    );
    let mails = p.on("email");
    let mut subjects: Vec<(&str, &str)> = mails
        .iter()
        .map(|m| {
            (
                m["text"].as_str().unwrap(),
                m["to"][0]["address"].as_str().unwrap(),
            )
        })
        .collect();
    subjects.sort_unstable();
    assert_eq!(
        subjects,
        [
            ("About Call 1", "ivy@client.test"),
            ("About Call 2", "ivy@client.test")
        ],
        "{mails:#?}"
    );
    // The deal without a client: reported, no e-mail, not retried.
    assert!(
        out.contains("the client has no e-mail address; no e-mail sent"),
        "{out}"
    );
    let again = b24flow(&p, &["run", "--once"]).success();
    assert!(
        !again.stderr().contains("no e-mail sent"),
        "{}",
        again.stderr()
    );
    assert_eq!(p.on("email").len(), 2);
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(0));
}

/// Both answers of the probe, set up exactly: a run that died after claiming "create a
/// follow-up task" for two completed tasks, one whose task the portal made (it carries
/// the action's marker) and one whose request never arrived.
#[test]
fn a_task_in_doubt_is_created_only_if_the_portal_does_not_have_it() {
    let p = Portal::new();
    p.env.write(
        "b24flow.toml",
        format!(
            "[portal]\nurl = \"{}\"\nrate = \"off\"\ntimeout_secs = 1\n",
            p.url()
        ),
    );
    p.env.write(
        "workflows/follow-up.txt",
        "When a task is completed, create a task \"Follow up {{TASK_TITLE}}\" for user_2",
    );
    b24flow(&p, &["compile"]).success();
    b24flow(&p, &["apply", "--auto-approve"]).success();
    let mut ids = Vec::new();
    for title in ["Made", "Lost"] {
        let t = p.ok("tasks.task.add", &json!({"fields": {"TITLE": title}}));
        p.ok("tasks.task.complete", &json!({"taskId": t["task"]["id"]}));
        ids.push(t["task"]["id"].as_str().unwrap().to_owned());
    }
    let state = b24flow::runner::store::Store::open(&p.env.path(".b24flow/runner.sqlite")).unwrap();
    let keys: Vec<String> = ids
        .iter()
        .map(|id| format!("follow-up|task:{id}#0"))
        .collect();
    for key in &keys {
        state.claim(key).unwrap();
    }
    drop(state);
    // The first request reached the portal before the run died.
    p.ok(
        "tasks.task.add",
        &json!({"fields": {"TITLE": "Follow up Made", "RESPONSIBLE_ID": 2,
            "XML_ID": b24flow::runner::run::marker(&keys[0])}}),
    );
    let out = b24flow(&p, &["run", "--once"]).success();
    let err = out.stderr();
    assert!(
        err.contains(&format!("{}: found in the portal, not sent again", keys[0]))
            && err.contains(&format!("{}: not in the portal, sent now", keys[1])),
        "{err}"
    );
    let tasks = p.ok("tasks.task.list", &json!({"filter": {"RESPONSIBLE_ID": 2}}));
    let mut titles: Vec<&str> = tasks["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["title"].as_str())
        .collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Follow up Lost", "Follow up Made"]);
    b24flow(&p, &["run", "--once"]).success();
    let tasks = p.ok("tasks.task.list", &json!({"filter": {"RESPONSIBLE_ID": 2}}));
    assert_eq!(tasks["tasks"].as_array().unwrap().len(), 2);
}

/// A running `b24flow serve` in the project, stopped on drop.
struct Serve {
    child: std::process::Child,
    base: String,
}

impl Serve {
    fn start(p: &Portal, vars: &[(&str, &str)]) -> Serve {
        use std::io::{BufRead, BufReader};
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_b24flow"));
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(p.env.root())
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        for var in b24flow::config::ENV_VARS {
            command.env_remove(var);
        }
        command.env("B24FLOW_ACCESS_TOKEN", TOKEN);
        for (k, v) in vars {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("the binary runs");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().expect("serve prints its address").unwrap();
        let base = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .trim_end_matches('/')
            .to_owned();
        std::thread::spawn(move || for _ in lines {});
        Serve { child, base }
    }

    /// Posts a raw body to `/events`; the status and the JSON reply.
    fn post(&self, content_type: &str, body: &str) -> (u16, serde_json::Value) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let reply = reqwest::Client::new()
                .post(format!("{}/events", self.base))
                .header("content-type", content_type)
                .body(body.to_owned())
                .send()
                .await
                .unwrap();
            let status = reply.status().as_u16();
            let text = reply.text().await.unwrap();
            (
                status,
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status} {text}: {e}")),
            )
        })
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const APP_TOKEN: &str = "51856fefc120afa4b628cc82d3935cce";

fn form(event: &str, task: &str, token: Option<&str>) -> String {
    // The shape the queue server posts (api-reference/events/index.md).
    let mut body = format!(
        "event={event}&event_handler_id=7&data%5BFIELDS_BEFORE%5D%5BID%5D={task}&data%5BFIELDS_AFTER%5D%5BID%5D={task}&ts=1764680000&auth%5Bdomain%5D=portal.example&auth%5Bmember_id%5D=a223c6&auth%5Bstatus%5D=L"
    );
    if let Some(t) = token {
        body.push_str("&auth%5Bapplication_token%5D=");
        body.push_str(t);
    }
    body
}

#[test]
fn online_events_need_the_application_token_and_act_once_with_offline_ones() {
    const FORM: &str = "application/x-www-form-urlencoded";
    let p = Portal::new();
    project(&p);
    b24flow(&p, &["compile"]).success();
    b24flow(&p, &["apply", "--auto-approve"]).success();
    let task = p.ok(
        "tasks.task.add",
        &json!({"fields": {"TITLE": "Ship it", "CREATED_BY": 3}}),
    );
    let id = task["task"]["id"]
        .as_str()
        .map_or_else(|| task["task"]["id"].to_string(), str::to_owned);
    p.ok("tasks.task.complete", &json!({"taskId": id}));

    // Online events are off until the server knows the token.
    {
        let off = Serve::start(&p, &[]);
        let (status, body) = off.post(FORM, &form("ONTASKUPDATE", &id, Some(APP_TOKEN)));
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("events_off")),
            "{body}"
        );
    }
    let s = Serve::start(&p, &[("B24FLOW_APPLICATION_TOKEN", APP_TOKEN)]);
    // Wrong or missing token: 401, nothing done, and the token is not echoed.
    for token in [None, Some("0000"), Some("")] {
        let (status, body) = s.post(FORM, &form("ONTASKUPDATE", &id, token));
        assert_eq!(status, 401, "{body}");
        assert!(!body.to_string().contains(APP_TOKEN), "{body}");
    }
    assert!(p.on("notification").is_empty());
    // Unknown events and malformed bodies: 4xx, never 5xx.
    let (status, body) = s.post(FORM, &form("ONCRMDEALADD", &id, Some(APP_TOKEN)));
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("unknown_event")),
        "{body}"
    );
    let no_id = format!("event=ONTASKUPDATE&auth%5Bapplication_token%5D={APP_TOKEN}");
    let (status, body) = s.post(FORM, &no_id);
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("bad_event")),
        "{body}"
    );
    let (status, _) = s.post("application/json", "{not json");
    assert_eq!(status, 400);
    let (status, _) = s.post(FORM, "%%%&&&[=]=&data[[[=1");
    assert_eq!(status, 401);
    assert!(p.on("notification").is_empty());

    // The right token: one notification; delivered again, nothing more.
    let (status, report) = s.post(FORM, &form("ONTASKUPDATE", &id, Some(APP_TOKEN)));
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["started"].as_u64(), report["actions"].as_u64()),
        (Some(1), Some(1)),
        "{report}"
    );
    let (status, report) = s.post(FORM, &form("ONTASKUPDATE", &id, Some(APP_TOKEN)));
    assert_eq!(
        (status, report["actions"].as_u64()),
        (200, Some(0)),
        "{report}"
    );
    // The same event as JSON, the docs' excerpt shape: still nothing more.
    let (status, _) = s.post(
        "application/json",
        &json!({"event": "ONTASKUPDATE", "data": {"FIELDS_AFTER": {"ID": id}}, "auth": {"application_token": APP_TOKEN}}).to_string(),
    );
    assert_eq!(status, 200);
    // The offline queue holds the same change: the runner reads and clears it, and
    // sends nothing, because the state is shared.
    b24flow(&p, &["run", "--once"]).success();
    let sent = p.on("notification");
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["to"][0]["id"], json!(3));
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(0));
}

/// The repository file at `path`.
fn repo_file(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The container's worker command, run directly (no docker daemon here): the
/// Dockerfile's `runner` stage ENTRYPOINT + CMD against the local portal, as a long-lived
/// process. It handles the queued event, then stops cleanly on the stop signal the
/// Dockerfile declares.
#[test]
fn the_container_worker_command_runs_the_queue_and_stops_on_its_stop_signal() {
    let dockerfile = repo_file("Dockerfile");
    let runner_stage = dockerfile
        .split("FROM ")
        .find(|s| s.starts_with("base AS runner"))
        .expect("a runner stage");
    assert!(dockerfile.contains("ENTRYPOINT [\"b24flow\"]"));
    assert!(runner_stage.contains("STOPSIGNAL SIGINT"), "{runner_stage}");
    let cmd_line = runner_stage
        .lines()
        .find_map(|l| l.strip_prefix("CMD "))
        .expect("a CMD");
    let cmd: Vec<String> = serde_json::from_str(cmd_line).unwrap();
    assert_eq!(cmd[..2], ["run", "--state"], "{cmd:?}");

    let p = Portal::new();
    project(&p);
    b24flow(&p, &["compile"]).success();
    b24flow(&p, &["apply", "--auto-approve"]).success();
    let t = p.ok(
        "tasks.task.add",
        &json!({"fields": {"TITLE": "Worker", "CREATED_BY": 2}}),
    );
    p.ok("tasks.task.complete", &json!({"taskId": t["task"]["id"]}));
    let state = p.env.path("state/runner.sqlite");
    let args: Vec<String> = cmd
        .iter()
        .map(|a| {
            if a == "/state/runner.sqlite" {
                state.display().to_string()
            } else {
                a.clone()
            }
        })
        .collect();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_b24flow"));
    command
        .args(&args)
        .current_dir(p.env.root())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    for var in b24flow::config::ENV_VARS {
        command.env_remove(var);
    }
    let mut child = command.env("B24FLOW_ACCESS_TOKEN", TOKEN).spawn().unwrap();
    let started = std::time::Instant::now();
    while p.on("notification").is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "the worker sent nothing"
        );
        assert!(child.try_wait().unwrap().is_none(), "the worker exited");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(state.exists());
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(p.on("notification").len(), 1);
}

/// The systemd unit passes `systemd-analyze verify` (its ExecStart pointed at the built
/// binary), and runs the same command as the container.
#[test]
fn the_systemd_unit_verifies() {
    let unit = repo_file("deploy/b24flow-runner.service");
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart");
    assert!(
        exec.starts_with("/usr/local/bin/b24flow run --state /var/lib/b24flow/"),
        "{exec}"
    );
    assert!(unit.contains("KillSignal=SIGINT") && unit.contains("StateDirectory=b24flow"));
    if std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "systemd-analyze is required in CI"
        );
        eprintln!("skipping: systemd-analyze is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b24flow-runner.service");
    std::fs::write(
        &path,
        unit.replace("/usr/local/bin/b24flow", env!("CARGO_BIN_EXE_b24flow")),
    )
    .unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Unknown keys and bad values are only warnings (exit 0): none may be printed.
    assert!(
        out.status.success() && !stderr.contains("b24flow-runner.service"),
        "{stderr}"
    );
}

/// Webhooks from runner workflows: the template path's URL checks at compile time, SMS
/// refused with the reason, and at run time a request that never left is sent again by
/// the next run while a host refused by policy is reported and not retried.
#[test]
fn webhooks_are_checked_like_templates_and_resent_when_they_never_left() {
    let p = Portal::new();
    // A TLS-less listener: every connection fails before a request is sent.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    p.env.write(
        "b24flow.toml",
        format!(
            "[portal]\nurl = \"{}\"\nrate = \"off\"\n\n[policy]\nwebhook_allowed_hosts = [\"127.0.0.1\"]\n",
            p.url()
        ),
    );
    p.env.write(
        "workflows/hook.txt",
        format!("When a task is completed, call the webhook https://127.0.0.1:{port}/done"),
    );
    p.env.write(
        "workflows/plain.txt",
        "When a task is completed, call the webhook http://hooks.example.com/done",
    );
    let out = b24flow(&p, &["compile"]).expect_code(1);
    assert!(
        out.stderr().contains("webhook URLs must use https"),
        "{}",
        out.stderr()
    );
    p.env.write(
        "workflows/plain.txt",
        "When a task is completed, call the webhook https://10.0.0.7/done",
    );
    let out = b24flow(&p, &["compile"]).expect_code(1);
    assert!(
        out.stderr().contains("webhook_allowed_hosts"),
        "{}",
        out.stderr()
    );
    std::fs::remove_file(p.env.path("workflows/plain.txt")).unwrap();
    b24flow(&p, &["compile"]).success();
    let lock = p.env.read("workflows/hook.lock.yaml");
    assert!(
        lock.contains("method: webhook") && lock.contains("allow_internal: true"),
        "{lock}"
    );
    b24flow(&p, &["apply", "--auto-approve"]).success();
    let t = p.ok("tasks.task.add", &json!({"fields": {"TITLE": "Hook"}}));
    p.ok("tasks.task.complete", &json!({"taskId": t["task"]["id"]}));

    // The connection fails before any request: the run fails, and the next sends again.
    let out = b24flow(&p, &["run", "--once"]).expect_code(1);
    assert!(
        out.stderr().contains("the webhook to 127.0.0.1 failed"),
        "{}",
        out.stderr()
    );
    b24flow(&p, &["run", "--once"]).expect_code(1);
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 2);

    // Without the allowance (as if the policy changed and the lockfile were stale), the
    // resolved loopback address is refused before connecting: reported, not retried.
    p.env.write(
        "workflows/hook.lock.yaml",
        lock.replace("allow_internal: true", "allow_internal: false"),
    );
    let out = b24flow(&p, &["run", "--once"]).success();
    assert!(
        out.stderr().contains("refused, not sent") && out.stderr().contains("a loopback address"),
        "{}",
        out.stderr()
    );
    b24flow(&p, &["run", "--once"]).success();
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(0));

    // A webhook whose outcome stayed unknown is sent again with the same key by the next
    // runs, up to a limit; then it is given up and said, not retried forever.
    p.env.write("workflows/hook.lock.yaml", &lock);
    let t = p.ok("tasks.task.add", &json!({"fields": {"TITLE": "Hook 2"}}));
    p.ok("tasks.task.complete", &json!({"taskId": t["task"]["id"]}));
    let key = format!("hook|task:{}#0", t["task"]["id"].as_str().unwrap());
    let state = b24flow::runner::store::Store::open(&p.env.path(".b24flow/runner.sqlite")).unwrap();
    state.claim(&key).unwrap();
    state
        .put(
            &format!("attempts|{key}"),
            &b24flow::runner::run::WEBHOOK_ATTEMPTS.to_string(),
        )
        .unwrap();
    drop(state);
    let out = b24flow(&p, &["run", "--once"]).success();
    assert!(
        out.stderr()
            .contains(&format!("{key}: gave up after 5 attempts")),
        "{}",
        out.stderr()
    );
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[test]
fn sms_from_a_runner_workflow_is_refused_with_the_reason() {
    let bp: b24flow::blueprint::Blueprint = serde_json::from_value(json!({
        "name": "Task done: SMS",
        "entity": "TASK",
        "trigger": {"type": "task_completed"},
        "actions": [{"type": "send_sms", "to": "{{ASSIGNED_BY_ID}}", "message": "done"}]
    }))
    .unwrap();
    let err = b24flow::runner::compile(&bp, &b24flow::config::Config::default()).unwrap_err();
    let text = format!("{:?}", err.0);
    assert!(text.contains("no method that sends an SMS"), "{text}");
}

#[test]
fn e_mail_from_a_runner_workflow_goes_to_the_client_without_a_template() {
    let compile = |trigger: &str, entity: &str, fields: serde_json::Value| {
        let mut action = json!({"type": "send_email", "subject": "Hi", "body": "b"});
        action
            .as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        let bp: b24flow::blueprint::Blueprint = serde_json::from_value(json!({
            "name": "mail",
            "entity": entity,
            "trigger": {"type": trigger},
            "actions": [action],
        }))
        .unwrap();
        b24flow::runner::compile(&bp, &b24flow::config::Config::default())
            .map_err(|e| format!("{:?}", e.0))
    };
    let spec = compile(
        "activity_added",
        "CRM_DEAL",
        json!({"to": "{{CONTACT_EMAIL}}"}),
    )
    .unwrap();
    assert_eq!(spec.actions[0].method, "crm.activity.add");
    assert_eq!(spec.actions[0].params["fields"]["TYPE_ID"], json!(4));
    assert_eq!(spec.actions[0].params["fields"]["DIRECTION"], json!(2));
    assert_eq!(spec.actions[0].params["fields"]["COMPLETED"], json!("Y"));
    let err = compile("activity_added", "CRM_DEAL", json!({"to": "user_2"})).unwrap_err();
    assert!(err.contains("goes to the record's client"), "{err}");
    let err = compile(
        "activity_added",
        "CRM_DEAL",
        json!({"to": "{{CONTACT_EMAIL}}", "template_id": "4"}),
    )
    .unwrap_err();
    assert!(err.contains("e-mail template"), "{err}");
    let err = compile(
        "meeting_scheduled",
        "CRM_DEAL",
        json!({"to": "{{CONTACT_EMAIL}}"}),
    )
    .unwrap_err();
    assert!(err.contains("calendar meeting is bound to none"), "{err}");
}

/// With `[runner] handler_url`, `apply` binds each event online to serve's
/// `POST /events` as well as offline, `drift` reports a missing online binding, and a
/// workflow removed takes both bindings with it.
#[test]
fn a_configured_handler_gets_online_bindings_that_drift_checks() {
    let p = Portal::new();
    project(&p);
    let config = p.env.read("b24flow.toml");
    p.env.write(
        "b24flow.toml",
        format!("{config}\n[runner]\nhandler_url = \"https://flows.example.com/events\"\n"),
    );
    p.env.write(
        "workflows/task-new.txt",
        "When a task is created, send a notification to the responsible person: new task {{TASK_TITLE}}",
    );
    b24flow(&p, &["compile"]).success();
    let applied = b24flow(&p, &["apply", "--auto-approve"]).success();
    assert!(
        applied
            .stderr()
            .contains("bind online event ONTASKUPDATE to https://flows.example.com/events"),
        "{}",
        applied.stderr()
    );
    let bound = |event: &str| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = p
            .ok("event.get", &json!({}))
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["event"] == event)
            .map(|b| {
                (
                    b["handler"].as_str().unwrap().to_owned(),
                    b["offline"].as_u64().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let both = vec![
        (String::new(), 1),
        ("https://flows.example.com/events".to_owned(), 0),
    ];
    assert_eq!(bound("ONTASKUPDATE"), both);
    assert_eq!(bound("ONTASKADD"), both);
    b24flow(&p, &["drift"]).success();
    b24flow(&p, &["apply", "--auto-approve"])
        .success()
        .stderr()
        .contains("Nothing to apply")
        .then_some(())
        .expect("a second apply has nothing to do");

    p.ok(
        "event.unbind",
        &json!({"event": "ONTASKUPDATE", "handler": "https://flows.example.com/events"}),
    );
    let drift = b24flow(&p, &["drift"]).expect_code(2);
    assert!(
        drift.stderr().contains("online events that are not bound"),
        "{}",
        drift.stderr()
    );
    b24flow(&p, &["apply", "--auto-approve"]).success();
    b24flow(&p, &["drift"]).success();

    // The workflow gone: both of its bindings go with it.
    std::fs::remove_file(p.env.path("workflows/task-done.txt")).unwrap();
    std::fs::remove_file(p.env.path("workflows/task-done.lock.yaml")).unwrap();
    let applied = b24flow(&p, &["apply", "--auto-approve"]).success();
    assert!(
        applied
            .stderr()
            .contains("unbind online event ONTASKUPDATE from https://flows.example.com/events"),
        "{}",
        applied.stderr()
    );
    assert!(bound("ONTASKUPDATE").is_empty());
    assert_eq!(bound("ONTASKADD"), both);
}

/// A task's new deadline is worked out when the runner acts: "+3d" from then, and
/// "deadline+2d" from the deadline the task has. Sent as written, the portal would get
/// the text "+3d" for a date.
#[test]
fn a_deadline_is_counted_when_the_runner_acts() {
    let now = unix_now;
    // One portal per workflow: the one for new tasks would move the late task's deadline
    // too.
    let deadline_after = |spec: &str, fields: serde_json::Value| {
        let p = Portal::new();
        p.env.write(
            "b24flow.toml",
            format!("[portal]\nurl = \"{}\"\nrate = \"off\"\n", p.url()),
        );
        p.env.write("workflows/w.txt", spec);
        b24flow(&p, &["compile"]).success();
        b24flow(&p, &["apply", "--auto-approve"]).success();
        let task = p.ok("tasks.task.add", &json!({ "fields": fields }));
        run_until_done(&p);
        let got = p.ok("tasks.task.get", &json!({"taskId": task["task"]["id"]}));
        let text = got["task"]["deadline"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        (
            b24flow::runner::parse_iso(&text).unwrap_or_else(|| panic!("not a date: {got}")),
            p.env.read("workflows/w.lock.yaml"),
        )
    };
    let past = now() - 3600;
    let (late, lock) = deadline_after(
        "When a task is overdue, push the deadline back by 2 days",
        json!({"TITLE": "Late", "RESPONSIBLE_ID": 2, "DEADLINE": b24flow::runner::iso_utc(past)}),
    );
    assert!(lock.contains("value: deadline+2d"), "{lock}");
    assert_eq!(late, past + 2 * 86_400);
    let before = now();
    let (fresh, _) = deadline_after(
        "When a task is created, set its deadline to 3 days from now",
        json!({"TITLE": "Fresh", "RESPONSIBLE_ID": 2}),
    );
    assert!(
        (before + 3 * 86_400..now() + 3 * 86_400 + 1).contains(&fresh),
        "{fresh} is not three days after {before}"
    );
}
