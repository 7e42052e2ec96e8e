//! `/v1/schedules`: the tenant's recurring work (e.g. the daily birthday
//! scan at 07:00 in the hotel's time zone), listed and retimed by managers.
//! Features create their schedules; the API lets a manager change when they
//! run or pause them.

use actix_web::{HttpResponse, get, patch, web};
use chrono::{DateTime, Utc};
use guestcare_db::jobs::{self, ScheduleRow};
use guestcare_domain::{AllValid, FieldError, Permission, TimeZone};
use guestcare_jobs::schedule::{self, CronExpr, NewSchedule, ScheduleError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{ValidJson, ValidQuery},
    pagination::{PageOf, PageQuery},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_schedules).service(update_schedule);
}

/// One recurring piece of work.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleView {
    pub id: Uuid,
    /// A stable key, e.g. `birthday_scan`.
    pub name: String,
    /// Five fields (minute hour day month weekday) or six with seconds.
    pub cron: String,
    /// The IANA zone the expression is read in.
    pub time_zone: String,
    pub queue: String,
    pub kind: String,
    pub active: bool,
    /// The next occurrence that will be enqueued.
    pub next_run_at: DateTime<Utc>,
    pub last_occurrence_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl From<ScheduleRow> for ScheduleView {
    fn from(s: ScheduleRow) -> Self {
        ScheduleView {
            id: s.id,
            name: s.name,
            cron: s.cron,
            time_zone: s.time_zone,
            queue: s.queue,
            kind: s.kind,
            active: s.active,
            next_run_at: s.next_run_at,
            last_occurrence_at: s.last_occurrence_at,
            updated_at: s.updated_at,
        }
    }
}

/// A change to a schedule; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleUpdate {
    pub cron: Option<String>,
    pub time_zone: Option<String>,
    pub active: Option<bool>,
}

/// The tenant's schedules (manager).
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<ScheduleView>), (status = 403, body = crate::error::Problem))
)]
#[get("/schedules")]
async fn list_schedules(
    state: web::Data<AppState>,
    auth: Auth,
    page: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let page = page.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(jobs::list_schedules(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |s| s.id, ScheduleView::from)))
}

/// Retimes or pauses a schedule (manager). A new expression or zone starts
/// from its first occurrence after now; occurrences already enqueued stay.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = ScheduleUpdate,
    responses(
        (status = 200, body = ScheduleView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/schedules/{id}")]
async fn update_schedule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<ScheduleUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let (cron, time_zone) = (
        update
            .cron
            .map(|cron| {
                cron.parse::<CronExpr>()
                    .map(|_| cron)
                    .map_err(|e| FieldError::new("invalid_cron", e).at("cron"))
            })
            .transpose(),
        update
            .time_zone
            .map(|zone| zone.parse::<TimeZone>().map_err(|e| e.at("time_zone")))
            .transpose(),
    )
        .all_valid()?;
    let saved = db::transaction(&state.pool, move |conn| {
        let current = jobs::lock_schedule(conn, auth.tenant_id, id)?;
        let zone = match time_zone {
            Some(zone) => zone.tz(),
            None => current
                .time_zone
                .parse::<TimeZone>()
                .map_err(ApiError::internal)?
                .tz(),
        };
        let replacement = NewSchedule {
            tenant_id: Some(auth.tenant_id),
            name: current.name,
            cron: cron.unwrap_or(current.cron),
            time_zone: zone,
            queue: current.queue,
            kind: current.kind,
            payload: current.payload,
            active: update.active.unwrap_or(current.active),
        };
        schedule::upsert(conn, &replacement, Utc::now()).map_err(|error| match error {
            ScheduleError::Database(e) => ApiError::from(e),
            other => FieldError::new("invalid_cron", other.to_string())
                .at("cron")
                .into(),
        })?;
        audit::record(conn, &auth, "schedule.update", "schedule", id)?;
        Ok(jobs::lock_schedule(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ScheduleView::from(saved)))
}
