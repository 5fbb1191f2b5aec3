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

/// Each portal's copy of the OAuth application: a local application has a client id
/// of its own on every portal.
const STAGING_APP: &str = "local.5f3a1c0e2b.staging";
const PRODUCTION_APP: &str = "local.9b2c7d41e8.production";

fn portal(rt: &tokio::runtime::Runtime, seed: u64, token: &str, client_id: &str) -> Handle {
    rt.block_on(emulator::start(emulator::Options {
        apps: vec![App {
            app_id: 7,
            client_id: client_id.into(),
            client_secret: "client-secret".into(),
            access_token: Some(token.into()),
            refresh_token: None,
            user_id: 1,
            admin: true,
        }],
        // An administrator's webhook too, with the token as its code.
        webhooks: vec![emulator::Webhook {
            user_id: 1,
            code: token.into(),
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
        let staging = portal(&rt, 1, STAGING_TOKEN, STAGING_APP);
        let production = portal(&rt, 2, PRODUCTION_TOKEN, PRODUCTION_APP);
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
            .env("B24FLOW_STAGING_CLIENT_ID", STAGING_APP)
            .env("B24FLOW_PRODUCTION_ACCESS_TOKEN", PRODUCTION_TOKEN)
            .env("B24FLOW_PRODUCTION_CLIENT_ID", PRODUCTION_APP)
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

/// The workflow `init` writes for a project declaring `envs` (in that order), parsed.
fn promotion_workflow(envs: &[&str]) -> (TestEnv, Value) {
    let env = TestEnv::new();
    let toml = envs
        .iter()
        .map(|e| format!("[environments.{e}]\nurl = \"https://{e}.example.com\"\n"))
        .collect::<Vec<_>>()
        .join("\n");
    env.write("b24flow.toml", toml);
    env.run(&["init"]).success();
    let text = env.read(".github/workflows/b24flow.yml");
    let yaml: Value = serde_saphyr::from_str(&text).unwrap();
    (env, yaml)
}

/// The steps of `job` that use the action `uses` (e.g. `actions/upload-artifact`).
fn steps_using<'a>(job: &'a Value, uses: &str) -> Vec<&'a Value> {
    job["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(uses)))
        .collect()
}

fn run_text(job: &Value) -> String {
    job["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn init_writes_a_promotion_workflow_for_environments() {
    let (env, wf) = promotion_workflow(&["staging", "production"]);
    let jobs = wf["jobs"].as_object().unwrap();
    let names: Vec<&str> = jobs.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "plan",
            "apply-staging",
            "plan-production",
            "apply-production",
            "drift",
            "runner"
        ]
    );

    // Pull requests: one job plans every environment with that environment's
    // credentials, and saves each plan in the artifact the merge applies from.
    let plan = &jobs["plan"];
    assert_eq!(plan["if"], "github.event_name == 'pull_request'");
    for var in [
        "B24FLOW_STAGING_WEBHOOK_URL",
        "B24FLOW_PRODUCTION_WEBHOOK_URL",
    ] {
        assert_eq!(plan["env"][var], format!("${{{{ secrets.{var} }}}}"));
    }
    assert!(plan["env"].get("B24FLOW_WEBHOOK_URL").is_none());
    let script = run_text(plan);
    assert!(
        script.contains("for env in staging production; do"),
        "{script}"
    );
    assert!(script.contains("b24flow plan --env \"$env\""), "{script}");
    assert!(script.contains("--out \"plan-$env.json\""), "{script}");
    let saved = steps_using(plan, "actions/upload-artifact");
    let reviewed = saved
        .iter()
        .find(|s| s["with"]["path"] == "plan-*.json")
        .expect("the plans are kept");
    assert_eq!(
        reviewed["with"]["name"],
        "b24flow-plan-${{ github.event.pull_request.head.sha }}"
    );

    // The merge: staging first, from its reviewed plan, one apply at a time.
    let staging = &jobs["apply-staging"];
    assert_eq!(staging["if"], "github.event_name == 'push'");
    assert!(staging.get("needs").is_none() && staging.get("environment").is_none());
    assert_eq!(staging["concurrency"]["group"], "b24flow-apply-staging");
    assert_eq!(staging["concurrency"]["cancel-in-progress"], false);
    assert!(run_text(staging).contains("b24flow apply --env staging reviewed/plan-staging.json"));
    assert_eq!(
        staging["env"]["B24FLOW_STAGING_CLIENT_ID"],
        "${{ secrets.B24FLOW_STAGING_CLIENT_ID }}"
    );

    // Then production: the same run (so the same commit), planned once staging is
    // applied, and applied from exactly that saved plan behind its GitHub Environment.
    let planned = &jobs["plan-production"];
    assert_eq!(planned["needs"], "apply-staging");
    assert!(
        run_text(planned).contains("b24flow plan --env production --out plan.json"),
        "{}",
        run_text(planned)
    );
    let uploads = steps_using(planned, "actions/upload-artifact");
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0]["with"]["path"], "plan.json");
    let artifact = uploads[0]["with"]["name"].as_str().unwrap();
    assert_eq!(artifact, "b24flow-plan-production-${{ github.sha }}");

    let gated = &jobs["apply-production"];
    assert_eq!(gated["needs"], "plan-production");
    assert_eq!(gated["environment"], "production");
    assert_eq!(gated["concurrency"]["group"], "b24flow-apply-production");
    let downloads = steps_using(gated, "actions/download-artifact");
    assert_eq!(downloads.len(), 1);
    assert_eq!(downloads[0]["with"]["name"], artifact);
    let dir = downloads[0]["with"]["path"].as_str().unwrap();
    assert!(
        run_text(gated).contains(&format!("b24flow apply --env production {dir}/plan.json")),
        "{}",
        run_text(gated)
    );
    // Applying production never plans anew: what was approved is what is applied.
    assert!(!run_text(gated).contains("b24flow plan"));
    for job in [staging, gated] {
        assert!(job["env"].get("B24FLOW_CLIENT_ID").is_none());
    }

    // Drift per environment; the runner job is the single-portal one, untouched.
    assert!(run_text(&jobs["drift"]).contains("b24flow drift --env \"$env\""));
    let single = TestEnv::new();
    single.run(&["init"]).success();
    let base: Value =
        serde_saphyr::from_str(&single.read(".github/workflows/b24flow.yml")).unwrap();
    assert_eq!(jobs["runner"], base["jobs"]["runner"]);
    assert!(base["jobs"].get("apply").is_some() && base["jobs"].get("apply-staging").is_none());
    // Snapshot changes trigger a plan too.
    let paths = wf["on"]["pull_request"]["paths"].as_array().unwrap();
    assert!(paths.iter().any(|p| p == "environments/**"));

    crate::cli::actionlint(env.root(), &[".github/workflows/b24flow.yml"]);
    crate::cli::actionlint(single.root(), &[".github/workflows/b24flow.yml"]);
}

#[test]
fn promotion_follows_the_declared_order_through_every_environment() {
    let (env, wf) = promotion_workflow(&["qa", "pre-prod", "live"]);
    let jobs = &wf["jobs"];
    assert!(jobs.get("apply-qa").is_some() && jobs["apply-qa"].get("needs").is_none());
    assert_eq!(jobs["plan-pre-prod"]["needs"], "apply-qa");
    assert_eq!(jobs["apply-pre-prod"]["environment"], "pre-prod");
    assert_eq!(jobs["plan-live"]["needs"], "apply-pre-prod");
    assert_eq!(jobs["apply-live"]["environment"], "live");
    assert_eq!(
        jobs["plan"]["env"]["B24FLOW_PRE_PROD_WEBHOOK_URL"],
        "${{ secrets.B24FLOW_PRE_PROD_WEBHOOK_URL }}"
    );
    assert!(run_text(&jobs["plan"]).contains("for env in qa pre-prod live; do"));
    crate::cli::actionlint(env.root(), &[".github/workflows/b24flow.yml"]);
}

#[test]
fn plan_refresh_reads_the_portal_and_names_what_changed() {
    let two = Two::start(&[PROPOSAL]);
    two.b24flow(&["compile"]).success();
    two.b24flow(&["snapshot", "--env", "production"]).success();
    let committed = two.env.read("environments/production.yaml");

    // Production gains a stage after its snapshot, and a spec uses it.
    let added = two.rest(
        false,
        "crm.status.add",
        &json!({"fields": {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "UC_NEGO77", "NAME": "Negotiation", "SORT": 35}}),
    );
    assert!(added["result"].as_u64().is_some(), "{added}");
    two.env.write(
        "workflows/negotiation.txt",
        "When a deal moves to the Negotiation stage, notify Sam Seller: \"Negotiating {{DEAL_TITLE}}\".",
    );
    two.b24flow(&["compile"]).success();

    // From the committed snapshot the stage is unknown, and the warning names the change.
    let stale = two.b24flow(&["plan", "--env", "production"]).expect_code(1);
    assert!(
        stale.stderr().contains("stage 'NEGOTIATION'"),
        "{}",
        stale.stderr()
    );

    // --refresh plans against the portal as it is, says what differs, and leaves the
    // committed file alone.
    let refreshed = two
        .b24flow(&[
            "plan",
            "--env",
            "production",
            "--refresh",
            "--format",
            "json",
        ])
        .success();
    let note = refreshed.stderr();
    assert!(
        note.contains("differs from environments/production.yaml")
            && note.contains("new stage of the deal pipeline `Sales` `Negotiation` (UC_NEGO77)")
            && note.contains("b24flow snapshot --env production"),
        "{note}"
    );
    let plan = refreshed.json();
    let created: Vec<&str> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(created.contains(&"negotiation"), "{plan}");
    assert_eq!(two.env.read("environments/production.yaml"), committed);

    // Without the new spec, the stale warning lists the change too.
    std::fs::remove_file(two.env.path("workflows/negotiation.txt")).unwrap();
    std::fs::remove_file(two.env.path("workflows/negotiation.lock.yaml")).unwrap();
    let warned = two.b24flow(&["plan", "--env", "production"]).success();
    assert!(
        warned.stderr().contains("older than the portal")
            && warned.stderr().contains("`Negotiation` (UC_NEGO77)"),
        "{}",
        warned.stderr()
    );
    // After a snapshot, --refresh finds nothing new.
    two.b24flow(&["snapshot", "--env", "production"]).success();
    let same = two
        .b24flow(&["plan", "--env", "production", "--refresh"])
        .success();
    assert!(
        same.stderr()
            .contains("environments/production.yaml matches the portal"),
        "{}",
        same.stderr()
    );

    // Without an environment there is nothing to refresh.
    let bare = two.b24flow(&["plan", "--refresh"]).expect_code(1);
    assert!(bare.stderr().contains("--refresh"), "{}", bare.stderr());
}

#[test]
fn the_sms_provider_and_open_channels_resolve_per_environment() {
    let two = Two::start(&[(
        "won-sms",
        "When a deal is won, send an SMS to the client: \"Thank you for {{DEAL_TITLE}}\".",
    )]);
    let toml = two.env.read("b24flow.toml");
    two.env.write(
        "b24flow.toml",
        format!("{toml}\n[channels]\nsms_provider = \"acme_sms\"\n"),
    );
    two.b24flow(&["compile"]).success();
    assert!(
        !two.env
            .read("workflows/won-sms.lock.yaml")
            .contains("local.")
    );
    two.b24flow(&["snapshot", "--env", "staging"]).success();
    two.b24flow(&["snapshot", "--env", "production"]).success();
    let staging = two.env.read("environments/staging.yaml");
    for text in [
        "sms_providers:",
        &format!("id: {STAGING_APP}|acme_sms"),
        "name: acme_sms_backup",
        "open_lines:",
        "name: WhatsApp",
        "name: Website chat",
    ] {
        assert!(staging.contains(text), "{text} missing from\n{staging}");
    }

    // The same [channels] name, each portal's own provider id in the template.
    let s_bpt = two.built("staging", "won-sms");
    let p_bpt = two.built("production", "won-sms");
    assert!(
        s_bpt.contains(&format!("\"{STAGING_APP}|acme_sms\"")),
        "{s_bpt}"
    );
    assert!(
        p_bpt.contains(&format!("\"{PRODUCTION_APP}|acme_sms\"")),
        "{p_bpt}"
    );

    // A provider production lacks: the diagnostic names the environment, the lockfile
    // and what it has, as for stages.
    two.env.write(
        "b24flow.toml",
        format!("{toml}\n[channels]\nsms_provider = \"acme_sms_staging\"\n"),
    );
    let failed = two.b24flow(&["plan", "--env", "production"]).expect_code(1);
    let err = failed.stderr();
    assert!(
        err.contains("SMS provider 'acme_sms_staging'")
            && err.contains("production's SMS")
            && err.contains("it has:")
            && err.contains("acme_sms_backup")
            && err.contains("won-sms.lock.yaml"),
        "{err}"
    );
    // An id, or a built-in sender, is kept as written.
    two.env.write(
        "b24flow.toml",
        format!("{toml}\n[channels]\nsms_provider = \"@smsru\"\n"),
    );
    assert!(two.built("production", "won-sms").contains("\"@smsru\""));

    // A snapshot through a webhook cannot read the providers (application context
    // only) and keeps the ones the file has; the portal's refusal is no error.
    let hook = format!(
        "{}/rest/1/{PRODUCTION_TOKEN}/",
        two.production.as_ref().unwrap().portal_url()
    );
    let listed = two.rest(false, "messageservice.sender.list", &json!({}));
    assert_eq!(
        listed["result"],
        json!(["acme_sms", "acme_sms_backup"]),
        "{listed}"
    );
    let before = two.env.read("environments/production.yaml");
    let webhook = two
        .env
        .cmd(&["snapshot", "--env", "production"])
        .env("B24FLOW_PRODUCTION_WEBHOOK_URL", &hook)
        .run()
        .success();
    assert!(
        webhook.stderr().contains("SMS providers not read"),
        "{}",
        webhook.stderr()
    );
    assert_eq!(two.env.read("environments/production.yaml"), before);
}
