//! Checklists for recurring problem types: managers keep the steps
//! (`/v1/ticket-checklists/{problem_type}`); staff copy them onto a ticket
//! and tick them off (`/v1/tickets/{id}/checklist…`).

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use guestcare_db::tickets::{self, Checklist};
use guestcare_domain::{FieldError, Permission, ValidationErrors, bounded_text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::TicketView;
use crate::{
    audit, auth::Auth, db, error::ApiError, extract::ValidJson, routes::guests::actor,
    state::AppState,
};

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(put_steps)
        .service(remove)
        .service(apply)
        .service(tick);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistView {
    /// `a-z`, `0-9`, `_`, up to 64 characters.
    pub problem_type: String,
    pub steps: Vec<String>,
    pub updated_at: DateTime<Utc>,
}

impl From<Checklist> for ChecklistView {
    fn from(c: Checklist) -> Self {
        ChecklistView {
            problem_type: c.problem_type,
            steps: c.steps.into_iter().flatten().collect(),
            updated_at: c.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepsRequest {
    /// 1–50 steps of 1–500 characters.
    pub steps: Vec<String>,
}

/// The tenant's checklists.
#[utoipa::path(tag = "tickets", security(("bearer" = [])), responses((status = 200, body = Vec<ChecklistView>)))]
#[get("/ticket-checklists")]
async fn list(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(tickets::list_checklists(conn, auth.tenant_id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(ChecklistView::from)
            .collect::<Vec<_>>(),
    ))
}

fn problem_type(value: &str) -> Result<String, ApiError> {
    let valid = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        Ok(value.to_owned())
    } else {
        Err(
            FieldError::new("invalid_problem_type", "Use 1–64 of a-z, 0-9 and _.")
                .at("problem_type")
                .into(),
        )
    }
}

/// Creates or replaces the steps of a problem type (managers).
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("problem_type" = String, Path)),
    request_body = StepsRequest,
    responses((status = 200, body = ChecklistView), (status = 422, body = crate::error::Problem))
)]
#[put("/ticket-checklists/{problem_type}")]
async fn put_steps(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    body: ValidJson<StepsRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let kind = problem_type(&path.into_inner())?;
    let mut errors = ValidationErrors::new();
    let steps = body.into_inner().steps;
    if !(1..=50).contains(&steps.len()) {
        errors.push(FieldError::new("out_of_range", "Give 1 to 50 steps.").at("steps"));
    }
    let steps: Vec<String> = steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| errors.check(&format!("steps[{i}]"), bounded_text(s, 1, 500)))
        .collect();
    let steps = errors.finish(|| steps)?;
    let row = db::transaction(&state.pool, move |conn| {
        let row = tickets::put_checklist(conn, auth.tenant_id, &kind, &steps)?;
        audit::record(
            conn,
            &auth,
            "ticket_checklist.put",
            "ticket_checklist",
            row.id,
        )?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ChecklistView::from(row)))
}

/// Deletes a problem type's steps (managers); tickets keep their copies.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("problem_type" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem))
)]
#[delete("/ticket-checklists/{problem_type}")]
async fn remove(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let kind = path.into_inner();
    db::transaction(&state.pool, move |conn| {
        tickets::delete_checklist(conn, auth.tenant_id, &kind)?;
        audit::record(
            conn,
            &auth,
            "ticket_checklist.delete",
            "tenant",
            auth.tenant_id,
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyRequest {
    /// One of the tenant's checklists.
    pub problem_type: String,
}

/// Copies a problem type's steps onto the ticket (replacing its checklist).
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = ApplyRequest,
    responses((status = 200, body = TicketView), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem))
)]
#[post("/tickets/{id}/checklist")]
async fn apply(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<ApplyRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, kind) = (id.into_inner(), body.into_inner().problem_type);
    let row = db::transaction(&state.pool, move |conn| {
        tickets::get_ticket(conn, auth.tenant_id, id)?;
        let row = tickets::apply_checklist(conn, auth.tenant_id, id, &kind, actor(&auth)).map_err(
            |e| match e {
                diesel::result::Error::NotFound => FieldError::new(
                    "unknown_problem_type",
                    "The tenant has no checklist for this problem type.",
                )
                .at("problem_type")
                .into(),
                other => ApiError::from(other),
            },
        )?;
        audit::record(conn, &auth, "ticket.checklist", "ticket", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TicketView::from(row)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TickRequest {
    pub done: bool,
}

/// Marks step `index` (from 0) of the ticket's checklist done or not done.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("index" = usize, Path)),
    request_body = TickRequest,
    responses((status = 200, body = TicketView), (status = 404, body = crate::error::Problem))
)]
#[post("/tickets/{id}/checklist/{index}")]
async fn tick(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, usize)>,
    body: ValidJson<TickRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let ((id, index), done) = (path.into_inner(), body.into_inner().done);
    let row = db::transaction(&state.pool, move |conn| {
        let row = tickets::tick_step(conn, auth.tenant_id, id, index, done, actor(&auth))?
            .ok_or(ApiError::NotFound)?;
        audit::record(conn, &auth, "ticket.checklist", "ticket", id)?;
        Ok(row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TicketView::from(row)))
}
