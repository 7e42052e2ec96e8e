//! `send_email_batch`: many e-mails queued in one statement and sent by one
//! job, sharing one stored copy of their images, each sent once.

use std::time::Duration;

use diesel::Connection;
use guestcare_db::{
    messages::{self, NewMessagePart},
    suppressions,
};
use guestcare_domain::channels::{Channel, SuppressionReason};

use super::{Mailroom, queue_with_parts, send, service_email, wait_for_message};

#[tokio::test]
async fn a_batch_sends_each_message_once_with_the_shared_image_and_skips_suppressed_addresses() {
    let mut room = Mailroom::open("sunrise");
    let (tenant, conn) = (&room.tenant, &mut room.conn);
    let villa = NewMessagePart {
        content_id: Some("villa".to_owned()),
        filename: "villa.jpg".to_owned(),
        content_type: "image/jpeg".to_owned(),
        data: b"\xff\xd8\xff\xe0 villa by the sea".to_vec(),
    };
    let first = queue_with_parts(
        conn,
        tenant.id,
        "first@example.com",
        |m| m.body_html = Some("<img src=\"cid:villa\">".to_owned()),
        &[villa],
    );
    suppressions::insert_suppression(
        conn,
        tenant.id,
        Channel::Email,
        "gone@example.com",
        SuppressionReason::HardBounce,
    )
    .unwrap();
    let batch: Vec<_> = [
        "an@example.com",
        "gone@example.com",
        "mei@example.com",
        "Gone@Example.COM",
    ]
    .iter()
    .map(|to| {
        let mut message = service_email(tenant.id, to);
        message.body_html = Some("<p>Biệt thự mới</p><img src=\"cid:villa\">".to_owned());
        message.parts_of = Some(first);
        message.dedupe_key = Some(format!("campaign:1:{to}"));
        message
    })
    .collect();
    let queued = conn
        .transaction(|conn| messages::queue_email_batch(conn, tenant.id, &batch, None))
        .unwrap();
    assert_eq!(queued.len(), 4);
    let mut again = batch.clone();
    for message in &mut again {
        message.id = guestcare_db::new_id();
    }
    let repeated = conn
        .transaction(|conn| messages::queue_email_batch(conn, tenant.id, &again, None))
        .unwrap();
    assert!(repeated.is_empty(), "a used dedupe key queues nothing");

    let (app, sink) = (&room.app, &room.sink);
    let _worker = room.worker();
    let statuses = [
        wait_for_message(app, &tenant.key, queued[0].id, &["sent", "failed"]).await,
        wait_for_message(app, &tenant.key, queued[1].id, &["suppressed", "sent"]).await,
        wait_for_message(app, &tenant.key, queued[2].id, &["sent", "failed"]).await,
    ];
    assert_eq!(statuses[0]["status"], "sent");
    assert_eq!(statuses[1]["status"], "suppressed");
    assert_eq!(statuses[1]["suppression_reason"], "hard_bounce");
    assert_eq!(statuses[2]["status"], "sent");
    let other_spelling =
        wait_for_message(app, &tenant.key, queued[3].id, &["suppressed", "sent"]).await;
    assert_eq!(other_spelling["status"], "suppressed", "the same address");
    let mails = sink.wait_for(3, Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        sink.messages().len(),
        3,
        "the first message and two of the batch, once each"
    );
    let to_an = sink
        .messages()
        .into_iter()
        .find(|m| m.contains("To: an@example.com"))
        .expect("the batch's message to an@");
    assert!(to_an.contains("Content-ID: <villa>"), "{to_an}");
    assert!(to_an.contains("filename=\"villa.jpg\""), "{to_an}");
    assert!(
        !mails
            .iter()
            .any(|m| m.to_lowercase().contains("gone@example.com"))
    );
    let (_, listed) = send(app.get("/v1/messages?status=sent", &tenant.key)).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(3));
}
