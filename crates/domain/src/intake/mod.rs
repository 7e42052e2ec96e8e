//! Reading guest intake files: a front desk's daily CSV, an XLSX export, or
//! a JSON array from a PMS.
//!
//! Every reader streams: it hands rows one at a time to a sink and never
//! holds more than one row, so a file of 100 000 rows costs the memory of
//! one. Headers are mapped to [`Column`]s by Vietnamese and English aliases
//! ([`columns`]); cell values stay text here and are parsed into a guest
//! record by the record conversion, which rejects a row with the column and
//! the reason.
//!
//! Row numbers are what a person sees: for CSV and XLSX the spreadsheet row
//! (the header is row 1, so the first guest is row 2), for JSON the position
//! in the array counting from 1. Rows whose cells are all empty are skipped.

pub mod columns;
mod delimited;
mod json;
pub mod record;
mod spreadsheet;
pub mod values;

use std::{
    io::{Read, Seek},
    sync::Arc,
};

pub use columns::Column;
pub use record::{Rejection, to_intake};

/// The kind of file uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    pub const XLSX_CONTENT_TYPE: &str =
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// The format of a `Content-Type` (parameters such as `charset` ignored).
    pub fn from_content_type(content_type: &str) -> Option<Format> {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "text/csv" => Some(Format::Csv),
            Self::XLSX_CONTENT_TYPE => Some(Format::Xlsx),
            "application/json" => Some(Format::Json),
            _ => None,
        }
    }

    /// `csv`, `xlsx` or `json`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
        }
    }

    /// The format stored as [`Format::as_str`].
    pub fn parse(stored: &str) -> Option<Format> {
        [Format::Csv, Format::Xlsx, Format::Json]
            .into_iter()
            .find(|f| f.as_str() == stored)
    }
}

/// One cell of a row: the column it maps to, the header as written in the
/// file (for error reports) and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub column: Column,
    pub header: Arc<str>,
    pub value: String,
}

/// One row of an intake file, with only the cells of known columns that are
/// not blank. A column may appear more than once (two phone columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub number: u64,
    pub cells: Vec<Cell>,
    /// Every non-empty cell as written (header, text), known columns or not,
    /// for the error report of a rejected row.
    pub raw: Vec<(Arc<str>, String)>,
    /// The file's header of each known column, shared by all rows (empty
    /// for JSON, whose objects name their own keys): how a rejection names
    /// a column left blank.
    pub headers: Arc<[(Column, Arc<str>)]>,
}

impl RawRow {
    /// The first value of `column`.
    pub fn get(&self, column: Column) -> Option<&Cell> {
        self.cells.iter().find(|c| c.column == column)
    }

    /// The file's header for `column`, if the file has that column.
    pub fn header(&self, column: Column) -> Option<&str> {
        self.headers
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, h)| h.as_ref())
    }

    /// Every value of `column`, in file order.
    pub fn all(&self, column: Column) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(move |c| c.column == column)
    }
}

/// A row the reader could not make into cells (a JSON element that is not
/// an object): rejected as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub number: u64,
    pub reason: String,
}

/// What a reader hands to its sink.
pub type SourceRow = Result<RawRow, BadRow>;

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file has no header row")]
    NoHeader,
    #[error("no column of the header is known; name them e.g. `Họ tên`, `Ngày sinh`, `Full name`")]
    NoKnownColumn,
    #[error("row {row} is not UTF-8 text; save the file as “CSV UTF-8”")]
    NotUtf8 { row: u64 },
    #[error("the file is not a valid {format}: {detail}")]
    Malformed {
        format: &'static str,
        detail: String,
    },
}

/// Why reading stopped: the file, or the sink's own error.
#[derive(Debug, thiserror::Error)]
pub enum ReadError<E> {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("the row consumer failed")]
    Sink(E),
}

/// Reads `reader` as `format`, calling `sink` with each non-blank row in
/// order; returns how many rows it handed over. The sink's first error
/// stops reading.
pub fn read_rows<R, E>(
    format: Format,
    reader: R,
    sink: impl FnMut(SourceRow) -> Result<(), E>,
) -> Result<u64, ReadError<E>>
where
    R: Read + Seek,
{
    let mut sink = Counted { sink, count: 0 };
    match format {
        Format::Csv => delimited::read(reader, &mut sink)?,
        Format::Xlsx => spreadsheet::read(reader, &mut sink)?,
        Format::Json => json::read(reader, &mut sink)?,
    }
    Ok(sink.count)
}

/// Counts the rows of a file without keeping any.
pub fn count_rows<R: Read + Seek>(format: Format, reader: R) -> Result<u64, FileError> {
    read_rows(format, reader, |_| Ok::<(), std::convert::Infallible>(())).map_err(|e| match e {
        ReadError::File(file) => file,
        ReadError::Sink(never) => match never {},
    })
}

/// A sink that counts what passes through it.
struct Counted<F> {
    sink: F,
    count: u64,
}

impl<F> Counted<F> {
    fn send<E>(&mut self, row: SourceRow) -> Result<(), ReadError<E>>
    where
        F: FnMut(SourceRow) -> Result<(), E>,
    {
        self.count += 1;
        (self.sink)(row).map_err(ReadError::Sink)
    }
}

/// Maps a header row to columns once, then builds rows from cell texts.
struct Header {
    names: Vec<Arc<str>>,
    columns: Vec<Option<Column>>,
    known: Arc<[(Column, Arc<str>)]>,
}

impl Header {
    fn new(names: impl IntoIterator<Item = String>) -> Result<Header, FileError> {
        let names: Vec<Arc<str>> = names
            .into_iter()
            .map(|n| Arc::from(crate::text::clean(n.trim_start_matches('\u{feff}'))))
            .collect();
        let columns: Vec<Option<Column>> = names.iter().map(|n| Column::from_header(n)).collect();
        let known: Arc<[(Column, Arc<str>)]> = columns
            .iter()
            .zip(&names)
            .filter_map(|(column, name)| column.map(|c| (c, name.clone())))
            .collect();
        if known.is_empty() {
            return Err(FileError::NoKnownColumn);
        }
        Ok(Header {
            names,
            columns,
            known,
        })
    }

    /// The row of `cells` (cell index, text), or `None` if all are blank.
    fn row<'a>(
        &self,
        number: u64,
        cells: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> Option<RawRow> {
        let mut row = RawRow {
            number,
            cells: Vec::new(),
            raw: Vec::new(),
            headers: self.known.clone(),
        };
        for (index, text) in cells {
            let value = text.trim();
            if value.is_empty() {
                continue;
            }
            let Some(name) = self.names.get(index) else {
                continue;
            };
            row.raw.push((name.clone(), value.to_owned()));
            if let Some(Some(column)) = self.columns.get(index) {
                row.cells.push(Cell {
                    column: *column,
                    header: name.clone(),
                    value: value.to_owned(),
                });
            }
        }
        (!row.raw.is_empty()).then_some(row)
    }
}

#[cfg(test)]
mod tests;
