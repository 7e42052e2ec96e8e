//! A guest's e-mail becomes a ticket (as the inbound mailbox creates it):
//! the acknowledgement reaches the SMTP server in the guest's language with
//! the ticket token and threading headers, once; a public reply from the
//! API arrives in the same thread; the guest's next message moves the
//! thread on.

use std::time::Duration;

use diesel::Connection;
use guestcare_db::{
    tickets::{self, GuestEntry, NewTicket},
    timeline::Actor,
};
use guestcare_domain::tickets::{ComplaintType, Priority, TicketCategory, TicketChannel};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::{pool_for, settings_for},
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use super::{entries, guest, subject};
use crate::channels::{send, settings_with_sink, wait_for_message};

/// The ticket the inbound mailbox would create for `guest`'s e-mail.
fn from_email(guest: Uuid, message_id: &str) -> NewTicket {
    NewTicket {
        channel: TicketChannel::Email,
        category: TicketCategory::Complaint,
        subject: "Phòng ồn ào".to_owned(),
        body_text: "Phòng 305 ồn suốt đêm, tôi không ngủ được.".to_owned(),
        body_html: None,
        guest_id: Some(guest),
        inbound_message_id: None,
        guest_message_id: Some(message_id.to_owned()),
        department: None,
        priority: Priority::Normal,
        assignee_id: None,
        incident_on: Some(chrono::Utc::now().date_naive()),
        complaint_type: Some(ComplaintType::ServiceQuality),
        actor: Actor::guest(guest),
    }
}

