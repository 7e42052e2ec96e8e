//! Work on one ticket: status changes (422 for a move the status machine
//! forbids), assignment, escalation with its reason, public replies (queued
//! to the guest by e-mail, threaded) and internal notes.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, web};
use guestcare_db::{
    tickets::{self, Escalation, Reply, StatusChange, StatusError},
    users,
};
use guestcare_domain::{
    FieldError, Permission, Role, ValidationErrors,
    tickets::{FinalOutcome, TicketStatus},
};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{EntryView, TicketView, body::required_text, settings::check_department};
use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::{IdempotencyKey, ValidJson},
    idempotent::{self, Fingerprint},
    routes::{
        guests::actor,
        messages::send_error,
        tasks::{check_assignee, optional_text},
    },
    state::AppState,
};

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(change_status)
        .service(assign)
        .service(escalate)
        .service(reply)
        .service(note);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// `open`, `pending_guest` (clocks stand still), `resolved`, `closed`
    /// or `reopened` (a new round; needs a `reason`, e.g. the guest
    /// rejected the resolution).
    pub status: String,
    /// Why; required to reopen. Up to 2000 characters.
    pub reason: Option<String>,
    /// When resolving or closing a complaint: `resolved`, `mediated` or
    /// `escalated_to_authority`.
    pub outcome: Option<String>,
}

/// Moves the ticket through its statuses:
/// `new → open ⇄ pending_guest → resolved → closed`, `resolved|closed →
/// reopened`. A move the machine forbids answers 422 `invalid_transition`.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = StatusRequest,
    responses((status = 200, body = TicketView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/tickets/{id}/status")]
async fn change_status(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<StatusRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, request) = (id.into_inner(), body.into_inner());
    let mut errors = ValidationErrors::new();
    let to = errors.check("status", request.status.parse::<TicketStatus>());
    let reason = match to {
        Some(TicketStatus::Reopened) => {
            required_text(&mut errors, "reason", request.reason.as_deref(), 2000)
        }
        _ => optional_text(&mut errors, "reason", request.reason.as_deref(), 2000),
    };
    let outcome = request
        .outcome
        .as_ref()
        .and_then(|o| errors.check("outcome", o.parse::<FinalOutcome>()));
    if outcome.is_some() && !matches!(to, Some(TicketStatus::Resolved | TicketStatus::Closed)) {
        errors.push(
            FieldError::new(
                "not_allowed",
                "An outcome is given when resolving or closing.",
            )
            .at("outcome"),
        );
    }
    let to = errors.finish(|| to)?.ok_or_else(|| {
        ApiError::from(FieldError::new("required", "Give a status.").at("status"))
    })?;
    let row = db::transaction(&state.pool, move |conn| {
        let change = StatusChange {
            to,
            reason,
            outcome,
            actor: actor(&auth),
        };
        let row =
            tickets::change_status(conn, auth.tenant_id, id, &change).map_err(|e| match e {
                StatusError::Query(e) => ApiError::from(e),
                StatusError::Invalid { from, to } => FieldError::new(
                    "invalid_transition",
                    format!("A {from} ticket cannot become {to}."),
                )
                .at("status")
                .into(),
            })?;
        audit::record(conn, &auth, "ticket.status", "ticket", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TicketView::from(row)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// A staff user of the tenant, or `null` to unassign.
    pub assignee_id: Option<Uuid>,
}

/// Assigns the ticket to a staff user, or unassigns it.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = AssignRequest,
    responses((status = 200, body = TicketView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/tickets/{id}/assign")]
async fn assign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<AssignRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, assignee) = (id.into_inner(), body.into_inner().assignee_id);
    let row = db::transaction(&state.pool, move |conn| {
        tickets::get_ticket(conn, auth.tenant_id, id)?;
        check_assignee(conn, auth.tenant_id, assignee, "assignee_id")?;
        let row = tickets::assign_ticket(conn, auth.tenant_id, id, assignee, actor(&auth))?;
        audit::record(conn, &auth, "ticket.assign", "ticket", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TicketView::from(row)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalateRequest {
    /// Another of the tenant's departments.
    pub department: Option<String>,
    /// A manager (or owner) of the tenant.
    pub manager_id: Option<Uuid>,
    /// Why, kept on the ticket: 1–2000 characters.
    pub reason: String,
}

/// Escalates the ticket to another department and/or a manager; the
/// reason is kept on an `escalation` entry.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = EscalateRequest,
    responses((status = 200, body = TicketView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/tickets/{id}/escalate")]
async fn escalate(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<EscalateRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, request) = (id.into_inner(), body.into_inner());
    let mut errors = ValidationErrors::new();
    let reason = required_text(&mut errors, "reason", Some(&request.reason), 2000);
    if request.department.is_none() && request.manager_id.is_none() {
        errors.push(
            FieldError::new("required", "Give a department, a manager or both.").at("department"),
        );
    }
    let reason = errors.finish(|| reason.unwrap_or_default())?;
    let row = db::transaction(&state.pool, move |conn| {
        tickets::get_ticket(conn, auth.tenant_id, id)?;
        check_department(conn, auth.tenant_id, request.department.as_deref())?;
        if let Some(manager) = request.manager_id {
            check_manager(conn, auth.tenant_id, manager)?;
        }
        let escalation = Escalation {
            department: request.department,
            assignee_id: request.manager_id,
            reason,
            actor: actor(&auth),
        };
        let row = tickets::escalate_ticket(conn, auth.tenant_id, id, &escalation)?;
        audit::record(conn, &auth, "ticket.escalate", "ticket", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TicketView::from(row)))
}

/// 422 at `manager_id` unless the user is an active manager or owner.
fn check_manager(
    conn: &mut diesel::PgConnection,
    tenant_id: Uuid,
    user: Uuid,
) -> Result<(), ApiError> {
    let manager = match users::get_user(conn, tenant_id, user) {
        Ok(u) => {
            u.disabled_at.is_none()
                && matches!(u.role.parse::<Role>(), Ok(Role::Manager | Role::Owner))
        }
        Err(diesel::result::Error::NotFound) => false,
        Err(e) => return Err(e.into()),
    };
    if manager {
        Ok(())
    } else {
        Err(FieldError::new(
            "not_a_manager",
            "Escalate to an active manager or owner of this tenant.",
        )
        .at("manager_id")
        .into())
    }
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
