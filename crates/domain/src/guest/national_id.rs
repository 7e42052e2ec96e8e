//! National identity documents: Vietnamese citizen ID cards (CCCD, 12
//! digits), the older ID cards (CMND, 9 or 12 digits), passports and others.
//! Numbers are personal data: sealed at rest, found by keyed digest, shown in
//! clear only to roles allowed to see them.

use std::fmt;

use crate::FieldError;

text_enum! {
    /// The kind of identity document.
    DocumentType, "invalid_document_type", "Document type" {
        /// Căn cước công dân: the Vietnamese citizen ID card.
        Cccd = "cccd",
        /// Chứng minh nhân dân: the older Vietnamese ID card.
        Cmnd = "cmnd",
        Passport = "passport",
        Other = "other",
    }
}

/// A document number, upper case without spaces or hyphens.
#[derive(Clone, PartialEq, Eq)]
pub struct NationalId {
    pub kind: DocumentType,
    number: String,
}

fn invalid(message: &str) -> FieldError {
    FieldError::new("invalid_national_id", message)
}

impl NationalId {
    /// Validates `number` for `kind`: CCCD 12 digits, CMND 9 or 12 digits,
    /// passports 6–12 letters and digits, other documents 3–30.
    pub fn parse(kind: DocumentType, number: &str) -> Result<NationalId, FieldError> {
        let number = normalise_number(number);
        let digits = number.chars().all(|c| c.is_ascii_digit());
        let alnum = number.chars().all(|c| c.is_ascii_alphanumeric());
        let ok = match kind {
            DocumentType::Cccd => digits && number.len() == 12,
            DocumentType::Cmnd => digits && matches!(number.len(), 9 | 12),
            DocumentType::Passport => alnum && (6..=12).contains(&number.len()),
            DocumentType::Other => alnum && (3..=30).contains(&number.len()),
        };
        if ok {
            Ok(NationalId { kind, number })
        } else {
            Err(invalid(match kind {
                DocumentType::Cccd => "A CCCD number has 12 digits.",
                DocumentType::Cmnd => "A CMND number has 9 or 12 digits.",
                DocumentType::Passport => "A passport number has 6–12 letters and digits.",
                DocumentType::Other => "Use 3–30 letters and digits.",
            }))
        }
    }

    /// The normalised number, to seal or digest. Never log it.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The number with all but its last three characters hidden.
    pub fn masked(&self) -> String {
        mask(&self.number)
    }
}

/// `number` with all but its last three characters replaced by `•`.
pub fn mask(number: &str) -> String {
    let count = number.chars().count();
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i + 3 < count { '•' } else { c })
        .collect()
}

/// The normalised form used for digests when the document type is unknown
/// (a search box): upper case, separators removed.
pub fn normalise_number(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '\u{a0}'))
        .flat_map(char::to_uppercase)
        .collect()
}

impl fmt::Debug for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NationalId({}, {})", self.kind, self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_by_document_type() {
        let id = NationalId::parse(DocumentType::Cccd, "079 123-456 789").unwrap();
        assert_eq!(id.number(), "079123456789");
        assert!(NationalId::parse(DocumentType::Cccd, "07912345678").is_err());
        assert!(NationalId::parse(DocumentType::Cmnd, "123456789").is_ok());
        assert_eq!(
            NationalId::parse(DocumentType::Passport, "b1234567")
                .unwrap()
                .number(),
            "B1234567"
        );
        assert!(NationalId::parse(DocumentType::Passport, "B12/4567").is_err());
    }

    #[test]
    fn masking_and_debug_hide_the_number() {
        let id = NationalId::parse(DocumentType::Cccd, "079123456789").unwrap();
        assert_eq!(id.masked(), "•••••••••789");
        assert_eq!(format!("{id:?}"), "NationalId(cccd, •••••••••789)");
    }
}
