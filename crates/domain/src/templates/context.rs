//! The variables a template sees.
//!
//! - `guest` (every purpose but `staff_digest`): `full_name`, `given_name`,
//!   `family_name`, `code`, `language` — see [`GuestVars::new`] for how names
//!   split (Vietnamese names are called by their last word: `Nguyễn Văn An` →
//!   `An`; Chinese names drop the one-character surname: `陳美玲` → `美玲`).
//!   Built-in texts address guests neutrally: `Quý khách` in Vietnamese, the
//!   full name in English and Chinese.
//! - `tenant`: `name`, `phone`, `email`, `website`, `address` (empty strings
//!   when the hotel has not set them).
//! - `occasion` (`holiday_greeting`): `key` (`vn.tet`), `name` in the
//!   message's language, `date` (`YYYY-MM-DD`).
//! - `extra`: the purpose's own fields, listed in
//!   [`allowed_extra`](super::allowed_extra).
//! - `language`: the message's language tag (`vi`, `en`, `zh-Hant`).
//!
//! Filters: `date` formats a `YYYY-MM-DD` (or RFC 3339) value for the
//! message's language (`24/11/2026`, `24 November 2026`, `2026年11月24日`);
//! `money(currency)` formats an amount (`1.500.000 ₫`, `₫1,500,000`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{Purpose, allowed_extra, has_guest, has_occasion};
use crate::{Language, text};

/// The guest a message is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuestVars {
    pub full_name: String,
    /// What the guest is called by: the last word of a Vietnamese name, the
    /// name after the surname of a Chinese name, else the first word.
    pub given_name: String,
    pub family_name: String,
    pub code: String,
    pub language: Language,
}

/// Family names common enough in Vietnam to tell a Vietnamese name written
/// without diacritics (`Nguyen Van An`) from a Western one.
const VIETNAMESE_SURNAMES: &[&str] = &[
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dinh", "truong", "lam", "mai", "trinh", "cao", "luong", "doan",
];

impl GuestVars {
    /// The variables of a guest called `full_name` (cleaned to NFC).
    pub fn new(full_name: &str, code: &str, language: Language) -> GuestVars {
        let full_name = text::clean(full_name);
        let (family_name, given_name) = split_name(&full_name);
        GuestVars {
            given_name: given_name.to_owned(),
            family_name: family_name.to_owned(),
            code: code.to_owned(),
            language,
            full_name,
        }
    }
}

/// `(family, given)` parts of a cleaned full name.
fn split_name(full: &str) -> (&str, &str) {
    let words: Vec<&str> = full.split(' ').collect();
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    match words.as_slice() {
        [single] if single.chars().count() >= 2 && single.chars().all(is_han) => {
            let cut = single
                .char_indices()
                .nth(1)
                .map_or(single.len(), |(i, _)| i);
            (&single[..cut], &single[cut..])
        }
        [first, .., last] if is_vietnamese(full, first) => (first, last),
        [first, .., last] => (last, first),
        _ => ("", full),
    }
}

fn is_vietnamese(full: &str, first_word: &str) -> bool {
    let letters = "ăâđêôơưĂÂĐÊÔƠƯ";
    full.chars().any(|c| letters.contains(c))
        || VIETNAMESE_SURNAMES.contains(&text::fold(first_word).as_str())
}

/// The hotel sending the message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TenantVars {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub address: String,
}

/// The occasion a greeting is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccasionVars {
    pub key: String,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// Everything a template is rendered against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Context {
    pub guest: Option<GuestVars>,
    pub tenant: TenantVars,
    pub occasion: Option<OccasionVars>,
    pub extra: BTreeMap<String, Value>,
}

