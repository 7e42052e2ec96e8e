//! `/v1/occasions`: a tenant's own yearly occasions, and how `/v1/holidays`
//! lists them.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{error_fields, into_json, send};

fn anniversary() -> Value {
    json!({
        "key": "anniversary",
        "names": {
            "vi": "Kỷ niệm thành lập khu nghỉ dưỡng",
            "en": "Resort anniversary",
            "zh-Hant": "度假村週年紀念"
        },
        "rule": { "kind": "lunar", "month": 12, "day": 30, "calendar": "vietnamese" }
    })
}

fn keys(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_manager_adds_an_occasion_that_the_holiday_list_resolves() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let manager = tenant.key_with_role(&mut db.connect(), Role::Manager);
    let app = TestApp::spawn(&db);

    let create = || {
        app.post("/v1/occasions", &manager)
            .header("Idempotency-Key", "anniversary-1")
            .json(&anniversary())
            .send()
    };
    let (status, created) = into_json(create().await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["key"], "anniversary");
    assert_eq!(created["active"], true);
    assert_eq!(created["rule"]["leap"], false);
    let replay = create().await.unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(into_json(replay).await.1, created);

    // Lunar 12/30 in a year whose 12th month has 29 days: its last day.
    let (status, list) = send(app.get(
        "/v1/holidays?calendar=vn&year=2025&include_tenant=true",
        &manager,
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    let own = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "tenant.anniversary")
        .unwrap();
    assert_eq!(own["date"], "2025-01-28");
    assert_eq!(own["lunar"], true);
    assert_eq!(own["names"]["vi"], "Kỷ niệm thành lập khu nghỉ dưỡng");
    assert_eq!(keys(&list).len(), 12);

    let (_, only_own) = send(app.get("/v1/holidays?calendar=tenant&year=2026", &manager)).await;
    assert_eq!(keys(&only_own), ["tenant.anniversary"]);
    assert_eq!(only_own["items"][0]["date"], "2026-02-16");
    let (_, without) = send(app.get("/v1/holidays?calendar=vn&year=2025", &manager)).await;
    assert!(!keys(&without).contains(&"tenant.anniversary"));
}

#[tokio::test]
async fn occasions_are_read_changed_paused_and_deleted() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let front_desk = tenant.key_with_role(&mut db.connect(), Role::FrontDesk);
    let app = TestApp::spawn(&db);
    let (_, created) = send(app.post("/v1/occasions", &tenant.key).json(&anniversary())).await;
    let path = format!("/v1/occasions/{}", created["id"].as_str().unwrap());

    // Read is enough to see occasions; writing needs a manager.
    let (status, page) = send(app.get("/v1/occasions", &front_desk)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["items"][0]["id"], created["id"]);
    assert_eq!(page["next_cursor"], Value::Null);
    let (status, _) = send(app.get(&path, &front_desk)).await;
    assert_eq!(status, StatusCode::OK);
    for response in [
        app.post("/v1/occasions", &front_desk)
            .json(&anniversary())
            .send(),
        app.patch(&path, &front_desk)
            .json(&json!({ "active": false }))
            .send(),
        app.delete(&path, &front_desk).send(),
    ] {
        assert_eq!(response.await.unwrap().status(), StatusCode::FORBIDDEN);
    }

    let (status, changed) = send(
        app.patch(&path, &tenant.key)
            .json(&json!({ "rule": { "kind": "solar", "month": 2, "day": 29 } })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        changed["rule"],
        json!({ "kind": "solar", "month": 2, "day": 29, "leap": false })
    );
    assert_eq!(changed["names"], created["names"]);
    let (_, list) = send(app.get("/v1/holidays?calendar=tenant&year=2025", &tenant.key)).await;
    assert_eq!(list["items"][0]["date"], "2025-02-28");
    assert_eq!(list["items"][0]["lunar"], false);

    let (_, paused) = send(
        app.patch(&path, &tenant.key)
            .json(&json!({ "active": false })),
    )
    .await;
    assert_eq!(paused["active"], false);
    let (_, list) = send(app.get("/v1/holidays?calendar=tenant&year=2025", &tenant.key)).await;
    assert_eq!(list["items"], json!([]));

    let deleted = app.delete(&path, &tenant.key).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let (status, gone) = send(app.get(&path, &tenant.key)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(gone["code"], "not_found");
}

#[tokio::test]
async fn invalid_occasions_are_refused_with_every_field_and_nothing_saved() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let bad = json!({
        "key": "Bad Key",
        "names": { "vi": " ", "en": "Anniversary", "zh-Hant": "週年" },
        "rule": { "kind": "lunar", "month": 13, "day": 31 }
    });
    let (status, problem) = send(app.post("/v1/occasions", &tenant.key).json(&bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&problem),
        ["key", "names.vi", "rule.month", "rule.day", "rule.calendar"]
    );

    let solar_30_feb = json!({
        "key": "x",
        "names": { "vi": "x", "en": "x", "zh-Hant": "x" },
        "rule": { "kind": "solar", "month": 2, "day": 30, "calendar": "chinese" }
    });
    let (status, problem) = send(app.post("/v1/occasions", &tenant.key).json(&solar_30_feb)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["rule.calendar", "rule.day"]);

    let wrong_type =
        json!({ "key": "x", "names": {}, "rule": { "kind": "solar", "month": "May", "day": 1 } });
    let (status, problem) = send(app.post("/v1/occasions", &tenant.key).json(&wrong_type)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["errors"][0]["field"]
            .as_str()
            .unwrap()
            .starts_with("names")
            || problem["errors"][0]["field"] == "rule.month",
        "{problem}"
    );

    let (_, page) = send(app.get("/v1/occasions", &tenant.key)).await;
    assert_eq!(page["items"], json!([]));

    // Keys are unique in a tenant.
    let first = app
        .post("/v1/occasions", &tenant.key)
        .json(&anniversary())
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let (status, problem) = send(app.post("/v1/occasions", &tenant.key).json(&anniversary())).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "already_exists");
}

#[tokio::test]
async fn another_tenants_occasions_are_invisible() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let a = TestTenant::create(&mut conn, "tenant-a");
    let b = TestTenant::create(&mut conn, "tenant-b");
    let app = TestApp::spawn(&db);
    app.post("/v1/occasions", &a.key)
        .json(&anniversary())
        .send()
        .await
        .unwrap();

    let (_, page) = send(app.get("/v1/occasions", &b.key)).await;
    assert_eq!(page["items"], json!([]));
    let (_, list) = send(app.get("/v1/holidays?calendar=tenant&year=2025", &b.key)).await;
    assert_eq!(list["items"], json!([]));
    // B may use the same key for its own occasion.
    let own = app
        .post("/v1/occasions", &b.key)
        .json(&anniversary())
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::CREATED);
}
