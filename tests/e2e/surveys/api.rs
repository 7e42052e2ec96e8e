//! The survey API: validation with field paths, idempotent creation, fixed
//! questions once sent, closing, seeded samples and reminders.

use chrono::{Duration, Utc};
use diesel::{Connection, prelude::*};
use guestcare_db::{
    schema::{jobs, survey_recipients},
    surveys::send,
};
use guestcare_tests::{TestApp, TestDb, TestTenant, app::settings_for};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use super::{
    consenting_guest, create_survey, links_of, messages_of, run_send, segment, stay_survey,
    survey_link,
};
use crate::support::{error_fields, send as request};

#[tokio::test]
async fn surveys_are_validated_created_once_and_fixed_once_sent() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sunrise");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;

    let mut bad = stay_survey();
    bad["questions"][0]["options"][1] = json!({ "vi": "Có thể", "en": "Maybe" });
    bad["questions"][1]["options"] = json!([]);
    bad["questions"][4]["options"] = json!([{ "vi": "x", "en": "x", "zh-Hant": "x" }]);
    bad["questions"][2]["text"]["vi"] = json!("");
    let (status, problem) = request(app.post("/v1/surveys", key).json(&bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        error_fields(&problem),
        vec![
            "questions[0].options[1].zh-Hant",
            "questions[1].options",
            "questions[2].text.vi",
            "questions[4].options",
        ]
    );

    // Idempotent creation.
    let post = || {
        app.post("/v1/surveys", key)
            .header("Idempotency-Key", "survey-1")
            .json(&stay_survey())
    };
    let (status, first) = request(post()).await;
    assert_eq!(status, StatusCode::CREATED);
    let replay = post().send().await.unwrap();
    assert_eq!(replay.headers()["Idempotent-Replayed"], "true");
    let again: serde_json::Value = replay.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    let survey = first["id"].as_str().unwrap();
    assert_eq!(first["questions"][2]["type"], "rating_words");

    // Editable until sent; then only the closing date changes.
    let (status, _) = request(
        app.patch(&format!("/v1/surveys/{survey}"), key)
            .json(&json!({ "title": { "vi": "Khảo sát", "en": "Survey", "zh-Hant": "問卷" } })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    consenting_guest(
        &app,
        key,
        json!({ "full_name": "Phạm Minh Châu", "email": "chau@example.com" }),
    )
    .await;
    let everyone = segment(&app, key, "Mọi khách", json!({ "and": [] })).await;
    let (status, sent) = request(
        app.post(&format!("/v1/surveys/{survey}/sends"), key)
            .json(&json!({ "segment_id": everyone })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let (status, problem) = request(
        app.patch(&format!("/v1/surveys/{survey}"), key)
            .json(&json!({ "questions": [] })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "survey_sent");
    let closed = (Utc::now() - Duration::minutes(1)).to_rfc3339();
    let (status, view) = request(
        app.patch(&format!("/v1/surveys/{survey}"), key)
            .json(&json!({ "closes_at": closed })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let (status, problem) = request(
        app.post(&format!("/v1/surveys/{survey}/sends"), key)
            .json(&json!({ "segment_id": everyone })),
    )
    .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("survey_closed"))
    );
    let (status, problem) = request(
        app.post(&format!("/v1/surveys/{survey}/sends"), key)
            .json(&json!({ "segment_id": Uuid::nil(), "sample": { "size": 0, "seed": 1 } })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), vec!["sample.size"]);
}

#[tokio::test]
async fn the_same_seed_samples_the_same_guests() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sunrise");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    for i in 0..12 {
        consenting_guest(
            &app,
            key,
            json!({ "full_name": format!("Khách {i}"), "email": format!("g{i}@example.com") }),
        )
        .await;
    }
    let everyone = segment(&app, key, "Mọi khách", json!({ "and": [] })).await;
    let mut samples = Vec::new();
    for seed in [42, 42, 7] {
        let survey = create_survey(&app, key, stay_survey()).await;
        let (status, sent) = request(
            app.post(&format!("/v1/surveys/{survey}/sends"), key)
                .json(&json!({ "segment_id": everyone, "sample": { "size": 5, "seed": seed } })),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{sent}");
        assert_eq!(
            (sent["recipients"].as_i64(), sent["seed"].as_i64()),
            (Some(5), Some(seed))
        );
        let send_id: Uuid = sent["id"].as_str().unwrap().parse().unwrap();
        let guests: Vec<Uuid> = survey_recipients::table
            .filter(survey_recipients::send_id.eq(send_id))
            .select(survey_recipients::guest_id)
            .order(survey_recipients::guest_id)
            .load(&mut db.connect())
            .unwrap();
        samples.push(guests);
    }
    assert_eq!(samples[0], samples[1], "same seed, same guests");
    assert_ne!(samples[0], samples[2], "another seed, another sample");
}

#[tokio::test]
async fn reminders_reach_only_those_who_have_not_answered_once() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sunrise");
    let settings = settings_for(&db);
    let app = TestApp::spawn_with(&db, settings.clone());
    let key = &tenant.key;
    let an = consenting_guest(
        &app,
        key,
        json!({ "full_name": "Đỗ Văn An", "email": "an@example.com", "language": "vi" }),
    )
    .await;
    let binh = consenting_guest(
        &app,
        key,
        json!({ "full_name": "Vũ Thị Bình", "email": "binh@example.com", "language": "vi" }),
    )
    .await;
    let everyone = segment(&app, key, "Mọi khách", json!({ "and": [] })).await;
    let survey = create_survey(&app, key, stay_survey()).await;
    let (_, sent) = request(
        app.post(&format!("/v1/surveys/{survey}/sends"), key)
            .json(&json!({ "segment_id": everyone, "remind_after_days": 3 })),
    )
    .await;
    let send_id: Uuid = sent["id"].as_str().unwrap().parse().unwrap();
    let links = links_of(&settings);
    let mut conn = db.connect();
    run_send(&mut conn, &links, tenant.id, send_id);
    // A rerun (a retried job) invites nobody twice.
    run_send(&mut conn, &links, tenant.id, send_id);
    assert_eq!(messages_of(&app, key, &an).await.len(), 1);

    // The reminder job waits three days.
    let run_at: chrono::DateTime<Utc> = jobs::table
        .filter(jobs::kind.eq(send::REMIND_SURVEY))
        .select(jobs::run_at)
        .first(&mut conn)
        .unwrap();
    let wait = run_at - Utc::now();
    assert!(
        wait > Duration::days(3) - Duration::minutes(5) && wait <= Duration::days(3),
        "{wait}"
    );

    // An answers; the reminder run (twice, as a retry would) reaches Bình once.
    let invitation = messages_of(&app, key, &an).await.remove(0);
    let answered = app
        .client
        .post(survey_link(&app, &invitation))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("q1=0&q3=4&q4=5")
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), StatusCode::OK);
    for expected in [1, 0] {
        let reminded = conn
            .transaction(|conn| send::remind_batch(conn, &links, tenant.id, send_id, 100))
            .unwrap();
        assert_eq!(reminded, expected);
    }
    assert_eq!(messages_of(&app, key, &an).await.len(), 1);
    let to_binh = messages_of(&app, key, &binh).await;
    assert_eq!(to_binh.len(), 2);
    assert!(
        to_binh[0]["subject"]
            .as_str()
            .unwrap()
            .starts_with("Nhắc lại: "),
        "{}",
        to_binh[0]
    );
    let link = survey_link(&app, &to_binh[0]);
    assert_eq!(
        link,
        survey_link(&app, &to_binh[1]),
        "the same personal link"
    );

    // Once closed, the link shows so and takes no answers.
    let closed = (Utc::now() - Duration::minutes(1)).to_rfc3339();
    let (status, _) = request(
        app.patch(&format!("/v1/surveys/{survey}"), key)
            .json(&json!({ "closes_at": closed })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let page = app
        .client
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>Khảo sát đã kết thúc</h1>"), "{page}");
    let late = app
        .client
        .post(&link)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("q1=0&q3=4&q4=5")
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), StatusCode::GONE);
}
