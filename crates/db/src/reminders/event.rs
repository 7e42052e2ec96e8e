//! Event-relative steps: "72 hours after a ticket is resolved". The module
//! that owns the event calls [`arm_event`] in the transaction that records
//! it; each step of the tenant's active rules for that event becomes a
//! `send_event_step` job due at the event's time plus the step's hours.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    reminders::{Anchor, Offset},
    signed_token::GuestLinks,
};
use guestcare_jobs::{NewJob, enqueue};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AUTOMATIONS_QUEUE, get_rule, list_active_rules, run::step_message};
use crate::messages::{SendError, SendOutcome, send_to_guest};

/// The job kind that sends one armed step.
pub const SEND_EVENT_STEP: &str = "send_event_step";

/// Something that happened to a guest.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    /// The rules' `anchor_key`, e.g. `ticket.resolved`.
    pub name: &'a str,
    /// What happened, unique for the event's name (a ticket's id): the same
    /// event armed twice enqueues nothing new.
    pub key: &'a str,
    pub guest_id: Uuid,
    pub at: DateTime<Utc>,
}

/// What a `send_event_step` job carries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventStepPayload {
    pub tenant_id: Uuid,
    pub rule_id: Uuid,
    /// The step's key (`h72:email`).
    pub step: String,
    pub guest_id: Uuid,
    pub event_key: String,
    pub event_at: DateTime<Utc>,
}

impl EventStepPayload {
    /// `event:{rule}:{step}:{event key}`: the job's and the message's
    /// dedupe key.
    pub fn dedupe_key(&self) -> String {
        format!("event:{}:{}:{}", self.rule_id, self.step, self.event_key)
    }
}

/// Enqueues a job per step of each active rule anchored on `event.name`,
/// due `offset_hours` after `event.at`, in the caller's transaction.
/// Returns how many jobs were new (a repeat of the same event adds none).
pub fn arm_event(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    event: &Event<'_>,
) -> QueryResult<usize> {
    let mut armed = 0;
    for row in list_active_rules(conn, tenant_id)? {
        let Some(rule) = row.parse() else { continue };
        if rule.anchor != Anchor::Event(event.name.to_owned()) {
            continue;
        }
        for step in &rule.steps {
            let Offset::Hours(hours) = step.offset else {
                continue;
            };
            let payload = EventStepPayload {
                tenant_id,
                rule_id: row.id,
                step: step.key(),
                guest_id: event.guest_id,
                event_key: event.key.to_owned(),
                event_at: event.at,
            };
            let job = NewJob::new(
                AUTOMATIONS_QUEUE,
                SEND_EVENT_STEP,
                serde_json::to_value(&payload).unwrap_or_default(),
            )
            .with_tenant(tenant_id)
            .with_run_at(event.at + Duration::hours(i64::from(hours)))
            .with_dedupe_key(payload.dedupe_key());
            if enqueue(conn, &job)?.is_some() {
                armed += 1;
            }
        }
    }
    Ok(armed)
}

/// Sends an armed step, unless its rule was deleted, paused or no longer
/// has the step, or it has no usable template: `None` then.
pub fn send_event_step(
    conn: &mut PgConnection,
    links: &GuestLinks,
    payload: &EventStepPayload,
) -> QueryResult<Option<SendOutcome>> {
    let row = match get_rule(conn, payload.tenant_id, payload.rule_id) {
        Ok(row) if row.active => row,
        Ok(_) | Err(diesel::result::Error::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(rule) = row.parse() else {
        return Ok(None);
    };
    let Some(step) = rule.steps.iter().find(|s| s.key() == payload.step) else {
        return Ok(None);
    };
    let message = step_message(
        step,
        payload.guest_id,
        &rule.name,
        None,
        payload.dedupe_key(),
    );
    match send_to_guest(conn, payload.tenant_id, &message, links) {
        Ok(outcome) => Ok(Some(outcome)),
        Err(SendError::Query(e)) => Err(e),
        // No usable template: retrying cannot help.
        Err(SendError::NoTemplate | SendError::Template(_)) => Ok(None),
    }
}
