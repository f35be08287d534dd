//! The one writer of fixture spreadsheets: an xlsx builder (sheets of lines of cells,
//! with the CFA markings as fills and font colours, and the Excel features an export
//! may carry), and the zip parts of the archives rust_xlsxwriter will not write:
//! ODS, patched styles, malformed or inflating archives.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatPattern, Formula};
use std::io::{Read, Write};
use std::path::Path;

pub use rust_xlsxwriter::Color;

/// The fill of a closed row.
pub const YELLOW: Color = Color::RGB(0xFFFF00);
/// The font of a new row.
pub const BLUE: Color = Color::RGB(0x0070C0);
/// The font of a changed cell.
pub const RED: Color = Color::RGB(0xFF0000);

/// One cell as written.
#[derive(Clone, Debug)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// A date cell (year, month, day), shown `dd/mm/yyyy`.
    Date(u16, u8, u8),
    /// A formula with its cached result, as Excel saves it.
    Formula {
        formula: String,
        result: String,
    },
    /// Rich text: runs of text, each in its font colour (`None`: the cell's).
    Rich(Vec<(Option<Color>, String)>),
    Empty,
}

impl Cell {
    /// The text a spreadsheet shows (dates `dd/mm/yyyy`): the cell as a CSV holds it.
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(y, m, d) => format!("{d:02}/{m:02}/{y}"),
            Cell::Formula { result, .. } => result.clone(),
            Cell::Rich(runs) => runs.iter().map(|(_, t)| t.as_str()).collect(),
            Cell::Empty => String::new(),
        }
    }
}

/// One row of a sheet: its cells from column A, and its colours.
#[derive(Clone, Debug, Default)]
pub struct Line {
    pub cells: Vec<Cell>,
    /// Fill of the whole row.
    pub fill: Option<Color>,
    /// Font colour of the whole row.
    pub font: Option<Color>,
    /// Font colour of single cells (column index, colour), over the row's.
    pub cell_fonts: Vec<(usize, Color)>,
    /// Fill of single cells, over the row's.
    pub cell_fills: Vec<(usize, Color)>,
}

impl Line {
    pub fn new(cells: Vec<Cell>) -> Line {
        Line {
            cells,
            ..Line::default()
        }
    }

    /// A row of text cells.
    pub fn texts<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> Line {
        Line::new(
            cells
                .into_iter()
                .map(|t| Cell::Text(t.as_ref().to_string()))
                .collect(),
        )
    }
}

/// One worksheet: its lines from row 1, and what Excel adds on top of the cells.
#[derive(Clone, Debug)]
pub struct Sheet {
    name: String,
    lines: Vec<Line>,
    hidden_rows: Vec<u32>,
    hidden_columns: Vec<u16>,
    /// (row, first column, last column, text); the other cells of the range keep their
    /// values, as in a sheet edited after the merge.
    merges: Vec<(u32, u16, u16, String)>,
    /// Written row by row, strings inline in the sheet rather than shared.
    constant_memory: bool,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet {
            name: name.to_string(),
            lines: Vec::new(),
            hidden_rows: Vec::new(),
            hidden_columns: Vec::new(),
            merges: Vec::new(),
            constant_memory: false,
        }
    }

    pub fn line(mut self, line: Line) -> Sheet {
        self.lines.push(line);
        self
    }

    pub fn lines(mut self, lines: impl IntoIterator<Item = Line>) -> Sheet {
        self.lines.extend(lines);
        self
    }

    pub fn hide_row(mut self, row: u32) -> Sheet {
        self.hidden_rows.push(row);
        self
    }

    pub fn hide_column(mut self, column: u16) -> Sheet {
        self.hidden_columns.push(column);
        self
    }

    pub fn merge(mut self, row: u32, first: u16, last: u16, text: &str) -> Sheet {
        self.merges.push((row, first, last, text.to_string()));
        self
    }

    pub fn constant_memory(mut self) -> Sheet {
        self.constant_memory = true;
        self
    }
}

/// A workbook of sheets, in order.
#[derive(Clone, Debug, Default)]
pub struct Workbook {
    sheets: Vec<Sheet>,
}

impl Workbook {
    pub fn new() -> Workbook {
        Workbook::default()
    }

    pub fn sheet(mut self, sheet: Sheet) -> Workbook {
        self.sheets.push(sheet);
        self
    }

