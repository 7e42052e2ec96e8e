//! The columns an intake file may carry and the headers that name them.
//!
//! Headers are matched on a folded key (lower case, no diacritics, `đ` as
//! `d`, punctuation as spaces), so `Họ và tên`, `HO VA TEN` and `ho-va-ten`
//! name the same column. Unknown headers are ignored.

use crate::text;

/// A column of a guest intake file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    FullName,
    BirthDate,
    NationalId,
    Passport,
    Gender,
    Phone,
    Email,
    Nationality,
    Language,
    Address,
    Residence,
    Hometown,
    Occupation,
    Workplace,
    CheckIn,
    CheckOut,
    RoomType,
    PartySize,
    BookingChannel,
    Amount,
    Currency,
    Notes,
    Tags,
    Zalo,
    Facebook,
    WhatsApp,
    WeChat,
    Line,
    Skype,
}

/// Every column with the headers that name it: its canonical snake-case key
/// first (what a JSON import would use), then Vietnamese and English aliases.
const ALIASES: &[(Column, &[&str])] = &[
    (
        Column::FullName,
        &[
            "full_name",
            "Họ tên",
            "Họ và tên",
            "Tên khách",
            "Tên khách hàng",
            "Khách hàng",
            "Full name",
            "Name",
            "Guest name",
            "Guest",
        ],
    ),
    (
        Column::BirthDate,
        &[
            "birth_date",
            "Ngày sinh",
            "Ngày tháng năm sinh",
            "Date of birth",
            "Birth date",
            "Birthday",
            "DOB",
        ],
    ),
    (
        Column::NationalId,
        &[
            "national_id",
            "Số CMND/CCCD",
            "CMND/CCCD",
            "Số CCCD",
            "CCCD",
            "CMND",
            "Số CMND",
            "Số giấy tờ",
            "National ID",
            "ID number",
            "ID",
        ],
    ),
    (
        Column::Passport,
        &[
            "passport",
            "Hộ chiếu",
            "Số hộ chiếu",
            "Passport",
            "Passport number",
            "Passport No",
        ],
    ),
    (Column::Gender, &["gender", "Giới tính", "Gender", "Sex"]),
    (
        Column::Phone,
        &[
            "phone",
            "phones",
            "Điện thoại",
            "Số điện thoại",
            "SĐT",
            "Di động",
            "Phone",
            "Phone number",
            "Mobile",
            "Tel",
        ],
    ),
    (Column::Email, &["email", "Thư điện tử", "E-mail", "Mail"]),
    (
        Column::Nationality,
        &["nationality", "Quốc tịch", "Quốc gia", "Country"],
    ),
    (
        Column::Language,
        &["language", "Ngôn ngữ", "Preferred language"],
    ),
    (
        Column::Address,
        &[
            "address",
            "Địa chỉ",
            "Địa chỉ thường trú",
            "Thường trú",
            "Permanent address",
        ],
    ),
    (
        Column::Residence,
        &[
            "residence",
            "Nơi ở hiện tại",
            "Chỗ ở hiện tại",
            "Current residence",
            "Current address",
        ],
    ),
    (
        Column::Hometown,
        &["hometown", "Quê quán", "Nguyên quán", "Home town"],
    ),
    (
        Column::Occupation,
        &["occupation", "Nghề nghiệp", "Công việc", "Job"],
    ),
    (
        Column::Workplace,
        &[
            "workplace",
            "Nơi làm việc",
            "Cơ quan",
            "Công ty",
            "Company",
            "Employer",
        ],
    ),
    (
        Column::CheckIn,
        &[
            "check_in",
            "Ngày đến",
            "Ngày nhận phòng",
            "Check-in",
            "Arrival",
            "Arrival date",
        ],
    ),
    (
        Column::CheckOut,
        &[
            "check_out",
            "Ngày đi",
            "Ngày trả phòng",
            "Check-out",
            "Departure",
            "Departure date",
        ],
    ),
    (
        Column::RoomType,
        &["room_type", "Loại phòng", "Hạng phòng", "Room type", "Room"],
    ),
    (
        Column::PartySize,
        &[
            "party_size",
            "Số khách",
            "Số người",
            "Party size",
            "Guests",
            "Pax",
        ],
    ),
    (
        Column::BookingChannel,
        &[
            "booking_channel",
            "Kênh đặt",
            "Kênh đặt phòng",
            "Nguồn đặt",
            "Booking channel",
            "Channel",
            "Source",
        ],
    ),
    (
        Column::Amount,
        &[
            "amount",
            "Số tiền",
            "Thành tiền",
            "Tổng tiền",
            "Doanh thu",
            "Amount",
            "Total",
            "Revenue",
        ],
    ),
    (Column::Currency, &["currency", "Tiền tệ", "Loại tiền"]),
    (
        Column::Notes,
        &["notes", "Ghi chú", "Yêu cầu", "Note", "Remarks", "Comments"],
    ),
    (Column::Tags, &["tags", "Nhãn", "Thẻ", "Tag"]),
    (Column::Zalo, &["zalo"]),
    (Column::Facebook, &["facebook", "FB", "Messenger"]),
    (Column::WhatsApp, &["whatsapp"]),
    (Column::WeChat, &["wechat", "Weixin", "微信"]),
    (Column::Line, &["line", "LINE ID"]),
    (Column::Skype, &["skype"]),
];

