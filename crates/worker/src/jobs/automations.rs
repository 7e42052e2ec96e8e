//! `run_automations` (a tenant's daily reminder steps and contact plans, for
//! the local date of the schedule's occurrence) and `send_event_step` (one
//! armed event-relative step). Both do their database work and complete the
//! job in one fenced transaction; their sends carry dedupe keys, so a retry
//! repeats nothing.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use guestcare_db::{
    automations,
    reminders::event::{self, EventStepPayload},
};
use guestcare_domain::signed_token::GuestLinks;
use guestcare_jobs::{JobContext, JobError};
use serde::Deserialize;
use uuid::Uuid;

/// What `run_automations` carries: the tenant, and the day to run for —
/// `date` if given (a manual run), else the local date of the schedule's
/// `occurrence`, else today.
#[derive(Debug, Deserialize)]
struct DayPayload {
    tenant_id: Uuid,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    occurrence: Option<DateTime<Utc>>,
}

pub async fn run_day(links: Arc<GuestLinks>, ctx: JobContext) -> Result<(), JobError> {
    let payload: DayPayload = ctx.payload()?;
    tokio::task::spawn_blocking(move || {
        ctx.complete_with(|conn| {
            let date = match payload.date {
                Some(date) => date,
                None => automations::local_date(
                    conn,
                    payload.tenant_id,
                    payload.occurrence.unwrap_or_else(Utc::now),
                )?,
            };
            let report = automations::run_day(conn, &links, payload.tenant_id, date)?;
            tracing::info!(
                tenant.id = %payload.tenant_id,
                %date,
                reminders.queued = report.reminders.queued,
                reminders.withheld = report.reminders.withheld,
                reminders.repeated = report.reminders.repeated,
                reminders.failed = report.reminders.failed,
                contact_tasks.created = report.contact_tasks.created,
                contact_tasks.too_soon = report.contact_tasks.too_soon,
                "automations ran"
            );
            Ok(())
        })
    })
    .await
    .map_err(JobError::transient)?
}

pub async fn send_event_step(links: Arc<GuestLinks>, ctx: JobContext) -> Result<(), JobError> {
    let payload: EventStepPayload = ctx.payload()?;
    tokio::task::spawn_blocking(move || {
        ctx.complete_with(|conn| event::send_event_step(conn, &links, &payload).map(drop))
    })
    .await
    .map_err(JobError::transient)?
}
