//! Site: published offers + content + calendars + the URL ledger → the public tree.
//!
//! The build reads like a script: [`render`] loads the theme (templates compiled once),
//! the content pages, the calendars and the ledger; builds the view of every published
//! offer (in parallel); updates the ledger (what changed, what must redirect, what
//! must keep answering "no longer offered"); renders every page in parallel from
//! templates compacted once ([`minify`]); adds feeds, open data, `.ics`, `_redirects`; merges the search files;
//! and finally checks the finished tree (internal links, folder sizes). Nothing is
//! written here: the build writes [`Rendered::files`] atomically, then the ledger
//! ([`write_ledger`]).

pub mod assets;
pub mod calendar;
pub mod catalogue;
pub mod content;
mod contexts;
pub mod feeds;
pub mod glossary;
pub mod jsonld;
pub mod ledger;
pub mod lheo;
pub mod links;
pub mod map;
pub mod minify;
mod model;
pub mod nojs;
pub mod opendata;
pub mod outlinks;
pub mod palette;
mod plan;
pub mod records;
mod render;
pub mod theme;
pub mod view_keys;
pub mod views;

use crate::config::Config;
use crate::model::{Offer, Verdict};
use crate::output::{Files, Key, Manifest, OutputError, Splice};
use crate::search::SearchAssets;
use std::path::PathBuf;

/// Everything the site is made from.
pub struct SiteInput<'a> {
    pub config: &'a Config,
    /// Theme, content pages, calendar and URL ledger, loaded once.
    pub sources: &'a crate::inputs::SiteSources,
    /// Where the updated ledger is to be written.
    pub ledger_path: &'a std::path::Path,
    /// The communes table (town centres for places without coordinates).
    pub communes: &'a crate::communes::Communes,
    /// Every offer read, in sheet order (with `verdicts` alongside, same order).
    pub offers: &'a [Offer],
    pub verdicts: &'a [Verdict],
    /// Made by the build on another thread while the site plans its pages and writes
    /// its open data: the site waits for it only where it needs it.
    pub search: &'a Later<SearchAssets>,
    /// The key of each offer (same order as `offers`), or none: each view's key is then
    /// found by hashing the view.
    pub offer_keys: &'a [crate::output::Key],
    /// The view keys the previous build left ([`view_keys::ViewKeys`]; empty: none).
    pub previous_view_keys: &'a [u8],
    /// The key of what every view is made of besides its offer and paths: the binary,
    /// the configuration, the theme and the tables (the site adds the glossary).
    pub views_made_of: crate::output::Key,
}

/// A value another thread is still making: [`Later::get`] waits for it the first time.
pub struct Later<T> {
    value: std::sync::OnceLock<Option<T>>,
    coming: std::sync::Mutex<Option<std::sync::mpsc::Receiver<T>>>,
}

impl<T> Later<T> {
    /// A value already made.
    pub fn ready(value: T) -> Later<T> {
        Later {
            value: std::sync::OnceLock::from(Some(value)),
            coming: std::sync::Mutex::new(None),
        }
    }

    /// A value to come through the sender.
    pub fn channel() -> (std::sync::mpsc::Sender<T>, Later<T>) {
        let (tx, rx) = std::sync::mpsc::channel();
        let later = Later {
            value: std::sync::OnceLock::new(),
            coming: std::sync::Mutex::new(Some(rx)),
        };
        (tx, later)
    }

    /// The value, once made; `None` if its maker gave up (dropped the sender).
    pub fn get(&self) -> Option<&T> {
        self.value
            .get_or_init(|| {
                let rx = self.coming.lock().unwrap_or_else(|e| e.into_inner()).take();
                rx.and_then(|rx| rx.recv().ok())
            })
            .as_ref()
    }
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
    /// The view keys of this build, for the next one ([`view_keys::ViewKeys`]; empty
    /// when the offers' keys were not given).
    pub view_keys: Vec<u8>,
}

