//! A campaign's text in each language: subject, HTML and plain text,
//! written as promotion templates (the guest and tenant variables, the
//! unsubscribe link) and validated like them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    FieldError, Language, ValidationErrors,
    templates::{self, Content, Purpose},
};

/// One language's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub subject: String,
    /// Images are hosted asset URLs or `cid:{asset id}` (embedded).
    pub html: String,
    pub text: String,
}

impl Variant {
    pub fn content(&self) -> Content {
        Content::Email {
            subject: self.subject.clone(),
            html: self.html.clone(),
            text: self.text.clone(),
        }
    }
}

/// The variants by language (`vi`, `en`, `zh-Hant`).
pub type Variants = BTreeMap<Language, Variant>;

/// Errors at `variants.{language}.{part}` (with `Line N:` as templates
/// report them) and at `default_language` when it has no variant.
pub fn validate_variants(
    variants: &Variants,
    default_language: Language,
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if variants.is_empty() {
        errors.push(
            FieldError::new("empty", "Write the campaign in at least one language.").at("variants"),
        );
    } else if !variants.contains_key(&default_language) {
        errors.push(
            FieldError::new(
                "no_variant",
                "The default language needs a variant: guests in other languages get it.",
            )
            .at("default_language"),
        );
    }
    for (language, variant) in variants {
        if let Err(found) = templates::validate(Purpose::Promotion, *language, &variant.content()) {
            for error in found {
                errors.push(error.at(format!("variants.{}", language.as_str())));
            }
        }
    }
    errors.finish(|| ())
}

/// The variant a guest writing `language` reads: their own, else the
/// default language's.
pub fn choose_variant(
    variants: &Variants,
    language: Language,
    default: Language,
) -> Option<Language> {
    [language, default]
        .into_iter()
        .find(|l| variants.contains_key(l))
        .or_else(|| variants.keys().next().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(subject: &str) -> Variant {
        Variant {
            subject: subject.to_owned(),
            html: "<p>Kính chào {{ guest.full_name }}</p>".to_owned(),
            text: "Kính chào {{ guest.full_name }}".to_owned(),
        }
    }

    #[test]
    fn variants_validate_at_their_paths() {
        let mut variants = Variants::new();
        variants.insert(Language::Vi, variant("Ưu đãi mùa hè"));
        assert!(validate_variants(&variants, Language::Vi).is_ok());
        variants.insert(Language::En, variant("{{ nope.x }"));
        let errors = validate_variants(&variants, Language::ZhHant).unwrap_err();
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert!(fields.contains(&"default_language"), "{fields:?}");
        assert!(fields.contains(&"variants.en.subject"), "{fields:?}");
    }

    #[test]
    fn guests_read_their_language_else_the_default() {
        let mut variants = Variants::new();
        variants.insert(Language::Vi, variant("a"));
        variants.insert(Language::ZhHant, variant("b"));
        assert_eq!(
            choose_variant(&variants, Language::ZhHant, Language::Vi),
            Some(Language::ZhHant)
        );
        assert_eq!(
            choose_variant(&variants, Language::En, Language::Vi),
            Some(Language::Vi)
        );
    }
}
