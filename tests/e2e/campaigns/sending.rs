//! A campaign reaches each selected guest once, in their language, with
//! its unsubscribe headers and tracked links; every skip is counted with
//! its reason; results, opens, clicks and webhooks follow.

use std::time::Duration;

use base64::Engine;
use guestcare_db::suppressions;
use guestcare_domain::{
    Role,
    channels::{Channel, SuppressionReason},
};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::pool_for,
    http_stub::HttpStub,
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{
    act, allow_all_hours, create_campaign, settings_with_sink, villa_variants, wait_progress,
};
use crate::support::send;

/// Creates a guest through the API, with e-mail marketing consent if
/// `consent`; its id.
async fn guest(app: &TestApp, key: &str, profile: Value, consent: bool) -> String {
    let (status, guest) = send(app.post("/v1/guests", key).json(&profile)).await;
    assert_eq!(status, StatusCode::CREATED, "{guest}");
    let id = guest["id"].as_str().unwrap().to_owned();
    if consent {
        let (status, body) = send(app.put(&format!("/v1/guests/{id}/consents"), key).json(
            &json!({
                "changes": [{ "channel": "email", "purpose": "marketing", "status": "granted",
                              "source": "registration_form" }]
            }),
        ))
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    id
}

/// The decoded `Subject:` of a raw message (RFC 2047 base64 words).
fn subject_of(mail: &str) -> String {
    let mut lines = mail.lines().skip_while(|l| !l.starts_with("Subject:"));
    let mut header = lines.next().unwrap_or_default()["Subject:".len()..].to_owned();
    for line in lines.take_while(|l| l.starts_with(' ') || l.starts_with('\t')) {
        header.push_str(line);
    }
    // Whitespace between two encoded words is not part of the text.
    let mut out = String::new();
    let mut after_encoded = false;
    for word in header.split_whitespace() {
        let encoded = word
            .strip_prefix("=?utf-8?b?")
            .or_else(|| word.strip_prefix("=?UTF-8?B?"));
        if !(out.is_empty() || (after_encoded && encoded.is_some())) {
            out.push(' ');
        }
        match encoded {
            Some(encoded) => out.push_str(
                &String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(encoded.trim_end_matches("?="))
                        .unwrap(),
                )
                .unwrap(),
            ),
            None => out.push_str(word),
        }
        after_encoded = encoded.is_some();
    }
    out
}

fn mail_to<'a>(mails: &'a [String], address: &str) -> Vec<&'a String> {
    let rcpt = format!("X-Rcpt-Args: <{address}>");
    mails.iter().filter(|m| m.contains(&rcpt)).collect()
}

