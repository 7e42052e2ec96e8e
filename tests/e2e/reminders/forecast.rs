//! The forecast and the monthly care list: what the automations would do,
//! computed by the daily run's own functions, without doing it.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{date, day_steps, guest, reminder_keys, rule, run_day, set_date, stay};
use crate::support::{error_fields, send};

#[tokio::test]
async fn the_forecast_is_what_the_year_then_sends() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    rule(
        &app,
        key,
        json!({
            "name": "Gia hạn", "anchor": "guest_date", "anchor_key": "voucher_expiry",
            "steps": day_steps(&[-30, -18, -15, -3, 1, 4]),
        }),
    )
    .await;
    rule(
        &app,
        key,
        json!({ "name": "Cảm ơn", "anchor": "stay_check_out", "steps": day_steps(&[1]) }),
    )
    .await;
    rule(
        &app,
        key,
        json!({
            "name": "Nhớ Quý khách", "anchor": "last_stay", "stop_on_new_stay": true,
            "steps": [{ "offset_months": 11, "channel": "sms", "purpose": "reminder" }],
        }),
    )
    .await;
    let an = guest(
        &app,
        key,
        json!({ "full_name": "Trần Văn An", "email": "an@example.vn" }),
    )
    .await;
    set_date(&app, key, an, "voucher_expiry", "2027-12-30").await;
    stay(&app, key, an, "2027-01-03", "2027-01-31").await;
    let mei = guest(
        &app,
        key,
        json!({ "full_name": "陳美玲", "phones": ["+886912345678"] }),
    )
    .await;
    stay(&app, key, mei, "2026-03-28", "2026-03-31").await;
    set_date(&app, key, mei, "voucher_expiry", "2027-01-02").await;

    let (status, forecast) = send(app.get(
        "/v1/automations/forecast?from=2027-01-01&to=2027-12-31",
        key,
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{forecast}");
    assert!(
        reminder_keys(&mut conn, tenant.id).is_empty(),
        "a forecast sends nothing"
    );
    let mut predicted = BTreeSet::new();
    for day in forecast["days"].as_array().unwrap() {
        for item in day["items"].as_array().unwrap() {
            if item["kind"] != "reminder" {
                continue;
            }
            predicted.insert(format!(
                "{} {} {} {}",
                day["date"].as_str().unwrap(),
                item["rule_name"].as_str().unwrap(),
                item["guest"]["full_name"].as_str().unwrap(),
                item["step"].as_str().unwrap(),
            ));
        }
    }
    let expected: BTreeSet<String> = [
        "2027-01-03 Gia hạn 陳美玲 d1",
        "2027-01-06 Gia hạn 陳美玲 d4",
        "2027-02-01 Cảm ơn Trần Văn An d1",
        "2027-02-28 Nhớ Quý khách 陳美玲 m11",
        "2027-11-30 Gia hạn Trần Văn An d-30",
        "2027-12-12 Gia hạn Trần Văn An d-18",
        "2027-12-15 Gia hạn Trần Văn An d-15",
        "2027-12-27 Gia hạn Trần Văn An d-3",
        "2027-12-31 Gia hạn Trần Văn An d1",
        "2027-12-31 Nhớ Quý khách Trần Văn An m11",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(predicted, expected);
    // The tenant's default greeting rules are in it too: Christmas, to
    // every guest by SMS at 09:00.
    let christmas = forecast["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == "2027-12-25")
        .unwrap();
    let greeted: BTreeSet<(&str, &str, i64)> = christmas["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "greeting")
        .map(|i| {
            (
                i["guest"]["full_name"].as_str().unwrap(),
                i["occasion_key"].as_str().unwrap(),
                i["send_hour"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        greeted,
        BTreeSet::from([
            ("Trần Văn An", "intl.christmas", 9),
            ("陳美玲", "intl.christmas", 9)
        ])
    );

    let mut sent = 0;
    for day in date("2027-01-01").iter_days().take(365) {
        let report = run_day(&mut conn, tenant.id, day);
        sent += report.reminders.queued + report.reminders.withheld;
    }
    assert_eq!(sent, expected.len());
    assert_eq!(reminder_keys(&mut conn, tenant.id).len(), expected.len());

    let (status, problem) = send(app.get(
        "/v1/automations/forecast?from=2027-01-01&to=2028-06-01",
        key,
    ))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["to"]);
}

/// The dates of a guest's contact tasks in a forecast.
fn task_days(forecast: &Value, name: &str) -> Vec<NaiveDate> {
    forecast["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["kind"] == "contact_task" && i["guest"]["full_name"] == name)
        })
        .map(|d| date(d["date"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn contact_plans_call_each_guest_once_per_period_and_the_care_list_shows_the_month() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    let (_, segment) = send(app.post("/v1/segments", key).json(&json!({
        "name": "Taiwan", "filter": { "nationality": ["TW"] }
    })))
    .await;
    let segment_id = segment["id"].as_str().unwrap();

    let (status, problem) = send(app.post("/v1/contact-plans", key).json(&json!({
        "name": "", "segment_id": "0190a5c4-0000-7000-8000-000000000000", "every_days": 0
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["name", "segment_id", "every_days"]);
    let (status, plan) = send(app.post("/v1/contact-plans", key).json(&json!({
        "name": "Gọi khách Đài Loan", "segment_id": segment_id, "every_days": 14
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    assert_eq!(plan["every_days"], 14);
    let (status, problem) = send(app.delete(&format!("/v1/segments/{segment_id}"), key)).await;
    assert_eq!(status, StatusCode::CONFLICT, "a plan uses it");
    assert_eq!(problem["code"], "in_use");

    for name in ["陳美玲", "林志明", "王小華"] {
        guest(
            &app,
            key,
            json!({ "full_name": name, "nationality": "TW", "phones": ["+886912345678"] }),
        )
        .await;
    }
    let an = guest(
        &app,
        key,
        json!({
            "full_name": "Trần Văn An", "nationality": "VN", "birth_date": "1988-02-29",
            "phones": ["+84912345678"], "email": "an@example.vn"
        }),
    )
    .await;
    rule(
        &app,
        key,
        json!({ "name": "Cảm ơn", "anchor": "stay_check_out", "steps": day_steps(&[1]) }),
    )
    .await;
    stay(&app, key, an, "2027-02-01", "2027-02-03").await;

    let (_, forecast) = send(app.get(
        "/v1/automations/forecast?from=2027-01-01&to=2027-06-30",
        key,
    ))
    .await;
    for name in ["陳美玲", "林志明", "王小華"] {
        let days = task_days(&forecast, name);
        assert!(days[0] < date("2027-01-15"), "{name}: {days:?}");
        assert!(
            days.windows(2).all(|w| (w[1] - w[0]).num_days() == 14),
            "{name}: {days:?}"
        );
        assert_eq!(
            days.len(),
            13 - usize::from(days[0] > date("2027-01-13")),
            "{name}: {days:?}"
        );
    }
    assert!(task_days(&forecast, "Trần Văn An").is_empty());

    // The care list of February: the birthday (29 February on the 28th),
    // the thank-you, and the Taiwanese guests' calls.
    let (status, list) = send(app.get("/v1/care-list?month=2027-02", key)).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["month"], "2027-02");
    let rows = list["rows"].as_array().unwrap();
    let an_rows: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["guest"]["full_name"] == "Trần Văn An")
        .map(|r| (r["date"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        an_rows,
        [("2027-02-04", "reminder"), ("2027-02-28", "birthday")]
    );
    let calls = rows
        .iter()
        .filter(|r| r["reason"] == "contact_task")
        .count();
    assert!((6..=9).contains(&calls), "{calls}");
    let dates: Vec<&str> = rows.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));

    for request in [
        app.get("/v1/care-list?month=2027-02", key)
            .header("Accept", "text/csv"),
        app.get("/v1/care-list?month=2027-02&format=csv", key),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = response.text().await.unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        assert_eq!(
            lines.next(),
            Some("date,code,full_name,phone,email,reason,detail")
        );
        let birthday = lines.find(|l| l.contains("birthday")).unwrap();
        assert!(birthday.starts_with("2027-02-28,"), "{birthday}");
        assert!(birthday.contains("Trần Văn An,+84912345678,an@example.vn,birthday"));
        assert_eq!(text.lines().count(), rows.len() + 1);
    }
    let (status, problem) = send(app.get("/v1/care-list?month=2027-13&format=pdf", key)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["month", "format"]);
}
