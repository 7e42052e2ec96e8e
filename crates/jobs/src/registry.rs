//! Which handler runs which kind of job.

use std::{collections::HashMap, future::Future, pin::Pin, sync::Arc, time::Duration};

use diesel::{
    PgConnection,
    r2d2::{ConnectionManager, Pool},
};

use crate::{ClaimedJob, JobError};

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
}

impl JobContext {
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
