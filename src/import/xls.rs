//! Old Excel workbooks (`.xls`, BIFF8) through calamine: values only. The format keeps
//! colours in its own records, which calamine does not expose: the file gets a warning
//! saying its markings (closed, new, changed) could not be read.

use super::values::Value;
use super::{Book, Cell, Flow, Format, ImportError, Location, Row};
use calamine::{Data, Range, Reader, Xls, XlsError};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// An open `.xls` workbook.
pub(super) struct XlsBook {
    file: PathBuf,
    book: Xls<BufReader<File>>,
    names: Vec<String>,
}

impl XlsBook {
    /// Opens the workbook (an OLE file that is not an encrypted OOXML one).
    pub(super) fn open(path: &Path) -> Result<Self, ImportError> {
        let at = Location::file(path);
        let file = File::open(path).map_err(|source| ImportError::Io {
            at: at.clone(),
            source,
        })?;
        // calamine's compound-file reader indexes sector tables without bounds checks
        // on some damaged files: a panic there is a damaged file, not a crash of the run.
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Xls::new(BufReader::new(file))
        }));
        let book = match opened {
            Ok(book) => book.map_err(|e| error(e, at))?,
            Err(_) => {
                return Err(ImportError::Corrupt {
                    at,
                    detail: "old Excel workbook (.xls) whose structure cannot be read".into(),
                });
            }
        };
        Ok(XlsBook {
            file: path.to_path_buf(),
            names: book.sheet_names(),
            book,
        })
    }
}

fn error(e: XlsError, at: Location) -> ImportError {
    match e {
        XlsError::Password => ImportError::Encrypted { at },
        XlsError::Io(source) => ImportError::Io { at, source },
        other => ImportError::Corrupt {
            at,
            detail: format!("old Excel workbook (.xls): {other}"),
        },
    }
}

fn value(v: &Data) -> Option<Value> {
    Some(match v {
        Data::Empty => return None,
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) if d.is_datetime() => Value::DateTime(dt),
            _ => Value::Number(d.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Text(format!("#{e:?}")),
    })
}

impl Book for XlsBook {
    fn format(&self) -> Format {
        Format::Xls
    }

    fn sheet_names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn has_markings(&self) -> bool {
        false
    }

    fn warnings(&self) -> Vec<String> {
        vec![format!(
            "{}: old Excel 97-2003 workbook (.xls): its values were read, but not its \
             colours (closed in yellow, new in blue, changed in red); save it as .xlsx \
             to keep them",
            self.file.display()
        )]
    }

    fn visit(
        &mut self,
        index: usize,
        f: &mut dyn FnMut(Row) -> Result<Flow, ImportError>,
    ) -> Result<(), ImportError> {
        let name = self.names[index].clone();
        let at = Location::sheet(&self.file, Some(&name));
        let range: Range<Data> = self.book.worksheet_range(&name).map_err(|e| error(e, at))?;
        let Some((first_row, first_col)) = range.start() else {
            return Ok(());
        };
        for (i, cells) in range.rows().enumerate() {
            let cells: Vec<Cell> = cells
                .iter()
                .enumerate()
                .filter_map(|(j, v)| {
                    Some(Cell {
                        col: first_col + j as u32,
                        value: value(v)?,
                        fill: None,
                        font: None,
                    })
                })
                .collect();
            if cells.is_empty() {
                continue;
            }
            let row = Row {
                number: first_row + i as u32 + 1,
                cells,
            };
            if f(row)? == Flow::Stop {
                break;
            }
        }
        Ok(())
    }
}
