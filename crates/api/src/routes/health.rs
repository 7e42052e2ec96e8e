//! Probes, metrics, the OpenAPI document and the docs page.

use actix_web::{HttpResponse, get, web};
use diesel::RunQueryDsl;
use guestcare_db::migrations;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{db, error::ApiError, openapi, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(healthz)
        .service(readyz)
        .service(metrics)
        .service(openapi_json)
        .service(docs);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// The process is alive (no dependencies checked).
#[utoipa::path(tag = "operations", responses((status = 200, body = Health)))]
#[get("/healthz")]
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers and every migration is applied; 503 otherwise.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = crate::error::Problem))
)]
#[get("/readyz")]
async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let pending = db::run(&state.pool, |conn| {
        diesel::sql_query("SELECT 1").execute(conn)?;
        migrations::pending_count(conn).map_err(|_| ApiError::Unavailable)
    })
    .await?;
    if pending > 0 {
        tracing::warn!(
            pending,
            "database schema is behind: run `guestcare migrate`"
        );
        return Err(ApiError::Unavailable);
    }
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(tag = "operations", responses((status = 200, content_type = "text/plain", body = String)))]
#[get("/metrics")]
async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(tag = "operations", responses((status = 200, content_type = "application/json", body = Object)))]
#[get("/openapi.json")]
async fn openapi_json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(state.openapi_json.as_str().to_owned())
}

/// A browsable page of the OpenAPI document; works offline.
#[utoipa::path(tag = "operations", responses((status = 200, content_type = "text/html", body = String)))]
#[get("/docs")]
async fn docs() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(openapi::DOCS_PAGE)
}
