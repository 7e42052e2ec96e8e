//! Every month start and solar term of 1900–2100, at both meridians, against
//! the table generated independently by `scripts/gen-lunar-fixtures.py`
//! (see `tests/data/lunar/README.md` for its sources and their disagreements).

use std::{fs, path::PathBuf};

use chrono::{Days, NaiveDate};

use super::*;

fn fixture(name: &str) -> Vec<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/lunar")
        .join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect()
}

fn parse_day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// One month of the fixture: its lunar name, first day, and for a close call
/// (a new moon within 30 s of midnight) the day on the other side.
struct Month {
    lunar: LunarDate,
    first_day: NaiveDate,
    close_call: Option<NaiveDate>,
}

fn check_months(file: &str, meridian: Meridian) {
    let months: Vec<Month> = fixture(file)
        .iter()
        .map(|row| Month {
            lunar: LunarDate {
                year: row[1].parse().unwrap(),
                month: row[2].parse().unwrap(),
                day: 1,
                leap: row[3] == "1",
            },
            first_day: parse_day(&row[0]),
            close_call: (!row[4].is_empty()).then(|| parse_day(&row[4])),
        })
        .collect();
    assert!(months.len() > 2480, "{file} has {} months", months.len());
    assert_eq!(
        months[0].first_day,
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()
    );
    // Where each month starts by our reckoning: the fixture's day, or the
    // other side of midnight for a close call.
    let starts: Vec<NaiveDate> = months
        .iter()
        .map(|month| {
            let start = lunar_to_solar(month.lunar, meridian).unwrap_or(month.first_day);
            assert!(
                start == month.first_day || Some(start) == month.close_call,
                "{file}: {:?} starts on {start}, expected {}",
                month.lunar,
                month.first_day
            );
            start
        })
        .collect();
    for (index, month) in months.iter().enumerate() {
        let start = starts[index];
        assert_eq!(
            solar_to_lunar(start, meridian),
            Some(month.lunar),
            "{file}: {start}"
        );
        let Some(next_start) = starts.get(index + 1) else {
            continue;
        };
        let length = u8::try_from((*next_start - start).num_days()).unwrap();
        let lunar = month.lunar;
        assert_eq!(
            month_length(lunar.year, lunar.month, lunar.leap, meridian),
            Some(length),
            "{file}: {lunar:?}"
        );
        let last_day = *next_start - Days::new(1);
        let last = LunarDate {
            day: length,
            ..lunar
        };
        assert_eq!(
            solar_to_lunar(last_day, meridian),
            Some(last),
            "{file}: {last_day}"
        );
        assert_eq!(
            lunar_to_solar(last, meridian),
            Some(last_day),
            "{file}: {last:?}"
        );
    }
}

#[test]
fn every_month_of_1900_to_2100_matches_the_fixture_at_utc7() {
    check_months("months-utc7.csv", Meridian::VIETNAM);
}

#[test]
fn every_month_of_1900_to_2100_matches_the_fixture_at_utc8() {
    check_months("months-utc8.csv", Meridian::CHINA);
}

#[test]
fn every_solar_term_of_1900_to_2100_matches_the_fixture() {
    for (file, meridian) in [
        ("terms-utc7.csv", Meridian::VIETNAM),
        ("terms-utc8.csv", Meridian::CHINA),
    ] {
        let rows = fixture(file);
        assert_eq!(rows.len(), 201);
        for row in rows {
            let year: i32 = row[0].parse().unwrap();
            for (term, cell) in SolarTerm::ALL.into_iter().zip(&row[1..]) {
                // `MM-DD`, or `MM-DD|MM-DD` for a term within 30 s of midnight.
                let accepted: Vec<NaiveDate> = cell
                    .split('|')
                    .map(|month_day| parse_day(&format!("{year}-{month_day}")))
                    .collect();
                let ours = solar_term_date(year, term, meridian).unwrap();
                assert!(
                    accepted.contains(&ours),
                    "{file}: {term:?} {year} is {ours}, expected {cell}"
                );
            }
        }
    }
}
