//! Normalisers for the cell values front desks type: amounts with `.`
//! thousand separators, genders, currencies and nationalities in Vietnamese
//! or English. They turn a cell into the plain form the guest registry's
//! parsers take (dates are read by [`crate::guest::parse_date`]).

use crate::{FieldError, text};

/// An amount of money as a plain decimal (`1500000`, `120.50`) for
/// [`Money::parse`](crate::guest::Money::parse).
///
/// `1.500.000` and `1,500,000` are one and a half million (a single
/// separator followed by exactly three digits groups thousands, as in
/// `1.500`); with both separators the last one is the decimal point
/// (`1.500.000,50`, `1,500.50`); `120.5` and `120,50` have decimals. A
/// currency word or sign around the number (`đ`, `VND`, `$`) is ignored.
pub fn normalise_amount(value: &str) -> Result<String, FieldError> {
    let invalid = || {
        FieldError::new(
            "invalid_amount",
            "Write amounts as a number, e.g. 1.500.000 or 120.50.",
        )
    };
    let value = value.trim();
    let (Some(first), Some(last)) = (
        value.find(|c: char| c.is_ascii_digit()),
        value.rfind(|c: char| c.is_ascii_digit()),
    ) else {
        return Err(invalid());
    };
    let prefix = value[..first].trim();
    let (negative, prefix) = match prefix.strip_suffix('-') {
        Some(rest) => (true, rest.trim()),
        None => (false, prefix),
    };
    let suffix = value[last + 1..].trim();
    let marks_ok = [prefix, suffix]
        .iter()
        .all(|mark| mark.is_empty() || parse_currency(mark).is_ok());
    let digits: String = value[first..=last]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !marks_ok
        || !digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return Err(invalid());
    }
    let digits = digits.as_str();
    let decimal_at = decimal_separator(digits);
    let (whole, fraction) = match decimal_at {
        Some(at) => (&digits[..at], &digits[at + 1..]),
        None => (digits, ""),
    };
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    if whole.is_empty() || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let sign = if negative { "-" } else { "" };
    Ok(if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    })
}

/// Where the decimal separator is in `digits` (digits, `.` and `,`), if any.
fn decimal_separator(digits: &str) -> Option<usize> {
    let last = digits.rfind(['.', ','])?;
    let separator = digits[last..].chars().next()?;
    let other = if separator == '.' { ',' } else { '.' };
    if digits.contains(other) {
        return Some(last);
    }
    let repeated = digits.matches(separator).count() > 1;
    let grouped = digits.len() - last - 1 == 3;
    (!repeated && !grouped).then_some(last)
}

/// A gender as written: `Nam`/`M`/`Male` → `male`, `Nữ`/`F`/`Female` →
/// `female`, `Khác`/`Other` → `other`.
pub fn parse_gender(value: &str) -> Result<&'static str, FieldError> {
    match text::fold(value).as_str() {
        "nam" | "m" | "male" | "man" | "trai" => Ok("male"),
        "nu" | "f" | "female" | "woman" | "gai" => Ok("female"),
        "khac" | "other" | "o" | "x" => Ok("other"),
        _ => Err(FieldError::new(
            "invalid_gender",
            "Write Nam, Nữ or Khác (male, female or other).",
        )),
    }
}

/// A currency as an ISO 4217 code; `đ`, `₫`, `VNĐ` mean VND, `$` USD,
/// `NT$` TWD, `€` EUR.
pub fn parse_currency(value: &str) -> Result<String, FieldError> {
    let folded = text::fold(value);
    let code = match folded.as_str() {
        "d" | "₫" | "vnd" | "dong" => "VND",
        "$" | "us$" | "usd" => "USD",
        "nt$" | "twd" => "TWD",
        "€" | "eur" => "EUR",
        other if other.len() == 3 && other.bytes().all(|b| b.is_ascii_alphabetic()) => {
            return Ok(other.to_ascii_uppercase());
        }
        _ => "",
    };
    if code.is_empty() {
        Err(FieldError::new(
            "invalid_currency",
            "Use a three-letter currency code such as VND or USD.",
        ))
    } else {
        Ok(code.to_owned())
    }
}

