//! `/v1/tickets/{id}/attachments`: evidence (photos, documents) kept on a
//! ticket, private to staff. The file is the raw request body; its type is
//! recognised from its bytes (PNG, JPEG, GIF, WebP, PDF), up to 10 MiB.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::{DateTime, Utc};
use guestcare_db::tickets::{self, NewAttachment, TicketAttachment};
use guestcare_domain::{
    Permission, bounded_text,
    tickets::{MAX_EVIDENCE_BYTES, evidence_digest, evidence_type},
};
use serde::{Deserialize, Serialize};
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
    routes::{guests::actor, imports::read_body},
    state::AppState,
};

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(upload).service(list).service(download);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: Uuid,
    pub file_name: String,
    /// `image/png`, `image/jpeg`, `image/gif`, `image/webp` or `application/pdf`.
    pub content_type: String,
    pub byte_size: i32,
    pub created_at: DateTime<Utc>,
}

impl From<TicketAttachment> for AttachmentView {
    fn from(a: TicketAttachment) -> Self {
        AttachmentView {
            id: a.id,
            file_name: a.file_name,
            content_type: a.content_type,
            byte_size: a.byte_size,
            created_at: a.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentQuery {
    /// The file's name as staff see it (1–255 characters; default `evidence`).
    pub file_name: Option<String>,
}

/// Keeps a photo or document on the ticket. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), AttachmentQuery, ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses(
        (status = 201, body = AttachmentView),
        (status = 404, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem),
        (status = 415, body = crate::error::Problem),
    )
)]
#[post("/tickets/{id}/attachments")]
async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    query: ValidQuery<AttachmentQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let id = id.into_inner();
    let file_name = bounded_text(query.0.file_name.as_deref().unwrap_or("evidence"), 1, 255)
        .map_err(|e| e.at("query.file_name"))?;
    let tenant_id = auth.tenant_id;
    db::run(&state.pool, move |conn| {
        Ok(tickets::get_ticket(conn, tenant_id, id)?)
    })
    .await?;
    let bytes = read_body(&req, payload, MAX_EVIDENCE_BYTES).await?;
    let content_type = evidence_type(&bytes).ok_or_else(|| ApiError::UnsupportedContentType {
        detail: "Attach a photo (PNG, JPEG, GIF, WebP) or a PDF document.".to_owned(),
    })?;
    let fingerprint = Fingerprint::of(&req, &evidence_digest(&bytes));
    let actor_auth = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let new = NewAttachment {
            file_name: &file_name,
            content_type,
            bytes: &bytes,
            actor: actor(&actor_auth),
        };
        let row = tickets::add_attachment(conn, actor_auth.tenant_id, id, &new)?;
        audit::record(conn, &actor_auth, "ticket.attach", "ticket", id)?;
        Ok((StatusCode::CREATED, AttachmentView::from(row)))
    })
    .await
}

/// The ticket's attachments.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<AttachmentView>), (status = 404, body = crate::error::Problem))
)]
#[get("/tickets/{id}/attachments")]
async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let rows = db::run(&state.pool, move |conn| {
        tickets::get_ticket(conn, auth.tenant_id, id)?;
        Ok(tickets::list_attachments(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(AttachmentView::from)
            .collect::<Vec<_>>(),
    ))
}

/// The file itself, as a download.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("attachment_id" = Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = crate::error::Problem))
)]
#[get("/tickets/{id}/attachments/{attachment_id}")]
async fn download(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let (id, attachment_id) = path.into_inner();
    let (row, bytes) = db::run(&state.pool, move |conn| {
        Ok(tickets::get_attachment_bytes(
            conn,
            auth.tenant_id,
            id,
            attachment_id,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(row.content_type)
        .insert_header(("Content-Disposition", disposition(&row.file_name)))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

/// `attachment` with an ASCII `filename` and the exact UTF-8 name in
/// `filename*` (RFC 6266), so Vietnamese and Chinese names survive.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c == ' ' || (c.is_ascii_graphic() && c != '"' && c != '\\') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
