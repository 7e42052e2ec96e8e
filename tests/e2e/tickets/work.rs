//! Canned responses rendered for a ticket, and merging two tickets.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::json;

use super::{entries, guest, noisy_room, ticket};
use crate::channels::send;

#[tokio::test]
async fn a_canned_response_is_rendered_for_the_ticket_and_its_guest() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let app = TestApp::spawn(&db);
    let lan = guest(
        &app,
        &agent,
        json!({ "full_name": "Nguyễn Thị Lan", "language": "vi" }),
    )
    .await;
    let created = ticket(&app, &agent, noisy_room(&lan)).await;
    let id = created["id"].as_str().unwrap();

    let body = "Kính gửi Quý khách {{ guest.full_name }}, về yêu cầu {{ extra.ticket_number }}: \
                {{ tenant.name }} xin lỗi vì sự bất tiện. {{ extra.agent_name }}";
    let (code, _) = send(
        app.post("/v1/canned-responses", &agent)
            .json(&json!({ "name": "Xin lỗi", "body": body })),
    )
    .await;
    assert_eq!(
        code,
        StatusCode::FORBIDDEN,
        "managers keep the canned responses"
    );
    let (code, problem) = send(
        app.post("/v1/canned-responses", &tenant.key)
            .json(&json!({ "name": "Sai", "body": "{{ extra.room }}" })),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "body");
    let (code, canned) = send(
        app.post("/v1/canned-responses", &tenant.key)
            .json(&json!({ "name": "Xin lỗi", "body": body })),
    )
    .await;
    assert_eq!(code, StatusCode::CREATED, "{canned}");
    let (code, _) = send(
        app.post("/v1/canned-responses", &tenant.key)
            .json(&json!({ "name": "Xin lỗi", "body": "x" })),
    )
    .await;
    assert_eq!(code, StatusCode::CONFLICT);

    let (code, problem) = send(
        app.post(&format!("/v1/tickets/{id}/replies"), &agent)
            .json(&json!({ "text": "x", "canned_response_id": canned["id"] })),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "canned_response_id");
    let (code, reply) = send(
        app.post(&format!("/v1/tickets/{id}/replies"), &agent)
            .json(&json!({ "canned_response_id": canned["id"], "agent_name": "Minh" })),
    )
    .await;
    assert_eq!(code, StatusCode::CREATED, "{reply}");
    assert_eq!(
        reply["body_text"],
        "Kính gửi Quý khách Nguyễn Thị Lan, về yêu cầu T-1: Resort sunrise xin lỗi vì sự bất tiện. Minh"
    );
    // The guest has no e-mail address: the reply is kept, the e-mail withheld.
    let (_, message) = send(app.get(
        &format!("/v1/messages/{}", reply["message_id"].as_str().unwrap()),
        &agent,
    ))
    .await;
    assert_eq!(message["status"], "suppressed", "{message}");
}

#[tokio::test]
async fn two_tickets_about_one_matter_are_merged() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let app = TestApp::spawn(&db);
    let lan = guest(&app, &agent, json!({ "full_name": "Nguyễn Thị Lan" })).await;
    let first = ticket(&app, &agent, noisy_room(&lan)).await;
    let mut by_chat = noisy_room(&lan);
    by_chat["channel"] = json!("chat");
    let second = ticket(&app, &agent, by_chat).await;
    let (one, two) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );

    let merge = |from: &str, into: &str| {
        app.post(&format!("/v1/tickets/{from}/merge"), &agent)
            .json(&json!({ "into_id": into }))
    };
    let (code, problem) = send(merge(two, two)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["code"], "same_ticket");
    let (code, survivor) = send(merge(two, one)).await;
    assert_eq!(code, StatusCode::OK, "{survivor}");
    assert_eq!(survivor["number"], "T-1");
    let (_, absorbed) = send(app.get(&format!("/v1/tickets/{two}"), &agent)).await;
    assert_eq!(absorbed["status"], "closed");
    assert_eq!(absorbed["merged_into"], one);
    let kinds: Vec<String> = entries(&app, &agent, one)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "guest_message").count(),
        2,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"merge".to_owned()));
    let (code, _) = send(merge(two, one)).await;
    assert_eq!(code, StatusCode::CONFLICT, "merged once");
    let (_, queue) = send(app.get("/v1/tickets", &agent)).await;
    assert_eq!(
        queue["items"].as_array().unwrap().len(),
        1,
        "the absorbed ticket leaves the queue"
    );
}

