//! Addresses a tenant must not write to again on a channel (hard bounces,
//! unsubscribes, staff requests). Only a digest of the address is kept
//! (`guestcare_domain::channels::address_digest`).

use std::collections::HashMap;

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

/// The suppressed ones among `addresses` on `channel`, with their reasons,
/// in one query (a batch of e-mails checks all its recipients at once);
/// every spelling of a suppressed address (`An@X.com`, `an@x.com`) is in it.
pub fn find_suppressions<'a>(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    channel: Channel,
    addresses: &[&'a str],
) -> QueryResult<HashMap<&'a str, SuppressionReason>> {
    let mut by_digest: HashMap<Vec<u8>, Vec<&'a str>> = HashMap::new();
    for address in addresses {
        by_digest
            .entry(address_digest(channel, address).to_vec())
            .or_default()
            .push(address);
    }
    let digests: Vec<&Vec<u8>> = by_digest.keys().collect();
    let found: Vec<(Vec<u8>, String)> = suppressions::table
        .filter(suppressions::tenant_id.eq(tenant_id))
        .filter(suppressions::channel.eq(channel.as_str()))
        .filter(suppressions::address_digest.eq_any(digests))
        .select((suppressions::address_digest, suppressions::reason))
        .load(conn)?;
    let mut suppressed = HashMap::new();
    for (digest, reason) in found {
        let Some(reason) = SuppressionReason::parse(&reason) else {
            continue;
        };
        for address in by_digest.get(&digest).into_iter().flatten() {
            suppressed.insert(*address, reason);
        }
    }
    Ok(suppressed)
}
