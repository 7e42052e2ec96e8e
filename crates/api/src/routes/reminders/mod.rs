//! `/v1/reminder-rules`: date-relative reminder schedules (steps at day or
//! month offsets from a guest date, a stay's check-out, the last stay or the
//! care period's end) and event-relative steps (hours after an event).
//! Saving an active rule makes sure the tenant's daily automation schedule
//! exists.

mod body;

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, patch, post, web};
use chrono::Utc;
use diesel::PgConnection;
use guestcare_db::{
    new_id,
    reminders::{self, RuleFields},
};
use guestcare_domain::{
    Permission,
    reminders::{Rule, RuleParts, StepSpec},
};
use guestcare_jobs::schedule::ScheduleError;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use body::{NewReminderRule, ReminderRuleUpdate, ReminderRuleView};

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
    cfg.service(list_rules)
        .service(create_rule)
        .service(get_rule)
        .service(update_rule)
        .service(delete_rule);
}

/// Makes sure the tenant's daily run exists once it has an active rule.
fn ensure_schedule(conn: &mut PgConnection, auth: &Auth, active: bool) -> Result<(), ApiError> {
    if !active {
        return Ok(());
    }
    reminders::ensure_daily_schedule(conn, auth.tenant_id, Utc::now()).map_err(|e| match e {
        ScheduleError::Database(e) => ApiError::from(e),
        other => ApiError::internal(other),
    })
}

fn validate(
    name: &str,
    anchor: &str,
    key: Option<&str>,
    steps: &[StepSpec],
) -> Result<Rule, ApiError> {
    Ok(RuleParts {
        name,
        anchor,
        anchor_key: key,
        steps,
    }
    .validate()?)
}

/// The tenant's reminder rules, paused ones included.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<ReminderRuleView>))
)]
#[get("/reminder-rules")]
async fn list_rules(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(reminders::list_rules(
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
        |r| r.id,
        ReminderRuleView::from,
    )))
}

/// Adds a rule (manager). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    request_body = NewReminderRule,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses(
        (status = 201, body = ReminderRuleView),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/reminder-rules")]
async fn create_rule(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewReminderRule>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let rule = validate(
        &request.name,
        &request.anchor,
        request.anchor_key.as_deref(),
        &request.steps,
    )?;
    let (stop, active) = (
        request.stop_on_new_stay.unwrap_or(false),
        request.active.unwrap_or(true),
    );
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let fields = RuleFields::new(&rule, stop, active);
        let row = reminders::insert_rule(conn, actor.tenant_id, new_id(), &fields)?;
        ensure_schedule(conn, &actor, active)?;
        audit::record(
            conn,
            &actor,
            "reminder_rule.create",
            "reminder_rule",
            row.id,
        )?;
        Ok((StatusCode::CREATED, ReminderRuleView::from(row)))
    })
    .await
}

/// One rule.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ReminderRuleView), (status = 404, body = crate::error::Problem))
)]
#[get("/reminder-rules/{id}")]
async fn get_rule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(reminders::get_rule(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ReminderRuleView::from(row)))
}

/// Changes a rule (manager). Steps already sent are not sent again; a
/// changed offset is a new step.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = ReminderRuleUpdate,
    responses(
        (status = 200, body = ReminderRuleView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/reminder-rules/{id}")]
async fn update_rule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<ReminderRuleUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let row = db::transaction(&state.pool, move |conn| {
        let current = reminders::get_rule(conn, auth.tenant_id, id)?;
        let anchor_key = match (&update.anchor, &update.anchor_key) {
            (Some(_), key) | (None, key @ Some(_)) => key.clone(),
            (None, None) => current.anchor_key.clone(),
        };
        let steps = update.steps.unwrap_or_else(|| current.step_specs());
        let rule = validate(
            update.name.as_deref().unwrap_or(&current.name),
            update.anchor.as_deref().unwrap_or(&current.anchor),
            anchor_key.as_deref(),
            &steps,
        )?;
        let active = update.active.unwrap_or(current.active);
        let fields = RuleFields::new(
            &rule,
            update.stop_on_new_stay.unwrap_or(current.stop_on_new_stay),
            active,
        );
        let row = reminders::update_rule(conn, auth.tenant_id, id, &fields)?;
        ensure_schedule(conn, &auth, active)?;
        audit::record(conn, &auth, "reminder_rule.update", "reminder_rule", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ReminderRuleView::from(row)))
}

/// Deletes a rule (manager). Armed event steps of the rule send nothing.
#[utoipa::path(
    tag = "automations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/reminder-rules/{id}")]
async fn delete_rule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    audit::delete_audited(
        &state,
        auth,
        id.into_inner(),
        reminders::delete_rule,
        "reminder_rule.delete",
        "reminder_rule",
    )
    .await
}
