//! A Bitrix24 client no one here wrote, fast_bitrix24 from PyPI, uses the emulator:
//! it pages through templates with its own `get_all` and meets the real refusal of a
//! template write over a webhook.

use std::process::Command;

use b24flow::bitrix::{Client, NewTemplate};
use b24flow::emulator::{self, App, Webhook};
use b24flow::nl::{Outcome, offline};

fn fast_bitrix24_installed() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import fast_bitrix24"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "fast-bitrix24 is required in CI"
        );
        eprintln!("skipping: the fast_bitrix24 Python package is not installed");
    }
    ok
}

#[test]
fn fast_bitrix24_lists_every_page_and_is_refused_writes_over_a_webhook() {
    if !fast_bitrix24_installed() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let handle = rt
        .block_on(emulator::start(emulator::Options {
            webhooks: vec![Webhook {
                user_id: 1,
                code: "hook4clients".into(),
                admin: true,
            }],
            apps: vec![App {
                app_id: 3,
                client_id: "app.clients".into(),
                client_secret: String::new(),
                access_token: Some("app-token-clients".into()),
                refresh_token: None,
                user_id: 1,
                admin: true,
            }],
            rate: None,
            ..emulator::Options::default()
        }))
        .unwrap();
    let client =
        Client::local(&handle.portal_url(), "app-token-clients".to_owned().into()).unwrap();
    let Outcome::Ok { workflow } = offline::parse("When a deal is won, add a comment \"won\"")
    else {
        panic!("the spec parses")
    };
    let config = b24flow::config::Config::default();
    let resolved = b24flow::resolve::resolve(&workflow.normalized(), &config).unwrap();
    for i in 0..120 {
        let t = b24flow::bizproc::lower(&format!("w{i}"), &resolved);
        let new = NewTemplate {
            document_type: t.document_type.clone(),
            name: format!("{} {i}", t.name),
            description: String::new(),
            auto_execute: t.auto_execute,
            file_name: format!("w{i}.bpt"),
            bpt: t.to_bpt(),
        };
        rt.block_on(client.template_add(&new)).unwrap();
    }
    let webhook = format!("{}/rest/1/hook4clients/", handle.portal_url());
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/clients/fast_bitrix24_check.py"
    );
    let out = Command::new("python3")
        .args([script, &webhook, "120"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(report["listed"], 120);
    rt.block_on(handle.shutdown());
}
