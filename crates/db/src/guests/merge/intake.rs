//! Intake merges: identity resolution folded an arriving profile into a
//! known guest. The record keeps that profile (its national ID sealed to the
//! record) and what it added, so that "this arrival was someone else" can be
//! undone: the known guest restored, a new guest created from the profile,
//! the added stay moved to it.

use base64::{Engine, engine::general_purpose::STANDARD};
use diesel::prelude::*;
use guestcare_domain::guest::{GuestProfile, ProfileInput};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{GuestMerge, Moved, json_error, move_all, refresh, restore_target};
use crate::{
    guests::{Guest, GuestKeys, lock_guest, resolve::create_guest},
    new_id,
    schema::{guest_merges, timeline_entries},
    tenants,
    timeline::Actor,
};

/// The arriving profile as kept in the record.
#[derive(Debug, Serialize, Deserialize)]
struct KeptIntake {
    /// Without the national ID.
    profile: ProfileInput,
    /// `type:number` sealed to the merge record, base64.
    national_id_sealed: Option<String>,
}

/// Records that `incoming` was folded into the guest whose row was
/// `before`, with `changes` and the stay it added.
pub fn record_intake_merge(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    actor: Actor,
    before: &Guest,
    incoming: &GuestProfile,
    changes: &serde_json::Value,
    added_stay: Option<Uuid>,
) -> QueryResult<GuestMerge> {
    let id = new_id();
    let tenant_id = before.tenant_id;
    let mut profile = ProfileInput::from(incoming);
    profile.national_id = None;
    if profile.email.is_none() {
        profile.email = incoming.relay_emails.first().map(ToString::to_string);
    }
    let kept = KeptIntake {
        profile,
        national_id_sealed: incoming
            .national_id
            .as_ref()
            .map(|nid| STANDARD.encode(keys.seal(tenant_id, id, nid))),
    };
    let stays: Vec<Uuid> = added_stay.into_iter().collect();
    let moved = Moved {
        timeline_entries: timeline_entries::table
            .filter(timeline_entries::tenant_id.eq(tenant_id))
            .filter(timeline_entries::ref_id.eq_any(stays.clone()))
            .select(timeline_entries::id)
            .load(conn)?,
        stays,
        ..Moved::default()
    };
    diesel::insert_into(guest_merges::table)
        .values((
            guest_merges::id.eq(id),
            guest_merges::tenant_id.eq(tenant_id),
            guest_merges::target_id.eq(before.id),
            guest_merges::target_before.eq(serde_json::to_value(before).map_err(json_error)?),
            guest_merges::moved.eq(serde_json::to_value(&moved).map_err(json_error)?),
            guest_merges::changes.eq(changes),
            guest_merges::actor_type.eq(actor.kind),
            guest_merges::actor_id.eq(actor.id),
            guest_merges::kind.eq("intake"),
            guest_merges::intake.eq(serde_json::to_value(&kept).map_err(json_error)?),
        ))
        .returning(GuestMerge::as_returning())
        .get_result(conn)
}

/// Restores the known guest, creates a guest from the kept profile and
/// moves the added stay to it; answers the new guest's id.
pub(super) fn revert(
    conn: &mut PgConnection,
    keys: &GuestKeys,
    actor: Actor,
    merge: &GuestMerge,
    moved: &Moved,
) -> QueryResult<Uuid> {
    let tenant_id = merge.tenant_id;
    let corrupt = |what: &str| {
        diesel::result::Error::DeserializationError(format!("kept intake: {what}").into())
    };
    let kept: KeptIntake =
        serde_json::from_value(merge.intake.clone().unwrap_or_default()).map_err(json_error)?;
    lock_guest(conn, tenant_id, merge.target_id)?;
    restore_target(conn, merge)?;
    let country = tenants::get_tenant(conn, tenant_id)?
        .country
        .parse()
        .map_err(|_| corrupt("tenant country"))?;
    let mut profile = kept
        .profile
        .parse(country)
        .map_err(|_| corrupt("profile"))?;
    if let Some(sealed) = kept.national_id_sealed {
        let sealed = STANDARD
            .decode(sealed)
            .map_err(|_| corrupt("national ID"))?;
        profile.national_id = Some(keys.open(tenant_id, merge.id, &sealed)?);
    }
    let guest = create_guest(conn, keys, tenant_id, actor, &profile)?;
    move_all(conn, tenant_id, moved, guest.id)?;
    refresh(conn, tenant_id, [merge.target_id, guest.id])?;
    Ok(guest.id)
}
