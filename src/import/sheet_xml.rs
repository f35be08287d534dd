//! A worksheet's cells read straight from its XML, held in memory: a tenth of the time
//! calamine's streaming reader takes over the same bytes (a 100,000-offer sheet is
//! 147 MB of XML, 4 million cells). It gives the values calamine gives, cell for cell
//! (`tests/xlsx_scan.rs` compares both on every workbook the tests hold), for the
//! shapes a sheet takes: numbers and dates, shared, inline and formula strings,
//! booleans and errors. Anything else — a prefixed element, a row or a cell without
//! its reference, CDATA, a comment, an entity XML does not define — is
//! [`Unsupported`]: the scan stops at that cell and calamine reads on from there.

use calamine::{CellErrorType, DataRef, ExcelDateTime, ExcelDateTimeType, Style};
use memchr::{memchr, memchr3, memmem};
use std::borrow::Cow;

/// Where the scan cannot promise calamine's reading: calamine takes over.
#[derive(Debug, PartialEq)]
pub(super) struct Unsupported;

type Scanned<T> = Result<T, Unsupported>;

/// How a style's number format shows a number (calamine's private `CellFormat`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Shown {
    Number,
    DateTime,
    TimeDelta,
}

/// What cell values are read against: the shared strings, each style's [`Shown`], the
/// workbook's date system.
pub(super) struct Workbook<'w> {
    pub strings: &'w SharedStrings,
    pub shown: &'w [Shown],
    pub is_1904: bool,
}

/// One `<c>` element: 0-based row and column, style id, value as calamine gives it.
#[derive(Debug)]
pub(super) struct RawCell<'w> {
    pub row: u32,
    pub col: u32,
    pub style: usize,
    pub value: DataRef<'w>,
}

/// The cells of `<sheetData>`, in document order.
pub(super) struct Cells<'x> {
    xml: &'x [u8],
    at: usize,
    done: bool,
}

impl<'x> Cells<'x> {
    pub fn new(xml: &'x [u8]) -> Scanned<Self> {
        let start = memmem::find(xml, b"<sheetData").ok_or(Unsupported)?;
        let end = tag_end(xml, start)?;
        Ok(Cells {
            xml,
            at: end,
            // `<sheetData/>`: a sheet without cells.
            done: xml[..end].ends_with(b"/>"),
        })
    }

    /// The next cell, `None` after the last.
    pub fn next_cell<'w>(&mut self, book: &Workbook<'w>) -> Scanned<Option<RawCell<'w>>> {
        while !self.done {
            let xml = self.xml;
            let p = self.at + near(b'<', &xml[self.at..]).ok_or(Unsupported)?;
            let rest = &xml[p + 1..];
            if rest.starts_with(b"/sheetData>") {
                self.done = true;
                return Ok(None);
            }
            if rest.starts_with(b"/row>") {
                self.at = p + 6;
                continue;
            }
            if rest.starts_with(b"c ")
                && let Some((end, [r, s, t])) = cell_tag(xml, p)
            {
                return self.cell(end, r, s, t, book).map(Some);
            }
            let end = tag_end(xml, p)?;
            match name_of(rest)? {
                b"row" => self.at = end,
                b"c" => {
                    let (mut r, mut s, mut t) = (None, None, None);
                    for (name, value) in Attributes::of(&xml[p..end]) {
                        match name {
                            b"r" => r = Some(value),
                            b"s" => s = Some(value),
                            b"t" => t = Some(value),
                            _ => {}
                        }
                    }
                    return self.cell(end, r, s, t, book).map(Some);
                }
                _ => return Err(Unsupported),
            }
        }
        Ok(None)
    }

    /// The cell whose start tag ends at `end`, with its attributes `r`, `s` and `t`.
    fn cell<'w>(
        &mut self,
        end: usize,
        r: Option<&[u8]>,
        s: Option<&[u8]>,
        t: Option<&[u8]>,
        book: &Workbook<'w>,
    ) -> Scanned<RawCell<'w>> {
        let xml = self.xml;
        let (row, col) = cell_ref(r.ok_or(Unsupported)?)?;
        // calamine reads a style id it cannot parse as style 0.
        let style = s.map_or(0, |s| parse_usize(s).unwrap_or(0));
        let shown = match s {
            Some(_) => book.shown.get(style).copied(),
            None => Some(Shown::Number),
        };
        let mut cell = RawCell {
            row,
            col,
            style,
            value: DataRef::Empty,
        };
        self.at = end;
        if xml[..end].ends_with(b"/>") {
            return Ok(cell);
        }
        // Each child element read sets the value, as in calamine (an empty element,
        // `<v/>`, leaves it).
        loop {
            // The usual child, `<v>7</v>`, read at once; any other shape as below.
            if xml[self.at..].starts_with(b"<v>") {
                let start = self.at + 3;
                let close = start + near(b'<', &xml[start..]).ok_or(Unsupported)?;
                if xml[close..].starts_with(b"</v>") {
                    self.at = close + 4;
                    cell.value = match t {
                        Some(b"inlineStr" | b"is") => DataRef::Empty,
                        _ => value_of(&xml[start..close], t, shown, book)?,
                    };
                    continue;
                }
            }
            let p = self.at + near(b'<', &xml[self.at..]).ok_or(Unsupported)?;
            let rest = &xml[p + 1..];
            if rest.starts_with(b"/c>") {
                self.at = p + 4;
                return Ok(cell);
            }
            let end = tag_end(xml, p)?;
            let name = name_of(rest)?;
            if xml[..end].ends_with(b"/>") {
                self.at = end;
                continue;
            }
            let (inner, after) = element(xml, end, name)?;
            self.at = after;
            cell.value = match name {
                b"v" if matches!(t, Some(b"inlineStr" | b"is")) => DataRef::Empty,
                b"v" => value_of(inner, t, shown, book)?,
                b"f" => DataRef::Empty,
                b"is" => DataRef::String(string(inner)?),
                _ => return Err(Unsupported),
            };
        }
    }
}

