//! Which handler runs which kind of job.

use std::{
    collections::HashMap,
    future::Future,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use diesel::{
    Connection, PgConnection,
    r2d2::{ConnectionManager, Pool},
};

use crate::{ClaimedJob, JobError, store};

/// The pool handlers get their connections from.
pub type PgPool = Pool<ConnectionManager<PgConnection>>;

/// What a handler returns.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;

type Handler = Arc<dyn Fn(JobContext) -> HandlerFuture + Send + Sync>;

/// What a job body is given: the claimed job and a database pool.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub job: ClaimedJob,
    pub pool: PgPool,
    /// Set once [`JobContext::complete_with`] has completed the job, so the
    /// runner does not complete it again.
    pub(crate) completed: Arc<AtomicBool>,
}

impl JobContext {
    pub(crate) fn new(job: ClaimedJob, pool: PgPool) -> JobContext {
        JobContext {
            job,
            pool,
            completed: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Runs `effect` and completes the job in one transaction, fenced on the
    /// job's lease: a database effect then happens exactly once even though
    /// jobs are delivered at least once. If the lease was lost (the job was
    /// reaped and claimed again) the transaction rolls back and the attempt
    /// ends as a transient failure that the runner discards.
    ///
    /// Blocks: call it from `spawn_blocking` (or use it for short writes).
    pub fn complete_with<T>(
        &self,
        effect: impl FnOnce(&mut PgConnection) -> diesel::QueryResult<T>,
    ) -> Result<T, JobError> {
        let mut conn = self.pool.get().map_err(JobError::transient)?;
        let lease = self.job.lease();
        let value = conn.transaction(|conn| {
            let value = effect(conn)?;
            if store::complete(conn, &lease)? {
                Ok(value)
            } else {
                Err(diesel::result::Error::RollbackTransaction)
            }
        });
        match value {
            Ok(value) => {
                self.completed.store(true, Ordering::SeqCst);
                Ok(value)
            }
            Err(diesel::result::Error::RollbackTransaction) => Err(JobError::Transient(
                "lease lost; the effect was rolled back".to_owned(),
            )),
            Err(error) => Err(error.into()),
        }
    }

    /// Whether [`JobContext::complete_with`] already completed the job.
    pub(crate) fn is_completed(&self) -> bool {
        self.completed.load(Ordering::SeqCst)
    }

    /// The payload deserialised; a payload that does not fit is a permanent
    /// failure (retrying cannot change it).
    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> Result<T, JobError> {
        serde_json::from_value(self.job.payload.clone())
            .map_err(|e| JobError::Permanent(format!("invalid payload for {}: {e}", self.job.kind)))
    }
}

#[derive(Clone)]
pub(crate) struct Registered {
    pub handler: Handler,
    pub timeout: Duration,
}

/// Handlers by job kind.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, Registered>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("kinds", &self.handlers.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Registers `handler` for jobs of `kind`; an attempt that runs longer
    /// than `timeout` is abandoned and counts as a transient failure.
    pub fn register<F, Fut>(&mut self, kind: &str, timeout: Duration, handler: F) -> &mut Registry
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |ctx| Box::pin(handler(ctx)));
        self.handlers
            .insert(kind.to_owned(), Registered { handler, timeout });
        self
    }

    pub(crate) fn get(&self, kind: &str) -> Option<&Registered> {
        self.handlers.get(kind)
    }

    /// The registered kinds.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.handlers.keys().map(String::as_str)
    }
}
