//! Surveys end to end: a survey in three languages sent to a segment, the
//! invitation e-mail and its personal link, answers given in a real
//! browser (headless Chromium) and by e-mail reply, and the results.

mod api;
mod browser;
mod dovecot_reply;
mod email_reply;
mod results;

use diesel::{Connection, PgConnection};
use guestcare_db::surveys::send;
use guestcare_domain::{settings::Settings, signed_token::GuestLinks};
use guestcare_tests::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::send as request;

/// A post-stay survey: a single choice, a multiple choice, the words
/// scale, the 1–5 scale and a free-text question (1, 3 and 4 required).
pub fn stay_survey() -> Value {
    let t = |vi: &str, en: &str, zh: &str| json!({ "vi": vi, "en": en, "zh-Hant": zh });
    json!({
        "title": t("Khảo sát sau kỳ nghỉ", "After your stay", "住宿後問卷"),
        "questions": [
            { "type": "single_choice", "required": true,
              "text": t("Quý khách có muốn quay lại không?", "Would you stay with us again?", "您願意再次入住嗎？"),
              "options": [t("Chắc chắn", "Certainly", "一定會"), t("Có thể", "Maybe", "也許"), t("Không", "No", "不會")] },
            { "type": "multiple_choice",
              "text": t("Quý khách đã dùng dịch vụ nào?", "Which services did you use?", "您使用了哪些服務？"),
              "options": [t("Hồ bơi", "Pool", "泳池"), t("Spa", "Spa", "水療"), t("Nhà hàng", "Restaurant", "餐廳")] },
            { "type": "rating_words", "required": true,
              "text": t("Quý khách đánh giá phòng thế nào?", "How was your room?", "您對客房的評價如何？") },
            { "type": "rating_numbers", "required": true,
              "text": t("Quý khách chấm điểm nhân viên bao nhiêu?", "How would you rate our staff?", "您給我們的員工打幾分？") },
            { "type": "free_text",
              "text": t("Quý khách muốn góp ý điều gì?", "Anything else you would like to tell us?", "還有其他建議嗎？") }
        ]
    })
}

/// Creates a survey; its id.
pub async fn create_survey(app: &TestApp, key: &str, body: Value) -> String {
    let (status, survey) = request(app.post("/v1/surveys", key).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{survey}");
    survey["id"].as_str().unwrap().to_owned()
}

/// A guest who agreed to marketing e-mail (survey invitations are
/// marketing); its id.
pub async fn consenting_guest(app: &TestApp, key: &str, profile: Value) -> String {
    let (status, guest) = request(app.post("/v1/guests", key).json(&profile)).await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    let id = guest["id"].as_str().unwrap().to_owned();
    let (status, _) = request(
        app.put(&format!("/v1/guests/{id}/consents"), key)
            .json(&json!({
                "changes": [{ "channel": "email", "purpose": "marketing", "status": "granted",
                              "source": "registration_form" }]
            })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    id
}

/// A saved segment with `filter`; its id.
pub async fn segment(app: &TestApp, key: &str, name: &str, filter: Value) -> String {
    let (status, segment) = request(
        app.post("/v1/segments", key)
            .json(&json!({ "name": name, "filter": filter })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{segment}");
    segment["id"].as_str().unwrap().to_owned()
}

/// The guest links of `settings` (the same keys the API verifies with).
pub fn links_of(settings: &Settings) -> GuestLinks {
    GuestLinks::new(&settings.security.master_key(), &settings.api.public_url)
}

/// Runs the `send_survey` job's work for `send_id` now, as the worker
/// would: batches until none is left, then the finish.
pub fn run_send(conn: &mut PgConnection, links: &GuestLinks, tenant_id: Uuid, send_id: Uuid) {
    while conn
        .transaction(|conn| send::invite_batch(conn, links, tenant_id, send_id, 2))
        .unwrap()
        > 0
    {}
    conn.transaction(|conn| send::finish_send(conn, tenant_id, send_id))
        .unwrap();
}

/// The messages sent to `guest` (newest first).
pub async fn messages_of(app: &TestApp, key: &str, guest: &str) -> Vec<Value> {
    let (status, page) = request(app.get(&format!("/v1/messages?guest_id={guest}"), key)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

/// The survey link in a message's text, on `app`'s address.
pub fn survey_link(app: &TestApp, message: &Value) -> String {
    let text = message["body_text"].as_str().unwrap();
    let start = text
        .find("/q/")
        .unwrap_or_else(|| panic!("no survey link in {text}"));
    let token: String = text[start + 3..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    app.url(&format!("/q/{token}"))
}

/// `GET /v1/surveys/{id}/results{query}`.
pub async fn results(app: &TestApp, key: &str, survey: &str, query: &str) -> Value {
    let (status, results) =
        request(app.get(&format!("/v1/surveys/{survey}/results{query}"), key)).await;
    assert_eq!(status, StatusCode::OK, "{results}");
    results
}

/// Every exclusive question's percentages add up to exactly 100.0 once
/// it has answers.
pub fn assert_percentages_add_up(results: &Value) {
    for group in results["groups"].as_array().unwrap() {
        for question in group["questions"].as_array().unwrap() {
            if question["answered"] == 0
                || ["multiple_choice", "free_text"].contains(&question["type"].as_str().unwrap())
            {
                continue;
            }
            let tenths: i64 = question["options"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| (o["percent"].as_f64().unwrap() * 10.0).round() as i64)
                .sum();
            assert_eq!(tenths, 1000, "{question}");
        }
    }
}
