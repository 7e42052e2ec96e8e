//! API keys for integrations: shown once, stored hashed, revocable.

use actix_web::{HttpRequest, HttpResponse, delete, get, http::StatusCode, post, web};
use chrono::{DateTime, Utc};
use guestcare_db::credentials::{self, ApiKey};
use guestcare_domain::{AllValid, Permission, Role, bounded_text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{
    audit,
    auth::{Auth, issue},
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson, ValidQuery},
    idempotent::{self, Fingerprint},
    pagination::{PageOf, PageQuery},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_api_keys)
        .service(create_api_key)
        .service(revoke_api_key);
}

/// An API key without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    pub id: Uuid,
    pub name: String,
    /// The public start of the key (`gck_xxxxxxxx`), to tell keys apart.
    pub prefix: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<ApiKey> for ApiKeyView {
    type Error = ApiError;

    fn try_from(k: ApiKey) -> Result<Self, ApiError> {
        Ok(ApiKeyView {
            id: k.id,
            role: k
                .role
                .parse()
                .map_err(|e: guestcare_domain::FieldError| ApiError::internal(e))?,
            name: k.name,
            prefix: k.prefix,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKeyRequest {
    /// What the key is for, e.g. `PMS nightly export`.
    pub name: String,
    /// The key's role; at most the creator's own.
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyCreated {
    pub api_key: ApiKeyView,
    /// The secret, shown only in this answer: store it now. A retry with the
    /// same `Idempotency-Key` returns `null` here, because secrets are never
    /// stored in clear.
    pub token: Option<String>,
}

/// Lists the tenant's API keys, revoked ones included.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = PageOf<ApiKeyView>), (status = 403, body = crate::error::Problem))
)]
#[get("/api-keys")]
async fn list_api_keys(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::ManageKeys)?;
    let page = query.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(credentials::list_api_keys(
            conn,
            auth.tenant_id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    let views = rows
        .into_iter()
        .map(ApiKeyView::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(views, page, |k| k.id, |k| k)))
}

/// Creates an API key. Its secret is in this answer only.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    request_body = NewApiKeyRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = ApiKeyCreated), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/api-keys")]
async fn create_api_key(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::ManageKeys)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let (name, role) = (
        bounded_text(&request.name, 1, 200).map_err(|e| e.at("name")),
        request.role.parse::<Role>().map_err(|e| e.at("role")),
    )
        .all_valid()?;
    if !auth.role.can_grant(role) {
        return Err(ApiError::Forbidden);
    }
    let actor = auth.clone();
    let mut response = idempotent::respond_redacted(
        &state,
        &auth,
        key,
        fingerprint,
        move |conn| {
            let (api_key, token) =
                issue::create_api_key(conn, actor.tenant_id, &name, role, actor.user_id())?;
            audit::record(conn, &actor, "api_key.create", "api_key", api_key.id)?;
            Ok((
                StatusCode::CREATED,
                ApiKeyCreated {
                    api_key: api_key.try_into()?,
                    token: Some(token),
                },
            ))
        },
        |stored| {
            if let Some(token) = stored.get_mut("token") {
                *token = serde_json::Value::Null;
            }
        },
    )
    .await?;
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// Revokes an API key; it stops working at once.
#[utoipa::path(
    tag = "api-keys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ApiKeyView), (status = 404, body = crate::error::Problem))
)]
#[delete("/api-keys/{id}")]
async fn revoke_api_key(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::ManageKeys)?;
    let id = id.into_inner();
    let key = db::transaction(&state.pool, move |conn| {
        let current = credentials::get_api_key(conn, auth.tenant_id, id)?;
        let role: Role = current
            .role
            .parse()
            .map_err(|e: guestcare_domain::FieldError| ApiError::internal(e))?;
        if !auth.role.can_grant(role) {
            return Err(ApiError::Forbidden);
        }
        let key = credentials::revoke_api_key(conn, auth.tenant_id, id)?;
        audit::record(conn, &auth, "api_key.revoke", "api_key", key.id)?;
        Ok(key)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ApiKeyView::try_from(key)?))
}
