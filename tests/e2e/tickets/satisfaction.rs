//! Satisfaction: when the resolved ticket's 72 hours are up, the guest gets
//! an e-mail in their language with a signed link; opening it only shows
//! the form; posting records the rating once, on the ticket, the agent's
//! record and the guest's timeline; a poor rating opens a follow-up task
//! for a manager.

use std::time::Duration;

use diesel::{RunQueryDsl, sql_query};
use guestcare_tests::{
    TestApp, TestDb, TestTenant,
    app::pool_for,
    smtp_sink::{SinkMode, SmtpSink},
    worker::TestWorker,
};
use reqwest::StatusCode;
use serde_json::json;

use super::{guest, noisy_room, subject, ticket};
use crate::channels::{poll_get, send, settings_with_sink};

async fn html(response: reqwest::Response) -> (StatusCode, String) {
    let status = response.status();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn a_poor_rating_is_recorded_once_and_opens_a_managers_task() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let sink = SmtpSink::start(SinkMode::Accept);
    let settings = settings_with_sink(&db, sink.port);
    let app = TestApp::spawn_with(&db, settings.clone());
    let lan = guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Nguyễn Thị Lan", "email": "lan@example.com", "language": "vi" }),
    )
    .await;
    let created = ticket(&app, &tenant.key, noisy_room(&lan)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let (_, assigned) = send(
        app.post(&format!("/v1/tickets/{id}/assign"), &tenant.key)
            .json(&json!({ "assignee_id": tenant.owner_id })),
    )
    .await;
    assert_eq!(assigned["assignee_id"], tenant.owner_id.to_string());
    let (_, resolved) = send(
        app.post(&format!("/v1/tickets/{id}/status"), &tenant.key)
            .json(&json!({ "status": "resolved", "outcome": "resolved" })),
    )
    .await;
    assert_eq!(resolved["status"], "resolved");
    // 72 hours pass.
    let moved = sql_query(
        "UPDATE jobs SET run_at = now() WHERE kind = 'ticket_satisfaction' \
         AND run_at BETWEEN now() + interval '71 hours' AND now() + interval '73 hours'",
    )
    .execute(&mut conn)
    .unwrap();
    assert_eq!(moved, 1, "the e-mail is armed 72 h after resolution");
    let _worker = TestWorker::spawn(settings, pool_for(&db));
    let mail = sink.wait_for(1, Duration::from_secs(20)).remove(0);
    assert!(mail.contains("X-Rcpt-Args: <lan@example.com>"), "{mail}");
    assert!(!subject(&mail).is_empty());
    let unfolded = mail.replace("=\r\n", "").replace("=\n", "");
    let start = unfolded
        .find("/s/")
        .unwrap_or_else(|| panic!("no link in {mail}"))
        + 3;
    let token: String = unfolded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let url = app.url(&format!("/s/{token}"));

    // Opening the link (a mail scanner) records nothing.
    for _ in 0..2 {
        let (code, page) = html(app.client.get(&url).send().await.unwrap()).await;
        assert_eq!(code, StatusCode::OK);
        assert!(
            page.contains("lang=\"vi\"") && page.contains("Rất tốt") && page.contains("T-1"),
            "{page}"
        );
        assert!(page.contains("<form method=\"post\">") && !page.contains("<script"));
    }
    let (_, view) = send(app.get("/v1/tickets/workload", &tenant.key)).await;
    assert!(
        view.as_array().unwrap().iter().all(|w| w["ratings"] == 0),
        "{view}"
    );

    let (code, page) = html(
        app.client
            .post(&url)
            .form(&[("comment", "x")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "no rating chosen");
    assert!(page.contains("Vui lòng chọn"));
    let comment = "Phòng vẫn ồn, không ai gọi lại.";
    let (code, page) = html(
        app.client
            .post(&url)
            .form(&[("rating", "poor"), ("comment", comment)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert!(page.contains("Cảm ơn Quý khách"), "{page}");
    let (code, page) = html(
        app.client
            .post(&url)
            .form(&[("rating", "excellent")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    assert!(
        page.contains("đã được đánh giá"),
        "a second answer changes nothing: {page}"
    );

    let rating = guestcare_db::tickets::get_rating(&mut conn, tenant.id, id.parse().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        (rating.rating.as_str(), rating.comment.as_deref()),
        ("poor", Some(comment))
    );
    assert_eq!(rating.agent_id, Some(tenant.owner_id));
    let (_, load) = send(app.get(
        &format!("/v1/tickets/workload?assignee={}", tenant.owner_id),
        &tenant.key,
    ))
    .await;
    assert_eq!(
        (
            load[0]["ratings"].clone(),
            load[0]["ratings_positive"].clone()
        ),
        (json!(1), json!(0))
    );
    let task = poll_get(
        &app,
        &tenant.key,
        &format!("/v1/tasks?guest_id={lan}"),
        |page| {
            page["items"]
                .as_array()
                .and_then(|items| items.first().cloned())
        },
    )
    .await;
    assert_eq!(task["kind"], "follow_up");
    assert_eq!(task["assignee_id"], tenant.owner_id.to_string());
    assert!(task["title"].as_str().unwrap().contains("T-1"));
    let (_, timeline) = send(app.get(&format!("/v1/guests/{lan}/timeline"), &tenant.key)).await;
    let rated = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "ticket.rated")
        .unwrap();
    assert_eq!(rated["summary"]["satisfaction"]["rating"], "poor");

    // A forged link shows the 404 page.
    let (code, _) = html(app.client.get(app.url("/s/forged")).send().await.unwrap()).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
}