/// The value of `<v>` (its raw content `v`) for the cell type `t`.
fn value_of<'w>(
    v: &[u8],
    t: Option<&[u8]>,
    shown: Option<Shown>,
    book: &Workbook<'w>,
) -> Scanned<DataRef<'w>> {
    // calamine reads these types' first text event raw: plain text only.
    let raw = || -> Scanned<&str> {
        if v.contains(&b'<') || v.contains(&b'&') || v.contains(&b'\r') {
            return Err(Unsupported);
        }
        std::str::from_utf8(v).map_err(|_| Unsupported)
    };
    Ok(match t {
        // A string's index in digits (every shared string): read as below, without
        // making it a `str` first.
        Some(b"s") if v.iter().all(u8::is_ascii_digit) && !v.is_empty() => DataRef::SharedString(
            book.strings
                .get(digits(v).unwrap_or(0))
                .ok_or(Unsupported)?,
        ),
        Some(b"s") => {
            let v = raw()?;
            if v.is_empty() {
                return Ok(DataRef::Empty);
            }
            let i = parse_usize(v.as_bytes()).unwrap_or(0);
            DataRef::SharedString(book.strings.get(i).ok_or(Unsupported)?)
        }
        Some(b"b") => match raw()?.trim() {
            "" => DataRef::Empty,
            v if v == "0" || v.eq_ignore_ascii_case("false") => DataRef::Bool(false),
            v if v == "1" || v.eq_ignore_ascii_case("true") => DataRef::Bool(true),
            _ => return Err(Unsupported),
        },
        Some(b"e") => DataRef::Error(raw()?.parse::<CellErrorType>().map_err(|_| Unsupported)?),
        Some(b"d") => DataRef::DateTimeIso(text(v)?.into_owned()),
        Some(b"str") => {
            let mut s = String::new();
            push_units(&text(v)?, &mut s);
            DataRef::String(s)
        }
        Some(b"n") | None => {
            let v = raw()?;
            if v.is_empty() {
                return Ok(DataRef::Empty);
            }
            match v.parse::<f64>() {
                Ok(n) => number(n, shown, book.is_1904),
                Err(_) if t.is_none() => DataRef::String(v.to_string()),
                Err(_) => return Err(Unsupported),
            }
        }
        Some(_) => return Err(Unsupported),
    })
}

