//! Phone numbers in E.164 (`+84903123456`), parsed from the ways staff and
//! guests write them.
//!
//! Rules (a compact subset of the numbering plans, no external database):
//! - separators (spaces, `-`, `.`, `/`, parentheses) are ignored;
//! - `+CC…` or `00CC…` is international: 8–15 digits in all; when the
//!   calling code is one of the plans below, the national number's length is
//!   checked too, and a trunk `0` written after the code (`+84 090…`) is
//!   dropped;
//! - anything else is a national number of the default country (the
//!   tenant's): its trunk prefix (`0` in Vietnam, Taiwan and most countries,
//!   `1` in North America, `8` in Russia) is dropped and the calling code put
//!   in front. A country without a plan here needs the international form.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Country, FieldError};

/// A country's numbering plan: calling code, trunk prefix, and the length
/// range of national significant numbers.
struct Plan {
    country: &'static str,
    code: &'static str,
    trunk: &'static str,
    min: usize,
    max: usize,
}

const fn plan(
    country: &'static str,
    code: &'static str,
    trunk: &'static str,
    min: usize,
    max: usize,
) -> Plan {
    Plan {
        country,
        code,
        trunk,
        min,
        max,
    }
}

const PLANS: [Plan; 24] = [
    plan("VN", "84", "0", 9, 10),
    plan("TW", "886", "0", 8, 9),
    plan("US", "1", "1", 10, 10),
    plan("CA", "1", "1", 10, 10),
    plan("GB", "44", "0", 9, 10),
    plan("FR", "33", "0", 9, 9),
    plan("DE", "49", "0", 6, 13),
    plan("AU", "61", "0", 9, 9),
    plan("JP", "81", "0", 9, 10),
    plan("KR", "82", "0", 8, 10),
    plan("CN", "86", "0", 10, 11),
    plan("HK", "852", "", 8, 8),
    plan("SG", "65", "", 8, 8),
    plan("TH", "66", "0", 8, 9),
    plan("MY", "60", "0", 8, 10),
    plan("ID", "62", "0", 8, 12),
    plan("PH", "63", "0", 9, 10),
    plan("KH", "855", "0", 8, 9),
    plan("LA", "856", "0", 8, 10),
    plan("IN", "91", "0", 10, 10),
    plan("RU", "7", "8", 10, 10),
    plan("NL", "31", "0", 9, 9),
    plan("NZ", "64", "0", 8, 10),
    plan("IT", "39", "", 6, 11),
];

/// A phone number in E.164 form: `+` and 8–15 digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

fn invalid() -> FieldError {
    FieldError::new(
        "invalid_phone",
        "Enter a phone number such as 0903 123 456 or +84 90 312 3456.",
    )
}

impl Phone {
    /// Parses `input` written in international form, or nationally for
    /// `default_country`.
    pub fn parse(input: &str, default_country: Country) -> Result<Phone, FieldError> {
        let trimmed = input.trim();
        let international = trimmed.starts_with('+');
        let mut digits = String::with_capacity(trimmed.len());
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '.' | '/' | '(' | ')' | '\u{a0}' => {}
                _ => return Err(invalid()),
            }
        }
        if international {
            international_number(&digits)
        } else if let Some(rest) = digits.strip_prefix("00") {
            international_number(rest)
        } else {
            national_number(&digits, default_country)
        }
    }

    /// Parses a number already in E.164 form (as stored).
    pub fn from_e164(value: &str) -> Result<Phone, FieldError> {
        match value.strip_prefix('+') {
            Some(digits) if digits.chars().all(|c| c.is_ascii_digit()) => {
                international_number(digits)
            }
            _ => Err(invalid()),
        }
    }

    /// `+` followed by the digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn plan_for_code(digits: &str) -> Option<&'static Plan> {
    PLANS
        .iter()
        .filter(|plan| digits.starts_with(plan.code))
        .max_by_key(|plan| plan.code.len())
}

