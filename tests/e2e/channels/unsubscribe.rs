//! The unsubscribe link of marketing e-mail: it arrives as `List-Unsubscribe`,
//! opening it changes nothing, posting to it withdraws consent once, and a
//! forged link is refused.

use std::time::Duration;

use guestcare_tests::{TestApp, TestDb, TestTenant, app::pool_for, worker::TestWorker};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Mailroom, send, wait_for_message};

/// A guest of `key`'s tenant who agreed to marketing e-mail.
pub async fn subscribed_guest(app: &TestApp, key: &str, profile: Value) -> String {
    let (status, guest) = send(app.post("/v1/guests", key).json(&profile)).await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    let id = guest["id"].as_str().unwrap().to_owned();
    let (status, _) = send(
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

/// `POST /v1/messages` of a promotion e-mail to `guest`.
async fn promote(app: &TestApp, key: &str, guest: &str, idempotency: &str) -> Value {
    let (status, message) = send(
        app.post("/v1/messages", key)
            .header("Idempotency-Key", idempotency)
            .json(&json!({
                "guest_id": guest, "channel": "email", "purpose": "promotion",
                "extra": { "offer_title": "Ưu đãi mùa hè" }
            })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{message}");
    message
}

/// The `List-Unsubscribe` URL of a received message (headers unfolded).
fn list_unsubscribe(mail: &str) -> String {
    let unfolded = mail.replace("\r\n ", " ").replace("\r\n\t", " ");
    let start = unfolded
        .find("List-Unsubscribe: <")
        .unwrap_or_else(|| panic!("no List-Unsubscribe in {mail}"))
        + "List-Unsubscribe: <".len();
    let end = start + unfolded[start..].find('>').unwrap();
    unfolded[start..end].trim().to_owned()
}

async fn page(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let url = response.url().clone();
    if !content_type.starts_with("text/html") {
        panic!("{status} {url}: {}", response.text().await.unwrap());
    }
    (status, response.text().await.unwrap())
}

async fn email_marketing(app: &TestApp, key: &str, guest: &str) -> Value {
    let (_, consents) = send(app.get(&format!("/v1/guests/{guest}/consents"), key)).await;
    consents
}

#[tokio::test]
async fn the_link_in_a_marketing_email_unsubscribes_only_when_posted() {
    let Mailroom {
        app,
        sink,
        settings,
        tenant,
        db,
        ..
    } = Mailroom::open("sunrise");
    let lan = subscribed_guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Nguyễn Thị Lan", "email": "lan@example.com", "language": "vi" }),
    )
    .await;
    let message = promote(&app, &tenant.key, &lan, "summer-1").await;
    assert_eq!(message["status"], "queued", "{message}");
    let id = message["id"].as_str().unwrap().parse().unwrap();
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    wait_for_message(&app, &tenant.key, id, &["sent"]).await;

    let mail = &sink.wait_for(1, Duration::from_secs(5))[0];
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    let url = list_unsubscribe(mail);
    let token = url.rsplit_once("/u/").unwrap().1.to_owned();
    assert!(url.starts_with("http://127.0.0.1:8080/u/"), "{url}");
    assert!(
        !url.contains("lan") && !url.contains(&lan),
        "no personal data: {url}"
    );
    // The footer of the built-in text links to it too.
    assert!(message["body_html"].as_str().unwrap().contains(&token));
    assert!(message["body_text"].as_str().unwrap().contains(&url));

    // Opening the link (a mail scanner, a preview) only asks.
    let (status, html) = page(
        app.client
            .get(app.url(&format!("/u/{token}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"vi\">"), "{html}");
    assert!(html.contains("Hủy đăng ký nhận tin") && html.contains("Resort sunrise"));
    assert!(html.contains("<form method=\"post\">"));
    let consents = email_marketing(&app, &tenant.key, &lan).await;
    assert_eq!(consents["current"][0]["status"], "granted", "{consents}");

    // The one-click POST (RFC 8058), twice: one withdrawal.
    for _ in 0..2 {
        let response = app
            .client
            .post(app.url(&format!("/u/{token}")))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        let (status, html) = page(response).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Đã hủy đăng ký"), "{html}");
    }
    let consents = email_marketing(&app, &tenant.key, &lan).await;
    assert_eq!(consents["current"][0]["status"], "withdrawn", "{consents}");
    let withdrawals: Vec<&Value> = consents["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"] == "unsubscribe_link")
        .collect();
    assert_eq!(withdrawals.len(), 1, "{consents}");
    assert_eq!(withdrawals[0]["actor_type"], "guest");
    let (_, timeline) = send(app.get(&format!("/v1/guests/{lan}/timeline"), &tenant.key)).await;
    assert_eq!(
        timeline["items"][0]["kind"], "consent.changed",
        "{timeline}"
    );
    assert_eq!(
        timeline["items"][0]["summary"]["source"],
        "unsubscribe_link"
    );

    // The next promotion is held back.
    let later = promote(&app, &tenant.key, &lan, "summer-2").await;
    assert_eq!(later["status"], "suppressed");
    assert_eq!(later["suppression_reason"], "no_consent");
}

#[tokio::test]
async fn pages_speak_the_guests_language_and_forged_links_are_refused() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let mei = subscribed_guest(
        &app,
        &tenant.key,
        json!({ "full_name": "陳美玲", "email": "mei@example.tw", "language": "zh-Hant" }),
    )
    .await;
    let message = promote(&app, &tenant.key, &mei, "zh-1").await;
    let body = message["body_text"].as_str().unwrap();
    let url = body[body.find("http://127.0.0.1:8080/u/").unwrap()..]
        .split_whitespace()
        .next()
        .unwrap();
    let token = url.rsplit_once("/u/").unwrap().1.to_owned();
    let (status, html) = page(
        app.client
            .get(app.url(&format!("/u/{token}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("取消訂閱") && html.contains("確認取消訂閱"),
        "{html}"
    );
    let (_, html) = page(
        app.client
            .post(app.url(&format!("/u/{token}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        html.contains("已取消訂閱") && html.contains("電子郵件"),
        "{html}"
    );

    // Altered in any character, cut short, or made up: the same 404 page,
    // and nothing changes.
    let mut forged = vec![
        // The last character carries the tag's last two bits.
        format!(
            "{}{}",
            &token[..token.len() - 1],
            if token.ends_with('A') { 'Q' } else { 'A' }
        ),
        token[..token.len() - 4].to_owned(),
        "AQAB".repeat(22),
        "x".to_owned(),
    ];
    let flipped: String = token
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 10 {
                if c == 'a' { 'b' } else { 'a' }
            } else {
                c
            }
        })
        .collect();
    forged.push(flipped);
    for bad in &forged {
        for method in [reqwest::Method::GET, reqwest::Method::POST] {
            let response = app
                .client
                .request(method.clone(), app.url(&format!("/u/{bad}")))
                .header("Accept-Language", "vi-VN,vi;q=0.9")
                .send()
                .await
                .unwrap();
            let (status, html) = page(response).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {bad}");
            assert!(html.contains("Liên kết không hợp lệ"), "{html}");
        }
    }
    let consents = email_marketing(&app, &tenant.key, &mei).await;
    let history = consents["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "granted, then one withdrawal: {consents}");
}
