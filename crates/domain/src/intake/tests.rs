use std::io::Cursor;

use super::*;

fn rows(format: Format, bytes: &[u8]) -> Result<Vec<SourceRow>, FileError> {
    let mut out = Vec::new();
    read_rows(format, Cursor::new(bytes), |row| {
        out.push(row);
        Ok::<(), ()>(())
    })
    .map_err(|e| match e {
        ReadError::File(file) => file,
        ReadError::Sink(()) => FileError::NoHeader,
    })?;
    Ok(out)
}

fn values(row: &SourceRow) -> Vec<(Column, &str)> {
    row.as_ref()
        .unwrap()
        .cells
        .iter()
        .map(|c| (c.column, c.value.as_str()))
        .collect()
}

#[test]
fn csv_with_bom_and_semicolons() {
    let file = "\u{feff}Họ tên;Ngày sinh;Số CMND/CCCD;Ghi chú nội bộ\n\
                Nguyễn Văn A;05/03/1990;001090000001;x\n\
                ;;;\n\
                \"Trần, Thị B\";1991-01-02;;\n";
    let rows = rows(Format::Csv, file.as_bytes()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        values(&rows[0]),
        [
            (Column::FullName, "Nguyễn Văn A"),
            (Column::BirthDate, "05/03/1990"),
            (Column::NationalId, "001090000001"),
        ]
    );
    let first = rows[0].as_ref().unwrap();
    assert_eq!(first.number, 2);
    assert_eq!(
        first.get(Column::FullName).unwrap().header.as_ref(),
        "Họ tên"
    );
    assert_eq!(
        first.raw.len(),
        4,
        "unknown columns are kept for the report"
    );
    let second = rows[1].as_ref().unwrap();
    assert_eq!(second.number, 4, "the blank row keeps its number");
    assert_eq!(values(&rows[1])[0], (Column::FullName, "Trần, Thị B"));
}

#[test]
fn csv_with_commas_and_decomposed_headers() {
    let file = "Ho\u{323} te\u{302}n,Phone,Phone\nLê Văn C,0912 345 678,+84 90 000 0000\n";
    let rows = rows(Format::Csv, file.as_bytes()).unwrap();
    let phones: Vec<&str> = rows[0]
        .as_ref()
        .unwrap()
        .all(Column::Phone)
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(phones, ["0912 345 678", "+84 90 000 0000"]);
}

#[test]
fn csv_that_is_not_utf8_names_the_row() {
    let mut file = b"Full name\nAn\n".to_vec();
    file.extend_from_slice(b"Nguy\xean\n");
    assert_eq!(
        rows(Format::Csv, &file).unwrap_err(),
        FileError::NotUtf8 { row: 3 }
    );
}

#[test]
fn csv_without_known_columns_or_header_is_refused() {
    assert_eq!(
        rows(Format::Csv, b"foo;bar\n1;2\n").unwrap_err(),
        FileError::NoKnownColumn
    );
    assert_eq!(rows(Format::Csv, b"").unwrap_err(), FileError::NoHeader);
}

#[test]
fn json_array_streams_objects() {
    let file = r#"[
        {"full_name": "Nguyễn Văn A", "phones": ["0912345678"], "Phone": ["0912345678", "0987654321"], "extra": null},
        {},
        42,
        {"Họ tên": "Chen Mei-ling", "Quốc tịch": "TW", "Số khách": 2}
    ]"#;
    let rows = rows(Format::Json, file.as_bytes()).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        values(&rows[0]),
        [
            (Column::FullName, "Nguyễn Văn A"),
            (Column::Phone, "0912345678"),
            (Column::Phone, "0912345678"),
            (Column::Phone, "0987654321"),
        ]
    );
    assert_eq!(rows[1].as_ref().unwrap_err().number, 3);
    let last = rows[2].as_ref().unwrap();
    assert_eq!(last.number, 4);
    assert_eq!(last.get(Column::PartySize).unwrap().value, "2");
}

#[test]
fn json_that_is_not_an_array_is_refused() {
    assert!(matches!(
        rows(Format::Json, br#"{"full_name": "A"}"#),
        Err(FileError::Malformed { .. })
    ));
    assert!(matches!(
        rows(Format::Json, br#"[{"full_name": "A"}"#),
        Err(FileError::Malformed { .. })
    ));
}

#[test]
fn the_sinks_error_stops_reading() {
    let file = "Full name\nA\nB\nC\n";
    let mut seen = 0;
    let result = read_rows(Format::Csv, Cursor::new(file), |_| {
        seen += 1;
        if seen == 2 { Err("enough") } else { Ok(()) }
    });
    assert!(matches!(result, Err(ReadError::Sink("enough"))));
    assert_eq!(seen, 2);
    let mut seen = 0;
    let result = read_rows(
        Format::Json,
        Cursor::new(r#"[{"name":"A"},{"name":"B"},{"name":"C"}]"#),
        |_| {
            seen += 1;
            if seen == 2 { Err("enough") } else { Ok(()) }
        },
    );
    assert!(matches!(result, Err(ReadError::Sink("enough"))));
}

#[test]
fn counting_matches_reading() {
    let file = "Full name\nA\n\nB\n";
    assert_eq!(count_rows(Format::Csv, Cursor::new(file)).unwrap(), 2);
}

#[test]
fn formats_from_content_types() {
    assert_eq!(
        Format::from_content_type("text/csv; charset=utf-8"),
        Some(Format::Csv)
    );
    assert_eq!(
        Format::from_content_type(Format::XLSX_CONTENT_TYPE),
        Some(Format::Xlsx)
    );
    assert_eq!(
        Format::from_content_type("application/json"),
        Some(Format::Json)
    );
    assert_eq!(Format::from_content_type("text/plain"), None);
    assert_eq!(Format::parse("xlsx"), Some(Format::Xlsx));
}

#[test]
fn crlf_rows_keep_their_spreadsheet_numbers() {
    let numbers: Vec<u64> = rows(
        Format::Csv,
        b"Full name\r\nA\r\n\r\nB\r\n\"C\r\nD\"\r\nE\r\n",
    )
    .unwrap()
    .iter()
    .map(|r| r.as_ref().unwrap().number)
    .collect();
    assert_eq!(numbers, [2, 4, 5, 7]);
}
