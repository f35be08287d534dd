//! What a build keeps in its build folder for the next one (search documents, places,
//! the communes table): values written as bytes, each text after its length, and read
//! back within the bytes there are. Nothing read is trusted for a size: a count is only
//! read up to, and a damaged file reads as `None`.

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
