//! The satisfaction e-mail after a ticket is resolved: armed as a `run_at`
//! job when the ticket is resolved.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_jobs::{NewJob, enqueue};

use super::Ticket;

/// Job kind that sends a resolved ticket's satisfaction e-mail
/// (`{"tenant_id", "ticket_id"}`).
pub const SEND_SATISFACTION: &str = "ticket_satisfaction";

/// Enqueues the satisfaction e-mail of `ticket`'s current round for `at`
/// (once per round: the dedupe key names it). The job sends only if the
/// ticket is still resolved or closed and not yet rated.
pub(super) fn arm_satisfaction(
    conn: &mut PgConnection,
    ticket: &Ticket,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    let job = NewJob::new(
        "default",
        SEND_SATISFACTION,
        serde_json::json!({ "tenant_id": ticket.tenant_id, "ticket_id": ticket.id }),
    )
    .with_tenant(ticket.tenant_id)
    .with_run_at(at)
    .with_dedupe_key(format!(
        "ticket_satisfaction:{}:{}",
        ticket.id, ticket.round
    ));
    enqueue(conn, &job)?;
    Ok(())
}
