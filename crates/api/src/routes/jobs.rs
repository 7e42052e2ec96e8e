//! `/v1/jobs`: a manager's view of the tenant's queued work, with cancel
//! and retry.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use guestcare_db::jobs::{self, JobFilter, JobRow};
use guestcare_domain::{FieldError, Permission};
use guestcare_jobs::store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::ValidQuery,
    pagination::{PageOf, PageQuery},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_jobs)
        .service(get_job)
        .service(cancel_job)
        .service(retry_job);
}

/// One job of the tenant.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    pub id: Uuid,
    pub queue: String,
    /// What runs, e.g. `send_email`.
    pub kind: String,
    /// Ids of what the job acts on, never the data itself.
    pub payload: serde_json::Value,
    /// `pending`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    pub priority: i16,
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    pub dedupe_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<JobRow> for JobView {
    fn from(j: JobRow) -> Self {
        JobView {
            id: j.id,
            queue: j.queue,
            kind: j.kind,
            payload: j.payload,
            status: j.status,
            priority: j.priority,
            run_at: j.run_at,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            last_error: j.last_error,
            dedupe_key: j.dedupe_key,
            created_at: j.created_at,
            started_at: j.started_at,
            finished_at: j.finished_at,
        }
    }
}

/// Filters on the job list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobQuery {
    /// `pending`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: Option<String>,
    pub queue: Option<String>,
    pub kind: Option<String>,
}

const STATUSES: [&str; 5] = ["pending", "running", "succeeded", "failed", "cancelled"];

/// The tenant's jobs, newest first (manager).
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(PageQuery, JobQuery),
    responses(
        (status = 200, body = PageOf<JobView>),
        (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[get("/jobs")]
async fn list_jobs(
    state: web::Data<AppState>,
    auth: Auth,
    page: ValidQuery<PageQuery>,
    query: ValidQuery<JobQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let page = page.0.validate()?;
    let query = query.into_inner();
    if let Some(status) = &query.status
        && !STATUSES.contains(&status.as_str())
    {
        return Err(FieldError::new(
            "invalid_status",
            format!("must be one of {}", STATUSES.join(", ")),
        )
        .at("status")
        .into());
    }
    let filter = JobFilter {
        status: query.status,
        queue: query.queue,
        kind: query.kind,
    };
    let rows = db::run(&state.pool, move |conn| {
        Ok(jobs::list_jobs(
            conn,
            auth.tenant_id,
            &filter,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |j| j.id, JobView::from)))
}

/// One job (manager).
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = JobView), (status = 404, body = crate::error::Problem))
)]
#[get("/jobs/{id}")]
async fn get_job(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let job = db::run(&state.pool, move |conn| {
        Ok(jobs::get_job(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(JobView::from(job)))
}

/// Cancels a pending job (manager); 409 if it is no longer pending.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = JobView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
    )
)]
#[post("/jobs/{id}/cancel")]
async fn cancel_job(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    transition(state, auth, id.into_inner(), Transition::Cancel).await
}

/// Puts a failed job back in the queue with a fresh set of attempts
/// (manager); 409 if it has not failed.
#[utoipa::path(
    tag = "jobs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, body = JobView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
    )
)]
#[post("/jobs/{id}/retry")]
async fn retry_job(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    transition(state, auth, id.into_inner(), Transition::Retry).await
}

#[derive(Debug, Clone, Copy)]
enum Transition {
    Cancel,
    Retry,
}

/// Applies a manager's transition in one transaction, audited.
async fn transition(
    state: web::Data<AppState>,
    auth: Auth,
    id: Uuid,
    transition: Transition,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let job = db::transaction(&state.pool, move |conn| {
        let current = jobs::get_job(conn, auth.tenant_id, id)?;
        let (changed, action, needed) = match transition {
            Transition::Cancel => (
                store::cancel(conn, Some(auth.tenant_id), id)?,
                "job.cancel",
                "pending",
            ),
            Transition::Retry => (
                store::retry(conn, Some(auth.tenant_id), id)?,
                "job.retry",
                "failed",
            ),
        };
        if !changed {
            return Err(ApiError::Conflict {
                code: "job_state",
                detail: format!(
                    "The job is {}; only a {needed} job can be changed this way.",
                    current.status
                ),
            });
        }
        audit::record(conn, &auth, action, "job", id)?;
        Ok(jobs::get_job(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(JobView::from(job)))
}
