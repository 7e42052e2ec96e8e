//! Complaint clocks: the scan at explicit instants warns 12 hours before
//! the first-reply deadline and breaches at it, once each; waiting for the
//! guest stops the clock; and the real worker, running ahead with
//! `worker.clock_offset_secs`, finds the breach through its schedule.

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use guestcare_db::tickets::{self, Ticket};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::{pool_for, settings_for},
    worker::TestWorker,
};
use serde_json::json;
use uuid::Uuid;

use super::{entries, guest, noisy_room, ticket};
use crate::channels::{poll_get, send};

fn scan(conn: &mut PgConnection, tenant: Uuid, at: DateTime<Utc>) -> (usize, usize) {
    let report = tickets::run_sla_scan(conn, tenant, at).unwrap();
    (report.warned, report.breached)
}

fn reload(conn: &mut PgConnection, tenant: Uuid, id: Uuid) -> Ticket {
    tickets::get_ticket(conn, tenant, id).unwrap()
}

#[tokio::test]
async fn clocks_warn_then_breach_once_and_stand_still_while_waiting_for_the_guest() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let app = TestApp::spawn(&db);
    let lan = guest(&app, &tenant.key, json!({ "full_name": "Nguyễn Thị Lan" })).await;
    let created = ticket(&app, &tenant.key, noisy_room(&lan)).await;
    let id: Uuid = created["id"].as_str().unwrap().parse().unwrap();
    let start = reload(&mut conn, tenant.id, id).clock_started_at;
    let hours = |h: i64| start + chrono::Duration::hours(h);

    assert_eq!(scan(&mut conn, tenant.id, hours(35)), (0, 0));
    assert_eq!(
        scan(&mut conn, tenant.id, hours(37)),
        (1, 0),
        "first reply due in 11 h"
    );
    assert_eq!(scan(&mut conn, tenant.id, hours(38)), (0, 0), "warned once");
    assert_eq!(
        scan(&mut conn, tenant.id, hours(48)),
        (0, 1),
        "first reply breached"
    );
    assert_eq!(
        scan(&mut conn, tenant.id, hours(60)),
        (0, 0),
        "breached once"
    );
    let breached = reload(&mut conn, tenant.id, id);
    assert!(breached.first_reply_breached_at.is_some());
    assert!(breached.resolution_warned_at.is_none());

    // Waiting for the guest: nothing runs out, however long it takes.
    let (_, waiting) = send(
        app.post(&format!("/v1/tickets/{id}/status"), &tenant.key)
            .json(&json!({ "status": "pending_guest" })),
    )
    .await;
    assert_eq!(waiting["status"], "pending_guest");
    assert_eq!(scan(&mut conn, tenant.id, hours(24 * 40)), (0, 0));
    let sla: Vec<_> = entries(&app, &tenant.key, &id.to_string())
        .await
        .into_iter()
        .filter(|e| e["kind"] == "sla")
        .map(|e| (e["data"]["clock"].clone(), e["data"]["state"].clone()))
        .collect();
    assert_eq!(
        sla,
        [
            (json!("first_reply"), json!("warning")),
            (json!("first_reply"), json!("breached"))
        ]
    );
}

#[tokio::test]
async fn the_worker_running_ahead_finds_the_breach() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let app = TestApp::spawn(&db);
    let lan = guest(&app, &tenant.key, json!({ "full_name": "Nguyễn Thị Lan" })).await;
    let created = ticket(&app, &tenant.key, noisy_room(&lan)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let mut settings = settings_for(&db);
    settings.worker.clock_offset_secs = 49 * 3600;
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let breached_at = poll_get(&app, &tenant.key, &format!("/v1/tickets/{id}"), |t| {
        t["first_reply_breached_at"].as_str().map(str::to_owned)
    })
    .await;
    assert!(!breached_at.is_empty());
}
