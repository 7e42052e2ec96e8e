//! `guest.created`, `guest.updated` and `guest.merged` reach webhook
//! receivers, signed, with ids and codes but no personal data.

use std::time::Duration;

use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::{pool_for, settings_for},
    http_stub::HttpStub,
    worker::TestWorker,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{
    send,
    webhooks::{create_endpoint, verified},
};

#[tokio::test]
async fn guest_changes_are_announced_without_personal_data() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sunrise");
    let receiver = HttpStub::start(vec![(204, "")]);
    let settings = settings_for(&db);
    let app = TestApp::spawn_with(&db, settings.clone());
    let (status, types) = send(app.get("/v1/webhooks/event-types", &tenant.key)).await;
    assert_eq!(status, StatusCode::OK);
    for name in ["guest.created", "guest.updated", "guest.merged"] {
        assert!(types.to_string().contains(name), "{types}");
    }
    let endpoint = create_endpoint(
        &app,
        &tenant.key,
        &receiver.url("/hooks"),
        &["guest.created", "guest.updated", "guest.merged"],
    )
    .await;
    let secret = endpoint["secret"].as_str().unwrap().to_owned();
    let _worker = TestWorker::spawn(settings, pool_for(&db));

    let lan_profile = json!({
        "full_name": "Nguyễn Thị Lan", "email": "lan@example.com", "phones": ["0903 123 456"]
    });
    let (_, lan) = send(app.post("/v1/guests", &tenant.key).json(&lan_profile)).await;
    let lan_id = lan["id"].as_str().unwrap().to_owned();
    let (status, _) = send(
        app.patch(&format!("/v1/guests/{lan_id}"), &tenant.key)
            .json(&json!({ "language": "en" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A PATCH that changes nothing, or a refused one, announces nothing.
    let (status, _) = send(
        app.patch(&format!("/v1/guests/{lan_id}"), &tenant.key)
            .json(&json!({ "language": "en" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(
        app.patch(&format!("/v1/guests/{lan_id}"), &tenant.key)
            .json(&json!({ "phones": ["not a phone"] })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, twin) = send(
        app.post("/v1/guests", &tenant.key)
            .json(&json!({ "full_name": "Nguyen Thi Lan" })),
    )
    .await;
    let (status, merged) = send(app.post("/v1/guests/merges", &tenant.key).json(&json!({
        "target_id": lan_id, "source_id": twin["id"]
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{merged}");
    let (status, intake) = send(app.post("/v1/guests/intake", &tenant.key).json(&json!({
        "profile": { "full_name": "Nguyễn Thị Lan", "email": "lan@example.com" },
        "stay": { "check_in": "2026-03-10" }
    })))
    .await;
    assert_eq!(intake["outcome"], "merged", "{status} {intake}");

    let requests = receiver.wait_for(5, Duration::from_secs(20));
    assert_eq!(requests.len(), 5);
    // Nothing more comes.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(receiver.requests().len(), 5);
    let mut events: Vec<Value> = Vec::new();
    for request in &requests {
        assert!(verified(request, &secret), "{}", request.text());
        let text = request.text();
        for personal in ["Lan", "lan@", "0903", "+84903"] {
            assert!(!text.contains(personal), "{personal} in {text}");
        }
        events.push(serde_json::from_slice(&request.body).unwrap());
    }
    let of = |kind: &str| -> Vec<&Value> {
        let mut found: Vec<&Value> = events
            .iter()
            .filter(|e| e["type"] == kind)
            .map(|e| &e["data"])
            .collect();
        found.sort_by_key(|d| d.to_string());
        found
    };
    let created = of("guest.created");
    assert_eq!(created.len(), 2);
    assert!(
        created
            .iter()
            .any(|d| d["guest_id"] == lan_id.as_str() && d["code"] == lan["code"])
    );
    let updated = of("guest.updated");
    let vias: Vec<&str> = updated.iter().map(|d| d["via"].as_str().unwrap()).collect();
    assert_eq!(updated.len(), 2);
    assert!(
        vias.contains(&"edit") && vias.contains(&"intake"),
        "{vias:?}"
    );
    assert!(updated.iter().all(|d| d["guest_id"] == lan_id.as_str()));
    let intake_event = updated.iter().find(|d| d["via"] == "intake").unwrap();
    assert_eq!(intake_event["merge_id"], intake["merge_id"]);
    let merges = of("guest.merged");
    assert_eq!(merges.len(), 1);
    assert_eq!(merges[0]["guest_id"], lan_id.as_str());
    assert_eq!(merges[0]["code"], lan["code"]);
    assert_eq!(merges[0]["merged_guest_id"], twin["id"]);
    assert_eq!(merges[0]["merged_code"], twin["code"]);
    assert_eq!(merges[0]["merge_id"], merged["merge"]["id"]);
}
