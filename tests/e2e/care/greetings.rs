//! `/v1/greeting-rules`: the defaults every tenant starts with, changes,
//! validation, and the hourly greeting run.

use chrono::NaiveDate;
use guestcare_db::care;
use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{allow_marketing, guest, hcm};
use crate::support::{error_fields, send};

fn rules(page: &Value) -> Vec<(String, String, String)> {
    let mut rules: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["occasion_key"].as_str().unwrap().to_owned(),
                r["audience"].as_str().unwrap().to_owned(),
                r["channel"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    rules.sort();
    rules
}

fn rule(key: &str, audience: &str) -> (String, String, String) {
    (key.to_owned(), audience.to_owned(), "sms".to_owned())
}

#[tokio::test]
async fn tenants_start_with_the_resort_defaults_and_managers_change_them() {
    let db = TestDb::new();
    let lotus = TestTenant::create(&mut db.connect(), "lotus");
    let taipei = TestTenant::create_in(&mut db.connect(), "taipei", "TW", "Asia/Taipei", "zh-Hant");
    let agent = lotus.key_with_role(&mut db.connect(), Role::CareAgent);
    let app = TestApp::spawn(&db);

    let (status, list) = send(app.get("/v1/greeting-rules", &agent)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        rules(&list),
        [
            rule("intl.christmas", "all"),
            rule("intl.new_year", "all"),
            rule("intl.womens_day", "all"),
            rule("vn.national_day", "domestic"),
            rule("vn.tet", "domestic"),
        ]
    );
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["send_hour"] == 9)
    );
    let (_, list) = send(app.get("/v1/greeting-rules", &taipei.key)).await;
    assert_eq!(
        rules(&list),
        [
            rule("intl.christmas", "all"),
            rule("intl.new_year", "all"),
            rule("intl.womens_day", "all"),
            rule("tw.lunar_new_year", "domestic"),
            rule("tw.national_day", "domestic"),
        ]
    );

    // A segment rule for Taiwanese guests on Lunar New Year, by e-mail at 10:00.
    let (_, segment) = send(app.post("/v1/segments", &lotus.key).json(&json!({
        "name": "Taiwan", "filter": { "nationality": ["TW"] }
    })))
    .await;
    let (status, created) = send(
        app.post("/v1/greeting-rules", &lotus.key)
            .header("Idempotency-Key", "tw-new-year")
            .json(&json!({
                "occasion_key": "tw.lunar_new_year", "audience": "segment",
                "segment_id": segment["id"], "channel": "email", "send_hour": 10
            })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["segment_id"], segment["id"]);
    let id = created["id"].as_str().unwrap();
    let (status, changed) = send(
        app.patch(&format!("/v1/greeting-rules/{id}"), &lotus.key)
            .json(&json!({ "channel": "sms", "active": false })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (
            changed["channel"].as_str(),
            changed["active"].as_bool(),
            changed["send_hour"].as_i64()
        ),
        (Some("sms"), Some(false), Some(10))
    );
    assert_eq!(changed["audience"], "segment");

    let (status, problem) = send(app.post("/v1/greeting-rules", &lotus.key).json(&json!({
        "occasion_key": "vn.tết", "audience": "segment", "channel": "fax", "send_hour": 24
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["occasion_key", "segment_id", "channel", "send_hour"]
    );
    let (status, problem) = send(app.post("/v1/greeting-rules", &lotus.key).json(&json!({
        "occasion_key": "tenant.anniversary", "audience": "domestic",
        "segment_id": segment["id"]
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["occasion_key", "segment_id"]);
    let (status, _) = send(app.post("/v1/greeting-rules", &agent).json(&json!({
        "occasion_key": "vn.tet"
    })))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    for request in [
        app.get(&format!("/v1/greeting-rules/{id}"), &taipei.key),
        app.patch(&format!("/v1/greeting-rules/{id}"), &taipei.key)
            .json(&json!({})),
        app.delete(&format!("/v1/greeting-rules/{id}"), &taipei.key),
    ] {
        assert_eq!(send(request).await.0, StatusCode::NOT_FOUND);
    }
    let (status, _) = send(app.delete(&format!("/v1/greeting-rules/{id}"), &lotus.key)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(app.get(&format!("/v1/greeting-rules/{id}"), &lotus.key)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_greeting_run_greets_each_audience_once_per_occurrence_at_its_hour() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let an = guest(
        &app,
        &tenant.key,
        json!({
            "full_name": "Lê Văn An", "nationality": "VN", "phones": ["+84903123456"]
        }),
    )
    .await;
    let mei = guest(
        &app,
        &tenant.key,
        json!({
            "full_name": "林美玲", "nationality": "TW", "phones": ["+886912345678"]
        }),
    )
    .await;
    for id in [&an, &mei] {
        allow_marketing(&app, &tenant.key, id, "sms").await;
    }
    let mut conn = db.connect();
    // National Day (2/9) is for domestic guests only, at 09:00 Vietnam time.
    let day = NaiveDate::from_ymd_opt(2027, 9, 2).unwrap();
    let at_eight = hcm(day, 8);
    let at_nine = hcm(day, 9);
    assert_eq!(
        care::run_greetings(&mut conn, &crate::support::links(), tenant.id, at_eight)
            .unwrap()
            .rules,
        0
    );
    let first =
        care::run_greetings(&mut conn, &crate::support::links(), tenant.id, at_nine).unwrap();
    assert_eq!((first.rules, first.queued, first.repeated), (1, 1, 0));
    let again =
        care::run_greetings(&mut conn, &crate::support::links(), tenant.id, at_nine).unwrap();
    assert_eq!((again.queued, again.repeated), (0, 1));
    // Christmas greets everyone, each in their language, once even when two
    // workers run the hour at the same time.
    let christmas = hcm(NaiveDate::from_ymd_opt(2027, 12, 25).unwrap(), 9);
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let mut conn = db.connect();
            let tenant = tenant.id;
            std::thread::spawn(move || {
                use diesel::Connection;
                conn.transaction(|c| {
                    care::run_greetings(c, &crate::support::links(), tenant, christmas)
                })
                .unwrap()
                .queued
            })
        })
        .collect();
    let queued: usize = runs.into_iter().map(|r| r.join().unwrap()).sum();
    assert_eq!(queued, 2);
    let sent = super::sent(&mut conn, tenant.id, "holiday_greeting", "greeting:");
    let an: uuid::Uuid = an.parse().unwrap();
    let mei: uuid::Uuid = mei.parse().unwrap();
    let seen: Vec<(uuid::Uuid, String, String)> = sent
        .iter()
        .map(|s| (s.guest_id, s.occurrence.clone(), s.language.clone()))
        .collect();
    let mut expected = vec![
        (an, "2027-09-02".to_owned(), "vi".to_owned()),
        (an, "2027-12-25".to_owned(), "vi".to_owned()),
        (mei, "2027-12-25".to_owned(), "zh-Hant".to_owned()),
    ];
    expected.sort();
    let mut seen_sorted = seen.clone();
    seen_sorted.sort();
    assert_eq!(seen_sorted, expected);
    assert!(
        sent.iter().any(|s| s.body.contains("Nhân dịp Quốc khánh")),
        "{sent:?}"
    );
    assert!(
        sent.iter()
            .any(|s| s.language == "zh-Hant" && s.body.contains("聖誕節")),
        "{sent:?}"
    );
    assert!(sent.iter().all(|s| s.status == "queued"));
}

#[tokio::test]
async fn the_care_schedules_follow_the_tenants_time_zone() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let schedules = || async {
        let (status, list) = send(app.get("/v1/schedules", &tenant.key)).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let mut found: Vec<(String, String, String, String)> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let zone: chrono_tz::Tz = s["time_zone"].as_str().unwrap().parse().unwrap();
                let next: chrono::DateTime<chrono::Utc> =
                    s["next_run_at"].as_str().unwrap().parse().unwrap();
                (
                    s["name"].as_str().unwrap().to_owned(),
                    s["cron"].as_str().unwrap().to_owned(),
                    zone.name().to_owned(),
                    next.with_timezone(&zone).format("%M").to_string(),
                )
            })
            .collect();
        found.sort();
        found
    };
    let hcm = |name: &str, cron: &str, minute: &str| {
        (
            name.to_owned(),
            cron.to_owned(),
            "Asia/Ho_Chi_Minh".to_owned(),
            minute.to_owned(),
        )
    };
    assert_eq!(
        schedules().await,
        [
            hcm("care.birthdays", "0 7 * * *", "00"),
            hcm("care.digest", "30 7 * * *", "30"),
            hcm("care.greetings", "0 * * * *", "00"),
        ]
    );
    let (status, _) = send(
        app.patch("/v1/tenant", &tenant.key)
            .json(&json!({ "time_zone": "Asia/Kolkata" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let moved = schedules().await;
    assert!(moved.iter().all(|s| s.2 == "Asia/Kolkata"), "{moved:?}");
    // India is UTC+05:30: local hours still start at minute 0.
    assert!(
        moved
            .iter()
            .all(|s| s.3 == if s.0 == "care.digest" { "30" } else { "00" }),
        "{moved:?}"
    );
}
