//! The languages guestcare speaks to guests in.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{Country, FieldError};

/// A language guests are written to in. Tags follow BCP 47.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum Language {
    /// Vietnamese.
    #[serde(rename = "vi")]
    Vi,
    /// English.
    #[serde(rename = "en")]
    En,
    /// Chinese in Traditional characters (Taiwan).
    #[serde(rename = "zh-Hant")]
    ZhHant,
}

impl Language {
    /// Every supported language, in a stable order.
    pub const ALL: [Language; 3] = [Language::Vi, Language::En, Language::ZhHant];

    /// The BCP 47 tag.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
            Language::ZhHant => "zh-Hant",
        }
    }

    /// The language a guest of this nationality is written to by default:
    /// Vietnamese guests in Vietnamese, Taiwanese in Traditional Chinese,
    /// everybody else in English.
    pub fn default_for_nationality(country: Country) -> Language {
        match country.as_str() {
            "VN" => Language::Vi,
            "TW" => Language::ZhHant,
            _ => Language::En,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Language {
    type Err = FieldError;

    /// Accepts the tags case-insensitively, plus the common aliases `zh-TW`
    /// and `zh_Hant` for Traditional Chinese.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "vi" | "vi-vn" => Ok(Language::Vi),
            "en" | "en-us" | "en-gb" => Ok(Language::En),
            "zh-hant" | "zh-tw" | "zh-hant-tw" => Ok(Language::ZhHant),
            _ => Err(FieldError::new(
                "invalid_language",
                "Language must be one of vi, en, zh-Hant.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_and_aliases() {
        assert_eq!("vi".parse::<Language>(), Ok(Language::Vi));
        assert_eq!("zh-TW".parse::<Language>(), Ok(Language::ZhHant));
        assert_eq!("zh_Hant".parse::<Language>(), Ok(Language::ZhHant));
        assert!("fr".parse::<Language>().is_err());
    }

    #[test]
    fn defaults_follow_nationality() {
        let vn: Country = "VN".parse().unwrap();
        let tw: Country = "tw".parse().unwrap();
        let fr: Country = "FR".parse().unwrap();
        assert_eq!(Language::default_for_nationality(vn), Language::Vi);
        assert_eq!(Language::default_for_nationality(tw), Language::ZhHant);
        assert_eq!(Language::default_for_nationality(fr), Language::En);
    }
}
