//! Claiming and running the jobs of one queue.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::Utc;

use tokio::{
    sync::{Notify, Semaphore, mpsc, oneshot, watch},
    task::JoinSet,
};

use crate::{
    ClaimedJob, JobError, Lease,
    metrics::{Outcome, QueueMetrics},
    registry::{JobContext, PgPool, Registry},
    store,
};

mod backlog;
mod recorder;

use backlog::Backlog;
use recorder::{Recording, record_outcomes};

/// The longest a runner waits before claiming again after the database
/// failed (it doubles from the poll interval up to this).
const MAX_CLAIM_BACKOFF: Duration = Duration::from_secs(10);

/// How one queue's runner behaves.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// Names this process in leases.
    pub worker_id: String,
    pub queue: String,
    /// Jobs of this queue run at once in this process.
    pub concurrency: usize,
    /// How often to look for due jobs when nothing wakes the runner.
    pub poll_interval: Duration,
    /// Jobs claimed beyond the free slots and held until one frees (0:
    /// claim only for free slots). A few save a claim round trip per job on
    /// a busy queue; each held job is one another worker cannot take.
    pub claim_ahead: usize,
    /// How long a claimed job is leased.
    pub lease: Duration,
    /// On shutdown, how long in-flight jobs may take to finish.
    pub shutdown_grace: Duration,
}

/// Runs the jobs of one queue until shut down.
#[derive(Debug, Clone)]
pub struct Runner {
    config: RunnerConfig,
    pool: PgPool,
    registry: Arc<Registry>,
    wake: Arc<Notify>,
    metrics: Arc<QueueMetrics>,
}

impl Runner {
    pub fn new(config: RunnerConfig, pool: PgPool, registry: Arc<Registry>) -> Runner {
        Runner {
            config,
            pool,
            registry,
            wake: Arc::new(Notify::new()),
            metrics: Arc::new(QueueMetrics::new()),
        }
    }

    /// Records latency and outcomes into `metrics` (shared by the process).
    #[must_use]
    pub fn with_metrics(mut self, metrics: Arc<QueueMetrics>) -> Runner {
        self.metrics = metrics;
        self
    }

    /// Wakes the runner to claim now (e.g. on a NOTIFY for its queue).
    pub fn waker(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Claims and runs jobs until `shutdown` turns true; then stops claiming,
    /// gives back claimed jobs that have not started, and waits up to the
    /// grace period for in-flight jobs. Jobs still running after that are
    /// abandoned: their leases expire and the reaper returns them to the
    /// queue, so nothing is lost.
    ///
    /// The runner keeps up to `claim_ahead` claimed jobs beyond its free
    /// slots in a local backlog, and claims again once the backlog is down
    /// to half that, so a busy runner claims in batches rather than one job
    /// per freed slot. A slot is freed as soon as the handler returns; the
    /// outcome is recorded by the runner's recorder meanwhile.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let slots = Arc::new(Semaphore::new(self.config.concurrency));
        let freed = Arc::new(Notify::new());
        let mut backlog = Backlog::new(self.config.lease);
        let mut in_flight = JoinSet::new();
        let (recorder, outcomes) = mpsc::unbounded_channel();
        let recording = tokio::spawn(record_outcomes(self.pool.clone(), outcomes));
        let mut idle_wait = self.config.poll_interval;
        while !*shutdown.borrow() {
            while in_flight.try_join_next().is_some() {}
            let mut more_due = false;
            let wanted = slots.available_permits() + self.config.claim_ahead;
            if backlog.len() <= self.config.claim_ahead / 2 && wanted > backlog.len() {
                let limit = wanted - backlog.len();
                match self.claim(limit).await {
                    Ok(jobs) => {
                        idle_wait = self.config.poll_interval;
                        more_due = jobs.len() == limit;
                        backlog.extend(jobs);
                    }
                    Err(error) => {
                        idle_wait = (idle_wait * 2).min(MAX_CLAIM_BACKOFF);
                        tracing::warn!(queue = %self.config.queue, %error, retry_in_ms = idle_wait.as_millis() as u64, "claiming failed; retrying");
                    }
                }
            }
            let mut expired = Vec::new();
            while let Ok(permit) = slots.clone().try_acquire_owned() {
                let Some(job) = backlog.next(&mut expired) else {
                    drop(permit);
                    break;
                };
                let (runner, recorder, freed) = (self.clone(), recorder.clone(), freed.clone());
                in_flight.spawn(async move {
                    let attempt = runner.attempt(job).await;
                    drop(permit);
                    freed.notify_one();
                    runner.record(attempt, &recorder).await;
                });
            }
            self.give_back(expired).await;
            if more_due && slots.available_permits() > 0 {
                continue;
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = freed.notified() => {}
                () = tokio::time::sleep(idle_wait) => {}
                _ = shutdown.changed() => {}
            }
        }
        self.give_back(backlog.drain()).await;
        let drained = tokio::time::timeout(self.config.shutdown_grace, async {
            while in_flight.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(queue = %self.config.queue, abandoned = in_flight.len(), "grace period over; leases will expire");
            in_flight.abort_all();
        }
        drop(recorder);
        let _ = recording.await;
    }

    async fn claim(&self, limit: usize) -> Result<Vec<ClaimedJob>, String> {
        let pool = self.pool.clone();
        let config = self.config.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            store::claim(
                &mut conn,
                &config.queue,
                &config.worker_id,
                limit as i64,
                config.lease,
            )
            .map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())?
    }

