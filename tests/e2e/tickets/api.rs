//! The team's side of the API: desk tickets with their channel, field
//! errors, the status machine (forbidden moves are 422), escalation with its
//! reason, notes, the queue's filters and the workload.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{entries, guest, noisy_room, ticket};
use crate::channels::send;

async fn status(app: &TestApp, key: &str, id: &str, body: Value) -> (StatusCode, Value) {
    send(
        app.post(&format!("/v1/tickets/{id}/status"), key)
            .json(&body),
    )
    .await
}

fn fields(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {problem}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn desk_tickets_move_through_the_status_machine() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let app = TestApp::spawn(&db);
    let lan = guest(
        &app,
        &tenant.key,
        json!({ "full_name": "Nguyễn Thị Lan", "language": "vi" }),
    )
    .await;

    let (code, problem) = send(app.post("/v1/tickets", &agent).json(&json!({
        "channel": "fax", "category": "complaint", "subject": "", "body": "x",
        "department": "spa", "incident_on": "2999-01-01", "complaint_type": "weather"
    })))
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let errors = fields(&problem);
    for field in ["channel", "subject", "incident_on", "complaint_type"] {
        assert!(
            errors.iter().any(|(f, _)| f == field),
            "{field} in {errors:?}"
        );
    }
    let (code, problem) = send(app.post("/v1/tickets", &agent).json(&json!({
        "channel": "walk_in", "category": "request", "subject": "Thêm gối", "body": "x", "department": "spa"
    })))
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&problem),
        [("department".to_owned(), "unknown_department".to_owned())]
    );

    let created = send(
        app.post("/v1/tickets", &agent)
            .header("Idempotency-Key", "desk-1")
            .json(&noisy_room(&lan)),
    )
    .await
    .1;
    let again = send(
        app.post("/v1/tickets", &agent)
            .header("Idempotency-Key", "desk-1")
            .json(&noisy_room(&lan)),
    )
    .await
    .1;
    assert_eq!(
        created["id"], again["id"],
        "an Idempotency-Key makes one ticket"
    );
    assert_eq!(created["number"], "T-1");
    assert_eq!(created["channel"], "phone");
    assert_eq!(created["status"], "new");
    assert_eq!(created["department"], "front_desk");
    assert_eq!(created["within_window"], true);
    let id = created["id"].as_str().unwrap().to_owned();

    let (code, problem) = status(
        &app,
        &agent,
        &id,
        json!({ "status": "reopened", "reason": "x" }),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&problem),
        [("status".to_owned(), "invalid_transition".to_owned())]
    );
    let (_, waiting) = status(&app, &agent, &id, json!({ "status": "pending_guest" })).await;
    assert_eq!(waiting["paused"], true);
    let (_, open) = status(&app, &agent, &id, json!({ "status": "open" })).await;
    assert_eq!(open["paused"], false);
    let (_, resolved) = status(
        &app,
        &agent,
        &id,
        json!({ "status": "resolved", "outcome": "mediated" }),
    )
    .await;
    assert_eq!(resolved["final_outcome"], "mediated");
    // The guest rejects the resolution: a second round needs the reason.
    let (code, problem) = status(&app, &agent, &id, json!({ "status": "reopened" })).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&problem),
        [("reason".to_owned(), "required".to_owned())]
    );
    let (code, reopened) = status(
        &app,
        &agent,
        &id,
        json!({ "status": "reopened", "reason": "Khách không đồng ý với cách giải quyết" }),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{reopened}");
    assert_eq!(reopened["round"], 2);
    assert_eq!(reopened["final_outcome"], Value::Null);

    // Escalation to a manager keeps the reason; a non-manager is refused.
    let (code, problem) = send(
        app.post(&format!("/v1/tickets/{id}/escalate"), &agent)
            .json(&json!({ "manager_id": uuid::Uuid::now_v7(), "reason": "Khách VIP" })),
    )
    .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&problem),
        [("manager_id".to_owned(), "not_a_manager".to_owned())]
    );
    let (code, escalated) = send(
        app.post(&format!("/v1/tickets/{id}/escalate"), &agent).json(&json!({
            "department": "housekeeping", "manager_id": tenant.owner_id, "reason": "Khách VIP, cần quản lý xử lý"
        })),
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{escalated}");
    assert_eq!(escalated["department"], "housekeeping");
    assert_eq!(escalated["assignee_id"], tenant.owner_id.to_string());
    let (code, _) = send(
        app.post(&format!("/v1/tickets/{id}/notes"), &agent)
            .json(&json!({ "text": "Đã gọi lại cho khách." })),
    )
    .await;
    assert_eq!(code, StatusCode::CREATED);
    let all = entries(&app, &agent, &id).await;
    let escalation = all.iter().find(|e| e["kind"] == "escalation").unwrap();
    assert_eq!(escalation["data"]["reason"], "Khách VIP, cần quản lý xử lý");
    assert_eq!(escalation["data"]["from_department"], "front_desk");
    let reopen = all.iter().rfind(|e| e["kind"] == "status").unwrap();
    assert_eq!(
        reopen["data"]["reason"],
        "Khách không đồng ý với cách giải quyết"
    );
    assert!(all.iter().any(|e| e["kind"] == "internal_note"));

    // The queue and the workload.
    ticket(&app, &agent, json!({ "channel": "zalo", "category": "inquiry", "subject": "Giờ mở cửa hồ bơi", "body": "?" })).await;
    let (_, mine) = send(app.get(
        &format!("/v1/tickets?assignee={}&open=true", tenant.owner_id),
        &agent,
    ))
    .await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
    let (_, zalo) = send(app.get("/v1/tickets?channel=zalo&assignee=none", &agent)).await;
    assert_eq!(zalo["items"][0]["number"], "T-2", "{zalo}");
    let (code, problem) = send(app.get("/v1/tickets?status=done", &agent)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&problem)[0].0, "status");
    let (_, load) = send(app.get("/v1/tickets/workload", &agent)).await;
    let owner = load
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["assignee_id"] == tenant.owner_id.to_string())
        .unwrap();
    assert_eq!(owner["open"], 1);
    assert!(owner["oldest_waiting_since"].is_string());
    let (_, timeline) = send(app.get(&format!("/v1/guests/{lan}/timeline"), &agent)).await;
    let kinds: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in ["ticket.created", "ticket.status", "ticket.escalated"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert!(
        !kinds.contains(&"ticket.note"),
        "internal notes stay internal"
    );
}

