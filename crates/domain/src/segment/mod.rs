//! Dynamic segments: saved filters over guest profiles, stays and consent.
//!
//! A filter is a tree of JSON objects with exactly one key each (see
//! [`Filter::parse`]). It is validated here, with the path of every bad
//! value, and compiled to one SQL query by `guestcare_db::segments`; it is
//! never evaluated row by row.

mod parse;

use chrono::NaiveDate;

use crate::{
    Country, Language,
    guest::{ConsentChannel, ConsentPurpose, Tier},
};

/// The deepest nesting of `and`/`or`/`not` accepted.
pub const MAX_DEPTH: usize = 12;
/// The most conditions (nodes) in one filter.
pub const MAX_NODES: usize = 200;

/// A segment filter.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Every condition holds (an empty list matches every guest).
    And(Vec<Filter>),
    /// At least one condition holds (an empty list matches no guest).
    Or(Vec<Filter>),
    Not(Box<Filter>),
    /// Nationality is one of these.
    Nationality(Vec<Country>),
    /// Nationality is (or, with `false`, is known and is not) the tenant's
    /// country.
    Domestic(bool),
    /// The effective language (chosen, else from nationality) is one of these.
    Language(Vec<Language>),
    /// The current tier is one of these.
    Tier(Vec<Tier>),
    /// Has at least one of these tags.
    TagsAny(Vec<String>),
    /// Has all of these tags.
    TagsAll(Vec<String>),
    /// Age in whole years today, inclusive bounds.
    Age {
        min: Option<u16>,
        max: Option<u16>,
    },
    /// Born in one of these months (1–12).
    BirthdayMonth(Vec<u8>),
    /// Number of stays, inclusive bounds.
    Stays {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// The latest check-in is before / on or after these dates.
    LastStay {
        before: Option<NaiveDate>,
        after: Option<NaiveDate>,
    },
    /// Total spent over all stays in `currency`, in minor units, inclusive.
    TotalSpend {
        currency: String,
        min: Option<i64>,
        max: Option<i64>,
    },
    /// Among the top `percent` % of the tenant's guests by total spend in
    /// `currency` (guests who spent nothing in it are never in the top).
    SpendPercentile {
        currency: String,
        percent: f64,
    },
    /// One of these guests (an explicit list, as campaign audiences name them).
    Guests(Vec<uuid::Uuid>),
    /// Consent is currently granted for this channel and purpose.
    Consent {
        channel: ConsentChannel,
        purpose: ConsentPurpose,
    },
}

impl Filter {
    /// Whether any condition needs the stay statistics (count, last stay).
    pub fn uses_stays(&self) -> bool {
        self.any(&|f| matches!(f, Filter::Stays { .. } | Filter::LastStay { .. }))
    }

    /// The currencies whose spend totals the filter reads.
    pub fn spend_currencies(&self) -> Vec<&str> {
        let mut found = Vec::new();
        self.visit(&mut |f| {
            if let Filter::TotalSpend { currency, .. } | Filter::SpendPercentile { currency, .. } =
                f
                && !found.contains(&currency.as_str())
            {
                found.push(currency.as_str());
            }
        });
        found
    }

    fn any(&self, test: &dyn Fn(&Filter) -> bool) -> bool {
        let mut hit = false;
        self.visit(&mut |f| hit |= test(f));
        hit
    }

    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Filter)) {
        f(self);
        match self {
            Filter::And(items) | Filter::Or(items) => items.iter().for_each(|i| i.visit(f)),
            Filter::Not(inner) => inner.visit(f),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
