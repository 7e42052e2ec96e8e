//! From a file row to the guest registry's [`IntakeRecord`], or a
//! rejection that names the file's column and the reason.
//!
//! Cells are normalised the way front desks write them (Vietnamese genders,
//! country names, `1.500.000` amounts, several phones in one cell) and then
//! validated by the registry's own parsers ([`ProfileInput::parse`],
//! [`StayInput::parse`]), so a row is held to exactly the rules of
//! `POST /v1/guests`.

use std::sync::Arc;

use super::{Column, RawRow, values};
use crate::{
    Country, FieldError,
    guest::{ChatHandleInput, IntakeRecord, NationalIdInput, ProfileInput, StayInput},
};

/// Why a row was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The header(s) of the column(s) at fault as written in the file (a
    /// column's key such as `full_name` when the file lacks it).
    pub column: String,
    /// The first error's stable code, e.g. `invalid_date`, `required`.
    pub code: &'static str,
    /// Every error as a sentence; prefixed by its column when several.
    pub reason: String,
}

/// Fields that may be required although their cell is blank, with their
/// column.
const REQUIRED: [(&str, Column); 2] = [
    ("full_name", Column::FullName),
    ("stay.check_in", Column::CheckIn),
];

/// Columns that make a row carry a stay.
const STAY_COLUMNS: [Column; 6] = [
    Column::CheckIn,
    Column::CheckOut,
    Column::RoomType,
    Column::PartySize,
    Column::BookingChannel,
    Column::Amount,
];

/// Validates a row into an intake record; national phone numbers are read
/// in `tenant_country`, whose currency is assumed for amounts without one.
pub fn to_intake(row: &RawRow, tenant_country: Country) -> Result<IntakeRecord, Rejection> {
    let mut draft = Draft {
        row,
        sources: Vec::new(),
        errors: Vec::new(),
    };
    let has_stay = STAY_COLUMNS.iter().any(|c| row.get(*c).is_some());
    let profile_input = draft.profile(has_stay);
    let stay_input = has_stay.then(|| draft.stay(tenant_country));
    let profile = profile_input.parse(tenant_country);
    let stay = stay_input.map(|s| s.parse()).transpose();
    if let Err(errors) = &profile {
        draft.misfits(errors.errors(), "");
    }
    if let Err(errors) = &stay {
        draft.misfits(errors.errors(), "stay.");
    }
    match (profile, stay) {
        (Ok(profile), Ok(stay)) if draft.errors.is_empty() => Ok(IntakeRecord { profile, stay }),
        _ => Err(draft.rejection()),
    }
}

struct Draft<'r> {
    row: &'r RawRow,
    /// Which header each field path was read from.
    sources: Vec<(String, Arc<str>)>,
    /// Errors found, with the header they belong to.
    errors: Vec<(String, FieldError)>,
}

