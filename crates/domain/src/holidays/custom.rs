//! A tenant's own occasions (the resort's anniversary, a local festival):
//! validating what staff send, and turning stored rows into [`Occasion`]s.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::{DateRule, LunarCalendar, Names, Occasion};
use crate::{FieldError, ValidationErrors, bounded_text};

/// Prefix of a tenant occasion's key in holiday listings (`tenant.anniversary`),
/// so that it can never collide with a built-in key.
pub const KEY_PREFIX: &str = "tenant.";

/// A tenant occasion's own key: 1–64 of `a-z`, `0-9`, `_`, `-`, starting with
/// a letter or digit.
pub fn parse_key(key: &str) -> Result<String, FieldError> {
    let valid = (1..=64).contains(&key.len())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && key.starts_with(|c: char| c.is_ascii_alphanumeric());
    if valid {
        Ok(key.to_owned())
    } else {
        Err(FieldError::new(
            "invalid_key",
            "Use 1–64 lower-case letters, digits, `_` and `-`, e.g. `anniversary`.",
        ))
    }
}

/// Names in the three guest languages, each cleaned to NFC and 1–200
/// characters; errors carry the paths `vi`, `en`, `zh-Hant`.
pub fn parse_names(vi: &str, en: &str, zh_hant: &str) -> Result<Names, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let vi = errors.check("vi", bounded_text(vi, 1, 200));
    let en = errors.check("en", bounded_text(en, 1, 200));
    let zh_hant = errors.check("zh-Hant", bounded_text(zh_hant, 1, 200));
    match (vi, en, zh_hant) {
        (Some(vi), Some(en), Some(zh_hant)) => Ok(Names {
            vi: Cow::Owned(vi),
            en: Cow::Owned(en),
            zh_hant: Cow::Owned(zh_hant),
        }),
        _ => Err(errors),
    }
}

/// A date rule as sent by a client or stored in a row: `kind` is `solar` or
/// `lunar`; `leap` and `calendar` (`vietnamese` or `chinese`) apply to lunar
/// rules only.
#[derive(Debug, Clone, Copy)]
pub struct RuleParts<'a> {
    pub kind: &'a str,
    pub month: i64,
    pub day: i64,
    pub leap: bool,
    pub calendar: Option<&'a str>,
}

impl RuleParts<'_> {
    /// The rule, or every invalid part with its field path (`month`, `day`,
    /// `calendar`, …).
    pub fn validate(&self) -> Result<DateRule, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let month = errors.check("month", in_range(self.month, 12, "invalid_month"));
        match self.kind {
            "solar" => {
                if self.leap {
                    errors.push(only_lunar("leap"));
                }
                if self.calendar.is_some() {
                    errors.push(only_lunar("calendar"));
                }
                let day = errors.check("day", solar_day(month, self.day));
                match (month, day) {
                    (Some(month), Some(day)) if errors.is_empty() => {
                        Ok(DateRule::Solar { month, day })
                    }
                    _ => Err(errors),
                }
            }
            "lunar" => {
                let day = errors.check("day", in_range(self.day, 30, "invalid_day"));
                let calendar = match self.calendar {
                    Some(text) => errors.check("calendar", text.parse::<LunarCalendar>()),
                    None => errors.require("calendar", None),
                };
                match (month, day, calendar) {
                    (Some(month), Some(day), Some(calendar)) if errors.is_empty() => {
                        Ok(DateRule::Lunar {
                            month,
                            day,
                            leap: self.leap,
                            calendar,
                        })
                    }
                    _ => Err(errors),
                }
            }
            _ => {
                errors.push(FieldError::new("invalid_kind", "Use `solar` or `lunar`.").at("kind"));
                Err(errors)
            }
        }
    }
}

fn in_range(value: i64, max: u8, code: &'static str) -> Result<u8, FieldError> {
    u8::try_from(value)
        .ok()
        .filter(|v| (1..=max).contains(v))
        .ok_or_else(|| FieldError::new(code, format!("Use a number from 1 to {max}.")))
}

/// A day of the month; 29 February is valid (it falls on the 28th in common
/// years).
fn solar_day(month: Option<u8>, day: i64) -> Result<u8, FieldError> {
    let day = in_range(day, 31, "invalid_day")?;
    match month {
        Some(m) if NaiveDate::from_ymd_opt(2000, u32::from(m), u32::from(day)).is_none() => {
            Err(FieldError::new("invalid_day", "No such day in that month."))
        }
        _ => Ok(day),
    }
}

fn only_lunar(field: &str) -> FieldError {
    FieldError::new("not_allowed", "Only lunar rules take this field.").at(field)
}

/// A tenant occasion as listed with the built-ins: its key gets
/// [`KEY_PREFIX`].
pub fn tenant_occasion(key: &str, names: Names, rule: DateRule) -> Occasion {
    Occasion {
        key: Cow::Owned(format!("{KEY_PREFIX}{key}")),
        names,
        rule,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(kind: &str, month: i64, day: i64) -> RuleParts<'_> {
        RuleParts {
            kind,
            month,
            day,
            leap: false,
            calendar: None,
        }
    }

    #[test]
    fn keys_are_slugs() {
        assert_eq!(parse_key("anniversary").unwrap(), "anniversary");
        assert!(parse_key("Anniversary").is_err());
        assert!(parse_key("-x").is_err());
        assert!(parse_key("").is_err());
    }

    #[test]
    fn names_are_nfc_and_required() {
        let names = parse_names("Kỷ nie\u{302}\u{323}m", "Anniversary", "週年紀念").unwrap();
        assert_eq!(names.vi, "Kỷ niệm");
        let errors = parse_names(" ", "x", "").unwrap_err();
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["vi", "zh-Hant"]);
    }

    #[test]
    fn solar_rules_accept_real_days_only() {
        assert_eq!(
            parts("solar", 2, 29).validate().unwrap(),
            DateRule::Solar { month: 2, day: 29 }
        );
        let errors = parts("solar", 4, 31).validate().unwrap_err();
        assert_eq!(errors.errors()[0].field, "day");
        let errors = parts("solar", 13, 40).validate().unwrap_err();
        assert_eq!(errors.errors()[0].field, "month");
    }

    #[test]
    fn lunar_rules_need_a_calendar() {
        let errors = parts("lunar", 3, 10).validate().unwrap_err();
        assert_eq!(errors.errors()[0].field, "calendar");
        let rule = RuleParts {
            calendar: Some("vietnamese"),
            leap: true,
            ..parts("lunar", 3, 30)
        };
        assert_eq!(
            rule.validate().unwrap(),
            DateRule::Lunar {
                month: 3,
                day: 30,
                leap: true,
                calendar: LunarCalendar::Vietnamese
            }
        );
        let errors = parts("weekly", 1, 1).validate().unwrap_err();
        assert_eq!(errors.errors()[0].field, "kind");
    }
}
