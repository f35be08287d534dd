//! Import: the BROF export (xlsx, ods, csv) → typed offers with their markings.
//!
//! Each format has a reader that hands over format-independent [`Row`]s (values plus the
//! colour marks of each cell); [`read`] finds the header row, maps the columns by their
//! header text and turns every data row into an [`Offer`]. Everything
//! spreadsheet-specific stays in this module.

mod csv;
mod file;
pub mod headers;
pub mod markings;
mod ods;
mod offer;
mod runs;
mod sheet_xml;
pub mod values;
mod xls;
mod xlsx;

use crate::config::Limits;
use crate::model::Offer;
use headers::{COLUMNS, Col, letters};
use markings::Mark;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};
use values::Value;

/// What was read from one export.
#[derive(Debug, Clone, Serialize)]
pub struct Import {
    /// The data rows, in sheet order (empty rows skipped).
    pub offers: Vec<Offer>,
    pub source: Source,
    /// Things the user should know that are not errors (unknown columns, a CSV carries
    /// no markings...), in plain words.
    pub warnings: Vec<String>,
}

/// Where the rows came from.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub file: PathBuf,
    pub format: Format,
    /// Name of the data sheet (workbooks only).
    pub sheet: Option<String>,
    /// Row number of the header row, as the user sees it.
    pub header_row: u32,
    /// Whether the format can carry colour markings (a CSV cannot).
    pub has_markings: bool,
    /// The canonical columns found, in contract order.
    pub columns: Vec<String>,
}

/// File formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    /// Old Excel 97-2003 workbook: values only, no markings.
    Xls,
    Ods,
    Csv,
}

/// A place in the export, as the user would look for it: file, sheet, row, column.
/// Boxed, so that an error stays small on the happy path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location(Box<Where>);

/// The parts of a [`Location`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Where {
    pub file: PathBuf,
    pub sheet: Option<String>,
    /// Row number as the user sees it (1-based).
    pub row: Option<u32>,
    /// Column letters and, when known, its header: `F (Niveau)`.
    pub column: Option<String>,
}

impl std::ops::Deref for Location {
    type Target = Where;
    fn deref(&self) -> &Where {
        &self.0
    }
}

impl Location {
    /// The whole file.
    pub fn file(file: &Path) -> Self {
        Location(Box::new(Where {
            file: file.to_path_buf(),
            ..Where::default()
        }))
    }

    /// One sheet of the file.
    pub fn sheet(file: &Path, sheet: Option<&str>) -> Self {
        let mut at = Location::file(file);
        at.0.sheet = sheet.map(str::to_string);
        at
    }

    fn at_row(mut self, row: u32) -> Self {
        self.0.row = Some(row);
        self
    }

    fn at_column(mut self, col: u32, header: Option<&str>) -> Self {
        self.0.column = Some(column_label(col, header));
        self
    }
}

/// `F (Niveau)`, or `F` for a column without a header.
fn column_label(col: u32, header: Option<&str>) -> String {
    match header.map(str::trim).filter(|h| !h.is_empty()) {
        Some(h) => format!("{} ({})", letters(col), one_line(h)),
        None => letters(col),
    }
}

/// Header texts may hold line breaks: one line is easier to read in a message.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(s) = &self.sheet {
            write!(f, ", sheet \"{s}\"")?;
        }
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        Ok(())
    }
}

