//! A hotel's reminder schedules followed day by day over a simulated year:
//! each step on exactly its day, once, and none after a renewal or a new
//! stay changed the date it counted from.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use serde_json::json;
use uuid::Uuid;

use super::{date, day_steps, guest, reminder_keys, rule, run_day, set_date, stay};

#[tokio::test]
async fn every_reminder_schedule_falls_on_its_days_over_a_year() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;

    let renewal = rule(&app, key, json!({
        "name": "Gia hạn thẻ hội viên", "anchor": "guest_date", "anchor_key": "membership_expiry",
        "steps": day_steps(&[-30, -18, -15, -3, 1, 4]),
    }))
    .await;
    let thanks = rule(
        &app,
        key,
        json!({
            "name": "Cảm ơn", "anchor": "stay_check_out", "steps": day_steps(&[1]),
        }),
    )
    .await;
    let miss_you = rule(
        &app,
        key,
        json!({
            "name": "Nhớ Quý khách", "anchor": "last_stay",
            "steps": [{ "offset_months": 11, "channel": "email", "purpose": "reminder" }],
        }),
    )
    .await;
    let care_end = rule(
        &app,
        key,
        json!({
            "name": "Kết thúc năm chăm sóc", "anchor": "care_period_end", "steps": day_steps(&[-7]),
        }),
    )
    .await;
    let names = BTreeMap::from([
        (renewal, "renewal"),
        (thanks, "thanks"),
        (miss_you, "miss_you"),
        (care_end, "care_end"),
    ]);

    let an = guest(
        &app,
        key,
        json!({ "full_name": "Trần Văn An", "email": "an@example.vn" }),
    )
    .await;
    set_date(&app, key, an, "membership_expiry", "2027-03-01").await;
    let mei = guest(
        &app,
        key,
        json!({
            "full_name": "陳美玲", "email": "mei@example.tw", "language": "zh-Hant"
        }),
    )
    .await;
    set_date(&app, key, mei, "membership_expiry", "2027-06-15").await;
    let john = guest(
        &app,
        key,
        json!({ "full_name": "John Smith", "email": "john@example.com" }),
    )
    .await;
    stay(&app, key, john, "2027-02-07", "2027-02-10").await;
    let lan = guest(
        &app,
        key,
        json!({ "full_name": "Lê Thị Lan", "email": "lan@example.vn" }),
    )
    .await;
    stay(&app, key, lan, "2026-05-17", "2026-05-20").await;
    let hung = guest(
        &app,
        key,
        json!({ "full_name": "Phạm Hùng", "email": "hung@example.vn" }),
    )
    .await;
    stay(&app, key, hung, "2026-06-08", "2026-06-10").await;
    let guests = BTreeMap::from([
        (an, "an"),
        (mei, "mei"),
        (john, "john"),
        (lan, "lan"),
        (hung, "hung"),
    ]);

    let mut sent: Vec<(NaiveDate, &str, &str, String)> = Vec::new();
    let mut seen = 0;
    for day in date("2027-01-01").iter_days().take(365) {
        // What staff enter during the year, on the day they enter it.
        match day.to_string().as_str() {
            // Hùng comes back: his "we miss you" and care-year end move on.
            "2027-03-01" => stay(&app, key, hung, "2027-03-01", "2027-03-03").await,
            "2027-04-01" => stay(&app, key, john, "2027-04-01", "2027-04-05").await,
            // Mei renews after the −15 step: the rest of the old schedule stops.
            "2027-06-01" => set_date(&app, key, mei, "membership_expiry", "2028-06-15").await,
            _ => {}
        }
        run_day(&mut conn, tenant.id, day);
        let keys = reminder_keys(&mut conn, tenant.id);
        for k in &keys[seen..] {
            // reminder:{rule}:{offset}:{channel}:{guest}:{anchor}
            let parts: Vec<&str> = k.split(':').collect();
            let rule: Uuid = parts[1].parse().unwrap();
            let guest: Uuid = parts[4].parse().unwrap();
            sent.push((
                day,
                names[&rule],
                guests[&guest],
                format!("{}:{}", parts[2], parts[3]),
            ));
        }
        seen = keys.len();
    }
    let expected: Vec<(NaiveDate, &str, &str, String)> = [
        ("2027-01-30", "renewal", "an", "d-30"),
        ("2027-02-11", "renewal", "an", "d-18"),
        ("2027-02-11", "thanks", "john", "d1"),
        ("2027-02-14", "renewal", "an", "d-15"),
        ("2027-02-26", "renewal", "an", "d-3"),
        ("2027-03-02", "renewal", "an", "d1"),
        ("2027-03-04", "thanks", "hung", "d1"),
        ("2027-03-05", "renewal", "an", "d4"),
        ("2027-04-06", "thanks", "john", "d1"),
        ("2027-04-20", "miss_you", "lan", "m11"),
        ("2027-05-13", "care_end", "lan", "d-7"),
        ("2027-05-16", "renewal", "mei", "d-30"),
        ("2027-05-28", "renewal", "mei", "d-18"),
        ("2027-05-31", "renewal", "mei", "d-15"),
    ]
    .into_iter()
    .map(|(d, r, g, s)| (date(d), r, g, format!("{s}:email")))
    .collect();
    let mut sorted = sent.clone();
    sorted.sort();
    assert_eq!(sorted, expected);

    // Running days again (a retried job, a second worker) sends nothing new.
    for day in ["2027-02-11", "2027-03-05"] {
        let report = run_day(&mut conn, tenant.id, date(day));
        assert_eq!(report.reminders.queued, 0, "{day}: {report:?}");
        assert!(report.reminders.repeated > 0, "{day}: {report:?}");
    }
    // Mei's old date is gone since her renewal: nothing is due for it.
    let report = run_day(&mut conn, tenant.id, date("2027-05-31"));
    assert_eq!(report, Default::default());
    assert_eq!(reminder_keys(&mut conn, tenant.id).len(), expected.len());
}
