//! Work on one ticket: status changes (422 for a move the status machine
//! forbids), assignment and escalation with its reason.

use actix_web::{HttpResponse, post, web};
use guestcare_db::{
    tickets::{self, Escalation, StatusChange, StatusError},
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

use super::{TicketView, body::required_text, settings::check_department};
use crate::{
    audit,
    auth::Auth,
    db,
    error::ApiError,
    extract::ValidJson,
    routes::{
        guests::actor,
        tasks::{check_assignee, optional_text},
    },
    state::AppState,
};

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(change_status).service(assign).service(escalate);
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
