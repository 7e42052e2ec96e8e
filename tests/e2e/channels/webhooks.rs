//! Webhooks: signed deliveries a receiver can verify, the delivery log, the
//! SSRF guard, and endpoints disabled after failing too long.

use std::time::Duration;

use guestcare_domain::channels::signature::WebhookSecret;
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::{pool_for, settings_for},
    http_stub::{HttpStub, Recorded},
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use serde_json::{Value, json};

use super::{Mailroom, poll_get, queue_email, send, settings_with_sink, wait_for_message};

/// Verifies a delivery as a receiver would, with the endpoint's secret.
pub(super) fn verified(request: &Recorded, secret: &str) -> bool {
    let secret = WebhookSecret::parse(secret).unwrap();
    let id = request.header("webhook-id").unwrap();
    let timestamp: i64 = request
        .header("webhook-timestamp")
        .unwrap()
        .parse()
        .unwrap();
    assert!((chrono::Utc::now().timestamp() - timestamp).abs() < 300);
    secret.verify(
        id,
        timestamp,
        &request.body,
        request.header("webhook-signature").unwrap(),
    )
}

pub(super) async fn create_endpoint(app: &TestApp, key: &str, url: &str, events: &[&str]) -> Value {
    let (status, endpoint) = send(
        app.post("/v1/webhooks", key)
            .json(&json!({ "url": url, "description": "PMS bridge", "event_types": events })),
    )
    .await;
    assert_eq!(status, 201, "{endpoint}");
    endpoint
}

#[tokio::test]
async fn deliveries_are_signed_logged_and_verifiable_after_rotation() {
    let receiver = HttpStub::start(vec![(204, "")]);
    let Mailroom {
        app,
        sink: _sink,
        settings,
        tenant,
        mut conn,
        db,
    } = Mailroom::open("sunrise");
    let endpoint = create_endpoint(
        &app,
        &tenant.key,
        &receiver.url("/hooks"),
        &["message.sent"],
    )
    .await;
    let id = endpoint["id"].as_str().unwrap().to_owned();
    let secret = endpoint["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let (_, shown) = send(app.get(&format!("/v1/webhooks/{id}"), &tenant.key)).await;
    assert!(shown.get("secret").is_none(), "the secret is shown once");

    let (status, ping) = send(app.post(&format!("/v1/webhooks/{id}/ping"), &tenant.key)).await;
    assert_eq!(status, 202);
    let message = queue_email(&mut conn, tenant.id, "lan@example.com", |_| {});
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    wait_for_message(&app, &tenant.key, message, &["sent"]).await;
    let requests = receiver.wait_for(2, Duration::from_secs(20));
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert!(
            verified(request, &secret),
            "signature of {}",
            request.text()
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
    }
    let bodies: Vec<Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let sent = bodies
        .iter()
        .find(|b| b["type"] == "message.sent")
        .expect("message.sent");
    assert_eq!(sent["data"]["id"], message.to_string());
    assert_eq!(sent["data"]["status"], "sent");
    assert!(
        !sent.to_string().contains("lan@example.com"),
        "no address in events"
    );
    assert!(bodies.iter().any(|b| b["type"] == "webhook.ping"));

    let (status, log) = send(app.get(&format!("/v1/webhooks/{id}/deliveries"), &tenant.key)).await;
    assert_eq!(status, 200);
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .all(|d| d["status"] == "succeeded" && d["last_status_code"] == 204)
    );
    assert!(items.iter().any(|d| d["id"] == ping["delivery_id"]));

    // A rotated secret signs what follows; the old one no longer verifies.
    let (status, rotated) =
        send(app.post(&format!("/v1/webhooks/{id}/rotate-secret"), &tenant.key)).await;
    assert_eq!(status, 200);
    let new_secret = rotated["secret"].as_str().unwrap();
    assert_ne!(new_secret, secret);
    send(app.post(&format!("/v1/webhooks/{id}/ping"), &tenant.key)).await;
    let requests = receiver.wait_for(3, Duration::from_secs(20));
    assert!(verified(&requests[2], new_secret));
    assert!(!verified(&requests[2], &secret));
}

