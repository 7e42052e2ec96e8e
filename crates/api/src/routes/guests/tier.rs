//! Tiers staff give a guest (agent level 1–4, loyal, high potential, low
//! value, negative, VIP), with their history.

use actix_web::{HttpResponse, get, put, web};
use chrono::{DateTime, Utc};
use guestcare_db::{guests, tiers};
use guestcare_domain::{AllValid, Permission, bounded_text, guest::Tier};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{actor, live_guest};
use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_tier).service(set_tier);
}

/// One change of tier.
#[derive(Debug, Serialize, ToSchema)]
pub struct TierChangeView {
    pub id: Uuid,
    /// `null` when the tier was cleared.
    pub tier: Option<String>,
    pub previous: Option<String>,
    pub reason: Option<String>,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub changed_at: DateTime<Utc>,
}

/// The guest's tier and how it came to be, newest change first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TierView {
    pub tier: Option<String>,
    pub history: Vec<TierChangeView>,
}

impl From<tiers::TierChange> for TierChangeView {
    fn from(c: tiers::TierChange) -> Self {
        TierChangeView {
            id: c.id,
            tier: c.tier,
            previous: c.previous,
            reason: c.reason,
            actor_type: c.actor_type,
            actor_id: c.actor_id,
            changed_at: c.changed_at,
        }
    }
}

fn load(conn: &mut diesel::PgConnection, tenant_id: Uuid, id: Uuid) -> Result<TierView, ApiError> {
    let guest = guests::get_guest(conn, tenant_id, id)?;
    let history = tiers::list_tier_changes(conn, tenant_id, id)?
        .into_iter()
        .map(TierChangeView::from)
        .collect();
    Ok(TierView {
        tier: guest.tier,
        history,
    })
}

/// The guest's tier and its history.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = TierView), (status = 404, body = crate::error::Problem))
)]
#[get("/guests/{id}/tier")]
async fn get_tier(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let view = db::run(&state.pool, move |conn| load(conn, auth.tenant_id, id)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// A tier to set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierUpdate {
    /// `level_1`–`level_4`, `loyal`, `high_potential`, `low_value`,
    /// `negative`, `vip`, or `null` to clear.
    pub tier: Option<String>,
    /// Why, for the history.
    pub reason: Option<String>,
}

/// Sets (or clears) the guest's tier; the change is kept in the history
/// and shown on the timeline. Setting the same tier again changes nothing.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = TierUpdate,
    responses(
        (status = 200, body = TierView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[put("/guests/{id}/tier")]
async fn set_tier(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<TierUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let (tier, reason) = (
        update
            .tier
            .as_deref()
            .map(str::parse::<Tier>)
            .transpose()
            .map_err(|e| e.at("tier")),
        update
            .reason
            .as_deref()
            .map(|r| bounded_text(r, 1, 500))
            .transpose()
            .map_err(|e| e.at("reason")),
    )
        .all_valid()?;
    let view = db::transaction(&state.pool, move |conn| {
        live_guest(conn, &auth, id)?;
        let tier = tier.map(Tier::as_str);
        if tiers::change_tier(
            conn,
            auth.tenant_id,
            id,
            actor(&auth),
            tier,
            reason.as_deref(),
        )?
        .is_some()
        {
            audit::record(conn, &auth, "guest.tier", "guest", id)?;
        }
        load(conn, auth.tenant_id, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
