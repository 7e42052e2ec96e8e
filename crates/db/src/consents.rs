//! Consent per guest, channel and purpose: the current state (what marketing
//! sends check) and every change (when, how, by whom).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::guest::{ConsentChannel, ConsentPurpose, ConsentStatus};
use serde::Serialize;
use uuid::Uuid;

use crate::{
    Cursor,
    guests::{self, Guest},
    new_id,
    schema::{consent_events, consents},
    timeline::{self, Actor, NewEntry},
};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = consents, check_for_backend(diesel::pg::Pg))]
pub struct Consent {
    pub tenant_id: Uuid,
    pub guest_id: Uuid,
    pub channel: String,
    pub purpose: String,
    pub status: String,
    pub changed_at: DateTime<Utc>,
    pub event_id: Uuid,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = consent_events, check_for_backend(diesel::pg::Pg))]
pub struct ConsentEvent {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub guest_id: Uuid,
    pub channel: String,
    pub purpose: String,
    pub status: String,
    pub occurred_at: DateTime<Utc>,
    pub source: String,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One consent change to record.
#[derive(Debug, Clone)]
pub struct ConsentChange {
    pub channel: ConsentChannel,
    pub purpose: ConsentPurpose,
    pub status: ConsentStatus,
    /// When the guest gave or withdrew it (may be earlier than now, e.g. a
    /// paper form).
    pub occurred_at: DateTime<Utc>,
    /// How: `registration_form`, `verbal`, `email_reply`, `unsubscribe_link`, …
    pub source: String,
    pub note: Option<String>,
}

/// The guest's current consents.
pub fn list_consents(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
) -> QueryResult<Vec<Consent>> {
    consents::table
        .filter(consents::tenant_id.eq(tenant_id))
        .filter(consents::guest_id.eq(guest_id))
        .select(Consent::as_select())
        .order((consents::channel.asc(), consents::purpose.asc()))
        .load(conn)
}

/// Whether the guest currently consents to marketing on `channel`.
pub fn has_marketing_consent(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    channel: ConsentChannel,
) -> QueryResult<bool> {
    Ok(!marketing_consents(conn, tenant_id, &[guest_id], channel)?.is_empty())
}

/// Which of `guest_ids` currently grant marketing consent on `channel`
/// (one query for a whole batch of sends).
pub fn marketing_consents(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_ids: &[Uuid],
    channel: ConsentChannel,
) -> QueryResult<std::collections::HashSet<Uuid>> {
    let granted: Vec<Uuid> = consents::table
        .filter(consents::tenant_id.eq(tenant_id))
        .filter(consents::guest_id.eq_any(guest_ids))
        .filter(consents::channel.eq(channel.as_str()))
        .filter(consents::purpose.eq(ConsentPurpose::Marketing.as_str()))
        .filter(consents::status.eq(ConsentStatus::Granted.as_str()))
        .select(consents::guest_id)
        .load(conn)?;
    Ok(granted.into_iter().collect())
}

/// Up to `limit + 1` consent changes of the guest, newest first, before `cursor`.
pub fn list_consent_events(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<ConsentEvent>> {
    let mut query = consent_events::table
        .filter(consent_events::tenant_id.eq(tenant_id))
        .filter(consent_events::guest_id.eq(guest_id))
        .select(ConsentEvent::as_select())
        .order(consent_events::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(before)) = cursor {
        query = query.filter(consent_events::id.lt(before));
    }
    query.load(conn)
}

/// Records a change: appends it to the history, updates the current state
/// unless a later change is already known, and puts it on the timeline.
/// A change that repeats the current status is still kept in the history.
pub fn record_consent(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    actor: Actor,
    change: &ConsentChange,
) -> QueryResult<ConsentEvent> {
    let event: ConsentEvent = diesel::insert_into(consent_events::table)
        .values((
            consent_events::id.eq(new_id()),
            consent_events::tenant_id.eq(tenant_id),
            consent_events::guest_id.eq(guest_id),
            consent_events::channel.eq(change.channel.as_str()),
            consent_events::purpose.eq(change.purpose.as_str()),
            consent_events::status.eq(change.status.as_str()),
            consent_events::occurred_at.eq(change.occurred_at),
            consent_events::source.eq(&change.source),
            consent_events::actor_type.eq(actor.kind),
            consent_events::actor_id.eq(actor.id),
            consent_events::note.eq(&change.note),
        ))
        .returning(ConsentEvent::as_returning())
        .get_result(conn)?;
    refresh_consents(conn, tenant_id, guest_id)?;
    timeline::record(
        conn,
        tenant_id,
        guest_id,
        NewEntry {
            kind: "consent.changed",
            occurred_at: event.occurred_at,
            summary: serde_json::json!({
                "channel": event.channel,
                "purpose": event.purpose,
                "status": event.status,
                "source": event.source,
            }),
            ref_id: Some(event.id),
            actor,
        },
    )?;
    Ok(event)
}

/// Withdraws the consent an unsubscribe link names, as the guest (source
/// `unsubscribe_link`), unless it is already withdrawn: following a link
/// twice records one change. The guest row is locked, so concurrent
/// requests record one change too; a merged-away guest's survivor is the
/// one unsubscribed. Returns the guest and whether a change was recorded.
pub fn withdraw_by_link(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    channel: ConsentChannel,
    purpose: ConsentPurpose,
) -> QueryResult<(Guest, bool)> {
    let mut guest = guests::lock_guest(conn, tenant_id, guest_id)?;
    if let Some(survivor) = guest.merged_into {
        guest = guests::lock_guest(conn, tenant_id, survivor)?;
    }
    let current: Option<String> = consents::table
        .filter(consents::tenant_id.eq(tenant_id))
        .filter(consents::guest_id.eq(guest.id))
        .filter(consents::channel.eq(channel.as_str()))
        .filter(consents::purpose.eq(purpose.as_str()))
        .select(consents::status)
        .first(conn)
        .optional()?;
    if current.as_deref() == Some(ConsentStatus::Withdrawn.as_str()) {
        return Ok((guest, false));
    }
    let change = ConsentChange {
        channel,
        purpose,
        status: ConsentStatus::Withdrawn,
        occurred_at: Utc::now(),
        source: "unsubscribe_link".to_owned(),
        note: None,
    };
    record_consent(conn, tenant_id, guest.id, Actor::guest(guest.id), &change)?;
    Ok((guest, true))
}

/// Rebuilds the guest's current consents from its history: per channel and
/// purpose, the latest change by `occurred_at` (then by record order).
pub fn refresh_consents(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
) -> QueryResult<()> {
    diesel::delete(
        consents::table
            .filter(consents::tenant_id.eq(tenant_id))
            .filter(consents::guest_id.eq(guest_id)),
    )
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO consents (tenant_id, guest_id, channel, purpose, status, changed_at, event_id) \
         SELECT DISTINCT ON (channel, purpose) tenant_id, guest_id, channel, purpose, status, occurred_at, id \
         FROM consent_events WHERE tenant_id = $1 AND guest_id = $2 \
         ORDER BY channel, purpose, occurred_at DESC, id DESC",
    )
    .bind::<diesel::sql_types::Uuid, _>(tenant_id)
    .bind::<diesel::sql_types::Uuid, _>(guest_id)
    .execute(conn)
    .map(drop)
}

/// Moves consent history to another guest (merges and their reversal); the
/// caller refreshes both guests' current consents.
pub fn move_consent_events(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    to_guest: Uuid,
) -> QueryResult<usize> {
    diesel::update(
        consent_events::table
            .filter(consent_events::tenant_id.eq(tenant_id))
            .filter(consent_events::id.eq_any(ids)),
    )
    .set(consent_events::guest_id.eq(to_guest))
    .execute(conn)
}