fn number(n: f64, shown: Option<Shown>, is_1904: bool) -> DataRef<'static> {
    match shown {
        Some(Shown::DateTime) => {
            DataRef::DateTime(ExcelDateTime::new(n, ExcelDateTimeType::DateTime, is_1904))
        }
        Some(Shown::TimeDelta) => {
            DataRef::DateTime(ExcelDateTime::new(n, ExcelDateTimeType::TimeDelta, is_1904))
        }
        _ => DataRef::Float(n),
    }
}

/// The shared strings of a workbook, end to end in one buffer: 8 bytes per string
/// besides its text, where a `String` each would take 24 and an allocation (a crafted
/// part of a million empty strings must not cost more than its size several times).
#[derive(Debug, Default)]
pub(super) struct SharedStrings {
    text: String,
    ends: Vec<usize>,
}

impl SharedStrings {
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1],
        };
        Some(&self.text[start..end])
    }

    #[cfg(test)]
    fn of(strings: &[&str]) -> Self {
        let mut out = SharedStrings::default();
        for s in strings {
            out.text.push_str(s);
            out.ends.push(out.text.len());
        }
        out
    }
}

/// The last row of a sheet's `<dimension ref="A1:AB10005"/>` (10005), which comes
/// before its data; `None` when the sheet's first bytes declare none.
pub(super) fn declared_last_row(xml: &[u8]) -> Option<u32> {
    let head = &xml[..xml.len().min(4096)];
    let at = memchr::memmem::find(head, b"<dimension")?;
    let after = &head[at..];
    let start = memchr::memmem::find(after, b"ref=\"")? + 5;
    let value = &after[start..];
    let value = &value[..memchr::memchr(b'"', value)?];
    let last = value.rsplit(|b| *b == b':').next()?;
    let letters = last.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    std::str::from_utf8(&last[letters..]).ok()?.parse().ok()
}

/// The shared strings of `xl/sharedStrings.xml`, in order.
pub(super) fn shared_strings(xml: &[u8]) -> Scanned<SharedStrings> {
    let start = memmem::find(xml, b"<sst").ok_or(Unsupported)?;
    let mut at = tag_end(xml, start)?;
    let mut out = SharedStrings::default();
    if xml[..at].ends_with(b"/>") {
        return Ok(out);
    }
    loop {
        let p = at + memchr(b'<', &xml[at..]).ok_or(Unsupported)?;
        let rest = &xml[p + 1..];
        if rest.starts_with(b"/sst>") {
            return Ok(out);
        }
        // The usual string, `<si><t>text</t></si>`, read at once: what the general
        // reading below does with it, without reading its tags.
        if rest.starts_with(b"si><t>") {
            let start = p + 7;
            let close = start + memchr(b'<', &xml[start..]).ok_or(Unsupported)?;
            if xml[close..].starts_with(b"</t></si>") {
                let value = text(&xml[start..close])?;
                push_units(value.trim_matches([' ', '\t', '\r', '\n']), &mut out.text);
                out.ends.push(out.text.len());
                at = close + 9;
                continue;
            }
        }
        let end = tag_end(xml, p)?;
        let name = name_of(rest)?;
        // calamine reads `<si>` start tags only: `<si/>` adds no string.
        if xml[..end].ends_with(b"/>") {
            at = end;
            continue;
        }
        let (inner, after) = element(xml, end, name)?;
        if name == b"si" {
            string_into(inner, &mut out.text)?;
            out.ends.push(out.text.len());
        }
        at = after;
    }
}

/// The text of a rich or plain string (`<si>` or `<is>` content), as calamine reads it:
/// the `<t>` elements joined, phonetic runs (`<rPh>`) left out, each `<t>` trimmed of
/// ASCII spaces unless `xml:space="preserve"`, `_xHHHH_` escapes decoded.
fn string(xml: &[u8]) -> Scanned<String> {
    let mut out = String::new();
    string_into(xml, &mut out)?;
    Ok(out)
}

