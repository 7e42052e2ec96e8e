//! Ticket jobs: `ticket_sla_scan` (the system schedule `tickets.sla`: every
//! tenant's running complaint clocks at the schedule's occurrence) and
//! `ticket_satisfaction` (one resolved ticket's satisfaction e-mail). Both
//! run their database work and complete the job in one fenced transaction;
//! the scan's marks are guarded and the e-mail carries a dedupe key, so a
//! retry or a second worker repeats nothing.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use guestcare_db::{messages::SendError, tickets};
use guestcare_domain::signed_token::GuestLinks;
use guestcare_jobs::{JobContext, JobError};
use serde::Deserialize;
use uuid::Uuid;

/// What the scan's schedule puts in its payload.
#[derive(Debug, Deserialize)]
struct ScanPayload {
    /// The instant the clocks are read at (the wall clock if absent).
    #[serde(default)]
    occurrence: Option<DateTime<Utc>>,
}

pub async fn scan(ctx: JobContext) -> Result<(), JobError> {
    let at = ctx
        .payload::<ScanPayload>()?
        .occurrence
        .unwrap_or_else(Utc::now);
    let report = tokio::task::spawn_blocking(move || {
        ctx.complete_with(|conn| {
            let mut total = tickets::SlaReport::default();
            for tenant_id in tickets::tenants_with_running_clocks(conn)? {
                let report = tickets::run_sla_scan(conn, tenant_id, at)?;
                total.warned += report.warned;
                total.breached += report.breached;
            }
            Ok(total)
        })
    })
    .await
    .map_err(JobError::transient)??;
    tracing::info!(%at, warned = report.warned, breached = report.breached, "ticket clocks scanned");
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
