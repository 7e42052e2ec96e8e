//! Bad input answers a problem document, never a 500.

use guestcare_tests::{TestApp, TestDb, TestTenant, app::settings_for};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn problem(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "status {status}"
    );
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn malformed_wrong_typed_and_invalid_bodies() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let response = app
        .post("/v1/users", &tenant.key)
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "malformed_json");

    let response = app
        .post("/v1/users", &tenant.key)
        .json(&json!({ "email": 42, "display_name": "A", "role": "owner", "password": "long-enough-1" }))
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "email");

    let response = app
        .post("/v1/users", &tenant.key)
        .json(&json!({ "email": "a@b.vn", "display_name": "A", "role": "owner", "password": "long-enough-1", "extra": 1 }))
        .send()
        .await
        .unwrap();
    let (status, _) = problem(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let response = app
        .patch("/v1/tenant", &tenant.key)
        .json(&json!({ "country": "XX", "time_zone": "Mars/Base", "default_language": "fr" }))
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["country", "default_language", "time_zone"]);

    let tenant_now: Value = app
        .get("/v1/tenant", &tenant.key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tenant_now["country"], "VN", "nothing was saved");

    let response = app
        .post("/v1/users", &tenant.key)
        .header("content-type", "text/plain")
        .body("email=a")
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(body["code"], "unsupported_media_type");
}

#[tokio::test]
async fn oversize_bodies_answer_413() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let mut settings = settings_for(&db);
    settings.api.max_body_bytes = 2048;
    let app = TestApp::spawn_with(&db, settings);
    let big = json!({ "email": "a@b.vn", "display_name": "x".repeat(4096), "role": "owner", "password": "long-enough-1" });
    let response = app
        .post("/v1/users", &tenant.key)
        .json(&big)
        .send()
        .await
        .unwrap();
    let (status, body) = problem(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], "payload_too_large");
}

#[tokio::test]
async fn bad_query_parameters_name_the_parameter() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    for (query, field) in [
        ("limit=abc", "query.limit"),
        ("limit=0", "query.limit"),
        ("limit=1000", "query.limit"),
        ("cursor=%%%", "query.cursor"),
    ] {
        let response = app
            .get(&format!("/v1/users?{query}"), &tenant.key)
            .send()
            .await
            .unwrap();
        let (status, body) = problem(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(body["errors"][0]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn unknown_routes_methods_and_ids() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let (status, body) = problem(
        app.get("/v1/nothing-here", &tenant.key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "route_not_found");

    let response = app.put("/v1/users", &tenant.key).send().await.unwrap();
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    let (status, _) = problem(response).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(allow, "GET, POST");

    for path in [
        "/v1/users/not-a-uuid",
        "/v1/users/00000000-0000-0000-0000-000000000000",
    ] {
        let (status, body) = problem(app.get(path, &tenant.key).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["code"], "not_found");
    }
}
