//! Sending a day's reminder steps through `send_to_guest`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use guestcare_domain::{reminders::Step, signed_token::GuestLinks, templates::Purpose};
use uuid::Uuid;

use super::due::due_between;
use crate::{
    messages::{GuestMessage, SendError, SendOutcome, send_to_guest},
    timeline::Actor,
};

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SendReport {
    /// Queued for sending.
    pub queued: usize,
    /// Recorded but withheld (no consent, no address, suppressed, capped).
    pub withheld: usize,
    /// Sent before (a rerun of the day): nothing new.
    pub repeated: usize,
    /// No usable template: skipped.
    pub failed: usize,
}

impl SendReport {
    /// Counts one send's outcome; template problems are counted, not
    /// raised, so one bad text cannot stop a tenant's run.
    pub fn count(&mut self, outcome: Result<SendOutcome, SendError>) -> QueryResult<()> {
        match outcome {
            Ok(SendOutcome::Queued(_)) => self.queued += 1,
            Ok(SendOutcome::Withheld(..)) => self.withheld += 1,
            Ok(SendOutcome::Repeated(_)) => self.repeated += 1,
            Err(SendError::Query(e)) => return Err(e),
            Err(SendError::NoTemplate | SendError::Template(_)) => self.failed += 1,
        }
        Ok(())
    }
}

/// Sends every reminder step due on `date` (the tenant's local day the run
/// is for), in the caller's transaction. Each send carries the step's dedupe
/// key, so running a day twice sends nothing twice.
pub fn send_due_reminders(
    conn: &mut PgConnection,
    links: &GuestLinks,
    tenant_id: Uuid,
    date: NaiveDate,
) -> QueryResult<SendReport> {
    let mut report = SendReport::default();
    for due in due_between(conn, tenant_id, date, date)? {
        let message = step_message(
            &due.step,
            due.guest_id,
            &due.rule_name,
            Some(due.anchor_date),
            due.dedupe_key(),
        );
        report.count(send_to_guest(conn, tenant_id, &message, links))?;
    }
    Ok(report)
}

/// The message of a step: the step's channel and purpose, with the
/// reminder variables (`extra.rule_name`, `extra.anchor_date`) for the
/// `reminder` purpose.
pub(super) fn step_message(
    step: &Step,
    guest_id: Uuid,
    rule_name: &str,
    anchor_date: Option<NaiveDate>,
    dedupe_key: String,
) -> GuestMessage {
    let mut extra = BTreeMap::new();
    if step.purpose == Purpose::Reminder {
        extra.insert("rule_name".to_owned(), rule_name.into());
        if let Some(date) = anchor_date {
            extra.insert("anchor_date".to_owned(), date.to_string().into());
        }
    }
    GuestMessage {
        guest_id,
        channel: step.channel,
        purpose: step.purpose,
        extra,
        occasion: None,
        text: Default::default(),
        dedupe_key,
        actor: Actor::SYSTEM,
    }
}