#[tokio::test]
async fn an_emailed_complaint_is_acknowledged_and_answered_in_one_thread() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let sink = SmtpSink::start(SinkMode::Accept);
    let settings = settings_with_sink(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let lan = guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Nguyễn Thị Lan", "email": "lan@example.com", "language": "vi" }),
    )
    .await;
    let lan_id: Uuid = lan.parse().unwrap();
    let first = "<m1.lan@mail.example.net>";
    let (ticket, ack) = conn
        .transaction(|conn| {
            let ticket = tickets::create_ticket(conn, tenant.id, &from_email(lan_id, first))?;
            let ack = tickets::queue_acknowledgement(conn, tenant.id, &ticket, Some(first));
            Ok::<_, diesel::result::Error>((ticket, ack))
        })
        .unwrap();
    let ack = ack.unwrap().unwrap();
    assert_eq!(ticket.number().to_string(), "T-1");
    assert_eq!(ticket.within_window, Some(true));
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let sent = wait_for_message(&app, &tenant.key, ack.id, &["sent"]).await;
    assert_eq!(sent["language"], "vi");
    let text = sent["body_text"].as_str().unwrap();
    assert!(
        text.contains("mã yêu cầu T-1") && text.contains("Bước tiếp theo"),
        "{text}"
    );

    let mail = &sink.wait_for(1, Duration::from_secs(5))[0];
    assert!(mail.contains("X-Rcpt-Args: <lan@example.com>"), "{mail}");
    assert!(mail.contains(&format!("In-Reply-To: {first}")), "{mail}");
    assert!(mail.contains(&format!("References: {first}")), "{mail}");
    assert!(mail.contains("Auto-Submitted: auto-replied"));
    let ack_subject = subject(mail);
    assert!(ack_subject.starts_with("[#T-1] "), "{ack_subject}");
    assert!(
        ack_subject.contains("đã nhận được góp ý của Quý khách"),
        "{ack_subject}"
    );

    // Replies to the acknowledgement find the ticket; a second
    // acknowledgement is the first one again.
    let found = tickets::find_ticket_by_outbound_message(&mut conn, tenant.id, ack.id).unwrap();
    assert_eq!(found.map(|t| t.id), Some(ticket.id));
    let by_number = tickets::find_ticket_by_number(&mut conn, tenant.id, 1).unwrap();
    assert_eq!(by_number.map(|t| t.id), Some(ticket.id));
    let again = tickets::queue_acknowledgement(&mut conn, tenant.id, &ticket, Some(first)).unwrap();
    assert_eq!(again.map(|m| m.id), Some(ack.id));

    // A public reply from the team, signed, threaded under the guest's e-mail.
    let id = ticket.id.to_string();
    let (status, reply) = send(
        app.post(&format!("/v1/tickets/{id}/replies"), &tenant.key)
            .header("Idempotency-Key", "reply-1")
            .json(
                &json!({ "text": "Chúng tôi đã chuyển Quý khách sang phòng 512 yên tĩnh hơn.",
                           "agent_name": "Minh" }),
            ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let message_id: Uuid = reply["message_id"].as_str().unwrap().parse().unwrap();
    wait_for_message(&app, &tenant.key, message_id, &["sent"]).await;
    let mails = sink.wait_for(2, Duration::from_secs(5));
    let mail = mails
        .iter()
        .find(|m| !m.contains("Auto-Submitted"))
        .unwrap();
    assert!(mail.contains(&format!("In-Reply-To: {first}")), "{mail}");
    let reply_subject = subject(mail);
    assert!(
        reply_subject.starts_with("[#T-1] Phản hồi từ"),
        "{reply_subject}"
    );
    let (_, view) = send(app.get(&format!("/v1/tickets/{id}"), &tenant.key)).await;
    assert_eq!(view["status"], "open");
    assert!(view["first_replied_at"].is_string());
    // The same Idempotency-Key sends nothing more.
    let (status, repeat) = send(
        app.post(&format!("/v1/tickets/{id}/replies"), &tenant.key)
            .header("Idempotency-Key", "reply-1")
            .json(
                &json!({ "text": "Chúng tôi đã chuyển Quý khách sang phòng 512 yên tĩnh hơn.",
                           "agent_name": "Minh" }),
            ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(repeat["id"], reply["id"]);

    // The guest writes again: the next reply answers that e-mail.
    let moved = tickets::add_guest_message(
        &mut conn,
        tenant.id,
        ticket.id,
        &GuestEntry {
            body_text: "Cảm ơn, phòng mới rất yên tĩnh.".to_owned(),
            body_html: None,
            inbound_message_id: None,
            guest_message_id: Some("<m2.lan@mail.example.net>".to_owned()),
        },
    )
    .unwrap();
    assert_eq!(
        moved.last_guest_message_id.as_deref(),
        Some("<m2.lan@mail.example.net>")
    );
    let kinds: Vec<String> = entries(&app, &tenant.key, &id)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "guest_message",
            "acknowledgement",
            "public_reply",
            "status",
            "guest_message"
        ],
        "one acknowledgement, one reply"
    );
    let (_, timeline) = send(app.get(&format!("/v1/guests/{lan}/timeline"), &tenant.key)).await;
    let seen: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "ticket.created",
        "ticket.replied",
        "ticket.guest_message",
        "message.queued",
    ] {
        assert!(seen.contains(&kind), "{kind} missing from {seen:?}");
    }
}

#[tokio::test]
async fn a_chinese_speaking_guest_is_acknowledged_in_traditional_chinese() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let app = TestApp::spawn_with(&db, settings_for(&db));
    let chen = guest(
        &app,
        &tenant.key,
        json!({ "full_name": "陳美玲", "email": "chen@example.tw", "language": "zh-Hant" }),
    )
    .await;
    let mut new = from_email(chen.parse().unwrap(), "<c1@mail.example.tw>");
    new.category = TicketCategory::Feedback;
    (new.incident_on, new.complaint_type) = (None, None);
    let ticket = tickets::create_ticket(&mut conn, tenant.id, &new).unwrap();
    let ack = tickets::queue_acknowledgement(&mut conn, tenant.id, &ticket, None)
        .unwrap()
        .unwrap();
    assert_eq!(ack.language.as_deref(), Some("zh-Hant"));
    assert_eq!(ack.category, "auto_reply");
    assert_eq!(ack.in_reply_to, None);
    let subject = ack.subject.unwrap();
    assert!(
        subject.starts_with("[#T-1] ") && subject.contains("已收到您的來信"),
        "{subject}"
    );
    assert!(
        ack.body_text.contains("案件編號為 T-1") && ack.body_text.contains("接下來"),
        "{}",
        ack.body_text
    );
}