/// Where [`render_into`] sends each page as soon as it is made (path relative to the
/// public root). Called from several threads at once.
pub trait PageSink: Sync {
    /// Called before a page is made, with the key of everything it is made from: true
    /// when the sink already holds that page as an earlier build made it from the same
    /// inputs (it is then not made again).
    fn reuse(&self, _file: &str, _key: Key) -> Result<bool, OutputError> {
        Ok(false)
    }
    /// Takes a page just made from inputs of key `key`.
    fn write(&self, file: &str, bytes: &[u8], key: Key) -> Result<(), OutputError>;
    /// The files of the tree the earlier build left, if the sink keeps pages across
    /// builds (to know which links may have lost their target).
    fn previous(&self) -> Option<&Manifest> {
        None
    }
    /// A file this build already gave the sink (made, or kept from the earlier build),
    /// opened to be read.
    fn given(&self, _file: &str) -> Option<std::fs::File> {
        None
    }
    /// A file too large to hand over whole (the catalogue in LHÉO), to write into;
    /// `None`: the sink takes it whole through [`Rendered::files`].
    fn open(&self, _file: &str) -> Result<Option<Box<dyn Splice + Send>>, OutputError> {
        Ok(None)
    }
    /// Called once a file from [`PageSink::open`] is written and closed, with the key
    /// of what it was made from.
    fn streamed(&self, _file: &str, _key: Key) -> Result<(), OutputError> {
        Ok(())
    }
    /// The earlier build's `file`, opened, with what that build kept beside it
    /// ([`PageSink::keep_beside`]); `None` unless the file is as that build left it and
    /// the binary, configuration and theme are the same.
    fn previous_beside(&self, _file: &str) -> Option<(std::fs::File, Vec<u8>)> {
        None
    }
    /// Keeps `data` about `file` as this build leaves it, for the next build.
    fn keep_beside(&self, _file: &str, _data: &[u8]) -> Result<(), OutputError> {
        Ok(())
    }
    /// Takes a file made elsewhere (the search's), keyed by its bytes alone; `false`:
    /// the sink takes it whole through [`Rendered::files`].
    fn take_file(&self, _file: &str, _bytes: &[u8]) -> Result<bool, OutputError> {
        Ok(false)
    }
}

/// A staged public tree takes the pages, keeping those an earlier build made from the
/// same inputs.
impl PageSink for crate::output::Staged {
    fn reuse(&self, file: &str, key: Key) -> Result<bool, OutputError> {
        crate::output::Staged::reuse(self, file, key)
    }
    fn write(&self, file: &str, bytes: &[u8], key: Key) -> Result<(), OutputError> {
        self.write_keyed(file, bytes, Some(key))
    }
    fn previous(&self) -> Option<&Manifest> {
        crate::output::Staged::previous(self)
    }
    fn given(&self, file: &str) -> Option<std::fs::File> {
        self.open_staged(file)
    }
    fn open(&self, file: &str) -> Result<Option<Box<dyn Splice + Send>>, OutputError> {
        let f = self.create(file)?;
        Ok(Some(Box::new(crate::output::Overwrite::new(f))))
    }
    fn streamed(&self, file: &str, key: Key) -> Result<(), OutputError> {
        self.finish_streamed(file, key)
    }
    fn previous_beside(&self, file: &str) -> Option<(std::fs::File, Vec<u8>)> {
        crate::output::Staged::previous_beside(self, file)
    }
    fn keep_beside(&self, file: &str, data: &[u8]) -> Result<(), OutputError> {
        crate::output::Staged::keep_beside(self, file, data)
    }
    fn take_file(&self, file: &str, bytes: &[u8]) -> Result<bool, OutputError> {
        self.write(file, bytes).map(|()| true)
    }
}

/// Pages kept in memory (tests, small sites).
#[derive(Default)]
struct InMemory(std::sync::Mutex<Files>);

impl PageSink for InMemory {
    fn write(&self, file: &str, bytes: &[u8], _key: Key) -> Result<(), OutputError> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file, bytes);
        Ok(())
    }
}

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

/// Renders the public site, every file in memory (tests, small sites): the same path
/// as [`render_into`], with a sink that keeps the pages.
pub fn render(input: &SiteInput<'_>) -> Result<Rendered, SiteError> {
    let sink = InMemory::default();
    let mut rendered = render_into(input, &sink)?;
    let pages = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    rendered.files.merge("", pages);
    Ok(rendered)
}

/// Renders the public site, sending each page to `sink` as soon as it is made instead of
/// keeping it: [`Rendered::files`] then holds everything else (feeds, open data,
/// calendars, assets, search files). Memory stays flat however many offers there are.
/// On error, some pages may have reached the sink: the caller discards them (the build
/// streams into a staged tree that is only swapped in on success).
pub fn render_into(input: &SiteInput<'_>, sink: &dyn PageSink) -> Result<Rendered, SiteError> {
    model::Site::load(input)?.render(sink)
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
