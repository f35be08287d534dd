//! ODS: calamine reads no ODS cell styles (its `worksheet_style` is the empty default),
//! so this reader parses `content.xml` itself: values, repeats, and the colours of the
//! cell styles (`fo:background-color`, `fo:color`), automatic ones and the named ones of
//! `styles.xml` they inherit from.

use super::markings::{self, Mark};
use super::values::Value;
use super::{Book, Cell, Flow, Format, ImportError, Location, Row};
use crate::config::Limits;
use chrono::{NaiveDate, NaiveDateTime};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Beyond this column, repeated cells are padding, not data.
const MAX_COLUMNS: u32 = 16_384;

/// Rows above the data a sheet may hold besides `max_rows` (titles, the header row).
const ROW_SLACK: usize = 1_000;

/// Non-empty cells a sheet may expand to, per accepted row: a BROF row has about 45
/// columns. Repeats are counted before they are expanded, so a few kilobytes of
/// `table:number-rows-repeated` / `table:number-columns-repeated` cannot grow into
/// gigabytes.
const CELLS_PER_ROW: usize = 128;

/// An open ODS workbook: `content.xml` is kept (its size was bounded when the zip was
/// checked) and parsed again, streaming, for each sheet visited; rows are never all
/// held in memory at once.
pub(super) struct OdsBook {
    path: std::path::PathBuf,
    content: Vec<u8>,
    styles: HashMap<String, StyleDef>,
    names: Vec<String>,
    max_rows: usize,
    max_cells: usize,
}

/// The colours of one cell style, before inheritance.
#[derive(Debug, Clone, Default)]
struct StyleDef {
    parent: Option<String>,
    background: Option<String>,
    color: Option<String>,
}

impl OdsBook {
    /// Parses `content.xml` (the zip was checked for its size before).
    pub(super) fn open(path: &Path, limits: &Limits) -> Result<Self, ImportError> {
        let at = Location::file(path);
        let corrupt = |detail: String| ImportError::Corrupt {
            at: at.clone(),
            detail,
        };
        let mut zip = super::file::open_zip(path)?;
        let mut part = |name: &str| -> Result<Vec<u8>, ImportError> {
            let mut out = Vec::new();
            match zip.by_name(name) {
                Ok(entry) => {
                    entry
                        .take(limits.max_sheet_bytes)
                        .read_to_end(&mut out)
                        .map_err(|e| corrupt(format!("{name}: {e}")))?;
                }
                Err(zip::result::ZipError::FileNotFound) => {}
                Err(e) => return Err(corrupt(format!("{name}: {e}"))),
            }
            Ok(out)
        };
        let styles_xml = part("styles.xml")?;
        let content = part("content.xml")?;
        if content.is_empty() {
            return Err(ImportError::NotASpreadsheet {
                at,
                detail: "an OpenDocument spreadsheet without content.xml".into(),
            });
        }
        let mut styles = HashMap::new();
        read_styles(&styles_xml, &mut styles).map_err(|e| corrupt(format!("styles.xml: {e}")))?;
        let max_rows = limits.max_rows.saturating_add(ROW_SLACK);
        let mut book = OdsBook {
            path: path.to_path_buf(),
            content,
            styles,
            names: Vec::new(),
            max_rows,
            max_cells: max_rows.saturating_mul(CELLS_PER_ROW),
        };
        // A first pass for the sheet names and the automatic styles; no row is built.
        book.names = book.scan(None, &mut |_| Ok(Flow::Continue))?;
        Ok(book)
    }

    /// Parses `content.xml`, handing the rows of sheet `target` (when given) to `f`;
    /// returns the sheet names seen.
    fn scan(
        &mut self,
        target: Option<usize>,
        f: &mut dyn FnMut(Row) -> Result<Flow, ImportError>,
    ) -> Result<Vec<String>, ImportError> {
        read_content(
            &self.content,
            &mut self.styles,
            &self.path,
            Bounds {
                rows: self.max_rows,
                cells: self.max_cells,
            },
            target,
            f,
        )
    }
}

