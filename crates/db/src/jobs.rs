//! A tenant's view of the job queue and its schedules (the queue's own
//! state transitions live in `guestcare-jobs`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{
    Cursor,
    schema::{jobs, schedules},
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = jobs, check_for_backend(diesel::pg::Pg))]
pub struct JobRow {
    pub id: Uuid,
    pub queue: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: String,
    pub priority: i16,
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    pub dedupe_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// Filters for [`list_jobs`]; `None` matches everything.
#[derive(Debug, Default, Clone)]
pub struct JobFilter {
    pub status: Option<String>,
    pub queue: Option<String>,
    pub kind: Option<String>,
}

/// Up to `limit + 1` of the tenant's jobs before `cursor`, newest first.
pub fn list_jobs(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    filter: &JobFilter,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<JobRow>> {
    let mut query = jobs::table
        .filter(jobs::tenant_id.eq(tenant_id))
        .select(JobRow::as_select())
        .order(jobs::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(before)) = cursor {
        query = query.filter(jobs::id.lt(before));
    }
    if let Some(status) = &filter.status {
        query = query.filter(jobs::status.eq(status.clone()));
    }
    if let Some(queue) = &filter.queue {
        query = query.filter(jobs::queue.eq(queue.clone()));
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(jobs::kind.eq(kind.clone()));
    }
    query.load(conn)
}

/// One of the tenant's jobs.
pub fn get_job(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<JobRow> {
    jobs::table
        .filter(jobs::tenant_id.eq(tenant_id).and(jobs::id.eq(id)))
        .select(JobRow::as_select())
        .first(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = schedules, check_for_backend(diesel::pg::Pg))]
pub struct ScheduleRow {
    pub id: Uuid,
    pub name: String,
    pub cron: String,
    pub time_zone: String,
    pub queue: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub active: bool,
    pub next_run_at: DateTime<Utc>,
    pub last_occurrence_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// Up to `limit + 1` of the tenant's schedules after `cursor`, oldest first.
pub fn list_schedules(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<ScheduleRow>> {
    let mut query = schedules::table
        .filter(schedules::tenant_id.eq(tenant_id))
        .select(ScheduleRow::as_select())
        .order(schedules::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(schedules::id.gt(after));
    }
    query.load(conn)
}

/// One of the tenant's schedules, locked for an update.
pub fn lock_schedule(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> QueryResult<ScheduleRow> {
    schedules::table
        .filter(schedules::tenant_id.eq(tenant_id).and(schedules::id.eq(id)))
        .select(ScheduleRow::as_select())
        .for_update()
        .first(conn)
}
