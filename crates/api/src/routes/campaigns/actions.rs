//! Sending a campaign (manager): schedule, pause, resume, cancel; and
//! reading its progress and results. A move the campaign's state does not
//! allow answers 422 `invalid_transition`.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, post, web};
use guestcare_db::campaigns::{self, LifecycleError, Move, Progress};
use guestcare_domain::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::CampaignView;
use crate::{audit, auth::Auth, db, error::ApiError, state::AppState};

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(schedule_campaign)
        .service(pause_campaign)
        .service(resume_campaign)
        .service(cancel_campaign)
        .service(campaign_progress)
        .service(campaign_results);
}

/// Applies a move and audits it.
async fn act(
    state: web::Data<AppState>,
    auth: Auth,
    id: Uuid,
    action: Move,
    audit_action: &'static str,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let row = db::transaction(&state.pool, move |conn| {
        let row =
            campaigns::move_campaign(conn, auth.tenant_id, id, action).map_err(|e| match e {
                LifecycleError::Query(e) => ApiError::from(e),
                invalid @ LifecycleError::Invalid { .. } => ApiError::Unprocessable {
                    code: "invalid_transition",
                    detail: format!("{invalid}."),
                },
            })?;
        audit::record(conn, &auth, audit_action, "campaign", row.id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CampaignView::from(row)))
}

/// draft → scheduled: the audience is frozen and sending starts at the
/// campaign's schedule (now, an instant, or each guest's local time).
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = CampaignView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/campaigns/{id}/schedule")]
async fn schedule_campaign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    act(
        state,
        auth,
        id.into_inner(),
        Move::Schedule,
        "campaign.schedule",
    )
    .await
}

/// sending → paused: no new message leaves after the step in flight.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = CampaignView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/campaigns/{id}/pause")]
async fn pause_campaign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    act(state, auth, id.into_inner(), Move::Pause, "campaign.pause").await
}

/// paused → sending: continues with the recipients still pending.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = CampaignView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/campaigns/{id}/resume")]
async fn resume_campaign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    act(
        state,
        auth,
        id.into_inner(),
        Move::Resume,
        "campaign.resume",
    )
    .await
}

/// Ends a campaign that is not finished; pending recipients get nothing.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = CampaignView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/campaigns/{id}/cancel")]
async fn cancel_campaign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    act(
        state,
        auth,
        id.into_inner(),
        Move::Cancel,
        "campaign.cancel",
    )
    .await
}

/// Counts of a campaign's recipients by outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressView {
    pub status: String,
    pub recipients: i64,
    /// Not yet handed to the message path.
    pub pending: i64,
    /// Waiting for the worker (or for the guest's allowed hours).
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    /// Marked bounced by the inbound bounce handling.
    pub bounced: i64,
    /// Withheld; `reasons` says why.
    pub suppressed: i64,
    /// Withheld and failed recipients by reason (`no_consent`,
    /// `frequency_cap`, `suppressed_address`, `no_address`, …).
    pub reasons: BTreeMap<String, i64>,
    pub opened: i64,
    pub clicked: i64,
    pub unsubscribed: i64,
}

impl ProgressView {
    fn new(status: String, p: Progress) -> ProgressView {
        ProgressView {
            status,
            recipients: p.recipients,
            pending: p.pending,
            queued: p.queued,
            sent: p.sent,
            failed: p.failed,
            bounced: p.bounced,
            suppressed: p.suppressed,
            reasons: p.reasons,
            opened: p.opened,
            clicked: p.clicked,
            unsubscribed: p.unsubscribed,
        }
    }
}

/// Live progress.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ProgressView), (status = 404, body = crate::error::Problem))
)]
#[get("/campaigns/{id}/progress")]
async fn campaign_progress(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let view = db::run(&state.pool, move |conn| {
        let campaign = campaigns::get_campaign(conn, auth.tenant_id, id)?;
        let progress = campaigns::campaign_progress(conn, &campaign)?;
        Ok(ProgressView::new(campaign.status, progress))
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Results: the totals, and the same counts by language and by segment.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultsView {
    pub total: ProgressView,
    /// By the language each guest was written in.
    pub by_language: BTreeMap<String, ProgressView>,
    /// By the campaign segment that selected the guest (`none`: a tier,
    /// tag, list or everyone).
    pub by_segment: BTreeMap<String, ProgressView>,
}

/// Results with per-language and per-segment breakdowns.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ResultsView), (status = 404, body = crate::error::Problem))
)]
#[get("/campaigns/{id}/results")]
async fn campaign_results(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let view = db::run(&state.pool, move |conn| {
        let campaign = campaigns::get_campaign(conn, auth.tenant_id, id)?;
        let total = campaigns::campaign_progress(conn, &campaign)?;
        let parts = campaigns::campaign_breakdowns(conn, &campaign)?;
        let status = campaign.status;
        let view = |p| ProgressView::new(status.clone(), p);
        Ok(ResultsView {
            total: view(total),
            by_language: parts
                .by_language
                .into_iter()
                .map(|(k, p)| (k, view(p)))
                .collect(),
            by_segment: parts
                .by_segment
                .into_iter()
                .map(|(k, p)| {
                    (
                        k.map_or_else(|| "none".to_owned(), |s| s.to_string()),
                        view(p),
                    )
                })
                .collect(),
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