/// [`string`], appended to `out` (calamine's rich buffer only joins the `<t>` texts).
fn string_into(xml: &[u8], out: &mut String) -> Scanned<()> {
    let mut phonetic = false;
    let mut at = 0;
    while let Some(k) = memchr(b'<', &xml[at..]) {
        let p = at + k;
        let rest = &xml[p + 1..];
        let end = tag_end(xml, p)?;
        at = end;
        if let Some(closing) = rest.strip_prefix(b"/") {
            if name_of(closing)? == b"rPh" {
                phonetic = false;
            }
            continue;
        }
        let name = name_of(rest)?;
        if xml[..end].ends_with(b"/>") {
            continue;
        }
        match name {
            b"rPh" => phonetic = true,
            b"t" if !phonetic => {
                let preserve = Attributes::of(&xml[p..end])
                    .any(|(n, v)| n == b"xml:space" && v == b"preserve");
                let (inner, after) = element(xml, end, b"t")?;
                at = after;
                let value = text(inner)?;
                match preserve {
                    true => push_units(&value, out),
                    false => push_units(value.trim_matches([' ', '\t', '\r', '\n']), out),
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Character data: line ends normalised (XML 1.0), then the predefined entities and
/// character references resolved by quick-xml, as calamine's reader does (a `&#13;`
/// stays a carriage return). Text with neither (most cells) is borrowed, not copied.
fn text(raw: &[u8]) -> Scanned<Cow<'_, str>> {
    if raw.contains(&b'<') {
        // CDATA, a comment or an element inside the text.
        return Err(Unsupported);
    }
    let raw = std::str::from_utf8(raw).map_err(|_| Unsupported)?;
    if memchr::memchr2(b'\r', b'&', raw.as_bytes()).is_none() {
        return Ok(Cow::Borrowed(raw));
    }
    let mut lines = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\r') {
        lines.push_str(&rest[..i]);
        lines.push('\n');
        rest = &rest[i + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    lines.push_str(rest);
    match quick_xml::escape::unescape(&lines) {
        Ok(Cow::Borrowed(_)) => Ok(Cow::Owned(lines)),
        Ok(Cow::Owned(text)) => Ok(Cow::Owned(text)),
        Err(_) => Err(Unsupported),
    }
}

/// Decodes the `_xHHHH_` escapes Excel writes for characters XML cannot hold
/// (calamine's `unescape_xml`): UTF-16 units, a surrogate pair joined, a lone
/// surrogate read as U+FFFD. Appended to `out`.
fn push_units(s: &str, out: &mut String) {
    fn unit(s: &str, i: usize) -> Option<u16> {
        let b = s.as_bytes().get(i..i + 7)?;
        if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' {
            return None;
        }
        let hex = std::str::from_utf8(&b[2..6]).ok()?;
        hex.bytes()
            .all(|c| c.is_ascii_hexdigit())
            .then(|| u16::from_str_radix(hex, 16).ok())?
    }
    let mut i = 0;
    let mut copied = 0;
    while let Some(k) = s[i..].find('_') {
        i += k;
        let Some(u) = unit(s, i) else {
            i += 1;
            continue;
        };
        out.push_str(&s[copied..i]);
        i += 7;
        let c = match u {
            0xD800..=0xDBFF => match unit(s, i) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    i += 7;
                    char::from_u32(
                        0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00),
                    )
                }
                _ => None,
            },
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(u32::from(u)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = i;
    }
    out.push_str(&s[copied..]);
}

/// How far the plain loops of [`near`] and [`near3`] look before the vectorised search.
const NEAR: usize = 16;

/// `memchr` for the short hops of a sheet's markup: the next `<`, `=` or quote is a few
/// bytes away (`<c r="B2" s="1" t="s"><v>7</v></c>`), where `memchr`'s set-up costs
/// more than the search; a long text goes on with `memchr`.
#[inline]
fn near(needle: u8, hay: &[u8]) -> Option<usize> {
    let head = hay.len().min(NEAR);
    match hay[..head].iter().position(|&b| b == needle) {
        Some(i) => Some(i),
        None => memchr(needle, &hay[head..]).map(|i| i + head),
    }
}

/// [`near`] for any of three bytes (`memchr3`).
#[inline]
fn near3(a: u8, b: u8, c: u8, hay: &[u8]) -> Option<usize> {
    let head = hay.len().min(NEAR);
    match hay[..head].iter().position(|&x| x == a || x == b || x == c) {
        Some(i) => Some(i),
        None => memchr3(a, b, c, &hay[head..]).map(|i| i + head),
    }
}

/// The content of the element `name` whose start tag ends at `start`, and where its end
/// tag ends. Elements of the same name do not nest in a sheet.
fn element<'x>(xml: &'x [u8], start: usize, name: &[u8]) -> Scanned<(&'x [u8], usize)> {
    let mut at = start;
    loop {
        let p = at + near(b'<', &xml[at..]).ok_or(Unsupported)?;
        let rest = &xml[p + 1..];
        if let Some(after) = rest.strip_prefix(b"/")
            && let Some(after) = after.strip_prefix(name)
            && after.first() == Some(&b'>')
        {
            return Ok((&xml[start..p], p + name.len() + 3));
        }
        at = p + 1;
    }
}

/// Where the tag starting at `p` (`<`) ends, past its `>`; quoted values may hold `>`.
fn tag_end(xml: &[u8], p: usize) -> Scanned<usize> {
    let mut i = p + 1;
    loop {
        let k = i + near3(b'>', b'"', b'\'', &xml[i..]).ok_or(Unsupported)?;
        match xml[k] {
            b'>' => return Ok(k + 1),
            quote => i = k + 1 + near(quote, &xml[k + 1..]).ok_or(Unsupported)? + 1,
        }
    }
}

/// The `r`, `s` and `t` attributes of the cell's start tag at `p` (`<c `) and where the
/// tag ends, read in one pass for the shape sheets have (`<c r="B2" s="1" t="s">`:
/// names of letters and digits, each with `=` and a quoted value, spaces between).
/// `None` for any other shape: [`tag_end`] and [`Attributes`] then read the tag, and
/// give the same for this one.
fn cell_tag(xml: &[u8], p: usize) -> Option<(usize, [Option<&[u8]>; 3])> {
    let mut found = [None; 3];
    let mut i = p + 2;
    loop {
        match *xml.get(i)? {
            b' ' => i += 1,
            b'>' => return Some((i + 1, found)),
            b'/' => return (xml.get(i + 1) == Some(&b'>')).then_some((i + 2, found)),
            _ => {
                let start = i;
                while xml.get(i)?.is_ascii_alphanumeric() {
                    i += 1;
                }
                let quote = *xml.get(i + 1)?;
                if i == start || xml[i] != b'=' || (quote != b'"' && quote != b'\'') {
                    return None;
                }
                let close = i + 2 + near(quote, &xml[i + 2..])?;
                let value = Some(&xml[i + 2..close]);
                match &xml[start..i] {
                    b"r" => found[0] = value,
                    b"s" => found[1] = value,
                    b"t" => found[2] = value,
                    _ => {}
                }
                i = close + 1;
            }
        }
    }
}

/// The element name at the start of `rest` (after `<`); a prefixed name, a comment, a
/// processing instruction or CDATA is not scanned.
fn name_of(rest: &[u8]) -> Scanned<&[u8]> {
    let len = rest
        .iter()
        .position(|&b| matches!(b, b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n'))
        .ok_or(Unsupported)?;
    let name = &rest[..len];
    match name.first() {
        Some(c) if c.is_ascii_alphabetic() && !name.contains(&b':') => Ok(name),
        _ => Err(Unsupported),
    }
}

/// The attributes of a start tag, raw (`<c r="A1" s="2">` gives `r`, `A1` and `s`, `2`).
struct Attributes<'t> {
    tag: &'t [u8],
    at: usize,
}

impl<'t> Attributes<'t> {
    fn of(tag: &'t [u8]) -> Self {
        let at = tag
            .iter()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(tag.len());
        Attributes { tag, at }
    }
}

impl<'t> Iterator for Attributes<'t> {
    type Item = (&'t [u8], &'t [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let tag = self.tag;
        let eq = self.at + near(b'=', &tag[self.at..])?;
        let name = tag[self.at..eq].trim_ascii();
        let q = eq
            + 1
            + tag[eq + 1..]
                .iter()
                .position(|&b| b == b'"' || b == b'\'')?;
        let close = q + 1 + near(tag[q], &tag[q + 1..])?;
        self.at = close + 1;
        Some((name, &tag[q + 1..close]))
    }
}

/// `B12` as (11, 1): 0-based row and column.
fn cell_ref(r: &[u8]) -> Scanned<(u32, u32)> {
    let letters = r.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let (col, row) = r.split_at(letters);
    let col = col.iter().try_fold(0u32, |n, c| {
        n.checked_mul(26)?.checked_add(u32::from(c - b'A') + 1)
    });
    let row = digits(row).and_then(|n| u32::try_from(n).ok());
    match (row, col) {
        (Some(row @ 1..), Some(col @ 1..)) => Ok((row - 1, col - 1)),
        _ => Err(Unsupported),
    }
}

/// `s` parsed as `str::parse::<usize>` does (an optional `+`, then digits), without
/// making it a `str` first: two numbers of every cell (its style, its string's index).
fn parse_usize(s: &[u8]) -> Option<usize> {
    digits(s.strip_prefix(b"+").unwrap_or(s))
}

/// The value of one or more ASCII digits; `None` for anything else or past `usize`.
fn digits(s: &[u8]) -> Option<usize> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0usize, |n, &c| {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n.checked_mul(10)?.checked_add(usize::from(d))
    })
}

/// How numbers of each style are shown, from its number format as calamine parsed it.
pub(super) fn shown(style: &Style) -> Shown {
    let Some(format) = &style.number_format else {
        return Shown::Number;
    };
    let id = format.format_id;
    let builtin = id.and_then(builtin_code);
    // calamine classifies a format by its id when the workbook does not define it
    // (the style then carries the built-in code, or "General" for an id without one).
    match (id, builtin) {
        (Some(id), Some(code)) if code == format.format_code => builtin_shown(id),
        (Some(id), None) if format.format_code == "General" => builtin_shown(id),
        _ => custom_shown(&format.format_code),
    }
}

/// The built-in format codes calamine knows (ECMA-376 18.8.30), as far as they
/// matter here: a style whose code is one of these was not defined by the workbook.
fn builtin_code(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// calamine's `builtin_format_by_id`.
fn builtin_shown(id: u32) -> Shown {
    match id {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => Shown::DateTime,
        46 => Shown::TimeDelta,
        _ => Shown::Number,
    }
}

/// calamine's `detect_custom_number_format` (MIT, © Johann Tuffe): whether the first
/// section of a format code shows a date, a duration or a number.
fn custom_shown(format: &str) -> Shown {
    let (mut escaped, mut quoted, mut brackets) = (false, false, 0u8);
    let (mut prev, mut hms, mut ap) = (' ', false, false);
    for s in format.chars() {
        match (s, escaped, quoted, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => quoted = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => quoted = true,
            (';', ..) => return Shown::Number,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return Shown::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Shown::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Shown::DateTime;
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    Shown::Number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_declares_its_last_row_in_its_dimension() {
        let sheet = |dimension: &str| {
            format!(
                r#"<?xml version="1.0"?><worksheet xmlns="x"><dimension {dimension}/><sheetData><row r="1"/></sheetData></worksheet>"#
            )
        };
        assert_eq!(
            declared_last_row(sheet(r#"ref="A1:AB10005""#).as_bytes()),
            Some(10005)
        );
        assert_eq!(declared_last_row(sheet(r#"ref="C7""#).as_bytes()), Some(7));
        assert_eq!(declared_last_row(sheet(r#"ref="A1:XFD""#).as_bytes()), None);
        assert_eq!(
            declared_last_row(b"<worksheet><sheetData/></worksheet>"),
            None
        );
        // Only the sheet's first bytes are looked at: a dimension deep in the data is not one.
        let late = format!("<worksheet>{}<dimension ref=\"A1:B9\"/>", " ".repeat(5000));
        assert_eq!(declared_last_row(late.as_bytes()), None);
    }

    proptest::proptest! {
        #[test]
        fn numbers_read_as_str_parse_reads_them(s in "[+-]?[0-9a :/]{0,22}") {
            let by_str = |s: &str| s.parse::<usize>().ok();
            proptest::prop_assert_eq!(parse_usize(s.as_bytes()), by_str(&s));
            let cell = format!("AB{}", s);
            let by_str_row = s
                .bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| s.parse::<u32>().ok())
                .flatten();
            let expected = match by_str_row {
                Some(row @ 1..) => Ok((row - 1, 27)),
                _ => Err(Unsupported),
            };
            proptest::prop_assert_eq!(cell_ref(cell.as_bytes()), expected);
        }
    }

    proptest::proptest! {
        /// Cell tags of every shape: attributes with either quote, spaces, tabs, stray
        /// signs, a `>` or a quote inside a value, self-closing or not.
        #[test]
        fn a_cell_tag_read_in_one_pass_is_read_as_tag_end_and_attributes_read_it(
            tag in "<c( {1,2}| [rstx]{1,2}=\"[A-Z0-9>']{0,3}\"| [rst]='[0-9\"]{0,2}'|\t|=|/| [rst] = \"1\"){0,5}(>|/>| ){1,2}<v>1</v>",
        ) {
            let xml = tag.as_bytes();
            if let Some((end, found)) = cell_tag(xml, 0) {
                proptest::prop_assert_eq!(Ok(end), tag_end(xml, 0));
                let mut general = [None; 3];
                for (name, value) in Attributes::of(&xml[..end]) {
                    match name {
                        b"r" => general[0] = Some(value),
                        b"s" => general[1] = Some(value),
                        b"t" => general[2] = Some(value),
                        _ => {}
                    }
                }
                proptest::prop_assert_eq!(found, general);
            }
        }
    }

    #[test]
    fn numbers_at_the_edges_of_their_types() {
        for s in [
            "",
            "+",
            "-0",
            "0",
            "+7",
            "18446744073709551615",
            "18446744073709551616",
            "007",
            "1:",
            "/1",
        ] {
            assert_eq!(parse_usize(s.as_bytes()), s.parse::<usize>().ok(), "{s:?}");
        }
        assert_eq!(cell_ref(b"A4294967295"), Ok((4_294_967_294, 0)));
        assert_eq!(cell_ref(b"A4294967296"), Err(Unsupported));
        assert_eq!(cell_ref(b"A0"), Err(Unsupported));
        assert_eq!(cell_ref(b"A+1"), Err(Unsupported));
    }

    #[test]
    fn the_short_searches_find_what_memchr_finds() {
        // Every position of the byte sought, or none, in texts shorter and longer than
        // the plain loop's reach.
        for len in 0..=3 * NEAR {
            for at in (0..len).map(Some).chain([None]) {
                let mut hay = vec![b'x'; len];
                if let Some(at) = at {
                    hay[at] = b'<';
                    // A second one after it: the first is the one found.
                    if at + 5 < len {
                        hay[at + 5] = b'<';
                    }
                }
                assert_eq!(near(b'<', &hay), memchr(b'<', &hay), "{len} {at:?}");
                for q in [b'>', b'"', b'\'', b'<'] {
                    let mut hay = hay.clone();
                    if let Some(at) = at {
                        hay[at] = q;
                    }
                    assert_eq!(
                        near3(b'>', b'"', b'\'', &hay),
                        memchr3(b'>', b'"', b'\'', &hay),
                        "{len} {at:?} {q}"
                    );
                }
            }
        }
    }

    fn book() -> (SharedStrings, Vec<Shown>) {
        (
            SharedStrings::of(&["zéro", "un"]),
            vec![Shown::Number, Shown::DateTime],
        )
    }

    fn cells(xml: &str) -> Scanned<Vec<(u32, u32, usize, String)>> {
        let (strings, shown) = book();
        let book = Workbook {
            strings: &strings,
            shown: &shown,
            is_1904: false,
        };
        let mut scan = Cells::new(xml.as_bytes())?;
        let mut out = Vec::new();
        while let Some(c) = scan.next_cell(&book)? {
            out.push((c.row, c.col, c.style, format!("{:?}", c.value)));
        }
        Ok(out)
    }

    #[test]
    fn the_common_cells_read_as_calamine_reads_them() {
        let xml = r#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1" s="1"><v>46000</v></c></row>
            <row r="2" spans="1:3"><c r="B2" t="str"><f>A1&amp;"x"</f><v>un &amp; x</v></c>
              <c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c><c r="E2"/>
              <c r="F2" t="inlineStr"><is><r><t xml:space="preserve"> a </t></r><r><t>b_x000D_</t></r><rPh><t>phon</t></rPh></is></c></row>
            </sheetData></worksheet>"#;
        let got = cells(xml).unwrap();
        let values: Vec<&str> = got.iter().map(|c| c.3.as_str()).collect();
        assert_eq!(
            values,
            [
                "SharedString(\"un\")",
                "DateTime(ExcelDateTime { value: 46000.0, datetime_type: DateTime, is_1904: false })",
                "String(\"un & x\")",
                "Bool(true)",
                "Error(NA)",
                "Empty",
                "String(\" a b\\r\")",
            ]
        );
        assert_eq!((got[0].0, got[0].1), (0, 0));
        assert_eq!((got[6].0, got[6].1, got[1].2), (1, 5, 1));
    }

    #[test]
    fn what_calamine_must_read_is_left_to_it() {
        for xml in [
            r#"<x:sheetData><x:row r="1"/></x:sheetData>"#,
            r#"<sheetData><row r="1"><c><v>1</v></c></row></sheetData>"#,
            r#"<sheetData><row r="1"><c r="A1" t="str"><v><![CDATA[x]]></v></c></row></sheetData>"#,
            r#"<sheetData><row r="1"><c r="A1" t="s"><v>9</v></c></row></sheetData>"#,
            r#"<sheetData><row r="1"><c r="A1" t="str"><v>&nbsp;</v></c></row></sheetData>"#,
            r#"<sheetData><row r="1"><c r="A1" t="str"><v>&#+65;</v></c></row></sheetData>"#,
            r#"<sheetData><row r="1"><c r="A1" t="z"><v>1</v></c></row></sheetData>"#,
            r#"<sheetData><row r="1"><c r="A1"><v>1</v></c>"#,
        ] {
            assert_eq!(cells(xml).err(), Some(Unsupported), "{xml}");
        }
    }

    #[test]
    fn shared_strings_are_joined_trimmed_and_unescaped() {
        let xml = br#"<?xml version="1.0"?><sst count="3"><si><t>  Bac pro
 </t></si><si/><si><r><rPr><color rgb="FFFF0000"/></rPr><t>A&lt;B</t></r><r><t xml:space="preserve"> &#233;t&#xE9; </t></r></si><si></si></sst>"#;
        let strings = shared_strings(xml).unwrap();
        let all: Vec<&str> = (0..3).map(|i| strings.get(i).unwrap()).collect();
        assert_eq!(all, ["Bac pro", "A<B été ", ""]);
        assert_eq!(strings.get(3), None);
    }

    proptest::proptest! {
        /// A plain string read at once is read as the general reading reads it (which
        /// a space in its `<si >` tag sends it to): spaces, entities, line ends,
        /// escapes, markup inside.
        #[test]
        fn a_plain_shared_string_reads_the_same_at_once(
            text in "( |\r|\n|\t|a|\u{e9}|_x0041_|_x00|&amp;|&#233;|&bad;|<b/>|</t>|>){0,8}",
        ) {
            let at_once = format!("<sst><si><t>{text}</t></si><si><t>b</t></si></sst>");
            let general = format!("<sst><si ><t>{text}</t></si><si ><t>b</t></si></sst>");
            let read = |xml: &str| {
                shared_strings(xml.as_bytes())
                    .map(|s| (0..s.ends.len()).map(|i| s.get(i).unwrap().to_string()).collect::<Vec<_>>())
            };
            proptest::prop_assert_eq!(read(&at_once), read(&general));
        }
    }

    #[test]
    fn number_formats_are_classified_as_calamine_does() {
        assert_eq!(custom_shown("dd/mm/yyyy"), Shown::DateTime);
        assert_eq!(custom_shown("[h]:mm:ss"), Shown::TimeDelta);
        assert_eq!(custom_shown("0.00\\ \"h\""), Shown::Number);
        assert_eq!(custom_shown("#,##0;[Red]d"), Shown::Number);
        assert_eq!(builtin_shown(14), Shown::DateTime);
        assert_eq!(builtin_shown(49), Shown::Number);
    }
}
