//! `b24flow import` against the built-in local portal, through the real binary: a raw
//! `.bpt` made by hand (the docs' sample), a template b24flow made for another
//! application, and one this application made whose files were lost. After import,
//! `compile --check` passes and `plan` shows no change once the copies exist.

use std::collections::BTreeMap;

use b24flow::bitrix::{Client, ListQuery, NewTemplate};
use b24flow::blueprint::{Action, Blueprint, Trigger};
use b24flow::emulator::{self, App};
use base64::Engine as _;
use secrecy::SecretString;
use serde_json::Value;

use crate::support::TestEnv;

const OTHER_TOKEN: &str = "other-application-token";

/// Adds templates as another application (app 2) to the project's local portal, the
/// way a real portal would store them; returns their ids.
fn add_as_other_app(env: &TestEnv, templates: &[NewTemplate]) -> Vec<u64> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let portal = emulator::start(emulator::Options {
            state_file: Some(env.path(".b24flow/portal.json")),
            apps: vec![App {
                app_id: 2,
                client_id: "other.app".into(),
                client_secret: String::new(),
                access_token: Some(OTHER_TOKEN.into()),
                refresh_token: None,
                user_id: 1,
                admin: true,
            }],
            ..emulator::Options::default()
        })
        .await
        .unwrap();
        let client = Client::local(
            &portal.portal_url(),
            SecretString::from(OTHER_TOKEN.to_owned()),
        )
        .unwrap();
        let mut ids = Vec::new();
        for t in templates {
            ids.push(client.template_add(t).await.unwrap());
        }
        assert!(
            client
                .template_list_all(&ListQuery::default())
                .await
                .is_ok()
        );
        portal.shutdown().await;
        ids
    })
}

/// Edits one stored template of the local portal's state file.
fn edit_stored(env: &TestEnv, id: u64, edit: impl FnOnce(&mut Value)) {
    let path = ".b24flow/portal.json";
    let mut state: Value = serde_json::from_str(&env.read(path)).unwrap();
    edit(&mut state["templates"][id.to_string()]);
    env.write(path, serde_json::to_string(&state).unwrap());
}

/// The docs' sample `.bpt` (a lists template with one `SocNetMessageActivity`).
fn docs_sample() -> NewTemplate {
    let b64 = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/docs-sample-lists.bpt.b64"),
    )
    .unwrap();
    NewTemplate {
        document_type: ["lists".into(), "BizprocDocument".into(), "iblock_22".into()],
        name: "Docs sample".into(),
        description: "Made in the designer".into(),
        auto_execute: 0,
        file_name: "sample.bpt".into(),
        bpt: base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .unwrap(),
    }
}

/// A template b24flow compiled for another project (workflow `lost-deals`), with its
/// ownership marker, as that project's apply uploads it.
fn made_by_b24flow_elsewhere() -> NewTemplate {
    let bp = Blueprint {
        name: "Lost deal: tell the manager".into(),
        entity: "CRM_DEAL".into(),
        trigger: Trigger::new("deal_lost"),
        conditions: Vec::new(),
        actions: vec![Action::new(
            "send_notification",
            [
                ("to", "{{ASSIGNED_BY_ID}}".to_owned()),
                ("message", "{{DEAL_TITLE}} was lost".to_owned()),
            ],
        )],
    };
    let config = b24flow::config::Config::default();
    let resolved = b24flow::resolve::resolve(&bp, &config).unwrap();
    let mut t = b24flow::bizproc::lower("lost-deals", &resolved);
    let d = b24flow::build::desired(
        "lost-deals",
        "workflows/lost-deals.txt",
        "When a deal is lost, notify its manager",
        &mut t,
        "0".repeat(64),
    );
    NewTemplate {
        document_type: d.document_type.clone(),
        name: d.name.clone(),
        description: d.description.clone(),
        auto_execute: d.auto_execute,
        file_name: "lost-deals.bpt".into(),
        bpt: t.to_bpt(),
    }
}

fn plan(env: &TestEnv) -> Value {
    env.run(&["plan", "--format", "json"]).success().json()
}

