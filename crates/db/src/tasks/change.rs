//! Changes to a task: assigning it, recording a contact attempt's outcome,
//! closing it. Outcomes and closing go on the guest's timeline.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::care::tasks::{Outcome, TaskStatus};
use uuid::Uuid;

use super::{Task, lock_task};
use crate::{
    schema::care_tasks,
    tenants,
    timeline::{self, Actor, NewEntry},
};

/// Sets (or with `None` clears) the task's assignee, a staff user the
/// caller checked belongs to the tenant.
pub fn assign_task(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    assignee_id: Option<Uuid>,
) -> QueryResult<Task> {
    diesel::update(
        care_tasks::table
            .filter(care_tasks::tenant_id.eq(tenant_id))
            .filter(care_tasks::id.eq(id)),
    )
    .set((
        care_tasks::assignee_id.eq(assignee_id),
        care_tasks::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Task::as_returning())
    .get_result(conn)
}

/// One contact attempt.
#[derive(Debug, Clone)]
pub struct OutcomeRecord {
    pub outcome: Outcome,
    /// Required for [`Outcome::CallBack`], absent otherwise.
    pub call_back_at: Option<DateTime<Utc>>,
    pub notes: Option<String>,
    pub actor: Actor,
}

/// Records an attempt on an open task: counts it, keeps the outcome and
/// notes, closes the task as `done` when the outcome finishes it
/// (`Outcome::resulting_status`), and for a call-back moves `due_on` to the
/// call-back's day in the tenant's time zone. Writes `task.outcome` on the
/// guest's timeline. `Ok(None)` if the task is closed already.
pub fn record_outcome(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    record: &OutcomeRecord,
) -> QueryResult<Option<Task>> {
    let task = lock_task(conn, tenant_id, id)?;
    let zone: chrono_tz::Tz = tenants::get_tenant(conn, tenant_id)?
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Tz::UTC);
    if task.status != TaskStatus::Open.as_str() {
        return Ok(None);
    }
    let status = record.outcome.resulting_status();
    let now = Utc::now();
    let due_on = record
        .call_back_at
        .map_or(task.due_on, |at| at.with_timezone(&zone).date_naive());
    let task: Task = diesel::update(care_tasks::table.find(task.id))
        .set((
            care_tasks::outcome.eq(record.outcome.as_str()),
            care_tasks::outcome_notes.eq(&record.notes),
            care_tasks::call_back_at.eq(record.call_back_at),
            care_tasks::due_on.eq(due_on),
            care_tasks::attempts.eq(care_tasks::attempts + 1),
            care_tasks::status.eq(status.as_str()),
            care_tasks::closed_at.eq((status != TaskStatus::Open).then_some(now)),
            care_tasks::updated_at.eq(now),
        ))
        .returning(Task::as_returning())
        .get_result(conn)?;
    timeline::record(
        conn,
        tenant_id,
        task.guest_id,
        NewEntry {
            kind: "task.outcome",
            occurred_at: now,
            summary: serde_json::json!({
                "task_kind": task.kind,
                "title": task.title,
                "outcome": task.outcome,
                "call_back_at": task.call_back_at,
                "notes": task.outcome_notes,
                "status": task.status,
            }),
            ref_id: Some(task.id),
            actor: record.actor,
        },
    )?;
    Ok(Some(task))
}

/// Closes an open task as `done` or `cancelled` and writes `task.closed` on
/// the guest's timeline. `Ok(None)` if it was closed already.
pub fn close_task(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    status: TaskStatus,
    notes: Option<&str>,
    actor: Actor,
) -> QueryResult<Option<Task>> {
    let task = lock_task(conn, tenant_id, id)?;
    if task.status != TaskStatus::Open.as_str() || status == TaskStatus::Open {
        return Ok(None);
    }
    let now = Utc::now();
    let task: Task = diesel::update(care_tasks::table.find(task.id))
        .set((
            care_tasks::status.eq(status.as_str()),
            care_tasks::closed_at.eq(now),
            care_tasks::updated_at.eq(now),
        ))
        .returning(Task::as_returning())
        .get_result(conn)?;
    timeline::record(
        conn,
        tenant_id,
        task.guest_id,
        NewEntry {
            kind: "task.closed",
            occurred_at: now,
            summary: serde_json::json!({
                "task_kind": task.kind,
                "title": task.title,
                "status": task.status,
                "notes": notes,
            }),
            ref_id: Some(task.id),
            actor,
        },
    )?;
    Ok(Some(task))
}

/// Wipes what the guest's tasks say about them (title, script, context,
/// outcome notes) on erasure; kind, dates, status and outcome stay as
/// anonymous statistics. The title becomes the task's kind.
pub fn erase_guest_tasks(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
) -> QueryResult<usize> {
    diesel::update(
        care_tasks::table
            .filter(care_tasks::tenant_id.eq(tenant_id))
            .filter(care_tasks::guest_id.eq(guest_id)),
    )
    .set((
        care_tasks::title.eq(care_tasks::kind),
        care_tasks::script.eq(None::<String>),
        care_tasks::context.eq(serde_json::json!({})),
        care_tasks::outcome_notes.eq(None::<String>),
        care_tasks::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
}

/// Moves tasks to another guest of the same tenant (merges and their
/// reversal).
pub fn move_tasks(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    to_guest: Uuid,
) -> QueryResult<usize> {
    diesel::update(
        care_tasks::table
            .filter(care_tasks::tenant_id.eq(tenant_id))
            .filter(care_tasks::id.eq_any(ids)),
    )
    .set((
        care_tasks::guest_id.eq(to_guest),
        care_tasks::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
}
