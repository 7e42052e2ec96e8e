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
pub mod imap;
pub mod jobs;
pub mod metrics;
pub mod periodic;
pub mod sent_recorder;
pub mod settings_cache;
pub mod sms;

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use guestcare_db::PgPool;
use guestcare_domain::settings::Settings;
use guestcare_jobs::{QueueMetrics, Runner, RunnerConfig, listener, schedule, store};
use secrecy::ExposeSecret;
use tokio::{net::TcpListener, sync::watch, task::JoinSet};

/// How often the cron scheduler looks for due occurrences.
pub const SCHEDULER_TICK: Duration = Duration::from_secs(1);

/// How often queue depth is sampled for `/metrics`.
pub const DEPTH_SAMPLE_INTERVAL: Duration = Duration::from_secs(5);

/// The id this process puts in job leases: `worker.id`, else `hostname-pid`.
pub fn worker_id(settings: &Settings) -> String {
    if !settings.worker.id.is_empty() {
        return settings.worker.id.clone();
    }
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_else(|_| "worker".to_owned());
    format!("{}-{}", host.trim(), std::process::id())
}

/// A started worker: its runners, listener, scheduler, reaper and metrics.
#[derive(Debug)]
pub struct Worker {
    tasks: JoinSet<()>,
    /// Where `/metrics` is served, when enabled.
    pub metrics_addr: Option<std::net::SocketAddr>,
}

impl Worker {
    /// Starts everything; fails only when the metrics address cannot be
    /// bound. The database need not be up: every part retries until it is.
    pub async fn start(
        settings: Arc<Settings>,
        pool: PgPool,
        shutdown: watch::Receiver<bool>,
    ) -> anyhow::Result<Worker> {
        let channels = Arc::new(channels::Channels::new(&settings)?);
        let registry = Arc::new(jobs::registry(&settings, channels));
        let metrics = Arc::new(QueueMetrics::new());
        let worker_id = worker_id(&settings);
        let lease = Duration::from_secs(settings.worker.lease_secs);
        let mut tasks = JoinSet::new();
        let mut wakers = listener::Wakers::new();
        for (queue, &concurrency) in &settings.worker.queues {
            let runner = Runner::new(
                RunnerConfig {
                    worker_id: worker_id.clone(),
                    queue: queue.clone(),
                    concurrency,
                    claim_ahead: settings.worker.claim_ahead,
                    poll_interval: Duration::from_millis(settings.worker.poll_interval_ms),
                    lease,
                    shutdown_grace: Duration::from_secs(settings.worker.shutdown_grace_secs),
                },
                pool.clone(),
                registry.clone(),
            )
            .with_metrics(metrics.clone());
            wakers.insert(queue.clone(), runner.waker());
            tasks.spawn(runner.run(shutdown.clone()));
        }
        let database_url = settings.database.url.expose_secret().to_owned();
        let listen_shutdown = shutdown.clone();
        tasks.spawn(async move {
            let listening = tokio::task::spawn_blocking(move || {
                listener::listen(&database_url, &wakers, &listen_shutdown);
            });
            if let Err(error) = listening.await {
                tracing::error!(%error, "job listener failed; runners fall back to polling");
            }
        });
        spawn_chores(&mut tasks, &settings, &pool, &metrics, &shutdown);
        let metrics_addr = match settings.worker.metrics_bind.as_str() {
            "" => None,
            bind => {
                let listener = TcpListener::bind(bind).await?;
                let addr = listener.local_addr()?;
                tasks.spawn(metrics::serve(listener, metrics, shutdown));
                Some(addr)
            }
        };
        tracing::info!(worker.id = %worker_id, queues = settings.worker.queues.len(), "worker started");
        Ok(Worker {
            tasks,
            metrics_addr,
        })
    }

    /// Waits until shutdown has been requested and in-flight work finished
    /// (or the grace period passed).
    pub async fn wait(mut self) {
        while self.tasks.join_next().await.is_some() {}
        tracing::info!("worker stopped");
    }
}

/// The reaper, the cron scheduler and the depth sample.
fn spawn_chores(
    tasks: &mut JoinSet<()>,
    settings: &Settings,
    pool: &PgPool,
    metrics: &Arc<QueueMetrics>,
    shutdown: &watch::Receiver<bool>,
) {
    let lease = Duration::from_secs(settings.worker.lease_secs);
    tasks.spawn(periodic::every(
        "reaper",
        pool.clone(),
        lease.min(Duration::from_secs(15)),
        shutdown.clone(),
        store::reap,
        |reaped| {
            if reaped > 0 {
                tracing::warn!(reaped, "returned jobs with expired leases to the queue");
            }
        },
    ));
    let catch_up = Duration::from_secs(settings.worker.cron_catch_up_secs.max(0).unsigned_abs());
    let clock_offset = chrono::Duration::seconds(settings.worker.clock_offset_secs);
    tasks.spawn(periodic::every(
        "scheduler",
        pool.clone(),
        SCHEDULER_TICK,
        shutdown.clone(),
        move |conn| schedule::tick(conn, Utc::now() + clock_offset, catch_up),
        |report| {
            if report.skipped_stale > 0 {
                tracing::warn!(
                    schedules = report.skipped_stale,
                    "skipped occurrences older than the catch-up window"
                );
            }
            if report.enqueued > 0 {
                tracing::info!(jobs = report.enqueued, "scheduled occurrences enqueued");
            }
        },
    ));
    let metrics = metrics.clone();
    tasks.spawn(periodic::every(
        "queue depth",
        pool.clone(),
        DEPTH_SAMPLE_INTERVAL,
        shutdown.clone(),
        store::depth,
        move |rows| metrics.set_depth(&rows),
    ));
}

/// Runs the worker until `shutdown` turns true, then returns once in-flight
/// work has finished (or the grace period has passed).
pub async fn run(
    settings: Arc<Settings>,
    pool: PgPool,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    Worker::start(settings, pool, shutdown).await?.wait().await;
    Ok(())
}
