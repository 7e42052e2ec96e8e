//! E-mails in bulk: a campaign queues its messages a chunk at a time, and
//! one `send_email_batch` job sends a chunk over pooled SMTP connections.
//! Per message this saves a job row, a claim, a completion and the reads
//! that a job of its own would cost.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::channels::MessageStatus;
use guestcare_jobs::{NewJob, enqueue};
use uuid::Uuid;

use super::{Message, MessagePart, NewMessage};
use crate::schema::{message_parts, messages};

/// Job kind that sends a chunk of queued e-mails
/// (`{"tenant_id", "message_ids": [..]}`).
pub const SEND_EMAIL_BATCH: &str = "send_email_batch";

/// What a `send_email_batch` job carries.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct BatchPayload {
    pub tenant_id: Uuid,
    pub message_ids: Vec<Uuid>,
}

/// Inserts `batch` (e-mails of `tenant_id`, at most a few hundred: one
/// statement) and enqueues one job that sends them, not before `send_at`,
/// in the caller's transaction. A message whose dedupe key the tenant used
/// before is skipped: the result holds the messages inserted now, and no
/// job is enqueued when there are none.
pub fn queue_email_batch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    batch: &[NewMessage],
    send_at: Option<DateTime<Utc>>,
) -> QueryResult<Vec<Message>> {
    debug_assert!(batch.iter().all(|m| m.tenant_id == tenant_id));
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<Message> = diesel::insert_into(messages::table)
        .values(batch)
        .on_conflict_do_nothing()
        .returning(Message::as_returning())
        .get_results(conn)?;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    enqueue_email_batch(conn, tenant_id, &ids, send_at)?;
    Ok(rows)
}

/// Enqueues one `send_email_batch` job for the queued e-mails `message_ids`
/// (already inserted, at most a few hundred), not before `send_at`, in the
/// caller's transaction; nothing when there are none.
pub fn enqueue_email_batch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    message_ids: &[Uuid],
    send_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    let Some(first) = message_ids.first() else {
        return Ok(());
    };
    let payload = BatchPayload {
        tenant_id,
        message_ids: message_ids.to_vec(),
    };
    let job = NewJob::new(
        "email",
        SEND_EMAIL_BATCH,
        serde_json::to_value(&payload)
            .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?,
    )
    .with_tenant(tenant_id)
    .with_dedupe_key(format!("messages:{first}"));
    enqueue(
        conn,
        &match send_at {
            Some(at) => job.with_run_at(at),
            None => job,
        },
    )?;
    Ok(())
}

/// Queued e-mails about to be sent, with their parts.
#[derive(Debug, Default)]
pub struct Outbound {
    /// The messages among those asked for that are still queued (a message
    /// sent, failed or suppressed by an earlier attempt is left out).
    pub messages: Vec<Message>,
    /// Parts by the message that stores them (its own id or `parts_of`).
    pub parts: HashMap<Uuid, Vec<MessagePart>>,
}

impl Outbound {
    /// The inline images and attachments `message` carries.
    pub fn parts_of(&self, message: &Message) -> &[MessagePart] {
        self.parts
            .get(&message.parts_of.unwrap_or(message.id))
            .map_or(&[], Vec::as_slice)
    }
}

/// The still-queued messages among `ids` and their parts, in two queries
/// whatever the count; each shared part set is read once.
pub fn load_outbound(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> QueryResult<Outbound> {
    let messages: Vec<Message> = messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .filter(messages::id.eq_any(ids))
        .filter(messages::status.eq(MessageStatus::Queued.as_str()))
        .select(Message::as_select())
        .order(messages::id.asc())
        .load(conn)?;
    let mut owners: Vec<Uuid> = messages
        .iter()
        .map(|m| m.parts_of.unwrap_or(m.id))
        .collect();
    owners.sort_unstable();
    owners.dedup();
    let mut parts: HashMap<Uuid, Vec<MessagePart>> = HashMap::new();
    let stored: Vec<MessagePart> = message_parts::table
        .filter(message_parts::tenant_id.eq(tenant_id))
        .filter(message_parts::message_id.eq_any(&owners))
        .select(MessagePart::as_select())
        .order(message_parts::id.asc())
        .load(conn)?;
    for part in stored {
        parts.entry(part.message_id).or_default().push(part);
    }
    Ok(Outbound { messages, parts })
}
