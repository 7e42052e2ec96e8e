//! A guest's timeline (newest first) and staff notes on it.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::{DateTime, Utc};
use guestcare_db::{
    guests,
    timeline::{self, NewEntry, TimelineEntry},
};
use guestcare_domain::{Permission, bounded_text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{actor, live_guest};
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
    cfg.service(list_timeline).service(add_note);
}

/// One contact with the guest.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntryView {
    pub id: Uuid,
    /// `guest.created`, `guest.updated` (intake changes and conflicts),
    /// `stay`, `stay.removed`, `note`, `consent.changed`, `tier.changed`,
    /// `guest.merged`, `guest.merge_reverted`; later also messages, calls,
    /// tickets and survey answers.
    pub kind: String,
    pub occurred_at: DateTime<Utc>,
    /// Details for display; depends on `kind`.
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
    /// The object the entry is about (a stay, a consent change, a merge).
    pub ref_id: Option<Uuid>,
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
}

impl From<TimelineEntry> for TimelineEntryView {
    fn from(e: TimelineEntry) -> Self {
        TimelineEntryView {
            id: e.id,
            kind: e.kind,
            occurred_at: e.occurred_at,
            summary: e.summary,
            ref_id: e.ref_id,
            actor_type: e.actor_type,
            actor_id: e.actor_id,
        }
    }
}

/// The guest's timeline, newest first (by when it happened).
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = PageOf<TimelineEntryView>), (status = 404, body = crate::error::Problem))
)]
#[get("/guests/{id}/timeline")]
async fn list_timeline(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    page: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let page = page.0.validate()?;
    let rows = db::run(&state.pool, move |conn| {
        guests::get_guest(conn, auth.tenant_id, id)?;
        Ok(timeline::list_timeline(
            conn,
            auth.tenant_id,
            id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(
        rows,
        page,
        |e| e.id,
        TimelineEntryView::from,
    )))
}

/// A staff note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    /// 1–4000 characters.
    pub text: String,
    /// When the contact happened (a call earlier today); default now.
    pub occurred_at: Option<DateTime<Utc>>,
}

/// Adds a note to the guest's timeline. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = NoteInput,
    responses(
        (status = 201, body = TimelineEntryView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/guests/{id}/notes")]
async fn add_note(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: ValidJson<NoteInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let id = id.into_inner();
    let note = body.into_inner();
    let text =
        bounded_text(&note.text, 1, 4000).map_err(|e| ApiError::Validation(e.at("text").into()))?;
    let caller = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        live_guest(conn, &caller, id)?;
        let entry = timeline::record(
            conn,
            caller.tenant_id,
            id,
            NewEntry {
                kind: "note",
                occurred_at: note.occurred_at.unwrap_or_else(Utc::now),
                summary: serde_json::json!({ "text": text }),
                ref_id: None,
                actor: actor(&caller),
            },
        )?;
        audit::record(conn, &caller, "guest.note", "guest", id)?;
        Ok((StatusCode::CREATED, TimelineEntryView::from(entry)))
    })
    .await
}
