//! The timeline of a guest: every contact (stay, note, consent change, tier
//! change, merge; later messages, calls, tickets and survey answers), newest
//! first.
//!
//! [`record`] is the one way to write an entry, for every module that adds
//! kinds later. Summaries are small JSON objects that a client can show; they
//! may hold personal data and are wiped when the guest is erased.

use chrono::{DateTime, Utc};
use diesel::{dsl::sql, prelude::*, sql_types::Bool};
use serde::Serialize;
use uuid::Uuid;

use crate::{Cursor, new_id, schema::timeline_entries};

/// Who did something: a staff user, an API key, or the system (an import,
/// a job).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// `user`, `api_key`, `guest` or `system`.
    pub kind: &'static str,
    pub id: Option<Uuid>,
}

impl Actor {
    pub const SYSTEM: Actor = Actor {
        kind: "system",
        id: None,
    };

    /// The guest themself (e.g. following an unsubscribe link).
    pub fn guest(id: Uuid) -> Actor {
        Actor {
            kind: "guest",
            id: Some(id),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = timeline_entries, check_for_backend(diesel::pg::Pg))]
pub struct TimelineEntry {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub guest_id: Uuid,
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    pub summary: serde_json::Value,
    pub ref_id: Option<Uuid>,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// An entry to add.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// Dotted lower-case kind, e.g. `stay`, `note`, `consent.changed`,
    /// `tier.changed`, `guest.merged`, `message.sent`.
    pub kind: &'static str,
    pub occurred_at: DateTime<Utc>,
    pub summary: serde_json::Value,
    /// The object the entry is about (a stay, a message, a merge).
    pub ref_id: Option<Uuid>,
    pub actor: Actor,
}

/// Adds `entry` to the guest's timeline.
pub fn record(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    entry: NewEntry,
) -> QueryResult<TimelineEntry> {
    diesel::insert_into(timeline_entries::table)
        .values(row(tenant_id, guest_id, entry))
        .returning(TimelineEntry::as_returning())
        .get_result(conn)
}

/// Adds each `(guest, entry)` in one statement (a batch of sends).
pub fn record_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    entries: Vec<(Uuid, NewEntry)>,
) -> QueryResult<()> {
    let rows: Vec<_> = entries
        .into_iter()
        .map(|(guest_id, entry)| row(tenant_id, guest_id, entry))
        .collect();
    diesel::insert_into(timeline_entries::table)
        .values(rows)
        .execute(conn)?;
    Ok(())
}

#[expect(clippy::type_complexity, reason = "diesel's insertable tuple")]
fn row(
    tenant_id: Uuid,
    guest_id: Uuid,
    entry: NewEntry,
) -> (
    diesel::dsl::Eq<timeline_entries::id, Uuid>,
    diesel::dsl::Eq<timeline_entries::tenant_id, Uuid>,
    diesel::dsl::Eq<timeline_entries::guest_id, Uuid>,
    diesel::dsl::Eq<timeline_entries::kind, &'static str>,
    diesel::dsl::Eq<timeline_entries::occurred_at, DateTime<Utc>>,
    diesel::dsl::Eq<timeline_entries::summary, serde_json::Value>,
    diesel::dsl::Eq<timeline_entries::ref_id, Option<Uuid>>,
    diesel::dsl::Eq<timeline_entries::actor_type, &'static str>,
    diesel::dsl::Eq<timeline_entries::actor_id, Option<Uuid>>,
) {
    (
        timeline_entries::id.eq(new_id()),
        timeline_entries::tenant_id.eq(tenant_id),
        timeline_entries::guest_id.eq(guest_id),
        timeline_entries::kind.eq(entry.kind),
        timeline_entries::occurred_at.eq(entry.occurred_at),
        timeline_entries::summary.eq(entry.summary),
        timeline_entries::ref_id.eq(entry.ref_id),
        timeline_entries::actor_type.eq(entry.actor.kind),
        timeline_entries::actor_id.eq(entry.actor.id),
    )
}

/// Up to `limit + 1` entries of the guest, newest `occurred_at` first (ties
/// by id), after the entry `cursor`.
pub fn list_timeline(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<TimelineEntry>> {
    let mut query = timeline_entries::table
        .filter(timeline_entries::tenant_id.eq(tenant_id))
        .filter(timeline_entries::guest_id.eq(guest_id))
        .select(TimelineEntry::as_select())
        .order((
            timeline_entries::occurred_at.desc(),
            timeline_entries::id.desc(),
        ))
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(
            sql::<Bool>("(occurred_at, id) < (SELECT c.occurred_at, c.id FROM timeline_entries c WHERE c.id = ")
                .bind::<diesel::sql_types::Uuid, _>(after)
                .sql(" AND c.tenant_id = ")
                .bind::<diesel::sql_types::Uuid, _>(tenant_id)
                .sql(")"),
        );
    }
    query.load(conn)
}

/// Moves entries to another guest of the same tenant (merges and their
/// reversal).
pub fn move_entries(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    to_guest: Uuid,
) -> QueryResult<usize> {
    diesel::update(
        timeline_entries::table
            .filter(timeline_entries::tenant_id.eq(tenant_id))
            .filter(timeline_entries::id.eq_any(ids)),
    )
    .set(timeline_entries::guest_id.eq(to_guest))
    .execute(conn)
}
