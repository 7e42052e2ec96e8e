//! Bearer authentication, sessions, roles and the audit log.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn login(app: &TestApp, tenant: &str, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/v1/sessions"))
        .json(&json!({ "tenant": tenant, "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn missing_or_unknown_tokens_answer_401_with_a_challenge() {
    let db = TestDb::new();
    let app = TestApp::spawn(&db);
    let response = app.client.get(app.url("/v1/me")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "unauthorized");

    for token in ["gck_nothing_here", "gcs_nope", "random"] {
        let response = app.get("/v1/me", token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{token}");
    }
}

#[tokio::test]
async fn login_session_and_logout() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let response = login(
        &app,
        "lotus",
        &tenant.owner_email.to_uppercase(),
        &tenant.owner_password,
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let session: Value = response.json().await.unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("gcs_"));
    assert_eq!(session["user"]["role"], "owner");
    assert!(session["user"].get("password_hash").is_none());

    let me: Value = app
        .get("/v1/me", &token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["tenant"]["slug"], "lotus");
    assert_eq!(me["actor_type"], "user");

    let response = app
        .delete("/v1/sessions/current", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app.get("/v1/me", &token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_accounts_look_the_same_and_are_rate_limited() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let wrong_password = login(&app, "lotus", &tenant.owner_email, "not the password").await;
    let unknown_user = login(&app, "lotus", "nobody@example.com", "whatever-123").await;
    let unknown_tenant = login(&app, "nowhere", &tenant.owner_email, "whatever-123").await;
    for response in [wrong_password, unknown_user, unknown_tenant] {
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "invalid_credentials");
    }

    // The configured limit is 5 failures per account per window.
    for _ in 0..4 {
        login(&app, "lotus", &tenant.owner_email, "wrong").await;
    }
    let limited = login(&app, "lotus", &tenant.owner_email, &tenant.owner_password).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["code"], "too_many_requests");
}

#[tokio::test]
async fn revoked_keys_and_disabled_users_lose_access_at_once() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);

    let created: Value = app
        .post("/v1/api-keys", &tenant.key)
        .json(&json!({ "name": "PMS", "role": "front_desk" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = created["token"].as_str().unwrap().to_owned();
    assert!(key.starts_with(created["api_key"]["prefix"].as_str().unwrap()));
    assert_eq!(
        app.get("/v1/me", &key).send().await.unwrap().status(),
        StatusCode::OK
    );
    let id = created["api_key"]["id"].as_str().unwrap();
    let revoked = app
        .delete(&format!("/v1/api-keys/{id}"), &tenant.key)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(
        app.get("/v1/me", &key).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    let user: Value = app
        .post("/v1/users", &tenant.key)
        .json(&json!({ "email": "lan@lotus.vn", "display_name": "Nguyễn Thị Lan", "role": "care_agent", "password": "lan-password-1" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session: Value = login(&app, "lotus", "lan@lotus.vn", "lan-password-1")
        .await
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap();
    assert_eq!(
        app.get("/v1/me", token).send().await.unwrap().status(),
        StatusCode::OK
    );
    let user_id = user["id"].as_str().unwrap();
    let disabled = app
        .patch(&format!("/v1/users/{user_id}"), &tenant.key)
        .json(&json!({ "disabled": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), StatusCode::OK);
    assert_eq!(
        app.get("/v1/me", token).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let again = login(&app, "lotus", "lan@lotus.vn", "lan-password-1").await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn roles_decide_what_each_caller_may_do() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let auditor = tenant.key_with_role(&mut conn, Role::Auditor);
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let manager = tenant.key_with_role(&mut conn, Role::Manager);
    let app = TestApp::spawn(&db);

    let new_user = json!({ "email": "x@lotus.vn", "display_name": "X", "role": "front_desk", "password": "long-enough-1" });
    for key in [&auditor, &agent, &manager] {
        let response = app
            .post("/v1/users", key)
            .json(&new_user)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "forbidden");
    }
    assert_eq!(
        app.get("/v1/users", &auditor)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get("/v1/audit-log", &auditor)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get("/v1/audit-log", &agent)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/v1/audit-log", &manager)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/v1/api-keys", &agent)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );

    let owner_key = json!({ "name": "escalate", "role": "owner" });
    let response = app
        .post("/v1/api-keys", &manager)
        .json(&owner_key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::FORBIDDEN,
        "a manager cannot mint an owner key"
    );
    let agent_key = json!({ "name": "ok", "role": "care_agent" });
    let response = app
        .post("/v1/api-keys", &manager)
        .json(&agent_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    let response = app
        .patch("/v1/tenant", &manager)
        .json(&json!({ "name": "Renamed" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_last_owner_cannot_be_demoted_or_disabled() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    for change in [json!({ "role": "manager" }), json!({ "disabled": true })] {
        let response = app
            .patch(&format!("/v1/users/{}", tenant.owner_id), &tenant.key)
            .json(&change)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "last_owner");
    }
}

#[tokio::test]
async fn the_audit_log_records_changes_without_personal_data() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let auditor = tenant.key_with_role(&mut conn, Role::Auditor);
    let app = TestApp::spawn(&db);

    let created: Value = app
        .post("/v1/users", &tenant.key)
        .header("X-Request-Id", "req-audit-1")
        .json(&json!({ "email": "hoa@lotus.vn", "display_name": "Trần Hoa", "role": "front_desk", "password": "hoa-password-1" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let log: Value = app
        .get("/v1/audit-log?object_type=user", &auditor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entry = &log["items"][0];
    assert_eq!(entry["action"], "user.create");
    assert_eq!(entry["object_id"], created["id"]);
    assert_eq!(entry["actor_type"], "api_key");
    assert_eq!(entry["request_id"], "req-audit-1");
    assert!(!log.to_string().contains("hoa@lotus.vn"));
}
