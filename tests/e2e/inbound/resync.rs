//! The cursor survives what servers do: a folder deleted and re-created
//! (a new UIDVALIDITY, the same mail appended again) is resynced without a
//! duplicate, and processed mail is moved where the mailbox says.

use std::time::Duration;

use guestcare_db::mailboxes::get_mailbox;
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::pool_for,
    dovecot::Dovecot,
    guest_mail as mail,
    smtp_sink::{SinkMode, SmtpSink},
    worker::{TestWorker, eventually},
};
use serde_json::json;

use super::{create_mailbox, inbound_settings, stored, wait_for_stored};
use crate::support::send;

#[tokio::test]
async fn a_new_uidvalidity_resyncs_without_duplicates_and_processed_mail_moves() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "resync");
    let sink = SmtpSink::start(SinkMode::Accept);
    let settings = inbound_settings(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let dovecot = Dovecot::start(&["gopy"]);
    let mut imap = dovecot.login("gopy");
    imap.command("CREATE Feedback");
    imap.command("CREATE Processed");
    let id = create_mailbox(&app, &tenant.key, dovecot.port, "gopy", "Feedback").await;
    let (status, body) = send(app.patch(&format!("/v1/mailboxes/{id}"), &tenant.key).json(
        &json!({
            "processed_action": "move", "processed_folder": "Processed"
        }),
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let first = [
        mail::plain("r-1", "an@example.com", 1),
        mail::plain("r-2", "binh@example.com", 2),
    ];
    imap.append_all("Feedback", &first);
    wait_for_stored(&mut conn, tenant.id, 2, Duration::from_secs(30));
    let before = get_mailbox(&mut conn, tenant.id, id).unwrap();
    assert_eq!(before.last_uid, 2);

    imap.command("DELETE Feedback");
    imap.command("CREATE Feedback");
    let mut again = first.to_vec();
    again.push(mail::plain("r-3", "chi@example.com", 3));
    // A fresh session: Dovecot's caches of the deleted folder stay with the old one.
    let mut imap = dovecot.login("gopy");
    imap.append_all("Feedback", &again);
    let after = eventually(Duration::from_secs(30), || {
        let m = get_mailbox(&mut conn, tenant.id, id).unwrap();
        // Deleting the selected folder drops the polling connection: that
        // poll records the error, the next one resyncs and clears it.
        (m.uid_validity != before.uid_validity && m.last_uid == 3 && m.last_error.is_none())
            .then_some(m)
    })
    .expect("the mailbox resynced");
    assert_eq!(after.last_uid, 3);
    let all = stored(&mut conn, tenant.id);
    let ids: Vec<&str> = all.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "r-1@mail.example.com",
            "r-2@mail.example.com",
            "r-3@mail.example.com"
        ]
    );
    assert!(all.iter().all(|m| m.disposition == "ticket"));
    assert_eq!(sink.wait_for(3, Duration::from_secs(20)).len(), 3);
    let mut check = dovecot.login("gopy");
    assert_eq!(check.search("Feedback", "ALL"), Vec::<u32>::new());
    assert_eq!(check.search("Processed", "ALL").len(), 5);
}
