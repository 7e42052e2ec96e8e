//! Messages fetched from tenants' mailboxes, stored once each.
//!
//! A message is recognised as already stored by its Message-ID (per tenant)
//! or by its place on the server (mailbox, UIDVALIDITY, UID): both are
//! unique constraints, and [`insert_inbound`] inserts with `ON CONFLICT DO
//! NOTHING`, so a message fetched twice — a crash between fetch and commit,
//! a UIDVALIDITY resync, the same mail delivered to two mailboxes — is
//! processed once. [`ingest::ingest`] is the one way a fetched message is
//! turned into a ticket, a reply, a bounce or a survey answer.

mod bounces;
pub mod ingest;
mod sender;
mod thread;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::inbound::parse::Attachment;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    Cursor, new_id,
    schema::{inbound_attachments, inbound_messages},
};

/// What can become of a message (`inbound_messages.disposition`).
pub const DISPOSITIONS: [&str; 6] = [
    "ticket",
    "reply",
    "bounce",
    "survey_reply",
    "ignored",
    "quarantined",
];

pub use ingest::{Fetched, IngestConfig, Ingested, ingest};

/// A stored inbound message (without its raw bytes).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = inbound_messages, check_for_backend(diesel::pg::Pg))]
pub struct InboundMessage {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub mailbox_id: Option<Uuid>,
    pub uid_validity: i64,
    pub uid: i64,
    pub message_id: String,
    /// `ticket`, `reply`, `bounce`, `survey_reply`, `ignored` or
    /// `quarantined`.
    pub disposition: String,
    pub quarantine_reason: Option<String>,
    pub note: Option<String>,
    pub size: i32,
    pub from_address: Option<String>,
    pub from_name: Option<String>,
    pub subject: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<Option<String>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    pub guest_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    pub bounced_message_id: Option<Uuid>,
    pub bounce_status: Option<String>,
    pub ack_message_id: Option<Uuid>,
    pub acked_at: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
}

/// A message to store; its disposition is set by [`set_disposition`].
#[derive(Debug, Insertable)]
#[diesel(table_name = inbound_messages)]
pub struct NewInbound<'a> {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub mailbox_id: Option<Uuid>,
    pub uid_validity: i64,
    pub uid: i64,
    pub message_id: &'a str,
    pub disposition: &'a str,
    pub quarantine_reason: Option<&'a str>,
    pub size: i32,
    pub raw: &'a [u8],
    pub from_address: Option<&'a str>,
    pub from_name: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub in_reply_to: Option<&'a str>,
    pub references: Vec<Option<String>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub body_text: Option<&'a str>,
    pub body_html: Option<&'a str>,
}

/// The key a message without a Message-ID is stored under.
pub fn synthetic_message_id(raw: &[u8]) -> String {
    let digest = Sha256::digest(raw);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Stores the message unless it is already stored (same Message-ID in the
/// tenant, or same mailbox, UIDVALIDITY and UID): `false` then.
pub fn insert_inbound(conn: &mut PgConnection, new: &NewInbound<'_>) -> QueryResult<bool> {
    let inserted = diesel::insert_into(inbound_messages::table)
        .values(new)
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(inserted == 1)
}

/// What became of a stored message.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = inbound_messages)]
pub struct Disposition {
    pub disposition: &'static str,
    pub note: Option<&'static str>,
    pub guest_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    pub bounced_message_id: Option<Uuid>,
    pub bounce_status: Option<String>,
    pub ack_message_id: Option<Uuid>,
    pub acked_at: Option<DateTime<Utc>>,
}

pub fn set_disposition(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    disposition: &Disposition,
) -> QueryResult<()> {
    diesel::update(
        inbound_messages::table
            .filter(inbound_messages::tenant_id.eq(tenant_id))
            .filter(inbound_messages::id.eq(id)),
    )
    .set(disposition)
    .execute(conn)?;
    Ok(())
}

pub fn get_inbound(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> QueryResult<InboundMessage> {
    inbound_messages::table
        .filter(inbound_messages::tenant_id.eq(tenant_id))
        .find(id)
        .select(InboundMessage::as_select())
        .first(conn)
}

/// Up to `limit + 1` of a mailbox's messages after `cursor`, newest first,
/// optionally only those with `disposition`.
pub fn list_inbound(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    mailbox_id: Uuid,
    disposition: Option<&str>,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<InboundMessage>> {
    let mut query = inbound_messages::table
        .filter(inbound_messages::tenant_id.eq(tenant_id))
        .filter(inbound_messages::mailbox_id.eq(mailbox_id))
        .select(InboundMessage::as_select())
        .order(inbound_messages::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(disposition) = disposition {
        query = query.filter(inbound_messages::disposition.eq(disposition.to_owned()));
    }
    if let Some(Cursor(before)) = cursor {
        query = query.filter(inbound_messages::id.lt(before));
    }
    query.load(conn)
}

/// The ticket of the newest stored message among `message_ids` (the
/// guest's earlier messages that a reply refers to).
pub fn ticket_of_message_ids(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    message_ids: &[String],
) -> QueryResult<Option<Uuid>> {
    inbound_messages::table
        .filter(inbound_messages::tenant_id.eq(tenant_id))
        .filter(inbound_messages::message_id.eq_any(message_ids))
        .filter(inbound_messages::ticket_id.is_not_null())
        .order(inbound_messages::id.desc())
        .select(inbound_messages::ticket_id)
        .first::<Option<Uuid>>(conn)
        .optional()
        .map(Option::flatten)
}

diesel::define_sql_function!(
    /// SQL `lower(text)`.
    fn lower(text: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>);

/// When `address` was last sent an acknowledgement, if ever. Takes a
/// transaction-scoped lock on the sender first, so two messages of one
/// sender processed at once cannot both be acknowledged.
pub fn last_ack_to(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    address: &str,
) -> QueryResult<Option<DateTime<Utc>>> {
    let canonical = address.to_lowercase();
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 710001))")
        .bind::<diesel::sql_types::Text, _>(format!("{tenant_id}:{canonical}"))
        .execute(conn)?;
    inbound_messages::table
        .filter(inbound_messages::tenant_id.eq(tenant_id))
        .filter(lower(inbound_messages::from_address).eq(canonical))
        .filter(inbound_messages::acked_at.is_not_null())
        .select(diesel::dsl::max(inbound_messages::acked_at))
        .first(conn)
}

/// Stores the message's attachments (those over the limit without bytes).
pub fn insert_attachments(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    inbound_message_id: Uuid,
    attachments: &[Attachment],
) -> QueryResult<()> {
    if attachments.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = attachments
        .iter()
        .map(|a| {
            (
                inbound_attachments::id.eq(new_id()),
                inbound_attachments::tenant_id.eq(tenant_id),
                inbound_attachments::inbound_message_id.eq(inbound_message_id),
                inbound_attachments::filename.eq(&a.filename),
                inbound_attachments::content_type.eq(&a.content_type),
                inbound_attachments::size.eq(i32::try_from(a.size).unwrap_or(i32::MAX)),
                inbound_attachments::data.eq(a.data.as_deref()),
            )
        })
        .collect();
    diesel::insert_into(inbound_attachments::table)
        .values(rows)
        .execute(conn)?;
    Ok(())
}
