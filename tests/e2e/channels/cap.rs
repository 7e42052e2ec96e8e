//! The marketing frequency cap: managers read and set it, and sends honour it.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::json;

use super::unsubscribe::subscribed_guest;
use crate::support::{error_fields, send};

#[tokio::test]
async fn managers_set_the_cap_and_sends_follow_it() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let manager = tenant.key_with_role(&mut db.connect(), Role::Manager);
    let agent = tenant.key_with_role(&mut db.connect(), Role::CareAgent);
    let app = TestApp::spawn(&db);
    let cap = |key: &str, body: serde_json::Value| {
        app.put("/v1/channels/settings/marketing-cap", key)
            .json(&body)
    };

    let (status, settings) = send(app.get("/v1/channels/settings", &manager)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        settings["marketing_cap"],
        json!({ "messages": 2, "days": 7 })
    );

    let (status, _) = send(cap(&agent, json!({ "messages": 1, "days": 30 }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, problem) = send(cap(&manager, json!({ "messages": 101, "days": 0 }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["messages", "days"]);
    let (status, problem) = send(cap(&manager, json!({ "messages": "two", "days": 7 }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["messages"]);
    let (status, settings) = send(cap(&manager, json!({ "messages": 1, "days": 30 }))).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(
        settings["marketing_cap"],
        json!({ "messages": 1, "days": 30 })
    );
    // The owner's transport settings leave the cap alone.
    let (status, _) = send(
        app.put("/v1/channels/settings", &tenant.key)
            .json(&json!({ "mail_domain": "lotus.example.com" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, settings) = send(app.get("/v1/channels/settings", &manager)).await;
    assert_eq!(
        settings["marketing_cap"],
        json!({ "messages": 1, "days": 30 })
    );
    let (_, log) = send(app.get("/v1/audit-log", &tenant.key)).await;
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "channel_settings.marketing_cap"),
        "{log}"
    );

    let lan = subscribed_guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Đỗ Lan", "email": "lan@example.com" }),
    )
    .await;
    let promote = |key: &'static str| {
        app.post("/v1/messages", &manager)
            .header("Idempotency-Key", key)
            .json(&json!({ "guest_id": lan, "channel": "email", "purpose": "promotion" }))
    };
    let (_, first) = send(promote("p-1")).await;
    assert_eq!(first["status"], "queued", "{first}");
    let (_, second) = send(promote("p-2")).await;
    assert_eq!(second["suppression_reason"], "frequency_cap", "{second}");
    // Raised again: the next one goes.
    let (status, _) = send(cap(&manager, json!({ "messages": 2, "days": 30 }))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, third) = send(promote("p-3")).await;
    assert_eq!(third["status"], "queued", "{third}");
}
