//! Merges and their reversal, from the merge record.
//!
//! Two kinds share one record (`guest_merges`):
//! - `manual` ([`manual`]): staff fold a duplicate (the source) into a guest
//!   (the target); the source's stays and histories move to the target and
//!   the source stays as a row with `merged_into` set;
//! - `intake` ([`intake`]): identity resolution folded an arriving profile
//!   into a known guest; the record keeps the profile (national ID sealed)
//!   and the stay it added.
//!
//! Each record keeps the target's row as it was and the ids of the rows
//! moved or added, so [`revert_merge`] puts things back: the target's row
//! restored (edits to it since the merge are undone with it), the rows
//! moved back to the source — for an intake, to a new guest created from
//! the kept profile.

pub mod intake;
pub mod manual;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    Guest, GuestFields, GuestKeys,
    events::{self, UpdatedVia},
    refresh_care_period, update_guest,
};
use crate::{
    consents,
    schema::{
        care_tasks, consent_events, guest_merges, guests, stays, tier_changes, timeline_entries,
    },
    stays as stay_rows, tasks, tiers,
    timeline::{self, Actor, NewEntry},
};

pub use manual::merge_guests;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = guest_merges, check_for_backend(diesel::pg::Pg))]
pub struct GuestMerge {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub target_id: Uuid,
    /// The merged-away guest; for an intake, the guest its revert created.
    pub source_id: Option<Uuid>,
    pub target_before: serde_json::Value,
    pub moved: serde_json::Value,
    pub changes: serde_json::Value,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub reverted_at: Option<DateTime<Utc>>,
    pub reverted_by: Option<Uuid>,
    /// `manual` or `intake`.
    pub kind: String,
    pub intake: Option<serde_json::Value>,
}

/// The rows a merge moved to (or, for an intake, added on) the target.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Moved {
    pub stays: Vec<Uuid>,
    pub consent_events: Vec<Uuid>,
    pub tier_changes: Vec<Uuid>,
    pub timeline_entries: Vec<Uuid>,
    /// Absent in records made before care tasks existed.
    #[serde(default)]
    pub care_tasks: Vec<Uuid>,
    /// The kinds of guest dates moved (those the target did not have; the
    /// target keeps its own). Absent in records made before guest dates.
    #[serde(default)]
    pub guest_dates: Vec<String>,
}

pub(super) fn json_error(e: serde_json::Error) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(Box::new(e))
}

fn moved_from(conn: &mut PgConnection, tenant_id: Uuid, guest_id: Uuid) -> QueryResult<Moved> {
    Ok(Moved {
        stays: stays::table
            .filter(
                stays::tenant_id
                    .eq(tenant_id)
                    .and(stays::guest_id.eq(guest_id)),
            )
            .select(stays::id)
            .load(conn)?,
        consent_events: consent_events::table
            .filter(
                consent_events::tenant_id
                    .eq(tenant_id)
                    .and(consent_events::guest_id.eq(guest_id)),
            )
            .select(consent_events::id)
            .load(conn)?,
        tier_changes: tier_changes::table
            .filter(
                tier_changes::tenant_id
                    .eq(tenant_id)
                    .and(tier_changes::guest_id.eq(guest_id)),
            )
            .select(tier_changes::id)
            .load(conn)?,
        timeline_entries: timeline_entries::table
            .filter(
                timeline_entries::tenant_id
                    .eq(tenant_id)
                    .and(timeline_entries::guest_id.eq(guest_id)),
            )
            .select(timeline_entries::id)
            .load(conn)?,
        care_tasks: care_tasks::table
            .filter(
                care_tasks::tenant_id
                    .eq(tenant_id)
                    .and(care_tasks::guest_id.eq(guest_id)),
            )
            .select(care_tasks::id)
            .load(conn)?,
        guest_dates: Vec::new(),
    })
}

fn move_all(conn: &mut PgConnection, tenant_id: Uuid, moved: &Moved, to: Uuid) -> QueryResult<()> {
    stay_rows::move_stays(conn, tenant_id, &moved.stays, to)?;
    consents::move_consent_events(conn, tenant_id, &moved.consent_events, to)?;
    tiers::move_tier_changes(conn, tenant_id, &moved.tier_changes, to)?;
    timeline::move_entries(conn, tenant_id, &moved.timeline_entries, to)?;
    tasks::move_tasks(conn, tenant_id, &moved.care_tasks, to)?;
    Ok(())
}

