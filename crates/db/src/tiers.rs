//! Tiers staff give guests, with their history.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use uuid::Uuid;

use crate::{
    guests, new_id,
    schema::tier_changes,
    timeline::{self, Actor, NewEntry},
};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = tier_changes, check_for_backend(diesel::pg::Pg))]
pub struct TierChange {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub guest_id: Uuid,
    pub tier: Option<String>,
    pub previous: Option<String>,
    pub reason: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub changed_at: DateTime<Utc>,
}

/// Sets the guest's tier (`None` clears it), keeps the change in the history
/// and puts it on the timeline. Setting the tier it already has changes
/// nothing and answers `None`.
pub fn change_tier(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
    actor: Actor,
    tier: Option<&str>,
    reason: Option<&str>,
) -> QueryResult<Option<TierChange>> {
    let guest = guests::lock_guest(conn, tenant_id, guest_id)?;
    if guest.tier.as_deref() == tier {
        return Ok(None);
    }
    guests::set_tier(conn, tenant_id, guest_id, tier)?;
    let change: TierChange = diesel::insert_into(tier_changes::table)
        .values((
            tier_changes::id.eq(new_id()),
            tier_changes::tenant_id.eq(tenant_id),
            tier_changes::guest_id.eq(guest_id),
            tier_changes::tier.eq(tier),
            tier_changes::previous.eq(&guest.tier),
            tier_changes::reason.eq(reason),
            tier_changes::actor_type.eq(actor.kind),
            tier_changes::actor_id.eq(actor.id),
        ))
        .returning(TierChange::as_returning())
        .get_result(conn)?;
    timeline::record(
        conn,
        tenant_id,
        guest_id,
        NewEntry {
            kind: "tier.changed",
            occurred_at: change.changed_at,
            summary: serde_json::json!({ "tier": change.tier, "previous": change.previous }),
            ref_id: Some(change.id),
            actor,
        },
    )?;
    Ok(Some(change))
}

/// The guest's tier changes, newest first.
pub fn list_tier_changes(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    guest_id: Uuid,
) -> QueryResult<Vec<TierChange>> {
    tier_changes::table
        .filter(tier_changes::tenant_id.eq(tenant_id))
        .filter(tier_changes::guest_id.eq(guest_id))
        .select(TierChange::as_select())
        .order(tier_changes::id.desc())
        .load(conn)
}

/// Moves tier history to another guest (merges and their reversal).
pub fn move_tier_changes(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
    to_guest: Uuid,
) -> QueryResult<usize> {
    diesel::update(
        tier_changes::table
            .filter(tier_changes::tenant_id.eq(tenant_id))
            .filter(tier_changes::id.eq_any(ids)),
    )
    .set(tier_changes::guest_id.eq(to_guest))
    .execute(conn)
}
