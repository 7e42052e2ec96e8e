//! The Chinese-style lunisolar calendar (âm lịch, 農曆), computed from the sky.
//!
//! Months begin on the local day of a new moon; the month that contains the
//! December solstice is month 11; when 13 months run from one month 11 to the
//! next, the first of them without a major solar term (中氣, a multiple of 30°
//! of solar longitude) is a leap month and repeats the previous month's number.
//! These are the rules of the modern Chinese standard (GB/T 33661-2017) and of
//! the algorithm published by Hồ Ngọc Đức; here they are evaluated with
//! Meeus's full new-moon series, VSOP87 for the Sun and Espenak–Meeus ΔT, so
//! events within a minute or two of midnight fall on the right day.
//!
//! Everything depends on the [`Meridian`] whose midnight separates days:
//! Vietnam reckons at UTC+7, China and Taiwan at UTC+8, and the two calendars
//! differ whenever a new moon or a major term falls between 23:00 and 24:00
//! Beijing time (Tết 1985 was 21 January in Vietnam, 20 February in China).
//!
//! Results are verified day by day for 1900-01-01 to 2100-12-31 at both
//! meridians against a table generated from independent implementations
//! (`scripts/gen-lunar-fixtures.py`, `tests/data/lunar/README.md`), so that
//! span is the supported one; outside it the functions answer `None`. No table
//! of years is kept: each answer is computed.

mod astro;
mod calendar;
mod solar_terms;
mod vsop87;

use chrono::{Datelike, NaiveDate};

pub use calendar::{leap_month, lunar_to_solar, month_length, solar_to_lunar};
pub use solar_terms::{SolarTerm, solar_term_date};

/// The first Gregorian year the conversions support.
pub const FIRST_YEAR: i32 = 1900;
/// The last Gregorian year the conversions support.
pub const LAST_YEAR: i32 = 2100;

/// The meridian whose local midnight starts a calendar day, as an offset from
/// UTC. Civil time zones do not matter: Vietnam's calendar is always reckoned
/// at UTC+7 and China's and Taiwan's at UTC+8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Meridian {
    seconds_east: i32,
}

impl Meridian {
    /// UTC+7: the Vietnamese calendar (âm lịch).
    pub const VIETNAM: Meridian = Meridian {
        seconds_east: 7 * 3600,
    };
    /// UTC+8: the Chinese calendar as used in China and Taiwan (農曆).
    pub const CHINA: Meridian = Meridian {
        seconds_east: 8 * 3600,
    };

    /// A meridian `seconds_east` of Greenwich in time (−14 h to +14 h), e.g.
    /// 27 940 s (7 h 45 min 40 s, 116°25′ E) for Beijing's local mean time,
    /// which Chinese almanacs used before 1929. `None` outside that range.
    pub fn from_seconds_east(seconds_east: i32) -> Option<Meridian> {
        (seconds_east.abs() <= 14 * 3600).then_some(Meridian { seconds_east })
    }

    /// The offset from UTC in seconds, positive east.
    pub fn seconds_east(self) -> i32 {
        self.seconds_east
    }

    /// The local calendar day (Julian day number) of an instant in UT.
    fn day_of(self, jd_ut: f64) -> i64 {
        (jd_ut + 0.5 + f64::from(self.seconds_east) / 86_400.0).floor() as i64
    }

    /// The instant (JD, UT) of local midnight starting day number `day`.
    fn midnight(self, day: i64) -> f64 {
        day as f64 - 0.5 - f64::from(self.seconds_east) / 86_400.0
    }
}

/// A day of the lunisolar calendar. `year` is the Gregorian year in which the
/// lunar year's first month starts (lunar 1/1/2025 is 29 January 2025);
/// `month` is 1–12, `day` 1–30, and `leap` marks the leap (intercalary) month
/// that repeats `month`'s number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LunarDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub leap: bool,
}

impl LunarDate {
    /// A date of a regular (non-leap) month.
    pub fn new(year: i32, month: u8, day: u8) -> LunarDate {
        LunarDate {
            year,
            month,
            day,
            leap: false,
        }
    }
}

/// Julian day number of a Gregorian date.
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + 1_721_425
}

/// The Gregorian date of a Julian day number, within the supported years.
fn supported_date(day: i64) -> Option<NaiveDate> {
    let date = NaiveDate::from_num_days_from_ce_opt(i32::try_from(day - 1_721_425).ok()?)?;
    (FIRST_YEAR..=LAST_YEAR)
        .contains(&date.year())
        .then_some(date)
}

#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod tests;