fn refresh(conn: &mut PgConnection, tenant_id: Uuid, ids: [Uuid; 2]) -> QueryResult<()> {
    for id in ids {
        refresh_care_period(conn, tenant_id, id)?;
        consents::refresh_consents(conn, tenant_id, id)?;
    }
    Ok(())
}

fn set_state(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    merged_into: Option<Uuid>,
    tier: Option<&str>,
) -> QueryResult<()> {
    diesel::update(
        guests::table
            .filter(guests::tenant_id.eq(tenant_id))
            .filter(guests::id.eq(id)),
    )
    .set((
        guests::merged_into.eq(merged_into),
        guests::tier.eq(tier),
        guests::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)
    .map(drop)
}

/// Restores the target's row as the record kept it (profile, tier, state).
fn restore_target(conn: &mut PgConnection, merge: &GuestMerge) -> QueryResult<()> {
    let before: Guest = serde_json::from_value(merge.target_before.clone()).map_err(json_error)?;
    update_guest(
        conn,
        merge.tenant_id,
        merge.target_id,
        &GuestFields::from(&before),
    )?;
    set_state(
        conn,
        merge.tenant_id,
        merge.target_id,
        before.merged_into,
        before.tier.as_deref(),
    )
}

pub fn get_merge(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<GuestMerge> {
    guest_merges::table
        .filter(guest_merges::tenant_id.eq(tenant_id))
        .find(id)
        .select(GuestMerge::as_select())
        .for_update()
        .first(conn)
}

/// Whether a later merge, not reverted, involves either guest of `merge`:
/// that one must be reverted first.
pub fn has_later_merge(conn: &mut PgConnection, merge: &GuestMerge) -> QueryResult<bool> {
    let ids: Vec<Uuid> = [Some(merge.target_id), merge.source_id]
        .into_iter()
        .flatten()
        .collect();
    diesel::select(diesel::dsl::exists(
        guest_merges::table
            .filter(guest_merges::tenant_id.eq(merge.tenant_id))
            .filter(guest_merges::id.gt(merge.id))
            .filter(guest_merges::reverted_at.is_null())
            .filter(
                guest_merges::target_id
                    .eq_any(ids.clone())
                    .or(guest_merges::source_id.eq_any(ids).assume_not_null()),
            ),
    ))
    .get_result(conn)
}

/// Undoes a merge that is not reverted yet and has no later merge (both
/// checked by the caller), marks the record reverted and announces both
/// guests (`guest.updated`, via `merge_reverted`).
pub fn revert_merge(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    actor: Actor,
    merge: &GuestMerge,
) -> QueryResult<GuestMerge> {
    let tenant_id = merge.tenant_id;
    let moved: Moved = serde_json::from_value(merge.moved.clone()).map_err(json_error)?;
    let source_id = match merge.source_id {
        Some(source_id) => {
            manual::revert(conn, merge, &moved, source_id)?;
            source_id
        }
        None => intake::revert(conn, keys, actor, merge, &moved)?,
    };
    let reverted: GuestMerge = diesel::update(guest_merges::table.find(merge.id))
        .set((
            guest_merges::reverted_at.eq(diesel::dsl::now),
            guest_merges::reverted_by.eq(actor.id),
            guest_merges::source_id.eq(source_id),
        ))
        .returning(GuestMerge::as_returning())
        .get_result(conn)?;
    for guest_id in [merge.target_id, source_id] {
        timeline::record(
            conn,
            tenant_id,
            guest_id,
            NewEntry {
                kind: "guest.merge_reverted",
                occurred_at: Utc::now(),
                summary: serde_json::json!({ "target_id": merge.target_id, "source_id": source_id }),
                ref_id: Some(merge.id),
                actor,
            },
        )?;
        let guest = super::get_guest(conn, tenant_id, guest_id)?;
        events::emit_updated(conn, &guest, UpdatedVia::MergeReverted, Some(merge.id))?;
    }
    Ok(reverted)
}
