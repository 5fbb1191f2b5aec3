//! The REST client against the emulator (and against deliberately broken servers), and
//! the emulator against the request/response shapes documented in bitrix24/b24restdocs.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use b24flow::bitrix::{
    AuthConfig, Batch, Client, ClientOptions, Error, ListQuery, Method, NewTemplate, OAuthConfig,
    RetryPolicy, TemplateUpdate,
};
use b24flow::bizproc::bpt;
use b24flow::config::RatePlan;
use b24flow::emulator::{
    self, App, FaultKind, Faults, OperatingLimit, Options, RateLimit, StoredTemplate, Webhook,
};
use secrecy::SecretString;
use serde_json::{Value, json};

const HOOK_CODE: &str = "hookcode1";
const APP_TOKEN: &str = "app-access-token";
const CLIENT_ID: &str = "local.test";
const CLIENT_SECRET: &str = "client-secret";
const REFRESH: &str = "refresh-0";

fn hook() -> Webhook {
    Webhook {
        user_id: 1,
        code: HOOK_CODE.into(),
        admin: true,
    }
}

fn app(app_id: u64, client_id: &str, token: &str) -> App {
    App {
        app_id,
        client_id: client_id.into(),
        client_secret: CLIENT_SECRET.into(),
        access_token: Some(token.into()),
        refresh_token: Some(REFRESH.into()),
        user_id: 1,
        admin: true,
    }
}

/// An emulator with one admin webhook and one application, no rate limit.
async fn portal(adjust: impl FnOnce(&mut Options)) -> emulator::Handle {
    let mut options = Options {
        webhooks: vec![hook()],
        apps: vec![app(5, CLIENT_ID, APP_TOKEN)],
        rate: None,
        ..Options::default()
    };
    adjust(&mut options);
    emulator::start(options).await.expect("the emulator starts")
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 8,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        max_operating_wait: Duration::from_secs(10),
    }
}

fn oauth_client(portal: &emulator::Handle, token: &str, file: Option<&Path>) -> Client {
    Client::new(ClientOptions {
        auth: AuthConfig::OAuth(OAuthConfig {
            portal: portal.portal_url(),
            access_token: Some(SecretString::from(token.to_owned())),
            refresh_token: Some(SecretString::from(REFRESH.to_owned())),
            client_id: Some(CLIENT_ID.into()),
            client_secret: Some(SecretString::from(CLIENT_SECRET.to_owned())),
            token_url: Some(portal.token_url()),
            credentials_file: file.map(Path::to_owned),
        }),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(10),
        retry: fast_retries(),
    })
    .unwrap()
}

fn app_client(portal: &emulator::Handle) -> Client {
    oauth_client(portal, APP_TOKEN, None)
}

fn hook_client(portal: &emulator::Handle) -> Client {
    Client::new(ClientOptions {
        auth: AuthConfig::Webhook(SecretString::from(portal.webhook_url(&hook()))),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(10),
        retry: fast_retries(),
    })
    .unwrap()
}

/// A small but real `.bpt`: zlib around a serialized template document.
fn bpt_bytes(title: &str) -> Vec<u8> {
    let doc = json!({
        "VERSION": 2,
        "TEMPLATE": [{
            "Type": "SequentialWorkflowActivity",
            "Name": "Template",
            "Activated": "Y",
            "Properties": {"Title": title},
            "Children": [{
                "Type": "SetFieldActivity", "Name": "A1", "Activated": "Y",
                "Properties": {"FieldValue": {"TITLE": "x"}, "Title": "Set"}, "Children": []
            }]
        }],
        "PARAMETERS": [],
        "VARIABLES": [],
        "CONSTANTS": [],
        "DOCUMENT_FIELDS": []
    });
    bpt::encode(&bpt::from_json(&doc))
}

fn new_template(name: &str) -> NewTemplate {
    NewTemplate {
        document_type: ["crm".into(), "CCrmDocumentDeal".into(), "DEAL".into()],
        name: name.into(),
        description: format!("managed by b24flow: {name}"),
        auto_execute: 2,
        file_name: format!("{name}.bpt"),
        bpt: bpt_bytes(name),
    }
}

fn docs_sample_base64() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/docs-sample-lists.bpt.b64"
    ))
    .unwrap()
    .trim()
    .to_owned()
}

