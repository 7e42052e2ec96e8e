//! Care automations: care tasks, the daily birthday, greeting and digest
//! scans, and a simulated year of them.

mod tasks;

use guestcare_tests::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::send;

/// Creates a guest and answers its id.
async fn guest(app: &TestApp, key: &str, body: Value) -> String {
    let (status, guest) = send(app.post("/v1/guests", key).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    guest["id"].as_str().unwrap().to_owned()
}
