//! What an intake file leaves behind once a guest asks to be forgotten.

use diesel::{QueryableByName, RunQueryDsl, sql_types::BigInt};
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;

use super::{counts, csv_rows, finished, upload};
use crate::support::send;

const FILE: &str = concat!(
    "Họ và tên;Ngày sinh;SĐT;Email;Quốc tịch\n",
    // 2: created
    "Ngô Văn Em;01/01/1995;0977 000 111;em.ngo@example.com;Việt Nam\n",
    // 3: rejected, the same guest with a birthday that does not exist
    "Ngô Văn Em;31/02/1995;0977000111;;Việt Nam\n",
    // 4: rejected, someone else
    "Phạm Thu Hà;;abc;;Việt Nam\n",
);

#[derive(QueryableByName)]
struct Bytes {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[tokio::test]
async fn the_file_is_dropped_and_erasure_clears_rejected_rows_that_mention_the_guest() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let worker = super::worker(&db);
    let import = upload(&app, &tenant.key, "text/csv", "khach.csv", FILE.into()).await;
    let id = import["id"].as_str().unwrap().to_owned();
    let import = finished(&app, &tenant.key, &id).await;
    assert_eq!(counts(&import), (1, 0, 0, 2), "{import}");
    drop(worker);

    let stored: Bytes =
        diesel::sql_query("SELECT sum(octet_length(content))::bigint AS n FROM imports")
            .get_result(&mut db.connect())
            .unwrap();
    assert_eq!(stored.n, 0, "a finished import keeps no copy of the file");

    let (_, found) = send(
        app.get("/v1/guests", &tenant.key)
            .query(&[("q", "ngo van em")]),
    )
    .await;
    let guest = found["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = send(app.post(&format!("/v1/guests/{guest}/erase"), &tenant.key)).await;
    assert_eq!(status, StatusCode::OK);

    let report = app
        .get(&format!("/v1/imports/{id}/errors.csv"), &tenant.key)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let rows = csv_rows(&report);
    assert_eq!(rows.len(), 3, "{report}");
    assert_eq!(
        (rows[1][0].as_str(), rows[1][2].as_str()),
        ("3", "invalid_date")
    );
    assert!(rows[1][4..].iter().all(String::is_empty), "{:?}", rows[1]);
    assert_eq!(rows[2][4], "Phạm Thu Hà", "other people's rows are kept");
    assert!(!report.contains("0977"), "{report}");
}
