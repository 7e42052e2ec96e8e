//! E-mail addresses as guests and staff type them.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// A syntactically valid e-mail address (`local@domain.tld`), trimmed, with
/// the domain lower-cased. The local part keeps its case, as RFC 5321 allows
/// servers to distinguish it; identity comparisons use [`Email::canonical`].
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form used to compare identities: fully lower-cased.
    pub fn canonical(&self) -> String {
        self.0.to_lowercase()
    }

    /// The part after `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

fn invalid() -> FieldError {
    FieldError::new(
        "invalid_email",
        "Enter an e-mail address such as name@example.com.",
    )
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(char::is_alphabetic))
}

fn valid_local(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || SPECIALS.contains(c))
}

impl FromStr for Email {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        if trimmed.len() > 254 {
            return Err(invalid());
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or_else(invalid)?;
        let domain = domain.to_lowercase();
        if !valid_local(local) || !valid_domain(&domain) {
            return Err(invalid());
        }
        Ok(Email(format!("{local}@{domain}")))
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Addresses are personal data: debug output shows only the domain.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email(***@{})", self.domain())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_addresses() {
        let email: Email = " Lan.Nguyen+spa@Example.COM.vn ".parse().unwrap();
        assert_eq!(email.as_str(), "Lan.Nguyen+spa@example.com.vn");
        assert_eq!(email.canonical(), "lan.nguyen+spa@example.com.vn");
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@-b.com",
            "a..b@c.com",
            "a@c.c0m",
            ".a@b.com",
        ] {
            assert!(bad.parse::<Email>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn debug_hides_the_local_part() {
        let email: Email = "secret@example.com".parse().unwrap();
        assert_eq!(format!("{email:?}"), "Email(***@example.com)");
    }
}
