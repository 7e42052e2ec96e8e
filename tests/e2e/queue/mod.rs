//! The job queue and the worker daemon against real Postgres.

mod api;
mod backlog;
mod claiming;
mod daemon;
mod failures;
mod faults;
mod notify;
mod schedules;

use std::{future::Future, time::Duration};

use diesel::{PgConnection, QueryableByName, RunQueryDsl, sql_types::BigInt};
use guestcare_jobs::RunnerConfig;

/// A runner configuration for tests: polls often unless told otherwise.
fn config(queue: &str, worker: &str) -> RunnerConfig {
    RunnerConfig {
        worker_id: worker.to_owned(),
        queue: queue.to_owned(),
        concurrency: 4,
        claim_ahead: 4,
        poll_interval: Duration::from_millis(50),
        lease: Duration::from_secs(30),
        shutdown_grace: Duration::from_secs(5),
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// `SELECT count(*) …` as a number.
fn count(conn: &mut PgConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

/// Polls `check` every 50 ms until it holds or `within` passes; returns
/// whether it held.
async fn eventually<F, Fut>(within: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if check().await {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
