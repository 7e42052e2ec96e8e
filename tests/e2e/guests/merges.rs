//! Identity resolution on intake, and merges by hand with their reversal.

use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{create, search, timeline_kinds};
use crate::support::{error_fields, send};

async fn intake(app: &TestApp, key: &str, body: Value) -> (StatusCode, Value) {
    send(app.post("/v1/guests/intake", key).json(&body)).await
}

#[tokio::test]
async fn intake_creates_merges_or_leaves_unchanged() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    let arrival = json!({
        "profile": {
            "full_name": "Nguyen Van A", "national_id": { "type": "cccd", "number": "079123456789" },
            "phones": ["0903 123 456"], "occupation": "Kỹ sư"
        },
        "stay": { "check_in": "2026-03-10", "check_out": "2026-03-12", "property": "Lotus Huế" }
    });
    let (status, created) = intake(&app, key, arrival.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["outcome"], "created");
    let id = created["guest"]["id"].clone();

    // The same file again: nothing new.
    let (status, again) = intake(&app, key, arrival).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (again["outcome"].as_str(), &again["guest"]["id"]),
        (Some("unchanged"), &id)
    );
    assert!(again["stay_id"].is_null());

    // Same national ID: newer values win, the conflict is on the timeline,
    // the new stay is added; the diacritics form of the name is kept.
    let (status, merged) = intake(&app, key, json!({
        "profile": {
            "full_name": "Nguyễn Văn A", "national_id": { "type": "cccd", "number": "079 123 456 789" },
            "occupation": "Giáo viên", "email": "a.nguyen@example.com", "birth_date": "1990-03-12"
        },
        "stay": { "check_in": "2026-11-20" }
    }))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(merged["outcome"], "merged");
    assert_eq!(merged["guest"]["id"], id);
    assert_eq!(merged["guest"]["full_name"], "Nguyễn Văn A");
    assert_eq!(merged["guest"]["occupation"], "Giáo viên");
    assert_eq!(merged["guest"]["care_period"]["end"], "2027-11-20");
    let guest = id.as_str().unwrap();
    let (_, timeline) = send(app.get(&format!("/v1/guests/{guest}/timeline"), key)).await;
    let update = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "guest.updated")
        .unwrap();
    assert_eq!(update["summary"]["conflicts"], 2);
    let occupation = update["summary"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "occupation")
        .unwrap();
    assert_eq!(occupation["change"], "replaced");
    assert_eq!(occupation["previous"], "Kỹ sư");

    // Same e-mail (any case), no ID: the same guest.
    let (_, by_email) = intake(&app, key, json!({ "profile": { "full_name": "Nguyễn Văn A", "email": "A.Nguyen@EXAMPLE.com", "tags": ["vip"] } })).await;
    assert_eq!(
        (by_email["outcome"].as_str(), &by_email["guest"]["id"]),
        (Some("merged"), &id)
    );
    // Same phone and birthday: the same guest; phone alone is not enough.
    let (_, by_phone) = intake(&app, key, json!({ "profile": { "full_name": "Nguyễn Văn A", "phones": ["+84903123456"], "birth_date": "12/03/1990" } })).await;
    assert_eq!(
        (by_phone["outcome"].as_str(), &by_phone["guest"]["id"]),
        (Some("unchanged"), &id)
    );
    let (status, other) = intake(
        &app,
        key,
        json!({ "profile": { "full_name": "Nguyễn Văn A", "phones": ["0903123456"] } }),
    )
    .await;
    assert_eq!(
        (status, other["outcome"].as_str()),
        (StatusCode::CREATED, Some("created"))
    );

    // A booking relay address is kept as a contact, never as identity.
    let relay = json!({ "profile": { "full_name": "Trần Thị B", "email": "tranb.8812@guest.booking.com" } });
    let (_, first) = intake(&app, key, relay.clone()).await;
    assert_eq!(first["outcome"], "created");
    assert!(first["guest"]["email"].is_null());
    assert_eq!(
        first["guest"]["relay_emails"],
        json!(["tranb.8812@guest.booking.com"])
    );
    let (_, second) = intake(&app, key, relay).await;
    assert_eq!(second["outcome"], "created");

    let (status, problem) = intake(
        &app,
        key,
        json!({
            "profile": { "full_name": "X", "email": "bad" }, "stay": { "check_out": "2026-01-01" }
        }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["profile.email", "stay.check_in"]);
}

