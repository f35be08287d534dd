//! The whole-catalogue downloads (`offres.json`, `offres.csv`, `catalogue.json`) are
//! one record per offer between a head and a foot, each record made from its offer's
//! view alone. A file is written with the place of each record beside it (its
//! [`Spans`]), so that a rebuild copies the records of the offers whose view did not
//! change from the previous file, and makes only the others: at 100,000 offers each file
//! is over 100 MB, and a few changed offers should not cost making them all again.

use super::views::OfferView;
use crate::output::Splice;
use rayon::prelude::*;
use std::io;

/// Appends one offer's record to a buffer.
pub type MakeRecord<'a> = Box<dyn Fn(&OfferView<'_>, &mut Vec<u8>) + Sync + 'a>;

/// The shape of one download.
pub struct Layout<'a> {
    pub head: Vec<u8>,
    /// Between two records.
    pub separator: &'static [u8],
    pub foot: &'static [u8],
    /// Appends one offer's record.
    pub record: MakeRecord<'a>,
}

/// A view key: the hash of the offer's view, the only input of its record.
pub type ViewKey = [u8; 16];

/// Where each record of a written file lies, by the key of the view it was made from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Spans {
    pub records: Vec<(ViewKey, u64, u32)>,
}

/// Records made at once, side by side, before they are written in order: bounded memory
/// (a few megabytes) whatever the size of the catalogue.
const BATCH: usize = 1024;

