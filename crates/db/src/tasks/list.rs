//! Listing tasks: by status, assignee, kind, guest and due date, in due
//! order.

use chrono::NaiveDate;
use diesel::{dsl::sql, prelude::*, sql_types::Bool};
use uuid::Uuid;

use super::Task;
use crate::{Cursor, schema::care_tasks};

/// Whose tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Unassigned,
    User(Uuid),
}

/// Filters on the task list; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub assignee: Option<AssigneeFilter>,
    pub guest_id: Option<Uuid>,
    /// Due on or after.
    pub due_from: Option<NaiveDate>,
    /// Due on or before.
    pub due_to: Option<NaiveDate>,
    pub source: Option<String>,
}

/// Up to `limit + 1` tasks after `cursor`, earliest due first (ties by id).
pub fn list_tasks(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    filter: &TaskFilter,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Task>> {
    let mut query = care_tasks::table
        .filter(care_tasks::tenant_id.eq(tenant_id))
        .select(Task::as_select())
        .order((care_tasks::due_on.asc(), care_tasks::id.asc()))
        .limit(limit + 1)
        .into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(care_tasks::status.eq(status.clone()));
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(care_tasks::kind.eq(kind.clone()));
    }
    if let Some(source) = &filter.source {
        query = query.filter(care_tasks::source.eq(source.clone()));
    }
    match filter.assignee {
        Some(AssigneeFilter::Unassigned) => query = query.filter(care_tasks::assignee_id.is_null()),
        Some(AssigneeFilter::User(user)) => {
            query = query.filter(care_tasks::assignee_id.eq(user));
        }
        None => {}
    }
    if let Some(guest) = filter.guest_id {
        query = query.filter(care_tasks::guest_id.eq(guest));
    }
    if let Some(from) = filter.due_from {
        query = query.filter(care_tasks::due_on.ge(from));
    }
    if let Some(to) = filter.due_to {
        query = query.filter(care_tasks::due_on.le(to));
    }
    if let Some(Cursor(after)) = cursor {
        query = query.filter(
            sql::<Bool>("(due_on, id) > (SELECT c.due_on, c.id FROM care_tasks c WHERE c.id = ")
                .bind::<diesel::sql_types::Uuid, _>(after)
                .sql(" AND c.tenant_id = ")
                .bind::<diesel::sql_types::Uuid, _>(tenant_id)
                .sql(")"),
        );
    }
    query.load(conn)
}
