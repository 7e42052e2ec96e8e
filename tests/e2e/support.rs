//! Helpers every area's tests share: sending a request and reading problems.

use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::Value;

/// Sends the request; its status and JSON body (`null` if none).
pub async fn send(request: RequestBuilder) -> (StatusCode, Value) {
    into_json(request.send().await.unwrap()).await
}

/// A response's status and JSON body (`null` if none).
pub async fn into_json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The field paths of a problem document's errors, in order.
pub fn error_fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}

/// The unsubscribe-link keys of the test configuration, for sends made
/// straight through the db crate.
pub fn links() -> guestcare_domain::signed_token::GuestLinks {
    guestcare_domain::signed_token::GuestLinks::new(
        b"a master secret of at least 32 bytes!!",
        "http://127.0.0.1:8080",
    )
}
