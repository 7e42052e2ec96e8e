//! The timeline: every contact, newest first, in pages.

use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::create;
use crate::support::{error_fields, send};

fn texts(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["summary"]["text"]
                .as_str()
                .map_or_else(|| e["kind"].as_str().unwrap().to_owned(), str::to_owned)
        })
        .collect()
}

#[tokio::test]
async fn notes_stays_and_consent_changes_page_newest_first() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let guest = create(&app, &tenant.key, json!({ "full_name": "Mai Thị K" })).await;
    let id = guest["id"].as_str().unwrap();
    let notes = format!("/v1/guests/{id}/notes");

    for (text, at) in [
        ("Gọi điện hỏi thăm", "2026-05-01T09:00:00Z"),
        ("Khách thích phòng yên tĩnh", "2026-04-01T09:00:00Z"),
        ("Đặt bánh sinh nhật", "2026-05-01T09:00:00Z"),
    ] {
        let (status, entry) = send(
            app.post(&notes, &tenant.key)
                .json(&json!({ "text": text, "occurred_at": at })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{entry}");
        assert_eq!(entry["kind"], "note");
    }
    let (status, _) = send(
        app.post(&format!("/v1/guests/{id}/stays"), &tenant.key)
            .json(&json!({
                "check_in": "2026-04-15", "check_out": "2026-04-17"
            })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, problem) =
        send(app.post(&notes, &tenant.key).json(&json!({ "text": "  " }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["text"]);

    let base = format!("/v1/guests/{id}/timeline?limit=2");
    let (_, first) = send(app.get(&base, &tenant.key)).await;
    assert_eq!(texts(&first), ["guest.created", "Đặt bánh sinh nhật"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = send(app.get(&format!("{base}&cursor={cursor}"), &tenant.key)).await;
    assert_eq!(texts(&second), ["Gọi điện hỏi thăm", "stay"]);
    let cursor = second["next_cursor"].as_str().unwrap();
    let (_, last) = send(app.get(&format!("{base}&cursor={cursor}"), &tenant.key)).await;
    assert_eq!(texts(&last), ["Khách thích phòng yên tĩnh"]);
    assert!(last["next_cursor"].is_null());
    assert_eq!(second["items"][1]["summary"]["check_in"], "2026-04-15");
}
