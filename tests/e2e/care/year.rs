//! Done means: a tenant with guests from Vietnam, Taiwan and abroad, driven
//! day by day over a simulated year, greets each guest on exactly the right
//! days in the right language and creates exactly one birthday call task per
//! guest per year.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use diesel::prelude::*;
use guestcare_db::care;
use guestcare_domain::{
    care::birthday,
    holidays::{self, Calendar},
};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use super::{allow_marketing, guest, hcm, sent};
use crate::support::send;

struct Guest {
    id: Uuid,
    born: NaiveDate,
    language: &'static str,
    /// The occasions this guest is greeted on.
    greeted_on: &'static [&'static str],
}

#[tokio::test]
async fn a_simulated_year_greets_and_calls_everyone_exactly_as_planned() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    // Caps are about real weeks; the simulated year passes in seconds.
    diesel::sql_query(
        "INSERT INTO channel_settings (tenant_id, marketing_cap, marketing_cap_days) VALUES ($1, 100, 1)",
    )
    .bind::<diesel::sql_types::Uuid, _>(tenant.id)
    .execute(&mut db.connect())
    .unwrap();

    // The resort's anniversary greets everyone at 10:00; Taiwanese guests
    // also get Lunar New Year at 09:00.
    let (status, _) = send(app.post("/v1/occasions", &tenant.key).json(&json!({
        "key": "anniversary",
        "names": { "vi": "Kỷ niệm thành lập Lotus", "en": "Lotus anniversary", "zh-Hant": "蓮花度假村週年紀念" },
        "rule": { "kind": "lunar", "month": 3, "day": 15, "calendar": "vietnamese" }
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, taiwan) = send(app.post("/v1/segments", &tenant.key).json(&json!({
        "name": "Taiwan", "filter": { "nationality": ["TW"] }
    })))
    .await;
    for rule in [
        json!({ "occasion_key": "tw.lunar_new_year", "audience": "segment", "segment_id": taiwan["id"] }),
        json!({ "occasion_key": "tenant.anniversary", "send_hour": 10 }),
    ] {
        let (status, body) = send(app.post("/v1/greeting-rules", &tenant.key).json(&rule)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    let vn: &[&str] = &[
        "intl.new_year",
        "intl.womens_day",
        "intl.christmas",
        "vn.tet",
        "vn.national_day",
        "tenant.anniversary",
    ];
    let tw: &[&str] = &[
        "intl.new_year",
        "intl.womens_day",
        "intl.christmas",
        "tw.lunar_new_year",
        "tenant.anniversary",
    ];
    let abroad: &[&str] = &[
        "intl.new_year",
        "intl.womens_day",
        "intl.christmas",
        "tenant.anniversary",
    ];
    let people = [
        ("Lê Văn An", "VN", "1990-09-02", "+84903123456", "vi", vn),
        ("Trần Thị Mai", "VN", "1992-02-29", "+84903123457", "vi", vn),
        ("林美玲", "TW", "1988-10-10", "+886912345678", "zh-Hant", tw),
        (
            "John Smith",
            "AU",
            "1975-12-25",
            "+61412345678",
            "en",
            abroad,
        ),
    ];
    let mut guests = Vec::new();
    for (name, nationality, born, phone, language, greeted_on) in people {
        let id = guest(
            &app,
            &tenant.key,
            json!({
                "full_name": name, "nationality": nationality, "birth_date": born, "phones": [phone]
            }),
        )
        .await;
        allow_marketing(&app, &tenant.key, &id, "sms").await;
        guests.push(Guest {
            id: id.parse().unwrap(),
            born: born.parse().unwrap(),
            language,
            greeted_on,
        });
    }
    // A domestic guest who never agreed to marketing: withheld, never sent.
    let hoa: Uuid = guest(
        &app,
        &tenant.key,
        json!({
            "full_name": "Phạm Thị Hoa", "nationality": "VN", "birth_date": "1970-06-15",
            "phones": ["+84903123458"]
        }),
    )
    .await
    .parse()
    .unwrap();

    // Drive 2027 day by day: birthdays at 07:00, greetings at 09:00 and
    // 10:00; every 30th day all of it runs twice.
    let mut conn = db.connect();
    let start = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let mut today = start;
    while today.year() == 2027 {
        let runs = if today.ordinal().is_multiple_of(30) {
            2
        } else {
            1
        };
        for _ in 0..runs {
            care::run_birthday_scan(
                &mut conn,
                &crate::support::links(),
                tenant.id,
                hcm(today, 7),
            )
            .unwrap();
            care::run_greetings(
                &mut conn,
                &crate::support::links(),
                tenant.id,
                hcm(today, 9),
            )
            .unwrap();
            care::run_greetings(
                &mut conn,
                &crate::support::links(),
                tenant.id,
                hcm(today, 10),
            )
            .unwrap();
        }
        today += Duration::days(1);
    }

    // Where each occasion falls in 2027, from the calendars themselves.
    let mut occasions: Vec<holidays::Occasion> = [Calendar::Intl, Calendar::Vn, Calendar::Tw]
        .iter()
        .flat_map(|c| c.occasions().iter().cloned())
        .collect();
    let own: Vec<_> = guestcare_db::occasions::list_active_occasions(&mut conn, tenant.id).unwrap();
    occasions.push(guestcare_db::occasions::to_domain(&own[0]).unwrap());
    let mut falls: BTreeMap<String, (NaiveDate, holidays::Names)> = BTreeMap::new();
    for o in holidays::occurrences_of(&occasions, 2027) {
        falls.insert(o.key.to_string(), (o.date, o.names));
    }
    assert_eq!(falls["vn.tet"].0.to_string(), "2027-02-06");
    assert_eq!(falls["tw.lunar_new_year"].0.to_string(), "2027-02-06");
    assert_eq!(falls["tenant.anniversary"].0.to_string(), "2027-04-21");

    let greetings = sent(&mut conn, tenant.id, "holiday_greeting", "greeting:");
    for g in &guests {
        let mine: Vec<_> = greetings.iter().filter(|s| s.guest_id == g.id).collect();
        let mut expected: Vec<NaiveDate> = g.greeted_on.iter().map(|k| falls[*k].0).collect();
        expected.sort();
        let days: Vec<NaiveDate> = mine.iter().map(|s| s.occurrence.parse().unwrap()).collect();
        assert_eq!(days, expected, "greeting days of {}", g.language);
        for key in g.greeted_on {
            let (date, names) = &falls[*key];
            let name = match g.language {
                "vi" => &names.vi,
                "en" => &names.en,
                _ => &names.zh_hant,
            };
            let message = mine
                .iter()
                .find(|s| s.occurrence == date.to_string())
                .unwrap();
            assert_eq!(message.language, g.language);
            assert_eq!(message.status, "queued");
            assert!(
                message.body.contains(name.as_ref()),
                "{key}: {}",
                message.body
            );
        }
    }
    let withheld: Vec<_> = greetings.iter().filter(|s| s.guest_id == hoa).collect();
    assert_eq!(withheld.len(), vn.len());
    assert!(withheld.iter().all(|s| s.status == "suppressed"));

    // Exactly one birthday call per guest, on the day celebrated in 2027.
    // (Read from the database: the API's idle keep-alive connection closed
    // while the year ran.)
    let filter = guestcare_db::tasks::TaskFilter {
        source: Some("birthday".to_owned()),
        ..Default::default()
    };
    let mut calls: Vec<(String, String)> =
        guestcare_db::tasks::list_tasks(&mut conn, tenant.id, &filter, None, 100)
            .unwrap()
            .into_iter()
            .map(|t| (t.guest_id.to_string(), t.due_on.to_string()))
            .collect();
    calls.sort();
    let mut expected: Vec<(String, String)> = guests
        .iter()
        .map(|g| (g.id, g.born))
        .chain([(hoa, NaiveDate::from_ymd_opt(1970, 6, 15).unwrap())])
        .map(|(id, born)| {
            (
                id.to_string(),
                birthday::celebrated_in(born, 2027).unwrap().to_string(),
            )
        })
        .collect();
    expected.sort();
    assert_eq!(calls, expected);
    assert!(
        calls.iter().any(|(_, due)| due == "2027-02-28"),
        "29 February on the 28th"
    );
}
