//! The development transports of `guestcare dev`: an outbox folder of
//! `.eml` files and a JSON-lines SMS log.

use guestcare_domain::settings::{MailTransport, SmsTransport};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::{pool_for, settings_for},
    worker::TestWorker,
};
use serde_json::Value;

use super::{queue_email, wait_for_message};

#[tokio::test]
async fn mail_goes_to_the_outbox_and_sms_to_the_log_file() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let folder = std::env::temp_dir().join(format!("gc-dev-transports-{}", tenant.id));
    let mut settings = settings_for(&db);
    settings.mail.transport = MailTransport::Outbox;
    settings.mail.outbox_dir = folder.join("outbox");
    settings.sms.transport = SmsTransport::Log;
    settings.sms.log_path = folder.join("sms.log");
    let app = TestApp::spawn_with(&db, settings.clone());
    let email = queue_email(&mut conn, tenant.id, "lan@example.com", |_| {});
    let sms = queue_email(&mut conn, tenant.id, "+84912345678", |m| {
        m.channel = "sms".to_owned();
        m.subject = None;
        m.body_text = "Hẹn gặp lại chị Lan!".to_owned();
        m.time_zone = Some("UTC".to_owned());
    });
    // Allowed all day, so the SMS does not wait for morning.
    app.put("/v1/channels/settings", &tenant.key)
        .json(&serde_json::json!({ "allowed_hours": { "start": "00:00", "end": "00:00" } }))
        .send()
        .await
        .unwrap();
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let sent = wait_for_message(&app, &tenant.key, email, &["sent", "failed"]).await;
    assert_eq!(sent["provider_id"], format!("{email}.eml"));
    let eml = std::fs::read_to_string(folder.join("outbox").join(format!("{email}.eml"))).unwrap();
    assert!(eml.contains(&format!("Message-ID: <{email}@guestcare.localhost>")));
    let sent = wait_for_message(&app, &tenant.key, sms, &["sent", "failed"]).await;
    assert_eq!(sent["status"], "sent", "{sent}");
    let log = std::fs::read_to_string(folder.join("sms.log")).unwrap();
    let line: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(line["reference"], sms.to_string());
    assert_eq!(line["text"], "Hẹn gặp lại chị Lan!");
    let _ = std::fs::remove_dir_all(&folder);
}
