use chrono::{Days, NaiveDate};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn tet(year: i32, meridian: Meridian) -> NaiveDate {
    lunar_to_solar(LunarDate::new(year, 1, 1), meridian).unwrap()
}

#[test]
fn tet_1985_differs_between_vietnam_and_china() {
    assert_eq!(tet(1985, Meridian::VIETNAM), date(1985, 1, 21));
    assert_eq!(tet(1985, Meridian::CHINA), date(1985, 2, 20));
    // In China 21 January 1985 was still the 12th month of 1984.
    assert_eq!(
        solar_to_lunar(date(1985, 1, 21), Meridian::CHINA),
        Some(LunarDate::new(1984, 12, 1))
    );
}

#[test]
fn recent_new_years_agree_at_both_meridians() {
    for (year, expected) in [(2024, date(2024, 2, 10)), (2025, date(2025, 1, 29))] {
        assert_eq!(tet(year, Meridian::VIETNAM), expected);
        assert_eq!(tet(year, Meridian::CHINA), expected);
    }
}

#[test]
fn leap_months_of_known_years() {
    for meridian in [Meridian::VIETNAM, Meridian::CHINA] {
        assert_eq!(leap_month(2020, meridian), Some(4));
        assert_eq!(leap_month(2023, meridian), Some(2));
        assert_eq!(leap_month(2025, meridian), Some(6));
        assert_eq!(leap_month(2024, meridian), None);
        // The "2033 problem": 13 months from the 2033 to the 2034 solstice
        // month, and the first without a major term follows month 11.
        assert_eq!(leap_month(2033, meridian), Some(11));
    }
    let leap_4 = LunarDate {
        leap: true,
        ..LunarDate::new(2020, 4, 1)
    };
    assert_eq!(
        lunar_to_solar(leap_4, Meridian::VIETNAM),
        Some(date(2020, 5, 23))
    );
    assert_eq!(
        solar_to_lunar(date(2020, 5, 23), Meridian::VIETNAM),
        Some(leap_4)
    );
    let leap_11 = LunarDate {
        leap: true,
        ..LunarDate::new(2033, 11, 1)
    };
    assert_eq!(
        lunar_to_solar(leap_11, Meridian::CHINA),
        Some(date(2033, 12, 22))
    );
}

#[test]
fn missing_days_and_leap_months_are_none() {
    let without_leap = LunarDate {
        leap: true,
        ..LunarDate::new(2024, 4, 1)
    };
    assert_eq!(lunar_to_solar(without_leap, Meridian::VIETNAM), None);
    // Month 12 of 2024 (ending 28 January 2025) has 29 days.
    assert_eq!(month_length(2024, 12, false, Meridian::VIETNAM), Some(29));
    assert_eq!(
        lunar_to_solar(LunarDate::new(2024, 12, 30), Meridian::VIETNAM),
        None
    );
    assert_eq!(
        lunar_to_solar(LunarDate::new(2024, 12, 29), Meridian::VIETNAM),
        Some(date(2025, 1, 28))
    );
    assert_eq!(
        lunar_to_solar(LunarDate::new(2024, 13, 1), Meridian::VIETNAM),
        None
    );
    assert_eq!(
        lunar_to_solar(LunarDate::new(2024, 1, 0), Meridian::VIETNAM),
        None
    );
}

#[test]
fn outside_1900_to_2100_is_none() {
    assert_eq!(solar_to_lunar(date(1899, 12, 31), Meridian::CHINA), None);
    assert_eq!(solar_to_lunar(date(2101, 1, 1), Meridian::CHINA), None);
    assert!(solar_to_lunar(date(1900, 1, 1), Meridian::CHINA).is_some());
    assert!(solar_to_lunar(date(2100, 12, 31), Meridian::VIETNAM).is_some());
    assert_eq!(
        solar_term_date(2101, SolarTerm::Qingming, Meridian::CHINA),
        None
    );
}

#[test]
fn qingming_falls_on_4_or_5_april() {
    assert_eq!(
        solar_term_date(2025, SolarTerm::Qingming, Meridian::CHINA),
        Some(date(2025, 4, 4))
    );
    assert_eq!(
        solar_term_date(2019, SolarTerm::Qingming, Meridian::CHINA),
        Some(date(2019, 4, 5))
    );
    assert!(SolarTerm::Dongzhi.is_major() && !SolarTerm::Qingming.is_major());
    assert_eq!(SolarTerm::Qingming.longitude(), 15.0);
}

#[test]
fn conversions_round_trip_for_every_day_of_a_leap_year() {
    let mut day = date(2023, 1, 1);
    while day <= date(2023, 12, 31) {
        for meridian in [Meridian::VIETNAM, Meridian::CHINA] {
            let lunar = solar_to_lunar(day, meridian).unwrap();
            assert_eq!(lunar_to_solar(lunar, meridian), Some(day), "{lunar:?}");
        }
        day = day + Days::new(1);
    }
}

#[test]
fn beijing_local_time_reproduces_the_almanacs_before_1929() {
    // Chinese almanacs before 1929 used Beijing's meridian (116°25′ E), where
    // these new moons fell just before midnight; at UTC+8 just after.
    let beijing = Meridian::from_seconds_east(27_940).unwrap();
    for (first_day, month) in [
        (date(1914, 11, 17), 10),
        (date(1916, 2, 3), 1),
        (date(1920, 11, 10), 10),
    ] {
        let year = first_day.year_ce().1 as i32;
        assert_eq!(
            solar_to_lunar(first_day, beijing),
            Some(LunarDate::new(year, month, 1))
        );
        assert_ne!(
            solar_to_lunar(first_day, Meridian::CHINA).map(|l| l.day),
            Some(1)
        );
    }
    assert_eq!(Meridian::from_seconds_east(15 * 3600), None);
}
