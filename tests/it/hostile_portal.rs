//! The REST client against a hostile or broken portal: the red-team attacks on the
//! client side (redteam-2026-12.md rows 2.10, 2.12, 3.9 and 5.3), each as a family of
//! cases. The fake portal is a small axum server on loopback whose every answer is
//! scripted by the test.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{StatusCode, Uri};
use b24flow::bitrix::{
    AuthConfig, Batch, Client, ClientOptions, Error, ListQuery, MAX_LIST_PAGES, Method,
    NewTemplate, OAuthConfig, RetryPolicy, Scrubber,
};
use b24flow::config::{Config, Env, RatePlan, var};
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::support::TestEnv;

const HOOK_CODE: &str = "WHSECRETCODE777";
const ACCESS: &str = "ACCESSSECRET777";
const REFRESH: &str = "REFRESHSECRET777";
const CLIENT_SECRET: &str = "CSECRET777XYZ";

/// What a scripted portal saw: the request number (from 0), the path, and the body.
type Script = dyn Fn(usize, &str, &Value) -> (u16, String) + Send + Sync;

/// A portal whose answer to request `n` is `script(n, path, body)`; returns its address
/// and the request counter.
async fn scripted(script: Arc<Script>) -> (SocketAddr, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let app = axum::Router::new().fallback(move |uri: Uri, body: Bytes| {
        let script = Arc::clone(&script);
        let seen = Arc::clone(&seen);
        async move {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let (status, text) = script(n, uri.path(), &body);
            (StatusCode::from_u16(status).unwrap(), text)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, count)
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 6,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(10),
        max_operating_wait: Duration::from_secs(1),
    }
}

fn hook_client(addr: SocketAddr) -> Client {
    Client::new(ClientOptions {
        auth: AuthConfig::Webhook(SecretString::from(format!(
            "http://{addr}/rest/1/{HOOK_CODE}/"
        ))),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(5),
        retry: fast_retries(),
    })
    .unwrap()
}

fn oauth_client(addr: SocketAddr, access: Option<&str>) -> Client {
    Client::new(ClientOptions {
        auth: AuthConfig::OAuth(OAuthConfig {
            portal: format!("http://{addr}"),
            access_token: access.map(|a| SecretString::from(a.to_owned())),
            refresh_token: Some(SecretString::from(REFRESH.to_owned())),
            client_id: Some("app.test".into()),
            client_secret: Some(SecretString::from(CLIENT_SECRET.to_owned())),
            token_url: Some(format!("http://{addr}/oauth/token/")),
            credentials_file: None,
        }),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(5),
        retry: fast_retries(),
    })
    .unwrap()
}

fn list_page(rows: &[u64], total: Option<u64>, next: Option<u64>) -> String {
    let rows: Vec<Value> = rows
        .iter()
        .map(|id| json!({"ID": id.to_string(), "NAME": format!("t{id}")}))
        .collect();
    let mut reply = json!({"result": rows, "time": {"start": 1.0}});
    if let Some(t) = total {
        reply["total"] = json!(t);
    }
    if let Some(n) = next {
        reply["next"] = json!(n);
    }
    reply.to_string()
}

fn start_of(body: &Value) -> u64 {
    body["start"].as_u64().unwrap_or(0)
}

/// The method and `start` of each command of a `batch` body, by key.
fn commands(body: &Value) -> Vec<(String, String, u64)> {
    body["cmd"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let cmd = v.as_str().unwrap_or("");
                    let (method, query) = cmd.split_once('?').unwrap_or((cmd, ""));
                    let start = query
                        .split('&')
                        .find_map(|p| p.strip_prefix("start="))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    (k.clone(), method.to_owned(), start)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A `batch` reply whose every command is answered by `answer(method, start)`, a plain
/// reply envelope (`result`, and `total`/`next` for lists).
fn batch_reply(body: &Value, answer: impl Fn(&str, u64) -> Value) -> String {
    let mut sections: [serde_json::Map<String, Value>; 3] = Default::default();
    for (key, method, start) in commands(body) {
        let reply: Value = answer(&method, start);
        sections[0].insert(key.clone(), reply["result"].clone());
        for (i, name) in [(1, "total"), (2, "next")] {
            if let Some(v) = reply.get(name) {
                sections[i].insert(key.clone(), v.clone());
            }
        }
    }
    let [results, totals, nexts] = sections;
    json!({"result": {"result": results, "result_error": [], "result_total": totals,
                      "result_next": nexts, "result_time": []}})
    .to_string()
}

/// A scripted list portal: `page(start)` answers the plain call and each batched one.
fn pages(page: impl Fn(u64) -> String + Send + Sync + 'static) -> Arc<Script> {
    Arc::new(move |_, path, body| {
        if path.ends_with("/batch") {
            let reply = batch_reply(body, |_, start| serde_json::from_str(&page(start)).unwrap());
            (200, reply)
        } else {
            (200, page(start_of(body)))
        }
    })
}

// ---- 2.10: endless paging ---------------------------------------------------------

#[tokio::test]
async fn redteam_2_10_endless_paging_stops_at_the_reported_total() {
    // The red-team portal: `total` says 50, `next` advances by one forever. Variants:
    // one row a page, a full page of 50 then more, and rows past a total of 0.
    let cases: [(u64, u64); 3] = [(50, 1), (50, 50), (0, 1)];
    for (total, per_page) in cases {
        let script = pages(move |start| {
            let rows: Vec<u64> = (start..start + per_page).collect();
            list_page(&rows, Some(total), Some(start + per_page))
        });
        let (addr, count) = scripted(script).await;
        let client = hook_client(addr);
        let err = client
            .template_list_all(&ListQuery::default())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Malformed { .. }), "{err:?}");
        assert!(err.to_string().contains("reported"), "{err}");
        let pages = count.load(Ordering::SeqCst) as u64;
        assert!(
            pages <= total.div_ceil(per_page).max(1),
            "total {total}, {per_page} a page: read {pages} pages"
        );
    }
}

#[tokio::test]
async fn redteam_2_10_endless_paging_without_a_usable_total_hits_the_page_cap() {
    // No `total`: only the page cap stops it, page after page.
    let script = pages(|start| list_page(&[start + 1], None, Some(start + 1)));
    let (addr, count) = scripted(script).await;
    let client = hook_client(addr);
    let err = client
        .template_list_all(&ListQuery::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("did not end"), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), MAX_LIST_PAGES);
    // A total too large to ever reach: refused after the first page, before reading
    // the pages it would take.
    let script = pages(|start| {
        list_page(
            &[start + 1],
            Some(1_000_000_000_000_000_000),
            Some(start + 1),
        )
    });
    let (addr, count) = scripted(script).await;
    let err = hook_client(addr)
        .template_list_all(&ListQuery::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("more than the"), "{err}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn honest_paging_still_reads_every_page() {
    // 120 rows, 50 a page, as the platform pages them: the first page, then the two
    // others in one batch.
    let script = pages(|start| {
        let end = (start + 50).min(120);
        let next = (end < 120).then_some(end);
        list_page(&(start..end).collect::<Vec<_>>(), Some(120), next)
    });
    let (addr, count) = scripted(script).await;
    let all = hook_client(addr)
        .template_list_all(&ListQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 120);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

// ---- 3.9: a garbled HTTP 200 -----------------------------------------------------

#[tokio::test]
async fn redteam_3_9_a_garbled_200_is_retried_for_reads() {
    // The emulator's `garbage` and `truncate` faults, and an empty body: each sent
    // twice, then a good reply. Reads go through; each garbled reply cost one retry.
    for garbled in [
        "<html><body>502 Bad Gateway</body></html>",
        "{\"result\":[{\"ID\":\"1\"",
        "",
    ] {
        let script: Arc<Script> = Arc::new(move |n, _, _| {
            if n < 2 {
                (200, garbled.to_owned())
            } else {
                (200, list_page(&[1], Some(1), None))
            }
        });
        let (addr, count) = scripted(script).await;
        let client = hook_client(addr);
        let page = client
            .template_list(&ListQuery::default(), 0)
            .await
            .unwrap_or_else(|e| panic!("{garbled:?}: {e:?}"));
        assert_eq!(page.items.len(), 1);
        assert_eq!(count.load(Ordering::SeqCst), 3, "{garbled:?}");
        assert_eq!(client.stats().retries, 2);
    }
}

#[tokio::test]
async fn redteam_3_9_a_garbled_200_forever_ends_within_the_retry_budget() {
    let script: Arc<Script> = Arc::new(|_, _, _| (200, "<html>login</html>".to_owned()));
    let (addr, count) = scripted(script).await;
    let err = hook_client(addr)
        .template_list(&ListQuery::default(), 0)
        .await
        .unwrap_err();
    let Error::RetriesExhausted { attempts, last, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*attempts, 6);
    assert!(
        matches!(**last, Error::Malformed { status: 200, .. }),
        "{last:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 6);
}

#[tokio::test]
async fn redteam_3_9_a_write_with_a_garbled_reply_is_indeterminate_and_not_resent() {
    let script: Arc<Script> = Arc::new(|_, _, _| (200, "<html>502</html>".to_owned()));
    let (addr, count) = scripted(script).await;
    let client = oauth_client(addr, Some(ACCESS));
    let template = NewTemplate {
        document_type: ["crm".into(), "CCrmDocumentDeal".into(), "DEAL".into()],
        name: "n".into(),
        description: String::new(),
        auto_execute: 0,
        file_name: "n.bpt".into(),
        bpt: vec![1, 2, 3],
    };
    let err = client.template_add(&template).await.unwrap_err();
    assert!(matches!(err, Error::Indeterminate { .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1, "a create is never re-sent");
    // A batch that creates is a write too.
    let mut batch = Batch::new();
    batch.push("a", Method::TemplateAdd, &template.params());
    let err = client.batch(&batch).await.unwrap_err();
    assert!(matches!(err, Error::Indeterminate { .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 2);
    // Well-formed JSON of the wrong shape is not a transport fault: no retry.
    let script: Arc<Script> = Arc::new(|_, _, _| (200, "[1,2]".to_owned()));
    let (addr, count) = scripted(script).await;
    let err = hook_client(addr)
        .template_list(&ListQuery::default(), 0)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Malformed { .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

// ---- 2.12: a portal that echoes the credentials ----------------------------------

/// A portal that quotes back whatever credentials it was sent, in every error text it
/// can: the REST error envelope, a batch command's error, and the OAuth server's error.
fn echoing_portal() -> Arc<Script> {
    Arc::new(|_, path, body| {
        let auth = body["auth"].as_str().unwrap_or("");
        let echo = format!("bad auth: {auth} path={path}");
        if path.starts_with("/oauth/") {
            return (
                400,
                json!({"error": "invalid_grant", "error_description": format!("{echo} {body}")})
                    .to_string(),
            );
        }
        if path.ends_with("/batch") {
            return (
                200,
                json!({"result": {
                    "result": [], "result_total": [], "result_next": [], "result_time": [],
                    "result_error": {"c0": {"error": "ACCESS_DENIED", "error_description": echo}}
                }})
                .to_string(),
            );
        }
        if auth == "expired-now" {
            return (
                401,
                json!({"error": "expired_token", "error_description": echo}).to_string(),
            );
        }
        (
            401,
            json!({"error": "INVALID_CREDENTIALS", "error_description": echo}).to_string(),
        )
    })
}

#[tokio::test]
async fn redteam_2_12_echoed_credentials_are_scrubbed_from_every_error() {
    let (addr, _) = scripted(echoing_portal()).await;
    let mut texts = Vec::new();
    let record = |texts: &mut Vec<String>, label: &str, e: &Error| {
        texts.push(format!("{label}: {e} | {e:?}"));
        texts.push(format!("{:?}", miette::Report::msg(e.to_string())));
    };
    let hook = hook_client(addr);
    let oauth = oauth_client(addr, Some(ACCESS));
    let refreshing = oauth_client(addr, Some("expired-now"));
    for (label, client) in [("webhook", &hook), ("oauth", &oauth)] {
        let e = client.call(Method::Profile, Value::Null).await.unwrap_err();
        assert_eq!(e.code(), Some("INVALID_CREDENTIALS"), "{e:?}");
        record(&mut texts, label, &e);
        let e = client
            .template_list_all(&ListQuery::default())
            .await
            .unwrap_err();
        record(&mut texts, label, &e);
        let mut batch = Batch::new();
        batch.push("c0", Method::TemplateDelete, &json!({"ID": 1}));
        let reply = client.batch(&batch).await.unwrap();
        let cmd = reply.error("c0").unwrap();
        assert!(cmd.description.starts_with("bad auth: "), "{cmd:?}");
        texts.push(format!("{label} batch: {cmd:?}"));
        texts.push(hook.scrub(&format!("{cmd:?} {HOOK_CODE}")));
    }
    // The OAuth server echoes the refresh request, client secret included.
    let e = refreshing
        .call(Method::Profile, Value::Null)
        .await
        .unwrap_err();
    record(&mut texts, "refresh", &e);
    assert!(texts.len() >= 12);
    for text in &texts {
        for secret in [HOOK_CODE, ACCESS, REFRESH, CLIENT_SECRET, "expired-now"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
    }
    // The scrubbed text still says what happened.
    assert!(texts.iter().any(|t| t.contains("bad auth: *** path=")));
    assert!(texts.iter().any(|t| t.contains("path=/rest/1/***/profile")));
    // The scrubber other modules reuse holds the same secrets.
    let scrubber: Scrubber = oauth.scrubber();
    assert_eq!(scrubber.scrub(&format!("x{ACCESS}x")), "x***x");
}

// ---- 5.3: a malformed webhook URL ------------------------------------------------

/// The red team's malformed webhook URLs (5.3), and a few more of the same kind.
const MALFORMED_WEBHOOKS: [&str; 8] = [
    "https://x.bitrix24.com/rest/admin/MK_WHCODE_7f3a/",
    "https://x.bitrix24.com/REST/1/MK_WHCODE_7f3a/",
    "https://x.bitrix24.com/MK_WHCODE_7f3a",
    "http://x.bitrix24.com/rest/MK_WHCODE_7f3a/",
    "https://x.bitrix24.com/rest/%31/MK_WHCODE_7f3a/extra",
    "http://x.bitrix24.com/rest/1/MK_WHCODE_7f3a/",
    "https://x.bitrix24.com/rest/1/MK_WHCODE_7f3a/profile?x=1",
    "https://user:MK_WHCODE_7f3a@x.bitrix24.com/rest/1/abc/",
];

#[test]
fn redteam_5_3_malformed_webhook_urls_never_print_the_code() {
    for raw in MALFORMED_WEBHOOKS {
        let env = Env::from_lookup(|name| (name == var::WEBHOOK_URL).then(|| raw.to_owned()));
        let result = Client::from_config(&Config::default(), &env, std::path::Path::new("."));
        let text = match result {
            Err(e) => {
                let plain = format!("{e} | {e:?}");
                format!("{plain} | {:?}", miette::Report::new(e))
            }
            Ok(client) => format!("{client:?}"),
        };
        assert!(!text.contains("MK_WHCODE"), "{raw}: {text}");
    }
}

#[test]
fn redteam_5_3_malformed_webhook_urls_never_reach_the_terminal() {
    let env = TestEnv::with_specs(&[("deal-won", "When a deal is won, notify the manager")]);
    env.run(&["compile"]).success();
    let mut refused = 0;
    for raw in MALFORMED_WEBHOOKS {
        for args in [&["plan"][..], &["list"], &["drift"]] {
            let run = env.cmd(args).env(var::WEBHOOK_URL, raw).run();
            let all = format!("{}{}", run.stdout(), run.stderr());
            assert!(!all.contains("MK_WHCODE"), "{raw} {args:?}: {all}");
            if run.code() != 0 {
                refused += 1;
            }
        }
    }
    assert_eq!(
        refused,
        MALFORMED_WEBHOOKS.len() * 3,
        "every one is refused"
    );
}

// ---- 2.12 / 5.1 through the command line -------------------------------------------

/// Marker secrets in every variable b24flow reads (redteam 5.1).
const MARKERS: [(&str, &str); 9] = [
    (var::ACCESS_TOKEN, "MK_ACCESS_7f3a"),
    (var::CLIENT_ID, "app.test"),
    (var::CLIENT_SECRET, "MK_CSECRET_7f3a"),
    (var::REFRESH_TOKEN, "MK_REFRESH_7f3a"),
    (var::GEMINI_API_KEY, "MK_GEMINI_7f3a"),
    (var::ANTHROPIC_API_KEY, "MK_ANTHROPIC_7f3a"),
    (var::OPENAI_API_KEY, "MK_OPENAI_7f3a"),
    (var::API_TOKEN, "MK_APITOKEN_7f3a"),
    (var::OAUTH_URL, "http://127.0.0.1:9/oauth/token/"),
];

/// A portal that lists nothing and refuses every other write with an error quoting the
/// credentials and the path it was called on (inside a batch or alone); the writes in
/// between succeed, so `apply` both journals a refusal and then finishes.
fn echoing_writes_portal() -> Arc<Script> {
    let writes = AtomicUsize::new(0);
    Arc::new(move |_, path, body| {
        let echo = format!(
            "bad auth: {} path={path}",
            body["auth"].as_str().unwrap_or("")
        );
        let method = path.rsplit('/').next().unwrap_or("");
        let refuse = || writes.fetch_add(1, Ordering::SeqCst).is_multiple_of(2);
        let reply = match method {
            "profile" => json!({"result": {"ID": "1", "ADMIN": true}}),
            "bizproc.workflow.template.list" => json!({"result": [], "total": 0}),
            // Plan's reads, batched: nothing listed.
            "batch"
                if commands(body).iter().all(|(_, m, _)| {
                    m.rsplit('.').next() == Some("list") || m == "bizproc.workflow.instances"
                }) =>
            {
                return (
                    200,
                    batch_reply(body, |_, _| json!({"result": [], "total": 0})),
                );
            }
            "batch" => {
                let keys: Vec<String> = body["cmd"]
                    .as_object()
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                let (mut results, mut errors) = (serde_json::Map::new(), serde_json::Map::new());
                let refused = refuse();
                for key in keys {
                    if refused {
                        errors.insert(
                            key,
                            json!({"error": "ACCESS_DENIED", "error_description": echo}),
                        );
                    } else {
                        results.insert(key, json!(7));
                    }
                }
                json!({"result": {"result": results, "result_error": errors, "result_total": [],
                                  "result_next": [], "result_time": []}})
            }
            "bizproc.workflow.template.add" if !refuse() => json!({"result": 7}),
            // No user fields yet: plan lists the markers, apply's add is refused
            // with the echo below.
            m if m.ends_with(".userfield.list") => json!({"result": []}),
            _ => {
                return (
                    400,
                    json!({"error": "ACCESS_DENIED", "error_description": echo}).to_string(),
                );
            }
        };
        (200, reply.to_string())
    })
}

/// Every file under `dir`, as text (lossy).
fn files_under(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
        out.push((entry.display().to_string(), text));
    }
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn redteam_2_12_an_echoing_portal_leaks_nothing_to_output_or_state() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (addr, count) = rt.block_on(scripted(echoing_writes_portal()));
    let hook = format!("http://{addr}/rest/1/MK_WHCODE_7f3a/");
    let portal = format!("http://{addr}");
    let mut commands = 0;
    // OAuth (portal URL + tokens) and webhook: each runs every portal command.
    for oauth in [true, false] {
        let env = TestEnv::with_specs(&[
            (
                "deal-won",
                "When a deal is won, send an email to the client",
            ),
            ("lead", "When a lead is created, notify the manager"),
        ]);
        env.run(&["compile"]).success();
        let mut outputs = Vec::new();
        for args in [
            &["list"][..],
            &["list", "--json"],
            &["plan"],
            &["plan", "--format", "json"],
            &["plan", "--format", "markdown"],
            &["drift"],
            &["apply", "--auto-approve"],
            &["apply", "--auto-approve", "--no-batch"],
            &["delete", "deal-won", "--auto-approve"],
        ] {
            let mut cmd = env.cmd(args);
            for (name, value) in MARKERS {
                cmd = cmd.env(name, value);
            }
            cmd = if oauth {
                cmd.env(var::PORTAL_URL, &portal)
            } else {
                cmd.env(var::WEBHOOK_URL, &hook)
            };
            let run = cmd.run();
            commands += 1;
            outputs.push((format!("{args:?} oauth={oauth}"), screen(&run)));
        }
        outputs.extend(files_under(&env.path(".b24flow")));
        outputs.extend(files_under(&env.path("workflows")));
        for (label, text) in &outputs {
            for secret in MARKERS.iter().map(|(_, v)| *v).chain(["MK_WHCODE_7f3a"]) {
                if secret.starts_with("MK_") {
                    assert!(
                        !text.contains(secret),
                        "{secret} leaked in {label}:\n{text}"
                    );
                }
            }
        }
        // The portal's echo did reach the journal, scrubbed.
        let journal = env.read(".b24flow/journal.jsonl");
        let scrubbed = if oauth {
            "bad auth: *** path=/rest/"
        } else {
            "path=/rest/1/***/"
        };
        assert!(journal.contains(scrubbed), "{journal}");
    }
    assert_eq!(commands, 18);
    assert!(count.load(Ordering::SeqCst) > 18);
}

fn screen(run: &crate::support::Run) -> String {
    format!("{}\n{}", run.stdout(), run.stderr())
}

/// Red-team 2.12 and 5.1, the HTTP API: `serve` against a portal that echoes the
/// credentials in its errors, with marker secrets in every variable. Every endpoint's
/// reply, the server's own output and every file under `.b24flow/` (journal, history)
/// hold none of them.
#[test]
fn redteam_2_12_serve_leaks_nothing_from_an_echoing_portal() {
    use std::io::{BufRead, BufReader};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (addr, count) = rt.block_on(scripted(echoing_writes_portal()));
    let env = TestEnv::with_specs(&[(
        "deal-won",
        "When a deal is won, send an email to the client",
    )]);
    env.run(&["compile"]).success();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_b24flow"));
    command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(env.root())
        .env("NO_COLOR", "1")
        .env(var::PORTAL_URL, format!("http://{addr}"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    for var in b24flow::config::ENV_VARS {
        command.env_remove(var);
    }
    command.env(var::PORTAL_URL, format!("http://{addr}"));
    for (name, value) in MARKERS {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let collected = Arc::new(std::sync::Mutex::new(vec![first]));
    let sink = Arc::clone(&collected);
    let reader = std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    let auth = "Bearer MK_APITOKEN_7f3a";
    let mut replies = Vec::new();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let won = json!({"description": "When a deal is won, create a task for the manager"});
        let requests = [
            http.get(format!("{base}/health")),
            http.get(format!("{base}/capabilities")),
            http.get(format!("{base}/workflows")),
            http.get(format!("{base}/bitrix-workflows")),
            http.get(format!("{base}/plan")),
            http.get(format!("{base}/openapi.json")),
            http.post(format!("{base}/preview")).json(&won),
            http.post(format!("{base}/workflow"))
                .json(&json!({"description": won["description"], "id": "echo-one"})),
            http.post(format!("{base}/workflow"))
                .json(&json!({"description": won["description"], "id": "echo-two"})),
            http.delete(format!("{base}/bitrix-workflows/deal-won")),
        ];
        for request in requests {
            let reply = request.header("authorization", auth).send().await.unwrap();
            let status = reply.status();
            replies.push(format!("{status} {}", reply.text().await.unwrap()));
        }
        let unauthorized = http.get(format!("{base}/plan")).send().await.unwrap();
        replies.push(unauthorized.text().await.unwrap());
    });
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    let mut outputs: Vec<(String, String)> = replies
        .into_iter()
        .enumerate()
        .map(|(i, r)| (format!("reply {i}"), r))
        .collect();
    outputs.push((
        "serve's stderr".into(),
        collected.lock().unwrap().join("\n"),
    ));
    outputs.extend(files_under(&env.path(".b24flow")));
    outputs.extend(files_under(&env.path("workflows")));
    for (label, text) in &outputs {
        for (_, secret) in MARKERS.iter().filter(|(_, v)| v.starts_with("MK_")) {
            assert!(
                !text.contains(secret),
                "{secret} leaked in {label}:\n{text}"
            );
        }
    }
    // The echoing portal was reached by the writes, and its echo was journalled scrubbed.
    assert!(count.load(Ordering::SeqCst) > 3);
    let journal = env.read(".b24flow/journal.jsonl");
    assert!(journal.contains("bad auth: ***"), "{journal}");
    #[cfg(unix)]
    for file in ["journal.jsonl", "history.sqlite3"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.path(&format!(".b24flow/{file}")))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{file} is readable by others: {mode:o}");
    }
}

/// Red-team 2.13: template names and descriptions from the portal with terminal
/// escapes (window title, screen clear, OSC 8 link, BEL) and `\r` reached the terminal
/// raw, and Markdown links and images passed into the plan comment.
#[test]
fn redteam_2_13_portal_text_never_reaches_the_terminal_raw() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let evil =
        "RED\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}]8;;http://x/\u{7}link\rFAKE ![i](http://x/p.png)";
    let answer = move |method: &str| match method {
        "bizproc.workflow.template.list" => json!({"result": [{
            "ID": "9", "NAME": evil, "MODULE_ID": "crm", "ENTITY": "CCrmDocumentDeal",
            "DOCUMENT_TYPE": "DEAL", "AUTO_EXECUTE": "0",
            "DESCRIPTION": format!("{evil}\n[b24flow:ghost@0123456789ab]"),
            "TEMPLATE": [], "SYSTEM_CODE": "rest_app_1"
        }], "total": 1}),
        "bizproc.workflow.instances" => json!({"result": [], "total": 0}),
        m if m.rsplit('.').next() == Some("list") => json!({"result": []}),
        "profile" => json!({"result": {"ID": "1", "ADMIN": true}}),
        _ => json!({"result": true}),
    };
    let script: Arc<Script> = Arc::new(move |_, path, body| {
        let method = path.rsplit('/').next().unwrap_or("");
        if method == "batch" {
            return (200, batch_reply(body, |m, _| answer(m)));
        }
        (200, answer(method).to_string())
    });
    let (addr, _) = rt.block_on(scripted(script));
    let env = TestEnv::with_specs(&[(
        "deal-won",
        "When a deal is won, send an email to the client",
    )]);
    env.run(&["compile"]).success();
    for args in [
        &["list"][..],
        &["--color", "always", "list"],
        &["plan"],
        &["--color", "always", "plan"],
        &["plan", "--format", "markdown"],
        &["drift"],
    ] {
        let run = env
            .cmd(args)
            .env(var::PORTAL_URL, &format!("http://{addr}"))
            .env(var::ACCESS_TOKEN, ACCESS)
            .run();
        let text = screen(&run);
        assert!(
            text.contains("RED"),
            "{args:?}: the name is not shown:\n{text}"
        );
        for raw in ["\u{1b}]", "\u{1b}[2J", "\r", "\u{7}"] {
            assert!(
                !text.contains(raw),
                "{args:?} printed {raw:?} raw:\n{text:?}"
            );
        }
        if args.contains(&"markdown") {
            assert!(
                // An escaped bracket (`\]`) shows the text, it opens nothing.
                !text.replace("\\]", "").contains("](http"),
                "a Markdown link or image passed:\n{text}"
            );
        }
    }
}
