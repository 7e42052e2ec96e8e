//! The JSON shapes of greeting rules and their validation.

use chrono::{DateTime, Utc};
use diesel::PgConnection;
use guestcare_db::{care::GreetingRule, care::GreetingRuleFields, occasions, segments};
use guestcare_domain::{FieldError, ValidationErrors, holidays::Calendar, templates::Channel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;

/// Which occasion greets which guests, how and when.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GreetingRuleView {
    pub id: Uuid,
    /// A built-in occasion key (`vn.tet`, `intl.christmas`, see
    /// `/v1/holidays`) or `tenant.<key>` for the tenant's own occasion.
    pub occasion_key: String,
    /// `all`, `domestic` (nationality is the tenant's country),
    /// `international` (another known nationality) or `segment`.
    pub audience: String,
    /// With `audience` `segment`.
    pub segment_id: Option<Uuid>,
    /// `email` or `sms`.
    pub channel: String,
    /// The hour (tenant time, 0–23) the greeting goes out on the day.
    pub send_hour: i16,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<GreetingRule> for GreetingRuleView {
    fn from(r: GreetingRule) -> Self {
        GreetingRuleView {
            id: r.id,
            occasion_key: r.occasion_key,
            audience: r.audience,
            segment_id: r.segment_id,
            channel: r.channel,
            send_hour: r.send_hour,
            active: r.active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// A new rule; on `PATCH` every field is optional.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GreetingRuleRequest {
    pub occasion_key: Option<String>,
    /// Default `all`.
    pub audience: Option<String>,
    pub segment_id: Option<Uuid>,
    /// Default `sms`.
    pub channel: Option<String>,
    /// Default 9.
    pub send_hour: Option<i64>,
    /// Default `true`.
    pub active: Option<bool>,
}

const AUDIENCES: [&str; 4] = ["all", "domestic", "international", "segment"];

impl GreetingRuleRequest {
    /// The request applied over `current` (or the defaults), validated
    /// against the tenant's occasions and segments.
    pub(super) fn fields(
        self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        current: Option<GreetingRule>,
    ) -> Result<GreetingRuleFields, ApiError> {
        let mut errors = ValidationErrors::new();
        let occasion_key = match self
            .occasion_key
            .or(current.as_ref().map(|c| c.occasion_key.clone()))
        {
            Some(key) => Some(key),
            None => {
                errors.push(
                    FieldError::new("required", "Give the occasion's key.").at("occasion_key"),
                );
                None
            }
        };
        if let Some(key) = &occasion_key
            && !occasion_exists(conn, tenant_id, key)?
        {
            errors.push(
                FieldError::new(
                    "unknown_occasion",
                    "No built-in or tenant occasion has this key.",
                )
                .at("occasion_key"),
            );
        }
        let audience_given = self.audience.is_some();
        let audience = self
            .audience
            .or(current.as_ref().map(|c| c.audience.clone()))
            .unwrap_or_else(|| "all".to_owned());
        if !AUDIENCES.contains(&audience.as_str()) {
            errors.push(
                FieldError::new(
                    "invalid_audience",
                    format!("Use one of: {}.", AUDIENCES.join(", ")),
                )
                .at("audience"),
            );
        }
        let segment_id = if audience_given || self.segment_id.is_some() || current.is_none() {
            self.segment_id
        } else {
            current.as_ref().and_then(|c| c.segment_id)
        };
        match (audience.as_str(), segment_id) {
            ("segment", None) => errors
                .push(FieldError::new("required", "Give the segment to greet.").at("segment_id")),
            ("segment", Some(id)) => match segments::get_segment(conn, tenant_id, id) {
                Ok(_) => {}
                Err(diesel::result::Error::NotFound) => errors.push(
                    FieldError::new("unknown_segment", "The tenant has no segment with this id.")
                        .at("segment_id"),
                ),
                Err(e) => return Err(e.into()),
            },
            (_, Some(_)) => errors.push(
                FieldError::new("not_allowed", "Only a `segment` audience has a segment.")
                    .at("segment_id"),
            ),
            _ => {}
        }
        let channel = self
            .channel
            .or(current.as_ref().map(|c| c.channel.clone()))
            .unwrap_or_else(|| "sms".to_owned());
        errors.check("channel", channel.parse::<Channel>());
        let send_hour = self
            .send_hour
            .or(current.as_ref().map(|c| c.send_hour.into()))
            .unwrap_or(9);
        if !(0..=23).contains(&send_hour) {
            errors
                .push(FieldError::new("out_of_range", "Use an hour from 0 to 23.").at("send_hour"));
        }
        let active = self.active.or(current.map(|c| c.active)).unwrap_or(true);
        match occasion_key {
            Some(occasion_key) if errors.is_empty() => Ok(GreetingRuleFields {
                occasion_key,
                audience,
                segment_id,
                channel,
                send_hour: i16::try_from(send_hour).unwrap_or(9),
                active,
            }),
            _ => Err(errors.into()),
        }
    }
}

/// Whether `key` names a built-in occasion or one of the tenant's own.
fn occasion_exists(conn: &mut PgConnection, tenant_id: Uuid, key: &str) -> Result<bool, ApiError> {
    if let Some(own) = key.strip_prefix("tenant.") {
        let mine = occasions::list_active_occasions(conn, tenant_id)?;
        return Ok(mine.iter().any(|o| o.key == own));
    }
    Ok([Calendar::Intl, Calendar::Vn, Calendar::Tw]
        .iter()
        .any(|c| c.occasions().iter().any(|o| o.key == key)))
}