/// An export that cannot be used at all (exit status 2, nothing written). Each variant
/// names the file and, where it applies, the sheet, row and column. Messages are in
/// English like the rest of the terminal output; the header names they quote are the
/// export's own (French) ones.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{at}: cannot read the file: {source}")]
    Io {
        at: Location,
        source: std::io::Error,
    },
    #[error(
        "{at}: unsupported format \"{extension}\": save the export as .xlsx, .ods, .csv or .xls"
    )]
    UnsupportedFormat { at: Location, extension: String },
    #[error("{at}: not a spreadsheet ({detail})")]
    NotASpreadsheet { at: Location, detail: String },
    #[error("{at}: damaged or truncated workbook ({detail}): save it again")]
    Corrupt { at: Location, detail: String },
    #[error("{at}: the workbook is password-protected (encrypted): save a copy without a password")]
    Encrypted { at: Location },
    #[error(
        "{at}: no header row found in the first {searched} rows of {sheets} \
         (a header row has at least {needed} known column headers, e.g. \"N° action\", \"Intitulé de la formation\")"
    )]
    NoHeaderRow {
        at: Location,
        sheets: String,
        searched: u32,
        needed: usize,
    },
    #[error("{at}: required columns missing: {}", .missing.join(", "))]
    MissingColumns { at: Location, missing: Vec<String> },
    #[error("{at}: column \"{column}\" appears twice: {first} and {second}")]
    DuplicateColumn {
        at: Location,
        column: String,
        first: String,
        second: String,
    },
    #[error(
        "{at}: {part} inflates to more than {limit} bytes (limit `max_sheet_bytes`): file refused"
    )]
    SheetTooLarge {
        at: Location,
        part: String,
        limit: u64,
    },
    #[error("{at}: cell of {chars} characters, over the limit of {limit} (`max_cell_chars`)")]
    CellTooLong {
        at: Location,
        chars: usize,
        limit: usize,
    },
    #[error("{at}: more than {limit} data rows (limit `max_rows`)")]
    TooManyRows { at: Location, limit: usize },
    /// Repeated rows and columns that would expand past what any export holds.
    #[error(
        "{at}: the sheet expands to more than {limit} non-empty cells (repeated rows or \
         columns; the bound is `max_rows` × 128): file refused"
    )]
    TooManyCells { at: Location, limit: usize },
    /// Publishing an empty export would withdraw every offer: it is refused instead.
    #[error("{at}: no data row below the header row {header_row}: nothing to publish")]
    NoData { at: Location, header_row: u32 },
    #[error("{at}: cannot read the sheet: {detail}")]
    Unreadable { at: Location, detail: String },
}

impl ImportError {
    /// Where the problem is.
    pub fn location(&self) -> &Location {
        match self {
            ImportError::Io { at, .. }
            | ImportError::UnsupportedFormat { at, .. }
            | ImportError::NotASpreadsheet { at, .. }
            | ImportError::Corrupt { at, .. }
            | ImportError::Encrypted { at }
            | ImportError::NoHeaderRow { at, .. }
            | ImportError::MissingColumns { at, .. }
            | ImportError::DuplicateColumn { at, .. }
            | ImportError::SheetTooLarge { at, .. }
            | ImportError::CellTooLong { at, .. }
            | ImportError::TooManyRows { at, .. }
            | ImportError::TooManyCells { at, .. }
            | ImportError::NoData { at, .. }
            | ImportError::Unreadable { at, .. } => at,
        }
    }
}

/// One non-empty row as a reader hands it over.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// Row number as the user sees it (1-based).
    pub number: u32,
    /// The non-empty cells, left to right.
    pub cells: Vec<Cell>,
}

/// One non-empty cell with its colour marks.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    /// 0-based column index.
    pub col: u32,
    pub value: Value,
    /// Meaningful fill colour (only yellow exists).
    pub fill: Option<Mark>,
    /// Meaningful font colour (blue or red).
    pub font: Option<Mark>,
}

/// Whether a reader should go on with the next row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Stop,
}

/// A reader of one format: sheets, then rows in order.
pub(crate) trait Book {
    fn format(&self) -> Format;
    /// The sheets in workbook order (one unnamed sheet for a CSV).
    fn sheet_names(&self) -> Vec<String>;
    /// Calls `f` for each non-empty row of sheet `index`, in order, until it says stop.
    fn visit(
        &mut self,
        index: usize,
        f: &mut dyn FnMut(Row) -> Result<Flow, ImportError>,
    ) -> Result<(), ImportError>;
    /// What the user should know about this format (e.g. a CSV has no markings).
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
    /// Whether colours were read.
    fn has_markings(&self) -> bool;
    /// The last row number sheet `index` declares, when it declares one (an xlsx
    /// sheet's `<dimension>`): a size to make room for, not a count to trust.
    fn rows_hint(&mut self, _index: usize) -> Option<u32> {
        None
    }
    /// Reads xlsx sheets with calamine alone, to compare the scan with it.
    #[cfg(test)]
    fn without_scan(&mut self) {}
    /// Whether calamine had to read on where the scan stopped.
    #[cfg(test)]
    fn fell_back(&self) -> bool {
        false
    }
}

/// The header row is searched for in the first rows of each sheet.
const HEADER_SEARCH_ROWS: u32 = 30;
/// A row is a header row when at least this many cells are known headers.
const MIN_HEADER_MATCHES: usize = 4;
/// Rows handed to the conversion thread at a time.
const BATCH: usize = 1024;

