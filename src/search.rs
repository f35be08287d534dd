//! Search: published offers → a tantivy index (in `build/`) and its static, sharded
//! form for the browser (in `public/`). Owner: search work (issue 5).

use crate::config::Config;
use crate::model::Offer;
use crate::output::Files;

/// What the site needs from the search stage.
#[derive(Debug, Default, Clone)]
pub struct SearchAssets {
    /// Files to publish, relative to the public root (index shards, script).
    pub files: Files,
    /// URL path of the index manifest (content-hashed), for the search page.
    pub manifest: String,
    /// Facet values and counts before any query, baked into the search page.
    pub facets: serde_json::Value,
}

/// The search stage failed (the index could not be written).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(String),
}

/// Builds the index of the published offers and its static form.
pub fn build(_config: &Config, _published: &[&Offer]) -> Result<SearchAssets, SearchError> {
    Ok(SearchAssets::default())
}
