//! Webhook endpoints: tenants register URLs for event types; deliveries are
//! signed per the Standard Webhooks specification, retried by the worker,
//! and logged per endpoint.

mod actions;
mod body;

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, patch, post, web};
use guestcare_db::{new_id, webhooks};
use guestcare_domain::{
    Permission,
    channels::{purposes, signature::WebhookSecret},
    sealed::Sealer,
};
use rand::RngCore;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use body::{
    DeliveryView, EndpointUpdate, EndpointView, EndpointWithSecret, EventTypeView,
    NewEndpointRequest,
};

use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson, ValidQuery},
    idempotent::{self, Fingerprint},
    pagination::{PageOf, PageQuery},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(actions::list_event_types)
        .service(list_endpoints)
        .service(create_endpoint)
        .service(get_endpoint)
        .service(update_endpoint)
        .service(delete_endpoint)
        .service(actions::rotate_secret)
        .service(actions::ping)
        .service(actions::list_deliveries);
}

/// A fresh secret, and its sealed form for the endpoint's row.
fn new_secret(
    state: &AppState,
    tenant_id: Uuid,
    endpoint_id: Uuid,
) -> Result<(String, Vec<u8>), ApiError> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = WebhookSecret::from_bytes(&bytes)
        .map_err(ApiError::internal)?
        .expose();
    let sealer = Sealer::new(
        &state.settings.security.master_key(),
        purposes::WEBHOOK_SECRET,
    );
    let sealed = sealer.seal(
        secret.as_bytes(),
        &webhooks::secret_context(tenant_id, endpoint_id),
    );
    Ok((secret, sealed))
}

fn no_store(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    response
}

/// Lists the tenant's endpoints.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<EndpointView>))
)]
#[get("/webhooks")]
async fn list_endpoints(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(webhooks::list_endpoints(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |e| e.id, EndpointView::from)))
}

/// Registers an endpoint (manager). The answer carries its signing secret,
/// shown this once. Honours `Idempotency-Key` (a replay does not repeat the
/// secret).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = NewEndpointRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = EndpointWithSecret),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/webhooks")]
async fn create_endpoint(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewEndpointRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let fields = body::validate(
        &request.url,
        request.description.as_deref().unwrap_or_default(),
        &request.event_types,
        "active",
        &state.settings.security.webhook_allow_hosts,
    )?;
    let id = new_id();
    let (secret, sealed) = new_secret(&state, auth.tenant_id, id)?;
    let actor = auth.clone();
    let response = idempotent::respond_redacted(
        &state,
        &auth,
        key,
        fingerprint,
        move |conn| {
            let row = webhooks::insert_endpoint(conn, actor.tenant_id, id, &fields, &sealed)?;
            audit::record(conn, &actor, "webhook.create", "webhook_endpoint", row.id)?;
            Ok((
                StatusCode::CREATED,
                EndpointWithSecret {
                    endpoint: row.into(),
                    secret: Some(secret),
                },
            ))
        },
        |stored| {
            if let Some(secret) = stored.get_mut("secret") {
                *secret = serde_json::Value::Null;
            }
        },
    )
    .await?;
    Ok(no_store(response))
}

/// One endpoint.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = EndpointView), (status = 404, body = crate::error::Problem))
)]
#[get("/webhooks/{id}")]
async fn get_endpoint(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(webhooks::get_endpoint(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(EndpointView::from(row)))
}

/// Changes an endpoint's URL, description, event types or status
/// (manager); `status: active` re-enables a disabled endpoint.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = EndpointUpdate,
    responses(
        (status = 200, body = EndpointView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/webhooks/{id}")]
async fn update_endpoint(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<EndpointUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let allow = state.settings.security.webhook_allow_hosts.clone();
    let row = db::transaction(&state.pool, move |conn| {
        let current = webhooks::get_endpoint(conn, auth.tenant_id, id)?;
        let fields = body::validate(
            update.url.as_deref().unwrap_or(&current.url),
            update
                .description
                .as_deref()
                .unwrap_or(&current.description),
            update.event_types.as_deref().unwrap_or(&current.events()),
            update.status.as_deref().unwrap_or(&current.status),
            &allow,
        )?;
        let row = webhooks::update_endpoint(conn, auth.tenant_id, id, &fields)?;
        audit::record(conn, &auth, "webhook.update", "webhook_endpoint", row.id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(EndpointView::from(row)))
}

/// Deletes an endpoint and its delivery log (manager).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/webhooks/{id}")]
async fn delete_endpoint(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    audit::delete_audited(
        &state,
        auth,
        id.into_inner(),
        webhooks::delete_endpoint,
        "webhook.delete",
        "webhook_endpoint",
    )
    .await
}
