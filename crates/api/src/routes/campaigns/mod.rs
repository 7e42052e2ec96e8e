//! E-mail campaigns: drafts written in several languages for an audience
//! of guests, scheduled and sent at a rate through the one message path
//! (`guestcare_db::campaigns`), with live progress and results.

mod actions;
mod body;
mod preview;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, patch, post, web};
use guestcare_db::{PgConnection, assets, campaigns, new_id, segments};
use guestcare_domain::{
    FieldError, Permission,
    campaigns::{Audience, Variants},
    templates::cid_references,
};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use actions::{ProgressView, ResultsView};
pub use body::{CampaignInput, CampaignView, Schedule};
pub use preview::{PreviewView, TestSendRequest};

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
    cfg.service(list_campaigns)
        .service(create_campaign)
        .service(get_campaign)
        .service(update_campaign);
    actions::configure(cfg);
    preview::configure(cfg);
}

/// The tenant's campaigns, newest first.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<CampaignView>))
)]
#[get("/campaigns")]
async fn list_campaigns(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(campaigns::list_campaigns(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |c| c.id, CampaignView::from)))
}

/// Writes a draft campaign (manager). Problems answer 422 at their path
/// (`variants.vi.html`, `audience.exclude.segment_ids[0]`). Honours
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    request_body = CampaignInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = CampaignView),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/campaigns")]
async fn create_campaign(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<CampaignInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let fields = body.into_inner().into_fields(None)?;
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        check_references(conn, actor.tenant_id, &fields)?;
        let row = campaigns::insert_campaign(conn, actor.tenant_id, new_id(), &fields)?;
        audit::record(conn, &actor, "campaign.create", "campaign", row.id)?;
        Ok((StatusCode::CREATED, CampaignView::from(row)))
    })
    .await
}

/// One campaign.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CampaignView), (status = 404, body = crate::error::Problem))
)]
#[get("/campaigns/{id}")]
async fn get_campaign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(campaigns::get_campaign(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CampaignView::from(row)))
}

/// Changes a draft (manager); fields not given stay. A campaign that is no
/// longer a draft answers 422 `not_editable`.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = CampaignInput,
    responses(
        (status = 200, body = CampaignView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/campaigns/{id}")]
async fn update_campaign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<CampaignInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let input = body.into_inner();
    let row = db::transaction(&state.pool, move |conn| {
        let current = campaigns::lock_campaign(conn, auth.tenant_id, id)?;
        if current.status != "draft" {
            return Err(ApiError::Unprocessable {
                code: "not_editable",
                detail: format!("A {} campaign can no longer be changed.", current.status),
            });
        }
        let fields = input.into_fields(Some(&current))?;
        check_references(conn, auth.tenant_id, &fields)?;
        let row = campaigns::update_draft(conn, auth.tenant_id, id, &fields)?;
        audit::record(conn, &auth, "campaign.update", "campaign", row.id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CampaignView::from(row)))
}

/// 422 at each audience segment and each embedded image (`cid:{asset
/// id}`) the tenant does not have.
fn check_references(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    fields: &campaigns::CampaignFields,
) -> Result<(), ApiError> {
    let audience: Audience =
        serde_json::from_value(fields.audience.clone()).map_err(ApiError::internal)?;
    let mut known = Vec::new();
    for id in audience.segment_ids() {
        if segments::get_segment(conn, tenant_id, id).is_ok() {
            known.push(id);
        }
    }
    let mut errors = body::missing_segments(&audience, |id| known.contains(&id));
    let variants: Variants =
        serde_json::from_value(fields.variants.clone()).map_err(ApiError::internal)?;
    for (language, variant) in &variants {
        let wanted = cid_references(&variant.html).unwrap_or_default();
        let found = assets::existing_asset_ids(conn, tenant_id, &wanted)?;
        if wanted.iter().any(|id| !found.contains(id)) {
            errors.push(
                FieldError::new(
                    "unknown_asset",
                    "An embedded image (`cid:`) is not an uploaded asset.",
                )
                .at(format!("variants.{}.html", language.as_str())),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}
