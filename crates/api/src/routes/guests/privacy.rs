//! A guest's data rights: export of everything held (JSON) and erasure,
//! both audited and both for owners and managers.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use guestcare_db::{consents, guests, guests::erase, stays, tiers, timeline};
use guestcare_domain::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{
    GuestContext, GuestView,
    consents::{ConsentEventView, ConsentView},
    stays::StayView,
    tier::TierChangeView,
    timeline::TimelineEntryView,
};
use crate::{audit, auth::Auth, db, error::ApiError, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export_guest).service(erase_guest);
}

/// Everything held on one guest.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuestExport {
    pub exported_at: DateTime<Utc>,
    /// The profile, national ID in clear.
    pub guest: GuestView,
    pub stays: Vec<StayView>,
    pub consents: Vec<ConsentView>,
    pub consent_history: Vec<ConsentEventView>,
    pub tier_history: Vec<TierChangeView>,
    pub timeline: Vec<TimelineEntryView>,
}

/// Exports everything held on the guest, as JSON (owner, manager). Audited.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = GuestExport), (status = 404, body = crate::error::Problem))
)]
#[get("/guests/{id}/export")]
async fn export_guest(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::ViewNationalId)?;
    let id = id.into_inner();
    let keys = GuestContext::keys(&state);
    let export = db::transaction(&state.pool, move |conn| {
        let context = GuestContext::load(conn, keys, &auth)?;
        let tenant = auth.tenant_id;
        let guest = context.view(guests::get_guest(conn, tenant, id)?)?;
        let all = i64::from(u32::MAX >> 1);
        let export = GuestExport {
            exported_at: Utc::now(),
            guest,
            stays: stays::list_stays(conn, tenant, id)?
                .into_iter()
                .map(StayView::from)
                .collect(),
            consents: consents::list_consents(conn, tenant, id)?
                .into_iter()
                .map(ConsentView::from)
                .collect(),
            consent_history: consents::list_consent_events(conn, tenant, id, None, all)?
                .into_iter()
                .map(ConsentEventView::from)
                .collect(),
            tier_history: tiers::list_tier_changes(conn, tenant, id)?
                .into_iter()
                .map(TierChangeView::from)
                .collect(),
            timeline: timeline::list_timeline(conn, tenant, id, None, all)?
                .into_iter()
                .map(TimelineEntryView::from)
                .collect(),
        };
        audit::record(conn, &auth, "guest.export", "guest", id)?;
        Ok(export)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"guest-{id}.json\""),
        ))
        .json(export))
}

/// Erases the guest's personal data on request (owner, manager): name,
/// national ID, birth date, contacts, addresses, notes are wiped; the code,
/// nationality, language, tier, stays and amounts stay as anonymous
/// statistics. Merges involving the guest can no longer be reverted.
/// Audited; repeating it changes nothing.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = GuestView), (status = 404, body = crate::error::Problem))
)]
#[post("/guests/{id}/erase")]
async fn erase_guest(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::ViewNationalId)?;
    let id = id.into_inner();
    let keys = GuestContext::keys(&state);
    let view = db::transaction(&state.pool, move |conn| {
        let context = GuestContext::load(conn, keys, &auth)?;
        let guest = erase::erase_guest(conn, &context.keys, auth.tenant_id, id)?;
        audit::record(conn, &auth, "guest.erase", "guest", id)?;
        context.view(guest)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
