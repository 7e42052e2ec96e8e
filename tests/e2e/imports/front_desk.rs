//! A front desk's daily CSV: Vietnamese headers, diacritics (one name typed
//! with combining marks), a byte-order mark, semicolons, CRLF, duplicates and
//! broken rows.

use guestcare_domain::Role;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use reqwest::StatusCode;
use serde_json::Value;

use super::{counts, csv_rows, finished, guest_names, upload};

/// Row numbers are the spreadsheet's: the header is row 1.
const DAILY: &str = concat!(
    "\u{feff}Họ và tên;Ngày sinh;Giới tính;Số CMND/CCCD;SĐT;Email;Quốc tịch;Quê quán;Nghề nghiệp;",
    "Ngày đến;Ngày đi;Loại phòng;Số khách;Kênh đặt;Số tiền;Ghi chú\r\n",
    // 2: created
    "Nguyễn Văn An;05/03/1985;Nam;001085000123;0912 345 678;an.nguyen@example.com;Việt Nam;Hà Nội;;",
    "01/12/2026;03/12/2026;Deluxe;2;Walk-in;3.000.000;Tầng cao\r\n",
    // 3: created (name typed with combining marks)
    "Tra\u{302}\u{300}n Thi\u{323} Bi\u{301}ch;12-07-1992;Nữ;;0987654321;;VN;Huế;;",
    "01/12/2026;02/12/2026;Standard;1;Agoda;1.200.000;\r\n",
    // 4: created
    "Chen Mei-ling;1988-11-23;Nữ;;+886 912 345 678;meiling@example.tw;Đài Loan;;;",
    "02/12/2026;05/12/2026;Suite;2;Booking.com;8.500.000;Ăn chay\r\n",
    // 5: rejected, no 31 February
    "Lê Hoàng Cường;31/02/1990;Nam;;0901 111 222;;Việt Nam;;;02/12/2026;;Standard;1;;;\r\n",
    // 6: merged into row 2 by national ID (adds an occupation)
    "Nguyễn Văn An;05/03/1985;Nam;001085000123;;;Việt Nam;;Kỹ sư;",
    "01/12/2026;03/12/2026;Deluxe;2;Walk-in;3.000.000;Tầng cao\r\n",
    // 7: rejected, not a phone number
    "Phạm Thu Hà;;Nữ;;abc;;Việt Nam;;;03/12/2026;;;;;;\r\n",
    // 8: rejected, no name
    ";01/01/1990;;;0911000111;;;;;;;;;;;\r\n",
    // 9: created
    "Đặng Minh Đức;20/10/1979;Nam;079079000456;0933 444 555;duc.dang@example.com;Việt Nam;Đà Nẵng;;",
    "03/12/2026;04/12/2026;Deluxe;2;Điện thoại;2.400.000;\r\n",
    // 10: unchanged, row 3 again (same phone written otherwise, same birthday, same stay)
    "Trần Thị Bích;12/07/1992;Nữ;;0987 654 321;;VN;Huế;;01/12/2026;02/12/2026;Standard;1;Agoda;1.200.000;\r\n",
    // 11: rejected, leaves before arriving
    "Ngô Văn Em;01/01/1995;Nam;;0977000111;em.ngo@example.com;Việt Nam;;;05/12/2026;04/12/2026;Standard;1;;;\r\n",
    ";;;;;;;;;;;;;;;\r\n",
);

#[tokio::test]
async fn a_daily_csv_imports_and_the_report_names_each_failed_row() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let desk = tenant.key_with_role(&mut db.connect(), Role::FrontDesk);
    let app = TestApp::spawn(&db);
    let upload = upload(
        &app,
        &desk,
        "text/csv; charset=utf-8",
        "khach-0112.csv",
        DAILY.into(),
    )
    .await;
    assert_eq!(upload["status"], "pending");
    assert_eq!(upload["filename"], "khach-0112.csv");
    assert_eq!(upload["format"], "csv");
    let id = upload["id"].as_str().unwrap().to_owned();

    let worker = super::worker(&db);
    let import = finished(&app, &desk, &id).await;
    assert_eq!(import["status"], "succeeded", "{import}");
    assert_eq!(import["rows_total"], 10);
    assert_eq!(import["rows_done"], 10);
    assert_eq!(counts(&import), (4, 1, 1, 4));
    assert_eq!(
        guest_names(&db, tenant.id),
        [
            "Chen Mei-ling",
            "Nguyễn Văn An",
            "Trần Thị Bích",
            "Đặng Minh Đức"
        ]
    );

    let response = app
        .get(&format!("/v1/imports/{id}/errors.csv"), &desk)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let report = csv_rows(&response.text().await.unwrap());
    assert_eq!(
        report[0][..5],
        ["row", "column", "code", "reason", "Họ và tên"]
    );
    let failed: Vec<(&str, &str, &str)> = report[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        failed,
        [
            ("5", "Ngày sinh", "invalid_date"),
            ("7", "SĐT", "invalid_phone"),
            ("8", "Họ và tên", "required"),
            ("11", "Ngày đi", "before_check_in"),
        ]
    );
    assert_eq!(report[1][4], "Lê Hoàng Cường", "the row's own cells follow");
    assert!(report[4][3].contains("before check-in"), "{:?}", report[4]);

    // The same file again: nothing changes.
    let again = super::upload(&app, &desk, "text/csv", "khach-0112.csv", DAILY.into()).await;
    let again = finished(&app, &desk, again["id"].as_str().unwrap()).await;
    assert_eq!(counts(&again), (0, 0, 6, 4));
    assert_eq!(guest_names(&db, tenant.id).len(), 4);
    drop(worker);

    let list: Value = app
        .get("/v1/imports", &desk)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [again["id"].as_str().unwrap(), id.as_str()],
        "newest first"
    );
}

#[tokio::test]
async fn uploads_are_checked_before_anything_is_stored() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let auditor = tenant.key_with_role(&mut db.connect(), Role::Auditor);
    let other = TestTenant::create(&mut db.connect(), "orchid");
    let mut settings = guestcare_tests::app::settings_for(&db);
    settings.api.max_import_bytes = 2048;
    let app = TestApp::spawn_with(&db, settings);

    let post = |key: &str, content_type: &str, body: Vec<u8>| {
        app.post("/v1/imports", key)
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    let response = post(&tenant.key, "text/plain", b"Full name\nA\n".to_vec())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let response = post(&tenant.key, "text/csv", vec![b'a'; 4096])
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let response = post(&tenant.key, "text/csv", Vec::new()).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = post(&auditor, "text/csv", b"Full name\nA\n".to_vec())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // A file with no known column fails as a whole, with the reason.
    let import = upload(
        &app,
        &tenant.key,
        "text/csv",
        "x.csv",
        b"foo;bar\n1;2\n".to_vec(),
    )
    .await;
    let id = import["id"].as_str().unwrap();
    let _worker = super::worker(&db);
    let import = finished(&app, &tenant.key, id).await;
    assert_eq!(import["status"], "failed");
    assert!(
        import["error"].as_str().unwrap().contains("no column"),
        "{import}"
    );

    // Another tenant sees none of it.
    let response = app
        .get(&format!("/v1/imports/{id}"), &other.key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .get(&format!("/v1/imports/{id}/errors.csv"), &other.key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
