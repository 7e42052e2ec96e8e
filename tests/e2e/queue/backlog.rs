//! Jobs a runner claims ahead of its free slots: never lost, never counted
//! as attempts they did not get.

use std::{sync::Arc, time::Duration};

use guestcare_jobs::{NewJob, Registry, Runner, enqueue};
use guestcare_tests::{TestDb, app::pool_for};
use tokio::sync::watch;

use super::{config, count, eventually};

fn slow_jobs(db: &TestDb, n: usize) {
    let mut conn = db.connect();
    for _ in 0..n {
        enqueue(
            &mut conn,
            &NewJob::new("default", "slow", serde_json::json!({})),
        )
        .unwrap();
    }
}

fn registry(run_for: Duration) -> Arc<Registry> {
    let mut registry = Registry::new();
    registry.register("slow", Duration::from_secs(10), move |_ctx| async move {
        tokio::time::sleep(run_for).await;
        Ok(())
    });
    Arc::new(registry)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_runner_gives_back_the_jobs_it_claimed_ahead() {
    let db = TestDb::new();
    slow_jobs(&db, 6);
    let mut cfg = config("default", "w");
    cfg.concurrency = 1;
    cfg.claim_ahead = 4;
    let (stop, shutdown) = watch::channel(false);
    let runner = Runner::new(cfg, pool_for(&db), registry(Duration::from_millis(500)));
    let task = tokio::spawn(runner.run(shutdown));
    let claimed = eventually(Duration::from_secs(10), || async {
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM jobs WHERE status = 'running'",
        ) == 5
    })
    .await;
    assert!(claimed, "one running and four held");
    stop.send(true).unwrap();
    task.await.unwrap();
    let mut conn = db.connect();
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'succeeded'"
        ),
        1,
        "the started job finishes within the grace period"
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'pending' AND attempts = 0 \
             AND locked_by IS NULL AND locked_until IS NULL"
        ),
        5,
        "held jobs are pending again with no attempt used"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_held_past_half_its_lease_is_given_back_and_claimed_afresh() {
    let db = TestDb::new();
    slow_jobs(&db, 3);
    let mut cfg = config("default", "w");
    cfg.concurrency = 1;
    cfg.claim_ahead = 2;
    cfg.lease = Duration::from_millis(400);
    let (stop, shutdown) = watch::channel(false);
    let runner = Runner::new(cfg, pool_for(&db), registry(Duration::from_millis(600)));
    let task = tokio::spawn(runner.run(shutdown));
    let done = eventually(Duration::from_secs(20), || async {
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM jobs WHERE status = 'succeeded'",
        ) == 3
    })
    .await;
    stop.send(true).unwrap();
    task.await.unwrap();
    assert!(done, "every job ran");
    assert_eq!(
        count(
            &mut db.connect(),
            "SELECT count(*) AS n FROM jobs WHERE attempts <> 1"
        ),
        0,
        "a job given back did not use up an attempt"
    );
}
