//! Outbound channels against real servers: e-mail through Postfix's
//! `smtp-sink`, SMS and webhooks through a local HTTP server, sent by the
//! real worker.

mod batch;
mod cap;
mod dev;
mod email;
mod guest_events;
mod send_api;
mod sending;
mod short_links;
mod sms;
mod unsubscribe;
mod webhooks;

use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection};
use guestcare_db::{
    messages::{self, NewMessage, NewMessagePart},
    new_id,
};
use guestcare_domain::settings::{MailTransport, Settings, SmtpSecurity};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::{pool_for, settings_for},
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::Value;
use uuid::Uuid;

/// Test settings with mail going to an `smtp-sink` on `port`.
pub(crate) fn settings_with_sink(db: &TestDb, port: u16) -> Settings {
    let mut settings = settings_for(db);
    settings.mail.transport = MailTransport::Smtp;
    settings.mail.smtp.host = "127.0.0.1".to_owned();
    settings.mail.smtp.port = port;
    settings.mail.smtp.security = SmtpSecurity::None;
    settings
}

/// A tenant whose mail goes to an accepting `smtp-sink`, and the API.
/// Fields drop in order: the API before the database.
struct Mailroom {
    app: TestApp,
    sink: SmtpSink,
    settings: Settings,
    tenant: TestTenant,
    conn: PgConnection,
    db: TestDb,
}

impl Mailroom {
    fn open(slug: &str) -> Mailroom {
        let db = TestDb::new();
        let mut conn = db.connect();
        let tenant = TestTenant::create(&mut conn, slug);
        let sink = SmtpSink::start(SinkMode::Accept);
        let settings = settings_with_sink(&db, sink.port);
        let app = TestApp::spawn_with(&db, settings.clone());
        Mailroom {
            app,
            sink,
            settings,
            tenant,
            conn,
            db,
        }
    }

    /// The real worker, sending through the sink.
    fn worker(&self) -> TestWorker {
        TestWorker::spawn(self.settings.clone(), pool_for(&self.db))
    }
}

/// A service e-mail to `to`, adjusted by `edit`, queued with its send job.
pub fn queue_email(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    to: &str,
    edit: impl FnOnce(&mut NewMessage),
) -> Uuid {
    queue_with_parts(conn, tenant_id, to, edit, &[])
}

fn queue_with_parts(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    to: &str,
    edit: impl FnOnce(&mut NewMessage),
    parts: &[NewMessagePart],
) -> Uuid {
    let mut message = service_email(tenant_id, to);
    edit(&mut message);
    conn.transaction(|conn| messages::queue_message(conn, &message, parts, None))
        .unwrap()
        .id
}

/// A Vietnamese service e-mail to `to`, not yet queued.
fn service_email(tenant_id: Uuid, to: &str) -> NewMessage {
    NewMessage {
        id: new_id(),
        tenant_id,
        guest_id: Some(new_id()),
        channel: "email".to_owned(),
        purpose: "feedback_ack".to_owned(),
        category: "service".to_owned(),
        template_key: None,
        language: Some("vi".to_owned()),
        recipient: to.to_owned(),
        time_zone: None,
        subject: Some("Cảm ơn quý khách đã góp ý".to_owned()),
        body_text: "Xin chào chị Lan,\nCảm ơn chị đã góp ý.".to_owned(),
        body_html: None,
        unsubscribe_url: None,
        parts_of: None,
        dedupe_key: None,
    }
}

pub(crate) async fn send(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Polls `GET /v1/messages/{id}` until its status is one of `statuses`.
pub(crate) async fn wait_for_message(
    app: &TestApp,
    key: &str,
    id: Uuid,
    statuses: &[&str],
) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, message) = send(app.get(&format!("/v1/messages/{id}"), key)).await;
        assert_eq!(status, StatusCode::OK);
        if statuses.contains(&message["status"].as_str().unwrap_or_default()) {
            return message;
        }
        assert!(Instant::now() < deadline, "message stayed {message}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls `GET path` until `done` picks something from the answer.
pub(crate) async fn poll_get<T>(
    app: &TestApp,
    key: &str,
    path: &str,
    mut done: impl FnMut(&Value) -> Option<T>,
) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, body) = send(app.get(path, key)).await;
        if let Some(found) = done(&body) {
            return found;
        }
        assert!(Instant::now() < deadline, "{path} stayed {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
