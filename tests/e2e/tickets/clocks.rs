//! Complaint clocks: the scan at explicit instants warns 12 hours before
//! the first-reply deadline and breaches at it, once each; waiting for the
//! guest stops the clock; and the real worker runs the checks armed for
//! each warning and deadline instant.

use chrono::{DateTime, Utc};
use diesel::{PgConnection, RunQueryDsl, sql_query};
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
async fn the_worker_checks_the_clock_when_it_runs_out() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let app = TestApp::spawn(&db);
    let lan = guest(&app, &tenant.key, json!({ "full_name": "Nguyễn Thị Lan" })).await;
    let created = ticket(&app, &tenant.key, noisy_room(&lan)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    // Checks are armed for each clock's warning and deadline: 36 h and 48 h
    // for the first reply, 468 h and 480 h for the resolution.
    let armed: Vec<Hours> = sql_query(
        "SELECT round(extract(epoch FROM run_at - now()) / 3600)::int AS hours FROM jobs \
         WHERE kind = 'ticket_sla_check' ORDER BY run_at",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(
        armed.iter().map(|h| h.hours).collect::<Vec<_>>(),
        [36, 48, 468, 480]
    );
    // The first two days pass.
    sql_query("UPDATE jobs SET run_at = now() WHERE kind = 'ticket_sla_check' AND run_at < now() + interval '49 hours'")
        .execute(&mut conn)
        .unwrap();
    let _worker = TestWorker::spawn(settings_for(&db), pool_for(&db));
    let breached_at = poll_get(&app, &tenant.key, &format!("/v1/tickets/{id}"), |t| {
        t["first_reply_breached_at"].as_str().map(str::to_owned)
    })
    .await;
    assert!(!breached_at.is_empty());
    assert!(
        entries(&app, &tenant.key, &id)
            .await
            .iter()
            .any(|e| e["data"]["state"] == "warning")
    );
    assert_eq!(created["resolution_breached_at"], serde_json::Value::Null);
}

#[derive(diesel::QueryableByName)]
struct Hours {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    hours: i32,
}