#[tokio::test]
async fn private_targets_are_refused_at_registration_and_at_delivery() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let receiver = HttpStub::start(vec![(200, "{}")]);
    let mut settings = settings_for(&db);
    settings.security.webhook_allow_hosts = Vec::new();
    let app = TestApp::spawn_with(&db, settings.clone());
    for (url, code) in [
        ("ftp://hooks.example.com/in", "invalid_scheme"),
        (
            "http://169.254.169.254/latest/meta-data",
            "forbidden_address",
        ),
        ("http://[fd00:ec2::254]/", "forbidden_address"),
        ("http://127.0.0.1:9/", "forbidden_address"),
        ("not a url", "invalid_url"),
    ] {
        let (status, problem) = send(
            app.post("/v1/webhooks", &tenant.key)
                .json(&json!({ "url": url, "event_types": ["guest.created"] })),
        )
        .await;
        assert_eq!(status, 422, "{url}");
        assert_eq!(problem["errors"][0]["field"], "url");
        assert_eq!(problem["errors"][0]["code"], code, "{url}");
    }
    let (status, problem) =
        send(app.post("/v1/webhooks", &tenant.key).json(
            &json!({ "url": "https://hooks.example.com/in", "event_types": ["guest.eaten"] }),
        ))
        .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "event_types[0]");

    // A name is resolved only when delivering: localhost resolves to
    // loopback, which the guard refuses.
    let port = receiver.base_url.rsplit(':').next().unwrap();
    let endpoint = create_endpoint(
        &app,
        &tenant.key,
        &format!("http://localhost:{port}/hooks"),
        &["guest.created"],
    )
    .await;
    let id = endpoint["id"].as_str().unwrap();
    send(app.post(&format!("/v1/webhooks/{id}/ping"), &tenant.key)).await;
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let path = format!("/v1/webhooks/{id}/deliveries");
    let delivery = poll_get(&app, &tenant.key, &path, |log| {
        let first = &log["items"][0];
        (first["attempts"].as_i64() >= Some(1)).then(|| first.clone())
    })
    .await;
    assert!(
        delivery["last_error"].as_str().unwrap().contains("refused"),
        "{delivery}"
    );
    assert_eq!(delivery["last_status_code"], Value::Null);
    assert!(receiver.requests().is_empty());
}

#[tokio::test]
async fn an_endpoint_failing_too_long_is_disabled_and_the_owners_are_told() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let receiver = HttpStub::start(vec![(500, r#"{"error": "down"}"#)]);
    let sink = SmtpSink::start(SinkMode::Accept);
    let mut settings = settings_with_sink(&db, sink.port);
    settings.worker.webhook_disable_after_hours = 0.0005; // 1.8 seconds
    let app = TestApp::spawn_with(&db, settings.clone());
    let endpoint = create_endpoint(
        &app,
        &tenant.key,
        &receiver.url("/hooks"),
        &["guest.created"],
    )
    .await;
    let id = endpoint["id"].as_str().unwrap().to_owned();
    let guest = guestcare_db::new_id();
    guestcare_db::webhooks::emit_event(
        &mut conn,
        tenant.id,
        "guest.created",
        &json!({ "id": guest }),
    )
    .unwrap();
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let path = format!("/v1/webhooks/{id}");
    let disabled = poll_get(&app, &tenant.key, &path, |view| {
        (view["status"] == "disabled").then(|| view.clone())
    })
    .await;
    assert!(
        disabled["disabled_reason"]
            .as_str()
            .unwrap()
            .contains("failing since")
    );
    assert!(receiver.requests().len() >= 2);

    let (_, list) = send(app.get("/v1/messages?channel=email", &tenant.key)).await;
    let notice = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["purpose"] == "webhook_disabled")
        .expect("a notice to the owner")
        .clone();
    assert_eq!(notice["recipient"], tenant.owner_email);
    assert_eq!(notice["subject"], "Điểm nhận webhook đã bị tắt");
    assert!(
        notice["body_text"]
            .as_str()
            .unwrap()
            .contains(&receiver.url("/hooks"))
    );
    let id = notice["id"].as_str().unwrap().parse().unwrap();
    wait_for_message(&app, &tenant.key, id, &["sent"]).await;
    let mail = &sink.wait_for(1, Duration::from_secs(5))[0];
    assert!(mail.contains(&format!("X-Rcpt-Args: <{}>", tenant.owner_email)));

    // Re-enabling clears the failure run.
    let (status, view) = send(
        app.patch(
            &format!("/v1/webhooks/{}", endpoint["id"].as_str().unwrap()),
            &tenant.key,
        )
        .json(&json!({ "status": "active" })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(view["disabled_reason"], Value::Null);
    assert_eq!(view["failing_since"], Value::Null);
}