#[tokio::test]
async fn add_list_update_delete_roundtrip() {
    let portal = portal(|_| {}).await;
    let client = app_client(&portal);
    let id = client.template_add(&new_template("won")).await.unwrap();

    let all = client
        .template_list_all(&ListQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    let live = &all[0];
    assert_eq!(live.id, id);
    assert_eq!(live.name, "won");
    assert_eq!(live.auto_execute, Some(2));
    assert_eq!(live.system_code, "rest_app_5");
    assert_eq!(
        live.full_document_type().unwrap(),
        ["crm", "CCrmDocumentDeal", "DEAL"]
    );
    assert_eq!(live.template[0]["Properties"]["Title"], "won");
    assert_eq!(live.template[0]["Children"][0]["Type"], "SetFieldActivity");
    assert_eq!(live.parameters, json!([]));

    let update = TemplateUpdate {
        name: Some("won v2".into()),
        auto_execute: Some(3),
        bpt: Some(("v2.bpt".into(), bpt_bytes("second"))),
        ..TemplateUpdate::default()
    };
    client.template_update(id, &update).await.unwrap();
    let all = client
        .template_list_all(&ListQuery::default())
        .await
        .unwrap();
    assert_eq!(all[0].name, "won v2");
    assert_eq!(all[0].auto_execute, Some(3));
    assert_eq!(all[0].template[0]["Properties"]["Title"], "second");
    assert_eq!(
        all[0].document_type, "DEAL",
        "update keeps the document type"
    );

    client.template_delete(id).await.unwrap();
    assert!(
        client
            .template_list_all(&ListQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
    let err = client.template_delete(id).await.unwrap_err();
    assert_eq!(err.code(), Some("ERROR_TEMPLATE_NOT_FOUND"), "{err}");
    portal.shutdown().await;
}

#[tokio::test]
async fn paging_over_120_templates_created_in_batches() {
    let portal = portal(|_| {}).await;
    let client = app_client(&portal);
    for chunk in 0..3 {
        let mut batch = Batch::new().halt(true);
        for i in 0..40 {
            let n = chunk * 40 + i;
            batch.push(
                format!("t{n}"),
                Method::TemplateAdd,
                &new_template(&format!("tpl-{n:03}")).params(),
            );
        }
        let reply = client.batch(&batch).await.unwrap();
        assert!(reply.errors.is_empty(), "{:?}", reply.errors);
        assert_eq!(reply.results.len(), 40);
    }
    let before = client.stats().requests;
    let query = ListQuery {
        select: vec!["ID".into(), "NAME".into()],
        ..ListQuery::default()
    };
    let first = client.template_list(&query, 0).await.unwrap();
    assert_eq!(
        (first.items.len(), first.total, first.next),
        (50, Some(120), Some(50))
    );
    let all = client.template_list_all(&query).await.unwrap();
    assert_eq!(all.len(), 120);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id), "ordered by ID");
    assert_eq!(
        client.stats().requests - before,
        3,
        "one page, then list_all: its first page and the two others in one batch"
    );
    let last = client.template_list(&query, 100).await.unwrap();
    assert_eq!((last.items.len(), last.next), (20, None));

    // ORDER and FILTER with prefixes.
    let mut desc = query.clone();
    desc.order = [("ID".to_owned(), json!("desc"))].into_iter().collect();
    desc.filter = [
        (">=ID".to_owned(), json!(100)),
        ("!NAME".to_owned(), json!("tpl-119")),
    ]
    .into_iter()
    .collect();
    let page = client.template_list(&desc, 0).await.unwrap();
    let ids: Vec<u64> = page.items.iter().map(|t| t.id).collect();
    assert_eq!(
        ids.first(),
        Some(&119),
        "tpl-119 has id 120 and is filtered out"
    );
    assert_eq!(ids.last(), Some(&100));
    assert_eq!(page.total, Some(20));
    portal.shutdown().await;
}

#[tokio::test]
async fn batch_reports_command_errors_and_empty_sections() {
    let portal = portal(|_| {}).await;
    let client = app_client(&portal);
    let mut batch = Batch::new();
    batch.push("ok", Method::TemplateAdd, &new_template("a").params());
    batch.push("dup", Method::TemplateDelete, &json!({"ID": 999}));
    batch.push("nested", Method::Batch, &json!({}));
    batch.push(
        "list",
        Method::TemplateList,
        &json!({"SELECT": ["ID"], "FILTER": {"ID": "$result[ok]"}}),
    );
    let reply = client.batch(&batch).await.unwrap();
    assert_eq!(reply.results["ok"], json!(1));
    assert_eq!(reply.error("dup").unwrap().code, "ERROR_TEMPLATE_NOT_FOUND");
    assert_eq!(
        reply.error("nested").unwrap().code,
        "ERROR_BATCH_METHOD_NOT_ALLOWED"
    );
    assert_eq!(
        reply.results["list"],
        json!([{"ID": "1"}]),
        "the $result reference resolved"
    );
    assert_eq!(reply.total("list"), Some(1));

    // halt stops at the first failure.
    let mut halted = Batch::new().halt(true);
    halted.push("bad", Method::TemplateDelete, &json!({"ID": 999}));
    halted.push("never", Method::TemplateAdd, &new_template("b").params());
    let reply = client.batch(&halted).await.unwrap();
    assert!(reply.results.is_empty());
    assert_eq!(portal.templates().len(), 1);

    // On the wire: empty sections are `[]`, and the HTTP status stays 200.
    let raw = reqwest::Client::new()
        .post(
            format!(
                "{}bizproc.workflow.template.list",
                portal.webhook_url(&hook())
            )
            .replace("bizproc.workflow.template.list", "batch"),
        )
        .json(&json!({"cmd": {"a": "bizproc.workflow.template.list?SELECT[]=ID"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 200);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(body["result"]["result_error"], json!([]));
    assert_eq!(body["result"]["result_next"], json!([]));
    assert_eq!(body["result"]["result_total"], json!({"a": 1}));

    // More than 50 commands never leave the client.
    let mut big = Batch::new();
    for i in 0..51 {
        big.push(format!("c{i}"), Method::Profile, &Value::Null);
    }
    assert!(matches!(
        client.batch(&big).await,
        Err(Error::InvalidRequest { .. })
    ));
    portal.shutdown().await;
}

#[tokio::test]
async fn a_webhook_can_list_but_not_write_and_is_told_why() {
    let portal = portal(|_| {}).await;
    let hook = hook_client(&portal);
    assert!(hook.is_webhook());
    assert!(
        hook.template_list_all(&ListQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
    let err = hook.template_add(&new_template("x")).await.unwrap_err();
    let Error::Api {
        code,
        status,
        help,
        description,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!((code.as_str(), *status), ("ACCESS_DENIED", 403));
    assert_eq!(description, "Access denied! Application context required");
    let help = help.as_deref().unwrap();
    assert!(
        help.contains("only from an OAuth application; a webhook can plan but not apply"),
        "{help}"
    );
    assert_eq!(portal.requests(), 2, "ACCESS_DENIED is not retried");

    // Another application cannot touch this application's template, nor a hand-made one.
    let app = app_client(&portal);
    let id = app.template_add(&new_template("mine")).await.unwrap();
    let other = emulator::start(Options::default()).await.unwrap();
    drop(other);
    let hand_made = portal.insert_template(StoredTemplate {
        id: 0,
        module_id: "crm".into(),
        entity: "CCrmDocumentDeal".into(),
        document_type: "DEAL".into(),
        auto_execute: 0,
        name: "by hand".into(),
        description: String::new(),
        template: json!([]),
        parameters: json!([]),
        variables: json!([]),
        constants: json!([]),
        modified: "2025-01-01T00:00:00+00:00".into(),
        is_modified: false,
        user_id: 1,
        system_code: None,
    });
    let err = app
        .template_update(
            hand_made,
            &TemplateUpdate {
                name: Some("y".into()),
                ..TemplateUpdate::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ERROR_TEMPLATE_NOT_OWNER"));
    let err = app.template_delete(hand_made).await.unwrap_err();
    let Error::Api { help, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        help.as_deref()
            .unwrap()
            .contains("only the application that created")
    );
    assert!(
        err.to_string()
            .contains("delete ONLY templates created by current application"),
        "{err}"
    );
    app.template_delete(id).await.unwrap();
    portal.shutdown().await;
}

#[tokio::test]
async fn expired_token_is_refreshed_and_the_rotated_pair_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("portal.json");
    let creds = dir.path().join("secrets/credentials.json");
    let portal = portal(|o| o.state_file = Some(state.clone())).await;
    let client = oauth_client(&portal, APP_TOKEN, Some(&creds));
    client.template_add(&new_template("before")).await.unwrap();
    portal.expire_tokens();

    let id = client.template_add(&new_template("after")).await.unwrap();
    assert_eq!(id, 2);
    assert_eq!(client.stats().refreshes, 1);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&creds).unwrap()).unwrap();
    let portal_state: Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let rotated = portal_state["refresh_tokens"][CLIENT_ID].as_str().unwrap();
    assert_ne!(rotated, REFRESH);
    assert_eq!(saved["refresh_token"], rotated);
    assert_ne!(saved["access_token"], APP_TOKEN);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&creds).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The old refresh token is dead: a second client still holding it cannot refresh.
    let unknown = oauth_client(&portal, "unknown-or-expired", None);
    portal.expire_tokens();
    let stale_err = unknown
        .template_list(&ListQuery::default(), 0)
        .await
        .unwrap_err();
    assert_eq!(stale_err.code(), Some("invalid_token"));
    let expired = oauth_client(&portal, APP_TOKEN, None);
    let err = expired
        .template_list(&ListQuery::default(), 0)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Refresh { code, .. } if code == "invalid_grant"),
        "{err:?}"
    );

    // from_config picks the rotated pair from the credentials file over the environment.
    let root = dir.path();
    std::fs::create_dir_all(root.join(".b24flow")).unwrap();
    std::fs::copy(&creds, root.join(".b24flow/credentials.json")).unwrap();
    let mut config = b24flow::config::Config::default();
    config.portal.url = Some(portal.portal_url());
    config.portal.rate = RatePlan::Off;
    let env = b24flow::config::Env::from_lookup(|name| match name {
        "B24FLOW_REFRESH_TOKEN" => Some(REFRESH.into()),
        "B24FLOW_CLIENT_ID" => Some(CLIENT_ID.into()),
        "B24FLOW_CLIENT_SECRET" => Some(CLIENT_SECRET.into()),
        "B24FLOW_OAUTH_URL" => Some(portal.token_url()),
        _ => None,
    });
    let configured = Client::from_config(&config, &env, root).unwrap().unwrap();
    assert!(!configured.is_webhook());
    assert_eq!(
        configured
            .template_list_all(&ListQuery::default())
            .await
            .unwrap()
            .len(),
        2
    );
    portal.shutdown().await;
}

#[tokio::test]
async fn concurrent_calls_share_one_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("portal.json");
    let portal = portal(|o| o.state_file = Some(state.clone())).await;
    // The state file is written on the first write; make one.
    app_client(&portal)
        .template_add(&new_template("seed"))
        .await
        .unwrap();
    // Concurrent calls that all meet the expired token refresh once, not once each.
    portal.expire_tokens();
    let before = portal_state_refresh(&state);
    let shared = std::sync::Arc::new(
        Client::new(ClientOptions {
            auth: AuthConfig::OAuth(OAuthConfig {
                portal: portal.portal_url(),
                access_token: Some(SecretString::from(APP_TOKEN.to_owned())),
                refresh_token: Some(SecretString::from(before.clone())),
                client_id: Some(CLIENT_ID.into()),
                client_secret: Some(SecretString::from(CLIENT_SECRET.to_owned())),
                token_url: Some(portal.token_url()),
                credentials_file: None,
            }),
            rate: RatePlan::Off,
            timeout: Duration::from_secs(10),
            retry: fast_retries(),
        })
        .unwrap(),
    );
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let c = shared.clone();
            tokio::spawn(async move { c.call(Method::Profile, Value::Null).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(shared.stats().refreshes, 1);
    assert_ne!(portal_state_refresh(&state), before);

    portal.shutdown().await;
}

fn portal_state_refresh(state: &Path) -> String {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(state).unwrap()).unwrap();
    v["refresh_tokens"][CLIENT_ID].as_str().unwrap().to_owned()
}

#[test]
fn from_config_without_a_portal_is_none_and_plain_http_is_refused() {
    let config = b24flow::config::Config::default();
    let env = b24flow::config::Env::default();
    assert!(
        Client::from_config(&config, &env, Path::new("/nonexistent"))
            .unwrap()
            .is_none()
    );
    let env = b24flow::config::Env::from_lookup(|n| {
        (n == "B24FLOW_WEBHOOK_URL")
            .then(|| "http://portal.example.com/rest/1/plainhttpcode/".into())
    });
    let err = Client::from_config(&config, &env, Path::new("/nonexistent")).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("refusing plain http"), "{text}");
    assert!(!text.contains("plainhttpcode"), "{text}");
    let mut with_url = config.clone();
    with_url.portal.url = Some("https://portal.example.com".into());
    let err = Client::from_config(
        &with_url,
        &b24flow::config::Env::default(),
        Path::new("/nonexistent"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("no credentials"), "{err}");
}

#[tokio::test]
async fn retries_converge_through_500s_503s_and_the_rate_limit() {
    let portal = portal(|o| {
        o.faults = Faults::new(
            vec![
                (FaultKind::Status500, 0.15),
                (FaultKind::Status503, 0.15),
                (FaultKind::Drop, 0.05),
            ],
            42,
        );
    })
    .await;
    let client = app_client(&portal);
    for _ in 0..20 {
        client
            .template_list(&ListQuery::default(), 0)
            .await
            .unwrap();
    }
    let stats = client.stats();
    assert!(stats.retries > 5, "{stats:?}");
    assert_eq!(stats.requests, portal.requests());

    // Updates are idempotent, so a lost reply after the commit is simply retried.
    portal.set_faults(Faults::none());
    let id = client.template_add(&new_template("r")).await.unwrap();
    portal.set_faults(Faults::new(vec![(FaultKind::DropAfterCommit, 0.5)], 3));
    for n in 0..5 {
        let update = TemplateUpdate {
            name: Some(format!("r{n}")),
            ..TemplateUpdate::default()
        };
        client.template_update(id, &update).await.unwrap();
    }
    portal.shutdown().await;

    // The portal's own leaky bucket: burst 5, fast drain; 30 calls at once all succeed.
    let limited = self::portal(|o| {
        o.rate = Some(RateLimit {
            per_sec: 2.0,
            burst: 5.0,
        });
        o.time_scale = 25.0;
    })
    .await;
    let client = std::sync::Arc::new(app_client(&limited));
    let calls = (0..30).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.call(Method::Profile, Value::Null).await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert!(
        client.stats().retries > 0,
        "the bucket overflowed and the client backed off"
    );
    limited.shutdown().await;
}

#[tokio::test]
async fn a_create_whose_reply_is_lost_is_reported_not_repeated() {
    let portal =
        portal(|o| o.faults = Faults::new(vec![(FaultKind::DropAfterCommit, 1.0)], 1)).await;
    let client = app_client(&portal);
    let err = client
        .template_add(&new_template("once"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Indeterminate { .. }), "{err:?}");
    assert_eq!(
        portal.templates().len(),
        1,
        "the write happened exactly once"
    );
    assert_eq!(portal.requests(), 1);

    // Delete after a lost reply: the retry finds it gone, which counts as done.
    portal.set_faults(Faults::new(vec![(FaultKind::Status500AfterCommit, 1.0)], 1));
    let id = portal.templates()[0].id;
    let deleting = client.template_delete(id);
    let unblock = async {
        tokio::time::sleep(Duration::from_millis(2)).await;
        portal.set_faults(Faults::none());
    };
    let (result, ()) = tokio::join!(deleting, unblock);
    result.unwrap();
    assert!(portal.templates().is_empty());

    // Throttled retries prove nothing was sent, so a missing template stays an error.
    portal.set_faults(Faults::new(vec![(FaultKind::Status503, 0.6)], 11));
    let err = client.template_delete(424_242).await.unwrap_err();
    assert_eq!(err.code(), Some("ERROR_TEMPLATE_NOT_FOUND"), "{err:?}");
    portal.shutdown().await;
}

#[tokio::test]
async fn operation_time_limit_waits_for_the_reset() {
    let portal = portal(|o| {
        o.operating = Some(OperatingLimit {
            budget: Duration::from_millis(300),
            window: Duration::from_millis(1500),
            cost: Duration::from_millis(100),
        });
    })
    .await;
    let client = app_client(&portal);
    let started = Instant::now();
    for _ in 0..5 {
        client
            .template_list(&ListQuery::default(), 0)
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert!(client.stats().retries >= 1);

    // A wait longer than allowed fails at once, saying so.
    let impatient = Client::new(ClientOptions {
        auth: AuthConfig::OAuth(OAuthConfig {
            portal: portal.portal_url(),
            access_token: Some(SecretString::from(APP_TOKEN.to_owned())),
            refresh_token: None,
            client_id: None,
            client_secret: None,
            token_url: None,
            credentials_file: None,
        }),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_operating_wait: Duration::ZERO,
            ..fast_retries()
        },
    })
    .unwrap();
    let mut last = Ok(());
    for _ in 0..5 {
        last = impatient
            .call(Method::Profile, Value::Null)
            .await
            .map(|_| ());
        if last.is_err() {
            break;
        }
    }
    let err = last.unwrap_err();
    assert!(matches!(err, Error::OperationTimeLimit { .. }), "{err:?}");
    portal.shutdown().await;
}

/// A server that answers every REST call with `body` (and `status`).
async fn broken_server(status: u16, body: &'static str) -> SocketAddr {
    let app = axum::Router::new().route(
        "/rest/{*path}",
        axum::routing::any(move || async move {
            (axum::http::StatusCode::from_u16(status).unwrap(), body)
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

#[tokio::test]
async fn malformed_replies_are_errors_not_panics() {
    let cases: [(u16, &str); 12] = [
        (200, "not json at all"),
        (200, "{\"result\":[{\"ID\":\"1\""),
        (200, ""),
        (200, "[1,2]"),
        (200, "{\"time\":{}}"),
        (200, "{\"result\":{\"ID\":\"1\"}}"),
        (200, "{\"result\":[{\"ID\":\"abc\"}]}"),
        (200, "{\"result\":[{\"NAME\":\"no id\"}]}"),
        (200, "{\"result\":[],\"total\":{\"x\":1}}"),
        (200, "{\"result\":[],\"next\":-5}"),
        (400, "{\"error\":42}"),
        (404, "<html>not found</html>"),
    ];
    for (status, body) in cases {
        let addr = broken_server(status, body).await;
        let client = Client::new(ClientOptions {
            auth: AuthConfig::Webhook(SecretString::from(format!("http://{addr}/rest/1/code/"))),
            rate: RatePlan::Off,
            timeout: Duration::from_secs(5),
            retry: fast_retries(),
        })
        .unwrap();
        let err = client
            .template_list(&ListQuery::default(), 0)
            .await
            .unwrap_err();
        // A 2xx body that is not JSON was garbled on the way: retried, then reported
        // with the malformed reply as the last failure (redteam 3.9).
        let last = match &err {
            Error::RetriesExhausted { last, .. } => last.as_ref(),
            other => other,
        };
        assert!(
            matches!(last, Error::Malformed { .. } | Error::Api { .. }),
            "{body}: {err:?}"
        );
        let batch_err = client.batch(&Batch::new()).await;
        assert!(batch_err.is_err(), "{body}");
    }
    // 5xx garbage is retried, then reported.
    let addr = broken_server(502, "<html>bad gateway</html>").await;
    let client = Client::new(ClientOptions {
        auth: AuthConfig::Webhook(SecretString::from(format!("http://{addr}/rest/1/code/"))),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(5),
        retry: fast_retries(),
    })
    .unwrap();
    let err = client.call(Method::Profile, Value::Null).await.unwrap_err();
    assert!(
        matches!(err, Error::RetriesExhausted { attempts: 8, .. }),
        "{err:?}"
    );
    // The emulator's own garbage and truncation faults: on every request they exhaust
    // the retries; on some of them, reads retry through.
    let portal = portal(|o| {
        o.faults = Faults::new(
            vec![(FaultKind::Garbage, 0.5), (FaultKind::Truncate, 0.5)],
            5,
        );
    })
    .await;
    let client = app_client(&portal);
    for _ in 0..4 {
        let err = client
            .template_list(&ListQuery::default(), 0)
            .await
            .unwrap_err();
        let Error::RetriesExhausted { last, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(matches!(**last, Error::Malformed { .. }), "{err:?}");
    }
    portal.shutdown().await;
    let flaky = self::portal(|o| {
        o.faults = Faults::new(
            vec![(FaultKind::Garbage, 0.2), (FaultKind::Truncate, 0.2)],
            5,
        );
    })
    .await;
    let client = app_client(&flaky);
    for _ in 0..10 {
        client
            .template_list(&ListQuery::default(), 0)
            .await
            .expect("garbled replies are retried through");
    }
    assert!(client.stats().retries > 0);
    flaky.shutdown().await;
}

#[tokio::test]
async fn secrets_never_appear_in_errors_or_debug_output() {
    const HOOK_SECRET: &str = "SECRETHOOK7341";
    const TOKEN_SECRET: &str = "SECRETTOKEN9902";
    const CLIENT_SECRET_X: &str = "SECRETCLIENT5518";
    const REFRESH_SECRET: &str = "SECRETREFRESH2207";
    let portal = portal(|o| o.faults = Faults::none()).await;
    let mut outputs = Vec::new();
    let mut record = |label: &str, client: &Client, err: Error| {
        outputs.push(format!("{label}: {err} | {err:?} | {client:?}"));
        outputs.push(format!("{:?}", miette::Report::new(err)));
    };

    // A webhook the portal does not know, and one that writes.
    let hook = Client::new(ClientOptions {
        auth: AuthConfig::Webhook(SecretString::from(format!(
            "{}rest/1/{HOOK_SECRET}/",
            portal.portal_url() + "/"
        ))),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(5),
        retry: fast_retries(),
    })
    .unwrap();
    let e = hook
        .template_list(&ListQuery::default(), 0)
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("NO_AUTH_FOUND"));
    record("hook", &hook, e);
    let e = hook.template_add(&new_template("x")).await.unwrap_err();
    record("hook add", &hook, e);

    // A token that does not exist, then a refresh with a wrong client secret.
    let oauth = Client::new(ClientOptions {
        auth: AuthConfig::OAuth(OAuthConfig {
            portal: portal.portal_url(),
            access_token: Some(SecretString::from(TOKEN_SECRET.to_owned())),
            refresh_token: Some(SecretString::from(REFRESH_SECRET.to_owned())),
            client_id: Some(CLIENT_ID.into()),
            client_secret: Some(SecretString::from(CLIENT_SECRET_X.to_owned())),
            token_url: Some(portal.token_url()),
            credentials_file: None,
        }),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(5),
        retry: fast_retries(),
    })
    .unwrap();
    let e = oauth.call(Method::Profile, Value::Null).await.unwrap_err();
    record("oauth", &oauth, e);
    portal.expire_tokens();
    let expiring = Client::new(ClientOptions {
        auth: AuthConfig::OAuth(OAuthConfig {
            portal: portal.portal_url(),
            access_token: Some(SecretString::from(APP_TOKEN.to_owned())),
            refresh_token: Some(SecretString::from(REFRESH_SECRET.to_owned())),
            client_id: Some(CLIENT_ID.into()),
            client_secret: Some(SecretString::from(CLIENT_SECRET_X.to_owned())),
            token_url: Some(portal.token_url()),
            credentials_file: None,
        }),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(5),
        retry: fast_retries(),
    })
    .unwrap();
    let e = expiring
        .call(Method::Profile, Value::Null)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Refresh { .. }), "{e:?}");
    record("refresh", &expiring, e);

    // Nothing listening: a transport error, retried to exhaustion.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let gone = Client::new(ClientOptions {
        auth: AuthConfig::Webhook(SecretString::from(format!(
            "http://{closed}/rest/1/{HOOK_SECRET}/"
        ))),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(2),
        retry: RetryPolicy {
            max_attempts: 2,
            ..fast_retries()
        },
    })
    .unwrap();
    let e = gone.call(Method::Profile, Value::Null).await.unwrap_err();
    record("transport", &gone, e);
    // An unreachable token endpoint during refresh.
    let bad_oauth = Client::new(ClientOptions {
        auth: AuthConfig::OAuth(OAuthConfig {
            portal: portal.portal_url(),
            access_token: None,
            refresh_token: Some(SecretString::from(REFRESH_SECRET.to_owned())),
            client_id: Some(CLIENT_ID.into()),
            client_secret: Some(SecretString::from(CLIENT_SECRET_X.to_owned())),
            token_url: Some(format!("http://{closed}/oauth/token/")),
            credentials_file: None,
        }),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(2),
        retry: fast_retries(),
    })
    .unwrap();
    let e = bad_oauth
        .call(Method::Profile, Value::Null)
        .await
        .unwrap_err();
    record("refresh transport", &bad_oauth, e);
    // A malformed webhook URL.
    let e = Client::new(ClientOptions {
        auth: AuthConfig::Webhook(SecretString::from(format!(
            "https://x.example/rest/1/{HOOK_SECRET}/profile?x=1"
        ))),
        rate: RatePlan::Off,
        timeout: Duration::from_secs(2),
        retry: fast_retries(),
    })
    .unwrap_err();
    outputs.push(format!("{e} {e:?}"));

    assert!(outputs.len() >= 13);
    for out in &outputs {
        for secret in [HOOK_SECRET, TOKEN_SECRET, CLIENT_SECRET_X, REFRESH_SECRET] {
            assert!(!out.contains(secret), "{secret} leaked in: {out}");
        }
    }
    portal.shutdown().await;
}

// ---- Conformance: documented request/response shapes (bitrix24/b24restdocs) ----

async fn post_json(url: &str, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let ct = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(ct, "application/json; charset=utf-8");
    (status, response.json().await.unwrap())
}

fn assert_time_block(time: &Value) {
    let keys: Vec<&str> = time
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "start",
            "finish",
            "duration",
            "processing",
            "date_start",
            "date_finish",
            "operating_reset_at",
            "operating"
        ]
    );
    assert!(time["start"].is_f64() && time["operating_reset_at"].is_i64());
    let date = time["date_start"].as_str().unwrap();
    assert_eq!(date.len(), "2025-01-22T10:09:00+00:00".len(), "{date}");
}

#[tokio::test]
async fn conformance_add_with_the_docs_sample() {
    let portal = portal(|_| {}).await;
    let url = format!("{}/rest/bizproc.workflow.template.add", portal.portal_url());
    let mut body = json!({
        "DOCUMENT_TYPE": ["lists", "BizprocDocument", "iblock_164"],
        "NAME": "App template",
        "DESCRIPTION": "Template was generated by rest application.",
        "AUTO_EXECUTE": 3,
        "TEMPLATE_DATA": ["bp-379.bpt", docs_sample_base64()],
        "auth": APP_TOKEN,
    });
    // The platform checks `$flag === (string)(int)$flag`, and a JSON body keeps 3 an
    // integer, so the docs' own JSON example is refused; form bodies and strings pass.
    let (status, reply) = post_json(&url, &body).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (400, Some("ERROR_TEMPLATE_VALIDATION_FAILURE"))
    );
    assert_eq!(reply["error_description"], "Incorrect field AUTO_EXECUTE!");
    body["AUTO_EXECUTE"] = json!("3");
    let (status, reply) = post_json(&url, &body).await;
    assert_eq!(status, 200, "{reply}");
    assert!(
        reply["result"].is_u64(),
        "the new id is an integer: {reply}"
    );
    assert_time_block(&reply["time"]);

    // The same call form-encoded with PHP brackets, method name in another case.
    let form = format!(
        "document_type[0]=lists&document_type[1]=BizprocDocument&document_type[2]=iblock_164&name=Form&auto_execute=1&template_data[0]=a.bpt&template_data[1]={}&auth={APP_TOKEN}",
        url::form_urlencoded::byte_serialize(docs_sample_base64().as_bytes()).collect::<String>()
    );
    let response = reqwest::Client::new()
        .post(format!(
            "{}/rest/BizProc.Workflow.Template.Add.json",
            portal.portal_url()
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let reply: Value = response.json().await.unwrap();
    assert_eq!(reply["result"], json!(2));

    // The documented validation errors.
    for (patch, message) in [
        (
            json!({"DOCUMENT_TYPE": ["crm", "CCrmDocumentTask", "TASK"]}),
            "Incorrect field DOCUMENT_TYPE!",
        ),
        (json!({"NAME": ""}), "Empty template name!"),
        (
            json!({"AUTO_EXECUTE": "7"}),
            "Incorrect field AUTO_EXECUTE!",
        ),
        (
            json!({"TEMPLATE_DATA": ["x.bpt", "bm90IGEgYnB0"]}),
            "Incorrect field TEMPLATE_DATA!",
        ),
        (
            json!({"TEMPLATE_DATA": ""}),
            "Incorrect field TEMPLATE_DATA!",
        ),
    ] {
        let mut b = body.clone();
        for (k, v) in patch.as_object().unwrap() {
            b[k] = v.clone();
        }
        let (status, reply) = post_json(&url, &b).await;
        assert_eq!(status, 400);
        assert_eq!(
            reply,
            json!({"error": "ERROR_TEMPLATE_VALIDATION_FAILURE", "error_description": message})
        );
    }

    // list returns the decoded template, as the REST API does.
    let list = format!(
        "{}bizproc.workflow.template.list",
        portal.webhook_url(&hook())
    );
    let (_, reply) = post_json(
        &list,
        &json!({"select": ["TEMPLATE", "DOCUMENT_TYPE"], "filter": {"ID": 1}}),
    )
    .await;
    assert_eq!(reply["result"][0]["DOCUMENT_TYPE"], "iblock_164");
    assert_eq!(
        reply["result"][0]["TEMPLATE"][0]["Type"],
        "SequentialWorkflowActivity"
    );
    assert_eq!(
        reply["result"][0]["TEMPLATE"][0]["Children"][0]["Type"],
        "SocNetMessageActivity"
    );
    portal.shutdown().await;
}

#[tokio::test]
async fn conformance_list_update_delete_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let portal = portal(|o| {
        o.state_file = Some(state.clone());
        o.webhooks.push(Webhook {
            user_id: 7,
            code: "notadmin".into(),
            admin: false,
        });
    })
    .await;
    let client = app_client(&portal);
    let mut lists = new_template("lists one");
    lists.document_type = [
        "lists".into(),
        "BizprocDocument".into(),
        "iblock_164".into(),
    ];
    lists.auto_execute = 0;
    client.template_add(&lists).await.unwrap();
    client.template_add(&new_template("deal")).await.unwrap();
    // A robot (automation) template: stored, but list never shows it.
    portal.insert_template(StoredTemplate {
        auto_execute: 8,
        ..StoredTemplate {
            id: 0,
            module_id: "crm".into(),
            entity: "CCrmDocumentDeal".into(),
            document_type: "DEAL".into(),
            auto_execute: 0,
            name: "robots".into(),
            description: String::new(),
            template: json!([]),
            parameters: json!([]),
            variables: json!([]),
            constants: json!([]),
            modified: "2025-01-01T00:00:00+00:00".into(),
            is_modified: false,
            user_id: 1,
            system_code: None,
        }
    });

    // The docs' webhook example, verbatim in shape.
    let list = format!(
        "{}bizproc.workflow.template.list",
        portal.webhook_url(&hook())
    );
    let (status, reply) = post_json(
        &list,
        &json!({"select": ["ID", "NAME", "USER_ID", "SYSTEM_CODE"], "filter": {"MODULE_ID": "lists", "AUTO_EXECUTE": 0}, "order": {"ID": "DESC"}}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        reply["result"],
        json!([{"ID": "1", "NAME": "lists one", "USER_ID": "1", "SYSTEM_CODE": "rest_app_5"}])
    );
    assert_eq!(reply["total"], 1);
    assert!(reply.get("next").is_none());
    assert_time_block(&reply["time"]);
    let (_, all) = post_json(&list, &json!({})).await;
    assert_eq!(
        all["result"],
        json!([{"ID": "1"}, {"ID": "2"}]),
        "default select is ID; robots hidden"
    );

    // update: ID + FIELDS, result is the id; delete: result null.
    let update = format!(
        "{}/rest/bizproc.workflow.template.update",
        portal.portal_url()
    );
    let (status, reply) = post_json(
        &update,
        &json!({"ID": 2, "FIELDS": {"NAME": "renamed"}, "auth": APP_TOKEN}),
    )
    .await;
    assert_eq!((status, &reply["result"]), (200, &json!(2)));
    let (status, reply) = post_json(&update, &json!({"ID": 2, "auth": APP_TOKEN})).await;
    assert_eq!(
        (status, reply),
        (
            400,
            json!({"error": "ERROR_TEMPLATE_VALIDATION_FAILURE", "error_description": "No fields to update."})
        )
    );
    let (status, reply) = post_json(
        &update,
        &json!({"ID": 99, "FIELDS": {"NAME": "x"}, "auth": APP_TOKEN}),
    )
    .await;
    assert_eq!(
        (status, reply),
        (
            400,
            json!({"error": "ERROR_TEMPLATE_NOT_FOUND", "error_description": "Workflow template not found."})
        )
    );
    let delete = format!(
        "{}/rest/bizproc.workflow.template.delete",
        portal.portal_url()
    );
    let (status, reply) = post_json(&delete, &json!({"ID": 2, "auth": APP_TOKEN})).await;
    assert_eq!(status, 200);
    assert!(reply.as_object().unwrap().contains_key("result") && reply["result"].is_null());

    // Access errors: non-admin (403 "Access denied!"), no auth, bad token, unknown method.
    let (status, reply) = post_json(
        &format!(
            "{}/rest/7/notadmin/bizproc.workflow.template.list",
            portal.portal_url()
        ),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, reply),
        (
            403,
            json!({"error": "ACCESS_DENIED", "error_description": "Access denied!"})
        )
    );
    let (status, reply) = post_json(
        &format!(
            "{}/rest/bizproc.workflow.template.list",
            portal.portal_url()
        ),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (401, Some("NO_AUTH_FOUND"))
    );
    let (status, reply) = post_json(
        &format!("{}/rest/1/wrong/profile", portal.portal_url()),
        &json!({}),
    )
    .await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (401, Some("NO_AUTH_FOUND"))
    );
    let (status, reply) = post_json(
        &format!("{}/rest/no.such.method", portal.portal_url()),
        &json!({"auth": APP_TOKEN}),
    )
    .await;
    assert_eq!(
        (status, reply),
        (
            404,
            json!({"error": "ERROR_METHOD_NOT_FOUND", "error_description": "Method not found!"})
        )
    );

    // The state survives a restart.
    portal.shutdown().await;
    let again = self::portal(|o| o.state_file = Some(state.clone())).await;
    let names: Vec<String> = again.templates().into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["lists one", "robots"]);
    let id = app_client(&again)
        .template_add(&new_template("next"))
        .await
        .unwrap();
    assert_eq!(id, 4, "ids are never reused");
    again.shutdown().await;
}