#[tokio::test]
async fn evidence_is_kept_on_the_ticket_for_staff_only() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let app = TestApp::spawn(&db);
    let lan = guest(&app, &agent, json!({ "full_name": "Nguyễn Thị Lan" })).await;
    let created = ticket(&app, &agent, noisy_room(&lan)).await;
    let id = created["id"].as_str().unwrap();
    let pdf = b"%PDF-1.4\n% hoa don phong 305\n".to_vec();
    let response = app
        .post(
            &format!("/v1/tickets/{id}/attachments?file_name=Hóa đơn phòng 305.pdf"),
            &agent,
        )
        .body(pdf.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let attachment: serde_json::Value = response.json().await.unwrap();
    assert_eq!(attachment["content_type"], "application/pdf");
    let (code, problem) = send(
        app.post(&format!("/v1/tickets/{id}/attachments"), &agent)
            .body(b"MZ\x90\0 not evidence".to_vec()),
    )
    .await;
    assert_eq!(code, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{problem}");
    let file = app
        .get(
            &format!(
                "/v1/tickets/{id}/attachments/{}",
                attachment["id"].as_str().unwrap()
            ),
            &agent,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    let disposition = file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("filename*=UTF-8''H%C3%B3a%20%C4%91%C6%A1n"),
        "{disposition}"
    );
    assert_eq!(file.bytes().await.unwrap().to_vec(), pdf);
    let (_, listed) = send(app.get(&format!("/v1/tickets/{id}/attachments"), &agent)).await;
    assert_eq!(listed[0]["file_name"], "Hóa đơn phòng 305.pdf");
    assert!(
        entries(&app, &agent, id)
            .await
            .iter()
            .any(|e| e["kind"] == "attachment")
    );
}

#[tokio::test]
async fn a_problem_types_checklist_is_followed_on_the_ticket() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let app = TestApp::spawn(&db);
    let steps =
        json!({ "steps": ["Xin lỗi khách", "Kiểm tra phòng bên cạnh", "Đề nghị đổi phòng"] });
    let (code, _) = send(app.put("/v1/ticket-checklists/noise", &agent).json(&steps)).await;
    assert_eq!(code, StatusCode::FORBIDDEN);
    let (code, problem) = send(
        app.put("/v1/ticket-checklists/noise", &tenant.key)
            .json(&json!({ "steps": ["ok", ""] })),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "steps[1]");
    let (code, _) = send(
        app.put("/v1/ticket-checklists/noise", &tenant.key)
            .json(&steps),
    )
    .await;
    assert_eq!(code, StatusCode::OK);
    let lan = guest(&app, &agent, json!({ "full_name": "Nguyễn Thị Lan" })).await;
    let id = ticket(&app, &agent, noisy_room(&lan)).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, problem) = send(
        app.post(&format!("/v1/tickets/{id}/checklist"), &agent)
            .json(&json!({ "problem_type": "flood" })),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["code"], "unknown_problem_type");
    let (_, applied) = send(
        app.post(&format!("/v1/tickets/{id}/checklist"), &agent)
            .json(&json!({ "problem_type": "noise" })),
    )
    .await;
    assert_eq!(
        applied["checklist"].as_array().unwrap().len(),
        3,
        "{applied}"
    );
    let (_, ticked) = send(
        app.post(&format!("/v1/tickets/{id}/checklist/1"), &agent)
            .json(&json!({ "done": true })),
    )
    .await;
    assert_eq!(ticked["checklist"][1]["done"], true);
    assert_eq!(ticked["checklist"][0]["done"], false);
    assert!(ticked["checklist"][1]["done_at"].is_string());
    let (code, _) = send(
        app.post(&format!("/v1/tickets/{id}/checklist/7"), &agent)
            .json(&json!({ "done": true })),
    )
    .await;
    assert_eq!(code, StatusCode::NOT_FOUND);
}
