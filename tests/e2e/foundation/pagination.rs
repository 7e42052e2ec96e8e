//! Cursor pagination walks a list once, in order, without gaps or repeats.

use guestcare_api::auth::issue;
use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use serde_json::Value;

#[tokio::test]
async fn pages_cover_the_list_exactly_once() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    for n in 0..6 {
        let email = format!("staff{n}@lotus.vn").parse().unwrap();
        issue::create_user(
            &mut conn,
            tenant.id,
            &email,
            "Staff",
            Role::FrontDesk,
            "staff-password-1",
        )
        .unwrap();
    }
    let app = TestApp::spawn(&db);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/users?limit=3&cursor={c}"),
            None => "/v1/users?limit=3".to_owned(),
        };
        let page: Value = app
            .get(&path, &tenant.key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        pages += 1;
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    assert_eq!(pages, 3);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 7, "no repeats");
}
