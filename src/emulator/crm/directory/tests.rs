use super::*;

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
