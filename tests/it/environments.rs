//! Environments: one repository, a staging and a production portal seeded differently;
//! the same lockfiles compile to each portal's own stage and user ids through the
//! committed snapshots, and a name one portal lacks is a diagnostic for that one only.

use std::io::Read;

use b24flow::emulator::{self, App, Handle};
use serde_json::{Value, json};

use crate::support::{Run, TestEnv};

const STAGING_TOKEN: &str = "tok-staging-7d1e0c55";
const PRODUCTION_TOKEN: &str = "tok-production-9a3b41f2";

struct Two {
    env: TestEnv,
    staging: Option<Handle>,
    production: Option<Handle>,
    rt: tokio::runtime::Runtime,
}

fn portal(rt: &tokio::runtime::Runtime, seed: u64, token: &str) -> Handle {
    rt.block_on(emulator::start(emulator::Options {
        apps: vec![App {
            app_id: 7,
            client_id: "app.test".into(),
            client_secret: "client-secret".into(),
            access_token: Some(token.into()),
            refresh_token: None,
            user_id: 1,
            admin: true,
        }],
        rate: None,
        seed: Some(seed),
        ..emulator::Options::default()
    }))
    .unwrap()
}

impl Two {
    fn start(specs: &[(&str, &str)]) -> Two {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let env = TestEnv::with_specs(specs);
        let staging = portal(&rt, 1, STAGING_TOKEN);
        let production = portal(&rt, 2, PRODUCTION_TOKEN);
        env.write(
            "b24flow.toml",
            format!(
                "[environments.staging]\nurl = \"{}\"\nrate = \"off\"\n\n[environments.production]\nurl = \"{}\"\nrate = \"off\"\n",
                staging.portal_url(),
                production.portal_url()
            ),
        );
        Two {
            env,
            staging: Some(staging),
            production: Some(production),
            rt,
        }
    }

    fn b24flow(&self, args: &[&str]) -> Run {
        self.env
            .cmd(args)
            .env("B24FLOW_STAGING_ACCESS_TOKEN", STAGING_TOKEN)
            .env("B24FLOW_PRODUCTION_ACCESS_TOKEN", PRODUCTION_TOKEN)
            .run()
    }

    fn rest(&self, staging: bool, method: &str, params: &Value) -> Value {
        let (handle, token) = if staging {
            (self.staging.as_ref().unwrap(), STAGING_TOKEN)
        } else {
            (self.production.as_ref().unwrap(), PRODUCTION_TOKEN)
        };
        let url = format!("{}/rest/{method}.json?auth={token}", handle.portal_url());
        self.rt.block_on(async {
            reqwest::Client::new()
                .post(url)
                .json(params)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        })
    }

    /// The decoded `.bpt` that `build --env` writes for `id`.
    fn built(&self, environment: &str, id: &str) -> String {
        let out = format!("out-{environment}");
        self.b24flow(&["build", "--env", environment, "--out", &out, id])
            .success();
        let bytes = std::fs::read(self.env.path(&format!("{out}/{id}.bpt"))).unwrap();
        let mut text = String::new();
        flate2::read::ZlibDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        text
    }
}

impl Drop for Two {
    fn drop(&mut self) {
        for handle in [self.staging.take(), self.production.take()]
            .into_iter()
            .flatten()
        {
            self.rt.block_on(handle.shutdown());
        }
    }
}

/// The stage id a snapshot gives a stage name in the deal pipeline 0.
fn stage_id(snapshot: &str, name: &str) -> String {
    let lines: Vec<&str> = snapshot.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("name: {name}"))
        .unwrap_or_else(|| panic!("no stage {name} in\n{snapshot}"));
    lines[at - 1].trim().trim_start_matches("- id: ").to_owned()
}

const PROPOSAL: (&str, &str) = (
    "proposal",
    "When a deal moves to the Proposal stage, notify Sam Seller: \"Proposal out for {{DEAL_TITLE}}\".",
);

