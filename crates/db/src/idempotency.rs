//! Stored first answers of POST requests sent with an `Idempotency-Key`.
//!
//! The caller claims the key inside the same transaction that does the work,
//! and stores the answer before committing. A concurrent retry blocks on the
//! key's unique index until the first transaction ends, then replays the
//! stored answer; if the first transaction rolled back, the retry does the
//! work itself. Either way the work happens once.

use diesel::{prelude::*, upsert::on_constraint};
use uuid::Uuid;

use crate::schema::idempotency_keys;

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyClaim {
    /// First use: do the work, then call [`store_idempotent_response`].
    Fresh,
    /// Seen before with the same request: answer with this.
    Replay {
        status_code: i16,
        body: serde_json::Value,
    },
    /// Seen before with a different request body or route.
    Mismatch,
}

/// Claims `key` for the tenant. Must run inside the caller's transaction.
pub fn claim_idempotency_key(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    key: &str,
    request_hash: &[u8],
) -> QueryResult<KeyClaim> {
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::tenant_id.eq(tenant_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::request_hash.eq(request_hash),
            idempotency_keys::status_code.eq(0),
            idempotency_keys::response_body.eq(serde_json::Value::Null),
        ))
        .on_conflict(on_constraint("idempotency_keys_pkey"))
        .do_nothing()
        .execute(conn)?;
    if inserted == 1 {
        return Ok(KeyClaim::Fresh);
    }
    let (stored_hash, status_code, body): (Vec<u8>, i16, serde_json::Value) =
        idempotency_keys::table
            .find((tenant_id, key))
            .select((
                idempotency_keys::request_hash,
                idempotency_keys::status_code,
                idempotency_keys::response_body,
            ))
            .first(conn)?;
    if stored_hash == request_hash {
        Ok(KeyClaim::Replay { status_code, body })
    } else {
        Ok(KeyClaim::Mismatch)
    }
}

/// Records the answer for a freshly claimed key.
pub fn store_idempotent_response(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    key: &str,
    status_code: i16,
    body: &serde_json::Value,
) -> QueryResult<()> {
    diesel::update(idempotency_keys::table.find((tenant_id, key)))
        .set((
            idempotency_keys::status_code.eq(status_code),
            idempotency_keys::response_body.eq(body),
        ))
        .execute(conn)
        .map(drop)
}

/// Forgets keys older than `hours` (retries come within minutes; a day is
/// plenty). Returns how many were removed.
pub fn purge_idempotency_keys(conn: &mut PgConnection, hours: i32) -> QueryResult<usize> {
    let cutoff = chrono::Utc::now() - chrono::TimeDelta::hours(i64::from(hours));
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(cutoff)))
        .execute(conn)
}
