//! The local portal's REST events: bindings, the offline queue, and the events tasks,
//! CRM activities and calendar entries fire when they are added or changed over REST.

use serde_json::json;

use crate::engine::Portal;

fn bind_offline(p: &Portal, event: &str) {
    assert_eq!(
        p.ok(
            "event.bind",
            &json!({"event": event, "event_type": "offline"})
        ),
        json!(true)
    );
}

#[test]
fn bindings_are_listed_refused_twice_and_unbound() {
    let p = Portal::new();
    bind_offline(&p, "OnTaskAdd");
    let (code, text) = p.err(
        "event.bind",
        &json!({"event": "ONTASKADD", "event_type": "offline"}),
    );
    assert_eq!(
        (code.as_str(), text.as_str()),
        ("ERROR_CORE", "Handler already binded")
    );
    let (code, _) = p.err(
        "event.bind",
        &json!({"event": "ONNOSUCHTHING", "event_type": "offline"}),
    );
    assert_eq!(code, "ERROR_EVENT_NOT_FOUND");
    assert_eq!(
        p.ok("event.get", &json!({})),
        json!([{"event": "ONTASKADD", "handler": "", "auth_type": "0", "offline": 1}])
    );
    assert_eq!(
        p.ok(
            "event.unbind",
            &json!({"event": "ONTASKADD", "event_type": "offline"})
        ),
        json!({"count": 1})
    );
    assert_eq!(p.ok("event.get", &json!({})), json!([]));
}

#[test]
fn task_changes_queue_one_record_per_object_with_the_real_payload() {
    let p = Portal::new();
    bind_offline(&p, "ONTASKADD");
    bind_offline(&p, "ONTASKUPDATE");
    // Nothing is recorded for events nobody bound.
    let act_owner = p.ok("crm.deal.add", &json!({"fields": {"TITLE": "D"}}));
    p.ok(
        "crm.activity.add",
        &json!({"fields": {"OWNER_TYPE_ID": 2, "OWNER_ID": act_owner, "TYPE_ID": 2, "SUBJECT": "Call"}}),
    );
    let task = p.ok(
        "tasks.task.add",
        &json!({"fields": {"TITLE": "Call back", "RESPONSIBLE_ID": 2, "CREATED_BY": 3, "TAGS": ["vip"]}}),
    );
    let id: u64 = task["task"]["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(task["task"]["tags"], json!(["vip"]));
    p.ok(
        "tasks.task.update",
        &json!({"taskId": id, "fields": {"STATUS": 3}}),
    );
    p.ok(
        "tasks.task.update",
        &json!({"taskId": id, "fields": {"STATUS": 5}}),
    );
    let list = p.call("event.offline.list", &json!({}));
    assert_eq!(list["total"], json!(2), "{list}");
    let got = p.ok("event.offline.get", &json!({"clear": 0}));
    let process = got["process_id"].as_str().unwrap().to_owned();
    let events = got["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["EVENT_NAME"], "ONTASKADD");
    assert_eq!(events[0]["EVENT_DATA"]["FIELDS_AFTER"]["ID"], json!(id));
    assert_eq!(events[1]["EVENT_NAME"], "ONTASKUPDATE");
    // Held by the process: another reader sees nothing.
    let other = p.ok("event.offline.get", &json!({"clear": 0}));
    assert_eq!(other["events"], json!([]));
    // A change while the process holds the record adds a second one, not lost on clear.
    p.ok(
        "tasks.task.update",
        &json!({"taskId": id, "fields": {"TITLE": "Call back now"}}),
    );
    assert_eq!(
        p.ok(
            "event.offline.clear",
            &json!({"process_id": process, "id": [events[0]["ID"]]})
        ),
        json!(true)
    );
    let again = p.ok(
        "event.offline.get",
        &json!({"process_id": process, "clear": 0}),
    );
    let names: Vec<_> = again["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["EVENT_NAME"].clone())
        .collect();
    assert_eq!(names, [json!("ONTASKUPDATE"), json!("ONTASKUPDATE")]);
    p.ok("event.offline.clear", &json!({"process_id": process}));
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(0));
    // `clear` is required to name a process.
    let (code, _) = p.err("event.offline.clear", &json!({}));
    assert_eq!(code, "ERROR_ARGUMENT");
}

#[test]
fn errors_are_released_and_returned_only_when_asked() {
    let p = Portal::new();
    bind_offline(&p, "ONCALENDARENTRYADD");
    let id = p.ok(
        "calendar.event.add",
        &json!({"type": "user", "ownerId": 2, "name": "Demo", "from": "2026-12-03 10:00", "to": "2026-12-03 11:00", "attendees": [2, 3]}),
    );
    assert_eq!(
        p.ok("calendar.event.getbyid", &json!({"id": id}))["NAME"],
        "Demo"
    );
    let got = p.ok("event.offline.get", &json!({"clear": 0}));
    assert_eq!(
        got["events"][0]["EVENT_DATA"],
        json!({"id": id.to_string()})
    );
    let process = got["process_id"].as_str().unwrap();
    let message = got["events"][0]["MESSAGE_ID"].clone();
    p.ok(
        "event.offline.error",
        &json!({"process_id": process, "message_id": [message]}),
    );
    assert_eq!(p.ok("event.offline.get", &json!({}))["events"], json!([]));
    let errors = p.ok("event.offline.get", &json!({"error": 1}));
    assert_eq!(errors["events"].as_array().unwrap().len(), 1);
    assert_eq!(errors["process_id"], json!(null));
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(0));
}

#[test]
fn a_change_made_with_the_binding_connector_is_not_recorded() {
    let p = Portal::new();
    p.ok(
        "event.bind",
        &json!({"event": "ONTASKUPDATE", "event_type": "offline", "auth_connector": "b24flow"}),
    );
    let task = p.ok("tasks.task.add", &json!({"fields": {"TITLE": "T"}}));
    let id = task["task"]["id"].clone();
    p.ok(
        "tasks.task.update",
        &json!({"taskId": id, "fields": {"TAGS": ["a"]}, "auth_connector": "b24flow"}),
    );
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(0));
    p.ok("tasks.task.complete", &json!({"taskId": id}));
    assert_eq!(p.call("event.offline.list", &json!({}))["total"], json!(1));
}

#[test]
fn messages_reach_the_outbox() {
    let p = Portal::new();
    assert!(
        p.ok(
            "im.notify.system.add",
            &json!({"USER_ID": 3, "MESSAGE": "Done"})
        )
        .is_u64()
    );
    p.ok(
        "im.message.add",
        &json!({"DIALOG_ID": "2", "MESSAGE": "Hi"}),
    );
    let out = p.outbox();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0]["channel"], "notification");
    assert_eq!(out[0]["to"][0]["id"], json!(3));
    assert_eq!(out[0]["text"], "Done");
    assert_eq!(out[1]["channel"], "im");
    let (code, _) = p.err(
        "im.notify.system.add",
        &json!({"USER_ID": 99, "MESSAGE": "x"}),
    );
    assert_eq!(code, "USER_ID_EMPTY");
}
