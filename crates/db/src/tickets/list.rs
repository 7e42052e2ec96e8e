//! The team's queue and a staff member's workload.

use chrono::{DateTime, Utc};
use diesel::{
    dsl::{count_star, min, sql},
    prelude::*,
    sql_types::BigInt,
};
use uuid::Uuid;

use super::Ticket;
use crate::{Cursor, schema::tickets, tasks::AssigneeFilter};

/// The statuses in which the team owes the guest something.
pub const OPEN_STATUSES: [&str; 4] = ["new", "open", "pending_guest", "reopened"];

/// Filters on the ticket list; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub status: Option<String>,
    /// Only tickets in an open status (`new`, `open`, `pending_guest`, `reopened`).
    pub open: bool,
    pub category: Option<String>,
    pub department: Option<String>,
    pub priority: Option<String>,
    pub channel: Option<String>,
    pub assignee: Option<AssigneeFilter>,
    pub guest_id: Option<Uuid>,
}

/// Up to `limit + 1` tickets after `cursor`, oldest first (the queue's
/// order: who has waited longest comes first). Merged-away tickets are left
/// out.
pub fn list_tickets(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    filter: &TicketFilter,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Ticket>> {
    let mut query = tickets::table
        .filter(tickets::tenant_id.eq(tenant_id))
        .filter(tickets::merged_into.is_null())
        .select(Ticket::as_select())
        .order(tickets::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(tickets::status.eq(status.clone()));
    }
    if filter.open {
        query = query.filter(tickets::status.eq_any(OPEN_STATUSES));
    }
    if let Some(category) = &filter.category {
        query = query.filter(tickets::category.eq(category.clone()));
    }
    if let Some(department) = &filter.department {
        query = query.filter(tickets::department.eq(department.clone()));
    }
    if let Some(priority) = &filter.priority {
        query = query.filter(tickets::priority.eq(priority.clone()));
    }
    if let Some(channel) = &filter.channel {
        query = query.filter(tickets::channel.eq(channel.clone()));
    }
    match filter.assignee {
        Some(AssigneeFilter::Unassigned) => query = query.filter(tickets::assignee_id.is_null()),
        Some(AssigneeFilter::User(user)) => query = query.filter(tickets::assignee_id.eq(user)),
        None => {}
    }
    if let Some(guest_id) = filter.guest_id {
        query = query.filter(tickets::guest_id.eq(guest_id));
    }
    if let Some(Cursor(after)) = cursor {
        query = query.filter(tickets::id.gt(after));
    }
    query.load(conn)
}

/// One staff member's open work (`assignee_id` `None`: the unassigned pile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    pub assignee_id: Option<Uuid>,
    /// Tickets in an open status.
    pub open: i64,
    /// Of those, waiting for the guest.
    pub pending_guest: i64,
    /// When the oldest open ticket was created.
    pub oldest_waiting_since: Option<DateTime<Utc>>,
    /// Satisfaction answers on the member's tickets, and how many were
    /// `excellent` or `good`.
    pub ratings: i64,
    pub ratings_positive: i64,
}

/// Assignee, open, pending guest, oldest creation.
type LoadRow = (Option<Uuid>, i64, i64, Option<DateTime<Utc>>);

/// Open work per assignee (one row each, the unassigned pile included),
/// most open tickets first; `assignee` narrows to one.
pub fn workloads(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    assignee: Option<AssigneeFilter>,
) -> QueryResult<Vec<Workload>> {
    let mut query = tickets::table
        .filter(tickets::tenant_id.eq(tenant_id))
        .filter(tickets::merged_into.is_null())
        .filter(tickets::status.eq_any(OPEN_STATUSES))
        .group_by(tickets::assignee_id)
        .select((
            tickets::assignee_id,
            count_star(),
            sql::<BigInt>("count(*) FILTER (WHERE status = 'pending_guest')"),
            min(tickets::created_at),
        ))
        .order(count_star().desc())
        .into_boxed();
    match assignee {
        Some(AssigneeFilter::Unassigned) => query = query.filter(tickets::assignee_id.is_null()),
        Some(AssigneeFilter::User(user)) => query = query.filter(tickets::assignee_id.eq(user)),
        None => {}
    }
    let rows: Vec<LoadRow> = query.load(conn)?;
    let mut loads = Vec::with_capacity(rows.len());
    for (assignee_id, open, pending_guest, oldest) in rows {
        let (ratings, ratings_positive) = match assignee_id {
            Some(agent) => ratings_of(conn, tenant_id, agent)?,
            None => (0, 0),
        };
        loads.push(Workload {
            assignee_id,
            open,
            pending_guest,
            oldest_waiting_since: oldest,
            ratings,
            ratings_positive,
        });
    }
    if let (Some(AssigneeFilter::User(user)), true) = (assignee, loads.is_empty()) {
        let (ratings, ratings_positive) = ratings_of(conn, tenant_id, user)?;
        loads.push(Workload {
            assignee_id: Some(user),
            open: 0,
            pending_guest: 0,
            oldest_waiting_since: None,
            ratings,
            ratings_positive,
        });
    }
    Ok(loads)
}

fn ratings_of(conn: &mut PgConnection, tenant_id: Uuid, agent: Uuid) -> QueryResult<(i64, i64)> {
    use crate::schema::ticket_ratings as r;
    r::table
        .filter(r::tenant_id.eq(tenant_id))
        .filter(r::agent_id.eq(agent))
        .select((
            count_star(),
            sql::<BigInt>("count(*) FILTER (WHERE rating IN ('excellent', 'good'))"),
        ))
        .first(conn)
}
