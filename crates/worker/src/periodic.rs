//! Periodic database chores of the daemon: the lease reaper, the cron
//! scheduler's tick and the queue-depth sample.

use std::time::Duration;

use diesel::PgConnection;
use guestcare_db::PgPool;
use tokio::sync::watch;

/// Runs `work` on a pooled connection every `period` until shutdown, handing
/// each result to `report`. A failure (the database restarting) is logged
/// and the chore simply runs again at the next period.
pub async fn every<T, W, R>(
    chore: &'static str,
    pool: PgPool,
    period: Duration,
    mut shutdown: watch::Receiver<bool>,
    work: W,
    report: R,
) where
    T: Send + 'static,
    W: Fn(&mut PgConnection) -> diesel::QueryResult<T> + Clone + Send + 'static,
    R: Fn(T),
{
    while !*shutdown.borrow() {
        let pool = pool.clone();
        let work = work.clone();
        let done = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            work(&mut conn).map_err(|e| e.to_string())
        })
        .await;
        match done {
            Ok(Ok(value)) => report(value),
            Ok(Err(error)) => tracing::warn!(chore, %error, "could not reach the database"),
            Err(error) => tracing::error!(chore, %error, "task failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            _ = shutdown.changed() => {}
        }
    }
}
