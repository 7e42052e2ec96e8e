//! [`reply_to_guest`]: a public reply, sent to the guest by e-mail through
//! the message queue and threaded under their last e-mail.

use std::collections::BTreeMap;

use chrono::Utc;
use diesel::prelude::*;
use guestcare_domain::{
    templates::{Channel, Purpose},
    tickets::TicketStatus,
};
use uuid::Uuid;

use super::{
    EntryKind, NewTicketEntry, Ticket, TicketEntry, events::announce, insert_entry, lock_ticket,
    status::apply_status,
};
use crate::{
    messages::{GuestMessage, Message, SendError, Thread, send_threaded},
    new_id,
    schema::tickets,
    timeline::Actor,
};

/// A public reply.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The reply's text (the `ticket_reply` template's `extra.reply`).
    pub text: String,
    /// Signs the e-mail (`extra.agent_name`).
    pub agent_name: Option<String>,
    pub actor: Actor,
}

/// What a reply did.
#[derive(Debug, Clone)]
pub struct Replied {
    pub ticket: Ticket,
    pub entry: TicketEntry,
    /// The e-mail (queued, or recorded as suppressed with the reason);
    /// `None` when the ticket has no guest.
    pub message: Option<Message>,
}

/// Queues `reply` to the ticket's guest in the caller's transaction: the
/// `ticket_reply` text in the guest's language, the subject carrying
/// `[#T-{n}]`, `In-Reply-To`/`References` naming the guest's last e-mail.
/// Records a `public_reply` entry; the first reply stops the first-reply
/// clock; a `new` ticket becomes `open`.
pub fn reply_to_guest(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    reply: &Reply,
) -> Result<Replied, SendError> {
    let mut ticket = lock_ticket(conn, tenant_id, ticket_id)?;
    let message = match ticket.guest_id {
        None => None,
        Some(guest_id) => {
            let mut extra = BTreeMap::from([
                (
                    "ticket_number".to_owned(),
                    ticket.number().to_string().into(),
                ),
                ("reply".to_owned(), reply.text.clone().into()),
            ]);
            if let Some(name) = &reply.agent_name {
                extra.insert("agent_name".to_owned(), name.clone().into());
            }
            let send = GuestMessage {
                guest_id,
                channel: Channel::Email,
                purpose: Purpose::TicketReply,
                extra,
                occasion: None,
                text: Default::default(),
                dedupe_key: format!("ticket:{}:reply:{}", ticket.id, new_id()),
                actor: reply.actor,
            };
            let thread = Thread {
                in_reply_to: ticket.last_guest_message_id.clone(),
                subject_token: Some(ticket.number().token()),
                auto_reply: false,
            };
            Some(
                send_threaded(conn, tenant_id, &send, None, &thread)?
                    .message()
                    .clone(),
            )
        }
    };
    let entry = insert_entry(
        conn,
        tenant_id,
        ticket.id,
        &NewTicketEntry {
            body_text: Some(&reply.text),
            message_id: message.as_ref().map(|m| m.id),
            ..NewTicketEntry::fact(
                EntryKind::PublicReply,
                serde_json::json!({ "status": message.as_ref().map(|m| m.status.clone()) }),
                reply.actor,
            )
        },
    )?;
    if ticket.first_replied_at.is_none() {
        ticket = diesel::update(tickets::table.find(ticket.id))
            .set(tickets::first_replied_at.eq(Utc::now()))
            .returning(Ticket::as_returning())
            .get_result(conn)?;
    }
    ticket = if ticket.status() == TicketStatus::New {
        apply_status(conn, &ticket, TicketStatus::Open, None, reply.actor)?
    } else {
        ticket
    };
    announce(
        conn,
        &ticket,
        "ticket.updated",
        "ticket.replied",
        serde_json::json!({ "reply": entry.id, "message_id": entry.message_id }),
        reply.actor,
    )?;
    Ok(Replied {
        ticket,
        entry,
        message,
    })
}
