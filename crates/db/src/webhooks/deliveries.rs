//! Events fanned out to endpoints, and the delivery log per endpoint.

use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use guestcare_domain::channels::events::PING;
use guestcare_jobs::{NewJob, enqueue};
use uuid::Uuid;

use crate::{
    Cursor, new_id,
    schema::{webhook_deliveries, webhook_endpoints},
};

/// Job kind that delivers one webhook (`{"delivery_id", "tenant_id"}`).
pub const DELIVER_WEBHOOK: &str = "deliver_webhook";

/// Attempts per delivery: with the queue's backoff (capped at an hour) about
/// four days of retries, longer than an endpoint may fail before it is
/// disabled.
const MAX_ATTEMPTS: i32 = 100;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhook_deliveries, check_for_backend(diesel::pg::Pg))]
pub struct Delivery {
    /// Also the `webhook-id` header: stable across retries.
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub endpoint_id: Uuid,
    pub event_type: String,
    /// `{"type", "timestamp", "data"}`, sent as the body.
    pub payload: serde_json::Value,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub last_status_code: Option<i32>,
    pub last_duration_ms: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

fn body(event_type: &str, data: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "type": event_type,
        "timestamp": Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
        "data": data,
    })
}

fn insert_delivery(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    endpoint_id: Uuid,
    event_type: &str,
    payload: &serde_json::Value,
) -> QueryResult<Uuid> {
    let id = new_id();
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::id.eq(id),
            webhook_deliveries::tenant_id.eq(tenant_id),
            webhook_deliveries::endpoint_id.eq(endpoint_id),
            webhook_deliveries::event_type.eq(event_type),
            webhook_deliveries::payload.eq(payload),
        ))
        .execute(conn)?;
    let job = NewJob::new(
        "webhooks",
        DELIVER_WEBHOOK,
        serde_json::json!({ "delivery_id": id, "tenant_id": tenant_id }),
    )
    .with_tenant(tenant_id)
    .with_max_attempts(MAX_ATTEMPTS)
    .with_dedupe_key(format!("webhook:{id}"));
    enqueue(conn, &job)?;
    Ok(id)
}

/// Announces `event_type` with `data` (ids and states, no personal data
/// unless the event is about it): one delivery per active endpoint of the
/// tenant subscribed to it. Returns the delivery ids. Call it inside the
/// transaction that made the change.
pub fn emit_event(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    event_type: &str,
    data: &serde_json::Value,
) -> QueryResult<Vec<Uuid>> {
    let endpoints = subscribed_endpoints(conn, tenant_id, event_type)?;
    emit_to(conn, tenant_id, &endpoints, event_type, data)
}

/// The tenant's active endpoints subscribed to `event_type`: read once to
/// announce many events of one type with [`emit_to`].
pub fn subscribed_endpoints(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    event_type: &str,
) -> QueryResult<Vec<Uuid>> {
    webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant_id))
        .filter(webhook_endpoints::status.eq("active"))
        .filter(webhook_endpoints::event_types.contains(vec![Some(event_type.to_owned())]))
        .select(webhook_endpoints::id)
        .load(conn)
}

/// Announces `event_type` with `data` to `endpoints` (from
/// [`subscribed_endpoints`], in the same transaction).
pub fn emit_to(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    endpoints: &[Uuid],
    event_type: &str,
    data: &serde_json::Value,
) -> QueryResult<Vec<Uuid>> {
    if endpoints.is_empty() {
        return Ok(Vec::new());
    }
    let payload = body(event_type, data);
    endpoints
        .iter()
        .map(|&endpoint| insert_delivery(conn, tenant_id, endpoint, event_type, &payload))
        .collect()
}

/// Queues a `webhook.ping` to one endpoint, active or not.
pub fn queue_ping(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    endpoint_id: Uuid,
) -> QueryResult<Uuid> {
    let payload = body(PING, &serde_json::json!({ "endpoint_id": endpoint_id }));
    insert_delivery(conn, tenant_id, endpoint_id, PING, &payload)
}

pub fn get_delivery(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Delivery> {
    webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant_id))
        .find(id)
        .select(Delivery::as_select())
        .first(conn)
}

/// Up to `limit + 1` deliveries of an endpoint after `cursor`, newest first.
pub fn list_deliveries(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    endpoint_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Delivery>> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant_id))
        .filter(webhook_deliveries::endpoint_id.eq(endpoint_id))
        .select(Delivery::as_select())
        .order(webhook_deliveries::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(before)) = cursor {
        query = query.filter(webhook_deliveries::id.lt(before));
    }
    query.load(conn)
}

/// One attempt's result.
#[derive(Debug, Clone)]
pub struct DeliveryResult<'a> {
    pub status_code: Option<i32>,
    pub duration_ms: i32,
    pub error: Option<&'a str>,
    /// `succeeded`, `failed` (given up) or `pending` (will retry).
    pub status: &'a str,
}

/// Records an attempt on the delivery.
pub fn record_delivery(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    result: &DeliveryResult<'_>,
) -> QueryResult<()> {
    let delivered_at = (result.status == "succeeded").then(Utc::now);
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::tenant_id.eq(tenant_id))
            .filter(webhook_deliveries::id.eq(id)),
    )
    .set((
        webhook_deliveries::status.eq(result.status),
        webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
        webhook_deliveries::last_status_code.eq(result.status_code),
        webhook_deliveries::last_duration_ms.eq(result.duration_ms),
        webhook_deliveries::last_error.eq(result.error),
        webhook_deliveries::delivered_at.eq(delivered_at),
        webhook_deliveries::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)?;
    Ok(())
}
