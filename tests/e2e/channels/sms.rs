//! SMS through a Twilio-compatible API and a configurable HTTP gateway
//! (both played by a local HTTP server), and quiet hours.

use std::time::Duration;

use base64::Engine;
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::{pool_for, settings_for},
    http_stub::HttpStub,
    worker::TestWorker,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{queue_email, send, wait_for_message};

fn queue_sms(conn: &mut diesel::PgConnection, tenant_id: Uuid, to: &str) -> Uuid {
    queue_email(conn, tenant_id, to, |m| {
        m.channel = "sms".to_owned();
        m.subject = None;
        m.body_text = "Sunrise: Cảm ơn chị Lan đã lưu trú!".to_owned();
    })
}

/// Allowed hours that include every moment, so tests never wait.
fn all_day() -> Value {
    json!({ "start": "00:00", "end": "00:00" })
}

#[tokio::test]
async fn twilio_compatible_api_receives_a_form_with_basic_auth() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let gateway = HttpStub::start(vec![(
        201,
        r#"{"sid": "SM0123456789", "status": "queued"}"#,
    )]);
    let settings = settings_for(&db);
    let app = TestApp::spawn_with(&db, settings.clone());
    let (status, view) = send(app.put("/v1/channels/settings", &tenant.key).json(&json!({
        "sms": {
            "provider": "twilio",
            "config": { "base_url": gateway.base_url, "account_sid": "AC42", "from": "+15005550006" },
            "secret": "twilio-token"
        },
        "allowed_hours": all_day(),
    })))
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["sms"]["secret_set"], true);
    assert!(!view.to_string().contains("twilio-token"));
    let id = queue_sms(&mut conn, tenant.id, "+84912345678");
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let message = wait_for_message(&app, &tenant.key, id, &["sent", "failed"]).await;
    assert_eq!(message["status"], "sent", "{message}");
    assert_eq!(message["provider_id"], "SM0123456789");
    let requests = gateway.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "/2010-04-01/Accounts/AC42/Messages.json");
    let credentials = base64::engine::general_purpose::STANDARD.encode("AC42:twilio-token");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Basic {credentials}").as_str())
    );
    let form: Vec<(String, String)> = form_urlencoded::parse(&request.body).into_owned().collect();
    assert!(form.contains(&("To".to_owned(), "+84912345678".to_owned())));
    assert!(form.contains(&("From".to_owned(), "+15005550006".to_owned())));
    assert!(form.contains(&(
        "Body".to_owned(),
        "Sunrise: Cảm ơn chị Lan đã lưu trú!".to_owned()
    )));
}

fn gateway_settings(url: &str) -> Value {
    json!({
        "sms": {
            "provider": "http",
            "config": {
                "url": url,
                "method": "post",
                "body_format": "json",
                "body_template": r#"{"Phone": "{to}", "Content": "{text}", "RequestId": "{reference}", "Brandname": "SUNRISE"}"#,
                "auth_header": "X-Api-Key",
                "success_status": 200,
                "success_pointer": "/CodeResult",
                "success_value": "100",
                "id_pointer": "/SMSID"
            },
            "secret": "gateway-key"
        },
        "allowed_hours": all_day(),
    })
}

