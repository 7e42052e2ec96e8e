//! Failures: fencing, backoff, attempts, permanent errors, timeouts,
//! panics and the reaper.

use std::{sync::Arc, time::Duration};

use diesel::RunQueryDsl;
use guestcare_jobs::{
    JobError, NewJob, Registry, Runner, backoff, enqueue,
    store::{self, FailOutcome},
};
use guestcare_tests::{TestDb, app::pool_for};
use tokio::sync::watch;
use uuid::Uuid;

use super::{config, count, eventually};

fn new_job(conn: &mut diesel::PgConnection, kind: &str, max_attempts: i32) -> Uuid {
    enqueue(
        conn,
        &NewJob::new("default", kind, serde_json::json!({})).with_max_attempts(max_attempts),
    )
    .unwrap()
    .unwrap()
}

fn claim_one(conn: &mut diesel::PgConnection, worker: &str) -> guestcare_jobs::ClaimedJob {
    let mut jobs = store::claim(conn, "default", worker, 1, Duration::from_secs(30)).unwrap();
    assert_eq!(jobs.len(), 1, "{worker} claims a job");
    jobs.remove(0)
}

fn expire_leases(conn: &mut diesel::PgConnection) {
    diesel::sql_query(
        "UPDATE jobs SET locked_until = now() - interval '1 second' WHERE status = 'running'",
    )
    .execute(conn)
    .unwrap();
}

fn seconds_until_run(conn: &mut diesel::PgConnection, id: Uuid) -> f64 {
    #[derive(diesel::QueryableByName)]
    struct Wait {
        #[diesel(sql_type = diesel::sql_types::Double)]
        secs: f64,
    }
    diesel::sql_query(
        "SELECT extract(epoch FROM run_at - now())::float8 AS secs FROM jobs WHERE id = $1",
    )
    .bind::<diesel::sql_types::Uuid, _>(id)
    .get_result::<Wait>(conn)
    .unwrap()
    .secs
}

#[test]
fn a_worker_that_lost_its_lease_cannot_finish_the_newer_attempt() {
    let db = TestDb::new();
    let mut conn = db.connect();
    new_job(&mut conn, "record", 5);
    let stale = claim_one(&mut conn, "worker-a");
    expire_leases(&mut conn);
    assert_eq!(store::reap(&mut conn).unwrap(), 1);
    let fresh = claim_one(&mut conn, "worker-b");
    assert_eq!(fresh.attempts, 2);

    assert!(!store::complete(&mut conn, &stale.lease()).unwrap());
    let error = JobError::Permanent("late".to_owned());
    assert_eq!(
        store::fail(&mut conn, &stale.lease(), &error).unwrap(),
        FailOutcome::LeaseLost
    );
    assert!(store::complete(&mut conn, &fresh.lease()).unwrap());
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'succeeded' AND last_error IS NULL"
        ),
        1
    );
}

#[test]
fn transient_failures_back_off_exponentially_then_fail_with_the_error_kept() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let id = new_job(&mut conn, "record", 3);
    for attempt in 1..=2 {
        let job = claim_one(&mut conn, "w");
        let outcome =
            store::fail(&mut conn, &job.lease(), &JobError::transient("SMTP 451")).unwrap();
        assert_eq!(outcome, FailOutcome::Retrying);
        let ceiling = backoff::ceiling(attempt).as_secs_f64();
        let wait = seconds_until_run(&mut conn, id);
        assert!(
            wait > ceiling / 2.0 - 0.5 && wait <= ceiling + 0.5,
            "attempt {attempt}: waits {wait:.2}s, expected within [{}, {ceiling}]",
            ceiling / 2.0
        );
        diesel::sql_query("UPDATE jobs SET run_at = now()")
            .execute(&mut conn)
            .unwrap();
    }
    let last = claim_one(&mut conn, "w");
    let outcome = store::fail(&mut conn, &last.lease(), &JobError::transient("SMTP 451")).unwrap();
    assert_eq!(outcome, FailOutcome::Failed);
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'failed' AND attempts = 3 AND last_error = 'SMTP 451'"
        ),
        1
    );
    assert_eq!(backoff::ceiling(30), backoff::CAP, "the delay is capped");
}

#[test]
fn a_permanent_error_fails_at_once() {
    let db = TestDb::new();
    let mut conn = db.connect();
    new_job(&mut conn, "record", 10);
    let job = claim_one(&mut conn, "w");
    let error = JobError::permanent("550 no such user");
    assert_eq!(
        store::fail(&mut conn, &job.lease(), &error).unwrap(),
        FailOutcome::Failed
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'failed' AND attempts = 1"
        ),
        1
    );
}

