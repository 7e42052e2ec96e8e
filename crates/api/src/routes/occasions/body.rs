//! The JSON shapes of occasions and their validation into stored fields.

use chrono::{DateTime, Utc};
use guestcare_db::occasions::{self, OccasionFields};
use guestcare_domain::{
    FieldError, ValidationErrors,
    holidays::{self, DateRule, LunarCalendar, custom},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;

/// An occasion's name in each guest language.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OccasionNames {
    pub vi: String,
    pub en: String,
    #[serde(rename = "zh-Hant")]
    pub zh_hant: String,
}

/// When an occasion falls each year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OccasionRule {
    /// `solar` (the same Gregorian day every year; 29 February falls on the
    /// 28th in common years) or `lunar`.
    pub kind: String,
    /// 1–12.
    pub month: i64,
    /// 1–31 for solar rules; 1–30 for lunar rules, a 30th the month lacks
    /// falling on its 29th.
    pub day: i64,
    /// Lunar only: the leap month of that number, in years that have one
    /// (else the regular month).
    #[serde(default)]
    pub leap: bool,
    /// Lunar only, required: `vietnamese` (UTC+7) or `chinese` (UTC+8, also
    /// Taiwan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// A tenant occasion.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccasionView {
    pub id: Uuid,
    /// Listed by `/holidays` as `tenant.<key>`.
    pub key: String,
    pub names: OccasionNames,
    pub rule: OccasionRule,
    /// Inactive occasions are kept but not listed by `/holidays`.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<occasions::Occasion> for OccasionView {
    fn from(o: occasions::Occasion) -> Self {
        OccasionView {
            id: o.id,
            key: o.key,
            names: OccasionNames {
                vi: o.name_vi,
                en: o.name_en,
                zh_hant: o.name_zh_hant,
            },
            rule: OccasionRule {
                kind: o.kind,
                month: o.month.into(),
                day: o.day.into(),
                leap: o.leap,
                calendar: o.lunar_calendar,
            },
            active: o.active,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOccasionRequest {
    /// 1–64 of `a-z`, `0-9`, `_`, `-`; unique in the tenant.
    pub key: String,
    pub names: OccasionNames,
    pub rule: OccasionRule,
    /// Default `true`.
    pub active: Option<bool>,
}

/// Fields to change; absent fields stay as they are. `names` and `rule` are
/// replaced whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OccasionUpdate {
    pub key: Option<String>,
    pub names: Option<OccasionNames>,
    pub rule: Option<OccasionRule>,
    pub active: Option<bool>,
}

/// A validated occasion, ready to store.
pub(super) struct ValidOccasion {
    key: String,
    names: holidays::Names,
    kind: &'static str,
    month: u8,
    day: u8,
    leap: bool,
    calendar: Option<LunarCalendar>,
    active: bool,
}

impl ValidOccasion {
    pub(super) fn parse(
        key: &str,
        names: &OccasionNames,
        rule: &OccasionRule,
        active: bool,
    ) -> Result<ValidOccasion, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let key = errors.check("key", custom::parse_key(key));
        let names = custom::parse_names(&names.vi, &names.en, &names.zh_hant)
            .map_err(|e| e.into_iter().for_each(|e| errors.push(e.at("names"))))
            .ok();
        let rule = rule_parts(rule)
            .validate()
            .map_err(|e| e.into_iter().for_each(|e| errors.push(e.at("rule"))))
            .ok();
        let (Some(key), Some(names), Some(rule)) = (key, names, rule) else {
            return Err(errors);
        };
        let (kind, month, day, leap, calendar) = match rule {
            DateRule::Solar { month, day } => ("solar", month, day, false, None),
            DateRule::Lunar {
                month,
                day,
                leap,
                calendar,
            } => ("lunar", month, day, leap, Some(calendar)),
            DateRule::LunarMonthEnd { .. } | DateRule::SolarTerm { .. } => {
                return Err(FieldError::new("invalid_kind", "Use `solar` or `lunar`.")
                    .at("rule.kind")
                    .into());
            }
        };
        Ok(ValidOccasion {
            key,
            names,
            kind,
            month,
            day,
            leap,
            calendar,
            active,
        })
    }

    pub(super) fn fields(&self) -> OccasionFields<'_> {
        OccasionFields {
            key: &self.key,
            name_vi: &self.names.vi,
            name_en: &self.names.en,
            name_zh_hant: &self.names.zh_hant,
            kind: self.kind,
            month: self.month.into(),
            day: self.day.into(),
            leap: self.leap,
            lunar_calendar: self.calendar.map(LunarCalendar::as_str),
            active: self.active,
        }
    }
}

fn rule_parts(rule: &OccasionRule) -> custom::RuleParts<'_> {
    custom::RuleParts {
        kind: &rule.kind,
        month: rule.month,
        day: rule.day,
        leap: rule.leap,
        calendar: rule.calendar.as_deref(),
    }
}

/// A stored occasion as the holiday calendars see it.
pub fn to_domain(row: occasions::Occasion) -> Result<holidays::Occasion, ApiError> {
    occasions::to_domain(&row).map_err(ApiError::internal)
}
