//! Holiday calendars and the tenant's own occasions.

mod calendars;
mod occasions;

use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::Value;

/// Sends the request; its status and JSON body (`null` if none).
async fn send(request: RequestBuilder) -> (StatusCode, Value) {
    into_json(request.send().await.unwrap()).await
}

/// A response's status and JSON body (`null` if none).
async fn into_json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The field paths of a problem document's errors, in order.
fn error_fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}
