//! Tickets: a guest's question, feedback, complaint, request or booking,
//! from e-mail (the inbound mailbox calls [`create_ticket`] and
//! [`add_guest_message`]) or any desk channel (the API), with its entries,
//! complaint clocks and satisfaction rating.
//!
//! Every change writes a ticket entry, the `ticket.*` webhook event and,
//! when the ticket has a guest, an entry on the guest's timeline, in the
//! caller's transaction.

mod acknowledge;
mod attachments;
mod canned;
mod checklist;
mod create;
mod digest;
mod entries;
mod events;
mod list;
mod merge;
mod reply;
mod satisfaction;
mod settings;
mod sla;
mod status;
mod work;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use guestcare_domain::tickets::{TicketNumber, TicketStatus, clock::Clock};
use uuid::Uuid;

pub use acknowledge::{ACKNOWLEDGEMENT, queue_acknowledgement};
pub use attachments::{
    NewAttachment, TicketAttachment, add_attachment, get_attachment_bytes, list_attachments,
};
pub use canned::{
    CannedResponse, RenderError, canned_content, delete_canned, get_canned, insert_canned,
    list_canned, render_canned, update_canned,
};
pub use checklist::{
    Checklist, apply_checklist, delete_checklist, list_checklists, put_checklist, tick_step,
};
pub use create::{GuestEntry, NewTicket, add_guest_message, create_ticket};
pub use digest::{TicketDigest, ticket_digest};
pub use entries::{EntryKind, NewTicketEntry, TicketEntry, insert_entry, list_entries};
pub use list::{OPEN_STATUSES, TicketFilter, Workload, list_tickets, workloads};
pub use merge::{MergeError, merge_tickets};
pub use reply::{Replied, Reply, reply_to_guest};
pub use satisfaction::{
    SEND_SATISFACTION, TicketRating, get_rating, record_rating, send_satisfaction,
};
pub use settings::{TicketSettings, get_ticket_settings, put_ticket_settings};
pub use sla::{SLA_SCAN, SlaReport, run_sla_scan, tenants_with_running_clocks};
pub use status::{StatusChange, StatusError, change_status};
pub use work::{Escalation, add_note, assign_ticket, escalate_ticket};

use crate::schema::{ticket_entries, tickets};

/// A ticket row. `status` and the vocabularies are stored as their words.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tickets, check_for_backend(diesel::pg::Pg))]
pub struct Ticket {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub number: i64,
    pub channel: String,
    pub category: String,
    pub department: String,
    pub priority: String,
    pub status: String,
    pub subject: String,
    pub guest_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    /// The guest's last e-mail Message-ID (`<…>`): public replies answer it.
    pub last_guest_message_id: Option<String>,
    pub incident_on: Option<NaiveDate>,
    pub complaint_type: Option<String>,
    pub within_window: Option<bool>,
    pub final_outcome: Option<String>,
    /// 1, then one more each time the ticket is reopened.
    pub round: i32,
    pub clock_started_at: DateTime<Utc>,
    pub paused_secs: i64,
    pub paused_since: Option<DateTime<Utc>>,
    pub first_replied_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub first_reply_warned_at: Option<DateTime<Utc>>,
    pub first_reply_breached_at: Option<DateTime<Utc>>,
    pub resolution_warned_at: Option<DateTime<Utc>>,
    pub resolution_breached_at: Option<DateTime<Utc>>,
    pub merged_into: Option<Uuid>,
    pub checklist: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Ticket {
    /// `T-{number}`.
    pub fn number(&self) -> TicketNumber {
        TicketNumber(self.number)
    }

    /// The stored status (an unknown word reads as `open`).
    pub fn status(&self) -> TicketStatus {
        self.status.parse().unwrap_or(TicketStatus::Open)
    }

    /// The clock of the current round.
    pub fn clock(&self) -> Clock {
        Clock {
            started_at: self.clock_started_at,
            paused: Duration::seconds(self.paused_secs),
            paused_since: self.paused_since,
        }
    }
}

pub fn get_ticket(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Ticket> {
    tickets::table
        .filter(tickets::tenant_id.eq(tenant_id))
        .find(id)
        .select(Ticket::as_select())
        .first(conn)
}

/// The ticket, locked for update (`FOR UPDATE`) until the transaction ends.
pub fn lock_ticket(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Ticket> {
    tickets::table
        .filter(tickets::tenant_id.eq(tenant_id))
        .find(id)
        .select(Ticket::as_select())
        .for_update()
        .first(conn)
}

/// The ticket numbered `number` (`T-{number}`) in the tenant.
pub fn find_ticket_by_number(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    number: i64,
) -> QueryResult<Option<Ticket>> {
    tickets::table
        .filter(tickets::tenant_id.eq(tenant_id))
        .filter(tickets::number.eq(number))
        .select(Ticket::as_select())
        .first(conn)
        .optional()
}

/// The ticket whose reply or acknowledgement was outbound message
/// `message_id` (our Message-ID is `<{message id}@{domain}>`); a ticket
/// merged into another answers as the one it was merged into.
pub fn find_ticket_by_outbound_message(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    message_id: Uuid,
) -> QueryResult<Option<Ticket>> {
    let ticket_id: Option<Uuid> = ticket_entries::table
        .filter(ticket_entries::tenant_id.eq(tenant_id))
        .filter(ticket_entries::message_id.eq(message_id))
        .select(ticket_entries::ticket_id)
        .first(conn)
        .optional()?;
    let Some(ticket_id) = ticket_id else {
        return Ok(None);
    };
    let ticket = get_ticket(conn, tenant_id, ticket_id)?;
    match ticket.merged_into {
        Some(survivor) => get_ticket(conn, tenant_id, survivor).map(Some),
        None => Ok(Some(ticket)),
    }
}
