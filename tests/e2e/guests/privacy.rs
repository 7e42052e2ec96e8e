//! Export of everything held on a guest, and erasure on request.

use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::json;

use super::{create, search};
use crate::support::send;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[tokio::test]
async fn export_holds_everything_and_erasure_keeps_only_anonymous_statistics() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let agent = tenant.key_with_role(&mut db.connect(), Role::CareAgent);
    let app = TestApp::spawn(&db);
    let guest = create(
        &app,
        &tenant.key,
        json!({
            "full_name": "Trịnh Văn M", "phones": ["0903555666"], "email": "m.trinh@example.com",
            "national_id": { "type": "cccd", "number": "001088000123" }, "nationality": "VN",
            "birth_date": "1985-07-01", "notes": "Dị ứng hải sản"
        }),
    )
    .await;
    let id = guest["id"].as_str().unwrap();
    send(app.post(&format!("/v1/guests/{id}/stays"), &tenant.key).json(&json!({
        "check_in": "2026-08-01", "amount": "2000000", "currency": "VND", "notes": "Phòng 301"
    })))
    .await;
    send(
        app.post(&format!("/v1/guests/{id}/notes"), &tenant.key)
            .json(&json!({ "text": "Gọi lại sau" })),
    )
    .await;
    send(app.put(&format!("/v1/guests/{id}/consents"), &tenant.key).json(&json!({ "changes": [
        { "channel": "sms", "purpose": "marketing", "status": "granted", "source": "registration_form" }
    ]})))
    .await;

    let (status, _) = send(app.get(&format!("/v1/guests/{id}/export"), &agent)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, export) = send(app.get(&format!("/v1/guests/{id}/export"), &tenant.key)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(export["guest"]["national_id"]["number"], "001088000123");
    assert_eq!(export["guest"]["notes"], "Dị ứng hải sản");
    assert_eq!(export["stays"][0]["notes"], "Phòng 301");
    assert_eq!(export["consents"][0]["channel"], "sms");
    assert_eq!(export["consent_history"].as_array().unwrap().len(), 1);
    assert!(export["timeline"].as_array().unwrap().len() >= 4);

    let (status, erased) = send(app.post(&format!("/v1/guests/{id}/erase"), &tenant.key)).await;
    assert_eq!(status, StatusCode::OK, "{erased}");
    assert!(erased["erased_at"].is_string());
    for field in ["national_id", "birth_date", "email", "notes"] {
        assert!(erased[field].is_null(), "{field} kept");
    }
    assert_eq!(erased["full_name"], "");
    assert_eq!(erased["phones"], json!([]));
    assert_eq!(erased["code"], guest["code"]);
    assert_eq!(erased["nationality"], "VN");
    let (_, stays) = send(app.get(&format!("/v1/guests/{id}/stays"), &tenant.key)).await;
    assert_eq!(stays[0]["amount"], "2000000");
    assert!(stays[0]["notes"].is_null());
    assert!(search(&app, &tenant.key, "trinh van m").await.is_empty());
    assert!(search(&app, &tenant.key, "0903555666").await.is_empty());
    let (_, again) = send(app.post(&format!("/v1/guests/{id}/erase"), &tenant.key)).await;
    assert_eq!(again["erased_at"], erased["erased_at"]);

    let mut conn = db.connect();
    let left: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM (SELECT g::text AS t FROM guests g UNION ALL \
         SELECT s::text FROM stays s UNION ALL SELECT e::text FROM timeline_entries e) rows \
         WHERE t LIKE '%Trịnh%' OR t LIKE '%903555666%' OR t LIKE '%m.trinh%' \
         OR t LIKE '%Dị ứng%' OR t LIKE '%Phòng 301%' OR t LIKE '%Gọi lại%'",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(left.n, 0, "personal data left after erasure");
    let audited: Count = diesel::sql_query(
        "SELECT count(*) AS n FROM audit_log WHERE action IN ('guest.export', 'guest.erase')",
    )
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(audited.n, 3);
}
