//! The cron scheduler: recurring work as jobs.
//!
//! A schedule (a row of `schedules`) says which job to enqueue at each
//! occurrence of a cron expression, read in the schedule's IANA time zone
//! (`0 7 * * *` in `Asia/Ho_Chi_Minh` is 07:00 in Vietnam, whatever the
//! server's zone). [`tick`] enqueues every occurrence that is due and moves
//! the schedule's cursor (`next_run_at`) past them in the same transaction,
//! holding the schedule's row lock (`FOR UPDATE SKIP LOCKED`), so:
//!
//! - two workers ticking at once never enqueue an occurrence twice: the
//!   second skips the locked row, and sees the advanced cursor afterwards;
//! - a restart or a clock set back never repeats an occurrence: the cursor
//!   is in the database, not in memory, and only moves forward;
//! - a worker that was down catches up the occurrences it missed, but only
//!   those within the catch-up window; older ones are skipped and counted.
//!
//! Each job also carries the dedupe key `schedule:{id}:{occurrence}` and the
//! occurrence's instant in its payload (`"occurrence"`), so its body knows
//! which day it is working for.

use std::{str::FromStr, time::Duration};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::{
    Connection, PgConnection, QueryableByName, RunQueryDsl,
    sql_types::{Bool, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid},
};
use uuid::Uuid;

use crate::{NewJob, enqueue};

/// A parsed cron expression.
#[derive(Debug, Clone)]
pub struct CronExpr(cron::Schedule);

impl FromStr for CronExpr {
    type Err = String;

    /// Five fields (`minute hour day-of-month month day-of-week`, as in
    /// crontab) or six with seconds first.
    fn from_str(expr: &str) -> Result<CronExpr, String> {
        let fields = expr.split_whitespace().count();
        let normalised = match fields {
            5 => format!("0 {expr}"),
            6 => expr.to_owned(),
            _ => {
                return Err(format!(
                    "expected 5 fields (minute hour day month weekday), found {fields}"
                ));
            }
        };
        cron::Schedule::from_str(&normalised)
            .map(CronExpr)
            .map_err(|e| e.to_string())
    }
}

impl CronExpr {
    /// The occurrences strictly after `after`, in `zone`, as UTC instants.
    pub fn after(&self, after: DateTime<Utc>, zone: Tz) -> impl Iterator<Item = DateTime<Utc>> {
        self.0
            .after(&after.with_timezone(&zone))
            .map(|at| at.with_timezone(&Utc))
    }

    /// The first occurrence strictly after `after`, if the expression ever
    /// occurs again.
    pub fn next_after(&self, after: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
        self.after(after, zone).next()
    }
}

/// A schedule to create or replace (by tenant and name).
#[derive(Debug, Clone)]
pub struct NewSchedule {
    pub tenant_id: Option<Uuid>,
    pub name: String,
    pub cron: String,
    pub time_zone: Tz,
    pub queue: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub active: bool,
}

/// Why a schedule could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("invalid cron expression: {0}")]
    Cron(String),
    #[error("the cron expression never occurs again")]
    NeverOccurs,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Creates the schedule, or replaces the one with the same tenant and name.
/// Its cursor restarts at the first occurrence after `now` when the
/// expression or time zone changed; otherwise it is kept. Returns the id.
pub fn upsert(
    conn: &mut PgConnection,
    schedule: &NewSchedule,
    now: DateTime<Utc>,
) -> Result<Uuid, ScheduleError> {
    let expr = CronExpr::from_str(&schedule.cron).map_err(ScheduleError::Cron)?;
    let next = expr
        .next_after(now, schedule.time_zone)
        .ok_or(ScheduleError::NeverOccurs)?;
    #[derive(QueryableByName)]
    struct Saved {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let saved: Saved = diesel::sql_query(
        "INSERT INTO schedules (id, tenant_id, name, cron, time_zone, queue, kind, payload, active, next_run_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (tenant_id, name) DO UPDATE SET \
             next_run_at = CASE WHEN schedules.cron IS DISTINCT FROM excluded.cron \
                                  OR schedules.time_zone IS DISTINCT FROM excluded.time_zone \
                                THEN excluded.next_run_at ELSE schedules.next_run_at END, \
             cron = excluded.cron, time_zone = excluded.time_zone, queue = excluded.queue, \
             kind = excluded.kind, payload = excluded.payload, active = excluded.active, \
             updated_at = now() \
         RETURNING id",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Nullable<SqlUuid>, _>(schedule.tenant_id)
    .bind::<Text, _>(&schedule.name)
    .bind::<Text, _>(&schedule.cron)
    .bind::<Text, _>(schedule.time_zone.name())
    .bind::<Text, _>(&schedule.queue)
    .bind::<Text, _>(&schedule.kind)
    .bind::<Jsonb, _>(&schedule.payload)
    .bind::<Bool, _>(schedule.active)
    .bind::<Timestamptz, _>(next)
    .get_result(conn)?;
    Ok(saved.id)
}

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Schedules that were due.
    pub schedules: usize,
    /// Occurrence jobs enqueued.
    pub enqueued: usize,
    /// Schedules whose older missed occurrences (before the catch-up
    /// window) were skipped.
    pub skipped_stale: usize,
}

#[derive(QueryableByName)]
struct DueSchedule {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    tenant_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    cron: String,
    #[diesel(sql_type = Text)]
    time_zone: String,
    #[diesel(sql_type = Text)]
    queue: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Jsonb)]
    payload: serde_json::Value,
    #[diesel(sql_type = Timestamptz)]
    next_run_at: DateTime<Utc>,
}

