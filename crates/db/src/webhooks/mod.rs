//! Webhook endpoints of a tenant and their deliveries.
//!
//! [`emit_event`] is how any part of guestcare announces an event: inside
//! the caller's transaction it writes one delivery per active endpoint
//! subscribed to the event type and enqueues a `deliver_webhook` job for
//! each, so an event is delivered if and only if its transaction commits.

mod deliveries;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

pub use deliveries::{
    DELIVER_WEBHOOK, Delivery, DeliveryResult, emit_event, emit_to, get_delivery, list_deliveries,
    queue_ping, record_delivery, subscribed_endpoints,
};

use crate::{Cursor, schema::webhook_endpoints};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = webhook_endpoints, check_for_backend(diesel::pg::Pg))]
pub struct Endpoint {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub url: String,
    pub description: String,
    pub secret_sealed: Vec<u8>,
    pub event_types: Vec<Option<String>>,
    /// `active` or `disabled`.
    pub status: String,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Endpoint {
    /// The subscribed event types.
    pub fn events(&self) -> Vec<String> {
        self.event_types.iter().flatten().cloned().collect()
    }
}

/// What staff set on an endpoint. Re-enabling (`status = active`) clears the
/// failure run and the reason it was disabled.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = webhook_endpoints)]
pub struct EndpointFields {
    pub url: String,
    pub description: String,
    pub event_types: Vec<String>,
    pub status: String,
}

pub fn insert_endpoint(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &EndpointFields,
    secret_sealed: &[u8],
) -> QueryResult<Endpoint> {
    diesel::insert_into(webhook_endpoints::table)
        .values((
            webhook_endpoints::id.eq(id),
            webhook_endpoints::tenant_id.eq(tenant_id),
            webhook_endpoints::url.eq(&fields.url),
            webhook_endpoints::description.eq(&fields.description),
            webhook_endpoints::event_types.eq(&fields.event_types),
            webhook_endpoints::status.eq(&fields.status),
            webhook_endpoints::secret_sealed.eq(secret_sealed),
        ))
        .returning(Endpoint::as_returning())
        .get_result(conn)
}

pub fn get_endpoint(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<Endpoint> {
    webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant_id))
        .find(id)
        .select(Endpoint::as_select())
        .first(conn)
}

/// Up to `limit + 1` endpoints after `cursor`, oldest first.
pub fn list_endpoints(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<Endpoint>> {
    let mut query = webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant_id))
        .select(Endpoint::as_select())
        .order(webhook_endpoints::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(Cursor(after)) = cursor {
        query = query.filter(webhook_endpoints::id.gt(after));
    }
    query.load(conn)
}

pub fn update_endpoint(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    fields: &EndpointFields,
) -> QueryResult<Endpoint> {
    let scope = webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant_id))
        .filter(webhook_endpoints::id.eq(id));
    let row = diesel::update(scope)
        .set((fields, webhook_endpoints::updated_at.eq(diesel::dsl::now)))
        .returning(Endpoint::as_returning())
        .get_result(conn)?;
    if row.status == "active" && row.disabled_reason.is_some() {
        return diesel::update(scope)
            .set((
                webhook_endpoints::disabled_reason.eq(None::<String>),
                webhook_endpoints::failing_since.eq(None::<DateTime<Utc>>),
            ))
            .returning(Endpoint::as_returning())
            .get_result(conn);
    }
    Ok(row)
}

/// Replaces the endpoint's sealed secret.
pub fn set_endpoint_secret(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    secret_sealed: &[u8],
) -> QueryResult<Endpoint> {
    diesel::update(
        webhook_endpoints::table
            .filter(webhook_endpoints::tenant_id.eq(tenant_id))
            .filter(webhook_endpoints::id.eq(id)),
    )
    .set((
        webhook_endpoints::secret_sealed.eq(secret_sealed),
        webhook_endpoints::updated_at.eq(diesel::dsl::now),
    ))
    .returning(Endpoint::as_returning())
    .get_result(conn)
}

/// Deletes the endpoint and its delivery log; `NotFound` if absent.
pub fn delete_endpoint(conn: &mut PgConnection, tenant_id: Uuid, id: Uuid) -> QueryResult<()> {
    let deleted = diesel::delete(
        webhook_endpoints::table
            .filter(webhook_endpoints::tenant_id.eq(tenant_id))
            .filter(webhook_endpoints::id.eq(id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        Err(diesel::result::Error::NotFound)
    } else {
        Ok(())
    }
}

/// Records the health of an endpoint after a delivery attempt: a success
/// ends the failure run; a failure starts one if none is running. Returns
/// the start of the current failure run.
pub fn record_endpoint_health(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    succeeded: bool,
) -> QueryResult<Option<DateTime<Utc>>> {
    let scope = webhook_endpoints::table
        .filter(webhook_endpoints::tenant_id.eq(tenant_id))
        .filter(webhook_endpoints::id.eq(id));
    if succeeded {
        diesel::update(scope)
            .set(webhook_endpoints::failing_since.eq(None::<DateTime<Utc>>))
            .execute(conn)?;
        return Ok(None);
    }
    diesel::update(scope)
        .set(webhook_endpoints::failing_since.eq(diesel::dsl::sql::<
            diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
        >("coalesce(failing_since, now())")))
        .returning(webhook_endpoints::failing_since)
        .get_result(conn)
}

/// Disables an active endpoint with `reason`; returns `false` if it was
/// already disabled (so owners are told once).
pub fn disable_endpoint(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
    reason: &str,
) -> QueryResult<bool> {
    let updated = diesel::update(
        webhook_endpoints::table
            .filter(webhook_endpoints::tenant_id.eq(tenant_id))
            .filter(webhook_endpoints::id.eq(id))
            .filter(webhook_endpoints::status.eq("active")),
    )
    .set((
        webhook_endpoints::status.eq("disabled"),
        webhook_endpoints::disabled_reason.eq(reason),
        webhook_endpoints::updated_at.eq(diesel::dsl::now),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// The associated data an endpoint's secret is sealed with: tenant id then
/// endpoint id, so a sealed secret copied to another row does not open.
pub fn secret_context(tenant_id: Uuid, endpoint_id: Uuid) -> Vec<u8> {
    [tenant_id.as_bytes().as_slice(), endpoint_id.as_bytes()].concat()
}
