//! Inbound mail against a real Dovecot: mailboxes configured through the
//! API, messages APPENDed over IMAP, the real worker polling them, and the
//! acknowledgements caught by Postfix's smtp-sink.

mod api;
mod automated;
mod flow;
mod kill;
mod resync;

use std::time::Duration;

use diesel::prelude::*;
use guestcare_db::{inbound::InboundMessage, schema::inbound_messages};
use guestcare_domain::settings::{MailTransport, Settings, SmtpSecurity};
use guestcare_tests::{TestApp, TestDb, app::settings_for, worker::eventually};
use serde_json::json;
use uuid::Uuid;

use crate::support::send;

/// The test settings with e-mail going to the sink on `smtp_port`
/// (`config/test.toml` keeps IDLE short so polls hand over quickly).
pub fn inbound_settings(db: &TestDb, smtp_port: u16) -> Settings {
    let mut settings = settings_for(db);
    settings.mail.transport = MailTransport::Smtp;
    settings.mail.smtp.host = "127.0.0.1".to_owned();
    settings.mail.smtp.port = smtp_port;
    settings.mail.smtp.security = SmtpSecurity::None;
    settings
}

/// Creates a mailbox for the Dovecot user `user` on `port`, polled every 2 s.
pub async fn create_mailbox(app: &TestApp, key: &str, port: u16, user: &str, folder: &str) -> Uuid {
    let (status, body) = send(app.post("/v1/mailboxes", key).json(&json!({
        "name": format!("{user} {folder}"),
        "purpose": "feedback",
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "username": user,
        "password": guestcare_tests::dovecot::PASSWORD,
        "folder": folder,
        "poll_interval_secs": 2,
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().parse().unwrap()
}

/// The tenant's inbound messages, oldest first.
pub fn stored(conn: &mut PgConnection, tenant_id: Uuid) -> Vec<InboundMessage> {
    inbound_messages::table
        .filter(inbound_messages::tenant_id.eq(tenant_id))
        .order(inbound_messages::uid.asc())
        .select(InboundMessage::as_select())
        .load(conn)
        .unwrap()
}

/// Waits until the tenant has `n` inbound messages; returns them.
pub fn wait_for_stored(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    n: usize,
    timeout: Duration,
) -> Vec<InboundMessage> {
    eventually(timeout, || {
        let found = stored(conn, tenant_id);
        (found.len() >= n).then_some(found)
    })
    .unwrap_or_else(|| {
        panic!(
            "expected {n} inbound messages, found {:?}",
            stored(conn, tenant_id).len()
        )
    })
}