/// Country names front desks write, folded, by ISO 3166-1 alpha-2 code.
const COUNTRY_NAMES: &[(&str, &[&str])] = &[
    ("VN", &["viet nam", "vietnam", "vnm"]),
    (
        "TW",
        &["dai loan", "taiwan", "twn", "台灣", "臺灣", "中華民國"],
    ),
    ("CN", &["trung quoc", "china", "chn", "中国", "中國"]),
    ("HK", &["hong kong", "hongkong", "hkg"]),
    ("KR", &["han quoc", "korea", "south korea", "kor"]),
    ("JP", &["nhat ban", "nhat", "japan", "jpn"]),
    ("US", &["my", "hoa ky", "usa", "united states", "america"]),
    (
        "GB",
        &[
            "anh",
            "uk",
            "united kingdom",
            "great britain",
            "england",
            "gbr",
        ],
    ),
    ("FR", &["phap", "france", "fra"]),
    ("DE", &["duc", "germany", "deu"]),
    ("AU", &["uc", "australia", "aus"]),
    ("RU", &["nga", "russia", "rus"]),
    ("TH", &["thai lan", "thailand", "tha"]),
    ("SG", &["singapore", "sgp"]),
    ("MY", &["malaysia", "mys"]),
    ("KH", &["campuchia", "cambodia", "khm"]),
    ("LA", &["lao", "laos"]),
    ("CA", &["canada"]),
    ("IN", &["an do", "india", "ind"]),
    ("NL", &["ha lan", "netherlands", "nld"]),
];

/// A nationality as an alpha-2 code when written as a common country name
/// (`Việt Nam`, `Đài Loan`, `Taiwan`, `Hàn Quốc`, `USA`); anything else is
/// passed on as written, for [`crate::Country`] to accept or refuse.
pub fn normalise_nationality(value: &str) -> String {
    let folded = text::fold(value);
    COUNTRY_NAMES
        .iter()
        .find(|(_, names)| names.contains(&folded.as_str()))
        .map_or_else(|| value.trim().to_owned(), |(code, _)| (*code).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_thousand_separators() {
        let cases = [
            ("1.500.000", "1500000"),
            ("1,500,000", "1500000"),
            ("1.500", "1500"),
            ("1500000 đ", "1500000"),
            ("2.000.000 VNĐ", "2000000"),
            ("1.500.000,50", "1500000.50"),
            ("1,500.5", "1500.5"),
            ("$120.50", "120.50"),
            ("120,5", "120.5"),
            ("0", "0"),
            ("-300.000", "-300000"),
        ];
        for (written, plain) in cases {
            assert_eq!(normalise_amount(written).unwrap(), plain, "{written}");
        }
    }

    #[test]
    fn garbage_amounts_are_rejected() {
        for bad in ["", "abc", "1.2.3,456", "12,3456", "1 triệu"] {
            assert_eq!(
                normalise_amount(bad).unwrap_err().code,
                "invalid_amount",
                "{bad}"
            );
        }
    }

    #[test]
    fn country_names() {
        assert_eq!(normalise_nationality("Việt Nam"), "VN");
        assert_eq!(normalise_nationality("ĐÀI LOAN"), "TW");
        assert_eq!(normalise_nationality("台灣"), "TW");
        assert_eq!(normalise_nationality("Hàn Quốc"), "KR");
        assert_eq!(normalise_nationality(" fr "), "fr");
        assert_eq!(normalise_nationality("Atlantis"), "Atlantis");
    }

    #[test]
    fn genders_and_currencies() {
        assert_eq!(parse_gender("Nữ").unwrap(), "female");
        assert_eq!(parse_gender("NAM").unwrap(), "male");
        assert_eq!(parse_gender("Khác").unwrap(), "other");
        assert!(parse_gender("?").is_err());
        assert_eq!(parse_currency("VNĐ").unwrap(), "VND");
        assert_eq!(parse_currency("đ").unwrap(), "VND");
        assert_eq!(parse_currency("usd").unwrap(), "USD");
        assert_eq!(parse_currency("NT$").unwrap(), "TWD");
        assert!(parse_currency("dollars").is_err());
    }
}
