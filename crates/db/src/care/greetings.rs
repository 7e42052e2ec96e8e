//! The greeting run: every hour (tenant time), the active greeting rules of
//! that hour whose occasion falls on the tenant's local day send the
//! greeting to their audience through `send_to_guest` (consent, caps,
//! quiet hours), with the dedupe key `greeting:{rule}:{guest}:{date}`, so
//! nobody is greeted twice for one occurrence.

use chrono::{DateTime, Datelike, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    holidays::{self, Calendar, Occurrence},
    segment::Filter,
    templates::{Channel, OccasionVars, Purpose},
};
use uuid::Uuid;

use super::{guest_language, local_run, rules};
use crate::{
    guests,
    messages::{GuestMessage, SendError, SendOutcome, send_to_guest},
    occasions, segments,
    timeline::Actor,
};

/// The job kind of the run; its schedule is `care.greetings`.
pub const GREETINGS: &str = "care_greetings";

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GreetingReport {
    /// Rules whose occasion fell on the day at this hour.
    pub rules: usize,
    /// Greetings queued now.
    pub queued: usize,
    /// Greetings recorded as withheld (no consent, no address, cap, …).
    pub withheld: usize,
    /// Greetings sent by an earlier run of the same occurrence.
    pub repeated: usize,
    /// Greetings that could not be rendered, or rules whose segment is gone.
    pub failed: usize,
}

/// Runs the greeting rules of the tenant-local hour of `at` for the
/// tenant-local day of `at`, in the caller's transaction.
pub fn run_greetings(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<GreetingReport> {
    let run = local_run(conn, tenant_id, at)?;
    let mut report = GreetingReport::default();
    let due = rules::rules_at_hour(conn, tenant_id, i16::try_from(run.hour).unwrap_or(0))?;
    if due.is_empty() {
        return Ok(report);
    }
    let today = occurrences_on(conn, tenant_id, run.date)?;
    for rule in &due {
        let Some(occurrence) = today.iter().find(|o| o.key == rule.occasion_key) else {
            continue;
        };
        let Ok(channel) = rule.channel.parse::<Channel>() else {
            report.failed += 1;
            continue;
        };
        report.rules += 1;
        let Some(audience) = audience(conn, tenant_id, rule)? else {
            report.failed += 1;
            continue;
        };
        for guest_id in segments::segment_guest_ids(conn, tenant_id, &audience)? {
            let guest = guests::get_guest(conn, tenant_id, guest_id)?;
            let language = guest_language(&guest, &run.tenant);
            let message = GuestMessage {
                guest_id,
                channel,
                purpose: Purpose::HolidayGreeting,
                extra: Default::default(),
                occasion: Some(OccasionVars {
                    key: occurrence.key.to_string(),
                    name: name_in(occurrence, language).to_owned(),
                    date: occurrence.date.to_string(),
                }),
                dedupe_key: format!("greeting:{}:{guest_id}:{}", rule.id, run.date),
                actor: Actor::SYSTEM,
            };
            match send_to_guest(conn, tenant_id, &message) {
                Ok(SendOutcome::Queued(_)) => report.queued += 1,
                Ok(SendOutcome::Withheld(..)) => report.withheld += 1,
                Ok(SendOutcome::Repeated(_)) => report.repeated += 1,
                Err(SendError::Query(error)) => return Err(error),
                Err(SendError::NoTemplate | SendError::Template(_)) => report.failed += 1,
            }
        }
    }
    Ok(report)
}

/// The occasions (built-in calendars and the tenant's own) falling on `date`.
fn occurrences_on(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    date: chrono::NaiveDate,
) -> QueryResult<Vec<Occurrence>> {
    let mut all: Vec<holidays::Occasion> = [Calendar::Intl, Calendar::Vn, Calendar::Tw]
        .iter()
        .flat_map(|c| c.occasions().iter().cloned())
        .collect();
    for row in occasions::list_active_occasions(conn, tenant_id)? {
        match occasions::to_domain(&row) {
            Ok(occasion) => all.push(occasion),
            Err(_) => tracing::warn!(occasion.id = %row.id, "stored occasion does not validate"),
        }
    }
    Ok(holidays::occurrences_of(&all, date.year())
        .into_iter()
        .filter(|o| o.date == date)
        .collect())
}

/// The guests a rule greets; `None` if its segment's filter no longer parses.
fn audience(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    rule: &rules::GreetingRule,
) -> QueryResult<Option<Filter>> {
    Ok(match (rule.audience.as_str(), rule.segment_id) {
        ("domestic", _) => Some(Filter::Domestic(true)),
        ("international", _) => Some(Filter::Domestic(false)),
        ("segment", Some(segment)) => {
            let segment = segments::get_segment(conn, tenant_id, segment)?;
            Filter::parse(&segment.filter).ok()
        }
        _ => Some(Filter::And(Vec::new())),
    })
}

fn name_in(occurrence: &Occurrence, language: Language) -> &str {
    match language {
        Language::Vi => &occurrence.names.vi,
        Language::En => &occurrence.names.en,
        Language::ZhHant => &occurrence.names.zh_hant,
    }
}
