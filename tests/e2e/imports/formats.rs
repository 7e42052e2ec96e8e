//! XLSX workbooks and JSON arrays import like CSV; progress is readable
//! while a file imports.

use guestcare_domain::intake::Format;
use guestcare_tests::{TestApp, TestDb, TestTenant};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
use serde_json::{Value, json};

use super::{counts, csv_rows, finished, guest_names, upload};

/// A workbook as a hotel's PMS exports it: English headers, real dates,
/// numbers as numbers, a blank row, and one guest without a name.
fn workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = CellFormat::new().set_num_format("dd/mm/yyyy");
    let headers = [
        "Full name",
        "Date of birth",
        "Phone",
        "Nationality",
        "Check-in",
        "Check-out",
        "Party size",
        "Amount",
        "Currency",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    let rows = [
        (
            "Lâm Chí Vĩ",
            (1980, 2, 14),
            "+886 933 111 222",
            "TW",
            2,
            1200.5,
        ),
        (
            "Sarah O'Neil",
            (1991, 9, 1),
            "+44 7700 900123",
            "GB",
            1,
            300.0,
        ),
        ("", (1970, 1, 1), "+33 6 12 34 56 78", "FR", 1, 10.0),
    ];
    for (i, (name, (y, m, d), phone, country, party, amount)) in rows.iter().enumerate() {
        let row = if i == 2 { 5 } else { i as u32 + 1 };
        if !name.is_empty() {
            sheet.write_string(row, 0, *name).unwrap();
        }
        let birth = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
        sheet
            .write_datetime_with_format(row, 1, &birth, &date)
            .unwrap();
        sheet.write_string(row, 2, *phone).unwrap();
        sheet.write_string(row, 3, *country).unwrap();
        let check_in = ExcelDateTime::from_ymd(2026, 12, 1).unwrap();
        sheet
            .write_datetime_with_format(row, 4, &check_in, &date)
            .unwrap();
        let check_out = ExcelDateTime::from_ymd(2026, 12, 4).unwrap();
        sheet
            .write_datetime_with_format(row, 5, &check_out, &date)
            .unwrap();
        sheet.write_number(row, 6, f64::from(*party)).unwrap();
        sheet.write_number(row, 7, *amount).unwrap();
        sheet.write_string(row, 8, "USD").unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_xlsx_export_imports() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let _worker = super::worker(&db);
    let import = upload(
        &app,
        &tenant.key,
        Format::XLSX_CONTENT_TYPE,
        "pms.xlsx",
        workbook(),
    )
    .await;
    assert_eq!(import["format"], "xlsx");
    let import = finished(&app, &tenant.key, import["id"].as_str().unwrap()).await;
    assert_eq!(import["status"], "succeeded", "{import}");
    assert_eq!(counts(&import), (2, 0, 0, 1));
    assert_eq!(guest_names(&db, tenant.id), ["Lâm Chí Vĩ", "Sarah O'Neil"]);
    let report = app
        .get(
            &format!("/v1/imports/{}/errors.csv", import["id"].as_str().unwrap()),
            &tenant.key,
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let report = csv_rows(&report);
    assert_eq!(
        report[1][..3],
        ["6", "Full name", "required"],
        "the spreadsheet's row number"
    );
}

#[tokio::test]
async fn a_json_array_imports_and_progress_is_readable() {
    let db = TestDb::new();
    let tenant = TestTenant::create(&mut db.connect(), "lotus");
    let app = TestApp::spawn(&db);
    let mut guests: Vec<Value> = (0..1_200)
        .map(|n| {
            json!({
                "full_name": format!("Khách Thứ {n}"),
                "birth_date": "1990-01-01",
                "phones": [format!("09{n:08}")],
                "nationality": "VN",
                "check_in": "2026-12-01",
                "amount": "1.500.000"
            })
        })
        .collect();
    guests.push(json!("not a guest"));
    guests.push(
        json!({"full_name": "Khách Thứ 0", "phones": ["0900000000"], "birth_date": "01/01/1990",
                       "check_in": "2026-12-01", "amount": 1500000, "email": "k0@example.com"}),
    );
    let import = upload(
        &app,
        &tenant.key,
        "application/json",
        "pms.json",
        serde_json::to_vec(&guests).unwrap(),
    )
    .await;
    let id = import["id"].as_str().unwrap().to_owned();
    assert_eq!(import["rows_done"], 0);
    assert_eq!(
        import["rows_total"],
        Value::Null,
        "not counted before the job runs"
    );

    let _worker = super::worker(&db);
    let mut seen = Vec::new();
    loop {
        let import: Value = app
            .get(&format!("/v1/imports/{id}"), &tenant.key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen.push(import["rows_done"].as_i64().unwrap());
        if import["status"] == "succeeded" {
            assert_eq!(import["rows_total"], 1_202);
            assert_eq!(import["rows_done"], 1_202);
            assert_eq!(counts(&import), (1_200, 1, 0, 1));
            break;
        }
        assert_ne!(import["status"], "failed", "{import}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "progress only grows: {seen:?}"
    );
}
