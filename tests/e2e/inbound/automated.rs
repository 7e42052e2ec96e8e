//! Mail no guest wrote: a malformed or oversized message is quarantined
//! with its reason,
//! an auto-reply is kept but never answered, and a delivery failure report
//! marks our message bounced and suppresses its recipient — while the
//! mailbox keeps flowing and nothing is acknowledged.

use std::time::Duration;

use guestcare_db::suppressions::find_suppression;
use guestcare_domain::channels::{Channel, SuppressionReason};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::pool_for,
    dovecot::Dovecot,
    guest_mail as mail,
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};

use super::{create_mailbox, inbound_settings, wait_for_stored};
use crate::{
    channels::{queue_email, wait_for_message},
    support::send,
};

#[tokio::test]
async fn malformed_automated_and_bounced_mail_never_becomes_a_ticket() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "auto");
    let sink = SmtpSink::start(SinkMode::Accept);
    let mut settings = inbound_settings(&db, sink.port);
    settings.inbound.max_message_bytes = 4096;
    let app = TestApp::spawn_with(&db, settings.clone());
    let dovecot = Dovecot::start(&["gopy"]);
    let _worker = TestWorker::spawn(settings, pool_for(&db));

    let sent = queue_email(&mut conn, tenant.id, "gone@example.com", |_| {});
    wait_for_message(&app, &tenant.key, sent, &["sent"]).await;
    let mailbox = create_mailbox(&app, &tenant.key, dovecot.port, "gopy", "INBOX").await;
    let mut imap = dovecot.login("gopy");
    imap.append_all(
        "INBOX",
        &[
            mail::malformed(),
            mail::auto_reply("ooo-1"),
            mail::bounce(
                "dsn-1",
                &format!("{sent}@guestcare.localhost"),
                "gone@example.com",
            ),
            mail::bounce(
                "dsn-2",
                "0000-forged@elsewhere.example",
                "victim@example.com",
            ),
            [
                mail::plain("huge-1", "big@example.com", 1),
                b"x".repeat(8192),
            ]
            .concat(),
        ],
    );

    let stored = wait_for_stored(&mut conn, tenant.id, 5, Duration::from_secs(30));
    let summary: Vec<(&str, Option<&str>, Option<&str>)> = stored
        .iter()
        .map(|m| {
            (
                m.disposition.as_str(),
                m.quarantine_reason.as_deref(),
                m.note.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("quarantined", Some("unparseable"), None),
            ("ignored", None, Some("auto_submitted")),
            ("bounce", None, None),
            ("bounce", None, Some("unknown_original")),
            ("quarantined", Some("too_large"), None),
        ]
    );
    assert_eq!(stored[4].from_address.as_deref(), Some("big@example.com"));
    assert!(stored[4].size > 8192 && stored[4].body_text.is_none());
    assert!(
        stored
            .iter()
            .all(|m| m.ticket_id.is_none() && m.ack_message_id.is_none())
    );
    assert_eq!(stored[2].bounced_message_id, Some(sent));
    assert_eq!(stored[2].bounce_status.as_deref(), Some("5.1.1"));
    let message = wait_for_message(&app, &tenant.key, sent, &["bounced"]).await;
    assert!(message["last_error"].as_str().unwrap().contains("5.1.1"));
    assert_eq!(
        find_suppression(&mut conn, tenant.id, Channel::Email, "gone@example.com").unwrap(),
        Some(SuppressionReason::HardBounce)
    );
    assert_eq!(
        find_suppression(&mut conn, tenant.id, Channel::Email, "victim@example.com").unwrap(),
        None
    );
    assert_eq!(imap.search("INBOX", "UNSEEN"), Vec::<u32>::new());
    let (status, listed) = send(app.get(
        &format!("/v1/mailboxes/{mailbox}/messages?disposition=quarantined"),
        &tenant.key,
    ))
    .await;
    assert_eq!(status, 200, "{listed}");
    let items = listed["items"].as_array().unwrap();
    let reasons: Vec<&str> = items
        .iter()
        .map(|i| i["quarantine_reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["too_large", "unparseable"]);
    let (status, problem) = send(app.get(
        &format!("/v1/mailboxes/{mailbox}/messages?disposition=lost"),
        &tenant.key,
    ))
    .await;
    assert_eq!(status, 422, "{problem}");
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        sink.messages().len(),
        1,
        "only the original message was sent"
    );
}

#[tokio::test]
async fn mail_in_a_survey_mailbox_that_answers_no_invitation_is_ordinary_mail() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "survey");
    let sink = SmtpSink::start(SinkMode::Accept);
    let settings = inbound_settings(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let dovecot = Dovecot::start(&["khaosat"]);
    let mailbox = create_mailbox(&app, &tenant.key, dovecot.port, "khaosat", "INBOX").await;
    let (status, body) = send(
        app.patch(&format!("/v1/mailboxes/{mailbox}"), &tenant.key)
            .json(&serde_json::json!({ "purpose": "survey_replies" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    dovecot
        .login("khaosat")
        .append("INBOX", &mail::plain("s-1", "an@example.com", 1));
    let stored = wait_for_stored(&mut conn, tenant.id, 1, Duration::from_secs(30));
    assert_eq!(stored[0].disposition, "ticket");
    assert!(stored[0].ticket_id.is_some());
}
