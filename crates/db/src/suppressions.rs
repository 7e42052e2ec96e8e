//! Addresses a tenant must not write to again on a channel (hard bounces,
//! unsubscribes, staff requests). Only a digest of the address is kept
//! (`guestcare_domain::channels::address_digest`).

use diesel::prelude::*;
use guestcare_domain::channels::{Channel, SuppressionReason, address_digest};
use uuid::Uuid;

use crate::{new_id, schema::suppressions};

/// Suppresses `address` on `channel`; an existing suppression keeps its
/// first reason.
pub fn insert_suppression(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    channel: Channel,
    address: &str,
    reason: SuppressionReason,
) -> QueryResult<()> {
    diesel::insert_into(suppressions::table)
        .values((
            suppressions::id.eq(new_id()),
            suppressions::tenant_id.eq(tenant_id),
            suppressions::channel.eq(channel.as_str()),
            suppressions::address_digest.eq(address_digest(channel, address).to_vec()),
            suppressions::reason.eq(reason.as_str()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}

/// Why `address` is suppressed on `channel`, if it is.
pub fn find_suppression(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    channel: Channel,
    address: &str,
) -> QueryResult<Option<SuppressionReason>> {
    Ok(find_suppressions(conn, tenant_id, channel, &[address])?
        .into_values()
        .next())
}

/// The suppressed ones among `addresses`, by their digest
/// (`channels::address_digest`), with the reason: one query for a batch.
pub fn find_suppressions(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    channel: Channel,
    addresses: &[&str],
) -> QueryResult<std::collections::HashMap<Vec<u8>, SuppressionReason>> {
    let digests: Vec<Vec<u8>> = addresses
        .iter()
        .map(|a| address_digest(channel, a).to_vec())
        .collect();
    let rows: Vec<(Vec<u8>, String)> = suppressions::table
        .filter(suppressions::tenant_id.eq(tenant_id))
        .filter(suppressions::channel.eq(channel.as_str()))
        .filter(suppressions::address_digest.eq_any(digests))
        .select((suppressions::address_digest, suppressions::reason))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(d, r)| Some((d, SuppressionReason::parse(&r)?)))
        .collect())
}
