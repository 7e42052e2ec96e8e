//! `/v1/jobs`: managers list, filter, cancel and retry their tenant's jobs.

use std::time::Duration;

use guestcare_domain::Role;
use guestcare_jobs::{JobError, NewJob, enqueue, store};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::count;

#[tokio::test]
async fn managers_cancel_pending_jobs_and_retry_failed_ones() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "lotus");
    let other = TestTenant::create(&mut conn, "orchid");
    let manager = tenant.key_with_role(&mut conn, Role::Manager);
    let agent = tenant.key_with_role(&mut conn, Role::CareAgent);
    let job = |queue: &str, tenant_id| {
        NewJob::new(queue, "probe", json!({ "label": "x" })).with_tenant(tenant_id)
    };
    let failed = enqueue(&mut conn, &job("email", tenant.id))
        .unwrap()
        .unwrap();
    let claimed = store::claim(&mut conn, "email", "w", 1, Duration::from_secs(30)).unwrap();
    store::fail(
        &mut conn,
        &claimed[0].lease(),
        &JobError::permanent("550 mailbox unavailable"),
    )
    .unwrap();
    let pending = enqueue(&mut conn, &job("default", tenant.id))
        .unwrap()
        .unwrap();
    let foreign = enqueue(&mut conn, &job("default", other.id))
        .unwrap()
        .unwrap();
    let app = TestApp::spawn(&db);

    let list: Value = app
        .get("/v1/jobs", &manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        2,
        "only the tenant's own jobs"
    );
    let only_failed: Value = app
        .get("/v1/jobs?status=failed", &manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(only_failed["items"][0]["id"], failed.to_string());
    assert_eq!(
        only_failed["items"][0]["last_error"],
        "550 mailbox unavailable"
    );
    let by_queue: Value = app
        .get("/v1/jobs?queue=default", &manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_queue["items"][0]["id"], pending.to_string());

    let bad = app
        .get("/v1/jobs?status=lost", &manager)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "status");
    assert_eq!(
        app.get("/v1/jobs", &agent).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );

    let cancel = format!("/v1/jobs/{pending}/cancel");
    let cancelled: Value = app
        .post(&cancel, &manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    let again = app.post(&cancel, &manager).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let retry = format!("/v1/jobs/{failed}/retry");
    let retried: Value = app
        .post(&retry, &manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(retried["status"], "pending");
    assert!(retried["max_attempts"].as_i64().unwrap() > retried["attempts"].as_i64().unwrap());
    assert_eq!(
        app.post(&retry, &manager).send().await.unwrap().status(),
        StatusCode::CONFLICT
    );

    for path in [
        format!("/v1/jobs/{foreign}"),
        format!("/v1/jobs/{foreign}/cancel"),
    ] {
        let answer = if path.ends_with("cancel") {
            app.post(&path, &manager).send().await.unwrap()
        } else {
            app.get(&path, &manager).send().await.unwrap()
        };
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM audit_log WHERE action IN ('job.cancel', 'job.retry')"
        ),
        2
    );
    assert_eq!(
        count(
            &mut conn,
            "SELECT count(*) AS n FROM jobs WHERE status = 'pending' AND queue = 'default'"
        ),
        1,
        "the other tenant's job is untouched"
    );
}