/// Reads an export: xlsx, ods or csv, by extension, checked against the content.
pub fn read(path: &Path, limits: &Limits) -> Result<Import, ImportError> {
    let mut book = file::open(path, limits)?;
    read_book(book.as_mut(), path, limits)
}

/// How the sheet's columns map to the contract.
pub(crate) struct Layout {
    /// Canonical column of each sheet column, by index.
    pub by_index: Vec<Option<Col>>,
    /// Header text of each sheet column, by index.
    pub headers: Vec<String>,
}

impl Layout {
    fn col(&self, index: u32) -> Option<Col> {
        self.by_index.get(index as usize).copied().flatten()
    }

    fn header(&self, index: u32) -> Option<&str> {
        self.headers.get(index as usize).map(String::as_str)
    }
}

fn read_book(book: &mut dyn Book, file: &Path, limits: &Limits) -> Result<Import, ImportError> {
    let names = book.sheet_names();
    let named = book_is_named(book.format());
    let sheet_label = |i: usize| -> Option<String> { named.then(|| names[i].clone()) };

    // 1. The header row: the row of any sheet, among the first ones, that matches the
    //    most known headers (the data sheet need not be the first, title lines are common).
    let mut best: Option<(usize, usize, Row)> = None;
    for i in 0..names.len() {
        book.visit(i, &mut |row: Row| {
            if row.number > HEADER_SEARCH_ROWS {
                return Ok(Flow::Stop);
            }
            let mut found: Vec<Col> = row
                .cells
                .iter()
                .filter_map(|c| match &c.value {
                    Value::Text(t) => Col::from_header(t),
                    _ => None,
                })
                .collect();
            found.sort();
            found.dedup();
            if found.len() > best.as_ref().map_or(0, |b| b.0) {
                best = Some((found.len(), i, row));
            }
            Ok(Flow::Continue)
        })?;
    }
    let (sheet_index, header) = match best {
        Some((score, i, row)) if score >= MIN_HEADER_MATCHES => (i, row),
        _ => {
            let sheets = if named {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                format!("every sheet ({})", quoted.join(", "))
            } else {
                "the file".to_string()
            };
            return Err(ImportError::NoHeaderRow {
                at: Location::file(file),
                sheets,
                searched: HEADER_SEARCH_ROWS,
                needed: MIN_HEADER_MATCHES,
            });
        }
    };
    let sheet = sheet_label(sheet_index);
    let at = Location::sheet(file, sheet.as_deref());
    // Data cells are checked with their column's header; the header row itself here.
    check_cells(&header, &at, None, limits)?;

    // 2. The columns.
    let (layout, mut warnings) = layout(&header, &at)?;
    warnings.splice(0..0, book.warnings());

    // 3. The data rows. The reader parses on this thread while a second one turns rows
    //    into offers: on a large export the two halves take comparable time.
    let header_row = header.number;
    let offers = std::thread::scope(|scope| -> Result<Vec<Offer>, ImportError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Row>>(16);
        let layout = &layout;
        // Room made once for the rows the sheet declares (bounded by the row limit): grown
        // by doubling, the offers (944 bytes each) were copied and faulted in twice over.
        let room = book
            .rows_hint(sheet_index)
            .map_or(0, |last| last.saturating_sub(header_row) as usize)
            .min(limits.max_rows);
        // Converted rows go back to this thread to be freed: their texts were allocated
        // here, and a block freed by another thread takes the allocator's slow path
        // (mimalloc: 440,000 such frees, 3% of a rebuild's instructions). The reader
        // drains them each time it hands over a batch, so at most the channel's bound
        // of batches wait there.
        let (done_tx, done_rx) = std::sync::mpsc::channel::<Vec<Row>>();
        let worker = scope.spawn(move || {
            let mut offers = Vec::with_capacity(room);
            for batch in rx {
                offers.extend(batch.iter().map(|row| offer::offer(row, layout)));
                let _ = done_tx.send(batch);
            }
            offers
        });
        let mut batch = Vec::with_capacity(BATCH);
        let mut count = 0usize;
        let read = book.visit(sheet_index, &mut |mut row: Row| {
            if row.number <= header_row || row.cells.iter().all(|c| c.value.is_blank()) {
                return Ok(Flow::Continue);
            }
            // Only the contract's columns are kept while rows wait for conversion: a row
            // of thousands of repeated cells must not be held a thousand times.
            row.cells.retain(|c| layout.col(c.col).is_some());
            check_cells(&row, &at, Some(layout), limits)?;
            count += 1;
            if count > limits.max_rows {
                return Err(ImportError::TooManyRows {
                    at: at.clone(),
                    limit: limits.max_rows,
                });
            }
            batch.push(row);
            if batch.len() == BATCH {
                // A converted batch's room is taken again, its rows freed here.
                let next = match done_rx.try_recv() {
                    Ok(mut done) => {
                        done.clear();
                        done
                    }
                    Err(_) => Vec::with_capacity(BATCH),
                };
                while let Ok(done) = done_rx.try_recv() {
                    drop(done);
                }
                // The worker only stops when this sender is dropped.
                let _ = tx.send(std::mem::replace(&mut batch, next));
            }
            Ok(Flow::Continue)
        });
        if !batch.is_empty() {
            let _ = tx.send(batch);
        }
        drop(tx);
        let offers = worker.join().expect("the row conversion does not panic");
        drop(done_rx);
        read.map(|()| offers)
    })?;
    if offers.is_empty() {
        return Err(ImportError::NoData { at, header_row });
    }

    let columns = Col::ALL
        .iter()
        .filter(|c| layout.by_index.contains(&Some(**c)))
        .map(|c| c.name().to_string())
        .collect();
    Ok(Import {
        offers,
        source: Source {
            file: file.to_path_buf(),
            format: book.format(),
            sheet,
            header_row,
            has_markings: book.has_markings(),
            columns,
        },
        warnings,
    })
}

