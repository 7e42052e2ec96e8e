//! Joining two guests by hand, and undoing it from the merge record.
//!
//! Merging folds the source into the target: the target keeps its values,
//! fills its empty fields from the source and joins the lists; the source's
//! stays, consent history, tier history and timeline move to the target;
//! the source stays as a row with `merged_into` set. The record keeps the
//! target's row as it was and the ids of every moved row, so reverting puts
//! both guests back as they were before the merge (changes made to the
//! target's profile since are undone with it).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use guestcare_domain::guest::Prefer;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    Guest, GuestFields, GuestKeys, lock_guest, profile_of, refresh_care_period, update_guest,
};
use crate::{
    consents, new_id,
    schema::{consent_events, guest_merges, guests, stays, tier_changes, timeline_entries},
    stays as stay_rows, tiers,
    timeline::{self, Actor, NewEntry},
};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = guest_merges, check_for_backend(diesel::pg::Pg))]
pub struct GuestMerge {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub target_id: Uuid,
    pub source_id: Uuid,
    pub target_before: serde_json::Value,
    pub moved: serde_json::Value,
    pub changes: serde_json::Value,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub reverted_at: Option<DateTime<Utc>>,
    pub reverted_by: Option<Uuid>,
}

/// The rows a merge moved from the source to the target.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Moved {
    pub stays: Vec<Uuid>,
    pub consent_events: Vec<Uuid>,
    pub tier_changes: Vec<Uuid>,
    pub timeline_entries: Vec<Uuid>,
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
    })
}

fn move_all(conn: &mut PgConnection, tenant_id: Uuid, moved: &Moved, to: Uuid) -> QueryResult<()> {
    stay_rows::move_stays(conn, tenant_id, &moved.stays, to)?;
    consents::move_consent_events(conn, tenant_id, &moved.consent_events, to)?;
    tiers::move_tier_changes(conn, tenant_id, &moved.tier_changes, to)?;
    timeline::move_entries(conn, tenant_id, &moved.timeline_entries, to)?;
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

/// Both guests locked in id order (so two merges never deadlock).
fn lock_pair(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    a: Uuid,
    b: Uuid,
) -> QueryResult<(Guest, Guest)> {
    if a < b {
        let first = lock_guest(conn, tenant_id, a)?;
        Ok((first, lock_guest(conn, tenant_id, b)?))
    } else {
        let second = lock_guest(conn, tenant_id, b)?;
        Ok((lock_guest(conn, tenant_id, a)?, second))
    }
}

/// Folds `source_id` into `target_id` (both live guests of the tenant,
/// checked by the caller) and records the merge.
pub fn merge_guests(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    tenant_id: Uuid,
    actor: Actor,
    target_id: Uuid,
    source_id: Uuid,
) -> QueryResult<GuestMerge> {
    let (target, source) = lock_pair(conn, tenant_id, target_id, source_id)?;
    let target_before = serde_json::to_value(&target)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let mut profile = profile_of(keys, &target)?;
    let changes = profile.absorb(&profile_of(keys, &source)?, Prefer::Current);
    update_guest(
        conn,
        tenant_id,
        target_id,
        &GuestFields::from_profile(keys, tenant_id, target_id, &profile),
    )?;
    let moved = moved_from(conn, tenant_id, source_id)?;
    move_all(conn, tenant_id, &moved, target_id)?;
    set_state(
        conn,
        tenant_id,
        target_id,
        None,
        target.tier.as_deref().or(source.tier.as_deref()),
    )?;
    set_state(
        conn,
        tenant_id,
        source_id,
        Some(target_id),
        source.tier.as_deref(),
    )?;
    refresh(conn, tenant_id, [target_id, source_id])?;
    let changes = serde_json::to_value(&changes).unwrap_or_default();
    let merge: GuestMerge = diesel::insert_into(guest_merges::table)
        .values((
            guest_merges::id.eq(new_id()),
            guest_merges::tenant_id.eq(tenant_id),
            guest_merges::target_id.eq(target_id),
            guest_merges::source_id.eq(source_id),
            guest_merges::target_before.eq(target_before),
            guest_merges::moved.eq(serde_json::to_value(&moved).unwrap_or_default()),
            guest_merges::changes.eq(&changes),
            guest_merges::actor_type.eq(actor.kind),
            guest_merges::actor_id.eq(actor.id),
        ))
        .returning(GuestMerge::as_returning())
        .get_result(conn)?;
    timeline::record(
        conn,
        tenant_id,
        target_id,
        NewEntry {
            kind: "guest.merged",
            occurred_at: merge.created_at,
            summary: serde_json::json!({ "source_id": source_id, "source_code": source.code, "changes": changes }),
            ref_id: Some(merge.id),
            actor,
        },
    )?;
    Ok(merge)
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
    let ids = [merge.target_id, merge.source_id];
    diesel::select(diesel::dsl::exists(
        guest_merges::table
            .filter(guest_merges::tenant_id.eq(merge.tenant_id))
            .filter(guest_merges::id.gt(merge.id))
            .filter(guest_merges::reverted_at.is_null())
            .filter(
                guest_merges::target_id
                    .eq_any(ids)
                    .or(guest_merges::source_id.eq_any(ids)),
            ),
    ))
    .get_result(conn)
}

/// Undoes a merge (not yet reverted, checked by the caller): the target's
/// row as it was, the moved rows back to the source, the source live again.
pub fn revert_merge(
    conn: &mut PgConnection,
    actor: Actor,
    merge: &GuestMerge,
) -> QueryResult<GuestMerge> {
    let tenant_id = merge.tenant_id;
    let corrupt = |e: serde_json::Error| diesel::result::Error::DeserializationError(Box::new(e));
    let before: Guest = serde_json::from_value(merge.target_before.clone()).map_err(corrupt)?;
    let moved: Moved = serde_json::from_value(merge.moved.clone()).map_err(corrupt)?;
    lock_pair(conn, tenant_id, merge.target_id, merge.source_id)?;
    update_guest(
        conn,
        tenant_id,
        merge.target_id,
        &GuestFields::from(&before),
    )?;
    move_all(conn, tenant_id, &moved, merge.source_id)?;
    set_state(
        conn,
        tenant_id,
        merge.target_id,
        before.merged_into,
        before.tier.as_deref(),
    )?;
    let source_tier: Option<String> = guests::table
        .find(merge.source_id)
        .select(guests::tier)
        .first(conn)?;
    set_state(
        conn,
        tenant_id,
        merge.source_id,
        None,
        source_tier.as_deref(),
    )?;
    refresh(conn, tenant_id, [merge.target_id, merge.source_id])?;
    let reverted: GuestMerge = diesel::update(guest_merges::table.find(merge.id))
        .set((
            guest_merges::reverted_at.eq(diesel::dsl::now),
            guest_merges::reverted_by.eq(actor.id),
        ))
        .returning(GuestMerge::as_returning())
        .get_result(conn)?;
    for guest_id in [merge.target_id, merge.source_id] {
        timeline::record(
            conn,
            tenant_id,
            guest_id,
            NewEntry {
                kind: "guest.merge_reverted",
                occurred_at: Utc::now(),
                summary: serde_json::json!({ "target_id": merge.target_id, "source_id": merge.source_id }),
                ref_id: Some(merge.id),
                actor,
            },
        )?;
    }
    Ok(reverted)
}
