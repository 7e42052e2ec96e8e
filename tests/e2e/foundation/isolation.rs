//! Tenant isolation: every route that takes an id answers 404 for another
//! tenant's object, exactly as for an id that does not exist.

use std::collections::BTreeMap;

use guestcare_jobs::{
    NewJob, enqueue,
    schedule::{self, NewSchedule},
};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// For each templated route: how to get an object id of tenant A and a body
/// to send. A new `{id}` route must be added here (the test checks that the
/// OpenAPI document has no unlisted one).
struct Objects {
    user: String,
    api_key: String,
    occasion: String,
    guest: String,
    stay: String,
    merge: String,
    job: String,
    schedule: String,
    asset: String,
    asset_token: String,
    message: String,
    webhook: String,
    mailbox: String,
    import: String,
    segment: String,
    reminder_rule: String,
    contact_plan: String,
    task: String,
    greeting_rule: String,
    ticket: String,
    canned: String,
    attachment: String,
    survey: String,
    campaign: String,
}

/// The concrete path of tenant A's object on `route`, as tenant B asks for it.
fn path_for(route: &str, objects: &Objects) -> Option<String> {
    let id = match route {
        "/v1/users/{id}" => &objects.user,
        "/v1/api-keys/{id}" => &objects.api_key,
        "/v1/occasions/{id}" => &objects.occasion,
        "/v1/guests/merges/{id}/revert" => &objects.merge,
        route if route.starts_with("/v1/guests/{id}") => &objects.guest,
        "/v1/assets/{id}" => &objects.asset,
        "/v1/jobs/{id}" | "/v1/jobs/{id}/cancel" | "/v1/jobs/{id}/retry" => &objects.job,
        "/v1/schedules/{id}" => &objects.schedule,
        "/v1/messages/{id}" => &objects.message,
        "/v1/webhooks/{id}"
        | "/v1/webhooks/{id}/rotate-secret"
        | "/v1/webhooks/{id}/ping"
        | "/v1/webhooks/{id}/deliveries" => &objects.webhook,
        "/v1/mailboxes/{id}" | "/v1/mailboxes/{id}/messages" => &objects.mailbox,
        "/v1/imports/{id}" | "/v1/imports/{id}/errors.csv" => &objects.import,
        "/v1/segments/{id}" | "/v1/segments/{id}/preview" => &objects.segment,
        route if route.starts_with("/v1/campaigns/{id}") => &objects.campaign,
        "/v1/reminder-rules/{id}" => &objects.reminder_rule,
        "/v1/contact-plans/{id}" => &objects.contact_plan,
        "/v1/greeting-rules/{id}" => &objects.greeting_rule,
        "/v1/surveys/{id}"
        | "/v1/surveys/{id}/sends"
        | "/v1/surveys/{id}/results"
        | "/v1/surveys/{id}/results.csv"
        | "/v1/surveys/{id}/questions/{number}/chart.svg" => &objects.survey,
        "/v1/tasks/{id}"
        | "/v1/tasks/{id}/assign"
        | "/v1/tasks/{id}/outcome"
        | "/v1/tasks/{id}/close" => &objects.task,
        route if route.starts_with("/v1/tickets/{id}") => &objects.ticket,
        "/v1/canned-responses/{id}" => &objects.canned,
        // A's checklist; B has none of that problem type.
        "/v1/ticket-checklists/{problem_type}" => {
            return Some("/v1/ticket-checklists/noise".to_owned());
        }
        // A's own SMS template; B has none.
        "/v1/templates/{purpose}/{channel}/{language}" => {
            return Some("/v1/templates/birthday/sms/vi".to_owned());
        }
        "/v1/templates/defaults/{purpose}/{channel}/{language}" => {
            return Some("/v1/templates/defaults/birthday/sms/vi".to_owned());
        }
        // A's hosted image under B's slug.
        "/a/{tenant}/{token}" => return Some(format!("/a/tenant-b/{}", objects.asset_token)),
        "/u/{token}" => return Some("/u/not-a-token".to_owned()),
        "/s/{token}" => return Some("/s/not-a-token".to_owned()),
        "/q/{token}" => return Some("/q/not-a-token".to_owned()),
        "/o/{token}" | "/c/{token}" => return Some(route.replace("{token}", "not-a-token")),
        _ => return None,
    };
    Some(
        route
            .replace("{id}", id)
            .replace("{stay_id}", &objects.stay)
            .replace("{attachment_id}", &objects.attachment)
            .replace("{index}", "0")
            .replace("{kind}", "membership_expiry")
            .replace("{number}", "1"),
    )
}

