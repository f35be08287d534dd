//! Content pages: `content/*.md`, Markdown with TOML front matter between `+++` lines.
//!
//! ```text
//! +++
//! title = "L'apprentissage, comment ça marche ?"
//! description = "Une phrase pour les moteurs de recherche."
//! path = "/apprentissage/"      # optional, default /{file stem}/
//! weight = 10                   # optional: order in the menu and the footer
//! menu = true                   # optional: listed in the main menu
//! +++
//! Le texte, en Markdown, titres à partir de `##` (le titre de la page est le h1).
//! ```
//! The files are the site's own (trusted), but their HTML goes through the same
//! checks as every page (internal links, minification).

use super::SiteError;
use pulldown_cmark::{Options, Parser, html};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Front matter of a content page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    description: Option<String>,
    path: Option<String>,
    #[serde(default)]
    weight: i32,
    #[serde(default)]
    menu: bool,
    /// Left out of the site (a site hides a built-in page this way).
    #[serde(default)]
    draft: bool,
}

/// A content page, ready for its template.
#[derive(Debug, Clone, Serialize)]
pub struct ContentPage {
    /// File stem (`mentions-legales`).
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    /// URL path (`/mentions-legales/`).
    pub path: String,
    pub weight: i32,
    pub menu: bool,
    /// Not published.
    pub draft: bool,
    /// The body rendered to HTML.
    pub html: String,
}

/// The pages from `(file name, text)` pairs (`handicap.md`), sorted by weight then name;
/// a page whose front matter says `draft = true` is left out (how a site hides a
/// built-in page: it holds a file of the same name marked as a draft).
pub fn from_files(files: &[(PathBuf, String)]) -> Result<Vec<ContentPage>, SiteError> {
    let mut pages = Vec::new();
    for (file, text) in files {
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let page = parse(&name, text).map_err(|m| content_error(file, m))?;
        if !page.draft {
            pages.push(page);
        }
    }
    pages.sort_by(|a, b| (a.weight, &a.name).cmp(&(b.weight, &b.name)));
    Ok(pages)
}

fn content_error(file: &Path, message: String) -> SiteError {
    SiteError::Content {
        file: file.to_path_buf(),
        message,
    }
}

/// Parses one page: front matter, then Markdown.
pub fn parse(name: &str, text: &str) -> Result<ContentPage, String> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let rest = text
        .strip_prefix("+++\n")
        .ok_or("the file must start with a `+++` line (TOML front matter)")?;
    let end = rest
        .find("\n+++\n")
        .or_else(|| rest.ends_with("\n+++").then(|| rest.len() - 4))
        .ok_or("the front matter has no closing `+++` line")?;
    let front: FrontMatter =
        toml::from_str(&rest[..end]).map_err(|e| format!("front matter: {e}"))?;
    let body = rest.get(end + 5..).unwrap_or("");
    let path = front.path.unwrap_or_else(|| format!("/{name}/"));
    if !path.starts_with('/') || !path.ends_with('/') || path.contains("..") {
        return Err(format!(
            "path `{path}` must start and end with `/` and stay in the site"
        ));
    }
    Ok(ContentPage {
        name: name.to_string(),
        title: front.title,
        description: front.description,
        path,
        weight: front.weight,
        menu: front.menu,
        draft: front.draft,
        html: markdown(body),
    })
}

/// Markdown to HTML (tables, footnotes, strikethrough; smart punctuation for French).
pub fn markdown(text: &str) -> String {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut out = String::with_capacity(text.len() * 2);
    html::push_html(&mut out, Parser::new_ext(text, opts));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_body_are_read() {
        let p = parse(
            "a-propos",
            "+++\ntitle = \"À propos\"\nweight = 3\n+++\n## Qui sommes-nous\n\nLe *Carif-Oref*.\n",
        )
        .unwrap();
        assert_eq!(p.title, "À propos");
        assert_eq!(p.path, "/a-propos/");
        assert_eq!(p.weight, 3);
        assert!(p.html.contains("<h2>Qui sommes-nous</h2>"));
        assert!(p.html.contains("<em>Carif-Oref</em>"));
    }

    #[test]
    fn a_page_without_front_matter_is_refused_with_a_reason() {
        assert!(parse("x", "# Titre\n").unwrap_err().contains("+++"));
        assert!(
            parse("x", "+++\ntitle = \"x\"\n")
                .unwrap_err()
                .contains("closing")
        );
        assert!(parse("x", "+++\ntitel = \"x\"\n+++\n").is_err());
        assert!(parse("x", "+++\ntitle = \"x\"\npath = \"/../x/\"\n+++\n").is_err());
    }
}
