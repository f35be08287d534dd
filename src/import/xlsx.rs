//! xlsx: values and cell styles in one pass per sheet. A sheet held in memory (the
//! unpacked copy the check made) is scanned straight from its XML
//! ([`super::sheet_xml`]); calamine's streaming reader reads the others, and any sheet
//! from the first cell the scan does not take.

use super::file::{SHARED_STRINGS, Unpacked, in_copy};
use super::markings::{self, Mark};
use super::runs;
use super::sheet_xml::{self, Cells, Shown, Workbook};
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
    /// The shared strings for the scan, read once; `None` inside when the scan cannot
    /// take them.
    strings: Option<Option<sheet_xml::SharedStrings>>,
    /// How each style shows numbers (computed once).
    shown: Option<Vec<Shown>>,
    /// Whether sheets held in memory are scanned (the tests turn it off to compare).
    scan: bool,
    /// Whether `book` was opened without the shared strings (they were set aside in
    /// the unpacked copy): calamine is then opened again on the file before it reads
    /// a sheet itself.
    book_without_strings: bool,
    #[cfg(test)]
    fell_back: bool,
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
        let book_without_strings = unpacked
            .as_ref()
            .is_some_and(|u| stored_in(u, SHARED_STRINGS).is_some());
        Ok(XlsxBook {
            book_without_strings,
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
            strings: None,
            shown: None,
            scan: true,
            #[cfg(test)]
            fell_back: false,
        })
    }

    /// Where the part `name` lies in the unpacked copy (its entries are stored).
    fn stored(&self, name: &str) -> Option<std::ops::Range<usize>> {
        stored_in(self.unpacked.as_ref()?, name)
    }

    /// calamine's workbook opened on the file itself, shared strings and all (the
    /// unpacked copy set them aside).
    fn open_with_strings(file: &Path) -> Result<Xlsx<Source>, ImportError> {
        Xlsx::new(Self::source(file, None)?).map_err(|e| error(e, Location::file(file)))
    }

    /// The part of sheet `name` in memory and the shared strings, when the sheet can be
    /// scanned.
    fn scannable(&mut self, name: &str) -> Option<std::ops::Range<usize>> {
        if !self.scan {
            return None;
        }
        let part = self.parts.iter().find(|(n, _)| n == name)?.1.clone();
        let sheet = self.stored(&part)?;
        if self.strings.is_none() {
            let strings = match self.stored(SHARED_STRINGS) {
                Some(range) => {
                    let unpacked = self.unpacked.as_ref()?.as_ref();
                    sheet_xml::shared_strings(&unpacked[range]).ok()
                }
                // Every part is stored in the copy: none of that name. A shared string
                // cell, if any, is left to calamine (which also finds the part named in
                // another case).
                None => Some(sheet_xml::SharedStrings::default()),
            };
            self.strings = Some(strings);
        }
        self.strings.as_ref()?.as_ref()?;
        Some(sheet)
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
        let name = match self.unpacked {
            Some(_) => in_copy(name),
            None => name,
        };
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
            let shared = self.with_part(SHARED_STRINGS, |xml| {
                // Programs that write inline strings write no shared ones: only then
                // is a sheet worth scanning for inline runs.
                let inline_possible = memchr::memmem::find(xml, b"<si").is_none();
                (inline_possible, runs::shared_strings(xml))
            })?;
            let shared = match shared {
                Some((inline_possible, runs)) => {
                    self.inline_possible = inline_possible;
                    runs.map_err(|e| corrupt("xl/sharedStrings.xml", e))?
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
        let shared = self.shared_runs.as_ref().expect("read above");
        let marks = self.with_part(&part, |sheet| {
            if shared.is_empty() && !runs::has_inline_runs(sheet) {
                return Ok(HashMap::new());
            }
            runs::sheet_cells(sheet, shared)
        })?;
        marks
            .unwrap_or_else(|| Ok(HashMap::new()))
            .map_err(|e| corrupt(&part, e))
    }

    /// `f` of the part `name`, read in place from the unpacked copy when there is one;
    /// `None` when absent.
    fn with_part<T>(
        &self,
        name: &str,
        f: impl FnOnce(&[u8]) -> T,
    ) -> Result<Option<T>, ImportError> {
        if let (Some(range), Some(unpacked)) = (self.stored(name), self.unpacked.as_ref()) {
            return Ok(Some(f(&unpacked.as_ref()[range])));
        }
        Ok(self.part(name)?.map(|bytes| f(&bytes)))
    }
}

/// Where the part `name` lies in the unpacked copy `unpacked`.
fn stored_in(unpacked: &Unpacked, name: &str) -> Option<std::ops::Range<usize>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(unpacked.as_ref())).ok()?;
    let entry = zip.by_name(in_copy(name)).ok()?;
    if entry.compression() != zip::CompressionMethod::Stored {
        return None;
    }
    let start = usize::try_from(entry.data_start()?).ok()?;
    let end = start.checked_add(usize::try_from(entry.size()).ok()?)?;
    (end <= unpacked.as_ref().len()).then_some(start..end)
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

    fn rows_hint(&mut self, index: usize) -> Option<u32> {
        let name = self.names.get(index)?.clone();
        let range = self.scannable(&name)?;
        let unpacked = self.unpacked.as_ref()?.as_ref();
        // No more rows than the sheet's bytes can hold (a row and a cell take 32 and
        // more): a crafted dimension of a million rows makes no room for them.
        let most = u32::try_from(range.len() / 32).unwrap_or(u32::MAX);
        sheet_xml::declared_last_row(&unpacked[range]).map(|last| last.min(most))
    }

    #[cfg(test)]
    fn without_scan(&mut self) {
        self.scan = false;
    }

    #[cfg(test)]
    fn fell_back(&self) -> bool {
        self.fell_back
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
        let sheet = self.scannable(&name);
        let unpacked = self.unpacked.clone();
        let is_1904 = self.book.has_1904_epoch();
        // The sheet's kind and the workbook's styles, from calamine's reader of it.
        {
            let reader = match self.book.worksheet_cells_reader(&name) {
                Ok(r) => r,
                // A chart sheet or a dialog sheet has no rows.
                Err(XlsxError::NotAWorksheet(_)) | Err(XlsxError::WorksheetNotFound(_)) => {
                    return Ok(());
                }
                Err(e) => return Err(error(e, at)),
            };
            if self.paints.is_none() {
                self.paints = Some(reader.styles().iter().map(paint).collect());
            }
            if sheet.is_some() && self.shown.is_none() {
                self.shown = Some(reader.styles().iter().map(sheet_xml::shown).collect());
            }
        }
        let mut rows = Rows {
            row: Row::default(),
            f,
            seen: 0,
            handed: 0,
            paints: self.paints.as_deref().expect("read above"),
            run_marks: &run_marks,
        };
        // The cells calamine need not read again: those of the rows the scan handed over.
        let mut skip = 0;
        if let Some(range) = sheet {
            let book = Workbook {
                strings: self
                    .strings
                    .as_ref()
                    .and_then(Option::as_ref)
                    .expect("read by scannable"),
                shown: self.shown.as_deref().expect("read above"),
                is_1904,
            };
            let unpacked = unpacked.expect("a stored sheet is in the unpacked copy");
            if let Ok(mut cells) = Cells::new(&unpacked.as_ref()[range]) {
                loop {
                    match cells.next_cell(&book) {
                        Ok(Some(c)) => {
                            let value = value(&c.value);
                            if rows.cell(c.row, c.col, c.style, value)? == Flow::Stop {
                                return Ok(());
                            }
                        }
                        Ok(None) => return rows.finish(),
                        // calamine reads on from the row the scan was gathering.
                        Err(sheet_xml::Unsupported) => {
                            #[cfg(test)]
                            {
                                self.fell_back = true;
                            }
                            skip = rows.handed;
                            rows.row = Row::default();
                            break;
                        }
                    }
                }
            }
        }
        // calamine reads the cells itself: it needs the shared strings.
        if self.book_without_strings {
            self.book = Self::open_with_strings(&self.file)?;
            self.book_without_strings = false;
        }
        let mut reader = self
            .book
            .worksheet_cells_reader(&name)
            .map_err(|e| error(e, at.clone()))?;
        loop {
            let next = reader
                .next_cell_with_style_id()
                .map_err(|e| error(e, at.clone().at_row(rows.row.number.max(1))))?;
            let Some((cell, style)) = next else { break };
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let (r, c) = cell.get_position();
            if rows.cell(r, c, style, value(cell.get_value()))? == Flow::Stop {
                return Ok(());
            }
        }
        rows.finish()
    }
}