/// Operations with path parameters that hold no tenant's object.
fn not_tenant_data(method: &Method, route: &str) -> bool {
    // The built-in texts are the same for every tenant.
    route.starts_with("/v1/templates/defaults/")
        // Saving a template writes the caller's own, keyed by kind, not by id.
        || (method == Method::PUT && route.starts_with("/v1/templates/"))
        // A signed link carries its tenant inside (tests/e2e/channels/unsubscribe.rs).
        || route.starts_with("/u/")
        || route.starts_with("/s/")
        // Saving a checklist writes the caller's own, keyed by problem type.
        || (method == Method::PUT && route.starts_with("/v1/ticket-checklists/"))
        // So does a survey link (tests/e2e/surveys).
        || route.starts_with("/q/")
        // Campaign links too (tests/e2e/campaigns/sending.rs).
        || route.starts_with("/o/")
        || route.starts_with("/c/")
}

/// A body the route's extractor accepts, so that the answer is about the id.
fn body_for(method: &Method, route: &str) -> Option<Value> {
    let body = match route {
        "/v1/guests/{id}/notes" => json!({ "text": "x" }),
        "/v1/guests/{id}/consents" => json!({ "changes": [] }),
        "/v1/guests/{id}/dates/{kind}" => json!({ "date": "2027-03-01" }),
        "/v1/tasks/{id}/assign" => json!({ "assignee_id": null }),
        "/v1/tasks/{id}/outcome" => json!({ "outcome": "reached" }),
        "/v1/tickets/{id}/status" => json!({ "status": "open" }),
        "/v1/tickets/{id}/assign" => json!({ "assignee_id": null }),
        "/v1/tickets/{id}/escalate" => json!({ "department": "sales", "reason": "x" }),
        "/v1/tickets/{id}/replies" | "/v1/tickets/{id}/notes" => json!({ "text": "x" }),
        "/v1/tickets/{id}/merge" => json!({ "into_id": uuid::Uuid::now_v7() }),
        "/v1/tickets/{id}/checklist" => json!({ "problem_type": "noise" }),
        "/v1/tickets/{id}/checklist/{index}" => json!({ "done": true }),
        "/v1/canned-responses/{id}" => json!({ "name": "x", "body": "x" }),
        "/v1/surveys/{id}/sends" => json!({ "segment_id": uuid::Uuid::nil() }),
        "/v1/campaigns/{id}/test" => json!({ "to": ["staff@example.com"] }),
        _ => json!({}),
    };
    (method == Method::PATCH || method == Method::PUT || method == Method::POST).then_some(body)
}

