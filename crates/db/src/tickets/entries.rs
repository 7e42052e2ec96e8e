//! Ticket entries: everything that happened on a ticket, oldest first.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::{Cursor, new_id, schema::ticket_entries, timeline::Actor};

/// What an entry records (the `kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    GuestMessage,
    PublicReply,
    InternalNote,
    Acknowledgement,
    Status,
    Assignment,
    Escalation,
    Merge,
    Sla,
    Satisfaction,
    Attachment,
    Checklist,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::GuestMessage => "guest_message",
            EntryKind::PublicReply => "public_reply",
            EntryKind::InternalNote => "internal_note",
            EntryKind::Acknowledgement => "acknowledgement",
            EntryKind::Status => "status",
            EntryKind::Assignment => "assignment",
            EntryKind::Escalation => "escalation",
            EntryKind::Merge => "merge",
            EntryKind::Sla => "sla",
            EntryKind::Satisfaction => "satisfaction",
            EntryKind::Attachment => "attachment",
            EntryKind::Checklist => "checklist",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ticket_entries, check_for_backend(diesel::pg::Pg))]
pub struct TicketEntry {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub ticket_id: Uuid,
    pub kind: String,
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    pub inbound_message_id: Option<Uuid>,
    pub message_id: Option<Uuid>,
    pub data: serde_json::Value,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// An entry to add.
#[derive(Debug, Clone)]
pub struct NewTicketEntry<'a> {
    pub kind: EntryKind,
    pub body_text: Option<&'a str>,
    pub body_html: Option<&'a str>,
    pub inbound_message_id: Option<Uuid>,
    pub message_id: Option<Uuid>,
    /// Small JSON facts (from/to status, reason, department, rating).
    pub data: serde_json::Value,
    pub actor: Actor,
}

impl NewTicketEntry<'_> {
    /// An entry with only facts, no body or message.
    pub fn fact(kind: EntryKind, data: serde_json::Value, actor: Actor) -> NewTicketEntry<'static> {
        NewTicketEntry {
            kind,
            body_text: None,
            body_html: None,
            inbound_message_id: None,
            message_id: None,
            data,
            actor,
        }
    }
}

pub fn insert_entry(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    entry: &NewTicketEntry<'_>,
) -> QueryResult<TicketEntry> {
    diesel::insert_into(ticket_entries::table)
        .values((
            ticket_entries::id.eq(new_id()),
            ticket_entries::tenant_id.eq(tenant_id),
            ticket_entries::ticket_id.eq(ticket_id),
            ticket_entries::kind.eq(entry.kind.as_str()),
            ticket_entries::body_text.eq(entry.body_text),
            ticket_entries::body_html.eq(entry.body_html),
            ticket_entries::inbound_message_id.eq(entry.inbound_message_id),
            ticket_entries::message_id.eq(entry.message_id),
            ticket_entries::data.eq(&entry.data),
            ticket_entries::actor_type.eq(entry.actor.kind),
            ticket_entries::actor_id.eq(entry.actor.id),
        ))
        .returning(TicketEntry::as_returning())
        .get_result(conn)
}

/// Up to `limit + 1` entries of the ticket after `cursor`, oldest first.
pub fn list_entries(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<TicketEntry>> {
    let mut query = ticket_entries::table
        .filter(ticket_entries::tenant_id.eq(tenant_id))
        .filter(ticket_entries::ticket_id.eq(ticket_id))
        .select(TicketEntry::as_select())
        .order(ticket_entries::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(ticket_entries::id.gt(after));
    }
    query.load(conn)
}
