//! The daily care scans (`care_birthdays`, `care_greetings`, `care_digest`),
//! enqueued by each tenant's `care.*` schedules. The body runs the scan for
//! the schedule's occurrence (the instant in the payload, not the wall
//! clock) and completes the job in the same fenced transaction, so a lost
//! lease rolls the whole scan back; the scans are idempotent per occurrence
//! anyway, so a retry after a crash changes nothing twice.

use chrono::{DateTime, Utc};
use diesel::{PgConnection, QueryResult};
use guestcare_jobs::{JobContext, JobError};
use serde::Deserialize;
use uuid::Uuid;

/// What the schedules put in a scan's payload.
#[derive(Debug, Deserialize)]
struct Payload {
    tenant_id: Uuid,
    /// The occurrence the scan runs for (set by the scheduler).
    occurrence: DateTime<Utc>,
}

/// Runs `scan` for the job's tenant and occurrence and completes the job.
pub async fn run<T, F>(context: JobContext, scan: F) -> Result<(), JobError>
where
    T: std::fmt::Debug + Send + 'static,
    F: Fn(&mut PgConnection, Uuid, DateTime<Utc>) -> QueryResult<T> + Send + 'static,
{
    let payload: Payload = context.payload()?;
    let kind = context.job.kind.clone();
    let report = tokio::task::spawn_blocking(move || {
        context.complete_with(|conn| scan(conn, payload.tenant_id, payload.occurrence))
    })
    .await
    .map_err(JobError::transient)??;
    tracing::info!(
        job.kind = %kind,
        tenant.id = %payload.tenant_id,
        occurrence = %payload.occurrence,
        report = ?report,
        "care scan done"
    );
    Ok(())
}
