//! The ticket figures of the managers' daily digest.

use chrono::{DateTime, Utc};
use diesel::{dsl::count_star, prelude::*};
use guestcare_domain::tickets::TicketCategory;
use uuid::Uuid;

use super::OPEN_STATUSES;
use crate::schema::tickets;

/// What the digest tells managers about tickets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TicketDigest {
    /// Tickets created since `since` (merged-away ones not counted).
    pub new_tickets: i64,
    /// Open tickets past a deadline: no first reply after its breach, or
    /// unresolved after the resolution breach.
    pub overdue_tickets: i64,
    /// Feedback tickets created since `since`.
    pub new_feedback: i64,
}

/// The tenant's ticket figures for a digest covering `since` until now.
pub fn ticket_digest(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    since: DateTime<Utc>,
) -> QueryResult<TicketDigest> {
    let live = tickets::table
        .filter(tickets::tenant_id.eq(tenant_id))
        .filter(tickets::merged_into.is_null());
    let new_tickets = live
        .filter(tickets::created_at.ge(since))
        .select(count_star())
        .get_result(conn)?;
    let new_feedback = live
        .filter(tickets::created_at.ge(since))
        .filter(tickets::category.eq(TicketCategory::Feedback.as_str()))
        .select(count_star())
        .get_result(conn)?;
    let overdue_tickets = live
        .filter(tickets::status.eq_any(OPEN_STATUSES))
        .filter(
            tickets::first_reply_breached_at
                .is_not_null()
                .and(tickets::first_replied_at.is_null())
                .or(tickets::resolution_breached_at.is_not_null()),
        )
        .select(count_star())
        .get_result(conn)?;
    Ok(TicketDigest {
        new_tickets,
        overdue_tickets,
        new_feedback,
    })
}
