//! A ticket's conversation: public replies (queued to the guest by e-mail,
//! threaded under their last message) and internal notes.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, web};
use guestcare_db::tickets::{self, RenderError, Reply};
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
pub struct ReplyRequest {
    /// 1–10 000 characters; or give `canned_response_id`.
    pub text: Option<String>,
    /// A canned response, rendered for this ticket in the guest's language.
    pub canned_response_id: Option<Uuid>,
    /// The name that signs the e-mail (`extra.agent_name`).
    pub agent_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// 1–10 000 characters.
    pub text: String,
}

/// A public reply: queued to the guest by e-mail in their language (the
/// `ticket_reply` text), the subject carrying `[#T-{n}]` and
/// `In-Reply-To`/`References` naming the guest's last e-mail. The first
/// reply stops the first-reply clock. The text is `text` or a canned
/// response rendered for the ticket. Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    request_body = ReplyRequest,
    responses((status = 201, body = EntryView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/tickets/{id}/replies")]
async fn reply(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: ValidJson<ReplyRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let (id, request) = (id.into_inner(), body.into_inner());
    let mut errors = ValidationErrors::new();
    let text = match (&request.text, request.canned_response_id) {
        (Some(_), Some(_)) => {
            errors.push(
                FieldError::new(
                    "not_allowed",
                    "Give `text` or `canned_response_id`, not both.",
                )
                .at("canned_response_id"),
            );
            None
        }
        (None, Some(_)) => None,
        (text, None) => required_text(&mut errors, "text", text.as_deref(), 10_000),
    };
    let agent_name = optional_text(
        &mut errors,
        "agent_name",
        request.agent_name.as_deref(),
        100,
    );
    let text = errors.finish(|| text)?;
    let actor_auth = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let text = match (text, request.canned_response_id) {
            (Some(text), _) => text,
            (None, canned) => canned_text(
                conn,
                actor_auth.tenant_id,
                id,
                canned,
                agent_name.as_deref(),
            )?,
        };
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
    request_body = NoteRequest,
    responses((status = 201, body = EntryView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/tickets/{id}/notes")]
async fn note(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: ValidJson<NoteRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let (id, request) = (id.into_inner(), body.into_inner());
    let mut errors = ValidationErrors::new();
    let text = required_text(&mut errors, "text", Some(&request.text), 10_000);
    let text = errors.finish(|| text.unwrap_or_default())?;
    let actor_auth = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let entry = tickets::add_note(conn, actor_auth.tenant_id, id, &text, actor(&actor_auth))?;
        audit::record(conn, &actor_auth, "ticket.note", "ticket", id)?;
        Ok((StatusCode::CREATED, EntryView::from(entry)))
    })
    .await
}

/// The canned response `id` rendered for ticket `ticket_id`; 422 at
/// `canned_response_id` if the tenant has none or it does not render.
fn canned_text(
    conn: &mut diesel::PgConnection,
    tenant_id: Uuid,
    ticket_id: Uuid,
    id: Option<Uuid>,
    agent_name: Option<&str>,
) -> Result<String, ApiError> {
    let at = |code, message: &str| {
        ApiError::from(FieldError::new(code, message).at("canned_response_id"))
    };
    let ticket = tickets::get_ticket(conn, tenant_id, ticket_id)?;
    let canned = match id.map(|id| tickets::get_canned(conn, tenant_id, id)) {
        Some(Ok(canned)) => canned,
        None | Some(Err(diesel::result::Error::NotFound)) => {
            return Err(at(
                "unknown_canned_response",
                "No canned response of this tenant has this id.",
            ));
        }
        Some(Err(e)) => return Err(e.into()),
    };
    tickets::render_canned(conn, &ticket, &canned.body, agent_name).map_err(|e| match e {
        RenderError::Query(e) => e.into(),
        RenderError::Template(e) => at(e.code, &e.to_string()),
    })
}
