//! Drafts validate at their paths; pause, resume and cancel act within a
//! step; moves the state does not allow answer 422.

use std::time::Duration;

use guestcare_domain::Role;
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::pool_for,
    fixtures::seed_email_guests,
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use reqwest::StatusCode;
use serde_json::json;

use super::{
    act, allow_all_hours, create_campaign, settings_with_sink, villa_variants, wait_progress,
};
use crate::support::{error_fields, send};

#[tokio::test]
async fn drafts_are_validated_at_their_paths_and_only_drafts_change() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let app = TestApp::spawn(&db);
    let (status, problem) = send(app.post("/v1/campaigns", &tenant.key).json(&json!({
        "name": "",
        "audience": { "exclude": { "tags": [""] } },
        "variants": { "vi": { "subject": "Chào {{ guest.full_name }", "html": "<p>x</p>", "text": "x" } },
        "default_language": "en",
        "rate_per_minute": 0,
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let fields = error_fields(&problem);
    for field in [
        "name",
        "audience",
        "audience.exclude.tags[0]",
        "default_language",
        "variants.vi.subject",
        "rate_per_minute",
    ] {
        assert!(fields.contains(&field), "{field} not in {fields:?}");
    }
    let (status, problem) = send(app.post("/v1/campaigns", &tenant.key).json(&json!({
        "name": "x", "audience": { "segment_ids": [uuid::Uuid::now_v7()] }, "variants": villa_variants(),
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["audience.segment_ids[0]"]);

    let id = create_campaign(
        &app,
        &tenant.key,
        json!({
            "name": "Tết", "audience": { "all": true }, "variants": villa_variants(),
            "schedule": { "kind": "at", "at": "2099-01-01T09:00:00+07:00" },
        }),
    )
    .await;
    let (status, campaign) = send(
        app.patch(&format!("/v1/campaigns/{id}"), &tenant.key)
            .json(&json!({ "name": "Tết 2099" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{campaign}");
    assert_eq!(campaign["name"], "Tết 2099");
    assert_eq!(campaign["schedule"]["kind"], "at");
    let (status, campaign) = act(&app, &tenant.key, &id, "schedule").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(campaign["status"], "scheduled");
    let (status, problem) = send(
        app.patch(&format!("/v1/campaigns/{id}"), &tenant.key)
            .json(&json!({ "name": "x" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["code"], "not_editable");
    for action in ["schedule", "pause", "resume"] {
        let (status, problem) = act(&app, &tenant.key, &id, action).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        assert_eq!(problem["code"], "invalid_transition");
    }
    let (_, campaign) = act(&app, &tenant.key, &id, "cancel").await;
    assert_eq!(campaign["status"], "cancelled");
    let (status, _) = act(&app, &tenant.key, &id, "cancel").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn pause_resume_and_cancel_act_within_a_step() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let manager = tenant.key_with_role(&mut conn, Role::Manager);
    seed_email_guests(&mut conn, tenant.id, 1_000_000, 6).unwrap();
    let sink = SmtpSink::start(SinkMode::Accept);
    let settings = settings_with_sink(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    allow_all_hours(&app, &tenant.key).await;
    // 12 a minute: one recipient every five seconds.
    let id = create_campaign(&app, &manager, json!({
        "name": "Chậm", "audience": { "all": true }, "variants": villa_variants(), "rate_per_minute": 12,
    }))
    .await;
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    act(&app, &manager, &id, "schedule").await;
    wait_progress(&app, &manager, &id, |p| p["sent"] == 1).await;
    let (status, campaign) = act(&app, &manager, &id, "pause").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(campaign["status"], "paused");
    tokio::time::sleep(Duration::from_secs(7)).await;
    let progress = wait_progress(&app, &manager, &id, |_| true).await;
    assert_eq!(
        progress["pending"], 5,
        "paused: nothing more left {progress}"
    );
    act(&app, &manager, &id, "resume").await;
    wait_progress(&app, &manager, &id, |p| p["sent"] == 2).await;
    let (_, campaign) = act(&app, &manager, &id, "cancel").await;
    assert_eq!(campaign["status"], "cancelled");
    tokio::time::sleep(Duration::from_secs(7)).await;
    let progress = wait_progress(&app, &manager, &id, |_| true).await;
    assert_eq!(progress["status"], "cancelled");
    assert_eq!(progress["sent"], 2, "{progress}");
    assert_eq!(progress["pending"], 4, "{progress}");
    assert_eq!(sink.messages().len(), 2);
}
