//! When a birthday is celebrated: on its day, and for those born on
//! 29 February, on 28 February in common years.

use chrono::{Datelike, NaiveDate};

/// The day in `year` on which someone born on `birth` celebrates.
pub fn celebrated_in(birth: NaiveDate, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28).filter(|_| is_feb_29(birth)))
}

/// The (month, day) birth dates celebrated on `date`: its own, plus
/// 29 February on 28 February of a common year.
pub fn birth_days_celebrated_on(date: NaiveDate) -> Vec<(u32, u32)> {
    let mut days = vec![(date.month(), date.day())];
    if date.month() == 2
        && date.day() == 28
        && NaiveDate::from_ymd_opt(date.year(), 2, 29).is_none()
    {
        days.push((2, 29));
    }
    days
}

/// Age reached on the birthday celebrated in `year`.
pub fn age_in(birth: NaiveDate, year: i32) -> i32 {
    year - birth.year()
}

fn is_feb_29(date: NaiveDate) -> bool {
    date.month() == 2 && date.day() == 29
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn leap_day_birthdays_fall_on_28_february_in_common_years() {
        assert_eq!(celebrated_in(d(1992, 2, 29), 2027), Some(d(2027, 2, 28)));
        assert_eq!(celebrated_in(d(1992, 2, 29), 2028), Some(d(2028, 2, 29)));
        assert_eq!(celebrated_in(d(1990, 7, 4), 2027), Some(d(2027, 7, 4)));
        assert_eq!(birth_days_celebrated_on(d(2027, 2, 28)), [(2, 28), (2, 29)]);
        assert_eq!(birth_days_celebrated_on(d(2028, 2, 28)), [(2, 28)]);
        assert_eq!(birth_days_celebrated_on(d(2028, 2, 29)), [(2, 29)]);
        assert_eq!(age_in(d(1990, 7, 4), 2027), 37);
    }
}
