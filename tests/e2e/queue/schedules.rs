//! The cron scheduler: each occurrence enqueued once, whatever the number
//! of workers, restarts or clock jumps; catch-up within a window; the
//! schedules API.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use diesel::{PgConnection, RunQueryDsl};
use guestcare_domain::Role;
use guestcare_jobs::schedule::{self, NewSchedule, TickReport};
use guestcare_tests::{TestApp, TestDb, TestTenant, worker::WorkerProcess};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{count, eventually};

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

fn save(
    conn: &mut PgConnection,
    tenant: Option<Uuid>,
    cron: &str,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Uuid {
    schedule::upsert(
        conn,
        &NewSchedule {
            tenant_id: tenant,
            name: "birthday_scan".to_owned(),
            cron: cron.to_owned(),
            time_zone: zone,
            queue: "default".to_owned(),
            kind: "probe".to_owned(),
            payload: json!({ "label": "scheduled" }),
            active: true,
        },
        now,
    )
    .unwrap()
}

const DAY: Duration = Duration::from_secs(86_400);

#[test]
fn each_occurrence_is_enqueued_once_even_when_the_clock_goes_back() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let zone = chrono_tz::Asia::Ho_Chi_Minh;
    save(
        &mut conn,
        None,
        "0 7 * * *",
        zone,
        at(2026, 11, 24, 0, 30, 0),
    );

    // 07:00 in Vietnam is 00:00 UTC.
    let first = schedule::tick(&mut conn, at(2026, 11, 25, 0, 0, 5), DAY).unwrap();
    assert_eq!(first.enqueued, 1);
    assert_eq!(
        schedule::tick(&mut conn, at(2026, 11, 25, 0, 0, 6), DAY)
            .unwrap()
            .enqueued,
        0
    );
    // The clock is set back an hour: nothing runs again.
    assert_eq!(
        schedule::tick(&mut conn, at(2026, 11, 24, 23, 0, 0), DAY)
            .unwrap()
            .enqueued,
        0
    );
    assert_eq!(
        schedule::tick(&mut conn, at(2026, 11, 26, 0, 0, 1), DAY)
            .unwrap()
            .enqueued,
        1
    );

    #[derive(diesel::QueryableByName)]
    struct Job {
        #[diesel(sql_type = diesel::sql_types::Jsonb)]
        payload: Value,
    }
    let jobs: Vec<Job> = diesel::sql_query("SELECT payload FROM jobs ORDER BY run_at")
        .load(&mut conn)
        .unwrap();
    let occurrences: Vec<&str> = jobs
        .iter()
        .map(|j| j.payload["occurrence"].as_str().unwrap())
        .collect();
    assert_eq!(
        occurrences,
        ["2026-11-25T00:00:00+00:00", "2026-11-26T00:00:00+00:00"]
    );
    assert_eq!(jobs[0].payload["label"], "scheduled");
}

#[test]
fn workers_ticking_at_once_enqueue_each_missed_occurrence_once() {
    let db = TestDb::new();
    save(
        &mut db.connect(),
        None,
        "0 * * * *",
        chrono_tz::UTC,
        at(2026, 11, 24, 0, 0, 30),
    );
    let now = at(2026, 11, 24, 3, 30, 0);
    let reports: Vec<TickReport> = std::thread::scope(|scope| {
        let ticks: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| schedule::tick(&mut db.connect(), now, DAY).unwrap()))
            .collect();
        ticks.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(reports.iter().map(|r| r.enqueued).sum::<usize>(), 3);
    assert_eq!(
        count(&mut db.connect(), "SELECT count(*) AS n FROM jobs"),
        3
    );
}

#[test]
fn a_worker_back_from_downtime_catches_up_only_within_the_window() {
    let db = TestDb::new();
    let mut conn = db.connect();
    save(
        &mut conn,
        None,
        "0 * * * *",
        chrono_tz::UTC,
        at(2026, 11, 24, 0, 0, 30),
    );
    let back = at(2026, 11, 25, 6, 30, 0);
    let report = schedule::tick(&mut conn, back, Duration::from_secs(6 * 3600)).unwrap();
    assert_eq!(report.enqueued, 6, "01:00 to 06:00 on the 25th");
    assert_eq!(report.skipped_stale, 1);
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM schedules WHERE next_run_at = '2026-11-25T07:00:00Z'"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_daemon_runs_scheduled_jobs() {
    let db = TestDb::new();
    schedule::upsert(
        &mut db.connect(),
        &NewSchedule {
            tenant_id: None,
            name: "probe".to_owned(),
            cron: "* * * * * *".to_owned(),
            time_zone: chrono_tz::UTC,
            queue: "default".to_owned(),
            kind: "probe".to_owned(),
            payload: json!({}),
            active: true,
        },
        Utc::now(),
    )
    .unwrap();
    let worker = WorkerProcess::spawn(db.url(), "scheduled", &[]);
    let ran = eventually(Duration::from_secs(20), || async {
        count(&mut db.connect(), "SELECT count(*) AS n FROM worker_probes") >= 2
    })
    .await;
    assert!(worker.terminate().success(), "SIGTERM exits 0");
    assert!(ran, "every-second schedule produced probe rows");
}

#[tokio::test]
async fn managers_list_and_retime_their_schedules() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let other = TestTenant::create(&mut conn, "orchid");
    let manager = tenant.key_with_role(&mut conn, Role::Manager);
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let id = save(
        &mut conn,
        Some(tenant.id),
        "0 7 * * *",
        chrono_tz::Asia::Ho_Chi_Minh,
        Utc::now(),
    );
    let foreign = save(
        &mut conn,
        Some(other.id),
        "0 7 * * *",
        chrono_tz::Asia::Taipei,
        Utc::now(),
    );
    let app = TestApp::spawn(&db);

    let list: Value = app
        .get("/v1/schedules", &manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Besides the care scans every tenant is created with, this tenant's own.
    let mut names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "birthday_scan",
            "care.birthdays",
            "care.digest",
            "care.greetings"
        ]
    );
    let own = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id.to_string())
        .unwrap();
    assert_eq!(own["cron"], "0 7 * * *");
    assert_eq!(
        app.get("/v1/schedules", &agent)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );

    let path = format!("/v1/schedules/{id}");
    let bad = app
        .patch(&path, &manager)
        .json(&json!({ "cron": "0 25 * *", "time_zone": "Mars/Base" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["cron", "time_zone"]);

    let retimed: Value = app
        .patch(&path, &manager)
        .json(&json!({ "cron": "30 8 * * *", "active": false }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(retimed["cron"], "30 8 * * *");
    assert_eq!(retimed["active"], false);
    // 08:30 in Vietnam is 01:30 UTC.
    assert!(
        retimed["next_run_at"]
            .as_str()
            .unwrap()
            .contains("T01:30:00")
    );

    let foreign_path = format!("/v1/schedules/{foreign}");
    let answer = app
        .patch(&foreign_path, &manager)
        .json(&json!({ "active": false }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
}
