//! The job queue against real Postgres.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use diesel::Connection;
use guestcare_jobs::{JobError, NewJob, Registry, Runner, RunnerConfig, enqueue};
use guestcare_tests::{TestDb, app::pool_for};
use tokio::sync::watch;

fn config(queue: &str) -> RunnerConfig {
    RunnerConfig {
        worker_id: "test-worker".to_owned(),
        queue: queue.to_owned(),
        concurrency: 4,
        poll_interval: Duration::from_millis(50),
        lease: Duration::from_secs(30),
        shutdown_grace: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn enqueued_jobs_run_once_and_succeed() {
    let db = TestDb::new();
    let pool = pool_for(&db);
    let mut conn = db.connect();
    conn.transaction(|conn| {
        for n in 0..20 {
            enqueue(
                conn,
                &NewJob::new("default", "count", serde_json::json!({ "n": n })),
            )?;
        }
        diesel::QueryResult::Ok(())
    })
    .unwrap();
    let runs = Arc::new(AtomicUsize::new(0));
    let mut registry = Registry::new();
    let counter = runs.clone();
    registry.register("count", Duration::from_secs(5), move |_ctx| {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok::<(), JobError>(())
        }
    });
    let (stop, shutdown) = watch::channel(false);
    let runner = Runner::new(config("default"), pool, Arc::new(registry));
    let task = tokio::spawn(runner.run(shutdown));
    for _ in 0..100 {
        if runs.load(Ordering::SeqCst) == 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    task.await.unwrap();
    assert_eq!(runs.load(Ordering::SeqCst), 20);
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let done: Count =
        diesel::sql_query("SELECT count(*) AS n FROM jobs WHERE status = 'succeeded'")
            .get_result(&mut conn)
            .unwrap();
    assert_eq!(done.n, 20);
}
