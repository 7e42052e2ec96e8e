//! The queue's state transitions, each one SQL statement.
//!
//! ```text
//! pending ──claim──► running ──complete──► succeeded
//!    ▲                  │ ──fail (attempts left)──► pending (run_at = now + backoff)
//!    │                  │ ──fail (permanent / last attempt)──► failed
//!    └──reap (lease expired)──┘
//! running ──release (claimed, never started)──► pending
//! pending ──cancel──► cancelled        failed ──retry──► pending
//! ```
//!
//! Completion and failure match on (id, `locked_by`, `attempts`, running):
//! a runner whose lease expired and was taken over cannot touch the newer
//! attempt; its update simply affects no row.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::{
    PgConnection, QueryableByName, RunQueryDsl,
    sql_types::{
        Array, BigInt, Integer, Jsonb, Nullable, SmallInt, Text, Timestamptz, Uuid as SqlUuid,
    },
};
use uuid::Uuid;

use crate::{JobError, backoff};

mod operator;
mod table;

pub use operator::{Depth, cancel, depth, retry};

/// Where a job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }
}

/// The right to finish one attempt of one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub job_id: Uuid,
    pub locked_by: String,
    pub attempt: i32,
}

/// A job a runner has claimed.
#[derive(Debug, Clone, QueryableByName)]
pub struct ClaimedJob {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub tenant_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    pub queue: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
    #[diesel(sql_type = Text)]
    pub locked_by: String,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    pub run_at: DateTime<Utc>,
    #[diesel(sql_type = SmallInt)]
    pub priority: i16,
}

impl ClaimedJob {
    pub fn lease(&self) -> Lease {
        Lease {
            job_id: self.id,
            locked_by: self.locked_by.clone(),
            attempt: self.attempts,
        }
    }
}

