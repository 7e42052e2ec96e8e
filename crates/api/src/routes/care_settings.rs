//! `/v1/care-settings`: whether the birthday scan also sends the birthday
//! message (and on which channel), and the gift voucher it carries.

use actix_web::{HttpResponse, get, put, web};
use chrono::{DateTime, Utc};
use guestcare_db::care::{self, CareSettings, CareSettingsFields};
use guestcare_domain::{FieldError, Permission, ValidationErrors, templates::Channel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_settings).service(put_settings);
}

/// The tenant's care settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct CareSettingsView {
    /// `email` or `sms`: on a guest's birthday the scan also sends the
    /// `birthday` message with a voucher code; `null`: call tasks only.
    pub birthday_channel: Option<String>,
    /// The voucher code's prefix, e.g. `BDAY` in `BDAY-2027-3F9A1C`.
    pub voucher_prefix: String,
    /// Days the voucher is valid from the birthday.
    pub voucher_valid_days: i32,
    pub updated_at: DateTime<Utc>,
}

impl From<CareSettings> for CareSettingsView {
    fn from(s: CareSettings) -> Self {
        CareSettingsView {
            birthday_channel: s.birthday_channel,
            voucher_prefix: s.voucher_prefix,
            voucher_valid_days: s.voucher_valid_days,
            updated_at: s.updated_at,
        }
    }
}

/// The settings to store (all fields replaced).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CareSettingsRequest {
    pub birthday_channel: Option<String>,
    /// 1–12 of `A-Z`, `0-9`. Default `BDAY`.
    pub voucher_prefix: Option<String>,
    /// 1–366. Default 30.
    pub voucher_valid_days: Option<i64>,
}

impl CareSettingsRequest {
    fn validate(self) -> Result<CareSettingsFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if let Some(channel) = &self.birthday_channel {
            errors.check("birthday_channel", channel.parse::<Channel>());
        }
        let prefix = self.voucher_prefix.unwrap_or_else(|| "BDAY".to_owned());
        if prefix.is_empty()
            || prefix.len() > 12
            || !prefix
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            errors.push(
                FieldError::new("invalid_prefix", "Use 1–12 capital letters A–Z or digits.")
                    .at("voucher_prefix"),
            );
        }
        let days = self.voucher_valid_days.unwrap_or(30);
        if !(1..=366).contains(&days) {
            errors.push(
                FieldError::new("out_of_range", "Use 1 to 366 days.").at("voucher_valid_days"),
            );
        }
        errors.finish(|| CareSettingsFields {
            birthday_channel: self.birthday_channel,
            voucher_prefix: prefix,
            voucher_valid_days: i32::try_from(days).unwrap_or(30),
        })
    }
}

/// The tenant's care settings.
#[utoipa::path(
    tag = "care",
    security(("bearer" = [])),
    responses((status = 200, body = CareSettingsView))
)]
#[get("/care-settings")]
async fn get_settings(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let settings = db::run(&state.pool, move |conn| {
        Ok(care::get_care_settings(conn, auth.tenant_id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CareSettingsView::from(settings)))
}

/// Replaces the tenant's care settings (manager).
#[utoipa::path(
    tag = "care",
    security(("bearer" = [])),
    request_body = CareSettingsRequest,
    responses((status = 200, body = CareSettingsView), (status = 422, body = crate::error::Problem))
)]
#[put("/care-settings")]
async fn put_settings(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<CareSettingsRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fields = body.into_inner().validate()?;
    let settings = db::transaction(&state.pool, move |conn| {
        let settings = care::put_care_settings(conn, auth.tenant_id, &fields)?;
        audit::record(
            conn,
            &auth,
            "care_settings.update",
            "tenant",
            auth.tenant_id,
        )?;
        Ok(settings)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CareSettingsView::from(settings)))
}
