//! The greeting run: every hour (tenant time), the active greeting rules of
//! that hour whose occasion falls on the tenant's local day send the
//! greeting to their audience through `send_to_guest` (consent, caps,
//! quiet hours), with the dedupe key `greeting:{rule}:{guest}:{date}`, so
//! nobody is greeted twice for one occurrence.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use guestcare_domain::{
    Language,
    holidays::{self, Calendar, Occurrence},
    segment::Filter,
    signed_token::GuestLinks,
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
    links: &GuestLinks,
    tenant_id: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<GreetingReport> {
    let run = local_run(conn, tenant_id, at)?;
    let mut report = GreetingReport::default();
    let hour = i16::try_from(run.hour).unwrap_or(0);
    for due in greetings_due(conn, tenant_id, run.date, Some(hour))? {
        let Some(channel) = due.channel else {
            report.failed += 1;
            continue;
        };
        report.rules += 1;
        let Some(guest_ids) = due.guest_ids else {
            report.failed += 1;
            continue;
        };
        let occurrence = &due.occurrence;
        let rule = &due.rule;
        for guest_id in guest_ids {
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
                text: Default::default(),
                dedupe_key: format!("greeting:{}:{guest_id}:{}", rule.id, run.date),
                actor: Actor::SYSTEM,
            };
            match send_to_guest(conn, tenant_id, &message, links) {
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

/// A greeting rule whose occasion falls on a day.
#[derive(Debug, Clone)]
pub struct DueGreeting {
    pub rule: rules::GreetingRule,
    pub occurrence: Occurrence,
    /// `None` if the stored channel no longer parses.
    pub channel: Option<Channel>,
    /// The guests it greets; `None` if the channel is bad or the rule's
    /// segment no longer parses.
    pub guest_ids: Option<Vec<Uuid>>,
}

/// The active greeting rules (those of `hour`, or all) whose occasion falls
/// on the tenant-local `date`, with their audience that day: what the run
/// of each hour sends and what the forecast shows.
pub fn greetings_due(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    date: NaiveDate,
    hour: Option<i16>,
) -> QueryResult<Vec<DueGreeting>> {
    let active = rules::active_rules(conn, tenant_id, hour)?;
    if active.is_empty() {
        return Ok(Vec::new());
    }
    let today = occurrences_on(conn, tenant_id, date)?;
    let mut due = Vec::new();
    for rule in active {
        let Some(occurrence) = today.iter().find(|o| o.key == rule.occasion_key) else {
            continue;
        };
        let channel = rule.channel.parse::<Channel>().ok();
        let guest_ids = match (channel, audience(conn, tenant_id, &rule)?) {
            (Some(_), Some(filter)) => Some(segments::segment_guest_ids_on(
                conn, tenant_id, &filter, date,
            )?),
            _ => None,
        };
        due.push(DueGreeting {
            rule,
            occurrence: occurrence.clone(),
            channel,
            guest_ids,
        });
    }
    Ok(due)
}

/// The occasions (built-in calendars and the tenant's own) falling on `date`.
fn occurrences_on(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    date: NaiveDate,
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