/// A new object of tenant `key`'s, by POSTing `body` to `path`.
async fn post_json(app: &TestApp, path: &str, key: &str, body: Value) -> Value {
    app.post(path, key)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn another_tenants_ids_answer_404_on_every_route() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let a = TestTenant::create(&mut conn, "tenant-a");
    let b = TestTenant::create(&mut conn, "tenant-b");
    let app = TestApp::spawn(&db);

    let key: Value = app
        .post("/v1/api-keys", &a.key)
        .json(&json!({ "name": "a's key", "role": "auditor" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let occasion: Value = app
        .post("/v1/occasions", &a.key)
        .json(&json!({
            "key": "anniversary",
            "names": { "vi": "Kỷ niệm", "en": "Anniversary", "zh-Hant": "週年紀念" },
            "rule": { "kind": "solar", "month": 6, "day": 1 }
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let template = app
        .put("/v1/templates/birthday/sms/vi", &a.key)
        .json(&json!({ "body": "Chúc mừng sinh nhật {{ guest.given_name }}!" }))
        .send()
        .await
        .unwrap();
    assert_eq!(template.status(), StatusCode::CREATED);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let asset: Value = app
        .post("/v1/assets", &a.key)
        .header("Content-Type", "image/png")
        .body(png)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let webhook: Value = app
        .post("/v1/webhooks", &a.key)
        .json(&json!({ "url": "http://127.0.0.1:9/hook", "event_types": ["guest.created"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mailbox = post_json(
        &app,
        "/v1/mailboxes",
        &a.key,
        json!({ "name": "Góp ý", "purpose": "feedback", "host": "imap.example.com",
                "username": "gopy", "password": "secret" }),
    )
    .await;
    let import: Value = app
        .post("/v1/imports", &a.key)
        .header("Content-Type", "text/csv")
        .body("Họ tên\nNguyễn Văn A\n")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let segment: Value = app
        .post("/v1/segments", &a.key)
        .json(&json!({ "name": "Taiwan", "filter": { "nationality": ["TW"] } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reminder_rule = post_json(
        &app,
        "/v1/reminder-rules",
        &a.key,
        json!({ "name": "Thank you", "anchor": "stay_check_out",
                "steps": [{ "offset_days": 1, "channel": "email", "purpose": "reminder" }] }),
    )
    .await;
    let contact_plan = post_json(
        &app,
        "/v1/contact-plans",
        &a.key,
        json!({ "name": "Taiwan calls", "segment_id": segment["id"], "every_days": 30 }),
    )
    .await;
    let message = crate::channels::queue_email(&mut conn, a.id, "lan@example.com", |_| {});
    let guest = post_json(
        &app,
        "/v1/guests",
        &a.key,
        json!({ "full_name": "Nguyễn Thị A" }),
    )
    .await;
    let guest_id = guest["id"].as_str().unwrap().to_owned();
    let stay = post_json(
        &app,
        &format!("/v1/guests/{guest_id}/stays"),
        &a.key,
        json!({ "check_in": "2026-03-10" }),
    )
    .await;
    let duplicate = post_json(
        &app,
        "/v1/guests",
        &a.key,
        json!({ "full_name": "Nguyen Thi A" }),
    )
    .await;
    let merge = post_json(
        &app,
        "/v1/guests/merges",
        &a.key,
        json!({ "target_id": guest_id, "source_id": duplicate["id"] }),
    )
    .await;
    let task = post_json(
        &app,
        "/v1/tasks",
        &a.key,
        json!({ "kind": "call", "guest_id": guest_id, "due_on": "2026-12-10", "title": "Gọi" }),
    )
    .await;
    let ticket = post_json(
        &app,
        "/v1/tickets",
        &a.key,
        json!({ "channel": "phone", "category": "request", "subject": "Thêm gối",
                "body": "Khách cần thêm gối", "guest_id": guest_id }),
    )
    .await;
    let attachment: Value = app
        .post(
            &format!("/v1/tickets/{}/attachments", ticket["id"].as_str().unwrap()),
            &a.key,
        )
        .body(b"%PDF-1.4\n%evidence".to_vec())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let checklist = app
        .put("/v1/ticket-checklists/noise", &a.key)
        .json(&json!({ "steps": ["Xin lỗi khách", "Đổi phòng"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(checklist.status(), StatusCode::OK);
    let canned = post_json(
        &app,
        "/v1/canned-responses",
        &a.key,
        json!({ "name": "Xin lỗi", "body": "Kính gửi Quý khách {{ guest.full_name }}," }),
    )
    .await;
    let rules = app
        .get("/v1/greeting-rules", &a.key)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let survey = post_json(&app, "/v1/surveys", &a.key, crate::surveys::stay_survey()).await;
    let campaign = post_json(
        &app,
        "/v1/campaigns",
        &a.key,
        json!({ "name": "Tết", "audience": { "all": true },
                "variants": { "vi": { "subject": "Chúc mừng năm mới", "html": "<p>Chúc mừng</p>",
                                      "text": "Chúc mừng" } } }),
    )
    .await;
    let objects = Objects {
        survey: survey["id"].as_str().unwrap().to_owned(),
        campaign: campaign["id"].as_str().unwrap().to_owned(),
        greeting_rule: rules["items"][0]["id"].as_str().unwrap().to_owned(),
        task: task["id"].as_str().unwrap().to_owned(),
        ticket: ticket["id"].as_str().unwrap().to_owned(),
        canned: canned["id"].as_str().unwrap().to_owned(),
        attachment: attachment["id"].as_str().unwrap().to_owned(),
        user: a.owner_id.to_string(),
        api_key: key["api_key"]["id"].as_str().unwrap().to_owned(),
        occasion: occasion["id"].as_str().unwrap().to_owned(),
        stay: stay["id"].as_str().unwrap().to_owned(),
        merge: merge["merge"]["id"].as_str().unwrap().to_owned(),
        guest: guest_id,
        job: enqueue(
            &mut conn,
            &NewJob::new("default", "probe", json!({})).with_tenant(a.id),
        )
        .unwrap()
        .unwrap()
        .to_string(),
        schedule: schedule::upsert(
            &mut conn,
            &NewSchedule {
                tenant_id: Some(a.id),
                name: "birthday_scan".to_owned(),
                cron: "0 7 * * *".to_owned(),
                time_zone: chrono_tz::Asia::Ho_Chi_Minh,
                queue: "default".to_owned(),
                kind: "probe".to_owned(),
                payload: json!({}),
                active: true,
            },
            chrono::Utc::now(),
        )
        .unwrap()
        .to_string(),
        asset: asset["id"].as_str().unwrap().to_owned(),
        asset_token: asset["url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned(),
        message: message.to_string(),
        webhook: webhook["id"].as_str().unwrap().to_owned(),
        mailbox: mailbox["id"].as_str().unwrap().to_owned(),
        import: import["id"].as_str().unwrap().to_owned(),
        segment: segment["id"].as_str().unwrap().to_owned(),
        reminder_rule: reminder_rule["id"].as_str().unwrap().to_owned(),
        contact_plan: contact_plan["id"].as_str().unwrap().to_owned(),
    };

    let doc: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut checked = BTreeMap::new();
    for (route, item) in doc["paths"].as_object().unwrap() {
        if !route.contains('{') {
            continue;
        }
        let path = path_for(route, &objects)
            .unwrap_or_else(|| panic!("add {route} to the isolation test"));
        for method in item.as_object().unwrap().keys() {
            let method: Method = method.to_uppercase().parse().unwrap();
            if not_tenant_data(&method, route) {
                continue;
            }
            let mut request = app
                .client
                .request(method.clone(), app.url(&path))
                .bearer_auth(&b.key);
            if let Some(body) = body_for(&method, route) {
                request = request.json(&body);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::NOT_FOUND,
                "{method} {route} leaked across tenants"
            );
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], "not_found", "{method} {route}");
            checked.insert(format!("{method} {route}"), ());
        }
    }
    assert!(checked.len() >= 3, "checked {checked:?}");

    // And tenant A still sees its own objects.
    let own = app
        .get(&format!("/v1/users/{}", objects.user), &a.key)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
}

#[tokio::test]
async fn lists_show_only_the_callers_tenant() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let a = TestTenant::create(&mut conn, "tenant-a");
    let b = TestTenant::create(&mut conn, "tenant-b");
    let app = TestApp::spawn(&db);
    let users: Value = app
        .get("/v1/users", &b.key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let emails: Vec<&str> = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, [b.owner_email.as_str()]);
    let log: Value = app
        .get("/v1/audit-log", &b.key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!log.to_string().contains(&a.id.to_string()));
}
