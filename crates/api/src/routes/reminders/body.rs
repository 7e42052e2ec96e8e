//! The JSON shapes of reminder rules.

use chrono::{DateTime, Utc};
use guestcare_db::reminders::ReminderRule;
use guestcare_domain::reminders::StepSpec;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A reminder rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderRuleView {
    pub id: Uuid,
    pub name: String,
    /// `guest_date`, `stay_check_out`, `last_stay`, `care_period_end` or
    /// `event`.
    pub anchor: String,
    /// The guest date's kind (`membership_expiry`) or the event's name
    /// (`ticket.resolved`).
    pub anchor_key: Option<String>,
    pub steps: Vec<StepSpec>,
    /// Skip a step when the guest checked in after the anchor date and on
    /// or before the step's day.
    pub stop_on_new_stay: bool,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ReminderRule> for ReminderRuleView {
    fn from(r: ReminderRule) -> Self {
        ReminderRuleView {
            steps: r.step_specs(),
            id: r.id,
            name: r.name,
            anchor: r.anchor,
            anchor_key: r.anchor_key,
            stop_on_new_stay: r.stop_on_new_stay,
            active: r.active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReminderRule {
    /// 1–200 characters.
    pub name: String,
    pub anchor: String,
    /// Required for `guest_date` and `event` anchors, absent otherwise.
    pub anchor_key: Option<String>,
    /// 1–20 steps, at most one per offset and channel. Date anchors:
    /// `offset_days` (±731) and/or `offset_months` (±24); event anchors:
    /// `offset_hours` (0–2160).
    pub steps: Vec<StepSpec>,
    /// Default `false`.
    pub stop_on_new_stay: Option<bool>,
    /// Default `true`.
    pub active: Option<bool>,
}

/// Fields to change; absent fields stay as they are, `steps` is replaced
/// whole. A new `anchor` takes the `anchor_key` given with it (none if
/// absent); `anchor_key` alone changes the key of the current anchor.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderRuleUpdate {
    pub name: Option<String>,
    pub anchor: Option<String>,
    pub anchor_key: Option<String>,
    pub steps: Option<Vec<StepSpec>>,
    pub stop_on_new_stay: Option<bool>,
    pub active: Option<bool>,
}
