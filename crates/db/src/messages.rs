//! The message log: every e-mail and SMS to a guest or staff member, from
//! queued to sent, failed, suppressed or bounced. Queuing a message enqueues
//! the job that sends it in the caller's transaction; the job records the
//! outcome here, with the matching `message.*` webhook event.

mod batch;
mod draft;
mod parts;
mod rules;
mod send;
mod sent;
mod text;
mod thread;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::channels::{Channel, MessageStatus, SuppressionReason};
use guestcare_jobs::{NewJob, enqueue};
use uuid::Uuid;

pub use batch::{
    BatchPayload, Outbound, SEND_EMAIL_BATCH, enqueue_email_batch, load_outbound, queue_email_batch,
};
pub use parts::{MessagePart, NewMessagePart, insert_message_part};
pub use send::{
    GuestMessage, SendError, SendOutcome, Text, send_threaded, send_to_guest, send_to_guests,
};
pub use sent::{Sent, record_sent_many};
pub use text::{OwnText, choose_template, guest_vars, language_of};
pub use thread::Thread;

use crate::{Cursor, schema::messages, webhooks};

/// Job kind that sends an e-mail message (`{"message_id", "tenant_id"}`).
pub const SEND_EMAIL: &str = "send_email";
/// Job kind that sends an SMS message.
pub const SEND_SMS: &str = "send_sms";

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = messages, check_for_backend(diesel::pg::Pg))]
pub struct Message {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub guest_id: Option<Uuid>,
    pub channel: String,
    pub purpose: String,
    pub category: String,
    pub template_key: Option<String>,
    pub language: Option<String>,
    /// The address or number: needed to send, never to be logged.
    pub recipient: String,
    pub time_zone: Option<String>,
    pub subject: Option<String>,
    pub body_text: String,
    pub body_html: Option<String>,
    pub unsubscribe_url: Option<String>,
    /// The From header's display name (a campaign's sender).
    pub from_name: Option<String>,
    /// The message whose stored parts (inline images, attachments) this
    /// one carries; `None`: its own.
    pub parts_of: Option<Uuid>,
    pub status: String,
    pub suppression_reason: Option<String>,
    pub provider_id: Option<String>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    /// The guest's Message-ID this e-mail answers (`In-Reply-To`).
    pub in_reply_to: Option<String>,
}

/// A rendered message to queue.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = messages)]
pub struct NewMessage {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub guest_id: Option<Uuid>,
    pub channel: String,
    pub purpose: String,
    pub category: String,
    pub template_key: Option<String>,
    pub language: Option<String>,
    pub recipient: String,
    /// The recipient's IANA time zone (quiet hours); `None`: the tenant's.
    pub time_zone: Option<String>,
    pub subject: Option<String>,
    pub body_text: String,
    pub body_html: Option<String>,
    pub unsubscribe_url: Option<String>,
    /// Carry the parts stored for this earlier message (a campaign stores
    /// its images once per variant); `None`: the parts given with it.
    pub parts_of: Option<Uuid>,
    /// The sender's occurrence key: at most one message per tenant and key.
    pub dedupe_key: Option<String>,
}

/// Inserts the message with its parts and enqueues the job that sends it
/// (not before `send_at`, e.g. the end of quiet hours). Call it inside the
/// transaction that decided to send.
pub fn queue_message(
    conn: &mut PgConnection,
    message: &NewMessage,
    parts: &[NewMessagePart],
    send_at: Option<DateTime<Utc>>,
) -> QueryResult<Message> {
    let row = diesel::insert_into(messages::table)
        .values(message)
        .returning(Message::as_returning())
        .get_result(conn)?;
    for part in parts {
        insert_message_part(conn, row.tenant_id, row.id, part)?;
    }
    enqueue(
        conn,
        &send_job(&row, send_at, format!("message:{}", row.id)),
    )?;
    Ok(row)
}

/// Sends a queued message later (at `at`, e.g. when quiet hours end), from
/// a job that is itself finishing: the new job gets its own dedupe key.
pub fn defer_message(conn: &mut PgConnection, row: &Message, at: DateTime<Utc>) -> QueryResult<()> {
    let key = format!("message:{}:{}", row.id, at.timestamp());
    enqueue(conn, &send_job(row, Some(at), key))?;
    Ok(())
}

