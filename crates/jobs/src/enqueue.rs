//! Putting work on the queue, inside the caller's transaction.

use chrono::{DateTime, Utc};
use diesel::{
    OptionalExtension, PgConnection, QueryableByName, RunQueryDsl,
    sql_types::{Integer, Jsonb, Nullable, SmallInt, Text, Timestamptz, Uuid as SqlUuid},
};
use uuid::Uuid;

/// A job to enqueue. Build with [`NewJob::new`] and the `with_*` methods.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub queue: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub tenant_id: Option<Uuid>,
    /// When it may run; `None` means now.
    pub run_at: Option<DateTime<Utc>>,
    /// Higher runs first among due jobs of a queue.
    pub priority: i16,
    pub max_attempts: i32,
    /// While a job with this key is pending or running, enqueueing another
    /// with the same key does nothing.
    pub dedupe_key: Option<String>,
}

impl NewJob {
    /// A job of `kind` on `queue` with `payload` (ids, not data), due now,
    /// priority 0, at most 10 attempts.
    pub fn new(
        queue: impl Into<String>,
        kind: impl Into<String>,
        payload: serde_json::Value,
    ) -> NewJob {
        NewJob {
            queue: queue.into(),
            kind: kind.into(),
            payload,
            tenant_id: None,
            run_at: None,
            priority: 0,
            max_attempts: 10,
            dedupe_key: None,
        }
    }

    #[must_use]
    pub fn with_tenant(mut self, tenant_id: Uuid) -> NewJob {
        self.tenant_id = Some(tenant_id);
        self
    }

    #[must_use]
    pub fn with_run_at(mut self, run_at: DateTime<Utc>) -> NewJob {
        self.run_at = Some(run_at);
        self
    }

    #[must_use]
    pub fn with_priority(mut self, priority: i16) -> NewJob {
        self.priority = priority;
        self
    }

    #[must_use]
    pub fn with_max_attempts(mut self, max_attempts: i32) -> NewJob {
        self.max_attempts = max_attempts.max(1);
        self
    }

    #[must_use]
    pub fn with_dedupe_key(mut self, key: impl Into<String>) -> NewJob {
        self.dedupe_key = Some(key.into());
        self
    }
}

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// Inserts the job; returns its id, or `None` when a live job with the same
/// dedupe key already exists. Call it inside the transaction that writes the
/// data the job refers to.
pub fn enqueue(conn: &mut PgConnection, job: &NewJob) -> diesel::QueryResult<Option<Uuid>> {
    let inserted: Option<Inserted> = diesel::sql_query(
        "INSERT INTO jobs (id, tenant_id, queue, kind, payload, run_at, priority, max_attempts, dedupe_key) \
         VALUES ($1, $2, $3, $4, $5, coalesce($6, now()), $7, $8, $9) \
         ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('pending', 'running') \
         DO NOTHING RETURNING id",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Nullable<SqlUuid>, _>(job.tenant_id)
    .bind::<Text, _>(&job.queue)
    .bind::<Text, _>(&job.kind)
    .bind::<Jsonb, _>(&job.payload)
    .bind::<Nullable<Timestamptz>, _>(job.run_at)
    .bind::<SmallInt, _>(job.priority)
    .bind::<Integer, _>(job.max_attempts)
    .bind::<Nullable<Text>, _>(job.dedupe_key.as_deref())
    .get_result(conn)
    .optional()?;
    Ok(inserted.map(|row| row.id))
}
