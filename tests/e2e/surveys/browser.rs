//! A guest answers in a real browser: headless Chromium (over the DevTools
//! protocol) opens the personal link from the invitation, submits without
//! the required answers and sees what is missing, answers by clicking and
//! typing, submits, and the API's results and the guest's timeline show it.

use std::time::Duration;

use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::pool_for,
    browser::Browser,
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{
    assert_percentages_add_up, consenting_guest, create_survey, messages_of, results, segment,
    stay_survey, survey_link,
};
use crate::{channels::settings_with_sink, support::send};

#[tokio::test]
async fn a_guest_answers_in_chromium_and_the_results_show_it() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "sunrise");
    let sink = SmtpSink::start(SinkMode::Accept);
    let settings = settings_with_sink(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let key = &tenant.key;
    let lan = consenting_guest(
        &app,
        key,
        json!({ "full_name": "Nguyễn Thị Lan", "email": "lan@example.com", "language": "vi", "nationality": "VN" }),
    )
    .await;
    consenting_guest(
        &app,
        key,
        json!({ "full_name": "陳美玲", "email": "mei@example.com", "nationality": "TW" }),
    )
    .await;
    let everyone = segment(&app, key, "Mọi khách", json!({ "and": [] })).await;
    let survey = create_survey(&app, key, stay_survey()).await;
    let (status, sent) = send(
        app.post(&format!("/v1/surveys/{survey}/sends"), key)
            .header("Idempotency-Key", "stay-survey-1")
            .json(&json!({ "segment_id": everyone })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["recipients"], 2);

    // The worker's send_survey job queues the invitations; smtp-sink takes them.
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    sink.wait_for(2, Duration::from_secs(30));
    let invitation = messages_of(&app, key, &lan).await.remove(0);
    assert_eq!(invitation["purpose"], "survey_invitation");
    let subject = invitation["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("Mời Quý khách chia sẻ cảm nhận"),
        "{subject}"
    );
    assert!(
        subject.contains("[#S-"),
        "the reference for e-mail replies: {subject}"
    );
    let text = invitation["body_text"].as_str().unwrap();
    assert!(
        text.contains("“1: B”, “2: A, C”"),
        "the reply form is explained: {text}"
    );
    assert!(
        text.contains("A. Chắc chắn   B. Có thể   C. Không"),
        "{text}"
    );
    let link = survey_link(&app, &invitation);

    let browser_link = link.clone();
    let (first, errors, thanks, reopened) = tokio::task::spawn_blocking(move || {
        let mut browser = Browser::start();
        browser.open(&browser_link);
        let first = browser.html();
        browser.submit("button[type=submit]");
        let errors = browser.html();
        browser.click("input[name=q1][value=\"0\"]");
        browser.click("input[name=q2][value=\"0\"]");
        browser.click("input[name=q2][value=\"2\"]");
        browser.click("input[name=q3][value=\"4\"]");
        browser.click("input[name=q4][value=\"5\"]");
        browser.click("textarea[name=q5]");
        browser.type_text("Phòng sạch, nhân viên rất thân thiện.");
        browser.submit("button[type=submit]");
        let thanks = browser.html();
        browser.open(&browser_link);
        let reopened = browser.html();
        (first, errors, thanks, reopened)
    })
    .await
    .unwrap();

    // The page: in Vietnamese, accessible, without script.
    assert!(first.contains("<html lang=\"vi\">"), "{first}");
    assert!(first.contains("<h1>Khảo sát sau kỳ nghỉ</h1>"));
    assert!(first.contains("<legend>1. Quý khách có muốn quay lại không? <span class=\"muted\">(bắt buộc)</span></legend>"));
    assert!(first.contains("<label for=\"q5-text\">"));
    assert!(first.contains("Xuất sắc") && first.contains("5 (Xuất sắc)"));
    assert!(!first.contains("<script"));
    // Submitting nothing shows what is missing, at the top and at each question.
    assert!(errors.contains("role=\"alert\""), "{errors}");
    assert!(errors.contains("Vui lòng kiểm tra lại các câu sau:"));
    for q in ["q1", "q3", "q4"] {
        assert!(
            errors.contains(&format!("<a href=\"#{q}\">")),
            "{q}: {errors}"
        );
        assert!(errors.contains(&format!("id=\"{q}-error\"")), "{q}");
    }
    assert!(!errors.contains("<a href=\"#q2\">"), "q2 is optional");
    assert!(thanks.contains("Cảm ơn Quý khách"), "{thanks}");
    // Opening the link again shows the answers, editable.
    assert!(
        reopened.contains("Quý khách đã trả lời khảo sát này."),
        "{reopened}"
    );
    assert!(reopened.contains("Phòng sạch, nhân viên rất thân thiện.</textarea>"));

    let results = results(&app, key, &survey, "?lang=vi").await;
    let group = &results["groups"][0];
    assert_eq!(group["invited"], 2);
    assert_eq!(group["responses"], 1);
    assert_eq!(group["response_rate"], 50.0);
    let q = &group["questions"];
    assert_eq!(option(&q[0], "A"), (1, 100.0));
    assert_eq!(option(&q[0], "B"), (0, 0.0));
    assert_eq!(option(&q[1], "A"), (1, 100.0));
    assert_eq!(option(&q[1], "C"), (1, 100.0));
    assert_eq!(option(&q[2], "A"), (1, 100.0), "A is Xuất sắc");
    assert_eq!(q[2]["options"][0]["label"], "Xuất sắc");
    assert_eq!(q[2]["average"], 4.0);
    assert_eq!(option(&q[3], "5"), (1, 100.0));
    assert_eq!(q[3]["average"], 5.0);
    assert_eq!(
        q[4]["texts"],
        json!(["Phòng sạch, nhân viên rất thân thiện."])
    );
    assert_percentages_add_up(&results);

    // The answers are on the guest's timeline.
    let (_, timeline) = send(app.get(&format!("/v1/guests/{lan}/timeline"), key)).await;
    let entry = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "survey.answered")
        .unwrap_or_else(|| panic!("{timeline}"));
    let answers = &entry["summary"]["answers"];
    assert_eq!(answers[0]["answer"], "Chắc chắn");
    assert_eq!(answers[1]["answer"], "Hồ bơi, Nhà hàng");
    assert_eq!(answers[2]["answer"], "Xuất sắc");
    assert_eq!(answers[3]["answer"], "5/5");
}

/// `(count, percent)` of the option with `code`.
fn option(question: &Value, code: &str) -> (u64, f64) {
    let option = question["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {question}"));
    (
        option["count"].as_u64().unwrap(),
        option["percent"].as_f64().unwrap(),
    )
}
