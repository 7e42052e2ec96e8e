//! What operators do to jobs through the API: cancel a pending job, retry
//! a failed one, and read the queues' depth.

use diesel::{
    PgConnection, QueryableByName, RunQueryDsl,
    sql_types::{BigInt, Nullable, Text, Uuid as SqlUuid},
};
use uuid::Uuid;

/// Cancels a pending job of the tenant (`None`: a system job). `false` if
/// there is no such pending job.
pub fn cancel(
    conn: &mut PgConnection,
    tenant_id: Option<Uuid>,
    job_id: Uuid,
) -> diesel::QueryResult<bool> {
    let updated = diesel::sql_query(
        "UPDATE jobs SET status = 'cancelled', finished_at = now(), updated_at = now() \
         WHERE id = $1 AND tenant_id IS NOT DISTINCT FROM $2 AND status = 'pending'",
    )
    .bind::<SqlUuid, _>(job_id)
    .bind::<Nullable<SqlUuid>, _>(tenant_id)
    .execute(conn)?;
    Ok(updated == 1)
}

/// Puts a failed job of the tenant (`None`: a system job) back to
/// `pending` now, with a fresh set of attempts. `false` if there is no such
/// failed job.
pub fn retry(
    conn: &mut PgConnection,
    tenant_id: Option<Uuid>,
    job_id: Uuid,
) -> diesel::QueryResult<bool> {
    let updated = diesel::sql_query(
        "UPDATE jobs SET status = 'pending', run_at = now(), max_attempts = attempts + max_attempts, \
             finished_at = NULL, updated_at = now() \
         WHERE id = $1 AND tenant_id IS NOT DISTINCT FROM $2 AND status = 'failed'",
    )
    .bind::<SqlUuid, _>(job_id)
    .bind::<Nullable<SqlUuid>, _>(tenant_id)
    .execute(conn)?;
    Ok(updated == 1)
}

/// One row of a queue-depth sample.
#[derive(Debug, Clone, QueryableByName)]
pub struct Depth {
    #[diesel(sql_type = Text)]
    pub queue: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = BigInt)]
    pub jobs: i64,
}

/// How many jobs each queue holds per live or failed status (pending,
/// running, failed); finished jobs are history, not depth.
pub fn depth(conn: &mut PgConnection) -> diesel::QueryResult<Vec<Depth>> {
    diesel::sql_query(
        "SELECT queue, status, count(*) AS jobs FROM jobs \
         WHERE status IN ('pending', 'running', 'failed') GROUP BY queue, status",
    )
    .load(conn)
}