#[tokio::test]
async fn the_emulator_command_serves_until_stopped() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_b24flow"))
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--webhook",
            "1/clihook",
            "--app-token",
            "clitoken",
            "--rate",
            "off",
        ])
        .arg("--state")
        .arg(&state)
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.rsplit(' ').next().unwrap().to_owned();
    assert!(
        first.starts_with("emulator listening on http://127.0.0.1:"),
        "{first}"
    );
    let webhook = lines.next().unwrap().unwrap();
    assert!(webhook.ends_with("/rest/1/clihook/"), "{webhook}");

    let (status, reply) = post_json(
        &format!("{url}/rest/bizproc.workflow.template.add"),
        &json!({
            "DOCUMENT_TYPE": ["crm", "CCrmDocumentDeal", "DEAL"], "NAME": "from cli",
            "TEMPLATE_DATA": ["a.bpt", docs_sample_base64()], "auth": "clitoken"
        }),
    )
    .await;
    assert_eq!((status, &reply["result"]), (200, &json!(1)), "{reply}");
    let (_, listed) = post_json(
        &format!("{url}/rest/1/clihook/bizproc.workflow.template.list"),
        &json!({"select": ["NAME"]}),
    )
    .await;
    assert_eq!(listed["result"], json!([{"NAME": "from cli"}]));
    child.kill().unwrap();
    let _ = child.wait();
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["templates"]["1"]["name"], "from cli");
}

