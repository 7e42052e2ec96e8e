//! A ticket's conversation: public replies (queued to the guest by e-mail,
//! threaded under their last message) and internal notes.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, web};
use guestcare_db::tickets::{self, Reply};
use guestcare_domain::{FieldError, Permission, ValidationErrors};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{EntryView, body::required_text};
use crate::{
    audit,
    auth::Auth,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson},
    idempotent::{self, Fingerprint},
    routes::{guests::actor, messages::send_error, tasks::optional_text},
    state::AppState,
};

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(reply).service(note);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextRequest {
    /// 1–10 000 characters.
    pub text: String,
    /// Public replies: the name that signs the e-mail.
    pub agent_name: Option<String>,
}

/// A public reply: queued to the guest by e-mail in their language (the
/// `ticket_reply` text), the subject carrying `[#T-{n}]` and
/// `In-Reply-To`/`References` naming the guest's last e-mail. The first
/// reply stops the first-reply clock. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = TextRequest,
    responses((status = 201, body = EntryView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/tickets/{id}/replies")]
async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: ValidJson<TextRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let (id, request) = (id.into_inner(), body.into_inner());
    let mut errors = ValidationErrors::new();
    let text = required_text(&mut errors, "text", Some(&request.text), 10_000);
    let agent_name = optional_text(
        &mut errors,
        "agent_name",
        request.agent_name.as_deref(),
        100,
    );
    let text = errors.finish(|| text.unwrap_or_default())?;
    let actor_auth = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let reply = Reply {
            text,
            agent_name,
            actor: actor(&actor_auth),
        };
        let replied =
            tickets::reply_to_guest(conn, actor_auth.tenant_id, id, &reply).map_err(send_error)?;
        audit::record(conn, &actor_auth, "ticket.reply", "ticket", id)?;
        Ok((StatusCode::CREATED, EntryView::from(replied.entry)))
    })
    .await
}

/// An internal note: for the team only, never sent. Honours
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = TextRequest,
    responses((status = 201, body = EntryView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/tickets/{id}/notes")]
async fn note(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: ValidJson<TextRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let (id, request) = (id.into_inner(), body.into_inner());
    let mut errors = ValidationErrors::new();
    let text = required_text(&mut errors, "text", Some(&request.text), 10_000);
    if request.agent_name.is_some() {
        errors.push(FieldError::new("not_allowed", "Notes are not signed.").at("agent_name"));
    }
    let text = errors.finish(|| text.unwrap_or_default())?;
    let actor_auth = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let entry = tickets::add_note(conn, actor_auth.tenant_id, id, &text, actor(&actor_auth))?;
        audit::record(conn, &actor_auth, "ticket.note", "ticket", id)?;
        Ok((StatusCode::CREATED, EntryView::from(entry)))
    })
    .await
}
