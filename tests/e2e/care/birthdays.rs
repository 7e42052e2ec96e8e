//! The birthday scan: one call task per guest per year with the profile,
//! the last stay and a script in the guest's language; the optional
//! birthday message with a voucher; and the worker running it from the
//! tenant's schedule with its clock set ahead.

use std::time::Duration;

use chrono::{Datelike, NaiveDate, Utc};
use diesel::{Connection, prelude::*};
use guestcare_db::{care, schema::schedules};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::{pool_for, settings_for},
    worker::TestWorker,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{allow_marketing, guest, hcm, sent};
use crate::support::send;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn birthday_tasks(app: &TestApp, key: &str) -> Vec<Value> {
    let (status, page) = send(app.get("/v1/tasks?source=birthday&limit=100", key)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn one_call_task_per_guest_per_year_whatever_the_runs() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let (_, settings) = send(app.get("/v1/care-settings", &tenant.key)).await;
    assert_eq!(
        settings["birthday_channel"],
        Value::Null,
        "call tasks only by default"
    );
    let (status, problem) = send(app.put("/v1/care-settings", &tenant.key).json(&json!({
        "birthday_channel": "fax", "voucher_prefix": "bday", "voucher_valid_days": 0
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        crate::support::error_fields(&problem),
        ["birthday_channel", "voucher_prefix", "voucher_valid_days"]
    );
    let (status, settings) = send(
        app.put("/v1/care-settings", &tenant.key)
            .json(&json!({ "birthday_channel": "sms", "voucher_valid_days": 60 })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(settings["voucher_prefix"], "BDAY");
    let mai = guest(
        &app,
        &tenant.key,
        json!({
            "full_name": "Trần Thị Mai", "nationality": "VN", "birth_date": "1992-02-29",
            "phones": ["+84903123456"]
        }),
    )
    .await;
    let (status, _) = send(
        app.post(&format!("/v1/guests/{mai}/stays"), &tenant.key)
            .json(&json!({
                "check_in": "2026-07-10", "check_out": "2026-07-14", "room_type": "Bungalow"
            })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let mei = guest(
        &app,
        &tenant.key,
        json!({
            "full_name": "林美玲", "nationality": "TW", "birth_date": "1988-02-28",
            "phones": ["+886912345678"]
        }),
    )
    .await;
    let john = guest(
        &app,
        &tenant.key,
        json!({
            "full_name": "John Smith", "nationality": "AU", "birth_date": "1980-03-01",
            "phones": ["+61412345678"]
        }),
    )
    .await;
    allow_marketing(&app, &tenant.key, &mai, "sms").await;
    allow_marketing(&app, &tenant.key, &mei, "sms").await;

    // 2027 is a common year: Mai's 29 February is celebrated on the 28th.
    let mut conn = db.connect();
    let feb_28 = hcm(day(2027, 2, 28), 7);
    let first =
        care::run_birthday_scan(&mut conn, &crate::support::links(), tenant.id, feb_28).unwrap();
    assert_eq!(
        (first.guests, first.tasks_created, first.messages_queued),
        (2, 2, 2)
    );
    let again =
        care::run_birthday_scan(&mut conn, &crate::support::links(), tenant.id, feb_28).unwrap();
    assert_eq!(
        (again.guests, again.tasks_created, again.messages_queued),
        (2, 0, 0)
    );

    // Two workers scanning 1 March at once make one task between them.
    let scans: Vec<_> = (0..2)
        .map(|_| {
            let mut conn = db.connect();
            let tenant = tenant.id;
            std::thread::spawn(move || {
                conn.transaction(|c| {
                    care::run_birthday_scan(
                        c,
                        &crate::support::links(),
                        tenant,
                        hcm(day(2027, 3, 1), 7),
                    )
                })
                .unwrap()
                .tasks_created
            })
        })
        .collect();
    let made: usize = scans.into_iter().map(|s| s.join().unwrap()).sum();
    assert_eq!(made, 1);

    // 2028 is a leap year: Mai on the 29th, Mei on the 28th.
    let leap_28 = care::run_birthday_scan(
        &mut conn,
        &crate::support::links(),
        tenant.id,
        hcm(day(2028, 2, 28), 7),
    )
    .unwrap();
    let leap_29 = care::run_birthday_scan(
        &mut conn,
        &crate::support::links(),
        tenant.id,
        hcm(day(2028, 2, 29), 7),
    )
    .unwrap();
    assert_eq!((leap_28.tasks_created, leap_29.tasks_created), (1, 1));

    let tasks = birthday_tasks(&app, &tenant.key).await;
    let of =
        |guest: &str| -> Vec<&Value> { tasks.iter().filter(|t| t["guest_id"] == guest).collect() };
    let due = |guest: &str| -> Vec<&str> {
        of(guest)
            .iter()
            .map(|t| t["due_on"].as_str().unwrap())
            .collect()
    };
    assert_eq!(due(&mai), ["2027-02-28", "2028-02-29"]);
    assert_eq!(due(&mei), ["2027-02-28", "2028-02-28"]);
    assert_eq!(due(&john), ["2027-03-01"]);

    let task = of(&mai)[0];
    assert_eq!(task["kind"], "call");
    assert_eq!(task["status"], "open");
    assert_eq!(task["title"], "Gọi chúc mừng sinh nhật Trần Thị Mai");
    let script = task["script"].as_str().unwrap();
    assert!(
        script.contains("Trần Thị Mai") && script.contains("chúc mừng sinh nhật"),
        "{script}"
    );
    assert!(script.contains("quay trở lại"), "{script}");
    assert_eq!(task["context"]["guest"]["age"], 35);
    assert_eq!(task["context"]["guest"]["language"], "vi");
    assert_eq!(task["context"]["last_stay"]["check_in"], "2026-07-10");
    assert_eq!(task["context"]["last_stay"]["room_type"], "Bungalow");
    let voucher = task["context"]["voucher_code"].as_str().unwrap();
    assert!(voucher.starts_with("BDAY-2027-"), "{voucher}");
    let mei_script = of(&mei)[0]["script"].as_str().unwrap();
    assert!(
        mei_script.contains("生日快樂") && mei_script.contains("林美玲"),
        "{mei_script}"
    );
    let john_script = of(&john)[0]["script"].as_str().unwrap();
    assert!(john_script.contains("Happy birthday"), "{john_script}");

    // The birthday SMS carries the voucher; John gave no consent.
    let messages = sent(&mut conn, tenant.id, "birthday", "birthday:");
    let mai_id: uuid::Uuid = mai.parse().unwrap();
    let mai_sms: Vec<_> = messages.iter().filter(|m| m.guest_id == mai_id).collect();
    assert_eq!(mai_sms.len(), 2);
    assert!(
        mai_sms.iter().any(|m| m.body.contains(voucher)),
        "{mai_sms:?}"
    );
    let john_id: uuid::Uuid = john.parse().unwrap();
    let john_sms: Vec<_> = messages.iter().filter(|m| m.guest_id == john_id).collect();
    assert_eq!(john_sms.len(), 1);
    assert_eq!(john_sms[0].status, "suppressed");

    // The call and its outcome reach the guest's timeline.
    let id = task["id"].as_str().unwrap();
    let (status, _) = send(
        app.post(&format!("/v1/tasks/{id}/outcome"), &tenant.key)
            .json(
                &json!({ "outcome": "reached", "notes": "Chị Mai cảm ơn, hẹn tháng 7 quay lại" }),
            ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, timeline) = send(app.get(&format!("/v1/guests/{mai}/timeline"), &tenant.key)).await;
    assert_eq!(timeline["items"][0]["kind"], "task.outcome");
}

#[tokio::test]
async fn the_worker_runs_the_scheduled_scan_for_its_day_with_the_clock_ahead() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let next_scan: chrono::DateTime<Utc> = schedules::table
        .filter(schedules::tenant_id.eq(tenant.id))
        .filter(schedules::name.eq("care.birthdays"))
        .select(schedules::next_run_at)
        .first(&mut db.connect())
        .unwrap();
    let local = next_scan.with_timezone(&chrono_tz::Asia::Ho_Chi_Minh);
    assert_eq!(local.format("%H:%M").to_string(), "07:00");
    let scan_day = local.date_naive();
    // 1992 is a leap year: every day of the year exists in it.
    let born = day(1992, scan_day.month(), scan_day.day());
    let an = guest(
        &app,
        &tenant.key,
        json!({
            "full_name": "Lê Văn An", "nationality": "VN", "birth_date": born.to_string()
        }),
    )
    .await;

    let mut settings = settings_for(&db);
    settings.worker.clock_offset_secs = (next_scan - Utc::now()).num_seconds() + 30;
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let mut found = Vec::new();
    for _ in 0..100 {
        found = birthday_tasks(&app, &tenant.key).await;
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(found.len(), 1, "the scheduled scan ran");
    assert_eq!(found[0]["guest_id"], an);
    assert_eq!(found[0]["due_on"], scan_day.to_string());
}
