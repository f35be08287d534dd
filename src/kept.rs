//! What a build keeps in its build folder for the next one (search documents, places,
//! the communes table): values written as bytes, each text after its length, and read
//! back within the bytes there are. Nothing read is trusted for a size: a count is only
//! read up to, and a damaged file reads as `None`.

use std::io::Read as _;
use std::path::Path;

/// A file kept from a table (the communes, the places and their export) is read within
/// this size: four times the largest table's text allowed, about what that table
/// takes as bytes.
pub(crate) const TABLE_MAX_BYTES: u64 = 4 * crate::communes::MAX_BYTES;

/// The bytes of `path`, when it holds at most `max` of them.
pub(crate) fn read_within(path: &Path, max: u64) -> Option<Vec<u8>> {
    let file = std::fs::File::open(path).ok()?;
    // Sized for the file at once (grown by doubling, a file of megabytes touched twice
    // the pages), within the bound.
    let size = file.metadata().ok()?.len().min(max + 1);
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(max + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= max).then_some(bytes)
}

/// The body of a kept file written by [`write_summed`] with `magic` for `key`: `None`
/// unless the head is that one and the body is whole, as written (its XXH3 sum).
pub(crate) fn summed<'a>(
    bytes: &'a [u8],
    magic: &[u8],
    key: crate::output::Key,
) -> Option<&'a [u8]> {
    let mut r = Reader(bytes.strip_prefix(magic)?);
    if r.take(16)? != key.to_le_bytes() {
        return None;
    }
    let sum = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
    (xxhash_rust::xxh3::xxh3_64(r.0) == sum).then_some(r.0)
}

/// Keeps `body` in `path` after `magic`, `key` and the body's XXH3 sum (the file is
/// replaced whole, never seen half written).
pub(crate) fn write_summed(
    path: &Path,
    magic: &[u8],
    key: crate::output::Key,
    body: &[u8],
) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    crate::output::write_replacing(path, |out| {
        out.write_all(magic)?;
        out.write_all(&key.to_le_bytes())?;
        out.write_all(&xxhash_rust::xxh3::xxh3_64(body).to_le_bytes())?;
        out.write_all(body)
    })
}

/// Bytes read from the front.
pub(crate) struct Reader<'a>(pub(crate) &'a [u8]);

impl Reader<'_> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    pub(crate) fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub(crate) fn f64(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    /// Bytes after their length (a text's, the terms').
    pub(crate) fn sized(&mut self) -> Option<&[u8]> {
        let len = self.u32()? as usize;
        self.take(len)
    }
    pub(crate) fn text(&mut self) -> Option<String> {
        String::from_utf8(self.sized()?.to_vec()).ok()
    }
    /// A text held inline when short (a code, a town's name).
    pub(crate) fn compact(&mut self) -> Option<compact_str::CompactString> {
        compact_str::CompactString::from_utf8(self.sized()?).ok()
    }
    /// A point as [`point`] wrote it, or none.
    pub(crate) fn point(&mut self) -> Option<Option<crate::model::Coordinates>> {
        match self.byte()? {
            0 => Some(None),
            _ => Some(Some(crate::model::Coordinates {
                lat: self.f64()?,
                lon: self.f64()?,
            })),
        }
    }
    pub(crate) fn maybe(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            _ => self.text().map(Some),
        }
    }
}

/// A string as [`Reader::text`] reads it: its length, then its bytes.
pub(crate) fn text(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// A point, or none, as [`Reader::point`] reads it.
pub(crate) fn point(out: &mut Vec<u8>, p: Option<crate::model::Coordinates>) {
    match p {
        None => out.push(0),
        Some(c) => {
            out.push(1);
            out.extend_from_slice(&c.lat.to_le_bytes());
            out.extend_from_slice(&c.lon.to_le_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summed_file_reads_back_whole_for_its_head_only_and_within_its_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("build/kept");
        write_summed(&path, b"head 1\n", 7, b"body").unwrap();
        let bytes = read_within(&path, 1 << 20).unwrap();
        assert_eq!(summed(&bytes, b"head 1\n", 7), Some(&b"body"[..]));
        // Another head or key, a flipped byte, cut short: nothing.
        assert_eq!(summed(&bytes, b"head 2\n", 7), None);
        assert_eq!(summed(&bytes, b"head 1\n", 8), None);
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(summed(&flipped, b"head 1\n", 7), None);
        assert_eq!(summed(&bytes[..bytes.len() - 1], b"head 1\n", 7), None);
        // A file one byte over the bound is not read at all; one at the bound is.
        let len = bytes.len() as u64;
        assert_eq!(read_within(&path, len), Some(bytes));
        assert_eq!(read_within(&path, len - 1), None);
        assert_eq!(read_within(&dir.path().join("none"), len), None);
    }
}
