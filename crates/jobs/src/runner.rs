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
    ClaimedJob, JobError,
    metrics::{Outcome, QueueMetrics},
    registry::{JobContext, PgPool, Registry},
    store::{self, FailOutcome},
};

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

    /// Claims and runs jobs until `shutdown` turns true; then stops claiming
    /// and waits up to the grace period for in-flight jobs. Jobs still
    /// running after that are abandoned: their leases expire and the reaper
    /// returns them to the queue, so nothing is lost.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let slots = Arc::new(Semaphore::new(self.config.concurrency));
        let mut in_flight = JoinSet::new();
        let (recorder, outcomes) = mpsc::unbounded_channel();
        let recording = tokio::spawn(record_outcomes(self.pool.clone(), outcomes));
        let mut idle_wait = self.config.poll_interval;
        while !*shutdown.borrow() {
            let free = slots.available_permits();
            let mut saturated = false;
            if free > 0 {
                match self.claim(free).await {
                    Ok(jobs) => {
                        idle_wait = self.config.poll_interval;
                        saturated = jobs.len() == free;
                        for job in jobs {
                            let Ok(permit) = slots.clone().try_acquire_owned() else {
                                break;
                            };
                            let (runner, recorder) = (self.clone(), recorder.clone());
                            in_flight.spawn(async move {
                                runner.execute(job, &recorder).await;
                                drop(permit);
                            });
                        }
                    }
                    Err(error) => {
                        idle_wait = (idle_wait * 2).min(MAX_CLAIM_BACKOFF);
                        tracing::warn!(queue = %self.config.queue, %error, retry_in_ms = idle_wait.as_millis() as u64, "claiming failed; retrying");
                    }
                }
            }
            if saturated && slots.available_permits() > 0 {
                continue;
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(idle_wait) => {}
                Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
                _ = shutdown.changed() => {}
            }
        }
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

    /// Runs one job with its timeout, catching panics, then records the
    /// outcome under the job's lease.
    async fn execute(&self, job: ClaimedJob, recorder: &mpsc::UnboundedSender<Recording>) {
        let claimed = Instant::now();
        let due = job.run_at.max(job.created_at);
        self.metrics.observe_pickup(
            &job.queue,
            (Utc::now() - due).num_microseconds().unwrap_or(0) as f64 / 1e6,
        );
        let (queue, kind) = (job.queue.clone(), job.kind.clone());
        let span = tracing::info_span!("job", job.id = %job.id, job.kind = %job.kind, job.attempt = job.attempts);
        let context = JobContext::new(job, self.pool.clone());
        let result = self.run_body(context.clone()).await;
        let recorded = if result.is_ok() && context.is_completed() {
            Ok(Outcome::Succeeded)
        } else {
            let (done, outcome) = oneshot::channel();
            let recording = Recording {
                lease: context.job.lease(),
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
            self.metrics
                .observe_finished(&queue, &kind, outcome, claimed.elapsed().as_secs_f64());
        }
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

/// A finished attempt waiting to be recorded, and who waits for the answer.
struct Recording {
    lease: crate::Lease,
    result: Result<(), JobError>,
    done: oneshot::Sender<Result<Outcome, String>>,
}

/// How many finished attempts one recording round takes at most.
const RECORD_BATCH: usize = 64;

/// Records outcomes as attempts finish: whatever has piled up is taken in
/// one round, successes completed in one fenced statement
/// ([`store::complete_many`]), failures one by one. Ends when every sender
/// is gone.
async fn record_outcomes(pool: PgPool, mut pending: mpsc::UnboundedReceiver<Recording>) {
    while let Some(first) = pending.recv().await {
        let mut batch = vec![first];
        while batch.len() < RECORD_BATCH {
            match pending.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        let _ = tokio::task::spawn_blocking(move || record_batch(&pool, batch)).await;
    }
}

/// One recording round on one connection; every waiter gets its answer.
fn record_batch(pool: &PgPool, batch: Vec<Recording>) {
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(error) => {
            for recording in batch {
                let _ = recording.done.send(Err(error.to_string()));
            }
            return;
        }
    };
    let (succeeded, failed): (Vec<_>, Vec<_>) = batch.into_iter().partition(|r| r.result.is_ok());
    let leases: Vec<_> = succeeded.iter().map(|r| r.lease.clone()).collect();
    let completed = if leases.is_empty() {
        Ok(Vec::new())
    } else {
        store::complete_many(&mut conn, &leases)
    };
    match completed {
        Ok(completed) => {
            for recording in succeeded {
                let outcome = if completed.contains(&recording.lease.job_id) {
                    Outcome::Succeeded
                } else {
                    Outcome::LeaseLost
                };
                let _ = recording.done.send(Ok(outcome));
            }
        }
        Err(error) => {
            for recording in succeeded {
                let _ = recording.done.send(Err(error.to_string()));
            }
        }
    }
    for recording in failed {
        let Err(error) = &recording.result else {
            continue;
        };
        let outcome = match store::fail(&mut conn, &recording.lease, error) {
            Ok(FailOutcome::Retrying) => Ok(Outcome::Retrying),
            Ok(FailOutcome::Failed) => Ok(Outcome::Failed),
            Ok(FailOutcome::LeaseLost) => Ok(Outcome::LeaseLost),
            Err(e) => Err(e.to_string()),
        };
        let _ = recording.done.send(outcome);
    }
}
