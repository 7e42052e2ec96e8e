//! `POST /v1/templates/preview`: what a guest would receive.

use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::json;

use super::{errors, send};

#[tokio::test]
async fn a_vietnamese_guest_sees_the_builtin_email_with_local_dates_and_money() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let (status, preview) = send(app.post("/v1/templates/preview", &tenant.key).json(&json!({
        "purpose": "booking_confirmation",
        "channel": "email",
        "language": "vi",
        "guest": { "full_name": "Trần Thị <b>Mai</b>", "code": "G-7" },
        "extra": {
            "booking_reference": "BK-2026-0042",
            "check_in": "2026-11-24",
            "check_out": "2026-11-27",
            "nights": 3,
            "room_type": "Phòng Deluxe hướng vườn",
            "total": 3600000,
            "currency": "VND"
        }
    })))
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["source"], "builtin");
    assert_eq!(preview["language"], "vi");
    assert_eq!(
        preview["subject"],
        "Xác nhận đặt phòng BK-2026-0042 tại Resort lotus"
    );
    let html = preview["html"].as_str().unwrap();
    assert!(
        html.contains("Kính gửi Quý khách Trần Thị &lt;b&gt;Mai&lt;/b&gt;,"),
        "{html}"
    );
    assert!(html.contains("Nhận phòng: 24/11/2026"), "{html}");
    assert!(html.contains("Tổng tiền: 3.600.000 ₫"));
    let text = preview["text"].as_str().unwrap();
    assert!(text.contains("Kính gửi Quý khách Trần Thị <b>Mai</b>,"));
    assert!(text.contains("- Trả phòng: 27/11/2026"));
    assert!(preview.get("sms").is_none());
}