impl Column {
    /// The canonical snake-case key, e.g. `full_name`.
    pub fn key(self) -> &'static str {
        ALIASES
            .iter()
            .find(|(column, _)| *column == self)
            .and_then(|(_, names)| names.first())
            .copied()
            .unwrap_or("")
    }

    /// The column a header names, if any.
    pub fn from_header(header: &str) -> Option<Column> {
        let key = header_key(header);
        if key.is_empty() {
            return None;
        }
        ALIASES
            .iter()
            .find(|(_, names)| names.iter().any(|name| header_key(name) == key))
            .map(|(column, _)| *column)
    }
}

/// The comparison form of a header: folded, `_`, `/`, `-` and other
/// punctuation as spaces, a trailing required-mark `(*)` or `*` dropped.
fn header_key(header: &str) -> String {
    let spaced: String = text::fold(header)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_english_headers_map_to_one_column() {
        for header in ["Họ tên", "HỌ VÀ TÊN", "ho va ten", "Full Name", "full_name"] {
            assert_eq!(
                Column::from_header(header),
                Some(Column::FullName),
                "{header}"
            );
        }
        assert_eq!(
            Column::from_header("Số CMND/CCCD"),
            Some(Column::NationalId)
        );
        assert_eq!(
            Column::from_header("so cmnd cccd"),
            Some(Column::NationalId)
        );
        assert_eq!(Column::from_header("SĐT"), Some(Column::Phone));
        assert_eq!(Column::from_header("Ngày đến"), Some(Column::CheckIn));
        assert_eq!(Column::from_header("check in"), Some(Column::CheckIn));
        assert_eq!(Column::from_header("Ngày đi"), Some(Column::CheckOut));
        assert_eq!(
            Column::from_header(" Quốc tịch (*) "),
            Some(Column::Nationality)
        );
        assert_eq!(Column::from_header("DOB"), Some(Column::BirthDate));
        assert_eq!(Column::from_header("Zalo"), Some(Column::Zalo));
    }

    #[test]
    fn unknown_and_empty_headers_are_ignored() {
        assert_eq!(Column::from_header("Mã đặt phòng nội bộ"), None);
        assert_eq!(Column::from_header(""), None);
        assert_eq!(Column::from_header(" * "), None);
    }

    #[test]
    fn every_column_has_a_key_that_maps_back() {
        for (column, _) in ALIASES {
            assert_eq!(Column::from_header(column.key()), Some(*column));
        }
    }

    #[test]
    fn no_alias_names_two_columns() {
        let mut seen = std::collections::HashMap::new();
        for (column, names) in ALIASES {
            for name in *names {
                let previous = seen.insert(header_key(name), *column);
                assert!(previous.is_none_or(|c| c == *column), "{name}");
            }
        }
    }
}
