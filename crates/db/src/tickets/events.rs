//! How a ticket change is announced: the `ticket.*` webhook event (ids and
//! states only, never a body) and, when the ticket has a guest, an entry on
//! the guest's timeline.

use chrono::Utc;
use diesel::prelude::*;

use super::Ticket;
use crate::{
    timeline::{self, Actor, NewEntry},
    webhooks,
};

/// What `ticket.*` events carry.
pub(super) fn event_data(ticket: &Ticket, change: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "id": ticket.id,
        "number": ticket.number().to_string(),
        "guest_id": ticket.guest_id,
        "channel": ticket.channel,
        "category": ticket.category,
        "department": ticket.department,
        "priority": ticket.priority,
        "status": ticket.status,
        "assignee_id": ticket.assignee_id,
        "round": ticket.round,
        "change": change,
    })
}

/// Emits `event` (`ticket.created`, `ticket.updated`, `ticket.sla_breached`)
/// and writes `timeline_kind` on the guest's timeline with `change`.
pub(super) fn announce(
    conn: &mut PgConnection,
    ticket: &Ticket,
    event: &str,
    timeline_kind: &'static str,
    change: serde_json::Value,
    actor: Actor,
) -> QueryResult<()> {
    webhooks::emit_event(conn, ticket.tenant_id, event, &event_data(ticket, &change))?;
    if let Some(guest_id) = ticket.guest_id {
        let mut summary = serde_json::json!({
            "number": ticket.number().to_string(),
            "subject": ticket.subject,
            "category": ticket.category,
            "status": ticket.status,
        });
        if let (Some(object), serde_json::Value::Object(change)) = (summary.as_object_mut(), change)
        {
            object.extend(change);
        }
        timeline::record(
            conn,
            ticket.tenant_id,
            guest_id,
            NewEntry {
                kind: timeline_kind,
                occurred_at: Utc::now(),
                summary,
                ref_id: Some(ticket.id),
                actor,
            },
        )?;
    }
    Ok(())
}
