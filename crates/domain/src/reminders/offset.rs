//! Where a step falls relative to its anchor.

use std::fmt;

use chrono::{Days, Months, NaiveDate};

use super::{MAX_DAYS, MAX_HOURS, MAX_MONTHS, StepSpec};
use crate::FieldError;

/// A step's distance from its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Offset {
    /// `months` then `days` from an anchor date (either may be negative). A
    /// day the target month lacks falls on its last day: one month after
    /// 31 January is 28 (or 29) February.
    Calendar { months: i32, days: i32 },
    /// Hours after an event.
    Hours(i32),
}

impl Offset {
    /// Reads a step's offset fields: `offset_hours` alone for event rules,
    /// `offset_days` and/or `offset_months` otherwise.
    pub(super) fn parse(spec: &StepSpec, event: bool) -> Result<Offset, FieldError> {
        let bounded = |value: i64, max: i64, field: &str| {
            if (-max..=max).contains(&value) {
                i32::try_from(value).map_err(|_| FieldError::new("out_of_range", ""))
            } else {
                Err(FieldError::new(
                    "out_of_range",
                    format!("Must be between -{max} and {max}."),
                ))
            }
            .map_err(|e| e.at(field))
        };
        if event {
            if spec.offset_days.is_some() || spec.offset_months.is_some() {
                return Err(FieldError::new(
                    "unexpected_offset",
                    "Event steps count `offset_hours` after the event.",
                )
                .at("offset_days"));
            }
            let hours = spec.offset_hours.ok_or_else(|| {
                FieldError::new("required", "Event steps need `offset_hours`.").at("offset_hours")
            })?;
            if hours < 0 {
                return Err(FieldError::new(
                    "out_of_range",
                    format!("Must be between 0 and {MAX_HOURS}."),
                )
                .at("offset_hours"));
            }
            return bounded(hours, MAX_HOURS, "offset_hours").map(Offset::Hours);
        }
        if spec.offset_hours.is_some() {
            return Err(FieldError::new(
                "unexpected_offset",
                "Date steps count `offset_days` and `offset_months` from the anchor date.",
            )
            .at("offset_hours"));
        }
        if spec.offset_days.is_none() && spec.offset_months.is_none() {
            return Err(
                FieldError::new("required", "Give `offset_days` and/or `offset_months`.")
                    .at("offset_days"),
            );
        }
        Ok(Offset::Calendar {
            months: bounded(spec.offset_months.unwrap_or(0), MAX_MONTHS, "offset_months")?,
            days: bounded(spec.offset_days.unwrap_or(0), MAX_DAYS, "offset_days")?,
        })
    }

    /// The step's fields as written (the inverse of `parse`).
    pub fn spec(&self, channel: &str, purpose: &str) -> StepSpec {
        let (offset_months, offset_days, offset_hours) = match *self {
            Offset::Calendar { months, days } => (
                (months != 0).then_some(i64::from(months)),
                (days != 0 || months == 0).then_some(i64::from(days)),
                None,
            ),
            Offset::Hours(hours) => (None, None, Some(i64::from(hours))),
        };
        StepSpec {
            offset_days,
            offset_months,
            offset_hours,
            channel: channel.to_owned(),
            purpose: purpose.to_owned(),
        }
    }

    /// The day a calendar step falls on for `anchor`; `None` for event
    /// steps and outside chrono's range.
    pub fn due_date(&self, anchor: NaiveDate) -> Option<NaiveDate> {
        let Offset::Calendar { months, days } = *self else {
            return None;
        };
        let shifted = if months >= 0 {
            anchor.checked_add_months(Months::new(months.unsigned_abs()))
        } else {
            anchor.checked_sub_months(Months::new(months.unsigned_abs()))
        }?;
        if days >= 0 {
            shifted.checked_add_days(Days::new(u64::from(days.unsigned_abs())))
        } else {
            shifted.checked_sub_days(Days::new(u64::from(days.unsigned_abs())))
        }
    }

    /// Anchor dates whose step may fall in `from..=to`: a window wide
    /// enough for month-end clamping; callers keep the anchors whose
    /// [`due_date`](Self::due_date) is in the period.
    pub fn anchor_window(&self, from: NaiveDate, to: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let Offset::Calendar { months, days } = *self else {
            return None;
        };
        let back = Offset::Calendar {
            months: -months,
            days: -days,
        };
        let lo = back.due_date(from)?.checked_sub_days(Days::new(7))?;
        let hi = back.due_date(to)?.checked_add_days(Days::new(7))?;
        Some((lo, hi))
    }
}

impl fmt::Display for Offset {
    /// `d-30`, `d1`, `m11`, `m1d-3`, `h72`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Offset::Calendar { months, days } => {
                if months != 0 {
                    write!(f, "m{months}")?;
                }
                if days != 0 || months == 0 {
                    write!(f, "d{days}")?;
                }
                Ok(())
            }
            Offset::Hours(hours) => write!(f, "h{hours}"),
        }
    }
}
