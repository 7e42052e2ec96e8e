//! A worker killed (SIGKILL) twice in the middle of a campaign: afterwards
//! every recipient has exactly one message, every message is sent, and the
//! SMTP server got each recipient's message (a repeat, if any, is the same
//! message with the same Message-ID).

use std::time::{Duration, Instant};

use diesel::{RunQueryDsl, sql_types::BigInt};
use guestcare_domain::Role;
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    fixtures::seed_email_guests,
    smtp_sink::{SinkMode, SmtpSink, deliveries},
    worker::WorkerProcess,
};
use serde_json::json;

use super::{
    act, allow_all_hours, create_campaign, settings_with_sink, villa_variants, wait_progress,
};

const GUESTS: i64 = 400;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(db: &TestDb, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(&mut db.connect())
        .unwrap()
        .n
}

fn worker(db: &TestDb, sink: &SmtpSink, id: &str) -> WorkerProcess {
    let port = sink.port.to_string();
    WorkerProcess::spawn(
        db.url(),
        id,
        &[
            ("GUESTCARE__WORKER__LEASE_SECS", "5"),
            ("GUESTCARE__WORKER__POLL_INTERVAL_MS", "100"),
            ("GUESTCARE__MAIL__SMTP__HOST", "127.0.0.1"),
            ("GUESTCARE__MAIL__SMTP__PORT", &port),
        ],
    )
}

/// Waits until at least `n` campaign messages are sent.
async fn wait_sent(db: &TestDb, n: i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(
        db,
        "SELECT count(*) AS n FROM messages WHERE status = 'sent'",
    ) < n
    {
        assert!(Instant::now() < deadline, "fewer than {n} sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_worker_killed_twice_mid_campaign_leaves_every_recipient_accounted_for_once() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let manager = tenant.key_with_role(&mut conn, Role::Manager);
    seed_email_guests(&mut conn, tenant.id, 1_000_000, GUESTS).unwrap();
    let sink = SmtpSink::start(SinkMode::Accept);
    let app = TestApp::spawn_with(&db, settings_with_sink(&db, sink.port));
    allow_all_hours(&app, &tenant.key).await;
    // 1 200 a minute: steps of 100 recipients every five seconds.
    let id = create_campaign(
        &app,
        &manager,
        json!({
            "name": "Bền bỉ", "audience": { "all": true }, "variants": villa_variants(),
            "rate_per_minute": 1200,
        }),
    )
    .await;
    act(&app, &manager, &id, "schedule").await;
    let first = worker(&db, &sink, "doomed-1");
    wait_sent(&db, 60).await;
    first.kill_hard();
    let second = worker(&db, &sink, "doomed-2");
    wait_sent(&db, 220).await;
    second.kill_hard();
    let _third = worker(&db, &sink, "survivor");
    let progress = wait_progress(&app, &manager, &id, |p| p["status"] == "sent").await;
    assert_eq!(progress["recipients"], GUESTS, "{progress}");
    assert_eq!(progress["sent"], GUESTS, "{progress}");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM messages WHERE dedupe_key LIKE 'campaign:%'"
        ),
        GUESTS
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(DISTINCT message_id) AS n FROM campaign_recipients"
        ),
        GUESTS
    );
    let received = deliveries(&sink.wait_for(GUESTS as usize, Duration::from_secs(10)));
    assert_eq!(received.len(), GUESTS as usize, "every recipient reached");
    for (rcpt, ids) in &received {
        assert!(
            ids.iter().all(|m| *m == ids[0]),
            "{rcpt} got different messages: {ids:?}"
        );
    }
    let repeats: usize = received.values().map(|ids| ids.len() - 1).sum();
    eprintln!("repeated deliveries after two SIGKILLs: {repeats}");
}
