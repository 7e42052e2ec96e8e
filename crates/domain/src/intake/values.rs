//! Parsers for the cell values front desks type: dates in the Vietnamese
//! day-first order or ISO, amounts with `.` thousand separators, genders and
//! currencies in Vietnamese or English.

use chrono::NaiveDate;

use crate::{FieldError, text};

/// A date as `dd/mm/yyyy`, `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` (day
/// first, as written in Vietnam) or ISO `yyyy-mm-dd` (a time part after `T`
/// or a space is ignored).
pub fn parse_date(value: &str) -> Result<NaiveDate, FieldError> {
    let value = value.trim();
    let date_part = value.split(['T', ' ']).next().unwrap_or(value);
    let parts: Vec<&str> = date_part.split(['/', '-', '.']).collect();
    let numbers: Option<Vec<u32>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let date = match (parts.as_slice(), numbers.as_deref()) {
        ([y, _, _], Some(&[year, month, day])) if y.len() == 4 => {
            NaiveDate::from_ymd_opt(year as i32, month, day)
        }
        ([_, _, y], Some(&[day, month, year])) if y.len() == 4 => {
            NaiveDate::from_ymd_opt(year as i32, month, day)
        }
        _ => None,
    };
    date.filter(|d| (1900..=2100).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| {
            FieldError::new(
                "invalid_date",
                "Write dates as dd/mm/yyyy (e.g. 25/12/1990) or yyyy-mm-dd.",
            )
        })
}

/// An amount of money in hundredths of the currency unit.
///
/// `1.500.000` and `1,500,000` are one and a half million (a single
/// separator followed by exactly three digits groups thousands, as in
/// `1.500`); with both separators the last one is the decimal point
/// (`1.500.000,50`, `1,500.50`); `120.5` and `120,50` have decimals. A
/// currency word or sign around the number (`đ`, `VND`, `$`) is ignored.
pub fn parse_amount(value: &str) -> Result<i64, FieldError> {
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
    let units: i64 = whole.parse().map_err(|_| invalid())?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    let total = units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .ok_or_else(invalid)?;
    Ok(if negative { -total } else { total })
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

/// A count of people, 1–999.
pub fn parse_party_size(value: &str) -> Result<i16, FieldError> {
    value
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|n| (1..=999).contains(n))
        .ok_or_else(|| FieldError::new("invalid_party_size", "Write a whole number from 1."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_in_every_accepted_form() {
        assert_eq!(parse_date("25/12/1990").unwrap(), date(1990, 12, 25));
        assert_eq!(parse_date("5/3/1990").unwrap(), date(1990, 3, 5));
        assert_eq!(parse_date("05-03-1990").unwrap(), date(1990, 3, 5));
        assert_eq!(parse_date("05.03.1990").unwrap(), date(1990, 3, 5));
        assert_eq!(parse_date("1990-03-05").unwrap(), date(1990, 3, 5));
        assert_eq!(parse_date("1990-03-05T00:00:00").unwrap(), date(1990, 3, 5));
        assert_eq!(parse_date(" 29/02/2024 ").unwrap(), date(2024, 2, 29));
    }

    #[test]
    fn impossible_or_ambiguous_dates_are_rejected() {
        for bad in [
            "31/02/1990",
            "29/02/2023",
            "12/25/90",
            "1990",
            "",
            "ngày 5",
            "5/3/90",
            "01/13/1990",
        ] {
            let error = parse_date(bad).unwrap_err();
            assert_eq!(error.code, "invalid_date", "{bad}");
        }
    }

    #[test]
    fn vietnamese_thousand_separators() {
        assert_eq!(parse_amount("1.500.000").unwrap(), 150_000_000);
        assert_eq!(parse_amount("1,500,000").unwrap(), 150_000_000);
        assert_eq!(parse_amount("1.500").unwrap(), 150_000);
        assert_eq!(parse_amount("1500000 đ").unwrap(), 150_000_000);
        assert_eq!(parse_amount("2.000.000 VNĐ").unwrap(), 200_000_000);
        assert_eq!(parse_amount("1.500.000,50").unwrap(), 150_000_050);
        assert_eq!(parse_amount("1,500.5").unwrap(), 150_050);
        assert_eq!(parse_amount("$120.50").unwrap(), 12_050);
        assert_eq!(parse_amount("120,5").unwrap(), 12_050);
        assert_eq!(parse_amount("-300.000").unwrap(), -30_000_000);
    }

    #[test]
    fn garbage_amounts_are_rejected() {
        for bad in ["", "abc", "1.2.3,456", "12,3456", "1 triệu"] {
            assert_eq!(
                parse_amount(bad).unwrap_err().code,
                "invalid_amount",
                "{bad}"
            );
        }
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

    #[test]
    fn party_sizes() {
        assert_eq!(parse_party_size(" 2 ").unwrap(), 2);
        assert!(parse_party_size("0").is_err());
        assert!(parse_party_size("hai").is_err());
    }
}
