//! Probes, request ids and metrics.

use guestcare_tests::{TestApp, TestDb};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn health_and_readiness() {
    let db = TestDb::new();
    let app = TestApp::spawn(&db);
    let health: Value = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}

#[tokio::test]
async fn readiness_fails_when_migrations_are_pending() {
    let db = TestDb::empty();
    let app = TestApp::spawn(&db);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["code"], "unavailable");
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "liveness does not depend on the database"
    );
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let db = TestDb::new();
    let app = TestApp::spawn(&db);
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "abc-123");
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    let generated = response.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(generated.len(), 36, "a fresh UUID replaces an unsafe id");
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern() {
    let db = TestDb::new();
    let app = TestApp::spawn(&db);
    app.client
        .get(app.url("/v1/users/123"))
        .send()
        .await
        .unwrap();
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("guestcare_api_http_requests_total"));
    assert!(metrics.contains("route=\"/v1/users/{id}\""), "{metrics}");
    assert!(!metrics.contains("/v1/users/123"));
}
