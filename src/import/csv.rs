//! CSV: `;` or `,`, UTF-8 (with or without BOM) or Windows-1252, CRLF or LF. A CSV has
//! no colours, so no markings.

use super::values::Value;
use super::{Book, Cell, Flow, Format, ImportError, Location, Row};
use crate::config::Limits;
use std::path::{Path, PathBuf};

/// A decoded CSV file.
pub(super) struct CsvBook {
    file: PathBuf,
    text: String,
    separator: u8,
    encoding: &'static str,
}

impl CsvBook {
    /// Reads and decodes the whole file (bounded by `max_sheet_bytes`).
    pub(super) fn open(path: &Path, limits: &Limits) -> Result<Self, ImportError> {
        let at = Location::file(path);
        let io = |source| ImportError::Io {
            at: at.clone(),
            source,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if size > limits.max_sheet_bytes {
            return Err(ImportError::SheetTooLarge {
                at,
                part: "the CSV file".into(),
                limit: limits.max_sheet_bytes,
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        if bytes.contains(&0) {
            return Err(ImportError::NotASpreadsheet {
                at,
                detail: "a binary file, not CSV text".into(),
            });
        }
        let (text, encoding) = decode(bytes);
        let separator = separator(&text);
        Ok(CsvBook {
            file: path.to_path_buf(),
            text,
            separator,
            encoding,
        })
    }
}

/// UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else Windows-1252, what
/// French Excel writes with "CSV (séparateur : point-virgule)".
fn decode(bytes: Vec<u8>) -> (String, &'static str) {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(s) => (s, "UTF-8"),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// The separator that splits the first lines into the most fields, quotes respected.
fn separator(text: &str) -> u8 {
    let count = |sep: u8| -> usize {
        let mut n = 0;
        let mut quoted = false;
        let mut lines = 0;
        for b in text.bytes() {
            match b {
                b'"' => quoted = !quoted,
                b'\n' if !quoted => {
                    lines += 1;
                    if lines >= 30 {
                        break;
                    }
                }
                b if b == sep && !quoted => n += 1,
                _ => {}
            }
        }
        n
    };
    let candidates = [b';', b',', b'\t'];
    candidates
        .into_iter()
        .max_by_key(|s| count(*s))
        .unwrap_or(b';')
}

impl Book for CsvBook {
    fn format(&self) -> Format {
        Format::Csv
    }

    fn sheet_names(&self) -> Vec<String> {
        vec![String::new()]
    }

    fn has_markings(&self) -> bool {
        false
    }

    fn warnings(&self) -> Vec<String> {
        let sep = match self.separator {
            b';' => "semicolon",
            b',' => "comma",
            _ => "tab",
        };
        vec![format!(
            "{}: CSV file ({}, {sep}-separated): a CSV carries no colours, so no markings \
             (closed, new, changed) could be read",
            self.file.display(),
            self.encoding
        )]
    }

    fn visit(
        &mut self,
        _index: usize,
        f: &mut dyn FnMut(Row) -> Result<Flow, ImportError>,
    ) -> Result<(), ImportError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(self.text.as_bytes());
        let mut record = csv::StringRecord::new();
        let mut number = 0u32;
        loop {
            let more = reader
                .read_record(&mut record)
                .map_err(|e| ImportError::Unreadable {
                    at: Location::file(&self.file).at_row(number + 1),
                    detail: e.to_string(),
                })?;
            if !more {
                return Ok(());
            }
            // A spreadsheet shows one row per record, whatever line breaks a cell holds.
            number += 1;
            let cells: Vec<Cell> = record
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.trim().is_empty())
                .map(|(i, t)| Cell {
                    col: i as u32,
                    value: Value::Text(t.to_string()),
                    fill: None,
                    font: None,
                })
                .collect();
            if cells.is_empty() {
                continue;
            }
            if f(Row { number, cells })? == Flow::Stop {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_are_detected_outside_quotes() {
        assert_eq!(separator("a;b;c\n1;2;3\n"), b';');
        assert_eq!(separator("a,b,c\r\n1,2,3\r\n"), b',');
        assert_eq!(separator("\"a,b,c,d\";e;f\n"), b';');
    }

    #[test]
    fn encodings_are_detected() {
        let (t, e) = decode(b"\xEF\xBB\xBFIntitul\xC3\xA9".to_vec());
        assert_eq!((t.as_str(), e), ("Intitulé", "UTF-8"));
        let (t, e) = decode(b"Intitul\xE9 \x80".to_vec());
        assert_eq!((t.as_str(), e), ("Intitulé €", "Windows-1252"));
    }
}
