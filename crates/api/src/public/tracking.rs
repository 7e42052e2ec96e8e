//! A campaign's tracked links: `/o/{token}` (the open pixel) and
//! `/c/{token}` (a redirect to one of the campaign's own http(s) targets).
//! Tokens are signed (`signed_token::CampaignLink`): a forged one never
//! reaches the database, and the target comes from the campaign's stored
//! HTML, never from the link, so a tracked link is no open redirect.

use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use guestcare_db::campaigns;

use super::unsubscribe::invalid;
use crate::{db, error::ApiError, state::AppState};

/// A transparent 1×1 GIF.
const PIXEL: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(open_pixel).service(click);
}

/// The open-tracking image: records the recipient's first open; always
/// answers the image (also for a token that does not verify).
#[utoipa::path(
    tag = "public",
    params(("token" = String, Path, description = "The signed token of the pixel")),
    responses((status = 200, content_type = "image/gif", body = Vec<u8>))
)]
#[get("/o/{token}")]
async fn open_pixel(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if let Some(link) = state
        .guest_links()
        .open_campaign_link(&token)
        .filter(|l| l.link.is_none())
    {
        db::run(&state.pool, move |conn| {
            Ok(campaigns::record_open(
                conn,
                link.tenant_id,
                link.campaign_id,
                link.guest_id,
            )?)
        })
        .await?;
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .content_type("image/gif")
        .body(PIXEL))
}

/// Records the click and redirects (302) to the campaign's target; an
/// invalid token or unknown target answers the invalid-link page (404).
#[utoipa::path(
    tag = "public",
    params(("token" = String, Path, description = "The signed token of the link")),
    responses(
        (status = 302, description = "To the campaign's link target"),
        (status = 404, content_type = "text/html", body = String),
    )
)]
#[get("/c/{token}")]
async fn click(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Some((link, index)) = state
        .guest_links()
        .open_campaign_link(&token)
        .and_then(|l| Some((l, l.link?)))
    else {
        return Ok(invalid(&req));
    };
    let target = db::transaction(&state.pool, move |conn| {
        Ok(campaigns::record_click(
            conn,
            link.tenant_id,
            link.campaign_id,
            link.guest_id,
            index,
        )?)
    })
    .await;
    Ok(match target {
        Ok(Some(target)) => HttpResponse::Found()
            .insert_header((header::LOCATION, target))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
        Ok(None) | Err(ApiError::NotFound) => invalid(&req),
        Err(other) => return Err(other),
    })
}
