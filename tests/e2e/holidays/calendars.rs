//! `GET /v1/holidays`: a year of a built-in calendar, as a front desk sees it.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::Value;

use super::{error_fields, send};

async fn holidays(app: &TestApp, key: &str, query: &str) -> (StatusCode, Value) {
    send(app.get(&format!("/v1/holidays?{query}"), key)).await
}

fn find<'a>(list: &'a Value, key: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["key"] == key)
        .unwrap_or_else(|| panic!("{key} missing from {list}"))
}

#[tokio::test]
async fn vietnam_2025_lists_tet_and_the_national_days_in_three_languages() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let front_desk = tenant.key_with_role(&mut db.connect(), Role::FrontDesk);
    let app = TestApp::spawn(&db);

    let (status, list) = holidays(&app, &front_desk, "calendar=vn&year=2025").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["calendar"], "vn");
    assert_eq!(list["year"], 2025);
    let keys: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "vn.tet_eve",
            "vn.tet",
            "vn.tet_2",
            "vn.tet_3",
            "vn.hung_kings",
            "vn.reunification_day",
            "vn.labour_day",
            "vn.national_day",
            "vn.mid_autumn",
            "vn.womens_day",
            "vn.teachers_day",
        ]
    );
    let tet = find(&list, "vn.tet");
    assert_eq!(tet["date"], "2025-01-29");
    assert_eq!(tet["lunar"], true);
    assert_eq!(tet["names"]["vi"], "Tết Nguyên Đán");
    assert_eq!(tet["names"]["zh-Hant"], "春節");
    let hung_kings = find(&list, "vn.hung_kings");
    assert_eq!(hung_kings["date"], "2025-04-07");
    assert_eq!(hung_kings["names"]["vi"], "Giỗ Tổ Hùng Vương");
    let national_day = find(&list, "vn.national_day");
    assert_eq!(national_day["date"], "2025-09-02");
    assert_eq!(national_day["lunar"], false);
}

#[tokio::test]
async fn tet_1985_differs_between_vietnam_and_taiwan() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let (_, vn) = holidays(&app, &tenant.key, "calendar=vn&year=1985").await;
    assert_eq!(find(&vn, "vn.tet")["date"], "1985-01-21");
    let (_, tw) = holidays(&app, &tenant.key, "calendar=tw&year=1985").await;
    assert_eq!(find(&tw, "tw.lunar_new_year")["date"], "1985-02-20");
    assert_eq!(find(&tw, "tw.lunar_new_year_eve")["date"], "1985-02-19");
    assert_eq!(find(&tw, "tw.lunar_new_year")["names"]["zh-Hant"], "春節");

    let (_, tw) = holidays(&app, &tenant.key, "calendar=tw&year=2026").await;
    assert_eq!(find(&tw, "tw.tomb_sweeping_day")["date"], "2026-04-05");
    assert_eq!(find(&tw, "tw.tomb_sweeping_day")["lunar"], false);
    assert_eq!(find(&tw, "tw.national_day")["names"]["zh-Hant"], "國慶日");

    let (_, intl) = holidays(&app, &tenant.key, "calendar=intl&year=2100").await;
    assert_eq!(find(&intl, "intl.christmas")["date"], "2100-12-25");
    assert_eq!(intl["items"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn bad_calendars_and_years_are_422_with_field_paths() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    for (query, fields) in [
        ("calendar=cn&year=2025", vec!["query.calendar"]),
        ("calendar=vn&year=1899", vec!["query.year"]),
        ("calendar=vn&year=2101", vec!["query.year"]),
        ("calendar=vn&year=twenty", vec!["query.year"]),
        ("", vec!["query.calendar", "query.year"]),
        ("calendar=vn&year=2025&colour=red", vec!["query.colour"]),
    ] {
        let (status, problem) = holidays(&app, &tenant.key, query).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(problem["code"], "validation_failed", "{query}");
        assert_eq!(error_fields(&problem), fields, "{query}");
    }

    let anonymous = app
        .client
        .get(app.url("/v1/holidays?calendar=vn&year=2025"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