#[tokio::test]
async fn departments_and_clocks_are_configured_per_tenant() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let app = TestApp::spawn(&db);
    let (_, defaults) = send(app.get("/v1/tickets/settings", &agent)).await;
    assert_eq!(defaults["first_reply_hours"], 48);
    assert_eq!(defaults["resolution_hours"], 480);
    assert_eq!(defaults["service_window_days"], 90);
    let mut changed = defaults.clone();
    changed["departments"] = json!(["reception", "spa"]);
    changed["business_window_days"] = json!(14);
    let (code, _) = send(app.put("/v1/tickets/settings", &agent).json(&changed)).await;
    assert_eq!(code, StatusCode::FORBIDDEN, "agents do not configure");
    changed["departments"] = json!(["reception", "Spa!"]);
    let (code, problem) = send(app.put("/v1/tickets/settings", &tenant.key).json(&changed)).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&problem),
        [("departments[1]".to_owned(), "invalid_department".to_owned())]
    );
    changed["departments"] = json!(["reception", "spa"]);
    let (code, stored) = send(app.put("/v1/tickets/settings", &tenant.key).json(&changed)).await;
    assert_eq!(code, StatusCode::OK, "{stored}");
    let lan = guest(&app, &agent, json!({ "full_name": "Nguyễn Thị Lan" })).await;
    let mut late = noisy_room(&lan);
    late["complaint_type"] = json!("business");
    late["incident_on"] = json!((chrono::Utc::now() - chrono::Duration::days(20)).date_naive());
    let created = ticket(&app, &agent, late).await;
    assert_eq!(created["department"], "reception");
    assert_eq!(
        created["within_window"], false,
        "20 days is outside a 14-day window"
    );
}
