//! Site: published offers + content + calendars → the public pages. Owner: site work
//! (issue 4).

use crate::config::Config;
use crate::model::{Offer, Verdict};
use crate::output::Files;
use crate::search::SearchAssets;

/// Everything the site is made from.
pub struct SiteInput<'a> {
    pub config: &'a Config,
    /// Every offer read, in sheet order (with `verdicts` alongside, same order).
    pub offers: &'a [Offer],
    pub verdicts: &'a [Verdict],
    pub search: &'a SearchAssets,
}

/// The rendered site.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The public tree.
    pub files: Files,
    /// Lines for the terminal summary (what changed since the last build...).
    pub notes: Vec<String>,
}

/// Rendering failed (a template error, a broken internal link...).
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("site: {0}")]
    Render(String),
}

/// Renders the public site.
pub fn render(input: &SiteInput<'_>) -> Result<Rendered, SiteError> {
    let published = input
        .verdicts
        .iter()
        .filter(|v| v.status == crate::model::Status::Published)
        .count();
    let mut files = Files::new();
    files.insert(
        "index.html",
        format!("<!doctype html><html lang=\"fr\"><title>vitrine</title><p>{published} offres</p></html>"),
    );
    files.merge("", input.search.files.clone());
    Ok(Rendered {
        files,
        notes: Vec::new(),
    })
}
