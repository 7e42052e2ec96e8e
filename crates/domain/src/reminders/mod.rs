//! Reminder schedules: steps at offsets from an anchor date (a guest date
//! such as a membership expiry, a stay's check-out, the last stay, the care
//! period's end) or hours after an event (a ticket resolved).
//!
//! A rule is stored as its raw parts ([`RuleParts`], the API's shape) and
//! parsed here, with every bad value reported at its path. The date
//! arithmetic is [`Offset::due_date`]; the anchors that make a step due in a
//! period are found by the database with [`Offset::anchor_window`] and kept
//! when their due date falls in the period.

mod offset;
pub mod plans;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use offset::Offset;

use crate::{
    FieldError, ValidationErrors, bounded_text,
    templates::{Channel, Purpose},
};

/// What a rule counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// A guest's dated fact of this kind (`membership_expiry`, …).
    GuestDate(String),
    /// Each stay's check-out.
    StayCheckOut,
    /// The guest's latest stay (its check-out, else its check-in).
    LastStay,
    /// The day the guest's care period ends (one year after the latest stay).
    CarePeriodEnd,
    /// An event the application reports (`ticket.resolved`); steps count hours.
    Event(String),
}

impl Anchor {
    /// The stored `anchor` column.
    pub fn as_str(&self) -> &'static str {
        match self {
            Anchor::GuestDate(_) => "guest_date",
            Anchor::StayCheckOut => "stay_check_out",
            Anchor::LastStay => "last_stay",
            Anchor::CarePeriodEnd => "care_period_end",
            Anchor::Event(_) => "event",
        }
    }

    /// The stored `anchor_key` column: the date kind or the event name.
    pub fn key(&self) -> Option<&str> {
        match self {
            Anchor::GuestDate(key) | Anchor::Event(key) => Some(key),
            _ => None,
        }
    }
}

/// One step as written: an offset, a channel and the purpose whose template
/// it sends. Date rules use `offset_days` and/or `offset_months`; event rules
/// use `offset_hours`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_months: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_hours: Option<i64>,
    /// `email` or `sms`.
    pub channel: String,
    /// `reminder` (a service message) or `promotion` (marketing: consent and
    /// the frequency cap apply).
    pub purpose: String,
}

/// A validated step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub offset: Offset,
    pub channel: Channel,
    pub purpose: Purpose,
}

impl Step {
    /// The step's identity in dedupe keys: its offset and channel (a rule
    /// has at most one step per offset and channel), so editing other steps
    /// never makes this one send again.
    pub fn key(&self) -> String {
        format!("{}:{}", self.offset, self.channel)
    }
}

/// A rule as written (the API body's and the table's parts).
#[derive(Debug, Clone, Copy)]
pub struct RuleParts<'a> {
    pub name: &'a str,
    pub anchor: &'a str,
    pub anchor_key: Option<&'a str>,
    pub steps: &'a [StepSpec],
}

/// A validated rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub name: String,
    pub anchor: Anchor,
    pub steps: Vec<Step>,
}

/// The most steps a rule may have.
pub const MAX_STEPS: usize = 20;
/// Date offsets stay within this many days (and `MAX_MONTHS` months).
pub const MAX_DAYS: i64 = 731;
pub const MAX_MONTHS: i64 = 24;
/// Event offsets stay within this many hours (90 days).
pub const MAX_HOURS: i64 = 2160;

impl RuleParts<'_> {
    /// Parses the rule, reporting every bad value at its path (`name`,
    /// `anchor`, `anchor_key`, `steps[2].offset_days`, …).
    pub fn validate(&self) -> Result<Rule, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check("name", bounded_text(self.name, 1, 200));
        let anchor = parse_anchor(self.anchor, self.anchor_key)
            .map_err(|e| errors.push(e))
            .ok();
        if self.steps.is_empty() || self.steps.len() > MAX_STEPS {
            errors.push(
                FieldError::new(
                    "invalid_steps",
                    format!("A rule has 1 to {MAX_STEPS} steps."),
                )
                .at("steps"),
            );
        }
        // Offsets are checked against the anchor's kind even when its key is bad.
        let is_event = match self.anchor {
            "event" => Some(true),
            "guest_date" | "stay_check_out" | "last_stay" | "care_period_end" => Some(false),
            _ => None,
        };
        let mut steps = Vec::with_capacity(self.steps.len());
        let mut seen = BTreeSet::new();
        for (i, spec) in self.steps.iter().enumerate() {
            let at = format!("steps[{i}]");
            let Some(step) = parse_step(spec, is_event, &at, &mut errors) else {
                continue;
            };
            if !seen.insert(step.key()) {
                errors.push(
                    FieldError::new(
                        "duplicate_step",
                        "Another step has the same offset and channel.",
                    )
                    .at(&at),
                );
            }
            steps.push(step);
        }
        let (Some(name), Some(anchor)) = (name, anchor) else {
            return Err(errors);
        };
        errors.finish(|| Rule {
            name,
            anchor,
            steps,
        })
    }
}

/// Parses the anchor; errors carry their path (`anchor` or `anchor_key`).
fn parse_anchor(anchor: &str, anchor_key: Option<&str>) -> Result<Anchor, FieldError> {
    let key = |what: &str| {
        let key = anchor_key.ok_or_else(|| {
            FieldError::new("required", format!("`anchor_key` names the {what}."))
        })?;
        let valid = key.len() <= 40
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
        if valid {
            Ok(key.to_owned())
        } else {
            Err(FieldError::new(
                "invalid_anchor_key",
                "Use 1–40 of a-z, 0-9, `_` and `.`, starting with a letter.",
            ))
        }
    };
    let no_key = |anchor: Anchor| match anchor_key {
        Some(_) => Err(FieldError::new(
            "unexpected_anchor_key",
            "Only `guest_date` and `event` anchors take `anchor_key`.",
        )),
        None => Ok(anchor),
    };
    match anchor {
        "guest_date" => key("guest date's kind").map(Anchor::GuestDate),
        "event" => key("event").map(Anchor::Event),
        "stay_check_out" => no_key(Anchor::StayCheckOut),
        "last_stay" => no_key(Anchor::LastStay),
        "care_period_end" => no_key(Anchor::CarePeriodEnd),
        _ => Err(FieldError::new(
            "invalid_anchor",
            "Anchor must be guest_date, stay_check_out, last_stay, care_period_end or event.",
        )),
    }
    .map_err(|e| match e.code {
        "invalid_anchor" => e.at("anchor"),
        _ => e.at("anchor_key"),
    })
}

/// Parses one step; errors go to `errors` at `at.<field>`.
fn parse_step(
    spec: &StepSpec,
    is_event: Option<bool>,
    at: &str,
    errors: &mut ValidationErrors,
) -> Option<Step> {
    let channel = errors.check(&format!("{at}.channel"), spec.channel.parse::<Channel>());
    let purpose = errors.check(
        &format!("{at}.purpose"),
        spec.purpose.parse::<Purpose>().and_then(|p| match p {
            Purpose::Reminder | Purpose::Promotion => Ok(p),
            _ => Err(FieldError::new(
                "invalid_purpose",
                "A reminder step sends a `reminder` or a `promotion`.",
            )),
        }),
    );
    let offset = is_event.and_then(|event| errors.check(at, Offset::parse(spec, event)));
    Some(Step {
        offset: offset?,
        channel: channel?,
        purpose: purpose?,
    })
}

#[cfg(test)]
mod tests;
