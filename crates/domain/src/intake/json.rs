//! A JSON array of objects, one guest each, streamed element by element
//! with a serde `SeqAccess` visitor: only the current object is in memory.
//! Keys are headers like any other (`full_name`, `Họ tên`, `Phone`); an
//! array value (`"phones": ["…", "…"]`) gives several cells of its column.

use std::{collections::HashMap, fmt, io::Read, sync::Arc};

use serde::de::{self, Deserializer as _, SeqAccess, Visitor};
use serde_json::Value;

use super::{BadRow, Cell, Column, Counted, FileError, RawRow, ReadError, SourceRow};

pub(super) fn read<R, F, E>(reader: R, sink: &mut Counted<F>) -> Result<(), ReadError<E>>
where
    R: Read,
    F: FnMut(SourceRow) -> Result<(), E>,
{
    let mut deserializer = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let mut rows = Rows {
        sink,
        keys: HashMap::new(),
        failed: None,
    };
    let result = (&mut deserializer).deserialize_seq(&mut rows);
    if let Some(error) = rows.failed.take() {
        return Err(error);
    }
    result
        .and_then(|()| deserializer.end())
        .map_err(|e| malformed(&e).into())
}

struct Rows<'s, F, E> {
    sink: &'s mut Counted<F>,
    /// Each key seen, cleaned, with its column.
    keys: HashMap<String, (Arc<str>, Option<Column>)>,
    /// The sink's error, kept while serde unwinds with a placeholder.
    failed: Option<ReadError<E>>,
}

impl<'de, F, E> Visitor<'de> for &mut Rows<'_, F, E>
where
    F: FnMut(SourceRow) -> Result<(), E>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of guest objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut number = 0_u64;
        while let Some(element) = seq.next_element::<Element>()? {
            number += 1;
            let row = match element {
                Element::Object(entries) => match self.row(number, entries) {
                    Some(row) => Ok(row),
                    None => continue,
                },
                Element::Other => Err(BadRow {
                    number,
                    reason: "This element is not a JSON object.".to_owned(),
                }),
            };
            if let Err(error) = self.sink.send(row) {
                self.failed = Some(error);
                return Err(de::Error::custom("stopped by the row consumer"));
            }
        }
        Ok(())
    }
}

impl<F, E> Rows<'_, F, E> {
    fn row(&mut self, number: u64, object: Vec<(String, Value)>) -> Option<RawRow> {
        let mut row = RawRow {
            number,
            cells: Vec::new(),
            raw: Vec::new(),
            headers: Arc::from([]),
        };
        for (key, value) in object {
            let (header, column) = self
                .keys
                .entry(key)
                .or_insert_with_key(|key| {
                    let header: Arc<str> = Arc::from(crate::text::clean(key));
                    let column = Column::from_header(&header);
                    (header, column)
                })
                .clone();
            let values = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            for value in values {
                let text = match value {
                    Value::Null => continue,
                    Value::String(s) => s.trim().to_owned(),
                    other => other.to_string(),
                };
                if text.is_empty() {
                    continue;
                }
                row.raw.push((header.clone(), text.clone()));
                if let Some(column) = column {
                    row.cells.push(Cell {
                        column,
                        header: header.clone(),
                        value: text,
                    });
                }
            }
        }
        (!row.raw.is_empty()).then_some(row)
    }
}

/// One array element: a guest object's entries in file order, or anything
/// else.
enum Element {
    Object(Vec<(String, Value)>),
    Other,
}

impl<'de> de::Deserialize<'de> for Element {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Element, D::Error> {
        deserializer.deserialize_any(ElementVisitor)
    }
}

struct ElementVisitor;

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = Element;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a guest object")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(Element::Object(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Element::Other)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Element, E> {
        Ok(Element::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Element, E> {
        Ok(Element::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Element, E> {
        Ok(Element::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Element, E> {
        Ok(Element::Other)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Element, E> {
        Ok(Element::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Element, E> {
        Ok(Element::Other)
    }
}

fn malformed(error: &serde_json::Error) -> FileError {
    FileError::Malformed {
        format: "JSON array",
        detail: error.to_string(),
    }
}
