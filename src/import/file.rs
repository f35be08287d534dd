//! Opening an export: the extension says what is expected, the first bytes say what the
//! file really is, and a zip is checked entry by entry before any parser touches it.

use super::{Book, ImportError, Location};
use crate::config::Limits;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// The shared strings part, where Excel and LibreOffice put it.
pub(super) const SHARED_STRINGS: &str = "xl/sharedStrings.xml";
/// The name [`SHARED_STRINGS`] goes by in the unpacked copy: one calamine does not look
/// for, so that opening the copy does not parse the strings the scan parses anyway (a
/// quarter of a second at 100,000 rows, on the import's path). A source entry of that
/// name drops the copy.
pub(super) const SHARED_STRINGS_SET_ASIDE: &str = "vitrine/xl/sharedStrings.xml";

/// The name of the part `name` in the unpacked copy.
pub(super) fn in_copy(name: &str) -> &str {
    match name {
        SHARED_STRINGS => SHARED_STRINGS_SET_ASIDE,
        other => other,
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP_MAGIC: &[u8] = b"PK\x05\x06";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Opens the export with the reader its content calls for.
pub(super) fn open(path: &Path, limits: &Limits) -> Result<Box<dyn Book>, ImportError> {
    let at = Location::file(path);
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if !matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods" | "csv") {
        return Err(ImportError::UnsupportedFormat {
            at,
            extension: if extension.is_empty() {
                "(no extension)".into()
            } else {
                extension
            },
        });
    }
    let io = |source| ImportError::Io {
        at: at.clone(),
        source,
    };
    let mut head = Vec::with_capacity(8);
    File::open(path)
        .map_err(io)?
        .take(8)
        .read_to_end(&mut head)
        .map_err(io)?;

    if head.starts_with(OLE_MAGIC) {
        return ole(path);
    }
    if extension == "csv" {
        if head.starts_with(ZIP_MAGIC) {
            return Err(ImportError::NotASpreadsheet {
                at,
                detail: "a zipped workbook (xlsx or ods) named .csv: rename it".into(),
            });
        }
        return Ok(Box::new(super::csv::CsvBook::open(path, limits)?));
    }
    if head.starts_with(EMPTY_ZIP_MAGIC) {
        return Err(ImportError::NotASpreadsheet {
            at,
            detail: "empty zip archive".into(),
        });
    }
    if !head.starts_with(ZIP_MAGIC) {
        return Err(ImportError::NotASpreadsheet {
            at,
            detail: describe(&head),
        });
    }
    let (kind, unpacked) = check_zip(path, limits)?;
    match kind {
        ZipKind::Xlsx(parts) => Ok(Box::new(super::xlsx::XlsxBook::open(
            path,
            parts,
            limits.max_sheet_bytes,
            unpacked,
        )?)),
        ZipKind::Ods => Ok(Box::new(super::ods::OdsBook::open(path, limits)?)),
    }
}

/// What the first bytes of a file that is not a zip look like, in plain words.
fn describe(head: &[u8]) -> String {
    let what = if head.starts_with(b"\x89PNG") {
        "a PNG image"
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "a JPEG image"
    } else if head.starts_with(b"%PDF") {
        "a PDF document"
    } else if head.starts_with(b"<") || head.starts_with(b"\xEF\xBB\xBF<") {
        "an HTML or XML document"
    } else if head.is_empty() {
        "an empty file"
    } else {
        "not an xlsx/ods archive"
    };
    format!("the content is {what}")
}

/// An OLE compound file is either an encrypted OOXML workbook (its `EncryptedPackage`
/// stream, which calamine's compound-file reader looks for) or an old binary `.xls`,
/// read for its values.
fn ole(path: &Path) -> Result<Box<dyn Book>, ImportError> {
    let at = Location::file(path);
    let file = File::open(path).map_err(|source| ImportError::Io {
        at: at.clone(),
        source,
    })?;
    match <calamine::Xlsx<_> as calamine::Reader<_>>::new(BufReader::new(file)) {
        Err(calamine::XlsxError::Password) => Err(ImportError::Encrypted { at }),
        _ => Ok(Box::new(super::xls::XlsBook::open(path)?)),
    }
}

/// What a zip turned out to hold.
enum ZipKind {
    /// Sheet names with the path of their part, in workbook order.
    Xlsx(Vec<(String, String)>),
    Ods,
}

/// Opens a workbook's zip archive; an unreadable one is a corrupt file.
pub(super) fn open_zip(path: &Path) -> Result<zip::ZipArchive<BufReader<File>>, ImportError> {
    let file = File::open(path).map_err(|source| ImportError::Io {
        at: Location::file(path),
        source,
    })?;
    zip_of(BufReader::new(file), path)
}

/// The zip archive `reader` holds, the file `path` or a copy of it.
pub(super) fn zip_of<R: Read + std::io::Seek>(
    reader: R,
    path: &Path,
) -> Result<zip::ZipArchive<R>, ImportError> {
    zip::ZipArchive::new(reader).map_err(|e| ImportError::Corrupt {
        at: Location::file(path),
        detail: format!("unreadable zip archive: {e}"),
    })
}

/// A checked xlsx archive again, its entries stored (not compressed) in memory: the
/// check inflated every entry once already, and the parsers read it from here instead
/// of inflating the sheet and its strings a second and third time (a tenth of the
/// import's time).
#[derive(Clone)]
pub(super) struct Unpacked(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for Unpacked {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// The stored copy of an archive being made while its entries are checked; dropped
/// (`None`) once it would outgrow the limit of one part (`max_sheet_bytes`: the
/// copy's memory has the bound a sheet has; a larger workbook, some 150,000 rows by
/// default, is read from the file).
struct Unpacking {
    writer: Option<zip::ZipWriter<std::io::Cursor<Vec<u8>>>>,
    bytes: u64,
    budget: u64,
}

impl Unpacking {
    /// `declared`: the sizes the archive gives its entries (they can lie: a floor for
    /// the first allocation, bounded by the budget).
    fn new(declared: u64, entries: usize, budget: u64) -> Self {
        let headers = entries as u64 * 256;
        let start = declared.saturating_add(headers).min(budget + headers) as usize;
        Unpacking {
            writer: Some(zip::ZipWriter::new(std::io::Cursor::new(
                Vec::with_capacity(start),
            ))),
            bytes: 0,
            budget,
        }
    }

    /// Copies an entry into the stored archive as it is read, and returns its length.
    /// An error reading the entry is the error; an entry the copy cannot take (over
    /// the budget, a name given twice) drops the copy, and the rest of the entry is
    /// only counted.
    fn copy(&mut self, name: &str, entry: &mut impl Read) -> std::io::Result<u64> {
        let mut counted = Counted { inner: entry, n: 0 };
        if name == SHARED_STRINGS_SET_ASIDE {
            self.writer = None;
        }
        let name = in_copy(name);
        if let Some(writer) = self.writer.as_mut() {
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
                .large_file(self.budget >= u64::from(u32::MAX));
            let mut budgeted = Budgeted {
                inner: writer,
                left: self.budget - self.bytes,
                failed: false,
            };
            let copied = match budgeted.inner.start_file(name, stored) {
                Ok(()) => std::io::copy(&mut counted, &mut budgeted).map(|_| ()),
                Err(_) => Err(budgeted.fail()),
            };
            // A write that failed drops the copy; any other error is the entry's.
            if budgeted.failed {
                self.writer = None;
            } else {
                copied?;
            }
        }
        std::io::copy(&mut counted, &mut std::io::sink())?;
        self.bytes += counted.n;
        Ok(counted.n)
    }

    fn finish(self) -> Option<Unpacked> {
        let bytes = self.writer?.finish().ok()?.into_inner();
        Some(Unpacked(std::sync::Arc::new(bytes)))
    }
}

/// A reader that counts what it gave.
struct Counted<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

/// A writer that refuses to go over its budget, and says when it failed.
struct Budgeted<'a, W> {
    inner: &'a mut W,
    left: u64,
    failed: bool,
}

impl<W> Budgeted<'_, W> {
    fn fail(&mut self) -> std::io::Error {
        self.failed = true;
        std::io::Error::other("the unpacked copy cannot take this entry")
    }
}

impl<W: std::io::Write> std::io::Write for Budgeted<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() as u64 > self.left {
            return Err(self.fail());
        }
        match self.inner.write(buf) {
            Ok(n) => {
                self.left -= n as u64;
                Ok(n)
            }
            Err(_) => Err(self.fail()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Reads every entry of the archive through a bounded counter (the sizes a zip declares
/// can lie), so a decompression bomb or a truncated entry is refused before a parser
/// allocates anything.
///
/// An xlsx archive comes back unpacked (its entries stored in memory) unless it is very
/// large.
fn check_zip(path: &Path, limits: &Limits) -> Result<(ZipKind, Option<Unpacked>), ImportError> {
    let at = Location::file(path);
    let corrupt = |detail: String| ImportError::Corrupt {
        at: at.clone(),
        detail,
    };
    let mut zip = open_zip(path)?;

    let small = |zip: &mut zip::ZipArchive<BufReader<File>>, name: &str| -> Option<Vec<u8>> {
        let entry = zip.by_name(name).ok()?;
        let mut out = Vec::new();
        entry
            .take(limits.max_sheet_bytes)
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    };
    let kind = if let Some(workbook) = small(&mut zip, "xl/workbook.xml") {
        let rels = small(&mut zip, "xl/_rels/workbook.xml.rels").unwrap_or_default();
        ZipKind::Xlsx(sheet_parts(&workbook, &rels))
    } else if small(&mut zip, "mimetype")
        .is_some_and(|m| m.starts_with(b"application/vnd.oasis.opendocument.spreadsheet"))
    {
        ZipKind::Ods
    } else {
        return Err(ImportError::NotASpreadsheet {
            at,
            detail: "a zip archive without a workbook (neither xl/workbook.xml nor an OpenDocument spreadsheet)".into(),
        });
    };

    let mut unpacking = match kind {
        ZipKind::Xlsx(_) => Some(Unpacking::new(
            zip.decompressed_size()
                .map_or(u64::MAX, |n| u64::try_from(n).unwrap_or(u64::MAX)),
            zip.len(),
            limits.max_sheet_bytes,
        )),
        ZipKind::Ods => None,
    };
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| corrupt(format!("zip entry {i} unreadable: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let mut bound = (&mut entry).take(limits.max_sheet_bytes + 1);
        let read = match unpacking.as_mut() {
            Some(unpacking) => unpacking.copy(&name, &mut bound),
            None => std::io::copy(&mut bound, &mut std::io::sink()),
        }
        .map_err(|e| corrupt(format!("{name}: {e}")))?;
        if read > limits.max_sheet_bytes {
            let sheet = match &kind {
                ZipKind::Xlsx(parts) => parts
                    .iter()
                    .find(|(_, p)| *p == name)
                    .map(|(s, _)| s.clone()),
                ZipKind::Ods => None,
            };
            return Err(ImportError::SheetTooLarge {
                at: Location::sheet(path, sheet.as_deref()),
                part: name,
                limit: limits.max_sheet_bytes,
            });
        }
    }
    Ok((kind, unpacking.and_then(Unpacking::finish)))
}

/// Sheet names and their part paths from `xl/workbook.xml` and its relationships.
/// Parsed loosely: this only serves to name a sheet in an error message.
fn sheet_parts(workbook: &[u8], rels: &[u8]) -> Vec<(String, String)> {
    let workbook = String::from_utf8_lossy(workbook);
    let rels = String::from_utf8_lossy(rels);
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let start = tag.find(&key)? + key.len();
        let end = tag[start..].find('"')? + start;
        Some(unescape(&tag[start..end]))
    };
    let targets: Vec<(String, String)> = rels
        .split("<Relationship ")
        .skip(1)
        .filter_map(|t| {
            Some((
                attr(&format!(" {t}"), "Id")?,
                attr(&format!(" {t}"), "Target")?,
            ))
        })
        .collect();
    workbook
        .split("<sheet ")
        .skip(1)
        .filter_map(|t| {
            let t = format!(" {t}");
            let name = attr(&t, "name")?;
            let id = attr(&t, "r:id")?;
            let target = targets.iter().find(|(i, _)| *i == id)?.1.clone();
            let path = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            Some((name, path))
        })
        .collect()
}

/// Resolves the five predefined XML entities.
pub(super) fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_parts_name_each_sheet_file() {
        let wb = br#"<workbook><sheets><sheet name="Notes &amp; co" sheetId="1" r:id="rId2"/><sheet name="Offre" sheetId="2" r:id="rId1"/></sheets></workbook>"#;
        let rels = br#"<Relationships><Relationship Id="rId1" Type="x" Target="worksheets/sheet2.xml"/><Relationship Id="rId2" Type="x" Target="/xl/worksheets/sheet1.xml"/></Relationships>"#;
        assert_eq!(
            sheet_parts(wb, rels),
            vec![
                (
                    "Notes & co".to_string(),
                    "xl/worksheets/sheet1.xml".to_string()
                ),
                ("Offre".to_string(), "xl/worksheets/sheet2.xml".to_string()),
            ]
        );
    }
}
