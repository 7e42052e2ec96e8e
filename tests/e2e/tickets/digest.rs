//! The managers' daily digest counts the day's new tickets and feedback and
//! the open tickets past a deadline.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Asia;
use diesel::prelude::*;
use guestcare_db::{care, schema::messages, tickets};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use serde_json::json;
use uuid::Uuid;

use super::{guest, noisy_room, ticket};

/// The text of the digest run at `at` (keyed by the resort's local day).
fn digest_text(conn: &mut PgConnection, tenant: Uuid, at: DateTime<Utc>) -> String {
    let date = at.with_timezone(&Asia::Ho_Chi_Minh).date_naive();
    messages::table
        .filter(messages::tenant_id.eq(tenant))
        .filter(messages::dedupe_key.like(format!("digest:%:{date}")))
        .select(messages::body_text)
        .first(conn)
        .unwrap()
}

#[tokio::test]
async fn the_digest_counts_new_tickets_new_feedback_and_overdue_complaints() {
    let db = TestDb::new();
    let mut conn = db.connect();
    let tenant = TestTenant::create(&mut conn, "sunrise");
    let app = TestApp::spawn(&db);
    let lan = guest(&app, &tenant.key, json!({ "full_name": "Nguyễn Thị Lan" })).await;
    let complaint = ticket(&app, &tenant.key, noisy_room(&lan)).await;
    ticket(
        &app,
        &tenant.key,
        json!({ "channel": "web_form", "category": "feedback", "guest_id": lan,
                "subject": "Bữa sáng rất ngon", "body": "Cảm ơn đội bếp!" }),
    )
    .await;
    let id: Uuid = complaint["id"].as_str().unwrap().parse().unwrap();
    let started = tickets::get_ticket(&mut conn, tenant.id, id)
        .unwrap()
        .clock_started_at;

    let today = started + Duration::hours(1);
    care::run_digest(&mut conn, tenant.id, today).unwrap();
    let text = digest_text(&mut conn, tenant.id, today);
    assert!(text.contains("Yêu cầu mới: 2"), "{text}");
    assert!(text.contains("Góp ý mới: 1"), "{text}");
    assert!(text.contains("Yêu cầu quá hạn: 0"), "{text}");

    let later = started + Duration::hours(72);
    tickets::run_sla_scan(&mut conn, tenant.id, later).unwrap();
    care::run_digest(&mut conn, tenant.id, later).unwrap();
    let text = digest_text(&mut conn, tenant.id, later);
    assert!(text.contains("Yêu cầu mới: 0"), "{text}");
    assert!(
        text.contains("Yêu cầu quá hạn: 1"),
        "the unanswered complaint: {text}"
    );
}
