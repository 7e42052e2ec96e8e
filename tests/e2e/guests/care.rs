//! Stays and the care period, consent with its history, tiers with theirs.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::json;

use super::{create, timeline_kinds};
use crate::support::{error_fields, send};

#[tokio::test]
async fn a_first_stay_starts_a_care_year_and_later_stays_extend_it() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let desk = tenant.key_with_role(&mut db.connect(), Role::FrontDesk);
    let app = TestApp::spawn(&db);
    let guest = create(&app, &desk, json!({ "full_name": "Hoàng Thị G" })).await;
    assert!(guest["care_period"].is_null());
    let id = guest["id"].as_str().unwrap();
    let stays = format!("/v1/guests/{id}/stays");

    let (status, first) = send(app.post(&stays, &desk).json(&json!({
        "property": "Lotus Huế", "check_in": "10/03/2026", "check_out": "2026-03-12",
        "room_type": "Deluxe", "party_size": 2, "booking_channel": "booking.com",
        "amount": "3 500 000", "currency": "vnd", "notes": "Kỷ niệm cưới"
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["amount"], "3500000");
    assert_eq!(first["currency"], "VND");
    let (_, seen) = send(app.get(&format!("/v1/guests/{id}"), &desk)).await;
    assert_eq!(
        seen["care_period"],
        json!({ "start": "2026-03-10", "end": "2027-03-12" })
    );

    let (status, second) = send(app.post(&stays, &desk).json(&json!({
        "check_in": "2026-11-20", "amount": "120.5", "currency": "USD"
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(second["amount"], "120.50");
    let (_, seen) = send(app.get(&format!("/v1/guests/{id}"), &desk)).await;
    assert_eq!(
        seen["care_period"],
        json!({ "start": "2026-03-10", "end": "2027-11-20" })
    );

    let (status, problem) = send(app.post(&stays, &desk).json(&json!({
        "check_in": "2026-12-05", "check_out": "2026-12-01", "party_size": 0, "amount": "1.5", "currency": "VND"
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["check_out", "party_size", "amount"]
    );

    // Changing and removing stays recompute it.
    let second_path = format!("{stays}/{}", second["id"].as_str().unwrap());
    let (status, changed) = send(app.put(&second_path, &desk).json(&json!({
        "check_in": "2026-11-20", "check_out": "2026-11-23"
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    let (_, read) = send(app.get(&second_path, &desk)).await;
    assert_eq!(
        (read["check_out"].as_str(), read["amount"].as_str()),
        (Some("2026-11-23"), None)
    );
    let (_, seen) = send(app.get(&format!("/v1/guests/{id}"), &desk)).await;
    assert_eq!(seen["care_period"]["end"], "2027-11-23");
    let (status, _) = send(app.delete(&second_path, &desk)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, seen) = send(app.get(&format!("/v1/guests/{id}"), &desk)).await;
    assert_eq!(seen["care_period"]["end"], "2027-03-12");
    let (_, list) = send(app.get(&stays, &desk)).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        timeline_kinds(&app, &desk, id).await,
        ["stay.removed", "guest.created", "stay", "stay"],
        "newest first by when it happened"
    );
}

#[tokio::test]
async fn consent_changes_keep_their_history() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let agent = tenant.key_with_role(&mut db.connect(), Role::CareAgent);
    let app = TestApp::spawn(&db);
    let guest = create(&app, &agent, json!({ "full_name": "Bùi Văn H" })).await;
    let path = format!("/v1/guests/{}/consents", guest["id"].as_str().unwrap());

    let (status, view) = send(app.put(&path, &agent).json(&json!({ "changes": [
        { "channel": "email", "purpose": "marketing", "status": "granted", "source": "registration_form",
          "occurred_at": "2026-03-10T08:00:00Z" },
        { "channel": "zalo", "purpose": "service", "status": "granted", "source": "verbal" }
    ]})))
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["current"].as_array().unwrap().len(), 2);
    let (_, view) = send(app.put(&path, &agent).json(&json!({ "changes": [
        { "channel": "email", "purpose": "marketing", "status": "withdrawn", "source": "unsubscribe_link",
          "note": "Khách yêu cầu" }
    ]})))
    .await;
    let email = view["current"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == "email")
        .unwrap();
    assert_eq!(email["status"], "withdrawn");
    let history = view["history"].as_array().unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0]["source"], "unsubscribe_link");
    assert_eq!(history[0]["actor_type"], "api_key");
    assert_eq!(history[0]["note"], "Khách yêu cầu");

    let (status, problem) = send(app.put(&path, &agent).json(&json!({ "changes": [
        { "channel": "fax", "purpose": "marketing", "status": "maybe", "source": "x" }
    ]})))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["changes[0].channel", "changes[0].status"]
    );
    let (_, view) = send(app.get(&path, &agent)).await;
    assert_eq!(
        view["history"].as_array().unwrap().len(),
        3,
        "nothing saved"
    );
}

#[tokio::test]
async fn tiers_are_set_by_staff_with_history() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let agent = tenant.key_with_role(&mut db.connect(), Role::CareAgent);
    let auditor = tenant.key_with_role(&mut db.connect(), Role::Auditor);
    let app = TestApp::spawn(&db);
    let guest = create(&app, &agent, json!({ "full_name": "Lý Thị I" })).await;
    let path = format!("/v1/guests/{}/tier", guest["id"].as_str().unwrap());

    let (status, view) = send(app.put(&path, &agent).json(&json!({ "tier": "loyal" }))).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let (_, view) = send(
        app.put(&path, &agent)
            .json(&json!({ "tier": "vip", "reason": "Khách quen 5 năm" })),
    )
    .await;
    let (_, same) = send(app.put(&path, &agent).json(&json!({ "tier": "vip" }))).await;
    assert_eq!(
        same["history"], view["history"],
        "the same tier again changes nothing"
    );
    assert_eq!(view["tier"], "vip");
    assert_eq!(view["history"][0]["previous"], "loyal");
    assert_eq!(view["history"][0]["reason"], "Khách quen 5 năm");
    assert_eq!(view["history"].as_array().unwrap().len(), 2);
    let (status, problem) = send(app.put(&path, &agent).json(&json!({ "tier": "gold" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["tier"]);
    let (status, _) = send(app.put(&path, &auditor).json(&json!({ "tier": null }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, cleared) = send(app.put(&path, &agent).json(&json!({ "tier": null }))).await;
    assert!(cleared["tier"].is_null());
}
