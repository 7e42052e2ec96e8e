//! Evidence and attachments on a ticket: documents and photos, private to
//! staff (no public link), from the API or a guest's e-mail.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::tickets::evidence_digest;
use uuid::Uuid;

use super::{EntryKind, NewTicketEntry, events::announce, insert_entry, lock_ticket};
use crate::{new_id, schema::ticket_attachments, timeline::Actor};

/// An attachment's description (its bytes are read with
/// [`get_attachment_bytes`]).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_attachments, check_for_backend(diesel::pg::Pg))]
pub struct TicketAttachment {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub ticket_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: i32,
    pub created_at: DateTime<Utc>,
}

/// A file to keep; the caller checked its type and size.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    pub actor: Actor,
}

/// Keeps the file on the ticket, with an `attachment` entry and
/// `ticket.updated`, in the caller's transaction.
pub fn add_attachment(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    new: &NewAttachment<'_>,
) -> QueryResult<TicketAttachment> {
    let ticket = lock_ticket(conn, tenant_id, ticket_id)?;
    let sha256 = evidence_digest(new.bytes);
    let row: TicketAttachment = diesel::insert_into(ticket_attachments::table)
        .values((
            ticket_attachments::id.eq(new_id()),
            ticket_attachments::tenant_id.eq(tenant_id),
            ticket_attachments::ticket_id.eq(ticket.id),
            ticket_attachments::file_name.eq(new.file_name),
            ticket_attachments::content_type.eq(new.content_type),
            ticket_attachments::byte_size.eq(i32::try_from(new.bytes.len()).unwrap_or(i32::MAX)),
            ticket_attachments::sha256.eq(&sha256[..]),
            ticket_attachments::bytes.eq(new.bytes),
        ))
        .returning(TicketAttachment::as_returning())
        .get_result(conn)?;
    let change = serde_json::json!({
        "attachment_id": row.id,
        "file_name": row.file_name,
        "content_type": row.content_type,
        "byte_size": row.byte_size,
    });
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry::fact(EntryKind::Attachment, change.clone(), new.actor),
    )?;
    announce(
        conn,
        &ticket,
        "ticket.updated",
        "ticket.attachment",
        serde_json::json!({ "attachment": change }),
        new.actor,
    )?;
    Ok(row)
}

/// The ticket's attachments, oldest first.
pub fn list_attachments(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
) -> QueryResult<Vec<TicketAttachment>> {
    ticket_attachments::table
        .filter(ticket_attachments::tenant_id.eq(tenant_id))
        .filter(ticket_attachments::ticket_id.eq(ticket_id))
        .select(TicketAttachment::as_select())
        .order(ticket_attachments::id.asc())
        .load(conn)
}

/// One attachment of the ticket with its bytes.
pub fn get_attachment_bytes(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    id: Uuid,
) -> QueryResult<(TicketAttachment, Vec<u8>)> {
    ticket_attachments::table
        .filter(ticket_attachments::tenant_id.eq(tenant_id))
        .filter(ticket_attachments::ticket_id.eq(ticket_id))
        .find(id)
        .select((TicketAttachment::as_select(), ticket_attachments::bytes))
        .first(conn)
}
