//! Images for e-mails: uploaded as the raw request body, stored in Postgres
//! with their SHA-256, served publicly under an unguessable token for hosted
//! images, and embedded inline by senders where a template says `cid:{id}`.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, http::header, post, web};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use guestcare_db::{assets, new_id, tenants};
use guestcare_domain::{
    Permission, bounded_text,
    templates::{IMAGE_TYPES, sniff_image},
};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidQuery},
    idempotent::{self, Fingerprint},
    state::AppState,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(upload_asset).service(get_asset);
}

/// The public route for hosted images, outside `/v1`.
pub fn configure_public(cfg: &mut ServiceConfig) {
    cfg.service(public_asset);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file name shown to staff and used for attachments (default
    /// `image`).
    pub file_name: Option<String>,
}

/// An uploaded image.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssetView {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub byte_size: i32,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// Public URL for hosted images (`<img src="…">`).
    pub url: String,
    /// The `src` that embeds the image inline in a template's HTML.
    pub cid: String,
    pub created_at: DateTime<Utc>,
}

fn view(asset: assets::Asset, public_url: &str, slug: &str) -> AssetView {
    AssetView {
        url: format!(
            "{}/a/{slug}/{}",
            public_url.trim_end_matches('/'),
            asset.public_token
        ),
        cid: format!("cid:{}", asset.id),
        id: asset.id,
        file_name: asset.file_name,
        content_type: asset.content_type,
        byte_size: asset.byte_size,
        sha256: asset.sha256.iter().map(|b| format!("{b:02x}")).collect(),
        created_at: asset.created_at,
    }
}

/// Uploads an image (manager): the body is the file, `Content-Type` one of
/// `image/png`, `image/jpeg`, `image/gif`, `image/webp` and matching the
/// file's first bytes; larger than `templates.max_asset_bytes` answers 413.
/// Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(UploadQuery, ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses(
        (status = 201, body = AssetView),
        (status = 413, body = crate::error::Problem),
        (status = 415, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/assets")]
async fn upload_asset(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    query: ValidQuery<UploadQuery>,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let declared = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let content_type = IMAGE_TYPES
        .into_iter()
        .find(|t| *t == declared)
        .ok_or(ApiError::UnsupportedMediaType)?;
    let file_name = bounded_text(query.0.file_name.as_deref().unwrap_or("image"), 1, 200)
        .map_err(|e| e.at("query.file_name"))?;
    let limit = state.settings.templates.max_asset_bytes;
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::BadRequest {
            code: "body_read_failed",
            detail: "The request body could not be read.".to_owned(),
        })?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    if sniff_image(&bytes) != Some(content_type) {
        return Err(ApiError::field(
            "body",
            "content_mismatch",
            format!("The file is not a {content_type} image."),
        ));
    }
    let sha256: [u8; 32] = Sha256::digest(&bytes).into();
    let fingerprint = Fingerprint::of(&req, &sha256);
    let byte_size = i32::try_from(bytes.len()).map_err(|_| ApiError::PayloadTooLarge)?;
    let public_url = state.settings.api.public_url.clone();
    let actor = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let mut token = [0u8; 24];
        rand::rng().fill(&mut token);
        let token = URL_SAFE_NO_PAD.encode(token);
        let tenant = tenants::get_tenant(conn, actor.tenant_id)?;
        let asset = assets::insert_asset(
            conn,
            actor.tenant_id,
            &assets::NewAsset {
                id: new_id(),
                public_token: &token,
                file_name: &file_name,
                content_type,
                byte_size,
                sha256: &sha256,
                bytes: &bytes,
            },
        )?;
        audit::record(conn, &actor, "asset.create", "asset", asset.id)?;
        Ok((StatusCode::CREATED, view(asset, &public_url, &tenant.slug)))
    })
    .await
}

/// An asset's metadata, with its public URL and `cid:` reference.
#[utoipa::path(
    tag = "templates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = AssetView), (status = 404, body = crate::error::Problem))
)]
#[get("/assets/{id}")]
async fn get_asset(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let (asset, tenant) = db::run(&state.pool, move |conn| {
        Ok((
            assets::get_asset(conn, auth.tenant_id, id)?,
            tenants::get_tenant(conn, auth.tenant_id)?,
        ))
    })
    .await?;
    let public_url = &state.settings.api.public_url;
    Ok(HttpResponse::Ok().json(view(asset, public_url, &tenant.slug)))
}

/// A hosted image, without authentication: e-mail clients load it from
/// here. The token in the path is the only secret; unknown paths answer 404.
#[utoipa::path(
    tag = "templates",
    params(("tenant" = String, Path), ("token" = String, Path)),
    responses(
        (status = 200, content_type = "image/png", body = Vec<u8>),
        (status = 404, body = crate::error::Problem),
    )
)]
#[get("/a/{tenant}/{token}")]
async fn public_asset(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, token) = path.into_inner();
    let file = db::run(&state.pool, move |conn| {
        Ok(assets::get_public_asset(conn, &slug, &token)?)
    })
    .await?;
    let etag: String = file.sha256.iter().map(|b| format!("{b:02x}")).collect();
    Ok(HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::ETAG, format!("\"{etag}\"")))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"))
        .body(file.bytes))
}