/// How far one sheet may expand.
#[derive(Clone, Copy)]
struct Bounds {
    rows: usize,
    cells: usize,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    let raw: &str = &a.value;
    Some(super::file::unescape(raw))
}

/// Collects the table-cell styles of a styles part (or of content.xml's automatic ones).
fn style_event(
    e: &BytesStart<'_>,
    current: &mut Option<String>,
    styles: &mut HashMap<String, StyleDef>,
) {
    match e.name().as_ref() {
        "style:style" => {
            let family = attr(e, "style:family");
            // Cell styles, and text styles: a run of a cell's text (`text:span`) may be
            // coloured on its own (part of the text typed in red).
            *current = match (family.as_deref(), attr(e, "style:name")) {
                (Some("table-cell" | "text"), Some(name)) => {
                    styles.insert(
                        name.clone(),
                        StyleDef {
                            parent: attr(e, "style:parent-style-name"),
                            ..StyleDef::default()
                        },
                    );
                    Some(name)
                }
                _ => None,
            };
        }
        "style:table-cell-properties" => {
            if let Some(s) = current.as_ref().and_then(|n| styles.get_mut(n)) {
                s.background = attr(e, "fo:background-color").or(s.background.take());
            }
        }
        "style:text-properties" => {
            if let Some(s) = current.as_ref().and_then(|n| styles.get_mut(n)) {
                s.color = attr(e, "fo:color").or(s.color.take());
            }
        }
        _ => {}
    }
}

fn read_styles(xml: &[u8], styles: &mut HashMap<String, StyleDef>) -> Result<(), quick_xml::Error> {
    if xml.is_empty() {
        return Ok(());
    }
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut current = None;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) => style_event(&e, &mut current, styles),
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The marks of a named style, following its parents.
fn resolve(name: &str, styles: &HashMap<String, StyleDef>) -> (Option<Mark>, Option<Mark>) {
    let (mut background, mut color) = (None, None);
    let mut next = Some(name);
    for _ in 0..16 {
        let Some(def) = next.and_then(|n| styles.get(n)) else {
            break;
        };
        background = background.or(def.background.as_deref());
        color = color.or(def.color.as_deref());
        next = def.parent.as_deref();
    }
    let fill = background
        .and_then(markings::parse_hex)
        .and_then(|(r, g, b)| markings::fill(r, g, b));
    let font = color
        .and_then(markings::parse_hex)
        .and_then(|(r, g, b)| markings::font(r, g, b));
    (fill, font)
}

/// The cell being read.
#[derive(Default)]
struct Pending {
    value: Option<Value>,
    text: String,
    paragraphs: usize,
    style: Option<String>,
    repeat: u32,
    /// The font colour of a run of its text, when one is red or blue.
    run_red: bool,
    run_blue: bool,
}

