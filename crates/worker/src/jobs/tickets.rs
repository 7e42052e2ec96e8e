//! Ticket jobs: `ticket_sla_check` (one complaint's clocks at the instant
//! they were armed for) and `ticket_satisfaction` (one resolved ticket's
//! satisfaction e-mail). Both run their database work and complete the job
//! in one fenced transaction; the clock marks are guarded and the e-mail
//! carries a dedupe key, so a retry or a second worker repeats nothing.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use guestcare_db::{messages::SendError, tickets};
use guestcare_domain::signed_token::GuestLinks;
use guestcare_jobs::{JobContext, JobError};
use serde::Deserialize;
use uuid::Uuid;

/// What a clock check carries: the ticket and the instant it was armed for.
#[derive(Debug, Deserialize)]
struct CheckPayload {
    tenant_id: Uuid,
    ticket_id: Uuid,
    at: DateTime<Utc>,
}

pub async fn check_clocks(ctx: JobContext) -> Result<(), JobError> {
    let CheckPayload {
        tenant_id,
        ticket_id,
        at,
    } = ctx.payload()?;
    let report = tokio::task::spawn_blocking(move || {
        ctx.complete_with(|conn| tickets::check_ticket_clocks(conn, tenant_id, ticket_id, at))
    })
    .await
    .map_err(JobError::transient)??;
    tracing::info!(
        tenant.id = %tenant_id,
        ticket.id = %ticket_id,
        %at,
        warned = report.warned,
        breached = report.breached,
        "ticket clocks checked"
    );
    Ok(())
}

#[derive(Debug, Deserialize)]
struct SatisfactionPayload {
    tenant_id: Uuid,
    ticket_id: Uuid,
}

pub async fn satisfaction(links: Arc<GuestLinks>, ctx: JobContext) -> Result<(), JobError> {
    let SatisfactionPayload {
        tenant_id,
        ticket_id,
    } = ctx.payload()?;
    let sent = tokio::task::spawn_blocking(move || {
        ctx.complete_with(|conn| {
            match tickets::send_satisfaction(conn, &links, tenant_id, ticket_id) {
                Ok(message) => Ok(message.map(|m| m.id)),
                Err(SendError::Query(e)) => Err(e),
                Err(SendError::NoTemplate | SendError::Template(_)) => Ok(None),
            }
        })
    })
    .await
    .map_err(JobError::transient)??;
    tracing::info!(tenant.id = %tenant_id, ticket.id = %ticket_id, message.id = ?sent, "satisfaction e-mail");
    Ok(())
}