    /// Returns claimed jobs that will not be started to the queue; on a
    /// database error their leases expire and the reaper does it instead.
    async fn give_back(&self, leases: Vec<Lease>) {
        if leases.is_empty() {
            return;
        }
        let pool = self.pool.clone();
        let released = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            store::release(&mut conn, &leases).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|released| released);
        match released {
            Ok(n) => {
                tracing::debug!(queue = %self.config.queue, released = n, "gave back unstarted jobs")
            }
            Err(error) => {
                tracing::warn!(queue = %self.config.queue, %error, "could not give back unstarted jobs; their leases will expire")
            }
        }
    }

    /// Runs one job with its timeout, catching panics.
    async fn attempt(&self, job: ClaimedJob) -> Attempt {
        let started = Instant::now();
        let due = job.run_at.max(job.created_at);
        self.metrics.observe_pickup(
            &job.queue,
            (Utc::now() - due).num_microseconds().unwrap_or(0) as f64 / 1e6,
        );
        let context = JobContext::new(job, self.pool.clone());
        let result = self.run_body(context.clone()).await;
        Attempt {
            context,
            result,
            started,
        }
    }

    /// Records a finished attempt's outcome under its lease (a job that
    /// completed itself through [`JobContext::complete_with`] needs nothing
    /// more) and reports it to the metrics and the log.
    async fn record(&self, attempt: Attempt, recorder: &mpsc::UnboundedSender<Recording>) {
        let Attempt {
            context,
            result,
            started,
        } = attempt;
        let job = &context.job;
        let recorded = if result.is_ok() && context.is_completed() {
            Ok(Outcome::Succeeded)
        } else {
            let (done, outcome) = oneshot::channel();
            let recording = Recording {
                lease: job.lease(),
                result: result.clone(),
                done,
            };
            match recorder.send(recording) {
                Ok(()) => outcome
                    .await
                    .unwrap_or_else(|_| Err("the outcome recorder stopped".to_owned())),
                Err(_) => Err("the outcome recorder stopped".to_owned()),
            }
        };
        if let Ok(outcome) = recorded {
            self.metrics.observe_finished(
                &job.queue,
                &job.kind,
                outcome,
                started.elapsed().as_secs_f64(),
            );
        }
        let span = tracing::info_span!("job", job.id = %job.id, job.kind = %job.kind, job.attempt = job.attempts);
        span.in_scope(|| match (recorded, result) {
            (Ok(Outcome::Succeeded), _) => tracing::debug!("job succeeded"),
            (Ok(Outcome::LeaseLost), _) => {
                tracing::warn!("lease lost before the outcome was recorded")
            }
            (Ok(Outcome::Retrying), Err(error)) => tracing::warn!(%error, "job failed; will retry"),
            (Ok(_), Err(error)) => tracing::error!(%error, "job failed permanently"),
            (Ok(_), Ok(())) => {}
            (Err(error), _) => {
                tracing::error!(%error, "could not record the outcome; the lease will expire")
            }
        });
    }

    /// The handler's result; a missing handler, a panic or a timeout are
    /// failures like any other.
    async fn run_body(&self, context: JobContext) -> Result<(), JobError> {
        let Some(registered) = self.registry.get(&context.job.kind) else {
            return Err(JobError::Permanent(format!(
                "no handler registered for kind `{}`",
                context.job.kind
            )));
        };
        let body = tokio::spawn((registered.handler)(context));
        match tokio::time::timeout(registered.timeout, body).await {
            Ok(Ok(result)) => result,
            Ok(Err(join_error)) if join_error.is_panic() => {
                Err(JobError::Transient("the job panicked".to_owned()))
            }
            Ok(Err(_)) => Err(JobError::Transient("the job was cancelled".to_owned())),
            Err(_) => Err(JobError::Transient(format!(
                "timed out after {:?}",
                registered.timeout
            ))),
        }
    }
}

/// A finished run of a job, before its outcome is recorded.
struct Attempt {
    context: JobContext,
    result: Result<(), JobError>,
    started: Instant,
}