#[test]
fn the_same_lockfiles_get_each_portals_ids() {
    let two = Two::start(&[PROPOSAL]);
    two.b24flow(&["compile"]).success();
    let lock = two.env.read("workflows/proposal.lock.yaml");
    assert!(
        !lock.contains("UC_"),
        "lockfiles stay environment-free:\n{lock}"
    );

    two.b24flow(&["snapshot", "--env", "staging"]).success();
    two.b24flow(&["snapshot", "--env", "production"]).success();
    let staging = two.env.read("environments/staging.yaml");
    let production = two.env.read("environments/production.yaml");
    assert!(
        staging.starts_with("# yaml-language-server: $schema=../schema/environment.schema.json\n")
    );
    // A second snapshot of an unchanged portal is byte-identical.
    two.b24flow(&["snapshot", "--env", "staging"]).success();
    assert_eq!(two.env.read("environments/staging.yaml"), staging);
    two.b24flow(&["snapshot", "--env", "staging", "--check"])
        .success();

    let (s_stage, p_stage) = (
        stage_id(&staging, "Proposal"),
        stage_id(&production, "Proposal"),
    );
    assert_ne!(s_stage, p_stage);
    let s_bpt = two.built("staging", "proposal");
    let p_bpt = two.built("production", "proposal");
    assert!(s_bpt.contains(&format!("\"{s_stage}\"")), "{s_bpt}");
    assert!(p_bpt.contains(&format!("\"{p_stage}\"")), "{p_bpt}");
    assert!(!p_bpt.contains(&s_stage));
    // Sam Seller is user 11 in copy 1 and user 21 in copy 2.
    assert!(s_bpt.contains("\"user_11\""), "{s_bpt}");
    assert!(p_bpt.contains("\"user_21\""), "{p_bpt}");

    for env in ["staging", "production"] {
        two.b24flow(&["apply", "--env", env, "--auto-approve"])
            .success();
    }
    two.b24flow(&["drift", "--env", "production"])
        .expect_code(0);
    // Each environment keeps its own state.
    assert!(two.env.exists(".b24flow/env/staging/journal.jsonl"));
    assert!(two.env.exists(".b24flow/env/production/journal.jsonl"));

    // A stage only staging has: production fails with the diagnostic, staging works.
    let added = two.rest(
        true,
        "crm.status.add",
        &json!({"fields": {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "NEGOTIATION", "NAME": "Negotiation", "SORT": 35}}),
    );
    assert!(added["result"].as_u64().is_some(), "{added}");
    two.env.write(
        "workflows/negotiation.txt",
        "When a deal moves to the Negotiation stage, notify Sam Seller: \"Negotiating {{DEAL_TITLE}}\".",
    );
    two.b24flow(&["compile"]).success();
    let stale = two
        .b24flow(&["plan", "--env", "staging", "proposal"])
        .success();
    assert!(
        stale.stderr().contains("older than the portal"),
        "{}",
        stale.stderr()
    );
    two.b24flow(&["snapshot", "--env", "staging"]).success();
    two.b24flow(&["snapshot", "--env", "production"]).success();
    let failed = two.b24flow(&["plan", "--env", "production"]).expect_code(1);
    let err = failed.stderr();
    assert!(err.contains("production"), "{err}");
    assert!(err.contains("NEGOTIATION"), "{err}");
    assert!(
        err.contains("Proposal"),
        "the closest names are listed: {err}"
    );
    assert!(err.contains("negotiation.lock.yaml"), "{err}");
    two.b24flow(&["plan", "--env", "staging"]).success();
}

#[test]
fn bad_environments_are_clear_errors() {
    let two = Two::start(&[PROPOSAL]);
    two.b24flow(&["compile"]).success();

    let unknown = two.b24flow(&["plan", "--env", "prod"]).expect_code(1);
    let err = unknown.stderr();
    assert!(err.contains("no environment `prod`"), "{err}");
    assert!(
        err.contains("it declares: production,") && err.contains("staging"),
        "{err}"
    );
    assert!(err.contains("b24flow.toml"), "{err}");

    let bare = two
        .env
        .cmd(&["list", "--env", "staging"])
        .env("B24FLOW_ACCESS_TOKEN", STAGING_TOKEN)
        .run()
        .expect_code(1);
    let err = bare.stderr();
    assert!(err.contains("B24FLOW_STAGING_WEBHOOK_URL"), "{err}");
    assert!(err.contains("B24FLOW_STAGING_ACCESS_TOKEN"), "{err}");

    // B24FLOW_ENV picks the environment when --env is absent.
    two.env
        .cmd(&["list"])
        .env("B24FLOW_ENV", "staging")
        .env("B24FLOW_STAGING_ACCESS_TOKEN", STAGING_TOKEN)
        .run()
        .success();

    two.env.write(
        "environments/production.yaml",
        "version: 1\nenvironment: production\nusers: lots\n",
    );
    let nonsense = two.b24flow(&["plan", "--env", "production"]).expect_code(1);
    let err = nonsense.stderr();
    assert!(err.contains("environments/production.yaml"), "{err}");
    assert!(err.contains("production"), "{err}");

    // Two users called Alex Morgan: the name is an error, and nothing is applied.
    two.b24flow(&["snapshot", "--env", "staging"]).success();
    two.env.write(
        "workflows/alex.txt",
        "When a deal is won, notify Alex Morgan: \"Won {{DEAL_TITLE}}\".",
    );
    two.b24flow(&["compile"]).success();
    let ambiguous = two
        .b24flow(&["apply", "--env", "staging", "--auto-approve"])
        .expect_code(1);
    let err = ambiguous.stderr();
    assert!(err.contains("2 users are called"), "{err}");
    assert!(err.contains("staging"), "{err}");
    assert!(two.staging.as_ref().unwrap().templates().is_empty());
}
