use super::*;
use crate::emulator::crm::StageBook;

#[test]
fn seeds_differ_in_ids_not_names() {
    let (a, b) = (Directory::seeded(1), Directory::seeded(2));
    let names = |d: &Directory| {
        d.statuses
            .iter()
            .map(|s| s.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&b));
    let ids = |d: &Directory| {
        d.statuses
            .iter()
            .map(|s| s.status_id.clone())
            .collect::<Vec<_>>()
    };
    assert_ne!(ids(&a), ids(&b));
    assert_eq!(Directory::seeded(1), a, "a seed is reproducible");
}

#[test]
fn a_stage_added_to_a_pipeline_gets_its_prefix() {
    let mut state = State {
        directory: Some(Directory::seeded(1)),
        ..State::default()
    };
    let params = json!({"fields": {"ENTITY_ID": "DEAL_STAGE_3", "STATUS_ID": "DECISION", "NAME": "Decision", "SORT": 70}});
    let admin = app_admin();
    let out = call(
        &mut state,
        &admin,
        "crm.status.add",
        params.as_object().unwrap(),
    )
    .unwrap();
    assert!(out.result.as_u64().is_some());
    let d = state.directory.as_ref().unwrap();
    assert!(d.statuses.iter().any(|s| s.status_id == "C3:DECISION"));
    let again = call(
        &mut state,
        &admin,
        "crm.status.add",
        params.as_object().unwrap(),
    )
    .unwrap_err();
    assert!(format!("{again:?}").contains("Duplicate"));
}

fn app_admin() -> Caller {
    Caller {
        user_id: 1,
        admin: true,
        app_id: Some(7),
        key: "app:test".into(),
    }
}

#[test]
fn sms_providers_answer_applications_only() {
    let mut state = State {
        directory: Some(Directory::seeded(1)),
        ..State::default()
    };
    let none = Map::new();
    let out = call(
        &mut state,
        &app_admin(),
        "messageservice.sender.list",
        &none,
    )
    .unwrap();
    assert_eq!(out.result, json!(["acme_sms", "acme_sms_backup"]));
    let hook = Caller {
        app_id: None,
        key: "hook:1".into(),
        ..app_admin()
    };
    let err = call(&mut state, &hook, "messageservice.sender.list", &none).unwrap_err();
    assert_eq!(err.description, "Application context required");
    let employee = Caller {
        admin: false,
        ..app_admin()
    };
    assert!(call(&mut state, &employee, "messageservice.sender.list", &none).is_err());
    let lines = call(&mut state, &hook, "imopenlines.config.list.get", &none).unwrap();
    assert_eq!(lines.result[0]["LINE_NAME"], "WhatsApp");
    assert_eq!(lines.result[1]["ID"], "12");
}

/// On a seeded portal, records live in the portal's own stages: a custom `UC_` stage of
/// the second pipeline, a stage added with `crm.status.add`, and none that was deleted.
#[test]
fn records_use_the_portals_own_stages() {
    use crate::emulator::crm::rest::create_record;
    use crate::emulator::engine::Origin;

    let mut state = State {
        directory: Some(Directory::seeded(1)),
        ..State::default()
    };
    let d = state.directory.clone().unwrap();
    let renewal = d
        .statuses
        .iter()
        .find(|s| s.name == "Renewal offer")
        .map(|s| s.status_id.clone())
        .unwrap();
    assert!(renewal.starts_with("C3:UC_"), "{renewal}");
    let fields = |stage: &str| json!({"TITLE": "x", "STAGE_ID": stage});
    let deal = |state: &mut State, stage: &str| {
        create_record(
            state,
            Kind::Deal,
            fields(stage).as_object().unwrap(),
            Origin::Rest,
            1,
            0,
        )
    };
    let id = deal(&mut state, &renewal).unwrap();
    let rec = state.crm.record(Kind::Deal, id).unwrap();
    assert_eq!(rec["CATEGORY_ID"], json!("3"));
    assert_eq!(rec["CLOSED"], json!("N"));
    // A custom failure stage closes the deal and gives its semantics.
    let not_renewed = d
        .statuses
        .iter()
        .find(|s| s.name == "Not renewed")
        .map(|s| s.status_id.clone())
        .unwrap();
    let lost = deal(&mut state, &not_renewed).unwrap();
    let book = StageBook(state.directory.as_ref());
    let doc = state
        .crm
        .document(Kind::Deal, lost, "DD.MM.YYYY", book)
        .unwrap();
    assert_eq!(doc["STAGE_SEMANTIC_ID"], json!("F"));
    assert_eq!(
        state.crm.record(Kind::Deal, lost).unwrap()["CLOSED"],
        json!("Y")
    );
    // The default tables' stages of another pipeline are not this portal's.
    assert!(deal(&mut state, "C1:NEW").is_err());

    // A stage added through REST is usable at once; deleted, it is refused again.
    let admin = app_admin();
    let params = json!({"fields": {"ENTITY_ID": "DEAL_STAGE_3", "STATUS_ID": "DECISION", "NAME": "Decision", "SORT": 25}});
    let row = call(
        &mut state,
        &admin,
        "crm.status.add",
        params.as_object().unwrap(),
    )
    .unwrap()
    .result;
    assert!(deal(&mut state, "C3:DECISION").is_ok());
    let removal = json!({"id": row});
    call(
        &mut state,
        &admin,
        "crm.status.delete",
        removal.as_object().unwrap(),
    )
    .unwrap();
    assert!(deal(&mut state, "C3:DECISION").is_err());
}

/// Without a directory, records keep to the platform's default tables, as before.
#[test]
fn an_unseeded_portal_keeps_the_default_stages() {
    let book = StageBook(None);
    assert_eq!(book.category_of(Kind::Deal, "C1:WON"), Some(1));
    assert_eq!(book.category_of(Kind::Deal, "C3:UC_ABCDEF"), None);
    assert_eq!(book.find(Kind::Deal, "LOSE").unwrap().semantics, 'F');
}