impl Draft<'_> {
    /// The first value of `column`, remembered as the source of `path`.
    fn take(&mut self, column: Column, path: &str) -> Option<String> {
        let cell = self.row.get(column)?;
        self.sources.push((path.to_owned(), cell.header.clone()));
        Some(cell.value.clone())
    }

    /// Every value of `column`, split on `separators`, each remembered as
    /// the source of `path[i]` from `start`.
    fn split(
        &mut self,
        column: Column,
        separators: &[char],
        path: &str,
        start: usize,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for cell in self.row.all(column) {
            for part in cell
                .value
                .split(separators)
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let index = start + out.len();
                self.sources
                    .push((format!("{path}[{index}]"), cell.header.clone()));
                out.push(part.to_owned());
            }
        }
        out
    }

    /// A value through a normaliser; a failure is recorded at the cell's
    /// header and the value dropped.
    fn normalised<T>(
        &mut self,
        column: Column,
        path: &str,
        normalise: impl Fn(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        let text = self.take(column, path)?;
        match normalise(&text) {
            Ok(value) => Some(value),
            Err(error) => {
                let header = self.header_of(path);
                self.errors.push((header, error));
                None
            }
        }
    }

    fn profile(&mut self, has_stay: bool) -> ProfileInput {
        let national_id = self
            .take(Column::NationalId, "national_id")
            .map(|number| NationalIdInput {
                kind: document_kind(&number).to_owned(),
                number,
            })
            .or_else(|| {
                self.take(Column::Passport, "national_id")
                    .map(|number| NationalIdInput {
                        kind: "passport".to_owned(),
                        number,
                    })
            });
        let mut chat_handles = Vec::new();
        for (column, kind) in [
            (Column::Zalo, "zalo"),
            (Column::Facebook, "facebook"),
            (Column::WhatsApp, "whatsapp"),
            (Column::WeChat, "wechat"),
            (Column::Line, "line"),
            (Column::Skype, "skype"),
        ] {
            let start = chat_handles.len();
            for handle in self.split(column, &[',', ';'], "chat_handles", start) {
                chat_handles.push(ChatHandleInput {
                    kind: kind.to_owned(),
                    handle,
                });
            }
        }
        let phones = self.split(Column::Phone, &[',', ';', '/'], "phones", 0);
        let tags = self.split(Column::Tags, &[',', ';'], "tags", 0);
        ProfileInput {
            full_name: self.take(Column::FullName, "full_name"),
            national_id,
            birth_date: self.take(Column::BirthDate, "birth_date"),
            gender: self
                .normalised(Column::Gender, "gender", values::parse_gender)
                .map(str::to_owned),
            hometown: self.take(Column::Hometown, "hometown"),
            permanent_address: self.take(Column::Address, "permanent_address"),
            current_address: self.take(Column::Residence, "current_address"),
            phones: (!phones.is_empty()).then_some(phones),
            email: self.take(Column::Email, "email"),
            chat_handles: (!chat_handles.is_empty()).then_some(chat_handles),
            occupation: self.take(Column::Occupation, "occupation"),
            workplace: self.take(Column::Workplace, "workplace"),
            nationality: self
                .take(Column::Nationality, "nationality")
                .map(|n| values::normalise_nationality(&n)),
            language: self.take(Column::Language, "language"),
            notes: if has_stay {
                None
            } else {
                self.take(Column::Notes, "notes")
            },
            tags: (!tags.is_empty()).then_some(tags),
            ..ProfileInput::default()
        }
    }

    fn stay(&mut self, tenant_country: Country) -> StayInput {
        let amount = self.normalised(Column::Amount, "stay.amount", values::normalise_amount);
        let currency = self
            .normalised(Column::Currency, "stay.currency", values::parse_currency)
            .or_else(|| amount.as_ref().and_then(|_| home_currency(tenant_country)));
        let party_size = self.normalised(Column::PartySize, "stay.party_size", |text| {
            text.trim().parse::<i64>().map_err(|_| {
                FieldError::new("invalid_party_size", "Write the number of guests, e.g. 2.")
            })
        });
        StayInput {
            check_in: self.take(Column::CheckIn, "stay.check_in"),
            check_out: self.take(Column::CheckOut, "stay.check_out"),
            room_type: self.take(Column::RoomType, "stay.room_type"),
            party_size,
            booking_channel: self.take(Column::BookingChannel, "stay.booking_channel"),
            amount,
            currency,
            notes: self.take(Column::Notes, "stay.notes"),
            ..StayInput::default()
        }
    }

    /// Records the registry parser's errors (paths under `prefix`).
    fn misfits(&mut self, errors: &[FieldError], prefix: &str) {
        for error in errors {
            let path = format!("{prefix}{}", error.field);
            let header = self.header_of(&path);
            self.errors.push((header, error.clone()));
        }
    }

    /// The header a field path was read from: the longest source path that
    /// is the path or a parent of it; else the file's header of the field's
    /// column; else the field's name.
    fn header_of(&self, path: &str) -> String {
        let parent_of = |source: &str| {
            path == source
                || path
                    .strip_prefix(source)
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        };
        self.sources
            .iter()
            .filter(|(source, _)| parent_of(source))
            .max_by_key(|(source, _)| source.len())
            .map(|(_, header)| header.to_string())
            .or_else(|| {
                let column = REQUIRED.iter().find(|(p, _)| *p == path)?.1;
                self.row.header(column).map(str::to_owned)
            })
            .unwrap_or_else(|| path.trim_start_matches("stay.").to_owned())
    }

    fn rejection(self) -> Rejection {
        let mut columns: Vec<&str> = Vec::new();
        for (header, _) in &self.errors {
            if !columns.contains(&header.as_str()) {
                columns.push(header);
            }
        }
        let reason = match self.errors.as_slice() {
            [(_, only)] => only.message.clone(),
            many => many
                .iter()
                .map(|(header, e)| format!("{header}: {}", e.message))
                .collect::<Vec<_>>()
                .join("; "),
        };
        Rejection {
            column: columns.join(", "),
            code: self.errors.first().map_or("invalid_row", |(_, e)| e.code),
            reason,
        }
    }
}

/// The document a number in an ID column is: 12 digits a CCCD, 9 digits a
/// CMND, letters and digits a passport (foreign guests' numbers are often
/// written in the same column), anything else `other`.
fn document_kind(number: &str) -> &'static str {
    let compact: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let digits = compact.chars().all(|c| c.is_ascii_digit());
    match (digits, compact.len()) {
        (true, 12) => "cccd",
        (true, 9) => "cmnd",
        (false, _) => "passport",
        _ => "other",
    }
}

/// The currency assumed for amounts without one.
fn home_currency(country: Country) -> Option<String> {
    match country.as_str() {
        "VN" => Some("VND".to_owned()),
        "TW" => Some("TWD".to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
