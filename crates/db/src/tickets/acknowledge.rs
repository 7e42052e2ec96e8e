//! [`queue_acknowledgement`]: the automatic answer to a new ticket.

use std::collections::BTreeMap;

use diesel::prelude::*;
use guestcare_domain::templates::{Channel, Purpose};
use uuid::Uuid;

use super::{EntryKind, NewTicketEntry, Ticket, insert_entry};
use crate::{
    messages::{GuestMessage, Message, SendError, SendOutcome, Thread, send_threaded},
    timeline::Actor,
};

/// The dedupe-key suffix of a ticket's acknowledgement (`ticket:{id}:ack`).
pub const ACKNOWLEDGEMENT: &str = "ack";

/// Queues the automatic acknowledgement of `ticket` in the caller's
/// transaction: the feedback-acknowledgement text in the guest's language
/// (`extra.reference` = `T-{n}`, the subject carrying `[#T-{n}]`), category
/// `auto_reply`, answering `in_reply_to` (the guest's Message-ID), through
/// `messages::send_threaded` (suppressions apply; no marketing consent is
/// needed). Records it as an `acknowledgement` entry. Once per ticket: a
/// second call returns the first message and records nothing. `None` when
/// the ticket has no guest to write to. Whether an acknowledgement is
/// allowed at all (loop safety) is the caller's decision.
pub fn queue_acknowledgement(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ticket: &Ticket,
    in_reply_to: Option<&str>,
) -> Result<Option<Message>, SendError> {
    let Some(guest_id) = ticket.guest_id else {
        return Ok(None);
    };
    let number = ticket.number();
    let send = GuestMessage {
        guest_id,
        channel: Channel::Email,
        purpose: Purpose::FeedbackAcknowledgement,
        extra: BTreeMap::from([("reference".to_owned(), number.to_string().into())]),
        occasion: None,
        text: Default::default(),
        dedupe_key: format!("ticket:{}:{ACKNOWLEDGEMENT}", ticket.id),
        actor: Actor::SYSTEM,
    };
    let thread = Thread {
        in_reply_to: in_reply_to.map(str::to_owned),
        subject_token: Some(number.token()),
        auto_reply: true,
    };
    let outcome = send_threaded(conn, tenant_id, &send, None, &thread)?;
    if let SendOutcome::Queued(message) | SendOutcome::Withheld(message, _) = &outcome {
        insert_entry(
            conn,
            tenant_id,
            ticket.id,
            &NewTicketEntry {
                message_id: Some(message.id),
                ..NewTicketEntry::fact(
                    EntryKind::Acknowledgement,
                    serde_json::json!({ "status": message.status }),
                    Actor::SYSTEM,
                )
            },
        )?;
    }
    Ok(Some(outcome.message().clone()))
}
