//! Fault tests with real processes: a worker killed with SIGKILL in the
//! middle of a batch, and Postgres restarted under load. Afterwards every
//! job has completed and each `probe` job's database effect exists once.

use std::{net::TcpListener, path::PathBuf, time::Duration};

use diesel::{Connection, PgConnection};
use guestcare_db::{
    cluster::{Cluster, ClusterSpec},
    migrations,
};
use guestcare_jobs::{NewJob, enqueue};
use guestcare_tests::{TestDb, worker::WorkerProcess};
use serde_json::json;

use super::{count, eventually};

/// Fast leases so that a killed worker's jobs come back within seconds.
const FAST_LEASES: [(&str, &str); 2] = [
    ("GUESTCARE__WORKER__LEASE_SECS", "5"),
    ("GUESTCARE__WORKER__POLL_INTERVAL_MS", "100"),
];

fn enqueue_probes(conn: &mut PgConnection, n: usize, sleep_ms: u64) {
    conn.transaction(|conn| {
        for _ in 0..n {
            enqueue(
                conn,
                &NewJob::new("default", "probe", json!({ "sleep_ms": sleep_ms })),
            )?;
        }
        diesel::QueryResult::Ok(())
    })
    .unwrap();
}

/// Every probe job succeeded and wrote its row exactly once (the worker
/// also runs its own schedules, e.g. the ticket clock scan).
fn assert_each_effect_once(conn: &mut PgConnection, jobs: i64) {
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS n FROM jobs WHERE kind = 'probe' AND status = 'succeeded'"
        ),
        jobs
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(DISTINCT job_id) AS n FROM worker_probes"
        ),
        jobs
    );
    assert_eq!(
        count(
            conn,
            "SELECT count(*) AS n FROM (SELECT job_id FROM worker_probes GROUP BY job_id HAVING count(*) > 1) AS twice"
        ),
        0,
        "no effect happened twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_batch_loses_nothing_and_repeats_nothing() {
    let db = TestDb::new();
    enqueue_probes(&mut db.connect(), 300, 40);
    let first = WorkerProcess::spawn(db.url(), "doomed", &FAST_LEASES);
    let started = eventually(Duration::from_secs(30), || async {
        count(&mut db.connect(), "SELECT count(*) AS n FROM worker_probes") >= 40
    })
    .await;
    assert!(started);
    first.kill_hard();
    let in_flight = count(
        &mut db.connect(),
        "SELECT count(*) AS n FROM jobs WHERE kind = 'probe' AND status = 'running'",
    );
    println!("killed with {in_flight} jobs in flight");

    let _second = WorkerProcess::spawn(db.url(), "heir-1", &FAST_LEASES);
    let _third = WorkerProcess::spawn(db.url(), "heir-2", &FAST_LEASES);
    let finished = eventually(Duration::from_secs(90), || async {
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM jobs WHERE kind = 'probe' AND status = 'succeeded'",
        ) == 300
    })
    .await;
    assert!(finished, "every job completes after the crash");
    assert_each_effect_once(&mut db.connect(), 300);
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_recovers_by_itself_when_postgres_restarts_under_load() {
    let data_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pg-restart-test");
    let _ = std::fs::remove_dir_all(&data_dir);
    let spec = ClusterSpec {
        data_dir: data_dir.clone(),
        port: Some(free_port()),
        superuser: "guestcare".to_owned(),
        password: "restart-test".to_owned(),
        ephemeral: true,
    };
    let cluster = StopOnDrop(Cluster::ensure(&spec, true).unwrap());
    let url = cluster.0.url("postgres");
    let connect = || PgConnection::establish(&url).unwrap();
    migrations::run_pending(&mut connect()).unwrap();
    enqueue_probes(&mut connect(), 200, 30);
    let worker = WorkerProcess::spawn(&url, "survivor", &FAST_LEASES);
    let started = eventually(Duration::from_secs(30), || async {
        count(&mut connect(), "SELECT count(*) AS n FROM worker_probes") >= 20
    })
    .await;
    assert!(started);

    cluster.0.stop().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    Cluster::ensure(&spec, true).unwrap();
    // Jobs enqueued after the restart are found too (NOTIFY or polling).
    enqueue_probes(&mut connect(), 50, 0);
    let finished = eventually(Duration::from_secs(90), || async {
        PgConnection::establish(&url).is_ok_and(|mut conn| {
            count(
                &mut conn,
                "SELECT count(*) AS n FROM jobs WHERE kind = 'probe' AND status = 'succeeded'",
            ) == 250
        })
    })
    .await;
    let exit = worker.terminate();
    let mut conn = connect();
    let stuck = count(
        &mut conn,
        "SELECT count(*) AS n FROM jobs WHERE kind = 'probe' AND status <> 'succeeded'",
    );
    assert!(finished, "{stuck} jobs did not finish after the restart");
    assert!(exit.success());
    assert_each_effect_once(&mut conn, 250);
}

/// Stops the private cluster and removes its data however the test ends.
struct StopOnDrop(Cluster);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        let _ = self.0.stop();
        let _ = std::fs::remove_dir_all(self.0.data_dir());
    }
}
