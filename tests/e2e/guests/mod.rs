//! The guest registry: profiles and search, stays and care periods,
//! consent, tiers, the timeline, merges, identity resolution, export and
//! erasure.

mod care;
mod merges;
mod privacy;
mod profiles;
mod timeline;

use guestcare_tests::TestApp;
use reqwest::StatusCode;
use serde_json::Value;

use crate::support::send;

/// Creates a guest and answers its JSON.
async fn create(app: &TestApp, key: &str, body: Value) -> Value {
    let (status, guest) = send(app.post("/v1/guests", key).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    guest
}

/// The `q` search's full names.
async fn search(app: &TestApp, key: &str, q: &str) -> Vec<String> {
    let (status, page) = send(app.get("/v1/guests", key).query(&[("q", q)])).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["full_name"].as_str().unwrap().to_owned())
        .collect()
}

/// The kinds on the guest's timeline, newest first (first page).
async fn timeline_kinds(app: &TestApp, key: &str, guest: &str) -> Vec<String> {
    let (status, page) = send(app.get(&format!("/v1/guests/{guest}/timeline"), key)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}