impl Context {
    /// A complete context for previews and checks: a sample guest (`Nguyễn
    /// Văn An`, `陳美玲` or `Emily Carter` by language), the Sen Hotel Hội An,
    /// Tết for greetings and a plausible value for every `extra` field.
    pub fn sample(purpose: Purpose, language: Language) -> Context {
        let name = match language {
            Language::Vi => "Nguyễn Văn An",
            Language::En => "Emily Carter",
            Language::ZhHant => "陳美玲",
        };
        let occasion_name = match language {
            Language::Vi => "Tết Nguyên Đán",
            Language::En => "Lunar New Year",
            Language::ZhHant => "農曆新年",
        };
        Context {
            guest: has_guest(purpose).then(|| GuestVars::new(name, "G-000123", language)),
            tenant: TenantVars {
                name: "Sen Hotel Hội An".to_owned(),
                phone: "+84 235 3861 234".to_owned(),
                email: "care@senhotel.example".to_owned(),
                website: "https://senhotel.example".to_owned(),
                address: "12 Trần Phú, Hội An, Quảng Nam".to_owned(),
            },
            occasion: has_occasion(purpose).then(|| OccasionVars {
                key: "vn.tet".to_owned(),
                name: occasion_name.to_owned(),
                date: "2027-02-06".to_owned(),
            }),
            extra: allowed_extra(purpose)
                .iter()
                .map(|field| ((*field).to_owned(), sample_extra(field)))
                .collect(),
        }
    }
}

fn sample_extra(field: &str) -> Value {
    match field {
        "valid_until" | "check_out" => Value::from("2026-12-31"),
        "check_in" => Value::from("2026-12-28"),
        "anchor_date" => Value::from("2027-03-01"),
        "rule_name" => Value::from("Gia hạn thẻ thành viên"),
        "digest_date" => Value::from("2026-11-24"),
        "nights" => Value::from(3),
        "total" => Value::from(4_500_000),
        "currency" => Value::from("VND"),
        "new_tickets" => Value::from(4),
        "overdue_tickets" => Value::from(1),
        "new_feedback" => Value::from(7),
        "open_tasks" => Value::from(3),
        "birthdays" => serde_json::json!([{
            "date": "2026-11-25", "name": "Trần Thị Mai", "code": "G-000042"
        }]),
        "tasks" => serde_json::json!([{
            "due_on": "2026-11-24", "title": "Gọi chúc mừng sinh nhật Trần Thị Mai"
        }]),
        "voucher_code" => Value::from("SEN-8F2K"),
        "offer_title" => Value::from("Winter Escape"),
        "room_type" => Value::from("Deluxe Garden View"),
        "reply" => Value::from("Sample reply."),
        "agent_name" => Value::from("Lê Thu Hà"),
        "survey_title" => Value::from("Khảo sát sau kỳ nghỉ"),
        "survey_reference" => Value::from("S-7KQ2M4"),
        "reply_form" => Value::from(
            "1. Quý khách đánh giá phòng thế nào? — chọn một chữ cái\n   A. Xuất sắc   B. Tốt   C. Khá   D. Kém",
        ),
        "reminder" => Value::from(false),
        "recipient_name" => Value::from("Trần Minh Khoa"),
        "booking_reference" | "reference" | "ticket_number" => Value::from("T-1042"),
        url => Value::from(format!("https://senhotel.example/{url}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_by_origin() {
        let g = GuestVars::new("Nguyễn Văn An", "", Language::En);
        assert_eq!(
            (g.family_name.as_str(), g.given_name.as_str()),
            ("Nguyễn", "An")
        );
        let g = GuestVars::new("Tran Thi Mai", "", Language::En);
        assert_eq!(g.given_name, "Mai");
        let g = GuestVars::new("陳美玲", "", Language::ZhHant);
        assert_eq!(
            (g.family_name.as_str(), g.given_name.as_str()),
            ("陳", "美玲")
        );
        let g = GuestVars::new("  Emily   Carter ", "", Language::En);
        assert_eq!(
            (g.family_name.as_str(), g.given_name.as_str()),
            ("Carter", "Emily")
        );
        assert_eq!(g.full_name, "Emily Carter");
        let g = GuestVars::new("Madonna", "", Language::En);
        assert_eq!(g.given_name, "Madonna");
    }
}
