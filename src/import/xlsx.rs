//! xlsx through calamine: values and cell styles in one streaming pass per sheet.

use super::markings::{self, Mark};
use super::values::Value;
use super::{Book, Cell, Flow, Format, ImportError, Location, Row};
use calamine::{DataRef, Reader, Style, Xlsx, XlsxError};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// An open xlsx workbook.
pub(super) struct XlsxBook {
    file: PathBuf,
    book: Xlsx<BufReader<File>>,
    names: Vec<String>,
    /// The meaningful colours of each workbook style, by style id (computed once).
    paints: Option<Vec<(Option<Mark>, Option<Mark>)>>,
}

impl XlsxBook {
    /// Opens a workbook whose zip has already been checked.
    pub(super) fn open(path: &Path) -> Result<Self, ImportError> {
        let at = Location::file(path);
        let file = File::open(path).map_err(|source| ImportError::Io {
            at: at.clone(),
            source,
        })?;
        let book = Xlsx::new(BufReader::new(file)).map_err(|e| error(e, at))?;
        Ok(XlsxBook {
            file: path.to_path_buf(),
            names: book.sheet_names(),
            book,
            paints: None,
        })
    }
}

fn error(e: XlsxError, at: Location) -> ImportError {
    match e {
        XlsxError::Password => ImportError::Encrypted { at },
        XlsxError::Zip(z) => ImportError::Corrupt {
            at,
            detail: z.to_string(),
        },
        XlsxError::Io(source) => ImportError::Io { at, source },
        other => ImportError::Unreadable {
            at,
            detail: other.to_string(),
        },
    }
}

/// The marks a style carries: a visible yellow fill, a blue or red font.
fn paint(style: &Style) -> (Option<Mark>, Option<Mark>) {
    let fill = style
        .fill
        .as_ref()
        .filter(|f| f.is_visible())
        .and_then(|f| f.get_color())
        .and_then(|c| markings::fill(c.red, c.green, c.blue));
    let font = style
        .font
        .as_ref()
        .and_then(|f| f.color)
        .and_then(|c| markings::font(c.red, c.green, c.blue));
    (fill, font)
}

fn value(v: &DataRef<'_>) -> Option<Value> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(dt) if d.is_datetime() => Value::DateTime(dt),
            _ => Value::Number(d.as_f64()),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Error(e) => Value::Text(format!("#{e:?}")),
    })
}

impl Book for XlsxBook {
    fn format(&self) -> Format {
        Format::Xlsx
    }

    fn sheet_names(&self) -> Vec<String> {
        self.names.clone()
    }

    fn has_markings(&self) -> bool {
        true
    }

    fn visit(
        &mut self,
        index: usize,
        f: &mut dyn FnMut(Row) -> Result<Flow, ImportError>,
    ) -> Result<(), ImportError> {
        let name = self.names[index].clone();
        let at = Location::sheet(&self.file, Some(&name));
        let mut reader = match self.book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or a dialog sheet has no rows.
            Err(XlsxError::NotAWorksheet(_)) | Err(XlsxError::WorksheetNotFound(_)) => {
                return Ok(());
            }
            Err(e) => return Err(error(e, at)),
        };
        let paints = self
            .paints
            .get_or_insert_with(|| reader.styles().iter().map(paint).collect());
        let mut row = Row::default();
        loop {
            let next = reader
                .next_cell_with_style_id()
                .map_err(|e| error(e, at.clone().at_row(row.number.max(1))))?;
            let Some((cell, style)) = next else { break };
            let (r, c) = cell.get_position();
            let Some(value) = value(cell.get_value()) else {
                continue;
            };
            if r + 1 != row.number {
                if !row.cells.is_empty() && f(std::mem::take(&mut row))? == Flow::Stop {
                    return Ok(());
                }
                row.number = r + 1;
            }
            let (fill, font) = paints.get(style).copied().unwrap_or((None, None));
            row.cells.push(Cell {
                col: c,
                value,
                fill,
                font,
            });
        }
        if !row.cells.is_empty() {
            f(row)?;
        }
        Ok(())
    }
}