    pub fn save(&self, path: &Path) {
        std::fs::write(path, self.bytes()).unwrap();
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for sheet in &self.sheets {
            let ws = if sheet.constant_memory {
                wb.add_worksheet_with_constant_memory().unwrap()
            } else {
                wb.add_worksheet()
            };
            ws.set_name(&sheet.name).unwrap();
            for (r, line) in sheet.lines.iter().enumerate() {
                for (c, cell) in line.cells.iter().enumerate() {
                    write_cell(ws, r as u32, c as u16, cell, &format_of(line, c, cell));
                }
            }
            for &r in &sheet.hidden_rows {
                ws.set_row_hidden(r).unwrap();
            }
            for &c in &sheet.hidden_columns {
                ws.set_column_hidden(c).unwrap();
            }
            for (r, first, last, text) in &sheet.merges {
                ws.merge_range(*r, *first, *r, *last, text, &Format::new())
                    .unwrap();
                let line = sheet.lines.get(*r as usize);
                for c in first + 1..=*last {
                    if let Some(cell) = line.and_then(|l| l.cells.get(c as usize)) {
                        let format = format_of(line.unwrap(), c as usize, cell);
                        write_cell(ws, *r, c, cell, &format);
                    }
                }
            }
        }
        wb.save_to_buffer().unwrap()
    }
}

/// The format of one cell: its date pattern, then the cell's or else the row's colours.
fn format_of(line: &Line, column: usize, cell: &Cell) -> Format {
    let mut f = match cell {
        Cell::Date(..) => Format::new().set_num_format("dd/mm/yyyy"),
        _ => Format::new(),
    };
    let own = |list: &[(usize, Color)]| list.iter().find(|(i, _)| *i == column).map(|p| p.1);
    if let Some(color) = own(&line.cell_fills).or(line.fill) {
        f = f
            .set_pattern(FormatPattern::Solid)
            .set_background_color(color);
    }
    if let Some(color) = own(&line.cell_fonts).or(line.font) {
        f = f.set_font_color(color);
    }
    f
}

fn write_cell(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, cell: &Cell, format: &Format) {
    match cell {
        Cell::Text(t) => ws.write_string_with_format(r, c, t, format).map(|_| ()),
        Cell::Number(n) => ws.write_number_with_format(r, c, *n, format).map(|_| ()),
        Cell::Date(y, m, d) => ws
            .write_datetime_with_format(r, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), format)
            .map(|_| ()),
        Cell::Formula { formula, result } => ws
            .write_formula_with_format(r, c, Formula::new(formula).set_result(result), format)
            .map(|_| ()),
        Cell::Rich(runs) => {
            let formats: Vec<Format> = runs
                .iter()
                .map(|(color, _)| match color {
                    Some(color) => format.clone().set_font_color(*color),
                    None => format.clone(),
                })
                .collect();
            let runs: Vec<(&Format, &str)> = formats
                .iter()
                .zip(runs)
                .map(|(f, (_, t))| (f, t.as_str()))
                .collect();
            ws.write_rich_string(r, c, &runs).map(|_| ())
        }
        Cell::Empty => Ok(()),
    }
    .unwrap();
}

/// Writes an archive of the given parts, in order: `mimetype` stored, as ODS wants it
/// first and uncompressed, the others deflated.
pub fn zip_parts<B: AsRef<[u8]>>(path: &Path, parts: &[(&str, B)]) {
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in parts {
        out.start_file(*name, options(name)).unwrap();
        out.write_all(data.as_ref()).unwrap();
    }
    out.finish().unwrap();
}

/// Rewrites every part of the archive at `from` into `to` through `edit` (name, bytes),
/// deflated: a patched style sheet, a sheet padded into a bomb.
pub fn rewrite_parts(from: &Path, to: &Path, mut edit: impl FnMut(&str, Vec<u8>) -> Vec<u8>) {
    let bytes = std::fs::read(from).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let data = edit(&name, data);
        parts.push((name, data));
    }
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_parts(to, &parts);
}

/// Rewrites one text part of the archive at `path` in place.
pub fn patch_part(path: &Path, part: &str, edit: impl Fn(String) -> String) {
    rewrite_parts(path, path, |name, data| {
        if name == part {
            edit(String::from_utf8(data).unwrap()).into_bytes()
        } else {
            data
        }
    });
}

fn options(name: &str) -> zip::write::SimpleFileOptions {
    let method = if name == "mimetype" {
        zip::CompressionMethod::Stored
    } else {
        zip::CompressionMethod::Deflated
    };
    zip::write::SimpleFileOptions::default().compression_method(method)
}
