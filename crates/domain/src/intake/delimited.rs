//! CSV in UTF-8, with or without a byte-order mark, separated by commas or
//! semicolons (Excel in a Vietnamese or European locale writes `;`): the
//! separator is whichever of the two occurs more often in the header line.

use std::io::{BufRead, BufReader, Read};

use super::{Counted, FileError, Header, ReadError, SourceRow};

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(super) fn read<R, F, E>(reader: R, sink: &mut Counted<F>) -> Result<(), ReadError<E>>
where
    R: Read,
    F: FnMut(SourceRow) -> Result<(), E>,
{
    let mut reader = BufReader::with_capacity(64 * 1024, LineFeeds::new(reader));
    let delimiter = sniff(&mut reader)?;
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut header: Option<Header> = None;
    loop {
        let more = csv
            .read_byte_record(&mut record)
            .map_err(|e| malformed(&e))?;
        if !more {
            break;
        }
        // The line the record starts on, the spreadsheet row unless an
        // earlier cell spans several lines: the reader is now on the line
        // after the record's own lines (every line ends with `\n` here).
        let inside: usize = record
            .iter()
            .map(|f| f.iter().filter(|b| **b == b'\n').count())
            .sum();
        let number = csv.position().line().saturating_sub(1 + inside as u64);
        let texts = texts(&record).ok_or(FileError::NotUtf8 { row: number })?;
        match &header {
            None => {
                if texts.iter().all(|t| t.trim().is_empty()) {
                    continue;
                }
                header = Some(Header::new(texts.iter().map(|t| (*t).to_owned()))?);
            }
            Some(header) => {
                if let Some(row) = header.row(number, texts.into_iter().enumerate()) {
                    sink.send(Ok(row))?;
                }
            }
        }
    }
    if header.is_none() {
        return Err(FileError::NoHeader.into());
    }
    Ok(())
}

/// Skips a byte-order mark and picks the separator from the first line.
fn sniff<R: Read>(reader: &mut BufReader<R>) -> Result<u8, FileError> {
    let buffer = reader.fill_buf().map_err(|e| FileError::Malformed {
        format: "CSV",
        detail: e.to_string(),
    })?;
    let skip = if buffer.starts_with(BOM) {
        BOM.len()
    } else {
        0
    };
    let line = buffer[skip..]
        .split(|b| *b == b'\n')
        .next()
        .unwrap_or_default();
    let count = |byte: u8| line.iter().filter(|b| **b == byte).count();
    let delimiter = if count(b';') > count(b',') {
        b';'
    } else {
        b','
    };
    reader.consume(skip);
    Ok(delimiter)
}

/// A reader that turns `\r\n` and lone `\r` line ends into `\n`, and
/// ends a last line that lacks one.
struct LineFeeds<R> {
    inner: R,
    /// The last byte read was `\r`: drop a `\n` that follows.
    after_cr: bool,
    /// The last byte handed out, `\n` before any.
    last: u8,
}

impl<R> LineFeeds<R> {
    fn new(inner: R) -> Self {
        LineFeeds {
            inner,
            after_cr: false,
            last: b'\n',
        }
    }
}

impl<R: Read> Read for LineFeeds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                if self.last == b'\n' || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = b'\n';
                self.last = b'\n';
                return Ok(1);
            }
            let mut out = 0;
            for i in 0..n {
                let byte = buf[i];
                let skip = byte == b'\n' && self.after_cr;
                self.after_cr = byte == b'\r';
                if !skip {
                    buf[out] = if byte == b'\r' { b'\n' } else { byte };
                    out += 1;
                }
            }
            if out > 0 {
                self.last = buf[out - 1];
                return Ok(out);
            }
        }
    }
}

fn texts(record: &csv::ByteRecord) -> Option<Vec<&str>> {
    record.iter().map(|f| std::str::from_utf8(f).ok()).collect()
}

fn malformed(error: &csv::Error) -> FileError {
    FileError::Malformed {
        format: "CSV",
        detail: error.to_string(),
    }
}
