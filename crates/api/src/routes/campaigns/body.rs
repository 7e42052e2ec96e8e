//! The JSON shapes of campaigns and their validation.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use guestcare_db::campaigns::{Campaign, CampaignFields};
use guestcare_domain::{
    FieldError, Language, ValidationErrors, bounded_text,
    campaigns::{Audience, Variants, validate_variants},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// When a campaign sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Schedule {
    /// As soon as it is scheduled.
    Now,
    /// At an instant (write it with the tenant's offset, e.g.
    /// `2026-12-24T09:00:00+07:00`).
    At { at: DateTime<Utc> },
    /// At `time` on `date` in each guest's own time zone (else the
    /// tenant's).
    GuestLocal {
        date: NaiveDate,
        #[schema(value_type = String, example = "09:00:00")]
        time: NaiveTime,
    },
}

/// A campaign's fields. Creating needs `name`, `audience`, `variants`;
/// updating a draft changes only the fields given.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    /// 1–200 characters.
    pub name: Option<String>,
    pub audience: Option<Audience>,
    /// Subject, HTML and text per language (`vi`, `en`, `zh-Hant`), written
    /// as promotion templates: `{{ guest.full_name }}`,
    /// `{{ extra.unsubscribe_url }}`, images as hosted asset URLs. Every
    /// literal `https://` link becomes a tracked redirect.
    #[schema(value_type = Object)]
    pub variants: Option<Variants>,
    /// The variant for guests whose language has none (default `vi`).
    pub default_language: Option<Language>,
    /// The From display name (the address is the tenant's sender).
    pub sender_name: Option<String>,
    /// Default `{"kind": "now"}`.
    pub schedule: Option<Schedule>,
    /// Messages per minute, 1–1 000 000: match the SMTP provider's limit
    /// (default 600).
    pub rate_per_minute: Option<i32>,
    /// Adds a 1×1 open-tracking image (default false).
    pub track_opens: Option<bool>,
}

impl CampaignInput {
    /// The stored fields: `self` over `current` (a draft's, or none when
    /// creating), every problem reported at its path.
    pub(super) fn into_fields(
        self,
        current: Option<&Campaign>,
    ) -> Result<CampaignFields, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = self.name.or_else(|| current.map(|c| c.name.clone()));
        let name = errors
            .require("name", name)
            .and_then(|n| errors.check("name", bounded_text(&n, 1, 200)));
        let audience = self
            .audience
            .or_else(|| current.and_then(|c| serde_json::from_value(c.audience.clone()).ok()));
        if let Some(audience) = &audience
            && let Err(found) = audience.validate()
        {
            found.into_iter().for_each(|e| errors.push(e));
        }
        let audience = errors.require("audience", audience);
        let variants = self
            .variants
            .or_else(|| current.and_then(|c| serde_json::from_value(c.variants.clone()).ok()));
        let default_language = self
            .default_language
            .or_else(|| current.and_then(|c| c.default_language.parse().ok()))
            .unwrap_or(Language::Vi);
        if let Some(variants) = &variants
            && let Err(found) = validate_variants(variants, default_language)
        {
            found.into_iter().for_each(|e| errors.push(e));
        }
        let variants = errors.require("variants", variants);
        let sender_name = match self.sender_name {
            Some(n) => errors.check("sender_name", bounded_text(&n, 1, 100)),
            None => current.and_then(|c| c.sender_name.clone()),
        };
        let schedule = self
            .schedule
            .or_else(|| current.map(schedule_of))
            .unwrap_or(Schedule::Now);
        let rate = self
            .rate_per_minute
            .or_else(|| current.map(|c| c.rate_per_minute))
            .unwrap_or(600);
        if !(1..=1_000_000).contains(&rate) {
            errors.push(
                FieldError::new("out_of_range", "Use 1–1 000 000 messages per minute.")
                    .at("rate_per_minute"),
            );
        }
        let track_opens = self
            .track_opens
            .or_else(|| current.map(|c| c.track_opens))
            .unwrap_or(false);
        let (Some(name), Some(audience), Some(variants)) = (name, audience, variants) else {
            return Err(errors);
        };
        errors.finish(|| {
            let (send_at, local_date, local_time) = match &schedule {
                Schedule::Now => (None, None, None),
                Schedule::At { at } => (Some(*at), None, None),
                Schedule::GuestLocal { date, time } => (None, Some(*date), Some(*time)),
            };
            CampaignFields {
                name,
                audience: serde_json::to_value(&audience).unwrap_or_default(),
                variants: serde_json::to_value(&variants).unwrap_or_default(),
                default_language: default_language.as_str().to_owned(),
                sender_name,
                schedule: kind_of(&schedule).to_owned(),
                send_at,
                local_date,
                local_time,
                rate_per_minute: rate,
                track_opens,
            }
        })
    }
}

fn kind_of(schedule: &Schedule) -> &'static str {
    match schedule {
        Schedule::Now => "now",
        Schedule::At { .. } => "at",
        Schedule::GuestLocal { .. } => "guest_local",
    }
}

fn schedule_of(c: &Campaign) -> Schedule {
    match (c.schedule.as_str(), c.send_at, c.local_date, c.local_time) {
        ("at", Some(at), _, _) => Schedule::At { at },
        ("guest_local", _, Some(date), Some(time)) => Schedule::GuestLocal { date, time },
        _ => Schedule::Now,
    }
}

/// A campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignView {
    pub id: Uuid,
    pub name: String,
    /// draft, scheduled, sending, paused, sent or cancelled.
    pub status: String,
    #[schema(value_type = Object)]
    pub audience: serde_json::Value,
    #[schema(value_type = Object)]
    pub variants: serde_json::Value,
    pub default_language: String,
    pub sender_name: Option<String>,
    pub schedule: Schedule,
    pub rate_per_minute: i32,
    pub track_opens: bool,
    /// The frozen audience's size, once sending started.
    pub recipients: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<Campaign> for CampaignView {
    fn from(c: Campaign) -> Self {
        CampaignView {
            schedule: schedule_of(&c),
            id: c.id,
            name: c.name,
            status: c.status,
            audience: c.audience,
            variants: c.variants,
            default_language: c.default_language,
            sender_name: c.sender_name,
            rate_per_minute: c.rate_per_minute,
            track_opens: c.track_opens,
            recipients: c.recipients,
            created_at: c.created_at,
            updated_at: c.updated_at,
            started_at: c.started_at,
            finished_at: c.finished_at,
        }
    }
}

/// Errors for audience segments the tenant does not have.
pub(super) fn missing_segments(
    audience: &Audience,
    exists: impl Fn(Uuid) -> bool,
) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    for (path, ids) in [
        ("audience.segment_ids", &audience.include.segment_ids),
        (
            "audience.exclude.segment_ids",
            &audience.exclude.segment_ids,
        ),
    ] {
        for (i, id) in ids.iter().enumerate() {
            if !exists(*id) {
                errors.push(
                    FieldError::new("unknown_segment", "No such segment.")
                        .at(format!("{path}[{i}]")),
                );
            }
        }
    }
    errors
}