fn international_number(digits: &str) -> Result<Phone, FieldError> {
    if digits.starts_with('0') {
        return Err(invalid());
    }
    let mut e164 = digits.to_owned();
    if let Some(plan) = plan_for_code(digits) {
        let mut national = &digits[plan.code.len()..];
        if !plan.trunk.is_empty() && plan.code != plan.trunk {
            national = national.strip_prefix(plan.trunk).unwrap_or(national);
        }
        if !(plan.min..=plan.max).contains(&national.len()) {
            return Err(invalid());
        }
        e164 = format!("{}{national}", plan.code);
    }
    if (8..=15).contains(&e164.len()) {
        Ok(Phone(format!("+{e164}")))
    } else {
        Err(invalid())
    }
}

fn national_number(digits: &str, country: Country) -> Result<Phone, FieldError> {
    let plan = PLANS
        .iter()
        .find(|plan| plan.country == country.as_str())
        .ok_or_else(|| {
            FieldError::new(
                "invalid_phone",
                "Write this number with its country code, e.g. +33 6 12 34 56 78.",
            )
        })?;
    let national = if plan.trunk.is_empty() {
        digits
    } else if plan.code == plan.trunk {
        // North America: the trunk `1` is optional.
        if digits.len() == plan.max + 1 {
            digits.strip_prefix(plan.trunk).unwrap_or(digits)
        } else {
            digits
        }
    } else {
        digits.strip_prefix(plan.trunk).ok_or_else(invalid)?
    };
    if national.starts_with('0') || !(plan.min..=plan.max).contains(&national.len()) {
        return Err(invalid());
    }
    Ok(Phone(format!("+{}{national}", plan.code)))
}

impl TryFrom<String> for Phone {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::from_e164(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Phone numbers are personal data: debug output shows the last two digits.
impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tail = &self.0[self.0.len().saturating_sub(2)..];
        write!(f, "Phone(***{tail})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str, country: &str) -> Result<String, FieldError> {
        Phone::parse(s, country.parse().unwrap()).map(String::from)
    }

    #[test]
    fn vietnamese_formats() {
        for input in [
            "0903 123 456",
            "090-312-3456",
            "+84 90-312-3456",
            "+84 (0) 903 123 456",
            "0084903123456",
        ] {
            assert_eq!(parse(input, "VN").unwrap(), "+84903123456", "{input}");
        }
        assert_eq!(parse("(028) 3822 1234", "VN").unwrap(), "+842838221234");
        assert!(
            parse("84903123456", "VN").is_err(),
            "no `+`: not international"
        );
    }

    #[test]
    fn other_countries() {
        assert_eq!(parse("0912 345 678", "TW").unwrap(), "+886912345678");
        assert_eq!(parse("+886 912 345 678", "VN").unwrap(), "+886912345678");
        assert_eq!(parse("(415) 555-0132", "US").unwrap(), "+14155550132");
        assert_eq!(parse("1 415 555 0132", "US").unwrap(), "+14155550132");
        assert_eq!(parse("+33 6 12 34 56 78", "VN").unwrap(), "+33612345678");
        assert_eq!(parse("+41 79 123 45 67", "VN").unwrap(), "+41791234567");
        assert!(parse("06 12 34 56 78", "CH").is_err(), "no plan: needs +41");
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "abc",
            "0903",
            "0903 123 456 789 000",
            "+0903123456",
            "0903x123456",
            "+84 12",
        ] {
            assert!(parse(bad, "VN").is_err(), "{bad}");
        }
    }

    #[test]
    fn stored_form_round_trips_and_debug_hides_digits() {
        let phone = Phone::parse("0903 123 456", "VN".parse().unwrap()).unwrap();
        assert_eq!(Phone::from_e164(phone.as_str()).unwrap(), phone);
        assert_eq!(format!("{phone:?}"), "Phone(***56)");
    }
}
