//! The caller's tenant: read and (owner) update.

use actix_web::{HttpResponse, get, patch, web};
use chrono::{DateTime, Utc};
use guestcare_db::tenants::{self, Tenant, TenantChanges};
use guestcare_domain::{
    AllValid, Country, Language, Permission, TimeZone, ValidationErrors, bounded_text,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_tenant).service(update_tenant);
}

/// A tenant: one hotel, resort or B&B (or a group of them).
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    /// ISO 3166-1 alpha-2: guests of this nationality are domestic.
    pub country: String,
    /// `vi`, `en` or `zh-Hant`: used when a guest's language has no template.
    pub default_language: String,
    /// IANA time zone for schedules, e.g. `Asia/Ho_Chi_Minh`.
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
}

impl From<Tenant> for TenantView {
    fn from(t: Tenant) -> Self {
        TenantView {
            id: t.id,
            slug: t.slug,
            name: t.name,
            country: t.country,
            default_language: t.default_language,
            time_zone: t.time_zone,
            created_at: t.created_at,
        }
    }
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantUpdate {
    pub name: Option<String>,
    pub country: Option<String>,
    pub default_language: Option<String>,
    pub time_zone: Option<String>,
}

impl TenantUpdate {
    fn validate(self) -> Result<CleanTenantUpdate, ValidationErrors> {
        let (name, country, default_language, time_zone) = (
            self.name
                .map(|name| bounded_text(&name, 1, 200).map_err(|e| e.at("name")))
                .transpose(),
            self.country
                .map(|c| c.parse::<Country>().map_err(|e| e.at("country")))
                .transpose(),
            self.default_language
                .map(|l| l.parse::<Language>().map_err(|e| e.at("default_language")))
                .transpose(),
            self.time_zone
                .map(|z| z.parse::<TimeZone>().map_err(|e| e.at("time_zone")))
                .transpose(),
        )
            .all_valid()?;
        Ok(CleanTenantUpdate {
            name,
            country,
            default_language,
            time_zone,
        })
    }
}

/// Validated [`TenantUpdate`], in canonical forms.
struct CleanTenantUpdate {
    name: Option<String>,
    country: Option<Country>,
    default_language: Option<Language>,
    time_zone: Option<TimeZone>,
}

/// The caller's tenant.
#[utoipa::path(
    tag = "tenant",
    security(("bearer" = [])),
    responses(
        (status = 200, body = TenantView),
        (status = 401, body = crate::error::Problem),
    )
)]
#[get("/tenant")]
async fn get_tenant(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let tenant = db::run(&state.pool, move |conn| {
        Ok(tenants::get_tenant(conn, auth.tenant_id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TenantView::from(tenant)))
}

/// Changes the tenant's name, country, default language or time zone (owner).
#[utoipa::path(
    tag = "tenant",
    security(("bearer" = [])),
    request_body = TenantUpdate,
    responses(
        (status = 200, body = TenantView),
        (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/tenant")]
async fn update_tenant(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<TenantUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Administer)?;
    let update = body.into_inner().validate()?;
    let tenant = db::transaction(&state.pool, move |conn| {
        let country = update.country.map(|c| c.to_string());
        let changes = TenantChanges {
            name: update.name.as_deref(),
            country: country.as_deref(),
            default_language: update.default_language.map(Language::as_str),
            time_zone: update.time_zone.map(TimeZone::name),
        };
        let tenant = tenants::update_tenant(conn, auth.tenant_id, &changes)?;
        audit::record(conn, &auth, "tenant.update", "tenant", tenant.id)?;
        Ok(tenant)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TenantView::from(tenant)))
}
