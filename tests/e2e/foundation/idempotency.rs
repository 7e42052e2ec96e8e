//! `Idempotency-Key`: a retried POST returns the first answer and does the
//! work once.

use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn user(email: &str) -> Value {
    json!({ "email": email, "display_name": "Phạm Minh", "role": "care_agent", "password": "minh-password-1" })
}

async fn count_users(app: &TestApp, key: &str) -> usize {
    let page: Value = app
        .get("/v1/users?limit=200", key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_retry_replays_the_first_answer() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let send = || {
        app.post("/v1/users", &tenant.key)
            .header("Idempotency-Key", "create-minh-1")
            .json(&user("minh@lotus.vn"))
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let second = send().await.unwrap();
    assert_eq!(second.status(), StatusCode::CREATED);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    let second: Value = second.json().await.unwrap();
    assert_eq!(first, second);
    assert_eq!(
        count_users(&app, &tenant.key).await,
        2,
        "owner + one new user"
    );

    let reused = app
        .post("/v1/users", &tenant.key)
        .header("Idempotency-Key", "create-minh-1")
        .json(&user("other@lotus.vn"))
        .send()
        .await
        .unwrap();
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = reused.json().await.unwrap();
    assert_eq!(body["code"], "idempotency_key_reused");
}

#[tokio::test]
async fn concurrent_retries_do_the_work_once() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let requests = (0..8).map(|_| {
        app.post("/v1/users", &tenant.key)
            .header("Idempotency-Key", "burst")
            .json(&user("burst@lotus.vn"))
            .send()
    });
    let responses = futures::future::join_all(requests).await;
    let mut ids = Vec::new();
    for response in responses {
        let response = response.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        ids.push(body["id"].clone());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every retry saw the same user");
    assert_eq!(count_users(&app, &tenant.key).await, 2);
}

#[tokio::test]
async fn a_failed_request_does_not_burn_its_key() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let duplicate = app
        .post("/v1/users", &tenant.key)
        .header("Idempotency-Key", "k-dup")
        .json(&user(&tenant.owner_email))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);
    let again = app
        .post("/v1/users", &tenant.key)
        .header("Idempotency-Key", "k-dup")
        .json(&user(&tenant.owner_email))
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "the failure was not stored as the answer"
    );
}

#[tokio::test]
async fn api_key_secrets_are_not_replayed() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let send = || {
        app.post("/v1/api-keys", &tenant.key)
            .header("Idempotency-Key", "key-1")
            .json(&json!({ "name": "PMS", "role": "front_desk" }))
            .send()
    };
    let first: Value = send().await.unwrap().json().await.unwrap();
    let second: Value = send().await.unwrap().json().await.unwrap();
    assert!(first["token"].is_string());
    assert!(second["token"].is_null());
    assert_eq!(first["api_key"], second["api_key"]);
}