/// The rows being gathered from a sheet's cells, handed over one by one.
struct Rows<'a, 'f> {
    row: Row,
    f: &'a mut dyn FnMut(Row) -> Result<Flow, ImportError>,
    /// Cells seen (every `<c>`, with a value or not).
    seen: usize,
    /// Cells seen before the first cell of the row being gathered: those of the rows
    /// handed over.
    handed: usize,
    paints: &'a [(Option<Mark>, Option<Mark>)],
    run_marks: &'f HashMap<(u32, u32), Mark>,
}

impl Rows<'_, '_> {
    /// One cell at (`r`, `c`), 0-based, of style `style`.
    fn cell(
        &mut self,
        r: u32,
        c: u32,
        style: usize,
        value: Option<Value>,
    ) -> Result<Flow, ImportError> {
        self.seen += 1;
        let Some(value) = value else {
            return Ok(Flow::Continue);
        };
        if r + 1 != self.row.number {
            if !self.row.cells.is_empty() {
                self.handed = self.seen - 1;
                // The next row is likely as wide: its cells are not grown one by one.
                let next = Row {
                    number: 0,
                    cells: Vec::with_capacity(self.row.cells.len()),
                };
                if (self.f)(std::mem::replace(&mut self.row, next))? == Flow::Stop {
                    return Ok(Flow::Stop);
                }
            }
            self.row.number = r + 1;
        }
        let (fill, mut font) = self.paints.get(style).copied().unwrap_or((None, None));
        match self.run_marks.get(&(r, c)) {
            Some(Mark::Red) => font = Some(Mark::Red),
            Some(m) if font.is_none() => font = Some(*m),
            _ => {}
        }
        self.row.cells.push(Cell {
            col: c,
            value,
            fill,
            font,
        });
        Ok(Flow::Continue)
    }

