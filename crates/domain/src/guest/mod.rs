//! The guest registry's vocabulary: guest codes, profile enums, national
//! IDs, consent, stays and care periods, relay addresses, and the intake
//! record that identity resolution consumes.

/// A closed set of values with stable snake_case names: serde, `as_str`,
/// `FromStr` (case-insensitive, `FieldError` with `$code`) and `Display`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $code:literal, $what:literal {
        $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name, as stored and sent.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::FieldError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim().to_ascii_lowercase();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == wanted)
                    .ok_or_else(|| {
                        let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        $crate::FieldError::new(
                            $code,
                            format!("{} must be one of: {}.", $what, names.join(", ")),
                        )
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod consent;
pub mod intake;
pub mod kinds;
pub mod national_id;
mod patch;
pub mod profile;
pub mod relay;
pub mod stay;

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Country, FieldError};

pub use consent::{ConsentChannel, ConsentPurpose, ConsentStatus};
pub use intake::{Change, FieldChange, IntakeRecord, Outcome, Prefer};
pub use kinds::{ChatHandle, ChatKind, Gender, Tier};
pub use national_id::{DocumentType, NationalId};
pub use profile::{ChatHandleInput, EmergencyContact, GuestProfile, NationalIdInput, ProfileInput};
pub use relay::is_relay_email;
pub use stay::{Money, StayDetails, StayInput, care_period};

/// The human-readable code of a guest inside its tenant: `G-` and the
/// tenant's running number, at least six digits (`G-000123`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GuestCode(u64);

impl GuestCode {
    pub fn from_number(number: u64) -> GuestCode {
        GuestCode(number)
    }

    pub fn number(self) -> u64 {
        self.0
    }

    /// Reads a code as staff type it: `G-000123`, `g-123`, `G000123`.
    pub fn parse(text: &str) -> Option<GuestCode> {
        let text = text.trim();
        let rest = text.strip_prefix(['G', 'g'])?;
        let digits = rest.strip_prefix('-').unwrap_or(rest);
        if digits.is_empty() || digits.len() > 18 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().map(GuestCode)
    }
}

impl fmt::Display for GuestCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "G-{:06}", self.0)
    }
}

/// Reads a date written `YYYY-MM-DD` (ISO 8601) or `dd/mm/yyyy` (as in
/// Vietnam; `d/m/yyyy` and `dd-mm-yyyy` too), between 1900 and 2100.
pub fn parse_date(text: &str) -> Result<NaiveDate, FieldError> {
    let text = text.trim();
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(text, "%d-%m-%Y"))
        .ok()
        .filter(|d| (1900..=2100).contains(&chrono::Datelike::year(d)));
    date.ok_or_else(|| {
        FieldError::new(
            "invalid_date",
            "Write the date as YYYY-MM-DD or dd/mm/yyyy, e.g. 2026-03-12 or 12/03/2026.",
        )
    })
}

/// Where a guest comes from, relative to the tenant's country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Domestic,
    International,
}

impl Origin {
    /// Domestic when the nationality is the tenant's country; unknown without
    /// a nationality.
    pub fn of(nationality: Option<Country>, tenant_country: Country) -> Option<Origin> {
        nationality.map(|n| {
            if n == tenant_country {
                Origin::Domestic
            } else {
                Origin::International
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_format_and_parse() {
        assert_eq!(GuestCode::from_number(123).to_string(), "G-000123");
        assert_eq!(GuestCode::from_number(1_234_567).to_string(), "G-1234567");
        for text in ["G-000123", "g-123", "G000123", " G-123 "] {
            assert_eq!(GuestCode::parse(text), Some(GuestCode(123)), "{text}");
        }
        for bad in ["G-", "123", "G-12a", "H-123"] {
            assert_eq!(GuestCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_in_iso_and_vietnamese_order() {
        let expected: NaiveDate = "2026-03-12".parse().unwrap();
        for text in ["2026-03-12", "12/03/2026", "12/3/2026", "12-03-2026"] {
            assert_eq!(parse_date(text), Ok(expected), "{text}");
        }
        for bad in [
            "2026-02-30",
            "31/02/2026",
            "03/12",
            "1850-01-01",
            "yesterday",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn origin_is_relative_to_the_tenant() {
        let vn: Country = "VN".parse().unwrap();
        let tw: Country = "TW".parse().unwrap();
        assert_eq!(Origin::of(Some(vn), vn), Some(Origin::Domestic));
        assert_eq!(Origin::of(Some(tw), vn), Some(Origin::International));
        assert_eq!(Origin::of(None, vn), None);
    }
}
