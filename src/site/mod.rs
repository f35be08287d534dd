//! Site: published offers + content + calendars + the URL ledger → the public tree.
//!
//! The build reads like a script: [`render`] loads the theme (templates compiled once),
//! the content pages, the calendars and the ledger; builds the view of every published
//! offer (in parallel); updates the ledger (what changed, what must redirect, what
//! must keep answering "no longer offered"); renders every page in parallel and
//! minifies it; adds feeds, open data, `.ics`, `_redirects`; merges the search files;
//! and finally checks the finished tree (internal links, folder sizes). Nothing is
//! written here: the build writes [`Rendered::files`] atomically, then the ledger
//! ([`write_ledger`]).

pub mod assets;
pub mod calendar;
pub mod catalogue;
pub mod content;
pub mod feeds;
pub mod jsonld;
pub mod ledger;
pub mod lheo;
pub mod links;
pub mod minify;
pub mod opendata;
pub mod outlinks;
mod pages;
pub mod theme;
pub mod views;

use crate::config::Config;
use crate::model::{Offer, Verdict};
use crate::output::{Files, OutputError};
use crate::search::SearchAssets;
use std::path::PathBuf;

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
    /// The updated URL ledger (CSV bytes), to write after the public tree.
    pub ledger: Vec<u8>,
    /// Where the ledger is kept (`[input] ledger` of `vitrine.toml`).
    pub ledger_path: PathBuf,
    /// Number of HTML pages made (streamed ones included).
    pub pages: usize,
}

/// Where [`render_into`] sends each page as soon as it is made: path relative to the
/// public root, and bytes. Called from several threads at once.
pub type PageSink<'s> = &'s (dyn Fn(&str, &[u8]) -> Result<(), OutputError> + Sync);

/// Opens a file of the public tree for writing, for a file too large to hand over whole
/// (the catalogue in LHÉO): path relative to the public root.
pub type FileOpener<'s> =
    &'s (dyn Fn(&str) -> Result<Box<dyn std::io::Write + Send>, OutputError> + Sync);

/// Rendering failed (a template error, a broken internal link...).
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("site: {0}")]
    Render(String),
    #[error("theme {path}: {message}")]
    Theme { path: PathBuf, message: String },
    #[error("template {template} (page {page}): {message}")]
    Template {
        template: String,
        page: String,
        message: String,
    },
    #[error("content {file}: {message}")]
    Content { file: PathBuf, message: String },
    #[error("calendar {file}: {message}")]
    Calendar { file: PathBuf, message: String },
    #[error("URL ledger {file}:{line}: {message}")]
    Ledger {
        file: PathBuf,
        line: u64,
        message: String,
    },
    #[error("{} broken internal link(s): {}", .0.len(), list_links(.0))]
    BrokenLinks(Vec<(String, String)>),
    #[error("output folder {folder} would hold {entries} entries (limit {limit})", limit = links::MAX_FOLDER_ENTRIES)]
    CrowdedFolder { folder: String, entries: usize },
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn list_links(l: &[(String, String)]) -> String {
    let mut s: Vec<String> = l
        .iter()
        .take(20)
        .map(|(page, link)| format!("{page} → {link}"))
        .collect();
    if l.len() > 20 {
        s.push(format!("… and {} more", l.len() - 20));
    }
    s.join("; ")
}

/// Renders the public site, every file in memory (tests, small sites).
pub fn render(input: &SiteInput<'_>) -> Result<Rendered, SiteError> {
    pages::Site::load(input)?.render(None, None)
}

/// Renders the public site, sending each page to `sink` as soon as it is made instead of
/// keeping it: [`Rendered::files`] then holds everything else (feeds, open data,
/// calendars, assets, search files). Memory stays flat however many offers there are.
/// On error, some pages may have reached the sink: the caller discards them (the build
/// streams into a staged tree that is only swapped in on success).
pub fn render_into(input: &SiteInput<'_>, sink: PageSink<'_>) -> Result<Rendered, SiteError> {
    pages::Site::load(input)?.render(Some(sink), None)
}

/// [`render_into`], with the large open-data files streamed to the files `open` makes
/// (memory stays flat for them too).
pub fn render_streamed(
    input: &SiteInput<'_>,
    sink: PageSink<'_>,
    open: FileOpener<'_>,
) -> Result<Rendered, SiteError> {
    pages::Site::load(input)?.render(Some(sink), Some(open))
}

/// Writes the updated ledger next to its old version, then renames it into place (a
/// crash leaves either the old or the new file, never half of one).
pub fn write_ledger(rendered: &Rendered) -> Result<(), SiteError> {
    let path = &rendered.ledger_path;
    let err = |source| SiteError::Write {
        path: path.clone(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(err)?;
    if std::fs::read(path).is_ok_and(|old| old == rendered.ledger) {
        return Ok(());
    }
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(err)?;
    std::io::Write::write_all(&mut tmp, &rendered.ledger).map_err(err)?;
    // A temporary file is private (0600); the ledger is a shared, committed file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o644);
        tmp.as_file().set_permissions(mode).map_err(err)?;
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