/// `id -> action` of every change.
fn actions(plan: &Value) -> BTreeMap<String, String> {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn listed(env: &TestEnv) -> Vec<Value> {
    env.run(&["list", "--json"]).success().json()["templates"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn imported_templates_plan_no_change() {
    let env = TestEnv::with_specs(&[
        (
            "deal-won",
            "When a deal is won, send a WhatsApp message to the client",
        ),
        (
            "lead-follow-up",
            "Create a follow-up task for the sales manager when a new lead is created",
        ),
    ]);
    env.run(&["compile"]).success();
    env.run(&["apply", "--auto-approve"]).success();
    // A template this application made whose files were lost. (`lead-follow-up`, still
    // managed, shows which SYSTEM_CODE is this application's.)
    let own_id = listed(&env)
        .iter()
        .find(|t| t["workflow"] == "deal-won")
        .and_then(|t| t["id"].as_u64())
        .unwrap();
    let spec_before = env.read("workflows/deal-won.txt");
    let lock_before = env.read("workflows/deal-won.lock.yaml");
    std::fs::remove_file(env.path("workflows/deal-won.txt")).unwrap();
    std::fs::remove_file(env.path("workflows/deal-won.lock.yaml")).unwrap();

    let ids = add_as_other_app(&env, &[docs_sample(), made_by_b24flow_elsewhere()]);
    let (sample_id, foreign_id) = (ids[0], ids[1]);
    // Made in the designer: no application's SYSTEM_CODE.
    edit_stored(&env, sample_id, |t| t["system_code"] = Value::Null);

    let ids_arg = [own_id, sample_id, foreign_id].map(|i| i.to_string());
    let mut args = vec!["import", "--dry-run", "--json"];
    args.extend(ids_arg.iter().map(String::as_str));
    let dry = env.run(&args).success().json();
    assert_eq!(dry["dry_run"], true);
    assert!(
        !env.exists("workflows/deal-won.txt"),
        "a dry run writes nothing"
    );
    crate::schema::assert_matches("import.schema.json", &dry);

    args.retain(|a| *a != "--dry-run");
    let report = env.run(&args).success().json();
    crate::schema::assert_matches("import.schema.json", &report);
    let by_template: BTreeMap<u64, &Value> = report["imported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["template_id"].as_u64().unwrap(), i))
        .collect();

    let own = by_template[&own_id];
    assert_eq!(
        (
            &own["workflow"],
            &own["kind"],
            &own["ownership"],
            &own["exact"]
        ),
        (
            &Value::from("deal-won"),
            &Value::from("blueprint"),
            &Value::from("in_place"),
            &Value::from(true)
        )
    );
    // The spec's own words come back from the description, and the lockfile is the
    // one compile wrote, but for the parser stamp.
    assert_eq!(
        env.read("workflows/deal-won.txt").trim(),
        spec_before.trim()
    );
    let lock_now = env.read("workflows/deal-won.lock.yaml");
    let sha = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("template_sha256:"))
            .map(str::to_owned)
    };
    assert_eq!(sha(&lock_now), sha(&lock_before));

    let sample = by_template[&sample_id];
    assert_eq!(sample["kind"], "opaque");
    assert_eq!(sample["ownership"], "copy");
    assert_eq!(sample["reasons"][0]["at"], "DOCUMENT_TYPE");
    let sample_wf = sample["workflow"].as_str().unwrap();
    assert_eq!(sample_wf, "docs-sample");
    let spec = env.read("workflows/docs-sample.txt");
    assert!(spec.starts_with(b24flow::opaque::SPEC_HEADER), "{spec}");
    assert!(spec.contains("SocNetMessageActivity"), "{spec}");
    assert!(
        env.read("workflows/docs-sample.lock.yaml")
            .contains("\nopaque:\n")
    );

    let foreign = by_template[&foreign_id];
    assert_eq!(
        (&foreign["kind"], &foreign["ownership"]),
        (&Value::from("blueprint"), &Value::from("copy"))
    );
    let foreign_wf = foreign["workflow"].as_str().unwrap().to_owned();
    assert_eq!(foreign_wf, "lost-deal-tell-the-manager");
    let foreign_lock = env.read(&format!("workflows/{foreign_wf}.lock.yaml"));
    assert!(foreign_lock.contains("type: deal_lost"), "{foreign_lock}");
    assert!(foreign_lock.contains("supersedes:"), "{foreign_lock}");

    env.run(&["compile", "--check"]).success();
    env.run(&["validate"]).success();
    // compile leaves imported lockfiles as they are.
    let opaque_lock = env.read("workflows/docs-sample.lock.yaml");
    env.run(&["compile"]).success();
    assert_eq!(env.read("workflows/docs-sample.lock.yaml"), opaque_lock);

    // Adopted in place: no change. The copies: created; their originals left alone.
    let p = plan(&env);
    let a = actions(&p);
    assert_eq!(a["deal-won"], "no_op", "{p:#}");
    assert_eq!(a[sample_wf], "create");
    assert_eq!(a[&foreign_wf], "create");
    assert_eq!(p["summary"]["delete"], 0, "{p:#}");
    assert_eq!(p["summary"]["unmanaged"], 2, "{p:#}");

    env.run(&["apply", "--auto-approve"]).success();
    let p = plan(&env);
    assert!(
        actions(&p).values().all(|a| a == "no_op"),
        "no change after apply: {p:#}"
    );
    env.run(&["compile", "--check"]).success();

    // The opaque copy is the hand-made template, verbatim.
    let templates = listed(&env);
    let copy = templates
        .iter()
        .find(|t| t["workflow"] == sample_wf)
        .expect("the opaque copy is managed");
    assert_eq!(copy["name"], "Docs sample");
    let state: Value = serde_json::from_str(&env.read(".b24flow/portal.json")).unwrap();
    let stored = |id: &Value| state["templates"][id.to_string()]["template"].clone();
    assert_eq!(stored(&copy["id"]), stored(&Value::from(sample_id)));

    // Managed, never edited: a change made in the portal is put back as imported.
    let copy_id = copy["id"].as_u64().unwrap();
    edit_stored(&env, copy_id, |t| {
        t["template"][0]["Properties"]["Title"] = Value::from("edited in the portal");
    });
    let p = plan(&env);
    assert_eq!(actions(&p)[sample_wf], "update", "{p:#}");
    env.run(&["apply", "--auto-approve"]).success();
    let state: Value = serde_json::from_str(&env.read(".b24flow/portal.json")).unwrap();
    assert_eq!(
        state["templates"][copy_id.to_string()]["template"],
        stored(&Value::from(sample_id))
    );

    // Moved with `git mv`, it keeps its template.
    std::fs::create_dir_all(env.path("workflows/lists")).unwrap();
    for ext in ["txt", "lock.yaml"] {
        std::fs::rename(
            env.path(&format!("workflows/{sample_wf}.{ext}")),
            env.path(&format!("workflows/lists/{sample_wf}.{ext}")),
        )
        .unwrap();
    }
    let p = plan(&env);
    assert_eq!(p["summary"]["delete"], 0, "{p:#}");
    env.run(&["apply", "--auto-approve"]).success();
    let moved = listed(&env)
        .into_iter()
        .find(|t| t["workflow"] == format!("lists/{sample_wf}"))
        .expect("the moved workflow keeps a template");
    assert_eq!(moved["id"], copy_id);

    // Paused like any workflow (the docs' sample starts manually, so the template is
    // already as a paused one would be): the files agree and nothing changes.
    let moved_wf = format!("lists/{sample_wf}");
    env.run(&["disable", &moved_wf]).success();
    assert!(
        env.read(&format!("workflows/{moved_wf}.txt"))
            .starts_with("---\nenabled: false\n---\n")
    );
    env.run(&["compile", "--check"]).success();
    let p = plan(&env);
    let change = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == moved_wf.as_str())
        .unwrap();
    assert_eq!(change["reason"], "up to date, paused", "{p:#}");
    env.run(&["enable", &moved_wf]).success();
    env.run(&["compile", "--check"]).success();
    assert!(actions(&plan(&env)).values().all(|a| a == "no_op"));
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let env = TestEnv::with_specs(&[(
        "lost-deal-tell-the-manager",
        "When a deal is won, send a WhatsApp message to the client",
    )]);
    env.run(&["compile"]).success();
    let ids = add_as_other_app(&env, &[made_by_b24flow_elsewhere(), docs_sample()]);
    let files = || {
        let mut names: Vec<String> = std::fs::read_dir(env.path("workflows"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = files();

    let unknown = env.run(&["import", "999"]).expect_code(1);
    assert!(
        unknown.stderr().contains("no template 999"),
        "{}",
        unknown.stderr()
    );

    // Its name gives the id of an existing spec: refused, with a free one suggested.
    let both = [ids[0].to_string(), ids[1].to_string()];
    let taken = env.run(&["import", &both[0], &both[1]]).expect_code(1);
    assert!(
        taken.stderr().contains("a spec with")
            && taken.stderr().contains("--as lost-deal-tell-the-"),
        "{}",
        taken.stderr()
    );
    assert_eq!(
        files(),
        before,
        "nothing written, not even the other template"
    );

    // A tree that does not decode.
    edit_stored(&env, ids[1], |t| {
        t["template"] = serde_json::json!([{"Type": 1}]);
    });
    let bad = env.run(&["import", &both[1]]).expect_code(1);
    assert!(bad.stderr().contains("does not decode"), "{}", bad.stderr());
    assert_eq!(files(), before);

    // --as picks another id.
    env.run(&["import", &both[0], "--as", "lost-copy"])
        .success();
    assert!(env.exists("workflows/lost-copy.txt"));
    env.run(&["compile", "--check"]).success();
}
