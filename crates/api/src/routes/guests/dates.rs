//! A guest's dated facts (`membership_expiry`, `contract_expiry`,
//! `voucher_expiry`, or any kind the hotel uses) that reminder rules count
//! from. Setting a new date (a renewal) ends the old date's reminders.

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use guestcare_db::{guest_dates, guests};
use guestcare_domain::{FieldError, Permission};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{actor, live_guest};
use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_dates)
        .service(set_date)
        .service(delete_date);
}

/// One dated fact.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuestDateView {
    /// 1–40 of `a-z`, `0-9`, `_`, starting with a letter.
    pub kind: String,
    pub date: NaiveDate,
    pub updated_at: DateTime<Utc>,
}

impl From<guest_dates::GuestDate> for GuestDateView {
    fn from(d: guest_dates::GuestDate) -> Self {
        GuestDateView {
            kind: d.kind,
            date: d.date,
            updated_at: d.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestDateUpdate {
    /// `YYYY-MM-DD`.
    pub date: NaiveDate,
}

fn parse_kind(kind: &str) -> Result<(), FieldError> {
    let valid = (1..=40).contains(&kind.len())
        && kind.starts_with(|c: char| c.is_ascii_lowercase())
        && kind
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(FieldError::new(
            "invalid_kind",
            "Use 1–40 of a-z, 0-9 and `_`, starting with a letter.",
        )
        .at("kind"))
    }
}

/// The guest's dates, by kind.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<GuestDateView>), (status = 404, body = crate::error::Problem))
)]
#[get("/guests/{id}/dates")]
async fn list_dates(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let rows = db::run(&state.pool, move |conn| {
        guests::get_guest(conn, auth.tenant_id, id)?;
        Ok(guest_dates::list_guest_dates(conn, auth.tenant_id, id)?)
    })
    .await?;
    let views: Vec<GuestDateView> = rows.into_iter().map(GuestDateView::from).collect();
    Ok(HttpResponse::Ok().json(views))
}

/// Sets the guest's date of `kind` (a renewal replaces it); the change is
/// on the timeline.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("kind" = String, Path)),
    request_body = GuestDateUpdate,
    responses(
        (status = 200, body = GuestDateView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[put("/guests/{id}/dates/{kind}")]
async fn set_date(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, String)>,
    body: ValidJson<GuestDateUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, kind) = path.into_inner();
    parse_kind(&kind)?;
    let date = body.into_inner().date;
    let row = db::transaction(&state.pool, move |conn| {
        live_guest(conn, &auth, id)?;
        let row = guest_dates::set_guest_date(conn, auth.tenant_id, id, &kind, date, actor(&auth))?;
        audit::record(conn, &auth, "guest.date_set", "guest", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(GuestDateView::from(row)))
}

/// Removes the guest's date of `kind`.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("kind" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/guests/{id}/dates/{kind}")]
async fn delete_date(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, kind) = path.into_inner();
    db::transaction(&state.pool, move |conn| {
        live_guest(conn, &auth, id)?;
        guest_dates::delete_guest_date(conn, auth.tenant_id, id, &kind)?;
        audit::record(conn, &auth, "guest.date_delete", "guest", id)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
