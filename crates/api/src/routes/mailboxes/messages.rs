//! `GET /v1/mailboxes/{id}/messages`: what the worker fetched from a
//! mailbox and what became of each message — tickets, replies, bounces,
//! ignored automated mail and quarantined mail with its reason.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use guestcare_db::{
    inbound::{self, DISPOSITIONS, InboundMessage},
    mailboxes,
};
use guestcare_domain::{FieldError, Permission};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    auth::Auth,
    db,
    error::ApiError,
    extract::ValidQuery,
    pagination::{PageOf, PageQuery},
    state::AppState,
};

/// `?disposition=&limit=&cursor=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InboundQuery {
    /// `ticket`, `reply`, `bounce`, `survey_reply`, `ignored` or
    /// `quarantined`.
    pub disposition: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A fetched message as staff see it (the HTML body is sanitised).
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundView {
    pub id: Uuid,
    /// The Message-ID (`sha256:…` for a message without one).
    pub message_id: String,
    pub disposition: String,
    /// Why it was quarantined: `too_large`, `unparseable`, `no_sender`,
    /// `too_many_parts` or `parser_failure`.
    pub quarantine_reason: Option<String>,
    /// Why it was ignored or not acknowledged (`auto_submitted`,
    /// `own_message`, `recently_acknowledged`, …).
    pub note: Option<String>,
    pub from_address: Option<String>,
    pub from_name: Option<String>,
    pub subject: Option<String>,
    pub size: i32,
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    pub guest_id: Option<Uuid>,
    pub ticket_id: Option<Uuid>,
    pub bounced_message_id: Option<Uuid>,
    pub bounce_status: Option<String>,
    pub acknowledgement_id: Option<Uuid>,
    pub sent_at: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
}

impl From<InboundMessage> for InboundView {
    fn from(m: InboundMessage) -> InboundView {
        InboundView {
            id: m.id,
            message_id: m.message_id,
            disposition: m.disposition,
            quarantine_reason: m.quarantine_reason,
            note: m.note,
            from_address: m.from_address,
            from_name: m.from_name,
            subject: m.subject,
            size: m.size,
            body_text: m.body_text,
            body_html: m.body_html,
            guest_id: m.guest_id,
            ticket_id: m.ticket_id,
            bounced_message_id: m.bounced_message_id,
            bounce_status: m.bounce_status,
            acknowledgement_id: m.ack_message_id,
            sent_at: m.sent_at,
            received_at: m.received_at,
        }
    }
}

/// A mailbox's fetched messages, newest first (manager).
#[utoipa::path(
    tag = "mailboxes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), InboundQuery),
    responses(
        (status = 200, body = PageOf<InboundView>),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[get("/mailboxes/{id}/messages")]
pub async fn list_inbound(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: ValidQuery<InboundQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Manage)?;
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .validate()?;
    let disposition = query.disposition;
    if disposition
        .as_deref()
        .is_some_and(|d| !DISPOSITIONS.contains(&d))
    {
        return Err(FieldError::new(
            "invalid_disposition",
            format!("Use one of {}.", DISPOSITIONS.join(", ")),
        )
        .at("query.disposition")
        .into());
    }
    let id = id.into_inner();
    let rows = db::run(&state.pool, move |conn| {
        mailboxes::get_mailbox(conn, auth.tenant_id, id)?;
        Ok(inbound::list_inbound(
            conn,
            auth.tenant_id,
            id,
            disposition.as_deref(),
            page.cursor,
            page.limit,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(PageOf::from_rows(rows, page, |m| m.id, InboundView::from)))
}
