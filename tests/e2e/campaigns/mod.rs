//! E-mail campaigns end to end: the real API and worker, Postfix's
//! `smtp-sink` as the guests' mail server.

mod crash;
mod lifecycle;
mod sending;

use std::time::{Duration, Instant};

use guestcare_domain::settings::{MailTransport, Settings, SmtpSecurity};
use guestcare_tests::{TestApp, TestDb, app::settings_for};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::send;

/// Test settings with mail going to an `smtp-sink` on `port`.
fn settings_with_sink(db: &TestDb, port: u16) -> Settings {
    let mut settings = settings_for(db);
    settings.mail.transport = MailTransport::Smtp;
    settings.mail.smtp.host = "127.0.0.1".to_owned();
    settings.mail.smtp.port = port;
    settings.mail.smtp.security = SmtpSecurity::None;
    settings
}

/// Lets the tenant send at any hour (tests run at any time of day).
async fn allow_all_hours(app: &TestApp, owner: &str) {
    let (status, body) = send(app.put("/v1/channels/settings", owner).json(&json!({
        "mail_from": "Sunrise Resort <care@sunrise.example.com>",
        "allowed_hours": { "start": "00:00", "end": "00:00" },
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The three language variants of a villa announcement, with a hosted
/// image, a link and the unsubscribe footer.
fn villa_variants() -> Value {
    json!({
        "vi": {
            "subject": "Khai trương biệt thự hướng biển — ưu đãi cho {{ guest.full_name }}",
            "html": "<p>Kính gửi {{ guest.full_name }},</p><p>Biệt thự mới đã mở cửa.</p>\
                     <img src=\"https://cdn.sunrise.example.com/villa.jpg\" alt=\"Biệt thự\">\
                     <p><a href=\"https://sunrise.example.com/villa?utm=mail&amp;lang=vi\">Xem biệt thự</a></p>\
                     <p><a href=\"{{ extra.unsubscribe_url }}\">Hủy đăng ký</a></p>",
            "text": "Kính gửi {{ guest.full_name }}, biệt thự mới đã mở cửa. Hủy đăng ký: {{ extra.unsubscribe_url }}"
        },
        "en": {
            "subject": "Our new sea-view villa is open",
            "html": "<p>Dear {{ guest.full_name }},</p><p>Our new villa is open.</p>\
                     <p><a href=\"https://sunrise.example.com/villa?utm=mail&amp;lang=en\">See the villa</a></p>",
            "text": "Dear {{ guest.full_name }}, our new villa is open."
        },
        "zh-Hant": {
            "subject": "全新海景別墅盛大開幕",
            "html": "<p>親愛的{{ guest.full_name }}貴賓：</p><p>全新別墅現已開幕。</p>",
            "text": "親愛的{{ guest.full_name }}貴賓：全新別墅現已開幕。"
        }
    })
}

/// Creates a campaign (manager) and returns its id.
async fn create_campaign(app: &TestApp, key: &str, body: Value) -> String {
    let (status, campaign) = send(app.post("/v1/campaigns", key).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{campaign}");
    campaign["id"].as_str().unwrap().to_owned()
}

/// `POST /v1/campaigns/{id}/{action}`.
async fn act(app: &TestApp, key: &str, id: &str, action: &str) -> (StatusCode, Value) {
    send(app.post(&format!("/v1/campaigns/{id}/{action}"), key)).await
}

/// Polls the campaign's progress until `done` holds.
async fn wait_progress(app: &TestApp, key: &str, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (status, progress) = send(app.get(&format!("/v1/campaigns/{id}/progress"), key)).await;
        assert_eq!(status, StatusCode::OK, "{progress}");
        if done(&progress) {
            return progress;
        }
        assert!(Instant::now() < deadline, "progress stayed {progress}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