fn seconds(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

/// Claims up to `limit` due jobs of `queue` for `worker`, leased for `lease`.
/// Concurrent claimers never get the same job (`SKIP LOCKED`).
pub fn claim(
    conn: &mut PgConnection,
    queue: &str,
    worker: &str,
    limit: i64,
    lease: Duration,
) -> diesel::QueryResult<Vec<ClaimedJob>> {
    diesel::sql_query(
        "UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, locked_by = $2, \
             locked_until = now() + make_interval(secs => $4), started_at = now(), updated_at = now() \
         FROM (SELECT id FROM jobs WHERE status = 'pending' AND queue = $1 AND run_at <= now() \
               ORDER BY priority DESC, run_at LIMIT $3 FOR UPDATE SKIP LOCKED) AS due \
         WHERE jobs.id = due.id \
         RETURNING jobs.id, jobs.tenant_id, jobs.queue, jobs.kind, jobs.payload, jobs.attempts, \
             jobs.max_attempts, jobs.locked_by, jobs.created_at, jobs.run_at, jobs.priority",
    )
    .bind::<Text, _>(queue)
    .bind::<Text, _>(worker)
    .bind::<BigInt, _>(limit)
    .bind::<diesel::sql_types::Double, _>(seconds(lease))
    .load(conn)
}

/// Marks the leased attempt succeeded. Returns `false` when the lease was
/// lost (the job was reaped and claimed again, or cancelled meanwhile).
pub fn complete(conn: &mut PgConnection, lease: &Lease) -> diesel::QueryResult<bool> {
    use diesel::{ExpressionMethods, QueryDsl, dsl::now};
    use table::jobs;
    let attempt = jobs::table
        .filter(jobs::id.eq(lease.job_id))
        .filter(jobs::locked_by.eq(&lease.locked_by))
        .filter(jobs::attempts.eq(lease.attempt))
        .filter(jobs::status.eq("running"));
    let updated = diesel::update(attempt)
        .set((
            jobs::status.eq("succeeded"),
            jobs::finished_at.eq(now),
            jobs::updated_at.eq(now),
            jobs::locked_by.eq(None::<String>),
            jobs::locked_until.eq(None::<DateTime<Utc>>),
            jobs::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Marks several leased attempts succeeded in one statement, each fenced
/// like [`complete`]. Returns the ids whose lease still held.
pub fn complete_many(conn: &mut PgConnection, leases: &[Lease]) -> diesel::QueryResult<Vec<Uuid>> {
    #[derive(QueryableByName)]
    struct Completed {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let (ids, owners, attempts) = lease_columns(leases);
    let rows: Vec<Completed> = diesel::sql_query(
        "UPDATE jobs SET status = 'succeeded', finished_at = now(), updated_at = now(), \
             locked_by = NULL, locked_until = NULL, last_error = NULL \
         FROM unnest($1::uuid[], $2::text[], $3::int4[]) AS lease(id, owner, attempt) \
         WHERE jobs.id = lease.id AND jobs.locked_by = lease.owner \
           AND jobs.attempts = lease.attempt AND jobs.status = 'running' \
         RETURNING jobs.id",
    )
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<Array<Text>, _>(&owners)
    .bind::<Array<Integer>, _>(&attempts)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Gives back claimed attempts that never started (a runner's backlog at
/// shutdown, or held too long): `pending` again with the attempt uncounted,
/// each fenced like [`complete`]. Returns how many were given back.
pub fn release(conn: &mut PgConnection, leases: &[Lease]) -> diesel::QueryResult<usize> {
    let (ids, owners, attempts) = lease_columns(leases);
    diesel::sql_query(
        "UPDATE jobs SET status = 'pending', attempts = jobs.attempts - 1, \
             locked_by = NULL, locked_until = NULL, updated_at = now() \
         FROM unnest($1::uuid[], $2::text[], $3::int4[]) AS lease(id, owner, attempt) \
         WHERE jobs.id = lease.id AND jobs.locked_by = lease.owner \
           AND jobs.attempts = lease.attempt AND jobs.status = 'running'",
    )
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<Array<Text>, _>(&owners)
    .bind::<Array<Integer>, _>(&attempts)
    .execute(conn)
}

/// Leases as the parallel arrays the `unnest` statements bind.
fn lease_columns(leases: &[Lease]) -> (Vec<Uuid>, Vec<&str>, Vec<i32>) {
    (
        leases.iter().map(|l| l.job_id).collect(),
        leases.iter().map(|l| l.locked_by.as_str()).collect(),
        leases.iter().map(|l| l.attempt).collect(),
    )
}

/// What became of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOutcome {
    /// Scheduled again after the backoff delay.
    Retrying,
    /// Out of attempts or permanent: the job is `failed`.
    Failed,
    /// The lease was lost; nothing was changed.
    LeaseLost,
}

/// Records a failed attempt: retry after backoff while attempts remain and
/// the error is transient, otherwise `failed`. The error text is kept.
pub fn fail(
    conn: &mut PgConnection,
    lease: &Lease,
    error: &JobError,
) -> diesel::QueryResult<FailOutcome> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        status: String,
    }
    let delay = backoff::delay(lease.attempt);
    let rows: Vec<Row> = diesel::sql_query(
        "UPDATE jobs SET \
             status = CASE WHEN $4 OR attempts >= max_attempts THEN 'failed' ELSE 'pending' END, \
             run_at = CASE WHEN $4 OR attempts >= max_attempts THEN run_at \
                           ELSE now() + make_interval(secs => $5) END, \
             finished_at = CASE WHEN $4 OR attempts >= max_attempts THEN now() END, \
             last_error = $6, locked_by = NULL, locked_until = NULL, updated_at = now() \
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND status = 'running' \
         RETURNING status",
    )
    .bind::<SqlUuid, _>(lease.job_id)
    .bind::<Text, _>(&lease.locked_by)
    .bind::<Integer, _>(lease.attempt)
    .bind::<diesel::sql_types::Bool, _>(error.is_permanent())
    .bind::<diesel::sql_types::Double, _>(seconds(delay))
    .bind::<Text, _>(truncate(&error.to_string(), 2000))
    .load(conn)?;
    Ok(match rows.first().map(|r| r.status.as_str()) {
        Some("pending") => FailOutcome::Retrying,
        Some(_) => FailOutcome::Failed,
        None => FailOutcome::LeaseLost,
    })
}

/// Returns jobs whose lease expired (their runner died or hung) to
/// `pending`, or to `failed` when that was their last attempt. Returns how
/// many were reaped.
pub fn reap(conn: &mut PgConnection) -> diesel::QueryResult<usize> {
    diesel::sql_query(
        "UPDATE jobs SET \
             status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END, \
             finished_at = CASE WHEN attempts >= max_attempts THEN now() END, \
             run_at = now(), last_error = 'lease expired: the worker stopped or hung', \
             locked_by = NULL, locked_until = NULL, updated_at = now() \
         WHERE status = 'running' AND locked_until < now()",
    )
    .execute(conn)
}

/// Extends a running job's lease (for long jobs). `false` if it was lost.
pub fn heartbeat(
    conn: &mut PgConnection,
    lease: &Lease,
    extend: Duration,
) -> diesel::QueryResult<bool> {
    let updated = diesel::sql_query(
        "UPDATE jobs SET locked_until = now() + make_interval(secs => $4), updated_at = now() \
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND status = 'running'",
    )
    .bind::<SqlUuid, _>(lease.job_id)
    .bind::<Text, _>(&lease.locked_by)
    .bind::<Integer, _>(lease.attempt)
    .bind::<diesel::sql_types::Double, _>(seconds(extend))
    .execute(conn)?;
    Ok(updated == 1)
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}
