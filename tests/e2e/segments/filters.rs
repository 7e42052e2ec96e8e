//! Each condition of the filter language over the seeded guests.

use guestcare_db::segments::segment_guest_ids;
use guestcare_domain::{Role, segment::Filter};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::seed_guests;

/// `(filter, names it selects)`.
fn cases() -> Vec<(Value, Vec<&'static str>)> {
    vec![
        (
            json!({"nationality": ["VN"]}),
            vec!["Nguyễn Văn An", "Trần Thị Bích"],
        ),
        (
            json!({"domestic": false}),
            vec!["Chen Mei-ling", "John Smith"],
        ),
        (json!({"language": ["zh-Hant"]}), vec!["Chen Mei-ling"]),
        (json!({"language": ["en"]}), vec!["John Smith"]),
        (
            json!({"not": {"tier": ["vip"]}}),
            vec!["Trần Thị Bích", "Chen Mei-ling", "John Smith"],
        ),
        (
            json!({"tags": {"any": ["vip", "honeymoon"]}}),
            vec!["Nguyễn Văn An", "John Smith"],
        ),
        (
            json!({"age": {"min": 35, "max": 40}}),
            vec!["Nguyễn Văn An", "Chen Mei-ling"],
        ),
        (
            json!({"birthday_month": [3, 11]}),
            vec!["Trần Thị Bích", "Chen Mei-ling"],
        ),
        (
            json!({"stays": {"min": 2}}),
            vec!["Nguyễn Văn An", "Chen Mei-ling"],
        ),
        (json!({"stays": {"max": 0}}), vec!["John Smith"]),
        (
            json!({"last_stay": {"before": "2026-01-01"}}),
            vec!["Trần Thị Bích"],
        ),
        (
            json!({"last_stay": {"after": "2026-10-01"}}),
            vec!["Nguyễn Văn An"],
        ),
        (
            json!({"total_spend": {"currency": "VND", "min": 5_000_000}}),
            vec!["Nguyễn Văn An", "Chen Mei-ling"],
        ),
        (
            json!({"spend_percentile": {"currency": "VND", "top": 34}}),
            vec!["Chen Mei-ling"],
        ),
        (
            json!({"consent": {"channel": "email", "purpose": "marketing"}}),
            vec!["Nguyễn Văn An"],
        ),
        (
            json!({"or": [
                {"and": [{"domestic": true}, {"stays": {"min": 3}}]},
                {"and": [{"domestic": false}, {"spend_percentile": {"currency": "VND", "top": 50}}]}
            ]}),
            vec!["Nguyễn Văn An", "Chen Mei-ling"],
        ),
        (
            json!({"and": []}),
            vec![
                "Nguyễn Văn An",
                "Trần Thị Bích",
                "Chen Mei-ling",
                "John Smith",
            ],
        ),
        (json!({"or": []}), vec![]),
    ]
}

#[tokio::test]
async fn every_condition_selects_the_right_guests_in_one_query() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let other = TestTenant::create(&mut conn, "orchid");
    seed_guests(&mut conn, tenant.id, other.id);
    let app = TestApp::spawn(&db);
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);

    for (n, (filter, expected)) in cases().into_iter().enumerate() {
        let ids =
            segment_guest_ids(&mut conn, tenant.id, &Filter::parse(&filter).unwrap()).unwrap();
        assert_eq!(ids.len(), expected.len(), "{filter}");

        let segment: Value = app
            .post("/v1/segments", &tenant.key)
            .json(&json!({"name": format!("segment {n}"), "filter": filter}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = segment["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{segment}"));
        let preview: Value = app
            .get(&format!("/v1/segments/{id}/preview"), &agent)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(preview["count"], expected.len(), "{filter}: {preview}");
        let mut names: Vec<&str> = preview["sample"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["full_name"].as_str().unwrap())
            .collect();
        let mut expected = expected.clone();
        names.sort_unstable();
        expected.sort_unstable();
        assert_eq!(names, expected, "{filter}");
    }
}

#[tokio::test]
async fn segments_are_saved_changed_listed_and_deleted() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let other = TestTenant::create(&mut conn, "orchid");
    seed_guests(&mut conn, tenant.id, other.id);
    let app = TestApp::spawn(&db);
    let desk = tenant.key_with_role(&mut conn, Role::FrontDesk);

    let body = json!({"name": "Khách Đài Loan", "filter": {"nationality": ["TW"]}});
    let response = app
        .post("/v1/segments", &desk)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "front desk cannot define segments"
    );
    let segment: Value = app
        .post("/v1/segments", &tenant.key)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = segment["id"].as_str().unwrap();
    assert_eq!(segment["name"], "Khách Đài Loan");
    let again = app
        .post("/v1/segments", &tenant.key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT, "names are unique");

    let changed: Value = app
        .patch(&format!("/v1/segments/{id}"), &tenant.key)
        .json(&json!({"filter": {"domestic": false}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(changed["filter"], json!({"domestic": false}));
    assert_eq!(changed["name"], "Khách Đài Loan");
    let preview: Value = app
        .get(&format!("/v1/segments/{id}/preview?sample=1"), &desk)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(preview["count"], 2);
    assert_eq!(preview["sample"].as_array().unwrap().len(), 1);
    assert!(
        preview["sample"][0]["code"]
            .as_str()
            .unwrap()
            .starts_with("G-")
    );

    let list: Value = app
        .get("/v1/segments", &desk)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let response = app
        .get(&format!("/v1/segments/{id}"), &other.key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .delete(&format!("/v1/segments/{id}"), &tenant.key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app
        .get(&format!("/v1/segments/{id}/preview"), &desk)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_filters_answer_422_with_the_path_of_each_bad_value() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let cases = [
        (
            json!({"and": [{"nationality": ["VN", "Vietnam"]}, {"age": {"min": "old"}}]}),
            vec!["filter.and[0].nationality[1]", "filter.and[1].age.min"],
        ),
        (
            json!({"or": [{"consent": {"channel": "fax", "purpose": "marketing"}}]}),
            vec!["filter.or[0].consent.channel"],
        ),
        (
            json!({"spend_percentile": {"currency": "VND", "top": 150}}),
            vec!["filter.spend_percentile.top"],
        ),
        (
            json!({"favourite_colour": "blue"}),
            vec!["filter.favourite_colour"],
        ),
        (json!("everyone"), vec!["filter"]),
    ];
    for (filter, fields) in cases {
        let response = app
            .post("/v1/segments", &tenant.key)
            .json(&json!({"name": "x", "filter": filter}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{filter}"
        );
        let problem: Value = response.json().await.unwrap();
        let found: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(found, fields, "{filter}");
    }
}
