//! A tenant's own yearly occasions (the resort's anniversary, a local
//! festival): fixed Gregorian days or lunar dates, listed by `/holidays` with
//! the built-in calendars and resolved by the same rules.

mod body;

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, patch, post, web};
use guestcare_db::{new_id, occasions};
use guestcare_domain::Permission;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use body::ValidOccasion;
pub use body::{
    NewOccasionRequest, OccasionNames, OccasionRule, OccasionUpdate, OccasionView, to_domain,
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
    cfg.service(list_occasions)
        .service(create_occasion)
        .service(get_occasion)
        .service(update_occasion)
        .service(delete_occasion);
}

/// Lists the tenant's occasions, inactive ones included.
#[utoipa::path(
    tag = "holidays",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<OccasionView>))
)]
#[get("/occasions")]
async fn list_occasions(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(occasions::list_occasions(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |o| o.id, OccasionView::from)))
}

/// Adds an occasion (manager). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "holidays",
    security(("bearer" = [])),
    request_body = NewOccasionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = OccasionView),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/occasions")]
async fn create_occasion(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewOccasionRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let occasion = ValidOccasion::parse(
        &request.key,
        &request.names,
        &request.rule,
        request.active.unwrap_or(true),
    )?;
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let row = occasions::insert_occasion(conn, actor.tenant_id, new_id(), &occasion.fields())?;
        audit::record(conn, &actor, "occasion.create", "occasion", row.id)?;
        Ok((StatusCode::CREATED, OccasionView::from(row)))
    })
    .await
}

/// One occasion.
#[utoipa::path(
    tag = "holidays",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = OccasionView), (status = 404, body = crate::error::Problem))
)]
#[get("/occasions/{id}")]
async fn get_occasion(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(occasions::get_occasion(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(OccasionView::from(row)))
}

/// Changes an occasion's key, names, rule or whether it is active (manager).
#[utoipa::path(
    tag = "holidays",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = OccasionUpdate,
    responses(
        (status = 200, body = OccasionView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/occasions/{id}")]
async fn update_occasion(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<OccasionUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let row = db::transaction(&state.pool, move |conn| {
        let current = OccasionView::from(occasions::get_occasion(conn, auth.tenant_id, id)?);
        let occasion = ValidOccasion::parse(
            update.key.as_deref().unwrap_or(&current.key),
            update.names.as_ref().unwrap_or(&current.names),
            update.rule.as_ref().unwrap_or(&current.rule),
            update.active.unwrap_or(current.active),
        )?;
        let row = occasions::update_occasion(conn, auth.tenant_id, id, &occasion.fields())?;
        audit::record(conn, &auth, "occasion.update", "occasion", row.id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(OccasionView::from(row)))
}

/// Deletes an occasion (manager). To pause it, set `active` to `false`.
#[utoipa::path(
    tag = "holidays",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/occasions/{id}")]
async fn delete_occasion(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    audit::delete_audited(
        &state,
        auth,
        id.into_inner(),
        occasions::delete_occasion,
        "occasion.delete",
        "occasion",
    )
    .await
}
