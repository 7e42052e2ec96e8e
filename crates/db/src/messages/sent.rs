//! Recording many sent messages at once: the send path's hot write.

use std::collections::{HashMap, hash_map::Entry};

use diesel::{
    prelude::*,
    sql_types::{Array, Nullable, Text, Uuid as SqlUuid},
};
use uuid::Uuid;

use super::{Message, event_data};
use crate::webhooks;

/// A message the provider accepted.
#[derive(Debug, Clone)]
pub struct Sent {
    pub tenant_id: Uuid,
    pub message_id: Uuid,
    pub provider_id: Option<String>,
}

/// Marks each still-queued message of `sent` as sent (with the provider's
/// id, one more attempt and `sent_at`) and emits its `message.sent` event, all in one transaction of a few statements
/// whatever the batch size: one update, one endpoint lookup per tenant and
/// event deliveries only where a tenant subscribed. Returns the ids
/// recorded; a message no longer queued (recorded by an earlier attempt) is
/// left alone and not returned.
pub fn record_sent_many(conn: &mut PgConnection, sent: &[Sent]) -> QueryResult<Vec<Uuid>> {
    if sent.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = sent.iter().map(|s| s.message_id).collect();
    let tenants: Vec<Uuid> = sent.iter().map(|s| s.tenant_id).collect();
    let providers: Vec<Option<&str>> = sent.iter().map(|s| s.provider_id.as_deref()).collect();
    conn.transaction(|conn| {
        let rows: Vec<Message> = diesel::sql_query(
            "UPDATE messages SET status = 'sent', provider_id = s.provider_id, \
                 attempts = messages.attempts + 1, sent_at = now(), updated_at = now() \
             FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS s(id, tenant_id, provider_id) \
             WHERE messages.id = s.id AND messages.tenant_id = s.tenant_id \
               AND messages.status = 'queued' \
             RETURNING messages.*",
        )
        .bind::<Array<SqlUuid>, _>(&ids)
        .bind::<Array<SqlUuid>, _>(&tenants)
        .bind::<Array<Nullable<Text>>, _>(&providers)
        .load(conn)?;
        let mut endpoints: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for row in &rows {
            let to = match endpoints.entry(row.tenant_id) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(unknown) => unknown.insert(webhooks::subscribed_endpoints(
                    conn,
                    row.tenant_id,
                    "message.sent",
                )?),
            };
            webhooks::emit_to(conn, row.tenant_id, to, "message.sent", &event_data(row))?;
        }
        Ok(rows.into_iter().map(|row| row.id).collect())
    })
}
