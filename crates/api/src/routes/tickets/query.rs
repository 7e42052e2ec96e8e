//! The queue's filters and the team's workload (`GET /v1/tickets/workload`).

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use guestcare_db::tickets::{self, TicketFilter};
use guestcare_domain::{
    Permission, ValidationErrors,
    tickets::{Priority, TicketCategory, TicketChannel, TicketStatus},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::{
    auth::Auth, db, error::ApiError, extract::ValidQuery, routes::tasks::parse_assignee,
    state::AppState,
};

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(workload);
}

/// Filters on the ticket list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketQuery {
    /// `new`, `open`, `pending_guest`, `resolved`, `closed` or `reopened`.
    pub status: Option<String>,
    /// `true`: only tickets the team still owes an answer (new, open,
    /// pending_guest, reopened).
    pub open: Option<bool>,
    pub category: Option<String>,
    pub department: Option<String>,
    pub priority: Option<String>,
    pub channel: Option<String>,
    /// A staff user's id, `me` or `none` (unassigned).
    pub assignee: Option<String>,
    pub guest_id: Option<Uuid>,
}

impl TicketQuery {
    pub(super) fn filter(self, auth: &Auth) -> Result<TicketFilter, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let mut word =
            |field: &str,
             value: Option<String>,
             check: fn(&str) -> Result<(), guestcare_domain::FieldError>| {
                value.and_then(|v| errors.check(field, check(&v)).map(|()| v))
            };
        let status = word("status", self.status, |v| {
            v.parse::<TicketStatus>().map(drop)
        });
        let category = word("category", self.category, |v| {
            v.parse::<TicketCategory>().map(drop)
        });
        let priority = word("priority", self.priority, |v| {
            v.parse::<Priority>().map(drop)
        });
        let channel = word("channel", self.channel, |v| {
            v.parse::<TicketChannel>().map(drop)
        });
        let assignee = parse_assignee(auth, self.assignee.as_deref(), &mut errors);
        errors.finish(|| TicketFilter {
            status,
            open: self.open.unwrap_or(false),
            category,
            department: self.department,
            priority,
            channel,
            assignee,
            guest_id: self.guest_id,
        })
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkloadQuery {
    /// A staff user's id, `me` or `none`; all assignees if absent.
    pub assignee: Option<String>,
}

/// One assignee's open work and satisfaction record.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkloadView {
    /// `null`: the unassigned pile.
    pub assignee_id: Option<Uuid>,
    pub open: i64,
    pub pending_guest: i64,
    /// When the oldest open ticket came in.
    pub oldest_waiting_since: Option<DateTime<Utc>>,
    /// Satisfaction answers on the member's tickets …
    pub ratings: i64,
    /// … of which `excellent` or `good`.
    pub ratings_positive: i64,
}

/// Open tickets per assignee (most loaded first), with the oldest waiting
/// and the satisfaction ratings credited to them.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(WorkloadQuery),
    responses((status = 200, body = Vec<WorkloadView>), (status = 422, body = crate::error::Problem))
)]
#[get("/tickets/workload")]
async fn workload(
    state: web::Data<AppState>,
    auth: Auth,
    query: ValidQuery<WorkloadQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let mut errors = ValidationErrors::new();
    let assignee = parse_assignee(&auth, query.0.assignee.as_deref(), &mut errors);
    errors.finish(|| ())?;
    let rows = db::run(&state.pool, move |conn| {
        Ok(tickets::workloads(conn, auth.tenant_id, assignee)?)
    })
    .await?;
    let views: Vec<WorkloadView> = rows
        .into_iter()
        .map(|w| WorkloadView {
            assignee_id: w.assignee_id,
            open: w.open,
            pending_guest: w.pending_guest,
            oldest_waiting_since: w.oldest_waiting_since,
            ratings: w.ratings,
            ratings_positive: w.ratings_positive,
        })
        .collect();
    Ok(HttpResponse::Ok().json(views))
}
