//! Consent per channel (email, sms, phone, zalo) and purpose (service,
//! marketing), with its history.

use actix_web::{HttpResponse, get, put, web};
use chrono::{DateTime, Utc};
use guestcare_db::{
    consents::{self, Consent, ConsentChange, ConsentEvent},
    guests,
};
use guestcare_domain::{FieldError, Permission, ValidationErrors, bounded_text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{actor, live_guest};
use crate::{audit, auth::Auth, db, error::ApiError, extract::ValidJson, state::AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_consents).service(put_consents);
}

/// The state of one channel × purpose.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    pub channel: String,
    pub purpose: String,
    /// `granted` or `withdrawn`. A pair never recorded is absent: no consent.
    pub status: String,
    pub changed_at: DateTime<Utc>,
}

/// One change: when, how and by whom.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentEventView {
    pub id: Uuid,
    pub channel: String,
    pub purpose: String,
    pub status: String,
    pub occurred_at: DateTime<Utc>,
    /// How it was given or withdrawn, e.g. `registration_form`, `verbal`.
    pub source: String,
    /// `user`, `api_key`, `guest` (their unsubscribe link) or `system`.
    pub actor_type: String,
    pub actor_id: Option<Uuid>,
    pub note: Option<String>,
}

/// Current consents and every change, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentsView {
    pub current: Vec<ConsentView>,
    pub history: Vec<ConsentEventView>,
}

impl From<Consent> for ConsentView {
    fn from(c: Consent) -> Self {
        ConsentView {
            channel: c.channel,
            purpose: c.purpose,
            status: c.status,
            changed_at: c.changed_at,
        }
    }
}

impl From<ConsentEvent> for ConsentEventView {
    fn from(e: ConsentEvent) -> Self {
        ConsentEventView {
            id: e.id,
            channel: e.channel,
            purpose: e.purpose,
            status: e.status,
            occurred_at: e.occurred_at,
            source: e.source,
            actor_type: e.actor_type,
            actor_id: e.actor_id,
            note: e.note,
        }
    }
}

fn load(
    conn: &mut diesel::PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<ConsentsView, ApiError> {
    let current = consents::list_consents(conn, tenant_id, id)?;
    let history = consents::list_consent_events(conn, tenant_id, id, None, i64::from(u16::MAX))?;
    Ok(ConsentsView {
        current: current.into_iter().map(ConsentView::from).collect(),
        history: history.into_iter().map(ConsentEventView::from).collect(),
    })
}

/// The guest's consents and their history.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ConsentsView), (status = 404, body = crate::error::Problem))
)]
#[get("/guests/{id}/consents")]
async fn get_consents(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::Read)?;
    let id = id.into_inner();
    let view = db::run(&state.pool, move |conn| {
        guests::get_guest(conn, auth.tenant_id, id)?;
        load(conn, auth.tenant_id, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// One consent change as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentChangeInput {
    /// `email`, `sms`, `phone` or `zalo`.
    pub channel: String,
    /// `service` or `marketing`.
    pub purpose: String,
    /// `granted` or `withdrawn`.
    pub status: String,
    /// How, e.g. `registration_form`, `verbal`, `email_reply`.
    pub source: String,
    /// When the guest gave or withdrew it; default now. Not in the future.
    pub occurred_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// Consent changes to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentUpdate {
    pub changes: Vec<ConsentChangeInput>,
}

fn parse_changes(update: &ConsentUpdate) -> Result<Vec<ConsentChange>, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let now = Utc::now();
    let mut changes = Vec::new();
    for (i, input) in update.changes.iter().enumerate() {
        let at = |field: &str| format!("changes[{i}].{field}");
        let channel = errors.check(&at("channel"), input.channel.parse());
        let purpose = errors.check(&at("purpose"), input.purpose.parse());
        let status = errors.check(&at("status"), input.status.parse());
        let source = errors.check(&at("source"), bounded_text(&input.source, 1, 100));
        let note = input
            .note
            .as_deref()
            .and_then(|n| errors.check(&at("note"), bounded_text(n, 1, 1000)));
        let occurred_at = input.occurred_at.unwrap_or(now);
        if occurred_at > now + chrono::Duration::minutes(5) {
            errors.push(
                FieldError::new("in_future", "This time is in the future.").at(at("occurred_at")),
            );
        }
        if let (Some(channel), Some(purpose), Some(status), Some(source)) =
            (channel, purpose, status, source)
        {
            changes.push(ConsentChange {
                channel,
                purpose,
                status,
                occurred_at,
                source,
                note,
            });
        }
    }
    if update.changes.is_empty() {
        errors.push(FieldError::new("required", "Send at least one change.").at("changes"));
    }
    errors.finish(|| changes)
}

/// Records consent changes (each kept in the history, shown on the
/// timeline) and answers the guest's consents.
#[utoipa::path(
    tag = "guests",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = ConsentUpdate,
    responses(
        (status = 200, body = ConsentsView),
        (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem),
    )
)]
#[put("/guests/{id}/consents")]
async fn put_consents(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: ValidJson<ConsentUpdate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Permission::WriteGuests)?;
    let id = id.into_inner();
    let update = body.into_inner();
    let view = db::transaction(&state.pool, move |conn| {
        live_guest(conn, &auth, id)?;
        for change in parse_changes(&update)? {
            consents::record_consent(conn, auth.tenant_id, id, actor(&auth), &change)?;
        }
        audit::record(conn, &auth, "guest.consent", "guest", id)?;
        load(conn, auth.tenant_id, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
