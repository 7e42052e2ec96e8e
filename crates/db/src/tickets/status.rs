//! Status changes and what they do to the clocks: waiting for the guest
//! pauses them, leaving that state resumes them, resolving stops the
//! resolution clock and arms the satisfaction e-mail, reopening starts a new
//! round with fresh resolution clocks.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use guestcare_domain::tickets::{FinalOutcome, TicketStatus, clock::Clock};
use uuid::Uuid;

use super::{
    EntryKind, NewTicketEntry, Ticket, arm_clocks, events::announce, get_ticket_settings,
    insert_entry, lock_ticket, satisfaction::arm_satisfaction,
};
use crate::{schema::tickets, timeline::Actor};

/// A status change asked for by staff.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub to: TicketStatus,
    /// Why (kept on the entry): required by the API to reopen.
    pub reason: Option<String>,
    /// How a complaint ended, when resolving or closing it.
    pub outcome: Option<FinalOutcome>,
    pub actor: Actor,
}

#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("a {from} ticket cannot become {to}")]
    Invalid {
        from: TicketStatus,
        to: TicketStatus,
    },
}

/// Moves the ticket to `change.to` if the status machine allows it
/// (`TicketStatus::can_move_to`), in the caller's transaction.
pub fn change_status(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    change: &StatusChange,
) -> Result<Ticket, StatusError> {
    let ticket = lock_ticket(conn, tenant_id, ticket_id)?;
    let from = ticket.status();
    if !from.can_move_to(change.to) {
        return Err(StatusError::Invalid {
            from,
            to: change.to,
        });
    }
    let ticket = match change.outcome {
        Some(outcome) => diesel::update(tickets::table.find(ticket.id))
            .set(tickets::final_outcome.eq(outcome.as_str()))
            .returning(Ticket::as_returning())
            .get_result(conn)?,
        None => ticket,
    };
    Ok(apply_status(
        conn,
        &ticket,
        change.to,
        change.reason.as_deref(),
        change.actor,
    )?)
}

/// Writes the move of a locked `ticket` to `to` (the caller checked it is
/// allowed): status, clocks, round; its entry, event and timeline entry.
pub(super) fn apply_status(
    conn: &mut PgConnection,
    ticket: &Ticket,
    to: TicketStatus,
    reason: Option<&str>,
    actor: Actor,
) -> QueryResult<Ticket> {
    let now = Utc::now();
    let mut clock = if to == TicketStatus::PendingGuest {
        ticket.clock().pause(now)
    } else {
        ticket.clock().resume(now)
    };
    let mut round = ticket.round;
    let (mut resolved_at, mut closed_at) = (ticket.resolved_at, ticket.closed_at);
    let (mut warned, mut breached) = (ticket.resolution_warned_at, ticket.resolution_breached_at);
    let mut outcome = ticket.final_outcome.clone();
    match to {
        TicketStatus::Resolved => resolved_at = Some(now),
        TicketStatus::Closed => closed_at = Some(now),
        TicketStatus::Reopened => {
            clock = Clock::start(now);
            round += 1;
            (resolved_at, closed_at, warned, breached, outcome) = (None, None, None, None, None);
        }
        TicketStatus::New | TicketStatus::Open | TicketStatus::PendingGuest => {}
    }
    let updated: Ticket = diesel::update(tickets::table.find(ticket.id))
        .set((
            tickets::status.eq(to.as_str()),
            tickets::clock_started_at.eq(clock.started_at),
            tickets::paused_secs.eq(clock.paused.num_seconds()),
            tickets::paused_since.eq(clock.paused_since),
            tickets::round.eq(round),
            tickets::resolved_at.eq(resolved_at),
            tickets::closed_at.eq(closed_at),
            tickets::resolution_warned_at.eq(warned),
            tickets::resolution_breached_at.eq(breached),
            tickets::final_outcome.eq(outcome),
            tickets::updated_at.eq(now),
        ))
        .returning(Ticket::as_returning())
        .get_result(conn)?;
    let change = serde_json::json!({
        "from": ticket.status,
        "to": to.as_str(),
        "reason": reason,
        "final_outcome": updated.final_outcome,
    });
    insert_entry(
        conn,
        ticket.tenant_id,
        ticket.id,
        &NewTicketEntry::fact(EntryKind::Status, change.clone(), actor),
    )?;
    let policy = get_ticket_settings(conn, ticket.tenant_id)?.policy;
    if to == TicketStatus::Resolved {
        let after = policy.satisfaction_after.max(Duration::zero());
        arm_satisfaction(conn, &updated, now + after)?;
    }
    arm_clocks(conn, &updated, policy)?;
    announce(
        conn,
        &updated,
        "ticket.updated",
        "ticket.status",
        change,
        actor,
    )?;
    Ok(updated)
}