fn send_job(row: &Message, send_at: Option<DateTime<Utc>>, dedupe_key: String) -> NewJob {
    let (queue, kind) = match Channel::parse(&row.channel) {
        Some(Channel::Sms) => ("sms", SEND_SMS),
        _ => ("email", SEND_EMAIL),
    };
    let job = NewJob::new(
        queue,
        kind,
        serde_json::json!({ "message_id": row.id, "tenant_id": row.tenant_id }),
    )
    .with_tenant(row.tenant_id)
    .with_dedupe_key(dedupe_key);
    match send_at {
        Some(at) => job.with_run_at(at),
        None => job,
    }
}

/// The message a signed guest link names, whatever its tenant. Only for
/// ids taken from a token whose signature was checked: the signature, not
/// a tenant filter, is what entitles the caller to it.
pub fn find_linked_message(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Message>> {
    messages::table
        .find(id)
        .select(Message::as_select())
        .first(conn)
        .optional()
}

pub fn get_message(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Message> {
    messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .find(id)
        .select(Message::as_select())
        .first(conn)
}

/// Which messages to list; `None` fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub status: Option<MessageStatus>,
    pub channel: Option<Channel>,
    pub guest_id: Option<Uuid>,
}

/// Up to `limit + 1` messages after `cursor`, newest first.
pub fn list_messages(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    filter: &MessageFilter,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Message>> {
    let mut query = messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .select(Message::as_select())
        .order(messages::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(messages::status.eq(status.as_str()));
    }
    if let Some(channel) = filter.channel {
        query = query.filter(messages::channel.eq(channel.as_str()));
    }
    if let Some(guest_id) = filter.guest_id {
        query = query.filter(messages::guest_id.eq(guest_id));
    }
    if let Some(Cursor(before)) = cursor {
        query = query.filter(messages::id.lt(before));
    }
    query.load(conn)
}

/// How an attempt to send ended, short of being sent (a sent message is
/// recorded with [`record_sent_many`]).
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Will be retried; the error is kept.
    Retrying { error: String },
    /// Given up; the error is kept.
    Failed { error: String },
    /// Not sent because the address is suppressed.
    Suppressed { reason: SuppressionReason },
}

/// Records an attempt's outcome on a queued message and, for final outcomes,
/// emits `message.failed`. A message no longer queued
/// (already sent by an earlier attempt) is left alone: returns `false`.
pub fn record_outcome(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    outcome: &Outcome,
) -> QueryResult<bool> {
    let scope = messages::table
        .filter(messages::tenant_id.eq(tenant_id))
        .filter(messages::id.eq(id))
        .filter(messages::status.eq(MessageStatus::Queued.as_str()));
    let now = diesel::dsl::now;
    let attempts = messages::attempts + 1;
    let updated = match outcome {
        Outcome::Retrying { error } => diesel::update(scope)
            .set((
                messages::attempts.eq(attempts),
                messages::last_error.eq(error),
                messages::updated_at.eq(now),
            ))
            .returning(Message::as_returning())
            .get_result(conn)
            .optional()?,
        Outcome::Failed { error } => diesel::update(scope)
            .set((
                messages::status.eq(MessageStatus::Failed.as_str()),
                messages::attempts.eq(attempts),
                messages::last_error.eq(error),
                messages::failed_at.eq(now),
                messages::updated_at.eq(now),
            ))
            .returning(Message::as_returning())
            .get_result(conn)
            .optional()?,
        Outcome::Suppressed { reason } => diesel::update(scope)
            .set((
                messages::status.eq(MessageStatus::Suppressed.as_str()),
                messages::suppression_reason.eq(reason.as_str()),
                messages::updated_at.eq(now),
            ))
            .returning(Message::as_returning())
            .get_result(conn)
            .optional()?,
    };
    let Some(row) = updated else {
        return Ok(false);
    };
    if !matches!(outcome, Outcome::Retrying { .. }) {
        webhooks::emit_event(conn, tenant_id, "message.failed", &event_data(&row))?;
    }
    Ok(true)
}

/// What `message.*` events carry: ids and states, never the address or body.
pub(crate) fn event_data(row: &Message) -> serde_json::Value {
    serde_json::json!({
        "id": row.id,
        "guest_id": row.guest_id,
        "channel": row.channel,
        "purpose": row.purpose,
        "status": row.status,
        "suppression_reason": row.suppression_reason,
        "provider_id": row.provider_id,
        "error": row.last_error,
    })
}
