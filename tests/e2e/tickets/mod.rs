//! Tickets as a hotel's team and guests see them: e-mail acknowledgements
//! and public replies arriving threaded at a real SMTP server, the API's
//! queue and status machine, complaint clocks warning and breaching, and
//! the satisfaction link.

mod api;
mod clocks;
mod digest;
mod email;
mod satisfaction;
mod work;

use base64::{Engine, engine::general_purpose::STANDARD};
use guestcare_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::channels::send;

/// A guest created through the API; returns the id.
async fn guest(app: &TestApp, key: &str, profile: Value) -> String {
    let (status, guest) = send(app.post("/v1/guests", key).json(&profile)).await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    guest["id"].as_str().unwrap().to_owned()
}

/// A ticket created through the API; returns it.
async fn ticket(app: &TestApp, key: &str, body: Value) -> Value {
    let (status, ticket) = send(app.post("/v1/tickets", key).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    ticket
}

/// The ticket's entries (first page).
async fn entries(app: &TestApp, key: &str, id: &str) -> Vec<Value> {
    let (status, page) = send(app.get(&format!("/v1/tickets/{id}/entries?limit=100"), key)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

/// A complaint about a noisy room, phoned in by `guest`.
fn noisy_room(guest: &str) -> Value {
    json!({
        "channel": "phone", "category": "complaint", "subject": "Phòng ồn ào",
        "body": "Khách phàn nàn phòng 305 ồn suốt đêm.", "guest_id": guest,
        "complaint_type": "service_quality", "incident_on": chrono::Utc::now().date_naive(),
    })
}

/// A received mail's `Subject`, unfolded and with RFC 2047 encoded words
/// (as lettre writes them: `=?utf-8?b?…?=`) decoded.
fn subject(mail: &str) -> String {
    let unfolded = mail
        .replace("\r\n ", " ")
        .replace("\r\n\t", " ")
        .replace("\n ", " ");
    let line = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or_else(|| panic!("no Subject in {mail}"));
    let mut out = String::new();
    // Whitespace between two encoded words is not part of the text.
    let mut previous_encoded = false;
    for word in line.split(' ') {
        let encoded = word
            .strip_prefix("=?utf-8?b?")
            .or_else(|| word.strip_prefix("=?UTF-8?B?"))
            .and_then(|w| w.strip_suffix("?="));
        let joined = previous_encoded && encoded.is_some();
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        match encoded {
            Some(b64) => out.push_str(&String::from_utf8(STANDARD.decode(b64).unwrap()).unwrap()),
            None => out.push_str(word),
        }
        previous_encoded = encoded.is_some();
    }
    out
}
