//! The theme: Tera templates and static files, built into the binary (or a site's own
//! `themes/{site.theme}/`). A site overrides one template by putting a file of the same
//! name in `templates/` beside its `vitrine.toml` (and one static file the same way in
//! `static/`). Templates are compiled once per build and shared by every page.

use super::SiteError;
use super::assets::Assets;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

/// Compiled templates and fingerprinted static files.
pub struct Theme {
    pub tera: Tera,
    pub assets: Assets,
}

/// The search page used when the theme has no `search.html`: it works without
/// JavaScript by sending the reader to the browse pages.
const SEARCH_FALLBACK: &str = r#"{% extends "base.html" %}
{% block title %}Rechercher une formation – {{ site.title }}{% endblock title %}
{% block main %}
<h1>Rechercher une formation</h1>
<p>La recherche n'est pas disponible sur cette version du site. Vous pouvez parcourir toutes les formations :</p>
<ul>
<li><a href="/niveaux/">par niveau</a></li>
<li><a href="/departements/">par département</a></li>
<li><a href="/domaines/">par domaine</a></li>
<li><a href="/diplomes/">par diplôme</a></li>
<li><a href="/cfa/">par CFA</a></li>
</ul>
{% endblock main %}
"#;

/// Name under which the fallback search page is registered.
pub const SEARCH_FALLBACK_NAME: &str = "vitrine-search-fallback.html";

/// The files a theme is made of, before compilation: the built-in or site theme with
/// the site's `templates/` and `static/` laid over it (see [`crate::inputs`]).
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// Where the theme comes from, for error messages (`built-in theme default`).
    pub origin: String,
    /// Template name → text.
    pub templates: BTreeMap<String, String>,
    /// Static file name → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Compiles the templates and fingerprints the static files.
    pub fn compile(files: &ThemeFiles) -> Result<Theme, SiteError> {
        let origin = PathBuf::from(&files.origin);
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let mut list: Vec<(String, String)> = files
            .templates
            .iter()
            .map(|(name, text)| match name.ends_with(".html") {
                true => (name.clone(), super::minify::template(text)),
                false => (name.clone(), text.clone()),
            })
            .collect();
        list.push((
            SEARCH_FALLBACK_NAME.to_string(),
            super::minify::template(SEARCH_FALLBACK),
        ));
        tera.add_raw_templates(list)
            .map_err(|e| SiteError::Template {
                template: "(theme)".into(),
                page: files.origin.clone(),
                message: tera_message(&e),
            })?;
        for required in REQUIRED {
            if !files.templates.contains_key(*required) {
                return Err(SiteError::Theme {
                    path: origin.join("templates").join(required),
                    message: "required template missing".into(),
                });
            }
        }
        let mut assets = Assets::default();
        for (name, bytes) in &files.statics {
            assets.add(name, bytes.clone());
        }
        Ok(Theme { tera, assets })
    }

    /// Whether a template of that name exists (the theme's or the site's).
    pub fn has(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }
}

/// Templates every theme must provide.
pub const REQUIRED: &[&str] = &[
    "base.html",
    "home.html",
    "offer.html",
    "cfa.html",
    "handicap.html",
    "calendar.html",
    "calendars.html",
    "content.html",
    "browse.html",
    "browse_index.html",
    "withdrawn.html",
    "redirect.html",
    "404.html",
];

/// The files of a theme folder as (`/`-separated name, path), in name order; hidden
/// files and folders are skipped, a missing folder has none.
pub(crate) fn theme_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, SiteError> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| SiteError::Theme {
            path: dir.to_path_buf(),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("walkdir stays under its root");
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if name.starts_with('.') || name.contains("/.") {
            continue;
        }
        out.push((name, entry.path().to_path_buf()));
    }
    Ok(out)
}

/// HTML escaping of every printed value: `& < > " '`. Unlike Tera's default it leaves
/// `/` alone (escaping it protects nothing inside quoted attributes and would hide
/// internal links from the link check).
pub fn escape_html(input: &str) -> String {
    crate::safe::escape_bytes(input, html_special, html_entity)
}

/// The bytes [`html_entity`] replaces, as comparisons: the test the escaping searches
/// with (see `safe::escape_bytes`).
fn html_special(b: u8) -> bool {
    (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == b'\'')
}

fn html_entity(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#x27;"),
        _ => None,
    }
}

/// A Tera error with its causes (Tera puts the useful part in the source chain).
pub fn tera_message(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_searched_for_are_exactly_the_bytes_replaced() {
        for b in 0..=u8::MAX {
            assert_eq!(html_special(b), html_entity(b).is_some(), "byte {b:#04x}");
        }
    }

    #[test]
    fn printed_values_escape_the_five_html_characters_and_keep_slashes() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a> /cfa/"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#x27;s&lt;/a&gt; /cfa/"
        );
        assert_eq!(escape_html("é à ü"), "é à ü");
    }
}
