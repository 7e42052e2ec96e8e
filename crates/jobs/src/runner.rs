//! Claiming and running the jobs of one queue.

use std::{sync::Arc, time::Duration};

use tokio::{
    sync::{Notify, Semaphore, watch},
    task::JoinSet,
};

use crate::{
    ClaimedJob, JobError,
    registry::{JobContext, PgPool, Registry},
    store::{self, FailOutcome},
};

/// What became of a finished attempt.
enum Recorded {
    Succeeded,
    Retrying(JobError),
    Failed(JobError),
    LeaseLost,
}

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
}

impl Runner {
    pub fn new(config: RunnerConfig, pool: PgPool, registry: Arc<Registry>) -> Runner {
        Runner {
            config,
            pool,
            registry,
            wake: Arc::new(Notify::new()),
        }
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
        while !*shutdown.borrow() {
            let free = slots.available_permits();
            let mut saturated = false;
            if free > 0 {
                match self.claim(free).await {
                    Ok(jobs) => {
                        saturated = jobs.len() == free;
                        for job in jobs {
                            let Ok(permit) = slots.clone().try_acquire_owned() else {
                                break;
                            };
                            let runner = self.clone();
                            in_flight.spawn(async move {
                                runner.execute(job).await;
                                drop(permit);
                            });
                        }
                    }
                    Err(error) => {
                        tracing::warn!(queue = %self.config.queue, %error, "claiming failed; retrying");
                    }
                }
            }
            if saturated && slots.available_permits() > 0 {
                continue;
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.config.poll_interval) => {}
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
    async fn execute(&self, job: ClaimedJob) {
        let lease = job.lease();
        let span = tracing::info_span!("job", job.id = %job.id, job.kind = %job.kind, job.attempt = job.attempts);
        let outcome = match self.registry.get(&job.kind) {
            None => Err(JobError::Permanent(format!(
                "no handler registered for kind `{}`",
                job.kind
            ))),
            Some(registered) => {
                let context = JobContext {
                    job,
                    pool: self.pool.clone(),
                };
                let body = tokio::spawn((registered.handler)(context));
                match tokio::time::timeout(registered.timeout, body).await {
                    Ok(Ok(result)) => result,
                    Ok(Err(join_error)) if join_error.is_panic() => {
                        Err(JobError::Transient("the job panicked".to_owned()))
                    }
                    Ok(Err(_)) => Err(JobError::Transient("the job was cancelled".to_owned())),
                    Err(_) => Err(JobError::Transient(format!(
                        "timed out after {}s",
                        registered.timeout.as_secs()
                    ))),
                }
            }
        };
        let pool = self.pool.clone();
        let recorded = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let recorded = match outcome {
                Ok(()) => match store::complete(&mut conn, &lease) {
                    Ok(true) => Recorded::Succeeded,
                    Ok(false) => Recorded::LeaseLost,
                    Err(e) => return Err(e.to_string()),
                },
                Err(error) => match store::fail(&mut conn, &lease, &error) {
                    Ok(FailOutcome::Retrying) => Recorded::Retrying(error),
                    Ok(FailOutcome::Failed) => Recorded::Failed(error),
                    Ok(FailOutcome::LeaseLost) => Recorded::LeaseLost,
                    Err(e) => return Err(e.to_string()),
                },
            };
            Ok(recorded)
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|result| result);
        span.in_scope(|| match recorded {
            Ok(Recorded::Succeeded) => tracing::debug!("job succeeded"),
            Ok(Recorded::LeaseLost) => tracing::warn!("lease lost before the outcome was recorded"),
            Ok(Recorded::Retrying(error)) => tracing::warn!(%error, "job failed; will retry"),
            Ok(Recorded::Failed(error)) => tracing::error!(%error, "job failed permanently"),
            Err(error) => {
                tracing::error!(%error, "could not record the outcome; the lease will expire")
            }
        });
    }
}
