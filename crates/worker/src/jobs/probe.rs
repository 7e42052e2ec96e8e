//! `probe`: writes one row to `worker_probes` and completes, in one fenced
//! transaction. Operators enqueue it to check that workers run jobs
//! (`guestcare enqueue probe`); the fault tests and the queue benchmark use
//! it as a job with a database effect that must happen exactly once.

use diesel::{
    RunQueryDsl,
    sql_types::{Integer, Text, Uuid as SqlUuid},
};
use guestcare_jobs::{JobContext, JobError};
use serde::Deserialize;

/// The job kind.
pub const KIND: &str = "probe";

#[derive(Debug, Deserialize)]
struct Payload {
    /// Free text copied to the row, to find one's own probes.
    #[serde(default)]
    label: String,
    /// Sleeps this long first (a job that takes time, for tests).
    #[serde(default)]
    sleep_ms: u64,
}

/// Runs one probe.
pub async fn run(context: JobContext) -> Result<(), JobError> {
    let payload: Payload = context.payload()?;
    if payload.sleep_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(payload.sleep_ms)).await;
    }
    tokio::task::spawn_blocking(move || {
        let job = context.job.clone();
        context.complete_with(|conn| {
            diesel::sql_query(
                "INSERT INTO worker_probes (job_id, attempt, worker, label) VALUES ($1, $2, $3, $4)",
            )
            .bind::<SqlUuid, _>(job.id)
            .bind::<Integer, _>(job.attempts)
            .bind::<Text, _>(&job.locked_by)
            .bind::<Text, _>(&payload.label)
            .execute(conn)
        })
    })
    .await
    .map_err(JobError::transient)?
    .map(|_| ())
}
