//! Each offer's search document, kept in the build folder for the next build: a day's
//! import changes few offers, and making a document (its town located, the words of its
//! trades and their synonyms gathered) is a large part of the search stage. The places
//! of the communes table are kept the same way (a tenth of a second to make, at every
//! build, from a table that seldom changes).
//!
//! One line per document, `{offer key} {document as JSON}`, after a first line naming
//! the key of what every document depends on besides its offer (binary, tables).
//! Written whole at each build, so it only ever holds the current offers.

use super::places::Places;
use super::schema::SearchDoc;
use crate::output::Key;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

const MAGIC: &str = "vitrine search documents 1";

/// Lines parsed at once, side by side: memory stays bounded whatever the file's size.
const BATCH: usize = 2048;

/// The documents kept in `path` whose offer key is among `keys`, at the same place as their
/// key; none if the file is missing, from other tables or unreadable.
pub fn kept(path: &Path, tables: Key, keys: &[Key]) -> Vec<Option<SearchDoc>> {
    let mut slots: Vec<Option<SearchDoc>> = vec![None; keys.len()];
    let Ok(file) = std::fs::File::open(path) else {
        return slots;
    };
    let mut lines = std::io::BufReader::new(file).lines();
    if lines.next().and_then(Result::ok) != Some(format!("{MAGIC} {tables:032x}")) {
        return slots;
    }
    let wanted: HashMap<Key, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    loop {
        let batch: Vec<String> = lines.by_ref().take(BATCH).map_while(Result::ok).collect();
        if batch.is_empty() {
            break;
        }
        let parsed: Vec<(usize, SearchDoc)> = batch
            .par_iter()
            .filter_map(|line| {
                let (key, json) = line.split_once(' ')?;
                let at = *wanted.get(&Key::from_str_radix(key, 16).ok()?)?;
                Some((at, serde_json::from_str(json).ok()?))
            })
            .collect();
        for (at, doc) in parsed {
            slots[at] = Some(doc);
        }
    }
    slots
}

/// Keeps `docs` (whose offer keys are `keys`, same order) for the next build. Losing
/// the file only costs that build the time to make the documents again.
pub fn keep(path: &Path, tables: Key, keys: &[Key], docs: &[SearchDoc]) -> std::io::Result<()> {
    let tmp = path.with_extension("new");
    let mut out = BufWriter::new(std::fs::File::create(&tmp)?);
    writeln!(out, "{MAGIC} {tables:032x}")?;
    for (keys, docs) in keys.chunks(BATCH).zip(docs.chunks(BATCH)) {
        let lines: Vec<Vec<u8>> = keys
            .par_iter()
            .zip(docs)
            .map(|(k, d)| {
                let mut line = format!("{k:032x} ").into_bytes();
                serde_json::to_writer(&mut line, d).expect("a document serialises");
                line.push(b'\n');
                line
            })
            .collect();
        for line in lines {
            out.write_all(&line)?;
        }
    }
    out.flush()?;
    drop(out);
    std::fs::rename(&tmp, path)
}

const PLACES_MAGIC: &str = "vitrine search places 1";

/// The places of the communes table kept in `path`, if made from the same tables.
pub fn places(path: &Path, tables: Key) -> Option<Places> {
    let text = std::fs::read_to_string(path).ok()?;
    let (head, json) = text.split_once('\n')?;
    (head == format!("{PLACES_MAGIC} {tables:032x}"))
        .then(|| serde_json::from_str(json).ok())
        .flatten()
}

/// Keeps the places of the communes table for the next build.
pub fn keep_places(path: &Path, tables: Key, places: &Places) -> std::io::Result<()> {
    let mut text = format!("{PLACES_MAGIC} {tables:032x}\n").into_bytes();
    serde_json::to_writer(&mut text, places).map_err(std::io::Error::other)?;
    let tmp = path.with_extension("new");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Offer;

    fn doc(id: &str) -> SearchDoc {
        let offer = Offer {
            id: id.into(),
            ..Offer::default()
        };
        SearchDoc::of(
            &offer,
            &crate::communes::Communes::builtin(),
            &super::super::vocabulary::Vocabulary::builtin(),
        )
    }

    #[test]
    fn documents_are_kept_by_offer_and_only_for_the_same_tables() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.docs");
        let docs: Vec<SearchDoc> = (0..5000).map(|i| doc(&format!("AF_{i}"))).collect();
        let keys: Vec<Key> = (0..5000).collect();
        keep(&path, 7, &keys, &docs).unwrap();

        // The next build: offer 3 changed (new key), one new offer, the order moved.
        let next = [4999, 0, 1_000_000, 2];
        let kept = kept(&path, 7, &next);
        assert_eq!(kept[0].as_ref(), Some(&docs[4999]));
        assert_eq!(kept[1].as_ref(), Some(&docs[0]));
        assert_eq!(kept[2], None);
        assert_eq!(kept[3].as_ref(), Some(&docs[2]));
        // Places: kept for the same tables only.
        let places_path = dir.path().join("index.places");
        let places = Places::of(&crate::communes::Communes::builtin());
        keep_places(&places_path, 7, &places).unwrap();
        assert_eq!(super::places(&places_path, 7), Some(places));
        assert_eq!(super::places(&places_path, 8), None);
        // Other tables (or another binary): nothing is kept.
        assert!(super::kept(&path, 8, &next).iter().all(Option::is_none));
        // No file: nothing either.
        assert!(
            super::kept(&dir.path().join("none"), 7, &next)
                .iter()
                .all(Option::is_none)
        );
    }
}
