//! Event-relative steps (72 hours after a ticket is resolved) and the daily
//! run as the worker does it.

use std::time::Duration;

use chrono::{Duration as Hours, Utc};
use diesel::{Connection, RunQueryDsl, sql_types::Text};
use guestcare_db::reminders::event::{Event, arm_event};
use guestcare_jobs::{NewJob, enqueue};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::{pool_for, settings_for},
    worker::{TestWorker, eventually},
};
use serde_json::json;

use super::{guest, reminder_keys, rule, stay};

#[derive(diesel::QueryableByName)]
struct RunAt {
    #[diesel(sql_type = Text)]
    run_at: String,
}

#[tokio::test]
async fn a_resolved_ticket_arms_a_step_72_hours_later_once() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    let follow_up = rule(
        &app,
        key,
        json!({
            "name": "Hỏi thăm sau khi xử lý", "anchor": "event", "anchor_key": "ticket.resolved",
            "steps": [{ "offset_hours": 72, "channel": "email", "purpose": "reminder" }],
        }),
    )
    .await;
    let an = guest(
        &app,
        key,
        json!({ "full_name": "Trần Văn An", "email": "an@example.vn" }),
    )
    .await;

    let later = Utc::now() - Hours::hours(1);
    let event = |at, key| Event {
        name: "ticket.resolved",
        key,
        guest_id: an,
        at,
    };
    let armed = conn
        .transaction(|c| arm_event(c, tenant.id, &event(later, "ticket-1")))
        .unwrap();
    assert_eq!(armed, 1);
    let again = conn
        .transaction(|c| arm_event(c, tenant.id, &event(later, "ticket-1")))
        .unwrap();
    assert_eq!(again, 0, "the same event arms nothing new");
    let due: Vec<RunAt> = diesel::sql_query(
        "SELECT (extract(epoch FROM run_at - $2::timestamptz) / 3600)::int::text AS run_at FROM jobs \
         WHERE tenant_id = $1 AND kind = 'send_event_step'",
    )
    .bind::<diesel::sql_types::Uuid, _>(tenant.id)
    .bind::<diesel::sql_types::Timestamptz, _>(later)
    .load(&mut conn)
    .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].run_at, "72", "hours after the event");

    // An event 72 hours ago is due now: the worker sends it.
    let past = Utc::now() - Hours::hours(72);
    conn.transaction(|c| arm_event(c, tenant.id, &event(past, "ticket-2")))
        .unwrap();
    let _worker = TestWorker::spawn(settings_for(&db), pool_for(&db));
    let keys = eventually(Duration::from_secs(20), || {
        let keys = reminder_keys(&mut conn, tenant.id);
        (!keys.is_empty()).then_some(keys)
    })
    .unwrap();
    assert_eq!(keys, [format!("event:{follow_up}:h72:email:ticket-2")]);
}

#[tokio::test]
async fn the_daily_job_runs_the_day_it_is_for() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    let thanks = rule(
        &app,
        key,
        json!({
            "name": "Cảm ơn", "anchor": "stay_check_out",
            "steps": [{ "offset_days": 1, "channel": "email", "purpose": "reminder" }],
        }),
    )
    .await;
    let lan = guest(
        &app,
        key,
        json!({ "full_name": "Lê Thị Lan", "email": "lan@example.vn" }),
    )
    .await;
    stay(&app, key, lan, "2027-02-07", "2027-02-10").await;

    // The schedule's occurrence at 08:00 in Vietnam on 11 February.
    enqueue(
        &mut conn,
        &NewJob::new(
            "default",
            "run_automations",
            json!({ "tenant_id": tenant.id, "occurrence": "2027-02-11T01:00:00Z" }),
        )
        .with_tenant(tenant.id),
    )
    .unwrap();
    let _worker = TestWorker::spawn(settings_for(&db), pool_for(&db));
    let keys = eventually(Duration::from_secs(20), || {
        let keys = reminder_keys(&mut conn, tenant.id);
        (!keys.is_empty()).then_some(keys)
    })
    .unwrap();
    assert_eq!(
        keys,
        [format!("reminder:{thanks}:d1:email:{lan}:2027-02-10")]
    );
}
