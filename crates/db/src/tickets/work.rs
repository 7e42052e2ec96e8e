//! Staff work on a ticket: assigning, escalating, internal notes.

use chrono::Utc;
use diesel::prelude::*;
use uuid::Uuid;

use super::{
    EntryKind, NewTicketEntry, Ticket, TicketEntry, events::announce, insert_entry, lock_ticket,
};
use crate::{schema::tickets, timeline::Actor};

/// Assigns the ticket to a staff user (the caller checked it is one) or
/// unassigns it.
pub fn assign_ticket(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    assignee_id: Option<Uuid>,
    actor: Actor,
) -> QueryResult<Ticket> {
    let before = lock_ticket(conn, tenant_id, ticket_id)?;
    let ticket: Ticket = diesel::update(tickets::table.find(before.id))
        .set((
            tickets::assignee_id.eq(assignee_id),
            tickets::updated_at.eq(Utc::now()),
        ))
        .returning(Ticket::as_returning())
        .get_result(conn)?;
    let change = serde_json::json!({ "from": before.assignee_id, "to": assignee_id });
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry::fact(EntryKind::Assignment, change.clone(), actor),
    )?;
    announce(
        conn,
        &ticket,
        "ticket.updated",
        "ticket.assigned",
        serde_json::json!({ "assignment": change }),
        actor,
    )?;
    Ok(ticket)
}

/// An escalation: to another department and/or a manager, with the reason.
#[derive(Debug, Clone)]
pub struct Escalation {
    /// A department of the tenant (checked by the caller); `None` keeps it.
    pub department: Option<String>,
    /// A manager (checked by the caller); `None` keeps the assignee.
    pub assignee_id: Option<Uuid>,
    pub reason: String,
    pub actor: Actor,
}

/// Reassigns the ticket as `escalation` says and keeps the reason on an
/// `escalation` entry.
pub fn escalate_ticket(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    escalation: &Escalation,
) -> QueryResult<Ticket> {
    let before = lock_ticket(conn, tenant_id, ticket_id)?;
    let department = escalation
        .department
        .clone()
        .unwrap_or_else(|| before.department.clone());
    let assignee = escalation.assignee_id.or(before.assignee_id);
    let ticket: Ticket = diesel::update(tickets::table.find(before.id))
        .set((
            tickets::department.eq(&department),
            tickets::assignee_id.eq(assignee),
            tickets::updated_at.eq(Utc::now()),
        ))
        .returning(Ticket::as_returning())
        .get_result(conn)?;
    let change = serde_json::json!({
        "from_department": before.department,
        "to_department": department,
        "from_assignee": before.assignee_id,
        "to_assignee": assignee,
        "reason": escalation.reason,
    });
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry::fact(EntryKind::Escalation, change.clone(), escalation.actor),
    )?;
    announce(
        conn,
        &ticket,
        "ticket.updated",
        "ticket.escalated",
        serde_json::json!({ "escalation": change }),
        escalation.actor,
    )?;
    Ok(ticket)
}

/// Adds an internal note (never sent, not on the guest's timeline).
pub fn add_note(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    text: &str,
    actor: Actor,
) -> QueryResult<TicketEntry> {
    let ticket = lock_ticket(conn, tenant_id, ticket_id)?;
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry {
            body_text: Some(text),
            ..NewTicketEntry::fact(EntryKind::InternalNote, serde_json::json!({}), actor)
        },
    )
}