#[tokio::test]
async fn an_sms_preview_counts_segments_and_estimates_the_cost() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let request = |strip: bool| {
        json!({
            "purpose": "birthday",
            "channel": "sms",
            "language": "vi",
            "template": {
                "body": "{{ tenant.name }} chúc mừng sinh nhật Quý khách {{ guest.full_name }}! Chúc Quý khách tuổi mới nhiều sức khỏe và niềm vui.",
                "strip_diacritics": strip
            },
            "guest": { "full_name": "Nguyễn Văn An" }
        })
    };
    let (status, accented) = send(
        app.post("/v1/templates/preview", &tenant.key)
            .json(&request(false)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{accented}");
    assert_eq!(accented["source"], "request");
    assert_eq!(accented["sms"]["encoding"], "ucs2");
    assert_eq!(accented["sms"]["units"], 109);
    assert_eq!(accented["sms"]["segments"], 2);
    assert_eq!(accented["sms"]["price_per_segment"], 850.0);
    assert_eq!(accented["sms"]["estimated_cost"], 1700.0);
    assert_eq!(accented["sms"]["currency"], "VND");

    let (_, plain) = send(
        app.post("/v1/templates/preview", &tenant.key)
            .json(&request(true)),
    )
    .await;
    assert_eq!(
        plain["body"],
        "Resort lotus chuc mung sinh nhat Quy khach Nguyen Van An! Chuc Quy khach tuoi moi nhieu suc khoe va niem vui."
    );
    assert_eq!(plain["sms"]["encoding"], "gsm7");
    assert_eq!(plain["sms"]["segments"], 1);
    assert_eq!(plain["sms"]["estimated_cost"], 850.0);
}

#[tokio::test]
async fn the_guests_language_falls_back_from_the_tenants_text_to_the_builtin_one() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let (status, _) = send(
        app.put("/v1/templates/reminder/sms/vi", &tenant.key)
            .json(&json!({ "body": "Hẹn gặp Quý khách ngày {{ extra.check_in | date }}." })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let preview = |language: &str| {
        app.post("/v1/templates/preview", &tenant.key).json(&json!({
            "purpose": "reminder",
            "channel": "sms",
            "language": language,
            "extra": { "check_in": "2026-11-24" }
        }))
    };
    let (_, vi) = send(preview("vi")).await;
    assert_eq!(
        (vi["source"].as_str(), vi["language"].as_str()),
        (Some("tenant"), Some("vi"))
    );
    assert_eq!(vi["body"], "Hẹn gặp Quý khách ngày 24/11/2026.");
    // A Taiwanese guest gets the built-in Traditional Chinese text, not the
    // tenant's Vietnamese one.
    let (_, zh) = send(preview("zh-Hant")).await;
    assert_eq!(zh["source"], "builtin");
    assert_eq!(zh["language"], "zh-Hant");
    assert!(
        zh["body"]
            .as_str()
            .unwrap()
            .contains("提醒您於2026年11月24日入住")
    );
    let (_, en) = send(preview("en")).await;
    assert!(
        en["body"]
            .as_str()
            .unwrap()
            .contains("check-in on 24 November 2026")
    );
}

#[tokio::test]
async fn a_broken_template_or_unknown_extra_field_answers_422() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let (status, problem) = send(app.post("/v1/templates/preview", &tenant.key).json(&json!({
        "purpose": "staff_digest",
        "channel": "sms",
        "language": "en",
        "template": { "body": "Hi\n{{ guest.full_name }}" },
        "extra": { "coupon": "X" }
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let found = errors(&problem);
    assert_eq!(found[0].0, "extra.coupon");
    assert_eq!(found.len(), 1);
    let (status, problem) = send(app.post("/v1/templates/preview", &tenant.key).json(&json!({
        "purpose": "staff_digest",
        "channel": "sms",
        "language": "en",
        "template": { "body": "Hi\n{{ guest.full_name }}" }
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let found = errors(&problem);
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("template.body", "unknown_variable")
    );
    assert!(found[0].2.starts_with("Line 2: Unknown variable `guest`"));
}

#[tokio::test]
async fn a_preview_for_a_guest_uses_their_name_code_and_language() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let other = TestTenant::create(&mut db.connect(), "sen");
    let app = TestApp::spawn(&db);
    let (_, mei) = send(app.post("/v1/guests", &tenant.key).json(&json!({
        "full_name": "陳美玲", "language": "zh-Hant"
    })))
    .await;
    let body = |guest_id: &serde_json::Value| json!({ "purpose": "birthday", "channel": "sms", "guest_id": guest_id });
    let (status, preview) = send(
        app.post("/v1/templates/preview", &tenant.key)
            .json(&body(&mei["id"])),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["language"], "zh-Hant");
    let text = preview["body"].as_str().unwrap();
    assert!(
        text.contains("陳美玲 貴賓") && text.contains("生日快樂"),
        "{text}"
    );
    assert_eq!(preview["sms"]["encoding"], "ucs2");

    // The code is the guest's own.
    let (_, preview) = send(app.post("/v1/templates/preview", &tenant.key).json(&json!({
        "purpose": "birthday", "channel": "sms", "guest_id": mei["id"],
        "template": { "body": "{{ guest.code }} {{ guest.given_name }}" }
    })))
    .await;
    assert_eq!(
        preview["body"],
        format!("{} 美玲", mei["code"].as_str().unwrap())
    );

    // Another tenant's guest is not found; a name and an id at once, or
    // neither an id nor a language, are refused.
    let (status, _) = send(
        app.post("/v1/templates/preview", &other.key)
            .json(&body(&mei["id"])),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, problem) = send(app.post("/v1/templates/preview", &tenant.key).json(&json!({
        "purpose": "birthday", "channel": "sms", "guest_id": mei["id"],
        "guest": { "full_name": "Lan" }
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors(&problem)[0].0, "guest_id");
    let (status, problem) = send(
        app.post("/v1/templates/preview", &tenant.key)
            .json(&json!({ "purpose": "birthday", "channel": "sms" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors(&problem)[0].0, "language");
}
