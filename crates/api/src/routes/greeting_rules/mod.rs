//! `/v1/greeting-rules`: which occasion greets which guests, on which
//! channel, at which local hour. Every tenant starts with the resort
//! defaults (international occasions to all guests by SMS; the country's New
//! Year and National Day to domestic guests); the hourly greeting run
//! (`guestcare_db::care::run_greetings`) sends them.

mod body;

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, patch, post, web};
use guestcare_db::{care, new_id};
use guestcare_domain::Permission;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use body::{GreetingRuleRequest, GreetingRuleView};

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

/// The tenant's greeting rules.
#[utoipa::path(
    tag = "care",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<GreetingRuleView>))
)]
#[get("/greeting-rules")]
async fn list_rules(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(care::list_greeting_rules(
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
        GreetingRuleView::from,
    )))
}

/// Adds a rule (manager). Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "care",
    security(("bearer" = [])),
    request_body = GreetingRuleRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = GreetingRuleView), (status = 422, body = crate::error::Problem))
)]
#[post("/greeting-rules")]
async fn create_rule(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<GreetingRuleRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let fields = request.fields(conn, actor.tenant_id, None)?;
        let row = care::insert_greeting_rule(conn, actor.tenant_id, new_id(), &fields)?;
        audit::record(
            conn,
            &actor,
            "greeting_rule.create",
            "greeting_rule",
            row.id,
        )?;
        Ok((StatusCode::CREATED, GreetingRuleView::from(row)))
    })
    .await
}

/// One rule.
#[utoipa::path(
    tag = "care",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = GreetingRuleView), (status = 404, body = crate::error::Problem))
)]
#[get("/greeting-rules/{id}")]
async fn get_rule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(care::get_greeting_rule(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(GreetingRuleView::from(row)))
}

/// Changes a rule (manager); absent fields stay as they are.
#[utoipa::path(
    tag = "care",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = GreetingRuleRequest,
    responses(
        (status = 200, body = GreetingRuleView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[patch("/greeting-rules/{id}")]
async fn update_rule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<GreetingRuleRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let request = body.into_inner();
    let row = db::transaction(&state.pool, move |conn| {
        let current = care::get_greeting_rule(conn, auth.tenant_id, id)?;
        let fields = request.fields(conn, auth.tenant_id, Some(current))?;
        let row = care::update_greeting_rule(conn, auth.tenant_id, id, &fields)?;
        audit::record(conn, &auth, "greeting_rule.update", "greeting_rule", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(GreetingRuleView::from(row)))
}

/// Deletes a rule (manager). To pause it, set `active` to `false`.
#[utoipa::path(
    tag = "care",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/greeting-rules/{id}")]
async fn delete_rule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    audit::delete_audited(
        &state,
        auth,
        id.into_inner(),
        care::delete_greeting_rule,
        "greeting_rule.delete",
        "greeting_rule",
    )
    .await
}
