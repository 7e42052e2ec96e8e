//! E-mail: what reaches the SMTP server, and what 4xx and 5xx replies do.

use std::time::Duration;

use guestcare_db::messages::NewMessagePart;
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::pool_for,
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use serde_json::Value;

use super::{Mailroom, queue_email, queue_with_parts, send, settings_with_sink, wait_for_message};

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];

#[tokio::test]
async fn a_marketing_email_arrives_with_its_headers_parts_and_inline_image() {
    let Mailroom {
        app,
        sink,
        settings,
        tenant,
        mut conn,
        db,
    } = Mailroom::open("sunrise");
    let (status, _) = send(app.put("/v1/channels/settings", &tenant.key).json(
        &serde_json::json!({
            "mail_from": "Sunrise Resort <care@sunrise.example.com>",
            "mail_domain": "sunrise.example.com",
        }),
    ))
    .await;
    assert_eq!(status, 200);
    let parts = [
        NewMessagePart {
            content_id: Some("logo".to_owned()),
            filename: "logo.png".to_owned(),
            content_type: "image/png".to_owned(),
            data: PNG.to_vec(),
        },
        NewMessagePart {
            content_id: None,
            filename: "thuc-don.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            data: b"%PDF-1.4 menu".to_vec(),
        },
    ];
    let id = queue_with_parts(
        &mut conn,
        tenant.id,
        "lan.nguyen@example.com",
        |m| {
            m.purpose = "promotion".to_owned();
            m.category = "marketing".to_owned();
            m.subject = Some("Ưu đãi mùa lễ hội".to_owned());
            m.body_html = Some("<p>Xin chào chị Lan</p><img src=\"cid:logo\">".to_owned());
            m.unsubscribe_url = Some("https://sunrise.example.com/u/abc".to_owned());
        },
        &parts,
    );
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let message = wait_for_message(&app, &tenant.key, id, &["sent"]).await;
    assert_eq!(message["attempts"], 1);
    assert!(message["provider_id"].as_str().unwrap().contains("Ok"));

    let received = sink.wait_for(1, Duration::from_secs(5));
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert!(
        mail.contains("X-Rcpt-Args: <lan.nguyen@example.com>"),
        "{mail}"
    );
    assert!(mail.contains(&format!("Message-ID: <{id}@sunrise.example.com>")));
    assert!(mail.contains("From: \"Sunrise Resort\" <care@sunrise.example.com>"));
    assert!(mail.contains("List-Unsubscribe: <https://sunrise.example.com/u/abc>"));
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(mail.contains("X-Loop: guestcare@guestcare.localhost"));
    assert!(!mail.contains("Auto-Submitted"));
    for part in [
        "multipart/mixed",
        "multipart/alternative",
        "multipart/related",
        "text/plain",
        "text/html",
        "Content-ID: <logo>",
        "image/png",
        "filename=\"thuc-don.pdf\"",
    ] {
        assert!(mail.contains(part), "missing {part} in {mail}");
    }
}

/// A fresh RSA key in PKCS#1 PEM, made by openssl.
fn rsa_key() -> String {
    let out = std::process::Command::new("openssl")
        .args(["genrsa", "-traditional", "1024"])
        .output()
        .expect("openssl");
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn an_automatic_reply_is_marked_auto_submitted_and_dkim_signed() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let sink = SmtpSink::start(SinkMode::Accept);
    let mut settings = settings_with_sink(&db, sink.port);
    settings.mail.dkim.domain = "lotus.example.com".to_owned();
    settings.mail.dkim.selector = "gc2026".to_owned();
    settings.mail.dkim.private_key = rsa_key().into();
    let app = TestApp::spawn_with(&db, settings.clone());
    let id = queue_email(&mut conn, tenant.id, "guest@example.com", |m| {
        m.category = "auto_reply".to_owned();
    });
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    wait_for_message(&app, &tenant.key, id, &["sent"]).await;
    let mail = &sink.wait_for(1, Duration::from_secs(5))[0];
    assert!(mail.contains("Auto-Submitted: auto-replied"));
    assert!(mail.contains(&format!("Message-ID: <{id}@guestcare.localhost>")));
    assert!(
        mail.contains("DKIM-Signature: v=1; a=rsa-sha256; d=lotus.example.com; s=gc2026;"),
        "{mail}"
    );
    assert!(!mail.contains("List-Unsubscribe"));
}

