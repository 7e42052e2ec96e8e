//! `import.finished`: integrations hear when an import ends, with its counts
//! and never a row's content.

use diesel::{QueryableByName, RunQueryDsl, sql_types::Jsonb};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use serde_json::{Value, json};

use super::{finished, upload};

#[tokio::test]
async fn a_finished_import_is_announced_to_subscribed_webhooks() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let endpoint = app
        .post("/v1/webhooks", &tenant.key)
        .json(&json!({ "url": "http://127.0.0.1:9/hook", "event_types": ["import.finished"] }))
        .send()
        .await
        .unwrap();
    assert!(endpoint.status().is_success());
    let _worker = super::worker(&db);
    let file = "Họ tên;Điện thoại\nNguyễn Văn An;0903 123 456\nTrần Thị Bình;not a phone\n";
    let import = upload(
        &app,
        &tenant.key,
        "text/csv",
        "today.csv",
        file.as_bytes().to_vec(),
    )
    .await;
    let id = import["id"].as_str().unwrap().to_owned();
    let import = finished(&app, &tenant.key, &id).await;
    assert_eq!(import["status"], "succeeded", "{import}");

    #[derive(QueryableByName)]
    struct Delivery {
        #[diesel(sql_type = Jsonb)]
        payload: Value,
    }
    let deliveries: Vec<Delivery> = diesel::sql_query(
        "SELECT payload FROM webhook_deliveries WHERE event_type = 'import.finished'",
    )
    .load(&mut db.connect())
    .unwrap();
    assert_eq!(deliveries.len(), 1);
    let text = deliveries[0].payload.to_string();
    assert!(text.contains(&id), "{text}");
    assert!(text.contains("\"rejected\":1"), "{text}");
    assert!(
        !text.contains("Nguy") && !text.contains("0903"),
        "no row content: {text}"
    );
}