fn book_is_named(format: Format) -> bool {
    format != Format::Csv
}

/// Refuses a cell longer than the limit, naming it.
fn check_cells(
    row: &Row,
    at: &Location,
    layout: Option<&Layout>,
    limits: &Limits,
) -> Result<(), ImportError> {
    for c in &row.cells {
        if let Value::Text(t) = &c.value
            && t.len() > limits.max_cell_chars
        {
            let chars = t.chars().count();
            if chars > limits.max_cell_chars {
                return Err(ImportError::CellTooLong {
                    at: at
                        .clone()
                        .at_row(row.number)
                        .at_column(c.col, layout.and_then(|l| l.header(c.col))),
                    chars,
                    limit: limits.max_cell_chars,
                });
            }
        }
    }
    Ok(())
}

/// Maps the header row's cells to the contract; unknown headers become a warning,
/// missing required ones and duplicates an error.
fn layout(header: &Row, at: &Location) -> Result<(Layout, Vec<String>), ImportError> {
    let width = header
        .cells
        .iter()
        .map(|c| c.col as usize + 1)
        .max()
        .unwrap_or(0);
    let mut by_index = vec![None; width];
    let mut headers = vec![String::new(); width];
    let mut first_of: Vec<Option<u32>> = vec![None; COLUMNS.len()];
    let mut unknown = Vec::new();
    let at_header = at.clone().at_row(header.number);
    for c in &header.cells {
        let text = c.value.text();
        headers[c.col as usize] = text.clone();
        match Col::from_header(&text) {
            Some(col) => {
                if let Some(first) = first_of[col as usize] {
                    return Err(ImportError::DuplicateColumn {
                        at: at_header,
                        column: col.name().to_string(),
                        first: column_label(first, Some(&headers[first as usize])),
                        second: column_label(c.col, Some(&text)),
                    });
                }
                first_of[col as usize] = Some(c.col);
                by_index[c.col as usize] = Some(col);
            }
            None if !text.is_empty() => unknown.push(column_label(c.col, Some(&text))),
            None => {}
        }
    }
    let has = |col: Col| first_of[col as usize].is_some();
    let mut missing: Vec<String> = Col::ALL
        .iter()
        .filter(|c| COLUMNS[**c as usize].required && !has(**c))
        .map(|c| format!("\"{}\"", c.name()))
        .collect();
    if !has(Col::ReferentPhone) && !has(Col::ReferentEmail) {
        missing.push(format!(
            "\"{}\" or \"{}\"",
            Col::ReferentPhone.name(),
            Col::ReferentEmail.name()
        ));
    }
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns {
            at: at_header,
            missing,
        });
    }
    let mut warnings = Vec::new();
    if !unknown.is_empty() {
        warnings.push(format!(
            "{}: unknown columns, ignored: {}",
            at_header,
            unknown.join(", ")
        ));
    }
    Ok((Layout { by_index, headers }, warnings))
}
