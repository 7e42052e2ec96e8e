//! The marketing frequency cap: how many marketing messages one guest may
//! get in a rolling window, per tenant.

use crate::{FieldError, ValidationErrors};

/// At most `messages` marketing messages (queued or sent) per guest in any
/// `days` days; `messages = 0` stops marketing altogether.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarketingCap {
    pub messages: i32,
    pub days: i32,
}

impl MarketingCap {
    /// What applies until a tenant sets its own: 2 per 7 days.
    pub const DEFAULT: MarketingCap = MarketingCap {
        messages: 2,
        days: 7,
    };

    /// The cap if `messages` is 0–100 and `days` 1–365; errors at
    /// `messages` and `days`.
    pub fn new(messages: i64, days: i64) -> Result<MarketingCap, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let messages = errors.check("messages", in_range(messages, 0, 100));
        let days = errors.check("days", in_range(days, 1, 365));
        errors.finish(|| MarketingCap {
            messages: messages.unwrap_or_default(),
            days: days.unwrap_or_default(),
        })
    }
}

fn in_range(value: i64, min: i32, max: i32) -> Result<i32, FieldError> {
    i32::try_from(value)
        .ok()
        .filter(|v| (min..=max).contains(v))
        .ok_or_else(|| {
            FieldError::new(
                "out_of_range",
                format!("Use a whole number from {min} to {max}."),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_checked_field_by_field() {
        assert_eq!(
            MarketingCap::new(0, 365).unwrap(),
            MarketingCap {
                messages: 0,
                days: 365
            }
        );
        let errors = MarketingCap::new(101, 0).unwrap_err();
        let fields: Vec<String> = errors.errors().iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["messages", "days"]);
    }
}
