//! `/v1/reminder-rules` and `/v1/guests/{id}/dates`.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::json;

use super::{day_steps, guest, rule};
use crate::support::{error_fields, send};

#[tokio::test]
async fn managers_keep_reminder_rules_and_bad_ones_name_each_field() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let desk = tenant.key_with_role(&mut db.connect(), Role::FrontDesk);
    let app = TestApp::spawn(&db);

    let renewal = json!({
        "name": "Gia hạn thẻ hội viên",
        "anchor": "guest_date",
        "anchor_key": "membership_expiry",
        "steps": day_steps(&[-30, -18, -15, -3, 1, 4]),
    });
    let (status, _) = send(app.post("/v1/reminder-rules", &desk).json(&renewal)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let id = rule(&app, &tenant.key, renewal).await;
    let (status, seen) = send(app.get(&format!("/v1/reminder-rules/{id}"), &desk)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["name"], "Gia hạn thẻ hội viên");
    assert_eq!(
        seen["steps"][0],
        json!({ "offset_days": -30, "channel": "email", "purpose": "reminder" })
    );
    assert_eq!(seen["stop_on_new_stay"], false);
    assert_eq!(seen["active"], true);

    // The tenant now has its daily run, at 08:00 in the hotel's zone.
    let (_, schedules) = send(app.get("/v1/schedules", &tenant.key)).await;
    let daily = &schedules["items"][0];
    assert_eq!(daily["name"], "daily_automations");
    assert_eq!(daily["kind"], "run_automations");
    assert_eq!(daily["cron"], "0 8 * * *");
    assert_eq!(daily["time_zone"], "Asia/Ho_Chi_Minh");

    let (status, problem) = send(app.post("/v1/reminder-rules", &tenant.key).json(&json!({
        "name": "",
        "anchor": "stay_check_out",
        "anchor_key": "membership_expiry",
        "steps": [
            { "offset_days": 1, "channel": "fax", "purpose": "reminder" },
            { "offset_hours": 72, "channel": "email", "purpose": "reminder" },
            { "offset_months": 30, "channel": "email", "purpose": "reminder" },
            { "offset_days": 2, "channel": "sms", "purpose": "birthday" },
        ],
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        error_fields(&problem),
        [
            "name",
            "anchor_key",
            "steps[0].channel",
            "steps[1].offset_hours",
            "steps[2].offset_months",
            "steps[3].purpose"
        ]
    );

    // A change keeps what it does not mention; steps are replaced whole.
    let (status, changed) = send(
        app.patch(&format!("/v1/reminder-rules/{id}"), &tenant.key)
            .json(&json!({ "steps": day_steps(&[-30, 1]), "stop_on_new_stay": true })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["anchor_key"], "membership_expiry");
    assert_eq!(changed["steps"].as_array().unwrap().len(), 2);
    assert_eq!(changed["stop_on_new_stay"], true);
    let (status, problem) = send(
        app.patch(&format!("/v1/reminder-rules/{id}"), &tenant.key)
            .json(&json!({ "anchor": "event" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["anchor_key", "steps[0].offset_days", "steps[1].offset_days"]
    );

    let (_, list) = send(app.get("/v1/reminder-rules", &desk)).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let (status, _) = send(app.delete(&format!("/v1/reminder-rules/{id}"), &tenant.key)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(app.get(&format!("/v1/reminder-rules/{id}"), &desk)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_guests_dates_are_set_renewed_and_removed() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let desk = tenant.key_with_role(&mut db.connect(), Role::FrontDesk);
    let app = TestApp::spawn(&db);
    let an = guest(&app, &desk, json!({ "full_name": "Trần Văn An" })).await;
    let dates = format!("/v1/guests/{an}/dates");

    let (status, set) = send(
        app.put(&format!("{dates}/membership_expiry"), &desk)
            .json(&json!({ "date": "2027-03-01" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{set}");
    assert_eq!(set["date"], "2027-03-01");
    let (status, _) = send(
        app.put(&format!("{dates}/membership_expiry"), &desk)
            .json(&json!({ "date": "2028-03-01" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = send(
        app.put(&format!("{dates}/Membership"), &desk)
            .json(&json!({ "date": "2028-03-01" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["kind"]);
    let (_, listed) = send(app.get(&dates, &desk)).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["date"], "2028-03-01");

    // The renewal is on the timeline with the date it replaced.
    let (_, timeline) = send(app.get(&format!("/v1/guests/{an}/timeline"), &desk)).await;
    let entry = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "guest_date.set")
        .unwrap();
    assert_eq!(entry["summary"]["previous"], "2027-03-01");

    let (status, _) = send(app.delete(&format!("{dates}/membership_expiry"), &desk)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(app.delete(&format!("{dates}/membership_expiry"), &desk)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_merge_moves_the_dates_the_survivor_lacks_and_a_revert_moves_them_back() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    let survivor = guest(&app, key, json!({ "full_name": "Trần Văn An" })).await;
    let duplicate = guest(&app, key, json!({ "full_name": "Tran Van An" })).await;
    super::set_date(&app, key, survivor, "membership_expiry", "2027-03-01").await;
    super::set_date(&app, key, duplicate, "membership_expiry", "2026-03-01").await;
    super::set_date(&app, key, duplicate, "contract_expiry", "2027-09-30").await;
    let dates = |id| format!("/v1/guests/{id}/dates");

    let (status, merge) = send(app.post("/v1/guests/merges", key).json(&json!({
        "target_id": survivor, "source_id": duplicate
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED, "{merge}");
    let (_, kept) = send(app.get(&dates(survivor), key)).await;
    assert_eq!(
        kept,
        json!([
            { "kind": "contract_expiry", "date": "2027-09-30", "updated_at": kept[0]["updated_at"] },
            { "kind": "membership_expiry", "date": "2027-03-01", "updated_at": kept[1]["updated_at"] },
        ])
    );

    let merge_id = merge["merge"]["id"].as_str().unwrap();
    let (status, reverted) =
        send(app.post(&format!("/v1/guests/merges/{merge_id}/revert"), key)).await;
    assert_eq!(status, StatusCode::OK, "{reverted}");
    let (_, own) = send(app.get(&dates(survivor), key)).await;
    assert_eq!(own.as_array().unwrap().len(), 1);
    let (_, back) = send(app.get(&dates(duplicate), key)).await;
    let back: Vec<(&str, &str)> = back
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].as_str().unwrap(), d["date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        back,
        [
            ("contract_expiry", "2027-09-30"),
            ("membership_expiry", "2026-03-01")
        ]
    );
}
