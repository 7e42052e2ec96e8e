//! `/v1/mailboxes`: validation with field paths, the write-only password,
//! roles, and the polling schedule that follows the mailbox.

use diesel::prelude::*;
use guestcare_db::schema::schedules;
use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use serde_json::json;

use crate::support::{error_fields, send};

#[tokio::test]
async fn mailboxes_are_validated_and_never_show_their_password() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "mbx");
    let app = TestApp::spawn(&db);

    let (status, problem) = send(app.post("/v1/mailboxes", &tenant.key).json(&json!({
        "name": "Góp ý", "purpose": "complaints", "host": "imap.example.com",
        "security": "none", "username": "gopy", "poll_interval_secs": 45,
        "processed_action": "move",
    })))
    .await;
    assert_eq!(status, 422, "{problem}");
    let mut fields = error_fields(&problem);
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "password",
            "poll_interval_secs",
            "processed_folder",
            "purpose",
            "security"
        ]
    );

    let (status, created) = send(app.post("/v1/mailboxes", &tenant.key).json(&json!({
        "name": "Góp ý", "purpose": "feedback", "host": "imap.example.com",
        "username": "gopy@sunrise.example.com", "password": "s3cret-imap",
    })))
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["port"], 993);
    assert_eq!(created["security"], "tls");
    assert_eq!(created["folder"], "INBOX");
    assert_eq!(created["password_set"], true);
    assert!(!created.to_string().contains("s3cret-imap"));
    let id = created["id"].as_str().unwrap().to_owned();
    let cron: String = schedules::table
        .filter(schedules::tenant_id.eq(tenant.id))
        .filter(schedules::name.eq(format!("mailbox:{id}")))
        .select(schedules::cron)
        .first(&mut conn)
        .unwrap();
    assert_eq!(cron, "0 * * * * *");

    let (status, same_name) = send(app.post("/v1/mailboxes", &tenant.key).json(&json!({
        "name": "Góp ý", "purpose": "support", "host": "imap.example.com",
        "username": "other", "password": "x",
    })))
    .await;
    assert_eq!(status, 409, "{same_name}");

    let (status, updated) = send(app.patch(&format!("/v1/mailboxes/{id}"), &tenant.key).json(
        &json!({
            "poll_interval_secs": 300, "processed_action": "move", "processed_folder": "Đã xử lý",
        }),
    ))
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["processed_folder"], "Đã xử lý");
    assert_eq!(updated["username"], "gopy@sunrise.example.com");
    let (_, listed) = send(app.get("/v1/mailboxes", &tenant.key)).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains("s3cret"));

    let staff = tenant.key_with_role(&mut conn, Role::CareAgent);
    let (status, _) = send(app.get("/v1/mailboxes", &staff)).await;
    assert_eq!(status, 403);

    let (status, _) = send(app.delete(&format!("/v1/mailboxes/{id}"), &tenant.key)).await;
    assert_eq!(status, 204);
    let left: i64 = schedules::table
        .filter(schedules::tenant_id.eq(tenant.id))
        .filter(schedules::name.like("mailbox:%"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(left, 0);
}