/// How many due schedules one transaction handles.
const BATCH: i64 = 100;

/// Enqueues the due occurrences of every due schedule at `now`, catching
/// up missed ones no older than `catch_up`. Safe to call from any number of
/// workers at once.
pub fn tick(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    catch_up: Duration,
) -> diesel::QueryResult<TickReport> {
    conn.transaction(|conn| {
        let due: Vec<DueSchedule> = diesel::sql_query(
            "SELECT id, tenant_id, cron, time_zone, queue, kind, payload, next_run_at \
             FROM schedules WHERE active AND next_run_at <= $1 \
             ORDER BY next_run_at LIMIT $2 FOR UPDATE SKIP LOCKED",
        )
        .bind::<Timestamptz, _>(now)
        .bind::<diesel::sql_types::BigInt, _>(BATCH)
        .load(conn)?;
        let window_start = now - chrono::Duration::from_std(catch_up).unwrap_or_default();
        let mut report = TickReport {
            schedules: due.len(),
            ..TickReport::default()
        };
        for schedule in &due {
            let (enqueued, skipped) = run_due(conn, schedule, now, window_start)?;
            report.enqueued += enqueued;
            report.skipped_stale += usize::from(skipped);
        }
        Ok(report)
    })
}

/// Enqueues one schedule's due occurrences and moves its cursor; a schedule
/// whose expression or zone no longer parses is deactivated.
fn run_due(
    conn: &mut PgConnection,
    schedule: &DueSchedule,
    now: DateTime<Utc>,
    window_start: DateTime<Utc>,
) -> diesel::QueryResult<(usize, bool)> {
    let (Ok(expr), Ok(zone)) = (
        CronExpr::from_str(&schedule.cron),
        Tz::from_str(&schedule.time_zone),
    ) else {
        tracing::error!(schedule.id = %schedule.id, "schedule no longer parses; deactivating it");
        diesel::sql_query("UPDATE schedules SET active = false, updated_at = now() WHERE id = $1")
            .bind::<SqlUuid, _>(schedule.id)
            .execute(conn)?;
        return Ok((0, false));
    };
    let skipped = schedule.next_run_at < window_start;
    // The cursor is itself an occurrence: start just before it.
    let from = schedule.next_run_at.max(window_start) - chrono::Duration::seconds(1);
    let mut enqueued = 0;
    let mut last = None;
    let mut next = None;
    for occurrence in expr.after(from, zone) {
        if occurrence > now {
            next = Some(occurrence);
            break;
        }
        let mut payload = schedule.payload.clone();
        if let Some(object) = payload.as_object_mut() {
            object.insert("occurrence".to_owned(), occurrence.to_rfc3339().into());
        }
        // Never later than the wall clock: a scheduler run ahead of time
        // (`worker.clock_offset_secs`) still has its occurrences run now.
        let mut job = NewJob::new(&schedule.queue, &schedule.kind, payload)
            .with_run_at(occurrence.min(Utc::now()))
            .with_dedupe_key(format!(
                "schedule:{}:{}",
                schedule.id,
                occurrence.timestamp()
            ));
        if let Some(tenant_id) = schedule.tenant_id {
            job = job.with_tenant(tenant_id);
        }
        if enqueue(conn, &job)?.is_some() {
            enqueued += 1;
        }
        last = Some(occurrence);
    }
    diesel::sql_query(
        "UPDATE schedules SET next_run_at = coalesce($2, next_run_at), active = active AND $2 IS NOT NULL, \
             last_occurrence_at = coalesce($3, last_occurrence_at), updated_at = now() \
         WHERE id = $1",
    )
    .bind::<SqlUuid, _>(schedule.id)
    .bind::<Nullable<Timestamptz>, _>(next)
    .bind::<Nullable<Timestamptz>, _>(last)
    .execute(conn)?;
    Ok((enqueued, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn five_fields_read_as_crontab_in_the_schedules_zone() {
        let expr: CronExpr = "0 7 * * *".parse().unwrap();
        let after = Utc.with_ymd_and_hms(2026, 11, 24, 0, 30, 0).unwrap();
        let next = expr
            .next_after(after, chrono_tz::Asia::Ho_Chi_Minh)
            .unwrap();
        // 07:00 in Vietnam (UTC+7) is 00:00 UTC: the next one is tomorrow's.
        assert_eq!(next, Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap());
    }

    #[test]
    fn a_wrong_number_of_fields_is_refused() {
        assert!("7 * *".parse::<CronExpr>().is_err());
        assert!("61 7 * * *".parse::<CronExpr>().is_err());
    }

    #[test]
    fn daylight_saving_gaps_are_handled() {
        // 02:30 does not exist in New York on 8 March 2026.
        let expr: CronExpr = "30 2 * * *".parse().unwrap();
        let after = Utc.with_ymd_and_hms(2026, 3, 7, 12, 0, 0).unwrap();
        let zone = chrono_tz::America::New_York;
        let next: Vec<_> = expr.after(after, zone).take(2).collect();
        assert_eq!(next.len(), 2);
        assert!(next[0] < next[1]);
    }
}
