//! Merges by hand: a duplicate folded into the guest staff chose.

use diesel::prelude::*;
use guestcare_domain::guest::Prefer;
use uuid::Uuid;

use super::{
    GuestMerge, Moved, json_error, move_all, moved_from, refresh, restore_target, set_state,
};
use crate::{
    guest_dates,
    guests::{Guest, GuestFields, GuestKeys, events, lock_guest, profile_of, update_guest},
    new_id,
    schema::{guest_merges, guests},
    timeline::{self, Actor, NewEntry},
};

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
/// checked by the caller): the target keeps its values, fills its empty
/// fields from the source and joins the lists; the source's stays, consent
/// and tier history and timeline move over; the merge is recorded and
/// announced (`guest.merged`).
pub fn merge_guests(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    tenant_id: Uuid,
    actor: Actor,
    target_id: Uuid,
    source_id: Uuid,
) -> QueryResult<GuestMerge> {
    let (target, source) = lock_pair(conn, tenant_id, target_id, source_id)?;
    let target_before = serde_json::to_value(&target).map_err(json_error)?;
    let mut profile = profile_of(keys, &target)?;
    let changes = profile.absorb(&profile_of(keys, &source)?, Prefer::Current);
    update_guest(
        conn,
        tenant_id,
        target_id,
        &GuestFields::from_profile(keys, tenant_id, target_id, &profile),
    )?;
    let mut moved = moved_from(conn, tenant_id, source_id)?;
    move_all(conn, tenant_id, &moved, target_id)?;
    moved.guest_dates = guest_dates::move_missing_dates(conn, tenant_id, source_id, target_id)?;
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
    let changes = serde_json::to_value(&changes).map_err(json_error)?;
    let merge: GuestMerge = diesel::insert_into(guest_merges::table)
        .values((
            guest_merges::id.eq(new_id()),
            guest_merges::tenant_id.eq(tenant_id),
            guest_merges::target_id.eq(target_id),
            guest_merges::source_id.eq(source_id),
            guest_merges::target_before.eq(target_before),
            guest_merges::moved.eq(serde_json::to_value(&moved).map_err(json_error)?),
            guest_merges::changes.eq(&changes),
            guest_merges::actor_type.eq(actor.kind),
            guest_merges::actor_id.eq(actor.id),
            guest_merges::kind.eq("manual"),
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
    events::emit_merged(conn, &merge, &target, &source)?;
    Ok(merge)
}

/// Puts both guests back: the target's row restored, the moved rows back on
/// the source, the source live again.
pub(super) fn revert(
    conn: &mut PgConnection,
    merge: &GuestMerge,
    moved: &Moved,
    source_id: Uuid,
) -> QueryResult<()> {
    let tenant_id = merge.tenant_id;
    lock_pair(conn, tenant_id, merge.target_id, source_id)?;
    restore_target(conn, merge)?;
    move_all(conn, tenant_id, moved, source_id)?;
    guest_dates::move_dates(
        conn,
        tenant_id,
        &moved.guest_dates,
        merge.target_id,
        source_id,
    )?;
    let source_tier: Option<String> = guests::table
        .find(source_id)
        .select(guests::tier)
        .first(conn)?;
    set_state(conn, tenant_id, source_id, None, source_tier.as_deref())?;
    refresh(conn, tenant_id, [merge.target_id, source_id])
}
