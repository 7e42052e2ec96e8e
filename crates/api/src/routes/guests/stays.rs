//! A guest's stays. Adding, changing or removing one recomputes the care
//! period: from the first check-in until one year after the latest stay's
//! check-out (or check-in when the check-out is not known).

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use guestcare_db::{guests, stays};
use guestcare_domain::{
    Permission,
    guest::{Money, StayInput},
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{actor, live_guest};
use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson},
    idempotent::{self, Fingerprint},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_stays)
        .service(add_stay)
        .service(get_stay)
        .service(update_stay)
        .service(delete_stay);
}

/// One visit.
#[derive(Debug, Serialize, ToSchema)]
pub struct StayView {
    pub id: Uuid,
    pub guest_id: Uuid,
    pub property: Option<String>,
    pub check_in: NaiveDate,
    pub check_out: Option<NaiveDate>,
    pub room_type: Option<String>,
    pub party_size: Option<i16>,
    pub booking_channel: Option<String>,
    /// Decimal string in the currency's units, e.g. `1500000` (VND), `120.50` (USD).
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<stays::Stay> for StayView {
    fn from(s: stays::Stay) -> Self {
        let amount = match (s.amount_minor, &s.currency) {
            (Some(minor), Some(currency)) => Some(
                Money {
                    minor,
                    currency: currency.clone(),
                }
                .amount(),
            ),
            _ => None,
        };
        StayView {
            id: s.id,
            guest_id: s.guest_id,
            property: s.property,
            check_in: s.check_in,
            check_out: s.check_out,
            room_type: s.room_type,
            party_size: s.party_size,
            booking_channel: s.booking_channel,
            amount,
            currency: s.currency,
            notes: s.notes,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// The guest's stays, earliest first.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<StayView>), (status = 404, body = crate::error::Problem))
)]
#[get("/guests/{id}/stays")]
async fn list_stays(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let rows = db::run(&state.pool, move |conn| {
        guests::get_guest(conn, auth.tenant_id, id)?;
        Ok(stays::list_stays(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(StayView::from).collect::<Vec<_>>()))
}

/// Adds a stay; the care period starts or extends. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = StayInput,
    responses(
        (status = 201, body = StayView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/guests/{id}/stays")]
async fn add_stay(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: ValidJson<StayInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let id = id.into_inner();
    let input = body.into_inner();
    let caller = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        live_guest(conn, &caller, id)?;
        let details = input.parse()?;
        let stay = stays::add_stay(conn, caller.tenant_id, id, actor(&caller), &details)?;
        audit::record(conn, &caller, "stay.create", "stay", stay.id)?;
        Ok((StatusCode::CREATED, StayView::from(stay)))
    })
    .await
}

/// One stay.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("stay_id" = Uuid, Path)),
    responses((status = 200, body = StayView), (status = 404, body = crate::error::Problem))
)]
#[get("/guests/{id}/stays/{stay_id}")]
async fn get_stay(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let (id, stay_id) = path.into_inner();
    let stay = db::run(&state.pool, move |conn| {
        Ok(stays::get_stay(conn, auth.tenant_id, id, stay_id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(StayView::from(stay)))
}

/// Replaces a stay's fields (send them all; absent ones are cleared).
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("stay_id" = Uuid, Path)),
    request_body = StayInput,
    responses(
        (status = 200, body = StayView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[put("/guests/{id}/stays/{stay_id}")]
async fn update_stay(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
    body: ValidJson<StayInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, stay_id) = path.into_inner();
    let input = body.into_inner();
    let stay = db::transaction(&state.pool, move |conn| {
        live_guest(conn, &auth, id)?;
        stays::get_stay(conn, auth.tenant_id, id, stay_id)?;
        let details = input.parse()?;
        let stay = stays::update_stay(conn, auth.tenant_id, id, stay_id, &details)?;
        audit::record(conn, &auth, "stay.update", "stay", stay_id)?;
        Ok(stay)
    })
    .await?;
    Ok(HttpResponse::Ok().json(StayView::from(stay)))
}

/// Removes a stay (a mistake); the care period is recomputed.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("stay_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/guests/{id}/stays/{stay_id}")]
async fn delete_stay(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, stay_id) = path.into_inner();
    db::transaction(&state.pool, move |conn| {
        live_guest(conn, &auth, id)?;
        stays::delete_stay(conn, auth.tenant_id, id, actor(&auth), stay_id)?;
        audit::record(conn, &auth, "stay.delete", "stay", stay_id)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