    /// The last row handed over.
    fn finish(self) -> Result<(), ImportError> {
        if !self.row.cells.is_empty() {
            (self.f)(self.row)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! The scan against calamine: every sheet read both ways gives the same rows.
    use super::super::file::SHARED_STRINGS_SET_ASIDE;
    use super::super::{Flow, file};
    use super::SHARED_STRINGS;
    use crate::config::Limits;
    use proptest::prelude::*;
    use rust_xlsxwriter::{Color, ExcelDateTime, Format, Formula, Workbook};
    use std::path::Path;

    /// Every row of every sheet, as the reader hands them over (`scan`: as it reads by
    /// default; else calamine alone).
    fn rows(path: &Path, scan: bool) -> Vec<String> {
        let (rows, fell_back) = read(path, scan);
        assert!(!fell_back, "the scan stopped on {path:?}");
        rows
    }

    fn rows_of(path: &Path, scan: bool) -> Vec<String> {
        read(path, scan).0
    }

    fn read(path: &Path, scan: bool) -> (Vec<String>, bool) {
        let mut book = file::open(path, &Limits::default()).unwrap();
        if !scan {
            book.without_scan();
        }
        let mut out = Vec::new();
        for i in 0..book.sheet_names().len() {
            book.visit(i, &mut |row| {
                out.push(format!("{row:?}"));
                Ok(Flow::Continue)
            })
            .unwrap();
        }
        (out, book.fell_back())
    }

    fn same_both_ways(bytes: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.xlsx");
        std::fs::write(&path, bytes).unwrap();
        let scanned = rows(&path, true);
        assert!(!scanned.is_empty());
        assert_eq!(scanned, rows(&path, false));
    }

    /// One cell of each kind an export may hold.
    #[derive(Debug, Clone)]
    enum Written {
        Text(String),
        Number(f64),
        /// A date shown by a custom format (its code) or a built-in one (its id).
        Date(u16, u8, u8, Result<&'static str, u8>),
        Bool(bool),
        Formula(String),
        Rich(String, String),
        Blank,
    }

    fn written() -> impl Strategy<Value = Written> {
        // Text with what XML escapes, Excel's `_xHHHH_`, line ends and edge spaces.
        let text = "[ a-zA-Zé&<>\"'_x0D9\r\n\t°€]{0,12}";
        let rich = "[ a-zé&<_x0D9\r\n]{1,8}";
        prop_oneof![
            text.prop_map(Written::Text),
            (-1e9f64..1e9).prop_map(Written::Number),
            (
                1950u16..2100,
                1u8..13,
                1u8..29,
                prop::sample::select(vec![
                    Ok("dd/mm/yyyy"),
                    Ok("[h]:mm:ss"),
                    Ok("0.00"),
                    Ok("@"),
                    Err(14),
                    Err(22),
                    Err(46),
                    Err(2),
                ])
            )
                .prop_map(|(y, m, d, f)| Written::Date(y, m, d, f)),
            any::<bool>().prop_map(Written::Bool),
            text.prop_map(Written::Formula),
            (rich, rich).prop_map(|(a, b)| Written::Rich(a, b)),
            Just(Written::Blank),
        ]
    }

    fn workbook(rows: &[Vec<Written>], inline: bool) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = match inline {
            true => wb.add_worksheet_with_constant_memory().unwrap(),
            false => wb.add_worksheet(),
        };
        let red = Format::new().set_font_color(Color::Red);
        let yellow = Format::new().set_background_color(Color::Yellow);
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Written::Text(t) => ws.write_string_with_format(r, c, t, &yellow).map(drop),
                    Written::Number(n) => ws.write_number(r, c, *n).map(drop),
                    Written::Date(y, m, d, f) => ws
                        .write_datetime_with_format(
                            r,
                            c,
                            ExcelDateTime::from_ymd(*y, *m, *d).unwrap(),
                            &match f {
                                Ok(code) => Format::new().set_num_format(*code),
                                Err(id) => Format::new().set_num_format_index(*id),
                            },
                        )
                        .map(drop),
                    Written::Bool(b) => ws.write_boolean(r, c, *b).map(drop),
                    Written::Formula(t) => ws
                        .write_formula(r, c, Formula::new("=A1").set_result(t))
                        .map(drop),
                    Written::Rich(a, b) => ws
                        .write_rich_string(
                            r,
                            c,
                            &[(&red, a.as_str()), (&Format::new(), b.as_str())],
                        )
                        .map(drop),
                    Written::Blank => ws.write_blank(r, c, &yellow).map(drop),
                }
                .unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn the_scan_reads_every_cell_as_calamine_does(
            // Each row led by a text, as an export's rows are by their id.
            rows in prop::collection::vec(prop::collection::vec(written(), 1..8), 1..12)
                .prop_map(|rows| rows.into_iter().map(|mut row| {
                    row.insert(0, Written::Text("id".into()));
                    row
                }).collect::<Vec<_>>()),
            inline in any::<bool>(),
        ) {
            same_both_ways(&workbook(&rows, inline));
        }
    }

    #[test]
    fn calamine_reads_on_from_the_row_the_scan_stopped_in() {
        let rows: Vec<Vec<Written>> = (0..5)
            .map(|r| {
                vec![
                    Written::Text(format!("ligne {r}")),
                    Written::Number(r as f64),
                    Written::Rich("rouge".into(), format!(" {r}")),
                ]
            })
            .collect();
        let bytes = workbook(&rows, false);
        // A comment inside row 3, between its cells: calamine skips it, the scan stops.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut entry, &mut xml).unwrap();
            if name == "xl/worksheets/sheet1.xml" {
                assert!(xml.contains(r#"<c r="B3""#));
                xml = xml.replacen(r#"<c r="B3""#, r#"<!-- vu --><c r="B3""#, 1);
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut out, xml.as_bytes()).unwrap();
        }
        let bytes = out.finish().unwrap().into_inner();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.xlsx");
        std::fs::write(&path, bytes).unwrap();
        let mut book = file::open(&path, &Limits::default()).unwrap();
        let mut scanned = Vec::new();
        book.visit(0, &mut |row| {
            scanned.push(format!("{row:?}"));
            Ok(Flow::Continue)
        })
        .unwrap();
        assert!(book.fell_back());
        assert_eq!(scanned.len(), 5);
        assert_eq!(scanned, rows_of(&path, false));
    }

    #[test]
    fn an_entry_named_as_the_set_aside_strings_is_not_taken_for_them() {
        // The unpacked copy keeps the shared strings under a name of its own, so that
        // calamine does not parse them when it opens the copy. A workbook holding an
        // entry of that name, with other strings, beside its own strings or instead of
        // them, must never read those.
        let rows = vec![vec![Written::Text("vrai".into()), Written::Number(1.0)]];
        for keep_own in [true, false] {
            let mut zip =
                zip::ZipArchive::new(std::io::Cursor::new(workbook(&rows, false))).unwrap();
            let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            let mut strings = String::new();
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i).unwrap();
                let name = entry.name().unwrap().into_owned();
                let mut xml = String::new();
                std::io::Read::read_to_string(&mut entry, &mut xml).unwrap();
                if name == SHARED_STRINGS {
                    strings = xml.clone();
                    if !keep_own {
                        continue;
                    }
                }
                out.start_file(name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                std::io::Write::write_all(&mut out, xml.as_bytes()).unwrap();
            }
            assert!(strings.contains("vrai"));
            let planted = strings.replace("vrai", "faux");
            out.start_file(
                SHARED_STRINGS_SET_ASIDE,
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            std::io::Write::write_all(&mut out, planted.as_bytes()).unwrap();
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("export.xlsx");
            std::fs::write(&path, out.finish().unwrap().into_inner()).unwrap();
            for scan in [true, false] {
                let mut book = file::open(&path, &Limits::default()).unwrap();
                if !scan {
                    book.without_scan();
                }
                let mut read = String::new();
                let result = book.visit(0, &mut |row| {
                    read.push_str(&format!("{row:?}"));
                    Ok(Flow::Continue)
                });
                assert!(!read.contains("faux"), "{read}");
                match keep_own {
                    true => assert!(result.is_ok() && read.contains("vrai"), "{read}"),
                    // A string cell with no strings part: calamine's error, either way.
                    false => assert!(result.is_err(), "{read}"),
                }
            }
        }
    }

    #[test]
    fn calamine_s_own_test_workbooks_read_the_same_both_ways() {
        // Saved by Excel, LibreOffice and other tools (tests/fixtures/xlsx-calamine).
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xlsx-calamine");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .collect();
        paths.sort();
        assert_eq!(paths.len(), 58);
        let (mut rows, mut stopped) = (0, Vec::new());
        for path in &paths {
            let (scanned, fell_back) = read(path, true);
            assert_eq!(scanned, rows_of(path, false), "{path:?}");
            rows += scanned.len();
            if fell_back {
                stopped.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
        assert!(rows > 500);
        // CDATA in an inline string, cells without their reference, a shared strings
        // part named `SharedStrings.xml`: calamine read on.
        assert_eq!(
            stopped,
            ["inlineStr_cdata.xlsx", "issue_261.xlsx", "issue_419.xlsx"]
        );
    }

    #[test]
    fn the_real_offers_read_the_same_both_ways() {
        // The public Parcoursup records (tests/fixtures/real), written as a workbook.
        let csv = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real/offres-reelles.csv"),
        )
        .unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(csv.as_bytes());
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (r, record) in reader.records().enumerate() {
            for (c, field) in record.unwrap().iter().enumerate() {
                match field.parse::<f64>() {
                    Ok(n) => ws.write_number(r as u32, c as u16, n),
                    Err(_) => ws.write_string(r as u32, c as u16, field),
                }
                .unwrap();
            }
        }
        same_both_ways(&wb.save_to_buffer().unwrap());
    }
}
