//! A guest's message on its ticket: a reply to the ticket it threads to,
//! else a new ticket, acknowledged when the loop rules allow.
//!
//! Threading looks, in order, for our own outbound Message-IDs in
//! `In-Reply-To` / `References` (the ticket that sent them), the guest's
//! earlier stored messages among them (their ticket), and a `[#T-1234]`
//! token in the subject.

use chrono::Utc;
use diesel::prelude::*;
use guestcare_domain::{
    inbound::{
        MailboxPurpose,
        ack::{self, Identity},
        parse::Parsed,
        thread::own_message_ids,
    },
    tickets::{Priority, TicketChannel, number_in_subject},
};
use uuid::Uuid;

use super::{Disposition, IngestConfig, last_ack_to, ticket_of_message_ids};
use crate::{
    messages::SendError,
    tickets::{self, GuestEntry, NewTicket, Ticket},
    timeline::Actor,
};

/// The ticket `message` continues, if any.
fn find_ticket(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    identity: &Identity,
    message: &Parsed,
) -> QueryResult<Option<Ticket>> {
    let refs: Vec<String> = message
        .references
        .iter()
        .chain(&message.in_reply_to)
        .cloned()
        .collect();
    for outbound in own_message_ids(&refs, &identity.id_domains) {
        if let Some(ticket) = tickets::find_ticket_by_outbound_message(conn, tenant_id, outbound)? {
            return Ok(Some(ticket));
        }
    }
    if let Some(ticket_id) = ticket_of_message_ids(conn, tenant_id, &refs)? {
        return tickets::get_ticket(conn, tenant_id, ticket_id).optional();
    }
    match message.subject.as_deref().and_then(number_in_subject) {
        Some(number) => tickets::find_ticket_by_number(conn, tenant_id, number.0),
        None => Ok(None),
    }
}

/// Adds `message` (stored as `inbound_id`) to its ticket, or opens one.
#[expect(
    clippy::too_many_arguments,
    reason = "the ingestion context, passed through"
)]
pub fn to_ticket(
    conn: &mut PgConnection,
    config: &IngestConfig,
    identity: &Identity,
    purpose: MailboxPurpose,
    tenant_id: Uuid,
    inbound_id: Uuid,
    guest_id: Option<Uuid>,
    message: &Parsed,
) -> QueryResult<Disposition> {
    let guest_message_id = message.message_id.as_ref().map(|id| format!("<{id}>"));
    if let Some(ticket) = find_ticket(conn, tenant_id, identity, message)? {
        let entry = GuestEntry {
            body_text: message.text.clone(),
            body_html: message.html.clone(),
            inbound_message_id: Some(inbound_id),
            guest_message_id,
        };
        tickets::add_guest_message(conn, tenant_id, ticket.id, &entry)?;
        return Ok(Disposition {
            disposition: "reply",
            guest_id,
            ticket_id: Some(ticket.id),
            ..Disposition::default()
        });
    }
    let new = NewTicket {
        channel: TicketChannel::Email,
        category: purpose.ticket_category(),
        subject: message.subject.clone().unwrap_or_default(),
        body_text: message.text.clone(),
        body_html: message.html.clone(),
        guest_id,
        inbound_message_id: Some(inbound_id),
        guest_message_id: guest_message_id.clone(),
        department: None,
        priority: Priority::Normal,
        assignee_id: None,
        incident_on: None,
        complaint_type: None,
        actor: Actor::SYSTEM,
    };
    let ticket = tickets::create_ticket(conn, tenant_id, &new)?;
    let now = Utc::now();
    let last_ack = last_ack_to(conn, tenant_id, &message.from_address)?;
    let mut disposition = Disposition {
        disposition: "ticket",
        guest_id,
        ticket_id: Some(ticket.id),
        ..Disposition::default()
    };
    if let Err(why) = ack::decide(message, identity, last_ack, now, config.ack_window) {
        disposition.note = Some(why.as_str());
        return Ok(disposition);
    }
    match tickets::queue_acknowledgement(conn, tenant_id, &ticket, guest_message_id.as_deref()) {
        Ok(Some(ack)) => {
            disposition.ack_message_id = Some(ack.id);
            disposition.acked_at = Some(now);
        }
        Ok(None) => disposition.note = Some("ack_withheld"),
        Err(SendError::Query(e)) => return Err(e),
        Err(_) => disposition.note = Some("ack_no_template"),
    }
    Ok(disposition)
}
