//! xlsx through calamine: values and cell styles in one streaming pass per sheet.

use super::file::Unpacked;
use super::markings::{self, Mark};
use super::runs;
use super::values::Value;
use super::{Book, Cell, Flow, Format, ImportError, Location, Row};
use calamine::{DataRef, Reader, Style, Xlsx, XlsxError};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};

/// Where the archive is read from: its unpacked copy in memory, else the file.
enum Source {
    Memory(Cursor<Unpacked>),
    File(BufReader<File>),
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::Memory(c) => c.read(buf),
            Source::File(f) => f.read(buf),
        }
    }
}

impl Seek for Source {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        match self {
            Source::Memory(c) => c.seek(pos),
            Source::File(f) => f.seek(pos),
        }
    }
}

/// An open xlsx workbook.
pub(super) struct XlsxBook {
    file: PathBuf,
    book: Xlsx<Source>,
    /// The archive unpacked by the check, when it was.
    unpacked: Option<Unpacked>,
    names: Vec<String>,
    /// The meaningful colours of each workbook style, by style id (computed once).
    paints: Option<Vec<(Option<Mark>, Option<Mark>)>>,
    /// Sheet names with the path of their part in the zip.
    parts: Vec<(String, String)>,
    /// Largest part read (`max_sheet_bytes`).
    max_bytes: u64,
    /// Marks of the rich-text runs of each shared string (read once).
    shared_runs: Option<HashMap<u32, Mark>>,
    /// Whether the sheets may hold inline strings (the workbook has no shared ones).
    inline_possible: bool,
    /// Marks of the runs of each sheet's cells, read once per sheet.
    run_cache: HashMap<String, HashMap<(u32, u32), Mark>>,
}

impl XlsxBook {
    /// Opens a workbook whose zip has already been checked; `parts` names each sheet's
    /// part.
    pub(super) fn open(
        path: &Path,
        parts: Vec<(String, String)>,
        max_bytes: u64,
        unpacked: Option<Unpacked>,
    ) -> Result<Self, ImportError> {
        let at = Location::file(path);
        let book = Xlsx::new(Self::source(path, unpacked.as_ref())?).map_err(|e| error(e, at))?;
        Ok(XlsxBook {
            file: path.to_path_buf(),
            unpacked,
            names: book.sheet_names(),
            book,
            paints: None,
            parts,
            max_bytes,
            shared_runs: None,
            inline_possible: false,
            run_cache: HashMap::new(),
        })
    }

    fn source(path: &Path, unpacked: Option<&Unpacked>) -> Result<Source, ImportError> {
        Ok(match unpacked {
            Some(u) => Source::Memory(Cursor::new(u.clone())),
            None => Source::File(BufReader::new(File::open(path).map_err(|source| {
                ImportError::Io {
                    at: Location::file(path),
                    source,
                }
            })?)),
        })
    }

    /// One part of the zip, bounded; `None` when absent.
    fn part(&self, name: &str) -> Result<Option<Vec<u8>>, ImportError> {
        let source = Self::source(&self.file, self.unpacked.as_ref())?;
        let mut zip = super::file::zip_of(source, &self.file)?;
        let entry = match zip.by_name(name) {
            Ok(e) => e,
            Err(_) => return Ok(None),
        };
        let mut out = Vec::new();
        entry
            .take(self.max_bytes)
            .read_to_end(&mut out)
            .map_err(|e| ImportError::Corrupt {
                at: Location::file(&self.file),
                detail: format!("{name}: {e}"),
            })?;
        Ok(Some(out))
    }

    /// The cells of sheet `name` whose text has a red or blue run.
    fn run_marks(&mut self, name: &str) -> Result<HashMap<(u32, u32), Mark>, ImportError> {
        let corrupt = |part: &str, e: quick_xml::Error| ImportError::Corrupt {
            at: Location::sheet(&self.file, Some(name)),
            detail: format!("{part}: {e}"),
        };
        if self.shared_runs.is_none() {
            let shared = match self.part("xl/sharedStrings.xml")? {
                Some(xml) => {
                    // Programs that write inline strings write no shared ones: only then
                    // is a sheet worth scanning for inline runs.
                    self.inline_possible = !xml.windows(3).any(|w| w == b"<si");
                    runs::shared_strings(&xml).map_err(|e| corrupt("xl/sharedStrings.xml", e))?
                }
                None => {
                    self.inline_possible = true;
                    HashMap::new()
                }
            };
            self.shared_runs = Some(shared);
        }
        if self.shared_runs.as_ref().is_some_and(HashMap::is_empty) && !self.inline_possible {
            // Neither shared rich strings with a coloured run nor inline strings: the
            // sheet is not read a second time.
            return Ok(HashMap::new());
        }
        let Some(part) = self
            .parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p.clone())
        else {
            return Ok(HashMap::new());
        };
        let Some(sheet) = self.part(&part)? else {
            return Ok(HashMap::new());
        };
        let shared = self.shared_runs.as_ref().expect("read above");
        if shared.is_empty() && !runs::has_inline_runs(&sheet) {
            return Ok(HashMap::new());
        }
        runs::sheet_cells(&sheet, shared).map_err(|e| corrupt(&part, e))
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
        // Coloured runs inside cells (part of a text typed in red) are read apart.
        if !self.run_cache.contains_key(&name) {
            let marks = self.run_marks(&name)?;
            self.run_cache.insert(name.clone(), marks);
        }
        let run_marks = self.run_cache.get(&name).cloned().unwrap_or_default();
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
            let (fill, mut font) = paints.get(style).copied().unwrap_or((None, None));
            match run_marks.get(&(r, c)) {
                Some(Mark::Red) => font = Some(Mark::Red),
                Some(m) if font.is_none() => font = Some(*m),
                _ => {}
            }
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
