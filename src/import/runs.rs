//! Colours inside a cell: part of a cell's text typed in red (or blue) is stored as
//! rich-text runs — in the shared strings (`<si><r><rPr><color rgb=…/></rPr>…`) or in an
//! inline string of the sheet (`<c t="inlineStr"><is><r>…`). calamine hands over the
//! text without its runs, so the marks of the runs are read here: the shared strings
//! once, then the sheet, streaming, only when there is something to find.

use super::markings::{self, Mark};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

/// The mark a rich string's runs carry: red when any run is red, else blue when any
/// run is blue.
#[derive(Debug, Default, Clone, Copy)]
struct RunMarks {
    red: bool,
    blue: bool,
}

impl RunMarks {
    fn add(&mut self, color: &BytesStart<'_>) {
        let rgb = color
            .try_get_attribute("rgb")
            .ok()
            .flatten()
            .map(|a| a.value.to_string());
        match rgb
            .as_deref()
            .and_then(markings::parse_hex)
            .and_then(|(r, g, b)| markings::font(r, g, b))
        {
            Some(Mark::Red) => self.red = true,
            Some(Mark::Blue) => self.blue = true,
            _ => {}
        }
    }

    fn mark(self) -> Option<Mark> {
        if self.red {
            Some(Mark::Red)
        } else if self.blue {
            Some(Mark::Blue)
        } else {
            None
        }
    }
}

/// For each shared string index, the mark of its runs (only strings with a red or blue
/// run are listed).
pub(super) fn shared_strings(xml: &[u8]) -> Result<HashMap<u32, Mark>, quick_xml::Error> {
    let mut out = HashMap::new();
    // Most workbooks hold no rich text at all: without run properties, no run has a
    // colour, and the strings are not parsed a second time (calamine parsed them).
    if memchr::memmem::find(xml, b"rPr").is_none() {
        return Ok(out);
    }
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut index = 0u32;
    let mut current = RunMarks::default();
    let mut in_run_props = false;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                current = RunMarks::default();
            }
            Event::End(e) if e.local_name().as_ref() == "si" => {
                if let Some(m) = current.mark() {
                    out.insert(index, m);
                }
                index = index.saturating_add(1);
            }
            Event::Start(e) if e.local_name().as_ref() == "rPr" => in_run_props = true,
            Event::End(e) if e.local_name().as_ref() == "rPr" => in_run_props = false,
            Event::Empty(e) | Event::Start(e)
                if in_run_props && e.local_name().as_ref() == "color" =>
            {
                current.add(&e);
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}

/// Whether a sheet may hold inline rich text (checked on the bytes before parsing).
pub(super) fn has_inline_runs(sheet: &[u8]) -> bool {
    memchr::memmem::find(sheet, b"<is><r").is_some()
}

/// The cells of a sheet whose runs carry a mark, by 0-based (row, column): shared strings
/// whose index is in `shared`, inline strings with a coloured run.
pub(super) fn sheet_cells(
    sheet: &[u8],
    shared: &HashMap<u32, Mark>,
) -> Result<HashMap<(u32, u32), Mark>, quick_xml::Error> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_reader(sheet);
    let mut buf = Vec::new();
    // The cell being read: its position and type.
    let mut cell: Option<((u32, u32), bool)> = None;
    let mut in_value = false;
    let mut in_run_props = false;
    let mut runs = RunMarks::default();
    let mut value = String::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let pos = e
                    .try_get_attribute("r")
                    .ok()
                    .flatten()
                    .and_then(|a| position(a.value.as_bytes()));
                let shared_type = e
                    .try_get_attribute("t")
                    .ok()
                    .flatten()
                    .is_some_and(|a| a.value.as_ref() == "s");
                cell = pos.map(|p| (p, shared_type));
                runs = RunMarks::default();
                value.clear();
            }
            Event::End(e) if e.local_name().as_ref() == "c" => {
                if let Some((pos, shared_type)) = cell.take() {
                    let mark = if shared_type {
                        value
                            .trim()
                            .parse::<u32>()
                            .ok()
                            .and_then(|i| shared.get(&i).copied())
                    } else {
                        runs.mark()
                    };
                    if let Some(m) = mark {
                        out.insert(pos, m);
                    }
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "v" => in_value = true,
            Event::End(e) if e.local_name().as_ref() == "v" => in_value = false,
            Event::Text(t) if in_value && cell.is_some() => {
                value.push_str(&t.xml10_content());
            }
            Event::Start(e) if e.local_name().as_ref() == "rPr" => in_run_props = true,
            Event::End(e) if e.local_name().as_ref() == "rPr" => in_run_props = false,
            Event::Empty(e) | Event::Start(e)
                if in_run_props && cell.is_some() && e.local_name().as_ref() == "color" =>
            {
                runs.add(&e);
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
        buf.clear();
    }
}

/// `B12` → (11, 1), 0-based.
fn position(reference: &[u8]) -> Option<(u32, u32)> {
    let letters = reference
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = reference[..letters].iter().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u32 = std::str::from_utf8(&reference[letters..])
        .ok()?
        .parse()
        .ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(position(b"A1"), Some((0, 0)));
        assert_eq!(position(b"B12"), Some((11, 1)));
        assert_eq!(position(b"AA3"), Some((2, 26)));
        assert_eq!(position(b"1"), None);
        assert_eq!(position(b"A0"), None);
    }

    #[test]
    fn a_red_run_marks_its_shared_string_and_its_cells() {
        let sst = br#"<sst><si><t>plain</t></si><si><r><t>04 91 </t></r><r><rPr><color rgb="FFFF0000"/></rPr><t>12 34 56</t></r></si><si><r><rPr><b/><color rgb="FF0070C0"/></rPr><t>new</t></r></si></sst>"#;
        let shared = shared_strings(sst).unwrap();
        assert_eq!(shared.get(&1), Some(&Mark::Red));
        assert_eq!(shared.get(&2), Some(&Mark::Blue));
        assert!(!shared.contains_key(&0));
        let sheet = br#"<worksheet><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="inlineStr"><is><r><t>a</t></r><r><rPr><color rgb="FFC00000"/></rPr><t>b</t></r></is></c><c r="D2"><v>1</v></c></row></sheetData></worksheet>"#;
        assert!(has_inline_runs(sheet));
        let cells = sheet_cells(sheet, &shared).unwrap();
        assert_eq!(cells.get(&(1, 1)), Some(&Mark::Red));
        assert_eq!(cells.get(&(1, 2)), Some(&Mark::Red));
        assert_eq!(cells.len(), 2, "{cells:?}");
    }
}
