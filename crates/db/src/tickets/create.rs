//! [`create_ticket`] and [`add_guest_message`]: a guest's first message
//! and every later one, from the inbound mailbox or the API.

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use guestcare_domain::tickets::{
    ComplaintType, Priority, TicketCategory, TicketChannel, TicketStatus,
};
use uuid::Uuid;

use super::{
    EntryKind, NewTicketEntry, Ticket, arm_clocks, events::announce, get_ticket_settings,
    insert_entry, lock_ticket, status::apply_status,
};
use crate::{
    new_id,
    schema::{ticket_counters, tickets},
    tenants,
    timeline::Actor,
};

/// The longest subject kept (longer ones are cut at a character boundary).
const SUBJECT_MAX: usize = 300;

/// A ticket to create.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub channel: TicketChannel,
    pub category: TicketCategory,
    /// Cut to 300 characters; blank becomes `—`.
    pub subject: String,
    pub body_text: String,
    /// Already sanitised HTML.
    pub body_html: Option<String>,
    pub guest_id: Option<Uuid>,
    /// The inbound e-mail it came from (the inbound store's id).
    pub inbound_message_id: Option<Uuid>,
    /// The guest's e-mail Message-ID (`<…>`), answered by public replies.
    pub guest_message_id: Option<String>,
    /// A department of the tenant; `None`: its first (front desk).
    pub department: Option<String>,
    pub priority: Priority,
    pub assignee_id: Option<Uuid>,
    /// Complaints: the incident's date and type decide the window.
    pub incident_on: Option<NaiveDate>,
    pub complaint_type: Option<ComplaintType>,
    pub actor: Actor,
}

/// A later message of the guest on a ticket.
#[derive(Debug, Clone)]
pub struct GuestEntry {
    pub body_text: String,
    pub body_html: Option<String>,
    pub inbound_message_id: Option<Uuid>,
    /// The e-mail's Message-ID (`<…>`), answered by the next public reply.
    pub guest_message_id: Option<String>,
}

/// Creates the ticket with the tenant's next number, its first guest
/// entry, the `ticket.created` event and the guest's timeline entry, in the
/// caller's transaction. Numbering takes a row lock on the tenant's counter
/// until the transaction ends, so numbers never repeat or skip on rollback.
pub fn create_ticket(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    new: &NewTicket,
) -> QueryResult<Ticket> {
    let number: i64 = diesel::insert_into(ticket_counters::table)
        .values((
            ticket_counters::tenant_id.eq(tenant_id),
            ticket_counters::last_number.eq(1),
        ))
        .on_conflict(ticket_counters::tenant_id)
        .do_update()
        .set(ticket_counters::last_number.eq(ticket_counters::last_number + 1))
        .returning(ticket_counters::last_number)
        .get_result(conn)?;
    let settings = get_ticket_settings(conn, tenant_id)?;
    let now = Utc::now();
    let within_window = match (new.category, new.complaint_type, new.incident_on) {
        (TicketCategory::Complaint, Some(kind), Some(incident_on)) => {
            let tenant = tenants::get_tenant(conn, tenant_id)?;
            let tz: Tz = tenant.time_zone.parse().unwrap_or(Tz::Asia__Ho_Chi_Minh);
            Some(settings.policy.within_window(
                kind,
                incident_on,
                now.with_timezone(&tz).date_naive(),
            ))
        }
        _ => None,
    };
    let department = new
        .department
        .clone()
        .unwrap_or_else(|| settings.default_department().to_owned());
    let ticket: Ticket = diesel::insert_into(tickets::table)
        .values((
            tickets::id.eq(new_id()),
            tickets::tenant_id.eq(tenant_id),
            tickets::number.eq(number),
            tickets::channel.eq(new.channel.as_str()),
            tickets::category.eq(new.category.as_str()),
            tickets::department.eq(department),
            tickets::priority.eq(new.priority.as_str()),
            tickets::subject.eq(subject(&new.subject)),
            tickets::guest_id.eq(new.guest_id),
            tickets::assignee_id.eq(new.assignee_id),
            tickets::last_guest_message_id.eq(&new.guest_message_id),
            tickets::incident_on.eq(new.incident_on),
            tickets::complaint_type.eq(new.complaint_type.map(ComplaintType::as_str)),
            tickets::within_window.eq(within_window),
            tickets::clock_started_at.eq(now),
        ))
        .returning(Ticket::as_returning())
        .get_result(conn)?;
    arm_clocks(conn, &ticket, settings.policy)?;
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry {
            kind: EntryKind::GuestMessage,
            body_text: Some(&new.body_text),
            body_html: new.body_html.as_deref(),
            inbound_message_id: new.inbound_message_id,
            message_id: None,
            data: serde_json::json!({}),
            actor: new.actor,
        },
    )?;
    announce(
        conn,
        &ticket,
        "ticket.created",
        "ticket.created",
        serde_json::json!({ "within_window": within_window }),
        new.actor,
    )?;
    Ok(ticket)
}

/// Appends the guest's message to the ticket (a merged ticket's survivor),
/// in the caller's transaction, and moves the ticket on: waiting for the
/// guest → `open` (the clock runs again); `resolved` or `closed` →
/// `reopened` (a new round). Returns the ticket as it is now.
pub fn add_guest_message(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    entry: &GuestEntry,
) -> QueryResult<Ticket> {
    let mut ticket = lock_ticket(conn, tenant_id, ticket_id)?;
    if let Some(survivor) = ticket.merged_into {
        ticket = lock_ticket(conn, tenant_id, survivor)?;
    }
    let actor = ticket.guest_id.map_or(Actor::SYSTEM, Actor::guest);
    insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry {
            kind: EntryKind::GuestMessage,
            body_text: Some(&entry.body_text),
            body_html: entry.body_html.as_deref(),
            inbound_message_id: entry.inbound_message_id,
            message_id: None,
            data: serde_json::json!({}),
            actor,
        },
    )?;
    if let Some(message_id) = &entry.guest_message_id {
        ticket = diesel::update(tickets::table.find(ticket.id))
            .set(tickets::last_guest_message_id.eq(message_id))
            .returning(Ticket::as_returning())
            .get_result(conn)?;
    }
    let next = match ticket.status() {
        TicketStatus::PendingGuest => Some(TicketStatus::Open),
        TicketStatus::Resolved | TicketStatus::Closed => Some(TicketStatus::Reopened),
        _ => None,
    };
    match next {
        Some(to) => apply_status(conn, &ticket, to, Some("guest_replied"), actor),
        None => {
            announce(
                conn,
                &ticket,
                "ticket.updated",
                "ticket.guest_message",
                serde_json::json!({ "change": "guest_message" }),
                actor,
            )?;
            Ok(ticket)
        }
    }
}

fn subject(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return "—".to_owned();
    }
    trimmed.chars().take(SUBJECT_MAX).collect()
}
