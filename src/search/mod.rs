//! Search: published offers → a static, sharded index for the browser (in
//! `public/recherche/index/`), and the tantivy index of the same documents (in the
//! build folder, written when `vitrine search` or `vitrine serve` first needs it) with
//! the queries they answer from it.
//!
//! - [`analyzer`]: the French analysis chain (lower case, accent folding, stemming).
//! - [`schema`]: what is indexed about an offer, with the field boosts.
//! - [`postings`]: the inverted index of the export, made from the documents' terms.
//! - [`index`]: writing and opening the tantivy index.
//! - [`query`]: the query semantics shared with the browser.
//! - [`export`]: the static files the browser loads on demand.

pub mod analyzer;
mod cache;
pub mod export;
pub mod facets;
pub mod index;
pub mod places;
pub mod postings;
pub mod query;
pub mod schema;
pub mod vocabulary;

use crate::communes::Communes;
use crate::model::Offer;
use crate::output::Files;
use serde::Serialize;
use std::path::Path;

/// What the site needs from the search stage.
#[derive(Debug, Default, Clone, Serialize)]
pub struct SearchAssets {
    /// Files to publish, relative to the public root (`recherche/index/…`).
    #[serde(skip)]
    pub files: Files,
    /// URL path of the export's manifest (content-hashed), for the page's `data-manifest`.
    pub manifest: String,
    /// Facet values, labels and counts before any query, baked into the page
    /// (`{"niveau": [{"value", "label", "count"}…], "dep": …, "diplome": …, "cfa": …,
    /// "voie": …}`).
    pub facets: serde_json::Value,
}

/// The search stage failed (the index could not be written or read).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(String),
    #[error(transparent)]
    Communes(#[from] crate::communes::CommunesError),
}

/// Builds the index of the published offers in `dir` (replacing the previous one) and
/// its static form, with the job vocabulary, synonyms and acronyms of `vocabulary`.
pub fn build(
    dir: &Path,
    communes: &Communes,
    published: &[&Offer],
    vocabulary: &vocabulary::Vocabulary,
) -> Result<SearchAssets, SearchError> {
    let keys = crate::output::keys_of(published);
    let prepared = prepare(dir, communes, vocabulary, 0, false);
    build_reusing(dir, communes, published, &keys, vocabulary, prepared, None)
}

/// What the search stage needs that depends on the tables alone, not on the offers:
/// made while the export is still being read, beside the import.
pub struct Prepared {
    /// The key of what a document depends on besides its offer.
    tables: crate::output::Key,
    /// The export's files of the places of the communes table (towns, postcodes,
    /// departments).
    places: export::PlaceFiles,
    /// The documents of the previous build (none after `--clean`).
    kept: cache::Kept,
    /// The stems of the job words of the ROME table ([`query::Lexicon`]).
    known: std::collections::BTreeSet<String>,
}

/// The [`Prepared`] part of a build: the places are those kept in `build/` for the same
/// tables (`reuse`: not after `--clean`), else made from the communes and kept for the
/// next build; so are the previous build's documents, read back for the offers that did
/// not change. `sources` is the key of the site's own communes and vocabulary files.
pub fn prepare(
    dir: &Path,
    communes: &Communes,
    vocabulary: &vocabulary::Vocabulary,
    sources: crate::output::Key,
    reuse: bool,
) -> Prepared {
    let rncp_rome: std::collections::BTreeMap<_, _> = vocabulary.rncp_rome.iter().collect();
    let tables = crate::output::key_of_serialized(&(
        crate::output::binary_stamp(),
        sources.to_le_bytes(),
        rncp_rome,
    ));
    // The places themselves are kept for `search` and `serve`; a build reads back only
    // the files it exports of them, when both were kept for these tables.
    let path = dir.with_extension("places");
    let files_path = dir.with_extension("place-files");
    let places = (reuse && cache::places_kept(&path, tables))
        .then(|| cache::place_files(&files_path, tables))
        .flatten();
    let places = places.unwrap_or_else(|| {
        let places = places::Places::of(communes, &vocabulary.rome);
        if let Some(build) = dir.parent() {
            let _ = std::fs::create_dir_all(build);
        }
        // Only the next build's time is lost if they cannot be kept.
        let _ = cache::keep_places(&path, tables, &places);
        let files = export::PlaceFiles::of(&places);
        let _ = cache::keep_place_files(&files_path, tables, &files);
        files
    });
    let kept = match reuse {
        true => cache::load(&dir.with_extension("docs"), tables),
        false => cache::Kept::default(),
    };
    let path = dir.with_extension("stems");
    let known = reuse
        .then(|| cache::known(&path, tables))
        .flatten()
        .unwrap_or_else(|| {
            let known = vocabulary.rome.stems();
            let _ = cache::keep_known(&path, tables, &known);
            known
        });
    Prepared {
        tables,
        places,
        kept,
        known,
    }
}

