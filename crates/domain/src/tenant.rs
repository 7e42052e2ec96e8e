//! Identifiers of a tenant: its slug and its time zone.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// The short name of a tenant used at login and in URLs: 2–63 characters of
/// lower-case ASCII letters, digits and hyphens, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantSlug(String);

impl TenantSlug {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for TenantSlug {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let valid = (2..=63).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-');
        if valid {
            Ok(TenantSlug(s.to_owned()))
        } else {
            Err(FieldError::new(
                "invalid_slug",
                "Use 2–63 lower-case letters, digits and hyphens, e.g. `lotus-resort`.",
            ))
        }
    }
}

impl TryFrom<String> for TenantSlug {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<TenantSlug> for String {
    fn from(value: TenantSlug) -> Self {
        value.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An IANA time zone such as `Asia/Ho_Chi_Minh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

impl FromStr for TimeZone {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<chrono_tz::Tz>()
            .map(TimeZone)
            .map_err(|_| {
                FieldError::new(
                    "invalid_time_zone",
                    "Time zone must be an IANA name such as Asia/Ho_Chi_Minh or Asia/Taipei.",
                )
            })
    }
}

impl TryFrom<String> for TimeZone {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<TimeZone> for String {
    fn from(value: TimeZone) -> Self {
        value.name().to_owned()
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!("lotus-resort".parse::<TenantSlug>().is_ok());
        assert!("Lotus".parse::<TenantSlug>().is_err());
        assert!("-x".parse::<TenantSlug>().is_err());
        assert!("a".parse::<TenantSlug>().is_err());
    }

    #[test]
    fn time_zones() {
        assert_eq!(
            "Asia/Ho_Chi_Minh".parse::<TimeZone>().unwrap().name(),
            "Asia/Ho_Chi_Minh"
        );
        assert!("Mars/Olympus".parse::<TimeZone>().is_err());
    }
}
