//! Listing, saving, reading and deleting a tenant's own templates.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{errors, send};

fn summary<'a>(list: &'a Value, purpose: &str, channel: &str, language: &str) -> &'a Value {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["purpose"] == purpose && i["channel"] == channel && i["language"] == language)
        .unwrap()
}

#[tokio::test]
async fn a_manager_replaces_a_builtin_text_and_deletes_it_again() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let manager = tenant.key_with_role(&mut db.connect(), Role::Manager);
    let app = TestApp::spawn(&db);

    let (status, list) = send(app.get("/v1/templates", &manager)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 60);
    let birthday = summary(&list, "birthday", "sms", "vi");
    assert_eq!(birthday["source"], "builtin");
    assert_eq!(birthday["marketing"], true);
    assert_eq!(
        summary(&list, "ticket_reply", "email", "en")["marketing"],
        false
    );

    let (status, builtin) = send(app.get("/v1/templates/defaults/birthday/sms/vi", &manager)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        builtin["body"]
            .as_str()
            .unwrap()
            .contains("chúc mừng sinh nhật Quý khách")
    );
    let (status, _) = send(app.get("/v1/templates/birthday/sms/vi", &manager)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let path = "/v1/templates/birthday/sms/vi";
    let own = json!({
        "body": "{{ tenant.name }} chúc mừng sinh nhật {{ guest.given_name }}! Mã quà tặng: {{ extra.voucher_code }}",
        "strip_diacritics": true
    });
    let (status, saved) = send(app.put(path, &manager).json(&own)).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["source"], "tenant");
    assert_eq!(saved["strip_diacritics"], true);
    let (status, again) = send(app.put(path, &manager).json(&own)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(again["updated_at"].as_str().unwrap() >= saved["updated_at"].as_str().unwrap());

    let (_, read) = send(app.get(path, &manager)).await;
    assert_eq!(read["body"], own["body"]);
    let (_, list) = send(app.get("/v1/templates", &manager)).await;
    assert_eq!(summary(&list, "birthday", "sms", "vi")["source"], "tenant");
    assert_eq!(summary(&list, "birthday", "sms", "en")["source"], "builtin");

    let (status, _) = send(app.delete(path, &manager)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(app.delete(path, &manager)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = send(app.get("/v1/templates", &manager)).await;
    assert_eq!(summary(&list, "birthday", "sms", "vi")["source"], "builtin");
}

#[tokio::test]
async fn an_email_template_that_does_not_parse_or_uses_unknown_variables_answers_422_with_the_line()
{
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let path = "/v1/templates/ticket_reply/email/en";

    let (status, problem) = send(app.put(path, &tenant.key).json(&json!({
        "subject": "Re: {{ extra.ticket_number }}",
        "html": "<p>Dear {{ guest.full_name }},</p>\n<p>{% if extra.reply %}\n{{ extra.reply }\n{% endif %}</p>",
        "text": "{{ extra.reply }}"
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let found = errors(&problem);
    assert_eq!(found.len(), 1, "{problem}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("html", "template_syntax")
    );
    assert!(found[0].2.starts_with("Line 3: "), "{}", found[0].2);

    let (status, problem) = send(app.put(path, &tenant.key).json(&json!({
        "subject": "Re: {{ extra.ticket_number }}",
        "html": "<p>Dear {{ guest.full_name }},</p>\n<p>{{ guest.passport_number }}</p>",
        "text": "Your code: {{ extra.voucher_code }}"
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let found = errors(&problem);
    let summary: Vec<(&str, &str)> = found
        .iter()
        .map(|(f, c, _)| (f.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        summary,
        [("html", "unknown_variable"), ("text", "unknown_variable")]
    );
    assert!(
        found[0]
            .2
            .starts_with("Line 2: Unknown variable `guest.passport_number`")
    );
    assert!(
        found[1]
            .2
            .starts_with("Line 1: Unknown variable `extra.voucher_code`")
    );

    // SMS parts on an e-mail template, missing parts, unknown kinds.
    let (status, problem) = send(app.put(path, &tenant.key).json(&json!({ "body": "Hi" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = errors(&problem).into_iter().map(|e| e.0).collect();
    assert_eq!(fields, ["body", "subject", "html", "text"]);
    let (status, _) = send(
        app.put("/v1/templates/newsletter/email/en", &tenant.key)
            .json(&json!({ "body": "Hi" })),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn front_desk_staff_read_templates_but_do_not_change_them() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let front_desk = tenant.key_with_role(&mut db.connect(), Role::FrontDesk);
    let app = TestApp::spawn(&db);
    let (status, _) = send(app.get("/v1/templates", &front_desk)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = send(
        app.put("/v1/templates/reminder/sms/en", &front_desk)
            .json(&json!({ "body": "See you on {{ extra.check_in | date }}" })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(problem["code"], "forbidden");
}
