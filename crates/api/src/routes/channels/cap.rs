//! `PUT /v1/channels/settings/marketing-cap`: the care policy of how often
//! a guest may get marketing, which managers set (transports are the
//! owner's).

use actix_web::{HttpResponse, put, web};
use guestcare_db::channel_settings;
use guestcare_domain::{Permission, channels::cap::MarketingCap};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ChannelSettingsView;
use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

/// At most `messages` marketing messages per guest in any `days` days
/// (default 2 per 7; `messages: 0` stops marketing).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarketingCapBody {
    /// 0–100.
    pub messages: i64,
    /// 1–365.
    pub days: i64,
}

impl From<MarketingCap> for MarketingCapBody {
    fn from(cap: MarketingCap) -> Self {
        MarketingCapBody {
            messages: cap.messages.into(),
            days: cap.days.into(),
        }
    }
}

/// Sets the marketing frequency cap (manager): at most `messages` marketing
/// messages per guest in any `days` days, counted by every send. The other
/// settings stay as they are.
#[utoipa::path(
    tag = "channels",
    security(("bearer" = [])),
    request_body = MarketingCapBody,
    responses((status = 200, body = ChannelSettingsView), (status = 422, body = crate::error::Problem))
)]
#[put("/channels/settings/marketing-cap")]
pub(super) async fn put_marketing_cap(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<MarketingCapBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let body = body.into_inner();
    let cap = MarketingCap::new(body.messages, body.days)?;
    let tenant = auth.tenant_id;
    let row = db::transaction(&state.pool, move |conn| {
        let row = channel_settings::set_marketing_cap(conn, tenant, cap)?;
        audit::record(
            conn,
            &auth,
            "channel_settings.marketing_cap",
            "channel_settings",
            tenant,
        )?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ChannelSettingsView::of(Some(row))))
}
