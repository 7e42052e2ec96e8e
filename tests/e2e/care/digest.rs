//! The daily digest e-mail to the tenant's managers: birthdays of today and
//! the next 7 days, and the open care tasks due within them.

use chrono::NaiveDate;
use diesel::prelude::*;
use guestcare_api::auth::issue;
use guestcare_db::{care, schema::messages};
use guestcare_domain::{Email, Role};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::json;

use super::{guest, hcm};
use crate::support::send;

#[tokio::test]
async fn managers_get_one_digest_a_day_with_the_weeks_birthdays_and_open_tasks() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    for (email, role) in [
        ("lan@lotus.example.com", Role::Manager),
        ("binh@lotus.example.com", Role::CareAgent),
    ] {
        let email: Email = email.parse().unwrap();
        issue::create_user(
            &mut db.connect(),
            tenant.id,
            &email,
            "Lan",
            role,
            "staff-password-123",
        )
        .unwrap();
    }
    let app = TestApp::spawn(&db);
    for (name, born) in [
        ("Trần Thị Mai", "1992-03-10"),
        ("林美玲", "1988-03-13"),
        ("John Smith", "1975-03-19"),
    ] {
        guest(
            &app,
            &tenant.key,
            json!({ "full_name": name, "birth_date": born }),
        )
        .await;
    }
    let an = guest(&app, &tenant.key, json!({ "full_name": "Lê Văn An" })).await;
    for (due, title) in [
        ("2027-03-12", "Gọi hỏi thăm anh An"),
        ("2027-04-30", "Tặng quà kỷ niệm"),
    ] {
        let (status, _) = send(app.post("/v1/tasks", &tenant.key).json(&json!({
            "kind": "call", "guest_id": an, "due_on": due, "title": title
        })))
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }

    let mut conn = db.connect();
    let at = hcm(NaiveDate::from_ymd_opt(2027, 3, 10).unwrap(), 7);
    let report = care::run_digest(&mut conn, tenant.id, at).unwrap();
    assert_eq!(
        (report.queued, report.birthdays, report.open_tasks),
        (2, 2, 1)
    );
    assert_eq!(
        care::run_digest(&mut conn, tenant.id, at).unwrap().queued,
        0
    );

    let mut mails: Vec<(String, String, String)> = messages::table
        .filter(messages::tenant_id.eq(tenant.id))
        .filter(messages::purpose.eq("staff_digest"))
        .select((
            messages::recipient,
            messages::subject.assume_not_null(),
            messages::body_text,
        ))
        .load(&mut conn)
        .unwrap();
    mails.sort();
    let recipients: Vec<&str> = mails.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(
        recipients,
        ["lan@lotus.example.com", "owner@lotus.example.com"]
    );
    let (_, subject, text) = &mails[0];
    assert!(
        subject.starts_with("Tóm tắt chăm sóc khách hàng"),
        "{subject}"
    );
    assert!(text.contains("Sinh nhật hôm nay và 7 ngày tới"), "{text}");
    assert!(
        text.contains("Trần Thị Mai") && text.contains("林美玲"),
        "{text}"
    );
    assert!(!text.contains("John Smith"), "{text}");
    assert!(
        text.contains("Gọi hỏi thăm anh An") && !text.contains("Tặng quà kỷ niệm"),
        "{text}"
    );
}
