//! Dates and amounts written the way each language writes them.

use chrono::{DateTime, Datelike, NaiveDate};

use crate::Language;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `value` (`YYYY-MM-DD`, or an RFC 3339 timestamp whose local date is
/// used) as `24/11/2026` (vi), `24 November 2026` (en) or `2026年11月24日`
/// (zh-Hant); `None` if it is not a date.
pub fn format_date(value: &str, language: Language) -> Option<String> {
    let date = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .ok()
        .or_else(|| {
            DateTime::parse_from_rfc3339(value.trim())
                .ok()
                .map(|t| t.date_naive())
        })?;
    let (y, m, d) = (date.year(), date.month(), date.day());
    Some(match language {
        Language::Vi => format!("{d:02}/{m:02}/{y}"),
        Language::En => format!("{d} {} {y}", MONTHS_EN[date.month0() as usize]),
        Language::ZhHant => format!("{y}年{m}月{d}日"),
    })
}

/// `amount` of `currency` (ISO 4217) as each language writes it:
/// `1.500.000 ₫` and `25,50 US$` (vi), `₫1,500,000` and `$25.50` (en),
/// `NT$1,500` and `₫1,500,000` (zh-Hant). VND and TWD are written without
/// decimals, other currencies with two.
pub fn format_money(amount: f64, currency: &str, language: Language) -> String {
    let code = currency.trim().to_ascii_uppercase();
    let decimals = match code.as_str() {
        "VND" | "TWD" | "JPY" | "KRW" => 0,
        _ => 2,
    };
    let symbol = match (code.as_str(), language) {
        ("VND", _) => "₫",
        ("TWD", _) => "NT$",
        ("USD", Language::En) => "$",
        ("USD", _) => "US$",
        ("EUR", _) => "€",
        ("JPY", _) => "¥",
        _ => "",
    };
    let symbol = if symbol.is_empty() {
        format!("{code} ")
    } else {
        symbol.to_owned()
    };
    let (group, point) = match language {
        Language::Vi => ('.', ','),
        Language::En | Language::ZhHant => (',', '.'),
    };
    let number = group_digits(amount.abs(), decimals, group, point);
    let sign = if amount < 0.0 && number.chars().any(|c| matches!(c, '1'..='9')) {
        "-"
    } else {
        ""
    };
    match language {
        Language::Vi => format!("{sign}{number} {}", symbol.trim_end()),
        Language::En | Language::ZhHant => format!("{sign}{symbol}{number}"),
    }
}

fn group_digits(amount: f64, decimals: usize, group: char, point: char) -> String {
    let fixed = format!("{amount:.decimals$}");
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_per_language() {
        assert_eq!(
            format_date("2026-11-24", Language::Vi).unwrap(),
            "24/11/2026"
        );
        assert_eq!(
            format_date("2026-11-24", Language::En).unwrap(),
            "24 November 2026"
        );
        assert_eq!(
            format_date("2026-11-04", Language::ZhHant).unwrap(),
            "2026年11月4日"
        );
        assert_eq!(
            format_date("2026-03-05T23:30:00+07:00", Language::Vi).unwrap(),
            "05/03/2026"
        );
        assert_eq!(format_date("next week", Language::En), None);
    }

    #[test]
    fn money_per_language() {
        assert_eq!(
            format_money(1_500_000.0, "VND", Language::Vi),
            "1.500.000 ₫"
        );
        assert_eq!(format_money(1_500_000.0, "vnd", Language::En), "₫1,500,000");
        assert_eq!(format_money(1500.0, "TWD", Language::ZhHant), "NT$1,500");
        assert_eq!(format_money(25.5, "USD", Language::Vi), "25,50 US$");
        assert_eq!(format_money(25.5, "USD", Language::En), "$25.50");
        assert_eq!(format_money(-1234.5, "EUR", Language::En), "-€1,234.50");
        assert_eq!(format_money(99.0, "THB", Language::En), "THB 99.00");
        assert_eq!(format_money(99.0, "THB", Language::Vi), "99,00 THB");
    }
}
