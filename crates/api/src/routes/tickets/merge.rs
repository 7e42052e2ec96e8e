//! `POST /v1/tickets/{id}/merge`: two tickets about one matter become one.

use actix_web::{HttpResponse, post, web};
use guestcare_db::tickets::{self, MergeError};
use guestcare_domain::{FieldError, Permission};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::TicketView;
use crate::{
    audit, auth::Auth, db, error::ApiError, extract::ValidJson, routes::guests::actor,
    state::AppState,
};

pub(super) fn configure(cfg: &mut ServiceConfig) {
    cfg.service(merge);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The ticket that absorbs this one.
    pub into_id: Uuid,
}

/// Merges this ticket into `into_id`: its entries and attachments move
/// there, it is closed with `merged_into`, and later replies to its e-mails
/// land on the other. Answers the surviving ticket. 409 `already_merged` if
/// either was merged before.
#[utoipa::path(
    tag = "tickets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = MergeRequest,
    responses(
        (status = 200, body = TicketView),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[post("/tickets/{id}/merge")]
async fn merge(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let (id, into) = (id.into_inner(), body.into_inner().into_id);
    let row =
        db::transaction(&state.pool, move |conn| {
            tickets::get_ticket(conn, auth.tenant_id, id)?;
            match tickets::get_ticket(conn, auth.tenant_id, into) {
                Err(diesel::result::Error::NotFound) => {
                    return Err(FieldError::new(
                        "unknown_ticket",
                        "No ticket of this tenant has this id.",
                    )
                    .at("into_id")
                    .into());
                }
                other => other?,
            };
            let row = tickets::merge_tickets(conn, auth.tenant_id, id, into, actor(&auth))
                .map_err(|e| match e {
                    MergeError::Query(e) => ApiError::from(e),
                    MergeError::SameTicket => {
                        FieldError::new("same_ticket", "A ticket cannot be merged into itself.")
                            .at("into_id")
                            .into()
                    }
                    MergeError::AlreadyMerged(_) => ApiError::Conflict {
                        code: "already_merged",
                        detail: "One of these tickets was merged into another already.".to_owned(),
                    },
                })?;
            audit::record(conn, &auth, "ticket.merge", "ticket", id)?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(TicketView::from(row)))
}
