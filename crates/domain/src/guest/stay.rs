//! Stays (one visit each), amounts with their currency, and the care period
//! rule.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::parse_date;
use crate::{FieldError, ValidationErrors, bounded_text};

/// Currencies without minor units (ISO 4217 exponent 0) among those hotels
/// here see; every other currency has two decimals.
const ZERO_DECIMAL: [&str; 6] = ["VND", "JPY", "KRW", "CLP", "ISK", "PYG"];

/// An amount of money in minor units of an ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: String,
}

impl Money {
    /// Parses a decimal amount (`1500000`, `120.50`, `1 500 000`) in
    /// `currency` (three letters): not negative, and no more decimals than
    /// the currency has.
    pub fn parse(amount: &str, currency: &str) -> Result<Money, FieldError> {
        let currency = currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(FieldError::new(
                "invalid_currency",
                "Use a three-letter ISO 4217 code such as VND, USD or TWD.",
            )
            .at("currency"));
        }
        let exponent = Money::exponent(&currency);
        let invalid = || {
            FieldError::new(
                "invalid_amount",
                format!("Write a non-negative amount with at most {exponent} decimals."),
            )
            .at("amount")
        };
        let compact: String = amount.chars().filter(|c| !c.is_whitespace()).collect();
        let (whole, fraction) = compact.split_once('.').unwrap_or((&compact, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty()
            || !all_digits(whole)
            || !all_digits(fraction)
            || fraction.len() > exponent
        {
            return Err(invalid());
        }
        let padded = format!("{whole}{fraction:0<exponent$}");
        let minor = padded.parse::<i64>().map_err(|_| invalid())?;
        Ok(Money { minor, currency })
    }

    /// Decimals of `currency`.
    pub fn exponent(currency: &str) -> usize {
        if ZERO_DECIMAL.contains(&currency) {
            0
        } else {
            2
        }
    }

    /// The amount as a decimal string (`1500000`, `120.50`).
    pub fn amount(&self) -> String {
        let exponent = Money::exponent(&self.currency);
        if exponent == 0 {
            return self.minor.to_string();
        }
        let scale = 10_i64.pow(exponent as u32);
        format!("{}.{:0exponent$}", self.minor / scale, self.minor % scale)
    }
}

/// A stay as sent by a client or read from an intake file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StayInput {
    /// Which of the tenant's properties (hotel, resort) the stay was at.
    pub property: Option<String>,
    /// `YYYY-MM-DD` or `dd/mm/yyyy`. Required.
    pub check_in: Option<String>,
    /// On or after `check_in`.
    pub check_out: Option<String>,
    pub room_type: Option<String>,
    /// 1–100 people.
    pub party_size: Option<i64>,
    /// e.g. `walk_in`, `booking.com`, `agoda`, `phone`.
    pub booking_channel: Option<String>,
    /// Amount spent, decimal (`1500000`, `120.50`); needs `currency`.
    pub amount: Option<String>,
    /// ISO 4217 code, e.g. `VND`.
    pub currency: Option<String>,
    pub notes: Option<String>,
}

/// A validated stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayDetails {
    pub property: Option<String>,
    pub check_in: NaiveDate,
    pub check_out: Option<NaiveDate>,
    pub room_type: Option<String>,
    pub party_size: Option<i16>,
    pub booking_channel: Option<String>,
    pub amount: Option<Money>,
    pub notes: Option<String>,
}

/// A present, non-blank text cleaned and bounded; blank means absent.
pub(crate) fn optional_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.filter(|v| !v.trim().is_empty())?;
    errors.check(field, bounded_text(value, 1, max))
}

