//! Care tasks: calls, gifts, visits and follow-ups the care team owes a
//! guest. Staff create them through the API; automations (the birthday
//! scan, contact plans, reminders) through [`create_task`] with an
//! occurrence key, which makes creation idempotent per occurrence.
//!
//! Creation, outcomes and closing each write an entry on the guest's
//! timeline (`task.created`, `task.outcome`, `task.closed`) in the caller's
//! transaction.

mod change;
mod create;
mod list;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;
use uuid::Uuid;

use crate::schema::care_tasks;

pub use change::{
    OutcomeRecord, assign_task, close_task, erase_guest_tasks, move_tasks, record_outcome,
};
pub use create::{Created, NewTask, create_task};
pub use list::{AssigneeFilter, TaskFilter, list_tasks};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = care_tasks, check_for_backend(diesel::pg::Pg))]
pub struct Task {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// `call`, `gift`, `visit` or `follow_up` (`care::tasks::TaskKind`).
    pub kind: String,
    pub guest_id: Uuid,
    /// A staff user of the tenant.
    pub assignee_id: Option<Uuid>,
    pub due_on: NaiveDate,
    /// `open`, `done` or `cancelled`.
    pub status: String,
    pub title: String,
    /// What to say (a call script), in the guest's language.
    pub script: Option<String>,
    /// What the creator knew: for automations the guest's profile summary
    /// and last stay.
    pub context: serde_json::Value,
    /// Who made it: `manual`, `birthday`, `contact_plan`, `reminder`, …
    pub source: String,
    pub occurrence_key: Option<String>,
    /// The last contact attempt's outcome.
    pub outcome: Option<String>,
    pub outcome_notes: Option<String>,
    pub call_back_at: Option<DateTime<Utc>>,
    /// Contact attempts recorded.
    pub attempts: i32,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn get_task(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Task> {
    care_tasks::table
        .filter(care_tasks::tenant_id.eq(tenant_id))
        .find(id)
        .select(Task::as_select())
        .first(conn)
}

/// Locks the task row for a change.
fn lock_task(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Task> {
    care_tasks::table
        .filter(care_tasks::tenant_id.eq(tenant_id))
        .find(id)
        .select(Task::as_select())
        .for_update()
        .first(conn)
}
