//! The shape of a validation failure: which field, which rule, in words.
//!
//! Parsers in this crate return a [`FieldError`] without a field path; the
//! caller that knows where the value came from attaches the path with
//! [`FieldError::at`] and collects several into [`ValidationErrors`].

use std::fmt;

/// One rejected value: the JSON path of the field, a stable machine code and a
/// human sentence. The rejected value itself is never included, so personal
/// data cannot leak into error reports or logs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// JSON pointer-like dotted path, e.g. `phones[1]` or `emergency_contact.phone`.
    pub field: String,
    /// Stable code such as `invalid_email`, `required`, `too_long`.
    pub code: &'static str,
    /// A sentence for a person.
    pub message: String,
}

impl FieldError {
    /// An error not yet attached to a field.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: String::new(),
            code,
            message: message.into(),
        }
    }

    /// Attaches (or prefixes) the field path.
    #[must_use]
    pub fn at(mut self, field: impl fmt::Display) -> Self {
        self.field = if self.field.is_empty() {
            field.to_string()
        } else {
            format!("{field}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for FieldError {}

/// Every field error found in one input, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Runs a parser; on failure records the error at `field` and returns `None`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error.at(field));
                None
            }
        }
    }

    /// Requires a present value, recording `required` at `field` otherwise.
    pub fn require<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.push(FieldError::new("required", "This field is required.").at(field));
        }
        value
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// `Ok(value)` when nothing was recorded, else every error.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}

impl IntoIterator for ValidationErrors {
    type Item = FieldError;
    type IntoIter = std::vec::IntoIter<FieldError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Combines independently validated fields, reporting every failure at once
/// instead of stopping at the first:
///
/// ```
/// use guestcare_domain::{AllValid, Email, FieldError, Language};
/// let result = (
///     "x".parse::<Email>().map_err(|e| e.at("email")),
///     "vi".parse::<Language>().map_err(|e| e.at("language")),
/// )
///     .all_valid();
/// assert_eq!(result.unwrap_err().errors()[0].field, "email");
/// ```
pub trait AllValid {
    type Output;

    /// `Ok` with every value when all are valid, else every error.
    fn all_valid(self) -> Result<Self::Output, ValidationErrors>;
}

macro_rules! impl_all_valid {
    ($($ty:ident $var:ident),+) => {
        impl<$($ty),+> AllValid for ($(Result<$ty, FieldError>,)+) {
            type Output = ($($ty,)+);

            fn all_valid(self) -> Result<Self::Output, ValidationErrors> {
                let ($($var,)+) = self;
                let mut errors = ValidationErrors::new();
                $(let $var = $var.map_err(|e| errors.push(e)).ok();)+
                match ($($var,)+) {
                    ($(Some($var),)+) => Ok(($($var,)+)),
                    _ => Err(errors),
                }
            }
        }
    };
}

impl_all_valid!(A a);
impl_all_valid!(A a, B b);
impl_all_valid!(A a, B b, C c);
impl_all_valid!(A a, B b, C c, D d);
impl_all_valid!(A a, B b, C c, D d, E e);
impl_all_valid!(A a, B b, C c, D d, E e, F f);
impl_all_valid!(A a, B b, C c, D d, E e, F f, G g);
impl_all_valid!(A a, B b, C c, D d, E e, F f, G g, H h);

/// Cleans a free-text field (NFC, trimmed, spaces collapsed) and checks its
/// length in characters.
pub fn bounded_text(value: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let cleaned = crate::text::clean(value);
    let length = cleaned.chars().count();
    if (min..=max).contains(&length) {
        Ok(cleaned)
    } else {
        Err(FieldError::new(
            "invalid_length",
            format!("Use {min}–{max} characters."),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_valid_collects_every_error() {
        let result = (
            Err::<u8, _>(FieldError::new("a", "a").at("first")),
            Ok::<u8, FieldError>(2),
            Err::<u8, _>(FieldError::new("c", "c").at("third")),
        )
            .all_valid();
        let fields: Vec<String> = result.unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["first", "third"]);
        assert_eq!(
            (Ok::<u8, FieldError>(1), Ok::<u8, FieldError>(2))
                .all_valid()
                .unwrap(),
            (1, 2)
        );
    }

    #[test]
    fn bounded_text_counts_characters() {
        assert_eq!(bounded_text("  Nguyễn  ", 1, 6).unwrap(), "Nguyễn");
        assert!(bounded_text("   ", 1, 10).is_err());
    }

    #[test]
    fn paths_nest_outward() {
        let error = FieldError::new("invalid_phone", "bad")
            .at("phone")
            .at("emergency_contact");
        assert_eq!(error.field, "emergency_contact.phone");
    }

    #[test]
    fn finish_reports_every_error() {
        let mut errors = ValidationErrors::new();
        assert_eq!(errors.require::<u8>("name", None), None);
        assert_eq!(errors.check("age", Ok::<_, FieldError>(3)), Some(3));
        let result = errors.finish(|| ());
        let errors = result.expect_err("one error");
        assert_eq!(errors.errors()[0].field, "name");
        assert_eq!(errors.errors()[0].code, "required");
    }
}
