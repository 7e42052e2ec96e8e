use std::sync::Arc;

use super::*;
use crate::intake::Cell;

fn row(cells: &[(&str, &str)]) -> RawRow {
    let mut row = RawRow {
        number: 2,
        cells: Vec::new(),
        raw: Vec::new(),
        headers: Arc::from([(Column::FullName, Arc::from("Họ và tên"))]),
    };
    for (header, value) in cells {
        let header: Arc<str> = Arc::from(*header);
        row.raw.push((header.clone(), (*value).to_owned()));
        if let Some(column) = Column::from_header(&header) {
            row.cells.push(Cell {
                column,
                header,
                value: (*value).to_owned(),
            });
        }
    }
    row
}

fn vn() -> Country {
    "VN".parse().unwrap()
}

#[test]
fn a_front_desk_row_becomes_a_profile_and_a_stay() {
    let record = to_intake(
        &row(&[
            ("Họ và tên", "Nguyễn Thị Hồng"),
            ("Ngày sinh", "05/03/1990"),
            ("Giới tính", "Nữ"),
            ("Số CMND/CCCD", "001190000123"),
            ("SĐT", "0912 345 678 / 0987654321"),
            ("Quốc tịch", "Việt Nam"),
            ("Zalo", "0912345678"),
            ("Ngày đến", "01/12/2026"),
            ("Ngày đi", "03/12/2026"),
            ("Số khách", "2"),
            ("Số tiền", "1.500.000"),
            ("Ghi chú", "Phòng yên tĩnh"),
        ]),
        vn(),
    )
    .unwrap();
    let profile = &record.profile;
    assert_eq!(profile.full_name, "Nguyễn Thị Hồng");
    assert_eq!(profile.phones.len(), 2);
    assert_eq!(profile.nationality.unwrap().as_str(), "VN");
    assert_eq!(profile.gender.unwrap().as_str(), "female");
    assert_eq!(profile.national_id.as_ref().unwrap().kind.as_str(), "cccd");
    assert_eq!(profile.notes, None);
    let stay = record.stay.unwrap();
    assert_eq!(stay.party_size, Some(2));
    let money = stay.amount.unwrap();
    assert_eq!((money.minor, money.currency.as_str()), (1_500_000, "VND"));
    assert_eq!(stay.notes.as_deref(), Some("Phòng yên tĩnh"));
}

#[test]
fn a_foreign_guest_with_a_passport_in_the_id_column() {
    let record = to_intake(
        &row(&[
            ("Full name", "Chen Mei-ling"),
            ("National ID", "C12345678"),
            ("Nationality", "Taiwan"),
        ]),
        vn(),
    )
    .unwrap();
    assert_eq!(
        record.profile.national_id.unwrap().kind.as_str(),
        "passport"
    );
    assert_eq!(record.stay, None);
}

#[test]
fn rejections_name_the_files_column() {
    let rejection = to_intake(
        &row(&[("Họ tên", "Lê Văn C"), ("Ngày sinh", "31/02/1990")]),
        vn(),
    )
    .unwrap_err();
    assert_eq!(rejection.column, "Ngày sinh");
    assert_eq!(rejection.code, "invalid_date");

    let rejection = to_intake(
        &row(&[("Họ tên", "Lê Văn C"), ("Điện thoại", "0912345678; 12")]),
        vn(),
    )
    .unwrap_err();
    assert_eq!(rejection.column, "Điện thoại");

    let rejection = to_intake(&row(&[("Ngày sinh", "1990-01-01")]), vn()).unwrap_err();
    assert_eq!(
        (rejection.column.as_str(), rejection.code),
        ("Họ và tên", "required")
    );

    let rejection = to_intake(
        &row(&[
            ("Họ tên", "Lê Văn C"),
            ("Giới tính", "?"),
            ("Số tiền", "nhiều"),
            ("Ngày đến", "2026-12-01"),
        ]),
        vn(),
    )
    .unwrap_err();
    assert_eq!(rejection.column, "Giới tính, Số tiền");
    assert!(
        rejection.reason.starts_with("Giới tính: "),
        "{}",
        rejection.reason
    );

    let rejection = to_intake(
        &row(&[("Họ tên", "Lê Văn C"), ("Loại phòng", "Deluxe")]),
        vn(),
    )
    .unwrap_err();
    assert_eq!(
        (rejection.column.as_str(), rejection.code),
        ("check_in", "required")
    );

    let rejection = to_intake(
        &row(&[("Họ tên", "Lê Văn C"), ("Email", "not-an-email")]),
        vn(),
    )
    .unwrap_err();
    assert_eq!(rejection.column, "Email");
}
