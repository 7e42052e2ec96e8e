//! Images for e-mails: upload, metadata, the public hosted URL, and
//! templates that embed or attach them.

use guestcare_tests::{TestApp, TestDb, TestTenant, app::settings_for};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{PNG, errors, send};

async fn upload(app: &TestApp, key: &str, content_type: &str, bytes: &[u8]) -> (StatusCode, Value) {
    send(
        app.post("/v1/assets?file_name=logo.png", key)
            .header("Content-Type", content_type)
            .body(bytes.to_vec()),
    )
    .await
}

#[tokio::test]
async fn an_uploaded_image_is_hosted_publicly_and_embedded_by_templates() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let (status, asset) = upload(&app, &tenant.key, "image/png", PNG).await;
    assert_eq!(status, StatusCode::CREATED, "{asset}");
    assert_eq!(asset["content_type"], "image/png");
    assert_eq!(asset["file_name"], "logo.png");
    assert_eq!(asset["byte_size"], PNG.len());
    let sha: String = Sha256::digest(PNG)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(asset["sha256"], sha);
    let id = asset["id"].as_str().unwrap();
    assert_eq!(asset["cid"], format!("cid:{id}"));
    let (status, read) = send(app.get(&format!("/v1/assets/{id}"), &tenant.key)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, asset);

    // The hosted URL works without credentials, under this tenant only.
    let url = asset["url"].as_str().unwrap();
    let path = &url[url.find("/a/lotus/").unwrap()..];
    let token = path.rsplit('/').next().unwrap();
    assert!(token.len() >= 22);
    let image = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.headers()["x-content-type-options"], "nosniff");
    assert_eq!(image.bytes().await.unwrap().as_ref(), PNG);
    let other = TestTenant::create(&mut db.connect(), "orchid");
    let wrong_slug = app
        .client
        .get(app.url(&format!("/a/orchid/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_slug.status(), StatusCode::NOT_FOUND);
    let (status, _) = send(app.get(&format!("/v1/assets/{id}"), &other.key)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A template embeds it inline and attaches it; unknown ids are refused.
    let template = json!({
        "subject": "Chào mừng Quý khách",
        "html": format!("<p><img src=\"cid:{id}\" alt=\"{{{{ tenant.name }}}}\"></p>\n<p>Kính gửi Quý khách {{{{ guest.full_name }}}}</p>"),
        "text": "Kính gửi Quý khách {{ guest.full_name }}",
        "attachment_ids": [id]
    });
    let (status, saved) = send(
        app.put("/v1/templates/booking_confirmation/email/vi", &tenant.key)
            .json(&template),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["inline_asset_ids"], json!([id]));
    assert_eq!(saved["attachment_ids"], json!([id]));
    let (status, problem) = send(
        app.put("/v1/templates/booking_confirmation/email/vi", &other.key)
            .json(&template),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = errors(&problem).into_iter().map(|e| e.0).collect();
    assert_eq!(fields, ["html", "attachment_ids[0]"]);

    let (_, preview) = send(app.post("/v1/templates/preview", &tenant.key).json(&json!({
        "purpose": "booking_confirmation", "channel": "email", "language": "vi"
    })))
    .await;
    assert_eq!(preview["source"], "tenant");
    assert_eq!(preview["inline_asset_ids"], json!([id]));
    assert_eq!(preview["attachment_ids"], json!([id]));
    assert!(
        preview["html"]
            .as_str()
            .unwrap()
            .contains(&format!("src=\"cid:{id}\""))
    );
}

#[tokio::test]
async fn uploads_are_checked_by_type_content_and_size() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let mut settings = settings_for(&db);
    settings.templates.max_asset_bytes = 2048;
    let app = TestApp::spawn_with(&db, settings);

    let (status, problem) = upload(&app, &tenant.key, "image/svg+xml", b"<svg/>").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(problem["code"], "unsupported_media_type");
    let (status, problem) = upload(&app, &tenant.key, "image/jpeg", PNG).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors(&problem)[0].1, "content_mismatch");
    let mut large = PNG.to_vec();
    large.resize(4096, 0);
    let (status, problem) = upload(&app, &tenant.key, "image/png", &large).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(problem["code"], "payload_too_large");
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    let (status, asset) = upload(&app, &tenant.key, "image/gif", gif).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(asset["content_type"], "image/gif");
}
