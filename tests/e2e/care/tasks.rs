//! `/v1/tasks`: creating, assigning, recording outcomes, closing, the
//! workload list, and tasks on the guest's timeline.

use guestcare_api::auth::issue;
use guestcare_domain::{Email, Role};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::guest;
use crate::support::{error_fields, send};

fn ids(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_call_task_is_assigned_worked_and_shown_on_the_timeline() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let email: Email = "lan@lotus.example.com".parse().unwrap();
    let agent = issue::create_user(
        &mut db.connect(),
        tenant.id,
        &email,
        "Lan",
        Role::CareAgent,
        "agent-password-123",
    )
    .unwrap();
    let agent_key = tenant.key_with_role(&mut db.connect(), Role::CareAgent);
    let app = TestApp::spawn(&db);
    let mai = guest(&app, &tenant.key, json!({ "full_name": "Trần Thị Mai" })).await;
    let an = guest(&app, &tenant.key, json!({ "full_name": "Lê Văn An" })).await;

    let create = |guest: &str, due: &str, kind: &str| {
        app.post("/v1/tasks", &agent_key)
            .header("Idempotency-Key", format!("{guest}-{due}-{kind}"))
            .json(&json!({
                "kind": kind, "guest_id": guest, "due_on": due,
                "title": "Gọi hỏi thăm sau kỳ nghỉ", "script": "Chào chị Mai…"
            }))
            .send()
    };
    let (status, call) =
        crate::support::into_json(create(&mai, "2026-12-10", "call").await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{call}");
    assert_eq!(call["status"], "open");
    assert_eq!(call["source"], "manual");
    assert_eq!(call["assignee_id"], Value::Null);
    let replay = create(&mai, "2026-12-10", "call").await.unwrap();
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let (_, gift) =
        crate::support::into_json(create(&an, "2026-12-05", "gift").await.unwrap()).await;
    let call_id = call["id"].as_str().unwrap();

    // Assign both to Lan; her open workload lists them earliest due first.
    for task in [call_id, gift["id"].as_str().unwrap()] {
        let (status, assigned) = send(
            app.post(&format!("/v1/tasks/{task}/assign"), &tenant.key)
                .json(&json!({ "assignee_id": agent.id })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{assigned}");
        assert_eq!(assigned["assignee_id"], agent.id.to_string());
    }
    let workload = format!("/v1/tasks?assignee={}&status=open", agent.id);
    let (_, open) = send(app.get(&workload, &tenant.key)).await;
    assert_eq!(ids(&open), [gift["id"].as_str().unwrap(), call_id]);
    let (_, calls) = send(app.get(&format!("{workload}&kind=call"), &tenant.key)).await;
    assert_eq!(ids(&calls), [call_id]);
    let (_, due_late) = send(app.get(
        "/v1/tasks?due_from=2026-12-06&due_to=2026-12-31",
        &tenant.key,
    ))
    .await;
    assert_eq!(ids(&due_late), [call_id]);
    let (_, unassigned) = send(app.get("/v1/tasks?assignee=none", &tenant.key)).await;
    assert_eq!(ids(&unassigned), Vec::<&str>::new());

    // No answer keeps it open; a call-back moves it to that day (tenant time);
    // reaching the guest finishes it.
    let outcome = |body: Value| {
        app.post(&format!("/v1/tasks/{call_id}/outcome"), &agent_key)
            .json(&body)
    };
    let (status, task) = send(outcome(json!({ "outcome": "no_answer" }))).await;
    assert_eq!(status, StatusCode::OK, "{task}");
    assert_eq!(
        (task["status"].as_str(), task["attempts"].as_i64()),
        (Some("open"), Some(1))
    );
    let (_, task) = send(outcome(json!({
        "outcome": "call_back", "call_back_at": "2099-12-11T18:30:00Z",
        "notes": "Chị Mai hẹn gọi lại tối mai"
    })))
    .await;
    assert_eq!(task["status"], "open");
    assert_eq!(task["due_on"], "2099-12-12", "01:30 on the 12th in Vietnam");
    assert_eq!(task["call_back_at"], "2099-12-11T18:30:00Z");
    let (_, task) = send(outcome(
        json!({ "outcome": "reached", "notes": "Khách sẽ quay lại dịp Tết" }),
    ))
    .await;
    assert_eq!(task["status"], "done");
    assert_eq!(task["attempts"], 3);
    assert_eq!(task["call_back_at"], Value::Null);
    assert!(task["closed_at"].is_string());
    let (status, problem) = send(outcome(json!({ "outcome": "no_answer" }))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(problem["code"], "task_closed");
    let (_, open) = send(app.get(&workload, &tenant.key)).await;
    assert_eq!(ids(&open).len(), 1);

    // The timeline shows the task and every outcome with its notes.
    let (_, timeline) = send(app.get(&format!("/v1/guests/{mai}/timeline"), &tenant.key)).await;
    let entries: Vec<(&str, Option<&str>)> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"].as_str().unwrap().starts_with("task."))
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["summary"]["outcome"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("task.outcome", Some("reached")),
            ("task.outcome", Some("call_back")),
            ("task.outcome", Some("no_answer")),
            ("task.created", None),
        ]
    );
    assert_eq!(
        timeline["items"][0]["summary"]["notes"],
        "Khách sẽ quay lại dịp Tết"
    );

    // Closing the gift as cancelled.
    let gift_id = gift["id"].as_str().unwrap();
    let (status, closed) = send(
        app.post(&format!("/v1/tasks/{gift_id}/close"), &agent_key)
            .json(&json!({ "status": "cancelled", "notes": "Khách đã nhận quà tại quầy" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["status"], "cancelled");
    let (_, done) = send(app.get("/v1/tasks?status=done", &tenant.key)).await;
    assert_eq!(ids(&done), [call_id]);

    // Erasure wipes what the tasks say about the guest; the counts remain.
    let (status, _) = send(app.post(&format!("/v1/guests/{mai}/erase"), &tenant.key)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, task) = send(app.get(&format!("/v1/tasks/{call_id}"), &tenant.key)).await;
    assert_eq!(
        (
            &task["title"],
            &task["script"],
            &task["outcome_notes"],
            &task["context"]
        ),
        (&json!("call"), &Value::Null, &Value::Null, &json!({}))
    );
    assert_eq!(
        (&task["outcome"], &task["attempts"]),
        (&json!("reached"), &json!(3))
    );
    let (_, timeline) = send(app.get(&format!("/v1/guests/{mai}/timeline"), &tenant.key)).await;
    assert!(
        timeline["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| !e["kind"].as_str().unwrap().starts_with("task.")),
        "{timeline}"
    );
}

#[tokio::test]
async fn bad_task_input_names_each_field_and_other_tenants_see_nothing() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let other = TestTenant::create(&mut db.connect(), "orchid");
    let auditor = tenant.key_with_role(&mut db.connect(), Role::Auditor);
    let app = TestApp::spawn(&db);
    let mai = guest(&app, &tenant.key, json!({ "full_name": "Trần Thị Mai" })).await;
    let stranger = guest(&app, &other.key, json!({ "full_name": "Lin Mei" })).await;

    let (status, problem) = send(app.post("/v1/tasks", &tenant.key).json(&json!({
        "kind": "phone", "guest_id": mai, "due_on": "2026-12-10", "title": "  "
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["kind", "title"]);
    let (status, problem) = send(app.post("/v1/tasks", &tenant.key).json(&json!({
        "kind": "call", "guest_id": stranger, "due_on": "2026-12-10", "title": "Gọi",
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["guest_id"]);
    let (status, problem) = send(app.post("/v1/tasks", &tenant.key).json(&json!({
        "kind": "call", "guest_id": mai, "due_on": "2026-12-10", "title": "Gọi",
        "assignee_id": other.owner_id,
    })))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["assignee_id"]);
    let (status, _) = send(app.post("/v1/tasks", &auditor).json(&json!({
        "kind": "call", "guest_id": mai, "due_on": "2026-12-10", "title": "Gọi",
    })))
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, task) = send(app.post("/v1/tasks", &tenant.key).json(&json!({
        "kind": "call", "guest_id": mai, "due_on": "2026-12-10", "title": "Gọi",
    })))
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = task["id"].as_str().unwrap();
    let (status, problem) = send(
        app.post(&format!("/v1/tasks/{id}/outcome"), &tenant.key)
            .json(&json!({ "outcome": "call_back", "notes": "x".repeat(2001) })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["notes", "call_back_at"]);
    let (status, problem) = send(
        app.post(&format!("/v1/tasks/{id}/outcome"), &tenant.key)
            .json(&json!({ "outcome": "reached", "call_back_at": "2099-01-01T00:00:00Z" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["call_back_at"]);
    let (status, problem) = send(app.get("/v1/tasks?status=later&assignee=bob", &tenant.key)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&problem), ["status", "assignee"]);

    for request in [
        app.get(&format!("/v1/tasks/{id}"), &other.key),
        app.post(&format!("/v1/tasks/{id}/assign"), &other.key)
            .json(&json!({ "assignee_id": null })),
        app.post(&format!("/v1/tasks/{id}/outcome"), &other.key)
            .json(&json!({ "outcome": "reached" })),
        app.post(&format!("/v1/tasks/{id}/close"), &other.key)
            .json(&json!({})),
    ] {
        let (status, problem) = send(request).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");
    }
    let (_, list) = send(app.get("/v1/tasks", &other.key)).await;
    assert_eq!(ids(&list), Vec::<&str>::new());
}

#[tokio::test]
async fn a_merge_moves_the_duplicates_tasks_and_its_reversal_moves_them_back() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let target = guest(&app, &tenant.key, json!({ "full_name": "Trần Thị Mai" })).await;
    let duplicate = guest(&app, &tenant.key, json!({ "full_name": "Tran Thi Mai" })).await;
    let (_, task) = send(app.post("/v1/tasks", &tenant.key).json(&json!({
        "kind": "visit", "guest_id": duplicate, "due_on": "2026-12-20", "title": "Thăm hỏi"
    })))
    .await;
    let path = format!("/v1/tasks/{}", task["id"].as_str().unwrap());

    let (status, merged) = send(
        app.post("/v1/guests/merges", &tenant.key)
            .json(&json!({ "target_id": target, "source_id": duplicate })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{merged}");
    let (_, moved) = send(app.get(&path, &tenant.key)).await;
    assert_eq!(moved["guest_id"], target);
    let merge = merged["merge"]["id"].as_str().unwrap();
    let (status, _) =
        send(app.post(&format!("/v1/guests/merges/{merge}/revert"), &tenant.key)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, back) = send(app.get(&path, &tenant.key)).await;
    assert_eq!(back["guest_id"], duplicate);
}
