//! When an occasion falls: a rule resolved to dates of a Gregorian year.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::lunar::{self, LunarDate, Meridian, SolarTerm};

/// Which lunisolar calendar a lunar rule follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LunarCalendar {
    /// Vietnam's âm lịch, reckoned at UTC+7.
    Vietnamese,
    /// The Chinese 農曆 of China and Taiwan, reckoned at UTC+8.
    Chinese,
}

impl LunarCalendar {
    /// The stable text form (`vietnamese`, `chinese`).
    pub fn as_str(self) -> &'static str {
        match self {
            LunarCalendar::Vietnamese => "vietnamese",
            LunarCalendar::Chinese => "chinese",
        }
    }

    /// The meridian this calendar is reckoned at.
    pub fn meridian(self) -> Meridian {
        match self {
            LunarCalendar::Vietnamese => Meridian::VIETNAM,
            LunarCalendar::Chinese => Meridian::CHINA,
        }
    }
}

impl std::str::FromStr for LunarCalendar {
    type Err = crate::FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "vietnamese" => Ok(LunarCalendar::Vietnamese),
            "chinese" => Ok(LunarCalendar::Chinese),
            _ => Err(crate::FieldError::new(
                "invalid_lunar_calendar",
                "Use `vietnamese` (UTC+7) or `chinese` (UTC+8, also Taiwan).",
            )),
        }
    }
}

/// How an occasion's date is found each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRule {
    /// The same Gregorian day every year; 29 February falls on 28 February
    /// in common years.
    Solar { month: u8, day: u8 },
    /// A lunar month and day. A day the month lacks (the 30th of a 29-day
    /// month) falls on the month's last day. A leap-month rule falls in the
    /// leap month in years that have it, else in the regular month.
    Lunar {
        month: u8,
        day: u8,
        leap: bool,
        calendar: LunarCalendar,
    },
    /// `days_before` days before the last day of a lunar month (e.g. Lunar
    /// New Year's Eve: month 12, 0 days before).
    LunarMonthEnd {
        month: u8,
        days_before: u8,
        calendar: LunarCalendar,
    },
    /// The day of a solar term (e.g. Qingming for Tomb-Sweeping Day).
    SolarTerm {
        term: SolarTerm,
        calendar: LunarCalendar,
    },
}

impl DateRule {
    /// Whether the date follows the moon (lunar month rules); solar terms
    /// and fixed days are not lunar.
    pub fn is_lunar(&self) -> bool {
        matches!(
            self,
            DateRule::Lunar { .. } | DateRule::LunarMonthEnd { .. }
        )
    }

    /// The dates in Gregorian `year`, in order. Usually one; a lunar date
    /// late in the lunar year can fall twice in one Gregorian year or not at
    /// all. Empty outside 1900–2100.
    pub fn dates_in(&self, year: i32) -> Vec<NaiveDate> {
        if !(lunar::FIRST_YEAR..=lunar::LAST_YEAR).contains(&year) {
            return Vec::new();
        }
        match *self {
            DateRule::Solar { month, day } => solar_date(year, month, day).into_iter().collect(),
            DateRule::SolarTerm { term, calendar } => {
                lunar::solar_term_date(year, term, calendar.meridian())
                    .into_iter()
                    .collect()
            }
            DateRule::Lunar { .. } | DateRule::LunarMonthEnd { .. } => [year - 1, year]
                .into_iter()
                .filter_map(|lunar_year| self.lunar_date_of(lunar_year))
                .filter(|date| date.year() == year)
                .collect(),
        }
    }

    /// The date of a lunar rule in `lunar_year`.
    fn lunar_date_of(&self, lunar_year: i32) -> Option<NaiveDate> {
        let (month, leap, day, calendar) = match *self {
            DateRule::Lunar {
                month,
                day,
                leap,
                calendar,
            } => {
                let leap =
                    leap && lunar::leap_month(lunar_year, calendar.meridian()) == Some(month);
                (month, leap, Some(day), calendar)
            }
            DateRule::LunarMonthEnd {
                month, calendar, ..
            } => (month, false, None, calendar),
            DateRule::Solar { .. } | DateRule::SolarTerm { .. } => return None,
        };
        let meridian = calendar.meridian();
        let length = lunar::month_length(lunar_year, month, leap, meridian)?;
        let day = match (*self, day) {
            (DateRule::LunarMonthEnd { days_before, .. }, _) => length.checked_sub(days_before)?,
            (_, Some(day)) => day.min(length),
            (_, None) => return None,
        };
        let date = LunarDate {
            year: lunar_year,
            month,
            day,
            leap,
        };
        lunar::lunar_to_solar(date, meridian)
    }
}

/// A Gregorian month and day in `year`, 29 February moving to the 28th.
fn solar_date(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let (month, day) = (u32::from(month), u32::from(day));
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        (month == 2 && day == 29)
            .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const VN: LunarCalendar = LunarCalendar::Vietnamese;

    #[test]
    fn february_29_falls_on_the_28th_in_common_years() {
        let rule = DateRule::Solar { month: 2, day: 29 };
        assert_eq!(rule.dates_in(2024), [date(2024, 2, 29)]);
        assert_eq!(rule.dates_in(2025), [date(2025, 2, 28)]);
        assert_eq!(rule.dates_in(1899), []);
    }

    #[test]
    fn a_missing_30th_falls_on_the_months_last_day() {
        // Month 12 of lunar 2024 has 29 days; its last day is 28 January 2025.
        let rule = DateRule::Lunar {
            month: 12,
            day: 30,
            leap: false,
            calendar: VN,
        };
        assert_eq!(rule.dates_in(2025), [date(2025, 1, 28)]);
        let eve = DateRule::LunarMonthEnd {
            month: 12,
            days_before: 0,
            calendar: VN,
        };
        assert_eq!(eve.dates_in(2025), [date(2025, 1, 28)]);
    }

    #[test]
    fn leap_month_rules_fall_back_to_the_regular_month() {
        let rule = DateRule::Lunar {
            month: 4,
            day: 1,
            leap: true,
            calendar: VN,
        };
        assert_eq!(rule.dates_in(2020), [date(2020, 5, 23)]);
        assert_eq!(rule.dates_in(2021), [date(2021, 5, 12)]);
    }

    #[test]
    fn a_late_lunar_date_can_fall_twice_in_a_gregorian_year() {
        // Lunar 11/20 fell on 3 January 2021 (lunar 2020) and again on
        // 23 December 2021 (lunar 2021).
        let rule = DateRule::Lunar {
            month: 11,
            day: 20,
            leap: false,
            calendar: LunarCalendar::Chinese,
        };
        assert_eq!(rule.dates_in(2021), [date(2021, 1, 3), date(2021, 12, 23)]);
        assert!(rule.is_lunar());
        assert!(!DateRule::Solar { month: 1, day: 1 }.is_lunar());
    }
}
