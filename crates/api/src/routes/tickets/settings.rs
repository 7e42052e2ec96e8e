//! `/v1/tickets/settings`: the tenant's departments and complaint clocks.

use actix_web::{HttpResponse, get, put, web};
use chrono::Duration;
use diesel::PgConnection;
use guestcare_db::tickets::{self, TicketSettings};
use guestcare_domain::{
    FieldError, Permission, ValidationErrors,
    tickets::{clock::Policy, is_department_key},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::body::unknown_department;
use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_settings).service(put_settings);
}

/// Departments and complaint rules (defaults in brackets).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketSettingsBody {
    /// Keys of `a-z0-9_` [front_desk, housekeeping, food_beverage, sales,
    /// accounting, technical]; the first is the default department.
    pub departments: Vec<String>,
    /// First reply due within [48] hours of receipt (working time: the
    /// clock stands still while waiting for the guest).
    pub first_reply_hours: i64,
    /// Resolution due within [480] hours (20 days).
    pub resolution_hours: i64,
    /// Warn this many [12] hours before a clock runs out.
    pub warn_before_hours: i64,
    /// Service-quality complaints accepted within [90] days of the incident.
    pub service_window_days: i64,
    /// Business-matter complaints within [30] days.
    pub business_window_days: i64,
    /// The satisfaction e-mail [72] hours after resolution.
    pub satisfaction_after_hours: i64,
}

impl From<TicketSettings> for TicketSettingsBody {
    fn from(s: TicketSettings) -> Self {
        let p = s.policy;
        TicketSettingsBody {
            departments: s.departments,
            first_reply_hours: p.first_reply.num_hours(),
            resolution_hours: p.resolution.num_hours(),
            warn_before_hours: p.warn_before.num_hours(),
            service_window_days: p.service_window_days,
            business_window_days: p.business_window_days,
            satisfaction_after_hours: p.satisfaction_after.num_hours(),
        }
    }
}

impl TicketSettingsBody {
    fn validate(self) -> Result<TicketSettings, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if !(1..=50).contains(&self.departments.len()) {
            errors.push(
                FieldError::new("out_of_range", "Give 1 to 50 departments.").at("departments"),
            );
        }
        for (i, d) in self.departments.iter().enumerate() {
            if !is_department_key(d) {
                errors.push(
                    FieldError::new("invalid_department", "Use 1–32 of a-z, 0-9 and _.")
                        .at(format!("departments[{i}]")),
                );
            }
        }
        let mut within = |field: &str, value: i64, min: i64, max: i64| {
            if !(min..=max).contains(&value) {
                errors.push(
                    FieldError::new("out_of_range", format!("Use {min} to {max}.")).at(field),
                );
            }
            value
        };
        let policy = Policy {
            first_reply: Duration::hours(within(
                "first_reply_hours",
                self.first_reply_hours,
                1,
                8760,
            )),
            resolution: Duration::hours(within("resolution_hours", self.resolution_hours, 1, 8760)),
            warn_before: Duration::hours(within(
                "warn_before_hours",
                self.warn_before_hours,
                0,
                8760,
            )),
            service_window_days: within("service_window_days", self.service_window_days, 1, 3650),
            business_window_days: within(
                "business_window_days",
                self.business_window_days,
                1,
                3650,
            ),
            satisfaction_after: Duration::hours(within(
                "satisfaction_after_hours",
                self.satisfaction_after_hours,
                1,
                8760,
            )),
        };
        errors.finish(|| TicketSettings {
            departments: self.departments,
            policy,
        })
    }
}

/// The tenant's ticket settings.
#[utoipa::path(tag = "tickets", security(("bearer" = [])), responses((status = 200, body = TicketSettingsBody)))]
#[get("/tickets/settings")]
async fn get_settings(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let settings = db::run(&state.pool, move |conn| {
        Ok(tickets::get_ticket_settings(conn, auth.tenant_id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TicketSettingsBody::from(settings)))
}

/// Replaces the tenant's ticket settings (managers). Running clocks use
/// the new budgets from the next scan.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    request_body = TicketSettingsBody,
    responses((status = 200, body = TicketSettingsBody), (status = 422, body = crate::error::Problem))
)]
#[put("/tickets/settings")]
async fn put_settings(
    state: web::Data<AppState>,
    auth: Auth,
    body: ValidJson<TicketSettingsBody>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let settings = body.into_inner().validate()?;
    let stored = db::transaction(&state.pool, move |conn| {
        tickets::put_ticket_settings(conn, auth.tenant_id, &settings)?;
        audit::record(
            conn,
            &auth,
            "ticket_settings.update",
            "tenant",
            auth.tenant_id,
        )?;
        Ok(tickets::get_ticket_settings(conn, auth.tenant_id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TicketSettingsBody::from(stored)))
}

/// 422 at `department` unless it is one of the tenant's departments.
pub(super) fn check_department(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    department: Option<&str>,
) -> Result<(), ApiError> {
    let Some(department) = department else {
        return Ok(());
    };
    let settings = tickets::get_ticket_settings(conn, tenant_id)?;
    if settings.departments.iter().any(|d| d == department) {
        Ok(())
    } else {
        Err(unknown_department().at("department").into())
    }
}
