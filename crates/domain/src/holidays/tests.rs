use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use super::*;

fn date_of(calendar: Calendar, year: i32, key: &str) -> NaiveDate {
    let found: Vec<Occurrence> = occurrences(calendar, year)
        .into_iter()
        .filter(|o| o.key == key)
        .collect();
    assert_eq!(found.len(), 1, "{key} in {year}: {found:?}");
    found[0].date
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn tet_1985_follows_each_calendars_meridian() {
    assert_eq!(date_of(Calendar::Vn, 1985, "vn.tet"), date(1985, 1, 21));
    assert_eq!(
        date_of(Calendar::Tw, 1985, "tw.lunar_new_year"),
        date(1985, 2, 20)
    );
}

#[test]
fn vietnam_2025() {
    let found: Vec<(String, NaiveDate, bool)> = occurrences(Calendar::Vn, 2025)
        .into_iter()
        .map(|o| (o.key.into_owned(), o.date, o.lunar))
        .collect();
    let expected = [
        ("vn.tet_eve", date(2025, 1, 28), true),
        ("vn.tet", date(2025, 1, 29), true),
        ("vn.tet_2", date(2025, 1, 30), true),
        ("vn.tet_3", date(2025, 1, 31), true),
        ("vn.hung_kings", date(2025, 4, 7), true),
        ("vn.reunification_day", date(2025, 4, 30), false),
        ("vn.labour_day", date(2025, 5, 1), false),
        ("vn.national_day", date(2025, 9, 2), false),
        ("vn.mid_autumn", date(2025, 10, 6), true),
        ("vn.womens_day", date(2025, 10, 20), false),
        ("vn.teachers_day", date(2025, 11, 20), false),
    ];
    let expected: Vec<(String, NaiveDate, bool)> = expected
        .into_iter()
        .map(|(k, d, l)| (k.to_owned(), d, l))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn taiwan_2025_and_2026() {
    assert_eq!(
        date_of(Calendar::Tw, 2025, "tw.little_new_year_eve"),
        date(2025, 1, 27)
    );
    assert_eq!(
        date_of(Calendar::Tw, 2025, "tw.lunar_new_year_eve"),
        date(2025, 1, 28)
    );
    assert_eq!(
        date_of(Calendar::Tw, 2025, "tw.tomb_sweeping_day"),
        date(2025, 4, 4)
    );
    assert_eq!(
        date_of(Calendar::Tw, 2025, "tw.dragon_boat"),
        date(2025, 5, 31)
    );
    assert_eq!(
        date_of(Calendar::Tw, 2025, "tw.mid_autumn"),
        date(2025, 10, 6)
    );
    // Month 12 of lunar 2025 has 30 days: the eve is its 30th.
    assert_eq!(
        date_of(Calendar::Tw, 2026, "tw.lunar_new_year_eve"),
        date(2026, 2, 16)
    );
    assert_eq!(
        date_of(Calendar::Tw, 2026, "tw.lunar_new_year"),
        date(2026, 2, 17)
    );
    assert_eq!(
        date_of(Calendar::Tw, 2026, "tw.tomb_sweeping_day"),
        date(2026, 4, 5)
    );
    assert_eq!(occurrences(Calendar::Tw, 2026).len(), 14);
}

#[test]
fn every_occasion_occurs_once_a_year_from_1900_to_2100() {
    for calendar in Calendar::ALL {
        for year in [1900, 1985, 2033, 2034, 2100] {
            let found = occurrences(calendar, year);
            assert_eq!(found.len(), calendar.occasions().len(), "{calendar} {year}");
            assert!(found.windows(2).all(|w| w[0].date <= w[1].date));
        }
    }
    assert!(occurrences(Calendar::Vn, 2101).is_empty());
}

#[test]
fn names_are_nfc_distinct_and_keyed_by_calendar() {
    for calendar in Calendar::ALL {
        for occasion in calendar.occasions() {
            assert!(occasion.key.starts_with(&format!("{calendar}.")));
            for name in [
                &occasion.names.vi,
                &occasion.names.en,
                &occasion.names.zh_hant,
            ] {
                assert!(!name.is_empty(), "{}", occasion.key);
                assert_eq!(
                    name.nfc().collect::<String>(),
                    name.as_ref(),
                    "{}",
                    occasion.key
                );
            }
        }
        let mut keys: Vec<&str> = calendar
            .occasions()
            .iter()
            .map(|o| o.key.as_ref())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), calendar.occasions().len());
    }
    assert_eq!("vn".parse::<Calendar>(), Ok(Calendar::Vn));
    assert!("cn".parse::<Calendar>().is_err());
}

#[test]
fn tenant_occasions_resolve_with_the_same_rules() {
    let names =
        custom::parse_names("Kỷ niệm thành lập", "Resort anniversary", "度假村週年").unwrap();
    let rule = custom::RuleParts {
        kind: "lunar",
        month: 12,
        day: 30,
        leap: false,
        calendar: Some("vietnamese"),
    }
    .validate()
    .unwrap();
    let occasion = custom::tenant_occasion("anniversary", names, rule);
    let found = occurrences_of(&[occasion], 2025);
    assert_eq!(found[0].key, "tenant.anniversary");
    assert_eq!(found[0].date, date(2025, 1, 28));
    assert!(found[0].lunar);
}
