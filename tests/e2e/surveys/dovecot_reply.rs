//! A guest answers a survey by replying to the invitation: the reply lands
//! in the tenant's survey mailbox on a real Dovecot, the worker's
//! `poll_imap` reads it, and the answers count in the survey's results.

use std::time::Duration;

use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::pool_for,
    dovecot::Dovecot,
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use super::{
    assert_percentages_add_up, consenting_guest, create_survey, links_of, messages_of, results,
    run_send, segment, stay_survey,
};
use crate::{
    inbound::{create_mailbox, inbound_settings, wait_for_stored},
    support::send,
};

#[tokio::test]
async fn a_reply_through_the_survey_mailbox_is_counted_in_the_results() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let sink = SmtpSink::start(SinkMode::Accept);
    let settings = inbound_settings(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let key = &tenant.key;
    let lan = consenting_guest(
        &app,
        key,
        json!({ "full_name": "Nguyễn Thị Lan", "email": "lan@example.com", "nationality": "VN" }),
    )
    .await;
    let everyone = segment(&app, key, "Everyone", json!({ "and": [] })).await;
    let survey = create_survey(&app, key, stay_survey()).await;
    let (status, sent) = send(
        app.post(&format!("/v1/surveys/{survey}/sends"), key)
            .json(&json!({ "segment_id": everyone })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let send_id: Uuid = sent["id"].as_str().unwrap().parse().unwrap();
    run_send(&mut conn, &links_of(&settings), tenant.id, send_id);
    let invitation = messages_of(&app, key, &lan).await.remove(0);

    let dovecot = Dovecot::start(&["khaosat"]);
    let mailbox = create_mailbox(&app, key, dovecot.port, "khaosat", "INBOX").await;
    let (status, body) = send(
        app.patch(&format!("/v1/mailboxes/{mailbox}"), key)
            .json(&json!({ "purpose": "survey_replies" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let _worker = TestWorker::spawn(settings, pool_for(&db));

    let reply = format!(
        "From: =?UTF-8?Q?Nguy=E1=BB=85n_Th=E1=BB=8B_Lan?= <lan@example.com>\r\n\
         To: khaosat@sunrise.example.com\r\n\
         Subject: Re: {subject}\r\n\
         Message-ID: <reply-1@mail.example.com>\r\n\
         In-Reply-To: <{id}@guestcare.localhost>\r\n\
         References: <{id}@guestcare.localhost>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n\
         1: B\r\n2: A, C\r\n3: Tốt\r\n4: 5\r\n5: Phòng sạch, nhân viên thân thiện.\r\n\r\n\
         Vào Th 5, 3 thg 12, 2026 lúc 09:12 Resort sunrise đã viết:\r\n> {quoted}\r\n",
        subject = invitation["subject"].as_str().unwrap(),
        id = invitation["id"].as_str().unwrap(),
        quoted = invitation["body_text"]
            .as_str()
            .unwrap()
            .replace('\n', "\r\n> "),
    );
    dovecot.login("khaosat").append("INBOX", reply.as_bytes());
    let stored = wait_for_stored(&mut conn, tenant.id, 1, Duration::from_secs(30));
    assert_eq!(
        stored[0].disposition, "survey_reply",
        "{:?}",
        stored[0].note
    );
    assert!(stored[0].ticket_id.is_none(), "an answer is not a ticket");

    let results = results(&app, key, &survey, "?lang=en").await;
    let group = &results["groups"][0];
    assert_eq!(group["responses"], 1, "{results}");
    let counts = |n: usize| -> Vec<u64> {
        group["questions"][n]["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["count"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(counts(0), vec![0, 1, 0]);
    assert_eq!(counts(1), vec![1, 0, 1]);
    assert_eq!(counts(3), vec![0, 0, 0, 0, 1]);
    assert_eq!(
        group["questions"][4]["texts"],
        json!(["Phòng sạch, nhân viên thân thiện."])
    );
    assert_percentages_add_up(&results);
}
