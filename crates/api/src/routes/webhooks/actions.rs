//! What staff do with an endpoint besides editing it: learn the event
//! types, rotate the secret, send a test ping, read the delivery log.

use actix_web::{HttpResponse, get, post, web};
use guestcare_db::webhooks;
use guestcare_domain::{Permission, channels::events::EVENT_TYPES};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{DeliveryView, EndpointView, EndpointWithSecret, EventTypeView, new_secret, no_store};
use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::ValidQuery,
    pagination::{PageOf, PageQuery},
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTypeList {
    pub items: Vec<EventTypeView>,
}

/// Every event type an endpoint can subscribe to.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    responses((status = 200, body = EventTypeList))
)]
#[get("/webhooks/event-types")]
pub(super) async fn list_event_types(auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let items = EVENT_TYPES
        .iter()
        .map(|(name, description)| EventTypeView {
            name: (*name).to_owned(),
            description: (*description).to_owned(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(EventTypeList { items }))
}

/// Replaces the endpoint's secret (manager); the new one is answered once
/// and signs every delivery from now on, retries included.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = EndpointWithSecret), (status = 404, body = crate::error::Problem))
)]
#[post("/webhooks/{id}/rotate-secret")]
pub(super) async fn rotate_secret(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let (secret, sealed) = new_secret(&state, auth.tenant_id, id)?;
    let row = db::transaction(&state.pool, move |conn| {
        let row = webhooks::set_endpoint_secret(conn, auth.tenant_id, id, &sealed)?;
        audit::record(conn, &auth, "webhook.rotate_secret", "webhook_endpoint", id)?;
        Ok(row)
    })
    .await?;
    Ok(no_store(HttpResponse::Ok().json(EndpointWithSecret {
        endpoint: EndpointView::from(row),
        secret: Some(secret),
    })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PingQueued {
    /// The delivery to watch in `/v1/webhooks/{id}/deliveries`.
    pub delivery_id: Uuid,
}

/// Queues a signed `webhook.ping` event to the endpoint (even a disabled
/// one, to test it before re-enabling).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 202, body = PingQueued), (status = 404, body = crate::error::Problem))
)]
#[post("/webhooks/{id}/ping")]
pub(super) async fn ping(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let delivery_id = db::transaction(&state.pool, move |conn| {
        webhooks::get_endpoint(conn, auth.tenant_id, id)?;
        let delivery = webhooks::queue_ping(conn, auth.tenant_id, id)?;
        audit::record(conn, &auth, "webhook.ping", "webhook_endpoint", id)?;
        Ok(delivery)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(PingQueued { delivery_id }))
}

/// The endpoint's deliveries, newest first, with each one's last attempt.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = PageOf<DeliveryView>), (status = 404, body = crate::error::Problem))
)]
#[get("/webhooks/{id}/deliveries")]
pub(super) async fn list_deliveries(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        webhooks::get_endpoint(conn, auth.tenant_id, id)?;
        Ok(webhooks::list_deliveries(
            conn,
            auth.tenant_id,
            id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |d| d.id, DeliveryView::from)))
}
