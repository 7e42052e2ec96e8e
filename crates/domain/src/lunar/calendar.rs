//! Month numbering: from new moons and major solar terms to lunar dates and
//! back. A *sui* (歲) runs from one month 11 (the month holding the December
//! solstice) to the next; with 13 months it holds one leap month.

use chrono::{Datelike, NaiveDate};

use super::{
    FIRST_YEAR, LAST_YEAR, LunarDate, Meridian, SolarTerm, astro, day_number,
    solar_terms::term_instant, supported_date,
};

/// The local day on which lunation `k` begins.
fn new_moon_day(k: i64, meridian: Meridian) -> i64 {
    meridian.day_of(astro::new_moon(k))
}

/// The lunation (new-moon number) whose month contains local day `day`.
fn lunation_containing(day: i64, meridian: Meridian) -> i64 {
    let mut k = astro::lunation_near(meridian.midnight(day) + 0.5);
    while new_moon_day(k + 1, meridian) <= day {
        k += 1;
    }
    while new_moon_day(k, meridian) > day {
        k -= 1;
    }
    k
}

/// The months from month 11 of one Gregorian year to month 11 of the next.
#[derive(Debug)]
struct Sui {
    /// The Gregorian year of the December solstice that opens it.
    year: i32,
    /// Lunation of its month 11.
    first: i64,
    /// Local days on which its months begin, plus the next month 11's.
    starts: Vec<i64>,
    /// Index (1–12) of the leap month, if the sui has 13 months.
    leap: Option<usize>,
}

impl Sui {
    fn of(year: i32, meridian: Meridian) -> Sui {
        let solstice = |y| meridian.day_of(term_instant(y, SolarTerm::Dongzhi));
        let first = lunation_containing(solstice(year), meridian);
        let next = lunation_containing(solstice(year + 1), meridian);
        let starts: Vec<i64> = (first..=next).map(|k| new_moon_day(k, meridian)).collect();
        let leap = if next - first == 13 {
            // The sector (30° of solar longitude) at each month's first
            // midnight: equal sectors at both ends mean no major term inside.
            let sector = |day: i64| {
                (astro::sun_apparent_longitude(meridian.midnight(day)) / 30.0).floor() as i64
            };
            let sectors: Vec<i64> = starts.iter().map(|day| sector(*day)).collect();
            (1..13).find(|i| sectors[*i] == sectors[i + 1])
        } else {
            None
        };
        Sui {
            year,
            first,
            starts,
            leap,
        }
    }

    /// Number of the month (1–12), whether it is leap, and its lunar year,
    /// for the month at `index` (0 = month 11).
    fn month_at(&self, index: usize) -> (i32, u8, bool) {
        let (ordinal, leap) = match self.leap {
            Some(l) if index >= l => (index - 1, index == l),
            _ => (index, false),
        };
        let month = (10 + ordinal) % 12 + 1;
        // Months 11 and 12 before month 1 still belong to the old lunar year.
        let year = if ordinal <= 1 {
            self.year
        } else {
            self.year + 1
        };
        (year, month as u8, leap)
    }

    /// The index of `month` (leap or not) in this sui, if it has one.
    fn index_of(&self, month: u8, leap: bool) -> Option<usize> {
        let ordinal = usize::from((month + 1) % 12);
        match (self.leap, leap) {
            (Some(l), true) => (l == ordinal + 1).then_some(l),
            (_, true) => None,
            (Some(l), false) if ordinal >= l => Some(ordinal + 1),
            (_, false) => Some(ordinal),
        }
    }

    /// The sui holding `month` of lunar `year`.
    fn holding(year: i32, month: u8, meridian: Meridian) -> Sui {
        Sui::of(if month >= 11 { year } else { year - 1 }, meridian)
    }
}

/// The lunar date of a Gregorian date, reckoned at `meridian`; `None` outside
/// 1900-01-01 to 2100-12-31.
pub fn solar_to_lunar(date: NaiveDate, meridian: Meridian) -> Option<LunarDate> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return None;
    }
    let day = day_number(date);
    let k = lunation_containing(day, meridian);
    let mut sui = Sui::of(date.year(), meridian);
    if k < sui.first {
        sui = Sui::of(date.year() - 1, meridian);
    }
    let index = usize::try_from(k - sui.first).ok()?;
    let (year, month, leap) = sui.month_at(index);
    let day_of_month = u8::try_from(day - sui.starts.get(index)? + 1).ok()?;
    Some(LunarDate {
        year,
        month,
        day: day_of_month,
        leap,
    })
}

/// The local days on which a lunar month begins and the next one begins.
fn month_bounds(year: i32, month: u8, leap: bool, meridian: Meridian) -> Option<(i64, i64)> {
    if !(1..=12).contains(&month) || !(FIRST_YEAR - 1..=LAST_YEAR).contains(&year) {
        return None;
    }
    let sui = Sui::holding(year, month, meridian);
    let index = sui.index_of(month, leap)?;
    Some((*sui.starts.get(index)?, *sui.starts.get(index + 1)?))
}

/// The Gregorian date of a lunar date reckoned at `meridian`.
///
/// `None` when the date does not exist: a month outside 1–12, a leap month
/// that the year lacks, day 30 of a 29-day month, or a result outside
/// 1900–2100. Callers resolving a yearly occasion should fall back rather
/// than skip: an occasion on day 30 goes to the month's last day (which is how
/// Lunar New Year's Eve, the last day of month 12, works), and one in a leap
/// month goes to the regular month of that number in years without the leap
/// month — see [`month_length`] and [`leap_month`].
pub fn lunar_to_solar(lunar: LunarDate, meridian: Meridian) -> Option<NaiveDate> {
    let (start, end) = month_bounds(lunar.year, lunar.month, lunar.leap, meridian)?;
    let day = i64::from(lunar.day);
    if day < 1 || start + day > end {
        return None;
    }
    supported_date(start + day - 1)
}

/// The number of days (29 or 30) of a lunar month; `None` if it does not
/// exist (see [`lunar_to_solar`]).
pub fn month_length(year: i32, month: u8, leap: bool, meridian: Meridian) -> Option<u8> {
    let (start, end) = month_bounds(year, month, leap, meridian)?;
    u8::try_from(end - start).ok()
}

/// The month that lunar `year` repeats as a leap month, if any (e.g. 2023
/// has a leap 2nd month, 2033 a leap 11th).
pub fn leap_month(year: i32, meridian: Meridian) -> Option<u8> {
    // Month 1 of `year` sits in the sui opened in `year - 1`; months 11 and
    // 12 of `year` (and a leap 11 or 12) in the one opened in `year`.
    [year - 1, year].into_iter().find_map(|opened| {
        let sui = Sui::of(opened, meridian);
        let index = sui.leap?;
        let (lunar_year, month, _) = sui.month_at(index);
        (lunar_year == year).then_some(month)
    })
}
