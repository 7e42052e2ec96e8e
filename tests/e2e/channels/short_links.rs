//! The short unsubscribe link: on every marketing SMS, and on a marketing
//! e-mail queued without a link of its own. Opening it changes nothing;
//! posting to it withdraws the marketing consent of that message's guest on
//! that message's channel only.

use std::time::Duration;

use diesel::Connection;
use guestcare_db::messages;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Mailroom, send, service_email, wait_for_message};

/// A guest who agreed to marketing by e-mail and SMS.
async fn guest_with_marketing(app: &TestApp, key: &str) -> String {
    let (status, guest) = send(app.post("/v1/guests", key).json(&json!({
        "full_name": "Trần Minh Tuấn", "email": "tuan@example.com",
        "phones": ["+84903123456"], "language": "vi"
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    let id = guest["id"].as_str().unwrap().to_owned();
    let grant = |channel: &str| {
        json!({ "channel": channel, "purpose": "marketing", "status": "granted",
                "source": "registration_form" })
    };
    let (status, _) = send(
        app.put(&format!("/v1/guests/{id}/consents"), key)
            .json(&json!({ "changes": [grant("email"), grant("sms")] })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    id
}

/// The marketing consent of `guest` on `channel`.
async fn marketing(app: &TestApp, key: &str, guest: &str, channel: &str) -> String {
    let (_, consents) = send(app.get(&format!("/v1/guests/{guest}/consents"), key)).await;
    consents["current"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == channel && c["purpose"] == "marketing")
        .map(|c| c["status"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no {channel} marketing consent: {consents}"))
}

/// GETs then POSTs the link at `path`, running `between` in between (the
/// GET must have changed nothing): the page asks first, then confirms.
async fn open_then_post<F: Future<Output = ()>>(
    app: &TestApp,
    path: &str,
    between: impl FnOnce() -> F,
) -> (String, String) {
    let asked = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    let asked = asked.text().await.unwrap();
    between().await;
    let done = app.client.post(app.url(path)).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    (asked, done.text().await.unwrap())
}

#[tokio::test]
async fn a_marketing_sms_carries_a_short_link_that_withdraws_sms_marketing_only() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sunrise");
    let app = TestApp::spawn(&db);
    let tuan = guest_with_marketing(&app, &tenant.key).await;
    let (status, message) = send(
        app.post("/v1/messages", &tenant.key)
            .header("Idempotency-Key", "sms-promo-1")
            .json(&json!({
                "guest_id": tuan, "channel": "sms", "purpose": "promotion",
                "extra": { "offer_title": "Ưu đãi mùa hè" }
            })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    let body = message["body_text"].as_str().unwrap();
    let url = body[body.find("http://127.0.0.1:8080/u/").expect(body)..]
        .split_whitespace()
        .next()
        .unwrap();
    let token = url.rsplit_once("/u/").unwrap().1;
    assert_eq!(token.len(), 34, "short enough for an SMS: {url}");
    assert!(body.contains("Từ chối nhận tin"), "{body}");

    let (asked, done) = open_then_post(&app, &format!("/u/{token}"), || async {
        assert_eq!(marketing(&app, &tenant.key, &tuan, "sms").await, "granted");
    })
    .await;
    assert!(asked.contains("tin nhắn SMS"), "{asked}");
    assert!(done.contains("Đã hủy đăng ký"), "{done}");
    assert_eq!(
        marketing(&app, &tenant.key, &tuan, "sms").await,
        "withdrawn"
    );
    assert_eq!(
        marketing(&app, &tenant.key, &tuan, "email").await,
        "granted"
    );

    let forged = format!(
        "{}{}",
        &token[..33],
        if token.ends_with('A') { 'Q' } else { 'A' }
    );
    let refused = app
        .client
        .post(app.url(&format!("/u/{forged}")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_marketing_email_queued_without_a_link_gets_one_in_its_headers() {
    let mut room = Mailroom::open("sunrise");
    let tuan = guest_with_marketing(&room.app, &room.tenant.key).await;
    let (app, tenant) = (&room.app, &room.tenant);
    let mut message = service_email(tenant.id, "tuan@example.com");
    message.guest_id = Some(tuan.parse().unwrap());
    message.purpose = "promotion".to_owned();
    message.category = "marketing".to_owned();
    let queued = room
        .conn
        .transaction(|conn| messages::queue_message(conn, &message, &[], None))
        .unwrap();
    let _worker = room.worker();
    let sent: Value = wait_for_message(app, &tenant.key, queued.id, &["sent"]).await;
    assert_eq!(sent["status"], "sent");
    let mail = &room.sink.wait_for(1, Duration::from_secs(5))[0];
    let unfolded = mail.replace("\r\n ", " ");
    let start = unfolded.find("List-Unsubscribe: <").expect(mail) + "List-Unsubscribe: <".len();
    let url = &unfolded[start..start + unfolded[start..].find('>').unwrap()];
    assert!(unfolded.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    let path = url.trim().strip_prefix("http://127.0.0.1:8080").expect(url);
    open_then_post(app, path, || async {
        assert_eq!(marketing(app, &tenant.key, &tuan, "email").await, "granted");
    })
    .await;
    assert_eq!(
        marketing(app, &tenant.key, &tuan, "email").await,
        "withdrawn"
    );
    assert_eq!(marketing(app, &tenant.key, &tuan, "sms").await, "granted");
}
