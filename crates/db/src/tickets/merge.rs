//! [`merge_tickets`]: two tickets about the same matter become one.

use chrono::Utc;
use diesel::prelude::*;
use uuid::Uuid;

use super::{EntryKind, NewTicketEntry, Ticket, events::announce, insert_entry, lock_ticket};
use crate::{
    schema::{ticket_attachments, ticket_entries, tickets},
    timeline::Actor,
};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("a ticket cannot be merged into itself")]
    SameTicket,
    /// One of them was merged into another ticket before.
    #[error("ticket {0} was merged already")]
    AlreadyMerged(Uuid),
}

/// Merges `source` into `target` in the caller's transaction: the source's
/// entries and attachments move to the target, which takes the source's
/// guest and last guest Message-ID if it has none; the source is closed with
/// `merged_into` set (replies to its e-mails then land on the target).
/// Both get a `merge` entry and `ticket.updated`. Locks both rows in id
/// order, so two crossed merges cannot deadlock. Returns the target.
pub fn merge_tickets(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    source_id: Uuid,
    target_id: Uuid,
    actor: Actor,
) -> Result<Ticket, MergeError> {
    if source_id == target_id {
        return Err(MergeError::SameTicket);
    }
    let (first, second) = if source_id < target_id {
        (source_id, target_id)
    } else {
        (target_id, source_id)
    };
    let (a, b) = (
        lock_ticket(conn, tenant_id, first)?,
        lock_ticket(conn, tenant_id, second)?,
    );
    let (source, target) = if a.id == source_id { (a, b) } else { (b, a) };
    for ticket in [&source, &target] {
        if ticket.merged_into.is_some() {
            return Err(MergeError::AlreadyMerged(ticket.id));
        }
    }
    diesel::update(
        ticket_entries::table
            .filter(ticket_entries::tenant_id.eq(tenant_id))
            .filter(ticket_entries::ticket_id.eq(source.id)),
    )
    .set(ticket_entries::ticket_id.eq(target.id))
    .execute(conn)?;
    diesel::update(
        ticket_attachments::table
            .filter(ticket_attachments::tenant_id.eq(tenant_id))
            .filter(ticket_attachments::ticket_id.eq(source.id)),
    )
    .set(ticket_attachments::ticket_id.eq(target.id))
    .execute(conn)?;
    let now = Utc::now();
    let closed: Ticket = diesel::update(tickets::table.find(source.id))
        .set((
            tickets::merged_into.eq(target.id),
            tickets::status.eq("closed"),
            tickets::closed_at.eq(source.closed_at.unwrap_or(now)),
            tickets::paused_since.eq(None::<chrono::DateTime<Utc>>),
            tickets::updated_at.eq(now),
        ))
        .returning(Ticket::as_returning())
        .get_result(conn)?;
    let merged: Ticket = diesel::update(tickets::table.find(target.id))
        .set((
            tickets::guest_id.eq(target.guest_id.or(source.guest_id)),
            tickets::last_guest_message_id.eq(target
                .last_guest_message_id
                .clone()
                .or(source.last_guest_message_id.clone())),
            tickets::updated_at.eq(now),
        ))
        .returning(Ticket::as_returning())
        .get_result(conn)?;
    let change = serde_json::json!({
        "source": source.id,
        "source_number": source.number().to_string(),
        "target": target.id,
        "target_number": target.number().to_string(),
    });
    for ticket in [&closed, &merged] {
        insert_entry(
            conn,
            tenant_id,
            ticket.id,
            &NewTicketEntry::fact(EntryKind::Merge, change.clone(), actor),
        )?;
        announce(
            conn,
            ticket,
            "ticket.updated",
            "ticket.merged",
            serde_json::json!({ "merge": change }),
            actor,
        )?;
    }
    Ok(merged)
}
