//! Holiday calendars: the occasions guests are greeted on, resolved to dates
//! for any year 1900–2100.
//!
//! Three built-in calendars ([`Calendar`]) list international, Vietnamese and
//! Taiwanese occasions, each with a stable key (`vn.tet`), names in
//! Vietnamese, English and Traditional Chinese, and a [`DateRule`]. Tenants
//! add their own occasions with the same rules ([`custom`]); both resolve
//! through [`occurrences_of`], so a greeting engine can treat them alike:
//!
//! ```
//! use guestcare_domain::holidays::{self, Calendar};
//! let tet = holidays::occurrences(Calendar::Vn, 1985)
//!     .into_iter()
//!     .find(|o| o.key == "vn.tet")
//!     .unwrap();
//! assert_eq!(tet.date.to_string(), "1985-01-21");
//! assert_eq!(tet.names.vi, "Tết Nguyên Đán");
//! ```

mod builtin;
pub mod custom;
mod rule;

use std::{borrow::Cow, fmt, str::FromStr};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use rule::{DateRule, LunarCalendar};

use crate::FieldError;

/// A built-in holiday calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Calendar {
    /// International days: New Year's Day, Women's Day, Christmas.
    Intl,
    /// Vietnam: Tết and the national days; lunar dates at UTC+7.
    Vn,
    /// Taiwan: the Republic of China's national holidays and festivals;
    /// lunar dates at UTC+8.
    Tw,
}

impl Calendar {
    /// Every built-in calendar.
    pub const ALL: [Calendar; 3] = [Calendar::Intl, Calendar::Vn, Calendar::Tw];

    /// The key prefix and query value (`intl`, `vn`, `tw`).
    pub fn as_str(self) -> &'static str {
        match self {
            Calendar::Intl => "intl",
            Calendar::Vn => "vn",
            Calendar::Tw => "tw",
        }
    }

    /// The calendar's occasions.
    pub fn occasions(self) -> &'static [Occasion] {
        match self {
            Calendar::Intl => &builtin::INTL,
            Calendar::Vn => &builtin::VN,
            Calendar::Tw => &builtin::TW,
        }
    }
}

impl fmt::Display for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Calendar {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Calendar::ALL
            .into_iter()
            .find(|calendar| calendar.as_str() == s)
            .ok_or_else(|| FieldError::new("invalid_calendar", "Use one of intl, vn, tw."))
    }
}

/// An occasion's name in each language guests are written to (NFC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Names {
    pub vi: Cow<'static, str>,
    pub en: Cow<'static, str>,
    #[serde(rename = "zh-Hant")]
    pub zh_hant: Cow<'static, str>,
}

/// Something that recurs every year: a holiday or a tenant's own date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occasion {
    /// Stable key: `<calendar>.<name>` for built-ins (`vn.tet`), chosen by
    /// the tenant for its own occasions.
    pub key: Cow<'static, str>,
    pub names: Names,
    pub rule: DateRule,
}

/// One occasion on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub key: Cow<'static, str>,
    pub date: NaiveDate,
    pub names: Names,
    /// Whether the date follows the lunar calendar.
    pub lunar: bool,
}

/// The occurrences of a built-in calendar's occasions in Gregorian `year`,
/// by date then key; empty outside 1900–2100.
pub fn occurrences(calendar: Calendar, year: i32) -> Vec<Occurrence> {
    occurrences_of(calendar.occasions(), year)
}

/// The occurrences of any occasions (built-in or a tenant's) in Gregorian
/// `year`, by date then key. An occasion may occur twice or not at all in a
/// year (see [`DateRule::dates_in`]).
pub fn occurrences_of(occasions: &[Occasion], year: i32) -> Vec<Occurrence> {
    let mut found: Vec<Occurrence> = occasions
        .iter()
        .flat_map(|occasion| {
            occasion
                .rule
                .dates_in(year)
                .into_iter()
                .map(|date| Occurrence {
                    key: occasion.key.clone(),
                    date,
                    names: occasion.names.clone(),
                    lunar: occasion.rule.is_lunar(),
                })
        })
        .collect();
    found.sort_by(|a, b| (a.date, &a.key).cmp(&(b.date, &b.key)));
    found
}

#[cfg(test)]
mod tests;
