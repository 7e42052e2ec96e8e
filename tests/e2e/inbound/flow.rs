//! Guests' mail in every charset becomes tickets, each acknowledged once
//! per sender and window, in the guest's language; replies thread to their
//! ticket by In-Reply-To, by References to the guest's earlier mail, and by
//! the `[#T-n]` token; a message delivered twice is stored once.

use std::time::Duration;

use diesel::prelude::*;
use guestcare_db::{
    guests::Guest,
    inbound::InboundMessage,
    schema::{guests, inbound_attachments},
    tickets,
};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::pool_for,
    dovecot::Dovecot,
    guest_mail as mail,
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use serde_json::json;

use super::{create_mailbox, inbound_settings, wait_for_stored};
use crate::support::send;

fn guest_of(conn: &mut PgConnection, message: &InboundMessage) -> Guest {
    guests::table
        .find(message.guest_id.expect("a guest"))
        .select(Guest::as_select())
        .first(conn)
        .unwrap()
}

#[tokio::test]
async fn guests_mail_becomes_tickets_acknowledged_once_and_replies_thread() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let sink = SmtpSink::start(SinkMode::Accept);
    let settings = inbound_settings(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let (status, lan) = send(app.post("/v1/guests", &tenant.key).json(&json!({
        "full_name": "Nguyễn Thị Lan", "email": "Lan.Nguyen@example.com", "language": "vi"
    })))
    .await;
    assert_eq!(status, 201, "{lan}");
    let dovecot = Dovecot::start(&["gopy"]);
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    create_mailbox(&app, &tenant.key, dovecot.port, "gopy", "INBOX").await;
    let mut imap = dovecot.login("gopy");
    imap.append_all(
        "INBOX",
        &[
            mail::vietnamese_utf8("lan-1"),
            mail::vietnamese_legacy("binh-1"),
            mail::chinese_big5("mei-1"),
            mail::html_with_attachment("john-1"),
            mail::vietnamese_utf8("lan-1"),
            mail::plain("lan-2", "Lan <lan.nguyen@example.com>", 2),
        ],
    );

    let stored = wait_for_stored(&mut conn, tenant.id, 5, Duration::from_secs(30));
    assert_eq!(
        stored.len(),
        5,
        "the second delivery of lan-1 is not stored"
    );
    assert!(
        stored.iter().all(|m| m.disposition == "ticket"),
        "{stored:?}"
    );
    let acked: Vec<bool> = stored.iter().map(|m| m.ack_message_id.is_some()).collect();
    assert_eq!(acked, [true, true, true, true, false]);
    assert_eq!(stored[4].note.as_deref(), Some("recently_acknowledged"));

    let (lan_mail, binh, mei, john) = (&stored[0], &stored[1], &stored[2], &stored[3]);
    assert_eq!(lan_mail.subject.as_deref(), Some("Phòng 204 bị dột nước"));
    assert_eq!(
        lan_mail.guest_id.unwrap().to_string(),
        lan["id"].as_str().unwrap()
    );
    assert_eq!(stored[4].guest_id, lan_mail.guest_id);
    assert_eq!(binh.subject.as_deref(), Some("Phòng tốt"));
    assert!(
        binh.body_text
            .as_deref()
            .unwrap()
            .contains("Phòng tốt, nhân viên thân thiện")
    );
    let binh_guest = guest_of(&mut conn, binh);
    assert_eq!(binh_guest.full_name, "Tran Van Binh");
    assert_eq!(binh_guest.language.as_deref(), Some("vi"));
    assert_eq!(binh_guest.tags, [Some("email_contact".to_owned())]);
    assert!(mei.body_text.as_deref().unwrap().contains("房間很乾淨"));
    assert_eq!(mei.subject.as_deref(), Some("房間"));
    assert_eq!(
        guest_of(&mut conn, mei).language.as_deref(),
        Some("zh-Hant")
    );
    let html = john.body_html.as_deref().unwrap();
    assert!(
        html.contains("<b>attached</b>") && !html.contains("script") && !html.contains("onclick")
    );
    let files: Vec<(String, Option<Vec<u8>>)> = inbound_attachments::table
        .filter(inbound_attachments::inbound_message_id.eq(john.id))
        .select((inbound_attachments::filename, inbound_attachments::data))
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        files,
        [(
            "invoice.pdf".to_owned(),
            Some(b"%PDF-1.4 invoice 2026-12-01".to_vec())
        )]
    );

    let acks = sink.wait_for(4, Duration::from_secs(20));
    assert_eq!(acks.len(), 4);
    for (message, address) in [
        (lan_mail, "lan.nguyen@example.com"),
        (binh, "binh.tran@example.vn"),
        (mei, "mei.chen@example.tw"),
        (john, "john.smith@example.org"),
    ] {
        let ticket = tickets::get_ticket(&mut conn, tenant.id, message.ticket_id.unwrap()).unwrap();
        let to_them: Vec<&String> = acks
            .iter()
            .filter(|a| a.to_lowercase().contains(&format!("<{address}>")))
            .collect();
        assert_eq!(to_them.len(), 1, "one acknowledgement to {address}");
        let ack = to_them[0];
        assert!(ack.contains(&format!("[#T-{}]", ticket.number)), "{ack}");
        assert!(
            ack.contains(&format!("In-Reply-To: <{}>", message.message_id)),
            "{ack}"
        );
        assert!(ack.contains("Auto-Submitted: auto-replied"), "{ack}");
    }

    let lan_ticket = lan_mail.ticket_id;
    let ack_id = lan_mail.ack_message_id.unwrap();
    let number = tickets::get_ticket(&mut conn, tenant.id, john.ticket_id.unwrap())
        .unwrap()
        .number;
    imap.append_all(
        "INBOX",
        &[
            mail::reply(
                "lan-3",
                "lan.nguyen@example.com",
                &format!("{ack_id}@guestcare.localhost"),
                "Re: Phòng 204",
            ),
            mail::reply(
                "lan-4",
                "lan.nguyen@example.com",
                "lan-1@mail.example.com",
                "Thêm thông tin",
            ),
            mail::reply(
                "assist-1",
                "assistant@example.org",
                "x@elsewhere.example",
                &format!("Re: Invoice [#T-{number}]"),
            ),
        ],
    );
    let stored = wait_for_stored(&mut conn, tenant.id, 8, Duration::from_secs(30));
    let replies: Vec<_> = stored[5..]
        .iter()
        .map(|m| (m.disposition.as_str(), m.ticket_id))
        .collect();
    assert_eq!(
        replies,
        [
            ("reply", lan_ticket),
            ("reply", lan_ticket),
            ("reply", john.ticket_id)
        ]
    );
    let entries =
        tickets::list_entries(&mut conn, tenant.id, lan_ticket.unwrap(), None, 50).unwrap();
    assert!(entries.len() >= 3, "{entries:?}");
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(sink.messages().len(), 4, "replies are never acknowledged");
    assert_eq!(imap.search("INBOX", "UNSEEN"), Vec::<u32>::new());
}
