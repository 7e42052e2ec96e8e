//! `/v1/contact-plans`: periodic contact plans per segment ("every 14 days
//! for VIP guests"). The daily run creates a call task for each guest of the
//! segment on the guest's day in each period, never more often.

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, patch, post, web};
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use guestcare_db::{
    contact_plans::{self, ContactPlan, PlanFields},
    new_id, reminders, segments,
};
use guestcare_domain::{AllValid, FieldError, Permission, bounded_text};
use guestcare_jobs::schedule::ScheduleError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

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
    cfg.service(list_plans)
        .service(create_plan)
        .service(get_plan)
        .service(update_plan)
        .service(delete_plan);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactPlanView {
    pub id: Uuid,
    pub name: String,
    pub segment_id: Uuid,
    /// Each guest of the segment gets one call task per this many days.
    pub every_days: i32,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ContactPlan> for ContactPlanView {
    fn from(p: ContactPlan) -> Self {
        ContactPlanView {
            id: p.id,
            name: p.name,
            segment_id: p.segment_id,
            every_days: p.every_days,
            active: p.active,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContactPlan {
    /// 1–200 characters.
    pub name: String,
    /// One of the tenant's segments.
    pub segment_id: Uuid,
    /// 1–366.
    pub every_days: i64,
    /// Default `true`.
    pub active: Option<bool>,
}

/// Fields to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPlanUpdate {
    pub name: Option<String>,
    pub segment_id: Option<Uuid>,
    pub every_days: Option<i64>,
    pub active: Option<bool>,
}

/// Validates a plan's fields and saves them through `write`, checking the
/// segment is the tenant's and making sure the daily run exists.
fn save(
    conn: &mut PgConnection,
    auth: &Auth,
    (name, segment_id, every_days, active): (&str, Uuid, i64, bool),
    write: impl FnOnce(&mut PgConnection, &PlanFields<'_>) -> diesel::QueryResult<ContactPlan>,
) -> Result<ContactPlan, ApiError> {
    let segment = match segments::get_segment(conn, auth.tenant_id, segment_id) {
        Ok(_) => Ok(segment_id),
        Err(diesel::result::Error::NotFound) => Err(FieldError::new(
            "unknown_segment",
            "No segment of yours has this id.",
        )
        .at("segment_id")),
        Err(e) => return Err(e.into()),
    };
    let every = i32::try_from(every_days)
        .ok()
        .filter(|d| (1..=366).contains(d))
        .ok_or_else(|| {
            FieldError::new("out_of_range", "Must be between 1 and 366.").at("every_days")
        });
    let (name, segment_id, every_days) = (
        bounded_text(name, 1, 200).map_err(|e| e.at("name")),
        segment,
        every,
    )
        .all_valid()?;
    let row = write(
        conn,
        &PlanFields {
            name: &name,
            segment_id,
            every_days,
            active,
        },
    )?;
    if active {
        reminders::ensure_daily_schedule(conn, auth.tenant_id, Utc::now()).map_err(
            |e| match e {
                ScheduleError::Database(e) => ApiError::from(e),
                other => ApiError::internal(other),
            },
        )?;
    }
    Ok(row)
}

/// The tenant's contact plans, paused ones included.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<ContactPlanView>))
)]
#[get("/contact-plans")]
async fn list_plans(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(contact_plans::list_plans(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(
        rows,
        page,
        |p| p.id,
        ContactPlanView::from,
    )))
}

/// Adds a plan (manager). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    request_body = NewContactPlan,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = ContactPlanView),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/contact-plans")]
async fn create_plan(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewContactPlan>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let fields = (
            request.name.as_str(),
            request.segment_id,
            request.every_days,
            request.active.unwrap_or(true),
        );
        let row = save(conn, &actor, fields, |conn, fields| {
            contact_plans::insert_plan(conn, actor.tenant_id, new_id(), fields)
        })?;
        audit::record(conn, &actor, "contact_plan.create", "contact_plan", row.id)?;
        Ok((StatusCode::CREATED, ContactPlanView::from(row)))
    })
    .await
}

/// One plan.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ContactPlanView), (status = 404, body = crate::error::Problem))
)]
#[get("/contact-plans/{id}")]
async fn get_plan(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(contact_plans::get_plan(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ContactPlanView::from(row)))
}

/// Changes a plan (manager).
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = ContactPlanUpdate,
    responses(
        (status = 200, body = ContactPlanView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/contact-plans/{id}")]
async fn update_plan(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<ContactPlanUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let row = db::transaction(&state.pool, move |conn| {
        let current = contact_plans::get_plan(conn, auth.tenant_id, id)?;
        let fields = (
            update.name.as_deref().unwrap_or(&current.name),
            update.segment_id.unwrap_or(current.segment_id),
            update.every_days.unwrap_or(current.every_days.into()),
            update.active.unwrap_or(current.active),
        );
        let row = save(conn, &auth, fields, |conn, fields| {
            contact_plans::update_plan(conn, auth.tenant_id, id, fields)
        })?;
        audit::record(conn, &auth, "contact_plan.update", "contact_plan", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ContactPlanView::from(row)))
}

/// Deletes a plan (manager); the tasks it created stay.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/contact-plans/{id}")]
async fn delete_plan(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    audit::delete_audited(
        &state,
        auth,
        id.into_inner(),
        contact_plans::delete_plan,
        "contact_plan.delete",
        "contact_plan",
    )
    .await
}