#[test]
fn the_reaper_returns_expired_leases_and_fails_exhausted_jobs() {
    let db = TestDb::new();
    let mut conn = db.connect();
    new_job(&mut conn, "record", 5);
    new_job(&mut conn, "record", 1);
    claim_one(&mut conn, "dead-worker");
    claim_one(&mut conn, "dead-worker");
    assert_eq!(store::reap(&mut conn).unwrap(), 0, "leases still valid");
    expire_leases(&mut conn);
    assert_eq!(store::reap(&mut conn).unwrap(), 2);
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'pending' AND last_error LIKE 'lease expired%'"
        ),
        1
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'failed' AND max_attempts = 1"
        ),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeouts_and_panics_are_failed_attempts_and_the_runner_keeps_going() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let slow = new_job(&mut conn, "slow", 1);
    let boom = new_job(&mut conn, "boom", 1);
    let fine = new_job(&mut conn, "fine", 1);
    let mut registry = Registry::new();
    registry
        .register("slow", Duration::from_millis(200), |_ctx| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(())
        })
        .register("boom", Duration::from_secs(5), |ctx| async move {
            let payload: serde_json::Value = ctx.payload()?;
            assert!(payload.get("never").is_some(), "the job body panics");
            Ok(())
        })
        .register("fine", Duration::from_secs(5), |_ctx| async { Ok(()) });
    let (stop, shutdown) = watch::channel(false);
    let mut cfg = config("default", "w");
    cfg.concurrency = 1;
    let task = tokio::spawn(Runner::new(cfg, pool_for(&db), Arc::new(registry)).run(shutdown));
    let finished = eventually(Duration::from_secs(20), || async {
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM jobs WHERE status IN ('failed', 'succeeded')",
        ) == 3
    })
    .await;
    stop.send(true).unwrap();
    task.await.unwrap();
    assert!(finished);
    let error_of = |id: Uuid| {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            status: String,
            #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
            last_error: Option<String>,
        }
        let row: Row = diesel::sql_query("SELECT status, last_error FROM jobs WHERE id = $1")
            .bind::<diesel::sql_types::Uuid, _>(id)
            .get_result(&mut db.connect())
            .unwrap();
        (row.status, row.last_error.unwrap_or_default())
    };
    assert_eq!(
        error_of(slow),
        ("failed".to_owned(), "timed out after 200ms".to_owned())
    );
    assert_eq!(
        error_of(boom),
        ("failed".to_owned(), "the job panicked".to_owned())
    );
    assert_eq!(error_of(fine).0, "succeeded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_effect_committed_with_a_lost_lease_is_rolled_back() {
    let db = TestDb::new();
    let mut conn = db.connect();
    new_job(&mut conn, "steal", 1);
    let url = db.url().to_owned();
    let mut registry = Registry::new();
    registry.register("steal", Duration::from_secs(5), move |ctx| {
        let url = url.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                use diesel::Connection;
                // Another worker took the job over meanwhile.
                let mut other = diesel::PgConnection::establish(&url).unwrap();
                diesel::sql_query("UPDATE jobs SET locked_by = 'thief'")
                    .execute(&mut other)
                    .unwrap();
                ctx.complete_with(|conn| {
                    diesel::sql_query(
                        "INSERT INTO worker_probes (job_id, attempt, worker) VALUES (gen_random_uuid(), 1, 'w')",
                    )
                    .execute(conn)
                })
            })
            .await
            .unwrap()
            .map(|_| ())
        }
    });
    let (stop, shutdown) = watch::channel(false);
    let task = tokio::spawn(
        Runner::new(config("default", "w"), pool_for(&db), Arc::new(registry)).run(shutdown),
    );
    let tried = eventually(Duration::from_secs(10), || async {
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM jobs WHERE locked_by = 'thief'",
        ) == 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(true).unwrap();
    task.await.unwrap();
    assert!(tried);
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM worker_probes"),
        0
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'running' AND locked_by = 'thief'"
        ),
        1,
        "the thief's attempt is untouched"
    );
}

#[test]
fn batch_completion_is_fenced_per_job() {
    let db = TestDb::new();
    let mut conn = db.connect();
    for _ in 0..3 {
        new_job(&mut conn, "record", 5);
    }
    let mine = store::claim(&mut conn, "default", "worker-a", 3, Duration::from_secs(30)).unwrap();
    let stolen = mine[0].id;
    diesel::sql_query("UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = $1")
        .bind::<diesel::sql_types::Uuid, _>(stolen)
        .execute(&mut conn)
        .unwrap();
    assert_eq!(store::reap(&mut conn).unwrap(), 1);
    let theirs = claim_one(&mut conn, "worker-b");
    assert_eq!(theirs.id, stolen);

    let leases: Vec<_> = mine.iter().map(|job| job.lease()).collect();
    let completed = store::complete_many(&mut conn, &leases).unwrap();
    assert_eq!(completed.len(), 2);
    assert!(!completed.contains(&stolen));
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'running' AND locked_by = 'worker-b'"
        ),
        1,
        "the newer attempt is untouched"
    );
}
