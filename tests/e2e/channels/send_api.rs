//! `POST /v1/messages`: a message to a guest through the API, with its
//! Idempotency-Key, its validation and its tenant boundary.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::unsubscribe::subscribed_guest;
use crate::support::{error_fields, send};

fn post(app: &TestApp, key: &str, idempotency: &str, body: Value) -> reqwest::RequestBuilder {
    app.post("/v1/messages", key)
        .header("Idempotency-Key", idempotency)
        .json(&body)
}

#[tokio::test]
async fn a_message_is_sent_once_per_key_and_suppressions_are_answered() {
    let db = TestDb::new();
    let a = TestTenant::create(&mut db.connect(), "tenant-a");
    let b = TestTenant::create(&mut db.connect(), "tenant-b");
    let app = TestApp::spawn(&db);
    let lan = subscribed_guest(
        &app,
        &a.key,
        json!({ "full_name": "Nguyễn Thị Lan", "email": "lan@example.com" }),
    )
    .await;
    let body = json!({ "guest_id": lan, "channel": "email", "purpose": "booking_confirmation" });

    let response = post(&app, &a.key, "k-1", body.clone())
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("Idempotent-Replayed").is_none());
    let (status, first) = crate::support::into_json(response).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["status"], "queued");
    assert_eq!(first["guest_id"], lan.as_str());
    assert_eq!(first["language"], "vi");
    assert!(first["body_text"].as_str().unwrap().contains("Lan"));
    let response = post(&app, &a.key, "k-1", body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["Idempotent-Replayed"], "true");
    let (status, again) = crate::support::into_json(response).await;
    assert_eq!((status, &again["id"]), (StatusCode::CREATED, &first["id"]));
    let (_, log) = send(app.get(&format!("/v1/messages?guest_id={lan}"), &a.key)).await;
    assert_eq!(log["items"].as_array().unwrap().len(), 1, "{log}");

    // The same key in another tenant is another message.
    let (_, hoa) = send(app.post("/v1/guests", &b.key).json(&json!({
        "full_name": "Trần Hoa", "email": "hoa@example.com"
    })))
    .await;
    let (status, other) = send(post(
        &app,
        &b.key,
        "k-1",
        json!({ "guest_id": hoa["id"], "channel": "email", "purpose": "booking_confirmation" }),
    ))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    assert_ne!(other["id"], first["id"]);
    // Tenant B cannot write to tenant A's guest.
    let (status, problem) = send(post(&app, &b.key, "k-2", body.clone())).await;
    assert_eq!(
        (status, &problem["code"]),
        (StatusCode::NOT_FOUND, &json!("not_found"))
    );

    // No SMS number: recorded, not sent.
    let (status, sms) = send(post(
        &app,
        &a.key,
        "k-3",
        json!({ "guest_id": lan, "channel": "sms", "purpose": "reminder" }),
    ))
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (&sms["status"], &sms["suppression_reason"]),
        (&json!("suppressed"), &json!("no_address"))
    );
}

#[tokio::test]
async fn bad_requests_name_their_fields_and_roles_are_checked() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let desk = tenant.key_with_role(&mut db.connect(), Role::FrontDesk);
    let app = TestApp::spawn(&db);
    let lan = subscribed_guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Lê Lan", "email": "lan@example.com" }),
    )
    .await;

    let (status, problem) = send(app.post("/v1/messages", &tenant.key).json(&json!({
        "guest_id": lan, "channel": "email", "purpose": "reminder"
    })))
    .await;
    assert_eq!(
        (status, &problem["code"]),
        (StatusCode::BAD_REQUEST, &json!("idempotency_key_required"))
    );

    for (body, field) in [
        (
            json!({ "guest_id": "G-1", "channel": "email", "purpose": "reminder" }),
            "guest_id",
        ),
        (
            json!({ "guest_id": lan, "channel": "fax", "purpose": "reminder" }),
            "channel",
        ),
        (
            json!({ "guest_id": lan, "channel": "email", "purpose": "spam" }),
            "purpose",
        ),
        (
            json!({ "guest_id": lan, "channel": "email", "purpose": "reminder", "extra": { "passport": "x" } }),
            "extra.passport",
        ),
        (
            json!({ "guest_id": lan, "channel": "email", "purpose": "holiday_greeting" }),
            "occasion",
        ),
        (
            json!({ "guest_id": lan, "channel": "email", "purpose": "holiday_greeting",
                    "occasion": { "key": "vn.tet", "name": "Tết", "date": "tomorrow" } }),
            "occasion.date",
        ),
    ] {
        let (status, problem) = send(post(&app, &tenant.key, &format!("bad-{field}"), body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(error_fields(&problem), [field], "{problem}");
    }

    // The front desk confirms bookings but does not send promotions.
    let (status, _) = send(post(
        &app,
        &desk,
        "desk-1",
        json!({ "guest_id": lan, "channel": "email", "purpose": "promotion" }),
    ))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send(post(
        &app,
        &desk,
        "desk-2",
        json!({ "guest_id": lan, "channel": "email", "purpose": "booking_confirmation" }),
    ))
    .await;
    assert_eq!(status, StatusCode::CREATED);
}