/// Writes the file of `offers` (whose view keys are `keys`, same order) to `out`; a
/// record whose key is among `previous`'s spans is copied from the previous file instead
/// of being made, records that lie one after the other there in one piece. Returns the
/// new file's spans and its size.
pub fn write(
    out: &mut dyn Splice,
    layout: &Layout<'_>,
    offers: &[&OfferView<'_>],
    keys: &[ViewKey],
    previous: Option<(&std::fs::File, &Spans)>,
) -> io::Result<(Spans, u64)> {
    debug_assert_eq!(offers.len(), keys.len());
    let known: rustc_hash::FxHashMap<ViewKey, (u64, u32)> = previous
        .map(|(_, s)| s.records.iter().map(|(k, o, l)| (*k, (*o, *l))).collect())
        .unwrap_or_default();
    out.write_all(&layout.head)?;
    let mut at = layout.head.len() as u64;
    let mut spans = Spans {
        records: Vec::with_capacity(offers.len()),
    };
    let separator = layout.separator.len() as u64;
    // The piece of the previous file still to copy: offset, length.
    let mut run: Option<(u64, u64)> = None;
    let flush = |out: &mut dyn Splice, run: &mut Option<(u64, u64)>| match (run.take(), previous) {
        (Some((offset, len)), Some((file, _))) => out.splice(file, offset, len),
        _ => Ok(()),
    };
    for (batch, batch_keys) in offers.chunks(BATCH).zip(keys.chunks(BATCH)) {
        // Made side by side; `Err(span)`: to be copied from the previous file.
        let made: Vec<Result<Vec<u8>, (u64, u32)>> = batch
            .par_iter()
            .zip(batch_keys)
            .map(|(o, k)| match known.get(k) {
                Some(&span) if previous.is_some() => Err(span),
                _ => {
                    let mut bytes = Vec::new();
                    (layout.record)(o, &mut bytes);
                    Ok(bytes)
                }
            })
            .collect();
        for (record, key) in made.into_iter().zip(batch_keys) {
            let first = spans.records.is_empty();
            let len = match record {
                // Right after the run in the previous file too (separator included):
                // the run grows.
                Err((offset, len))
                    if !first && run.is_some_and(|(o, l)| o + l + separator == offset) =>
                {
                    run = run.map(|(o, l)| (o, l + separator + u64::from(len)));
                    u64::from(len)
                }
                record => {
                    flush(out, &mut run)?;
                    if !first {
                        out.write_all(layout.separator)?;
                    }
                    match record {
                        Ok(bytes) => {
                            out.write_all(&bytes)?;
                            bytes.len() as u64
                        }
                        Err((offset, len)) => {
                            run = Some((offset, u64::from(len)));
                            u64::from(len)
                        }
                    }
                }
            };
            if !first {
                at += separator;
            }
            spans.records.push((*key, at, len as u32));
            at += len;
        }
    }
    flush(out, &mut run)?;
    out.write_all(layout.foot)?;
    Ok((spans, at + layout.foot.len() as u64))
}

/// The whole file, made from scratch (no previous file to copy from).
pub fn write_from_scratch(
    out: &mut dyn Splice,
    layout: &Layout<'_>,
    offers: &[&OfferView<'_>],
) -> io::Result<()> {
    let keys = vec![ViewKey::default(); offers.len()];
    write(out, layout, offers, &keys, None).map(|_| ())
}

impl Spans {
    /// 28 bytes a record: key, offset, length (little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.records.len() * 28);
        for (k, o, l) in &self.records {
            out.extend_from_slice(k);
            out.extend_from_slice(&o.to_le_bytes());
            out.extend_from_slice(&l.to_le_bytes());
        }
        out
    }

    /// The spans [`Spans::to_bytes`] wrote; `None` if the bytes are not such.
    pub fn from_bytes(bytes: &[u8]) -> Option<Spans> {
        if !bytes.len().is_multiple_of(28) {
            return None;
        }
        let records = bytes
            .chunks_exact(28)
            .map(|c| {
                let key: ViewKey = c[..16].try_into().expect("16 bytes");
                let offset = u64::from_le_bytes(c[16..24].try_into().expect("8 bytes"));
                let len = u32::from_le_bytes(c[24..28].try_into().expect("4 bytes"));
                (key, offset, len)
            })
            .collect();
        Some(Spans { records })
    }

    /// Whether every record lies within a file of `size` bytes.
    pub fn fit(&self, size: u64) -> bool {
        self.records
            .iter()
            .all(|(_, o, l)| o.checked_add(u64::from(*l)).is_some_and(|end| end <= size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> OfferView<'static> {
        static OFFER: std::sync::LazyLock<crate::model::Offer> =
            std::sync::LazyLock::new(crate::model::Offer::default);
        super::super::views::offer_view(&OFFER, "/cfa/x/", "https://example.org", false)
    }

    fn layout() -> Layout<'static> {
        Layout {
            head: b"[\n".to_vec(),
            separator: b",\n",
            foot: b"\n]\n",
            record: Box::new(|o: &OfferView<'_>, out: &mut Vec<u8>| {
                out.extend_from_slice(
                    format!("{{\"id\":\"{}\",\"t\":\"{}\"}}", o.id, o.title).as_bytes(),
                )
            }),
        }
    }

    #[test]
    fn a_file_made_from_the_previous_one_equals_a_file_made_from_scratch() {
        let offers: Vec<OfferView<'_>> = (0..2500)
            .map(|i| {
                let mut v = view();
                v.id = format!("AF_{i:05}");
                v.title = format!("Formation {i}");
                v
            })
            .collect();
        let layout = layout();
        let key = |o: &OfferView<'_>| crate::output::key_of_serialized(o).to_le_bytes();
        let refs: Vec<&OfferView<'_>> = offers.iter().collect();
        let keys: Vec<ViewKey> = refs.iter().map(|o| key(o)).collect();
        let mut first = Vec::new();
        let (spans, size) = write(&mut first, &layout, &refs, &keys, None).unwrap();
        assert_eq!(size as usize, first.len());
        assert!(spans.fit(size));
        assert_eq!(Spans::from_bytes(&spans.to_bytes()), Some(spans.clone()));

        // Some offers change, one goes, one comes, the order moves.
        let mut next: Vec<OfferView<'_>> = offers.clone();
        next[3].title = "Changée".into();
        next[2000].title = "Changée aussi".into();
        next.remove(10);
        let mut newcomer = view();
        newcomer.id = "AF_NEW".into();
        next.insert(0, newcomer);
        next.swap(5, 1500);
        let refs: Vec<&OfferView<'_>> = next.iter().collect();
        let keys: Vec<ViewKey> = refs.iter().map(|o| key(o)).collect();

        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old");
        std::fs::write(&old, &first).unwrap();
        let file = std::fs::File::open(&old).unwrap();
        let mut spliced = Vec::new();
        let (spliced_spans, _) =
            write(&mut spliced, &layout, &refs, &keys, Some((&file, &spans))).unwrap();
        let mut scratch = Vec::new();
        let (scratch_spans, _) = write(&mut scratch, &layout, &refs, &keys, None).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&spliced),
            String::from_utf8_lossy(&scratch)
        );
        assert_eq!(spliced_spans, scratch_spans);

        // The same into a file: the unchanged runs are copied by the kernel.
        let new = dir.path().join("new");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&new).unwrap());
        let (file_spans, size) =
            write(&mut out, &layout, &refs, &keys, Some((&file, &spans))).unwrap();
        drop(out);
        assert_eq!(std::fs::read(&new).unwrap(), scratch);
        assert_eq!(size as usize, scratch.len());
        assert_eq!(file_spans, scratch_spans);
    }

    #[test]
    fn spans_that_are_not_spans_are_refused() {
        assert_eq!(Spans::from_bytes(&[0; 27]), None);
        let spans = Spans {
            records: vec![([1; 16], 10, 5)],
        };
        assert!(spans.fit(15));
        assert!(!spans.fit(14));
    }
}