impl StayInput {
    /// Validates every field, reporting each error at its path.
    pub fn parse(&self) -> Result<StayDetails, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let property = optional_text(&mut errors, "property", self.property.as_deref(), 200);
        let check_in = errors
            .require(
                "check_in",
                self.check_in.as_deref().filter(|s| !s.trim().is_empty()),
            )
            .and_then(|text| errors.check("check_in", parse_date(text)));
        let check_out = self
            .check_out
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .and_then(|text| errors.check("check_out", parse_date(text)));
        if let (Some(check_in), Some(check_out)) = (check_in, check_out)
            && check_out < check_in
        {
            errors.push(
                FieldError::new("before_check_in", "Check-out cannot be before check-in.")
                    .at("check_out"),
            );
        }
        let room_type = optional_text(&mut errors, "room_type", self.room_type.as_deref(), 100);
        let party_size = self.party_size.and_then(|size| match i16::try_from(size) {
            Ok(size @ 1..=100) => Some(size),
            _ => {
                errors.push(
                    FieldError::new("out_of_range", "Party size must be 1–100.").at("party_size"),
                );
                None
            }
        });
        let booking_channel = optional_text(
            &mut errors,
            "booking_channel",
            self.booking_channel.as_deref(),
            100,
        );
        let amount = match (self.amount.as_deref(), self.currency.as_deref()) {
            (None, None) => None,
            (Some(amount), Some(currency)) => Money::parse(amount, currency)
                .map_err(|e| errors.push(e))
                .ok(),
            (Some(_), None) => {
                errors.push(
                    FieldError::new("required", "Give the amount's currency.").at("currency"),
                );
                None
            }
            (None, Some(_)) => {
                errors.push(FieldError::new("required", "Give the amount.").at("amount"));
                None
            }
        };
        let notes = optional_text(&mut errors, "notes", self.notes.as_deref(), 2000);
        match check_in {
            Some(check_in) if errors.is_empty() => Ok(StayDetails {
                property,
                check_in,
                check_out,
                room_type,
                party_size,
                booking_channel,
                amount,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

/// The care period of a guest with these stays (check-in, check-out): it
/// starts at the first check-in and lasts until one year after the latest
/// stay ended (its check-out, or its check-in when the check-out is not
/// known). A first stay thus starts a one-year period and every later stay
/// extends it. `None` without stays. 29 February plus a year is 28 February.
pub fn care_period(
    stays: impl IntoIterator<Item = (NaiveDate, Option<NaiveDate>)>,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut period: Option<(NaiveDate, NaiveDate)> = None;
    for (check_in, check_out) in stays {
        let last_day = check_out.unwrap_or(check_in);
        period = Some(match period {
            None => (check_in, last_day),
            Some((start, end)) => (start.min(check_in), end.max(last_day)),
        });
    }
    let (start, last_day) = period?;
    Some((start, last_day.checked_add_months(Months::new(12))?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn money_respects_currency_decimals() {
        let vnd = Money::parse("1 500 000", "vnd").unwrap();
        assert_eq!((vnd.minor, vnd.amount().as_str()), (1_500_000, "1500000"));
        let usd = Money::parse("120.5", "USD").unwrap();
        assert_eq!((usd.minor, usd.amount().as_str()), (12_050, "120.50"));
        assert_eq!(Money::parse("1.5", "VND").unwrap_err().field, "amount");
        assert_eq!(Money::parse("-3", "USD").unwrap_err().field, "amount");
        assert_eq!(Money::parse("3", "US").unwrap_err().field, "currency");
    }

    #[test]
    fn stays_validate_every_field() {
        let input = StayInput {
            check_in: Some("12/03/2026".into()),
            check_out: Some("2026-03-10".into()),
            party_size: Some(0),
            amount: Some("5".into()),
            ..StayInput::default()
        };
        let fields: Vec<String> = input
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["check_out", "party_size", "currency"]);
    }

    #[test]
    fn care_period_starts_with_the_first_stay_and_extends() {
        assert_eq!(care_period([]), None);
        assert_eq!(
            care_period([(date("2026-03-12"), Some(date("2026-03-15")))]),
            Some((date("2026-03-12"), date("2027-03-15")))
        );
        assert_eq!(
            care_period([
                (date("2026-03-12"), Some(date("2026-03-15"))),
                (date("2026-11-01"), None),
            ]),
            Some((date("2026-03-12"), date("2027-11-01")))
        );
        assert_eq!(
            care_period([(date("2028-02-29"), None)]),
            Some((date("2028-02-29"), date("2029-02-28")))
        );
    }
}
