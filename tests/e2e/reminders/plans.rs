//! Contact plans create call tasks on the forecast's days, once each, and
//! never more often than the plan allows, even when the plan changes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{date, guest, run_day};
use crate::support::send;

/// Every plan task's due date, by guest, from `/v1/tasks`.
async fn plan_tasks(app: &TestApp, key: &str) -> BTreeMap<Uuid, Vec<NaiveDate>> {
    let mut by_guest: BTreeMap<Uuid, Vec<NaiveDate>> = BTreeMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/v1/tasks?source=contact_plan&limit=100".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let (status, page) = send(app.get(&path, key)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        for task in page["items"].as_array().unwrap() {
            assert_eq!(task["kind"], "call");
            by_guest
                .entry(task["guest_id"].as_str().unwrap().parse().unwrap())
                .or_default()
                .push(date(task["due_on"].as_str().unwrap()));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    for dates in by_guest.values_mut() {
        dates.sort();
    }
    by_guest
}

/// The forecast's contact tasks, by guest.
fn forecast_tasks(forecast: &Value) -> BTreeMap<Uuid, Vec<NaiveDate>> {
    let mut by_guest: BTreeMap<Uuid, Vec<NaiveDate>> = BTreeMap::new();
    for day in forecast["days"].as_array().unwrap() {
        for item in day["items"].as_array().unwrap() {
            if item["kind"] == "contact_task" {
                by_guest
                    .entry(item["guest"]["id"].as_str().unwrap().parse().unwrap())
                    .or_default()
                    .push(date(day["date"].as_str().unwrap()));
            }
        }
    }
    by_guest
}

#[tokio::test]
async fn plan_tasks_fall_on_the_forecast_days_and_never_closer_than_the_period() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    let (_, segment) = send(app.post("/v1/segments", key).json(&json!({
        "name": "VIP", "filter": { "tier": ["vip"] }
    })))
    .await;
    let (status, plan) = send(app.post("/v1/contact-plans", key).json(&json!({
        "name": "VIP", "segment_id": segment["id"], "every_days": 14
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    let plan_path = format!("/v1/contact-plans/{}", plan["id"].as_str().unwrap());
    let mut vips = Vec::new();
    for name in ["Nguyễn Thị Mai", "陳美玲", "John Smith", "Lê Văn Tám"] {
        let id = guest(&app, key, json!({ "full_name": name })).await;
        let (status, _) = send(
            app.put(&format!("/v1/guests/{id}/tier"), key)
                .json(&json!({ "tier": "vip" })),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        vips.push(id);
    }
    guest(&app, key, json!({ "full_name": "Phạm Thường" })).await;

    let (_, forecast) = send(app.get(
        "/v1/automations/forecast?from=2027-01-01&to=2027-03-31",
        key,
    ))
    .await;
    let predicted = forecast_tasks(&forecast);
    for day in date("2027-01-01").iter_days().take(90) {
        run_day(&mut conn, tenant.id, day);
    }
    let created = plan_tasks(&app, key).await;
    assert_eq!(created, predicted);
    assert_eq!(created.keys().copied().collect::<Vec<_>>(), {
        let mut ids = vips.clone();
        ids.sort();
        ids
    });
    for dates in created.values() {
        assert!(
            dates.windows(2).all(|w| (w[1] - w[0]).num_days() == 14),
            "{dates:?}"
        );
    }
    // A rerun of a day adds nothing.
    let again = run_day(&mut conn, tenant.id, created[&vips[0]][0]);
    assert_eq!(again.contact_tasks.created, 0);
    assert_eq!(again.contact_tasks.repeated, 1);

    // Shortened to a week: the guests' phases move, but no guest gets two
    // of the plan's calls less than a week apart.
    let (status, _) = send(app.patch(&plan_path, key).json(&json!({ "every_days": 7 }))).await;
    assert_eq!(status, StatusCode::OK);
    for day in date("2027-04-01").iter_days().take(30) {
        run_day(&mut conn, tenant.id, day);
    }
    for (guest, dates) in plan_tasks(&app, key).await {
        assert!(
            dates.windows(2).all(|w| (w[1] - w[0]).num_days() >= 7),
            "{guest}: {dates:?}"
        );
        assert!(
            dates.iter().filter(|d| **d >= date("2027-04-08")).count() >= 3,
            "{dates:?}"
        );
    }
}