#[tokio::test]
async fn conformance_batch_as_documented() {
    let portal = portal(|_| {}).await;
    let add = format!(
        "bizproc.workflow.template.add?{}",
        b24flow::bitrix::query::encode(new_template("via batch").params().as_object().unwrap())
    );
    // JSON body, command map, a `$result` reference into an earlier command.
    let (status, reply) = post_json(
        &format!("{}/rest/batch", portal.portal_url()),
        &json!({
            "halt": 0,
            "cmd": {
                "add": add,
                "list": "bizproc.workflow.template.list?SELECT[]=ID&SELECT[]=NAME&FILTER[ID]=$result[add]"
            },
            "auth": APP_TOKEN
        }),
    )
    .await;
    assert_eq!(status, 200);
    let inner = &reply["result"];
    let keys: Vec<&str> = inner
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "result",
            "result_error",
            "result_total",
            "result_next",
            "result_time"
        ]
    );
    assert_eq!(
        inner["result"],
        json!({"add": 1, "list": [{"ID": "1", "NAME": "via batch"}]})
    );
    assert_eq!(inner["result_error"], json!([]));
    assert_eq!(inner["result_total"], json!({"list": 1}));
    assert_eq!(inner["result_next"], json!([]));
    let t = inner["result_time"]["list"].as_object().unwrap();
    let time_keys: Vec<&str> = t.keys().map(String::as_str).collect();
    assert_eq!(
        time_keys,
        [
            "start",
            "finish",
            "duration",
            "processing",
            "date_start",
            "date_finish"
        ]
    );
    let outer: Vec<&str> = reply["time"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        outer,
        [
            "start",
            "finish",
            "duration",
            "processing",
            "date_start",
            "date_finish"
        ]
    );

    // The documented GET form: everything in the query, sub-requests double-encoded.
    let url = format!(
        "{}/rest/batch?auth={APP_TOKEN}&halt=1&cmd[first]=bizproc.workflow.template.delete%3FID%3D77&cmd[second]=bizproc.workflow.template.list%3F",
        portal.portal_url()
    );
    let reply: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert_eq!(
        reply["result"]["result_error"],
        json!({"first": {"error": "ERROR_TEMPLATE_NOT_FOUND", "error_description": "Workflow template not found."}})
    );
    assert_eq!(
        reply["result"]["result"],
        json!([]),
        "halt stopped before `second`"
    );
    assert_eq!(reply["result"]["result_time"], json!([]));

    // A list of commands gives list-shaped sections.
    let (_, reply) = post_json(
        &format!("{}batch", portal.webhook_url(&hook())),
        &json!({"cmd": ["bizproc.workflow.template.list?SELECT[]=ID", "profile"]}),
    )
    .await;
    assert_eq!(reply["result"]["result"][0], json!([{"ID": "1"}]));
    // PHP prints `[0 => 1]` as a JSON list, so the total of command 0 is `[1]`.
    assert_eq!(reply["result"]["result_total"], json!([1]));
    portal.shutdown().await;
}

#[tokio::test]
async fn the_local_portal_pairs_with_the_local_client() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join(".b24flow/portal.json");
    let portal = emulator::start(Options::local(state.clone(), "local-token".into()))
        .await
        .unwrap();
    let client = Client::local(
        &portal.portal_url(),
        SecretString::from("local-token".to_owned()),
    )
    .unwrap();
    assert_eq!(client.profile().await.unwrap()["ADMIN"], json!(true));
    let id = client.template_add(&new_template("local")).await.unwrap();
    assert_eq!(
        client
            .template_list_all(&ListQuery::default())
            .await
            .unwrap()[0]
            .id,
        id
    );
    assert!(state.exists());
    portal.shutdown().await;
}
