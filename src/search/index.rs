//! The tantivy index on disk (in the build folder, never published): written from
//! scratch from a build's documents when `search` or `serve` first opens it.

use super::SearchError;
use super::analyzer;
use super::places::Places;
use super::query::{Columns, Lexicon};
use super::schema::{Fields, SearchDoc};
use std::path::{Path, PathBuf};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher};

/// The file of places beside the index.
const PLACES: &str = "places.json";

/// Memory given to the index writer (one thread, so documents keep their order).
const WRITER_MEMORY: usize = 200_000_000;

/// Writes the index of `docs` (whose key is `key`) to `dir`, replacing what was there.
/// The new index is written beside it and swapped in: a failure leaves the old one.
pub fn write(
    dir: &Path,
    docs: &[SearchDoc],
    places: &Places,
    key: &str,
) -> Result<(), SearchError> {
    let err = |e: &dyn std::fmt::Display| SearchError::Index(format!("{}: {e}", dir.display()));
    let tmp = sibling(dir, "tmp");
    let old = sibling(dir, "old");
    for p in [&tmp, &old] {
        if p.exists() {
            std::fs::remove_dir_all(p).map_err(|e| err(&e))?;
        }
    }
    std::fs::create_dir_all(&tmp).map_err(|e| err(&e))?;
    let fields = Fields::new();
    let index = Index::create_in_dir(&tmp, fields.schema.clone()).map_err(|e| err(&e))?;
    analyzer::register(index.tokenizers());
    // Two indexing threads (two segments): the export and the queries read every
    // segment, and the export comes out byte-identical to one thread's (checked on
    // 10,000 offers); on a rebuild the index is the longest stage.
    let mut writer = index
        .writer_with_num_threads::<tantivy::TantivyDocument>(2, WRITER_MEMORY)
        .map_err(|e| err(&e))?;
    for d in docs {
        writer
            .add_document(fields.document(d))
            .map_err(|e| err(&e))?;
    }
    writer.commit().map_err(|e| err(&e))?;
    writer.wait_merging_threads().map_err(|e| err(&e))?;
    // The places the queries can name, beside the index (tantivy leaves unknown files).
    std::fs::write(
        tmp.join(PLACES),
        serde_json::to_vec(places).map_err(|e| err(&e))?,
    )
    .map_err(|e| err(&e))?;
    std::fs::write(tmp.join(super::INDEXED), key).map_err(|e| err(&e))?;
    if dir.exists() {
        std::fs::rename(dir, &old).map_err(|e| err(&e))?;
    }
    std::fs::rename(&tmp, dir).map_err(|e| err(&e))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| err(&e))?;
    }
    Ok(())
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    dir.with_file_name(format!(".{name}.{suffix}"))
}

/// An opened index with what queries need.
pub struct Opened {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub lexicon: Lexicon,
    pub places: Places,
    pub columns: Columns,
}

impl Opened {
    /// Opens the index of the last build's documents, written first if need be.
    pub fn open(dir: &Path) -> Result<Opened, SearchError> {
        super::refresh_index(dir)?;
        let err = |e: &dyn std::fmt::Display| {
            SearchError::Index(format!(
                "{}: cannot open the search index ({e}); run `vitrine build` first",
                dir.display()
            ))
        };
        let index = Index::open_in_dir(dir).map_err(|e| err(&e))?;
        analyzer::register(index.tokenizers());
        let fields = Fields::of(&index.schema()).map_err(|e| err(&e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| err(&e))?;
        // Like every table kept in build/, read within a bound.
        let known = crate::kept::read_within(
            &dir.with_extension(super::KNOWN),
            crate::kept::TABLE_MAX_BYTES,
        )
        .unwrap_or_default();
        let lexicon = Lexicon::of(&reader.searcher(), &fields)
            .map_err(|e| err(&e))?
            .with_known(String::from_utf8_lossy(&known).lines().map(str::to_string));
        let columns = Columns::of(&reader.searcher(), &fields).map_err(|e| err(&e))?;
        let places = std::fs::read(dir.join(PLACES))
            .map_err(|e| err(&e))
            .and_then(|b| serde_json::from_slice(&b).map_err(|e| err(&e)))?;
        Ok(Opened {
            index,
            reader,
            fields,
            lexicon,
            places,
            columns,
        })
    }

    /// A searcher over the index as opened.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }
}