#[tokio::test]
async fn a_campaign_reaches_each_guest_once_in_their_language_and_counts_every_skip() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let manager = tenant.key_with_role(&mut conn, Role::Manager);
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let sink = SmtpSink::start(SinkMode::Accept);
    let receiver = HttpStub::start(vec![(204, "")]);
    let settings = settings_with_sink(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    allow_all_hours(&app, &tenant.key).await;
    let (status, hook) = send(app.post("/v1/webhooks", &tenant.key).json(&json!({
        "url": receiver.url("/hooks"), "event_types": ["campaign.started", "campaign.finished"]
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{hook}");

    let news = json!(["newsletter"]);
    let lan = guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Nguyễn Thị Lan",
        "email": "lan@example.com", "language": "vi", "tags": news }),
        true,
    )
    .await;
    let mei = guest(
        &app,
        &tenant.key,
        json!({ "full_name": "陳美玲",
        "email": "mei@example.com", "language": "zh-Hant" }),
        true,
    )
    .await;
    guest(
        &app,
        &tenant.key,
        json!({ "full_name": "John Carter",
        "email": "john@example.com", "language": "en", "tags": news }),
        false,
    )
    .await;
    guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Lê Thị Hoa",
        "phones": ["0903 123 456"], "tags": news }),
        true,
    )
    .await;
    guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Trần Văn Tuấn",
        "email": "tuan@example.com", "tags": news }),
        true,
    )
    .await;
    guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Phạm Minh",
        "email": "minh@sunrise.example.com", "tags": ["newsletter", "staff"] }),
        true,
    )
    .await;
    suppressions::insert_suppression(
        &mut conn,
        tenant.id,
        Channel::Email,
        "tuan@example.com",
        SuppressionReason::Manual,
    )
    .unwrap();

    let (status, asset) = send(
        app.post("/v1/assets?file_name=biet-thu.png", &manager)
            .header("Content-Type", "image/png")
            .body(crate::templates::PNG.to_vec()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{asset}");
    let asset_id = asset["id"].as_str().unwrap().to_owned();
    let mut variants = villa_variants();
    variants["vi"]["html"] = format!(
        "{}<img src=\"cid:{asset_id}\" alt=\"Biệt thự\">",
        variants["vi"]["html"].as_str().unwrap()
    )
    .into();
    let id = create_campaign(&app, &manager, json!({
        "name": "Biệt thự mới",
        "audience": { "tags": ["newsletter"], "guest_ids": [mei], "exclude": { "tags": ["staff"] } },
        "variants": variants,
        "sender_name": "Sunrise Offers",
        "track_opens": true,
    }))
    .await;

    // Preview for Lan in every language; a test send to staff.
    let (status, preview) = send(app.get(
        &format!("/v1/campaigns/{id}/preview?guest_id={lan}"),
        &manager,
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let languages: Vec<&str> = preview
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, ["vi", "en", "zh-Hant"]);
    assert!(
        preview[0]["subject"]
            .as_str()
            .unwrap()
            .contains("Nguyễn Thị Lan"),
        "{preview}"
    );
    let (status, ids) = send(
        app.post(&format!("/v1/campaigns/{id}/test"), &manager)
            .json(&json!({ "to": ["marketing@sunrise.example.com"] })),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{ids}");
    assert_eq!(ids.as_array().unwrap().len(), 3);

    // Only managers send.
    let (status, _) = act(&app, &agent, &id, "schedule").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let (status, campaign) = act(&app, &manager, &id, "schedule").await;
    assert_eq!(status, StatusCode::OK, "{campaign}");
    let progress = wait_progress(&app, &manager, &id, |p| p["status"] == "sent").await;
    assert_eq!(progress["recipients"], 5, "{progress}");
    assert_eq!(progress["sent"], 2, "{progress}");
    assert_eq!(progress["suppressed"], 3, "{progress}");
    assert_eq!(
        progress["reasons"],
        json!({ "no_address": 1, "no_consent": 1, "suppressed_address": 1 })
    );

    let mails = sink.wait_for(5, Duration::from_secs(10));
    assert_eq!(mails.len(), 5, "three tests and two guests");
    let tests = mail_to(&mails, "marketing@sunrise.example.com");
    assert!(tests.iter().all(|m| subject_of(m).starts_with("[TEST] ")));
    let to_lan = mail_to(&mails, "lan@example.com");
    assert_eq!(to_lan.len(), 1);
    assert_eq!(
        subject_of(to_lan[0]),
        "Khai trương biệt thự hướng biển — ưu đãi cho Nguyễn Thị Lan"
    );
    assert!(
        to_lan[0].contains("From: \"Sunrise Offers\" <care@sunrise.example.com>"),
        "{}",
        to_lan[0]
    );
    assert!(to_lan[0].contains("List-Unsubscribe: <http"));
    assert!(to_lan[0].contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(
        to_lan[0].contains(&format!("Content-ID: <{asset_id}>")),
        "{}",
        to_lan[0]
    );
    assert!(to_lan[0].contains("image/png"));
    let to_mei = mail_to(&mails, "mei@example.com");
    assert_eq!(subject_of(to_mei[0]), "全新海景別墅盛大開幕");
    assert!(mail_to(&mails, "minh@sunrise.example.com").is_empty());

    // The HTML as sent: the link is a signed redirect, the image hosted,
    // the pixel present; following them counts a click and an open.
    let (_, list) = send(app.get(&format!("/v1/messages?guest_id={lan}"), &manager)).await;
    let html = list["items"][0]["body_html"].as_str().unwrap().to_owned();
    assert!(
        html.contains("https://cdn.sunrise.example.com/villa.jpg"),
        "{html}"
    );
    assert!(
        !html.contains("https://sunrise.example.com/villa"),
        "{html}"
    );
    let click = html
        .split("href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let pixel = html
        .rsplit("src=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(click.contains("/c/") && pixel.contains("/o/"), "{html}");
    let path = |url: &str| url[url.find("/c/").or_else(|| url.find("/o/")).unwrap()..].to_owned();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = client.get(app.url(&path(pixel))).send().await.unwrap();
    assert_eq!(response.headers()["content-type"], "image/gif");
    let response = client.get(app.url(&path(click))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        response.headers()["location"],
        "https://sunrise.example.com/villa?utm=mail&lang=vi"
    );
    let forged = client
        .get(app.url(&format!("{}x", path(click))))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);

    let (status, results) = send(app.get(&format!("/v1/campaigns/{id}/results"), &manager)).await;
    assert_eq!(status, StatusCode::OK, "{results}");
    assert_eq!(results["total"]["opened"], 1, "{results}");
    assert_eq!(results["total"]["clicked"], 1, "{results}");
    assert_eq!(results["by_language"]["vi"]["sent"], 1, "{results}");
    assert_eq!(results["by_language"]["zh-Hant"]["sent"], 1, "{results}");

    let hooks = receiver.wait_for(2, Duration::from_secs(20));
    let mut kinds: Vec<String> = hooks
        .iter()
        .map(|h| {
            serde_json::from_str::<Value>(&h.text()).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["campaign.finished", "campaign.started"],
        "{kinds:?}"
    );
}
