//! `/v1/canned-responses`: reusable answers with template variables
//! (`{{ guest.given_name }}`, `{{ tenant.name }}`, `{{ extra.ticket_number }}`,
//! `{{ extra.agent_name }}`), checked on save like message templates and
//! rendered per ticket by `POST /v1/tickets/{id}/replies` with
//! `canned_response_id`.

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, post, put, web};
use chrono::{DateTime, Utc};
use guestcare_db::tickets::{self, CannedResponse, canned_content};
use guestcare_domain::{
    Language, Permission, ValidationErrors, bounded_text,
    templates::{self, Purpose},
};
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

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get_one)
        .service(update)
        .service(remove);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CannedView {
    pub id: Uuid,
    pub name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CannedResponse> for CannedView {
    fn from(c: CannedResponse) -> Self {
        CannedView {
            id: c.id,
            name: c.name,
            body: c.body,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CannedRequest {
    /// 1–100 characters, unique in the tenant.
    pub name: String,
    /// 1–1600 characters of template text (the `ticket_reply` variables).
    pub body: String,
}

impl CannedRequest {
    fn validate(self) -> Result<(String, String), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check("name", bounded_text(&self.name, 1, 100));
        if let Err(found) = templates::validate(
            Purpose::TicketReply,
            Language::Vi,
            &canned_content(&self.body),
        ) {
            for error in found.errors() {
                errors.push(error.clone());
            }
        }
        errors.finish(|| (name.unwrap_or_default(), self.body))
    }
}

/// The tenant's canned responses.
#[utoipa::path(tag = "tickets", security(("bearer" = [])), params(PageQuery), responses((status = 200, body = PageOf<CannedView>)))]
#[get("/canned-responses")]
async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    page: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = page.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(tickets::list_canned(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |c| c.id, CannedView::from)))
}

/// Adds a canned response (managers). Honours `Idempotency-Key`; a name in
/// use is 409.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    request_body = CannedRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = CannedView), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/canned-responses")]
async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<CannedRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let (name, text) = body.into_inner().validate()?;
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let row = tickets::insert_canned(conn, actor.tenant_id, &name, &text)?;
        audit::record(
            conn,
            &actor,
            "canned_response.create",
            "canned_response",
            row.id,
        )?;
        Ok((StatusCode::CREATED, CannedView::from(row)))
    })
    .await
}

/// One canned response.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = CannedView), (status = 404, body = crate::error::Problem))
)]
#[get("/canned-responses/{id}")]
async fn get_one(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(tickets::get_canned(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CannedView::from(row)))
}

/// Replaces a canned response's name and body (managers).
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = CannedRequest,
    responses((status = 200, body = CannedView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[put("/canned-responses/{id}")]
async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<CannedRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let id = id.into_inner();
    let (name, text) = body.into_inner().validate()?;
    let row = db::transaction(&state.pool, move |conn| {
        let row = tickets::update_canned(conn, auth.tenant_id, id, &name, &text)?;
        audit::record(conn, &auth, "canned_response.update", "canned_response", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CannedView::from(row)))
}

/// Deletes a canned response (managers).
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/canned-responses/{id}")]
async fn remove(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    audit::delete_audited(
        &state,
        auth,
        id.into_inner(),
        tickets::delete_canned,
        "canned_response.delete",
        "canned_response",
    )
    .await
}