/// What a build left beside its index to spare the next one the work: the key of the
/// documents it indexed and the assets it made from them.
#[derive(Debug, Serialize, serde::Deserialize)]
struct Made {
    key: String,
    manifest: String,
    facets: serde_json::Value,
    /// Each file with the key of its bytes (a file changed since is not taken).
    files: Vec<(String, String)>,
}

/// Beside the index folder (`index.made`): the index itself is written later.
const MADE: &str = "made";

/// Beside the index folder (`index.known`): the known words no offer has, a line each
/// ([`query::Lexicon`]).
pub(crate) const KNOWN: &str = "known";

/// In the index folder: the key of the documents it was written from.
const INDEXED: &str = "vitrine-documents";

/// Like [`build`]; when the offers are those of the previous build and so is everything
/// else the documents are made from (the tables of `prepared`), the index is left as it
/// is and the files are read back from the previous public tree `previous` instead of
/// being made again (the documents, the index and its export are most of a rebuild's
/// time).
pub fn build_reusing(
    dir: &Path,
    communes: &Communes,
    published: &[&Offer],
    offer_keys: &[crate::output::Key],
    vocabulary: &vocabulary::Vocabulary,
    prepared: Prepared,
    previous: Option<&Path>,
) -> Result<SearchAssets, SearchError> {
    let Prepared {
        tables,
        places,
        kept,
        known,
    } = prepared;
    // What a document depends on: the tables, then each offer's key.
    let key = documents_key(tables, offer_keys);
    if let Some(assets) = previous.and_then(|p| reused(dir, p, &key)) {
        return Ok(assets);
    }
    if let Some(build) = dir.parent() {
        std::fs::create_dir_all(build)
            .map_err(|e| SearchError::Index(format!("{}: {e}", build.display())))?;
    }
    // The documents of unchanged offers are the previous build's (none with --clean).
    let cache = dir.with_extension("docs");
    let (kept, spans) = kept.take(offer_keys);
    let mut made = schema::made(published, kept, communes, vocabulary);
    // Only a later build's time is lost if they cannot be kept.
    let _ = cache::keep(&cache, tables, offer_keys, &made, &spans);
    // The texts now live in that file (for the tantivy index) and in each document's
    // terms (for the export): not held through the rest of the stage.
    for d in &mut made {
        d.texts = Vec::new();
    }
    let docs = schema::in_order(made);
    let facets = schema::facets(&docs);
    let mut inverted = postings::Inverted::of(&docs);
    let known = inverted.add_known(&known);
    // For `vitrine search`, which reads its lexicon from the tantivy index.
    let _ = crate::output::write_replacing(&dir.with_extension(KNOWN), |out| {
        std::io::Write::write_all(out, known.join("\n").as_bytes())
    });
    let export = export::export(&inverted, &docs, &facets, communes, places);
    let assets = SearchAssets {
        files: export.files,
        manifest: export.manifest,
        facets: serde_json::to_value(&facets).unwrap_or_default(),
    };
    let made = Made {
        key,
        manifest: assets.manifest.clone(),
        facets: assets.facets.clone(),
        files: assets
            .files
            .iter()
            .map(|(p, b)| (p.to_string(), content_key(b)))
            .collect(),
    };
    // Only a spared rebuild is lost if this cannot be written.
    let _ = crate::output::write_replacing(&dir.with_extension(MADE), |out| {
        std::io::Write::write_all(out, &serde_json::to_vec(&made).unwrap_or_default())
    });
    Ok(assets)
}