#[tokio::test]
async fn a_brandname_gateway_outage_is_retried_and_the_reference_is_the_message_id() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let gateway = HttpStub::start(vec![
        (503, r#"{"error": "maintenance"}"#),
        (200, r#"{"CodeResult": "100", "SMSID": "vn-77"}"#),
    ]);
    let settings = settings_for(&db);
    let app = TestApp::spawn_with(&db, settings.clone());
    let (status, _) = send(
        app.put("/v1/channels/settings", &tenant.key)
            .json(&gateway_settings(&gateway.url("/api/send"))),
    )
    .await;
    assert_eq!(status, 200);
    let id = queue_sms(&mut conn, tenant.id, "+84912345678");
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let message = wait_for_message(&app, &tenant.key, id, &["sent", "failed"]).await;
    assert_eq!(message["status"], "sent", "{message}");
    assert_eq!(message["provider_id"], "vn-77");
    assert_eq!(message["attempts"], 2);
    let requests = gateway.requests();
    assert_eq!(requests.len(), 2);
    let body: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(body["Phone"], "+84912345678");
    assert_eq!(body["Content"], "Sunrise: Cảm ơn chị Lan đã lưu trú!");
    assert_eq!(body["RequestId"], id.to_string());
    assert_eq!(
        requests[0].body, requests[1].body,
        "a retry sends the same reference"
    );
    assert_eq!(requests[1].header("x-api-key"), Some("gateway-key"));
}

#[tokio::test]
async fn a_gateway_refusal_fails_the_message_at_once() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let gateway = HttpStub::start(vec![(400, r#"{"CodeResult": "104"}"#)]);
    let settings = settings_for(&db);
    let app = TestApp::spawn_with(&db, settings.clone());
    send(
        app.put("/v1/channels/settings", &tenant.key)
            .json(&gateway_settings(&gateway.url("/api/send"))),
    )
    .await;
    let id = queue_sms(&mut conn, tenant.id, "+84912345678");
    let bad_number = queue_sms(&mut conn, tenant.id, "0912 345 678");
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let message = wait_for_message(&app, &tenant.key, id, &["sent", "failed"]).await;
    assert_eq!(message["status"], "failed");
    assert_eq!(message["attempts"], 1);
    assert!(
        message["last_error"].as_str().unwrap().contains("400"),
        "{message}"
    );
    let bad = wait_for_message(&app, &tenant.key, bad_number, &["sent", "failed"]).await;
    assert_eq!(bad["last_error"], "invalid phone number");
    assert_eq!(gateway.requests().len(), 1);
}

#[tokio::test]
async fn an_sms_due_in_quiet_hours_waits_for_the_allowed_window() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let gateway = HttpStub::start(vec![(200, r#"{"CodeResult": "100"}"#)]);
    let settings = settings_for(&db);
    let app = TestApp::spawn_with(&db, settings.clone());
    // A one-minute window twelve hours from now, in the guest's zone.
    let tz: chrono_tz::Tz = "America/New_York".parse().unwrap();
    let opens = (chrono::Utc::now() + chrono::Duration::hours(12)).with_timezone(&tz);
    let start = opens.format("%H:%M").to_string();
    let end = (opens + chrono::Duration::minutes(1))
        .format("%H:%M")
        .to_string();
    let mut body = gateway_settings(&gateway.url("/api/send"));
    body["allowed_hours"] = json!({ "start": start, "end": end });
    let (status, view) = send(app.put("/v1/channels/settings", &tenant.key).json(&body)).await;
    assert_eq!(status, 200);
    assert_eq!(view["allowed_hours"]["start"], start);
    let id = queue_email(&mut conn, tenant.id, "+12125550100", |m| {
        m.channel = "sms".to_owned();
        m.subject = None;
        m.time_zone = Some("America/New_York".to_owned());
    });
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let deferred = guestcare_tests::worker::eventually(Duration::from_secs(20), || {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Due {
            #[diesel(sql_type = diesel::sql_types::Timestamptz)]
            run_at: chrono::DateTime<chrono::Utc>,
        }
        let due: Vec<Due> = diesel::sql_query(
            "SELECT run_at FROM jobs WHERE kind = 'send_sms' AND status = 'pending' AND run_at > now() + interval '1 hour' AND payload->>'message_id' = $1",
        )
        .bind::<diesel::sql_types::Text, _>(id.to_string())
        .load(&mut conn)
        .unwrap();
        due.into_iter().next().map(|d| d.run_at)
    })
    .expect("the SMS is scheduled again");
    let expected = opens.with_timezone(&chrono::Utc);
    assert!(
        (deferred - expected).num_seconds().abs() <= 60,
        "{deferred} vs {expected}"
    );
    let (_, message) = send(app.get(&format!("/v1/messages/{id}"), &tenant.key)).await;
    assert_eq!(message["status"], "queued");
    assert!(gateway.requests().is_empty());
}
