//! XLSX: the first worksheet, read cell by cell with calamine's streaming
//! cell reader (the sheet is never loaded as a whole). The first row with a
//! value is the header. Dates stored as dates come out as `yyyy-mm-dd`,
//! whole numbers without a decimal part.

use std::io::{Read, Seek};

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use super::{Counted, FileError, Header, ReadError, SourceRow};

pub(super) fn read<R, F, E>(reader: R, sink: &mut Counted<F>) -> Result<(), ReadError<E>>
where
    R: Read + Seek,
    F: FnMut(SourceRow) -> Result<(), E>,
{
    let mut workbook: Xlsx<R> = Xlsx::new(reader).map_err(|e| malformed(&e))?;
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        return Err(FileError::NoHeader.into());
    };
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| malformed(&e))?;
    let mut header: Option<Header> = None;
    // The row being collected: its index and (column, text) cells.
    let mut current: Option<(u32, Vec<(usize, String)>)> = None;
    loop {
        let cell = cells.next_cell().map_err(|e| malformed(&e))?;
        let position = cell.as_ref().map(calamine::Cell::get_position);
        let finished = match (&current, position) {
            (Some((row, _)), Some((next_row, _))) => *row != next_row,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if finished && let Some((row, texts)) = current.take() {
            emit(&mut header, row, texts, sink)?;
        }
        let Some(cell) = cell else { break };
        let (row, column) = cell.get_position();
        let text = text(cell.get_value());
        let entry = current.get_or_insert_with(|| (row, Vec::new()));
        if !text.is_empty() {
            entry.1.push((column as usize, text));
        }
    }
    if header.is_none() {
        return Err(FileError::NoHeader.into());
    }
    Ok(())
}

/// Makes the header of the first non-blank row, a guest row of the others.
fn emit<F, E>(
    header: &mut Option<Header>,
    row: u32,
    texts: Vec<(usize, String)>,
    sink: &mut Counted<F>,
) -> Result<(), ReadError<E>>
where
    F: FnMut(SourceRow) -> Result<(), E>,
{
    match header {
        None => {
            if texts.is_empty() {
                return Ok(());
            }
            let width = texts.iter().map(|(c, _)| c + 1).max().unwrap_or(0);
            let mut names = vec![String::new(); width];
            for (column, text) in texts {
                names[column] = text;
            }
            *header = Some(Header::new(names)?);
        }
        Some(header) => {
            let cells = texts.iter().map(|(c, t)| (*c, t.as_str()));
            if let Some(raw) = header.row(u64::from(row) + 1, cells) {
                sink.send(Ok(raw))?;
            }
        }
    }
    Ok(())
}

/// The text of a cell as a person reads it.
fn text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        DataRef::Float(x) => x.to_string(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        DataRef::DateTime(dt) => dt.as_f64().to_string(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

fn malformed(error: &XlsxError) -> FileError {
    FileError::Malformed {
        format: "XLSX",
        detail: error.to_string(),
    }
}
