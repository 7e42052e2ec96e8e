//! A tenant's own transports: its SMTP server and sender, its SMS provider,
//! the hours SMS may reach guests, and the marketing frequency cap. Secrets
//! are sealed before they are stored and never returned.

mod body;
mod cap;

use actix_web::{HttpResponse, get, put, web};
use guestcare_db::channel_settings;
use guestcare_domain::{Permission, channels::purposes, sealed::Sealer};
use utoipa_actix_web::service_config::ServiceConfig;

pub use body::{
    AllowedHoursBody, ChannelSettingsRequest, ChannelSettingsView, SmsBody, SmsView, SmtpBody,
    SmtpView,
};
pub(crate) use body::{is_loopback, valid_host};
pub use cap::MarketingCapBody;

use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_channel_settings)
        .service(put_channel_settings)
        .service(cap::put_marketing_cap);
}

/// The tenant's channel settings (secrets shown only as `*_set`).
#[utoipa::path(
    tag = "channels",
    security(("bearer" = [])),
    responses((status = 200, body = ChannelSettingsView))
)]
#[get("/channels/settings")]
async fn get_channel_settings(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let row = db::run(&state.pool, move |conn| {
        Ok(channel_settings::get_channel_settings(
            conn,
            auth.tenant_id,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ChannelSettingsView::of(row)))
}

/// A secret field: `None` keeps the stored value, empty removes it,
/// anything else is sealed to the tenant.
fn seal(sealer: &Sealer, secret: Option<&str>, tenant: &uuid::Uuid) -> Option<Option<Vec<u8>>> {
    secret.map(|s| (!s.is_empty()).then(|| sealer.seal(s.as_bytes(), tenant.as_bytes())))
}

/// Replaces the tenant's channel settings (administrator). A section set to
/// `null` falls back to the system default; write-only secrets that are
/// absent keep their stored value.
#[utoipa::path(
    tag = "channels",
    security(("bearer" = [])),
    request_body = ChannelSettingsRequest,
    responses((status = 200, body = ChannelSettingsView), (status = 422, body = crate::error::Problem))
)]
#[put("/channels/settings")]
async fn put_channel_settings(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<ChannelSettingsRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Administer)?;
    let request = body.into_inner();
    let fields = request.validate()?;
    let master = state.settings.security.master_key();
    let tenant = auth.tenant_id;
    let smtp_password = match &request.smtp {
        Some(smtp) => seal(
            &Sealer::new(&master, purposes::SMTP_PASSWORD),
            smtp.password.as_deref(),
            &tenant,
        ),
        None => Some(None),
    };
    let sms_secret = match &request.sms {
        Some(sms) => seal(
            &Sealer::new(&master, purposes::SMS_SECRET),
            sms.secret.as_deref(),
            &tenant,
        ),
        None => Some(None),
    };
    let row = db::transaction(&state.pool, move |conn| {
        let row = channel_settings::put_channel_settings(
            conn,
            tenant,
            &fields,
            smtp_password,
            sms_secret,
        )?;
        audit::record(
            conn,
            &auth,
            "channel_settings.update",
            "channel_settings",
            tenant,
        )?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ChannelSettingsView::of(Some(row))))
}