/// Writes the tantivy index of the last build's documents in `dir` unless it is there
/// already: the build publishes the export alone, and only `search` and `serve` read the
/// index. The documents are those the build kept beside it (with their key, checked
/// against the build's).
pub(crate) fn refresh_index(dir: &Path) -> Result<(), SearchError> {
    let err = |what: &str| {
        SearchError::Index(format!(
            "{}: {what}; run `vitrine build` first",
            dir.display()
        ))
    };
    let made: Made = std::fs::read(dir.with_extension(MADE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| err("no search documents"))?;
    let stamp = dir.join(INDEXED);
    if std::fs::read_to_string(&stamp).is_ok_and(|k| k == made.key) {
        return Ok(());
    }
    let (tables, keys, docs) =
        cache::all(&dir.with_extension("docs")).ok_or_else(|| err("no search documents"))?;
    if documents_key(tables, &keys) != made.key {
        return Err(err("the search documents are not those of the last build"));
    }
    let places =
        cache::places(&dir.with_extension("places"), tables).ok_or_else(|| err("no places"))?;
    index::write(dir, &schema::in_order(docs), &places, &made.key)
}

/// The key of the documents of offers `keys` made with `tables`: what a build's search
/// stage is made from, and what its tantivy index is written from.
fn documents_key(tables: crate::output::Key, keys: &[crate::output::Key]) -> String {
    format!("{:032x}", crate::output::key_of_serialized(&(tables, keys)))
}

/// The previous build's assets, if they were made from the same documents and every
/// file is still in the previous public tree.
fn reused(dir: &Path, public: &Path, key: &str) -> Option<SearchAssets> {
    let made: Made = serde_json::from_slice(&std::fs::read(dir.with_extension(MADE)).ok()?).ok()?;
    if made.key != key {
        return None;
    }
    let mut files = Files::new();
    for (path, content) in &made.files {
        let bytes = std::fs::read(public.join(path)).ok()?;
        if content_key(&bytes) != *content {
            return None;
        }
        files.insert(path.clone(), bytes);
    }
    Some(SearchAssets {
        files,
        manifest: made.manifest,
        facets: made.facets,
    })
}

fn content_key(bytes: &[u8]) -> String {
    format!("{:032x}", crate::output::key_of(&[bytes]))
}

#[cfg(test)]
mod tests;

/// The answer to a query, as `vitrine search --json` and `/api/search` print it.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub query: String,
    pub filters: query::Filters,
    /// Number of matching offers (the hits are the first `limit` of them).
    pub count: usize,
    /// What was read out of the query: place, department, diploma type.
    pub understood: query::Understood,
    /// Not every word matched: "Résultats approchants", by number of words matched.
    pub approx: bool,
    /// Results within this many km of the place.
    pub radius: Option<f64>,
    /// Nothing within 100 km of the place: results from anywhere.
    pub elsewhere: bool,
    pub hits: Vec<query::Hit>,
}

impl index::Opened {
    /// Answers a query from the tantivy index.
    pub fn answer(
        &self,
        q: &str,
        filters: &query::Filters,
        limit: usize,
    ) -> Result<Answer, SearchError> {
        let (ranked, hits) = query::search(
            &self.searcher(),
            &self.fields,
            &self.lexicon,
            &self.places,
            &self.columns,
            q,
            filters,
            limit,
        )
        .map_err(|e| SearchError::Index(e.to_string()))?;
        Ok(Answer {
            query: q.to_string(),
            filters: filters.clone(),
            count: ranked.docs.len(),
            understood: ranked.understood,
            approx: ranked.approx,
            radius: ranked.radius,
            elsewhere: ranked.elsewhere,
            hits,
        })
    }
}
