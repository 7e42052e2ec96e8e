//! The OpenAPI document covers every route, and the docs page renders it.

use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::Method;
use serde_json::Value;

/// Every endpoint the API serves. Adding a route means adding it here; the
/// test fails if the document lacks any of them.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("POST", "/v1/sessions"),
    ("DELETE", "/v1/sessions/current"),
    ("GET", "/v1/me"),
    ("GET", "/v1/tenant"),
    ("PATCH", "/v1/tenant"),
    ("GET", "/v1/users"),
    ("POST", "/v1/users"),
    ("GET", "/v1/users/{id}"),
    ("PATCH", "/v1/users/{id}"),
    ("GET", "/v1/api-keys"),
    ("POST", "/v1/api-keys"),
    ("DELETE", "/v1/api-keys/{id}"),
    ("GET", "/v1/audit-log"),
    ("GET", "/v1/holidays"),
    ("GET", "/v1/occasions"),
    ("POST", "/v1/occasions"),
    ("GET", "/v1/occasions/{id}"),
    ("PATCH", "/v1/occasions/{id}"),
    ("DELETE", "/v1/occasions/{id}"),
    ("GET", "/v1/care-settings"),
    ("PUT", "/v1/care-settings"),
    ("GET", "/v1/greeting-rules"),
    ("POST", "/v1/greeting-rules"),
    ("GET", "/v1/greeting-rules/{id}"),
    ("PATCH", "/v1/greeting-rules/{id}"),
    ("DELETE", "/v1/greeting-rules/{id}"),
    ("GET", "/v1/tasks"),
    ("POST", "/v1/tasks"),
    ("GET", "/v1/tasks/{id}"),
    ("POST", "/v1/tasks/{id}/assign"),
    ("POST", "/v1/tasks/{id}/outcome"),
    ("POST", "/v1/tasks/{id}/close"),
    ("GET", "/v1/tickets"),
    ("POST", "/v1/tickets"),
    ("GET", "/v1/tickets/settings"),
    ("PUT", "/v1/tickets/settings"),
    ("GET", "/v1/tickets/workload"),
    ("GET", "/v1/tickets/{id}"),
    ("GET", "/v1/tickets/{id}/entries"),
    ("POST", "/v1/tickets/{id}/status"),
    ("POST", "/v1/tickets/{id}/assign"),
    ("POST", "/v1/tickets/{id}/escalate"),
    ("POST", "/v1/tickets/{id}/replies"),
    ("POST", "/v1/tickets/{id}/notes"),
    ("POST", "/v1/tickets/{id}/merge"),
    ("POST", "/v1/tickets/{id}/attachments"),
    ("GET", "/v1/tickets/{id}/attachments"),
    ("GET", "/v1/tickets/{id}/attachments/{attachment_id}"),
    ("POST", "/v1/tickets/{id}/checklist"),
    ("POST", "/v1/tickets/{id}/checklist/{index}"),
    ("GET", "/v1/ticket-checklists"),
    ("PUT", "/v1/ticket-checklists/{problem_type}"),
    ("DELETE", "/v1/ticket-checklists/{problem_type}"),
    ("GET", "/v1/canned-responses"),
    ("POST", "/v1/canned-responses"),
    ("GET", "/v1/canned-responses/{id}"),
    ("PUT", "/v1/canned-responses/{id}"),
    ("DELETE", "/v1/canned-responses/{id}"),
    ("GET", "/v1/guests"),
    ("POST", "/v1/guests"),
    ("POST", "/v1/guests/intake"),
    ("GET", "/v1/guests/{id}"),
    ("PATCH", "/v1/guests/{id}"),
    ("GET", "/v1/guests/{id}/stays"),
    ("POST", "/v1/guests/{id}/stays"),
    ("GET", "/v1/guests/{id}/stays/{stay_id}"),
    ("PUT", "/v1/guests/{id}/stays/{stay_id}"),
    ("DELETE", "/v1/guests/{id}/stays/{stay_id}"),
    ("GET", "/v1/guests/{id}/consents"),
    ("PUT", "/v1/guests/{id}/consents"),
    ("GET", "/v1/guests/{id}/dates"),
    ("PUT", "/v1/guests/{id}/dates/{kind}"),
    ("DELETE", "/v1/guests/{id}/dates/{kind}"),
    ("GET", "/v1/guests/{id}/tier"),
    ("PUT", "/v1/guests/{id}/tier"),
    ("GET", "/v1/guests/{id}/timeline"),
    ("POST", "/v1/guests/{id}/notes"),
    ("GET", "/v1/guests/{id}/export"),
    ("POST", "/v1/guests/{id}/erase"),
    ("POST", "/v1/guests/merges"),
    ("POST", "/v1/guests/merges/{id}/revert"),
    ("GET", "/v1/imports"),
    ("POST", "/v1/imports"),
    ("GET", "/v1/imports/{id}"),
    ("GET", "/v1/imports/{id}/errors.csv"),
    ("GET", "/v1/reminder-rules"),
    ("POST", "/v1/reminder-rules"),
    ("GET", "/v1/reminder-rules/{id}"),
    ("PATCH", "/v1/reminder-rules/{id}"),
    ("DELETE", "/v1/reminder-rules/{id}"),
    ("GET", "/v1/contact-plans"),
    ("POST", "/v1/contact-plans"),
    ("GET", "/v1/contact-plans/{id}"),
    ("PATCH", "/v1/contact-plans/{id}"),
    ("DELETE", "/v1/contact-plans/{id}"),
    ("GET", "/v1/automations/forecast"),
    ("GET", "/v1/care-list"),
    ("GET", "/v1/segments"),
    ("POST", "/v1/segments"),
    ("GET", "/v1/segments/{id}"),
    ("PATCH", "/v1/segments/{id}"),
    ("DELETE", "/v1/segments/{id}"),
    ("GET", "/v1/segments/{id}/preview"),
    ("GET", "/v1/campaigns"),
    ("POST", "/v1/campaigns"),
    ("GET", "/v1/campaigns/{id}"),
    ("PATCH", "/v1/campaigns/{id}"),
    ("POST", "/v1/campaigns/{id}/schedule"),
    ("POST", "/v1/campaigns/{id}/pause"),
    ("POST", "/v1/campaigns/{id}/resume"),
    ("POST", "/v1/campaigns/{id}/cancel"),
    ("GET", "/v1/campaigns/{id}/progress"),
    ("GET", "/v1/campaigns/{id}/results"),
    ("GET", "/v1/campaigns/{id}/preview"),
    ("POST", "/v1/campaigns/{id}/test"),
    ("GET", "/v1/jobs"),
    ("GET", "/v1/jobs/{id}"),
    ("POST", "/v1/jobs/{id}/cancel"),
    ("POST", "/v1/jobs/{id}/retry"),
    ("GET", "/v1/schedules"),
    ("PATCH", "/v1/schedules/{id}"),
    ("GET", "/v1/templates"),
    ("POST", "/v1/templates/preview"),
    (
        "GET",
        "/v1/templates/defaults/{purpose}/{channel}/{language}",
    ),
    ("GET", "/v1/templates/{purpose}/{channel}/{language}"),
    ("PUT", "/v1/templates/{purpose}/{channel}/{language}"),
    ("DELETE", "/v1/templates/{purpose}/{channel}/{language}"),
    ("POST", "/v1/assets"),
    ("GET", "/v1/assets/{id}"),
    ("GET", "/a/{tenant}/{token}"),
    ("GET", "/u/{token}"),
    ("POST", "/u/{token}"),
    ("GET", "/s/{token}"),
    ("POST", "/s/{token}"),
    ("GET", "/q/{token}"),
    ("POST", "/q/{token}"),
    ("GET", "/v1/surveys"),
    ("POST", "/v1/surveys"),
    ("GET", "/v1/surveys/{id}"),
    ("PATCH", "/v1/surveys/{id}"),
    ("DELETE", "/v1/surveys/{id}"),
    ("GET", "/v1/surveys/{id}/sends"),
    ("POST", "/v1/surveys/{id}/sends"),
    ("GET", "/v1/surveys/{id}/results"),
    ("GET", "/v1/surveys/{id}/results.csv"),
    ("GET", "/v1/surveys/{id}/questions/{number}/chart.svg"),
    ("GET", "/o/{token}"),
    ("GET", "/c/{token}"),
    ("GET", "/v1/messages"),
    ("POST", "/v1/messages"),
    ("GET", "/v1/messages/{id}"),
    ("GET", "/v1/channels/settings"),
    ("PUT", "/v1/channels/settings"),
    ("PUT", "/v1/channels/settings/marketing-cap"),
    ("GET", "/v1/mailboxes"),
    ("POST", "/v1/mailboxes"),
    ("GET", "/v1/mailboxes/{id}"),
    ("PATCH", "/v1/mailboxes/{id}"),
    ("DELETE", "/v1/mailboxes/{id}"),
    ("GET", "/v1/mailboxes/{id}/messages"),
    ("GET", "/v1/webhooks"),
    ("POST", "/v1/webhooks"),
    ("GET", "/v1/webhooks/event-types"),
    ("GET", "/v1/webhooks/{id}"),
    ("PATCH", "/v1/webhooks/{id}"),
    ("DELETE", "/v1/webhooks/{id}"),
    ("POST", "/v1/webhooks/{id}/rotate-secret"),
    ("POST", "/v1/webhooks/{id}/ping"),
    ("GET", "/v1/webhooks/{id}/deliveries"),
];

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_exists() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let doc: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    for (method, path) in ROUTES {
        assert!(
            documented.contains(&((*method).to_owned(), (*path).to_owned())),
            "{method} {path} is not in the OpenAPI document"
        );
    }
    // Every documented operation is served: none answers route_not_found.
    for (method, path) in &documented {
        let concrete = path.replace("{id}", "00000000-0000-0000-0000-000000000000");
        let method: Method = method.parse().unwrap();
        let response = app
            .client
            .request(method.clone(), app.url(&concrete))
            .bearer_auth(&tenant.key)
            .send()
            .await
            .unwrap();
        let is_problem = response
            .headers()
            .get("content-type")
            .is_some_and(|v| v == "application/problem+json");
        if is_problem {
            let body: Value = response.json().await.unwrap();
            assert_ne!(
                body["code"], "route_not_found",
                "{method} {path} is documented but not served"
            );
        }
    }
}

#[tokio::test]
async fn the_docs_page_is_self_contained() {
    let db = TestDb::new();
    let app = TestApp::spawn(&db);
    let response = app.client.get(app.url("/docs")).send().await.unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("/openapi.json"));
    assert!(
        !page.contains("https://"),
        "the docs page must not load anything from the internet"
    );
}
