//! `/v1/tickets`: what guests ask or complain about, from e-mail (the
//! inbound mailbox) or taken at a desk (phone, walk-in intake form, web
//! form, chat, Zalo, Facebook, post). Staff list the team's queue and their
//! own workload, reply publicly (e-mailed to the guest, threaded), add
//! internal notes, move tickets through their statuses, assign and escalate
//! them; complaints run clocks (`guestcare_db::tickets::run_sla_scan`).

mod actions;
mod attachments;
mod body;
mod canned;
mod checklist;
mod merge;
mod query;
mod replies;
mod settings;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::Utc;
use guestcare_db::tickets::{self, NewTicket};
use guestcare_domain::Permission;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use body::{EntryView, NewTicketRequest, TicketView};
pub use query::TicketQuery;

use super::{
    guests::actor,
    tasks::{check_assignee, check_guest},
};
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
    settings::configure(cfg);
    query::configure(cfg);
    cfg.service(list_tickets)
        .service(create_ticket)
        .service(get_ticket)
        .service(list_entries);
    actions::configure(cfg);
    replies::configure(cfg);
    merge::configure(cfg);
    canned::configure(cfg);
    attachments::configure(cfg);
    checklist::configure(cfg);
}

/// The team's queue: tickets oldest first, filtered by status (or
/// `open=true`), category, department, priority, channel, assignee
/// (`me`, `none` or an id) and guest.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(PageQuery, TicketQuery),
    responses((status = 200, body = PageOf<TicketView>), (status = 422, body = crate::error::Problem))
)]
#[get("/tickets")]
async fn list_tickets(
    state: web::Data<AppState>,
    auth: Auth,
    page: ValidQuery<PageQuery>,
    query: ValidQuery<TicketQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = page.0.validate()?;
    let filter = query.into_inner().filter(&auth)?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(tickets::list_tickets(
            conn,
            auth.tenant_id,
            &filter,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |t| t.id, TicketView::from)))
}

/// Creates a ticket taken at a desk or by an integration, with its
/// channel; `ticket.created` is announced and the guest's timeline gets it.
/// Honours `Idempotency-Key`.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    request_body = NewTicketRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = TicketView), (status = 422, body = crate::error::Problem))
)]
#[post("/tickets")]
async fn create_ticket(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ValidJson<NewTicketRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let fingerprint = Fingerprint::of(&req, &body.digest);
    let request = body.into_inner();
    let valid = request.validate(Utc::now().date_naive())?;
    let actor_auth = auth.clone();
    idempotent::respond(&state, &auth, key, fingerprint, move |conn| {
        let tenant_id = actor_auth.tenant_id;
        if let Some(guest_id) = request.guest_id {
            check_guest(conn, tenant_id, guest_id)?;
        }
        check_assignee(conn, tenant_id, request.assignee_id, "assignee_id")?;
        settings::check_department(conn, tenant_id, request.department.as_deref())?;
        let ticket = tickets::create_ticket(
            conn,
            tenant_id,
            &NewTicket {
                channel: valid.channel,
                category: valid.category,
                subject: valid.subject,
                body_text: valid.body,
                body_html: None,
                guest_id: request.guest_id,
                inbound_message_id: None,
                guest_message_id: None,
                department: request.department,
                priority: valid.priority,
                assignee_id: request.assignee_id,
                incident_on: request.incident_on,
                complaint_type: valid.complaint_type,
                actor: actor(&actor_auth),
            },
        )?;
        audit::record(conn, &actor_auth, "ticket.create", "ticket", ticket.id)?;
        Ok((StatusCode::CREATED, TicketView::from(ticket)))
    })
    .await
}

/// One ticket.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = TicketView), (status = 404, body = crate::error::Problem))
)]
#[get("/tickets/{id}")]
async fn get_ticket(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let row = db::run(&state.pool, move |conn| {
        Ok(tickets::get_ticket(conn, auth.tenant_id, id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TicketView::from(row)))
}

/// The ticket's entries, oldest first: the guest's messages, public
/// replies, internal notes, acknowledgements, status changes, assignments,
/// escalations (with their reasons), clock warnings and breaches, ratings.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = PageOf<EntryView>), (status = 404, body = crate::error::Problem))
)]
#[get("/tickets/{id}/entries")]
async fn list_entries(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    page: ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let page = page.0.validate()?;
    let id = id.into_inner();
    let rows = db::run(&state.pool, move |conn| {
        tickets::get_ticket(conn, auth.tenant_id, id)?;
        Ok(tickets::list_entries(
            conn,
            auth.tenant_id,
            id,
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |e| e.id, EntryView::from)))
}
