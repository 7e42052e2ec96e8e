//! The guestcare worker daemon, run by `guestcare-worker`.
//!
//! It owns everything that happens outside a request: running job bodies
//! (sending e-mail and SMS, delivering webhooks, polling IMAP mailboxes,
//! running care rules), the cron scheduler and the lease reaper, with their
//! transports. It claims work from the Postgres job table through
//! `guestcare-jobs` and never serves the API.

pub mod channels;
pub mod email;
pub mod guarded_http;
pub mod jobs;
pub mod sms;

use std::{sync::Arc, time::Duration};

use guestcare_db::PgPool;
use guestcare_domain::settings::Settings;
use guestcare_jobs::{Runner, RunnerConfig, store};
use tokio::{sync::watch, task::JoinSet};

/// The id this process puts in job leases: `worker.id`, else `hostname-pid`.
pub fn worker_id(settings: &Settings) -> String {
    if !settings.worker.id.is_empty() {
        return settings.worker.id.clone();
    }
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_else(|_| "worker".to_owned());
    format!("{}-{}", host.trim(), std::process::id())
}

/// Runs the worker until `shutdown` turns true, then returns once in-flight
/// work has finished (or the grace period has passed).
pub async fn run(
    settings: Arc<Settings>,
    pool: PgPool,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let channels = Arc::new(channels::Channels::new(&settings)?);
    let registry = Arc::new(jobs::registry(channels));
    let worker_id = worker_id(&settings);
    let mut tasks = JoinSet::new();
    for (queue, &concurrency) in &settings.worker.queues {
        let runner = Runner::new(
            RunnerConfig {
                worker_id: worker_id.clone(),
                queue: queue.clone(),
                concurrency,
                poll_interval: Duration::from_millis(settings.worker.poll_interval_ms),
                lease: Duration::from_secs(settings.worker.lease_secs),
                shutdown_grace: Duration::from_secs(settings.worker.shutdown_grace_secs),
            },
            pool.clone(),
            registry.clone(),
        );
        tasks.spawn(runner.run(shutdown.clone()));
    }
    tasks.spawn(reap_expired_leases(
        pool,
        Duration::from_secs(settings.worker.lease_secs),
        shutdown,
    ));
    tracing::info!(worker.id = %worker_id, queues = settings.worker.queues.len(), "worker started");
    while tasks.join_next().await.is_some() {}
    tracing::info!("worker stopped");
    Ok(())
}

/// Every `period`, returns jobs whose lease expired to the queue.
async fn reap_expired_leases(pool: PgPool, period: Duration, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        let pool = pool.clone();
        let reaped = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            store::reap(&mut conn).map_err(|e| e.to_string())
        })
        .await;
        match reaped {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => {
                tracing::warn!(reaped = n, "returned jobs with expired leases to the queue")
            }
            Ok(Err(error)) => tracing::warn!(%error, "reaper could not reach the database"),
            Err(error) => tracing::error!(%error, "reaper task failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(period) => {}
            _ = shutdown.changed() => {}
        }
    }
}
