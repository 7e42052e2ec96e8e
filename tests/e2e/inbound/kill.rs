//! A worker killed (SIGKILL) again and again while it fetches and stores
//! mail: every message becomes exactly one ticket and one acknowledgement.

use std::{collections::BTreeMap, time::Duration};

use diesel::prelude::*;
use guestcare_db::schema::messages;
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    dovecot::Dovecot,
    guest_mail as mail,
    smtp_sink::{SinkMode, SmtpSink},
    worker::WorkerProcess,
};

use super::{create_mailbox, inbound_settings, stored, wait_for_stored};

const MESSAGES: usize = 40;

#[tokio::test]
async fn a_worker_killed_between_fetch_and_commit_never_makes_two_tickets() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "kill");
    let sink = SmtpSink::start(SinkMode::Accept);
    let app = TestApp::spawn_with(&db, inbound_settings(&db, sink.port));
    let dovecot = Dovecot::start(&["gopy"]);
    create_mailbox(&app, &tenant.key, dovecot.port, "gopy", "INBOX").await;
    let batch: Vec<Vec<u8>> = (0..MESSAGES)
        .map(|n| mail::plain(&format!("k-{n}"), &format!("guest{n}@example.com"), n))
        .collect();
    dovecot.login("gopy").append_all("INBOX", &batch);

    let port = sink.port.to_string();
    let mut env = vec![
        ("GUESTCARE__MAIL__SMTP__PORT", port.as_str()),
        ("GUESTCARE__MAIL__SMTP__SECURITY", "none"),
        ("GUESTCARE__INBOUND__IDLE_SECS", "2"),
        ("GUESTCARE__INBOUND__FETCH_BATCH", "10"),
    ];
    // While killing, only IMAP runs: a kill during an SMTP send is the
    // send path's known window, not this test's subject.
    let imap_only = [
        ("GUESTCARE__WORKER__QUEUES__EMAIL", "0"),
        ("GUESTCARE__WORKER__CLAIM_AHEAD", "0"),
    ];
    let mut kills = 0;
    for round in 0..12u64 {
        let mut round_env = env.clone();
        round_env.extend(imap_only);
        let worker = WorkerProcess::spawn(db.url(), &format!("killed-{round}"), &round_env);
        std::thread::sleep(Duration::from_millis(1500 + 170 * round));
        worker.kill_hard();
        kills += 1;
        if stored(&mut conn, tenant.id).len() >= MESSAGES {
            break;
        }
    }
    assert!(kills >= 2);
    env.push(("GUESTCARE__WORKER__ID", "survivor"));
    let _worker = WorkerProcess::spawn(db.url(), "survivor", &env);
    let all = wait_for_stored(&mut conn, tenant.id, MESSAGES, Duration::from_secs(60));
    assert_eq!(all.len(), MESSAGES);
    assert!(
        all.iter()
            .all(|m| m.disposition == "ticket" && m.ack_message_id.is_some())
    );
    let mut tickets: Vec<_> = all.iter().filter_map(|m| m.ticket_id).collect();
    tickets.sort_unstable();
    tickets.dedup();
    assert_eq!(tickets.len(), MESSAGES);

    let acks = sink.wait_for(MESSAGES, Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(2));
    let acks = if acks.len() == MESSAGES {
        sink.messages()
    } else {
        acks
    };
    let mut per_guest: BTreeMap<String, usize> = BTreeMap::new();
    for ack in &acks {
        let to = ack
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .unwrap_or_default()
            .to_owned();
        *per_guest.entry(to).or_default() += 1;
    }
    assert_eq!(per_guest.len(), MESSAGES, "{per_guest:?}");
    assert!(per_guest.values().all(|&n| n == 1), "{per_guest:?}");
    let queued: i64 = messages::table
        .filter(messages::tenant_id.eq(tenant.id))
        .filter(messages::category.eq("auto_reply"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(queued, MESSAGES as i64);
}