#[tokio::test]
async fn a_soft_rejection_is_retried_until_the_server_accepts() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let refusing = SmtpSink::start(SinkMode::SoftRejectRcpt);
    let port = refusing.port;
    let settings = settings_with_sink(&db, port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let id = queue_email(&mut conn, tenant.id, "guest@example.com", |_| {});
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let retried: Value = loop {
        let (_, message) = send(app.get(&format!("/v1/messages/{id}"), &tenant.key)).await;
        if message["attempts"].as_i64() >= Some(1) {
            break message;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no attempt: {message}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(retried["status"], "queued");
    assert!(
        retried["last_error"].as_str().unwrap().contains("450"),
        "{retried}"
    );
    drop(refusing);
    let accepting = SmtpSink::start_on(port, SinkMode::Accept);
    let message = wait_for_message(&app, &tenant.key, id, &["sent"]).await;
    assert!(message["attempts"].as_i64().unwrap() >= 2);
    assert_eq!(accepting.wait_for(1, Duration::from_secs(5)).len(), 1);
}

#[tokio::test]
async fn a_hard_rejection_fails_the_message_and_suppresses_the_address() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let sink = SmtpSink::start(SinkMode::HardRejectRcpt);
    let settings = settings_with_sink(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let first = queue_email(&mut conn, tenant.id, "gone@example.com", |_| {});
    let invalid = queue_email(&mut conn, tenant.id, "not an address", |_| {});
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let failed = wait_for_message(&app, &tenant.key, first, &["failed", "sent"]).await;
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["attempts"], 1);
    assert!(
        failed["last_error"].as_str().unwrap().contains("550"),
        "{failed}"
    );
    let invalid = wait_for_message(&app, &tenant.key, invalid, &["failed", "sent"]).await;
    assert_eq!(invalid["last_error"], "invalid recipient address");
    assert_eq!(invalid["attempts"], 1);

    // The address is now suppressed: the next message is not sent, and says why.
    let second = queue_email(&mut conn, tenant.id, "Gone@Example.com", |_| {});
    let suppressed =
        wait_for_message(&app, &tenant.key, second, &["suppressed", "sent", "failed"]).await;
    assert_eq!(suppressed["status"], "suppressed");
    assert_eq!(suppressed["suppression_reason"], "hard_bounce");

    let (status, list) =
        send(app.get("/v1/messages?status=failed&channel=email", &tenant.key)).await;
    assert_eq!(status, 200);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let (status, problem) = send(app.get("/v1/messages?status=lost", &tenant.key)).await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "query.status");
}

#[tokio::test]
async fn a_tenant_with_its_own_smtp_server_sends_through_it() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let other = TestTenant::create(&mut conn, "other");
    let system = SmtpSink::start(SinkMode::Accept);
    let own = SmtpSink::start(SinkMode::Accept);
    let settings = settings_with_sink(&db, system.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let (status, problem) = send(app.put("/v1/channels/settings", &tenant.key).json(
        &serde_json::json!({
            "smtp": { "host": "smtp.lotus.example.com", "port": 25, "security": "none" },
        }),
    ))
    .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "smtp.security");
    let (status, view) = send(app.put("/v1/channels/settings", &tenant.key).json(
        &serde_json::json!({
            "smtp": {
                "host": "127.0.0.1", "port": own.port, "security": "none",
                "username": "lotus", "password": "mật-khẩu-smtp"
            },
            "mail_from": "Lotus <care@lotus.example.com>",
        }),
    ))
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["smtp"]["password_set"], true);
    assert!(!view.to_string().contains("mật-khẩu-smtp"));
    let mine = queue_email(&mut conn, tenant.id, "guest@example.com", |_| {});
    let theirs = queue_email(&mut conn, other.id, "guest@example.com", |_| {});
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    wait_for_message(&app, &tenant.key, mine, &["sent"]).await;
    wait_for_message(&app, &other.key, theirs, &["sent"]).await;
    let through_own = own.wait_for(1, Duration::from_secs(5));
    assert_eq!(through_own.len(), 1);
    assert!(
        through_own[0].contains("From: Lotus <care@lotus.example.com>"),
        "{}",
        through_own[0]
    );
    let through_system = system.wait_for(1, Duration::from_secs(5));
    assert_eq!(through_system.len(), 1);
    assert!(through_system[0].contains(&format!("Message-ID: <{theirs}@")));
}
