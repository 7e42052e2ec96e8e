//! The `guestcare-worker` daemon as operators run it: `/metrics`, and a
//! SIGTERM that lets in-flight jobs finish before exiting 0.

use std::{net::TcpListener, time::Duration};

use guestcare_jobs::{NewJob, enqueue};
use guestcare_tests::{TestDb, worker::WorkerProcess};
use serde_json::json;

use super::{count, eventually};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_exports_queue_metrics() {
    let db = TestDb::new();
    for _ in 0..5 {
        enqueue(
            &mut db.connect(),
            &NewJob::new("default", "probe", json!({})),
        )
        .unwrap();
    }
    enqueue(
        &mut db.connect(),
        &NewJob::new("email", "unknown_kind", json!({})).with_max_attempts(1),
    )
    .unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let _worker = WorkerProcess::spawn(
        db.url(),
        "metered",
        &[("GUESTCARE__WORKER__METRICS_BIND", &bind)],
    );
    let url = format!("http://{bind}/metrics");
    let wanted = [
        r#"guestcare_jobs_finished_total{queue="default",kind="probe",outcome="succeeded"} 5"#,
        r#"guestcare_jobs_depth{queue="email",status="failed"} 1"#,
    ];
    let mut text = String::new();
    for _ in 0..150 {
        if let Ok(response) = reqwest::get(&url).await {
            text = response.text().await.unwrap_or_default();
        }
        if wanted.iter().all(|line| text.contains(line)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let exported = wanted.iter().all(|line| text.contains(line));
    assert!(exported, "metrics were:\n{text}");
    assert!(text.contains("guestcare_jobs_pickup_seconds_bucket"));
    assert!(text.contains("guestcare_jobs_run_seconds_count"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_in_flight_jobs_finish_and_exits_zero() {
    let db = TestDb::new();
    enqueue(
        &mut db.connect(),
        &NewJob::new("default", "probe", json!({ "sleep_ms": 1500 })),
    )
    .unwrap();
    let worker = WorkerProcess::spawn(db.url(), "draining", &[]);
    let running = eventually(Duration::from_secs(20), || async {
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM jobs WHERE status = 'running' AND kind = 'probe'",
        ) == 1
    })
    .await;
    assert!(running);
    assert!(worker.terminate().success());
    let mut conn = db.connect();
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'succeeded' AND kind = 'probe'"
        ),
        1
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM worker_probes"),
        1
    );
}