fn cell_value(e: &BytesStart<'_>) -> Option<Value> {
    match attr(e, "office:value-type")?.as_str() {
        "float" | "percentage" | "currency" => {
            attr(e, "office:value")?.parse().ok().map(Value::Number)
        }
        "date" => {
            let d = attr(e, "office:date-value")?;
            NaiveDateTime::parse_from_str(&d, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .or_else(|| {
                    NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                        .ok()
                        .and_then(|x| x.and_hms_opt(0, 0, 0))
                })
                .map(Value::DateTime)
                .or(Some(Value::Text(d)))
        }
        "boolean" => attr(e, "office:boolean-value").map(|b| Value::Bool(b == "true")),
        _ => attr(e, "office:string-value").map(Value::Text),
    }
}

fn read_content(
    xml: &[u8],
    styles: &mut HashMap<String, StyleDef>,
    path: &Path,
    bounds: Bounds,
    target: Option<usize>,
    f: &mut dyn FnMut(Row) -> Result<Flow, ImportError>,
) -> Result<Vec<String>, ImportError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut sheets: Vec<String> = Vec::new();
    // Whether the rows of the current table are wanted, and what they expanded to.
    let mut wanted = false;
    let (mut rows_out, mut cells_out) = (0usize, 0usize);
    let mut style_cache: HashMap<String, (Option<Mark>, Option<Mark>)> = HashMap::new();
    let mut current_style = None;
    let mut in_styles = false;
    // Position in the current table.
    let (mut row_number, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    let mut row = Row::default();
    let mut column_styles: Vec<(u32, Option<String>)> = Vec::new();
    let mut cell: Option<Pending> = None;
    let mut in_p = false;
    // A cell comment holds paragraphs too: they are not the cell's value.
    let mut in_annotation = false;

    let sheet_at = |sheets: &Vec<String>, row: u32| {
        Location::sheet(path, sheets.last().map(String::as_str)).at_row(row.max(1))
    };

    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| ImportError::Corrupt {
                at: sheet_at(&sheets, row_number),
                detail: format!("content.xml: {e}"),
            })?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) if in_styles => {
                style_event(&e, &mut current_style, styles)
            }
            Event::End(e) if in_styles && e.name().as_ref() == "office:automatic-styles" => {
                in_styles = false;
            }
            Event::Start(e) if e.name().as_ref() == "office:automatic-styles" => in_styles = true,
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                sheets.push(attr(&e, "table:name").unwrap_or_default());
                wanted = target == Some(sheets.len() - 1);
                row_number = 0;
                column_styles.clear();
            }
            Event::End(e) if e.name().as_ref() == "table:table" && wanted => {
                // The sheet asked for is done: the rest of the file is not needed.
                return Ok(sheets);
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table-column" => {
                let n = repeat(&e, "table:number-columns-repeated");
                column_styles.push((n, attr(&e, "table:default-cell-style-name")));
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row_repeat = repeat(&e, "table:number-rows-repeated");
                row = Row {
                    number: row_number + 1,
                    cells: Vec::new(),
                };
                col = 0;
                if empty {
                    row_number = row_number.saturating_add(row_repeat);
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                // Empty rows (however many repeats: spreadsheet programs end a sheet
                // with a million of them) only move the row number on.
                if wanted && !row.cells.is_empty() {
                    // A repeated row with content is that many identical rows: counted
                    // before any copy is made.
                    let n = row_repeat as usize;
                    rows_out = rows_out.saturating_add(n);
                    cells_out = cells_out.saturating_add(n.saturating_mul(row.cells.len()));
                    if rows_out > bounds.rows || cells_out > bounds.cells {
                        let at = sheet_at(&sheets, row_number + 1);
                        return Err(if rows_out > bounds.rows {
                            ImportError::TooManyRows {
                                at,
                                limit: bounds.rows - ROW_SLACK,
                            }
                        } else {
                            ImportError::TooManyCells {
                                at,
                                limit: bounds.cells,
                            }
                        });
                    }
                    let first = row_number + 1;
                    let template = std::mem::take(&mut row);
                    for k in 0..row_repeat {
                        let copy = Row {
                            number: first.saturating_add(k),
                            cells: template.cells.clone(),
                        };
                        if f(copy)? == Flow::Stop {
                            return Ok(sheets);
                        }
                    }
                }
                row_number = row_number.saturating_add(row_repeat);
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if !wanted {
                    // Cells of the other sheets are not built (the first pass only
                    // collects names and styles).
                    buf.clear();
                    continue;
                }
                let pending = Pending {
                    value: cell_value(&e),
                    style: attr(&e, "table:style-name"),
                    repeat: repeat(&e, "table:number-columns-repeated"),
                    ..Pending::default()
                };
                if empty {
                    finish_cell(
                        pending,
                        &mut row,
                        &mut col,
                        &column_styles,
                        styles,
                        &mut style_cache,
                    );
                } else {
                    cell = Some(pending);
                }
            }
            Event::End(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                if let Some(pending) = cell.take() {
                    finish_cell(
                        pending,
                        &mut row,
                        &mut col,
                        &column_styles,
                        styles,
                        &mut style_cache,
                    );
                }
            }
            Event::Start(e) if e.name().as_ref() == "office:annotation" => in_annotation = true,
            Event::End(e) if e.name().as_ref() == "office:annotation" => in_annotation = false,
            Event::Start(e) if e.name().as_ref() == "text:p" && !in_annotation => {
                if let Some(c) = cell.as_mut() {
                    if c.paragraphs > 0 {
                        c.text.push('\n');
                    }
                    c.paragraphs += 1;
                    in_p = true;
                }
            }
            Event::End(e) if e.name().as_ref() == "text:p" => in_p = false,
            Event::Start(e) if in_p && e.name().as_ref() == "text:span" => {
                if let (Some(c), Some(name)) = (cell.as_mut(), attr(&e, "text:style-name")) {
                    let (_, font) = *style_cache
                        .entry(name.clone())
                        .or_insert_with(|| resolve(&name, styles));
                    c.run_red |= font == Some(Mark::Red);
                    c.run_blue |= font == Some(Mark::Blue);
                }
            }
            Event::Empty(e) if in_p => {
                if let Some(c) = cell.as_mut() {
                    match e.name().as_ref() {
                        "text:s" => {
                            let n = repeat(&e, "text:c").min(1_000);
                            c.text.extend(std::iter::repeat_n(' ', n as usize));
                        }
                        "text:tab" => c.text.push('\t'),
                        "text:line-break" => c.text.push('\n'),
                        _ => {}
                    }
                }
            }
            Event::Text(t) if in_p => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_p => {
                if let Some(c) = cell.as_mut() {
                    let ch = match r.resolve_char_ref() {
                        Ok(Some(ch)) => Some(ch),
                        _ => match r.xml10_content().as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    c.text.extend(ch);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(sheets)
}

fn repeat(e: &BytesStart<'_>, name: &str) -> u32 {
    attr(e, name)
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

fn finish_cell(
    pending: Pending,
    row: &mut Row,
    col: &mut u32,
    column_styles: &[(u32, Option<String>)],
    styles: &HashMap<String, StyleDef>,
    cache: &mut HashMap<String, (Option<Mark>, Option<Mark>)>,
) {
    let value = match pending.value {
        Some(Value::Text(_)) | None if !pending.text.is_empty() => Some(Value::Text(pending.text)),
        other => other,
    };
    let start = *col;
    *col = col.saturating_add(pending.repeat);
    let Some(value) = value else { return };
    if value.is_blank() || start >= MAX_COLUMNS {
        return;
    }
    let style = pending.style.or_else(|| column_style(column_styles, start));
    let (fill, font) = match style {
        Some(name) => *cache
            .entry(name.clone())
            .or_insert_with(|| resolve(&name, styles)),
        None => (None, None),
    };
    // A red run makes the cell changed whatever its own colour; a blue run counts when
    // the cell itself is not coloured otherwise.
    let font = if pending.run_red {
        Some(Mark::Red)
    } else {
        font.or(pending.run_blue.then_some(Mark::Blue))
    };
    for c in start..(*col).min(MAX_COLUMNS) {
        row.cells.push(Cell {
            col: c,
            value: value.clone(),
            fill,
            font,
        });
    }
}

/// The default cell style of a column, from the `table:table-column` declarations.
fn column_style(columns: &[(u32, Option<String>)], col: u32) -> Option<String> {
    let mut first = 0u32;
    for (n, style) in columns {
        if col < first.saturating_add(*n) {
            return style.clone();
        }
        first = first.saturating_add(*n);
    }
    None
}

impl Book for OdsBook {
    fn format(&self) -> Format {
        Format::Ods
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
        self.scan(Some(index), f).map(|_| ())
    }
}