#[tokio::test]
async fn a_merge_by_hand_is_reverted_from_its_record() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    let target = create(
        &app,
        key,
        json!({ "full_name": "Đặng Thị L", "phones": ["0903000111"], "occupation": "Bác sĩ" }),
    )
    .await;
    let source = create(&app, key, json!({
        "full_name": "Dang Thi L", "phones": ["0912000222"], "occupation": "Y tá", "hometown": "Đà Nẵng",
        "national_id": { "type": "passport", "number": "C1234567" }
    }))
    .await;
    let (target_id, source_id) = (
        target["id"].as_str().unwrap(),
        source["id"].as_str().unwrap(),
    );
    send(
        app.post(&format!("/v1/guests/{source_id}/stays"), key)
            .json(&json!({ "check_in": "2026-06-01" })),
    )
    .await;
    send(
        app.put(&format!("/v1/guests/{source_id}/tier"), key)
            .json(&json!({ "tier": "loyal" })),
    )
    .await;

    let (status, problem) = send(
        app.post("/v1/guests/merges", key)
            .json(&json!({ "target_id": target_id, "source_id": target_id })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["source_id"]);
    let (status, merged) = send(
        app.post("/v1/guests/merges", key)
            .json(&json!({ "target_id": target_id, "source_id": source_id })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{merged}");
    let t = &merged["target"];
    assert_eq!(t["full_name"], "Đặng Thị L");
    assert_eq!(t["occupation"], "Bác sĩ", "the target's values win");
    assert_eq!(t["hometown"], "Đà Nẵng", "empty fields are filled");
    assert_eq!(t["phones"], json!(["+84903000111", "+84912000222"]));
    assert_eq!(t["national_id"]["number"], "C1234567");
    assert_eq!(t["tier"], "loyal");
    assert_eq!(t["care_period"]["start"], "2026-06-01");
    assert_eq!(merged["source"]["merged_into"], target_id);
    assert_eq!(
        search(&app, key, "dang thi l").await,
        ["Đặng Thị L"],
        "the source is no longer listed"
    );
    assert!(
        timeline_kinds(&app, key, target_id)
            .await
            .contains(&"guest.merged".to_owned())
    );
    let (status, problem) = send(
        app.patch(&format!("/v1/guests/{source_id}"), key)
            .json(&json!({ "notes": "x" })),
    )
    .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("guest_not_live"))
    );

    let revert = format!(
        "/v1/guests/merges/{}/revert",
        merged["merge"]["id"].as_str().unwrap()
    );
    let (status, reverted) = send(app.post(&revert, key)).await;
    assert_eq!(status, StatusCode::OK, "{reverted}");
    let (t, s) = (&reverted["target"], &reverted["source"]);
    assert_eq!(t["phones"], json!(["+84903000111"]));
    assert!(t["hometown"].is_null() && t["national_id"].is_null() && t["tier"].is_null());
    assert!(t["care_period"].is_null());
    assert!(s["merged_into"].is_null());
    assert_eq!(s["tier"], "loyal");
    assert_eq!(s["national_id"]["number"], "C1234567");
    assert_eq!(s["care_period"]["start"], "2026-06-01");
    let (_, stays) = send(app.get(&format!("/v1/guests/{source_id}/stays"), key)).await;
    assert_eq!(stays.as_array().unwrap().len(), 1);
    assert_eq!(search(&app, key, "dang thi l").await.len(), 2);
    let (status, problem) = send(app.post(&revert, key)).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("merge_reverted"))
    );
}

#[tokio::test]
async fn an_intake_merge_is_reverted_into_a_guest_of_its_own() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let key = &tenant.key;
    let known = create(&app, key, json!({ "full_name": "Phan Văn N", "email": "n.phan@example.com", "occupation": "Kế toán" })).await;
    let (status, merged) = intake(&app, key, json!({
        "profile": {
            "full_name": "Phan Văn Nam", "email": "N.Phan@example.com", "occupation": "Luật sư",
            "national_id": { "type": "cccd", "number": "048095000111" }, "phones": ["0905 111 222"]
        },
        "stay": { "check_in": "2026-09-01", "check_out": "2026-09-03", "property": "Lotus Hội An" }
    }))
    .await;
    assert_eq!(
        (status, merged["outcome"].as_str()),
        (StatusCode::OK, Some("merged"))
    );
    assert_eq!(merged["guest"]["id"], known["id"]);
    assert_eq!(merged["guest"]["occupation"], "Luật sư");
    let merge_id = merged["merge_id"].as_str().unwrap();

    let (status, reverted) =
        send(app.post(&format!("/v1/guests/merges/{merge_id}/revert"), key)).await;
    assert_eq!(status, StatusCode::OK, "{reverted}");
    assert_eq!(reverted["merge"]["kind"], "intake");
    let (t, s) = (&reverted["target"], &reverted["source"]);
    assert_eq!(
        (t["full_name"].as_str(), t["occupation"].as_str()),
        (Some("Phan Văn N"), Some("Kế toán"))
    );
    assert!(t["national_id"].is_null() && t["care_period"].is_null());
    assert_eq!(t["phones"], json!([]));
    assert_eq!(s["full_name"], "Phan Văn Nam");
    assert_eq!(s["national_id"]["number"], "048095000111");
    assert_eq!(s["phones"], json!(["+84905111222"]));
    assert_eq!(s["care_period"]["start"], "2026-09-01");
    let (_, stays) = send(app.get(
        &format!("/v1/guests/{}/stays", s["id"].as_str().unwrap()),
        key,
    ))
    .await;
    assert_eq!(stays[0]["property"], "Lotus Hội An");
    assert!(
        timeline_kinds(&app, key, s["id"].as_str().unwrap())
            .await
            .contains(&"stay".to_owned())
    );
    let mut conn = db.connect();
    let clear: i64 = diesel::RunQueryDsl::get_result::<Count>(
        diesel::sql_query(
            "SELECT count(*) AS n FROM guest_merges m WHERE m::text LIKE '%048095000111%'",
        ),
        &mut conn,
    )
    .unwrap()
    .n;
    assert_eq!(clear, 0, "the kept intake holds the national ID sealed");
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
